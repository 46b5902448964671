"""Where dL/dz_k comes from: from the loss back through sigmoid, the dense layer, the reshape,
[max pooling] and [ReLU] to one gradient per output position of the convolution.

For a layer of F filters the same happens map by map: dL/dF is cut into F pieces in F's order
(map, then row, then column), each reshaped into its map's dL/dP, routed to that map's pool
winners and masked by that map's ReLU; the maps stand side by side, each going back through the
stages in its place. A layer's channels do not appear: nothing here reaches back to X.
"""

from manim import (
    RIGHT, UP, Create, FadeIn, FadeOut, ReplacementTransform, SurroundingRectangle, TransformFromCopy, VGroup,
)

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid, chars_for
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, fit_cell, shrink_to_width
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.numbers import exact_decimals
from convprop.scenes.kit.panels import LabelledPanel, equal_panels
from convprop.scenes.kit.style import FOCUS, GRADIENT, KERNEL, LABEL_SIZE, MUTED, OUTPUT, TEXT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.kit.vector_rows import VectorRows
from convprop.scenes.stories.head import flattened_name
from convprop.scenes.story import Story, StoryScene

CHAIN_YS = (2.3, 1.1, -0.2, -1.6)
VECTOR_ROWS = Box(-6.0, 6.6, 1.2, 2.8)
FIRST_TERM_Y = 0.65
PANEL_ROW = Box(-6.9, 6.9, -3.3, -0.1)
# F maps take the room of the first term too, which leaves before them, less room for a map's
# name (a fraction, taller than the room equal_panels keeps) under the rows
MAPS_ROW = Box(PANEL_ROW.left, PANEL_ROW.right, PANEL_ROW.bottom, VECTOR_ROWS.bottom - 0.45)
RULE_Y = -3.65
POOL_RULE = "each gradient goes to the cell that won its window's max; zero elsewhere"


class LossGradientStory(Story):
    name = "loss-gradient"
    summary = "From L back to every z_k: dL/dy_hat, dy_hat/ds, the dense weights, [max pool routing], [ReLU mask]"
    draws_layers = True  # F maps are told map by map; the channels are not drawn at all

    def tell(self):
        with self.beat("The loss changes with the prediction, and the prediction with its input s."):
            self.show_title("Where dL/dz comes from")
            self.through_the_sigmoid()
        self.clear()
        with self.beat("Each feature reaches s through its own dense weight."):
            self.show_title("Back through the dense layer")
            rows = self.through_the_dense_layer()
        if self.trace.config.filters == 1:
            with self.beat("The features are reshaped back into the map they came from, one gradient per z_k."):
                self.back_to_the_map(rows)
        else:
            with self.beat("dL/dF is cut map by map, in F's order; each piece goes back into its own map, "
                           "through that map's pool and ReLU."):
                self.back_to_the_maps(rows)
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

    def through_the_dense_layer(self) -> VectorRows:
        """w over dL/dF, the first term worked out and the rest filled in; returns the rows."""
        t = self.trace
        rows = VectorRows(t, [(("values", "fc_weight"), t.values.decimals["fc_weight"], KERNEL, "w", False),
                              (("dL_dfeatures",), 3, GRADIENT, "dL/dF", True)], VECTOR_ROWS, max_cell=0.8,
                          header=lambda o: f"\"to\" {flattened_name(t.config)}_{o + 1}")
        self.play(FadeIn(rows.row(0)), Create(rows.squares(1)), FadeIn(rows.names[1]),
                  *(FadeIn(m) for m in [*rows.more[1], *rows.headers]), run_time=0.9)
        first = self.formula("(partial L) / (partial F_j) = (partial L) / (partial s) w_j quad",
                             "(partial L) / (partial F_1) =", Num(("dL_dlogit",), 3, color=GRADIENT), "dot",
                             Num(("values", "fc_weight", 0), t.values.decimals["fc_weight"], paren=True, color=KERNEL), "=",
                             Num(("dL_dfeatures", 0), 3, color=GRADIENT, label="first"), font_size=28)
        first.move_to([0, FIRST_TERM_Y, 0])
        focus = VGroup(SurroundingRectangle(rows.square(0, 0), color=FOCUS, buff=0),
                       SurroundingRectangle(rows.square(1, 0), color=FOCUS, buff=0))
        self.play(FadeIn(first), FadeIn(focus), run_time=0.9)
        labels = rows.fill(t, 1)
        self.play(TransformFromCopy(first.term("first"), labels[0]), run_time=0.7)
        self.play(*(FadeIn(label) for label in labels[1:]), focus.animate.set_opacity(0), run_time=0.8)
        self.first_term = first
        return rows

    def back_to_the_map(self, rows):
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

        source = rows.numbers(1)
        for (path, _, _), (grid, caption) in zip(panels, grids):
            if path == ("conv", "z"):
                self.play(FadeIn(grid), FadeIn(caption), run_time=0.7)
                continue
            self.play(TransformFromCopy(source, grid.numbers), FadeIn(grid.squares), FadeIn(caption), run_time=1.0)
            if path == ("dL_dactivated",) and cfg.pool:
                winners = CellMarks(grid, t, ("head_geometry", "pool_winners"), stroke=FOCUS, stroke_width=4)
                rule = plain(POOL_RULE, font_size=LABEL_SIZE, color=TEXT).move_to([0, RULE_Y, 0])
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

    def back_to_the_maps(self, rows):
        """The F maps side by side, each back from its piece of dL/dF: reshaped into dL/dP_o,
        routed to its pool's winners, masked where its Z_o is not positive, to dL/dZ_o."""
        t, cfg = self.trace, self.trace.config
        maps = cfg.filters
        self.play(FadeOut(self.first_term), run_time=0.4)
        boxes = equal_panels(MAPS_ROW, maps)
        stages = []  # (path of map o, its name, the rule said as it appears)
        if cfg.pool:
            stages.append((lambda o: ("dL_dP", o), lambda n: f"(partial L) / (partial P_{n})", None))
            stages.append((lambda o: ("dL_dA", o), lambda n: f"(partial L) / (partial A_{n})", "pool"))
        elif cfg.relu:
            stages.append((lambda o: ("dL_dA", o), lambda n: f"(partial L) / (partial A_{n})", None))
        stages.append((lambda o: ("conv_grad", "dL_dZ", o), lambda n: f"(partial L) / (partial Z_{n})",
                       "relu" if cfg.relu else None))
        chars = max(chars_for(lookup(t, stage[0](0)[:-1]), 3) for stage in stages)

        def panel(o, stage):
            path = stages[stage][0](o)
            grid = NumberGrid(t, path, 3, fit_cell(boxes[o], lookup(t, path).shape, 0.8), GRADIENT, chars=chars)
            words = self.formula(stages[stage][1](o + 1), font_size=LABEL_SIZE, color=GRADIENT)
            return LabelledPanel(grid.move_to(boxes[o].center), words, width=boxes[o].width)

        shown = [panel(o, 0) for o in range(maps)]
        self.play(*(TransformFromCopy(segment.numbers, p.grid.numbers) for segment, p in zip(rows.segments[1], shown)),
                  *(FadeIn(p.grid.squares) for p in shown), *(FadeIn(p.words) for p in shown), run_time=1.2)
        for stage in range(1, len(stages)):
            rule = stages[stage][2]
            after = [panel(o, stage) for o in range(maps)]
            if rule == "pool":  # each gradient flies to its window's winner in dL/dA_o; the rest are zeros
                won = [cells_at(t, ("filter_head_geometry", o, "pool_winners")) for o in range(maps)]
                landing = [VGroup(*(q.grid.label(*rc) for rc in cells)) for q, cells in zip(after, won)]
                zeros = [VGroup(*(label for label in q.grid.numbers if label not in set(land)))
                         for q, land in zip(after, landing)]
                self.play(*(TransformFromCopy(p.grid.numbers, land) for p, land in zip(shown, landing)),
                          *(FadeIn(z) for z in zeros), *(FadeIn(q.grid.squares) for q in after),
                          *(ReplacementTransform(p.words, q.words) for p, q in zip(shown, after)),
                          *(FadeOut(p.grid) for p in shown), run_time=1.2)
                marks = [CellMarks(q.grid, t, ("filter_head_geometry", o, "pool_winners"), stroke=FOCUS,
                                   stroke_width=4) for o, q in enumerate(after)]
                said = plain(POOL_RULE, font_size=LABEL_SIZE, color=TEXT).move_to([0, RULE_Y, 0])
                self.play(*(FadeIn(m) for m in marks), FadeIn(said), run_time=0.8)
                self._first_map_closely(after[0].grid, marks[0])
                self.play(*(FadeOut(m) for m in marks), FadeOut(said), run_time=0.4)
            elif rule == "relu":  # the cells the ReLU blocked, on the gradient that is about to be masked
                marks = [CellMarks(p.grid, t, ("filter_head_geometry", o, "relu_off_cells"), fill=MUTED,
                                   fill_opacity=0.3) for o, p in enumerate(shown)]
                said = self.formula("(partial L) / (partial Z) = (partial L) / (partial A) dot.o [Z > 0]", font_size=26)
                grey = self.formula("quad \"grey: Z\" <= 0", font_size=26, color=MUTED)
                shrink_to_width(VGroup(said, grey).arrange(RIGHT, buff=0.1), MAX_TEXT_WIDTH).move_to([0, RULE_Y, 0])
                self.play(*(FadeIn(m) for m in marks), FadeIn(said), FadeIn(grey), run_time=0.8)
                self._first_map_closely(shown[0].grid, marks[0])
                self.play(*self._same_cells(shown, after), *(FadeOut(m) for m in marks), FadeOut(grey), run_time=1.0)
            else:
                self.play(*self._same_cells(shown, after), run_time=1.0)
            shown = after

    @staticmethod
    def _same_cells(shown, after):
        """Each map's numbers into the same cells of its next stage, its name changing with them."""
        return [*(TransformFromCopy(p.grid.numbers, q.grid.numbers) for p, q in zip(shown, after)),
                *(FadeIn(q.grid.squares) for q in after), *(FadeOut(p.grid) for p in shown),
                *(ReplacementTransform(p.words, q.words) for p, q in zip(shown, after))]

    def _first_map_closely(self, grid, marks):
        """The first map with its marks, brought close when its numbers are too small to read: one
        map read closely stands for them all."""
        with self.closely(grid, marks, digits=list(grid.numbers)):
            self.wait(1.2)


class LossGradientScene(StoryScene):
    story = LossGradientStory
