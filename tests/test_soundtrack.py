"""The narrated sound track, finished and joined by ffmpeg, measured by ffmpeg and ffprobe.

No scene renders here: the picture is ffmpeg's test pattern and the voice a tone, so each claim
is checked in a second or two. A section's track is cut or padded to its frames, so each
section's sound starts with its first frame, and the joined track lasts exactly as long as
the joined picture, as the sequential lecture's track does (it is padded to the same frames).
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

from convprop.scenes.soundtrack import finish, join_tracks

FPS = 15


def ffmpeg(*args) -> str:
    done = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-y", *map(str, args)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-800:]
    return done.stderr


def probe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=codec_type,codec_name,sample_rate,duration",
                          "-of", "json", str(path)], capture_output=True, text=True, check=True).stdout
    return {s["codec_type"]: s for s in json.loads(out)["streams"]}


def onsets(path: Path) -> list[float]:
    err = ffmpeg("-i", path, "-vn", "-af", "silencedetect=n=-50dB:d=0.1", "-f", "null", "-")
    starts = [float(x) for x in re.findall(r"silence_start: (-?[0-9.]+)", err)]
    ends = [float(x) for x in re.findall(r"silence_end: ([0-9.]+)", err)]
    return ([] if starts and starts[0] <= 0.001 else [0.0]) + ends


def tone(path: Path, seconds: float, rate: int = 22050) -> Path:
    """A 0.3 s tone, then silence, ``seconds`` long in all (at another rate than the lecture's)."""
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:sample_rate={rate}:duration=0.3", "-af",
           f"apad=whole_dur={seconds}", path)
    return path


def picture(path: Path, frames: int) -> Path:
    codec = ["-c:v", "libx264", "-pix_fmt", "yuv420p"] if path.suffix == ".mp4" else ["-c:v", "libvpx-vp9"]
    ffmpeg("-f", "lavfi", "-i", f"testsrc=size=160x120:rate={FPS}", "-frames:v", frames, *codec, path)
    return path


@pytest.fixture(scope="module")
def joined(tmp_path_factory):
    """Three sections: a track longer than its section, one shorter, one as long."""
    work = tmp_path_factory.mktemp("tracks")
    frames = [20, 31, 9]
    tracks = [tone(work / "a.wav", 2.5), tone(work / "b.wav", 1.2), tone(work / "c.wav", 0.6)]
    return join_tracks(tracks, [f / FPS for f in frames], work / "joined.wav"), frames


def test_each_section_sounds_from_its_first_frame(joined):
    track, frames = joined
    assert float(probe(track)["audio"]["duration"]) == pytest.approx(sum(frames) / FPS, abs=1 / 48_000)
    starts = [sum(frames[:i]) / FPS for i in range(len(frames))]
    found = [t for t in onsets(track) if t < sum(frames) / FPS - 0.01]  # silence also "ends" with the file
    assert len(found) == len(starts)
    for at, heard in zip(starts, found):
        assert heard == pytest.approx(at, abs=0.02)


@pytest.mark.parametrize("suffix, codec", [(".mp4", "aac"), (".webm", "opus")])
def test_the_finished_track_lasts_as_the_picture_at_minus_16_lufs(tmp_path, joined, suffix, codec):
    track, frames = joined
    video = finish(picture(tmp_path / f"v{suffix}", sum(frames)), track)
    found = probe(video)
    audio = found["audio"]
    assert (audio["codec_name"], audio["sample_rate"]) == (codec, "48000")
    shown = sum(frames) / FPS
    heard = float(audio.get("duration") or _container_audio_seconds(video))
    assert abs(heard - shown) <= 1 / FPS
    err = ffmpeg("-i", video, "-vn", "-af", "ebur128", "-f", "null", "-")
    assert float(re.search(r"Summary:.*?I:\s+(-?[0-9.]+) LUFS", err, re.S).group(1)) == pytest.approx(-16, abs=1)


def _container_audio_seconds(path: Path) -> float:
    """A webm stream carries no duration of its own: the last audio packet's end, by ffprobe."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                          "packet=pts_time,duration_time", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True).stdout.split()
    pts, length = out[-1].split(",")[:2]
    return float(pts) + float(length)
