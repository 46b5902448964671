"""The whole CNN, backward for the first image: the dense layer, the reshape, max pooling and
ReLU, then the kernel and bias gradients."""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, LaggedStart, SurroundingRectangle, TransformFromCopy, VGroup

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, d, plain
from convprop.scenes.kit.layout import FEATURES_SHOWN, Box, lines_down
from convprop.scenes.kit.map_view import is_picture, numberable
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at
from convprop.scenes.kit.panels import LabelledPanel
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, KERNEL, MUTED, OUTPUT, TEXT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.stories.cnn_pipeline_layer import (
    arranged_at_one_cell, arrive, bar_room, boxes_for_words, channel_paths, grid_room, kernel_paths, map_claim, map_paths,
    mark_width, pictured, pieces, room_shape, stack, stacked_cell, stage_view, travel,
)
from convprop.scenes.stories.cnn_pipeline_base import (
    COLUMN_SHOWN, FIRST, LINE_SIZE, NAME_SIZE, P, SHAPE_SIZE, three_decimals_cell, PipelineStory, gradient_decimals,
    widest,
)


# The words above and below the grids of the kernel's screen: the gradient's name, its shape.
KERNEL_WORDS_ROOM = 1.15
# The heights of the rows of grids: of the pooling screen, under its title; of the kernel's, a
# little under it, the grids of X star dL/dZ1 = dL/dW1 being fewer and squarer.
POOLING_ROW_HEIGHT = 4.15
POOLING_WORDS_ROOM = 1.5  # a stage's name above its grids, its shape (and a "⋮") below
KERNEL_ROW_DROP, KERNEL_ROW_HEIGHT = 0.5, 4.15
TERMS_SHOWN = 3  # of a sum over every output cell, written before its "…" and its total
# of the worked entry of dL/dW1: as many terms that are not zero as its line has room for
WORKED_TERMS_SHOWN = 4
WORKED_LINE_ROOM = 0.7  # what the row gives up for the line of a worked entry of dL/dW1


class BackwardThroughTheNetwork(PipelineStory):
    """The backward beats of the whole-CNN story, for the first image."""

    def backward_through_the_dense_layer(self, room: Box):
        """The error A2 - y, the dense gradients as rows under W2 and F, the check of their shape
        and the way on to P1: one under another, spread down ``room``."""
        t = self.first
        error = Num(FIRST + ("dL_dlogit",), 3, color=GRADIENT)
        lines = [
            self.formula(d("L", "Z_2"), "= A_2 - y =", Num(FIRST + ("head", "y_hat"), 3, color=OUTPUT), "-",
                         Num(FIRST + ("target",), self.target_decimals), "=", error, font_size=LINE_SIZE),
            self.formula(d("L", "b_2"), "=", d("L", "Z_2"), "=", Num(FIRST + ("dL_dfc_bias",), 3, color=GRADIENT),
                         font_size=LINE_SIZE),
            self.formula(d("L", "W_2"), "= (A_2 - y) F^T", font_size=LINE_SIZE),
        ]

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
        VGroup(*grids).arrange(DOWN, buff=0.2)
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
        onward = self.formula(d("L", "F"), "= W_2^T (A_2 - y)", ", quad", *self.shape_parts("F", bare=True),
                              "quad \"back to the shape of\" P_1 :", *self.shape_parts("P1", bare=True),
                              font_size=LINE_SIZE)
        lines_down([*lines, VGroup(*grids, *words), check, onward], top=room.top, bottom=room.bottom)

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

    def backward_through_pooling_and_relu(self, room: Box):
        """dL/dF reshaped into dL/dP1, routed to the pool winners of A1, masked by the ReLU into
        dL/dZ1: a column per stage at the top of ``room``, their rules under them."""
        t = self.first
        filters = self.p.config.filters
        count = t.head.features.size
        shown = min(count, COLUMN_SHOWN)

        def maps(stage, claim=None):
            """Each filter's map of ``stage``, with the cells of its own head geometry at ``claim``."""
            return [(path, None if claim is None else map_claim(FIRST, claim, o, filters))
                    for o, path in enumerate(map_paths(FIRST, stage, filters))]

        # each panel: its grids (path, muted cells), name, colour, shape key, one grid's shape
        panels = [
            ([(FIRST + ("dL_dfeatures",), None)], d("L", "F"), GRADIENT, "F", (shown, 1)),
            (maps("dP"), d("L", "P_1"), GRADIENT, "P1", t.head.pooled.shape),
            (maps("dA", "pool_loser_cells"), d("L", "A_1"), GRADIENT, "Z1", t.conv.z.shape),
            (maps("Z"), "Z_1 > 0 ?", OUTPUT, "Z1", t.conv.z.shape),
            (maps("dZ", "blocked_cells"), d("L", "Z_1"), GRADIENT, "Z1", t.conv.z.shape),
        ]
        area = Box(room.left, room.right, room.top - POOLING_ROW_HEIGHT, room.top)
        shape_words = [self.shape_label(shape_key) for _, _, _, shape_key, _ in panels]
        widths = [words.width for words in shape_words]
        if self.layered:  # the maps of every stage stand alike, so each filter's maps line up
            cols, boxes = arranged_at_one_cell(
                area, [(room_shape(shape), len(grids), 1 if shape_key == "F" else None, shape_key == "F")
                       for grids, _, _, shape_key, shape in panels], widths, room=POOLING_WORDS_ROOM)
        else:
            cols = [1] * len(panels)
            boxes = boxes_for_words(area, [room_shape(shape) for *_, shape in panels], widths, least=2)
        drawn = []
        for (grids, name, color, shape_key, shape), box, shape_line, n in zip(panels, boxes, shape_words, cols):
            more = shape_key == "F" and count > shown  # a "⋮" under the column
            inner = box.inset(bottom=0.45 + (0.3 if more else 0), top=0.75)
            large = not numberable(shape)
            bars = bar_room(self.trace, FIRST, [path for path, _ in grids], 2 if color == OUTPUT else 3) if large else 0.0
            cell = stacked_cell(grid_room(inner, bars, n), shape, -(-len(grids) // n), n, max_cell=0.75)
            decimals = 2 if color == OUTPUT else gradient_decimals(cell, large)
            if shape_key == "F":  # a column: cells as wide as the panel lets them be
                width = min(1.3, inner.width)
                made = [self.table(grids[0][0], gradient_decimals(width), width, min(0.6, inner.height / shown),
                                   color, limit=shown)]
            else:
                picture = pictured(self.trace, [path for path, _ in grids], decimals, cell)
                made = [stage_view(self.trace, FIRST, path, decimals, cell, color, picture=picture, muted=muted)
                        for path, muted in grids]
            below = [plain("⋮", font_size=NAME_SIZE, color=TEXT)] if more else []
            panel = LabelledPanel(stack(made, cols=n).move_to(inner.center),
                                  self.formula(name, font_size=NAME_SIZE, color=color), *below, shape_line,
                                  width=box.width)
            drawn.append((made, panel.words))
        ([df], df_words), (dp, dp_words), (da, da_words), (z, z_words), (dz, dz_words) = drawn

        reshape = self.formula(d("L", "P_1"), "= \"reshape\"(", d("L", "F"), ") :", *self.shape_parts("F", bare=True), "->",
                               *self.shape_parts("P1", bare=True), font_size=LINE_SIZE - 2)
        routing = self.formula(d("L", "A_1"), ": \"each gradient goes to the cell that won its window's max, zero elsewhere\"",
                               font_size=LINE_SIZE - 2)
        relu = self.formula(d("L", "Z_1"), "=", d("L", "A_1"), "dot.o [Z_1 > 0]", font_size=LINE_SIZE - 2)
        lines_down([reshape, routing, relu], top=area.bottom)

        reshaped = [piece for grid in dp for piece in pieces(grid)]  # map, row, column: the order of F
        if any(is_picture(grid) for grid in dp):  # dL/dF's numbers fly to their shaded cells as the maps appear
            into_p = [travel(df.numbers, reshaped[:shown]), *map(FadeIn, dp)]
        else:
            into_p = [TransformFromCopy(df.numbers, VGroup(*reshaped[:shown])), *(FadeIn(g.squares) for g in dp),
                      FadeIn(VGroup(*reshaped[shown:]))]
        self.play(FadeIn(df), FadeIn(df_words), run_time=0.8)
        self.play(*into_p, FadeIn(dp_words), FadeIn(reshape, shift=UP * 0.2), run_time=1.0)
        self.wait(0.8)
        routed, outlines = [], []
        for o, (dpo, dao) in enumerate(zip(dp, da)):
            # each gradient to the cell that won its window: a number, or a shaded square, flies there
            winners = cells_at(self.trace, map_claim(FIRST, "pool_winners", o, filters))
            routed += arrive(dpo, dao, into=winners)
            outlines.append(CellMarks(dao, self.trace, map_claim(FIRST, "pool_winners", o, filters), stroke=FOCUS,
                                      stroke_width=mark_width(dao, 4)))
        self.play(*routed, FadeIn(da_words), *map(Create, outlines), FadeIn(routing, shift=UP * 0.2), run_time=1.2)
        self.wait(1.2)
        shades = [CellMarks(zo, self.trace, map_claim(FIRST, "relu_off_cells", o, filters), fill=MUTED,
                            fill_opacity=0.45, stroke_width=0) for o, zo in enumerate(z)]
        self.play(*map(FadeIn, z), FadeIn(z_words), *map(FadeIn, shades), run_time=0.8)
        self.play(*(step for dao, dzo in zip(da, dz) for step in arrive(dao, dzo)), FadeIn(dz_words), FadeIn(relu, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)

    def backward_to_the_kernel(self, room: Box):
        """X correlated with dL/dZ1 gives dL/dW1, in a row at the top of ``room``; the correlation
        and the bias gradient under it. Where a stage is a picture (too large to number, or its
        digits too small to read), one entry of dL/dW1 is worked out in a line under the row."""
        t, cfg = self.first, self.p.config
        filters, channels = cfg.filters, cfg.channels
        star = self.formula("star", font_size=40)
        equals = self.formula("=", font_size=40)
        # each panel: its grids' paths (the kernels' gradients filter by filter), name, colour, shape key,
        # the muted cells of grid i, the grids a row it keeps (the kernels': a row per filter)
        gradients = [path for row in kernel_paths(FIRST, filters, channels, gradient=True) for path in row]
        specs = [(channel_paths(FIRST, channels), "X", INPUT, "X", lambda i: FIRST + ("geometry", "padding_mask"), None),
                 (map_paths(FIRST, "dZ", filters), d("L", "Z_1"), GRADIENT, "Z1",
                  lambda i: map_claim(FIRST, "blocked_cells", i, filters), None),
                 (gradients, d("L", "W_1"), GRADIENT, "W1", lambda i: None, channels if channels > 1 else None)]
        shape_words = [self.shape_label(shape_key) for _, _, _, shape_key, _, _ in specs]
        widths = [w.width for w in shape_words]
        grid_shapes = [np.shape(lookup(self.trace, paths[0])) for paths, *_ in specs]
        gap = star.width + 0.6

        def laid_out(worked: bool):
            """Each panel's box, grids a row, cell, decimals and whether it is a picture, in the row
            the worked line (``worked``) leaves."""
            height = KERNEL_ROW_HEIGHT - (WORKED_LINE_ROOM if worked else 0.0)
            area = Box(room.left, room.right, room.top - KERNEL_ROW_DROP - height, room.top - KERNEL_ROW_DROP)
            if self.layered:
                cols, boxes = arranged_at_one_cell(
                    area, [(room_shape(shape), len(paths), keep, i) for i, ((paths, *_, keep), shape)
                           in enumerate(zip(specs, grid_shapes))],
                    widths, room=KERNEL_WORDS_ROOM, gap=gap, max_cell=three_decimals_cell())
            else:
                cols = [1] * len(specs)
                boxes = boxes_for_words(area, [room_shape(shape) for shape in grid_shapes], widths, gap=gap, least=5)
            panels = []
            for (paths, _, color, _, _, _), box, shape, n in zip(specs, boxes, grid_shapes, cols):
                inner = box.inset(bottom=0.45, top=0.7)
                bars = bar_room(self.trace, FIRST, paths, t.values.decimals["input"] if color == INPUT else 3)
                cell = stacked_cell(grid_room(inner, bars, n), shape, -(-len(paths) // n), n,
                                    max_cell=three_decimals_cell())
                decimals = t.values.decimals["input"] if color == INPUT else gradient_decimals(cell, not numberable(shape))
                panels.append((box, inner, n, cell, decimals, pictured(self.trace, paths, decimals, cell)))
            return panels

        # a picture's sums are not read off it: one entry of dL/dW1 is worked under the row, which
        # leaves the row less room (and so can only make more of it pictures)
        panels = laid_out(worked=False)
        worked = any(picture for *_, picture in panels)
        if worked:
            panels = laid_out(worked=True)
        drawn = []
        for (paths, name, color, shape_key, muted, _), (box, inner, n, cell, decimals, picture), shape_line in zip(
                specs, panels, shape_words):
            grids = [stage_view(self.trace, FIRST, path, decimals, cell, color, picture=picture,
                                muted=muted(i // (channels if shape_key == "W1" else 1)))
                     for i, path in enumerate(paths)]
            below = [shape_line]
            if shape_key == "W1":
                below.append(self.formula("\"the shape of\" W_1 quad checkmark", font_size=SHAPE_SIZE, color=MUTED))
            panel = LabelledPanel(stack(grids, cols=n).move_to(inner.center),
                                  self.formula(name, font_size=NAME_SIZE, color=color), *below, width=box.width)
            drawn.append((panel.grid, panel.words, grids))
        boxes = [box for box, *_ in panels]
        middle = drawn[0][0].get_center()[1]
        star.move_to([(boxes[0].right + boxes[1].left) / 2, middle, 0])
        equals.move_to([(boxes[1].right + boxes[2].left) / 2, middle, 0])
        (x, x_words, x_grids), (dz, dz_words, _), (dw, dw_words, dw_grids) = drawn

        lines = [self.correlation_line(), *([self.worked_weight_line()] if worked else []), self.bias_gradient_line()]
        lines_down(lines, top=VGroup(*(VGroup(*pair[:2]) for pair in drawn)).get_bottom()[1])
        correlation, bias = lines[0], lines[-1]

        self.play(FadeIn(x), FadeIn(x_words), FadeIn(dz), FadeIn(dz_words), FadeIn(star), run_time=1.0)
        self.wait(0.5)
        self.play(FadeIn(equals), FadeIn(dw), FadeIn(dw_words), FadeIn(correlation, shift=UP * 0.2), run_time=1.2)
        self.wait(1.5)
        if worked:
            self.work_one_weight(x_grids[0], dw_grids[0], lines[1])
        self.play(FadeIn(bias, shift=UP * 0.2), Create(SurroundingRectangle(dz, color=FOCUS, buff=0.05)), run_time=1.0)
        self.wait(1.5)

    def worked_weight(self) -> tuple:
        """The path of the entry of dL/dW1 worked out in a line: of the first filter's kernel for
        the first channel, the weight the trace explains (``explained_weights``: the first with the
        most non-zero terms, ties to the lowest index), never simply the first, whose terms over a
        padded input all read the padding."""
        return FIRST + ("conv_grad", "weight_gradients", self.first.explained_weights[0][0])

    def work_one_weight(self, x, dw, line):
        """The worked entry of dL/dW1 (``worked_weight``) as its sum: the cells of X it multiplies
        shaded on the picture, the entry outlined (close up when its digits are small), and its
        terms, "…" and total in ``line``, which names the weight and why it is the one."""
        g = lookup(self.trace, self.worked_weight())
        cells = FIRST + ("geometry", "weight_cells", g.position)
        shaded = CellMarks(x, self.trace, cells, fill=FOCUS, fill_opacity=0.3, stroke_width=0)
        entry = Outline(dw, self.trace, FIRST + ("geometry", "kernel_cells", g.position), color=FOCUS, stroke_width=4)
        self.play(FadeIn(shaded), Create(entry), FadeIn(line, shift=UP * 0.2), run_time=1.0)
        if is_picture(dw):  # its total is written, legible, at the end of the line
            self.wait(1.5)
            self.play(FadeOut(shaded), FadeOut(entry), run_time=0.8)
            return
        with self.closely(dw, digits=[dw.label(*g.position)], closing=[FadeOut(shaded), FadeOut(entry)]):
            self.wait(1.5)

    def worked_weight_line(self):
        """dL/dw_i = sum_k dL/dz_k x_k written as some of its terms, "…" and its total, with a
        muted line under it naming the weight and why it is the one: one of the sums over every
        output cell the correlation stands for. The terms written are those the rule counts, the
        ones that are not zero, in order (``shown_terms``); the "…" stands for the rest."""
        base = self.worked_weight()
        g = lookup(self.trace, base)
        name = f"w_{g.number}"
        parts = [d("L", name), "= sum_k", d("L", "z_k"), "x_k ="]
        shown = shown_terms(g)
        for n, k in enumerate(shown):
            parts += (["+"] if n else []) + [Num(base + ("terms", k, "dL_dz"), 3, paren=n > 0, color=GRADIENT), "dot",
                                             Num(base + ("terms", k, "dz_dw"), self.first.values.decimals["input"],
                                                 paren=True, color=INPUT)]
        rest = ["+ …"] if len(shown) < len(g.terms) else []
        line = self.formula(*parts, *rest, "=", Num(base + ("total",), 3, color=FOCUS), font_size=LINE_SIZE - 2)
        # the kernel's filter and channel read from the trace (a number between square brackets
        # is written with Typst's bracket symbols: "[" would open a content block)
        whose = ([name, '"of" W_1 bracket.l', Num(base + ("filter_number",), 0), ",",
                  Num(base + ("channel_number",), 0), "bracket.r"] if self.layered else [name])
        counted, more = g.nonzero_terms, len(shown) < len(g.terms)
        if counted == 0:  # every weight's terms are zero: the rule falls to the first
            why = ['": no weight has a term that is not zero' + ('; its first terms written"' if more else '"')]
        else:
            written = ", all written; the rest are zero" if counted <= len(shown) else ", the first of them written"
            why = ['": the first weight with the most terms that are not zero,"', Num(base + ("nonzero_terms",), 0),
                   '"of them' + (written if more else "") + '"']
        note = self.formula(*whose, *why, font_size=SHAPE_SIZE, color=MUTED)
        return VGroup(line, note).arrange(DOWN, buff=0.15)

    def correlation_line(self):
        """dL/dW1 as the correlation of X with dL/dZ1: per filter o and channel c for a layer, the
        taps d apart when the kernel is dilated."""
        cfg = self.p.config
        stride, dilation = P + ("config", "stride"), P + ("config", "dilation")
        layer = not (cfg.channels == 1 and cfg.filters == 1)
        weight, image, error = ("W_1[o, c]", "X_(c)", "Z_1[o]") if layer else ("W_1", "X", "Z_1")
        if tuple(cfg.dilation) == (1, 1):
            taps, sizes = "[s_r i + a, thin s_c j + b]", ["(s_r, s_c) = (", Num(stride + (0,), 0), ",",
                                                           Num(stride + (1,), 0), ")"]
        else:
            taps = "[s_r i + d_r a, thin s_c j + d_c b]"
            sizes = ["(s_r, s_c) = (", Num(stride + (0,), 0), ",", Num(stride + (1,), 0), "), quad (d_r, d_c) = (",
                     Num(dilation + (0,), 0), ",", Num(dilation + (1,), 0), ")"]
        return self.formula("(partial L) / (partial " + weight + ")", "[a, b] = sum_(i, j)", image + taps,
                            d("L", error), "[i, j], quad", *sizes, font_size=LINE_SIZE - 2)

    def bias_gradient_line(self):
        """dL/db1 = the sum of dL/dZ1: one number, or one per filter's map."""
        filters = self.p.config.filters
        if filters == 1 and not self.p.config.numbered:  # hundreds of terms: the first, "…" and the total
            terms = []
            for c in range(min(TERMS_SHOWN, self.first.conv_grad.dL_dz.shape[1])):
                terms += (["+"] if c else []) + [Num(FIRST + ("conv_grad", "dL_dz", (0, c)), 3, paren=c > 0,
                                                     color=GRADIENT)]
            return self.formula(d("L", "b_1"), "= sum_(i, j)", d("L", "Z_1"), "[i, j] =", *terms, "+ … =",
                                Num(FIRST + ("conv_grad", "dL_dbias"), 3, color=FOCUS, label="b"),
                                ", quad", *self.shape_parts("Z1", bare=True), "\"terms\"", font_size=LINE_SIZE - 2)
        if filters == 1:
            return self.formula(d("L", "b_1"), "= sum_(i, j)", d("L", "Z_1"), "[i, j] =",
                                Num(FIRST + ("conv_grad", "dL_dbias"), 3, color=GRADIENT, label="b"),
                                font_size=LINE_SIZE - 2)
        values = []
        for o in range(filters):
            values += ([","] if o else []) + [Num(FIRST + ("conv_grad", "dL_db", o), 3, color=GRADIENT)]
        return self.formula(d("L", "b_1[o]"), "= sum_(i, j)", d("L", "Z_1[o]"), "[i, j] = (", *values, ")",
                            font_size=LINE_SIZE - 2)


def shown_terms(g) -> list[int]:
    """Which terms (their k) of a weight's sum its line writes: every one when they are few;
    else those that are not zero, the ones the rule of ``mathcore.explained_weight`` counts, in
    order, the first WORKED_TERMS_SHOWN of them, the "…" after them standing for the rest (all
    zero when every counted term is written). A term is zero when its dL/dz_k or its input value
    is (``WeightGradient.nonzero_term_indices``); a weight with none that is not zero writes its first."""
    if len(g.terms) <= WORKED_TERMS_SHOWN:
        return list(range(len(g.terms)))
    return list(g.nonzero_term_indices[:WORKED_TERMS_SHOWN]) or list(range(TERMS_SHOWN))
