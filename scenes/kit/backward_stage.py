"""The stage of a backward screen: the input at the left, the working (terms, scaled patches) in
the middle, dL/dZ over dL/dW at the right.

The chain-rule and kernel-gradient screens share this arrangement, so a viewer finds each
matrix where it was on the screen before. The columns are shares of the stage's width and the
rows run from whatever stands above (a title, a formula: its measured bottom) down to the room
kept for a line at the frame's bottom; nothing is placed at a hand-set coordinate.

Example::

    stage = backward_stage(top=heading.get_bottom()[1] - 0.3, bottom=FRAME.bottom + 0.8)
    cell = fit_cell(grid_room(stage.input), shape)
    grid = NumberGrid(trace, path, 2, cell, INPUT).move_to(grid_room(stage.input).center)
"""

from dataclasses import dataclass

from convprop.scenes.kit.layout import STAGE, Box

INPUT_SHARE = 0.31  # of the stage's width, less the gaps: a padded input up to 16x16 wide
MIDDLE_SHARE = 0.385  # the terms of a sum, one per line, or a scaled patch
COLUMN_GAP = 0.35
ROW_GAP = 0.75  # between dL/dZ and dL/dW at the right, room for dL/dW's name
NAME_ROOM = 0.35  # a grid's name above it, inside its box


@dataclass(frozen=True)
class BackwardStage:
    input: Box
    middle: Box
    upper_right: Box  # dL/dZ
    lower_right: Box  # dL/dW

    @property
    def right(self) -> Box:
        """The whole right column, for what takes it alone (a kernel's gradients, one per channel)."""
        return Box(self.upper_right.left, self.upper_right.right, self.lower_right.bottom, self.upper_right.top)


def backward_stage(top: float, bottom: float, upper_share: float = 0.37) -> BackwardStage:
    """The stage between ``top`` and ``bottom``: three columns across, the right one split into
    an upper box (``upper_share`` of the height, less the gap) and a lower one."""
    free = STAGE.width - 2 * COLUMN_GAP
    widths = (free * INPUT_SHARE, free * MIDDLE_SHARE, free * (1 - INPUT_SHARE - MIDDLE_SHARE))
    lefts = [STAGE.left, STAGE.left + widths[0] + COLUMN_GAP, STAGE.right - widths[2]]
    columns = [Box(x, x + w, bottom, top) for x, w in zip(lefts, widths)]
    right = columns[2]
    split = top - (top - bottom - ROW_GAP) * upper_share
    return BackwardStage(columns[0], columns[1], right.inset(bottom=split - bottom),
                         right.inset(top=top - split + ROW_GAP))


def grid_room(box: Box) -> Box:
    """Where a grid stands in ``box``: all of it but the room for its name above."""
    return box.inset(top=NAME_ROOM)


def stacked(box: Box, count: int, gap: float = 0.2) -> list[Box]:
    """``box`` cut into ``count`` equal boxes one above another, ``gap`` apart, the first on top:
    one per channel of a filter's kernel gradient."""
    height = (box.height - gap * (count - 1)) / count
    return [Box(box.left, box.right, box.top - i * (height + gap) - height, box.top - i * (height + gap))
            for i in range(count)]
