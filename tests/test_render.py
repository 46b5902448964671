"""A real render through the CLI: the files appear, whole, with the expected size and length.

What is checked is the command's making of its files, not one lesson's length: the renders are
of the shortest scenes (loss-gradient, and weight-update beside it in the lecture) on a tiny
lesson (a 3x3 input, a 2x2 kernel). Every scene's default lesson is walked by
test_scenes_onscreen and rendered by `make demo`; the last-frame PNG is checked where
test_leftovers renders one.
"""

import json
import subprocess
import sys
from pathlib import Path

import av
import pytest

from tests.once import made_once

CONVPROP = [sys.executable, "-c", "from convprop import cli; cli.main()"]
ROOT = Path(__file__).resolve().parent.parent
TINY = ("--input-size", "3", "--kernel-size", "2", "--stride", "1")
SCENE = "loss-gradient"


def run(*args, cwd):
    return subprocess.run([*CONVPROP, *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


def duration(video: Path) -> float:
    with av.open(str(video)) as container:
        return container.duration / av.time_base


def _render(folder: Path) -> None:
    out = folder / "out"
    out.mkdir()
    result = run("render", SCENE, "--quality", "low", *TINY, "--output", str(out), cwd=out)
    assert result.returncode == 0, result.stderr
    (folder / "printed.txt").write_text(result.stdout)


@pytest.fixture(scope="module")
def low_quality_video(tmp_path_factory):
    """The render's folder and the lines it printed; rendered once a process (tests/once.py), and
    its tests kept on one worker by their xdist_group."""
    folder = made_once(tmp_path_factory, "render-loss-gradient", _render)
    return folder / "out", (folder / "printed.txt").read_text().split()


SHARED = pytest.mark.xdist_group("render")


@SHARED
def test_low_quality_mp4_opens_with_expected_resolution_and_duration(low_quality_video):
    out, printed = low_quality_video
    video = out / f"{SCENE}.mp4"
    assert str(video) in printed
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
    assert duration(video) > 5


@SHARED
def test_captions_are_written_beside_the_video(low_quality_video):
    out, printed = low_quality_video
    captions = out / f"{SCENE}.srt"
    assert str(captions) in printed
    text = captions.read_text()
    assert "ŷ" in text and text.count("-->") >= 2
    webvtt = out / f"{SCENE}.vtt"  # the same cues as WebVTT, for browsers and LMSs
    assert str(webvtt) in printed
    vtt = webvtt.read_text()
    assert vtt.startswith("WEBVTT\n") and vtt.count("-->") == text.count("-->")
    assert text.replace(",", ".").split("\n")[1] == vtt.split("\n\n")[1].split("\n")[1]  # first cue's timing


@SHARED
def test_only_finished_files_are_left_in_the_output_directory(low_quality_video):
    out, _ = low_quality_video
    assert sorted(p.name for p in out.iterdir()) == [f"{SCENE}.mp4", f"{SCENE}.srt", f"{SCENE}.vtt"]


def test_the_lecture_without_scenes_tells_every_scene_in_lecture_order(tmp_path, monkeypatch):
    """No render: the command's choice of scenes, as it reaches the lecture's renderer."""
    from click.testing import CliRunner

    import convprop.scenes.render_lecture as render_lecture
    from convprop.cli import cli
    from convprop.scenes.registry import SCENES

    asked = []
    monkeypatch.setattr(render_lecture, "render_lecture",
                        lambda *args, scenes=None, **kwargs: asked.append(scenes) or {})
    result = CliRunner().invoke(cli, ["lecture", "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert asked == [list(SCENES)]


def test_a_lecture_of_chosen_scenes_has_one_clip_per_scene_and_captions(tmp_path):
    # two scenes, named out of lecture order: the lecture tells them in its own order, and those only
    result = run("lecture", "--scenes", "weight-update,loss-gradient", *TINY, "--jobs", "1",
                 "--output", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.split()
    video, captions = tmp_path / "lecture.mp4", tmp_path / "lecture.srt"
    clips = sorted((tmp_path / "lecture-sections").glob("*.mp4"))
    assert printed == [str(video), *map(str, clips), str(captions), str(captions.with_suffix(".vtt"))]
    assert [clip.stem.split("_", 2)[2] for clip in clips] == ["loss-gradient", "weight-update"]
    sections = json.loads((tmp_path / "lecture-sections" / "lecture.json").read_text())
    assert [section["name"] for section in sections] == ["loss-gradient", "weight-update"]
    parts = [duration(clip) for clip in clips]
    assert min(parts) > 1 and abs(sum(parts) - duration(video)) < 0.5 * len(parts)
    assert captions.read_text().count("-->") >= 2 * len(clips)
