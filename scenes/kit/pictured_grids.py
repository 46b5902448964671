"""What a grid of numbers and a picture of it (``kit.map_view``) both do, so that a beat can
hand one to the next alike whichever it is: their cells, the pieces of some cells, and what a
picture draws besides its cells (its frame and its colour bar). A picture sized to a box beside
its measured colour bar is ``map_view.fitted_picture``.

A story that grows dL/dZ into its dilated and then its padded self moves cells, not grids: the
cells that travel are ``pieces``, the frame and bar are handed on (``swap_trim``), and once
every piece stands where the next grid has it, the pieces are taken away whole (``family``) and
the next grid put in their place.

Example::

    moves = [piece.animate.move_to(target) for piece in pieces(dz, [(0, 0)])]
    scene.play(*moves, *swap_trim(dz, dilated))
    scene.remove(*family(dz, *trim(dilated)))
    scene.add(dilated)
"""

from manim import VGroup

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.map_view import is_picture


def cells_of(grid):
    """A grid's cells alone: a picture's squares without its colour bar, a grid of numbers whole."""
    return grid.squares if is_picture(grid) else grid


def centre(grid, point):
    """Move ``grid`` so that its cells (not a picture's colour bar) are centred on ``point``."""
    return grid.shift(point - cells_of(grid).get_center())


def pieces(grid, cells) -> VGroup:
    """The squares of ``cells`` of ``grid``, with their numbers when it writes numbers."""
    return VGroup(*(piece for rc in cells
                    for piece in ((grid.square(*rc),) if is_picture(grid) else (grid.square(*rc), grid.label(*rc)))))


def trim(grid) -> list:
    """What a picture draws besides its cells: its frame and its colour bar (nothing, for numbers)."""
    return [grid.frame, grid.bar] if is_picture(grid) else []


def swap_trim(old, new) -> list:
    """A picture's frame and bar handed on to the next picture, where it grows into it."""
    return [*(FadeOut(m) for m in trim(old)), *(FadeIn(m) for m in trim(new))]


def family(*mobjects) -> list:
    """Every piece of ``mobjects``, to remove them whole: a picture whose frame faded out stands
    on screen in pieces, which removing the picture alone would leave behind."""
    return [piece for m in mobjects for piece in m.get_family()]


