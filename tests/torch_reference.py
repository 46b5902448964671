"""Independent PyTorch (float64, autograd) references for the mathcore oracle tests.

Nothing here imports mathcore's numerics: every expected number is recomputed by torch from the
raw inputs, so a wrong formula in mathcore makes the tests fail.
"""

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

TOL = dict(rtol=1e-9, atol=1e-9)


def t64(x, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def np64(t: torch.Tensor) -> np.ndarray:
    return t.detach().cpu().numpy().astype(np.float64)


def num(t) -> float:
    return float(t.detach().item()) if isinstance(t, torch.Tensor) else float(t)


def torch_conv(x, kernel, bias, stride, padding, upstream=None) -> dict:
    """z = conv2d(x, kernel) + bias, and (given dL/dz) the gradients by z.backward(upstream)."""
    X = t64(x, grad=True)
    K = t64(kernel, grad=True)
    B = t64([bias], grad=True)
    z = F.conv2d(X[None, None], K[None, None], bias=B, stride=tuple(stride), padding=padding)[0, 0]
    out = {"z": np64(z)}
    if upstream is not None:
        z.backward(t64(upstream))
        out.update(dL_dinput=np64(X.grad), dL_dkernel=np64(K.grad), dL_dbias=num(B.grad[0]))
    return out


def _head(z, fc_weight, fc_bias, target, relu: bool, pool: int):
    a = torch.relu(z) if relu else z
    p = F.max_pool2d(a[None, None], pool, pool)[0, 0] if pool else a
    f = p.reshape(-1)
    logit = fc_weight @ f + fc_bias
    y_hat = torch.sigmoid(logit)
    loss = F.binary_cross_entropy_with_logits(logit, torch.tensor(float(target)))
    return a, p, f, logit, y_hat, loss


def torch_model(values, stride, padding, relu: bool, pool: int, learning_rate: float) -> dict:
    """The whole pipeline in torch autograd, then one torch.optim.SGD step and the new loss.

    ``values`` has attributes input, kernel, bias, fc_weight, fc_bias, target.
    """
    X = t64(values.input, grad=True)
    K = t64(values.kernel, grad=True)
    B = t64(float(values.bias), grad=True)
    W = t64(values.fc_weight, grad=True)
    C = t64(float(values.fc_bias), grad=True)
    z = F.conv2d(X[None, None], K[None, None], bias=B.reshape(1), stride=tuple(stride), padding=padding)[0, 0]
    z.retain_grad()
    a, p, f, logit, y_hat, loss = _head(z, W, C, values.target, relu, pool)
    loss.backward()
    out = {
        "z": np64(z), "activated": np64(a), "pooled": np64(p), "features": np64(f),
        "logit": num(logit), "y_hat": num(y_hat), "loss": num(loss), "target": float(values.target),
        "dL_dlogit": num(y_hat) - float(values.target),
        "dL_dz": np64(z.grad), "dL_dkernel": np64(K.grad), "dL_dbias": num(B.grad),
        "dL_dinput": np64(X.grad), "dL_dfc_weight": np64(W.grad), "dL_dfc_bias": num(C.grad),
        "learning_rate": float(learning_rate),
    }
    # One plain SGD step by torch itself (the input is data, not a parameter).
    opt = torch.optim.SGD([K, B, W, C], lr=learning_rate)
    opt.step()
    with torch.no_grad():
        z2 = F.conv2d(X[None, None], K[None, None], bias=B.reshape(1), stride=tuple(stride), padding=padding)[0, 0]
        *_, loss2 = _head(z2, W, C, values.target, relu, pool)
    out.update(
        kernel_updated=np64(K), bias_updated=num(B), fc_weight_updated=np64(W),
        fc_bias_updated=num(C), loss_updated=num(loss2),
    )
    return out


def away_from_kinks(z, relu: bool, pool: int, margin: float) -> bool:
    """True when no ReLU input is within ``margin`` of 0 and no pool window has a near-tie.

    A window whose maximum is an exact 0 after ReLU may tie freely: its gradient is 0 anyway.
    """
    z = np.asarray(z, float)
    if relu and np.any(np.abs(z) < margin):
        return False
    if not pool:
        return True
    a = np.maximum(z, 0) if relu else z
    rows, cols = (a.shape[0] - pool) // pool + 1, (a.shape[1] - pool) // pool + 1
    for r in range(rows):
        for c in range(cols):
            w = np.sort(a[r * pool:(r + 1) * pool, c * pool:(c + 1) * pool].ravel())[::-1]
            if w.size > 1 and w[0] - w[1] < margin and not (relu and w[0] == 0):
                return False
    return True


def central_difference(f, x, h=1e-6):
    """The numerical gradient of scalar f at x, one coordinate at a time: an oracle that shares
    nothing with autograd or with mathcore's backward rules."""
    x = np.array(x, float)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[idx] += h
        minus[idx] -= h
        grad[idx] = (f(plus) - f(minus)) / (2 * h)
    return grad
