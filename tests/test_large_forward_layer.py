"""forward-pass of a layer at inputs too large to number: a 28x28 RGB photo in three channels
through two filters (ReLU and pooling on each map, a picture at 26x26 and numbers at 13x13), two
28x28 channels through one dilated filter with padding, stride, ReLU and pooling, and one 28x28
digit through two filters (its picture beside the kernel, as one channel is drawn). Each channel is a picture with the window outlined on it and its numbers close
up in a loupe; a map is a picture past 16 cells a side; the checker holds every number, mark and
painted cell to the trace, and the numbers under discussion to the legible size.
"""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from convprop.inputs import image_values, open_source
from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson
from convprop.inputs.settings import lesson_from_settings
from convprop.scenes.registry import SCENES
from tests.scene_check import build_and_check

SIDE = 28


def rgb_photo() -> Image.Image:
    """A small colour picture: a red disc, a green bar and a blue square on grey, so each channel
    holds a different shape."""
    image = Image.new("RGB", (56, 56), (90, 90, 90))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, 30, 30), fill=(230, 40, 40))
    draw.rectangle((34, 4, 44, 52), fill=(40, 200, 60))
    draw.rectangle((8, 36, 28, 52), fill=(50, 70, 220))
    return image


def rgb_lesson():
    config = ModelConfig(input_size=(SIDE, SIDE), stride=(1, 1), channels=3, filters=2, relu=True, pool=2)
    return run_lesson(config, {"input": image_values(rgb_photo(), (SIDE, SIDE)).tolist()})


def two_digits_lesson():
    """A 7 and a 3 as two channels of one input."""
    config = ModelConfig(input_size=(SIDE, SIDE), stride=(2, 2), padding=1, channels=2, filters=1, relu=True,
                         pool=2, dilation=(2, 2))
    digits = np.stack([image_values(open_source(f"digit:{d}"), (SIDE, SIDE)) for d in (7, 3)])
    return run_lesson(config, {"input": digits.tolist()})


def digit_two_filters_lesson():
    return lesson_from_settings(image="digit:7", filters=2, input_size=SIDE, stride=1)


CASES = {
    "rgb-28x28-3-channels-2-filters-s1-relu-pool2": rgb_lesson,
    "digits-28x28-2-channels-p1-s2-relu-pool2-dilation2": two_digits_lesson,
    "digit7-28x28-1-channel-2-filters-s1": digit_two_filters_lesson,
}


@pytest.mark.parametrize("lesson", list(CASES.values()), ids=list(CASES))
def test_forward_pass_draws_a_large_layer_as_pictures(lesson):
    trace = lesson()
    assert not trace.config.numbered  # too large to number: the pictures' path
    totals = build_and_check(SCENES["forward-pass"], trace, legible="focus")
    assert totals["plays"] > 0 and totals["marks"] > 0
    assert totals["numbers"] + totals["formula_numbers"] > 0
