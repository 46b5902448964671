"""A matrix of numbered cells, and the window that shows where a kernel sits on it.

Example::

    grid = NumberGrid(trace, ("conv", "padded_input"), decimals=1, cell=0.6, color=INPUT)
    window = KernelWindow(grid, top_left=(0, 0), shape=(3, 3))
"""

import numpy as np
from manim import Rectangle, Square, VGroup

from scenes.numbers import NumberLabel
from scenes.style import KERNEL, MUTED
from scenes.trace_paths import lookup, resolve

# A number fills at most this share of its cell's width, and the font never exceeds BODY size.
_FILL = 0.8
_MAX_FONT = 30


def font_for_cell(cell: float, chars: int) -> float:
    """The largest font at which ``chars`` monospaced digits fit a cell of side ``cell``."""
    # at font size 48 a glyph advance is ~0.4 units: width = chars * 0.4 * size / 48
    return min(_MAX_FONT, _FILL * cell * 48 / (0.4 * max(chars, 3)))


class NumberGrid(VGroup):
    """The matrix at ``path`` in the trace, one square cell per entry, row 0 at the top.

    ``muted`` lists cells drawn in the muted colour (padding); ``blank`` leaves cells empty
    (an output not computed yet). A vector is drawn as a column (or, ``as_row``, a row) of its
    first ``limit`` entries.
    """

    def __init__(self, trace, path, decimals: int, cell: float, color, muted=(), blank=False,
                 limit: int | None = None, as_row: bool = False):
        super().__init__()
        matrix = np.asarray(lookup(trace, path))
        self.vector = matrix.ndim == 1
        if self.vector:
            matrix = matrix[:limit] if limit else matrix
            matrix = matrix[None, :] if as_row else matrix[:, None]
        self.rows, self.cols = matrix.shape
        self.cell_size = cell
        self.path = tuple(path)
        self.decimals = decimals
        muted = set(map(tuple, muted))
        # sized for the widest entry, even while the grid is still blank
        width = max(len(f"{abs(v):.{decimals}f}") + 1 for v in matrix.flat)
        font = font_for_cell(cell, width)
        self.squares = VGroup()
        self.labels = {}
        for r in range(self.rows):
            for c in range(self.cols):
                sq = Square(cell, stroke_width=1.5, stroke_color=color)
                sq.move_to(np.array([c * cell, -r * cell, 0]))
                self.squares.add(sq)
        self.add(self.squares)
        self.numbers = VGroup()
        for r in range(self.rows):
            for c in range(self.cols):
                if blank:
                    continue
                self.numbers.add(self.make_label(trace, (r, c), font, MUTED if (r, c) in muted else color))
        self.add(self.numbers)
        self.font_size = font
        self.color_ = color
        self.center()

    def make_label(self, trace, rc, font=None, color=None):
        """The number for cell ``rc``, placed in its cell (also used to fill a blank grid)."""
        index = max(rc) if self.vector else tuple(rc)
        value = resolve(trace, self.path + (index,))
        label = NumberLabel(value, self.decimals, source=self.path + (index,),
                            font_size=font or self.font_size, color=color or self.color_)
        return label.move_to(self.square(*rc))

    def square(self, r: int, c: int) -> Square:
        return self.squares[r * self.cols + c]

    def label(self, r: int, c: int) -> NumberLabel:
        return self.numbers[r * self.cols + c]

    def region(self, top_left, shape) -> VGroup:
        r0, c0 = top_left
        return VGroup(*(self.square(r0 + i, c0 + j) for i in range(shape[0]) for j in range(shape[1])))


class KernelWindow(Rectangle):
    """A thick outline over the cells the kernel covers at one step.

    It keeps no reference to its grid: animating a mobject deep-copies it, grid and all.
    """

    def __init__(self, grid: NumberGrid, top_left, shape, color=KERNEL):
        super().__init__(width=shape[1] * grid.cell_size, height=shape[0] * grid.cell_size,
                         stroke_color=color, stroke_width=6)
        self.shape = tuple(shape)
        self.place(grid, top_left)

    def place(self, grid: NumberGrid, top_left):
        return self.move_to(grid.region(top_left, self.shape).get_center())
