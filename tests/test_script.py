"""`convprop script`: the script written out, edited or translated, and read back.

An edited script keeps its numbers as placeholders; read back, it says this lesson's numbers
(checked here against the trace with the test's own formatting). An unknown beat id or
placeholder, a missing beat and a script for another configuration are refused in one line
naming it, and on the command line with exit status 2, nothing on stdout and nothing written.
"""

import copy
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from convprop.mathcore.lesson import run_lesson
from convprop.scenes.narration import ScriptError
from convprop.scenes.registry import SCENES
from convprop.scenes.script import document, edited, markdown, read_script, tell, templates_for
from tests.command_in_process import run_main

pytestmark = pytest.mark.xdist_group("script")  # its module fixtures, on one worker
CONVPROP = Path(sys.executable).parent / "convprop"
SCENE = "weight-update"
# one clause per step of the worked weight (its cell, its formula, its result), the numbers reordered
FRENCH = ["Prenons w₁ : son gradient vaut {dL_dw1} ;", "il valait {w1},", "il devient {w1_new}."]


@pytest.fixture(scope="module")
def lesson():
    return run_lesson()


@pytest.fixture(scope="module")
def lines(lesson):
    return tell(SCENES[SCENE], lesson)


@pytest.fixture(scope="module")
def doc(lines, lesson):
    return document(lines, lesson, SCENE)


def as_shown(value: float, decimals: int) -> str:
    text = format(value, f".{decimals}f")
    return (text.lstrip("-") if float(text) == 0 else text).replace("-", "\u2212")


def translated(doc) -> dict:
    """The script with the first worked weight's sentence in French, its numbers reordered."""
    out = copy.deepcopy(doc)
    beat = next(b for b in out["beats"] if b["narration"][0] == "Take w₁.")
    beat["narration"] = list(FRENCH)
    return out


def write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_every_beat_is_exported_with_its_placeholders_values(doc, lesson):
    assert [b["id"] for b in doc["beats"]] == [f"{SCENE}/{n:02}" for n in range(1, len(doc["beats"]) + 1)]
    for beat in doc["beats"]:
        for name, p in beat["placeholders"].items():
            assert "{" + name + "}" in "".join(beat["narration"])
            assert p["value"] in beat["written"]
        assert "{" not in beat["written"] and "{" not in beat["spoken"]


def test_a_worked_weight_is_exported_one_clause_per_step(doc):
    """Its three steps (the cell, the formula, the result) each have a clause, under the id its
    clip or take has; the caption's sentence is the clauses joined."""
    said = [b for b in doc["beats"] if isinstance(b["narration"], list)]
    assert len(said) == 2  # the two weights worked in full
    for beat in said:
        assert len(beat["narration"]) == 3 and beat["narration"][0].startswith("Take w")
        assert [c["id"] for c in beat["clauses"]] == [f"{beat['id']}/{n}" for n in (1, 2, 3)]
        assert " ".join(c["written"] for c in beat["clauses"]) == beat["written"]
        assert " ".join(c["spoken"] for c in beat["clauses"]) == beat["spoken"]
        assert "{" not in "".join(c["written"] for c in beat["clauses"])


def test_a_translation_round_trips_with_this_lessons_numbers(tmp_path, doc, lines, lesson):
    path = write(tmp_path, "fr.json", translated(doc))
    said = {line.id: line.written for line in edited(lines, templates_for(path, lines, lesson), lesson)}
    k = lesson.explained_weights[0][0]
    rc = divmod(k, lesson.conv.kernel.shape[1])
    w, g, new = lesson.values.W[0, 0][rc], lesson.conv_grad.dL_dW[0, 0][rc], lesson.W_updated[0, 0][rc]
    beat = next(b["id"] for b in doc["beats"] if b["narration"][0] == "Take w₁.")
    assert said[beat] == (f"Prenons w₁ : son gradient vaut {as_shown(g, 3)} ; il valait "
                          f"{as_shown(w, lesson.values.decimals['kernel'])}, il devient {as_shown(new, 3)}.")
    untouched = [b for b in doc["beats"] if b["id"] != beat]
    assert all(said[b["id"]] == b["written"] for b in untouched)


def test_markdown_reads_back_as_the_json_does(tmp_path, doc):
    edited_doc = translated(doc)
    assert read_script(write(tmp_path, "s.md", markdown(edited_doc))) == read_script(write(tmp_path, "s.json", edited_doc))


@pytest.mark.parametrize("change, message", [
    (lambda d: d["beats"].append({**d["beats"][0], "id": f"{SCENE}/99"}), f"has beat {SCENE}/99, which this lesson"),
    (lambda d: d["beats"].pop(2), f"lacks beat {SCENE}/03"),
    (lambda d: d["beats"][1].update(narration="α is {alpha}, w₉ is {w9}."), r"beat weight-update/02 names \{w9\}"),
    (lambda d: d["configuration"].update(stride=[1, 1]), "written for stride 1x1, this lesson has 2x2"),
    (lambda d: d["beats"][1].update(narration="α is {alpha"), "unmatched brace"),
    (lambda d: d["beats"][3].update(narration=d["beats"][3]["narration"][:2]),
     f"beat {SCENE}/04 has 2 clauses, and this beat plays 3 steps: give it Narration 1 to 3, one per step"),
    (lambda d: d["beats"][3].update(narration=" ".join(d["beats"][3]["narration"])),
     f"beat {SCENE}/04 has 1 clause, and this beat plays 3 steps"),
    (lambda d: d["beats"][0].update(narration=["Now a step.", "Downhill."]),
     f"beat {SCENE}/01 has 2 clauses, and this beat plays 1 step: give it one Narration line"),
])
def test_a_bad_script_is_refused_naming_the_problem(tmp_path, doc, lines, lesson, change, message):
    bad = copy.deepcopy(doc)
    change(bad)
    for path in (write(tmp_path, "bad.json", bad), write(tmp_path, "bad.md", markdown(bad))):
        with pytest.raises(ScriptError, match=message) as err:
            templates_for(path, lines, lesson)
        assert "\n" not in str(err.value)


def run(args, cwd: Path):
    return subprocess.run([str(CONVPROP), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_command_line_round_trip_and_refusals(tmp_path, doc):
    good = write(tmp_path, "fr.json", translated(doc))
    bad = copy.deepcopy(doc)
    bad["beats"][1]["narration"] = "α is {alpha}, w₉ is {w9}."
    wrong = write(tmp_path, "bad.json", bad)
    # each kind of refusal (an unknown placeholder, another configuration) through the real command;
    # render's refusal of the same script through the command's entry point in this process
    # (tests/command_in_process.py), which spares a process importing Manim
    render = run_main(("render", SCENE, "--format", "png", "--output", "out", "--script", str(wrong)), tmp_path)
    cases = [("script", SCENE, "--format", "json", "--script", str(good)),
             ("script", SCENE, "--script", str(wrong)),
             ("script", SCENE, "--stride", "1", "--script", str(good))]
    with ThreadPoolExecutor(2) as pool:
        ok, refused, other = pool.map(lambda args: run(args, tmp_path), cases)
    assert ok.returncode == 0, ok.stderr
    beats = json.loads(ok.stdout)["beats"]
    french = next(beat for beat in beats if beat["written"].startswith("Prenons w₁ : son gradient vaut "))
    assert french["narration"] == FRENCH and [c["id"] for c in french["clauses"]] == [f"{french['id']}/{n}" for n in (1, 2, 3)]
    for done, word in ((refused, "{w9}"), (render, "{w9}"), (other, "stride")):
        assert done.returncode == 2, done.stderr
        assert done.stdout == ""
        assert done.stderr.count("\n") == 1 and done.stderr.startswith("Error: ") and word in done.stderr
    assert not (tmp_path / "out").exists()
