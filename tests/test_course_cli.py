"""convprop course refuses bad input in one line with exit status 2, writes nothing, and leaves
an earlier course folder as it was, also when interrupted mid-render."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.command_in_process import run_main

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-c", "from convprop import cli; cli.main()", "course"]


def course(*args, cwd: Path, **popen):
    return subprocess.Popen([*COMMAND, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, **popen)


def _terminal_sigint():
    """In the child before it runs: SIGINT as a terminal gives it (a process inherits an ignored
    SIGINT, and some test runners' workers ignore it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def earlier_course(folder: Path) -> dict:
    """A folder as an earlier run left it; returns its files' contents."""
    folder.mkdir()
    files = {"manifest.json": json.dumps({"generator": "convprop course", "files": []}), "index.html": "earlier"}
    for name, text in files.items():
        (folder / name).write_text(text)
    return files


def contents(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in folder.rglob("*") if p.is_file()}


def assert_one_line_error(done_stdout, done_stderr, returncode, *words):
    assert returncode == 2, done_stderr
    lines = done_stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done_stderr
    assert "Traceback" not in done_stderr and done_stdout == ""
    for word in words:
        assert word.lower() in lines[0].lower()


CASES = {
    "output-is-a-file": (("--output", "taken"), ("is a file",)),
    "output-inside-a-file": (("--output", "taken/course"), ("cannot write",)),
    "output-cannot-be-created": (("--output", "/proc/convprop-course"), ("cannot write",)),
    "output-holds-other-files": (("--output", "mine"), ("not a course",)),
    "unknown-scene": (("--scenes", "chain-rule,no-such-scene", "--output", "fresh"), ("no-such-scene", "--scenes")),
    "no-scene-named": (("--scenes", ",", "--output", "fresh"), ("--scenes",)),
    "bad-model-option": (("--kernel-size", "9", "--output", "fresh"), ("5x5",)),
    "unknown-voice": (("--voice", "robot", "--output", "fresh"), ("--voice 'robot'", "espeak-ng")),
    "script-missing": (("--script", "nowhere.json", "--output", "fresh"), ("nowhere.json", "does not exist")),
}


# One case of each kind (the output folder, the scenes, an option) goes through the real command's
# process; the others through its entry point in this process (tests/command_in_process.py): the
# same message and exit status, without seconds of imports each.
THROUGH_THE_COMMAND = ("output-is-a-file", "unknown-scene", "unknown-voice")


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_exit_2_and_nothing_written(tmp_path, case):
    args, words = CASES[case]
    (tmp_path / "taken").write_text("a file")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    if case in THROUGH_THE_COMMAND:
        process = course(*args, cwd=tmp_path)
        out, err = process.communicate(timeout=120)
        returncode = process.returncode
    else:
        done = run_main(("course", *args), cwd=tmp_path)
        returncode, out, err = done.returncode, done.stdout, done.stderr
    assert_one_line_error(out, err, returncode, *words)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "taken").read_text() == "a file" and (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_an_interrupt_mid_render_leaves_the_earlier_folder_as_it_was(tmp_path):
    folder = tmp_path / "course"
    files = earlier_course(folder)
    # as from a terminal: SIGINT at its default even when the test runner's process ignores it
    process = course("--scenes", "chain-rule", "--output", "course", cwd=tmp_path, preexec_fn=_terminal_sigint)
    deadline = time.monotonic() + 120
    while not list(tmp_path.glob(".course-*.partial")):  # the render has begun in its staging folder
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.05)
    time.sleep(1)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode in (2, 130)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "interrupt" in lines[0].lower() and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["course"]
    assert contents(folder) == files


def test_a_course_past_a_16x16_padded_input_has_the_lecture_and_no_exercises(tmp_path):
    """The scenes draw a large input as pictures; the worksheets write X as a table, so the course
    leaves them out (its page names no exercises) instead of failing after the render. The input is
    one past 16x16, its 5x5 kernel at stride 3 leaves a 5x5 map, and the scene is the shortest,
    loss-gradient: the course's choice is the point, not the length of its lecture."""
    done = course("--scenes", "loss-gradient", "--input-size", "17", "--kernel-size", "5", "--stride", "3",
                  "--quality", "low", "--output", "course", "--quiet", cwd=tmp_path)
    out, err = done.communicate(timeout=900)
    assert done.returncode == 0, err
    folder = tmp_path / "course"
    assert (folder / "lecture.mp4").stat().st_size > 0 and (folder / "index.html").is_file()
    assert not (folder / "exercises").exists()
    assert "exercises-heading" not in (folder / "index.html").read_text()
    assert json.loads((folder / "manifest.json").read_text())["config"]["input_size"] == [17, 17]


def test_a_batch_job_asks_for_a_voice_and_a_bad_one_names_its_table(tmp_path):
    """A course job (or a render or lecture job) takes voice and language as the command does,
    and a voice that cannot speak is refused when the job file is read, not after the render."""
    from convprop.farm.jobfile import JobFileError, read_jobs

    jobs = tmp_path / "jobs.toml"
    jobs.write_text('[[job]]\ncommand = "course"\nscenes = "loss-gradient"\nvoice = "espeak-ng"\nlanguage = "de"\n'
                    '[[job]]\ncommand = "render"\nscene = "weight-update"\nvoice = "espeak-ng"\n')
    course_job, render_job = read_jobs(jobs)
    assert course_job.args[course_job.args.index("--voice") + 1] == "espeak-ng"
    assert course_job.args[course_job.args.index("--language") + 1] == "de"
    assert "--voice" in render_job.args
    jobs.write_text('[[job]]\ncommand = "course"\nscenes = "loss-gradient"\nvoice = "espeak-ng"\n'
                    '[[job]]\ncommand = "course"\nscenes = "loss-gradient"\nname = "robot"\nvoice = "robot"\n')
    with pytest.raises(JobFileError, match=r"job table 2 .*--voice 'robot' is not a voice"):
        read_jobs(jobs)
