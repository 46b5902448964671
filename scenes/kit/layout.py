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
# A projector or a player's controls crop the edge of a picture: nothing is drawn within this
# share of the frame's width of its left and right edges, nor of its height of its top and bottom.
TITLE_SAFE = 0.02
SAFE = FRAME.inset(left=TITLE_SAFE * FRAME.width, right=TITLE_SAFE * FRAME.width,
                   bottom=TITLE_SAFE * FRAME.height, top=TITLE_SAFE * FRAME.height)
STAGE = FRAME.inset(left=SAFE.left - FRAME.left, right=FRAME.right - SAFE.right)  # where grids stand: the title-safe width


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


# -- regions split from the frame: what a story places its things in ---------------------------

TITLE_GAP = 0.3  # between a screen's title and what stands under it


def under(mobject, area: Box = STAGE, gap: float = TITLE_GAP) -> Box:
    """The part of ``area`` under ``mobject`` (a screen's title), ``gap`` clear of it, down to
    the bottom margin: the room a screen's content has, whatever the title's size."""
    return Box(area.left, area.right, max(area.bottom, FRAME.bottom + BOTTOM_MARGIN), mobject.get_bottom()[1] - gap)


def side_by_side(box: Box, weights, gap: float = 0.0) -> list[Box]:
    """``box`` split into columns, left to right, ``gap`` apart, each as wide as its weight's share."""
    free = box.width - gap * (len(weights) - 1)
    boxes, x = [], box.left
    for w in weights:
        width = free * w / sum(weights)
        boxes.append(Box(x, x + width, box.bottom, box.top))
        x += width + gap
    return boxes


def one_above_another(box: Box, weights, gap: float = 0.0) -> list[Box]:
    """``box`` split into rows, top to bottom, ``gap`` apart, each as tall as its weight's share."""
    free = box.height - gap * (len(weights) - 1)
    boxes, y = [], box.top
    for w in weights:
        height = free * w / sum(weights)
        boxes.append(Box(box.left, box.right, y - height, y))
        y -= height + gap
    return boxes


def split_bottom(box: Box, height: float, gap: float = 0.0) -> tuple[Box, Box]:
    """(the rest, the band): a band ``height`` tall at the bottom of ``box``, ``gap`` under the rest.

    The band is for a line measured beforehand (an equation under the grids), so the grids get
    all the room it leaves.
    """
    band_top = box.bottom + height
    return Box(box.left, box.right, band_top + gap, box.top), Box(box.left, box.right, box.bottom, band_top)


def place(mobject, box: Box, edge=None):
    """``mobject`` centred in ``box``, or against its ``edge`` (UP, DOWN, LEFT, RIGHT, or a corner)
    and centred along it; returns the mobject."""
    mobject.move_to(box.center)
    if edge is not None:
        x, y = edge[0], edge[1]
        if x:
            side = box.right - mobject.get_right()[0] if x > 0 else box.left - mobject.get_left()[0]
            mobject.shift([side, 0, 0])
        if y:
            side = box.top - mobject.get_top()[1] if y > 0 else box.bottom - mobject.get_bottom()[1]
            mobject.shift([0, side, 0])
    return mobject


def box_of(mobject) -> Box:
    """The box a placed ``mobject`` occupies: for placing the next thing beside or under it."""
    return Box(mobject.get_left()[0], mobject.get_right()[0], mobject.get_bottom()[1], mobject.get_top()[1])


def line_in(mobject, band: Box):
    """A screen's line (an equation, a rule said of a step) shrunk to the widest a line may be
    and centred in ``band``, the strip kept for it at the bottom; returns the mobject."""
    return place(shrink_to_width(mobject, MAX_TEXT_WIDTH), band)
