"""The rotated kernel's window over the padded dilated dL/dZ[o], which the input-gradient scene
draws for every filter and channel: its taps and the gaps between them, tied to PyTorch.

For each filter o and channel c, the entries of padded_dilated_dL_dZ[o] under the taps
(``full_window_cells``) times rotated_W[o, c], summed, are what filter o sends back to padded
X[c] (PyTorch's input gradient with only dL/dZ[o] flowing back). The cells of the window's span
between the taps (``full_gap_cells``) are the span's other cells.
"""

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

from convprop.mathcore.conv import conv_backward, conv_forward
from convprop.mathcore.geometry import conv_geometry
from tests.test_channels_oracle import layers
from tests.torch_reference import np64, t64


@settings(max_examples=60, deadline=None)
@given(layers(max_side=7), st.integers(0, 2**32 - 1))
def test_full_windows_taps_and_gaps_give_each_filters_share(config, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, config.input_shape)
    w = rng.uniform(-2, 2, config.kernel_shape)
    fwd = conv_forward(x, w, np.zeros(config.filters), config.stride, config.padding, config.dilation)
    upstream = rng.uniform(-1, 1, fwd.Z.shape)
    back = conv_backward(fwd, upstream)
    g = conv_geometry(config.input_size, config.kernel_size, config.stride, config.padding, config.dilation)
    rows, cols = g.used_shape
    assert g.full_gap_cells.shape[:3] == (rows, cols, g.span[0] * g.span[1] - np.prod(config.kernel_size))
    for r, c in np.ndindex(rows, cols):
        taps = {tuple(cell) for cell in g.full_window_cells[r, c].reshape(-1, 2)}
        gaps = {tuple(cell) for cell in g.full_gap_cells[r, c]}
        span = {(r + i, c + j) for i in range(g.span[0]) for j in range(g.span[1])}
        assert taps | gaps == span and not taps & gaps
    cells = g.full_window_cells
    for o in range(config.filters):
        # PyTorch: the input gradient of the padded input when only filter o's dL/dZ flows back
        padded = t64(fwd.X_padded, grad=True)
        z = F.conv2d(padded[None], t64(w), stride=config.stride, dilation=config.dilation)[0]
        only_o = np.zeros(fwd.Z.shape)
        only_o[o] = upstream[o]
        z.backward(t64(only_o))
        torch_share = np64(padded.grad)
        under = back.padded_dilated_dL_dZ[o][cells[..., 0], cells[..., 1]]
        for ch in range(config.channels):
            sums = (under * back.rotated_W[o, ch]).sum(axis=(2, 3))
            np.testing.assert_allclose(sums, torch_share[ch][:rows, :cols], rtol=1e-9, atol=1e-9)
            np.testing.assert_allclose(back.dL_dX_padded_by_filter[o, ch], torch_share[ch], rtol=1e-9, atol=1e-9)
            np.testing.assert_array_equal(torch_share[ch][rows:], 0)
            np.testing.assert_array_equal(torch_share[ch][:, cols:], 0)


def test_no_gaps_without_dilation():
    g = conv_geometry((5, 5), (3, 3), (2, 2), 0)
    assert g.full_gap_cells.shape == (*g.used_shape, 0, 2) and not g.full_gap_cells.flags.writeable
