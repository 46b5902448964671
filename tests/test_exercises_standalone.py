"""Exercises that work in an LMS and on paper.

A quiz question is read the way Moodle reads it (the XML parsed by the standard library, the
question text's HTML stripped to what a student sees; GIFT by ``tests.gift_reader``) and must
hold every number the question needs, named here from the math (which values an answer depends
on), read from the commands' JSON, never from the sheet's own choice of givens. A worksheet may
print no number that reads as an answer it asks for. The footer's command survives being
copied out of the PDF. Given values carry the video's decimals.
"""

import re
import xml.etree.ElementTree as ET
from collections import Counter
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from convprop.exercises import document, quiz
from convprop.exercises.sheet import command_line, make_sheet
from convprop.exercises.sources import Sources, command_args
from convprop.exercises.topics import choose
from convprop.exercises.typeset import to_pdf
from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson
from tests.gift_reader import read_gift

pytestmark = pytest.mark.xdist_group("exercises")

CONFIGS = {
    "classic": ModelConfig(seed=1),
    "pooled": ModelConfig(seed=7, input_size=(6, 6), stride=(1, 1), padding=1, relu=True, pool=2),
    "layer": ModelConfig(seed=3, channels=2, filters=2),
}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
NETWORK = ("input", "kernel", "bias", "fc_weight", "fc_bias", "target")  # every CNN answer starts from these
# what a topic's answers need besides the network, in the single-channel lecture
NEEDS = {"chain-rule": ("dL_dz",), "kernel-gradient": ("dL_dz",), "input-gradient": ("dL_dz",),
         "update": ("dL_dkernel", "dL_dbias", "learning_rate")}


@pytest.fixture(scope="module", params=list(CONFIGS))
def sheet(request):
    lesson = run_lesson(CONFIGS[request.param])
    return request.param, make_sheet(lesson, choose(None, lesson.model.config), command_args(lesson)), Sources.of(lesson)


class _Text(HTMLParser):
    """An HTML question text as a student reads it: the text, table cells apart."""

    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")


def moodle_texts(xml: bytes) -> dict[str, str]:
    """Question name -> its text as Moodle shows it."""
    out = {}
    for question in ET.fromstring(xml).findall("question[@type='numerical']"):
        body = question.find("questiontext")
        assert body.get("format") == "html"
        reader = _Text()
        reader.feed(body.findtext("text"))
        out[question.findtext("name/text")] = "".join(reader.parts)
    return out


def flat(value) -> list[float]:
    if isinstance(value, list):
        return [x for item in value for x in flat(item)]
    return [] if value is None else [float(value)]


def numbers_in(text: str) -> list[tuple[float, int]]:
    """Every number in ``text`` with its decimals, minus signs as Typst or Moodle write them."""
    found = NUMBER.findall(text.replace("\u2212", "-"))
    return [(float(n), len(n.partition(".")[2])) for n in found]


def needed(q, config_name: str, sources: Sources) -> list[float]:
    topic = q.topic
    if topic == "mlp":
        m = sources.mlp
        return flat(m["inputs"]) + flat(m["targets"]) + flat(list(m["weights"].values())) + flat(list(m["biases"].values()))
    if topic == "learning-rate":
        bowl = sources.descent["bowl"]
        run = sources.descent["bowl_runs"][int(q.id.rsplit("-", 1)[1]) - 1]  # factor-N, w1-N: the run it asks of
        return [bowl["curvature"], bowl["start"], bowl["minimum"], run["learning_rate"]]
    if topic == "batch":
        return []  # its own per-image table; the network is named, not recomputed
    names = NETWORK + (NEEDS.get(topic, ()) if config_name != "layer" else ())
    return [x for name in names for x in flat(sources.cnn[name])]


def assert_holds(text: str, values: list[float], where: str):
    """Each value (as many times as it occurs) is a number of ``text``, to the decimals written."""
    shown = Counter(numbers_in(text))
    for value in values:
        match = next(((n, d) for (n, d), count in shown.items()
                      if count and abs(n - value) <= 0.5 * 10.0 ** -d + 1e-12), None)
        assert match, f"{where}: {value} is not in its text:\n{text}"
        shown[match] -= 1


def test_every_moodle_question_holds_the_numbers_it_needs(sheet):
    name, sheet, sources = sheet
    texts = moodle_texts(quiz.moodle_xml(sheet.seed, sheet.questions, sheet.contexts))
    assert len(texts) == len(sheet.questions)
    for q in sheet.questions:
        text = texts[quiz.title(sheet.seed, q)]
        assert q.prompt in text
        assert "<" not in text and "[" + q.number + "]" not in text  # no markup left, no box references
        assert_holds(text, needed(q, name, sources), q.id)


def test_every_gift_question_holds_the_numbers_it_needs(sheet):
    name, sheet, sources = sheet
    read = read_gift(quiz.gift(sheet.seed, sheet.questions, sheet.contexts).decode())
    assert len(read) == len(sheet.questions)
    for g, q in zip(read, sheet.questions):
        assert q.prompt in g.text
        assert_holds(g.text, needed(q, name, sources), q.id)


def printed_numbers(doc: dict) -> list[tuple[float, int]]:
    """Every number the worksheet's structured source prints: sentences, equations, tables."""
    text = []
    for section in doc["sections"]:
        for block in section["blocks"]:
            text += [r.get("math") or r.get("text") or "" for r in block.get("runs", [])]
            for grid in block.get("items", []) if block["type"] == "grids" else []:
                text += [cell["text"] for row in grid["cells"] for cell in row]
    # a box reference [2.5] names a box, it is no value
    return numbers_in(re.sub(r"\[\d+\.\d+\]", " ", "\n".join(text)))


def leaks(questions, printed) -> list[str]:
    """Answers some printed number reads as: as many decimals or more, rounding to the answer."""
    out = []
    for q in questions:
        decimals = len(q.shown.partition(".")[2])
        if not decimals or q.answer == 0:  # counts and exact zeros: a given 3 or 0 is no answer
            continue
        out += [f"{q.number} {q.id} = {q.shown} printed as {n}" for n, d in printed
                if d >= decimals and f"{n:.{decimals}f}".replace("-0.", "0.") == q.shown.replace("-0.", "0.")
                and (n < 0) == q.shown.startswith("-")]
    return out


def test_a_worksheet_never_prints_an_answer_it_asks_for(sheet):
    name, sheet, _ = sheet
    worksheet = document.for_worksheet(sheet.doc)
    assert leaks(sheet.questions, printed_numbers(worksheet)) == []
    pdf = to_pdf(worksheet)
    text = "\n".join(page.extract_text() for page in PdfReader(_bytes_io(pdf)).pages)
    assert leaks(sheet.questions, numbers_in(re.sub(r"\[\d+\.\d+\]", " ", text))) == []
    if name == "classic":  # the chain rule starts from the dL/dz the loss section asks for
        asked = next(q for q in sheet.questions if q.topic == "loss" and q.id.startswith("loss.dL-dz"))
        assert f"[{asked.number}]" in text and f"use your answer to {asked.number}" in text


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def test_the_leak_check_finds_the_leak_it_is_for():
    """Without the references, section 3's dL/dZ prints the dL/dz_k that box 2.5 asks for."""
    lesson = run_lesson(CONFIGS["classic"])
    sheet = make_sheet(lesson, ("loss", "chain-rule"), command_args(lesson))
    unreferenced = document.for_worksheet({**sheet.doc, "sections": _unreferenced(sheet.doc["sections"])})
    assert leaks(sheet.questions, printed_numbers(unreferenced))


def _unreferenced(sections):
    """The sections with each reference put back to the number it stands for."""
    import copy

    from convprop.exercises.numbers import carried

    out = copy.deepcopy(sections)
    for section in out:
        for block in section["blocks"]:
            for grid in block.get("items", []) if block["type"] == "grids" else []:
                for row in grid["cells"]:
                    for cell in row:
                        if "value" in cell:
                            cell["text"] = carried(cell["value"])
    return out


def test_the_footer_never_wraps_inside_a_word_and_prints_values_as_written():
    lesson = run_lesson(ModelConfig(seed=6, padding=1, input_size=(6, 6)))
    chosen = choose(None, lesson.model.config)
    line = command_line(command_args(lesson), chosen)
    assert "--rates 0.05,0.5,5,50" in line and "--learning-rate 0.1" in line
    sheet = make_sheet(lesson, chosen, command_args(lesson))
    text = PdfReader(_bytes_io(to_pdf(document.for_worksheet(sheet.doc)))).pages[0].extract_text()
    lines = [seen.strip() for seen in text.splitlines()]
    footer = [seen for seen in lines if "convprop" in seen or seen.startswith("--")]
    start = next(i for i, seen in enumerate(lines) if "Made again by" in seen)
    footer = " ".join(lines[start:start + 4])
    words = line.split(" ")
    assert len([seen for seen in lines[start:start + 4] if seen]) >= 2  # it does wrap, between words
    for word in words:  # every option, value and name whole, on one line
        assert any(re.search(rf"(^| ){re.escape(word)}( |$)", seen) for seen in lines[start:start + 4]), word
    assert " ".join(words) in footer.replace("\n", " ")


def test_given_values_carry_the_video_decimals(sheet):
    name, sheet, sources = sheet
    decimals = sources.lesson.model.values.decimals
    given = sheet.doc["sections"][0]
    assert given["title"] == "Given"
    grids = [g for block in given["blocks"] if block["type"] == "grids" for g in block["items"]]
    names = {"X": "input", "W": "kernel", "w_(f c)": "fc_weight"}
    checked = 0
    for grid in grids:
        base = grid["label"].split(" ")[0].split("_(")[0] if grid["label"] != "w_(f c)" else "w_(f c)"
        kind = names.get(base) or names.get(base.rstrip("0123456789_"))
        if kind is None:
            continue
        for row in grid["cells"]:
            for cell in row:
                assert len(cell["text"].partition(".")[2]) == decimals[kind], (grid["label"], cell["text"])
                checked += 1
    assert checked >= 25 + 9
    words = " ".join(r.get("math") or r.get("text") or "" for b in given["blocks"] for r in b.get("runs", []))
    target = sources.cnn["target"]
    assert f"y = {target:.{decimals['target']}f}" in words  # 0.0 or 1.0, as the video writes it
