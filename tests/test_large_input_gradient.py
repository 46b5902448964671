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

# one digit with the target 0, one with the target 1: the seeded dense weights keep the
# prediction off 0 and 1 for either, so the gradients have numbers to write out
DIGITS = {
    "digit7-sobel-x-28x28-s1-target0": (ModelConfig(input_size=(28, 28), stride=(1, 1)), "digit:7", "sobel-x", 0.0),
    "digit3-sobel-y-28x28-p1-s2-relu-pool": (
        ModelConfig(input_size=(28, 28), stride=(2, 2), padding=1, relu=True, pool=2), "digit:3", "sobel-y", 1.0),
}


def _digit_lesson(config, image, kernel, target):
    """The digit lesson of the on-screen tests, with the target given."""
    from convprop.inputs import image_values, open_source
    from convprop.mathcore.kernels import named_kernel

    return run_lesson(config, {"input": image_values(open_source(image), config.input_size).tolist(),
                               "kernel": named_kernel(kernel, config.kernel_size[0]).tolist(), "target": target})


def _check(lesson):
    totals = build_and_check(SCENES["input-gradient"], lesson, legible="focus")
    assert totals["plays"] > 0 and totals["marks"] > 0
    return totals


@pytest.mark.parametrize("case", list(DIGITS.values()), ids=list(DIGITS))
def test_input_gradient_of_a_digit_too_large_to_number(case):
    totals = _check(_digit_lesson(*case))
    assert totals["formula_numbers"] > 0  # each worked step's sum, and the window's entries close up
    assert totals["numbers"] > 0


def test_input_gradient_of_two_channels_ends_in_a_heat_map_per_channel():
    _check(run_lesson(ModelConfig(input_size=(5, 5), stride=(1, 1), channels=2)))


def test_input_gradient_of_a_layer_too_large_to_number():
    """Two channels, two filters, 22x22 padded: each filter's share and each channel's heat map
    drawn as pictures."""
    _check(run_lesson(ModelConfig(input_size=(20, 20), stride=(1, 1), channels=2, filters=2, padding=1)))
