"""Highlights that name the cells they mark, so the tests can prove they sit on them.

A window outline, a lit cell, a pool winner's outline, a shaded skipped cell: each is drawn on
a grid (named by the grid's trace path, ``on_grid``) over the cells the trace names at
``claim``, a path into the trace's geometry (see ``mathcore.geometry``). The scene never works
out a cell itself; the on-screen checker resolves the claim again after every play and proves
the mark covers exactly those cells of that grid. ``focus`` marks what is under discussion: the
numbers in its cells must be legible.

Example::

    window = Outline(grid, trace, ("geometry", "window_cells", (0, 1)))
    lit = CellMarks(grid, trace, ("head_geometry", "relu_off_cells"), fill=MUTED)
"""

import numpy as np
from manim import Rectangle, VGroup

from convprop.scenes.kit.style import KERNEL
from convprop.scenes.kit.trace_paths import lookup


def cells_at(trace, claim) -> list[tuple[int, int]]:
    """The (row, col) cells the trace names at ``claim``: a mask's set cells, or a list of cells."""
    value = np.asarray(lookup(trace, claim))
    if value.dtype == bool:
        return [tuple(int(v) for v in rc) for rc in np.argwhere(value)]
    return [tuple(int(v) for v in rc) for rc in value.reshape(-1, 2)]


def region_box(grid, cells):
    """left, right, bottom, top of the smallest rectangle around ``cells`` of ``grid``."""
    squares = [grid.square(*rc) for rc in cells]
    return (min(s.get_left()[0] for s in squares), max(s.get_right()[0] for s in squares),
            min(s.get_bottom()[1] for s in squares), max(s.get_top()[1] for s in squares))


class Outline(Rectangle):
    """One thick outline around the cells the trace names at ``claim`` (a kernel window).

    It keeps no reference to its grid: animating a mobject deep-copies it, grid and all.
    """

    def __init__(self, grid, trace, claim, color=KERNEL, stroke_width=6, focus=False):
        left, right, bottom, top = region_box(grid, cells_at(trace, claim))
        super().__init__(width=right - left, height=top - bottom, stroke_color=color, stroke_width=stroke_width)
        self.move_to([(left + right) / 2, (bottom + top) / 2, 0])
        self.on_grid, self.claim, self.focus = grid.path, tuple(claim), focus

    def step_to(self, grid, trace, claim):
        """The animation that moves the outline onto the cells at ``claim``; it names them at once."""
        left, right, bottom, top = region_box(grid, cells_at(trace, claim))
        self.claim = tuple(claim)
        return self.animate.move_to([(left + right) / 2, (bottom + top) / 2, 0])


class CellMarks(VGroup):
    """One mark per cell the trace names at ``claim``: a copy of the grid's square, restyled."""

    def __init__(self, grid, trace, claim, fill=None, fill_opacity=0.0, stroke=None, stroke_width=None,
                 focus=False):
        super().__init__()
        for rc in cells_at(trace, claim):
            square = grid.square(*rc).copy()
            if fill is not None:
                square.set_fill(fill, fill_opacity)
            if stroke is not None or stroke_width is not None:
                square.set_stroke(stroke, stroke_width)
            self.add(square)
        self.on_grid, self.claim, self.focus = grid.path, tuple(claim), focus
