"""A matrix of numbered cells, and the window that shows where a kernel sits on it.

Example::

    grid = NumberGrid(trace, ("conv", "padded_input"), decimals=1, cell=0.6, color=INPUT)
    window = KernelWindow(grid, trace, ("geometry", "window_cells", (0, 0)))
"""

import numpy as np
from manim import Rectangle, VGroup

from convprop.scenes.kit.marks import Outline, cells_at
from convprop.scenes.kit.layout import LEGIBLE_HEIGHT, MAX_CELL, Box, fit_cell
from convprop.scenes.kit.numbers import NumberLabel, font_for_height, widest_drawn
from convprop.scenes.kit.style import MUTED
from convprop.scenes.kit.trace_paths import lookup, resolve

# A number keeps MARGIN of its cell clear on each side, so that the numbers of a row never run
# together (``-0.5-0.9-1.0`` read as one string): its glyphs fill at most FILL of the cell's width.
# The font never exceeds BODY size; nor, in a cell wider than tall, more than this many points per
# unit of the cell's height.
MARGIN = 0.10
FILL = 1 - 2 * MARGIN
_MAX_FONT = 30
_PER_HEIGHT = 45


def font_for_cell(cell: float, chars: int, height: float | None = None, max_font: float = _MAX_FONT,
                  fill: float = FILL) -> float:
    """The largest font at which any ``chars`` monospaced glyphs fill at most ``fill`` of a cell
    ``cell`` wide (and fit one ``height`` tall)."""
    font = min(max_font, fill * cell / widest_drawn(max(chars, 3), 1.0))
    return font if height is None else min(font, _PER_HEIGHT * height)


def cell_for_font(chars: int, font_size: float, fill: float = FILL) -> float:
    """The least cell width in which any ``chars`` glyphs at ``font_size`` keep their margins: what
    a layout gives a grid whose numbers must be read at that size."""
    return widest_drawn(max(chars, 3), font_size) / fill


def legible_cell(chars: int) -> float:
    """The least cell width in which ``chars`` glyphs are drawn at the legible size (LEGIBLE_HEIGHT)
    and keep their margins."""
    return cell_for_font(chars, font_for_height(LEGIBLE_HEIGHT))


def fit_cells(box: Box, shape, chars: int, max_cell: float = MAX_CELL):
    """The cell of a rows x cols grid of numbers ``chars`` wide in ``box``: the square of
    ``fit_cell``, unless its numbers would be drawn under the legible size; then (width, height),
    as much wider than tall as they need and the box allows. Three decimals and a sign need a
    wider cell than ``max_cell``, which is there to keep a small grid from looking like a poster,
    not to make its numbers hard to read."""
    side = fit_cell(box, shape, max_cell)
    width = min(box.width / shape[1], max(side, legible_cell(chars)))
    return (width, side) if width > side else side


def cell_for(trace, path, decimals: int, box: Box, max_cell: float = MAX_CELL, chars: int = 0, shape=None):
    """``fit_cells`` for the matrix at ``path`` drawn with ``decimals`` in ``box`` (``shape``, when
    the grid shows only part of it; ``chars``, when it shares its font with grids of wider numbers)."""
    values = np.asarray(lookup(trace, path))
    return fit_cells(box, values.shape if shape is None else shape, max(chars, chars_for(values, decimals)), max_cell)


def chars_for(values, decimals: int) -> int:
    """The characters the widest of ``values`` takes at ``decimals`` places, a sign's room included:
    grids that stand together pass the widest of them all as ``chars``, and so share one font."""
    return max(len(f"{abs(float(v)):.{decimals}f}") + 1 for v in np.ravel(values))


class GridSquares(VGroup):
    """The cells of a grid; they know their grid, so a grid whose cells alone are drawn (its
    numbers still to come) is still found by the tests."""

    def __init__(self, grid):
        super().__init__()
        self.grid = grid


class NumberGrid(VGroup):
    """The matrix at ``path`` in the trace, one cell per entry, row 0 at the top: every table of
    numbers on screen.

    ``cell`` is the side of a square cell, or (width, height) of a rectangular one: rows of
    numbers with three decimals stay readable without growing as tall as they are wide.
    ``muted`` is the path of the cells drawn in the muted colour (padding, inserted zeros) in the
    trace's geometry, which the tests check them against; ``blank`` leaves cells empty (an
    output not computed yet). A vector is drawn as a column (or, ``as_row``, a row) of its first
    ``limit`` entries; of a matrix, ``limit`` = (rows, cols) keeps the top-left corner (None: all).
    ``chars`` is the least width in characters the font is sized for, so that tables standing
    together share one font (see ``chars_for``); ``max_font`` caps it, and the numbers fill at most
    ``fill`` of a cell's width. ``focus`` says every number of the grid is under discussion (the
    tests then hold each to the legible size).
    """

    def __init__(self, trace, path, decimals: int, cell, color, muted=None, blank=False,
                 limit=None, as_row: bool = False, focus: bool = False, chars: int = 0,
                 max_font: float = _MAX_FONT, fill: float = FILL):
        super().__init__()
        self.muted_claim = None if muted is None else tuple(muted)
        self.focus = focus
        matrix = np.asarray(lookup(trace, path))
        self.vector = matrix.ndim == 1
        if self.vector:
            matrix = matrix[:limit] if limit else matrix
            matrix = matrix[None, :] if as_row else matrix[:, None]
        elif limit:
            rows, cols = limit
            matrix = matrix[:rows, :cols]
        self.rows, self.cols = matrix.shape
        width, height = (cell, cell) if np.isscalar(cell) else cell
        self.cell_size = width
        self.path = tuple(path)
        self.decimals = decimals
        muted = set(cells_at(trace, muted)) if muted is not None else set()
        # sized for the widest entry, even while the grid is still blank
        font = font_for_cell(width, max(chars, chars_for(matrix, decimals)),
                             None if np.isscalar(cell) else height, max_font, fill)
        # one cell copied per cell, each shifted as ``move_to`` would shift it (a copy costs less than
        # a new Rectangle, and gives the same bits), and the cells and numbers join the grid at once:
        # one by one, each ``add`` compares the newcomer with all before it
        self.squares = GridSquares(self)
        model = Rectangle(width=width, height=height, stroke_width=1.5, stroke_color=color)
        centre = model.get_center()
        self.squares.add(*(model.copy().shift(np.array([c * width, -r * height, 0.0]) - centre)
                           for r in range(self.rows) for c in range(self.cols)))
        self.add(self.squares)
        self.numbers = VGroup()
        if not blank:
            self.numbers.add(*(self.make_label(trace, (r, c), font, MUTED if (r, c) in muted else color)
                               for r in range(self.rows) for c in range(self.cols)))
        self.add(self.numbers)
        self.font_size = font
        self.color_ = color
        self.center()

    def make_label(self, trace, rc, font=None, color=None):
        """The number for cell ``rc``, placed in its cell (also used to fill a blank grid)."""
        index = max(rc) if self.vector else tuple(rc)
        value = resolve(trace, self.path + (index,))
        label = NumberLabel(value, self.decimals, source=self.path + (index,),
                            font_size=font or self.font_size, color=color or self.color_, focus=self.focus)
        return label.move_to(self.square(*rc))

    def fill(self, trace, cells, color=None) -> list[NumberLabel]:
        """The numbers of blank ``cells``, placed and made part of the grid, for the scene to show
        (flown in from a formula, or faded in)."""
        labels = [self.make_label(trace, rc, color=color) for rc in cells]
        self.numbers.add(*labels)
        return labels

    def square(self, r: int, c: int) -> Rectangle:
        return self.squares[r * self.cols + c]

    def label(self, r: int, c: int) -> NumberLabel:
        return self.numbers[r * self.cols + c]

    def region(self, top_left, shape) -> VGroup:
        r0, c0 = top_left
        return VGroup(*(self.square(r0 + i, c0 + j) for i in range(shape[0]) for j in range(shape[1])))


class KernelWindow(Outline):
    """The outline of the kernel's window at one step: the cells the trace names at ``claim``."""
