"""The numbers under a window on a picture, seen close up.

A 28x28 image has too many cells to number legibly, so it is drawn as a picture; the cells
under discussion (the kernel's window) are then written out beside it as a grid of their own,
large enough to read, joined to the window by two lines, as a magnifying glass would show
them. The grid is a ``NumberGrid`` of the trace's patch, so the tests check its numbers as any
other; the window on the picture is a ``KernelWindow``, checked against the trace's cells.

Example::

    window = KernelWindow(picture, trace, ("geometry", "window_cells", (0, 0)))
    loupe = Loupe(trace, ("conv", "patches", (0, 0)), decimals=2, cell=0.6, color=INPUT)
    loupe.move_to(somewhere).join(window)
"""

from manim import DL, DR, UL, UR, DashedLine, VGroup

from convprop.scenes.kit.grid import NumberGrid


class Loupe(VGroup):
    """The matrix at ``patch_path`` as a grid of ``cell``-unit cells, every number under
    discussion; ``join`` draws the lines from a window to it once both are placed."""

    def __init__(self, trace, patch_path, decimals: int, cell: float, color):
        super().__init__()
        self.color_ = color
        self.grid = NumberGrid(trace, patch_path, decimals, cell, color, focus=True)
        self.lines = VGroup()
        self.add(self.grid, self.lines)

    def join(self, window) -> "Loupe":
        """Two dashed lines from the window's near corners to the grid's: from its bottom edge to
        the grid's top when the grid sits below it, else from its side to the grid's facing side."""
        if self.grid.get_top()[1] <= window.get_bottom()[1]:
            pairs = ((DL, UL), (DR, UR))
        elif self.grid.get_center()[0] >= window.get_center()[0]:
            pairs = ((UR, UL), (DR, DL))
        else:
            pairs = ((UL, UR), (DL, DR))
        self.lines.remove(*self.lines)
        self.lines.add(*(DashedLine(window.get_corner(w), self.grid.get_corner(g), color=self.color_,
                                    stroke_width=1.5, dash_length=0.08) for w, g in pairs))
        return self
