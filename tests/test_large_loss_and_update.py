"""loss-gradient and weight-update from a 28x28 digit: the maps too large to number are drawn as
pictures, the cells under discussion written close up, every number still the trace's.

Each case builds its scene through the on-screen checker, numbers under discussion held to the
legible size.
"""

import pytest

from convprop.mathcore import ModelConfig
from convprop.scenes.registry import SCENES
from tests.scene_check import build_and_check
from tests.test_scenes_onscreen import _picture_lesson

CASES = {
    "digit7-sobel-x-28x28-s1": (ModelConfig(input_size=(28, 28), stride=(1, 1)), "digit:7", "sobel-x"),
    "digit7-sobel-x-28x28-p1-relu-pool": (ModelConfig(input_size=(28, 28), stride=(1, 1), padding=1, relu=True,
                                                      pool=2), "digit:7", "sobel-x"),
}


@pytest.mark.parametrize("scene_name", ["loss-gradient", "weight-update"])
@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_a_large_digit_is_drawn_and_checked(scene_name, case):
    totals = build_and_check(SCENES[scene_name], _picture_lesson(*case), legible="focus")
    assert totals["plays"] > 0 and totals["numbers"] > 0
