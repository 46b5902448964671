"""The kernel turned by half a turn, as the input gradient uses it: W_rot[i, j] = W[k_h-1-i, k_w-1-j].

The kernel and its rotated self are written with the kernel's decimals, at one width for every
kernel of the layer, so that swapping channel c's rotated kernel for the next one's keeps the
numbers in place. With one filter and one channel the name is W_rot; for a layer, W_(1,c)^rot.

The half turn itself (``half_turn``) turns the grid's squares about their centre while each
number rides along the same arc to the cell its entry lands in, upright all the way: a student
reads every entry on its journey, and a digit upside down would read as another (6 and 9).

Example::

    w = kernel_grid(trace, ("conv", "kernel"), 0.8)
    w_rot = kernel_grid(trace, ("conv_grad", "rotated_kernel"), 0.8)
    name = rotated_name(trace, single=True, c=0, grid=w_rot)
    scene.play(*half_turn(w.copy().move_to(w_rot)))
"""

from manim import PI, UP, Rotate

from convprop.scenes.kit.formula import Formula
from convprop.scenes.kit.grid import NumberGrid, chars_for
from convprop.scenes.kit.grid_names import NAME_GAP
from convprop.scenes.kit.style import KERNEL, LABEL_SIZE


def kernel_grid(trace, path, cell: float) -> NumberGrid:
    """The kernel (or a rotated kernel) at ``path``, as wide as the layer's widest kernel entry."""
    decimals = trace.values.decimals["kernel"]
    return NumberGrid(trace, path, decimals, cell, KERNEL, chars=chars_for(trace.conv.W, decimals))


def rotated_name(trace, single: bool, c: int, grid):
    """The rotated kernel's name above ``grid``: W_rot, or filter 1's W_(1,c)^rot for a layer."""
    text = "W_\"rot\"" if single else f"W_(1,{c + 1})^\"rot\""
    return Formula(trace, (text,), font_size=LABEL_SIZE + 2, color=KERNEL).next_to(grid, UP, buff=NAME_GAP)


def rotation_rule(trace):
    """What the half turn does to the indices."""
    return Formula(trace, ("W_\"rot\" [i, j] = W [k_h - 1 - i, k_w - 1 - j] quad \"(turned by half a turn)\"",),
                   font_size=28, color=KERNEL)


def half_turn(grid: NumberGrid) -> list:
    """The animations that turn ``grid`` by half a turn about its centre: its squares rotate, and
    each number travels along the same half circle to the cell its entry lands in (row i, column
    j goes to k_h-1-i, k_w-1-j), never turning. Every point of a number is moved by one arc of
    angle pi from its start to its end, and as they all start and end one shift apart, each
    moment of the journey is a pure shift: the number stays upright."""
    centre = grid.squares.get_center()
    moves = [Rotate(grid.squares, angle=PI, about_point=centre)]
    for label in grid.numbers:
        # the point reflection through the centre is where half a turn takes the number's centre
        moves.append(label.animate(path_arc=PI).move_to(2 * centre - label.get_center()).build())
    return moves
