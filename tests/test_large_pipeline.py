"""The whole CNN from a 28x28 digit: every map too large to number is a picture, and the numbers
under discussion (the worked sums of dL/db1 and of one dL/dW1 entry, the batch's averages) are
still legible and equal to the trace.

Each case is the lesson the command builds for ``--image digit:7 --kernel sobel-x
--input-size 28``: at stride 1 every map from X to dL/dZ1 is a picture (26x26 under the 3x3
kernel, 13x13 once pooled); at stride 2 with padding 1 only X is (30x30 padded, Z1 14x14); a
layer's every channel and map likewise.
"""

import pytest

from convprop.inputs import image_values, open_source
from convprop.mathcore import ModelConfig
from convprop.mathcore.kernels import named_kernel
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.registry import SCENES
from tests.scene_check import build_and_check


def _digit_lesson(config: ModelConfig, image: str, kernel: str | None, batch: int):
    """The lesson of a digit (in every channel) and a named kernel (else the seed's), as the
    command builds it, on a batch of ``batch``."""
    digit = image_values(open_source(image), config.input_size).tolist()
    given = {"input": digit if config.channels == 1 else [digit] * config.channels}
    if kernel is not None:
        given["kernel"] = named_kernel(kernel, config.kernel_size[0]).tolist()
    return run_lesson(config, given, batch=batch)


LARGE = {
    "digit7-sobel-x-28x28-s1-relu-pool2-batch2": (ModelConfig(input_size=(28, 28), stride=(1, 1), relu=True, pool=2),
                                                  "digit:7", "sobel-x", 2),
    # a layer: the digit in three channels, two filters of the seed's, each channel and map a picture
    "digit7-3-channels-2-filters-28x28-s1-batch2": (ModelConfig(input_size=(28, 28), stride=(1, 1), channels=3,
                                                                filters=2), "digit:7", None, 2),
}


@pytest.mark.parametrize("case", list(LARGE.values()), ids=list(LARGE))
def test_pipeline_draws_a_digit_too_large_to_number(case):
    config, image, kernel, batch = case
    lesson = _digit_lesson(config, image, kernel, batch)
    assert not lesson.pipeline.config.numbered  # the case is one the pictures are for
    totals = build_and_check(SCENES["cnn-pipeline"], lesson, legible="focus")
    assert totals["plays"] > 0
    assert totals["numbers"] + totals["formula_numbers"] > 0
    assert totals["min_focus_px"] >= 9.0
