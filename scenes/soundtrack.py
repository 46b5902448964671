"""A narrated video's sound track finished by ffmpeg: as long as the picture, -16 LUFS, 48 kHz.

Manim lays each beat's clip into one track at the beat's start (``Scene.add_sound``), which a
narrated scene writes out as a WAV instead of letting Manim mux it (``scenes.narrated``). Here a
track is made what a viewer's player expects and muxed into the movie: padded with silence
to the video's length exactly (Manim's stops at the last word), brought to -16 LUFS integrated
by ffmpeg's ``loudnorm`` in two passes (measure, then a linear gain: the clips are at -16
already, so this only corrects their sum), and encoded at 48 kHz: AAC in mp4, Opus in webm.
The picture is copied, never re-encoded.
"""

import json
import os
import subprocess
from pathlib import Path

from convprop.scenes.voice.sound import RATE, TARGET_LUFS, TRUE_PEAK, SoundError

CODECS = {".mp4": ("aac", "-b:a", "160k"), ".webm": ("libopus", "-b:a", "96k")}
_LOUDNORM = f"loudnorm=I={TARGET_LUFS}:TP={TRUE_PEAK}:LRA=20"


def _ffmpeg(*args) -> str:
    done = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-y", *map(str, args)], capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SoundError(f"ffmpeg could not finish the sound track ({last})")
    return done.stderr


def video_seconds(path: Path) -> float:
    """The video stream's duration, by ffprobe (frames over rate when the stream has no duration)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets", "-show_entries",
                          "stream=nb_read_packets,r_frame_rate", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    stream = json.loads(out)["streams"][0]
    num, den = stream["r_frame_rate"].split("/")
    return int(stream["nb_read_packets"]) * int(den) / int(num)


def finish(video: Path, track: Path) -> Path:
    """Give ``video`` the sound of ``track`` finished (see the module's docstring): a narrated
    scene's WAV, the parallel lecture's joined sections, or another video's sound (a course's)."""
    video = Path(video)
    codec = CODECS.get(video.suffix)
    if codec is None:
        return video
    seconds = video_seconds(video)
    source = Path(track)
    padded = f"aformat=channel_layouts=mono,apad,atrim=end={seconds:.6f}"
    measured = _ffmpeg("-i", source, "-vn", "-af", f"{padded},{_LOUDNORM}:print_format=json", "-f", "null", "-")
    m = json.loads(measured[measured.rindex("{"):measured.rindex("}") + 1])
    gain = (f"{_LOUDNORM}:measured_I={m['input_i']}:measured_TP={m['input_tp']}:measured_LRA={m['input_lra']}"
            f":measured_thresh={m['input_thresh']}:offset={m['target_offset']}:linear=true")
    finished = video.with_name(f"finished-{video.name}")
    _ffmpeg("-i", video, "-i", source, "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", "-af",
            f"{padded},{gain},aresample={RATE},aformat=sample_rates={RATE}:channel_layouts=mono", "-ar", RATE, "-ac", 1, "-c:a", codec[0], *codec[1:], "-t", f"{seconds:.6f}",
            finished)
    os.replace(finished, video)
    return video


def join_tracks(tracks: list[Path], seconds: list[float], target: Path) -> Path:
    """The sections' tracks one after another, each padded or cut to its section's ``seconds``
    (its frames over the frame rate), so every section's sound starts with its first frame."""
    inputs = [arg for track in tracks for arg in ("-i", track)]
    parts = ";".join(f"[{i}:a]aformat=sample_rates={RATE}:channel_layouts=mono,apad,atrim=end={s:.6f},"
                     f"asetpts=N/SR/TB[a{i}]" for i, s in enumerate(seconds))
    joined = "".join(f"[a{i}]" for i in range(len(tracks)))
    _ffmpeg(*inputs, "-filter_complex", f"{parts};{joined}concat=n={len(tracks)}:v=0:a=1[out]", "-map", "[out]",
            "-c:a", "pcm_s16le", "-ar", RATE, target)
    return target
