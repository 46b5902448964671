"""Captions as the renderer writes them: SRT from Manim, and WebVTT, the format browsers and
LMSs read.

WebVTT is a header and blocks of ``start --> end`` plus text; the text escapes ``&``, ``<`` and
``>``. The course's caption and chapter tracks (``course.vtt``) are written with ``document``.
"""


def timestamp(seconds: float) -> str:
    """12.5 -> '00:00:12.500'."""
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def document(cues) -> str:
    """``cues``: (start, end, text) in order -> the text of a .vtt file."""
    blocks = ["WEBVTT"]
    for number, (start, end, text) in enumerate(cues, start=1):
        lines = " ".join(text.split())  # one line a cue; a blank line would end the cue
        blocks.append(f"{number}\n{timestamp(start)} --> {timestamp(end)}\n{escape(lines)}")
    return "\n\n".join(blocks) + "\n"


def from_srt(text: str) -> str:
    """Any .srt (as Manim writes it) as WebVTT."""
    import srt

    return document((s.start.total_seconds(), s.end.total_seconds(), s.content) for s in srt.parse(text))
