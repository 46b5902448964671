"""chain-rule at a 28x28 input, too large to number: X drawn as a picture, dL/dZ a picture when
it has more than 16 cells a side (numbers when it fits), each term's window numbers written close
up, every number checked against the trace and every number under discussion legible; and a
layer at that size, its weight's channel pictured and its window's gaps greyed on the picture.
"""

import pytest

from convprop.mathcore import ModelConfig
from tests.test_scenes_onscreen import _check

# A digit 7 the network already calls a 7 with certainty has dL/dZ ~ 1e-11, every term 0.000 at
# the decimals shown: with the target 0 the gradients are worth reading.
LARGE = {
    # dL/dZ 26x26: a picture, beside the input's
    "digit7-sobel-x-28x28-s1-target0": (ModelConfig(input_size=(28, 28), stride=(1, 1)), "digit:7", "sobel-x",
                                        {"target": 0.0}),
    # the padded input 30x30 a picture, dL/dZ 14x14 numbers brought close by the camera
    "digit3-sobel-x-28x28-p1-s2-relu-pool2": (ModelConfig(input_size=(28, 28), stride=(2, 2), padding=1, relu=True,
                                                          pool=2), "digit:3", "sobel-x", {}),
}


def _lesson(config, image, kernel, given):
    """The digit through the named kernel, as the CLI's --image and --kernel give it, with ``given``."""
    from convprop.inputs import image_values, open_source
    from convprop.mathcore.kernels import named_kernel
    from convprop.mathcore.lesson import run_lesson

    values = {"input": image_values(open_source(image), config.input_size).tolist(),
              "kernel": named_kernel(kernel, config.kernel_size[0]).tolist()} | given
    return run_lesson(config, values)


@pytest.mark.parametrize("case", list(LARGE.values()), ids=list(LARGE))
def test_chain_rule_draws_a_large_input_as_a_picture(case):
    _check("chain-rule", _lesson(*case))


def test_chain_rule_draws_a_large_layer_input_as_a_picture():
    """Two channels and two filters, padded, dilated and strided: channel 2 of X is the picture,
    filter 1's dL/dZ (13x13) numbers."""
    from convprop.mathcore.lesson import run_lesson

    _check("chain-rule", run_lesson(ModelConfig(input_size=(28, 28), stride=(2, 2), padding=1, channels=2, filters=2,
                                                dilation=(2, 2), relu=True, pool=2)))
