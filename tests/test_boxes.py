"""The checker's boxes are Manim's own: every mobject of real screens measured both ways.

``tests/boxes.py`` reads points with numpy slices instead of Manim's family walks; if it drifted
from ``get_left()`` .. ``get_top()``, ``get_center()`` or ``height``, the checker would hold
scenes to places they are not drawn at. The screens are the default lesson's kernel-gradient
scene after every play: grids, outlines, pictures of marks, Typst text and formulas, groups and
mobjects without points.
"""

import numpy as np
import pytest
from manim import Circle, Dot, Group, VGroup, VMobject

from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.registry import SCENES
from tests import scene_check
from tests.boxes import Boxes


def _manim_box(m):
    return np.array([m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]])


def _same(m, boxes):
    np.testing.assert_allclose(boxes.box(m), _manim_box(m), rtol=0, atol=1e-12, err_msg=repr(m))
    np.testing.assert_allclose(boxes.center(m), m.get_center()[:2], rtol=0, atol=1e-12, err_msg=repr(m))
    assert boxes.height(m) == pytest.approx(m.height, abs=1e-12), repr(m)


def test_shapes_whose_handles_reach_beyond_their_anchors_and_empty_groups():
    circle = Circle(radius=1.3).shift([0.7, -0.2, 0])  # its handles stick out past its anchors
    mixed = Group(circle.copy(), Dot([2, 3, 0]))  # a Group is bounded by every point, handles too
    shapes = [circle, VGroup(circle.copy(), VMobject()), mixed, VGroup(), VMobject(), VMobject().set_points([[1, 2, 0]])]
    lazy, read = Boxes(), Boxes()  # each part measured when asked for, or all read at once first
    read.read([part for m in shapes for part in m.get_family()])
    for boxes in (lazy, read):
        for m in shapes:
            _same(m, boxes)
        assert boxes.box(mixed)[3] > boxes.box(VGroup(*mixed.submobjects))[3] - 1e-9


def test_every_mobject_of_a_scene_after_every_play():
    measured, trace = [], run_lesson(ModelConfig())

    class Measured(SCENES["kernel-gradient"]):
        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            boxes = Boxes()
            on_screen = scene_check._on_screen(self, boxes)
            boxes.read(on_screen)  # as the checker reads a screen: every part at once
            for m in on_screen:
                _same(m, boxes)
                measured.append(type(m).__name__)

    with scene_check.frameless():
        scene_check.walk(Measured(trace, skip_animations=True))
    assert {"NumberLabel", "Outline", "Typst"} <= set(measured), sorted(set(measured))


def test_a_grid_found_right_is_checked_again_once_anything_of_it_moves():
    """The checker passes over a grid left as it was when found right (to the bit), and checks it
    again after any play that moves a part of it: here a number leaving its cell, three plays
    after the grid was first found right, with waits and an unrelated number in between."""
    from manim import RIGHT, Wait

    from convprop.scenes.kit.fades import FadeIn
    from convprop.scenes.kit.grid import NumberGrid
    from convprop.scenes.story import Story, StoryScene

    class Strays(Story):
        name = "strays"

        def tell(self):
            grid = NumberGrid(self.trace, ("conv", "z"), 2, 0.8, "#ffffff")
            self.play(FadeIn(grid))
            self.play(Wait(0.1))
            self.play(FadeIn(NumberGrid(self.trace, ("conv", "kernel"), 1, 0.8, "#ffffff").to_edge(RIGHT)))
            self.play(grid.numbers[0].animate.shift(RIGHT * 0.5))

    class StraysScene(StoryScene):
        story = Strays

    with pytest.raises(scene_check.ScreenError, match=r"after play \d: number .* is not inside its cell"):
        scene_check.build_and_check(StraysScene, run_lesson(), legible="off")
