"""A matrix seen as a picture: how light each cell is, and the two values the colour bar names.

A feature map makes its point as a picture (the edges light up), and dL/dX as a heat map (where
the loss is sensitive). Both are numbers first, so they are decided here, once, and a scene
only paints them:

* ``grey``: 0 (black) at the smallest value, 1 (white) at the largest, linear between; the
  bar's ends are the smallest and largest values themselves.
* ``signed``: -1 to 1, the value over the largest magnitude, so 0 stays 0 and a positive and a
  negative cell of the same size are equally strong in their two colours; the bar runs from
  minus that magnitude to plus it. The channels of dL/dX share one magnitude (``signed_together``):
  their heat maps stand side by side, and the same colour must mean the same gradient in each,
  or a channel whose gradients are all small would look as hot as the one that matters.

A matrix whose values are all equal has one level: 0 for grey (one flat shade) and 0 for signed.

A layer's kernels are pictured too, where an overview has no room to number them: W[o, c] in
grey on its own range, as the channels it slides over, and dL/dW[o, c] signed on one range
shared by every filter and channel: the F x C kernels stand together as one block, and a kernel
whose gradients are all small must look as faint as it is.
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


def signed(values, bound: float | None = None) -> Shading:
    """Levels -1..1: each value over the largest magnitude (or over ``bound``, at least that
    magnitude); the bar runs from -that to +that.

    >>> signed([[0.5, -0.25], [0.0, 0.1]]).levels.tolist()
    [[1.0, -0.5], [0.0, 0.2]]
    """
    v = np.asarray(values, float)
    bound = float(np.abs(v).max()) if bound is None else float(bound)
    levels = v / bound if bound else np.zeros_like(v)
    return Shading(frozen(levels + 0.0), -bound + 0.0, bound, signed=True)


def signed_together(maps) -> tuple[Shading, ...]:
    """One signed shading per map, all over the largest magnitude of them all: one colour scale.

    >>> [s.levels.tolist() for s in signed_together([[[0.5, -1.0]], [[0.25, 0.0]]])]
    [[[0.5, -1.0]], [[0.25, 0.0]]]
    """
    bound = max((float(np.abs(np.asarray(m, float)).max()) for m in maps), default=0.0)
    return tuple(signed(m, bound) for m in maps)


@dataclass(frozen=True)
class Pictures:
    """The pictures of one trace: the padded input and the maps after it in grey, the gradients
    signed.

    The input is the padded grid the scenes draw numbers in, so a window's cells (from
    ``mathcore.geometry``) outline the same region on the numbers and on the picture; dL/dX is
    the cropped gradient the layer passes back. One picture per channel (``inputs``,
    ``dL_dinputs``) or per filter (``zs``, ``dL_dzs``, ...), each shaded on its own range, as
    its own colour bar names it, but for dL/dX (cropped and padded), whose channels share one; the single names (``input``, ``z``, ...) are channel 0's and
    filter 0's, the single-channel lecture's."""

    inputs: tuple[Shading, ...]
    dL_dinputs: tuple[Shading, ...]
    zs: tuple[Shading, ...]
    activateds: tuple[Shading, ...]
    pooleds: tuple[Shading, ...]
    dL_dzs: tuple[Shading, ...]
    dL_dactivateds: tuple[Shading, ...]
    dL_dpooleds: tuple[Shading, ...]
    # dL/dZ[o] with s - 1 zeros between its entries, and with the full convolution's ring of zeros
    # around that: what the input gradient's kernel slides on, pictured when too large to number
    dilated_dL_dzs: tuple[Shading, ...]
    padded_dilated_dL_dzs: tuple[Shading, ...]
    # dL/dX_padded[c]: the gradient before the padding is cropped away
    dL_dpadded_inputs: tuple[Shading, ...]
    # per filter o, per channel c: the kernel W[o, c] and its gradient dL/dW[o, c]
    kernels: tuple[tuple[Shading, ...], ...]
    dL_dkernels: tuple[tuple[Shading, ...], ...]

    # channel 0's and filter 0's pictures, under the single-channel lecture's names
    input = property(lambda self: self.inputs[0])
    dL_dinput = property(lambda self: self.dL_dinputs[0])
    z = property(lambda self: self.zs[0])
    activated = property(lambda self: self.activateds[0])  # ReLU(Z) (Z itself without a ReLU), and the
    pooled = property(lambda self: self.pooleds[0])  # pooled map: the head draws them past 16 a side
    dL_dz = property(lambda self: self.dL_dzs[0])
    dL_dactivated = property(lambda self: self.dL_dactivateds[0])
    dL_dpooled = property(lambda self: self.dL_dpooleds[0])
    kernel = property(lambda self: self.kernels[0][0])
    dL_dkernel = property(lambda self: self.dL_dkernels[0][0])


def pictures_of(X_padded, Z, dL_dX, A, P, dL_dZ, dL_dA, dL_dP, dilated_dL_dZ, padded_dilated_dL_dZ,
                dL_dX_padded, W, dL_dW) -> Pictures:
    """Every picture from the layer's arrays: X_padded and dL/dX are (C, ...), the maps (F, ...),
    W and dL/dW (F, C, kh, kw)."""
    inputs, zs, activateds, pooleds = (tuple(grey(m) for m in maps) for maps in (X_padded, Z, A, P))
    dL_dzs, dL_dactivateds, dL_dpooleds, dilated, padded_dilated = (
        tuple(signed(m) for m in maps) for maps in (dL_dZ, dL_dA, dL_dP, dilated_dL_dZ, padded_dilated_dL_dZ))
    dL_dinputs, dL_dpadded = signed_together(dL_dX), signed_together(dL_dX_padded)
    kernels = tuple(tuple(grey(k) for k in per_filter) for per_filter in W)
    flat = signed_together([k for per_filter in dL_dW for k in per_filter])
    channels = len(dL_dW[0])
    dL_dkernels = tuple(flat[o * channels:(o + 1) * channels] for o in range(len(dL_dW)))
    return Pictures(inputs=inputs, dL_dinputs=dL_dinputs, zs=zs, activateds=activateds, pooleds=pooleds,
                    dL_dzs=dL_dzs, dL_dactivateds=dL_dactivateds, dL_dpooleds=dL_dpooleds,
                    dilated_dL_dzs=dilated, padded_dilated_dL_dzs=padded_dilated, dL_dpadded_inputs=dL_dpadded,
                    kernels=kernels, dL_dkernels=dL_dkernels)
