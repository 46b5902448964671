"""How a number is printed on the sheets, and how close an answer must come to it.

An answer shows at least four decimals and at least four significant digits (0.000438568 shows
as 0.0004386), so a small gradient never prints as 0.0000. Its tolerance is half a unit in the
last shown decimal; the quiz gives partial credit within ten times that. Values a student is
given (one decimal when seeded) print with the fewest decimals that show them exactly.
"""

import math

import numpy as np

MIN_DECIMALS = 4
SIGNIFICANT = 4
MAX_DECIMALS = 12
PARTIAL_CREDIT_FACTOR = 10  # the quiz accepts ten times the tolerance for half the marks


def answer_decimals(value: float) -> int:
    value = abs(float(value))
    if value == 0 or not math.isfinite(value):
        return MIN_DECIMALS
    wanted = SIGNIFICANT - 1 - math.floor(math.log10(value))
    return min(MAX_DECIMALS, max(MIN_DECIMALS, wanted))


def fixed(value: float, decimals: int) -> str:
    """'-0.2500'; never '-0.0000'. ASCII hyphen-minus: what a student types into a quiz."""
    text = f"{float(value):.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text


def shown(value: float) -> str:
    return fixed(value, answer_decimals(value))


def tolerance(value: float) -> float:
    """Half a unit in the last decimal ``shown`` prints."""
    return 0.5 * 10.0 ** -answer_decimals(value)


def given(value: float, cap: int = 6) -> str:
    """A value the student is given: 0.3, -1, 0.05; at most ``cap`` decimals."""
    value = float(value)
    for decimals in range(cap + 1):
        if abs(round(value, decimals) - value) < 1e-9 * max(1.0, abs(value)):
            return fixed(value, decimals)
    return fixed(value, cap)


def written(value: float) -> str:
    """A number as a person writes it: all its digits, no exponent, no trailing zero
    (5.0 -> 5, 5e-05 -> 0.00005)."""
    return np.format_float_positional(float(value), unique=True, trim="-")


def as_video(value: float, decimals: int) -> str:
    """A given value with the decimals the video shows it with (``Values.decimals``): 0.0 and
    1.0, not 0 and 1."""
    return fixed(value, decimals)


def whole(value) -> str:
    return str(int(value))


CARRIED_EXTRA = 2
SHORT_DECIMALS = MIN_DECIMALS - 1  # fewer than any answer shows


def carried(value: float) -> str:
    """A computed value handed to the student as a starting point (dL/dZ for the chain rule).

    Exactly as it is when it has at most three decimals (0, 0.17: sums of products of given
    values); otherwise two decimals more than an answer shows, so rounding it cannot cost the
    answer's last digit. Either way it never reads the same as an answer, which shows four or
    more.
    """
    value = float(value)
    short = given(value, cap=SHORT_DECIMALS)
    if float(short) == value:
        return short
    return fixed(value, answer_decimals(value) + CARRIED_EXTRA)
