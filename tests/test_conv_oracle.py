"""conv_forward / conv_backward against PyTorch autograd, and the trace's internal identities."""

import numpy as np
import pytest
import torch
from hypothesis import assume, given, settings, strategies as st

from convprop.mathcore.conv import (
    conv_backward, conv_forward, input_gradient_as_full_convolution, kernel_gradient_as_correlation,
    output_size,
)
from tests.torch_reference import TOL, torch_conv

torch.set_default_dtype(torch.float64)


@st.composite
def conv_cases(draw):
    h, w = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    sh, sw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    p = draw(st.integers(0, max(kh, kw) - 1))
    assume(kh <= h + 2 * p and kw <= w + 2 * p)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x = rng.standard_normal((h, w))
    k = rng.standard_normal((kh, kw))
    b = float(rng.standard_normal())
    return x, k, b, (sh, sw), p, rng


def independent_pad(x, p):
    out = np.zeros((x.shape[0] + 2 * p, x.shape[1] + 2 * p))
    out[p:p + x.shape[0], p:p + x.shape[1]] = x
    return out


def check_against_torch(x, k, b, stride, p, upstream):
    fwd = conv_forward(x, k, b, stride, p)
    ref = torch_conv(x, k, b, stride, p, upstream)
    assert fwd.z.shape == ref["z"].shape
    np.testing.assert_allclose(fwd.z, ref["z"], **TOL)
    bwd = conv_backward(fwd, upstream)
    np.testing.assert_allclose(bwd.dL_dkernel, ref["dL_dkernel"], **TOL)
    np.testing.assert_allclose(bwd.dL_dinput, ref["dL_dinput"], **TOL)
    assert bwd.dL_dinput.shape == x.shape
    assert bwd.dL_dbias == pytest.approx(ref["dL_dbias"], rel=1e-9, abs=1e-9)
    return fwd, bwd, ref


@settings(max_examples=150, deadline=None)
@given(conv_cases())
def test_conv_matches_torch_autograd(case):
    x, k, b, stride, p, rng = case
    oh = output_size(x.shape[0], k.shape[0], stride[0], p)
    ow = output_size(x.shape[1], k.shape[1], stride[1], p)
    upstream = rng.standard_normal((oh, ow))
    fwd, bwd, ref = check_against_torch(x, k, b, stride, p, upstream)
    assert (oh, ow) == ref["z"].shape

    padded = independent_pad(x, p)
    np.testing.assert_array_equal(fwd.padded_input, padded)
    kh, kw = k.shape
    sh, sw = stride

    # Leftover rows/columns no window reaches get exactly zero gradient (as torch gives).
    used_r, used_c = (oh - 1) * sh + kh, (ow - 1) * sw + kw
    assert fwd.used_shape == (used_r, used_c)
    assert np.all(bwd.dL_dpadded_input[used_r:, :] == 0)
    assert np.all(bwd.dL_dpadded_input[:, used_c:] == 0)
    np.testing.assert_array_equal(bwd.dL_dpadded_input[p:p + x.shape[0], p:p + x.shape[1]], bwd.dL_dinput)

    # The patches are the padded input under the kernel at every step.
    assert fwd.patches.shape == (oh, ow, kh, kw)
    for r in range(oh):
        for c in range(ow):
            np.testing.assert_array_equal(fwd.patches[r, c], padded[r * sh:r * sh + kh, c * sw:c * sw + kw])
    np.testing.assert_allclose(fwd.sums + b, fwd.z, **TOL)

    # The two "lecture" formulations equal the scatter-add gradients.
    np.testing.assert_allclose(
        kernel_gradient_as_correlation(fwd.padded_input, upstream, stride, k.shape), ref["dL_dkernel"], **TOL
    )
    full = input_gradient_as_full_convolution(upstream, k, stride, padded.shape)
    assert full.shape == padded.shape
    np.testing.assert_allclose(full, bwd.dL_dpadded_input, **TOL)
    np.testing.assert_allclose(full[p:p + x.shape[0], p:p + x.shape[1]], ref["dL_dinput"], **TOL)

    # Every chain-rule term is what the video says it is.
    assert len(bwd.weight_gradients) == kh * kw
    for g in bwd.weight_gradients:
        a, bb = g.position
        assert g.i == a * kw + bb
        assert len(g.terms) == oh * ow
        assert g.total == pytest.approx(sum(t.product for t in g.terms), rel=1e-12, abs=1e-12)
        assert g.total == pytest.approx(ref["dL_dkernel"][a, bb], rel=1e-9, abs=1e-9)
        for t in g.terms:
            r, c = divmod(t.k, ow)
            assert t.input_position == (r * sh + a, c * sw + bb)
            assert t.dz_dw == padded[t.input_position]
            assert t.dL_dz == upstream[r, c]
            assert t.product == pytest.approx(t.dL_dz * t.dz_dw, rel=1e-15, abs=0)


@pytest.mark.parametrize(
    "shape, kernel, stride, padding",
    [
        ((6, 7), (2, 3), (3, 3), 0),  # row 5 and column 6 are never reached
        ((5, 5), (3, 3), (2, 2), 0),  # the default lecture, tiles exactly
        ((7, 4), (2, 2), (4, 1), 1),  # leftovers inside the padding and inside the input
        ((1, 12), (1, 5), (1, 4), 0),
        ((4, 4), (4, 4), (3, 3), 0),  # a single window
    ],
)
def test_strides_that_do_not_tile(shape, kernel, stride, padding):
    rng = np.random.default_rng(7)
    x, k = rng.standard_normal(shape), rng.standard_normal(kernel)
    oh = output_size(shape[0], kernel[0], stride[0], padding)
    ow = output_size(shape[1], kernel[1], stride[1], padding)
    upstream = rng.standard_normal((oh, ow))
    fwd, bwd, ref = check_against_torch(x, k, 0.3, stride, padding, upstream)
    used_r, used_c = fwd.used_shape
    padded_grad = np.zeros(fwd.padded_input.shape)
    padded_grad[padding:padding + shape[0], padding:padding + shape[1]] = ref["dL_dinput"]
    assert np.all(padded_grad[used_r:, :] == 0) and np.all(padded_grad[:, used_c:] == 0)
    assert np.all(bwd.dL_dpadded_input[used_r:, :] == 0) and np.all(bwd.dL_dpadded_input[:, used_c:] == 0)


def test_non_tiling_case_really_leaves_input_untouched():
    # 6x7 input, 2x3 kernel, stride 3: row 5 and column 6 lie past the last window, and
    # row 2 falls in the gap between the two window rows (kernel height 2 < stride 3).
    x = np.arange(42.0).reshape(6, 7)
    fwd = conv_forward(x, np.ones((2, 3)), 0.0, (3, 3), 0)
    bwd = conv_backward(fwd, np.ones(fwd.z.shape))
    assert fwd.z.shape == (2, 2)
    assert np.all(bwd.dL_dinput[5, :] == 0) and np.all(bwd.dL_dinput[:, 6] == 0)
    assert np.all(bwd.dL_dinput[2, :] == 0)
    assert np.all(bwd.dL_dinput[[0, 1, 3, 4], :6] == 1)
    ref = torch_conv(x, np.ones((2, 3)), 0.0, (3, 3), 0, np.ones((2, 2)))
    np.testing.assert_array_equal(bwd.dL_dinput, ref["dL_dinput"])


def test_conv_trace_is_read_only():
    fwd = conv_forward(np.ones((3, 3)), np.ones((2, 2)), 0.0, (1, 1), 0)
    bwd = conv_backward(fwd, np.ones((2, 2)))
    for arr in (fwd.input, fwd.padded_input, fwd.kernel, fwd.patches, fwd.products, fwd.sums, fwd.z,
                bwd.dL_dz, bwd.dL_dkernel, bwd.dL_dinput, bwd.dL_dpadded_input, bwd.scaled_patches,
                bwd.dilated_dL_dz):
        with pytest.raises(ValueError):
            arr[(0,) * arr.ndim] = 1.0


def test_conv_does_not_alias_its_arguments():
    x, k = np.ones((3, 3)), np.ones((2, 2))
    fwd = conv_forward(x, k, 0.0, (1, 1), 0)
    x[0, 0] = 99.0
    k[0, 0] = 99.0
    assert fwd.input[0, 0] == 1.0 and fwd.kernel[0, 0] == 1.0
