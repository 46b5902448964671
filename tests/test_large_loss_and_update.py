"""loss-gradient and weight-update from a 28x28 digit: the maps too large to number are drawn as
pictures, the cells under discussion written close up, every number still the trace's.

Each case builds its scene through the on-screen checker, numbers under discussion held to the
legible size.
"""

import numpy as np
import pytest

from convprop.inputs import image_values, open_source
from convprop.mathcore import ModelConfig
from convprop.mathcore.close_up import close_up
from convprop.mathcore.kernels import named_kernel
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.registry import SCENES
from tests.scene_check import build_and_check
from tests.test_scenes_onscreen import _picture_lesson

CASES = {
    "digit7-sobel-x-28x28-s1": (ModelConfig(input_size=(28, 28), stride=(1, 1)), "digit:7", "sobel-x"),
    "digit7-sobel-x-28x28-p1-relu-pool": (ModelConfig(input_size=(28, 28), stride=(1, 1), padding=1, relu=True,
                                                      pool=2), "digit:7", "sobel-x"),
}



def _two_filters_lesson():
    """The 28x28 digit 7 through two filters, sobel-x and sobel-y, padded, ReLU'd and pooled."""
    config = ModelConfig(input_size=(28, 28), stride=(1, 1), padding=1, relu=True, pool=2, filters=2)
    kernels = [[named_kernel(name).tolist()] for name in ("sobel-x", "sobel-y")]
    return run_lesson(config, {"input": image_values(open_source("digit:7"), (28, 28)).tolist(), "kernel": kernels})


@pytest.mark.parametrize("scene_name", ["loss-gradient", "weight-update"])
@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_a_large_digit_is_drawn_and_checked(scene_name, case):
    trace = _picture_lesson(*case)
    assert not trace.config.numbered  # too large to number: the pictures' path
    totals = build_and_check(SCENES[scene_name], trace, legible="focus")
    assert totals["plays"] > 0 and totals["numbers"] > 0


@pytest.mark.parametrize("scene_name", ["loss-gradient", "weight-update"])
def test_a_large_layer_is_drawn_and_checked(scene_name):
    totals = build_and_check(SCENES[scene_name], _two_filters_lesson(), legible="focus")
    assert totals["plays"] > 0 and totals["numbers"] > 0


def test_the_block_read_closely_is_where_the_relu_passes_some_cells_and_blocks_others():
    trace = _picture_lesson(*CASES["digit7-sobel-x-28x28-p1-relu-pool"])
    spot = close_up(trace.conv.z, trace.head_geometry.relu_mask, pool=2, side=2)
    mask = trace.head_geometry.relu_mask[spot.z_block]
    assert mask.shape == (4, 4) and 0 < mask.sum() < mask.size
    assert trace.dL_dpooled[spot.p_block].shape == (2, 2)
    # its winners, as cells of the block, are where P's gradients land in dL/dA
    winners = trace.head_geometry.pool_winners[spot.p_block]
    landed = trace.dL_dactivated[spot.z_block]
    for (r, c), value in zip(spot.within(winners), trace.dL_dpooled[spot.p_block].ravel()):
        assert landed[r, c] == value
    # with nothing to tell apart, the first block
    assert close_up(np.zeros((6, 6)), side=3).origin == (0, 0)
