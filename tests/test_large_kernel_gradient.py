"""kernel-gradient from an input too large to number: a 28x28 digit, and a layer's 20x20 input.

X is a picture, and so is dL/dZ when it is more than 16 a side (26x26 at stride 1), while a
14x14 dL/dZ (padding 1, stride 2) stays numbers; dL/dW is always numbers. Every number written
(the patch close up, an entry's first terms, the filled dL/dW) equals the trace, every window
and lit cell sits on the cells the trace names, and those under discussion are legible.
"""

import pytest

from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson
from tests.test_scenes_onscreen import _check, _picture_lesson

DIGITS = {
    "digit7-sobel-x-28x28-s1": (ModelConfig(input_size=(28, 28), stride=(1, 1)), "digit:7", "sobel-x"),
    "digit3-sobel-y-28x28-p1-s2-relu-pool2": (ModelConfig(input_size=(28, 28), stride=(2, 2), padding=1, relu=True,
                                                          pool=2), "digit:3", "sobel-y"),
}


@pytest.mark.parametrize("case", list(DIGITS.values()), ids=list(DIGITS))
def test_kernel_gradient_draws_a_digit_too_large_to_number(case):
    _check("kernel-gradient", _picture_lesson(*case))


# a layer past the legible size: every channel's input a picture, each filter's dL/dZ too (18x18),
# and a dilated kernel at stride 2, whose dL/dZ (8x8) stays numbers beside the pictured input
LAYERS = {
    "2-channels-2-filters-20x20-s1": ModelConfig(input_size=(20, 20), stride=(1, 1), channels=2, filters=2),
}


@pytest.mark.parametrize("config", list(LAYERS.values()), ids=list(LAYERS))
def test_kernel_gradient_draws_a_layer_too_large_to_number(config):
    _check("kernel-gradient", run_lesson(config))
