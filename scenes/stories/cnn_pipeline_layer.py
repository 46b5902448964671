"""What a convolution layer adds to the whole-CNN story: where each channel's, filter's and map's
numbers are in the trace, and how several grids of one stage stand together.

A stage of the pipeline is one grid for one channel and one filter, and a stack of grids for a
layer: X one per input channel, Z1, A1 and P1 (and their gradients) one map per filter, and W1
one kernel per filter (a row) and channel (a column). With one channel or one filter the
stage's path is the single-channel name the other scenes read (``conv.z``, ``head.pooled``,
...), so the lecture's pipeline draws exactly what it drew before; with several, the full
arrays' entries (``conv.Z[o]``, ``head.P[o]``, ...), so every map shown is the map the layer
computed, never filter 0's view beside sums over every channel.

A stage is numbered only where its digits can be read on the whole frame: three channels and
four filters of a 5x5 kernel leave cells whose digits would be 2 to 5 px tall at 480p, noise to
a viewer. Such a stage is drawn as shaded squares without its colour bar (``pictured``, by the
forward pass's rule, ``map_view.readable``), and where the story moves numbers from one stage
to the next, the cells travel instead: copies of the numbers, or of the shaded squares, fly to
their cells of the next stage as it fades in (``arrive``). The numbers under discussion stand
where they are legible: F's column, dL/dF's, and one worked entry of dL/dW1.
"""

from itertools import product

import numpy as np
from manim import DOWN, RIGHT, WHITE, Transform, TransformFromCopy, VGroup

from convprop.scenes.kit.fades import FadeIn
from convprop.scenes.kit.grid import NumberGrid, chars_for
from convprop.scenes.kit.layout import Box, fit_cell
from convprop.scenes.kit.map_view import READABLE_HEIGHT, digit_height, is_picture, numberable
from convprop.scenes.kit.panels import panel_boxes
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.trace_paths import lookup

# Between two grids of one stage, in cells: close enough to read as one stage, apart enough to
# read as several grids.
STACK_GAP = 0.45

# stage -> (its single-channel name, its full array's name), both under the first image's trace
_MAPS = {
    "Z": (("conv", "z"), ("conv", "Z")),
    "A": (("head", "activated"), ("head", "A")),
    "P": (("head", "pooled"), ("head", "P")),
    "dP": (("dL_dpooled",), ("dL_dP",)),
    "dA": (("dL_dactivated",), ("dL_dA",)),
    "dZ": (("conv_grad", "dL_dz"), ("conv_grad", "dL_dZ")),
}


# a stage's path under the first image's trace -> the name of its picture (``trace.pictures``):
# the single-channel one, or the tuple of every channel's or filter's (of the kernels, per filter
# and channel), indexed as the full array
_PICTURES = {
    ("conv", "kernel"): "kernel", ("conv", "W"): "kernels",
    ("conv_grad", "dL_dkernel"): "dL_dkernel", ("conv_grad", "dL_dW"): "dL_dkernels",
    ("conv", "padded_input"): "input", ("conv", "X_padded"): "inputs",
    ("conv", "z"): "z", ("conv", "Z"): "zs",
    ("head", "activated"): "activated", ("head", "A"): "activateds",
    ("head", "pooled"): "pooled", ("head", "P"): "pooleds",
    ("dL_dpooled",): "dL_dpooled", ("dL_dP",): "dL_dpooleds",
    ("dL_dactivated",): "dL_dactivated", ("dL_dA",): "dL_dactivateds",
    ("conv_grad", "dL_dz"): "dL_dz", ("conv_grad", "dL_dZ"): "dL_dzs",
}


def picture_path(first, path) -> tuple:
    """The shading of the matrix at ``path`` (a stage of ``first``'s trace): what is drawn of it
    when it has too many cells a side to number."""
    rest = tuple(path[len(first):])
    for view, name in _PICTURES.items():
        if rest[:len(view)] == view and len(rest) - len(view) in (0, 1, 2):
            return tuple(first) + ("pictures", name) + rest[len(view):]
    raise KeyError(f"no picture of {path}")


def bar_room(trace, first, paths, decimals: int) -> float:
    """The width the colour bar of a stage's pictures at ``paths`` takes right of each, its ends
    written with ``decimals``: measured on the widest, since each map has its own range; none
    for numbers."""
    if numberable(np.shape(lookup(trace, paths[0]))):
        return 0.0
    pictures = [Picture(trace, picture_path(first, path), MEASURING_CELL, decimals, WHITE) for path in paths]
    return max(picture.width - picture.frame.width for picture in pictures)


def grid_room(box: Box, bars: float, cols: int = 1) -> Box:
    """What ``box`` leaves a stage's grids, ``cols`` a row, beside their colour bars ``bars``
    wide (``bar_room``)."""
    return box.inset(right=bars * cols)


# In sharing a row with grids of numbers, a picture asks for the room of a grid this many cells a
# side: it reads at any size, while the numbers beside it need every cell they can get.
PICTURE_ROOM_SIDE = 12
MEASURING_CELL = 0.01  # a picture built only to measure its bar: any cell does


def room_shape(shape) -> tuple:
    """The shape a stage's grid asks room for in a row: its own for numbers, a picture's less."""
    return tuple(shape) if numberable(shape) else (PICTURE_ROOM_SIDE, PICTURE_ROOM_SIDE)


def pictured(trace, paths, decimals: int, cell: float) -> bool:
    """Whether a stage's grids at ``paths``, ``cell`` units a cell, are drawn as pictures: too
    many cells a side to number, or digits too small to read on the whole frame (under
    ``READABLE_HEIGHT``, the forward pass's rule), the stage's widest number deciding for all of
    its grids, so a stage is never half numbers, half shades."""
    if not numberable(np.shape(lookup(trace, paths[0]))):
        return True
    chars = chars_for(np.concatenate([np.ravel(lookup(trace, path)) for path in paths]), decimals)
    return digit_height(cell, chars) < READABLE_HEIGHT


def stage_view(trace, first, path, decimals: int, cell: float, color, picture: bool = False, bar: bool | None = None,
               **number_options) -> NumberGrid | Picture:
    """The matrix at ``path`` at ``cell`` units a cell: its numbers (with ``number_options``) while
    they can be read, else its picture, with its colour bar when it is too large to number, as
    shaded squares alone when ``picture`` says its numbers would be too small (``pictured``);
    ``bar`` False leaves any picture's bar out."""
    shape = np.shape(lookup(trace, path))
    if numberable(shape) and not picture:
        return NumberGrid(trace, path, decimals, cell, color, **number_options)
    return Picture(trace, picture_path(first, path), cell, decimals, color,
                   bar=not numberable(shape) if bar is None else bar)


def pieces(grid, cells=None) -> VGroup:
    """What of ``grid`` stands for its entries at ``cells`` (all, row by row, when None): its
    numbers, or a picture's shaded squares."""
    if is_picture(grid):
        return VGroup(*(grid.squares if cells is None else (grid.square(*rc) for rc in cells)))
    return grid.numbers if cells is None else VGroup(*(grid.label(*rc) for rc in cells))


def travel(moving, landing) -> Transform:
    """Copies of ``moving`` that fly onto ``landing`` (a picture's squares, a grid's cells) and
    vanish there: played with the target fading in, they show where each of its cells came from."""
    return Transform(VGroup(*moving).copy(), VGroup(*landing), remover=True)


def arrive(source, target, cells=None, into=None) -> list:
    """The animations that bring ``target`` out of ``source``: source's entries (or those at
    ``cells``) go to target's (or to those at ``into``), the rest of target fading in. Between
    numbers each number moves into its cell; where either is a picture, copies of source's
    numbers or shaded squares fly to their cells as the target fades in."""
    if is_picture(source) or is_picture(target):
        landing = target.squares if into is None else VGroup(*(target.square(*rc) for rc in into))
        return [travel(pieces(source, cells), landing), FadeIn(target)]
    landing = pieces(target, into)
    others = [label for label in target.numbers if all(label is not other for other in landing)]
    return [TransformFromCopy(pieces(source, cells), landing), FadeIn(target.squares),
            *([FadeIn(VGroup(*others))] if others else [])]


def mark_width(grid, width: float) -> float:
    """A mark's stroke on ``grid``: ``width`` around numbers, thin on a picture's small cells."""
    return min(width, 1.5) if is_picture(grid) else width


def map_paths(first, stage: str, filters: int) -> list[tuple]:
    """The path of each filter's map of ``stage`` ("Z", "A", "P", "dP", "dA", "dZ")."""
    view, full = _MAPS[stage]
    return [first + view] if filters == 1 else [first + full + (o,) for o in range(filters)]


def channel_paths(first, channels: int) -> list[tuple]:
    """The path of each input channel, zero-padded."""
    return [first + ("conv", "padded_input")] if channels == 1 else [
        first + ("conv", "X_padded", c) for c in range(channels)]


def kernel_paths(first, filters: int, channels: int, gradient: bool = False) -> list[list[tuple]]:
    """Per filter (a row), per channel (a column), the path of the kernel W1[o, c] (or, with
    ``gradient``, of dL/dW1[o, c])."""
    view, full = (("conv_grad", "dL_dkernel"), ("conv_grad", "dL_dW")) if gradient else (
        ("conv", "kernel"), ("conv", "W"))
    if filters == 1 and channels == 1:
        return [[first + view]]
    return [[first + full + (o, c) for c in range(channels)] for o in range(filters)]


def map_claim(first, name: str, o: int, filters: int) -> tuple:
    """The path of map o's cells in its head geometry (``pool_winners``, ``blocked_cells``, ...)."""
    return first + (("head_geometry", name) if filters == 1 else ("filter_head_geometry", o, name))


def stacked_cell(box: Box, shape, rows: int = 1, cols: int = 1, max_cell: float = 0.85) -> float:
    """The side of a square cell such that ``rows`` x ``cols`` grids of ``shape``, STACK_GAP
    cells apart, fit inside ``box``."""
    h, w = shape
    return fit_cell(box, (rows * h + (rows - 1) * STACK_GAP, cols * w + (cols - 1) * STACK_GAP), max_cell)


def stack(grids, cols: int = 1) -> VGroup:
    """The grids in rows of ``cols``, STACK_GAP cells apart (one column by default): a stage's
    grids standing together."""
    cell = grids[0].cell_size
    rows = [VGroup(*grids[i:i + cols]).arrange(RIGHT, buff=STACK_GAP * cell) for i in range(0, len(grids), cols)]
    return VGroup(*rows).arrange(DOWN, buff=STACK_GAP * cell)


def stacked_shape(shape, rows: int = 1, cols: int = 1) -> tuple[float, float]:
    """The rows and columns, in cells, that ``rows`` x ``cols`` grids of ``shape`` take: what a
    panel of the stack asks for."""
    h, w = shape
    return (rows * h + (rows - 1) * STACK_GAP, cols * w + (cols - 1) * STACK_GAP)


def roomiest_stack(box: Box, shape, count: int, max_cell: float = 0.85) -> tuple[float, int]:
    """The cell and the number of grids a row for ``count`` grids of ``shape`` in ``box``: the
    arrangement (one column, one row, or rows between) whose cells are largest."""
    options = [(stacked_cell(box, shape, -(-count // cols), cols, max_cell), cols) for cols in range(1, count + 1)]
    return max(options, key=lambda option: (option[0], -option[1]))


def boxes_for_words(area: Box, shapes, widths, gap: float = 0.35, least: int = 1) -> list[Box]:
    """``panel_boxes``, but each box at least as wide as the words of its panel (``widths``):
    a layer's shapes, '(F × C × kh × kw)', and its biases are read at their size, never shrunk
    below it, so the narrower grids give up room to them."""
    shapes = [tuple(shape) for shape in shapes]
    boxes = panel_boxes(area, shapes, gap, least)
    for _ in range(8):
        short = [i for i, box in enumerate(boxes) if box.width < widths[i]]
        if not short:
            break
        for i in short:
            unit = boxes[i].width / (max(shapes[i][1], least) + 1)  # the width one weight of panel_boxes gives
            shapes[i] = (shapes[i][0], widths[i] * 1.03 / unit - 1)
        boxes = panel_boxes(area, shapes, gap, least)
    return boxes


def _one_cell(free: float, height: float, shapes, widths, max_cell: float, margin: float) -> tuple[float, list]:
    """The largest common cell the stacks of ``shapes`` fit at in ``free`` width, and each
    stack's width: a stack too tall for that cell takes the cell its height allows."""

    def needs(cell):
        return [max(min(cell, height / rows, max_cell) * cols + margin, least)
                for (rows, cols), least in zip(shapes, widths)]

    low, high = 0.0, max_cell
    for _ in range(40):
        middle = (low + high) / 2
        low, high = (middle, high) if sum(needs(middle)) <= free else (low, middle)
    return low, needs(low)


def arranged_at_one_cell(area: Box, stages, widths, room: float, gap: float = 0.35, max_cell: float = 0.75,
                         margin: float = 0.3) -> tuple[list[int], list[Box]]:
    """How many grids a row each stage stands in, and its box, such that the smallest cell of
    any stage is as large as the row allows.

    ``stages`` are (one grid's shape, how many grids, the grids a row it must keep or None, and
    a group: stages of one group stand alike, so a map's Z1, A1 and P1 line up). ``widths`` the
    least width of each stage's words, ``room`` the height the words take from a box. A tall
    stack of three input channels would leave its numbers a fraction of the kernels' size; set
    in a row, or two, they share the row's room fairly with the rest.
    """
    free, height = area.width - gap * (len(stages) - 1), area.height - room
    groups = sorted({group for *_, group in stages})
    count_of = {group: next(n for _, n, _, g in stages if g == group) for group in groups}
    choices = [[None] if any(keep for _, _, keep, g in stages if g == group) else range(1, count_of[group] + 1)
               for group in groups]
    best = None
    for combination in product(*choices):
        chosen = dict(zip(groups, combination))
        cols = [keep or chosen[group] for _, _, keep, group in stages]
        shapes = [stacked_shape(shape, -(-n // c), c) for (shape, n, _, _), c in zip(stages, cols)]
        cell, sizes = _one_cell(free, height, shapes, widths, max_cell, margin)
        cells = [min(cell, height / rows, max_cell) for rows, _ in shapes]
        if best is None or (min(cells), sum(cells)) > best[0]:  # the smallest as large as can be, then the rest
            best = ((min(cells), sum(cells)), cols, sizes)
    _, cols, sizes = best
    spare = (free - sum(sizes)) / len(sizes)
    boxes, x = [], area.left
    for size in sizes:
        boxes.append(Box(x, x + size + spare, area.bottom, area.top))
        x += size + spare + gap
    return cols, boxes
