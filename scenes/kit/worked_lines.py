"""Worked lines on a board: formulas one under another, left-aligned from the board's top left,
some indented under the line they work out, shrunk (never grown) to fit the board.

Example::

    stack([rule, *steps], board, gap=0.3, indent={1, 2})
"""

from manim import DOWN, LEFT, RIGHT, UP, VGroup

from convprop.scenes.kit.layout import Box, place, shrink_to_width

LINE_GAP = 0.3
INDENT = 0.5


def stack(lines, board: Box, gap: float = LINE_GAP, indent=frozenset()):
    """Place the worked lines top-down on the ``board``, left-aligned, shrunk to fit if they must;
    the lines numbered in ``indent`` stand ``INDENT`` further right."""
    for i, line in enumerate(lines):
        room = board.width - (INDENT if i in indent else 0)
        shrink_to_width(line, room)
    group = VGroup(*lines).arrange(DOWN, buff=gap, aligned_edge=LEFT)
    if group.height > board.height:
        group.scale_to_fit_height(board.height)
    place(group, board, UP + LEFT)
    for i, line in enumerate(lines):
        if i in indent:
            line.shift(RIGHT * INDENT)
    return group
