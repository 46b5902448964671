"""The layers after the convolution, each a forward function and its local gradient rule.

As in micrograd, each rule is small and local: it maps the gradient of the loss with respect
to a layer's output to the gradient with respect to its input (and its parameters).
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def relu_backward(z: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
    """Pass the gradient where z > 0. At z == 0 exactly the gradient is 0, as in PyTorch."""
    return grad_out * (z > 0)


def maxpool(a: np.ndarray, size: int, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling; returns the pooled values and, per window, the winner's (row, col) in ``a``.

    Ties go to the first maximum in row-major order inside the window, which is what
    PyTorch's CPU kernel does; the winner alone receives the gradient.
    """
    win = sliding_window_view(a, (size, size))[::stride, ::stride]
    oh, ow = win.shape[:2]
    flat_arg = win.reshape(oh, ow, size * size).argmax(axis=2)  # argmax keeps the first maximum
    rows = np.arange(oh)[:, None] * stride + flat_arg // size
    cols = np.arange(ow)[None, :] * stride + flat_arg % size
    return a[rows, cols], np.stack([rows, cols], axis=-1)


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
