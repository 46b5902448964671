"""The whole CNN on a mini-batch: one column of F per image, and every gradient the average of
the images' own."""

from manim import DOWN, LEFT, RIGHT, UP, Create, LaggedStart, Line, SurroundingRectangle, VGroup

from convprop.scenes.kit.fades import FadeIn
from convprop.scenes.kit.formula import Num, d, plain
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, lines_down, place, shrink_to_width
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, MUTED, OUTPUT, TEXT
from convprop.scenes.stories.cnn_pipeline_base import (
    BATCH_ROWS_SHOWN, DENSE_GRADIENT_SHOWN, LINE_SIZE, NAME_SIZE, P, SHAPE_SIZE, PipelineStory,
    gradient_decimals, widest,
)


# Under the title: the top of the batch's F, and the centre of the row of kernel gradients.
BATCH_TABLE_DROP = 0.65
AVERAGE_ROW_DROP = 2.15
# An image too large to number stands as a picture over its column, at most IMAGE_SIDE tall and
# IMAGE_FILL of the column wide; the rows under it are lower so the table keeps its room.
IMAGE_SIDE, IMAGE_FILL, IMAGE_GAP = 1.0, 0.85, 0.2
MEAN_GAP = 0.15  # at least, between the table's last row and the mean loss under it


class OnAMiniBatch(PipelineStory):
    """The mini-batch beats of the whole-CNN story: every image through the same weights, the gradients averaged."""

    def forward_on_the_batch(self, room: Box):
        """F with a column per image, and under it Z2, A2, y, the errors and the losses as rows of
        M numbers, in ``room``; the mean loss at its bottom."""
        p = self.p
        m = p.size
        n = p.features.shape[0]
        shown = min(n, BATCH_ROWS_SHOWN)
        width = min(1.4, 6.0 / m)
        pictured = not p.config.numbered  # each image too large to number: its picture above its column
        side = min(width * IMAGE_FILL, IMAGE_SIDE) if pictured else 0.0
        table_x = room.center[0]  # the centre of the table's columns, until the whole is centred
        top = room.top - BATCH_TABLE_DROP - (side + IMAGE_GAP if pictured else 0.0)
        mean = self.formula("L = 1 / M sum_i L_i =", Num(P + ("loss",), 3, color=FOCUS), ", quad M =",
                            Num(P + ("size",), 0), font_size=LINE_SIZE)
        place(shrink_to_width(mean, MAX_TEXT_WIDTH), room, DOWN)
        specs = [
            (P + ("logits",), 3, OUTPUT, "Z_2 = W_2 F + b_2", "product"),
            (P + ("predictions",), 3, OUTPUT, "A_2 = sigma(Z_2)", "Z2"),
            (P + ("targets",), self.target_decimals, TEXT, "y", "Z2"),
            (P + ("errors",), 3, GRADIENT, "A_2 - y", "Z2"),
            (P + ("losses",), 3, OUTPUT, "L_i = \"BCE\"(A_2, y)", None),
        ]
        # the rows of F and the rows under it share what the pictures and the mean leave
        between = (0.4 if n > shown else 0.0) + 0.3 + len(specs) * 0.08 + MEAN_GAP
        height = min(0.5, (top - mean.get_top()[1] - between) / (shown + len(specs)))

        chars = widest(self.trace, [P + ("logits", (0, c)) for c in range(m)] + [P + ("losses", c) for c in range(m)], 3)
        f = self.table(P + ("features",), 2, width, height, OUTPUT, limit=(shown, m), chars=chars)
        f.move_to([table_x, top - f.height / 2, 0])
        headers = VGroup(*(self.formula(f"\"image\"_{c + 1}", font_size=SHAPE_SIZE, color=MUTED)
                           .next_to(f.square(0, c), UP, buff=0.12) for c in range(m)))
        images = VGroup(*(self.images_over(headers, side) if pictured else []))
        y = f.get_bottom()[1]
        dots = None
        if n > shown:
            dots = plain("⋮", font_size=NAME_SIZE, color=TEXT).move_to([table_x, y - 0.2, 0])
            y -= 0.4
        y -= 0.3
        rows = []
        for path, decimals, color, name, shape_key in specs:
            row = self.table(path, decimals, width, height, color, as_row=True, chars=chars)
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
        table = VGroup(images, headers, f, f_words, *(VGroup(*pair) for pair in rows))
        table.shift(RIGHT * (room.center[0] - table.get_center()[0]))  # names left, shapes right: centred together

        self.play(FadeIn(images), FadeIn(headers), FadeIn(f), FadeIn(f_words), run_time=1.0)
        self.wait(0.8)
        z_row, z_words = rows[0]
        self.play(FadeIn(z_row), FadeIn(z_words), run_time=0.9)
        self.play(FadeIn(VGroup(*rows[1])), run_time=0.8)
        self.play(FadeIn(VGroup(*rows[2])), FadeIn(VGroup(*rows[3])), run_time=0.9)
        self.wait(0.5)
        self.play(FadeIn(VGroup(*rows[4])), FadeIn(mean, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)

    def images_over(self, headers, side: float) -> list:
        """Each image of the batch as a picture ``side`` units tall over its column's header, each
        shaded on its own range (the first the lecture's digit, the others the seed's); a
        layer's image by its first channel."""
        shape = self.first.conv.padded_input.shape
        images = []
        for i, header in enumerate(headers):
            path = P + ("samples", i, "pictures", "input")
            images.append(Picture(self.trace, path, side / max(shape), self.first.values.decimals["input"], INPUT,
                                  bar=False).next_to(header, UP, buff=IMAGE_GAP / 2))
        return images

    def average_the_kernel_gradients(self, room: Box):
        """Each image's kernel gradient, their sum over M equal to the batch's, in a row across
        ``room``; the entries' and the bias's averages written out under it."""
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
        grids = [self.table(P + ("samples", i, "conv_grad", "dL_dkernel"), decimals, width, height, GRADIENT, chars=chars)
                 for i in range(m)]
        average = self.table(P + ("dL_dkernel",), decimals, width, height, GRADIENT, chars=chars)
        for paren in parens:
            paren.stretch_to_fit_height(grids[0].height * 1.05)
        row = [fraction, parens[0]]
        for i, grid in enumerate(grids):
            row += [grid] + ([plus[i]] if i < m - 1 else [])
        row += [parens[1], equals, average]
        VGroup(*row).arrange(RIGHT, buff=0.25).move_to([room.center[0], room.top - AVERAGE_ROW_DROP, 0])
        # a layer's kernel gradient is F x C kernels: the first filter's kernel for the first channel stands for them
        cfg = p.config
        layer = not (cfg.channels == 1 and cfg.filters == 1)
        kernel, bias_name = ("W_1[1, 1]", "b_1[1]") if layer else ("W_1", "b_1")
        names = VGroup(*(self.formula(d(f"L_{i + 1}", kernel), font_size=NAME_SIZE - 2, color=GRADIENT)
                         .next_to(grid, UP, buff=0.15) for i, grid in enumerate(grids)),
                       self.formula(d("L", kernel), font_size=NAME_SIZE - 2, color=GRADIENT).next_to(average, UP, buff=0.15))

        def averaged(name, path_of, average_path, decimals=3):
            parts = [d("L", name), "= ("]
            for i in range(m):
                parts += (["+"] if i else []) + [Num(path_of(i), decimals, paren=i > 0, color=GRADIENT)]
            return self.formula(*parts, ") /", Num(P + ("size",), 0), "=",
                                Num(average_path, decimals, color=FOCUS), font_size=LINE_SIZE - 2)

        entry = averaged("w_1", lambda i: P + ("samples", i, "conv_grad", "dL_dkernel", (0, 0)), P + ("dL_dkernel", (0, 0)))
        bias = averaged(bias_name, lambda i: P + ("samples", i, "conv_grad", "dL_dbias"), P + ("dL_dbias",))
        rule = self.formula("\"one gradient step uses the average:\" quad", d("L", "theta"), "= 1 / M sum_i",
                            d("L_i", "theta"), font_size=LINE_SIZE - 2)
        lines = [entry, bias, rule]
        if layer:  # what the one kernel shown stands for
            lines.insert(2, self.formula("\"and so for each of the\"", Num(P + ("config", "filters"), 0), "dot",
                                         Num(P + ("config", "channels"), 0), "\"kernels and the\"",
                                         Num(P + ("config", "filters"), 0), "\"biases\"", font_size=LINE_SIZE - 2))
        lines_down(lines, top=VGroup(*row).get_bottom()[1], bottom=room.bottom)
        focus = VGroup(*(SurroundingRectangle(g.square(0, 0), color=FOCUS, buff=0) for g in grids + [average]))

        self.play(LaggedStart(*(FadeIn(VGroup(g, n)) for g, n in zip(grids, names)), lag_ratio=0.3),
                  FadeIn(VGroup(*plus)), run_time=1.2)
        self.wait(0.6)
        self.play(FadeIn(VGroup(fraction, *parens, equals)), FadeIn(average), FadeIn(names[-1]), run_time=1.0)
        self.wait(0.6)
        self.play(Create(focus), FadeIn(entry, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)
        self.play(FadeIn(bias, shift=UP * 0.2), run_time=0.9)
        self.wait(0.8)
        self.play(*(FadeIn(line, shift=UP * 0.2) for line in lines[2:]), run_time=0.9)
        self.wait(1.5)

    def average_the_dense_gradients(self, room: Box):
        """Each image's dL/dW2 as a row, their average under a rule, the check of its shape above
        them and the first entry's and the bias's averages under them, spread down ``room``."""
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

        pitch, gap = 0.72, 0.25  # a row and its name; the rule before the average
        y, x = 0.0, 0.0  # the rows are built here, then placed with the lines
        chars = widest(self.trace, [P + ("samples", i, "dL_dfc_weight", c) for i in range(m) for c in range(shown)]
                       + [P + ("dL_dfc_weight", (0, c)) for c in range(shown)], decimals)
        rows, names = [], []
        for i in range(m):
            row = self.table(P + ("samples", i, "dL_dfc_weight"), decimals, width, height, GRADIENT, limit=shown,
                             as_row=True, chars=chars)
            row.move_to([x, y - pitch / 2, 0])
            y -= pitch
            rows.append(row)
            names.append(self.formula(d(f"L_{i + 1}", "W_2"), "=", f"(A_2 - y)_{i + 1} F_{i + 1}^T",
                                      font_size=NAME_SIZE, color=GRADIENT).next_to(row, LEFT, buff=0.3))
        rule = Line(rows[-1].get_corner(DOWN + LEFT) + DOWN * gap / 2, rows[-1].get_corner(DOWN + RIGHT) + DOWN * gap / 2,
                    color=TEXT, stroke_width=2)
        y -= gap
        average = self.table(P + ("dL_dfc_weight",), decimals, width, height, GRADIENT, limit=(1, shown), chars=chars)
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
        block = VGroup(*rows, *names, rule, average, average_name, *more)
        lines_down([shape, block, entry, bias], top=room.top, bottom=room.bottom)
        focus = VGroup(*(SurroundingRectangle(r.square(0, 0), color=FOCUS, buff=0) for r in rows + [average]))

        self.play(FadeIn(shape, shift=UP * 0.2), run_time=0.9)
        self.play(LaggedStart(*(FadeIn(VGroup(r, nm)) for r, nm in zip(rows, names)), lag_ratio=0.3),
                  *(FadeIn(x) for x in more[:-1]), run_time=1.2)
        self.play(Create(rule), FadeIn(average), FadeIn(average_name), *(FadeIn(x) for x in more[-1:]), run_time=1.0)
        self.wait(0.6)
        self.play(Create(focus), FadeIn(entry, shift=UP * 0.2), run_time=1.0)
        self.wait(1.2)
        self.play(FadeIn(bias, shift=UP * 0.2), run_time=0.9)
        self.wait(1.5)

