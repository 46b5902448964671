"""A narrated video's sound track finished by ffmpeg: as long as the picture, -16 LUFS, 48 kHz.

Manim lays each beat's clip into one track at the beat's start (``Scene.add_sound``) and muxes
it into the movie. Here that track is made what a viewer's player expects: padded with silence
to the video's length exactly (Manim's stops at the last word), brought to -16 LUFS integrated
by ffmpeg's ``loudnorm`` in two passes (measure, then a linear gain: the clips are at -16
already, so this only corrects their sum), and encoded at 48 kHz: AAC in mp4, Opus in webm.
The picture is copied, never re-encoded.
"""

import json
import logging
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


class _UnusedMuxOptions(logging.Filter):
    """Manim passes ffmpeg's command-line ``-shortest`` to its muxer, which ignores it and says so
    on every narrated render; the track is cut to the picture here instead, so the word is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.getMessage()).startswith("Some options were not used")


def quiet_manim_mux() -> None:
    manim_log = logging.getLogger("manim")
    if not any(isinstance(f, _UnusedMuxOptions) for f in manim_log.filters):
        manim_log.addFilter(_UnusedMuxOptions())


def finish(video: Path) -> Path:
    """Replace ``video``'s sound track by the finished one (see the module's docstring)."""
    video = Path(video)
    codec = CODECS.get(video.suffix)
    if codec is None:
        return video
    seconds = video_seconds(video)
    padded = f"aformat=channel_layouts=mono,apad,atrim=end={seconds:.6f}"
    measured = _ffmpeg("-i", video, "-vn", "-af", f"{padded},{_LOUDNORM}:print_format=json", "-f", "null", "-")
    m = json.loads(measured[measured.rindex("{"):measured.rindex("}") + 1])
    gain = (f"{_LOUDNORM}:measured_I={m['input_i']}:measured_TP={m['input_tp']}:measured_LRA={m['input_lra']}"
            f":measured_thresh={m['input_thresh']}:offset={m['target_offset']}:linear=true")
    finished = video.with_name(f"finished-{video.name}")
    _ffmpeg("-i", video, "-map", "0:v:0", "-map", "0:a:0", "-c:v", "copy", "-af",
            f"{padded},{gain},aresample={RATE}", "-ar", RATE, "-c:a", codec[0], *codec[1:], "-t", f"{seconds:.6f}",
            finished)
    os.replace(finished, video)
    return video
