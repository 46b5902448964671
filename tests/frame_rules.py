"""Two rules of layout every frame of every scene keeps, as ``tests/scene_check.py`` applies them.

* Title-safe: nothing is drawn within ``TITLE_SAFE`` (2 %) of the frame's width from its left and
  right edges, nor within 2 % of its height from its top and bottom. A projector or a player's
  controls crop the edge of a picture; a formula whose last term touches the edge reads as cut.
* Clear of the cell's border: every number in a grid keeps at least ``CELL_MARGIN`` (10 %) of its
  cell's width free on its left and right, and 10 % of the cell's height above and below.
  Numbers that touch their borders run together along a row: ``-0.5-0.9-1.0`` reads as one
  string, not three values.

Each rule returns a sentence naming the first thing that breaks it, or None, so the checker
raises it as its own error with the moment of the scene it happened.
"""

import numpy as np
from manim import config

from tests.boxes import Boxes

TITLE_SAFE = 0.02
CELL_MARGIN = 0.10
_SLACK = 1e-6


def _shows_anything(m) -> bool:
    return any(leaf.get_fill_opacity() > 0.01 or (leaf.get_stroke_opacity() > 0.01 and leaf.get_stroke_width() > 0)
               for leaf in m.family_members_with_points())


def title_safe_problem(mobjects, boxes: Boxes | None = None) -> str | None:
    """The first of ``mobjects`` (the scene's top-level drawn ones) whose visible parts reach
    into the outer 2 % of the frame (``boxes``: the screen's, if the caller measures it too)."""
    boxes = boxes or Boxes()
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    inset_w, inset_h = TITLE_SAFE * config.frame_width, TITLE_SAFE * config.frame_height
    limits = np.array([-half_w + inset_w, half_w - inset_w, -half_h + inset_h, half_h - inset_h])
    for top in mobjects:
        if not top.family_members_with_points():
            continue
        box = boxes.box(top)
        if box[0] >= limits[0] and box[1] <= limits[1] and box[2] >= limits[2] and box[3] <= limits[3]:
            continue  # the whole of it is inside: no part to look at one by one
        for m in top.family_members_with_points():
            if not _shows_anything(m):
                continue
            left, right, bottom, top_y = boxes.box(m)
            if (left < limits[0] - _SLACK or right > limits[1] + _SLACK
                    or bottom < limits[2] - _SLACK or top_y > limits[3] + _SLACK):
                return (f"{top!r} reaches within {TITLE_SAFE:.0%} of the frame's edge: its part {m!r} has the box "
                        f"{np.round([left, right, bottom, top_y], 2)}, the title-safe area is {np.round(limits, 2)}")
    return None


def cell_margin_problem(grid, cell_of, boxes: Boxes | None = None) -> str | None:
    """The first number of ``grid`` that comes closer to its cell's border than 10 % of the cell
    (``cell_of(grid, label)`` gives a label's (row, column))."""
    from convprop.scenes.kit.numbers import NumberLabel

    boxes = boxes or Boxes()

    for label in grid.numbers:
        if not isinstance(label, NumberLabel) or label.source is None or not _shows_anything(label):
            continue
        rc = cell_of(grid, label)
        cell = boxes.box(grid.square(*rc))
        width, height = cell[1] - cell[0], cell[3] - cell[2]
        left, right, bottom, top = boxes.box(label)
        shares = np.array([left - cell[0], cell[1] - right, bottom - cell[2], cell[3] - top]) / [width, width, height, height]
        if (shares < CELL_MARGIN - _SLACK).any():
            side = int(np.argmin(shares))
            return (f"number {label.text!r} at {label.source} leaves {shares[side]:.0%} of its cell {rc} of {grid.path} "
                    f"free on the {('left', 'right', 'bottom', 'top')[side]}, less than {CELL_MARGIN:.0%}")
    return None
