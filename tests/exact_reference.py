"""An exact reference for the CNN, written apart from mathcore, with rational arithmetic.

Every given value is read as the decimal it is written as (``Fraction(repr(x))``), so the
convolution's sums, ReLU(z) and the pooling windows are exact: a ReLU at exactly zero blocks,
and a tie in a pooling window goes to the first maximum in row-major order, whatever a float
sum would have made of them. Past the pooling no decision is taken, so the sigmoid, the loss
and the gradients are computed in floats from the exact forward values.

Plain Python loops over lists of Fractions: nothing shared with mathcore but the conventions.
"""

import math
from fractions import Fraction


def dec(x) -> Fraction:
    return Fraction(repr(float(x)))


def conv_exact(x, kernel, bias, stride, padding):
    """z as a list of rows of Fractions, and each output's patch (rows of Fractions)."""
    h, w = len(x), len(x[0])
    kh, kw = len(kernel), len(kernel[0])
    padded = [[Fraction(0)] * (w + 2 * padding) for _ in range(h + 2 * padding)]
    for r in range(h):
        for c in range(w):
            padded[r + padding][c + padding] = dec(x[r][c])
    oh = (h + 2 * padding - kh) // stride[0] + 1
    ow = (w + 2 * padding - kw) // stride[1] + 1
    z, patches = [], []
    for r in range(oh):
        z_row, patch_row = [], []
        for c in range(ow):
            patch = [[padded[r * stride[0] + a][c * stride[1] + b] for b in range(kw)] for a in range(kh)]
            total = sum(patch[a][b] * dec(kernel[a][b]) for a in range(kh) for b in range(kw)) + dec(bias)
            z_row.append(total)
            patch_row.append(patch)
        z.append(z_row)
        patches.append(patch_row)
    return z, patches, padded


def pool_exact(a, size):
    """Max pooling with window = stride = size: pooled values and the first winner of each window."""
    oh, ow = (len(a) - size) // size + 1, (len(a[0]) - size) // size + 1
    pooled, winners = [], []
    for r in range(oh):
        p_row, w_row = [], []
        for c in range(ow):
            best = None
            for i in range(size):  # row-major; a later equal value never wins
                for j in range(size):
                    rr, cc = r * size + i, c * size + j
                    if best is None or a[rr][cc] > a[best[0]][best[1]]:
                        best = (rr, cc)
            p_row.append(a[best[0]][best[1]])
            w_row.append(best)
        pooled.append(p_row)
        winners.append(w_row)
    return pooled, winners


def sigmoid(s: float) -> float:
    return 1 / (1 + math.exp(-s)) if s >= 0 else math.exp(s) / (1 + math.exp(s))


def model_exact(x, kernel, bias, fc_weight, fc_bias, target, stride, padding, relu, pool) -> dict:
    """The forward decisions exactly, then the backward pass in floats from them."""
    z, patches, padded = conv_exact(x, kernel, bias, stride, padding)
    oh, ow = len(z), len(z[0])
    mask = [[v > 0 for v in row] for row in z] if relu else [[True] * ow for _ in range(oh)]
    activated = [[v if m else Fraction(0) for v, m in zip(zr, mr)] for zr, mr in zip(z, mask)]
    winners = None
    pooled = activated
    if pool:
        pooled, winners = pool_exact(activated, pool)
    features = [v for row in pooled for v in row]
    logit = float(sum(dec(w) * f for w, f in zip(fc_weight, features)) + dec(fc_bias))
    y_hat = sigmoid(logit)
    dL_dlogit = y_hat - float(target)
    dL_dpooled = [[dL_dlogit * float(fc_weight[r * len(pooled[0]) + c]) for c in range(len(pooled[0]))]
                  for r in range(len(pooled))]
    if pool:
        dL_dactivated = [[0.0] * ow for _ in range(oh)]
        for r, row in enumerate(winners):
            for c, (rr, cc) in enumerate(row):
                dL_dactivated[rr][cc] += dL_dpooled[r][c]
    else:
        dL_dactivated = dL_dpooled
    dL_dz = [[g if m else 0.0 for g, m in zip(gr, mr)] for gr, mr in zip(dL_dactivated, mask)]
    kh, kw = len(kernel), len(kernel[0])
    dL_dkernel = [[sum(dL_dz[r][c] * float(patches[r][c][a][b]) for r in range(oh) for c in range(ow))
                   for b in range(kw)] for a in range(kh)]
    d_padded = [[0.0] * len(padded[0]) for _ in padded]
    for r in range(oh):
        for c in range(ow):
            for a in range(kh):
                for b in range(kw):
                    d_padded[r * stride[0] + a][c * stride[1] + b] += dL_dz[r][c] * float(kernel[a][b])
    h, w = len(x), len(x[0])
    dL_dinput = [row[padding:padding + w] for row in d_padded[padding:padding + h]]
    return {
        "z": z, "relu_mask": mask if relu else None, "winners": winners, "activated": activated,
        "pooled": pooled, "logit": logit, "y_hat": y_hat, "dL_dz": dL_dz, "dL_dkernel": dL_dkernel,
        "dL_dbias": sum(v for row in dL_dz for v in row), "dL_dinput": dL_dinput,
    }
