"""One gradient step: W* = W - alpha dL/dW, entry by entry, then the loss again with the new weights.

The kernel W, its gradient dL/dW and the new kernel W* stand side by side as the equation they
are. The first weights are worked out in full, their three cells outlined, and each result flies
into W*; the others fill in row by row. The first worked is the weight the chain rule explains
(``mathcore.explained_weight``), so a padded kernel steps its centre weight first, the one whose
gradient the student has just seen added up. The bias, then the dense layer, take the same step. Last,
the prediction and the loss are computed again (by mathcore, with the new weights), and the
words say whether the loss went down or, for a too-large learning rate, up.

A convolution layer (C input channels, F filters) has F x C kernels W_(o,c) and F biases b_o,
each with its own gradient. One kernel, filter 1's for channel 1, is worked out as above, named
by its filter and channel; then the whole layer stands as a table, one column per filter
(``kit.layer_table``), the worked kernel and bias flown into their places, and the camera comes
to each filter in turn while its other kernels and its bias fill in from the trace. With one
channel and one filter there is nothing else to update, and the scene is the single kernel's.

A worked weight's beat is said in three clauses, one per step (its cell outlined, its formula,
its result flying into W*), each step starting with its words (``narration.clauses``).

Every place comes from the frame and what is measured on it (``kit.layout``); each beat returns
what the next one builds on.
"""

import numpy as np
from manim import DOWN, RIGHT, UP, Create, LaggedStart, Line, Rectangle, SurroundingRectangle, TransformFromCopy, VGroup

from convprop.mathcore import verdicts
from convprop.scenes.kit.choreography import fly, one_by_one
from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.layer_table import LayerTable
from convprop.scenes.kit.layout import (
    MAX_TEXT_WIDTH, STAGE, Box, fit_cell, one_above_another, place, shrink_to_width, side_by_side, split_bottom,
    under,
)
from convprop.scenes.kit.numbers import NumberLabel, exact_decimals
from convprop.scenes.kit.rule import coloured_rule
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.kit.style import (
    BODY_SIZE, FOCUS, GRADIENT, KERNEL, LABEL_SIZE, MUTED, OUTPUT, TEXT, UPDATE,
)
from convprop.scenes.kit.verdict import Verdict
from convprop.scenes.narration import clauses, say, subscript
from convprop.scenes.story import Story, StoryScene

# Sizes of what stands on the screens, from which every place is worked out.
RULE_GAP = 0.45  # between the title and the update rule under it
GRIDS_GAP = 0.5  # between the rule and the names above the grids
STEP_ROOM = 1.05  # the band under the grids for the worked formula of one weight, then of the bias
STEP_CLEARANCE = 0.25  # of which the top is left clear, under the grids
GRID_LABEL_ROOM = 0.45  # the names above the grids
GRID_MAX_CELL = 1.2  # three decimals need more room than the usual 0.85 to be read at 480p
SIGN_GAP = 0.25
WEIGHTS_IN_FULL = 2  # the first weights are worked out in full, the rest fill in row by row
TABLE_GAP = 0.2  # between the rule and the layer's table, which has the whole screen under it
BIAS_ROOM = 0.5  # under each filter's column of the layer: its new bias
# the outline around the filter the camera comes to stands this far outside its column, so the
# table keeps it clear of the stage's edges: a first or last column still has its outline inside
FILTER_OUTLINE_BUFF = 0.08

# The loss, before and after: formulas on the left, two bars on the right, the verdict under both.
VERDICT_ROOM = 1.0
BARS_WIDTH = 3.0
BARS_MARGIN = 0.3  # clear of the stage's right edge, and between the formulas and the bars
LINES_MARGIN = 0.4  # the formulas keep this clear of the stage's left edge
LOSS_LINE_PITCH = 1.2  # from one line of the loss to the next
LOSS_LINES_DROP = 0.6  # room between the title's area and the first line's
BARS_TOP_DROP = 1.5  # the bars start this far under the title's room: beside the second line
BARS_LIFT = 0.5  # and stop this far above the verdict's band


LOSS_DECIMALS = verdicts.LOSS_DECIMALS  # the losses are shown, and compared, at this many places
LOSS_VERDICT = Verdict({
    verdicts.DOWN: ("With the new weights the loss went down: the prediction moved towards the target.",
                    "the loss went down: the prediction moved towards the target"),
    verdicts.SAME: ("With the new weights the loss is the same at the precision shown: the step was very small.",
                    "the loss did not change at this precision: the step was tiny"),
    verdicts.UP: ("With the new weights the loss went up: the learning rate was too large and the step overshot.",
                  "the loss went up: the learning rate is too large, the step overshot"),
})

# Where the trace keeps a layer's kernels and biases, their gradients and their new values:
# per filter o and channel c, W[o, c] and b[o].
W, DL_DW, W_NEW = ("values", "W"), ("conv_grad", "dL_dW"), ("W_updated",)
B, DL_DB, B_NEW = ("values", "b"), ("conv_grad", "dL_db"), ("b_updated",)
WORKED = (0, 0)  # the kernel worked out in full: filter 1's for channel 1


def sub(i: int) -> str:
    """A Typst subscript for the 1-based index ``i``: w_1, w_(12)."""
    return f"_{i}" if i < 10 else f"_({i})"


def kernel_sub(o: int, c: int) -> str:
    """The subscript naming filter o's kernel for channel c, counted from 1: W_(1,2)."""
    return f"_({o + 1},{c + 1})"


class WeightUpdateStory(Story):
    name = "weight-update"
    summary = ("One SGD step W* = W - alpha dL/dW entry by entry, b*, every kernel and bias of a layer, the dense "
               "layer, then the loss again: down, or up if alpha is too large")
    draws_layers = True
    # It writes kernel-sized grids and single numbers, never X nor a map: an input of any size,
    # a 28x28 digit too, leaves every grid it draws as small as the kernel.
    draws_input = False

    def tell(self):
        t = self.trace
        layer = self.is_layer()
        with self.beat("One step of gradient descent moves every weight a little against its gradient.",
                       say("Now we take one step of gradient descent: every weight moves a little way against "
                           "its own gradient, downhill on the loss.")):
            title = self.show_title("One gradient step: the new weights")
        with self.beat("The new weight is the old weight minus the learning rate α times the gradient.",
                       say("The rule is the same for every weight: the new weight is the old weight minus the "
                           "learning rate α times the gradient. Here α is {alpha}.", alpha=self.rate())):
            rule = self.show_rule(title)
        area, step_band = split_bottom(under(rule, STAGE, GRIDS_GAP), STEP_ROOM)
        step_band = step_band.inset(top=STEP_CLEARANCE)
        o, c = WORKED
        with self.beat(f"Filter {o + 1}'s kernel for input channel {c + 1}, its gradient and its new kernel, side by "
                       f"side as the equation they are." if layer else
                       "The kernel, its gradient and the new kernel, side by side as the equation they are.",
                       self.grids_narration()):
            grids, names = self.show_grids(area, step_band)
        worked = self.weights_in_full()
        for k in worked:
            n = t.conv_grad.channel_weight_gradients[o][c][k].number
            w = f"w{subscript(n)}"
            with self.beat(f"Weight {w}: subtract α times its gradient, and the result is w*{subscript(n)}.",
                           self.weight_narration(k)):
                self.update_weight(grids, k, step_band)
        if t.conv.kernel.size > len(worked):
            with self.beat("The other weights the same way, each by its own gradient.",
                           say("The other weights take the same step, each by its own gradient, and the new "
                               "kernel fills in row by row.")):
                self.update_the_rest(grids, worked)
        with self.beat(f"Filter {o + 1}'s bias takes the same step with its own gradient." if layer else
                       "The bias takes the same step with its own gradient.", self.bias_narration()):
            bias = self.update_bias(step_band)
        if layer:
            table_area = under(rule, STAGE, TABLE_GAP).inset(left=FILTER_OUTLINE_BUFF, right=FILTER_OUTLINE_BUFF)
            self.update_layer(table_area, grids, names, bias)
        self.clear()
        with self.beat("The dense layer's weights and bias take the same step.",
                       say("The dense layer learns the same way: each of its weights steps against its own "
                           "gradient, and its bias, {fc_b}, with gradient {dL_dfc_b}, becomes {fc_b_new}.",
                           fc_b=Num(("values", "fc_bias"), t.values.decimals["fc_bias"]),
                           dL_dfc_b=Num(("dL_dfc_bias",), 3), fc_b_new=Num(("fc_bias_updated",), 3))):
            title = self.show_title("The dense layer takes the same step")
            self.update_dense_layer(title)
        self.clear()
        with self.beat(LOSS_VERDICT.caption(self.outcome()), self.loss_narration()):
            title = self.show_title("The loss with the new weights")
            self.compare_losses(title)
        self.wait(1.5)

    def update_layer(self, area: Box, grids, worked, bias_line):
        """Every other kernel and bias of the layer, in a table in ``area`` that the worked ones
        (``grids``, their signs and names ``worked``, ``bias_line``) make way for, filter by filter."""
        t = self.trace
        with self.beat("Every kernel of the layer, one per filter and input channel, and every filter's bias.",
                       say("The layer has a kernel for every filter and input channel, and a bias for every "
                           "filter. Each of them takes the same step.")):
            table, feet = self.show_layer(area, grids, worked, bias_line)
        for o in range(t.config.filters):
            if o == WORKED[0] and t.config.channels == 1:
                continue  # its one kernel and its bias are the worked ones, in their places already
            with self.beat(f"Filter {o + 1}: its kernel for each input channel and its bias, each stepped by its "
                           f"own gradient.",
                           say("Filter {filter}: its kernel for each input channel steps by its own gradient, and "
                               "its bias becomes {b_new}.", filter=Num(self.filter_number(o), 0),
                               b_new=Num(B_NEW + (o,), 3))):
                self.update_filter(table, feet, o)
        self.wait(1.5)

    def weights_in_full(self) -> list[int]:
        """The weights worked out in full (row-major, from 0): the one the chain rule explains
        (the trace's ``explained_weights``, the first with the most non-zero terms), then the next
        ones in row-major order, round to the first, WEIGHTS_IN_FULL in all."""
        count = self.trace.conv.kernel.size
        first = self.trace.explained_weights[WORKED[0]][WORKED[1]]
        return [(first + step) % count for step in range(min(WEIGHTS_IN_FULL, count))]

    def is_layer(self) -> bool:
        """Whether there is more than one kernel to update: several channels or filters."""
        return self.trace.config.channels * self.trace.config.filters > 1

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ------

    def filter_number(self, o: int) -> tuple:
        """Where the trace numbers filter o (from 1) for the words."""
        return ("conv_grad", "channel_weight_gradients", o, 0, 0, "filter_number")

    def grids_narration(self):
        if not self.is_layer():
            return say("Here are the kernel W, its gradient ∂L/∂W, and the new kernel W*, still empty, side by "
                       "side as the equation they are.")
        gradient = ("conv_grad", "channel_weight_gradients", *WORKED, 0)
        return say("We work out one kernel in full: filter {filter}'s kernel for input channel {channel}, its "
                   "gradient, and its new kernel, still empty, side by side as the equation they are.",
                   filter=Num(gradient + ("filter_number",), 0), channel=Num(gradient + ("channel_number",), 0))

    def weight_narration(self, k: int):
        """w_n was ..., its gradient is ..., so it moves up or down (the gradient's sign) to ...: a clause
        for each step of ``update_weight`` (the cell outlined, its formula, the result flying in)."""
        t = self.trace
        n = t.conv_grad.channel_weight_gradients[WORKED[0]][WORKED[1]][k].number
        at = WORKED + (divmod(k, t.conv.kernel.shape[1]),)
        way = "up" if lookup(t, DL_DW + at) < 0 else "down"
        w = f"w{subscript(n)}"
        return clauses(say(f"Take {w}."),
                       say(f"It was {{w{n}}}, and its gradient is {{dL_dw{n}}}.",
                           **{f"w{n}": Num(W + at, t.values.decimals["kernel"]), f"dL_dw{n}": Num(DL_DW + at, 3)}),
                       say(f"Subtracting α times the gradient moves it {way}, against the gradient: the new {w} is "
                           f"{{w{n}_new}}.", **{f"w{n}_new": Num(W_NEW + at, 3)}))

    def bias_narration(self):
        t = self.trace
        o = WORKED[0]
        way = "up" if lookup(t, DL_DB + (o,)) < 0 else "down"
        whose = "Filter {filter}'s bias" if self.is_layer() else "The bias"
        extra = {"filter": Num(self.filter_number(o), 0)} if self.is_layer() else {}
        return say(f"{whose} takes the same step. It was {{b}}, its gradient is {{dL_db}}, so it moves {way} "
                   "to {b_new}.", b=Num(B + (o,), t.values.decimals["bias"]), dL_db=Num(DL_DB + (o,), 3),
                   b_new=Num(B_NEW + (o,), 3), **extra)

    def loss_narration(self):
        t = self.trace
        return say("Now we run the forward pass again with every new weight. The prediction ŷ goes from {y_hat} to "
                   "{y_hat_new}, against a target of {y}, and the loss goes from {L} to {L_new}. "
                   + LOSS_VERDICT.caption(self.outcome()),
                   y_hat=Num(("head", "y_hat"), 3), y_hat_new=Num(("head_updated", "y_hat"), 3),
                   y=Num(("target",), exact_decimals(t.target)), L=Num(("head", "loss"), LOSS_DECIMALS),
                   L_new=Num(("head_updated", "loss"), LOSS_DECIMALS))

    # -- beats ---------------------------------------------------------------------------------

    def show_rule(self, title):
        rule = self.formula(
            "{{ W^* : new }} = {{ W : old }} - alpha {{ (partial L) / (partial W) : grad }}, quad alpha =",
            self.rate(), font_size=32)
        coloured_rule(rule).next_to(title, DOWN, buff=RULE_GAP).set_x(STAGE.center[0])
        self.play(FadeIn(rule, shift=DOWN * 0.2), run_time=1.0)
        self.wait(1.0)
        return rule

    def show_grids(self, area: Box, step_band: Box):
        """W - alpha dL/dW = W* of the worked kernel, W* still blank, in ``area``; returns the three
        grids and their names. A layer's kernel is named by its filter and channel, which a line
        in ``step_band`` says in words while the grids appear."""
        t = self.trace
        o, c = WORKED
        shape = t.conv.kernel.shape
        minus = self.formula("- alpha dot", font_size=36)
        equals = self.formula("=", font_size=36)
        free = area.width - minus.width - equals.width - 4 * SIGN_GAP
        box = Box(0, free / 3, area.bottom, area.top - GRID_LABEL_ROOM)
        cell = fit_cell(box, shape, GRID_MAX_CELL)
        w_grid = NumberGrid(t, W + (o, c), t.values.decimals["kernel"], cell, KERNEL)
        g_grid = NumberGrid(t, DL_DW + (o, c), 3, cell, GRADIENT)
        new_grid = NumberGrid(t, W_NEW + (o, c), 3, cell, UPDATE, blank=True)
        row = VGroup(w_grid, minus, g_grid, equals, new_grid).arrange(RIGHT, buff=SIGN_GAP)
        row.move_to([area.center[0], box.center[1], 0])
        names = VGroup(*(name.next_to(grid, UP, buff=0.12)
                         for name, grid in zip(self.grid_names(), (w_grid, g_grid, new_grid))))
        shown = [FadeIn(w_grid), FadeIn(g_grid), Create(new_grid.squares), FadeIn(minus), FadeIn(equals), FadeIn(names)]
        which = None
        if self.is_layer():
            gradient = ("conv_grad", "channel_weight_gradients", o, c, 0)
            which = self.formula('"the kernel of filter"', Num(gradient + ("filter_number",), 0),
                                 '"for input channel"', Num(gradient + ("channel_number",), 0),
                                 font_size=LABEL_SIZE, color=MUTED)
            place(which, step_band)
            shown.append(FadeIn(which))
        self.play(*shown, run_time=1.2)
        self.wait(0.8 if which is None else 1.5)
        if which is not None:
            self.play(FadeOut(which), run_time=0.4)
        return (w_grid, g_grid, new_grid), VGroup(minus, equals, names)

    def grid_names(self):
        """The names above W, dL/dW and W*: a layer's carry the filter and channel of the kernel."""
        if not self.is_layer():
            return (plain("W", font_size=LABEL_SIZE, color=KERNEL),
                    plain("dL/dW", font_size=LABEL_SIZE, color=GRADIENT),
                    plain("W\\*", font_size=LABEL_SIZE, color=UPDATE))
        i = kernel_sub(*WORKED)
        return (self.formula(f"W{i}", font_size=LABEL_SIZE, color=KERNEL),
                self.formula(f"partial L \\/ partial W{i}", font_size=LABEL_SIZE, color=GRADIENT),
                self.formula(f"W^*{i}", font_size=LABEL_SIZE, color=UPDATE))

    def update_weight(self, grids, k, step_band: Box):
        t = self.trace
        kw = t.conv.kernel.shape[1]
        rc = divmod(k, kw)
        at = WORKED + (rc,)
        i = sub(k + 1)
        line = self.formula(
            f"{{{{ w^*{i} : new }}}} = {{{{ w{i} : old }}}} - alpha dot {{{{ (partial L) / (partial w{i}) : grad }}}} =",
            Num(W + at, t.values.decimals["kernel"], color=KERNEL), "-", self.rate(), "dot",
            Num(DL_DW + at, 3, paren=True, color=GRADIENT), "=",
            Num(W_NEW + at, 3, color=UPDATE, label="result"), font_size=30)
        coloured_rule(line)
        place(shrink_to_width(line, MAX_TEXT_WIDTH), step_band)
        focus = VGroup(*(grid.square(*rc).copy().set_stroke(FOCUS, 5)
                         for grid in grids))
        with self.step():  # "Take w_n."
            self.play(Create(focus), run_time=0.6)
        with self.step():  # "It was ..., and its gradient is ..."
            self.play(FadeIn(line, shift=UP * 0.2), run_time=1.0)
            self.wait(1.2 if k == self.weights_in_full()[0] else 0.6)
        with self.step():  # "... the new w_n is ..."
            [target] = grids[2].fill(t, [rc])
            self.play(TransformFromCopy(line.term("result"), target), run_time=0.8)
            self.wait(0.5)
            self.play(FadeOut(line), FadeOut(focus), run_time=0.4)

    def update_the_rest(self, grids, done):
        """One movement per kernel row: its three rows outlined, its new weights (all but those in
        ``done``) appearing."""
        t = self.trace
        kh, kw = t.conv.kernel.shape
        outline = None
        for r in range(kh):
            cols = [c for c in range(kw) if r * kw + c not in done]
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

    def update_bias(self, step_band: Box):
        """b* = b - alpha dL/db for the worked kernel's filter, in ``step_band``; returns the line."""
        t = self.trace
        o = WORKED[0]
        i = sub(o + 1) if self.is_layer() else ""
        line = self.formula(
            f"{{{{ b^*{i} : new }}}} = {{{{ b{i} : old }}}} - alpha dot {{{{ (partial L) / (partial b{i}) : grad }}}} =",
            Num(B + (o,), t.values.decimals["bias"], color=KERNEL), "-", self.rate(), "dot",
            Num(DL_DB + (o,), 3, paren=True, color=GRADIENT), "=",
            Num(B_NEW + (o,), 3, color=UPDATE, label="result"), font_size=30)
        coloured_rule(line)
        place(shrink_to_width(line, MAX_TEXT_WIDTH), step_band)
        self.play(FadeIn(line, shift=UP * 0.2), run_time=1.0)
        self.wait(2.0)
        return line

    def show_layer(self, area: Box, grids, worked, bias_line):
        """The layer's new kernels as a table in ``area``, one column per filter, blank but for the
        worked kernel and bias, which fly from the equation into their places; returns the table
        and the new biases' lines under its columns (each still to appear but the worked one's)."""
        t = self.trace
        table = LayerTable(t, W_NEW, 3, area, UPDATE, name=lambda o, c: f"W^*{kernel_sub(o, c)}", blank=True,
                           foot=BIAS_ROOM)
        feet = [place(self.formula(f"b^*{sub(o + 1)} =", Num(B_NEW + (o,), 3, color=UPDATE, label="result"),
                                   font_size=LABEL_SIZE, color=UPDATE), table.foot(o))
                for o in range(t.config.filters)]
        worked_grid = table.grid(*WORKED)
        kh, kw = t.conv.kernel.shape
        cells = worked_grid.fill(t, [(r, c) for r in range(kh) for c in range(kw)])
        o = WORKED[0]
        self.play(*(FadeOut(m) for m in (*grids, worked, bias_line)),
                  FadeIn(table.squares()),
                  *(TransformFromCopy(a, b) for a, b in zip(grids[2].numbers, cells)),
                  *fly([(bias_line.term("result"), feet[o].term("result"))]), FadeIn(feet[o]),
                  run_time=1.2)
        self.wait(1.0)
        return table, feet

    def update_filter(self, table: LayerTable, feet, o: int):
        """Filter o's kernels not yet updated, and its bias, fill in from the trace; the camera
        comes close to its column when the numbers are too small to read from afar."""
        t = self.trace
        kh, kw = t.conv.kernel.shape
        new = [label for c in range(t.config.channels) if (o, c) != WORKED
               for label in table.grid(o, c).fill(t, [(r, cc) for r in range(kh) for cc in range(kw)])]
        appear = [one_by_one(new, lag_ratio=0.02)] if new else []
        if o != WORKED[0]:
            appear.append(FadeIn(feet[o]))
        outline = SurroundingRectangle(VGroup(table.column(o), feet[o]), color=FOCUS, buff=FILTER_OUTLINE_BUFF,
                                       stroke_width=3)
        with self.closely(table.column(o), feet[o], digits=new, opening=[*appear, Create(outline)],
                          closing=[FadeOut(outline)]):
            self.wait(1.2)

    def update_dense_layer(self, title):
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
        lines.arrange(DOWN, buff=0.8)
        place(lines, split_bottom(under(title), VERDICT_ROOM)[0])  # where the loss screen has its formulas
        self.play(FadeIn(every, shift=UP * 0.2), run_time=1.0)
        self.wait(1.2)
        self.play(FadeIn(bias, shift=UP * 0.2), run_time=1.0)
        self.wait(2.0)

    def compare_losses(self, title):
        t = self.trace
        lines_box, bars_box, verdict_band = self.loss_regions(title)
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
        for line, box in zip(lines, one_above_another(lines_box, [1] * len(lines))):
            place(shrink_to_width(line, box.width), box)
        self.play(FadeIn(forward, shift=UP * 0.2), run_time=0.8)
        self.play(FadeIn(y_hat, shift=UP * 0.2), run_time=1.0)
        self.wait(0.8)
        self.play(FadeIn(loss, shift=UP * 0.2), run_time=1.0)
        self.wait(0.6)

        bars = self._loss_bars(bars_box)
        self.play(FadeIn(bars[0]), run_time=0.6)
        self.play(TransformFromCopy(bars[0][0], bars[1][0]), FadeIn(bars[1][1:]), run_time=1.2)

        verdict = place(LOSS_VERDICT.line(self.outcome(), BODY_SIZE), verdict_band)
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

    @staticmethod
    def loss_regions(title) -> tuple[Box, Box, Box]:
        """Under ``title``: the box of the three lines of the loss (one line each, LOSS_LINE_PITCH
        apart), the box of the two bars beside them on the right, and the band of the verdict at
        the bottom."""
        content, verdict_band = split_bottom(under(title), VERDICT_ROOM)
        room = content.inset(left=LINES_MARGIN, right=BARS_MARGIN)
        left, right = side_by_side(room, [room.width - BARS_MARGIN - BARS_WIDTH, BARS_WIDTH], gap=BARS_MARGIN)
        top = content.top - LOSS_LINES_DROP
        lines_box = Box(left.left, left.right, top - 3 * LOSS_LINE_PITCH, top)
        bars_box = right.inset(top=BARS_TOP_DROP, bottom=BARS_LIFT)
        return lines_box, bars_box, verdict_band

    def _loss_bars(self, box: Box) -> VGroup:
        """Two bars, before and after, in ``box``, as tall as the losses (scaled so the taller fills it)."""
        t = self.trace
        name_room, number_room = 0.45, 0.45
        tallest = box.height - name_room - number_room
        top_loss = max(t.loss, t.loss_updated)
        base = box.bottom + name_room
        width = box.width / 4
        bars = VGroup()
        for i, (path, name, opacity) in enumerate(((("head", "loss"), "before", 0.35),
                                                    (("head_updated", "loss"), "after", 0.8))):
            value = float(np.clip(t.loss if i == 0 else t.loss_updated, 0, None))
            height = max(tallest * value / top_loss if top_loss > 0 else 0.0, 0.02)
            x = box.left + (2 * i + 1) * width
            bar = Rectangle(width=width, height=height, stroke_color=OUTPUT, stroke_width=2,
                            fill_color=OUTPUT, fill_opacity=opacity)
            bar.move_to([x, base + height / 2, 0])
            number = NumberLabel(value, LOSS_DECIMALS, source=path, font_size=LABEL_SIZE, color=OUTPUT)
            number.next_to(bar, UP, buff=0.12)
            label = plain(name, font_size=LABEL_SIZE, color=MUTED).next_to(bar, DOWN, buff=0.15)
            label.set_y(box.bottom + name_room / 2)
            bars.add(VGroup(bar, number, label))
        axis = Line([box.left + 0.2, base, 0], [box.right - 0.2, base, 0], color=TEXT, stroke_width=2)
        bars[0].add(axis)
        return bars



class WeightUpdateScene(StoryScene):
    story = WeightUpdateStory
