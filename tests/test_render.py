"""A real render through the CLI: the files appear, whole, with the expected size and length."""

import subprocess
import sys
from pathlib import Path

import av
import pytest

CONVPROP = [sys.executable, "-c", "from convprop import cli; cli.main()"]
ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd):
    return subprocess.run([*CONVPROP, *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def low_quality_video(tmp_path_factory):
    out = tmp_path_factory.mktemp("render")
    result = run("render", "forward-pass", "--quality", "low", "--output", str(out), cwd=out)
    assert result.returncode == 0, result.stderr
    return out, result.stdout.split()


def test_low_quality_mp4_opens_with_expected_resolution_and_duration(low_quality_video):
    out, printed = low_quality_video
    video = out / "forward-pass.mp4"
    assert str(video) in printed
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        assert container.duration / av.time_base > 5


def test_captions_are_written_beside_the_video(low_quality_video):
    out, printed = low_quality_video
    captions = out / "forward-pass.srt"
    assert str(captions) in printed
    text = captions.read_text()
    assert "Step 1" in text and "-->" in text
    webvtt = out / "forward-pass.vtt"  # the same cues as WebVTT, for browsers and LMSs
    assert str(webvtt) in printed
    vtt = webvtt.read_text()
    assert vtt.startswith("WEBVTT\n") and vtt.count("-->") == text.count("-->")
    assert text.replace(",", ".").split("\n")[1] == vtt.split("\n\n")[1].split("\n")[1]  # first cue's timing


def test_only_finished_files_are_left_in_the_output_directory(low_quality_video):
    out, _ = low_quality_video
    assert sorted(p.name for p in out.iterdir()) == ["forward-pass.mp4", "forward-pass.srt", "forward-pass.vtt"]


def test_png_is_the_last_frame_at_the_chosen_quality(tmp_path):
    result = run("render", "forward-pass", "--format", "png", "--input-size", "6", "--padding", "1",
                 "--output", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    image = tmp_path / "forward-pass.png"
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with av.open(str(image)) as container:
        frame = next(container.decode(video=0))
        assert (frame.width, frame.height) == (854, 480)


def test_lecture_has_one_clip_per_scene_and_captions(tmp_path):
    from convprop.scenes.registry import SCENES

    # every scene, each of a tiny lesson: what is checked is the lecture's making, not one lesson's
    # length (every scene's default lesson is walked by test_scenes_onscreen, and rendered by `make demo`)
    result = run("lecture", "--input-size", "3", "--kernel-size", "2", "--stride", "1", "--output", str(tmp_path),
                 cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    printed = result.stdout.split()
    video, captions = tmp_path / "lecture.mp4", tmp_path / "lecture.srt"
    clips = sorted((tmp_path / "lecture-sections").glob("*.mp4"))
    assert printed == [str(video), *map(str, clips), str(captions), str(captions.with_suffix(".vtt"))]
    assert [clip.stem.split("_", 2)[2] for clip in clips] == list(SCENES)
    with av.open(str(video)) as container:
        total = container.duration / av.time_base
    parts = []
    for clip in clips:
        with av.open(str(clip)) as container:
            parts.append(container.duration / av.time_base)
    assert min(parts) > 1 and abs(sum(parts) - total) < 0.5 * len(parts)
    assert captions.read_text().count("-->") >= 2 * len(clips)
