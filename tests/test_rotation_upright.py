"""While the input gradient's kernel turns half a turn, each entry travels to its rotated place
with its digits upright.

The half turn (``scenes.kit.rotated_kernel.half_turn``) is sampled at several moments: at each,
every number's outline must be an upright copy of itself (its points are those of a freshly
drawn number of the same value, shifted, never turned or mirrored), and it must sit inside its
own square of the turning grid. At the end, the cell each entry (i, j) of W lands in must hold,
in the trace's rotated kernel, the value W[i, j], and that kernel must be W turned by half a
turn as torch computes it (``torch.rot90`` twice), so the landing cells are checked against an
oracle that is not the scene's own arithmetic. The kernels are given with distinct entries, so
that a value names one cell.
"""

import numpy as np
import pytest
import torch
from manim import tempconfig

from convprop.mathcore import ModelConfig
from convprop.mathcore.model import run_model
from convprop.scenes.kit.full_convolution import Names
from convprop.scenes.kit.numbers import NumberLabel
from convprop.scenes.kit.rotated_kernel import half_turn, kernel_grid

ALPHAS = (0.0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0)


def _distinct(shape, seed):
    """Entries of ``shape``, distinct, in steps of 0.1 and never zero."""
    count = int(np.prod(shape))
    steps = np.random.default_rng(seed).permutation(np.r_[-20:0, 1:21])[:count]
    return (steps / 10).reshape(shape).tolist()


CASES = {
    "3x3": (ModelConfig(), (3, 3)),
    "5x5-padded": (ModelConfig(input_size=(7, 7), kernel_size=(5, 5), stride=(1, 1), padding=1), (5, 5)),
    "2x3-rectangular": (ModelConfig(input_size=(5, 6), kernel_size=(2, 3), stride=(1, 1)), (2, 3)),
    "layer-2-channels-2-filters": (ModelConfig(channels=2, filters=2), (2, 2, 3, 3)),
}


def _upright(label: NumberLabel) -> bool:
    """Whether ``label``'s outline is a freshly drawn (upright) copy of its number, only scaled
    to its size and shifted to its place: not turned, not mirrored."""
    upright = NumberLabel(label.value, label.decimals)
    upright.scale(label.width / upright.width)
    shift = label.get_center() - upright.get_center()
    return label.points.shape == upright.points.shape and np.allclose(label.points, upright.points + shift, atol=1e-6)


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_each_entry_travels_upright_to_its_rotated_cell(case):
    config, shape = case
    trace = run_model(config, {"kernel": _distinct(shape, seed=len(shape) + shape[-1])})
    names = Names(single=config.channels == 1 and config.filters == 1)
    kh, kw = config.kernel_size
    with tempconfig({"quality": "low_quality"}):
        for o in range(config.filters):
            for c in range(config.channels):
                grid = kernel_grid(trace, names.kernel(o, c), 0.8).shift([1.3, -0.4, 0])
                rotated = kernel_grid(trace, names.rotated(o, c), 0.8).move_to(grid)
                animations = half_turn(grid)
                for animation in animations:
                    animation.begin()
                for alpha in ALPHAS:
                    for animation in animations:
                        animation.interpolate(alpha)
                    for label in grid.numbers:
                        i, j = label.source[-1]
                        assert _upright(label), (
                            f"entry {(i, j)} of W[{o}, {c}] is not upright at alpha {alpha}")
                        square = grid.square(i, j)
                        assert np.linalg.norm(label.get_center() - square.get_center()) < 1e-6, (
                            f"entry {(i, j)} left its cell while turning, at alpha {alpha}")
                for animation in animations:
                    animation.finish()

                W = np.asarray(trace.conv.W[o, c])
                oracle = torch.rot90(torch.tensor(W), 2, dims=(0, 1)).numpy()
                np.testing.assert_array_equal(np.asarray(trace.conv_grad.rotated_W[o, c]), oracle)
                landed = 0
                for label in grid.numbers:
                    i, j = label.source[-1]
                    cells = [(r, col) for r in range(kh) for col in range(kw)
                             if np.allclose(label.get_center(), rotated.square(r, col).get_center(), atol=1e-6)]
                    assert len(cells) == 1, f"entry {(i, j)} of W[{o}, {c}] ends between cells"
                    (r, col), = cells
                    assert oracle[r, col] == W[i, j], (
                        f"entry {(i, j)} of W[{o}, {c}] ends in cell {(r, col)}, where the rotated kernel holds "
                        f"{oracle[r, col]}, not {W[i, j]}")
                    assert rotated.label(r, col).text == label.text
                    landed += 1
                assert landed == kh * kw


def test_the_check_sees_a_number_turned_upside_down():
    """The upright check is not vacuous: a number turned by half a turn about its centre fails it."""
    label = NumberLabel(-0.6, 1, font_size=28)
    assert _upright(label)
    assert not _upright(label.copy().rotate(np.pi))
    assert not _upright(label.copy().rotate(0.2))
