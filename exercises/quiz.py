"""The questions as a quiz: Moodle XML and GIFT, one numerical question per answer.

Each question stands alone: a student who sees only the LMS reads in it everything the sheet
gives for it (the network and its values, the section's own tables), as HTML tables in Moodle
XML and as text in GIFT, numbers written as on the sheet.

Full marks within the tolerance (half a unit in the last shown decimal), half marks within ten
times that (whole numbers: full marks only). Each seed's questions go in their own category, so one import makes one bank per
version.
"""

import xml.etree.ElementTree as ET
from html import escape

from convprop.exercises.numbers import PARTIAL_CREDIT_FACTOR, written
from convprop.exercises.plain import plain_math

PARTIAL_CREDIT_PERCENT = 50
GIFT_SPECIAL = "~=#{}:"


plain = written  # a number without an exponent, all its digits: 5e-05 -> 0.00005


def category(seed: int) -> str:
    return f"$course$/top/convprop/seed-{seed}"


def title(seed: int, question) -> str:
    return f"seed {seed} #{question.number} {question.id}"


def text(seed: int, question) -> str:
    """The question as a quiz shows it: which sheet and box, what to compute, how precisely."""
    decimals = len(question.shown.partition(".")[2])
    precision = f"Give {decimals} decimals." if decimals else "Give a whole number."
    return f"Seed {seed}, answer {question.number}: {question.prompt} {precision}"


def _words(block: dict) -> str:
    return "".join(plain_math(r["math"]) if r.get("math") is not None else r["text"] for r in block["runs"])


def _rows(grid: dict) -> list[list[str]]:
    return [[cell["text"] for cell in row] for row in grid["cells"]]


def html_context(blocks) -> str:
    """What the sheet gives for a question, as Moodle shows it: sentences and tables."""
    out = []
    for block in blocks:
        if block["type"] != "grids":
            out.append(f"<p>{escape(_words(block), quote=False)}</p>")
            continue
        for grid in block["items"]:
            rows = "".join("<tr>" + "".join(f"<td>{escape(t, quote=False)}</td>" for t in row) + "</tr>" for row in _rows(grid))
            out.append(f'<table border="1"><caption>{escape(plain_math(grid["label"]), quote=False)}</caption>{rows}</table>')
    return "\n".join(out)


def text_context(blocks) -> list[str]:
    """The same as lines of text: a table row by row, rows separated by semicolons."""
    out = []
    for block in blocks:
        if block["type"] != "grids":
            out.append(_words(block))
            continue
        for grid in block["items"]:
            out.append(f"{plain_math(grid['label'])} = [" + "; ".join(" ".join(row) for row in _rows(grid)) + "]")
    return out


def _answers(question):
    """Full marks within the tolerance, half within ten times it; a whole number (an output
    size) is right or wrong, as ten times its tolerance of 0.5 would accept a neighbour."""
    if "." not in question.shown:
        return [(100, question.tolerance)]
    return [(100, question.tolerance), (PARTIAL_CREDIT_PERCENT, question.tolerance * PARTIAL_CREDIT_FACTOR)]


def moodle_xml(seed: int, questions, contexts=None) -> bytes:
    """``contexts`` maps a question's id to the blocks the sheet gives for it (``Sheet.contexts``)."""
    contexts = contexts or {}
    quiz = ET.Element("quiz")
    cat = ET.SubElement(ET.SubElement(quiz, "question", type="category"), "category")
    ET.SubElement(cat, "text").text = category(seed)
    for q in questions:
        item = ET.SubElement(quiz, "question", type="numerical")
        ET.SubElement(ET.SubElement(item, "name"), "text").text = title(seed, q)
        body = ET.SubElement(item, "questiontext", format="html")
        given = html_context(contexts.get(q.id, ()))
        ET.SubElement(body, "text").text = f"<p>{escape(text(seed, q), quote=False)}</p>" + (f"\n<p>Given:</p>\n{given}" if given else "")
        ET.SubElement(item, "defaultgrade").text = "1"
        ET.SubElement(item, "penalty").text = "0"
        for fraction, tolerance in _answers(q):
            answer = ET.SubElement(item, "answer", fraction=str(fraction), format="plain_text")
            ET.SubElement(answer, "text").text = plain(q.answer)
            ET.SubElement(answer, "tolerance").text = plain(tolerance)
            ET.SubElement(ET.SubElement(answer, "feedback", format="plain_text"), "text").text = (
                f"{q.shown}" if fraction == 100 else f"Close: the answer is {q.shown}")
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="UTF-8", xml_declaration=True) + b"\n"


def gift_escape(s: str) -> str:
    return "".join("\\" + ch if ch in GIFT_SPECIAL else ch for ch in s)


def gift(seed: int, questions, contexts=None) -> bytes:
    contexts = contexts or {}
    lines = [f"// convprop exercises, seed {seed}", f"$CATEGORY: {category(seed)}", ""]
    for q in questions:
        answers = " ".join(f"={'' if f == 100 else f'%{f}%'}{plain(q.answer)}:{plain(t)}" for f, t in _answers(q))
        given = text_context(contexts.get(q.id, ()))
        body = "\n".join(gift_escape(line) for line in [text(seed, q), *(["Given:", *given] if given else [])])
        lines.append(f"::{gift_escape(title(seed, q))}::{body}{{#{answers}}}")
        lines.append("")
    return "\n".join(lines).encode()
