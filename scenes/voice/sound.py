"""Every clip made ready for the lecture's sound track by ffmpeg: trimmed, levelled, 48 kHz.

A clip, synthesised or recorded, comes out as 48 kHz mono 16-bit WAV:
- silence before the first word and after the last is cut, leaving LEAD seconds in front,
  so a clip starts speaking when it starts playing (a caption cue can be the clip's start);
- a gentle compressor evens out the speech (a synthetic voice's peaks stand 20 dB over its
  loudness; -16 LUFS with peaks under -1.5 dBTP needs no more than 14.5);
- ffmpeg's ``loudnorm`` brings it to -16 LUFS integrated, in two passes (measure, then apply).
  ``loudnorm`` needs three seconds of signal, so a short clip is padded with silence for it,
  which the gating of integrated loudness ignores, and the padding is trimmed off again. Even so
  a clip under three seconds can come out a few LU off (the blocks that straddle its end count
  at a lower level), so its level is measured again with ``ebur128``, looped to six seconds (a
  clip under 0.4 s has no ebur128 block of its own), and corrected by a gain.

Loudness is measured with ffmpeg's ``ebur128`` (``measure``), never computed here.
"""

import json
import re
import shutil
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from convprop.scenes.voice.clips import VoiceError

RATE = 48_000
TARGET_LUFS = -16.0
TRUE_PEAK = -1.5
LEAD = 0.05  # seconds of silence kept before the first word
SILENCE_DB = -50
SHORT = 3.0  # seconds: loudnorm's window; a shorter clip's level is checked by ebur128 and corrected
LOOPED = 6.0  # seconds a short clip is looped to, to be measured
_WAV = ("-ar", RATE, "-ac", 1, "-c:a", "pcm_s16le", "-f", "wav")
_TRIM = (f"silenceremove=start_periods=1:start_threshold={SILENCE_DB}dB:start_silence={LEAD}")
_LEVEL = "acompressor=threshold=0.1:ratio=3:attack=3:release=60"
_LOUDNORM = f"loudnorm=I={TARGET_LUFS}:TP={TRUE_PEAK}:LRA=20"
# Everything the output depends on besides the input: part of every cache key.
SETTINGS = f"{RATE} {_TRIM} {_LEVEL} {_LOUDNORM} pad4 s16 mono short{SHORT} looped{LOOPED}"


class SoundError(VoiceError):
    """ffmpeg cannot read or process an audio file; the message is one line naming it."""


def _ffmpeg() -> str:
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise SoundError("ffmpeg is not installed; install it (Debian: apt-get install ffmpeg) and run again")
    return exe


def _run(source: Path, *args, looped: bool = False) -> str:
    loop = ("-stream_loop", "-1", "-t", str(LOOPED)) if looped else ()
    done = subprocess.run([_ffmpeg(), "-hide_banner", "-nostdin", "-y", *loop, "-i", str(source), *map(str, args)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise SoundError(f"'{source}' cannot be read as audio ({last})")
    return done.stderr


def _chain(*filters: str) -> str:
    """Trim both ends (the tail by trimming the reversed clip), level, pad for loudnorm."""
    trimmed = f"{_TRIM},areverse,{_TRIM},areverse"
    return ",".join([f"aformat=channel_layouts=mono,{trimmed},{_LEVEL},apad=whole_dur=4", *filters])


def _loudnorm_json(stderr: str) -> dict:
    return json.loads(stderr[stderr.rindex("{"):stderr.rindex("}") + 1])


def normalise(source: Path, target: Path) -> float:
    """Write ``source`` as the lecture's clip format to ``target`` (a .wav); return its seconds.

    SoundError when ffmpeg cannot read it, or when nothing louder than silence is left.
    """
    measured = _loudnorm_json(_run(source, "-af", _chain(_LOUDNORM + ":print_format=json"), "-f", "null", "-"))
    if measured["input_i"] in ("-inf", "inf") or float(measured["input_i"]) < -70:
        raise SoundError(f"'{source}' is silent (no sound above {SILENCE_DB} dB)")
    applied = (f"{_LOUDNORM}:measured_I={measured['input_i']}:measured_TP={measured['input_tp']}"
               f":measured_LRA={measured['input_lra']}:measured_thresh={measured['input_thresh']}"
               f":offset={measured['target_offset']}")
    tail = f"areverse,{_TRIM},areverse"
    _run(source, "-af", _chain(applied, f"aresample={RATE}", tail), *_WAV, target)
    seconds = duration(target)
    if seconds < SHORT:
        off = TARGET_LUFS - measure(target, looped=True).integrated
        if abs(off) > 0.3:
            levelled = target.with_name(f"levelled-{target.name}")
            _run(target, "-af", f"volume={off:.2f}dB", *_WAV, levelled)
            levelled.replace(target)
    return seconds


def excerpt(source: Path, start: float, end: float | None, target: Path) -> Path:
    """Seconds ``start`` to ``end`` (None: to the end) of ``source``, as a WAV at ``target``: one
    clause of a take recorded whole, to be normalised as a clip of its own."""
    until = f":end={end:.6f}" if end is not None else ""
    _run(source, "-af", f"aformat=channel_layouts=mono,atrim=start={start:.6f}{until}", *_WAV, target)
    return target


def any_duration(path: Path) -> float:
    """Seconds of any audio file ffmpeg reads, by ffprobe; SoundError when it cannot."""
    done = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                           str(path)], capture_output=True, text=True)
    try:
        return float(done.stdout.strip())
    except ValueError:
        raise SoundError(f"'{path}' cannot be read as audio (ffprobe finds no duration)") from None


def duration(path: Path) -> float:
    """Seconds of a WAV file, from its frame count."""
    with wave.open(str(path), "rb") as clip:
        return clip.getnframes() / clip.getframerate()


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    lra: float  # LU


def measure(path: Path, looped: bool = False) -> Loudness:
    """ffmpeg's ebur128 summary of ``path``; ``looped``, of ``path`` played over and over for
    LOOPED seconds, which gives a clip shorter than ebur128's 0.4 s block a loudness at all."""
    summary = _run(path, "-af", "ebur128=peak=true", "-f", "null", "-", looped=looped)
    summary = summary[summary.rindex("Summary:"):]
    number = lambda label: float(re.search(rf"{label}:\s+(-?[0-9.]+|-inf)", summary).group(1))  # noqa: E731
    return Loudness(integrated=number("I"), true_peak=number("Peak"), lra=number("LRA"))


def speech_start(path: Path, noise_db: int = SILENCE_DB, shortest: float = 0.02) -> float:
    """When speech starts in ``path``, by ffmpeg's silencedetect: 0 unless the clip opens silent."""
    found = _run(path, "-af", f"silencedetect=n={noise_db}dB:d={shortest}", "-f", "null", "-")
    starts = [float(s) for s in re.findall(r"silence_start: (-?[0-9.e+-]+)", found)]
    ends = [float(s) for s in re.findall(r"silence_end: ([0-9.e+-]+)", found)]
    return ends[0] if starts and starts[0] <= 0.001 and ends else 0.0
