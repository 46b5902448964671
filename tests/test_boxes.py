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
    shapes = [circle, VGroup(circle.copy(), VMobject()), mixed, VGroup(), VMobject()]
    boxes = Boxes()
    for m in shapes:
        _same(m, boxes)
    assert boxes.box(mixed)[3] > boxes.box(VGroup(*mixed.submobjects))[3] - 1e-9


def test_every_mobject_of_a_scene_after_every_play():
    measured, trace = [], run_lesson(ModelConfig())

    class Measured(SCENES["kernel-gradient"]):
        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            boxes = Boxes()
            for m in scene_check._on_screen(self, boxes):
                _same(m, boxes)
                measured.append(type(m).__name__)

    with scene_check.frameless():
        scene_check.walk(Measured(trace, skip_animations=True))
    assert {"NumberLabel", "Outline", "Typst"} <= set(measured), sorted(set(measured))
