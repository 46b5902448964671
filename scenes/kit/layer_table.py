"""A convolution layer's kernels all at once: one column per filter, its kernels one per channel.

A layer of F filters over C input channels holds F x C kernels, W_(o,c). Drawn side by side in
one row they would be too small to read, so the table stands the filters across and, in each
filter's column, that filter's kernels down, one per channel, with room under each column for
what belongs to the filter alone (its bias). A filter is then one tall, narrow group, which the
camera can bring close in one move (``Story.closely``) while the others stay in view around it.

The cells may be wider than tall: numbers with three decimals need the width, and F x C
kernels share the height. Every grid is a ``NumberGrid`` of the trace's array at
``path + (o, c)``, so the tests check its numbers and cells as any other.

Example::

    table = LayerTable(trace, ("W_updated",), 3, box, UPDATE, name=lambda o, c: f"W^*_({o + 1},{c + 1})",
                       blank=True, foot=0.5)
    table.grid(0, 1)          # filter 1's kernel for channel 2
    table.column(0)           # filter 1: its kernels and their names
    table.foot(0)             # the room under filter 1's column, for its bias
"""

import numpy as np
from manim import DOWN, VGroup

from convprop.scenes.kit.formula import Formula
from convprop.scenes.kit.grid import NumberGrid, chars_for
from convprop.scenes.kit.layout import Box, one_above_another, place, side_by_side
from convprop.scenes.kit.style import LABEL_SIZE
from convprop.scenes.kit.trace_paths import lookup

COLUMN_GAP = 0.35  # between two filters' columns
SPREAD_GAP = 1.0  # between two filters' columns when the kernels leave room to spare
NAME_ROOM = 0.45  # the name above each kernel, and a gap to the kernel above it
NAME_GAP = 0.08  # between a name and its kernel


def filter_columns(box: Box, filters: int, gap: float = COLUMN_GAP) -> list[Box]:
    """``box`` split into one equal column per filter (or per channel), ``gap`` apart."""
    return side_by_side(box, [1] * filters, gap)


def kernel_cell(box: Box, shape, count: int, max_cell: float, name_room: float = NAME_ROOM):
    """The cell, (width, height), at which ``count`` kernels of ``shape``, each under its name,
    stand one above another in ``box``: as wide as the box allows (up to ``max_cell``), and no
    taller than wide."""
    rows, cols = shape
    width = min(box.width / cols, max_cell)
    height = min((box.height - count * name_room) / (count * rows), width)
    return width, height


class LayerTable(VGroup):
    """The F x C kernels at ``path`` (an F x C x kh x kw array of the trace), filter o's column
    holding its kernels for channels 1 to C, each named ``name(o, c)`` (a formula, its subscripts
    names, not values), with ``foot`` units kept free under each column.

    ``blank`` leaves the numbers to be filled in (``NumberGrid.fill``); the grids all share one
    font, sized for the widest entry of the whole layer, so no kernel looks more important than
    another.
    """

    def __init__(self, trace, path, decimals: int, box: Box, color, name, blank: bool = False,
                 foot: float = 0.0, max_cell: float = 1.2, name_size: float = LABEL_SIZE):
        super().__init__()
        array = np.asarray(lookup(trace, path))
        filters, channels = array.shape[:2]
        self.filters, self.channels = filters, channels
        columns = filter_columns(box, filters)
        width, height = kernel_cell(columns[0].inset(bottom=foot), array.shape[2:], channels, max_cell)
        # kernels narrower than their columns (a capped cell) stand together, centred, a wider
        # gap apart, instead of far apart at the box's edges
        used = filters * width * array.shape[3] + (filters - 1) * SPREAD_GAP
        if used < box.width:
            middle = box.center[0]
            columns = filter_columns(Box(middle - used / 2, middle + used / 2, box.bottom, box.top), filters,
                                     SPREAD_GAP)
        kernels_room = [c.inset(bottom=foot) for c in columns]
        self.feet = [Box(c.left, c.right, c.bottom, c.bottom + foot) for c in columns]
        cell = width if np.isclose(width, height) else (width, height)
        chars = chars_for(array, decimals)
        self.grids, self.names = [], []
        for o, room in enumerate(kernels_room):
            grids, names = [], []
            # the kernels of a column as close as their names allow, the column centred in its room
            slots = one_above_another(room, [1] * channels)
            for c, slot in enumerate(slots):
                grid = NumberGrid(trace, tuple(path) + (o, c), decimals, cell, color, blank=blank, chars=chars)
                label = Formula(trace, [name(o, c)], font_size=name_size, color=color)
                # against the slot's bottom: what the name leaves of its room parts it from the kernel above
                place(VGroup(label, grid).arrange(DOWN, buff=NAME_GAP), slot, DOWN)
                grids.append(grid)
                names.append(label)
            self.grids.append(grids)
            self.names.append(names)
            self.add(*grids, *names)

    def grid(self, o: int, c: int) -> NumberGrid:
        return self.grids[o][c]

    def column(self, o: int) -> VGroup:
        """Filter o's kernels and their names: what the camera comes to for that filter."""
        return VGroup(*self.grids[o], *self.names[o])

    def foot(self, o: int) -> Box:
        """The room under filter o's column."""
        return self.feet[o]

    def squares(self) -> VGroup:
        """Every kernel's cells and name, without numbers: the table as it stands before it is filled."""
        return VGroup(*(g.squares for grids in self.grids for g in grids),
                      *(n for names in self.names for n in names))
