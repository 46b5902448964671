"""What the three parts of the whole-CNN story share: where in the trace the pipeline and its
first image are, the sizes of its names and lines, and the stage formulas and shapes they show."""


import functools

from manim import UP

from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.grid import NumberGrid, chars_for, legible_cell
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, place, shrink_to_width
from convprop.scenes.kit.numbers import exact_decimals
from convprop.scenes.kit.style import MUTED
from convprop.scenes.kit.trace_paths import resolve
from convprop.scenes.story import Story

P = ("pipeline",)
FIRST = P + ("samples", 0)  # the first image's own trace: the lecture's input

CHAIN_GAP = 0.15  # between a forward screen's stage formulas and what stands above and under them
COLUMN_SHOWN = 5  # a feature column longer than this likewise, with a "⋮"
# The per-image dense gradients stand M + 1 rows deep, so each row keeps fewer, larger entries.
DENSE_GRADIENT_SHOWN = 6
BATCH_ROWS_SHOWN = 3  # rows of the batch's F matrix
NAME_SIZE = 24
SHAPE_SIZE = 22
LINE_SIZE = 28
TABLE_FONT = 24  # numbers in the rectangular cells of a table
# the least cell in which a signed gradient of three decimals is drawn at the legible size


@functools.cache
def three_decimals_cell() -> float:
    """The narrowest cell in which a three-decimal number is legible; measured when first needed,
    not on import (measuring shapes text, which Manim writes into the working directory)."""
    return legible_cell(len("-0.000"))



def widest(trace, paths, decimals: int) -> int:
    """The most characters any of these numbers takes: tables that stand together share one font."""
    return chars_for([resolve(trace, path) for path in paths], decimals)


def gradient_decimals(cell: float, pictured: bool = False) -> int:
    """Three decimals where a cell has room for them at a legible size, two where it is smaller;
    three on a picture's colour bar, which has room for them at any cell size (a gradient's ends
    are often below a hundredth)."""
    return 3 if pictured or cell >= three_decimals_cell() - 1e-9 else 2


class PipelineStory(Story):
    """A part of the whole-CNN story; the pipeline and its first image are read from the trace."""

    @property
    def p(self):
        return self.trace.pipeline

    @property
    def first(self):
        """The first image's own trace: the lecture's input."""
        return self.p.samples[0]

    @property
    def layered(self) -> bool:
        """Whether there are several channels or filters to draw, each its own grid."""
        return self.p.config.channels > 1 or self.p.config.filters > 1

    @property
    def target_decimals(self) -> int:
        """The targets are given values: shown as exactly as they were given."""
        return max(exact_decimals(float(y)) for y in self.p.targets.flat)

    def table(self, path, decimals: int, width: float, height: float, color, **options) -> NumberGrid:
        """A table of rectangular cells: rows of numbers with three decimals, not as tall as wide."""
        return NumberGrid(self.trace, path, decimals, (width, height), color, max_font=TABLE_FONT,
                          **options)

    def chain(self, source: str, room: Box):
        """The stage formulas of a forward screen, each a labelled term that lights up in turn, at
        the top of ``room`` (the room under the title); returns it and the room left under it."""
        line = place(shrink_to_width(self.formula(source, font_size=LINE_SIZE), MAX_TEXT_WIDTH),
                     room.inset(top=CHAIN_GAP), UP)
        return line, Box(room.left, room.right, room.bottom, line.get_bottom()[1] - CHAIN_GAP)

    def shape_parts(self, key: str, batch: bool = False, transpose: bool = False, bare: bool = False) -> list:
        """'(rows × cols)' of a stage, read from the trace, or of a layer's 'C × H × W' and
        'F × C × kh × kw'; with ``batch``, one column per image."""
        sizes = [Num(P + ("shapes", key, i), 0) for i in range(len(self.p.shapes[key]))]
        if batch:
            sizes[-1] = Num(P + ("size",), 0)
        if transpose:
            sizes.reverse()
        parts = [part for i, size in enumerate(sizes) for part in (["times"] if i else []) + [size]]
        return parts if bare else ["(", *parts, ")"]

    def shape_label(self, key: str, *extra, batch: bool = False, transpose: bool = False):
        return self.formula(*self.shape_parts(key, batch, transpose, bare=True), *extra, font_size=SHAPE_SIZE,
                            color=MUTED)

