"""The whole CNN, forward: the convolution layer, the dense layer and the loss, and the count of
trainable parameters."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, TransformFromCopy, VGroup

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.layout import FEATURES_SHOWN, MAX_TEXT_WIDTH, Box, band, shrink_to_width
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.panels import NAME_GAP, LabelledPanel
from convprop.scenes.kit.style import FOCUS, INPUT, KERNEL, MUTED, OUTPUT, TEXT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.stories.cnn_pipeline_layer import (
    arranged_at_one_cell, boxes_for_words, channel_paths, kernel_paths, map_claim, map_paths, roomiest_stack, stack, stacked_cell,
)
from convprop.scenes.stories.cnn_pipeline_base import (
    CHAIN_Y, COLUMN_SHOWN, DENSE_ROW_Y, FIRST, LINE_SIZE, NAME_SIZE, P, SHAPE_SIZE, PipelineStory,
)


# The room of the words above a stage's grids (its name) and below them (its shape, and under W1
# its bias); for a layer, below as much as the longest words take.
FORWARD_ABOVE_ROOM = 0.45
FORWARD_BELOW_ROOM = 0.9


class ForwardThroughTheNetwork(PipelineStory):
    """The forward beats of the whole-CNN story, for the first image."""

    def forward_through_the_convolution(self):
        t, cfg = self.first, self.p.config
        filters, channels = cfg.filters, cfg.channels
        chain = self.chain("{{ Z_1 = \"conv\"(X, W_1) + b_1 : z }} quad -> quad {{ A_1 = \"ReLU\"(Z_1) : a }} "
                           "quad -> quad {{ P_1 = \"maxpool\"(A_1) : p }}")
        pad = cfg.padding
        padding_mask = FIRST + ("geometry", "padding_mask")
        # each stage: its grids' paths (a layer's kernels filter by filter), name, decimals, colour, shape
        # key, the muted cells of each grid, the grids a row it keeps (the kernels: a row per filter)
        kernels = [path for row in kernel_paths(FIRST, filters, channels) for path in row]
        stages = [
            (channel_paths(FIRST, channels), "X", t.values.decimals["input"], INPUT, "X", padding_mask, None),
            (kernels, "W_1", t.values.decimals["kernel"], KERNEL, "W1", None, channels),
            (map_paths(FIRST, "Z", filters), "Z_1", 2, OUTPUT, "Z1", None, None),
            (map_paths(FIRST, "A", filters), "A_1", 2, OUTPUT, "Z1", None, None),
            (map_paths(FIRST, "P", filters), "P_1", 2, OUTPUT, "P1", None, None),
        ]
        area = band(-3.3, CHAIN_Y - 0.35)
        words = []
        for paths, name, decimals, color, shape_key, muted, keep in stages:
            extra = ([", quad \"padding\"", Num(P + ("config", "padding"), 0)] if name == "X" and pad else [])
            below = [self.shape_label(shape_key, *extra)] + (self.kernel_words() if name == "W_1" else [])
            words.append((self.formula(name, font_size=NAME_SIZE, color=color), below))
        widths = [max(line.width for line in below) for _, below in words]
        grid_shapes = [np.shape(lookup(self.trace, paths[0])) for paths, *_ in stages]
        below_room = FORWARD_BELOW_ROOM
        if self.layered:  # the kernels' words run longer: room for the longest words under a stage
            below_room = max(sum(line.height + NAME_GAP for line in below) for _, below in words) + NAME_GAP
            # the maps of Z1, A1 and P1 stand alike, so each filter's maps line up
            groups = ["X", "W1", "maps", "maps", "maps"]
            cols, boxes = arranged_at_one_cell(
                area, [(shape, len(paths), keep, group) for (paths, *_, keep), shape, group
                       in zip(stages, grid_shapes, groups)], widths, room=below_room + FORWARD_ABOVE_ROOM)
        else:
            cols = [1] * len(stages)
            boxes = boxes_for_words(area, grid_shapes, widths)
        drawn = []
        for (paths, name, decimals, color, shape_key, muted, _), (title, below), box, shape, n in zip(
                stages, words, boxes, grid_shapes, cols):
            inner = box.inset(bottom=below_room, top=FORWARD_ABOVE_ROOM)
            cell = stacked_cell(inner, shape, -(-len(paths) // n), n, max_cell=0.75)
            grids = [NumberGrid(self.trace, path, decimals, cell, color, muted=muted) for path in paths]
            panel = LabelledPanel(stack(grids, cols=n).move_to(inner.center), title, *below, width=box.width)
            drawn.append((grids, panel.words))

        (x, x_words), (w, w_words), (z, z_words), (a, a_words), (p, p_words) = drawn
        self.play(FadeIn(chain), run_time=0.8)
        self.play(*map(FadeIn, x), FadeIn(x_words), *map(FadeIn, w), FadeIn(w_words), run_time=1.0)
        self.wait(0.6)
        self.play(*map(FadeIn, z), FadeIn(z_words), chain.term("z").animate.set_color(FOCUS), run_time=1.0)
        self.wait(0.8)
        self.play(*(TransformFromCopy(zo.numbers, ao.numbers) for zo, ao in zip(z, a)),
                  *(FadeIn(ao.squares) for ao in a), FadeIn(a_words),
                  chain.term("z").animate.set_color(TEXT), chain.term("a").animate.set_color(FOCUS), run_time=1.0)
        self.wait(0.6)
        claims = [map_claim(FIRST, "pool_winners", o, filters) for o in range(filters)]
        outlines = [CellMarks(ao, self.trace, claim, stroke=FOCUS, stroke_width=4) for ao, claim in zip(a, claims)]
        self.play(*map(Create, outlines), chain.term("a").animate.set_color(TEXT),
                  chain.term("p").animate.set_color(FOCUS), run_time=0.8)
        self.play(*(TransformFromCopy(VGroup(*(ao.label(*rc) for rc in cells_at(self.trace, claim))), po.numbers)
                    for ao, po, claim in zip(a, p, claims)),
                  *(FadeIn(po.squares) for po in p), FadeIn(p_words), run_time=1.0)
        self.wait(1.2)

    def kernel_words(self) -> list:
        """What is said under W1: for a layer, how its block of kernels is read, then the biases."""
        if not self.layered:
            return [self.biases_line()]
        return [self.formula("\"a row per filter,\"", font_size=SHAPE_SIZE, color=MUTED),
                self.formula("\"a column per channel\"", font_size=SHAPE_SIZE, color=MUTED), self.biases_line()]

    def biases_line(self):
        """b_1, one bias per filter: the number alone for one filter, else them all in parentheses."""
        t, filters = self.first, self.p.config.filters
        decimals = t.values.decimals["bias"]
        if filters == 1:
            return self.formula("b_1 =", Num(FIRST + ("conv", "bias"), decimals, color=KERNEL), font_size=SHAPE_SIZE)
        parts = ["b_1 = ("]
        for o in range(filters):
            parts += ([","] if o else []) + [Num(FIRST + ("conv", "b", o), decimals, color=KERNEL)]
        return self.formula(*parts, ")", font_size=SHAPE_SIZE)

    def forward_through_the_dense_layer(self):
        t = self.first
        chain = self.chain("{{ F = \"flatten\"(P_1) : f }} quad -> quad {{ Z_2 = W_2 F + b_2 : z }} quad -> quad "
                           "{{ A_2 = sigma(Z_2) : a }} quad -> quad {{ L = \"BCE\"(A_2, y) : l }}")
        inner = Box(-6.9, -4.0, DENSE_ROW_Y - 1.05, DENSE_ROW_Y + 1.05)
        filters = self.p.config.filters
        cell, cols = roomiest_stack(inner, t.head.pooled.shape, filters, 0.75)
        maps = [NumberGrid(self.trace, path, 2, cell, OUTPUT) for path in map_paths(FIRST, "P", filters)]
        pooled = stack(maps, cols).move_to(inner.center)
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
        flattened = [number for grid in maps for number in grid.numbers]  # map, row, column: the order of F
        self.play(TransformFromCopy(VGroup(*flattened[:shown]), features.numbers), FadeIn(features.squares),
                  FadeIn(f_words), chain.term("f").animate.set_color(FOCUS), run_time=1.0)
        self.wait(0.6)
        self.play(FadeIn(weights), FadeIn(w_words), chain.term("f").animate.set_color(TEXT), run_time=0.8)
        for line, term, previous in zip(lines, ("z", "a", "l"), ("f", "z", "a")):
            self.play(FadeIn(line, shift=UP * 0.2), chain.term(previous).animate.set_color(TEXT),
                      chain.term(term).animate.set_color(FOCUS), run_time=0.9)
            self.wait(0.7)

    def count_the_parameters(self):
        counts = P + ("parameter_counts",)
        kernel = [Num(P + ("shapes", "W1", i), 0) for i in range(len(self.p.shapes["W1"]))]
        kernel = [part for i, size in enumerate(kernel) for part in (["dot"] if i else []) + [size]]
        # one bias per filter: "+ 1" for one, "+ F" for several
        biases = ["+ 1 ="] if self.p.config.filters == 1 else ["+", Num(P + ("config", "filters"), 0), "="]
        line = self.formula(
            "\"trainable:\" quad W_1, b_1:", *kernel, *biases, Num(counts + ("conv",), 0, color=KERNEL),
            ", quad W_2, b_2:", Num(P + ("shapes", "W2", 0), 0),
            "dot", Num(P + ("shapes", "W2", 1), 0), "+ 1 =", Num(counts + ("dense",), 0, color=KERNEL),
            ", quad \"total\"", Num(counts + ("total",), 0, color=FOCUS), font_size=LINE_SIZE)
        shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, -3.6, 0])
        self.play(FadeIn(line, shift=UP * 0.2), run_time=0.9)
        self.wait(2.0)

