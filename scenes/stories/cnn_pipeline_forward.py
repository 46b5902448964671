"""The whole CNN, forward: the convolution layer, the dense layer and the loss, and the count of
trainable parameters."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, TransformFromCopy, VGroup

from convprop.scenes.kit.fades import FadeIn
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.layout import FEATURES_SHOWN, Box, lines_down, place, side_by_side
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.panels import NAME_GAP, LabelledPanel
from convprop.scenes.kit.style import FOCUS, INPUT, KERNEL, MUTED, OUTPUT, TEXT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.stories.cnn_pipeline_layer import (
    arranged_at_one_cell, arrive, bar_room, boxes_for_words, channel_paths, grid_room, kernel_paths, map_claim, map_paths, mark_width,
    pictured, pieces, room_shape, roomiest_stack, stack, stacked_cell, stage_view, travel,
)
from convprop.scenes.stories.cnn_pipeline_base import (
    COLUMN_SHOWN, FIRST, LINE_SIZE, NAME_SIZE, P, SHAPE_SIZE, PipelineStory,
)


# The room of the words above a stage's grids (its name) and below them (its shape, and under W1
# its bias); for a layer, below as much as the longest words take.
FORWARD_ABOVE_ROOM = 0.45
# The dense screen's row: P1, F and W2 side by side under the stage formulas, as wide as these
# weights share, the room of W2's name left of its row; Z2, A2 and the loss under them.
DENSE_ROW_GAP, DENSE_ROW_HEIGHT = 0.4, 2.1
DENSE_COLUMNS = (2.9, 1.3, 9.2)
DENSE_COLUMN_GAP = 0.4
W2_NAME_ROOM = 1.5
FORWARD_BELOW_ROOM = 0.9


class ForwardThroughTheNetwork(PipelineStory):
    """The forward beats of the whole-CNN story, for the first image."""

    def forward_through_the_convolution(self, room: Box):
        """X and W1 make Z1; the ReLU makes A1 and max pooling P1: each stage's grids in a column
        of ``room`` (the room under the title), its name above and its shape below."""
        t, cfg = self.first, self.p.config
        filters, channels = cfg.filters, cfg.channels
        chain, area = self.chain("{{ Z_1 = \"conv\"(X, W_1) + b_1 : z }} quad -> quad {{ A_1 = \"ReLU\"(Z_1) : a }} "
                                 "quad -> quad {{ P_1 = \"maxpool\"(A_1) : p }}", room)
        pad = cfg.padding
        padding_mask = FIRST + ("geometry", "padding_mask")
        # each stage: its grids' paths (a layer's kernels filter by filter), name, decimals, colour, shape
        # key, the muted cells of each grid, the grids a row it keeps (the kernels: a row per filter)
        kernels = [path for row in kernel_paths(FIRST, filters, channels) for path in row]
        stages = [
            (channel_paths(FIRST, channels), "X", t.values.decimals["input"], INPUT, "X", padding_mask, None),
            (kernels, "W_1", t.values.decimals["kernel"], KERNEL, "W1", None, channels if channels > 1 else None),
            (map_paths(FIRST, "Z", filters), "Z_1", 2, OUTPUT, "Z1", None, None),
            (map_paths(FIRST, "A", filters), "A_1", 2, OUTPUT, "Z1", None, None),
            (map_paths(FIRST, "P", filters), "P_1", 2, OUTPUT, "P1", None, None),
        ]
        words = []
        for paths, name, decimals, color, shape_key, muted, keep in stages:
            extra = ([", quad \"padding\"", Num(P + ("config", "padding"), 0)] if name == "X" and pad else [])
            below = [self.shape_label(shape_key, *extra)] + (self.kernel_words() if name == "W_1" else [])
            words.append((self.formula(name, font_size=NAME_SIZE, color=color), below))
        widths = [max(line.width for line in below) for _, below in words]
        grid_shapes = [np.shape(lookup(self.trace, paths[0])) for paths, *_ in stages]
        # room for the longest words under a stage (a layer's kernels, a dilation, say more)
        below_room = max(FORWARD_BELOW_ROOM, max(sum(line.height + NAME_GAP for line in below) for _, below in words)
                         + NAME_GAP)
        if self.layered:
            # the maps of Z1, A1 and P1 stand alike, so each filter's maps line up
            groups = ["X", "W1", "maps", "maps", "maps"]
            cols, boxes = arranged_at_one_cell(
                area, [(room_shape(shape), len(paths), keep, group) for (paths, *_, keep), shape, group
                       in zip(stages, grid_shapes, groups)], widths, room=below_room + FORWARD_ABOVE_ROOM)
        else:
            cols = [1] * len(stages)
            boxes = boxes_for_words(area, [room_shape(shape) for shape in grid_shapes], widths)
        drawn = []
        for (paths, name, decimals, color, shape_key, muted, _), (title, below), box, shape, n in zip(
                stages, words, boxes, grid_shapes, cols):
            inner = box.inset(bottom=below_room, top=FORWARD_ABOVE_ROOM)
            room = grid_room(inner, bar_room(self.trace, FIRST, paths, decimals), n)
            cell = stacked_cell(room, shape, -(-len(paths) // n), n, max_cell=0.75)
            picture = pictured(self.trace, paths, decimals, cell)
            grids = [stage_view(self.trace, FIRST, path, decimals, cell, color, picture=picture, muted=muted)
                     for path in paths]
            panel = LabelledPanel(stack(grids, cols=n).move_to(inner.center), title, *below, width=box.width)
            drawn.append((grids, panel.words))

        (x, x_words), (w, w_words), (z, z_words), (a, a_words), (p, p_words) = drawn
        self.play(FadeIn(chain), run_time=0.8)
        self.play(*map(FadeIn, x), FadeIn(x_words), *map(FadeIn, w), FadeIn(w_words), run_time=1.0)
        self.wait(0.6)
        self.play(*map(FadeIn, z), FadeIn(z_words), chain.term("z").animate.set_color(FOCUS), run_time=1.0)
        self.wait(0.8)
        self.play(*(step for zo, ao in zip(z, a) for step in arrive(zo, ao)), FadeIn(a_words),
                  chain.term("z").animate.set_color(TEXT), chain.term("a").animate.set_color(FOCUS), run_time=1.0)
        self.wait(0.6)
        claims = [map_claim(FIRST, "pool_winners", o, filters) for o in range(filters)]
        outlines = [CellMarks(ao, self.trace, claim, stroke=FOCUS, stroke_width=mark_width(ao, 4))
                    for ao, claim in zip(a, claims)]
        self.play(*map(Create, outlines), chain.term("a").animate.set_color(TEXT),
                  chain.term("p").animate.set_color(FOCUS), run_time=0.8)
        self.play(*(step for ao, po, claim in zip(a, p, claims) for step in arrive(ao, po, cells_at(self.trace, claim))),
                  FadeIn(p_words), run_time=1.0)
        self.wait(1.2)

    def kernel_words(self) -> list:
        """What is said under W1: for a layer, how its block of kernels is read, then the biases."""
        words = []
        if self.p.config.channels > 1:
            words += [self.formula("\"a row per filter,\"", font_size=SHAPE_SIZE, color=MUTED),
                      self.formula("\"a column per channel\"", font_size=SHAPE_SIZE, color=MUTED)]
        elif self.layered:  # one channel: the filters' kernels stand as the room allows
            words.append(self.formula("\"a kernel per filter\"", font_size=SHAPE_SIZE, color=MUTED))
        if tuple(self.p.config.dilation) != (1, 1):  # the taps stand d apart: the kernel spans more than it shows
            dilation = P + ("config", "dilation")
            words.append(self.formula("\"dilation\"", Num(dilation + (0,), 0), "times", Num(dilation + (1,), 0),
                                      font_size=SHAPE_SIZE, color=MUTED))
        return words + [self.biases_line()]

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

    def forward_through_the_dense_layer(self, room: Box):
        """P1 flattened into F, the dense weights W2 beside it, then Z2, A2 and the loss line by
        line under them, in ``room``; returns the count of parameters, placed under the last line
        for the next beat to show."""
        t = self.first
        chain, rest = self.chain("{{ F = \"flatten\"(P_1) : f }} quad -> quad {{ Z_2 = W_2 F + b_2 : z }} quad -> quad "
                                 "{{ A_2 = sigma(Z_2) : a }} quad -> quad {{ L = \"BCE\"(A_2, y) : l }}", room)
        row = Box(rest.left, rest.right, rest.top - DENSE_ROW_GAP - DENSE_ROW_HEIGHT, rest.top - DENSE_ROW_GAP)
        inner, f_inner, w_area = side_by_side(row, DENSE_COLUMNS, gap=DENSE_COLUMN_GAP)
        filters = self.p.config.filters
        cell, cols = roomiest_stack(inner, t.head.pooled.shape, filters, 0.75)
        paths = map_paths(FIRST, "P", filters)
        picture = pictured(self.trace, paths, 2, cell)
        # no colour bar: the row leaves it no room, and F's column writes the numbers that matter
        maps = [stage_view(self.trace, FIRST, path, 2, cell, OUTPUT, picture=picture, bar=False) for path in paths]
        pooled = stack(maps, cols).move_to(inner.center)
        p_words = VGroup(self.formula("P_1", font_size=NAME_SIZE, color=OUTPUT).next_to(pooled, UP, buff=0.12),
                         self.shape_label("P1").next_to(pooled, DOWN, buff=0.15))

        count = t.head.features.size
        shown = min(count, COLUMN_SHOWN)
        features = self.table(FIRST + ("head", "features"), 2, f_inner.width, min(0.6, f_inner.height / shown), OUTPUT,
                              limit=shown)
        features.move_to(f_inner.center)
        f_words = VGroup(self.formula("F", font_size=NAME_SIZE, color=OUTPUT).next_to(features, UP, buff=0.12))
        if count > shown:
            f_words.add(plain("⋮", font_size=NAME_SIZE, color=TEXT).next_to(features, DOWN, buff=0.05))
        f_words.add(self.shape_label("F").next_to(f_words[-1] if count > shown else features, DOWN, buff=0.12))

        row_shown = min(count, FEATURES_SHOWN)
        w_name = self.formula("W_2", font_size=NAME_SIZE, color=KERNEL)
        more = plain("…", font_size=NAME_SIZE, color=TEXT) if count > row_shown else None
        w_inner = w_area.inset(left=W2_NAME_ROOM, right=more.width + 0.1 if more else 0)
        cell = min(0.75, w_inner.width / row_shown)
        weights = NumberGrid(self.trace, FIRST + ("values", "fc_weight"), t.values.decimals["fc_weight"], cell, KERNEL, limit=FEATURES_SHOWN,
                             as_row=True)
        place(weights, w_inner, LEFT)
        w_words = VGroup(w_name.next_to(weights, LEFT, buff=0.15))
        if more:
            w_words.add(more.next_to(weights, RIGHT, buff=0.1))
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
        parameters = self.parameter_count_line()
        lines_down([*lines, parameters], top=VGroup(pooled, p_words, features, f_words, weights, w_words).get_bottom()[1],
                   bottom=rest.bottom)

        self.play(FadeIn(chain), FadeIn(pooled), FadeIn(p_words), run_time=0.9)
        flattened = [piece for grid in maps for piece in pieces(grid)]  # map, row, column: the order of F
        if picture:  # P1's first cells, shaded squares, fly into F's cells as its numbers appear there
            into_f = [travel(flattened[:shown], features.squares), FadeIn(features)]
        else:
            into_f = [TransformFromCopy(VGroup(*flattened[:shown]), features.numbers), FadeIn(features.squares)]
        self.play(*into_f, FadeIn(f_words), chain.term("f").animate.set_color(FOCUS), run_time=1.0)
        self.wait(0.6)
        self.play(FadeIn(weights), FadeIn(w_words), chain.term("f").animate.set_color(TEXT), run_time=0.8)
        for line, term, previous in zip(lines, ("z", "a", "l"), ("f", "z", "a")):
            self.play(FadeIn(line, shift=UP * 0.2), chain.term(previous).animate.set_color(TEXT),
                      chain.term(term).animate.set_color(FOCUS), run_time=0.9)
            self.wait(0.7)
        return parameters

    def count_the_parameters(self, line):
        """The line counting every trainable number, placed by the beat before."""
        self.play(FadeIn(line, shift=UP * 0.2), run_time=0.9)
        self.wait(2.0)

    def parameter_count_line(self):
        """The convolution's F·C·kh·kw + F trainable numbers, the dense layer's, and the total."""
        counts = P + ("parameter_counts",)
        kernel = [Num(P + ("shapes", "W1", i), 0) for i in range(len(self.p.shapes["W1"]))]
        kernel = [part for i, size in enumerate(kernel) for part in (["dot"] if i else []) + [size]]
        # one bias per filter: "+ 1" for one, "+ F" for several
        biases = ["+ 1 ="] if self.p.config.filters == 1 else ["+", Num(P + ("config", "filters"), 0), "="]
        return self.formula(
            "\"trainable:\" quad W_1, b_1:", *kernel, *biases, Num(counts + ("conv",), 0, color=KERNEL),
            ", quad W_2, b_2:", Num(P + ("shapes", "W2", 0), 0),
            "dot", Num(P + ("shapes", "W2", 1), 0), "+ 1 =", Num(counts + ("dense",), 0, color=KERNEL),
            ", quad \"total\"", Num(counts + ("total",), 0, color=FOCUS), font_size=LINE_SIZE)

