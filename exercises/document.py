"""What a sheet says, as plain data; ``templates/sheet.typ`` decides how it looks.

A document is a title, a footer and sections of blocks. The same document makes both sheets:
the answer key shows everything, the worksheet (``for_worksheet``) drops the blocks marked
``worked`` and empties every answer box, so no answer can reach the worksheet at all.

Text runs are plain strings or ``math(...)`` pieces in Typst math syntax, each with an optional
role (a key of ``palette.PALETTE``) that colours it as the video does.

Example::

    par("Compute ", math("z_1", "output"), ".")
    eq(math("z_1", "output"), math("="), answer_value(question))
"""

from convprop.exercises.palette import PALETTE


def math(text: str, role: str | None = None) -> dict:
    return {"math": text, "role": role}


def _runs(parts) -> list:
    return [{"text": p, "role": None} if isinstance(p, str) else p for p in parts]


def par(*parts, worked: bool = False, sheet_only: bool = False) -> dict:
    """A paragraph of text and inline math; ``sheet_only`` for what the key replaces, such as
    the choices a student circles."""
    return {"type": "par", "runs": _runs(parts), "worked": worked, "sheet_only": sheet_only}


def eq(*parts, worked: bool = True) -> dict:
    """A displayed equation; its pieces are math, strings taken as math too. Worked by default."""
    return {"type": "eq", "runs": [math(p) if isinstance(p, str) else p for p in parts], "worked": worked}


def note(*parts, worked: bool = False) -> dict:
    """A small grey remark."""
    return {"type": "note", "runs": _runs(parts), "worked": worked}


def cell(text: str, role: str | None = None, mark: str | None = None) -> dict:
    """One grid cell: its text, its colour and an optional highlight behind it."""
    return {"text": text, "role": role, "mark": mark}


# Widths in points of the template's grid cells: digits of 9 pt DejaVu Sans Mono, and padding.
DIGIT_WIDTH, CELL_PADDING, LINE_WIDTH = 5.5, 9.0, 480.0


def grid(label: str, cells, role: str | None = None) -> dict:
    """A matrix of numbers under a math label; ``cells`` holds strings or ``cell(...)``.

    ``fit`` marks a grid that may be wider than the line, which the template then scales down;
    measuring every grid in Typst would cost a quarter of the typesetting time.
    """
    rows = [[cell(c, role) if isinstance(c, str) else c for c in row] for row in cells]
    widths = [max(len(row[c]["text"]) for row in rows) for c in range(len(rows[0]))] if rows else []
    wide = sum(DIGIT_WIDTH * w + CELL_PADDING for w in widths) > 0.8 * LINE_WIDTH
    return {"label": label, "cells": rows, "fit": wide}


def grids(*items, worked: bool = False) -> dict:
    """Grids side by side (wrapping when they do not fit)."""
    return {"type": "grids", "items": list(items), "worked": worked}


def box(label: str, question, role: str | None = None) -> dict:
    """An answer box: empty on the worksheet, the shown answer in the key."""
    return {"label": label, "number": question.number, "shown": question.shown, "role": role}


def boxes(*items) -> dict:
    """A row of answer boxes."""
    return {"type": "boxes", "items": list(items), "worked": False}


def box_grid(label: str, questions, role: str | None = None) -> dict:
    """A matrix of answer boxes, e.g. the whole dL/dW."""
    rows = [[{"number": q.number, "shown": q.shown, "role": role} for q in row] for row in questions]
    return {"type": "box-grid", "label": label, "cells": rows, "worked": False}


def section(title: str, blocks: list) -> dict:
    return {"title": title, "blocks": blocks}


def document(title: str, subtitle: str, footer: str, sections: list, key: bool) -> dict:
    return {"title": title, "subtitle": subtitle, "footer": footer, "sections": sections,
            "key": key, "palette": PALETTE}


def given_blocks(section: dict) -> list:
    """What a section gives on the worksheet: its sentences, notes, tables and equations, not
    its answer boxes, its worked steps or the choices a student circles."""
    return [b for b in section["blocks"]
            if b["type"] in ("par", "note", "grids", "eq") and not b["worked"] and not b.get("sheet_only")]


def for_worksheet(doc: dict) -> dict:
    """The document without worked steps and with every answer box empty."""
    def blank(block):
        block = dict(block)
        if block["type"] == "boxes":
            block["items"] = [{**item, "shown": None} for item in block["items"]]
        if block["type"] == "box-grid":
            block["cells"] = [[{**c, "shown": None} for c in row] for row in block["cells"]]
        return block

    sections = [
        {**s, "blocks": [blank(b) for b in s["blocks"] if not b["worked"]]} for s in doc["sections"]
    ]
    return {**doc, "sections": sections, "key": False}


def for_key(doc: dict) -> dict:
    """The document without what only the worksheet shows."""
    sections = [{**s, "blocks": [b for b in s["blocks"] if not b.get("sheet_only")]} for s in doc["sections"]]
    return {**doc, "sections": sections, "key": True}
