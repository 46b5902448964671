"""Where dL/dz_k comes from: from the loss back through sigmoid, the dense layer, the reshape,
[max pooling] and [ReLU] to one gradient per output position of the convolution."""

from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, SurroundingRectangle, TransformFromCopy, VGroup

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.layout import FEATURES_SHOWN, MAX_TEXT_WIDTH, Box, fit_cell, shrink_to_width
from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.numbers import exact_decimals
from convprop.scenes.kit.panels import LabelledPanel, equal_panels
from convprop.scenes.kit.style import FOCUS, GRADIENT, KERNEL, LABEL_SIZE, MUTED, OUTPUT, TEXT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.story import Story, StoryScene

CHAIN_YS = (2.3, 1.1, -0.2, -1.6)
VECTOR_ROWS = Box(-6.0, 6.6, 1.2, 2.8)
FIRST_TERM_Y = 0.65
PANEL_ROW = Box(-6.9, 6.9, -3.3, -0.1)
RULE_Y = -3.65


class LossGradientStory(Story):
    name = "loss-gradient"
    summary = "From L back to every z_k: dL/dy_hat, dy_hat/ds, the dense weights, [max pool routing], [ReLU mask]"

    def tell(self):
        with self.beat("The loss changes with the prediction, and the prediction with its input s."):
            self.show_title("Where dL/dz comes from")
            self.through_the_sigmoid()
        self.clear()
        with self.beat("Each feature reaches s through its own dense weight."):
            self.show_title("Back through the dense layer")
            self.through_the_dense_layer()
        with self.beat("The features are reshaped back into the map they came from, one gradient per z_k."):
            self.back_to_the_map()
        self.wait(1.5)

    def through_the_sigmoid(self):
        lines = [
            self.formula("(partial L) / (partial hat(y)) = - y / hat(y) + (1 - y) / (1 - hat(y)) =",
                         Num(("dL_dy_hat",), 3, color=GRADIENT), ", quad y =", Num(("target",), exact_decimals(self.trace.target)), ", quad hat(y) =",
                         Num(("head", "y_hat"), 3, color=OUTPUT), font_size=28),
            self.formula("(partial hat(y)) / (partial s) = hat(y) (1 - hat(y)) =",
                         Num(("dy_hat_dlogit",), 3, color=GRADIENT), font_size=28),
            self.formula("(partial L) / (partial s) = (partial L) / (partial hat(y)) dot (partial hat(y)) / (partial s) =",
                         Num(("dL_dy_hat",), 3, paren=True), "dot", Num(("dy_hat_dlogit",), 3), "=",
                         Num(("dL_dlogit",), 3, color=GRADIENT, label="ds"), font_size=28),
            self.formula("\"which is simply\" quad hat(y) - y =", Num(("head", "y_hat"), 3, color=OUTPUT), "-",
                         Num(("target",), exact_decimals(self.trace.target)), "=", Num(("dL_dlogit",), 3, color=GRADIENT),
                         font_size=28),
        ]
        for line, y in zip(lines, CHAIN_YS):
            line.move_to([0, y, 0])
            shrink_to_width(line, MAX_TEXT_WIDTH)
            self.play(FadeIn(line, shift=UP * 0.2), run_time=0.9)
            self.wait(0.8)

    def through_the_dense_layer(self):
        t = self.trace
        count = t.head.features.size
        shown = min(count, FEATURES_SHOWN)
        cell = min(VECTOR_ROWS.width / (shown + 1), VECTOR_ROWS.height / 2, 0.8)
        weights = NumberGrid(t, ("values", "fc_weight"), t.values.decimals["fc_weight"], cell, KERNEL, limit=FEATURES_SHOWN, as_row=True)
        grads = NumberGrid(t, ("dL_dfeatures",), 3, cell, GRADIENT, limit=FEATURES_SHOWN, as_row=True, blank=True)
        VGroup(weights, grads).arrange(DOWN, buff=0).move_to(VECTOR_ROWS.center)
        names = VGroup(plain("w", font_size=LABEL_SIZE, color=KERNEL).next_to(weights, LEFT, buff=0.15),
                       plain("dL/dF", font_size=LABEL_SIZE, color=GRADIENT).next_to(grads, LEFT, buff=0.15))
        more = [plain("…", font_size=LABEL_SIZE, color=TEXT).next_to(g, RIGHT, buff=0.1)
                for g in (weights, grads)] if count > shown else []
        self.play(FadeIn(weights), Create(grads.squares), FadeIn(names), *(FadeIn(m) for m in more), run_time=0.9)
        first = self.formula("(partial L) / (partial F_j) = (partial L) / (partial s) w_j quad",
                             "(partial L) / (partial F_1) =", Num(("dL_dlogit",), 3, color=GRADIENT), "dot",
                             Num(("values", "fc_weight", 0), t.values.decimals["fc_weight"], paren=True, color=KERNEL), "=",
                             Num(("dL_dfeatures", 0), 3, color=GRADIENT, label="first"), font_size=28)
        first.move_to([0, FIRST_TERM_Y, 0])
        focus = VGroup(SurroundingRectangle(weights.square(0, 0), color=FOCUS, buff=0),
                       SurroundingRectangle(grads.square(0, 0), color=FOCUS, buff=0))
        self.play(FadeIn(first), FadeIn(focus), run_time=0.9)
        labels = grads.fill(t, [(0, j) for j in range(shown)])
        self.play(TransformFromCopy(first.term("first"), labels[0]), run_time=0.7)
        self.play(*(FadeIn(label) for label in labels[1:]), focus.animate.set_opacity(0), run_time=0.8)
        self.grads = grads

    def back_to_the_map(self):
        t, cfg = self.trace, self.trace.config
        panels = []
        if cfg.pool:
            panels.append((("dL_dpooled",), "dL/dP: reshaped", GRADIENT))
            panels.append((("dL_dactivated",), "to the max of each window", GRADIENT))
        elif cfg.relu:
            panels.append((("dL_dactivated",), "dL/dA: reshaped", GRADIENT))
        if cfg.relu:
            panels.append((("conv", "z"), "Z: where is it positive?", OUTPUT))
        panels.append((("conv_grad", "dL_dz"), "dL/dZ", GRADIENT))
        shapes = [lookup(t, path).shape for path, *_ in panels]
        grids = []
        for (path, label, color), shape, box in zip(panels, shapes, equal_panels(PANEL_ROW, len(shapes))):
            grid = NumberGrid(t, path, 3 if color == GRADIENT else 2, fit_cell(box, shape, 0.8), color)
            panel = LabelledPanel(grid.move_to(box.center), plain(label, font_size=LABEL_SIZE, color=color))
            grids.append((panel.grid, panel.words))

        source = self.grads.numbers
        for (path, _, _), (grid, caption) in zip(panels, grids):
            if path == ("conv", "z"):
                self.play(FadeIn(grid), FadeIn(caption), run_time=0.7)
                continue
            self.play(TransformFromCopy(source, grid.numbers), FadeIn(grid.squares), FadeIn(caption), run_time=1.0)
            if path == ("dL_dactivated",) and cfg.pool:
                winners = CellMarks(grid, t, ("head_geometry", "pool_winners"), stroke=FOCUS, stroke_width=4)
                rule = plain("each gradient goes to the cell that won its window's max; zero elsewhere",
                             font_size=LABEL_SIZE, color=TEXT).move_to([0, RULE_Y, 0])
                self.play(FadeIn(winners), FadeIn(rule), run_time=0.8)
                self.wait(1.0)
                self.play(winners.animate.set_opacity(0), rule.animate.set_opacity(0), run_time=0.4)
            if path == ("conv_grad", "dL_dz") and cfg.relu:
                z_grid = next(g for (p, _, _), (g, _) in zip(panels, grids) if p == ("conv", "z"))
                rule = self.formula("(partial L) / (partial Z) = (partial L) / (partial A) dot.o [Z > 0]",
                                    font_size=26).move_to([0, RULE_Y, 0])
                off = CellMarks(z_grid, t, ("head_geometry", "relu_off_cells"), fill=MUTED, fill_opacity=0.5)
                self.play(FadeIn(rule), FadeIn(off), run_time=0.8)
            source = grid.numbers



class LossGradientScene(StoryScene):
    story = LossGradientStory
