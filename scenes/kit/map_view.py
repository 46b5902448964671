"""A matrix as numbers while they can be read, else as a picture: one choice for every scene.

A 28x28 digit's maps have too many cells to number legibly (Z is 26x26 under a 3x3 kernel at
stride 1), so past ``NUMBERED_SIDE`` cells a side a matrix is drawn as a picture with its colour
bar (``Picture``, shaded by ``trace.pictures``). A picture has the grid's ``square(r, c)``, so the
cells under discussion are marked on it from the same geometry as on numbers, and their numbers
are written close up beside it (``Loupe``), where the tests hold them to the legible size.

A matrix small enough to number may still be drawn in cells too small to read: three channels
and four filters side by side leave an overview whose digits would be 2 to 5 pixels tall at
480p. Digits under ``READABLE_HEIGHT`` are no digits at all to a viewer, only noise, so such an
overview is drawn as shaded squares (``readable`` says which), and the numbers under discussion
are written close up, at the legible size, as for a large input.

Example::

    dz = map_view(trace, ("conv_grad", "dL_dz"), ("pictures", "dL_dz"), 3, box, GRADIENT)
    if is_picture(dz): ...  # write the cell under discussion in a Loupe
"""

import numpy as np

from convprop.mathcore.config import NUMBERED_SIDE
from convprop.scenes.kit.grid import NumberGrid, chars_for, fit_cells, font_for_cell
from convprop.scenes.kit.layout import LEGIBLE_HEIGHT, MAX_CELL, Box, fit_cell
from convprop.scenes.kit.numbers import NumberLabel
from convprop.scenes.kit.picture import BAR_ROOM, Picture
from convprop.scenes.kit.trace_paths import lookup


def numberable(shape) -> bool:
    """Whether a matrix of ``shape`` is written as numbers (else it is drawn as a picture)."""
    return max(shape) <= NUMBERED_SIDE


# The least digit height that still reads as digits: 6 px at 480p, two thirds of the height a
# viewer reads comfortably (LEGIBLE_HEIGHT, 9 px); a glyph of 5 px or less has too few pixel
# rows for a 3 to be told from an 8, so it carries nothing a shaded square would not.
READABLE_HEIGHT = LEGIBLE_HEIGHT * 6 / 9


def digit_height(cell: float, chars: int) -> float:
    """How tall a grid's digits stand in a cell ``cell`` wide, sized for ``chars`` characters."""
    return NumberLabel(8, 0, font_size=font_for_cell(cell, chars)).height


def readable(shape, box: Box, chars: int, max_cell: float = MAX_CELL) -> bool:
    """Whether a matrix of ``shape``, numbered in ``box`` (``chars`` characters a cell), has
    digits a viewer can read without the camera coming close."""
    return digit_height(fit_cell(box, shape, max_cell), chars) >= READABLE_HEIGHT


def is_picture(view) -> bool:
    return isinstance(view, Picture)


def map_view(trace, values_path, shading_path, decimals: int, box: Box, color, blank: bool = False,
             max_cell: float = MAX_CELL, picture: bool = False, bar: bool = True,
             **number_options) -> NumberGrid | Picture:
    """The matrix at ``values_path`` centred in ``box``: a ``NumberGrid`` (with ``number_options``)
    when it is ``numberable``, else the picture at ``shading_path`` beside its colour bar, its
    ends written with ``decimals``. ``blank`` leaves either unfilled, to fill in as computed;
    ``max_cell`` caps a cell, so a small matrix does not grow to fill a large box; ``picture``
    draws even a numberable matrix as a picture, to stand in one look with maps that are, or as
    the shaded squares of an overview too small to number (then, ``bar`` False, without its
    colour bar: the close-up writes the numbers that matter)."""
    shape = np.shape(lookup(trace, values_path))
    if numberable(shape) and not picture:
        chars = max(number_options.get("chars", 0), chars_for(lookup(trace, values_path), decimals))
        return NumberGrid(trace, values_path, decimals, fit_cells(box, shape, chars, max_cell), color, blank=blank,
                          **number_options).move_to(box.center)
    return fitted_picture(trace, shading_path, box, decimals, color, max_cell, blank=blank, bar=bar)


def fitted_picture(trace, path, box: Box, decimals: int, color, max_cell: float = MAX_CELL, blank: bool = False,
                   bar: bool = True) -> Picture:
    """The shading at ``path`` as a picture centred in ``box``, its cells as large as the box
    allows beside its colour bar, the bar measured: its end values, a gradient's signed ones
    with three decimals above all, can take more than BAR_ROOM, and a bar that runs past the
    box runs into the frame's title-safe edge."""
    shape = lookup(trace, path + ("levels",)).shape
    beside = 0.0
    if bar:
        probe = Picture(trace, path, fit_cell(box.inset(right=BAR_ROOM), shape, max_cell), decimals, color)
        beside = probe.width - probe.squares.width
    return Picture(trace, path, fit_cell(box.inset(right=beside), shape, max_cell), decimals, color, bar=bar,
                   blank=blank).move_to(box.center)
