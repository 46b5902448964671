"""`convprop exercises`: every answer is the value at its source in the compute JSON, the key
shows every answer and the worksheet none, the quizzes carry the same values and tolerances,
the same command gives the same bytes, and bad input writes nothing.

The command runs in this process through click's CliRunner (a subprocess would pay the import
each time); each configuration is built once per module.
"""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from convprop import cli
from convprop.exercises import FILES, TOPICS, build_for_course, quiz
from convprop.exercises.questions import Question
from convprop.exercises.sources import resolve
from convprop.mathcore import ConfigError, ModelConfig
from convprop.mathcore.lesson import run_lesson
from tests.gift_reader import read_gift

pytestmark = pytest.mark.xdist_group("exercises")

# the classic lecture; one with padding, stride 1, ReLU and max pooling (every topic applies); and
# one with values from files, whose paths the sources must name
CONFIGS = {
    "classic": ("--seeds", "1-2"),
    "pooled": ("--seeds", "7", "--input-size", "6", "--stride", "1", "--padding", "1", "--relu", "--pool", "2",
               "--batch", "3", "--rates", "0.5,5"),
    "values": ("--seeds", "2", "--values", "{dir}/cnn.json", "--mlp-values", "{dir}/mlp.json", "--topics",
               "forward,update,mlp,learning-rate"),
}
VALUES = {"cnn.json": {"kernel": [[0.5, -0.25], [0.125, 1]], "target": 1},
          "mlp.json": {"weights": {"w5": 0.3}, "learning_rate": 0.25}}
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def run(*args):
    result = CliRunner().invoke(cli.cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module", params=list(CONFIGS))
def built(request, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp(request.param) / "ex"
    for name, values in VALUES.items():
        (out.parent / name).write_text(json.dumps(values))
    run("exercises", *(a.format(dir=out.parent) for a in CONFIGS[request.param]), "--output", str(out))
    return out


def folders(out: Path) -> list[Path]:
    return sorted(out.glob("seed-*"))


def answers(folder: Path) -> list[dict]:
    return json.loads((folder / "answers.json").read_text())


def pdf_numbers(path: Path) -> set[str]:
    """Every number in the PDF's text, with Typst's minus sign read as '-'."""
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages).replace("\u2212", "-")
    return set(NUMBER.findall(text))


_computed: dict[tuple, dict] = {}


def compute_json(args: list[str]) -> dict:
    key = tuple(args)
    if key not in _computed:
        _computed[key] = json.loads(run(*args).output)
    return _computed[key]


def test_every_seed_has_every_file(built):
    assert folders(built)
    for folder in folders(built):
        assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)


def test_every_topic_that_applies_is_asked(built):
    topics = {q["topic"] for folder in folders(built) for q in answers(folder)}
    expected = {"classic": set(TOPICS) - {"pooling"}, "pooled": set(TOPICS),
                "values": {"forward", "update", "mlp", "learning-rate"}}[built.parent.name.rstrip("0123456789")]
    assert topics == expected


def test_every_answer_is_the_value_at_its_source(built):
    for folder in folders(built):
        seed = int(folder.name.split("-")[1])
        items = answers(folder)
        assert len({q["id"] for q in items}) == len(items)
        for q in items:
            source = q["source"]
            args = source["args"]
            assert args[: len(source["command"].split())] == source["command"].split() and args[-1] == "--json"
            if source["command"] == "compute":
                assert args[args.index("--seed") + 1] == str(seed)
            value = resolve(compute_json(args), source["path"])
            assert value == q["answer"], (q["id"], source)
            assert float(q["shown"]) == pytest.approx(q["answer"], abs=q["tolerance"] * 1.000001)


def test_answer_key_shows_every_answer_and_the_worksheet_none(built):
    for folder in folders(built):
        key, sheet = pdf_numbers(folder / "answers.pdf"), pdf_numbers(folder / "worksheet.pdf")
        for q in answers(folder):
            assert q["shown"] in key, q["id"]
            if "." in q["shown"]:  # a whole number (an output size) may also be a given, e.g. stride 2
                assert q["shown"] not in sheet, q["id"]


def test_moodle_xml_has_one_numerical_question_per_answer(built):
    for folder in folders(built):
        items = answers(folder)
        root = ET.parse(folder / "quiz.xml").getroot()
        numerical = root.findall("question[@type='numerical']")
        assert len(numerical) == len(items)
        for element, q in zip(numerical, items):
            full, *partial = element.findall("answer")
            assert full.get("fraction") == "100"
            assert float(full.findtext("text")) == q["answer"]
            assert float(full.findtext("tolerance")) == pytest.approx(q["tolerance"])
            if "." not in q["shown"]:  # a whole number is right or wrong
                assert partial == [] and q["tolerance"] == 0.5
                continue
            [partial] = partial
            assert partial.get("fraction") == "50"
            assert float(partial.findtext("text")) == q["answer"]
            assert float(partial.findtext("tolerance")) == pytest.approx(10 * q["tolerance"])
            assert q["prompt"] in element.findtext("questiontext/text")


def test_gift_reads_back_the_same_questions(built):
    for folder in folders(built):
        items = answers(folder)
        read = read_gift((folder / "quiz.gift").read_text())
        assert len(read) == len(items)
        for g, q in zip(read, items):
            assert q["prompt"] in g.text and q["id"] in g.title
            expected = [(100, q["answer"], pytest.approx(q["tolerance"]))]
            if "." in q["shown"]:
                expected.append((50, q["answer"], pytest.approx(10 * q["tolerance"])))
            assert g.answers == tuple(expected)
            assert g.category and g.category.endswith(folder.name)


def test_gift_escapes_what_the_format_reserves():
    prompt = "w_1* = w_1 - alpha dL/dw_1 {#3: ~ = }, with - : # in it"
    question = Question(id="x.y-1", topic="update", number="5.1", prompt=prompt, answer=-0.0001234,
                        shown="-0.0001234", tolerance=5e-8, command="compute", path="a[0]")
    [read] = read_gift(quiz.gift(12, [question]).decode())
    assert read.text == quiz.text(12, question) and prompt in read.text
    assert read.title == quiz.title(12, question)
    assert read.answers == ((100, -0.0001234, 5e-8), (50, -0.0001234, 5e-7))


def test_different_seeds_give_different_numbers(built):
    versions = [[q["answer"] for q in answers(f) if q["topic"] not in ("mlp", "learning-rate")] for f in folders(built)]
    assert all(a != b for i, a in enumerate(versions) for b in versions[i + 1:])


def test_the_same_command_twice_gives_the_same_bytes(tmp_path):
    args = ("exercises", "--seeds", "3", "--topics", "forward,chain-rule,mlp", "--output")
    run(*args, str(tmp_path / "a"))
    run(*args, str(tmp_path / "b"))
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert len(files) == len(FILES)
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


BAD = {
    "backward-range": (("--seeds", "5-1"), "backwards"),
    "words": (("--seeds", "abc"), "seeds"),
    "too-many": (("--seeds", "0-10000"), "10,000"),
    "unknown-topic": (("--topics", "forward,pool"), "unknown topic"),
    "not-applicable": (("--topics", "pooling"), "pool"),
    "seed-and-seeds": (("--seeds", "1-2", "--seed", "3"), "not both"),
    "bad-config": (("--kernel-size", "9"), "kernel"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_exits_2_and_writes_nothing(case, tmp_path, monkeypatch, capsys):
    args, word = BAD[case]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["convprop", "exercises", *args, "--output", "ex"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Error: ") and word in err.lower()
    assert list(tmp_path.iterdir()) == []


def test_an_output_in_the_way_is_refused_and_left_alone(tmp_path, monkeypatch, capsys):
    (tmp_path / "ex").mkdir()
    (tmp_path / "ex" / "mine.txt").write_text("keep")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["convprop", "exercises", "--output", "ex"])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 2 and "already exists" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["ex", "mine.txt"]


def test_a_failure_midway_leaves_no_folder(tmp_path, monkeypatch):
    def fail(*_):
        raise RuntimeError("typesetting broke")

    monkeypatch.setattr("convprop.exercises.folders.to_pdf", fail)
    with pytest.raises(RuntimeError):
        CliRunner().invoke(cli.cli, ["exercises", "--seeds", "1", "--output", str(tmp_path / "ex")],
                           catch_exceptions=False)
    assert list(tmp_path.iterdir()) == []


def test_build_for_course_writes_one_lesson_flat(tmp_path):
    lesson = run_lesson(ModelConfig(seed=5, relu=True, pool=1))
    paths = build_for_course(lesson, tmp_path / "exercises", topics=["forward", "pooling"])
    assert sorted(paths) == sorted(FILES) and all(p.is_file() for p in paths.values())
    items = json.loads(paths["answers.json"].read_text())
    assert {q["topic"] for q in items} == {"forward", "pooling"}
    assert all("--seed" in q["source"]["args"] and "5" in q["source"]["args"] for q in items)
    for q in items:
        assert resolve(compute_json(q["source"]["args"]), q["source"]["path"]) == q["answer"]
    with pytest.raises(ConfigError):
        build_for_course(lesson, tmp_path / "exercises")  # in the way now
    with pytest.raises(ConfigError):
        build_for_course(run_lesson(ModelConfig()), tmp_path / "other", topics=["pooling"])


def test_sources_are_exactly_what_the_commands_print():
    from convprop.exercises.sources import Sources, command_args

    lesson = run_lesson(ModelConfig(seed=11, relu=True, pool=2, input_size=(6, 6), stride=(1, 1)))
    sources, args = Sources.of(lesson), command_args(lesson)
    for command in ("compute", "compute mlp", "compute learning-rate"):
        assert sources.data[command] == compute_json(args.for_command(command)), command


def test_seeds_and_printed_answers():
    from convprop.exercises import numbers, parse_seeds

    assert parse_seeds("1-3") == (1, 2, 3)
    assert parse_seeds(" 9, 1,4-5 ,4") == (1, 4, 5, 9)
    assert parse_seeds("0-9999") == tuple(range(10_000))
    for bad in ("", "1-", "-3", "1.5", "3-1", "1-10000,10001"):
        with pytest.raises(ConfigError):
            parse_seeds(bad)
    # four decimals, or four significant digits below 0.1; never -0
    assert [numbers.shown(x) for x in (0.54, -1.70539, 0.0413625, 0.000438568, -0.0, 0.0)] == [
        "0.5400", "-1.7054", "0.04136", "0.0004386", "0.0000", "0.0000"]
    assert numbers.tolerance(0.000438568) == pytest.approx(5e-8)


def test_the_footers_command_makes_the_same_sheets(tmp_path):
    import shlex

    from convprop.exercises.sheet import command_line
    from convprop.exercises.sources import command_args
    from convprop.exercises.topics import choose

    lesson = run_lesson(ModelConfig(seed=6, padding=1))
    line = command_line(command_args(lesson), choose(None, lesson.model.config))
    words = shlex.split(line)
    assert words[:2] == ["convprop", "exercises"]
    run(*words[1:], "--output", str(tmp_path / "again"))
    paths = build_for_course(lesson, tmp_path / "direct")
    for name, path in paths.items():
        assert (tmp_path / "again" / "seed-6" / name).read_bytes() == path.read_bytes(), name


def test_a_seed_made_alone_equals_it_made_in_parallel(built, tmp_path):
    if not built.parent.name.startswith("classic"):
        pytest.skip("one configuration is enough")
    run("exercises", "--seed", "2", "--output", str(tmp_path / "alone"))
    for name in FILES:
        assert (tmp_path / "alone" / "seed-2" / name).read_bytes() == (built / "seed-2" / name).read_bytes(), name


def _build_in_daemon(out: str) -> None:
    from convprop.exercises.folders import Request, build

    request = Request(config=ModelConfig(), given={}, batch=2, mlp_given={}, rates=(0.5,), steps=2,
                      topics=("forward",))
    build(request, (1, 2), Path(out))


def test_a_daemonic_process_typesets_the_seeds_itself(tmp_path):
    """A cluster's worker process is daemonic and may not start processes of its own."""
    import multiprocessing

    process = multiprocessing.get_context("spawn").Process(target=_build_in_daemon, args=(str(tmp_path / "ex"),),
                                                            daemon=True)
    process.start()
    process.join(timeout=120)
    assert process.exitcode == 0
    assert sorted(p.name for p in (tmp_path / "ex").iterdir()) == ["seed-1", "seed-2"]
