"""The lecture's scheduling and failures, progress for course and exercises on a terminal, and the
bad values course and exercises used to find only at run time, now refused up front: one line,
exit status 2, nothing written.
"""

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from convprop import cli
from convprop.farm.jobfile import JobFileError, read_jobs
from convprop.scenes.render_lecture import COSTS, longest_first, render_lecture
from convprop.progress import Meter
from convprop.mathcore.lesson import run_lesson

ROOT = Path(__file__).resolve().parent.parent
CONVPROP = [sys.executable, "-c", "from convprop import cli; cli.main()"]

pytestmark = pytest.mark.xdist_group("farm-checks")


# --- the lecture's sections: the costliest first, a failure anywhere stops it ---------------------

def test_sections_start_costliest_first():
    names = list(COSTS)
    order = longest_first(names)
    assert sorted(order) == sorted(names)
    assert [COSTS[n] for n in order] == sorted(COSTS.values(), reverse=True)
    assert order[0] == "mlp-worked-example" and order[-1] == "loss-gradient"
    # a section without a cost counts as an average one, between the long and the short
    assert longest_first(["loss-gradient", "new-story", "mlp-worked-example"]) == \
        ["mlp-worked-example", "new-story", "loss-gradient"]


def test_a_failing_section_stops_the_lecture_and_leaves_nothing(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(KeyError, match="no-such-story"):
        render_lecture(run_lesson(), "low", "mp4", out, jobs=2, scenes=["loss-gradient", "no-such-story"])
    assert not out.exists()


# --- progress on a terminal --------------------------------------------------------------------

def on_terminal(*args, cwd: Path, timeout: float = 600) -> tuple[int, str]:
    """Run ``convprop ARGS`` with stdout and stderr on a pseudo-terminal; its exit status and all it drew."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([*CONVPROP, *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=follower,
                               stderr=follower, env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120",
                                                     "TERM": "xterm"})
    os.close(follower)
    drawn = b""
    while True:
        ready, _, _ = select.select([leader], [], [], timeout)
        if not ready:
            process.kill()
            raise TimeoutError(f"convprop {' '.join(args)} drew nothing for {timeout} s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the command ends
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    return process.wait(timeout=60), drawn.decode(errors="replace")


def test_exercises_draw_one_step_a_seed_on_a_terminal_and_nothing_with_quiet(tmp_path):
    code, drawn = on_terminal("exercises", "--seeds", "1-2", "--topics", "forward", "--output", "a", cwd=tmp_path)
    assert code == 0, drawn
    assert "exercises" in drawn and "/2" in drawn
    code, drawn = on_terminal("exercises", "--seeds", "1-2", "--topics", "forward", "--output", "b", "--quiet",
                              cwd=tmp_path)
    assert code == 0, drawn
    assert drawn.split() == ["b/seed-1", "b/seed-2"]  # the paths alone


def test_exercises_count_every_seed_on_their_meter(tmp_path):
    from convprop import exercises as sheets
    from convprop.mathcore import ModelConfig

    request = sheets.Request(config=ModelConfig(), given={}, batch=2, mlp_given={}, rates=(0.5,), steps=5,
                             topics=("forward",))
    meter = Meter()
    sheets.build(request, (1, 2, 3), tmp_path / "ex", workers=1, meter=meter)
    assert meter.steps == 3


def test_course_draws_its_sections_on_a_terminal(tmp_path):
    code, drawn = on_terminal("course", "--scenes", "loss-gradient", "--output", "course", cwd=tmp_path)
    assert code == 0, drawn
    assert "course" in drawn and "/1" in drawn
    assert (tmp_path / "course" / "lecture.mp4").is_file()


# --- bad values refused up front ---------------------------------------------------------------

def run_main(monkeypatch, capsys, *args) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["convprop", *args])
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    return exit_.value.code, capsys.readouterr().err


@pytest.mark.parametrize("output", ["afile/ex", "/proc/convprop-exercises/ex"])
def test_exercises_into_a_place_that_cannot_be_written(output, tmp_path, monkeypatch, capsys):
    (tmp_path / "afile").write_text("a file")
    monkeypatch.chdir(tmp_path)
    code, err = run_main(monkeypatch, capsys, "exercises", "--output", output)
    assert code == 2 and err.count("\n") == 1 and err.startswith("Error: ") and "cannot" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
    assert (tmp_path / "afile").read_text() == "a file"


def test_course_without_ffmpeg_is_refused_before_rendering(tmp_path):
    (tmp_path / "bin").mkdir()  # a PATH without ffmpeg
    done = subprocess.run([*CONVPROP, "course", "--scenes", "loss-gradient", "--output", "course"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(ROOT), "PATH": str(tmp_path / "bin")})
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "ffmpeg is not installed" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bin"]


JOBS = {
    "exercises-unknown-topic": ('command = "exercises"\ntopics = "forward,nonsense"', "unknown topic 'nonsense'"),
    "exercises-topic-not-applying": ('command = "exercises"\nseeds = "1-3"\ntopics = "pooling"', "does not apply"),
    "exercises-no-topic": ('command = "exercises"\ntopics = ""', "--topics is empty"),
    "course-unknown-scene": ('command = "course"\nscenes = "chain-rule,nope"', "unknown scene 'nope'"),
    "course-no-scene": ('command = "course"\nscenes = ","', "no scene named"),
    "lecture-transparent-mp4": ('command = "lecture"\ntransparent = true', "--transparent needs"),
}


@pytest.mark.parametrize("case", list(JOBS))
def test_a_job_files_course_and_exercises_options_are_checked_before_anything_runs(case, tmp_path, monkeypatch,
                                                                                      capsys):
    table, words = JOBS[case]
    (tmp_path / "jobs.toml").write_text(f"[[job]]\n{table}\n")
    with pytest.raises(JobFileError, match="job table 1"):
        read_jobs(tmp_path / "jobs.toml")
    monkeypatch.chdir(tmp_path)
    code, err = run_main(monkeypatch, capsys, "batch", "jobs.toml", "--output", "out")
    assert code == 2 and err.count("\n") == 1 and words in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.toml"]


def test_a_job_files_good_course_and_exercises_options_pass(tmp_path):
    (tmp_path / "jobs.toml").write_text('[[job]]\ncommand = "course"\nscenes = "chain-rule"\n\n'
                                        '[[job]]\ncommand = "exercises"\nseeds = "1-2"\ntopics = ["pooling", "loss"]\n'
                                        'pool = 2\n')
    assert [job.name for job in read_jobs(tmp_path / "jobs.toml")] == ["course", "exercises-seed-1",
                                                                       "exercises-seed-2"]


def test_a_job_files_transparent_mp4_is_refused_before_anything_runs(tmp_path):
    (tmp_path / "jobs.toml").write_text('[[job]]\ncommand = "render"\nscene = "loss-gradient"\ntransparent = true\n')
    with pytest.raises(JobFileError, match="--transparent needs --format webm or png"):
        read_jobs(tmp_path / "jobs.toml")
