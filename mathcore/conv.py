"""2-D convolution layers (cross-correlation, as in deep learning): input channels, several
filters, stride, padding and dilation, forward and backward.

One filter o sees every input channel c through its own kernel slice W[o, c]:

    z[o] = sum over c of (X[c] correlated with W[o, c], dilated, strided) + b[o]

so the layer is the single-channel correlation, done once per (filter, channel) pair and summed
over the channels. The lecture's single-channel convolution is the case C = F = 1, d = 1 of the
same code. The forward pass keeps every window each channel showed the kernel, because the video
shows them; the backward pass is written twice on purpose: once as the scatter-add a student
would do by hand and once as the two convolutions the lecture derives
(``kernel_gradient_as_correlation`` and ``input_gradient_as_full_convolution``). The tests prove
the two agree, and agree with PyTorch.

Dilation d puts d - 1 cells between the kernel's taps, so a k-tap kernel spans d(k - 1) + 1
cells. Stride that does not tile the padded input exactly follows PyTorch: the rows and columns
past the last full window are never touched by the kernel and get zero input gradient.

Shapes: the full arrays have a leading filter axis F and channel axis C (``X`` is C x H x W,
``W`` is F x C x kh x kw, ``Z`` is F x out_rows x out_cols). The single-channel names the
lecture's scenes read (``input``, ``kernel``, ``z``, ``patches``, ...) are the views of filter 0
and channel 0: for C = F = 1 they are the whole layer.
"""

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from convprop.mathcore.exact import floats_over, fractions_over, integers_over, read_only
from convprop.mathcore.frozen import frozen, set_views
from convprop.mathcore.geometry import conv_geometry


def output_size(n: int, k: int, s: int, p: int, d: int = 1) -> int:
    """Output length along one axis: floor((n + 2p - d(k - 1) - 1) / s) + 1."""
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def span(k: int, d: int = 1) -> int:
    """Cells one dilated kernel covers along an axis: d(k - 1) + 1."""
    return d * (k - 1) + 1


def pad(x: np.ndarray, padding: int) -> np.ndarray:
    """Zeros around the last two axes (each channel padded on its own)."""
    x = np.asarray(x)
    return np.pad(x, [(0, 0)] * (x.ndim - 2) + [(padding, padding)] * 2, mode="constant")


def windows(padded: np.ndarray, kernel_shape, stride, dilation=(1, 1)) -> np.ndarray:
    """Every window under the kernel, taps only: shape (..., out_rows, out_cols, kh, kw).

    ``padded`` may carry leading axes (channels); the window slides over the last two.
    """
    (kh, kw), (dh, dw) = kernel_shape, dilation
    spread = sliding_window_view(padded, (span(kh, dh), span(kw, dw)), axis=(-2, -1))
    return spread[..., :: stride[0], :: stride[1], ::dh, ::dw]


def dilate(grad: np.ndarray, stride) -> np.ndarray:
    """Insert stride-1 zeros between entries, so a stride-s step becomes a step of one."""
    rows, cols = grad.shape
    out = np.zeros(((rows - 1) * stride[0] + 1, (cols - 1) * stride[1] + 1))
    out[:: stride[0], :: stride[1]] = grad
    return out


def spread_kernel(kernel: np.ndarray, dilation) -> np.ndarray:
    """The kernel with dilation-1 zeros between its taps: what a dilated kernel looks like."""
    return dilate(np.asarray(kernel, float), dilation)


def correlate_valid(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Stride-1 cross-correlation with no padding."""
    return np.einsum("ijkl,kl->ij", sliding_window_view(x, k.shape), k)


def rotate180(k: np.ndarray) -> np.ndarray:
    """Each kernel turned by 180 degrees (over the last two axes)."""
    return np.asarray(k)[..., ::-1, ::-1]


def _as_layer(x, kernel, bias) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X as C x H x W, W as F x C x kh x kw, b as (F,): a 2-D input, a 2-D kernel or a single
    bias is the one-channel, one-filter case."""
    x, kernel = np.asarray(x, float), np.asarray(kernel, float)
    if x.ndim == 2:
        x = x[None]
    if kernel.ndim == 2:
        kernel = kernel[None, None]
    bias = np.atleast_1d(np.asarray(bias, float))
    if kernel.shape[1] != x.shape[0] or bias.shape != (kernel.shape[0],):
        raise ValueError(f"input {x.shape}, kernel {kernel.shape} and bias {bias.shape} do not fit together")
    return x, kernel, bias


@dataclass(frozen=True)
class ConvForward:
    """The forward pass of one convolution layer, with every window every channel showed.

    Full arrays (o a filter, c an input channel, (r, c) an output cell, (a, b) a kernel tap):

    * ``X`` (C, H, W) as given; ``X_padded`` (C, H + 2p, W + 2p)
    * ``W`` (F, C, kh, kw); ``b`` (F,)
    * ``windows`` (C, out_rows, out_cols, kh, kw): X_padded[c] under the taps of the window of
      output cell (r, c) (taps ``dilation`` apart; the gap cells between are not in it)
    * ``channel_products`` (F, C, out_rows, out_cols, kh, kw): windows[c] * W[o, c]
    * ``channel_sums`` (F, C, out_rows, out_cols): each channel's products summed
    * ``filter_sums`` (F, out_rows, out_cols): the channel sums summed, before the bias
    * ``Z`` (F, out_rows, out_cols) = filter_sums + b, the correctly rounded float of ``exact_Z``
    * ``exact_Z``: Z in exact arithmetic (Fractions): what ReLU and pooling decide on

    The single-channel names are filter 0's and channel 0's views: ``input`` X[0],
    ``padded_input`` X_padded[0], ``kernel`` W[0, 0], ``bias`` b[0], ``patches`` windows[0],
    ``products`` channel_products[0, 0], ``sums`` filter_sums[0], ``z`` Z[0], ``exact_z``
    exact_Z[0]. With several channels, z = sums + bias still holds but ``products`` are
    channel 0's alone: a scene showing more channels reads ``channel_sums``.
    """

    X: np.ndarray
    X_padded: np.ndarray
    W: np.ndarray
    b: np.ndarray
    stride: tuple[int, int]
    padding: int
    dilation: tuple[int, int]
    windows: np.ndarray
    channel_products: np.ndarray
    channel_sums: np.ndarray
    filter_sums: np.ndarray
    Z: np.ndarray
    exact_Z: np.ndarray

    # filter 0's and channel 0's views (the whole layer when C = F = 1), fields so a walk over the trace finds them
    input: np.ndarray = field(init=False)  # H x W, as given
    padded_input: np.ndarray = field(init=False)  # (H + 2p) x (W + 2p)
    kernel: np.ndarray = field(init=False)
    bias: float = field(init=False)
    patches: np.ndarray = field(init=False)  # out_rows x out_cols x kh x kw
    products: np.ndarray = field(init=False)  # patches * kernel, elementwise
    sums: np.ndarray = field(init=False)  # out_rows x out_cols: the products summed, before the bias
    z: np.ndarray = field(init=False)
    exact_z: np.ndarray = field(init=False)

    def __post_init__(self):
        set_views(
            self,
            input=self.X[0], padded_input=self.X_padded[0], kernel=self.W[0, 0], bias=float(self.b[0]),
            patches=self.windows[0], products=self.channel_products[0, 0], sums=self.filter_sums[0],
            z=self.Z[0], exact_z=self.exact_Z[0],
        )

    @property
    def channels(self) -> int:
        return self.X.shape[0]

    @property
    def filters(self) -> int:
        return self.W.shape[0]

    @property
    def used_shape(self) -> tuple[int, int]:
        """Rows and columns of the padded input that some window covers."""
        (oh, ow), (kh, kw) = self.z.shape, self.kernel.shape
        (dh, dw) = self.dilation
        return ((oh - 1) * self.stride[0] + span(kh, dh), (ow - 1) * self.stride[1] + span(kw, dw))


def conv_forward(x, kernel, bias, stride, padding: int, dilation=(1, 1)) -> ConvForward:
    """The forward pass, with the sums computed exactly (see ``mathcore.exact``) and then rounded
    once, so z is exactly zero whenever the products cancel as written.

    ``x`` is C x H x W (or H x W), ``kernel`` F x C x kh x kw (or kh x kw), ``bias`` (F,) (or a
    number).
    """
    x, kernel, bias = _as_layer(x, kernel, bias)
    stride, dilation = tuple(stride), tuple(dilation)
    kernel_shape = kernel.shape[2:]
    padded = pad(x, padding)
    seen = windows(padded, kernel_shape, stride, dilation)
    # exact, as integers over common denominators (``exact.integers_over``): the input's and the
    # kernel's make the products' denominator, and the bias joins them over the least common one
    x_num, x_den = integers_over(x)
    w_num, w_den = integers_over(kernel)
    b_num, b_den = integers_over(bias)
    padded_num = np.zeros(padded.shape, dtype=object)  # Python ints, 0 on the padding
    padded_num[:, padding : padding + x.shape[1], padding : padding + x.shape[2]] = x_num
    exact_seen = windows(padded_num, kernel_shape, stride, dilation)
    products = np.stack([np.stack([exact_seen[c] * w_num[o, c] for c in range(x.shape[0])])
                         for o in range(kernel.shape[0])])
    product_den = x_den * w_den
    channel_sums = products.sum(axis=(4, 5))
    filter_sums = channel_sums.sum(axis=1)
    z_den = math.lcm(product_den, b_den)
    z_num = filter_sums * (z_den // product_den) + (b_num * (z_den // b_den))[:, None, None]
    return ConvForward(
        X=frozen(x), X_padded=frozen(padded), W=frozen(kernel), b=frozen(bias), stride=stride,
        padding=padding, dilation=dilation, windows=frozen(seen),
        channel_products=frozen(floats_over(products, product_den)),
        channel_sums=frozen(floats_over(channel_sums, product_den)),
        filter_sums=frozen(floats_over(filter_sums, product_den)), Z=frozen(floats_over(z_num, z_den)),
        exact_Z=read_only(fractions_over(z_num, z_den)),
    )


@dataclass(frozen=True)
class ChainTerm:
    """One term of dL/dw_i = sum_k dL/dz_k * dz_k/dw_i."""

    k: int  # output position, row-major, from 0
    dL_dz: float
    dz_dw: float  # the input value that sat under w_i at step k
    input_position: tuple[int, int]  # where that value sits in the padded input (of the kernel's channel)
    product: float


@dataclass(frozen=True)
class WeightGradient:
    """dL/dw_i for entry i = (row, col) of the kernel W[filter, channel], with the terms of its
    chain-rule sum (the dL/dz of the filter's map, the input values of the channel)."""

    i: int  # row-major, from 0
    position: tuple[int, int]
    terms: tuple[ChainTerm, ...]
    total: float
    filter: int = 0
    channel: int = 0

    @property
    def number(self) -> int:
        """The weight as the lecture counts, from 1 (w_1 .. w_9 of a 3x3 kernel)."""
        return self.i + 1

    @property
    def nonzero_term_indices(self) -> tuple[int, ...]:
        """The k of the terms of the sum that are not zero: neither dL/dz_k (a cell the ReLU
        blocked or the pool passed over) nor the input value (the zero padding, a given zero) is
        zero. They are the terms a worked line writes first."""
        return tuple(k for k, term in enumerate(self.terms) if term.dL_dz != 0 and term.dz_dw != 0)

    @property
    def nonzero_terms(self) -> int:
        """How many terms of the sum are not zero (``nonzero_term_indices``)."""
        return len(self.nonzero_term_indices)

    @property
    def filter_number(self) -> int:
        """The filter as the lecture counts, from 1: a scene names "filter 1" from the trace, never typing it."""
        return self.filter + 1

    @property
    def channel_number(self) -> int:
        """The input channel as the lecture counts, from 1."""
        return self.channel + 1


@dataclass(frozen=True)
class ConvBackward:
    """The backward pass of one convolution layer.

    Full arrays (shapes as in ``ConvForward``):

    * ``dL_dZ`` (F, out_rows, out_cols)
    * ``dL_dW`` (F, C, kh, kw): dL/dW[o, c] = sum over output cells of dL/dZ[o] * windows[c]
    * ``dL_db`` (F,): dL/dZ[o] summed
    * ``dL_dX`` (C, H, W): the sum over filters of ``dL_dX_by_filter``, padding cropped away
    * ``dL_dX_padded`` (C, H + 2p, W + 2p); ``dL_dX_padded_by_filter`` (F, C, H + 2p, W + 2p) and
      ``dL_dX_by_filter`` (F, C, H, W): what each filter sends back to each channel
    * ``scaled_windows`` (F, C, out_rows, out_cols, kh, kw): windows[c] * dL/dZ[o][r, c], summed
      over the output cells into dL/dW[o, c]
    * ``dilated_dL_dZ`` (F, ...): s - 1 zeros between the entries of dL/dZ[o];
      ``padded_dilated_dL_dZ`` (F, ...): with d(k - 1) zeros around it, the full convolution's input
    * ``rotated_W`` (F, C, kh, kw): every kernel turned by 180 degrees (its taps still d apart)
    * ``channel_weight_gradients[o][c][i]``: the ``WeightGradient`` of entry i of W[o, c]

    The single-channel names are filter 0's and channel 0's views: ``dL_dz`` dL_dZ[0],
    ``dL_dkernel`` dL_dW[0, 0], ``dL_dbias`` dL_db[0], ``dL_dinput`` dL_dX[0] (the sum over
    every filter), ``dL_dpadded_input`` dL_dX_padded[0], ``scaled_patches`` scaled_windows[0, 0],
    ``dilated_dL_dz``, ``padded_dilated_dL_dz``, ``rotated_kernel`` rotated_W[0, 0] and
    ``weight_gradients`` channel_weight_gradients[0][0].
    """

    dL_dZ: np.ndarray
    dL_dW: np.ndarray
    dL_db: np.ndarray
    dL_dX: np.ndarray
    dL_dX_padded: np.ndarray
    dL_dX_by_filter: np.ndarray
    dL_dX_padded_by_filter: np.ndarray
    scaled_windows: np.ndarray
    dilated_dL_dZ: np.ndarray
    padded_dilated_dL_dZ: np.ndarray
    rotated_W: np.ndarray
    channel_weight_gradients: tuple[tuple[tuple[WeightGradient, ...], ...], ...]

    # filter 0's and channel 0's views (the whole layer when C = F = 1), fields so a walk over the trace finds them
    dL_dz: np.ndarray = field(init=False)
    dL_dkernel: np.ndarray = field(init=False)
    dL_dbias: float = field(init=False)
    dL_dinput: np.ndarray = field(init=False)  # H x W, padding cropped away
    dL_dpadded_input: np.ndarray = field(init=False)
    scaled_patches: np.ndarray = field(init=False)  # patch_k * dL/dz_k, summed into dL/dW
    dilated_dL_dz: np.ndarray = field(init=False)  # s-1 zeros between the entries of dL/dZ
    padded_dilated_dL_dz: np.ndarray = field(init=False)  # the dilated dL/dZ with d(k-1) zeros around it
    rotated_kernel: np.ndarray = field(init=False)  # W turned by 180 degrees
    weight_gradients: tuple[WeightGradient, ...] = field(init=False)

    def __post_init__(self):
        set_views(
            self,
            dL_dz=self.dL_dZ[0], dL_dkernel=self.dL_dW[0, 0], dL_dbias=float(self.dL_db[0]),
            dL_dinput=self.dL_dX[0], dL_dpadded_input=self.dL_dX_padded[0],
            scaled_patches=self.scaled_windows[0, 0], dilated_dL_dz=self.dilated_dL_dZ[0],
            padded_dilated_dL_dz=self.padded_dilated_dL_dZ[0], rotated_kernel=self.rotated_W[0, 0],
            weight_gradients=self.channel_weight_gradients[0][0],
        )


def _weight_gradients(o: int, c: int, dL_dz, patches, dL_dkernel, cells) -> tuple[WeightGradient, ...]:
    """The chain-rule terms of every entry of W[o, c]: one per output cell of filter o."""
    (oh, ow), (kh, kw) = dL_dz.shape, dL_dkernel.shape
    gradients = []
    for a in range(kh):
        for b in range(kw):
            terms = tuple(
                ChainTerm(
                    k=r * ow + col, dL_dz=float(dL_dz[r, col]), dz_dw=float(patches[r, col, a, b]),
                    input_position=(int(cells[r, col, a, b, 0]), int(cells[r, col, a, b, 1])),
                    product=float(dL_dz[r, col] * patches[r, col, a, b]),
                )
                for r in range(oh)
                for col in range(ow)
            )
            gradients.append(WeightGradient(i=a * kw + b, position=(a, b), terms=terms,
                                            total=float(dL_dkernel[a, b]), filter=o, channel=c))
    return tuple(gradients)


def _scatter(dL_dz, kernel, padded_shape, stride, dilation) -> np.ndarray:
    """dL/d(padded X) by hand: each dL/dz[r, c] times the kernel, added under its window's taps."""
    (oh, ow), (kh, kw) = dL_dz.shape, kernel.shape
    (sh, sw), (dh, dw) = stride, dilation
    out = np.zeros(padded_shape)
    for r in range(oh):
        for c in range(ow):
            out[r * sh : r * sh + span(kh, dh) : dh, c * sw : c * sw + span(kw, dw) : dw] += dL_dz[r, c] * kernel
    return out


def _summed(parts) -> np.ndarray:
    """The parts added one after the other (a single part is itself, bit for bit)."""
    total = np.array(parts[0], float, copy=True)
    for part in parts[1:]:
        total += part
    return total


def parameter_gradients(fwd: ConvForward, dL_dZ: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The scaled windows (F, C, out_rows, out_cols, kh, kw), dL/dW (F, C, kh, kw) and dL/db (F,)
    from dL/dZ (F, out_rows, out_cols): what one SGD step needs, without the chain-rule terms."""
    F_, C = fwd.filters, fwd.channels
    scaled = np.empty((F_, C) + fwd.windows.shape[1:])
    dL_dW = np.empty(fwd.W.shape)
    for o in range(F_):
        for c in range(C):
            scaled[o, c] = fwd.windows[c] * dL_dZ[o][:, :, None, None]
            dL_dW[o, c] = scaled[o, c].sum(axis=(0, 1))
    return scaled, dL_dW, np.array([dL_dZ[o].sum() for o in range(F_)])


def conv_backward(fwd: ConvForward, dL_dz) -> ConvBackward:
    """From dL/dZ ((F, out_rows, out_cols), or out_rows x out_cols for one filter) to the
    gradients of the kernels, the biases and the input."""
    dL_dZ = np.asarray(dL_dz, float)
    if dL_dZ.ndim == 2:
        dL_dZ = dL_dZ[None]
    F_, C = fwd.filters, fwd.channels
    kh, kw = fwd.W.shape[2:]
    p = fwd.padding
    cells = conv_geometry(fwd.X.shape[1:], (kh, kw), fwd.stride, p, fwd.dilation).window_cells
    scaled, dL_dW, dL_db = parameter_gradients(fwd, dL_dZ)
    by_filter = np.empty((F_,) + fwd.X_padded.shape)
    gradients = []
    for o in range(F_):
        row = []
        for c in range(C):
            by_filter[o, c] = _scatter(dL_dZ[o], fwd.W[o, c], fwd.X_padded.shape[1:], fwd.stride, fwd.dilation)
            row.append(_weight_gradients(o, c, dL_dZ[o], fwd.windows[c], dL_dW[o, c], cells))
        gradients.append(tuple(row))
    d_padded = _summed(by_filter)
    rows, cols = fwd.X_padded.shape[1:]
    ring = (span(kh, fwd.dilation[0]) - 1, span(kw, fwd.dilation[1]) - 1)
    dilated = np.stack([dilate(dL_dZ[o], fwd.stride) for o in range(F_)])
    return ConvBackward(
        dL_dZ=frozen(dL_dZ), dL_dW=frozen(dL_dW), dL_db=frozen(dL_db),
        dL_dX=frozen(d_padded[:, p : rows - p, p : cols - p]), dL_dX_padded=frozen(d_padded),
        dL_dX_by_filter=frozen(by_filter[:, :, p : rows - p, p : cols - p]), dL_dX_padded_by_filter=frozen(by_filter),
        scaled_windows=frozen(scaled), dilated_dL_dZ=frozen(dilated),
        padded_dilated_dL_dZ=frozen(np.pad(dilated, ((0, 0), (ring[0],) * 2, (ring[1],) * 2))),
        rotated_W=frozen(rotate180(fwd.W)), channel_weight_gradients=tuple(gradients),
    )


def kernel_gradient_as_correlation(padded_input, dL_dz, stride, kernel_shape, dilation=(1, 1)) -> np.ndarray:
    """dL/dW[o, c] as one operation: the channel's padded input correlated, step 1, with dL/dZ[o]
    dilated by the stride, read at every d-th row and column (the kernel's taps).

    Only the rows and columns some window covered take part, hence the crop.
    """
    (dh, dw) = dilation
    dilated = dilate(np.asarray(dL_dz, float), stride)
    rows = span(kernel_shape[0], dh) + dilated.shape[0] - 1
    cols = span(kernel_shape[1], dw) + dilated.shape[1] - 1
    return correlate_valid(np.asarray(padded_input, float)[:rows, :cols], dilated)[::dh, ::dw]


def input_gradient_as_full_convolution(dL_dz, kernel, stride, padded_shape, dilation=(1, 1)) -> np.ndarray:
    """dL/d(padded X[c]) from filter o: dL/dZ[o] dilated by the stride and zero-padded by d(k-1),
    correlated with W[o, c] rotated 180° (its taps d apart).

    Rows or columns that no window reached (stride not tiling the input) are zero-filled to
    ``padded_shape``.
    """
    kernel = spread_kernel(rotate180(np.asarray(kernel, float)), dilation)
    sh, sw = kernel.shape
    dilated = dilate(np.asarray(dL_dz, float), stride)
    full = correlate_valid(np.pad(dilated, ((sh - 1, sh - 1), (sw - 1, sw - 1))), kernel)
    out = np.zeros(padded_shape)
    out[: full.shape[0], : full.shape[1]] = full
    return out
