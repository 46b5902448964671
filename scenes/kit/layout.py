"""Regions of the frame and the cell sizes that fit a grid into them.

Layout is computed from what is shown, so the same scene fits a 3x3 and a 16x16 grid.
"""

from dataclasses import dataclass

import numpy as np

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
