"""The named kernels equal their textbook definitions, written out here by hand."""

import numpy as np
import pytest

from convprop.mathcore import run_model, ModelConfig
from convprop.mathcore.exact import as_written
from convprop.mathcore.kernels import KERNELS, NAMES, name_of, named_kernel, sizes_of

TEXTBOOK_3 = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "box-blur": [[1 / 9] * 3] * 3,
    "gaussian-blur": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "sobel-x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel-y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "edge": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
}
GAUSS_5 = [[1, 4, 6, 4, 1], [4, 16, 24, 16, 4], [6, 24, 36, 24, 6], [4, 16, 24, 16, 4], [1, 4, 6, 4, 1]]
TEXTBOOK_5 = {
    "identity": [[1 if (r, c) == (2, 2) else 0 for c in range(5)] for r in range(5)],
    "box-blur": [[1 / 25] * 5] * 5,
    "gaussian-blur": [[v / 256 for v in row] for row in GAUSS_5],
}
# The two the video cannot write exactly in four decimals, as the video writes them.
WRITTEN = {
    (3, "box-blur"): [[0.1111] * 3] * 3,
    (5, "gaussian-blur"): [[0.0039, 0.0156, 0.0234, 0.0156, 0.0039], [0.0156, 0.0625, 0.0938, 0.0625, 0.0156],
                           [0.0234, 0.0938, 0.1406, 0.0938, 0.0234], [0.0156, 0.0625, 0.0938, 0.0625, 0.0156],
                           [0.0039, 0.0156, 0.0234, 0.0156, 0.0039]],
}


@pytest.mark.parametrize("side, textbook", [(3, TEXTBOOK_3), (5, TEXTBOOK_5)])
def test_named_kernels_are_the_textbook_ones_as_written(side, textbook):
    assert set(KERNELS[side]) == set(textbook)
    for name, definition in textbook.items():
        ours = named_kernel(name, side)
        expected = WRITTEN.get((side, name), definition)
        np.testing.assert_array_equal(ours, expected, err_msg=name)
        np.testing.assert_allclose(ours, definition, atol=0.00005, err_msg=name)  # off by at most the rounding
        for value in ours.flat:  # at most four decimals: a grid writes each one exactly
            assert as_written(value) * 10_000 == int(as_written(value) * 10_000), (name, value)
            assert str(value) != "-0.0"


def test_names_sizes_and_reverse_lookup():
    assert NAMES == tuple(TEXTBOOK_3)
    assert sizes_of("box-blur") == (3, 5) and sizes_of("sobel-x") == (3,) and sizes_of("blur") == ()
    with pytest.raises(KeyError):
        named_kernel("sobel-x", 5)
    with pytest.raises(KeyError):
        named_kernel("emboss")
    for side, named in KERNELS.items():
        for name, kernel in named.items():
            assert name_of(kernel.tolist()) == name
    assert name_of(np.ones((3, 3))) is None and name_of(np.ones((2, 3))) is None and name_of(np.ones(4)) is None
    with pytest.raises(ValueError):
        named_kernel("identity").__setitem__((0, 0), 5)  # read-only, like every trace array


def test_sobel_x_lights_up_a_vertical_edge():
    """Dark on the left, bright on the right: sobel-x answers positive on the edge, 0 on flat ground."""
    image = [[0, 0, 0, 1, 1, 1]] * 5
    trace = run_model(ModelConfig(input_size=(5, 6), stride=(1, 1)),
                      {"input": image, "kernel": named_kernel("sobel-x").tolist(), "bias": 0})
    assert trace.z.tolist() == [[0, 4, 4, 0]] * 3


def test_the_trace_shows_each_named_kernel_with_the_decimals_that_write_it_exactly():
    from convprop.mathcore.values import decimals_to_show

    for side, named in KERNELS.items():
        for name, kernel in named.items():
            decimals = decimals_to_show(kernel)
            assert np.array_equal(np.round(kernel, decimals), kernel), name
    assert decimals_to_show(named_kernel("gaussian-blur")) == 4 and decimals_to_show(named_kernel("sobel-x")) == 1
