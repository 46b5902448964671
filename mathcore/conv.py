"""Single-channel 2-D convolution (cross-correlation, as in deep learning) with stride and padding.

The forward pass keeps every input patch the kernel saw, because the video shows them; the
backward pass is written twice on purpose: once as the scatter-add a student would do by hand
and once as the two convolutions the lecture derives (``kernel_gradient_as_correlation`` and
``input_gradient_as_full_convolution``). The tests prove the two agree, and agree with PyTorch.

Stride that does not tile the padded input exactly follows PyTorch: the rows and columns past
the last full window are never touched by the kernel and get zero input gradient.

Multi-channel layers fit the same shapes with one more axis: a kernel of shape
(out_channels, in_channels, kh, kw) sums the single-channel correlation over input channels,
so every trace term below would gain a channel index and nothing else would change.
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from convprop.mathcore.exact import as_written, exact_array, read_only, to_float
from convprop.mathcore.frozen import frozen
from convprop.mathcore.geometry import conv_geometry


def output_size(n: int, k: int, s: int, p: int) -> int:
    """Output length along one axis: floor((n + 2p - k) / s) + 1."""
    return (n + 2 * p - k) // s + 1


def pad(x: np.ndarray, padding: int) -> np.ndarray:
    return np.pad(x, padding, mode="constant")


def windows(padded: np.ndarray, kernel_shape, stride) -> np.ndarray:
    """Every patch under the kernel: shape (out_rows, out_cols, kh, kw)."""
    return sliding_window_view(padded, kernel_shape)[:: stride[0], :: stride[1]]


def dilate(grad: np.ndarray, stride) -> np.ndarray:
    """Insert stride-1 zeros between entries, so a stride-s step becomes a step of one."""
    rows, cols = grad.shape
    out = np.zeros(((rows - 1) * stride[0] + 1, (cols - 1) * stride[1] + 1))
    out[:: stride[0], :: stride[1]] = grad
    return out


def correlate_valid(x: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Stride-1 cross-correlation with no padding."""
    return np.einsum("ijkl,kl->ij", sliding_window_view(x, k.shape), k)


def rotate180(k: np.ndarray) -> np.ndarray:
    return k[::-1, ::-1]


@dataclass(frozen=True)
class ConvForward:
    """The forward pass of one convolution, with the patch under the kernel at every step."""

    input: np.ndarray  # H x W, as given
    padded_input: np.ndarray  # (H + 2p) x (W + 2p)
    kernel: np.ndarray
    bias: float
    stride: tuple[int, int]
    padding: int
    patches: np.ndarray  # out_rows x out_cols x kh x kw
    products: np.ndarray  # patches * kernel, elementwise
    sums: np.ndarray  # out_rows x out_cols: the products summed, before the bias
    z: np.ndarray  # sums + bias, the correctly rounded float of exact_z
    exact_z: np.ndarray  # z in exact arithmetic (Fractions): what ReLU and pooling decide on

    @property
    def used_shape(self) -> tuple[int, int]:
        """Rows and columns of the padded input that some window covers."""
        (oh, ow), (kh, kw) = self.z.shape, self.kernel.shape
        return ((oh - 1) * self.stride[0] + kh, (ow - 1) * self.stride[1] + kw)


def conv_forward(x, kernel, bias: float, stride, padding: int) -> ConvForward:
    """The forward pass, with the sums computed exactly (see ``mathcore.exact``) and then rounded
    once, so z is exactly zero whenever the products cancel as written."""
    x, kernel = np.asarray(x, float), np.asarray(kernel, float)
    padded = pad(x, padding)
    patches = windows(padded, kernel.shape, stride)
    exact_products = windows(np.pad(exact_array(x), padding, constant_values=0), kernel.shape, stride) * exact_array(kernel)
    exact_sums = exact_products.sum(axis=(2, 3))
    exact_z = exact_sums + as_written(bias)
    return ConvForward(
        input=frozen(x), padded_input=frozen(padded), kernel=frozen(kernel), bias=float(bias),
        stride=tuple(stride), padding=padding, patches=frozen(patches), products=frozen(to_float(exact_products)),
        sums=frozen(to_float(exact_sums)), z=frozen(to_float(exact_z)), exact_z=read_only(exact_z),
    )


@dataclass(frozen=True)
class ChainTerm:
    """One term of dL/dw_i = sum_k dL/dz_k * dz_k/dw_i."""

    k: int  # output position, row-major, from 0
    dL_dz: float
    dz_dw: float  # the input value that sat under w_i at step k
    input_position: tuple[int, int]  # where that value sits in the padded input
    product: float


@dataclass(frozen=True)
class WeightGradient:
    """dL/dw_i for kernel entry i = (row, col), with the terms of its chain-rule sum."""

    i: int  # row-major, from 0
    position: tuple[int, int]
    terms: tuple[ChainTerm, ...]
    total: float


@dataclass(frozen=True)
class ConvBackward:
    dL_dz: np.ndarray
    dL_dkernel: np.ndarray
    dL_dbias: float
    dL_dinput: np.ndarray  # H x W, padding cropped away
    dL_dpadded_input: np.ndarray
    scaled_patches: np.ndarray  # patch_k * dL/dz_k, summed into dL/dW
    dilated_dL_dz: np.ndarray  # s-1 zeros between the entries of dL/dZ
    padded_dilated_dL_dz: np.ndarray  # the dilated dL/dZ with k-1 zeros around it: the full convolution's input
    rotated_kernel: np.ndarray  # W turned by 180 degrees
    weight_gradients: tuple[WeightGradient, ...]


def conv_backward(fwd: ConvForward, dL_dz) -> ConvBackward:
    dL_dz = np.asarray(dL_dz, float)
    (oh, ow), (kh, kw) = dL_dz.shape, fwd.kernel.shape
    sh, sw = fwd.stride
    scaled = fwd.patches * dL_dz[:, :, None, None]
    dL_dkernel = scaled.sum(axis=(0, 1))
    d_padded = np.zeros_like(fwd.padded_input)
    for r in range(oh):
        for c in range(ow):
            d_padded[r * sh : r * sh + kh, c * sw : c * sw + kw] += dL_dz[r, c] * fwd.kernel
    dilated = dilate(dL_dz, fwd.stride)
    p = fwd.padding
    d_input = d_padded[p : d_padded.shape[0] - p, p : d_padded.shape[1] - p]
    cells = conv_geometry(fwd.input.shape, fwd.kernel.shape, fwd.stride, fwd.padding).window_cells
    gradients = []
    for a in range(kh):
        for b in range(kw):
            terms = tuple(
                ChainTerm(
                    k=r * ow + c, dL_dz=float(dL_dz[r, c]), dz_dw=float(fwd.patches[r, c, a, b]),
                    input_position=(int(cells[r, c, a, b, 0]), int(cells[r, c, a, b, 1])),
                    product=float(dL_dz[r, c] * fwd.patches[r, c, a, b]),
                )
                for r in range(oh)
                for c in range(ow)
            )
            gradients.append(
                WeightGradient(i=a * kw + b, position=(a, b), terms=terms, total=float(dL_dkernel[a, b]))
            )
    return ConvBackward(
        dL_dz=frozen(dL_dz), dL_dkernel=frozen(dL_dkernel), dL_dbias=float(dL_dz.sum()),
        dL_dinput=frozen(d_input), dL_dpadded_input=frozen(d_padded), scaled_patches=frozen(scaled),
        dilated_dL_dz=frozen(dilated), padded_dilated_dL_dz=frozen(np.pad(dilated, ((kh - 1,) * 2, (kw - 1,) * 2))),
        rotated_kernel=frozen(rotate180(fwd.kernel)), weight_gradients=tuple(gradients),
    )


def kernel_gradient_as_correlation(padded_input, dL_dz, stride, kernel_shape) -> np.ndarray:
    """dL/dW as one operation: the input correlated, step 1, with dL/dZ dilated by the stride.

    Only the rows and columns some window covered take part, hence the crop.
    """
    dilated = dilate(np.asarray(dL_dz, float), stride)
    rows = kernel_shape[0] + dilated.shape[0] - 1
    cols = kernel_shape[1] + dilated.shape[1] - 1
    return correlate_valid(np.asarray(padded_input, float)[:rows, :cols], dilated)


def input_gradient_as_full_convolution(dL_dz, kernel, stride, padded_shape) -> np.ndarray:
    """dL/d(padded X): the dilated dL/dZ, zero-padded by k-1, correlated with the kernel rotated 180°.

    Rows or columns that no window reached (stride not tiling the input) are zero-filled to
    ``padded_shape``.
    """
    kernel = np.asarray(kernel, float)
    kh, kw = kernel.shape
    dilated = dilate(np.asarray(dL_dz, float), stride)
    full = correlate_valid(np.pad(dilated, ((kh - 1, kh - 1), (kw - 1, kw - 1))), rotate180(kernel))
    out = np.zeros(padded_shape)
    out[: full.shape[0], : full.shape[1]] = full
    return out
