"""What each command does, as plain Python functions: the command line parses options and calls
these; a batch's worker calls them with a job file's options; a notebook may call them too.

Each takes a command's typed values (as ``app.options`` declares and parses them) and the
sizes the user set (``explicit``), checks everything before any work starts, and raises
``ConfigError`` (one line: what is wrong and how to fix it) on bad input.

Example::

    from convprop.app import run
    run("render", {"scene": "forward-pass", ...})   # the values ``options.parse`` gives
"""

import difflib
import functools
from contextlib import contextmanager
from pathlib import Path

from convprop.app.lessons import lesson_for, model_config, read_values
from convprop.mathcore.config import ConfigError
from convprop.progress import meter


def check(command: str, params: dict, explicit: frozenset = frozenset(), whole: bool = True):
    """Check a command's options as the command itself would before it works: the model (and,
    with ``whole``, every trace of the lesson), a scene's name, --transparent's format, the
    scenes chosen and that each can draw the input, the exercises' topics. Returns the lesson,
    or the model's config and given values when not ``whole``."""
    config, given = model_config(params, explicit)  # every setting, then the picture read: no Manim yet
    names = []
    if command == "render" or (command == "script" and params.get("scene")):
        names = [scene_named(params["scene"])]
    elif command == "script":
        names = chosen(None)
    elif command in ("lecture", "course"):
        names = chosen(params.get("scene_list"))
    if "transparent" in params:
        look_of(params["fmt"], params["theme"], params["transparent"])
    if params.get("voice") or params.get("language"):
        voice_checked(params.get("voice"), params.get("language"))
    drawable(names, config)
    if command == "exercises":
        from convprop.exercises import choose, parse_topics

        choose(parse_topics(params.get("topics")), config)
    return lesson_for(config, given, params) if whole else (config, given)


def run(command: str, params: dict, explicit: frozenset = frozenset()):
    """Run ``command`` (render, lecture, course, exercises or script) with its typed values; what it made."""
    return {"render": render, "lecture": lecture, "course": course, "exercises": exercises,
            "script": script}[command](params, explicit)


def render(params: dict, explicit: frozenset = frozenset()) -> dict:
    """One scene into ``params['output']``: {'video' or 'image': path, 'captions': [...]}."""
    from convprop.scenes.registry import SCENES
    from convprop.scenes.render import render_scene
    from convprop.scenes.render_lecture import played

    lesson = check("render", params, explicit)
    scene = params["scene"]
    look = look_of(params["fmt"], params["theme"], params["transparent"])
    scene_cls = narrated_scene(SCENES[scene], lesson, params)
    with meter(scene, quiet=params["quiet"], animations_are_steps=True) as progress, sound_errors():
        return render_scene(played(scene_cls, progress), lesson, scene, params["quality"], params["fmt"],
                            params["output"], look=look)


@contextmanager
def sound_errors():
    """A sound track ffmpeg cannot finish ends the render in one line (ConfigError), not a traceback."""
    from convprop.scenes.voice import VoiceError

    try:
        yield
    except VoiceError as err:
        raise ConfigError(str(err)) from None


def narrated_scene(scene_cls, lesson, params: dict):
    """``scene_cls`` as it renders: silent unless an edited script or a voice is given; ConfigError
    (one line) for a bad script, voice or take, before anything renders."""
    from convprop.scenes.narrated import narrated

    if params.get("fmt") == "png" and params.get("voice"):  # one frame says nothing: the voice is only checked
        narration_voice(params)
        params = {**params, "voice": None, "language": None}
    plan = narration_plan(params, lambda: scene_cls, lesson)
    return scene_cls if plan is None else narrated(scene_cls, plan)


@functools.cache
def voice_checked(spec: str | None, language: str | None) -> None:
    """ConfigError (one line) for a voice that cannot speak, before any work: a batch's job file
    is checked whole, and its jobs often share one voice, which is looked at once."""
    if language and not spec:
        raise ConfigError("--language is the language of --voice espeak-ng; give --voice espeak-ng too")
    narration_voice({"voice": spec, "language": language})


def narration_voice(params: dict):
    """The voice ``--voice`` and ``--language`` name; ConfigError (one line) for a bad one."""
    from convprop.scenes.voice import VoiceError, choose_voice

    try:
        return choose_voice(params["voice"], language=params.get("language"))
    except VoiceError as err:
        raise ConfigError(str(err)) from None


def narration_plan(params: dict, scenes, lesson, lines=None):
    """What a render says (``scenes.narrated.Plan``), or None when it is silent: no voice and no
    edited script. ``scenes()`` gives the scene class to tell, unless its beats ``lines()`` are
    given. ConfigError (one line) for a bad script, voice or take, before anything renders."""
    from convprop.scenes.narrated import plan_for
    from convprop.scenes.narration import ScriptError
    from convprop.scenes.script import read_script
    from convprop.scenes.voice import VoiceError, choose_voice

    spec, language, script_file = params.get("voice"), params.get("language"), params.get("script_file")
    if language and not spec:
        raise ConfigError("--language is the language of --voice espeak-ng; give --voice espeak-ng too")
    if not spec and not script_file:
        return None
    try:
        if script_file:
            read_script(script_file)  # a file that is no script is refused before the scenes are told
        voice = choose_voice(spec, language=language) if spec else None
        return plan_for(None if lines else scenes(), lesson, script_file, voice, lines() if lines else None)
    except (ScriptError, VoiceError) as err:
        raise ConfigError(str(err)) from None


def script(params: dict, explicit: frozenset = frozenset()) -> str:
    """The script of one scene (or of the lecture) as Markdown or JSON: every beat's id, caption,
    narration as written and as spoken, and its placeholders; with ``script_file``, that edited
    script checked and said with this lesson's numbers."""
    import json

    from convprop.scenes.narration import ScriptError
    from convprop.scenes.registry import SCENES
    from convprop.scenes.render_lecture import lecture_scene
    from convprop.scenes.script import document, edited, markdown, tell, templates_for

    lesson = check("script", params, explicit)
    folder = params.get("takes_folder")
    if folder is not None and not Path(folder).is_dir():  # before the scenes are told
        raise ConfigError(f"--takes '{folder}' is not a folder; give the folder of recordings (one file per beat id)")
    scene = params.get("scene")
    lines = tell(SCENES[scene] if scene else lecture_scene(chosen(None)), lesson)
    if params.get("script_file"):
        try:
            lines = edited(lines, templates_for(params["script_file"], lines, lesson), lesson)
        except ScriptError as err:
            raise ConfigError(str(err)) from None
    try:
        doc = document(lines, lesson, scene, params.get("spoken_language") or "en")
    except ValueError as err:  # a language with no number words (VoiceError)
        raise ConfigError(str(err)) from None
    table = takes_survey(folder, lines, doc) if folder is not None else ""
    return json.dumps(doc, indent=1, ensure_ascii=False) if params["fmt"] == "json" else table + markdown(doc)


def takes_survey(folder: Path, lines, doc: dict) -> str:
    """The recordings of ``folder`` against the beats ``lines``: each beat of ``doc`` (the script's
    document) gets a ``take`` field, and ``doc`` a ``takes`` entry: the folder and the files in it
    that no beat plays; returns the same as a Markdown table."""
    from convprop.scenes.narration import CLAUSE_GAP, PAUSE
    from convprop.scenes.voice import Cache, Takes
    from convprop.scenes.voice.takes import clause_rooms, longest_take, markdown_table, strays_line, survey_rows

    animations = {line.id: line.seconds for line in lines}
    longest = {beat: longest_take(seconds, PAUSE) for beat, seconds in animations.items()}
    clauses = {line.id: clause_rooms(list(line.starts), line.start + line.seconds, CLAUSE_GAP, PAUSE)
               for line in lines if len(line.starts) > 1}
    survey = Takes(folder, Cache()).survey(list(animations), longest, clauses)
    rows = survey_rows(survey, animations, longest)
    for beat, row in zip(doc["beats"], rows):
        beat["take"] = {key: value for key, value in row.items() if key != "id"}
    doc["takes"] = {"folder": str(folder), "no_beat": [path.name for path in survey.strays]}
    return markdown_table(rows, folder) + strays_line(survey.strays) + "\n"


def lecture(params: dict, explicit: frozenset = frozenset()) -> dict:
    """The lecture (or the scenes of ``params['scene_list']``) as one video with sections and captions."""
    from convprop.scenes.render_lecture import render_lecture

    lesson = check("lecture", params, explicit)
    names = chosen(params.get("scene_list"))
    look = look_of(params["fmt"], params["theme"], params["transparent"])
    plan = narration_plan(params, None, lesson, lines=lambda: section_lines(names, lesson))
    with meter("lecture", total=len(names), quiet=params["quiet"]) as progress, sound_errors():
        return render_lecture(lesson, params["quality"], params["fmt"], params["output"], params["jobs"],
                              scenes=names, meter=progress, narration=plan, look=look)


def section_lines(names: list[str], lesson) -> list:
    """The beats of the lecture of ``names``, told section by section as the parallel lecture
    renders them: the same beats as the whole, with each section's own silent timing."""
    from convprop.scenes.render_lecture import lecture_scene
    from convprop.scenes.script import tell

    return [line for name in names for line in tell(lecture_scene([name]), lesson)]


def course(params: dict, explicit: frozenset = frozenset()) -> Path:
    """The course folder: the lecture, its page and tracks, the SCORM package and the exercises."""
    from convprop.course.build import CourseError, build_course
    from convprop.scenes.kit.style import look

    lesson = check("course", params, explicit)
    names = chosen(params.get("scene_list"))
    settings = {name: value for name, value in params.items() if name not in ("scene_list", "quality", "output",
                                                                                "jobs", "quiet")}
    plan = narration_plan(params, None, lesson, lines=lambda: section_lines(names, lesson))
    try:
        with meter("course", total=len(names), quiet=params["quiet"]) as progress, sound_errors():
            return build_course(lesson, names, params["quality"], params["output"], settings, jobs=params["jobs"],
                                look=look(params["theme"]), meter=progress, narration=plan,
                                exercises=lambda directory: course_exercises(lesson, directory, params))
    except CourseError as err:
        raise ConfigError(str(err)) from None


def course_exercises(lesson, directory: Path, params: dict) -> dict:
    """A course's exercises: the lesson's own, their sources naming the files its options named."""
    from convprop.exercises import build_for_course, command_args

    named = ("values_file", "mlp_values_file", "image", "kernel_name")  # what the lesson itself does not say
    args = command_args(lesson, *(params.get(name) for name in named)) if any(params.get(n) for n in named) else None
    return build_for_course(lesson, directory, args=args)


def exercises(params: dict, explicit: frozenset = frozenset()) -> list[Path]:
    """A worksheet, answer key and quizzes for each seed, into OUTPUT/seed-N/."""
    from convprop import exercises as sheets

    seeds = params.get("seeds")
    seed_list = sheets.parse_seeds(seeds) if seeds is not None else (params["seed"],)
    config, given = check("exercises", params, explicit, whole=False)
    request = sheets.Request(
        config=config, given=given, batch=params["batch"],
        mlp_given=read_values(params["mlp_values_file"]) if params.get("mlp_values_file") else {},
        rates=params["rates"], steps=params["steps"], topics=sheets.parse_topics(params.get("topics")),
        values_file=params.get("values_file"), mlp_values_file=params.get("mlp_values_file"),
        image=params.get("image"), kernel_name=params.get("kernel_name"),
    )
    with meter("exercises", total=len(seed_list), quiet=params["quiet"]) as progress:
        return sheets.build(request, seed_list, params["output"], meter=progress)


def scene_named(name: str) -> str:
    """``name`` if a scene has it; else ConfigError naming the scenes, and the near miss if any."""
    from convprop.scenes.registry import SCENES

    if name not in SCENES:
        raise ConfigError(f"unknown scene '{name}';{near_miss(name, SCENES)} choose one of: {', '.join(SCENES)}")
    return name


def chosen(listing: str | None) -> list[str]:
    """--scenes 'NAME,NAME,...' (None: all) -> names in lecture order; ConfigError for an unknown one."""
    from convprop.scenes.registry import SCENES, chosen_scenes

    try:
        return chosen_scenes(listing)
    except ValueError as err:
        unknown = [n.strip() for n in (listing or "").split(",") if n.strip() and n.strip() not in SCENES]
        hint = near_miss(unknown[0], SCENES) if unknown else ""
        reason, _, names = str(err).partition("; ")
        raise ConfigError(f"--scenes: {reason};{hint} {names}") from None


def drawable(names: list[str], config) -> None:
    """ConfigError if one of the scenes ``names`` cannot draw the input of ``config``."""
    from convprop.scenes.registry import SCENES

    for name in names:
        SCENES[name].story.check_drawable(config)


def look_of(fmt: str, theme: str, transparent: bool) -> dict:
    """Manim settings for the look; ConfigError for transparency in a format without alpha."""
    from convprop.scenes.kit.style import look

    if transparent and fmt not in ("webm", "png"):
        raise ConfigError(f"--transparent needs --format webm or png; {fmt} has no alpha channel")
    return look(theme, transparent)


def near_miss(name: str, known) -> str:
    """' did you mean forward-pass?' for a name one small slip away from a known one, else ''."""
    folded = {k.replace("_", "-").lower(): k for k in known}
    guess = folded.get(name.replace("_", "-").lower())
    matches = [guess] if guess else difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f" did you mean {matches[0]}?" if matches else ""
