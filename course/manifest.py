"""manifest.json: how the course was made and every file in it, with its size and sha256."""

import hashlib
import json
from pathlib import Path

MANIFEST = "manifest.json"
GENERATOR = "convprop course"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entries(folder: Path) -> list[dict]:
    return [{"path": p.relative_to(folder).as_posix(), "size": p.stat().st_size, "sha256": sha256(p)}
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != MANIFEST]


def jsonable(settings: dict) -> dict:
    """The command's options as JSON values: pairs as lists, paths as text."""
    def plain(value):
        if isinstance(value, tuple):
            return [plain(v) for v in value]
        return str(value) if isinstance(value, Path) else value
    return {key: plain(value) for key, value in settings.items()}


def write_manifest(folder: Path, about: dict) -> None:
    data = {"generator": GENERATOR, **about, "files": file_entries(folder)}
    folder.joinpath(MANIFEST).write_text(json.dumps(data, indent=1, allow_nan=False) + "\n", encoding="utf-8")


def is_course_folder(folder: Path) -> bool:
    """Whether ``folder`` is one this command made (and so may be replaced)."""
    try:
        return json.loads(folder.joinpath(MANIFEST).read_text()).get("generator") == GENERATOR
    except (OSError, ValueError, AttributeError):
        return False
