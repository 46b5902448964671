"""A weight gradient's filter and channel, counted from 1 as the lecture names them on screen,
belong to the kernel whose gradient PyTorch computes at the same place."""

import numpy as np
import torch
import torch.nn.functional as F

from convprop.mathcore.conv import conv_backward, conv_forward
from tests.torch_reference import np64, t64


def test_each_weight_gradient_names_its_filter_and_channel_from_one():
    rng = np.random.default_rng(3)
    x, w, b = rng.normal(size=(3, 7, 7)), rng.normal(size=(2, 3, 3, 3)), rng.normal(size=2)
    dz = rng.normal(size=(2, 3, 4))  # rows (7 + 2 - 4 - 1) // 2 + 1, cols (7 + 2 - 2 - 1) // 2 + 1
    fwd = conv_forward(x, w, b, (2, 2), 1, (2, 1))
    back = conv_backward(fwd, dz)
    weight = t64(w).requires_grad_(True)
    z = F.conv2d(t64(x)[None], weight, t64(b), stride=2, padding=1, dilation=(2, 1))[0]
    z.backward(t64(dz))
    expected = np64(weight.grad)
    for o in range(2):
        for c in range(3):
            for wg in back.channel_weight_gradients[o][c]:
                assert (wg.filter_number, wg.channel_number) == (o + 1, c + 1)
                assert np.isclose(wg.total, expected[wg.filter_number - 1, wg.channel_number - 1][wg.position])
