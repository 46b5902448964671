"""What the three parts of the whole-CNN story share: where in the trace the pipeline and its
first image are, the sizes of its names and lines, and the stage formulas and shapes they show."""

from manim import Rectangle, VGroup

from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, shrink_to_width
from convprop.scenes.kit.numbers import NumberLabel, exact_decimals, fmt
from convprop.scenes.story import Story
from convprop.scenes.kit.style import MUTED
from convprop.scenes.kit.trace_paths import resolve

P = ("pipeline",)
FIRST = P + ("samples", 0)  # the first image's own trace: the lecture's input
WINNERS = FIRST + ("head_geometry", "pool_winners")  # the cells of A1 that won their pool windows
BLOCKED = FIRST + ("head_geometry", "blocked_cells")  # the cells of dL/dZ1 no gradient reaches: muted

CHAIN_Y = 2.8  # the stage formulas of a forward screen, under the title
DENSE_ROW_Y = 0.9  # P1, F and W2 side by side
COLUMN_SHOWN = 5  # a feature column longer than this likewise, with a "⋮"
# The per-image dense gradients stand M + 1 rows deep, so each row keeps fewer, larger entries.
DENSE_GRADIENT_SHOWN = 6
BATCH_ROWS_SHOWN = 3  # rows of the batch's F matrix
NAME_SIZE = 24
SHAPE_SIZE = 22
LINE_SIZE = 28
MAX_FONT = 24  # numbers in rectangular cells


def d(top: str, bottom: str) -> str:
    """The Typst fraction of a partial derivative."""
    return f"(partial {top}) / (partial {bottom})"


def panel_boxes(area: Box, shapes, gap: float = 0.35, least: int = 1) -> list[Box]:
    """Split ``area`` into side-by-side boxes, each as wide as its matrix's columns ask (at least ``least``)."""
    weights = [max(cols, least) + 1.0 for _, cols in shapes]
    free = area.width - gap * (len(shapes) - 1)
    boxes, x = [], area.left
    for w in weights:
        width = free * w / sum(weights)
        boxes.append(Box(x, x + width, area.bottom, area.top))
        x += width + gap
    return boxes


def widest(trace, paths, decimals: int) -> int:
    """The most characters any of these numbers takes: tables that stand together share one font."""
    return max(len(fmt(resolve(trace, path), decimals)) for path in paths)


def gradient_decimals(cell: float) -> int:
    """Three decimals where a cell has room for them at a legible size, two where it is smaller."""
    return 3 if cell >= 0.8 else 2


class Cells(VGroup):
    """A rows x cols table of rectangular cells, each number read from the trace at ``index(r, c)``.

    Rectangular, unlike ``NumberGrid``'s squares, so that rows of numbers with three decimals
    stay readable without growing as tall as they are wide.
    """

    def __init__(self, trace, index, rows: int, cols: int, decimals: int, width: float, height: float,
                 color, muted=(), chars: int = 3):
        super().__init__()
        self.rows, self.cols = rows, cols
        chars = max(chars, widest(trace, [index(r, c) for r in range(rows) for c in range(cols)], decimals))
        font = min(MAX_FONT, 0.8 * width * 48 / (0.4 * chars), 45 * height)
        self.squares, self.numbers = VGroup(), VGroup()
        for r in range(rows):
            for c in range(cols):
                box = Rectangle(width=width, height=height, stroke_width=1.5, stroke_color=color)
                box.move_to([c * width, -r * height, 0])
                self.squares.add(box)
                label = NumberLabel(resolve(trace, index(r, c)), decimals, source=index(r, c), font_size=font,
                                    color=MUTED if (r, c) in muted else color)
                self.numbers.add(label.move_to(box))
        self.add(self.squares, self.numbers)
        self.center()

    def box(self, r: int, c: int) -> Rectangle:
        return self.squares[r * self.cols + c]

    def label(self, r: int, c: int) -> NumberLabel:
        return self.numbers[r * self.cols + c]


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
    def target_decimals(self) -> int:
        """The targets are given values: shown as exactly as they were given."""
        return max(exact_decimals(float(y)) for y in self.p.targets.flat)

    def chain(self, source: str):
        """The stage formulas of a forward screen, each a labelled term that lights up in turn."""
        line = self.formula(source, font_size=LINE_SIZE)
        return shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, CHAIN_Y, 0])

    def shape_parts(self, key: str, batch: bool = False, transpose: bool = False, bare: bool = False) -> list:
        """'(rows × cols)' of a stage, read from the trace; with ``batch``, one column per image."""
        rows, cols = Num(P + ("shapes", key, 0), 0), Num(P + ("shapes", key, 1), 0)
        if batch:
            cols = Num(P + ("size",), 0)
        if transpose:
            rows, cols = cols, rows
        return [rows, "times", cols] if bare else ["(", rows, "times", cols, ")"]

    def shape_label(self, key: str, *extra, batch: bool = False, transpose: bool = False):
        return self.formula(*self.shape_parts(key, batch, transpose, bare=True), *extra, font_size=SHAPE_SIZE,
                            color=MUTED)

