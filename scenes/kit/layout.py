"""Regions of the frame and the cell sizes that fit a grid into them.

Layout is computed from what is shown, so the same scene fits a 3x3 and a 16x16 grid.
"""

from dataclasses import dataclass

import numpy as np
from manim import VGroup, config

MAX_CELL = 0.85  # a 3x3 kernel should not look like a poster
MAX_TEXT_WIDTH = 13.6  # the widest a line of words or a formula may be: the frame less its margins
FEATURES_SHOWN = 12  # a longer feature vector is shown by its first entries and a "…"
# The least height of a digit, in units of the full 8-unit-tall frame: 9 px at 480p. A number
# under discussion that is smaller is brought closer by the camera (``Story.closely``).
LEGIBLE_HEIGHT = 9 / 480 * 8


@dataclass(frozen=True)
class Box:
    left: float
    right: float
    bottom: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def inset(self, left: float = 0.0, right: float = 0.0, bottom: float = 0.0, top: float = 0.0) -> "Box":
        """The box less room kept at its sides: for the words above or below a grid, a margin."""
        return Box(self.left + left, self.right - right, self.bottom + bottom, self.top - top)

    @property
    def center(self) -> np.ndarray:
        return np.array([(self.left + self.right) / 2, (self.bottom + self.top) / 2, 0.0])


def shrink_to_width(mobject, width: float):
    """Scale ``mobject`` down to ``width`` when it is wider; never up, so short lines keep their size."""
    if mobject.width > width:
        mobject.scale_to_fit_width(width)
    return mobject


def fit_cell(box: Box, shape, max_cell: float = MAX_CELL) -> float:
    """The side of a square cell such that a rows x cols grid fits inside ``box``."""
    rows, cols = shape
    return min(box.width / cols, box.height / rows, max_cell)


FRAME = Box(-config.frame_width / 2, config.frame_width / 2, -config.frame_height / 2, config.frame_height / 2)
BOTTOM_MARGIN = 0.3  # the lowest line keeps this clear of the frame's bottom edge
STAGE = FRAME.inset(left=0.2, right=0.2)  # where grids stand: the frame less its side margins


def band(bottom: float, top: float) -> Box:
    """A band across the whole stage, from ``bottom`` to ``top``: the room of a row of grids."""
    return Box(STAGE.left, STAGE.right, bottom, top)


def lines_down(lines, top: float, bottom: float = FRAME.bottom + BOTTOM_MARGIN) -> VGroup:
    """Lines (formulas, words) one under another, centred, evenly spread between ``top`` and
    ``bottom``: as much room above the first and below the last as between two. Each is shrunk
    to MAX_TEXT_WIDTH.

    The lines under a row of grids go from its bottom to the frame's, so they move with the row
    instead of sitting at hand-placed heights.
    """
    for line in lines:
        shrink_to_width(line, MAX_TEXT_WIDTH)
    gap = max(top - bottom - sum(line.height for line in lines), 0.0) / (len(lines) + 1)
    y = top - gap
    for line in lines:
        line.move_to([0, y - line.height / 2, 0])
        y -= line.height + gap
    return VGroup(*lines)
