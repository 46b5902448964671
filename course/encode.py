"""The ffmpeg commands the course needs: stream-ready H.264, VP9, joining clips, stills, sound.

Manim already writes H.264 (yuv420p); ``faststart`` only moves the index to the front so a
browser starts playing before the whole file arrives. VP9 is encoded clip by clip and the
clips joined without re-encoding, so the lecture and its clips share one encode. A narrated
lecture's sound is finished once by the render (``scenes.soundtrack``: 48 kHz, -16 LUFS);
``cut_sound`` and ``with_sound`` give each other video its stretch of it, finished the same way.
"""

import os
import shutil
import subprocess
from pathlib import Path

# Lecture graphics are flat colour and text on a still background: libvpx's real-time mode
# keeps them sharp at a fraction of the "good" deadline's time (see benchmarks/course_time.py).
VP9_SETTINGS = ("-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-tile-columns", "2",
                "-crf", "32", "-b:v", "0")


class EncodeError(RuntimeError):
    """ffmpeg is missing or failed; the message is one line."""


def require_ffmpeg() -> str:
    """The ffmpeg command's path; EncodeError (one line) when it is not installed."""
    exe = shutil.which("ffmpeg")
    if exe is None:
        raise EncodeError("ffmpeg is not installed; install it (Debian: apt-get install ffmpeg) and run again")
    return exe


def ffmpeg(*args) -> None:
    exe = require_ffmpeg()
    done = subprocess.run([exe, "-hide_banner", "-nostdin", "-v", "error", "-y", *map(str, args)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise EncodeError(f"ffmpeg failed ({last})")


def faststart(source: Path, target: Path) -> None:
    """The same H.264 stream, its index moved to the front (``+faststart``) for streaming."""
    ffmpeg("-i", source, "-map", "0:v", "-map", "0:a?", "-c", "copy", "-movflags", "+faststart", target)


def vp9(source: Path, target: Path) -> None:
    ffmpeg("-i", source, "-map", "0:v", "-c:v", "libvpx-vp9", *VP9_SETTINGS, "-pix_fmt", "yuv420p", target)


def has_sound(path: Path) -> bool:
    """Whether ``path`` has an audio stream (a narrated render's video has)."""
    import av

    with av.open(str(path)) as container:
        return bool(container.streams.audio)


def cut_sound(source: Path, start: float, end: float, target: Path) -> Path:
    """The sound of ``source`` from ``start`` to ``end`` seconds as a 48 kHz WAV, cut to the
    sample (``atrim`` on the decoded sound, not a seek to the nearest packet)."""
    from convprop.scenes.voice.sound import RATE

    ffmpeg("-i", source, "-vn", "-af", f"atrim=start={start:.6f}:end={end:.6f},asetpts=N/SR/TB",
           "-c:a", "pcm_s16le", "-ar", RATE, target)
    return target


def with_sound(video: Path, track: Path) -> None:
    """``video`` with ``track``'s sound, finished as a narrated render finishes its own
    (``scenes.soundtrack.finish``: as long as the picture, -16 LUFS, 48 kHz, AAC in mp4 and Opus
    in webm); an mp4 keeps its index in front."""
    from convprop.scenes.soundtrack import finish

    finish(video, track)
    if video.suffix == ".mp4":
        indexed = video.with_name(f"indexed-{video.name}")
        faststart(video, indexed)
        os.replace(indexed, video)


def join(parts: list[Path], target: Path) -> None:
    """Concatenate clips of one codec without re-encoding."""
    listing = target.with_suffix(".parts.txt")
    listing.write_text("".join(f"file '{p.resolve()}'\n" for p in parts))
    try:
        ffmpeg("-f", "concat", "-safe", "0", "-i", listing, "-c", "copy", target)
    finally:
        listing.unlink()


def still(source: Path, seconds: float, target: Path) -> None:
    """The frame shown at ``seconds`` as a JPEG."""
    ffmpeg("-ss", f"{max(0.0, seconds):.3f}", "-i", source, "-frames:v", "1", "-q:v", "3", target)


def duration(path: Path) -> float:
    """The container's duration in seconds, as a browser reports it."""
    import av

    with av.open(str(path)) as container:
        return container.duration / av.time_base
