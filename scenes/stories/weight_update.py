"""One gradient step: W* = W - alpha dL/dW, entry by entry, then the loss again with the new weights.

The kernel W, its gradient dL/dW and the new kernel W* stand side by side as the equation they
are. The first weights are worked out in full, their three cells outlined, and each result flies
into W*; the others fill in row by row. The bias, then the dense layer, take the same step. Last,
the prediction and the loss are computed again (by mathcore, with the new weights), and the
words say whether the loss went down or, for a too-large learning rate, up.
"""

import numpy as np
from manim import (
    DOWN, RIGHT, UP, Create, FadeIn, FadeOut, LaggedStart, Line, Rectangle, SurroundingRectangle, TransformFromCopy,
    VGroup,
)

from convprop.mathcore import verdicts
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, fit_cell, shrink_to_width
from convprop.scenes.kit.numbers import NumberLabel, exact_decimals
from convprop.scenes.kit.rule import coloured_rule
from convprop.scenes.kit.style import BODY_SIZE, FOCUS, GRADIENT, KERNEL, LABEL_SIZE, MUTED, OUTPUT, TEXT, UPDATE
from convprop.scenes.kit.verdict import Verdict
from convprop.scenes.story import Story, StoryScene

# Regions of the 14.2 x 8 frame, as (left, right, bottom, top).
RULE_Y = 2.6
GRID_ROW = Box(-6.9, 6.9, -2.65, 1.75)  # W  - alpha .  dL/dW  =  W*, with their names above
STEP_Y = -3.3  # the worked formula of one weight, then of the bias
GRID_MAX_CELL = 1.2  # three decimals need more room than the usual 0.85 to be read at 480p
SIGN_GAP = 0.25
WEIGHTS_IN_FULL = 2  # the first weights are worked out in full, the rest fill in row by row

# The loss, before and after: formulas on the left, two bars on the right.
LOSS_LINES_X = -1.6
LOSS_LINE_YS = (1.9, 0.7, -0.5)
BARS_BOX = Box(3.6, 6.6, -2.2, 1.6)
VERDICT_Y = -3.2


LOSS_DECIMALS = 3  # the losses are shown, and compared, at this many places
LOSS_VERDICT = Verdict({
    verdicts.DOWN: ("With the new weights the loss went down: the prediction moved towards the target.",
           "the loss went down: the prediction moved towards the target"),
    verdicts.SAME: ("With the new weights the loss is the same at the precision shown: the step was very small.",
           "the loss did not change at this precision: the step was tiny"),
    verdicts.UP: ("With the new weights the loss went up: the learning rate was too large and the step overshot.",
         "the loss went up: the learning rate is too large, the step overshot"),
})


def sub(i: int) -> str:
    """A Typst subscript for the 1-based index ``i``: w_1, w_(12)."""
    return f"_{i}" if i < 10 else f"_({i})"


class WeightUpdateStory(Story):
    name = "weight-update"
    summary = "One SGD step W* = W - alpha dL/dW entry by entry, b*, the dense layer, then the loss again: down, or up if alpha is too large"

    def tell(self):
        t = self.trace
        with self.beat("One step of gradient descent moves every weight a little against its gradient."):
            self.show_title("One gradient step: the new weights")
        with self.beat("The new weight is the old weight minus the learning rate alpha times the gradient."):
            self.show_rule()
        with self.beat("The kernel, its gradient and the new kernel, side by side as the equation they are."):
            grids = self.show_grids()
        kh, kw = t.conv.kernel.shape
        full = min(WEIGHTS_IN_FULL, kh * kw)
        for k in range(full):
            with self.beat(f"Weight w_{k + 1}: subtract alpha times its gradient, and the result is w*_{k + 1}."):
                self.update_weight(grids, k)
        if kh * kw > full:
            with self.beat("The other weights the same way, each by its own gradient."):
                self.update_the_rest(grids, full)
        with self.beat("The bias takes the same step with its own gradient."):
            self.update_bias()
        self.clear()
        with self.beat("The dense layer's weights and bias take the same step."):
            self.show_title("The dense layer takes the same step")
            self.update_dense_layer()
        self.clear()
        with self.beat(LOSS_VERDICT.caption(self.outcome())):
            self.show_title("The loss with the new weights")
            self.compare_losses()
        self.wait(1.5)

    # -- beats ---------------------------------------------------------------------------------

    def show_rule(self):
        rule = self.formula(
            "{{ W^* : new }} = {{ W : old }} - alpha {{ (partial L) / (partial W) : grad }}, quad alpha =",
            self.rate(), font_size=32)
        coloured_rule(rule).move_to([0, RULE_Y, 0])
        self.play(FadeIn(rule, shift=DOWN * 0.2), run_time=1.0)
        self.wait(1.0)

    def show_grids(self):
        """W - alpha dL/dW = W*, W* still blank; returns the three grids."""
        t = self.trace
        shape = t.conv.kernel.shape
        minus = self.formula("- alpha dot", font_size=36)
        equals = self.formula("=", font_size=36)
        label_room = 0.45  # the names above the grids
        free = GRID_ROW.width - minus.width - equals.width - 4 * SIGN_GAP
        box = Box(0, free / 3, GRID_ROW.bottom, GRID_ROW.top - label_room)
        cell = fit_cell(box, shape, GRID_MAX_CELL)
        w_grid = NumberGrid(t, ("values", "kernel"), t.values.decimals["kernel"], cell, KERNEL)
        g_grid = NumberGrid(t, ("conv_grad", "dL_dkernel"), 3, cell, GRADIENT)
        new_grid = NumberGrid(t, ("kernel_updated",), 3, cell, UPDATE, blank=True)
        row = VGroup(w_grid, minus, g_grid, equals, new_grid).arrange(RIGHT, buff=SIGN_GAP)
        row.move_to([GRID_ROW.center[0], (box.bottom + box.top) / 2, 0])
        names = VGroup(
            plain("W", font_size=LABEL_SIZE, color=KERNEL).next_to(w_grid, UP, buff=0.12),
            plain("dL/dW", font_size=LABEL_SIZE, color=GRADIENT).next_to(g_grid, UP, buff=0.12),
            plain("W\\*", font_size=LABEL_SIZE, color=UPDATE).next_to(new_grid, UP, buff=0.12),
        )
        self.play(FadeIn(w_grid), FadeIn(g_grid), Create(new_grid.squares), FadeIn(minus),
                  FadeIn(equals), FadeIn(names), run_time=1.2)
        self.wait(0.8)
        return w_grid, g_grid, new_grid

    def update_weight(self, grids, k):
        t = self.trace
        kw = t.conv.kernel.shape[1]
        rc = divmod(k, kw)
        i = sub(k + 1)
        line = self.formula(
            f"{{{{ w^*{i} : new }}}} = {{{{ w{i} : old }}}} - alpha dot {{{{ (partial L) / (partial w{i}) : grad }}}} =",
            Num(("values", "kernel", rc), t.values.decimals["kernel"], color=KERNEL), "-", self.rate(), "dot",
            Num(("conv_grad", "dL_dkernel", rc), 3, paren=True, color=GRADIENT), "=",
            Num(("kernel_updated", rc), 3, color=UPDATE, label="result"), font_size=30)
        coloured_rule(line)
        shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, STEP_Y, 0])
        focus = VGroup(*(grid.square(*rc).copy().set_stroke(FOCUS, 5)
                         for grid in grids))
        self.play(Create(focus), run_time=0.6)
        self.play(FadeIn(line, shift=UP * 0.2), run_time=1.0)
        self.wait(1.2 if k == 0 else 0.6)
        [target] = grids[2].fill(t, [rc])
        self.play(TransformFromCopy(line.term("result"), target), run_time=0.8)
        self.wait(0.5)
        self.play(FadeOut(line), FadeOut(focus), run_time=0.4)

    def update_the_rest(self, grids, done: int):
        """One movement per kernel row: its three rows outlined, its new weights appearing."""
        t = self.trace
        kh, kw = t.conv.kernel.shape
        outline = None
        for r in range(kh):
            cols = [c for c in range(kw) if r * kw + c >= done]
            if not cols:
                continue
            cells = grids[2].fill(t, [(r, c) for c in cols])
            rows = VGroup(*(SurroundingRectangle(grid.region((r, 0), (1, kw)), color=FOCUS, buff=0, stroke_width=5)
                            for grid in grids))
            appear = LaggedStart(*(FadeIn(cell, shift=RIGHT * 0.1) for cell in cells), lag_ratio=0.3)
            if outline is None:
                self.play(Create(rows), appear, run_time=min(0.3 * len(cols) + 0.4, 1.2))
                outline = rows
            else:
                self.play(outline.animate.become(rows), appear, run_time=min(0.3 * len(cols) + 0.4, 1.2))
        self.wait(0.6)
        if outline is not None:
            self.play(FadeOut(outline), run_time=0.4)

    def update_bias(self):
        line = self.formula(
            "{{ b^* : new }} = {{ b : old }} - alpha dot {{ (partial L) / (partial b) : grad }} =",
            Num(("conv", "bias"), self.trace.values.decimals["bias"], color=KERNEL), "-", self.rate(), "dot",
            Num(("conv_grad", "dL_dbias"), 3, paren=True, color=GRADIENT), "=",
            Num(("bias_updated",), 3, color=UPDATE), font_size=30)
        coloured_rule(line)
        shrink_to_width(line, MAX_TEXT_WIDTH).move_to([0, STEP_Y, 0])
        self.play(FadeIn(line, shift=UP * 0.2), run_time=1.0)
        self.wait(2.0)

    def update_dense_layer(self):
        every = self.formula(
            "\"every dense weight:\" quad {{ w^*_j : new }} = {{ w_j : old }} - alpha {{ (partial L) / (partial w_j) : grad }}",
            font_size=32)
        coloured_rule(every)
        bias = self.formula(
            "{{ b^*_(f c) : new }} = {{ b_(f c) : old }} - alpha dot {{ (partial L) / (partial b_(f c)) : grad }} =",
            Num(("values", "fc_bias"), self.trace.values.decimals["fc_bias"], color=KERNEL), "-", self.rate(), "dot",
            Num(("dL_dfc_bias",), 3, paren=True, color=GRADIENT), "=",
            Num(("fc_bias_updated",), 3, color=UPDATE), font_size=30)
        coloured_rule(bias)
        lines = VGroup(shrink_to_width(every, MAX_TEXT_WIDTH), shrink_to_width(bias, MAX_TEXT_WIDTH))
        lines.arrange(DOWN, buff=0.8).move_to([0, 0.3, 0])
        self.play(FadeIn(every, shift=UP * 0.2), run_time=1.0)
        self.wait(1.2)
        self.play(FadeIn(bias, shift=UP * 0.2), run_time=1.0)
        self.wait(2.0)

    def compare_losses(self):
        t = self.trace
        names = ("W^*", "b^*", "w^*", "b^*_(f c)")
        forward = self.formula("\"forward again with\" quad " + ", ".join(
            f"{{{{ {name} : new{chr(97 + i)} }}}}" for i, name in enumerate(names)), font_size=BODY_SIZE)
        for i in range(len(names)):
            forward.term(f"new{chr(97 + i)}").set_color(UPDATE)
        y_hat = self.formula("hat(y) =", Num(("head", "y_hat"), 3, color=OUTPUT), "quad -> quad hat(y)^* =",
                             Num(("head_updated", "y_hat"), 3, color=OUTPUT), ", quad y =",
                             Num(("target",), exact_decimals(t.target)), font_size=32)
        loss = self.formula("L =", Num(("head", "loss"), LOSS_DECIMALS, color=OUTPUT), "quad -> quad L^* =",
                            Num(("head_updated", "loss"), LOSS_DECIMALS, color=OUTPUT, label="after"), font_size=36)
        lines = (forward, y_hat, loss)
        left_room = 2 * (BARS_BOX.left - 0.3 - LOSS_LINES_X)  # centred on LOSS_LINES_X, clear of the bars
        for line, y in zip(lines, LOSS_LINE_YS):
            shrink_to_width(line, left_room)
            line.move_to([LOSS_LINES_X, y, 0])
        self.play(FadeIn(forward, shift=UP * 0.2), run_time=0.8)
        self.play(FadeIn(y_hat, shift=UP * 0.2), run_time=1.0)
        self.wait(0.8)
        self.play(FadeIn(loss, shift=UP * 0.2), run_time=1.0)
        self.wait(0.6)

        bars = self._loss_bars()
        self.play(FadeIn(bars[0]), run_time=0.6)
        self.play(TransformFromCopy(bars[0][0], bars[1][0]), FadeIn(bars[1][1:]), run_time=1.2)

        verdict = LOSS_VERDICT.line(self.outcome(), BODY_SIZE).move_to([0, VERDICT_Y, 0])
        focus = SurroundingRectangle(loss.term("after"), color=FOCUS, buff=0.06)
        self.play(Create(focus), FadeIn(verdict, shift=UP * 0.2), run_time=1.0)
        self.wait(2.5)

    def rate(self) -> Num:
        """alpha, written as given."""
        return Num(("learning_rate",), exact_decimals(self.trace.learning_rate))

    # -- the verdict: mathcore compares the two losses at the decimals shown ----------------------

    def outcome(self) -> str:
        return verdicts.change(self.trace.loss, self.trace.loss_updated, LOSS_DECIMALS)

    # -- helpers ---------------------------------------------------------------------------------

    def _loss_bars(self) -> VGroup:
        """Two bars, before and after, as tall as the losses (scaled so the taller fills the box)."""
        t = self.trace
        name_room, number_room = 0.45, 0.45
        tallest = BARS_BOX.height - name_room - number_room
        top_loss = max(t.loss, t.loss_updated)
        base = BARS_BOX.bottom + name_room
        width = BARS_BOX.width / 4
        bars = VGroup()
        for i, (path, name, opacity) in enumerate(((("head", "loss"), "before", 0.35), (("head_updated", "loss"), "after", 0.8))):
            value = float(np.clip(t.loss if i == 0 else t.loss_updated, 0, None))
            height = max(tallest * value / top_loss if top_loss > 0 else 0.0, 0.02)
            x = BARS_BOX.left + (2 * i + 1) * width
            bar = Rectangle(width=width, height=height, stroke_color=OUTPUT, stroke_width=2,
                            fill_color=OUTPUT, fill_opacity=opacity)
            bar.move_to([x, base + height / 2, 0])
            number = NumberLabel(value, LOSS_DECIMALS, source=path, font_size=LABEL_SIZE, color=OUTPUT)
            number.next_to(bar, UP, buff=0.12)
            label = plain(name, font_size=LABEL_SIZE, color=MUTED).next_to(bar, DOWN, buff=0.15)
            label.set_y(BARS_BOX.bottom + name_room / 2)
            bars.add(VGroup(bar, number, label))
        axis = Line([BARS_BOX.left + 0.2, base, 0], [BARS_BOX.right - 0.2, base, 0], color=TEXT, stroke_width=2)
        bars[0].add(axis)
        return bars



class WeightUpdateScene(StoryScene):
    story = WeightUpdateStory
