"""Documents to PDF with Typst, the same bytes every time.

Only the fonts Typst carries are used (system fonts are ignored), the document has no date and
the creation time is fixed, so a sheet made today on one machine is byte-identical to one made
next year on another with the same Typst.
"""

import json
from functools import lru_cache
from importlib import resources

import typst

# Typst stamps the PDF with this instant; fixed, so the bytes never depend on the clock.
FIXED_TIMESTAMP = 0


@lru_cache(maxsize=1)
def _template() -> bytes:
    return resources.files("convprop.exercises").joinpath("templates/sheet.typ").read_bytes()


@lru_cache(maxsize=1)
def _compiler() -> typst.Compiler:
    """One per process: loading the fonts is most of the cost of a first compile."""
    return typst.Compiler(ignore_system_fonts=True)


def to_pdf(doc: dict) -> bytes:
    data = json.dumps(doc, sort_keys=True, ensure_ascii=False, allow_nan=False)
    return _compiler().compile(_template(), format="pdf", sys_inputs={"doc": data}, timestamp=FIXED_TIMESTAMP)
