"""The whole CNN, forward: the convolution layer, the dense layer and the loss, and the count of
trainable parameters."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, TransformFromCopy, VGroup

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.layout import FEATURES_SHOWN, MAX_TEXT_WIDTH, Box, band, fit_cell, shrink_to_width
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.panels import LabelledPanel, panel_boxes
from convprop.scenes.kit.style import FOCUS, INPUT, KERNEL, OUTPUT, TEXT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.stories.cnn_pipeline_base import (
    CHAIN_Y, COLUMN_SHOWN, DENSE_ROW_Y, FIRST, LINE_SIZE, NAME_SIZE, P, SHAPE_SIZE, WINNERS, PipelineStory,
)


class ForwardThroughTheNetwork(PipelineStory):
    """The forward beats of the whole-CNN story, for the first image."""

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
        area = band(-3.3, CHAIN_Y - 0.35)
        boxes = panel_boxes(area, [np.shape(lookup(self.trace, path)) for path, *_ in panels])
        drawn = []
        for (path, name, decimals, color, shape_key, muted), box in zip(panels, boxes):
            inner = box.inset(bottom=0.9, top=0.45)
            grid = NumberGrid(self.trace, path, decimals, fit_cell(inner, np.shape(lookup(self.trace, path)), 0.75),
                              color, muted=muted).move_to(inner.center)
            extra = ([", quad \"padding\"", Num(P + ("config", "padding"), 0)] if name == "X" and pad else [])
            below = [self.shape_label(shape_key, *extra)]
            if name == "W_1":
                below.append(self.formula("b_1 =", Num(FIRST + ("conv", "bias"), t.values.decimals["bias"], color=KERNEL),
                                          font_size=SHAPE_SIZE))
            panel = LabelledPanel(grid, self.formula(name, font_size=NAME_SIZE, color=color), *below, width=box.width)
            drawn.append((panel.grid, panel.words))

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
        features = self.table(FIRST + ("head", "features"), 2, f_inner.width, min(0.6, f_inner.height / shown), OUTPUT,
                              limit=shown)
        features.move_to(f_inner.center)
        f_words = VGroup(self.formula("F", font_size=NAME_SIZE, color=OUTPUT).next_to(features, UP, buff=0.12))
        if count > shown:
            f_words.add(plain("⋮", font_size=NAME_SIZE, color=TEXT).next_to(features, DOWN, buff=0.05))
        f_words.add(self.shape_label("F").next_to(f_words[-1] if count > shown else features, DOWN, buff=0.12))

        row_shown = min(count, FEATURES_SHOWN)
        cell = min(0.75, 6.2 / row_shown)
        weights = NumberGrid(self.trace, FIRST + ("values", "fc_weight"), t.values.decimals["fc_weight"], cell, KERNEL, limit=FEATURES_SHOWN,
                             as_row=True)
        weights.move_to([-0.4 + weights.width / 2, DENSE_ROW_Y, 0])
        w_words = VGroup(self.formula("W_2", font_size=NAME_SIZE, color=KERNEL).next_to(weights, LEFT, buff=0.15))
        if count > row_shown:
            w_words.add(plain("…", font_size=NAME_SIZE, color=TEXT).next_to(weights, RIGHT, buff=0.1))
        shape = self.shape_label("W2").next_to(weights, DOWN, buff=0.15).align_to(weights, LEFT)
        bias = self.formula("b_2 =", Num(FIRST + ("values", "fc_bias"), t.values.decimals["fc_bias"], color=KERNEL), font_size=NAME_SIZE)
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

