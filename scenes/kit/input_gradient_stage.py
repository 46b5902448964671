"""Where the input gradient's screens stand, worked out once from the sizes of the grids a trace has.

The room under the title is split into a band at the bottom, as tall as a step's equation, and
the stage above it, less the room of the grids' names. The stage is split into three columns:
the padded dilated gradient on the left, the kernel and the entries under the window in the
middle, dL/d(padded X) on the right (one grid per channel). Every column of numbers gets an equal
share of the width (the window's entries are the gradient's own, written as wide), the middle
within its narrowest and widest; the other two share the rest by their column counts, and their
cells grow wider than tall when their numbers need it to be read (``fit_cells``).

Beats hand each other what stays on screen as values (``Shown``, the grids they return).

Example::

    stage = input_gradient_stage(trace, Names(single=True), title)
    grid = NumberGrid(...).move_to(stage.grad_box.center)
"""

from dataclasses import dataclass, field

from convprop.scenes.kit.full_convolution import DECIMALS, Names, step_equation
from convprop.scenes.kit.grid import chars_for, fit_cells
from convprop.scenes.kit.grid_names import NAME_GAP, over_cells
from convprop.scenes.kit.layout import (
    MAX_TEXT_WIDTH, Box, fit_cell, one_above_another, shrink_to_width, side_by_side, split_bottom, under,
)
from convprop.scenes.kit.map_view import fitted_picture
from convprop.scenes.kit.rotated_kernel import rotated_name
from convprop.scenes.kit.style import GRADIENT
from convprop.scenes.kit.tiles import tile

GAP = 0.4
COLUMN_GAP = 0.2  # between the three columns: fifteen columns of three-decimal numbers share the default stage
LINE_GAP = 0.15  # between the grids and the line at the bottom
MIDDLE_CELL = 0.85  # largest cell of the kernel and of the entries under the window
MIDDLE_WIDTH = (2.6, 3.4)  # the middle column's narrowest and widest
KERNEL_AND_WINDOW = (2.3, 2.75)  # the middle column's shares: the kernel above, the window's entries below
WINDOW_GAP = 0.6  # between them: the window's caption, and the kernel's name before it turns
FINAL_SHARES = (1, 4, 1)  # dL/dX of one channel, once everything else has gone: the stage's middle share
FINAL_CELL = 1.1
NAME_ROOM = 0.4  # the name above a grid, between two rows of grids


@dataclass(frozen=True)
class Stage:
    """The three columns and the cells that fit them, for this trace's shapes; the whole stage
    (each filter's shares and their sums, every channel's dL/dX), the middle of it where one
    channel's dL/dX stands at the end, and the band under it all where each beat's line is written."""

    grad_box: Box
    kernel_box: Box
    window_box: Box
    result_boxes: list
    middle_cell: float
    result_cell: float
    whole: Box
    final: Box
    line: Box


def input_gradient_stage(trace, names: Names, title) -> Stage:
    """The room under ``title``: a band at the bottom as tall as a step's equation, and above
    it, less the room of the grids' names, the three columns, sized from the grids this trace
    has: of the ways to tile the channels' results in the right column, the one that gives
    both grids the larger cell."""
    kh, kw = trace.conv.W.shape[2:]
    pd_shape = trace.conv_grad.padded_dilated_dL_dz.shape
    res_shape = trace.conv.padded_input.shape
    line_room = shrink_to_width(step_equation(trace, names, 0, 0, 0, res_shape[1]), MAX_TEXT_WIDTH).height
    grids, line = split_bottom(under(title), line_room, gap=LINE_GAP)
    stage = grids.inset(top=_name_room(trace, names, title))
    chars = max(chars_for(trace.conv_grad.padded_dilated_dL_dz, DECIMALS), chars_for(trace.conv_grad.dL_dpadded_input,
                                                                                      DECIMALS))
    best = None
    for across in range(1, trace.config.channels + 1):
        columns = pd_shape[1] + kw + res_shape[1] * across
        middle = min(max(kw * (stage.width - 2 * COLUMN_GAP) / columns, MIDDLE_WIDTH[0]), MIDDLE_WIDTH[1])
        rest = stage.width - middle - 2 * COLUMN_GAP
        left_w = rest * pd_shape[1] / (pd_shape[1] + res_shape[1] * across)
        grad_box, middle_box, right = side_by_side(stage, (left_w, middle, rest - left_w), COLUMN_GAP)
        boxes, _ = tile(right, trace.config.channels, res_shape, GAP, NAME_ROOM)
        cell = fit_cells(boxes[0], res_shape, chars)
        score = min(_width(cell), _width(fit_cells(grad_box, pd_shape, chars)))
        if best is None or score > best[0]:
            best = (score, grad_box, middle_box, boxes, cell)
    _, grad_box, middle_box, boxes, cell = best
    kernel_box, window_box = one_above_another(middle_box, KERNEL_AND_WINDOW, gap=WINDOW_GAP)
    return Stage(grad_box, kernel_box, window_box, boxes,
                 min(fit_cell(kernel_box, (kh, kw), MIDDLE_CELL), fit_cell(window_box, (kh, kw), MIDDLE_CELL)),
                 cell, whole=stage, final=side_by_side(stage, FINAL_SHARES)[1], line=line)


def _width(cell) -> float:
    return cell if isinstance(cell, float | int) else cell[0]


def _name_room(trace, names: Names, anywhere) -> float:
    """The height a grid's name takes above it, measured on the tallest names the scene writes."""
    if names.single:
        labels = [over_cells(trace, "dL/dZ, dilated and padded", anywhere),
                  over_cells(trace, "dL/dX (padded)", anywhere)]
    else:
        labels = [over_cells(trace, "\"dL/dZ\"_1 \" dilated and padded\"", anywhere),
                  over_cells(trace, "\"dL/dX\"_1 \"via\" W_(1,1)", anywhere)]
    return max(m.height for m in [*labels, rotated_name(trace, names.single, 0, anywhere)]) + NAME_GAP


def gradient_picture(trace, path, box: Box, blank: bool = False, max_cell: float = FINAL_CELL):
    """A gradient's shading at ``path`` as a picture filling ``box`` beside its measured colour bar."""
    return fitted_picture(trace, path, box, DECIMALS, GRADIENT, max_cell, blank=blank)


@dataclass(frozen=True)
class Shown:
    """What one beat leaves on screen for the next: the gradient grid being worked on and its
    name, the line at the bottom, the rotated kernel in the middle and its name, the names of the
    result grids, what is to fade when the next beat starts, and grids built for a later beat."""

    grid: object
    label: object
    line: object = None
    rotated: object = None
    rotated_label: object = None
    titles: object = None
    leftovers: list = field(default_factory=list)
    coming: tuple = ()
