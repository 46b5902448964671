"""A SCORM 1.2 package: ``imsmanifest.xml`` at the root and the player as its one SCO.

The player finds the LMS's ``API`` object in a parent or opener window, reports
``cmi.core.lesson_status = completed`` when the video ends, and plays on where there is none.
"""

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"


def imsmanifest(title: str, identifier: str, files: list[str]) -> bytes:
    ET.register_namespace("", IMSCP)
    ET.register_namespace("adlcp", ADLCP)
    manifest = ET.Element(f"{{{IMSCP}}}manifest", identifier=identifier, version="1.0")
    metadata = ET.SubElement(manifest, f"{{{IMSCP}}}metadata")
    ET.SubElement(metadata, f"{{{IMSCP}}}schema").text = "ADL SCORM"
    ET.SubElement(metadata, f"{{{IMSCP}}}schemaversion").text = "1.2"
    organizations = ET.SubElement(manifest, f"{{{IMSCP}}}organizations", default="course")
    organization = ET.SubElement(organizations, f"{{{IMSCP}}}organization", identifier="course")
    ET.SubElement(organization, f"{{{IMSCP}}}title").text = title
    item = ET.SubElement(organization, f"{{{IMSCP}}}item", identifier="lecture", identifierref="player")
    ET.SubElement(item, f"{{{IMSCP}}}title").text = title
    resources = ET.SubElement(manifest, f"{{{IMSCP}}}resources")
    resource = ET.SubElement(resources, f"{{{IMSCP}}}resource", {
        "identifier": "player", "type": "webcontent", f"{{{ADLCP}}}scormtype": "sco", "href": "index.html"})
    for name in files:
        ET.SubElement(resource, f"{{{IMSCP}}}file", href=name)
    ET.indent(manifest)
    return ET.tostring(manifest, encoding="utf-8", xml_declaration=True)


def write_package(target: Path, title: str, identifier: str, files: dict[str, Path]) -> None:
    """``files``: name inside the package -> where it is now. Video is stored, text deflated."""
    with zipfile.ZipFile(target, "w") as package:
        package.writestr("imsmanifest.xml", imsmanifest(title, identifier, sorted(files)),
                         compress_type=zipfile.ZIP_DEFLATED)
        for name, path in sorted(files.items()):
            stored = path.suffix in {".mp4", ".webm", ".jpg"}  # already compressed
            package.write(path, name, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
