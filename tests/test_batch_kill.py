"""A batch whose workers are killed (SIGKILL) at every moment of a job still ends whole and clean.

One real `convprop batch` of four tiny renders (three pictures, one video) on a LocalCluster of two worker processes. Each
job loses its first attempt's worker at a different moment:

- seed 1 as its scratch directory is made, before anything renders;
- seed 2 mid-render, once a partial clip of Manim's is on disk (seen by polling);
- seed 3 with its folder finished and marked, before it is moved into place;
- seed 4 between the two renames that replace an older folder of the same name: the older one
  moved aside, the new one not yet in.

The first, third and fourth are stopped there by the worker's own hold (``HOLD``, a file the
test drops that the first attempt to reach that moment claims with its process id). The batch
must exit 0 with every folder whole and marked by a surviving worker, nothing hidden left in the
output folder, and nothing on stderr about leaked semaphores.

Also here: the fork server the local cluster's workers come from has Manim and the stories loaded
before any job, and is not this process.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image

from convprop.farm.worker import HOLD, MARK

ROOT = Path(__file__).resolve().parent.parent
CONVPROP = [sys.executable, "-c", "from convprop import cli; cli.main()"]
NAMES = [f"render-weight-update-seed-{seed}" for seed in (1, 2, 3, 4)]

pytestmark = pytest.mark.xdist_group("batch-kill")

TINY = """
[[job]]
command = "render"
scene = "weight-update"
input-size = "3"
kernel-size = "2"
stride = "1"
quality = "low"
format = "png"
seeds = "1,3,4"

[[job]]
command = "render"
scene = "weight-update"
input-size = "3"
kernel-size = "2"
stride = "1"
quality = "low"
seeds = "2"
"""
# seed 2 is a video, the one killed mid-render (a partial clip on disk); the others the last frame
OUTPUTS = {seed: (["weight-update.png"] if seed != 2 else ["weight-update.mp4", "weight-update.srt", "weight-update.vtt"])
           for seed in (1, 2, 3, 4)}


def _scratch_of(out: Path) -> list[Path]:
    return sorted(out.glob(".convprop-*")) if out.is_dir() else []


def _owner(scratch: Path) -> int:
    return int(scratch.name.split("-")[1])


def _rendering(out: Path, name: str) -> int | None:
    """The worker whose scratch directory holds a partial clip of job ``name``, if any."""
    for scratch in _scratch_of(out):
        if any((scratch / name).rglob("partial_movie_files/**/*.mp4")):
            return _owner(scratch)
    return None


def _killed_at_every_moment(batch: subprocess.Popen, out: Path, hold: Path) -> dict[str, dict]:
    """Kill each job's first attempt at its moment; what its folders were at the kill."""
    kills: dict[str, dict] = {}
    deadline = time.monotonic() + 300
    while batch.poll() is None and time.monotonic() < deadline:
        for claimed in hold.glob("*.*.*"):  # NAME.MOMENT.PID: an attempt waiting there
            name, moment, pid = claimed.name.rsplit(".", 2)
            if moment not in kills:
                scratch = [p for p in _scratch_of(out) if _owner(p) == int(pid)]
                kills[moment] = {"pid": int(pid), "final": (out / name).exists(),
                                 "scratch": [sorted(q.name for q in p.iterdir()) for p in scratch],
                                 "marked": any((p / name / MARK).is_file() for p in scratch)}
                os.kill(int(pid), signal.SIGKILL)
        if "render" not in kills and (pid := _rendering(out, NAMES[1])) is not None:
            kills["render"] = {"pid": pid}
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.02)
    return kills


def test_workers_killed_at_every_moment_of_a_job_leave_a_whole_clean_batch(tmp_path):
    (tmp_path / "jobs.toml").write_text(TINY)
    out, hold = tmp_path / "out", tmp_path / "hold"
    hold.mkdir()
    for name, moment in ((NAMES[0], "start"), (NAMES[2], "move"), (NAMES[3], "swap")):
        (hold / f"{name}.{moment}").touch()
    older = out / NAMES[3]  # an older render of seed 4 (another version): replaced, not kept
    older.mkdir(parents=True)
    (older / MARK).write_text(json.dumps({"key": "an older version"}))
    (older / "weight-update.png").write_bytes(b"older")
    (older / "older-only.txt").write_text("gone once replaced")

    started = time.monotonic()
    batch = subprocess.Popen([*CONVPROP, "batch", "jobs.toml", "--workers", "2", "--quiet", "--output", "out"],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT), HOLD: str(hold)})
    try:
        kills = _killed_at_every_moment(batch, out, hold)
        stdout, stderr = batch.communicate(timeout=300)
    finally:
        batch.kill()
    seconds = time.monotonic() - started

    assert set(kills) == {"start", "render", "move", "swap"}, (kills, stderr)
    assert kills["start"]["scratch"] == [[]], "held as its scratch directory is made, nothing in it yet"
    assert kills["move"]["marked"] and not kills["move"]["final"], "finished and marked, not yet in place"
    assert kills["swap"]["scratch"] == [[".replaced", NAMES[3]]] and not kills["swap"]["final"], \
        "between the renames: the older folder moved aside, the new one not yet in"
    assert batch.returncode == 0, stderr
    assert "leaked semaphore" not in stderr and "Traceback" not in stderr and "Warning" not in stderr, stderr

    manifest = {job["name"]: job for job in json.loads((out / "manifest.json").read_text())["jobs"]}
    assert sorted(manifest) == NAMES and {job["status"] for job in manifest.values()} == {"rendered"}
    killed = {kill["pid"] for kill in kills.values()}
    for seed, name in enumerate(NAMES, start=1):
        mark = json.loads((out / name / MARK).read_text())
        assert mark["key"] == manifest[name]["key"] and mark["worker_pid"] not in killed
        assert sorted(p.name for p in (out / name).iterdir()) == [MARK, *OUTPUTS[seed]]
    assert _plays(out / NAMES[1] / "weight-update.mp4") > 1.0
    for seed in (1, 3, 4):
        with Image.open(out / NAMES[seed - 1] / "weight-update.png") as picture:
            picture.load()  # a whole PNG, not the older file's bytes
            assert picture.size[0] > 100
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", *NAMES], "nothing hidden is left"
    assert sorted(stdout.split()) == [str(out / "manifest.json")] + [str(out / name) for name in NAMES]
    print(f"batch with four kills: {seconds:.1f} s")


def _plays(video: Path) -> float:
    """Seconds of video that decode to the end (PyAV, Manim's own encoder)."""
    import av

    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return frames / float(stream.average_rate)


def _modules_loaded() -> dict:
    return {"manim": "manim" in sys.modules, "stories": "convprop.scenes.registry" in sys.modules,
            "parent": os.getppid()}


def test_the_local_cluster_forks_its_workers_from_a_server_with_manim_loaded():
    from convprop.farm.batch import _client, worker_start_method

    if worker_start_method() != "forkserver":
        pytest.skip("no fork server on this platform; workers are spawned")
    with _client(None, 1, needed=True) as client:
        seen = list(client.run(_modules_loaded).values())  # before any job, and before warm()
    assert seen and all(worker["manim"] and worker["stories"] for worker in seen), seen
    assert all(worker["parent"] != os.getpid() for worker in seen), "forked by the server, not by this process"


def _terminal_sigint():
    """SIGINT at its default in the batch, as from a terminal. An ignored SIGINT is inherited, and
    convprop keeps it ignored (a background job's): a test run before this one in the same worker
    may have left it so, and the batch then never saw the Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def test_an_interrupted_batch_leaves_no_attempt_behind(tmp_path):
    """Ctrl-C while a job is at work: the cluster goes down with that attempt unfinished, and
    its scratch directory goes with it (the sweep after shutdown, not a later run's)."""
    (tmp_path / "jobs.toml").write_text(TINY.split("[[job]]")[1].join(["[[job]]", ""]).replace('"1,3,4"', '"1"'))
    out, hold = tmp_path / "out", tmp_path / "hold"
    hold.mkdir()
    (hold / f"{NAMES[0]}.move").touch()
    batch = subprocess.Popen([*CONVPROP, "batch", "jobs.toml", "--workers", "1", "--quiet", "--output", "out"],
                             cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT), HOLD: str(hold)}, preexec_fn=_terminal_sigint)
    try:
        deadline = time.monotonic() + 300
        while not list(hold.glob("*.move.*")) and batch.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        held = list(hold.glob("*.move.*"))
        assert held and _scratch_of(out), "the job was seen finished in its scratch directory"
        batch.send_signal(signal.SIGINT)
        stdout, stderr = batch.communicate(timeout=120)
    finally:
        batch.kill()
    assert batch.returncode == 2 and stderr.strip() == "Error: interrupted; nothing was written", stderr
    assert list(out.iterdir()) == [], "no job folder, no manifest, no scratch directory"
