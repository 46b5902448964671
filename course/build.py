"""convprop course: render the lecture once, then make every file of the course folder from it.

The render's H.264 lecture and section clips are remuxed for streaming; VP9 is encoded clip by
clip and joined into lecture.webm; captions, chapters, stills, pages, the SCORM package and
the manifest follow. All of it is written into a staging folder (``publish.staging``).

A narrated course (``narration``) renders the lecture as ``convprop lecture --voice`` does; its
lecture.mp4 comes with the finished sound, which lecture.webm and every clip then take their
stretch of, cut on the chapter's frames, so a clip speaks exactly what the lecture says there.
"""

import shutil
from concurrent.futures import ThreadPoolExecutor
from html import escape
from pathlib import Path

from convprop.course import encode, pages, scorm, vtt
from convprop.course.encode import EncodeError
from convprop.course.explorer_page import FILES as EXPLORER_FILES, course_explorer
from convprop.course.manifest import jsonable, write_manifest
from convprop.course.publish import PublishError, staging
from convprop.course.timeline import Chapter, Timeline, read_timeline

TITLE = "Backpropagation in a convolutional network"


class CourseError(ValueError):
    """Bad input or a failed step; one line saying what to do."""


def build_course(lesson, scene_names: list[str], quality: str, destination: Path, settings: dict,
                 jobs: int | None = None, look: dict | None = None, meter=None, exercises=None,
                 narration=None) -> Path:
    """Render ``scene_names`` of ``lesson`` at ``quality`` into the course folder ``destination``.

    ``settings`` (the options used) goes into manifest.json. The sections render in ``jobs``
    processes (default: one per core), with ``look`` (see ``scenes.kit.style.look``: the theme).
    ``meter`` (``farm.progress.Meter``) counts the sections rendered and names the steps after.
    ``exercises(directory)``, when given, writes the lesson's exercises into ``directory`` and
    returns the files it made; the page links them. The course does not make them itself: the
    exercises are a product of their own (see ``convprop.app``, which hands them in).
    ``narration`` (``scenes.narrated.Plan``) makes the lecture speak, as ``convprop lecture
    --voice`` does: every video of the folder then carries its sound (``encode.with_sound``) and
    the captions and transcript are the spoken sentences.
    Raises CourseError on bad input, before anything is rendered.
    """
    from convprop.progress import Meter

    meter = meter or Meter()
    try:
        encode.require_ffmpeg()  # now, not after the render
        with staging(destination) as folder:
            _build_into(folder, lesson, scene_names, quality, settings, jobs, look, meter, exercises, narration)
    except (PublishError, EncodeError) as err:
        raise CourseError(str(err)) from None
    return Path(destination)


def _build_into(folder: Path, lesson, scene_names, quality, settings, jobs, look, meter, exercises,
                narration=None) -> None:
    work = folder / ".render"
    timeline, lecture_mp4, clip_mp4s = _render(lesson, scene_names, quality, work, jobs, look, meter, narration)
    subtitle = pages.subtitle(lesson.config)
    meter.say("encoding mp4 and webm")

    encode.faststart(lecture_mp4, folder / "lecture.mp4")
    clips = folder / "clips"
    clips.mkdir()
    _write_clips(clips, timeline, clip_mp4s)
    encode.join([clips / f"{c.slug}.webm" for c in timeline.chapters], folder / "lecture.webm")
    sound = encode.has_sound(lecture_mp4)
    if sound:
        meter.say("sound of every video")
        _sound_everything(folder, timeline, work)
    shutil.copyfile(clips / f"{timeline.chapters[0].slug}.jpg", folder / "poster.jpg")

    folder.joinpath("captions.vtt").write_text(vtt.captions(timeline.beats), encoding="utf-8")
    folder.joinpath("chapters.vtt").write_text(vtt.chapters(timeline), encoding="utf-8")
    pages.copy_assets(folder)
    pages.write_data(folder, TITLE, timeline)
    # the worksheets write X as a table: a course past a padded 16x16 has the lecture, no exercises
    extras = ""
    if exercises is not None and lesson.config.numbered:
        meter.say("exercises")
        extras = _exercises(folder, exercises)
    explorer = course_explorer(folder, lesson, timeline.chapters)  # explorer.html, linked with each step
    extras += explorer
    _write_scorm(folder, work, subtitle, timeline, explorer, sound)
    pages.write_player(folder, TITLE, subtitle, timeline, extras=extras, sound=sound)
    shutil.rmtree(work)
    write_manifest(folder, {
        "title": TITLE, "subtitle": subtitle, "quality": quality, "scenes": scene_names,
        "seed": lesson.config.seed, "config": jsonable(settings), **timeline.to_json(),
    })


def _render(lesson, scene_names, quality, work: Path, jobs, look, meter, narration=None):
    from manim.constants import QUALITIES as MANIM_QUALITIES

    from convprop.scenes.render_lecture import render_lecture
    from convprop.scenes.outputs import QUALITIES

    made = render_lecture(lesson, quality, "mp4", work, jobs=jobs, scenes=scene_names, meter=meter,
                          narration=narration, look=look or {})
    sections = work / "lecture-sections"
    fps = float(MANIM_QUALITIES[QUALITIES[quality]]["frame_rate"])
    timeline = read_timeline(sections / "lecture.json", work / "lecture.srt", fps)
    clip_mp4s = sorted(made["sections"])
    if len(clip_mp4s) != len(timeline.chapters):
        raise EncodeError(f"the render made {len(clip_mp4s)} clips for {len(timeline.chapters)} sections")
    return timeline, made["video"], clip_mp4s


def _write_clips(clips: Path, timeline: Timeline, sources: list[Path]) -> None:
    """NN-name.mp4, .webm, .vtt, .jpg and .html for every chapter; VP9 two clips at a time."""
    for chapter, source in zip(timeline.chapters, sources):
        encode.faststart(source, clips / f"{chapter.slug}.mp4")
        clips.joinpath(f"{chapter.slug}.vtt").write_text(vtt.clip_captions(chapter), encoding="utf-8")
        encode.still(source, _still_time(chapter, timeline.fps), clips / f"{chapter.slug}.jpg")
        pages.write_clip_page(clips, TITLE, chapter)
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(encode.vp9, clips / f"{c.slug}.mp4", clips / f"{c.slug}.webm")
                     for c in timeline.chapters]:
            done.result()


def _sound_everything(folder: Path, timeline: Timeline, work: Path) -> None:
    """The lecture's finished sound (lecture.mp4's, as the render made it) given to every other
    video: each clip its chapter's stretch, cut on the chapter's first and last frame, and
    lecture.webm the whole, each finished as ``convprop lecture --voice`` finishes its video."""
    lecture = folder / "lecture.mp4"
    encode.with_sound(folder / "lecture.webm", lecture)
    for chapter in timeline.chapters:
        stretch = encode.cut_sound(lecture, chapter.start, chapter.end, work / f"{chapter.slug}.wav")
        for video in (folder / "clips" / f"{chapter.slug}.mp4", folder / "clips" / f"{chapter.slug}.webm"):
            encode.with_sound(video, stretch)


def _still_time(chapter: Chapter, fps: float) -> float:
    """The end of the chapter's first beat: its title and first picture complete."""
    beats = chapter.clip_beats()
    at = beats[0].end if beats else chapter.duration / 2
    return min(at, chapter.duration - 1 / fps)


def _write_scorm(folder: Path, work: Path, subtitle: str, timeline: Timeline, explorer: str = "",
                 sound: bool = False) -> None:
    """The player with the mp4 alone (every LMS's browser plays it), packaged as one SCO, with
    the explorer beside it when the course has one (``explorer``: the player's section for it)."""
    sco = work / "scorm"
    sco.mkdir()
    pages.write_player(sco, TITLE, subtitle, timeline, webm=False, extras=explorer, sound=sound)
    files = {"index.html": sco / "index.html"}
    names = ["player.js", "player.css", pages.DATA_SCRIPT, "lecture.mp4", "poster.jpg", "captions.vtt", "chapters.vtt"]
    if explorer:
        names += list(EXPLORER_FILES)
    for name in names:
        files[name] = folder / name
    scorm.write_package(folder / "scorm.zip", TITLE, "convprop-course", files)


# How the page names each file of the exercises (``exercises.build_for_course``).
EXERCISE_FILES = {"worksheet.pdf": "Worksheet (PDF)", "answers.pdf": "Worked answers (PDF)",
                  "quiz.xml": "Quiz, Moodle XML", "quiz.gift": "Quiz, GIFT", "answers.json": "Answers (JSON)"}


def _exercises(folder: Path, exercises) -> str:
    """The exercises made by ``exercises(directory)`` (the files it wrote) into exercises/, and
    the page's links to them; the course is complete without them too."""
    made = exercises(folder / "exercises")
    names = [Path(path).name for path in (made.values() if isinstance(made, dict) else made or ())]
    links = [f'<a href="exercises/{escape(name)}">{escape(EXERCISE_FILES.get(name, name))}</a>' for name in names]
    if not links:
        return ""
    return ('<section aria-labelledby="exercises-heading"><h2 id="exercises-heading">Exercises</h2>'
            f'<p class="extras">{" · ".join(links)}</p></section>')
