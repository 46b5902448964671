"""The input gradient of a digit too large to number (28x28) and of a numbered layer's channels.

At 28x28 the padded dilated dL/dZ, dL/d(padded X) and dL/dX are pictures: the rotated kernel's
window is outlined on the picture, its entries written close up (a loupe), each sum paints its
cell, and dL/dX, a heat map already, is where the loss is sensitive. With several channels every
channel's dL/dX turns into its own heat map, named. Every case is built and checked after every
play (numbers, marks on their cells, pictures' shades, legibility of what is under discussion).
"""

import pytest

from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.registry import SCENES
from tests.scene_check import build_and_check
from tests.test_scenes_onscreen import _picture_lesson

DIGITS = {
    "digit7-sobel-x-28x28-s1": (ModelConfig(input_size=(28, 28), stride=(1, 1)), "digit:7", "sobel-x"),
    "digit3-sobel-y-28x28-p1-s2-relu-pool": (
        ModelConfig(input_size=(28, 28), stride=(2, 2), padding=1, relu=True, pool=2), "digit:3", "sobel-y"),
}


def _check(lesson):
    totals = build_and_check(SCENES["input-gradient"], lesson, legible="focus")
    assert totals["plays"] > 0 and totals["marks"] > 0
    return totals


@pytest.mark.parametrize("case", list(DIGITS.values()), ids=list(DIGITS))
def test_input_gradient_of_a_digit_too_large_to_number(case):
    totals = _check(_picture_lesson(*case))
    assert totals["formula_numbers"] > 0  # each worked step's sum, and the window's entries close up
    assert totals["numbers"] > 0


def test_input_gradient_of_two_channels_ends_in_a_heat_map_per_channel():
    _check(run_lesson(ModelConfig(input_size=(5, 5), stride=(1, 1), channels=2)))
