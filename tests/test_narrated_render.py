"""A narrated render for real: `convprop render weight-update --voice espeak-ng` at a tiny input.

One render (about a minute at low quality), then ffmpeg and ffprobe measure what it made, never
the code that made it: the audio stream (AAC, 48 kHz) lasts as long as the video, to a frame;
``silencedetect`` finds speech starting within 0.15 s of every caption cue and silence before
every cue after the first (no sentence runs into the next), and within each worked weight's
beat, said a clause per step, speech starting within 0.15 s of every step's start, after a
silence; ``ebur128`` reads -16 LUFS
integrated, within 1 LU. The captions are the narration's sentences, with Unicode names, in
the order the script gives them.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import srt

from convprop.mathcore.config import ModelConfig
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.narrated import plan_for
from convprop.scenes.registry import SCENES
from convprop.scenes.script import tell
from convprop.scenes.voice import choose_voice
from tests.once import made_once

pytestmark = pytest.mark.xdist_group("narrated-render")  # its module fixture, on one worker
CONVPROP = Path(sys.executable).parent / "convprop"
TINY = ("--input-size", "3", "--kernel-size", "2", "--stride", "1")
FPS = 15  # low quality
TOLERANCE = 0.15


def _render(work: Path):
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    done = subprocess.run([str(CONVPROP), "render", "weight-update", *TINY, "--voice", "espeak-ng", "--output", "out",
                           "--quiet"], cwd=work, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return made_once(tmp_path_factory, "narrated-render", _render) / "out"


def ffmpeg_err(*args) -> str:
    return subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", *args], capture_output=True, text=True).stderr


def streams(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,sample_rate,duration",
                          "-of", "json", str(path)], capture_output=True, text=True, check=True).stdout
    return {s["codec_type"]: s for s in json.loads(out)["streams"]}


def cues(out: Path) -> list:
    return list(srt.parse((out / "weight-update.srt").read_text(encoding="utf-8")))


def test_the_audio_lasts_as_long_as_the_video(rendered):
    found = streams(rendered / "weight-update.mp4")
    audio, video = found["audio"], found["video"]
    assert (audio["codec_name"], audio["sample_rate"]) == ("aac", "48000")
    assert abs(float(audio["duration"]) - float(video["duration"])) <= 1 / FPS


def test_speech_starts_at_every_cue_and_ends_before_the_next(rendered):
    err = ffmpeg_err("-i", str(rendered / "weight-update.mp4"), "-vn", "-af", "silencedetect=n=-50dB:d=0.3",
                     "-f", "null", "-")
    starts = [float(x) for x in re.findall(r"silence_start: (-?[0-9.]+)", err)]
    ends = [float(x) for x in re.findall(r"silence_end: ([0-9.]+)", err)]
    onsets = ([] if starts and starts[0] <= 0.001 else [0.0]) + ends
    times = [cue.start.total_seconds() for cue in cues(rendered)]
    assert len(times) >= 5
    for i, at in enumerate(times):
        nearest = min(onsets, key=lambda t: abs(t - at))
        assert abs(nearest - at) <= TOLERANCE, f"cue {i + 1} at {at:.3f} s, speech starts at {nearest:.3f} s"
        if i:
            assert any(times[i - 1] < s < at for s in starts), f"cue {i + 1} at {at:.3f} s starts mid-sentence"


def test_each_step_starts_when_its_clause_is_said(rendered):
    """Each step's start is the narrator's record of the beats told with the render's own clips
    (from its voice cache), as an offset from its beat's start, which is the render's caption cue:
    the render's frames round each animation by under a frame, so its clock runs a little ahead
    of the record over a whole scene, but not within a beat."""
    lesson = run_lesson(ModelConfig(input_size=(3, 3), kernel_size=(2, 2), stride=(1, 1)))
    voice = choose_voice("espeak-ng", cache=rendered.parent / "cache" / "convprop" / "voice")
    lines = tell(SCENES["weight-update"], lesson, clips=plan_for(SCENES["weight-update"], lesson, voice=voice).clips)
    stepped = [line for line in lines if len(line.starts) > 1]
    assert [len(line.starts) for line in stepped] == [3, 3]  # the worked weights: cell, formula, result
    err = ffmpeg_err("-i", str(rendered / "weight-update.mp4"), "-vn", "-af", "silencedetect=n=-50dB:d=0.2",
                     "-f", "null", "-")
    quiet = [float(x) for x in re.findall(r"silence_start: (-?[0-9.]+)", err)]
    onsets = [float(x) for x in re.findall(r"silence_end: ([0-9.]+)", err)]
    beats = {line.id: cue.start.total_seconds() for line, cue in zip(lines, cues(rendered))}
    for line in stepped:
        steps = [beats[line.id] + start - line.start for start in line.starts]
        for n, at in enumerate(steps):
            nearest = min(onsets, key=lambda t: abs(t - at))
            assert abs(nearest - at) <= TOLERANCE, f"{line.clause_ids[n]} starts at {at:.3f} s, speech at {nearest:.3f} s"
            if n:
                assert any(steps[n - 1] < s < at for s in quiet), f"{line.clause_ids[n]} runs into the clause before"


def test_the_loudness_is_minus_16_lufs(rendered):
    err = ffmpeg_err("-i", str(rendered / "weight-update.mp4"), "-vn", "-af", "ebur128", "-f", "null", "-")
    integrated = float(re.search(r"Summary:.*?I:\s+(-?[0-9.]+) LUFS", err, re.S).group(1))
    assert abs(integrated - (-16.0)) <= 1.0


def test_the_captions_are_the_narration_in_unicode(rendered):
    lesson = run_lesson(ModelConfig(input_size=(3, 3), kernel_size=(2, 2), stride=(1, 1)))
    written = [line.written for line in tell(SCENES["weight-update"], lesson)]
    assert [cue.content for cue in cues(rendered)] == written
    vtt = (rendered / "weight-update.vtt").read_text(encoding="utf-8")
    assert "∂L/∂W" in vtt and "w₁" in vtt and "ŷ" in vtt and "y_hat" not in vtt
