"""The whole CNN, backward for the first image: the dense layer, the reshape, max pooling and
ReLU, then the kernel and bias gradients."""

from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, LaggedStart, SurroundingRectangle, TransformFromCopy, VGroup

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.layout import FEATURES_SHOWN, MAX_TEXT_WIDTH, band, fit_cell, lines_down, shrink_to_width
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.panels import LabelledPanel, panel_boxes
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, KERNEL, MUTED, OUTPUT, TEXT
from convprop.scenes.stories.cnn_pipeline_base import (
    BLOCKED, COLUMN_SHOWN, FIRST, LINE_SIZE, NAME_SIZE, P, SHAPE_SIZE, WINNERS, PipelineStory, d, gradient_decimals,
    widest,
)


class BackwardThroughTheNetwork(PipelineStory):
    """The backward beats of the whole-CNN story, for the first image."""

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
            (FIRST + ("values", "fc_weight"), t.values.decimals["fc_weight"], KERNEL, "W_2", "W2"),
            (FIRST + ("head", "features"), 2, OUTPUT, "F^T", None),
            (FIRST + ("dL_dfc_weight",), gradient_decimals(width), GRADIENT, d("L", "W_2"), "W2"),
        ]
        chars = max(widest(self.trace, [path + (c,) for c in range(shown)], decimals) for path, decimals, *_ in rows)
        grids, words = [], []
        for path, decimals, color, name, shape_key in rows:
            grids.append(self.table(path, decimals, width, 0.55, color, limit=shown, as_row=True, chars=chars))
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
        area = band(-0.9, 3.25)
        boxes = panel_boxes(area, [shape for *_, shape, _ in panels], least=2)
        drawn = []
        for (path, name, color, shape_key, shape, muted), box in zip(panels, boxes):
            more = shape_key == "F" and count > shown  # a "⋮" under the column
            inner = box.inset(bottom=0.45 + (0.3 if more else 0), top=0.75)
            cell = fit_cell(inner, shape, 0.75)
            decimals = 2 if color == OUTPUT else gradient_decimals(cell)
            if shape_key == "F":  # a column: cells as wide as the panel lets them be
                width = min(1.3, inner.width)
                grid = self.table(path, gradient_decimals(width), width, min(0.6, inner.height / shown), color,
                                  limit=shown)
            else:
                grid = NumberGrid(self.trace, path, decimals, cell, color, muted=muted)
            below = [plain("⋮", font_size=NAME_SIZE, color=TEXT)] if more else []
            panel = LabelledPanel(grid.move_to(inner.center), self.formula(name, font_size=NAME_SIZE, color=color),
                                  *below, self.shape_label(shape_key), width=box.width)
            drawn.append((panel.grid, panel.words))
        (df, df_words), (dp, dp_words), (da, da_words), (z, z_words), (dz, dz_words) = drawn

        reshape = self.formula(d("L", "P_1"), "= \"reshape\"(", d("L", "F"), ") :", *self.shape_parts("F", bare=True), "->",
                               *self.shape_parts("P1", bare=True), font_size=LINE_SIZE - 2)
        routing = self.formula(d("L", "A_1"), ": \"each gradient goes to the cell that won its window's max, zero elsewhere\"",
                               font_size=LINE_SIZE - 2)
        relu = self.formula(d("L", "Z_1"), "=", d("L", "A_1"), "dot.o [Z_1 > 0]", font_size=LINE_SIZE - 2)
        lines_down([reshape, routing, relu], top=area.bottom)

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
        t = self.first
        star = self.formula("star", font_size=40)
        equals = self.formula("=", font_size=40)
        area = band(-1.6, 2.55)
        shapes = [t.conv.padded_input.shape, t.conv.z.shape, t.conv.kernel.shape]
        boxes = panel_boxes(area, shapes, gap=star.width + 0.6, least=5)
        specs = [(FIRST + ("conv", "padded_input"), "X", INPUT, "X", FIRST + ("geometry", "padding_mask")),
                 (FIRST + ("conv_grad", "dL_dz"), d("L", "Z_1"), GRADIENT, "Z1", BLOCKED),
                 (FIRST + ("conv_grad", "dL_dkernel"), d("L", "W_1"), GRADIENT, "W1", None)]
        drawn = []
        for (path, name, color, shape_key, muted), box, shape in zip(specs, boxes, shapes):
            inner = box.inset(bottom=0.45, top=0.7)
            cell = fit_cell(inner, shape, 0.8)
            decimals = t.values.decimals["input"] if color == INPUT else gradient_decimals(cell)
            grid = NumberGrid(self.trace, path, decimals, cell, color, muted=muted).move_to(inner.center)
            below = [self.shape_label(shape_key)]
            if shape_key == "W1":
                below.append(self.formula("\"the shape of\" W_1 quad checkmark", font_size=SHAPE_SIZE, color=MUTED))
            panel = LabelledPanel(grid, self.formula(name, font_size=NAME_SIZE, color=color), *below, width=box.width)
            drawn.append((panel.grid, panel.words))
        star.move_to([(boxes[0].right + boxes[1].left) / 2, drawn[0][0].get_center()[1], 0])
        equals.move_to([(boxes[1].right + boxes[2].left) / 2, drawn[0][0].get_center()[1], 0])
        (x, x_words), (dz, dz_words), (dw, dw_words) = drawn

        stride = P + ("config", "stride")
        correlation = self.formula(d("L", "W_1"), "[a, b] = sum_(i, j) X[s_r i + a, thin s_c j + b]",
                                   d("L", "Z_1"), "[i, j], quad (s_r, s_c) = (", Num(stride + (0,), 0), ",",
                                   Num(stride + (1,), 0), ")", font_size=LINE_SIZE - 2)
        bias = self.formula(d("L", "b_1"), "= sum_(i, j)", d("L", "Z_1"), "[i, j] =",
                            Num(FIRST + ("conv_grad", "dL_dbias"), 3, color=GRADIENT, label="b"), font_size=LINE_SIZE - 2)
        lines_down([correlation, bias], top=VGroup(*(VGroup(*pair) for pair in drawn)).get_bottom()[1])

        self.play(FadeIn(x), FadeIn(x_words), FadeIn(dz), FadeIn(dz_words), FadeIn(star), run_time=1.0)
        self.wait(0.5)
        self.play(FadeIn(equals), FadeIn(dw), FadeIn(dw_words), FadeIn(correlation, shift=UP * 0.2), run_time=1.2)
        self.wait(1.5)
        self.play(FadeIn(bias, shift=UP * 0.2), Create(SurroundingRectangle(dz, color=FOCUS, buff=0.05)), run_time=1.0)
        self.wait(1.5)

