"""A row of panels: grids side by side, each with its name above and what is said of it below.

Several screens show the stages of a computation as such a row (Z, A = ReLU(Z), P = maxpool(A);
X star dL/dZ = dL/dW); the row is split by what each grid needs, never by hand-placed x.

Example::

    boxes = panel_boxes(area, [(5, 5), (3, 3), (3, 3)])
    grid = NumberGrid(trace, ("conv", "z"), 2, fit_cell(boxes[2].inset(top=0.45), (3, 3)), OUTPUT)
    panel = LabelledPanel(grid.move_to(boxes[2].inset(top=0.45).center), plain("Z"), shape_words)
    scene.play(FadeIn(panel.grid), FadeIn(panel.words))
"""

from manim import DOWN, UP, VGroup

from convprop.scenes.kit.layout import Box, shrink_to_width, side_by_side

NAME_GAP = 0.12  # between a grid and the words above and below it


def panel_boxes(area: Box, shapes, gap: float = 0.35, least: int = 1, by_columns: bool = True) -> list[Box]:
    """Split ``area`` into side-by-side boxes, one per grid of ``shapes``, ``gap`` apart.

    Each box is as wide as its grid's columns ask (at least ``least``), so a 7x7 input gets
    more room than a 3x3 kernel; or, not ``by_columns``, all are equally wide.
    """
    return side_by_side(area, [max(cols, least) + 1.0 if by_columns else 1.0 for _, cols in shapes], gap)


def equal_panels(area: Box, count: int, margin: float = 0.15, name_room: float = 0.4) -> list[Box]:
    """``count`` equally wide boxes across ``area``, ``2 * margin`` apart, each less ``name_room``
    at its top, where the grid's name goes."""
    row = panel_boxes(area.inset(left=margin, right=margin), [(1, 1)] * count, gap=2 * margin, by_columns=False)
    return [box.inset(top=name_room) for box in row]


class LabelledPanel(VGroup):
    """``grid`` (placed already) with ``name`` above it and the ``below`` lines under it, in order.

    Each line is shrunk to ``width`` when wider. The choreography reads ``grid`` and ``words``
    (the name and the lines below) to show them at different moments.
    """

    def __init__(self, grid, name, *below, width: float | None = None, buff: float = NAME_GAP):
        super().__init__()
        if width is not None:
            for line in (name, *below):
                shrink_to_width(line, width)
        name.next_to(grid, UP, buff=buff)
        anchor = grid
        for line in below:
            line.next_to(anchor, DOWN, buff=buff)
            anchor = line
        self.grid, self.words = grid, VGroup(name, *below)
        self.add(grid, self.words)
