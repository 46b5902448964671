"""Chapters and beats of a rendered lecture, in seconds from its start.

A chapter is one Manim section (one scene), timed by its clip's frame count, so chapter
boundaries fall exactly on frames. A beat is one caption of the script (``Story.beat``), read
back from the ``.srt`` Manim writes; each beat belongs to the chapter it starts in.
"""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import srt

# How a teacher would title each scene's chapter; a scene missing here is titled from its name.
CHAPTER_TITLES = {
    "forward-pass": "The forward pass of a strided convolution",
    "loss-gradient": "From the loss back to every z",
    "chain-rule": "The chain rule for one kernel weight",
    "kernel-gradient": "The kernel and bias gradients",
    "weight-update": "One gradient step",
    "input-gradient": "The input gradient, a full convolution",
    "cnn-pipeline": "The whole CNN and a mini-batch",
    "mlp-worked-example": "A 2-2-2 network worked by hand",
    "learning-rate": "Choosing the learning rate",
}


def chapter_title(name: str) -> str:
    return CHAPTER_TITLES.get(name) or name.replace("-", " ").capitalize()


@dataclass(frozen=True)
class Beat:
    caption: str
    start: float
    end: float


@dataclass(frozen=True)
class Chapter:
    number: int  # 1-based, as a teacher counts
    name: str  # the scene's CLI name
    title: str
    start: float
    end: float
    beats: tuple[Beat, ...]  # timed from the start of the lecture

    @property
    def slug(self) -> str:
        """NN-name, the stem of the chapter's clip files."""
        return f"{self.number:02d}-{self.name}"

    @property
    def duration(self) -> float:
        return self.end - self.start

    def clip_beats(self) -> tuple[Beat, ...]:
        """The chapter's beats timed from the start of its clip."""
        return tuple(Beat(b.caption, round(b.start - self.start, 3), round(min(b.end, self.end) - self.start, 3))
                     for b in self.beats)


@dataclass(frozen=True)
class Timeline:
    fps: float
    chapters: tuple[Chapter, ...]

    @property
    def duration(self) -> float:
        return self.chapters[-1].end if self.chapters else 0.0

    @property
    def beats(self) -> tuple[Beat, ...]:
        return tuple(beat for chapter in self.chapters for beat in chapter.beats)

    def to_json(self) -> dict:
        """chapters and beats as the manifest and the player read them."""
        return {
            "fps": self.fps,
            "duration": round(self.duration, 3),
            "chapters": [{"number": c.number, "name": c.name, "title": c.title, "slug": c.slug,
                          "start": round(c.start, 3), "end": round(c.end, 3)} for c in self.chapters],
            "beats": [asdict(b) for b in self.beats],
        }


def read_timeline(section_index: Path, subtitles: Path, fps: float) -> Timeline:
    """Chapters from Manim's section index (one entry per clip), beats from its ``.srt``."""
    sections = json.loads(section_index.read_text())
    beats = [Beat(s.content.strip(), s.start.total_seconds(), s.end.total_seconds())
             for s in srt.parse(subtitles.read_text(encoding="utf-8"))] if subtitles.exists() else []
    chapters, start_frame = [], 0
    for number, section in enumerate(sections, start=1):
        end_frame = start_frame + int(section["nb_frames"])
        start, end = start_frame / fps, end_frame / fps
        last = number == len(sections)
        mine = tuple(b for b in beats if start - 0.5 / fps <= b.start and (last or b.start < end - 0.5 / fps))
        chapters.append(Chapter(number, section["name"], chapter_title(section["name"]), start, end, mine))
        start_frame = end_frame
    return Timeline(fps, tuple(chapters))
