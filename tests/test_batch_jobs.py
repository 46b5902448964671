"""convprop batch on a real LocalCluster of two worker processes: every job into its own whole
folder, a rerun renders nothing, a changed job alone is rendered again, a worker killed in the
middle of a job costs a retry and not the batch, and a bad job file writes nothing.

The jobs are png renders (the last frame) of the shortest scene, each a few seconds.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONVPROP = [sys.executable, "-c", "from convprop import cli; cli.main()"]

pytestmark = pytest.mark.xdist_group("batch")

FOUR = """
[[job]]
command = "render"
scene = "loss-gradient"
format = "png"
seeds = "1-3"

[[job]]
command = "render"
scene = "loss-gradient"
name = "strided"
format = "png"
input-size = "7"
stride = "2x1"
"""


def start(*args, cwd: Path, **env):
    return subprocess.Popen([*CONVPROP, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT), **env})


def run(*args, cwd: Path, **env):
    process = start(*args, cwd=cwd, **env)
    out, err = process.communicate(timeout=900)
    return process.returncode, out, err


def manifest(directory: Path) -> dict:
    return {job["name"]: job for job in json.loads((directory / "manifest.json").read_text())["jobs"]}


def is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def scratch(directory: Path) -> list[Path]:
    return sorted(directory.glob(".convprop-*"))


@pytest.fixture(scope="module")
def first_batch(tmp_path_factory):
    work = tmp_path_factory.mktemp("batch")
    (work / "jobs.toml").write_text(FOUR)
    code, out, err = run("batch", "jobs.toml", "--workers", "2", "--output", "out", cwd=work)
    return work, code, out, err


def test_four_jobs_each_into_its_own_whole_folder(first_batch):
    work, code, out, err = first_batch
    assert code == 0, err
    names = ["render-loss-gradient-seed-1", "render-loss-gradient-seed-2", "render-loss-gradient-seed-3", "strided"]
    jobs = manifest(work / "out")
    assert list(jobs) == names
    assert all(job["status"] == "rendered" and job["folder"] == job["name"] and job["seconds"] > 0
               for job in jobs.values())
    assert all(0 < job["started"] <= time.time() for job in jobs.values())  # where the batch's time went
    for name in names:
        assert is_png(work / "out" / name / "loss-gradient.png")
    assert jobs["strided"]["args"][-4:] == ["--input-size", "7", "--stride", "2x1"]
    assert out.split() == [str(work / "out" / name) for name in names] + [str(work / "out" / "manifest.json")]
    assert scratch(work / "out") == []


def test_seeds_give_different_pictures(first_batch):
    work, *_ = first_batch
    pictures = {(work / "out" / f"render-loss-gradient-seed-{s}" / "loss-gradient.png").read_bytes() for s in (1, 2, 3)}
    assert len(pictures) == 3


def copy_of(first_batch, tmp_path: Path) -> Path:
    work, code, *_ = first_batch
    assert code == 0
    shutil.copytree(work, tmp_path / "again")
    return tmp_path / "again"


def test_running_the_same_file_again_renders_nothing(first_batch, tmp_path):
    work = copy_of(first_batch, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in (work / "out").glob("*/*.png")}
    code, out, err = run("batch", "jobs.toml", "--workers", "2", "--output", "out", cwd=work)
    assert code == 0, err
    assert {job["status"] for job in manifest(work / "out").values()} == {"unchanged"}
    assert {p: p.stat().st_mtime_ns for p in (work / "out").glob("*/*.png")} == before
    assert len(out.split()) == 5


def test_changing_one_job_renders_only_that_job(first_batch, tmp_path):
    work = copy_of(first_batch, tmp_path)
    (work / "jobs.toml").write_text(FOUR.replace('stride = "2x1"', 'stride = "1"'))
    code, out, err = run("batch", "jobs.toml", "--workers", "2", "--output", "out", cwd=work)
    assert code == 0, err
    statuses = {name: job["status"] for name, job in manifest(work / "out").items()}
    assert statuses == {"render-loss-gradient-seed-1": "unchanged", "render-loss-gradient-seed-2": "unchanged",
                        "render-loss-gradient-seed-3": "unchanged", "strided": "rendered"}
    assert is_png(work / "out" / "strided" / "loss-gradient.png")
    assert "--stride" in json.loads((work / "out" / "strided" / ".batch-job.json").read_text())["args"]


def test_a_worker_killed_mid_job_costs_a_retry_not_the_batch(tmp_path):
    (tmp_path / "jobs.toml").write_text(FOUR)
    out = tmp_path / "out"
    batch = start("batch", "jobs.toml", "--workers", "2", "--output", "out", cwd=tmp_path)
    killed = None
    deadline = time.monotonic() + 600
    while killed is None and time.monotonic() < deadline and batch.poll() is None:
        # a job at work is a scratch directory named after its worker's process id
        for entry in scratch(out) if out.is_dir() else ():
            pid = int(entry.name.split("-")[1])
            if pid != batch.pid:
                os.kill(pid, signal.SIGKILL)
                killed = pid
                break
        time.sleep(0.05)
    stdout, stderr = batch.communicate(timeout=900)
    assert killed is not None, "no job was seen at work"
    assert batch.returncode == 0, stderr
    jobs = manifest(out)
    assert len(jobs) == 4 and {job["status"] for job in jobs.values()} == {"rendered"}
    for name in jobs:
        assert is_png(out / name / "loss-gradient.png")
        assert json.loads((out / name / ".batch-job.json").read_text())["worker_pid"] != killed
    assert all(int(entry.name.split("-")[1]) == killed for entry in scratch(out))  # at most the killed one's


BAD = {
    "malformed TOML": ("[[job]\ncommand = 'render'\n", "not valid TOML"),
    "unknown command": ("[[job]]\ncommand = 'paint'\n", "unknown command 'paint'"),
    "unknown option": ("[[job]]\ncommand = 'render'\nscene = 'loss-gradient'\ncolour = 'red'\n", "--colour"),
    "bad value": ("[[job]]\ncommand = 'render'\nscene = 'loss-gradient'\nstride = '2y'\n", "--stride"),
    "bad model": ("[[job]]\ncommand = 'lecture'\n[[job]]\ncommand = 'render'\nscene = 'loss-gradient'\n"
                  "kernel-size = '5'\ninput-size = '3'\n", "job table 2"),
    "unknown scene": ("[[job]]\ncommand = 'render'\nscene = 'backprop'\n", "unknown scene 'backprop'"),
    "seeds backwards": ("[[job]]\ncommand = 'render'\nscene = 'loss-gradient'\nseeds = '5-1'\n", "5-1"),
    "two of a name": ("[[job]]\ncommand = 'lecture'\n[[job]]\ncommand = 'lecture'\n", "both named 'lecture'"),
    "output given": ("[[job]]\ncommand = 'lecture'\noutput = 'x'\n", "output"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_job_file_is_one_line_exit_2_and_nothing_written(case, tmp_path):
    text, says = BAD[case]
    (tmp_path / "jobs.toml").write_text(text)
    code, out, err = run("batch", "jobs.toml", "--output", "out", cwd=tmp_path)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and says in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.toml"]


def test_an_unreachable_scheduler_is_one_line_exit_2_and_nothing_written(tmp_path):
    (tmp_path / "jobs.toml").write_text(FOUR)
    code, out, err = run("batch", "jobs.toml", "--scheduler", "tcp://127.0.0.1:9", "--output", "out", cwd=tmp_path)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "tcp://127.0.0.1:9" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jobs.toml"]


def test_a_missing_job_file_is_one_line_exit_2(tmp_path):
    code, out, err = run("batch", "nowhere.toml", "--output", "out", cwd=tmp_path)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "nowhere.toml" in err
    assert list(tmp_path.iterdir()) == []


def test_a_failing_job_is_reported_at_the_end_exit_1_and_the_others_kept(tmp_path):
    # a valid job file; the course fails where it runs: its workers have no ffmpeg
    (tmp_path / "jobs.toml").write_text(
        "[[job]]\ncommand = 'render'\nscene = 'loss-gradient'\nformat = 'png'\n"
        "[[job]]\ncommand = 'course'\nscenes = 'loss-gradient'\n")
    (tmp_path / "bin").mkdir()
    code, out, err = run("batch", "jobs.toml", "--workers", "2", "--output", "out", cwd=tmp_path,
                         PATH=str(tmp_path / "bin"))
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and errors[0].startswith("Error: job course failed: ") and "ffmpeg" in errors[0], err
    jobs = manifest(tmp_path / "out")
    assert jobs["course"]["status"] == "failed" and "ffmpeg is not installed" in jobs["course"]["error"]
    assert jobs["render-loss-gradient"]["status"] == "rendered"
    assert is_png(tmp_path / "out" / "render-loss-gradient" / "loss-gradient.png")
    assert not (tmp_path / "out" / "course").exists()


def test_the_example_job_file_is_valid():
    from convprop.farm.jobfile import read_jobs

    jobs = read_jobs(ROOT / "examples" / "jobs.toml")
    assert len(jobs) == 2 + 30 + 30 + 1
    assert len({job.key for job in jobs}) == len(jobs)
    assert jobs[1].args == ("--input-size", "7", "--stride", "1", "--padding", "1", "--relu", "--pool", "2")


def test_dasks_log_lines_never_reach_standard_output(capsys):
    """What a worker killed mid-job makes Dask log, with Manim's console as Python's root handler
    (as in the batch's process): none of it among the folders the batch prints."""
    import logging

    import manim  # noqa: F401 (it hands the root logger its console, on standard output)

    from convprop.farm.batch import _quiet_dask

    _quiet_dask()
    logging.getLogger("distributed.scheduler").warning("Couldn't gather 1 keys, rescheduling")
    logging.getLogger("distributed.client").error("Couldn't gather keys")
    assert capsys.readouterr().out == ""
