"""Every command the README and docs/ show is run, so the pages cannot drift from the command.

Which commands: every line of a fenced code block in README.md or docs/*.md that starts with
`convprop ` (the installed command) or `python cli.py ` (the same program from a checkout),
joined over a trailing backslash, its `#` comment cut off as the shell would. A command whose
comment starts with `# refused` shows bad input. Every one runs in an empty working directory
that holds only a link to examples/, so the files the pages name (`examples/jobs.toml`,
`examples/values.json`, ...) are found as from the repository's root and the outputs land in
the test's own directory.

How far each runs, the rule: every command runs in this process through its real entry point
(the `convprop` console script's function, found from the installed entry point, or cli.py run
as `__main__`), with its real parsing and every check it makes, until it ends or its work
starts, whichever comes first. Work starts at one of these doors, all of them the libraries'
public API, never convprop's own functions (which move as the code is rearranged):
  - Manim's `Scene.render` (a render, a lecture in one process, a course's lecture),
  - a process pool or a process starting (`concurrent.futures.ProcessPoolExecutor`,
    `multiprocessing`'s `BaseProcess.start`: the lecture's section workers, the exercises'
    typesetting of many seeds),
  - a Dask `LocalCluster` or `Client` (`convprop batch`, on this machine or at `--scheduler`),
  - a server starting to serve (`socketserver.BaseServer.serve_forever`).
Each door is replaced by one that raises `ReachedWork`; a new command whose work starts
somewhere else gets its door added to `_doors`.
  - `list`, `compute`, `--help`, and `exercises` of one seed (typeset in this process, about a
    second) pass no door: they run to their end and must exit 0, print JSON where `--json`
    asks for it, and every path they print must exist.
  - `render`, `lecture`, `course`, `batch` and `exercises` of many seeds must reach a door:
    every option parsed, every check passed, every file named read, the lesson computed and
    every scene asked whether it can draw it; no exit, no error. A render costs seconds to
    minutes (the whole lecture 135 s at low quality), so what a render then makes is left to
    the suites that check it (test_render, test_parallel_lecture, test_course*, test_batch_jobs,
    test_exercises*). A command stopped at its door must leave nothing behind: the partial work
    of an abandoned command is taken back.
  - a `# refused` command must exit with status 2, one `Error:` line on stderr, nothing on
    stdout and nothing written.
So an option renamed or removed, a value out of range, a scene unknown, a file the pages name
missing, a command documented that the CLI does not have, fails here, in seconds.

Beside the commands: every file a page links or names under examples/ exists, every file in
examples/ is named by some page, and the Python classes the pages show are the classes in
examples/, the same code.
"""

import ast
import concurrent.futures
import importlib.metadata
import json
import multiprocessing.process
import re
import runpy
import shlex
import signal
import socketserver
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
EXAMPLES = REPO / "examples"

# manim, distributed and the CLI are imported once for all the commands
pytestmark = pytest.mark.xdist_group("docs")


@dataclass(frozen=True)
class Command:
    page: str
    line: int
    text: str
    program: str  # "convprop" or "cli.py"
    args: tuple[str, ...]
    refused: bool

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def fenced_blocks(text: str):
    """(first line number, language, lines) of every fenced code block."""
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        opening = re.match(r"^\s*(```+|~~~+)\s*(\S*)", lines[number])
        if not opening:
            number += 1
            continue
        fence, language = opening.groups()
        end = number + 1
        while end < len(lines) and not lines[end].strip().startswith(fence):
            end += 1
        yield number + 2, language, lines[number + 1:end]
        number = end + 1


def commands_in(page: Path) -> list[Command]:
    found = []
    for first, language, lines in fenced_blocks(page.read_text(encoding="utf-8")):
        if language in ("python", "py", "toml", "json"):
            continue
        pending, start = "", 0
        for offset, raw in enumerate(lines):
            line = raw.strip()
            if pending:
                line = pending + " " + line
            else:
                start = first + offset
            if line.endswith("\\"):
                pending = line[:-1].strip()
                continue
            pending = ""
            line = re.sub(r"^\$\s+", "", line)
            if not re.match(r"(convprop|python3? cli\.py)(\s|$)", line):
                continue
            words = shlex.split(line, comments=True)
            if words[:1] == ["convprop"]:
                program, args = "convprop", words[1:]
            elif words[:2] == ["python", "cli.py"] or words[:2] == ["python3", "cli.py"]:
                program, args = "cli.py", words[2:]
            else:
                continue
            refused = re.search(r"\s#\s*refused\b", line) is not None
            found.append(Command(str(page.relative_to(REPO)), start, line, program, tuple(args), refused))
    return found


def _once(commands: list[Command]) -> list[Command]:
    """A command shown on several pages runs once, under the first place that shows it."""
    seen = {}
    for command in commands:
        seen.setdefault((command.program, command.args, command.refused), command)
    return list(seen.values())


SHOWN = [command for page in PAGES for command in commands_in(page)]
COMMANDS = _once(SHOWN)


class ReachedWork(BaseException):
    """The command got to where its work starts. A BaseException, as a KeyboardInterrupt is, so
    that no `except Exception` in the code under test mistakes it for a failure to report."""


def _door(name):
    def door(*args, **kwargs):
        raise ReachedWork(name)

    return door


def _doors() -> list[tuple[object, str, str]]:
    """(owner, attribute, name) of every door where a command's work starts."""
    import distributed
    import manim

    return [
        (manim.Scene, "render", "manim.Scene.render"),
        (concurrent.futures.ProcessPoolExecutor, "__init__", "ProcessPoolExecutor"),
        (multiprocessing.process.BaseProcess, "start", "multiprocessing process start"),
        (distributed.LocalCluster, "__init__", "dask LocalCluster"),
        (distributed.Client, "__init__", "dask Client"),
        (socketserver.BaseServer, "serve_forever", "serve_forever"),
    ]


def _entry(program: str):
    if program == "cli.py":
        return lambda: runpy.run_path(str(REPO / "cli.py"), run_name="__main__")
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="convprop")
    return script.load()


@dataclass
class Outcome:
    status: int | None  # None: stopped at a door
    door: str | None
    stdout: str
    stderr: str


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """An empty working directory with examples/ beside it, as the repository's root has it;
    SIGINT's handler and the unraisable hook put back afterwards (the command installs its own)."""
    (tmp_path / "examples").symlink_to(EXAMPLES, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)
    handler = signal.getsignal(signal.SIGINT)
    yield tmp_path
    signal.signal(signal.SIGINT, handler)


def run(command: Command, monkeypatch, capsys) -> Outcome:
    for owner, attribute, name in _doors():
        monkeypatch.setattr(owner, attribute, _door(name))
    monkeypatch.setattr(sys, "argv", [command.program, *command.args])
    entry = _entry(command.program)
    capsys.readouterr()
    status, door = 0, None
    try:
        entry()
    except SystemExit as done:
        status = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except ReachedWork as reached:
        status, door = None, str(reached)
    out, err = capsys.readouterr()
    return Outcome(status, door, out, err)


def left_behind(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*")
                  if p.name != "examples" and not p.is_relative_to(directory / "examples"))


def test_the_pages_show_commands():
    """The extraction finds the commands (a changed fence style would silently test nothing)."""
    pages = {command.page for command in SHOWN}
    assert {"README.md", "docs/usage.md", "docs/exercises.md", "docs/batch.md", "docs/course.md"} <= pages
    shown = {command.args[0] for command in COMMANDS if command.args}
    assert {"list", "render", "lecture", "compute", "course", "exercises", "batch"} <= shown
    assert any(command.refused for command in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command.id)
def test_documented_command(command, workdir, monkeypatch, capsys):
    outcome = run(command, monkeypatch, capsys)
    said = f"{command.id}: `{command.text}`\nstdout: {outcome.stdout[-1500:]}\nstderr: {outcome.stderr[-1500:]}"
    if command.refused:
        assert outcome.status == 2, said
        lines = outcome.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), said
        assert outcome.stdout == "", said
        assert left_behind(workdir) == [], said
        return
    assert outcome.status in (0, None), said
    assert "Error" not in outcome.stderr, said
    if outcome.door is not None:
        assert left_behind(workdir) == [], f"{said}\nleft behind after stopping at {outcome.door}"
        return
    if "--json" in command.args:
        assert isinstance(json.loads(outcome.stdout), dict), said
    if "--output" in command.args:
        printed = outcome.stdout.split()
        assert printed and all(Path(path).exists() for path in printed), said


# --- the files the pages name -----------------------------------------------------------------

LINK = re.compile(r"\]\(([^)\s]+)\)")
EXAMPLE = re.compile(r"examples/[\w./-]*\w")


def _anchors(page: Path) -> set[str]:
    """GitHub's anchors of the page's headings: lower case, punctuation dropped, spaces as -."""
    text = page.read_text(encoding="utf-8")
    headings = [line.lstrip("#").strip() for line in text.splitlines() if re.match(r"^#{1,6}\s", line)]
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(REPO)))
def test_links_and_example_files_exist(page):
    text = page.read_text(encoding="utf-8")
    missing = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists():
            missing.append(target)
        elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
            missing.append(target)
    missing += [name for name in EXAMPLE.findall(text) if not (REPO / name).exists()]
    assert missing == [], f"{page.relative_to(REPO)} names what is not there: {missing}"


def test_every_example_file_is_named_by_a_page():
    named = {name for page in PAGES for name in EXAMPLE.findall(page.read_text(encoding="utf-8"))}
    files = {str(p.relative_to(REPO)) for p in EXAMPLES.iterdir()
             if p.is_file() and not p.name.startswith(".")}
    assert files - named == set(), "files in examples/ no page names"


def _classes(source: str) -> dict[str, str]:
    return {node.name: ast.dump(node) for node in ast.parse(source).body if isinstance(node, ast.ClassDef)}


def test_the_classes_the_pages_show_are_the_examples():
    """A class in a Python block of the pages is the class of the same name in examples/, the
    same code (comments aside), so what a reader copies is what the tests render."""
    examples = {}
    for path in sorted(EXAMPLES.glob("*.py")):
        examples.update(_classes(path.read_text(encoding="utf-8")))
    shown = {}
    for page in PAGES:
        for _, language, lines in fenced_blocks(page.read_text(encoding="utf-8")):
            if language == "python":
                shown.update(_classes("\n".join(lines)))
    assert shown, "no page shows a class"
    for name, code in shown.items():
        assert name in examples, f"{name} is shown in the docs but is no class in examples/"
        assert code == examples[name], f"{name} in the docs differs from examples/"
