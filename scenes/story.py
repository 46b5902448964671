"""A story is the script of one part of the lecture; a scene is what renders it.

Keeping the two apart lets the same story play alone (``convprop render NAME``) or as one
section of the whole lecture (``convprop lecture``). A story's ``tell`` reads like the lecture
script: a short list of beats, each a method named as a teacher would name it.
"""

from contextlib import contextmanager
from typing import NamedTuple

import numpy as np

from manim import DOWN, ORIGIN, UP, ManimColor, MovingCameraScene, VGroup, config

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Formula, plain
from convprop.scenes.narration import CLAUSE_GAP, PAUSE, Narration, Narrator, ScriptError
from convprop.scenes.kit.layout import LEGIBLE_HEIGHT
from convprop.mathcore.config import NUMBERED_SIDE
from convprop.inputs.settings import SettingError
from convprop.scenes.kit.style import TEXT, THEMES, TITLE_SIZE, theme_for_background, use_theme


class Story:
    name = ""  # the CLI name, e.g. "forward-pass"
    summary = ""  # one line for `convprop list`
    # Whether the story draws the input X, and whether it can draw one too large to number
    # (padded past NUMBERED_SIDE) as a picture with its working region close up: one channel's
    # (``pictures_large_input``), and a layer's (``pictures_large_layer``: every channel, filter).
    draws_input = True
    pictures_large_input = False
    pictures_large_layer = False
    # Whether the story draws a layer (channels, filters, dilation) as it is. Every convprop story
    # does; one written for a single channel (a library user's, say) would show filter 0 and
    # channel 0 beside sums that count every channel: a false equation, so it refuses instead.
    draws_layers = False

    @classmethod
    def check_drawable(cls, config) -> None:
        """Refuse, naming the way out, an input this story cannot write legibly or a layer it does
        not draw (SettingError)."""
        if cls.draws_input and not cls.draws_layers and not config.is_single_channel:
            raise SettingError(f"{cls.name} draws one channel, one filter and no dilation; leave --channels, "
                               f"--filters and --dilation at 1 for it")
        pictures = cls.pictures_large_input if config.is_single_channel else cls.pictures_large_layer
        if not cls.draws_input or config.numbered or pictures:
            return
        rows, cols = config.padded_size
        raise SettingError(f"{cls.name} writes X as numbers, legible up to a {NUMBERED_SIDE}x{NUMBERED_SIDE} padded "
                           f"input, and this one is {rows}x{cols}; use a smaller --input-size or --padding")

    def __init__(self, scene: MovingCameraScene, trace):
        self.scene, self.trace = scene, trace

    def tell(self):
        raise NotImplementedError

    # -- building blocks -------------------------------------------------------------------

    def formula(self, *parts, **kwargs) -> Formula:
        return Formula(self.trace, parts, **kwargs)

    def input_name(self) -> str:
        """What the input grid is called on screen; the padding zeros are part of what is drawn."""
        return "input X (zero-padded)" if self.trace.config.padding else "input X"

    def play(self, *animations, **kwargs):
        self.scene.play(*animations, **kwargs)

    def wait(self, seconds: float = 1.0):
        self.scene.wait(seconds)

    def clear(self):
        """Fade everything out, to start the next part on an empty stage."""
        if self.scene.mobjects:
            self.play(*(FadeOut(m) for m in self.scene.mobjects), run_time=0.6)

    def show_title(self, text: str):
        heading = plain(f"*{text}*", font_size=TITLE_SIZE, color=TEXT)
        heading.to_edge(UP, buff=0.25)
        self.play(FadeIn(heading, shift=DOWN * 0.2), run_time=0.6)
        return heading

    @contextmanager
    def closely(self, *mobjects, digits=(), opening=(), closing=()):
        """Bring ``mobjects`` close while the block runs, when ``digits`` are too small to read.

        A large grid is an overview: its numbers may be smaller than a viewer can read, but the
        ones under discussion may not. So when the smallest of ``digits`` is below the legible
        height, the camera zooms until it is legible, centred on ``mobjects`` as far as the
        whole frame allows, with the ``opening`` animations; after the block it backs out to
        the whole frame with the ``closing`` ones. When they are legible already the camera stays, and the openings and
        closings play where the zoom would have. The ``digits`` are marked under discussion
        (``focus``), so the tests hold them to the legible size while they are.
        """
        frame = self.scene.camera.frame
        for digit in digits:
            digit.focus = True
        smallest = min((d.height for d in digits), default=LEGIBLE_HEIGHT)
        zoom = LEGIBLE_HEIGHT * 1.04 / smallest if smallest < LEGIBLE_HEIGHT else 1.0
        # centred on them, but never looking past the edge of the whole frame
        room = np.array([config.frame_width, config.frame_height, 0]) * (1 - 1 / zoom) / 2
        centre = np.clip(VGroup(*mobjects).get_center(), -room, room)
        moves = [frame.animate.set(width=config.frame_width / zoom).move_to(centre)] if zoom > 1 else []
        if moves or opening:
            self.play(*moves, *opening, run_time=0.8)
        yield
        back = [frame.animate.set(width=config.frame_width).move_to(ORIGIN)] if zoom > 1 else []
        if back:
            for digit in digits:
                digit.focus = False  # back at the overview: no longer under discussion
        if back or closing:
            self.play(*back, *closing, run_time=0.8)

    @contextmanager
    def beat(self, caption: str, narration: Narration | None = None):
        """One beat of the script, ``<scene>/<NN>``; its caption becomes a subtitle lasting as long
        as the beat. ``narration`` (``scenes.narration.say``) is what a teacher says meanwhile;
        without one the caption is said, and the script marks the beat not yet written.

        When a voice speaks the beat (the scene's ``narrator`` has its clip), the clip starts with
        the beat and the beat lasts at least the clip and a short pause: a wait is added after
        its animations, which are never sped up. A narrated render's subtitle is the sentence.

        A narration of several clauses (``narration.clauses``) is said step by step: the beat's
        animations are run in as many ``step`` blocks, each starting its clause's clip.
        """
        narrator = getattr(self.scene, "narrator", None)
        if narrator is None:  # a story told in the user's own scene: silent, its captions short
            narrator = self.scene.narrator = Narrator()
        line = narrator.line(narrator.next_id(self.name), caption, narration, self.trace)
        start = self.scene.time
        ids = line.clause_ids
        self._beat_steps = _Steps(narrator, ids, [])
        if len(ids) == 1:
            self._start_clause()
        try:
            yield
        finally:
            steps, self._beat_steps = self._beat_steps, None
        if len(steps.starts) != len(ids):
            raise ScriptError(f"beat {line.id} has {len(ids)} clauses but played {len(steps.starts)} steps; "
                              "run one `with self.step():` per clause")
        clip = narrator.clips.get(ids[-1])
        if clip is not None:
            self._wait_until(steps.starts[-1] + clip.seconds + PAUSE)
        duration = self.scene.time - start
        narrator.told(line, start, duration, steps.starts)
        if duration > 0:
            shown = line.written if narrator.narrated else caption
            self.scene.add_subcaption(shown, duration=duration, offset=-duration)

    @contextmanager
    def step(self):
        """One step of a beat whose narration has a clause per step: it starts when the previous
        clause has been said (and a short gap), with its own clause's clip. Silent, it waits for
        nothing: a render without a voice keeps its timing."""
        steps = getattr(self, "_beat_steps", None)
        if steps is None or len(steps.ids) == 1:
            raise ScriptError("a step belongs in a beat whose narration has a clause per step (narration.clauses)")
        if len(steps.starts) == len(steps.ids):
            raise ScriptError(f"beat {steps.ids[0].rsplit('/', 1)[0]} has {len(steps.ids)} clauses and plays "
                              "a step more; give every step its clause")
        if steps.starts:
            clip = steps.narrator.clips.get(steps.ids[len(steps.starts) - 1])
            if clip is not None:
                self._wait_until(steps.starts[-1] + clip.seconds + CLAUSE_GAP)
        self._start_clause()
        yield

    def _start_clause(self):
        """The next clause of the beat starts now: its clip, if a voice speaks it."""
        steps = self._beat_steps
        clip = steps.narrator.clips.get(steps.ids[len(steps.starts)])
        steps.starts.append(self.scene.time)
        if clip is not None:
            self.scene.add_sound(str(clip.path))

    def _wait_until(self, moment: float):
        """Wait until ``moment``: at least a frame, the shortest wait a movie has (Manim would
        lengthen a shorter one to a frame itself, with a warning)."""
        if self.scene.time < moment:
            self.scene.wait(max(moment - self.scene.time, 1 / config.frame_rate))


class _Steps(NamedTuple):
    """The beat being told: its narrator, its clauses' ids and when each clause started."""
    narrator: Narrator
    ids: list
    starts: list


class StoryScene(MovingCameraScene):
    """Renders one story from a lesson. Subclasses set ``story``.

    Its camera can move (``Story.closely``): a grid too large to read whole is shown whole, and
    the cells under discussion brought close; every story leaves the camera on the whole frame.

    Given no lesson, the scene computes its own from its class attributes, any of the settings
    of ``mathcore.settings`` (``input_size``, ``kernel_size``, ``stride``, ``padding``, ``seed``,
    ``relu``, ``pool``, ``learning_rate``, ``values``, ``batch``, ``mlp_values``, ``rates``,
    ``steps``, ``channels``, ``filters``, ``dilation``, ``image``, ``kernel``), so Manim's own
    ``manim render FILE.py SceneName`` and ``%%manim`` work::

        class MyForward(ForwardPassScene):
            input_size = (7, 7)
            stride = (2, 1)
            padding = 1

        class MyDigit(ForwardPassScene):
            image = "digit:7"  # or the path of an image file
            kernel = "sobel-x"
            input_size = 12
            stride = 1
    """

    story: type[Story] = Story
    # "dark" or "light"; None follows Manim's background colour (config, manim.cfg, --background_color)
    theme: str | None = None
    # makes the scene's narrator (``scenes.narration``): the edited script and the voice's clips
    narrator_factory = Narrator

    def __init__(self, trace=None, **kwargs):
        self.narrator = self.narrator_factory()
        if self.theme is not None and self.theme not in THEMES:
            raise SettingError(f"theme must be one of {', '.join(map(repr, THEMES))} (or None to follow the "
                               f"background colour), got {self.theme!r}")
        self.trace = trace if trace is not None else self.lesson_from_attributes()
        self.story.check_drawable(self.trace.config)
        super().__init__(**kwargs)

    @classmethod
    def lesson_from_attributes(cls):
        """The lesson the class attributes describe; SettingError (a ValueError) names a bad one."""
        from convprop.inputs.settings import DEFAULTS, lesson_from_settings

        cls.refuse_misspelled_settings()
        return lesson_from_settings(**{name: getattr(cls, name) for name in DEFAULTS if hasattr(cls, name)})

    @classmethod
    def refuse_misspelled_settings(cls) -> None:
        """SettingError for a class attribute that looks like a misspelled setting (``input_sizes``
        for ``input_size``), which would otherwise be ignored without a word.

        Only the user's own classes are read (those not defined by convprop). An attribute is
        left alone when it is a setting, Manim's, a method or property, private, or not a
        near miss of a setting: a user's own state may have any other name.
        """
        import difflib

        from convprop.inputs.settings import DEFAULTS

        own = [k for k in cls.__mro__ if k.__module__ and not k.__module__.startswith(("convprop.", "manim."))
               and k is not object]
        for klass in own:
            for name, value in vars(klass).items():
                if (name.startswith("_") or name in DEFAULTS or name.lower() != name
                        or hasattr(MovingCameraScene, name) or callable(value)
                        or isinstance(value, (property, classmethod, staticmethod))):
                    continue
                guess = difflib.get_close_matches(name, list(DEFAULTS), n=1, cutoff=0.8)
                if guess:
                    raise SettingError(f"{klass.__name__}.{name} is not a setting; did you mean {guess[0]}? "
                                       f"The settings are: {', '.join(DEFAULTS)}")

    def setup(self):
        """Pick the theme before anything is built: Manim bakes colours in when a mobject is made."""
        if self.theme is None:
            use_theme(theme_for_background(self.camera.background_color), self.camera.background_color)
        else:
            theme = use_theme(self.theme)
            self.camera.background_color = ManimColor(theme.background)
            self.camera.init_background()

    def construct(self):
        self.story(self, self.trace).tell()
