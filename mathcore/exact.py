"""Exact arithmetic for the values a decision hangs on.

A student reads z = 0.00 and is told the ReLU blocks the gradient there; two pooled cells read
0.30 and the first one wins. Both claims must hold for the numbers as written, not for their
binary approximations: 0.1 * 0.3 + 0.2 * (-0.15) is exactly 0, but in floats it is 5.55e-17,
and a ReLU decided on that passes a gradient that PyTorch (and the student) blocks.

So the forward values that feed a decision (the convolution's sums, z, ReLU(z) and the pooling
winners) are computed here with ``fractions.Fraction``: each given value is taken *as written*,
the shortest decimal that round-trips its float (what ``repr`` and the JSON print), and every
sum of products of such decimals is then exact. The float of an exact result is correctly
rounded, so a value that is exactly zero is 0.0, never 5.55e-17. Values no decision depends on
(sigmoids, logs, gradients) stay floats.

Sums of many products are done on integers: every value of an array as written, over one common
denominator (``integers_over``), so a product of two arrays is a product of integers over the
product of the denominators. That is the same rational arithmetic as with Fractions, without a
gcd at every step, and fast enough to judge a 28x28 layer while a lesson's draw is chosen.
"""

from fractions import Fraction

import numpy as np


def as_written(x) -> Fraction:
    """The decimal a float is written as (0.1 -> 1/10, not 3602879701896397/36028797018963968)."""
    return Fraction(repr(float(x)))


def exact_array(x) -> np.ndarray:
    """An object array of Fractions, each value as written."""
    arr = np.asarray(x, float)
    out = np.empty(arr.shape, dtype=object)
    for index, value in np.ndenumerate(arr):
        out[index] = as_written(value)
    return out


# Values of at most FEW_PLACES decimals, below FEW_PLACES_LIMIT, are read without parsing their repr.
FEW_PLACES, FEW_PLACES_LIMIT = 4, 1e6


def integers_over(x) -> tuple[np.ndarray, int]:
    """Every value as written over one common denominator: (numerators, an object array of
    Python ints, and the denominator). 0.1 and 0.25 are 10/100 and 25/100."""
    arr = np.asarray(x, float)
    for places in range(FEW_PLACES + 1):
        # the common case, seeded and given values of a few decimals: when every n / 10^places is
        # exactly the float (both correctly rounded, n far below 2^53), that decimal is the one
        # written, since no other decimal of a few places lies within half a unit of it
        scale = 10 ** places
        numerators = np.rint(arr * scale)
        if np.all(np.abs(arr) < FEW_PLACES_LIMIT) and np.array_equal(numerators / scale, arr):
            out = np.empty(arr.size, dtype=object)
            out[:] = [int(n) for n in numerators.flat]
            return out.reshape(arr.shape), scale
    # any other value: its repr's digits and exponent, m x 10^e, over the largest power of ten
    written = [_digits_and_exponent(value) for value in arr.flat]
    places = max([0, *(-e for _, e in written)])
    out = np.empty(arr.size, dtype=object)
    out[:] = [m * 10 ** (places + e) for m, e in written]
    return out.reshape(arr.shape), 10 ** places


def _digits_and_exponent(value: float) -> tuple[int, int]:
    """The decimal a float is written as, as (m, e) with the value m x 10^e: '-1.25e-05' is
    (-125, -7). The same decimal as ``as_written``'s, read without making a Fraction of it."""
    mantissa, _, exponent = repr(float(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    return int(whole + fraction), int(exponent or 0) - len(fraction)


def floats_over(numerators, denominator: int) -> np.ndarray:
    """The correctly rounded float of every numerator / denominator (Python's int division is
    correctly rounded, as ``float(Fraction)`` is); + 0.0 keeps an exact zero from printing as -0."""
    flat = [int(n) / denominator for n in np.asarray(numerators, dtype=object).flat]
    return np.array(flat, dtype=float).reshape(np.shape(numerators)) + 0.0


def fractions_over(numerators, denominator: int) -> np.ndarray:
    """An object array of Fractions numerator / denominator."""
    out = np.empty(np.shape(numerators), dtype=object)
    for index, n in np.ndenumerate(np.asarray(numerators, dtype=object)):
        out[index] = Fraction(int(n), denominator)
    return out


def to_float(exact: np.ndarray) -> np.ndarray:
    """The correctly rounded float of every entry; + 0.0 keeps an exact zero from printing as -0."""
    return np.array([float(v) for v in np.asarray(exact, dtype=object).flat], dtype=float).reshape(
        np.shape(exact)) + 0.0


def read_only(exact: np.ndarray) -> np.ndarray:
    """A copy of an object array that refuses writes (Fractions themselves are immutable)."""
    out = np.array(exact, dtype=object, copy=True)
    out.setflags(write=False)
    return out


def first_max_index(values) -> int:
    """Index of the first maximum in row-major order: PyTorch's rule for max-pool ties.

    Compared with ``>``, so a later equal value never displaces an earlier one.
    """
    flat = list(np.asarray(values, dtype=object).flat)
    best = 0
    for i, v in enumerate(flat):
        if v > flat[best]:
            best = i
    return best
