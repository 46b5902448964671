"""The layers after the convolution, each forward and backward, against torch and finite differences."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convprop.mathcore import layers
from convprop.mathcore.exact import exact_array
from tests.torch_reference import TOL, central_difference, np64, t64

torch.set_default_dtype(torch.float64)

SETTINGS = settings(max_examples=100, deadline=None)
finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@pytest.fixture
def strict_floats():
    """Every numpy floating-point warning (overflow, divide, invalid) becomes an error."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        yield


# --- ReLU ---------------------------------------------------------------------------------------

@SETTINGS
@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 6)),
              elements=st.one_of(finite, st.just(0.0))))
def test_relu_forward_and_backward_match_torch(z):
    rng = np.random.default_rng(0)
    upstream = rng.standard_normal(z.shape)
    Z = t64(z, grad=True)
    out = torch.relu(Z)
    out.backward(t64(upstream))
    np.testing.assert_array_equal(layers.relu(z), np64(out))
    # Includes z == 0 exactly, where both use gradient 0.
    np.testing.assert_array_equal(layers.relu_backward(layers.relu_mask(exact_array(z)), upstream), np64(Z.grad))


def test_relu_backward_matches_finite_differences_away_from_zero():
    z = np.array([[-1.5, 0.3], [2.0, -0.01]])
    upstream = np.array([[0.7, -1.1], [0.4, 2.5]])
    fd = central_difference(lambda v: float(np.sum(upstream * layers.relu(v))), z)
    np.testing.assert_allclose(layers.relu_backward(z > 0, upstream), fd, rtol=1e-6, atol=1e-8)


# --- max pool -----------------------------------------------------------------------------------

@st.composite
def pool_cases(draw):
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    size = draw(st.integers(1, min(h, w)))
    stride = draw(st.integers(1, 4))
    # A small set of values makes ties common, so the tie-breaking rule is really exercised.
    a = draw(arrays(np.float64, (h, w), elements=st.one_of(
        st.sampled_from([-1.0, 0.0, 0.5, 1.0]), finite)))
    return a, size, stride


@settings(max_examples=150, deadline=None)
@given(pool_cases())
def test_maxpool_matches_torch_indices_and_gradient(case):
    a, size, stride = case
    A = t64(a, grad=True)
    out, idx = F.max_pool2d(A[None, None], size, stride, return_indices=True)
    out, idx = out[0, 0], idx[0, 0].numpy()
    upstream = np.random.default_rng(1).standard_normal(tuple(out.shape))
    out.backward(t64(upstream))

    pooled, winners = layers.maxpool(a, size, stride)
    np.testing.assert_array_equal(pooled, np64(out))
    # Same winner as torch, ties included: flat index in the input, row-major.
    np.testing.assert_array_equal(winners[..., 0] * a.shape[1] + winners[..., 1], idx)
    grad = layers.maxpool_backward(a.shape, winners, upstream)
    np.testing.assert_allclose(grad, np64(A.grad), **TOL)


def test_maxpool_tie_goes_to_first_in_row_major_order():
    a = np.array([[0.0, 2.0, 1.0, 1.0],
                  [2.0, 2.0, 1.0, 1.0],
                  [3.0, 0.0, 5.0, 4.0],
                  [0.0, 3.0, 5.0, 5.0]])
    pooled, winners = layers.maxpool(a, 2, 2)
    np.testing.assert_array_equal(pooled, [[2.0, 1.0], [3.0, 5.0]])
    np.testing.assert_array_equal(winners, [[[0, 1], [0, 2]], [[2, 0], [2, 2]]])
    grad = layers.maxpool_backward(a.shape, winners, np.array([[1.0, 2.0], [3.0, 4.0]]))
    expected = np.zeros((4, 4))
    expected[0, 1], expected[0, 2], expected[2, 0], expected[2, 2] = 1.0, 2.0, 3.0, 4.0
    np.testing.assert_array_equal(grad, expected)


def test_maxpool_overlapping_windows_accumulate_gradient():
    # Stride 1 with window 2: the centre 9 wins all four windows and collects all four gradients.
    a = np.array([[1.0, 2.0, 3.0], [4.0, 9.0, 5.0], [6.0, 7.0, 8.0]])
    pooled, winners = layers.maxpool(a, 2, 1)
    grad = layers.maxpool_backward(a.shape, winners, np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert grad[1, 1] == 10.0 and grad.sum() == 10.0


def test_maxpool_backward_matches_finite_differences_without_ties():
    a = np.random.default_rng(3).standard_normal((6, 6))
    upstream = np.random.default_rng(4).standard_normal((3, 3))
    _, winners = layers.maxpool(a, 2, 2)
    fd = central_difference(lambda v: float(np.sum(upstream * layers.maxpool(v, 2, 2)[0])), a)
    np.testing.assert_allclose(layers.maxpool_backward(a.shape, winners, upstream), fd, rtol=1e-6, atol=1e-8)


# --- dense --------------------------------------------------------------------------------------

@SETTINGS
@given(st.integers(1, 12), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_dense_matches_torch(n, batch, seed):
    rng = np.random.default_rng(seed)
    w1, f1, b = rng.standard_normal(n), rng.standard_normal(n), float(rng.standard_normal())
    np.testing.assert_allclose(layers.dense(w1, f1, b), float(t64(w1) @ t64(f1) + b), **TOL)
    w, f = rng.standard_normal((2, n)), rng.standard_normal((n, batch))
    bias = rng.standard_normal((2, 1))
    np.testing.assert_allclose(layers.dense(w, f, bias), np64(t64(w) @ t64(f) + t64(bias)), **TOL)
    # The dense gradient rule the model uses: dL/dw = dL/ds * f, dL/df = dL/ds * w, dL/db = dL/ds.
    W, Fv, B = t64(w1, grad=True), t64(f1, grad=True), t64(b, grad=True)
    (W @ Fv + B).backward(torch.tensor(0.7))
    np.testing.assert_allclose(0.7 * f1, np64(W.grad), **TOL)
    np.testing.assert_allclose(0.7 * w1, np64(Fv.grad), **TOL)
    assert float(B.grad) == 0.7
    fd = central_difference(lambda v: float(layers.dense(v, f1, b)), w1)
    np.testing.assert_allclose(fd, f1, rtol=1e-6, atol=1e-8)


# --- sigmoid ------------------------------------------------------------------------------------

@SETTINGS
@given(arrays(np.float64, st.integers(1, 20), elements=st.floats(-1e308, 1e308, allow_nan=False)))
def test_sigmoid_matches_torch_without_warnings(x):
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        y = layers.sigmoid(x)
    assert np.all(np.isfinite(y)) and np.all((y >= 0) & (y <= 1))
    np.testing.assert_allclose(y, np64(torch.sigmoid(t64(x))), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("x", [800.0, -800.0, 745.2, -745.2, 1e308, -1e308, 0.0, 36.0, -36.0])
def test_sigmoid_extremes_are_finite(strict_floats, x):
    y = float(layers.sigmoid(x))
    assert np.isfinite(y)
    assert y == pytest.approx(float(torch.sigmoid(torch.tensor(x))), rel=1e-12, abs=1e-300)
    if x >= 800:
        assert y == 1.0
    if x <= -800:
        assert y == 0.0


def test_sigmoid_derivative_matches_torch_and_finite_differences():
    x = np.linspace(-8, 8, 17)
    X = t64(x, grad=True)
    torch.sigmoid(X).sum().backward()
    y = layers.sigmoid(x)
    np.testing.assert_allclose(y * (1 - y), np64(X.grad), **TOL)
    fd = central_difference(lambda v: float(np.sum(layers.sigmoid(v))), x)
    np.testing.assert_allclose(fd, np64(X.grad), rtol=1e-6, atol=1e-9)


# --- binary cross-entropy from the logit --------------------------------------------------------

@SETTINGS
@given(st.floats(-60, 60), st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0, 1)))
def test_bce_with_logit_matches_torch(logit, target):
    A = t64(logit, grad=True)
    loss = F.binary_cross_entropy_with_logits(A, torch.tensor(target))
    loss.backward()
    ours = float(layers.bce_with_logit(logit, target))
    assert ours == pytest.approx(float(loss.detach()), rel=1e-10, abs=1e-12)
    # Its logit-gradient is sigmoid(logit) - target, as the model uses.
    assert float(layers.sigmoid(logit)) - target == pytest.approx(float(A.grad), rel=1e-9, abs=1e-12)
    fd = (float(layers.bce_with_logit(logit + 1e-6, target)) - float(layers.bce_with_logit(logit - 1e-6, target))) / 2e-6
    assert fd == pytest.approx(float(A.grad), rel=1e-5, abs=1e-7)


@SETTINGS
@given(st.floats(-700, 700), st.sampled_from([0.0, 1.0, 0.5, 0.25, 0.75]))
def test_bce_with_logit_is_accurate_to_high_precision(logit, target):
    """Against 60-digit arithmetic: also exact when the loss is tiny (a confident right answer)."""
    import mpmath

    with mpmath.workdps(60):
        a = mpmath.mpf(logit)
        # -log(sigmoid(a)) = log(1 + e^-a) and -log(1 - sigmoid(a)) = log(1 + e^a), each exact via log1p
        exact = float(target * mpmath.log1p(mpmath.exp(-a)) + (1 - target) * mpmath.log1p(mpmath.exp(a)))
    assert float(layers.bce_with_logit(logit, target)) == pytest.approx(exact, rel=1e-12, abs=1e-300)


def test_bce_matches_the_textbook_formula_in_the_safe_range():
    for logit in (-3.0, -0.5, 0.0, 0.2, 4.0):
        for y in (0.0, 0.3, 1.0):
            y_hat = 1 / (1 + np.exp(-logit))
            textbook = -(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat))
            assert float(layers.bce_with_logit(logit, y)) == pytest.approx(textbook, rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("logit", [800.0, -800.0, 1e5, -1e5, 1e300, -1e300])
@pytest.mark.parametrize("target", [0.0, 0.5, 1.0])
def test_bce_is_finite_for_extreme_logits(strict_floats, logit, target):
    loss = float(layers.bce_with_logit(logit, target))
    assert np.isfinite(loss) and loss >= 0
    expected = float(F.binary_cross_entropy_with_logits(torch.tensor(logit), torch.tensor(target)))
    assert loss == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # A confident wrong answer costs about |logit|; a confident right one costs about 0.
    if (logit > 0) == (target == 0.0) and target != 0.5:
        assert loss == pytest.approx(abs(logit), rel=1e-12)
    if (logit > 0) == (target == 1.0) and target != 0.5:
        assert loss == pytest.approx(0.0, abs=1e-300)


# --- squared error ------------------------------------------------------------------------------

@SETTINGS
@given(arrays(np.float64, st.integers(1, 8), elements=finite), st.integers(0, 2**32 - 1))
def test_squared_error_and_backward_match_torch(out, seed):
    target = np.random.default_rng(seed).standard_normal(out.shape)
    O = t64(out, grad=True)
    e = 0.5 * (t64(target) - O) ** 2
    e.sum().backward()
    np.testing.assert_allclose(layers.squared_error(out, target), np64(e), **TOL)
    np.testing.assert_allclose(layers.squared_error_backward(out, target), np64(O.grad), **TOL)
    torch_mse = float(F.mse_loss(O.detach(), t64(target), reduction="sum")) / 2
    assert float(np.sum(layers.squared_error(out, target))) == pytest.approx(torch_mse, rel=1e-10, abs=1e-12)
    fd = central_difference(lambda v: float(np.sum(layers.squared_error(v, target))), out)
    np.testing.assert_allclose(layers.squared_error_backward(out, target), fd, rtol=1e-6, atol=1e-6)


# --- SGD ----------------------------------------------------------------------------------------

@SETTINGS
@given(st.integers(1, 6), st.integers(1, 6), st.floats(1e-4, 10), st.integers(0, 2**32 - 1))
def test_sgd_step_matches_torch_optimizer(h, w, lr, seed):
    rng = np.random.default_rng(seed)
    param, grad = rng.standard_normal((h, w)), rng.standard_normal((h, w))
    P = t64(param, grad=True)
    P.grad = t64(grad)
    torch.optim.SGD([P], lr=lr).step()
    np.testing.assert_allclose(layers.sgd_step(param, grad, lr), np64(P), rtol=1e-12, atol=1e-12)
    assert float(layers.sgd_step(2.0, 0.5, lr)) == pytest.approx(2.0 - lr * 0.5, rel=1e-15)


def test_sgd_step_does_not_modify_its_arguments():
    param, grad = np.ones(3), np.full(3, 2.0)
    new = layers.sgd_step(param, grad, 0.5)
    np.testing.assert_array_equal(new, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(param, [1.0, 1.0, 1.0])
