"""A matrix as numbers while they can be read, else as a picture: one choice for every scene.

A 28x28 digit's maps have too many cells to number legibly (Z is 26x26 under a 3x3 kernel at
stride 1), so past ``NUMBERED_SIDE`` cells a side a matrix is drawn as a picture with its colour
bar (``Picture``, shaded by ``trace.pictures``). A picture has the grid's ``square(r, c)``, so the
cells under discussion are marked on it from the same geometry as on numbers, and their numbers
are written close up beside it (``Loupe``), where the tests hold them to the legible size.

Example::

    dz = map_view(trace, ("conv_grad", "dL_dz"), ("pictures", "dL_dz"), 3, box, GRADIENT)
    if is_picture(dz): ...  # write the cell under discussion in a Loupe
"""

import numpy as np

from convprop.mathcore.config import NUMBERED_SIDE
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.layout import MAX_CELL, Box, fit_cell
from convprop.scenes.kit.picture import BAR_ROOM, Picture
from convprop.scenes.kit.trace_paths import lookup


def numberable(shape) -> bool:
    """Whether a matrix of ``shape`` is written as numbers (else it is drawn as a picture)."""
    return max(shape) <= NUMBERED_SIDE


def is_picture(view) -> bool:
    return isinstance(view, Picture)


def map_view(trace, values_path, shading_path, decimals: int, box: Box, color, blank: bool = False,
             max_cell: float = MAX_CELL, picture: bool = False, **number_options) -> NumberGrid | Picture:
    """The matrix at ``values_path`` centred in ``box``: a ``NumberGrid`` (with ``number_options``)
    when it is ``numberable``, else the picture at ``shading_path`` beside its colour bar, its
    ends written with ``decimals``. ``blank`` leaves either unfilled, to fill in as computed;
    ``max_cell`` caps a cell, so a small matrix does not grow to fill a large box; ``picture``
    draws even a numberable matrix as a picture, to stand in one look with maps that are."""
    shape = np.shape(lookup(trace, values_path))
    if numberable(shape) and not picture:
        return NumberGrid(trace, values_path, decimals, fit_cell(box, shape, max_cell), color, blank=blank,
                          **number_options).move_to(box.center)
    return Picture(trace, shading_path, fit_cell(box.inset(right=BAR_ROOM), shape, max_cell), decimals, color,
                   blank=blank).move_to(box.center)
