"""A narrated lecture rendered in parallel for real: `convprop lecture --voice espeak-ng --jobs 2`.

Two sections at a tiny input, rendered in two processes and joined. Measured by ffprobe and
ffmpeg: the joined audio lasts as the joined picture to a frame, which is the sum of the
section clips' frames (the sequential lecture's track is padded to the same frames, so the two
last alike); speech starts within 0.15 s of every caption cue, across the section join too;
the captions are the sections' scripts one after the other.
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
from convprop.scenes.render_lecture import lecture_scene
from convprop.scenes.script import tell
from tests.once import made_once

pytestmark = pytest.mark.xdist_group("narrated-lecture")  # its module fixture, on one worker
CONVPROP = Path(sys.executable).parent / "convprop"
SCENES = ("forward-pass", "loss-gradient")  # a scene of clause-by-clause steps, then the shortest
TINY = ("--input-size", "2", "--kernel-size", "2", "--stride", "1")  # one window: the steps are said once
FPS = 15


def _render(work: Path):
    env = {**os.environ, "XDG_CACHE_HOME": str(work / "cache")}
    done = subprocess.run([str(CONVPROP), "lecture", "--scenes", ",".join(SCENES), *TINY, "--voice", "espeak-ng",
                           "--jobs", "2", "--output", "out", "--quiet"], cwd=work, env=env, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def lecture(tmp_path_factory):
    return made_once(tmp_path_factory, "narrated-lecture", _render) / "out"


def seconds(path: Path, kind: str) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", f"{kind}:0", "-show_entries",
                          "stream=duration,codec_name,sample_rate", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return float(json.loads(out)["streams"][0]["duration"])


def frames(path: Path) -> int:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                          "stream=nb_read_packets", "-of", "csv=p=0", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return int(out.strip())


def test_the_joined_audio_lasts_as_the_sections_frames(lecture):
    video = lecture / "lecture.mp4"
    clips = sorted((lecture / "lecture-sections").glob("*.mp4"))
    assert len(clips) == len(SCENES)
    shown = sum(frames(clip) for clip in clips) / FPS
    assert abs(seconds(video, "v") - shown) <= 1 / FPS
    assert abs(seconds(video, "a") - shown) <= 1 / FPS


def test_speech_starts_at_every_cue_across_the_join(lecture):
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-i", str(lecture / "lecture.mp4"), "-vn", "-af",
                          "silencedetect=n=-50dB:d=0.3", "-f", "null", "-"], capture_output=True, text=True).stderr
    starts = [float(x) for x in re.findall(r"silence_start: (-?[0-9.]+)", err)]
    onsets = ([] if starts and starts[0] <= 0.001 else [0.0]) + [float(x) for x in re.findall(r"silence_end: ([0-9.]+)", err)]
    cues = list(srt.parse((lecture / "lecture.srt").read_text(encoding="utf-8")))
    for cue in cues:
        at = cue.start.total_seconds()
        assert min(abs(t - at) for t in onsets) <= 0.15, f"no speech starts near the cue at {at:.3f} s"
    lesson = run_lesson(ModelConfig(input_size=(2, 2), kernel_size=(2, 2), stride=(1, 1)))
    script = [line.written for name in SCENES for line in tell(lecture_scene([name]), lesson)]
    assert [cue.content for cue in cues] == script
