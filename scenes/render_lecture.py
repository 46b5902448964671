"""One lecture on every core.

The lecture is one section per story, in ``scenes.registry.SCENES`` order, and every section
starts from an empty stage: the lecture clears the stage after each story. So a section
rendered alone, in a process of its own, shows the very frames it shows inside the sequential
lecture. ``render_lecture`` renders the sections in ``jobs`` processes, joins their clips by
stream copy (no re-encoding, as Manim joins its own pieces), and offsets each section's
captions by the frames before it: the same video, clips and captions as one process makes.

Example::

    results = render_lecture(run_lesson(), "low", "mp4", Path("media"), jobs=2)
    results["video"], results["sections"], results["captions"]
"""

import datetime
import json
import multiprocessing
import os
import sys
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from queue import Empty

from convprop.progress import Meter

NAME = "lecture"
# A gif's palette is chosen per file, and png is a single frame; a transparent webm's alpha
# needs Manim's own join, so those render in one piece.
JOINABLE = ("mp4", "webm")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_lecture(lesson, quality: str, fmt: str, output: Path, jobs: int | None = None,
                   scenes: list[str] | None = None, meter: Meter | None = None, narration=None,
                   **render_options) -> dict:
    """Render the lecture (or the stories ``scenes``, in that order) into ``output``.

    ``jobs`` processes render the sections (default: one per core): this one and ``jobs - 1``
    workers (see ``_render_sections``); one process, a gif or a png renders the lecture in one
    piece. Returns what ``scenes.render.render_scene`` returns
    with sections: {'video' or 'image': path, 'sections': [clips], 'captions': [.srt, .vtt]}.
    ``render_options`` (e.g. ``look``) are passed on to every ``render_scene``. ``narration``
    (``scenes.narrated.Plan``) makes it say its script; in parallel each section's sound track
    is joined as its clips are, each cut to its section's frames, so sound and picture stay as
    the sequential lecture has them.
    """
    from convprop.scenes.registry import SCENES
    from convprop.scenes.render import render_scene

    names = list(scenes) if scenes is not None else list(SCENES)
    meter = meter or Meter()
    jobs = max(1, min(jobs or cores(), len(names)))
    if multiprocessing.current_process().daemon:
        jobs = 1  # a daemonic process (a Dask worker) may not start processes; its cluster is the parallelism
    if jobs == 1 or fmt not in JOINABLE or (render_options.get("look") or {}).get("transparent"):
        return render_scene(played(_said(lecture_scene(names, meter.step), narration), meter), lesson, NAME, quality,
                            fmt, output, sections=True, **render_options)
    output = Path(output)
    created = not output.exists()
    output.mkdir(parents=True, exist_ok=True)
    try:
        return _render_in_parallel(lesson, names, quality, fmt, output, jobs, meter, render_options, narration)
    except BaseException:
        if created and not any(output.iterdir()):
            output.rmdir()  # a failed render leaves no trace, not even its directory
        raise


def _said(scene_cls, narration, track: Path | None = None):
    """``scene_cls`` saying the plan ``narration``; itself when there is none."""
    if narration is None:
        return scene_cls
    from convprop.scenes.narrated import narrated

    return narrated(scene_cls, narration, track)


def lecture_scene(names: list[str], on_section=lambda name: None):
    """A scene class telling the stories ``names`` in order, one section each, as the lecture does."""
    from convprop.scenes.lecture import LectureStory
    from convprop.scenes.registry import SCENES
    from convprop.scenes.story import StoryScene

    chosen = tuple(names)

    class Lecture(LectureStory):
        names = chosen

        def tell(self):
            for name in self.names:
                self.scene.next_section(name)
                SCENES[name].story(self.scene, self.trace).tell()
                self.clear()
                on_section(name)

    return type("LectureScene", (StoryScene,), {"story": Lecture})


def played(scene_cls, meter: Meter):
    """``scene_cls`` reporting every animation to ``meter`` and keeping its captions' exact times.

    ``.captions`` of the returned class collects (text, start, end) in seconds from the scene's
    start, before the .srt rounds them to milliseconds.
    """
    captions = []

    class Played(scene_cls):
        def play(self, *args, **kwargs):  # Scene.wait plays a Wait, so waits count too
            super().play(*args, **kwargs)
            meter.animation()

        def add_subcaption(self, content, duration=1, offset=0):
            super().add_subcaption(content, duration, offset)
            captions.append((content, float(self.time + offset), float(self.time + offset + duration)))

    Played.captions = captions
    return Played


@dataclass(frozen=True)
class Section:
    """One section rendered alone: its clip, Manim's index entry for it, its captions."""

    name: str
    clip: Path
    index: dict
    captions: tuple
    track: Path | None = None  # its narration's sound, to its last frame

    @property
    def frames(self) -> int:
        return int(self.index["nb_frames"])


def _render_in_parallel(lesson, names, quality, fmt, output: Path, jobs, meter, render_options,
                        narration=None) -> dict:
    from convprop.scenes.workdir import scratch_dir

    with scratch_dir(output) as tmp:
        sections = _render_sections(lesson, names, quality, fmt, tmp, jobs, meter, render_options, narration)
        made = _join(sections, tmp, fmt, _frame_rate(quality))
        return _publish(made, output)


# What each section costs to render, relative to the others: the CPU seconds it took at low
# quality with the default lesson (about 0.019 s a frame in every section; measured section by
# section, each alone in one process). Only the order the sections start in depends on it (the
# longest first, so the short ones fill the end and every process finishes at about the same
# time); a section missing here counts as an average one.
COSTS = {"forward-pass": 15, "loss-gradient": 5, "chain-rule": 15, "kernel-gradient": 13, "weight-update": 9,
         "input-gradient": 15, "cnn-pipeline": 26, "mlp-worked-example": 39, "learning-rate": 18}


def longest_first(names: list[str]) -> list[str]:
    """``names`` in the order they should start: the costliest first (longest-processing-time first)."""
    average = sum(COSTS.values()) / len(COSTS)
    return sorted(names, key=lambda name: -COSTS.get(name, average))


def _render_sections(lesson, names, quality, fmt, tmp: Path, jobs, meter, render_options,
                     narration=None) -> list[Section]:
    """Every section in its own folder under ``tmp``, ``jobs`` at a time, in lecture order.

    This process renders sections itself (Manim is imported here already) while ``jobs - 1``
    worker processes render the others; each takes the costliest section left whenever it is
    free. The workers are started once per lecture, forked with Manim and the stories imported
    or spawned to import them before their first section arrives (``_start_method``); each
    section gets its own Manim config (``render_scene`` sets it).
    """
    folders = {name: tmp / f"{number:04}" for number, name in enumerate(names)}
    left = deque(longest_first(names))
    lock = threading.Lock()
    done, stepped, failures = {}, deque(), []

    def take() -> str | None:
        with lock:
            return left.popleft() if left and not failures else None

    context = _start_method()
    ticks = context.Queue()
    here = _Here(meter, ticks, stepped, failures)
    with ProcessPoolExecutor(jobs - 1, mp_context=context, initializer=_warm, initargs=(ticks,)) as pool:
        if context.get_start_method() == "fork":
            pool.submit(os.getpid)  # forks every worker now, from this thread, before any other thread starts
        def feed():  # one per worker process: hands it the next section when it has finished one
            try:
                while (name := take()) is not None:
                    done[name] = pool.submit(_render_section, lesson, name, quality, fmt, folders[name],
                                             render_options, None, narration).result()
                    stepped.append(name)
            except BaseException as err:  # noqa: BLE001 -- reported to the main thread, which raises it
                failures.append(err)

        feeders = [threading.Thread(target=feed, name=f"lecture-feeder-{n}", daemon=True) for n in range(jobs - 1)]
        for feeder in feeders:
            feeder.start()
        try:
            while (name := take()) is not None:
                done[name] = _render_section(lesson, name, quality, fmt, folders[name], render_options, here,
                                             narration)
                here.section(name)
            while any(feeder.is_alive() for feeder in feeders):
                for feeder in feeders:
                    feeder.join(timeout=0.2)
                here.catch_up()
            here.catch_up()
        except BaseException:
            with lock:
                left.clear()  # the feeders stop after their current section
            raise
    return [done[name] for name in names]


def _start_method():
    """How the section workers start: forked from this process when that is safe, else spawned.

    A forked worker starts with Manim and the stories already imported, as this process has
    them: the second or so a spawned interpreter spends importing them comes off the lecture's
    critical path. Nothing else it inherits matters: no section has rendered in this call yet,
    and ``render_scene`` sets Manim's config for every section. Fork is safe only while no other
    thread runs (one could hold a lock the child then waits on forever, such as a progress bar's
    refresh thread writing to the terminal, or the monitor thread Manim's progress bars leave
    behind once this process has rendered), and is missing or unsafe off Linux; there the
    workers start as fresh interpreters.
    """
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # a fresh interpreter: no Manim state is inherited


class _Here(Meter):
    """The meter of the sections this process renders: each animation also passes on the workers'
    animations and finished sections to ``meter``, all from this thread, and stops the render
    when a worker's section has failed."""

    def __init__(self, meter: Meter, ticks, stepped: deque, failures: list):
        super().__init__()
        self.meter, self.ticks, self.stepped, self.failures = meter, ticks, stepped, failures

    def animation(self):
        self.meter.animation()
        self.catch_up()

    def section(self, name: str):
        self.meter.step(name)
        self.catch_up()

    def catch_up(self):
        _drain(self.ticks, self.meter)
        while self.stepped:
            self.meter.step(self.stepped.popleft())
        if self.failures:
            raise self.failures[0]


_ticks = None  # in a worker process: the queue its played animations are reported to


def _warm(queue):
    """A worker process's start: where to report animations, and Manim and the stories imported
    before the first section arrives."""
    global _ticks
    _ticks = queue
    import convprop.scenes.registry  # noqa: F401
    import convprop.scenes.render  # noqa: F401


class _Ticks(Meter):
    def animation(self):
        _ticks.put(1)


def _drain(queue, meter: Meter):
    while True:
        try:
            queue.get_nowait()
        except Empty:
            return
        meter.animation()


def _render_section(lesson, name: str, quality: str, fmt: str, folder: Path, render_options: dict,
                    meter: Meter | None = None, narration=None) -> Section:
    """Render the one section ``name`` into ``folder``, as the lecture's own section."""
    from convprop.scenes.render import render_scene

    if meter is None:  # in a worker process
        meter = _Ticks() if _ticks is not None else Meter()
    track = folder / "narration.wav" if narration is not None and narration.clips else None
    scene_cls = played(_said(lecture_scene([name]), narration, track), meter)
    # the section's clip only: the lecture joins the clips itself, so Manim's movie of the same
    # packets would be written and thrown away
    made = render_scene(scene_cls, lesson, NAME, quality, fmt, folder, sections=True, movie=False, **render_options)
    clip = made["sections"][0]
    index = json.loads((clip.parent / f"{NAME}.json").read_text())[0]
    return Section(name, clip, index, tuple(scene_cls.captions), track)


def _frame_rate(quality: str) -> float:
    from manim.constants import QUALITIES as MANIM_QUALITIES

    from convprop.scenes.outputs import QUALITIES

    return float(MANIM_QUALITIES[QUALITIES[quality]]["frame_rate"])


def _join(sections: list[Section], tmp: Path, fmt: str, fps: float) -> dict:
    """The lecture, its numbered clips and index, and its captions, all inside ``tmp``."""
    import srt

    from convprop.scenes.remux import join_clips

    clips_dir = tmp / f"{NAME}-sections"
    clips_dir.mkdir()
    clips, index, subtitles, frames = [], [], [], 0
    for number, section in enumerate(sections):
        clip = clips_dir / f"{NAME}_{number:04}_{section.clip.name.split('_', 2)[2]}"
        os.replace(section.clip, clip)
        clips.append(clip)
        index.append({**section.index, "video": clip.name})
        start = frames / fps  # where the sequential lecture's clock stands when this section begins
        subtitles += [srt.Subtitle(index=len(subtitles) + i, content=text,
                                   start=datetime.timedelta(seconds=start + begin),
                                   end=datetime.timedelta(seconds=start + end))
                      for i, (text, begin, end) in enumerate(section.captions)]
        frames += section.frames
    (clips_dir / f"{NAME}.json").write_text(json.dumps(index, indent=4))
    video = tmp / f"{NAME}.{fmt}"
    join_clips(clips, video)
    if any(section.track is not None for section in sections):
        from convprop.scenes.soundtrack import finish, join_tracks

        seconds = [section.frames / fps for section in sections]
        finish(video, join_tracks([section.track for section in sections], seconds, tmp / f"{NAME}.wav"))
    made = {"video": video, "clips": clips_dir}
    if subtitles:
        made["srt"] = tmp / f"{NAME}.srt"
        made["srt"].write_text(srt.compose(subtitles), encoding="utf-8")
    return made


def _publish(made: dict, output: Path) -> dict:
    """Move the finished files into ``output``, laid out as a sequential lecture lays them."""
    from convprop.scenes.captions import from_srt

    clip_dir = output / f"{NAME}-sections"
    for old in clip_dir.glob("*") if clip_dir.is_dir() else ():
        old.unlink()  # clips of an earlier render
    os.replace(made["clips"], clip_dir)
    video = output / made["video"].name
    os.replace(made["video"], video)
    results = {"video": video, "sections": sorted(clip_dir.glob(f"*{video.suffix}"))}
    if "srt" in made:
        srt_file = made["srt"]
        vtt = srt_file.with_suffix(".vtt")
        vtt.write_text(from_srt(srt_file.read_text(encoding="utf-8")), encoding="utf-8")
        results["captions"] = [output / srt_file.name, output / vtt.name]
        os.replace(srt_file, results["captions"][0])
        os.replace(vtt, results["captions"][1])
    return results
