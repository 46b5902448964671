"""Several grids of one shape in one area: a layer's channels, or one map per filter.

A layer draws the same matrix once per channel or filter. They share one cell size (so the
same cell reads the same in every grid) and the arrangement, side by side or stacked, is the
one that gives that cell the most room. Each grid keeps ``name_room`` above it for its name;
the first row's names stand above the area, as a single grid's name does.

Example::

    boxes, cell = tile(area, count=3, shape=(9, 9), gap=0.3, name_room=0.35)
    grids = [NumberGrid(...).move_to(box.center) for box in boxes]
"""

from math import ceil

from convprop.scenes.kit.layout import MAX_CELL, Box, fit_cell


def tile_in(area: Box, count: int, shape, across: int, gap: float, name_room: float,
            max_cell: float = MAX_CELL) -> tuple[list[Box], float]:
    """``count`` boxes ``across`` to a row, row by row from the top, and the cell that fits
    ``shape`` in each; rows stand ``name_room`` apart, the next row's names between them."""
    down = ceil(count / across)
    width = (area.width - gap * (across - 1)) / across
    height = (area.height - name_room * (down - 1)) / down
    boxes = []
    for k in range(count):
        i, j = divmod(k, across)
        left = area.left + j * (width + gap)
        top = area.top - i * (height + name_room)
        boxes.append(Box(left, left + width, top - height, top))
    return boxes, fit_cell(boxes[0], shape, max_cell)


def tile(area: Box, count: int, shape, gap: float, name_room: float,
         max_cell: float = MAX_CELL) -> tuple[list[Box], float]:
    """The arrangement of ``count`` grids of ``shape`` in ``area`` whose common cell is largest."""
    return max((tile_in(area, count, shape, across, gap, name_room, max_cell) for across in range(1, count + 1)),
               key=lambda boxes_cell: boxes_cell[1])
