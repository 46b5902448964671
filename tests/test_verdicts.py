"""The words after a gradient step (the loss went down, up, or stayed the same at the decimals
shown) are decided by mathcore on exact values, and agree with the digits on screen.

The reference here is independent of ``mathcore.verdicts``: ``decimal.Decimal(float)`` is the
float's exact value, quantized half to even; the digits on screen are Python's own formatting.
"""

import math
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings, strategies as st

from convprop.inputs.settings import lesson_from_settings
from convprop.mathcore.verdicts import DOWN, SAME, SATURATED, UP, change, error_change, shown


def reference(before: float, after: float, decimals: int) -> str:
    quantum = Decimal(1).scaleb(-decimals)
    was, now = (Decimal(v).quantize(quantum, rounding=ROUND_HALF_EVEN) for v in (before, after))
    return SAME if was == now else DOWN if now < was else UP


def on_screen(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=500, deadline=None)
@given(finite, finite, st.integers(0, 6))
def test_change_agrees_with_an_exact_reference_and_the_digits_shown(before, after, decimals):
    verdict = change(before, after, decimals)
    assert verdict == reference(before, after, decimals)
    assert (verdict == SAME) == (on_screen(before, decimals) == on_screen(after, decimals))


@settings(max_examples=300, deadline=None)
@given(finite, st.integers(0, 6))
def test_a_value_and_its_neighbour_on_either_side_of_a_shown_digit(value, decimals):
    """Values one ulp apart across a rounding boundary show different digits: the verdict says so."""
    above = math.nextafter(value, math.inf)
    assert change(value, above, decimals) == reference(value, above, decimals)


def test_where_float_rounding_decides_wrongly():
    """0.0295 is a little less than written and shows as 0.029; 0.030 shows as 0.030: the loss
    went up. Scaling in floats makes 0.0295 * 1000 exactly 29.5, a tie rounded to 30, and so
    would call the two the same; the value as written, 0.0295, is also a tie that rounds to 0.030."""
    before, after = 0.0295, 0.030
    assert on_screen(before, 3) == "0.029" and on_screen(after, 3) == "0.030"
    assert round(before * 1000) == round(after * 1000)  # the float computation: "the same"
    assert change(before, after, 3) == UP == reference(before, after, 3)
    assert change(after, before, 3) == DOWN
    assert shown(before, 3) * 1000 == 29


def test_same_at_the_decimals_shown_even_when_the_floats_differ():
    assert change(0.6931471805599453, 0.6931471805599461, 3) == SAME
    assert change(0.0004, -0.0004, 3) == SAME  # both show 0.000 (never -0.000)


@pytest.mark.parametrize("slopes, verdict", [((0.0, 1e-9), SATURATED), ((0.0, 0.0004), SATURATED),
                                             ((0.0, 0.0005001), SAME)])
def test_an_unchanged_error_is_saturated_when_every_slope_shows_as_zero(slopes, verdict):
    assert error_change(0.5, 0.5, slopes, 3) == verdict


def test_a_changed_error_is_never_saturated():
    assert error_change(0.5, 0.4, (0.0, 0.0), 3) == DOWN


def test_the_default_lessons_step_lowers_the_loss_and_the_error():
    lesson = lesson_from_settings()
    assert change(lesson.loss, lesson.loss_updated, 3) == reference(lesson.loss, lesson.loss_updated, 3)
    mlp = lesson.mlp
    assert error_change(mlp.forward.error_total, mlp.forward_after.error_total, mlp.dout_dnet_output, 6) == DOWN


def test_a_too_large_learning_rate_raises_the_loss_as_the_reference_says():
    lesson = lesson_from_settings(learning_rate=1000)
    assert change(lesson.loss, lesson.loss_updated, 3) == reference(lesson.loss, lesson.loss_updated, 3)
