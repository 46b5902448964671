"""The whole small CNN at once, forward then backward, and then on a mini-batch.

    Z1 = conv(X, W1) + b1 -> A1 = ReLU(Z1) -> P1 = maxpool(A1) -> F = flatten(P1)
      -> Z2 = W2 F + b2 -> A2 = sigmoid(Z2) -> L = BCE(A2, y)

The earlier scenes took each piece apart; this one puts them end to end so a student sees every
stage's values *and shape* in one pass, and how many numbers each layer learns. The backward
pass then walks the same stages in reverse for the first image: the error A2 - y, the dense
gradients (with the check that dL/dW2 has the shape of W2), the reshape back to P1, max pooling
sending each gradient to the cell that won its window, the ReLU mask, and the kernel and bias
gradients (the correlation itself was worked step by step earlier, so here it is the result and
its formula). Last, the mini-batch: F becomes a matrix with one column per image, Z2 and A2 rows
of M numbers, and each parameter's gradient the sum of the images' own gradients divided by M.

Every number is read from ``lesson.pipeline`` (mathcore/batch.py); sizes and counts too, from
its ``shapes`` and ``parameter_counts``. The scene only chooses decimals and how much to show:
long feature vectors are shown by their first entries and an ellipsis.
"""

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, Create, FadeIn, LaggedStart, Line, Rectangle, SurroundingRectangle,
    TransformFromCopy, VGroup,
)

from convprop.scenes.formula import Num, plain
from convprop.scenes.grid import NumberGrid
from convprop.scenes.layout import FEATURES_SHOWN, MAX_TEXT_WIDTH, Box, fit_cell, shrink_to_width
from convprop.scenes.marks import CellMarks, cells_at
from convprop.scenes.numbers import NumberLabel, exact_decimals, fmt
from convprop.scenes.story import Story, StoryScene
from convprop.scenes.style import FOCUS, GRADIENT, INPUT, KERNEL, MUTED, OUTPUT, TEXT
from convprop.scenes.trace_paths import lookup, resolve

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


class CnnPipelineStory(Story):
    name = "cnn-pipeline"
    summary = ("The whole CNN forward and backward with every value, shape and parameter count, "
               "then a mini-batch of M images whose gradients are averaged")

    def tell(self):
        self.p = self.trace.pipeline
        self.first = self.p.samples[0]
        self.target_decimals = max(exact_decimals(float(y)) for y in self.p.targets.flat)
        with self.beat("The whole network, forward: the convolution, ReLU and max pooling turn the image into a small map."):
            self.show_title("The whole CNN, forward: the convolution layer")
            self.forward_through_the_convolution()
        self.clear()
        with self.beat("The map is flattened into the feature vector F; the dense layer, the sigmoid and the loss follow."):
            self.show_title("Forward: the dense layer and the loss")
            self.forward_through_the_dense_layer()
        with self.beat("Every weight and bias is a trainable parameter: the kernel and its bias, the dense weights and theirs."):
            self.count_the_parameters()
        self.clear()
        with self.beat("Backward, first through the dense layer: the error A2 minus y, and the weight gradient, shaped like W2."):
            self.show_title("Backward: the dense layer")
            self.backward_through_the_dense_layer()
        self.clear()
        with self.beat("The feature gradient is reshaped into P1's map; max pooling sends each gradient to the "
                       "cell that won its window; ReLU lets it through only where Z1 was positive."):
            self.show_title("Backward: the reshape, max pooling and ReLU")
            self.backward_through_pooling_and_relu()
        self.clear()
        with self.beat("The kernel gradient is the input correlated with dL/dZ1; the bias gradient is the sum of dL/dZ1."):
            self.show_title("Backward: the kernel and the bias")
            self.backward_to_the_kernel()
        self.clear()
        with self.beat("A mini-batch: every image goes through the same weights, one column of F per image."):
            self.show_title("A mini-batch: every image through the same weights")
            self.forward_on_the_batch()
        self.clear()
        with self.beat("Each image has its own kernel gradient; the batch's gradient is their sum divided by M."):
            self.show_title("The batch gradient is the average")
            self.average_the_kernel_gradients()
        self.clear()
        with self.beat("The dense layer's gradients are averaged the same way, and one step uses the averages."):
            self.show_title("The dense layer's gradients, averaged")
            self.average_the_dense_gradients()
        self.wait(1.5)

    # -- forward -----------------------------------------------------------------------------------

    def forward_through_the_convolution(self):
        t, cfg = self.first, self.p.config
        chain = self.chain("{{ Z_1 = \"conv\"(X, W_1) + b_1 : z }} quad -> quad {{ A_1 = \"ReLU\"(Z_1) : a }} "
                           "quad -> quad {{ P_1 = \"maxpool\"(A_1) : p }}")
        pad = cfg.padding
        panels = [
            (FIRST + ("conv", "padded_input"), "X", t.values.decimals["input"], INPUT, "X",
             FIRST + ("geometry", "padding_mask")),
            (FIRST + ("conv", "kernel"), "W_1", t.values.decimals["kernel"], KERNEL, "W1", None),
            (FIRST + ("conv", "z"), "Z_1", 2, OUTPUT, "Z1", None),
            (FIRST + ("head", "activated"), "A_1", 2, OUTPUT, "Z1", None),
            (FIRST + ("head", "pooled"), "P_1", 2, OUTPUT, "P1", None),
        ]
        area = Box(-6.9, 6.9, -3.3, CHAIN_Y - 0.35)
        boxes = panel_boxes(area, [np.shape(lookup(self.trace, path)) for path, *_ in panels])
        drawn = []
        for (path, name, decimals, color, shape_key, muted), box in zip(panels, boxes):
            inner = Box(box.left, box.right, box.bottom + 0.9, box.top - 0.45)
            grid = NumberGrid(self.trace, path, decimals, fit_cell(inner, np.shape(lookup(self.trace, path)), 0.75),
                              color, muted=muted).move_to(inner.center)
            title = self.formula(name, font_size=NAME_SIZE, color=color).next_to(grid, UP, buff=0.12)
            extra = ([", quad \"padding\"", Num(P + ("config", "padding"), 0)] if name == "X" and pad else [])
            shape = shrink_to_width(self.shape_label(shape_key, *extra), box.width).next_to(grid, DOWN, buff=0.15)
            below = VGroup(shape)
            if name == "W_1":
                bias = self.formula("b_1 =", Num(FIRST + ("conv", "bias"), 1, color=KERNEL), font_size=SHAPE_SIZE)
                below.add(bias.next_to(shape, DOWN, buff=0.15))
            drawn.append((grid, VGroup(title, below)))

        (x, x_words), (w, w_words), (z, z_words), (a, a_words), (p, p_words) = drawn
        self.play(FadeIn(chain), run_time=0.8)
        self.play(FadeIn(x), FadeIn(x_words), FadeIn(w), FadeIn(w_words), run_time=1.0)
        self.wait(0.6)
        self.play(FadeIn(z), FadeIn(z_words), chain.term("z").animate.set_color(FOCUS), run_time=1.0)
        self.wait(0.8)
        self.play(TransformFromCopy(z.numbers, a.numbers), FadeIn(a.squares), FadeIn(a_words),
                  chain.term("z").animate.set_color(TEXT), chain.term("a").animate.set_color(FOCUS), run_time=1.0)
        self.wait(0.6)
        winners = cells_at(self.trace, WINNERS)
        outlines = CellMarks(a, self.trace, WINNERS, stroke=FOCUS, stroke_width=4)
        self.play(Create(outlines), chain.term("a").animate.set_color(TEXT), chain.term("p").animate.set_color(FOCUS),
                  run_time=0.8)
        self.play(TransformFromCopy(VGroup(*(a.label(*rc) for rc in winners)), p.numbers), FadeIn(p.squares),
                  FadeIn(p_words), run_time=1.0)
        self.wait(1.2)

    def forward_through_the_dense_layer(self):
        t = self.first
        chain = self.chain("{{ F = \"flatten\"(P_1) : f }} quad -> quad {{ Z_2 = W_2 F + b_2 : z }} quad -> quad "
                           "{{ A_2 = sigma(Z_2) : a }} quad -> quad {{ L = \"BCE\"(A_2, y) : l }}")
        inner = Box(-6.9, -4.0, DENSE_ROW_Y - 1.05, DENSE_ROW_Y + 1.05)
        pooled = NumberGrid(self.trace, FIRST + ("head", "pooled"), 2, fit_cell(inner, t.head.pooled.shape, 0.75),
                            OUTPUT).move_to(inner.center)
        p_words = VGroup(self.formula("P_1", font_size=NAME_SIZE, color=OUTPUT).next_to(pooled, UP, buff=0.12),
                         self.shape_label("P1").next_to(pooled, DOWN, buff=0.15))

        count = t.head.features.size
        shown = min(count, COLUMN_SHOWN)
        f_inner = Box(-3.6, -2.3, DENSE_ROW_Y - 1.05, DENSE_ROW_Y + 1.05)
        features = Cells(self.trace, lambda r, c: FIRST + ("head", "features", r), shown, 1, 2, f_inner.width,
                         min(0.6, f_inner.height / shown), OUTPUT)
        features.move_to(f_inner.center)
        f_words = VGroup(self.formula("F", font_size=NAME_SIZE, color=OUTPUT).next_to(features, UP, buff=0.12))
        if count > shown:
            f_words.add(plain("⋮", font_size=NAME_SIZE, color=TEXT).next_to(features, DOWN, buff=0.05))
        f_words.add(self.shape_label("F").next_to(f_words[-1] if count > shown else features, DOWN, buff=0.12))

        row_shown = min(count, FEATURES_SHOWN)
        cell = min(0.75, 6.2 / row_shown)
        weights = NumberGrid(self.trace, FIRST + ("values", "fc_weight"), 1, cell, KERNEL, limit=FEATURES_SHOWN,
                             as_row=True)
        weights.move_to([-0.4 + weights.width / 2, DENSE_ROW_Y, 0])
        w_words = VGroup(self.formula("W_2", font_size=NAME_SIZE, color=KERNEL).next_to(weights, LEFT, buff=0.15))
        if count > row_shown:
            w_words.add(plain("…", font_size=NAME_SIZE, color=TEXT).next_to(weights, RIGHT, buff=0.1))
        shape = self.shape_label("W2").next_to(weights, DOWN, buff=0.15).align_to(weights, LEFT)
        bias = self.formula("b_2 =", Num(FIRST + ("values", "fc_bias"), 1, color=KERNEL), font_size=NAME_SIZE)
        w_words.add(shape, bias.next_to(shape, RIGHT, buff=0.8))

        lines = [
            self.formula("Z_2 = W_2 F + b_2 =", Num(FIRST + ("head", "logit"), 3, color=OUTPUT), ", quad",
                         *self.shape_parts("W2"), *self.shape_parts("F"), "=", *self.shape_parts("Z2", bare=True),
                         font_size=LINE_SIZE),
            self.formula("A_2 = sigma(Z_2) = 1 / (1 + e^(-Z_2)) =", Num(FIRST + ("head", "y_hat"), 3, color=OUTPUT),
                         font_size=LINE_SIZE),
            self.formula("L = -[y ln A_2 + (1 - y) ln(1 - A_2)] =", Num(FIRST + ("head", "loss"), 3, color=OUTPUT),
                         ", quad y =", Num(FIRST + ("target",), self.target_decimals), font_size=LINE_SIZE),
        ]
        for line, y in zip(lines, (-1.2, -2.05, -2.85)):
            shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, y, 0])

        self.play(FadeIn(chain), FadeIn(pooled), FadeIn(p_words), run_time=0.9)
        self.play(TransformFromCopy(VGroup(*pooled.numbers[:shown]), features.numbers), FadeIn(features.squares),
                  FadeIn(f_words), chain.term("f").animate.set_color(FOCUS), run_time=1.0)
        self.wait(0.6)
        self.play(FadeIn(weights), FadeIn(w_words), chain.term("f").animate.set_color(TEXT), run_time=0.8)
        for line, term, previous in zip(lines, ("z", "a", "l"), ("f", "z", "a")):
            self.play(FadeIn(line, shift=UP * 0.2), chain.term(previous).animate.set_color(TEXT),
                      chain.term(term).animate.set_color(FOCUS), run_time=0.9)
            self.wait(0.7)

    def count_the_parameters(self):
        counts = P + ("parameter_counts",)
        line = self.formula(
            "\"trainable:\" quad W_1, b_1:", Num(P + ("shapes", "W1", 0), 0), "dot", Num(P + ("shapes", "W1", 1), 0),
            "+ 1 =", Num(counts + ("conv",), 0, color=KERNEL), ", quad W_2, b_2:", Num(P + ("shapes", "W2", 0), 0),
            "dot", Num(P + ("shapes", "W2", 1), 0), "+ 1 =", Num(counts + ("dense",), 0, color=KERNEL),
            ", quad \"total\"", Num(counts + ("total",), 0, color=FOCUS), font_size=LINE_SIZE)
        shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, -3.6, 0])
        self.play(FadeIn(line, shift=UP * 0.2), run_time=0.9)
        self.wait(2.0)

    # -- backward, the first image ----------------------------------------------------------------

    def backward_through_the_dense_layer(self):
        t = self.first
        error = Num(FIRST + ("dL_dlogit",), 3, color=GRADIENT)
        lines = [
            self.formula(d("L", "Z_2"), "= A_2 - y =", Num(FIRST + ("head", "y_hat"), 3, color=OUTPUT), "-",
                         Num(FIRST + ("target",), self.target_decimals), "=", error, font_size=LINE_SIZE),
            self.formula(d("L", "b_2"), "=", d("L", "Z_2"), "=", Num(FIRST + ("dL_dfc_bias",), 3, color=GRADIENT),
                         font_size=LINE_SIZE),
            self.formula(d("L", "W_2"), "= (A_2 - y) F^T", font_size=LINE_SIZE),
        ]
        for line, y in zip(lines, (2.6, 1.72, 0.85)):
            shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, y, 0])

        count = t.head.features.size
        shown = min(count, FEATURES_SHOWN)
        width = min(1.3, 9.0 / shown)
        rows = [
            (FIRST + ("values", "fc_weight"), 1, KERNEL, "W_2", "W2"),
            (FIRST + ("head", "features"), 2, OUTPUT, "F^T", None),
            (FIRST + ("dL_dfc_weight",), gradient_decimals(width), GRADIENT, d("L", "W_2"), "W2"),
        ]
        chars = max(widest(self.trace, [path + (c,) for c in range(shown)], decimals) for path, decimals, *_ in rows)
        grids, words = [], []
        for path, decimals, color, name, shape_key in rows:
            grids.append(Cells(self.trace, lambda r, c, path=path: path + (c,), 1, shown, decimals, width, 0.55, color,
                               chars=chars))
        VGroup(*grids).arrange(DOWN, buff=0.2).move_to([0.3, -0.85, 0])
        for grid, (path, decimals, color, name, shape_key) in zip(grids, rows):
            group = VGroup(self.formula(name, font_size=NAME_SIZE, color=color).next_to(grid, LEFT, buff=0.2))
            anchor = grid
            if count > shown:
                anchor = plain("…", font_size=NAME_SIZE, color=TEXT).next_to(grid, RIGHT, buff=0.1)
                group.add(anchor)
            group.add(self.shape_label("F", transpose=True) if shape_key is None else self.shape_label(shape_key))
            group[-1].next_to(anchor, RIGHT, buff=0.3)
            words.append(group)
        check = self.formula(d("L", "W_2"), ":", *self.shape_parts("Z2"), *self.shape_parts("F", transpose=True), "=",
                             *self.shape_parts("W2", bare=True), ", quad \"the shape of\" W_2 quad checkmark",
                             font_size=LINE_SIZE)
        shrink_to_width(check, MAX_TEXT_WIDTH).move_to([0, -2.45, 0])
        onward = self.formula(d("L", "F"), "= W_2^T (A_2 - y)", ", quad", *self.shape_parts("F", bare=True),
                              "quad \"back to the shape of\" P_1 :", *self.shape_parts("P1", bare=True),
                              font_size=LINE_SIZE)
        shrink_to_width(onward, MAX_TEXT_WIDTH).move_to([0, -3.45, 0])

        self.play(FadeIn(lines[0], shift=UP * 0.2), run_time=0.9)
        self.wait(0.8)
        self.play(FadeIn(lines[1], shift=UP * 0.2), run_time=0.8)
        self.play(FadeIn(lines[2], shift=UP * 0.2), FadeIn(grids[0]), FadeIn(words[0]), FadeIn(grids[1]),
                  FadeIn(words[1]), run_time=1.0)
        self.play(LaggedStart(*(TransformFromCopy(a, b) for a, b in zip(grids[1].numbers, grids[2].numbers)),
                              lag_ratio=0.1), FadeIn(grids[2].squares), FadeIn(words[2]), run_time=1.0)
        self.wait(0.6)
        outlines = VGroup(SurroundingRectangle(grids[0], color=FOCUS, buff=0.04),
                          SurroundingRectangle(grids[2], color=FOCUS, buff=0.04))
        self.play(FadeIn(check, shift=UP * 0.2), Create(outlines), run_time=1.0)
        self.wait(1.0)
        self.play(FadeIn(onward, shift=UP * 0.2), run_time=0.9)
        self.wait(1.0)

    def backward_through_pooling_and_relu(self):
        t = self.first
        count = t.head.features.size
        shown = min(count, COLUMN_SHOWN)
        winners = cells_at(self.trace, WINNERS)
        losers = cells_at(self.trace, FIRST + ("head_geometry", "pool_loser_cells"))
        panels = [
            (FIRST + ("dL_dfeatures",), d("L", "F"), GRADIENT, "F", (shown, 1), None),
            (FIRST + ("dL_dpooled",), d("L", "P_1"), GRADIENT, "P1", t.head.pooled.shape, None),
            (FIRST + ("dL_dactivated",), d("L", "A_1"), GRADIENT, "Z1", t.conv.z.shape,
             FIRST + ("head_geometry", "pool_loser_cells")),
            (FIRST + ("conv", "z"), "Z_1 > 0 ?", OUTPUT, "Z1", t.conv.z.shape, None),
            (FIRST + ("conv_grad", "dL_dz"), d("L", "Z_1"), GRADIENT, "Z1", t.conv.z.shape, BLOCKED),
        ]
        area = Box(-6.9, 6.9, -0.9, 3.25)
        boxes = panel_boxes(area, [shape for *_, shape, _ in panels], least=2)
        drawn = []
        for (path, name, color, shape_key, shape, muted), box in zip(panels, boxes):
            inner = Box(box.left, box.right, box.bottom + 0.45, box.top - 0.75)
            if shape_key == "F":
                inner = Box(box.left, box.right, box.bottom + 0.45 + (0.3 if count > shown else 0), box.top - 0.75)
            cell = fit_cell(inner, shape, 0.75)
            decimals = 2 if color == OUTPUT else gradient_decimals(cell)
            if shape_key == "F":  # a column: cells as wide as the panel lets them be
                width = min(1.3, inner.width)
                grid = Cells(self.trace, lambda r, c, path=path: path + (r,), shown, 1, gradient_decimals(width),
                             width, min(0.6, inner.height / shown), color)
            else:
                grid = NumberGrid(self.trace, path, decimals, cell, color, muted=muted)
            grid.move_to(inner.center)
            group = VGroup(shrink_to_width(self.formula(name, font_size=NAME_SIZE, color=color), box.width)
                           .next_to(grid, UP, buff=0.12))
            anchor = grid
            if shape_key == "F" and count > shown:
                anchor = plain("⋮", font_size=NAME_SIZE, color=TEXT).next_to(grid, DOWN, buff=0.05)
                group.add(anchor)
            group.add(shrink_to_width(self.shape_label(shape_key), box.width).next_to(anchor, DOWN, buff=0.12))
            drawn.append((grid, group))
        (df, df_words), (dp, dp_words), (da, da_words), (z, z_words), (dz, dz_words) = drawn

        reshape = self.formula(d("L", "P_1"), "= \"reshape\"(", d("L", "F"), ") :", *self.shape_parts("F", bare=True), "->",
                               *self.shape_parts("P1", bare=True), font_size=LINE_SIZE - 2)
        routing = self.formula(d("L", "A_1"), ": \"each gradient goes to the cell that won its window's max, zero elsewhere\"",
                               font_size=LINE_SIZE - 2)
        relu = self.formula(d("L", "Z_1"), "=", d("L", "A_1"), "dot.o [Z_1 > 0]", font_size=LINE_SIZE - 2)
        for line, y in zip((reshape, routing, relu), (-1.6, -2.5, -3.45)):
            shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, y, 0])

        self.play(FadeIn(df), FadeIn(df_words), run_time=0.8)
        self.play(TransformFromCopy(df.numbers, VGroup(*dp.numbers[:shown])), FadeIn(dp.squares),
                  FadeIn(VGroup(*dp.numbers[shown:])), FadeIn(dp_words), FadeIn(reshape, shift=UP * 0.2), run_time=1.0)
        self.wait(0.8)
        outlines = CellMarks(da, self.trace, WINNERS, stroke=FOCUS, stroke_width=4)
        self.play(TransformFromCopy(dp.numbers, VGroup(*(da.label(*rc) for rc in winners))), FadeIn(da.squares),
                  FadeIn(VGroup(*(da.label(*rc) for rc in losers))), FadeIn(da_words), Create(outlines),
                  FadeIn(routing, shift=UP * 0.2), run_time=1.2)
        self.wait(1.2)
        shade = CellMarks(z, self.trace, FIRST + ("head_geometry", "relu_off_cells"), fill=MUTED, fill_opacity=0.45,
                          stroke_width=0)
        self.play(FadeIn(z), FadeIn(z_words), FadeIn(shade), run_time=0.8)
        self.play(TransformFromCopy(da.numbers, dz.numbers), FadeIn(dz.squares), FadeIn(dz_words),
                  FadeIn(relu, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)

    def backward_to_the_kernel(self):
        t, cfg = self.first, self.p.config
        star = self.formula("star", font_size=40)
        equals = self.formula("=", font_size=40)
        area = Box(-6.9, 6.9, -1.6, 2.55)
        shapes = [t.conv.padded_input.shape, t.conv.z.shape, t.conv.kernel.shape]
        boxes = panel_boxes(area, shapes, gap=star.width + 0.6, least=5)
        specs = [(FIRST + ("conv", "padded_input"), "X", INPUT, "X", FIRST + ("geometry", "padding_mask")),
                 (FIRST + ("conv_grad", "dL_dz"), d("L", "Z_1"), GRADIENT, "Z1", BLOCKED),
                 (FIRST + ("conv_grad", "dL_dkernel"), d("L", "W_1"), GRADIENT, "W1", None)]
        drawn = []
        for (path, name, color, shape_key, muted), box, shape in zip(specs, boxes, shapes):
            inner = Box(box.left, box.right, box.bottom + 0.45, box.top - 0.7)
            cell = fit_cell(inner, shape, 0.8)
            decimals = 1 if color == INPUT else gradient_decimals(cell)
            grid = NumberGrid(self.trace, path, decimals, cell, color, muted=muted).move_to(inner.center)
            words = VGroup(self.formula(name, font_size=NAME_SIZE, color=color).next_to(grid, UP, buff=0.12),
                           shrink_to_width(self.shape_label(shape_key), box.width).next_to(grid, DOWN, buff=0.12))
            if shape_key == "W1":
                words.add(self.formula("\"the shape of\" W_1 quad checkmark", font_size=SHAPE_SIZE, color=MUTED)
                          .next_to(words[-1], DOWN, buff=0.1))
            drawn.append((grid, words))
        star.move_to([(boxes[0].right + boxes[1].left) / 2, drawn[0][0].get_center()[1], 0])
        equals.move_to([(boxes[1].right + boxes[2].left) / 2, drawn[0][0].get_center()[1], 0])
        (x, x_words), (dz, dz_words), (dw, dw_words) = drawn

        stride = P + ("config", "stride")
        correlation = self.formula(d("L", "W_1"), "[a, b] = sum_(i, j) X[s_r i + a, thin s_c j + b]",
                                   d("L", "Z_1"), "[i, j], quad (s_r, s_c) = (", Num(stride + (0,), 0), ",",
                                   Num(stride + (1,), 0), ")", font_size=LINE_SIZE - 2)
        bias = self.formula(d("L", "b_1"), "= sum_(i, j)", d("L", "Z_1"), "[i, j] =",
                            Num(FIRST + ("conv_grad", "dL_dbias"), 3, color=GRADIENT, label="b"), font_size=LINE_SIZE - 2)
        for line, y in zip((correlation, bias), (-2.45, -3.4)):
            shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, y, 0])

        self.play(FadeIn(x), FadeIn(x_words), FadeIn(dz), FadeIn(dz_words), FadeIn(star), run_time=1.0)
        self.wait(0.5)
        self.play(FadeIn(equals), FadeIn(dw), FadeIn(dw_words), FadeIn(correlation, shift=UP * 0.2), run_time=1.2)
        self.wait(1.5)
        self.play(FadeIn(bias, shift=UP * 0.2), Create(SurroundingRectangle(dz, color=FOCUS, buff=0.05)), run_time=1.0)
        self.wait(1.5)

    # -- the mini-batch --------------------------------------------------------------------------

    def forward_on_the_batch(self):
        p = self.p
        m = p.size
        n = p.features.shape[0]
        shown = min(n, BATCH_ROWS_SHOWN)
        width, height = min(1.4, 6.0 / m), 0.5
        table_x = 0.2  # the centre of the table's columns
        top = 2.4

        chars = widest(self.trace, [P + ("logits", (0, c)) for c in range(m)] + [P + ("losses", c) for c in range(m)], 3)
        f = Cells(self.trace, lambda r, c: P + ("features", (r, c)), shown, m, 2, width, height, OUTPUT, chars=chars)
        f.move_to([table_x, top - f.height / 2, 0])
        headers = VGroup(*(self.formula(f"\"image\"_{c + 1}", font_size=SHAPE_SIZE, color=MUTED)
                           .next_to(f.box(0, c), UP, buff=0.12) for c in range(m)))
        y = f.get_bottom()[1]
        dots = None
        if n > shown:
            dots = plain("⋮", font_size=NAME_SIZE, color=TEXT).move_to([table_x, y - 0.2, 0])
            y -= 0.4
        y -= 0.3
        specs = [
            (lambda r, c: P + ("logits", (0, c)), 3, OUTPUT, "Z_2 = W_2 F + b_2", "product"),
            (lambda r, c: P + ("predictions", (0, c)), 3, OUTPUT, "A_2 = sigma(Z_2)", "Z2"),
            (lambda r, c: P + ("targets", (0, c)), self.target_decimals, TEXT, "y", "Z2"),
            (lambda r, c: P + ("errors", (0, c)), 3, GRADIENT, "A_2 - y", "Z2"),
            (lambda r, c: P + ("losses", c), 3, OUTPUT, "L_i = \"BCE\"(A_2, y)", None),
        ]
        rows = []
        for index, decimals, color, name, shape_key in specs:
            row = Cells(self.trace, index, 1, m, decimals, width, height, color, chars=chars)
            row.move_to([table_x, y - height / 2, 0])
            y -= height + 0.08
            words = VGroup(self.formula(name, font_size=NAME_SIZE, color=color).next_to(row, LEFT, buff=0.3))
            if shape_key == "product":  # W2 F: the dense layer takes every column at once
                words.add(self.formula(*self.shape_parts("W2"), *self.shape_parts("F", batch=True), "=",
                                       *self.shape_parts("Z2", batch=True, bare=True), font_size=SHAPE_SIZE,
                                       color=MUTED).next_to(row, RIGHT, buff=0.3))
            elif shape_key:
                words.add(self.shape_label(shape_key, batch=True).next_to(row, RIGHT, buff=0.3))
            rows.append((row, words))
        f_words = VGroup(self.formula("F", font_size=NAME_SIZE, color=OUTPUT).next_to(f, LEFT, buff=0.3),
                         self.shape_label("F", batch=True).next_to(f, RIGHT, buff=0.3))
        if dots is not None:
            f_words.add(dots)
        mean = self.formula("L = 1 / M sum_i L_i =", Num(P + ("loss",), 3, color=FOCUS), ", quad M =",
                            Num(P + ("size",), 0), font_size=LINE_SIZE)
        shrink_to_width(mean, MAX_TEXT_WIDTH).move_to([0, -3.5, 0])

        self.play(FadeIn(headers), FadeIn(f), FadeIn(f_words), run_time=1.0)
        self.wait(0.8)
        z_row, z_words = rows[0]
        self.play(FadeIn(z_row), FadeIn(z_words), run_time=0.9)
        self.play(FadeIn(VGroup(*rows[1])), run_time=0.8)
        self.play(FadeIn(VGroup(*rows[2])), FadeIn(VGroup(*rows[3])), run_time=0.9)
        self.wait(0.5)
        self.play(FadeIn(VGroup(*rows[4])), FadeIn(mean, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)

    def average_the_kernel_gradients(self):
        p = self.p
        m = p.size
        kh, kw = p.dL_dkernel.shape
        plus = [self.formula("+", font_size=36) for _ in range(m - 1)]
        fraction = self.formula("1 /", Num(P + ("size",), 0), font_size=36)
        equals = self.formula("=", font_size=36)
        parens = [self.formula("(", font_size=36), self.formula(")", font_size=36)]
        signs = sum(s.width for s in plus + parens + [fraction, equals]) + 0.25 * (2 * m + 3)
        width = min(1.3, (MAX_TEXT_WIDTH - signs) / ((m + 1) * kw))
        height = min(0.55, 2.4 / kh)
        decimals = gradient_decimals(width)
        cells = [(r, c) for r in range(kh) for c in range(kw)]
        chars = widest(self.trace, [P + ("samples", i, "conv_grad", "dL_dkernel", rc) for i in range(m) for rc in cells]
                       + [P + ("dL_dkernel", rc) for rc in cells], decimals)
        grids = [Cells(self.trace, lambda r, c, i=i: P + ("samples", i, "conv_grad", "dL_dkernel", (r, c)),
                       kh, kw, decimals, width, height, GRADIENT, chars=chars) for i in range(m)]
        average = Cells(self.trace, lambda r, c: P + ("dL_dkernel", (r, c)), kh, kw, decimals, width, height, GRADIENT,
                        chars=chars)
        for paren in parens:
            paren.stretch_to_fit_height(grids[0].height * 1.05)
        row = [fraction, parens[0]]
        for i, grid in enumerate(grids):
            row += [grid] + ([plus[i]] if i < m - 1 else [])
        row += [parens[1], equals, average]
        VGroup(*row).arrange(RIGHT, buff=0.25).move_to([0, 0.9, 0])
        names = VGroup(*(self.formula(d(f"L_{i + 1}", "W_1"), font_size=NAME_SIZE - 2, color=GRADIENT)
                         .next_to(grid, UP, buff=0.15) for i, grid in enumerate(grids)),
                       self.formula(d("L", "W_1"), font_size=NAME_SIZE - 2, color=GRADIENT).next_to(average, UP, buff=0.15))

        def averaged(name, path_of, average_path, decimals=3):
            parts = [d("L", name), "= ("]
            for i in range(m):
                parts += (["+"] if i else []) + [Num(path_of(i), decimals, paren=i > 0, color=GRADIENT)]
            return self.formula(*parts, ") /", Num(P + ("size",), 0), "=",
                                Num(average_path, decimals, color=FOCUS), font_size=LINE_SIZE - 2)

        entry = averaged("w_1", lambda i: P + ("samples", i, "conv_grad", "dL_dkernel", (0, 0)), P + ("dL_dkernel", (0, 0)))
        bias = averaged("b_1", lambda i: P + ("samples", i, "conv_grad", "dL_dbias"), P + ("dL_dbias",))
        rule = self.formula("\"one gradient step uses the average:\" quad", d("L", "theta"), "= 1 / M sum_i",
                            d("L_i", "theta"), font_size=LINE_SIZE - 2)
        for line, y in zip((entry, bias, rule), (-1.35, -2.35, -3.4)):
            shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, y, 0])
        focus = VGroup(*(SurroundingRectangle(g.box(0, 0), color=FOCUS, buff=0) for g in grids + [average]))

        self.play(LaggedStart(*(FadeIn(VGroup(g, n)) for g, n in zip(grids, names)), lag_ratio=0.3),
                  FadeIn(VGroup(*plus)), run_time=1.2)
        self.wait(0.6)
        self.play(FadeIn(VGroup(fraction, *parens, equals)), FadeIn(average), FadeIn(names[-1]), run_time=1.0)
        self.wait(0.6)
        self.play(Create(focus), FadeIn(entry, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)
        self.play(FadeIn(bias, shift=UP * 0.2), run_time=0.9)
        self.wait(0.8)
        self.play(FadeIn(rule, shift=UP * 0.2), run_time=0.9)
        self.wait(1.5)

    def average_the_dense_gradients(self):
        p = self.p
        m = p.size
        n = p.features.shape[0]
        shown = min(n, DENSE_GRADIENT_SHOWN)
        width = min(1.3, 7.4 / shown)
        height = 0.55
        decimals = gradient_decimals(width)
        shape = self.formula(d("L", "W_2"), "= 1 / M (A_2 - y) F^T :", *self.shape_parts("Z2", batch=True),
                             *self.shape_parts("F", batch=True, transpose=True), "=",
                             *self.shape_parts("W2", bare=True), ", quad \"the shape of\" W_2 quad checkmark",
                             font_size=LINE_SIZE - 2)
        shrink_to_width(shape, MAX_TEXT_WIDTH).move_to([0, 2.65, 0])

        pitch, gap = 0.72, 0.25  # a row and its name; the rule before the average
        block = (m + 1) * pitch + gap
        y = (2.1 - 1.9) / 2 + block / 2  # the rows centred between the shape line and the formulas
        x = 1.4
        chars = widest(self.trace, [P + ("samples", i, "dL_dfc_weight", c) for i in range(m) for c in range(shown)]
                       + [P + ("dL_dfc_weight", (0, c)) for c in range(shown)], decimals)
        rows, names = [], []
        for i in range(m):
            row = Cells(self.trace, lambda r, c, i=i: P + ("samples", i, "dL_dfc_weight", c), 1, shown, decimals,
                        width, height, GRADIENT, chars=chars)
            row.move_to([x, y - pitch / 2, 0])
            y -= pitch
            rows.append(row)
            names.append(self.formula(d(f"L_{i + 1}", "W_2"), "=", f"(A_2 - y)_{i + 1} F_{i + 1}^T",
                                      font_size=NAME_SIZE, color=GRADIENT).next_to(row, LEFT, buff=0.3))
        rule = Line(rows[-1].get_corner(DOWN + LEFT) + DOWN * gap / 2, rows[-1].get_corner(DOWN + RIGHT) + DOWN * gap / 2,
                    color=TEXT, stroke_width=2)
        y -= gap
        average = Cells(self.trace, lambda r, c: P + ("dL_dfc_weight", (0, c)), 1, shown, decimals, width, height,
                        GRADIENT, chars=chars)
        average.move_to([x, y - pitch / 2, 0])
        average_name = self.formula(d("L", "W_2"), "= 1 / M sum_i", d("L_i", "W_2"), font_size=NAME_SIZE,
                                    color=GRADIENT).next_to(average, LEFT, buff=0.3)
        more = [plain("…", font_size=NAME_SIZE, color=TEXT).next_to(r, RIGHT, buff=0.1) for r in rows + [average]] \
            if n > shown else []

        def averaged(name, path_of, average_path):
            parts = [d("L", name), "= ("]
            for i in range(m):
                parts += (["+"] if i else []) + [Num(path_of(i), 3, paren=i > 0, color=GRADIENT)]
            return self.formula(*parts, ") /", Num(P + ("size",), 0), "=", Num(average_path, 3, color=FOCUS),
                                font_size=LINE_SIZE - 2)

        entry = averaged("(W_2)_1", lambda i: P + ("samples", i, "dL_dfc_weight", 0), P + ("dL_dfc_weight", (0, 0)))
        bias = averaged("b_2", lambda i: P + ("errors", (0, i)), P + ("dL_dfc_bias",))
        for line, y_line in zip((entry, bias), (-2.55, -3.45)):
            shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, y_line, 0])
        focus = VGroup(*(SurroundingRectangle(r.box(0, 0), color=FOCUS, buff=0) for r in rows + [average]))

        self.play(FadeIn(shape, shift=UP * 0.2), run_time=0.9)
        self.play(LaggedStart(*(FadeIn(VGroup(r, nm)) for r, nm in zip(rows, names)), lag_ratio=0.3),
                  *(FadeIn(x) for x in more[:-1]), run_time=1.2)
        self.play(Create(rule), FadeIn(average), FadeIn(average_name), *(FadeIn(x) for x in more[-1:]), run_time=1.0)
        self.wait(0.6)
        self.play(Create(focus), FadeIn(entry, shift=UP * 0.2), run_time=1.0)
        self.wait(1.2)
        self.play(FadeIn(bias, shift=UP * 0.2), run_time=0.9)
        self.wait(1.5)

    # -- helpers ------------------------------------------------------------------------------------

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


class CnnPipelineScene(StoryScene):
    story = CnnPipelineStory
