"""A matrix seen as a picture: how light each cell is, and the two values the colour bar names.

A feature map makes its point as a picture (the edges light up), and dL/dX as a heat map (where
the loss is sensitive). Both are numbers first, so they are decided here, once, and a scene
only paints them:

* ``grey``: 0 (black) at the smallest value, 1 (white) at the largest, linear between; the
  bar's ends are the smallest and largest values themselves.
* ``signed``: -1 to 1, the value over the largest magnitude, so 0 stays 0 and a positive and a
  negative cell of the same size are equally strong in their two colours; the bar runs from
  minus that magnitude to plus it.

A matrix whose values are all equal has one level: 0 for grey (one flat shade) and 0 for signed.
"""

from dataclasses import dataclass

import numpy as np

from convprop.mathcore.frozen import frozen


@dataclass(frozen=True)
class Shading:
    """``levels`` has the matrix's shape; ``low`` and ``high`` are the values at the bar's ends."""

    levels: np.ndarray
    low: float
    high: float
    signed: bool


def grey(values) -> Shading:
    """Levels 0..1 from the smallest value to the largest.

    >>> grey([[0.0, 0.5], [1.0, 0.25]]).levels.tolist()
    [[0.0, 0.5], [1.0, 0.25]]
    """
    v = np.asarray(values, float)
    low, high = float(v.min()), float(v.max())
    span = high - low
    levels = (v - low) / span if span else np.zeros_like(v)
    return Shading(frozen(levels), low, high, signed=False)


def signed(values) -> Shading:
    """Levels -1..1: each value over the largest magnitude; the bar runs from -that to +that.

    >>> signed([[0.5, -0.25], [0.0, 0.1]]).levels.tolist()
    [[1.0, -0.5], [0.0, 0.2]]
    """
    v = np.asarray(values, float)
    bound = float(np.abs(v).max())
    levels = v / bound if bound else np.zeros_like(v)
    return Shading(frozen(levels + 0.0), -bound + 0.0, bound, signed=True)


@dataclass(frozen=True)
class Pictures:
    """The pictures of one trace: the padded input and the maps after it in grey, dL/dX signed.

    The input is the padded grid the scenes draw numbers in, so a window's cells (from
    ``mathcore.geometry``) outline the same region on the numbers and on the picture; dL/dX is
    the cropped gradient the layer passes back."""

    input: Shading
    z: Shading
    dL_dinput: Shading
    activated: Shading  # ReLU(Z) (Z itself without a ReLU), and the pooled map: the forward pass's
    pooled: Shading  # head draws them as pictures when the input is too large to number


def pictures_of(padded_input, z, dL_dinput, activated, pooled) -> Pictures:
    return Pictures(input=grey(padded_input), z=grey(z), dL_dinput=signed(dL_dinput), activated=grey(activated),
                    pooled=grey(pooled))
