"""The layer's table (kit.layer_table) holds every kernel of a layer inside its box, one column
per filter, each kernel under its name and none over another, for the largest layer drawn."""

import numpy as np
import pytest

from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.kit.layer_table import LayerTable
from convprop.scenes.kit.layout import Box
from convprop.scenes.kit.style import UPDATE

SLACK = 1e-6
BOX = Box(-6.9, 6.9, -3.7, 2.0)
FOOT = 0.5
LAYERS = {
    "4-filters-3-channels-k5": ModelConfig(input_size=(7, 7), kernel_size=(5, 5), stride=(1, 1), padding=1,
                                           channels=3, filters=4),
    "1-filter-3-channels": ModelConfig(channels=3),
    "2-filters-1-channel": ModelConfig(filters=2),
}


def _box(m):
    return np.array([m.get_left()[0], m.get_right()[0], m.get_bottom()[1], m.get_top()[1]])


def _inside(m, box: Box) -> bool:
    left, right, bottom, top = _box(m)
    return (left >= box.left - SLACK and right <= box.right + SLACK and bottom >= box.bottom - SLACK
            and top <= box.top + SLACK)


def _apart(a, b) -> bool:
    (al, ar, ab, at), (bl, br, bb, bt) = _box(a), _box(b)
    return ar <= bl + SLACK or br <= al + SLACK or at <= bb + SLACK or bt <= ab + SLACK


@pytest.fixture(scope="module", params=list(LAYERS.values()), ids=list(LAYERS))
def table(request):
    trace = run_lesson(request.param)
    return trace, LayerTable(trace, ("W_updated",), 3, BOX, UPDATE, name=lambda o, c: f"W^*_({o + 1},{c + 1})",
                             foot=FOOT)


def test_every_kernel_of_the_layer_is_drawn_from_the_trace(table):
    trace, t = table
    filters, channels = trace.config.filters, trace.config.channels
    assert (t.filters, t.channels) == (filters, channels)
    for o in range(filters):
        for c in range(channels):
            grid = t.grid(o, c)
            assert grid.path == ("W_updated", o, c)
            assert (grid.rows, grid.cols) == trace.W_updated.shape[2:]


def test_the_table_stays_in_its_box_and_leaves_each_column_its_foot(table):
    trace, t = table
    assert _inside(t, BOX)
    for o in range(t.filters):
        foot = t.foot(o)
        assert np.isclose(foot.height, FOOT) and np.isclose(foot.bottom, BOX.bottom)
        assert t.column(o).get_bottom()[1] >= foot.top - SLACK
        assert _inside(t.column(o), Box(foot.left, foot.right, foot.top, BOX.top))


def test_no_kernel_or_name_lies_over_another_and_each_name_is_above_its_kernel(table):
    _, t = table
    pieces = [m for o in range(t.filters) for m in (*t.grids[o], *t.names[o])]
    for i, a in enumerate(pieces):
        for b in pieces[i + 1:]:
            assert _apart(a, b)
    for o in range(t.filters):
        for grid, name in zip(t.grids[o], t.names[o]):
            assert name.get_bottom()[1] >= grid.get_top()[1] - SLACK
            assert abs(name.get_center()[0] - grid.get_center()[0]) < 1e-3
