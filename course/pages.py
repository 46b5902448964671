"""The player page, the clip pages and the data the player reads, from ``course/player/``.

The pages are HTML templates (``string.Template``, values escaped here); their script and style
are copied beside them unchanged. The player reads the chapters and beats from
``course-data.js``, a script rather than JSON so that the page works from ``file://``, where a
browser refuses ``fetch()``.
"""

import json
import shutil
from html import escape
from importlib import resources
from pathlib import Path
from string import Template

from convprop.course.timeline import Chapter, Timeline
from convprop.scenes.captions import timestamp

ASSETS = ("player.js", "player.css", "clip.js")
DATA_SCRIPT = "course-data.js"


def _template(name: str) -> Template:
    return Template(resources.files("convprop.course").joinpath("player", name).read_text(encoding="utf-8"))


def copy_assets(folder: Path) -> None:
    for name in ASSETS:
        with resources.as_file(resources.files("convprop.course").joinpath("player", name)) as source:
            shutil.copyfile(source, folder / name)


def clock(seconds: float) -> str:
    """75.2 -> '1:15'."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def write_data(folder: Path, title: str, timeline: Timeline) -> None:
    data = {"title": title, **timeline.to_json()}
    folder.joinpath(DATA_SCRIPT).write_text(
        "// chapters and beats of the lecture, from manifest.json\n"
        f"window.CONVPROP_COURSE = {json.dumps(data, indent=1)};\n", encoding="utf-8")


def _transcript(timeline: Timeline) -> str:
    items = []
    for chapter in timeline.chapters:
        items.append(f'<li class="transcript-chapter"><h3>{chapter.number}. {escape(chapter.title)}</h3></li>')
        for beat in chapter.beats:
            items.append(f'<li><button type="button" class="beat" data-start="{beat.start:.3f}">'
                         f'<span class="stamp">{clock(beat.start)}</span> {escape(beat.caption)}</button></li>')
    return "\n".join(items)


def _clip_links(timeline: Timeline) -> str:
    return "\n".join(
        f'<li><a href="clips/{c.slug}.html">{c.number}. {escape(c.title)}</a> '
        f'<span class="muted">{clock(c.duration)}</span> '
        f'(<a href="clips/{c.slug}.mp4">mp4</a>, <a href="clips/{c.slug}.webm">webm</a>, '
        f'<a href="clips/{c.slug}.vtt">captions</a>)</li>'
        for c in timeline.chapters)


# A narrated lecture's player has a sound button (and M) beside CC; a silent one has none.
SOUND_BUTTON = ('<button type="button" id="sound" class="icon" aria-pressed="true" aria-label="Sound on" '
                'title="Sound on or off (M)">'
                '<svg viewBox="0 0 24 24" aria-hidden="true" class="i-sound"><path d="M4 9h4l5-4v14l-5-4H4z'
                'M16 8.5a5 5 0 0 1 0 7l-1.4-1.4a3 3 0 0 0 0-4.2zM18.8 5.7a9 9 0 0 1 0 12.6l-1.4-1.4a7 7 0 0 0 0-9.8z"/>'
                '</svg><svg viewBox="0 0 24 24" aria-hidden="true" class="i-muted"><path d="M4 9h4l5-4v14l-5-4H4z'
                'M15.6 9.4l1.4-1.4 2.3 2.3 2.3-2.3 1.4 1.4-2.3 2.3 2.3 2.3-1.4 1.4-2.3-2.3-2.3 2.3-1.4-1.4 2.3-2.3z"/>'
                '</svg></button>')
SOUND_KEY = "<dt>M</dt><dd>sound on or off</dd>"


def write_player(folder: Path, title: str, subtitle: str, timeline: Timeline, webm: bool = True,
                 extras: str = "", sound: bool = False) -> None:
    """index.html; without ``webm`` it offers the mp4 alone (the SCORM package); with ``sound``
    (a narrated lecture) a button turns the sound off and on."""
    webm_source = '<source src="lecture.webm" type="video/webm">' if webm else ""
    downloads = ['<a href="lecture.mp4">lecture.mp4</a>']
    if webm:
        downloads.append('<a href="lecture.webm">lecture.webm</a>')
    downloads += ['<a href="captions.vtt">captions.vtt</a>', '<a href="chapters.vtt">chapters.vtt</a>']
    page = _template("index.html").substitute(
        title=escape(title), subtitle=escape(subtitle), webm_source=webm_source,
        transcript=_transcript(timeline), clips=_clip_links(timeline) if webm else "",
        clips_hidden="" if webm else "hidden", downloads=" · ".join(downloads), extras=extras,
        duration=clock(timeline.duration), sound_button=SOUND_BUTTON if sound else "",
        sound_key=SOUND_KEY if sound else "",
    )
    folder.joinpath("index.html").write_text(page, encoding="utf-8")


def write_clip_page(clips: Path, course_title: str, chapter: Chapter) -> None:
    cues = [{"start": b.start, "end": b.end, "text": b.caption} for b in chapter.clip_beats()]
    page = _template("clip.html").substitute(
        title=escape(f"{chapter.number}. {chapter.title}"), course=escape(course_title), slug=chapter.slug,
        cues=json.dumps(cues).replace("</", "<\\/"), length=timestamp(chapter.duration),
    )
    clips.joinpath(f"{chapter.slug}.html").write_text(page, encoding="utf-8")


def subtitle(config, learning_rate: bool = True) -> str:
    """The lesson in one line, as the player and the explorer name it under their title:
    '5x5 input, 3x3 kernel, stride 2x2, ..., seed 0' (the explorer leaves out the learning rate,
    which it shows as a number to change)."""
    pair = lambda p: f"{p[0]}x{p[1]}"  # noqa: E731
    parts = [f"{pair(config.input_size)} input", f"{pair(config.kernel_size)} kernel", f"stride {pair(config.stride)}"]
    if config.padding:
        parts.append(f"padding {config.padding}")
    if config.relu:
        parts.append("ReLU")
    if config.pool:
        parts.append(f"max-pool {config.pool}")
    if learning_rate:
        parts.append(f"learning rate {config.learning_rate:g}")
    return ", ".join(parts + [f"seed {config.seed}"])
