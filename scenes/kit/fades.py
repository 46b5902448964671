"""Manim's FadeIn and FadeOut, drawn the same, without copying what fades.

Manim fades by transforming: a fade begins by deep-copying its mobject two or three times (a
faded copy to start or end at, a copy of the target, a copy of the start), every cell, glyph and
colour of it. A fade changes only opacity, and with ``shift`` position, yet those copies were a
third of the time of a story that fades a 28x28 picture's 784 cells in and out, or clears a
stage at the end of each part, in a render as in a check.

These fades keep each drawn part's points and colours (numpy arrays, not copies of mobjects) and
the faded ones Manim's fade would start or end at, and move each part between them with Manim's
own interpolation, part by part and with its lag. So every frame is the one Manim's fade draws
(``tests/test_fades.py`` compares them), and a fade ends with its mobject exactly as Manim's
leaves it. A fade these cannot draw the same way (a ``scale`` or ``target_position``, a part that
is not vectorised or has a sheen) is Manim's own.

Stories import ``FadeIn`` and ``FadeOut`` from here instead of from Manim.
"""

import numpy as np
from manim import FadeIn as ManimFadeIn
from manim import FadeOut as ManimFadeOut
from manim import VMobject
from manim.utils.bezier import interpolate

# What Manim's Transform moves between start and end (Mobject.interpolate, VMobject.interpolate_color)
_COLOURS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "stroke_width", "background_stroke_width",
            "sheen_direction", "sheen_factor")
_RGBAS = _COLOURS[:3]


def _drawn_the_same(fade) -> bool:
    """Whether a fade moves nothing but opacity and a shift, so that arrays can stand for copies."""
    if fade.scale_factor != 1 or fade.point_target:
        return False
    return all(isinstance(part, VMobject) and part.sheen_factor == 0 for part in fade.mobject.family_members_with_points())


def _state(part) -> dict:
    """A part's points and colours as they are (the fade replaces them, never writes into them)."""
    return {"points": part.points, **{name: getattr(part, name) for name in _COLOURS}}


def _faded(state: dict, shift: np.ndarray) -> dict:
    """``state`` as Manim's ``fade(1)`` and ``shift`` leave a copy: transparent, and moved."""
    faded = dict(state, points=state["points"] + shift)
    for name in _RGBAS:
        faded[name] = state[name].copy()
        faded[name][:, 3] = 0.0
    return faded


class _SceneFamily:
    """Which mobjects a scene holds, as ``Animation._setup_scene`` asks before a fade in adds its
    mobject. Manim walks the whole scene's family for each fade; a play that fades in hundreds of
    numbers one by one walked it hundreds of times. The fades of one play share one walk, kept up
    to date as they add their mobjects, and made again whenever anything else changed the scene's
    list."""

    def __init__(self):
        self.scene, self.play, self.tops, self.ids = None, None, [], set()

    def holds(self, scene, mobject) -> bool:
        tops = scene.mobjects
        fresh = (self.scene is scene and self.play == scene.renderer.num_plays and len(self.tops) == len(tops)
                 and all(a is b for a, b in zip(self.tops, tops)))
        if not fresh:
            self.scene, self.play, self.tops = scene, scene.renderer.num_plays, list(tops)
            self.ids = {id(m) for m in scene.get_mobject_family_members()}
        return id(mobject) in self.ids

    def add(self, scene, mobject) -> None:
        """``scene.add(mobject)`` of a mobject it did not hold: its family joins the scene's.

        Manim's ``Scene.add`` first takes the newcomer's family out of every group on the scene,
        looking through each; where no part of the family is on the scene (and nothing is kept in
        front or moving), that changes nothing, and the newcomer is put last, as Manim puts it.
        """
        family = mobject.get_family()
        if (self.scene is scene and not scene.foreground_mobjects and not scene.moving_mobjects
                and self.ids.isdisjoint(map(id, family))):
            scene.mobjects = [*scene.mobjects, mobject]
        else:
            scene.add(mobject)
        if self.scene is scene:
            self.tops = list(scene.mobjects)
            self.ids.update(map(id, family))


_FAMILY = _SceneFamily()


class _ArrayFade:
    """What both fades share: the states each part moves between, and Manim's step between them.
    A fade these cannot draw the same way is left to Manim's (``super()``)."""

    _moves = None  # (part, start, end) of each drawn part once begun; None: Manim's own fade

    def _setup_scene(self, scene) -> None:
        """As ``Animation._setup_scene``: a fade in adds its mobject unless the scene holds it."""
        if scene is not None and self.is_introducer() and not _FAMILY.holds(scene, self.mobject):
            _FAMILY.add(scene, self.mobject)

    def begin(self) -> None:
        if not _drawn_the_same(self):
            self._moves = None
            return super().begin()
        parts = self.mobject.family_members_with_points()
        fading_in = self.is_introducer()
        shift = self.shift_vector * (-1 if fading_in else 1)
        states = [_state(part) for part in parts]
        faded = [_faded(state, shift) for state in states]
        ends = zip(faded, states) if fading_in else zip(states, faded)
        self._moves = [(part, start, end) for part, (start, end) in zip(parts, ends)]
        self.starting_mobject = self.mobject  # nothing is copied: updaters see the mobject itself
        if self.suspend_mobject_updating:
            self.mobject.suspend_updating()
        self.interpolate(0)

    def interpolate_mobject(self, alpha: float) -> None:
        """As ``Transform.interpolate_mobject``: each part's sub-alpha, then ``Mobject.interpolate``."""
        if self._moves is None:
            return super().interpolate_mobject(alpha)
        count = len(self._moves)
        for i, (part, start, end) in enumerate(self._moves):
            sub_alpha = self.get_sub_alpha(alpha, i, count)
            part.points = interpolate(start["points"], end["points"], sub_alpha)
            for name in _COLOURS:
                value = interpolate(start[name], end[name], sub_alpha)
                if sub_alpha == 1.0:
                    value = end[name].copy() if isinstance(end[name], np.ndarray) else end[name]
                setattr(part, name, value)

    def get_all_mobjects(self):
        return super().get_all_mobjects() if self._moves is None else [self.mobject]


class FadeIn(_ArrayFade, ManimFadeIn):
    """Manim's ``FadeIn``, without its copies where it draws the same without them."""


class FadeOut(_ArrayFade, ManimFadeOut):
    """Manim's ``FadeOut``, without its copies where it draws the same without them. As Manim's,
    it leaves its mobject as it found it once the mobject has left the scene (its clean-up
    interpolates back to the start)."""
