"""A layer's per-filter shares of dL/dX: every filter sends its own share back to every channel,
and dL/dX_c is their sum. Drawn as a table, one row per channel and one column per filter, the
shares joined by "+" into a last column of totals under "dL/dX_c".

Example::

    shares = shares_table(trace, names, area)
    scene.play(*(Create(grid.squares) for grid in shares.totals))
    line = sum_of_shares(trace, names, (1, 1), index=5)
"""

from dataclasses import dataclass

from manim import LEFT, UP, VGroup

from convprop.scenes.kit.formula import Formula, Num
from convprop.scenes.kit.full_convolution import DECIMALS, Names
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.grid_names import over_cells
from convprop.scenes.kit.input_gradient_stage import NAME_ROOM
from convprop.scenes.kit.layout import Box, fit_cell, one_above_another, side_by_side
from convprop.scenes.kit.numbers import decimals_that_add
from convprop.scenes.kit.style import GRADIENT, LABEL_SIZE, MUTED
from convprop.scenes.kit.trace_paths import resolve

ROW_NAME_ROOM = 0.6  # the channel's name left of its row of filter shares
SIGN_ROOM = 0.45  # the "+" or "=" between two grids of a row
WIDEST_CELL = 2.0  # a cell of that table at most this many times as wide as tall


@dataclass(frozen=True)
class SharesTable:
    """The grids of the table by channel and filter (``shares[c][o]``, filter 1's written, the
    others blank), each channel's total (blank), the columns' heads (one per filter, then the
    totals'), the signs between the grids and the channels' names left of their rows."""

    shares: list
    totals: list
    heads: VGroup
    signs: VGroup
    rows: VGroup


def shares_table(trace, names: Names, area: Box) -> SharesTable:
    """Every filter's share of every channel and the channels' totals, tiled across ``area``."""
    F, C = trace.config.filters, trace.config.channels
    shape = trace.conv.padded_input.shape
    # one column per filter and one for the total, one row per channel
    boxes, cell = _table(area.inset(left=ROW_NAME_ROOM), C, F + 1, shape)
    table = [[NumberGrid(trace, names.share(o, c), DECIMALS, cell, GRADIENT, blank=o > 0
                         ).move_to(boxes[c][o].center) for o in range(F)] for c in range(C)]
    totals = [NumberGrid(trace, names.padded_total(c), DECIMALS, cell, GRADIENT, blank=True
                         ).move_to(boxes[c][F].center) for c in range(C)]
    heads = VGroup(*(Formula(trace, (f"\"from\" Z_{o + 1}",), font_size=LABEL_SIZE, color=GRADIENT)
                     .next_to(table[0][o], UP, buff=0.12) for o in range(F)),
                   over_cells(trace, "\"dL/dX\"_c" if C > 1 else "dL/dX", totals[0]))
    signs = VGroup(*(Formula(trace, ("=" if o == F - 1 else "+",), font_size=LABEL_SIZE + 4)
                     .move_to((table[c][o].get_right() + (totals[c] if o == F - 1 else table[c][o + 1]).get_left()) / 2)
                     for c in range(C) for o in range(F)))
    rows = VGroup(*(Formula(trace, (f"X_{c + 1}",), font_size=LABEL_SIZE, color=MUTED)
                    .next_to(table[c][0], LEFT, buff=0.12) for c in range(C) if C > 1))
    return SharesTable(table, totals, heads, signs, rows)


def filter_line(trace, o: int):
    """How filter ``o``'s share is made: the same full convolution, of its own dL/dZ and kernels."""
    return Formula(trace, (f"\"from\" Z_{o + 1} : \"full conv\" ( \"dilate\" ( (partial L) / (partial Z_{o + 1}) ) ,"
                           f" W_({o + 1},c)^\"rot\" )",), font_size=28, color=GRADIENT)


def sum_of_shares(trace, names: Names, rc, index: int):
    """Channel 1's cell ``rc`` (the ``index``-th of its padded input) as the sum of every filter's
    share, written with as many decimals as make the written shares add up to the written sum."""
    F = trace.config.filters
    parts = [f"(partial L) / (partial x_(1,{index})) ="]
    decimals = decimals_that_add([resolve(trace, names.share(o, 0) + (rc,)) for o in range(F)],
                                 resolve(trace, names.padded_total(0) + (rc,)), DECIMALS)
    for o in range(F):
        parts += (["+"] if o else []) + [Num(names.share(o, 0) + (rc,), decimals, paren=bool(o), label=f"a{o}")]
    parts += ["=", Num(names.padded_total(0) + (rc,), decimals, color=GRADIENT, label="v")]
    return Formula(trace, parts, font_size=30)


def _table(area: Box, rows: int, cols: int, shape):
    """Boxes of a ``rows`` x ``cols`` table of grids of ``shape`` (room for a name above each
    row and a sign between columns), and the (width, height) of the cell that fits them all:
    up to twice as wide as tall, so that three decimals are as large as the rows allow."""
    boxes = [side_by_side(row, [1] * cols, gap=SIGN_ROOM) for row in one_above_another(area, [1] * rows, gap=NAME_ROOM)]
    height = fit_cell(boxes[0][0], shape)
    return boxes, (min(boxes[0][0].width / shape[1], WIDEST_CELL * height), height)
