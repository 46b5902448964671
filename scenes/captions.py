"""Captions as the renderer writes them: SRT from Manim (read with ``srt``) and WebVTT, the
format browsers and LMSs read (written with ``webvtt-py``).

A cue's text is one line (a blank line would end the cue) with ``&``, ``<`` and ``>`` escaped,
which WebVTT requires of text and the writer leaves to its caller. The course's caption and
chapter tracks (``course.vtt``) are written with ``document`` too.
"""

from webvtt import Caption, WebVTT
from webvtt.models import Timestamp


def timestamp(seconds: float) -> str:
    """12.5 -> '00:00:12.500' (to the millisecond)."""
    return str(Timestamp.from_seconds(max(0.0, seconds)))


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def document(cues) -> str:
    """``cues``: (start, end, text) in order -> the text of a .vtt file, cues numbered from 1."""
    return WebVTT(captions=[
        Caption(start=timestamp(start), end=timestamp(end), text=escape(" ".join(text.split())), identifier=str(n))
        for n, (start, end, text) in enumerate(cues, start=1)
    ]).content


def from_srt(text: str) -> str:
    """Any .srt (as Manim writes it) as WebVTT."""
    import srt

    return document((s.start.total_seconds(), s.end.total_seconds(), s.content) for s in srt.parse(text))
