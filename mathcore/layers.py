"""The layers after the convolution, each a forward function and its local gradient rule.

As in micrograd, each rule is small and local: it maps the gradient of the loss with respect
to a layer's output to the gradient with respect to its input (and its parameters).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from convprop.mathcore.exact import first_max_index


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def relu_mask(exact_z: np.ndarray) -> np.ndarray:
    """Where the ReLU passes: z > 0 decided on the exact z. At z == 0 it blocks, as in PyTorch."""
    return np.array([v > 0 for v in np.asarray(exact_z, dtype=object).flat], dtype=bool).reshape(np.shape(exact_z))


def relu_backward(mask: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    """Pass the gradient where the mask is set; a blocked cell gets 0 (never -0)."""
    return np.where(mask, grad_out, 0.0)


def maxpool(a: np.ndarray, size: int, stride: int, exact: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling; returns the pooled values and, per window, the winner's (row, col) in ``a``.

    Ties go to the first maximum in row-major order inside the window, which is what
    PyTorch's CPU kernel does; the winner alone receives the gradient. The winner is decided on
    ``exact`` (the same values in exact arithmetic) when given, so a tie as written stays a tie.
    """
    key = np.asarray(a, float) if exact is None else np.asarray(exact, dtype=object)
    win = sliding_window_view(key, (size, size))[::stride, ::stride]
    oh, ow = win.shape[:2]
    flat_arg = np.array([[first_max_index(win[r, c]) for c in range(ow)] for r in range(oh)], dtype=int).reshape(oh, ow)
    rows = np.arange(oh)[:, None] * stride + flat_arg // size
    cols = np.arange(ow)[None, :] * stride + flat_arg % size
    return np.asarray(a, float)[rows, cols], np.stack([rows, cols], axis=-1)


def maxpool_backward(input_shape, winners: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    """Route each gradient to the position that won its window; zero elsewhere."""
    grad_in = np.zeros(input_shape)
    np.add.at(grad_in, (winners[..., 0], winners[..., 1]), grad_out)
    return grad_in


def dense(w: np.ndarray, f: np.ndarray, b):
    """Z = W F + b, with F a column of features (or several columns, one per sample)."""
    return w @ f + b


def sigmoid(x):
    """Numerically stable logistic function: never exponentiates a large positive number."""
    x = np.asarray(x, float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def bce_with_logit(logit, target):
    """Binary cross-entropy of sigmoid(logit) against target, computed from the logit.

    max(a, 0) - a*y + log(1 + exp(-|a|)) equals -(y log y_hat + (1-y) log(1-y_hat)) but never
    takes the log of 0, so a confident wrong prediction gives a large finite loss, not inf.
    Its gradient with respect to the logit is simply y_hat - y.
    """
    a = np.asarray(logit, float)
    return np.maximum(a, 0) - a * target + np.log1p(np.exp(-np.abs(a)))


def squared_error(out, target):
    """E = 1/2 (target - out)^2, whose derivative with respect to out is out - target."""
    return 0.5 * (np.asarray(target, float) - out) ** 2


def squared_error_backward(out, target):
    return np.asarray(out, float) - target


def sgd_step(param, grad, learning_rate: float):
    """W* = W - alpha dL/dW."""
    return np.asarray(param, float) - learning_rate * np.asarray(grad, float)
