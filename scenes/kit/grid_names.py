"""A grid's name above it. Over a picture the name stands over its cells, not over the cells
and the colour bar at their right, which would put it off centre.

Example::

    name = name_above(plain("dL/dZ", font_size=LABEL_SIZE), grid)
    name = over_cells(trace, "\"dL/dX\"_1", grid, GRADIENT)  # words, or a formula with subscripts
"""

import numpy as np
from manim import UP

from convprop.scenes.kit.formula import Formula, plain
from convprop.scenes.kit.map_view import is_picture
from convprop.scenes.kit.pictured_grids import cells_of
from convprop.scenes.kit.style import GRADIENT, LABEL_SIZE

NAME_GAP = 0.12  # between a grid and its name above it, where the name is centred on the cells


def name_above(name, grid, buff: float = 0.1):
    """``name`` just above ``grid``; over a picture, centred on the picture, not on it and its bar."""
    name.next_to(grid, UP, buff=buff)
    if is_picture(grid):
        name.set_x(grid.frame.get_x())
    return name


def over_cells(trace, text, grid, color=GRADIENT, gap: float = NAME_GAP):
    """A grid's name above it: words, or a formula when it has subscripts (a layer's names);
    over a picture's cells, not its colour bar, as far as the picture and bar together reach."""
    name = Formula(trace, (text,), font_size=LABEL_SIZE, color=color) if "_" in text or "\"" in text else \
        plain(text, font_size=LABEL_SIZE, color=color)
    name.next_to(grid, UP, buff=gap)
    reach = (grid.width - name.width) / 2
    return name.set_x(grid.get_x() + np.clip(cells_of(grid).get_x() - grid.get_x(), -reach, reach)
                      if reach > 0 else grid.get_x())
