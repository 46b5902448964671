"""The lecture rendered section by section in two processes equals the lecture rendered in one:
the same duration (within one frame), the same captions, the same clips, the same pixels.

Two short scenes on a tiny lesson (a 3x3 input, a 2x2 kernel) stand for the lecture: enough for a
second section whose captions must be moved by the first section's length, at a fraction of the
whole lecture's render time.
"""

import json
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest

from convprop.scenes.render_lecture import render_lecture
from convprop.progress import Meter
from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson

pytestmark = pytest.mark.xdist_group("parallel-lecture")

SCENES = ["loss-gradient", "chain-rule"]
TINY = ModelConfig(input_size=(3, 3), kernel_size=(2, 2), stride=(1, 1))
FPS = 15  # low quality
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def lectures(tmp_path_factory):
    """{jobs: (output directory, results)} for one process and for two; METERS[jobs] counted them."""
    lesson = run_lesson(TINY)
    made = {}
    # two processes first: before this process has rendered anything (no thread of Manim's
    # progress bars yet), the worker forks, as it does under the command
    for jobs in (2, 1):
        out = tmp_path_factory.mktemp(f"lecture-jobs-{jobs}")
        METERS[jobs] = Meter()
        made[jobs] = out, render_lecture(lesson, "low", "mp4", out, jobs=jobs, scenes=SCENES, meter=METERS[jobs])
    return made


METERS = {}


def frames(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def duration(video: Path) -> float:
    with av.open(str(video)) as container:
        return container.duration / av.time_base


def test_both_lay_out_the_same_files(lectures):
    (one, seq), (two, par) = lectures[1], lectures[2]
    assert set(seq) == set(par) == {"video", "sections", "captions"}
    for key in ("video", "sections", "captions"):
        relative = lambda paths, root: [Path(p).relative_to(root) for p in (paths if isinstance(paths, list) else [paths])]  # noqa: E731
        assert relative(seq[key], one) == relative(par[key], two)
    assert sorted(p.name for p in two.iterdir()) == ["lecture-sections", "lecture.mp4", "lecture.srt", "lecture.vtt"]
    assert [clip.name for clip in par["sections"]] == ["lecture_0000_loss-gradient.mp4", "lecture_0001_chain-rule.mp4"]


def test_same_duration_within_one_frame(lectures):
    (_, seq), (_, par) = lectures[1], lectures[2]
    assert abs(duration(seq["video"]) - duration(par["video"])) <= 1 / FPS
    assert len(frames(seq["video"])) == len(frames(par["video"]))


def test_same_captions_with_the_second_section_moved_by_the_first(lectures):
    (_, seq), (_, par) = lectures[1], lectures[2]
    for sequential, parallel in zip(seq["captions"], par["captions"]):
        assert Path(parallel).read_text() == Path(sequential).read_text()
    import srt

    index = json.loads((par["sections"][0].parent / "lecture.json").read_text())
    first_ends = int(index[0]["nb_frames"]) / FPS
    starts = [s.start.total_seconds() for s in srt.parse(Path(par["captions"][0]).read_text())]
    assert starts == sorted(starts) and starts[0] < first_ends < starts[-1]
    second = [t for t in starts if t >= first_ends - 0.5 / FPS]
    assert second and abs(second[0] - first_ends) < 0.01  # the second section's first beat opens it


def test_same_section_index(lectures):
    (_, seq), (_, par) = lectures[1], lectures[2]
    read = lambda results: json.loads((results["sections"][0].parent / "lecture.json").read_text())  # noqa: E731
    assert read(par) == read(seq)


def test_same_pixels_at_ten_timestamps(lectures):
    (_, seq), (_, par) = lectures[1], lectures[2]
    sequential, parallel = frames(seq["video"]), frames(par["video"])
    total = len(sequential) / FPS
    for k in range(10):
        at = total * (k + 0.5) / 10
        i = min(int(at * FPS), len(sequential) - 1)
        assert np.array_equal(sequential[i], parallel[i]), f"frame at {at:.2f} s differs"


def test_section_clips_equal_frame_for_frame_in_number(lectures):
    (_, seq), (_, par) = lectures[1], lectures[2]
    for a, b in zip(seq["sections"], par["sections"]):
        assert len(frames(a)) == len(frames(b))


def test_progress_counts_every_animation_and_section_in_both(lectures):
    assert METERS[1].steps == METERS[2].steps == len(SCENES)
    assert METERS[1].animations == METERS[2].animations > 10


def test_jobs_must_be_at_least_one(tmp_path):
    done = subprocess.run([sys.executable, "-c", "from convprop import cli; cli.main()", "lecture", "--jobs", "0",
                           "--output", str(tmp_path / "out")], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "--jobs" in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_section_alone_writes_its_clip_and_no_whole_movie(tmp_path):
    """The parallel lecture joins the clips itself: a section's render leaves out Manim's movie."""
    from convprop.scenes.render_lecture import NAME, lecture_scene, played
    from convprop.scenes.render import render_scene

    made = render_scene(played(lecture_scene(["loss-gradient"]), Meter()), run_lesson(), NAME, "low", "mp4",
                        tmp_path, sections=True, movie=False)
    assert "video" not in made and [clip.name for clip in made["sections"]] == ["lecture_0000_loss-gradient.mp4"]
    assert (tmp_path / f"{NAME}-sections").is_dir() and not list(tmp_path.glob("*.mp4"))
    with pytest.raises(ValueError, match="movie=False"):
        render_scene(played(lecture_scene(["loss-gradient"]), Meter()), run_lesson(), NAME, "low", "png",
                     tmp_path / "png", sections=True, movie=False)
    assert not (tmp_path / "png").exists()


def test_workers_fork_only_while_no_other_thread_runs():
    import threading

    from convprop.scenes.render_lecture import _start_method

    alone = threading.active_count() == 1 and sys.platform.startswith("linux")
    assert _start_method().get_start_method() == ("fork" if alone else "spawn")
    other = threading.Event()
    runner = threading.Thread(target=other.wait)
    runner.start()
    try:
        assert _start_method().get_start_method() == "spawn"
    finally:
        other.set()
        runner.join()
