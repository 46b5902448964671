"""The geometry the video draws, proven against the values and against PyTorch.

A window drawn on the wrong cells would still show the right numbers elsewhere on screen; these
tests tie every cell mathcore names to the arithmetic: the window of step k holds patch k, the
lit cell of a chain-rule term holds dz_k/dw_i, the dilated and padded dL/dZ hold dL/dz_k where
the geometry says, the full convolution's windows and the correlation's placements give the
gradients, the skipped cells are exactly those PyTorch gives no gradient, and a pool winner is
where PyTorch's max pool points.
"""

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings

from convprop.mathcore.conv import conv_backward, conv_forward
from convprop.mathcore.geometry import conv_geometry
from convprop.mathcore.model import run_model
from tests.strategies import configs
from tests.torch_reference import t64

torch.set_default_dtype(torch.float64)


def _at(grid, cells):
    cells = np.asarray(cells)
    return np.asarray(grid)[cells[..., 0], cells[..., 1]]


def _distinct(rng, shape):
    """Values no two of which are equal, so a value found at a cell names that cell."""
    return rng.permutation(int(np.prod(shape))).reshape(shape) + rng.uniform(0.1, 0.9, shape)


@settings(max_examples=120, deadline=None)
@given(configs())
def test_the_cells_named_hold_the_values_the_arithmetic_used(config):
    rng = np.random.default_rng(config.seed)
    x, k = _distinct(rng, config.input_size), rng.uniform(-2, 2, config.kernel_size)
    fwd = conv_forward(x, k, 0.3, config.stride, config.padding)
    dz = _distinct(rng, fwd.z.shape) + 1.0  # never zero, so every entry can be found
    bwd = conv_backward(fwd, dz)
    g = conv_geometry(x.shape, k.shape, config.stride, config.padding)

    assert g.padded_shape == fwd.padded_input.shape and g.output_shape == fwd.z.shape
    assert g.used_shape == fwd.used_shape
    # the window of every step covers exactly the patch that step multiplied
    np.testing.assert_array_equal(_at(fwd.padded_input, g.window_cells), fwd.patches)
    np.testing.assert_array_equal(g.window_cells[:, :, 0, 0], g.window_origins)
    # the cell each chain-rule term lights holds its dz_k/dw_i, and is the trace's own
    for w in bwd.weight_gradients:
        for term in w.terms:
            r, c = divmod(term.k, fwd.z.shape[1])
            assert tuple(g.window_cells[r, c][w.position]) == term.input_position
            assert tuple(g.weight_cells[w.position][r, c]) == term.input_position
            assert tuple(g.output_cells[r, c]) == (r, c)
            assert fwd.padded_input[term.input_position] == term.dz_dw
    # padding: the zeros around X, and X itself inside
    padded_ones = F.pad(t64(np.ones(x.shape)), (config.padding,) * 4).numpy()
    np.testing.assert_array_equal(g.padding_mask, padded_ones == 0)
    np.testing.assert_array_equal(_at(fwd.padded_input, g.padding_cells), 0)
    np.testing.assert_array_equal(_at(fwd.padded_input, g.input_cells), x)
    np.testing.assert_array_equal(_at(fwd.padded_input, g.padded_cells), fwd.padded_input)
    # skipped: PyTorch gives no gradient to exactly the cells no window covers
    padded = t64(fwd.padded_input, grad=True)
    F.conv2d(padded[None, None], t64(np.ones(k.shape))[None, None], stride=config.stride).sum().backward()
    np.testing.assert_array_equal(g.covered_mask, padded.grad.numpy() != 0)
    np.testing.assert_array_equal(g.skipped_cells, np.argwhere(padded.grad.numpy() == 0))

    # backward: dL/dz_k sits where the geometry says in the dilated and padded grids, zeros elsewhere
    assert g.dilated_shape == bwd.dilated_dL_dz.shape and g.full_padded_shape == bwd.padded_dilated_dL_dz.shape
    np.testing.assert_array_equal(_at(bwd.dilated_dL_dz, g.dilated_entries), dz)
    np.testing.assert_array_equal(bwd.dilated_dL_dz != 0, ~g.inserted_zero_mask)
    np.testing.assert_array_equal(_at(bwd.padded_dilated_dL_dz, g.full_entries), dz)
    np.testing.assert_array_equal(_at(bwd.padded_dilated_dL_dz, np.argwhere(g.full_padding_mask)), 0)
    np.testing.assert_array_equal(bwd.padded_dilated_dL_dz != 0, ~g.full_zero_mask)
    np.testing.assert_array_equal(_at(bwd.dL_dkernel, g.kernel_cells), bwd.dL_dkernel)
    assert g.full_padding == (k.shape[0] - 1, k.shape[1] - 1)
    # the full convolution's window at (r, c), times the rotated kernel, is dL/d(padded X)[r, c]
    sums = (_at(bwd.padded_dilated_dL_dz, g.full_window_cells) * bwd.rotated_kernel).sum(axis=(2, 3))
    np.testing.assert_allclose(sums, bwd.dL_dpadded_input[: g.used_shape[0], : g.used_shape[1]], rtol=1e-12, atol=1e-9)
    # the dilated dL/dZ placed at (a, b) on the input, summed, is dL/dw[a, b]
    sums = (_at(fwd.padded_input, g.correlation_cells) * bwd.dilated_dL_dz).sum(axis=(2, 3))
    np.testing.assert_allclose(sums, bwd.dL_dkernel, rtol=1e-12, atol=1e-9)


@settings(max_examples=80, deadline=None)
@given(configs())
def test_relu_and_pool_cells_are_the_trace_decisions(config):
    trace = run_model(config)
    h = trace.head_geometry
    z = trace.conv.z
    if config.relu:
        np.testing.assert_array_equal(h.relu_mask, z > 0)
    else:
        assert h.relu_mask.all()
    np.testing.assert_array_equal(h.relu_off_cells, np.argwhere(~h.relu_mask))
    if config.pool:
        winners = h.pool_winners
        np.testing.assert_array_equal(_at(trace.head.activated, winners), trace.head.pooled)
        np.testing.assert_array_equal(_at(trace.head.activated, h.pool_window_cells).max(axis=(2, 3)),
                                      trace.head.pooled)
        for r in range(winners.shape[0]):
            for c in range(winners.shape[1]):
                assert any((winners[r, c] == cell).all() for cell in h.pool_window_cells[r, c].reshape(-1, 2))
    # no gradient reaches a blocked cell
    np.testing.assert_array_equal(_at(trace.dL_dz, h.blocked_cells), 0)


def test_the_geometry_cannot_be_changed():
    g = conv_geometry((5, 5), (3, 3), (2, 2), 0)
    for array in (g.window_origins, g.window_cells, g.padding_mask, g.skipped_cells, g.full_window_cells):
        assert not array.flags.writeable
