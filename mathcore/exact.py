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
