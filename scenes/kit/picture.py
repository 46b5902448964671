"""A matrix seen as a picture: one square per entry, shaded by the level mathcore gives it
(``trace.pictures``), with a colour bar whose ends name the values they stand for.

The picture is a grid like ``NumberGrid`` (its cells are found by ``square(r, c)`` and its
``path`` names it), only without numbers, so a window outlined on it is checked by the tests
as on any grid: the same cells, from the same geometry, on the numbers and on the picture.
Grey pictures run from black (the smallest value) to white (the largest) in either theme, as a
photograph does; the frame, in the matrix's own colour, keeps a black picture visible on black.
A signed heat map (dL/dX) runs through the theme's diverging map (``Theme.heat``, a Crameri map
whose centre is the background's shade): from LOWERS_LOSS at -1 through the centre at 0 to
RAISES_LOSS at +1, linear between its evenly spaced anchors.

Example::

    picture = Picture(trace, ("pictures", "z"), cell=0.3, decimals=2, frame=OUTPUT)
    window = Outline(picture, trace, ("geometry", "output_cells", (0, 0)))
"""

import numpy as np
from manim import BLACK, DOWN, RIGHT, UP, WHITE, ManimColor, Rectangle, Square, VGroup, interpolate_color

from convprop.scenes.kit.grid import GridSquares
from convprop.scenes.kit.numbers import NumberLabel
from convprop.scenes.kit.style import LABEL_SIZE, current_theme
from convprop.scenes.kit.trace_paths import lookup

# Manim's Cairo camera draws a stroke of width w as w hundredths of a frame unit: like a cell's
# side, it scales with the frame, so a stroke's share of a cell is the same at every quality.
STROKE_UNIT = 0.01
# An outline on a picture's cell is at most this share of the cell's side: on a 26x26 picture
# (cells of 9 px at 480p) outlines of neighbouring cells then leave the cells between them seen,
# where a stroke of full weight (4, 2.4 px) would merge a row of winners into one bar.
OUTLINE_SHARE = 0.12
# The few outlines under discussion (one pool block's winners) may take twice that, to stand out.
FOCUS_OUTLINE_SHARE = 0.25
BAR_STEPS = 24  # bands of the colour bar: smooth enough to read as a gradient
_BAR_WIDTH = 0.22
BAR_ROOM = 0.9  # the colour bar and its end values, right of a picture: what a layout keeps for them
_BAR_LEAST = 1.2  # a bar at least this tall keeps its two end values apart


def outline_width(cell: float, stroke_width: float, share: float = OUTLINE_SHARE) -> float:
    """The stroke width of an outline on a cell ``cell`` units wide: ``stroke_width`` where the
    cell has room for it, else ``share`` of the cell, thinning with the cell."""
    return min(stroke_width, share * cell / STROKE_UNIT)


def shade(level: float, signed: bool = False):
    """The colour of one level: grey 0 (black) to 1 (white), or signed -1..1 along the theme's
    diverging map (LOWERS_LOSS, its centre at 0, RAISES_LOSS)."""
    if not signed:
        return interpolate_color(BLACK, WHITE, float(level))
    anchors = current_theme().heat
    position = (min(max(float(level), -1.0), 1.0) + 1) / 2 * (len(anchors) - 1)
    i = min(int(position), len(anchors) - 2)
    return interpolate_color(ManimColor(anchors[i]), ManimColor(anchors[i + 1]), position - i)


class Picture(VGroup):
    """The shading at ``shading_path`` (a ``mathcore.pictures.Shading``), ``cell`` units a cell,
    framed in ``frame``; ``bar`` adds the colour bar at its right, its ends written with
    ``decimals`` (the decimals the same matrix's numbers are written with). ``blank`` leaves
    every cell unpainted (an output not computed yet), for ``reveal`` to paint as it is."""

    def __init__(self, trace, shading_path, cell: float, decimals: int, frame, bar: bool = True,
                 blank: bool = False):
        super().__init__()
        shading = lookup(trace, shading_path)
        levels = np.asarray(shading.levels)
        self.path = tuple(shading_path) + ("levels",)
        self.rows, self.cols = levels.shape
        self.cell_size, self.vector, self.muted_claim, self.focus = cell, False, None, False
        self.numbers = VGroup()  # a picture writes no numbers in its cells
        self.squares = GridSquares(self)
        # one square copied per cell: a copy costs a quarter of a new Square, and a 28x28 picture has
        # 784. Each copy is shifted as ``move_to`` would shift it (from the model's centre, which is
        # every copy's), and the cells join the picture at once: one by one, each ``add`` compares
        # the new cell with every cell before it.
        model = Square(cell, stroke_width=0)
        centre = model.get_center()
        self.squares.add(*(model.copy().set_fill(shade(level, shading.signed), opacity=0 if blank else 1)
                           .shift(np.array([c * cell, -r * cell, 0.0]) - centre)
                           for (r, c), level in np.ndenumerate(levels)))
        self.add(self.squares)
        self.frame = Rectangle(width=self.cols * cell, height=self.rows * cell, stroke_color=frame,
                               stroke_width=2).move_to(self.squares)
        self.add(self.frame)
        self.bar = (ColourBar(trace, shading_path, shading.signed, max(self.rows * cell, _BAR_LEAST), decimals, frame)
                    if bar else None)
        if self.bar is not None:
            self.add(self.bar.next_to(self.frame, RIGHT, buff=0.15))
        self.center()

    def square(self, r: int, c: int) -> Square:
        return self.squares[r * self.cols + c]

    def reveal(self, cells) -> list:
        """The animations that paint blank ``cells`` their colour: a picture's way of filling in."""
        return [self.square(*rc).animate.set_fill(opacity=1) for rc in cells]


class ColourBar(VGroup):
    """A strip from the low end's colour (bottom) to the high end's (top), each end named by
    its value in the trace (``low`` and ``high`` of the shading)."""

    def __init__(self, trace, shading_path, signed: bool, height: float, decimals: int, color):
        super().__init__()
        band = height / BAR_STEPS
        lows = np.linspace(-1 if signed else 0, 1, BAR_STEPS)
        strip = VGroup(*(Rectangle(width=_BAR_WIDTH, height=band, stroke_width=0, fill_opacity=1,
                                   fill_color=shade(level, signed)).move_to([0, i * band, 0])
                         for i, level in enumerate(lows)))
        outline = Rectangle(width=_BAR_WIDTH, height=height, stroke_color=color, stroke_width=1.5).move_to(strip)
        path = tuple(shading_path)
        high = NumberLabel(lookup(trace, path + ("high",)), decimals, source=path + ("high",),
                           font_size=LABEL_SIZE * 0.8, color=color)
        low = NumberLabel(lookup(trace, path + ("low",)), decimals, source=path + ("low",),
                          font_size=LABEL_SIZE * 0.8, color=color)
        high.next_to(outline, RIGHT, buff=0.08).align_to(outline, UP)
        low.next_to(outline, RIGHT, buff=0.08).align_to(outline, DOWN)
        self.add(strip, outline, high, low)
        self.ends = (low, high)
