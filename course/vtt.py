"""The course's WebVTT tracks: captions by beat, chapters, and each clip's captions.

The format itself is the renderer's (``scenes.captions``).
"""

from convprop.course.timeline import Beat, Chapter, Timeline
from convprop.scenes.captions import document


def captions(beats: tuple[Beat, ...]) -> str:
    return document((b.start, b.end, b.caption) for b in beats)


def chapters(timeline: Timeline) -> str:
    return document((c.start, c.end, f"{c.number}. {c.title}") for c in timeline.chapters)


def clip_captions(chapter: Chapter) -> str:
    return captions(chapter.clip_beats())
