"""Given values are shown with the fewest decimals that write them exactly: a kernel entry of
0.25 is shown as 0.25, never as 0.3, so what a student reads is what is computed."""

from fractions import Fraction

import pytest

from convprop.mathcore import ModelConfig, run_model
from convprop.mathcore.values import MAX_SHOWN_DECIMALS, decimals_to_show


@pytest.mark.parametrize("values, decimals", [
    ([0.1, -0.2, 0.0], 1),  # seeded values: one decimal
    ([5.0, -3.0], 1),  # whole numbers still show one decimal, like every given value
    ([0.25, 0.5], 2),
    ([-0.125], 3),
    ([0.0625, 0.125, 0.25], 4),  # the 3x3 Gaussian blur
    ([1 / 9], MAX_SHOWN_DECIMALS),  # no decimal writes a ninth: as many as a cell shows
    ([1e-05], MAX_SHOWN_DECIMALS),
])
def test_fewest_decimals_that_write_the_values(values, decimals):
    assert decimals_to_show(values) == decimals


def test_shown_text_equals_the_value_whenever_it_can():
    for value in (0.25, -0.125, 0.0625, 12.5, -999.75):
        shown = f"{value:.{decimals_to_show(value)}f}"
        assert Fraction(shown) == Fraction(repr(value))


def test_the_trace_carries_the_decimals_of_the_values_given():
    trace = run_model(ModelConfig(), {"kernel": [[0.25, 0, 0], [0, 1, 0], [0, 0, -0.125]], "bias": 0.5})
    assert trace.values.decimals["kernel"] == 3
    assert trace.values.decimals["bias"] == 1
    assert trace.values.decimals["input"] == 1  # seeded
