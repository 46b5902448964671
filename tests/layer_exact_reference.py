"""An exact reference for convolution layers (channels, filters, dilation), written apart from
mathcore, with rational arithmetic.

X is a list of channels (rows of numbers), W a list of filters, each a list of channel kernels;
every given value is read as the decimal it is written as, so z, the ReLU's mask and each map's
pooling winners are decided exactly. Plain loops over Fractions: nothing shared with mathcore
but the conventions (ReLU'(0) = 0, a pooling tie goes to the first maximum in row-major order).
"""

from fractions import Fraction

from tests.exact_reference import dec, pool_exact


def layer_exact(x, kernel, bias, stride, padding, dilation):
    """z as a list of maps (rows of Fractions), and channel_sums[o][c] (rows of Fractions)."""
    channels, h, w = len(x), len(x[0]), len(x[0][0])
    kh, kw = len(kernel[0][0]), len(kernel[0][0][0])
    (sh, sw), (dh, dw), p = stride, dilation, padding

    def value(c, r, col):  # the padded input, read lazily: zero outside X
        r, col = r - p, col - p
        return dec(x[c][r][col]) if 0 <= r < h and 0 <= col < w else Fraction(0)

    oh = (h + 2 * p - dh * (kh - 1) - 1) // sh + 1
    ow = (w + 2 * p - dw * (kw - 1) - 1) // sw + 1
    z, channel_sums = [], []
    for o, filt in enumerate(kernel):
        per_channel = [[[sum(value(c, r * sh + a * dh, col * sw + b * dw) * dec(filt[c][a][b])
                             for a in range(kh) for b in range(kw))
                         for col in range(ow)] for r in range(oh)] for c in range(channels)]
        channel_sums.append(per_channel)
        z.append([[sum(per_channel[c][r][col] for c in range(channels)) + dec(bias[o]) for col in range(ow)]
                  for r in range(oh)])
    return z, channel_sums


def head_exact(z_maps, relu: bool, pool: int):
    """Per map: the ReLU mask, the activated map and (with pooling) the pooled map and winners;
    and the features, map by map, row by row."""
    out = []
    features = []
    for z in z_maps:
        mask = [[v > 0 for v in row] for row in z] if relu else [[True] * len(z[0]) for _ in z]
        a = [[v if m else Fraction(0) for v, m in zip(zr, mr)] for zr, mr in zip(z, mask)]
        pooled, winners = pool_exact(a, pool) if pool else (a, None)
        out.append({"mask": mask, "activated": a, "pooled": pooled, "winners": winners})
        features += [v for row in pooled for v in row]
    return out, features
