"""The questions as a quiz: Moodle XML and GIFT, one numerical question per answer.

Full marks within the tolerance (half a unit in the last shown decimal), half marks within ten
times that (whole numbers: full marks only). Each seed's questions go in their own category, so one import makes one bank per
version.
"""

import xml.etree.ElementTree as ET

import numpy as np

from convprop.exercises.numbers import PARTIAL_CREDIT_FACTOR

PARTIAL_CREDIT_PERCENT = 50
GIFT_SPECIAL = "~=#{}:"


def plain(x: float) -> str:
    """A number without an exponent, all its digits: 5e-05 -> 0.00005."""
    return np.format_float_positional(float(x), unique=True, trim="-")


def category(seed: int) -> str:
    return f"$course$/top/convprop/seed-{seed}"


def title(seed: int, question) -> str:
    return f"seed {seed} #{question.number} {question.id}"


def text(seed: int, question) -> str:
    """The question as a quiz shows it: which sheet and box, what to compute, how precisely."""
    decimals = len(question.shown.partition(".")[2])
    precision = f"Give {decimals} decimals." if decimals else "Give a whole number."
    return f"Seed {seed}, answer {question.number}: {question.prompt} {precision}"


def _answers(question):
    """Full marks within the tolerance, half within ten times it; a whole number (an output
    size) is right or wrong, as ten times its tolerance of 0.5 would accept a neighbour."""
    if "." not in question.shown:
        return [(100, question.tolerance)]
    return [(100, question.tolerance), (PARTIAL_CREDIT_PERCENT, question.tolerance * PARTIAL_CREDIT_FACTOR)]


def moodle_xml(seed: int, questions) -> bytes:
    quiz = ET.Element("quiz")
    cat = ET.SubElement(ET.SubElement(quiz, "question", type="category"), "category")
    ET.SubElement(cat, "text").text = category(seed)
    for q in questions:
        item = ET.SubElement(quiz, "question", type="numerical")
        ET.SubElement(ET.SubElement(item, "name"), "text").text = title(seed, q)
        body = ET.SubElement(item, "questiontext", format="plain_text")
        ET.SubElement(body, "text").text = text(seed, q)
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


def gift(seed: int, questions) -> bytes:
    lines = [f"// convprop exercises, seed {seed}", f"$CATEGORY: {category(seed)}", ""]
    for q in questions:
        answers = " ".join(f"={'' if f == 100 else f'%{f}%'}{plain(q.answer)}:{plain(t)}" for f, t in _answers(q))
        lines.append(f"::{gift_escape(title(seed, q))}::{gift_escape(text(seed, q))}{{#{answers}}}")
        lines.append("")
    return "\n".join(lines).encode()
