"""The chain rule for one kernel weight: dL/dw_i = sum_k dL/dz_k * dz_k/dw_i.

A change in w_1 changes every z_k, each of which changes y_hat and so L. dz_k/dw_i is the input
value that sat under w_i at step k; the scene lights it up on the input, with the window of
step k, so the stride is visible in which cells take part. w_1 is worked in full, the other
weights briefly, each filling its cell of dL/dW.
"""

from manim import DOWN, LEFT, UP, Create, FadeIn, FadeOut, TransformFromCopy, VGroup

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid
from convprop.scenes.kit.layout import Box, fit_cell
from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, LABEL_SIZE
from convprop.scenes.story import Story, StoryScene

INPUT_BOX = Box(-6.9, -2.6, -3.0, 1.9)
TERMS_BOX = Box(-2.3, 3.0, -3.3, 1.9)
DZ_BOX = Box(3.4, 6.9, 0.0, 1.9)
DW_BOX = Box(3.4, 6.9, -3.3, -0.75)
TERMS_IN_FULL = 4  # more terms than this are summarised by their count


class ChainRuleStory(Story):
    name = "chain-rule"
    summary = "dL/dw_i = sum_k dL/dz_k * dz_k/dw_i: each term's input value lit up under the window of step k"

    def tell(self):
        with self.beat("A change in w_1 changes every output z_k, each changes y_hat, and so the loss."):
            self.show_title("The chain rule for one kernel weight")
            self.show_expansion()
            self.show_grids()
        with self.beat("dz_k/dw_1 is the input value that sat under w_1 at step k."):
            self.work_weight(0, full=True)
        with self.beat("The other weights the same way, each a sum over the same steps."):
            for i in range(1, len(self.trace.conv_grad.weight_gradients)):
                self.work_weight(i, full=False)
        self.wait(1.5)

    def show_expansion(self):
        self.expansion = self.formula(
            "{{ (partial L) / (partial w_i) : lhs }} = sum_k {{ (partial L) / (partial z_k) : up }}"
            " dot {{ (partial z_k) / (partial w_i) : local }}", font_size=30)
        self.expansion.move_to([0, 2.75, 0])
        self.expansion.term("up").set_color(GRADIENT)
        self.expansion.term("local").set_color(INPUT)
        self.play(FadeIn(self.expansion, shift=DOWN * 0.2), run_time=1.0)

    def show_grids(self):
        t = self.trace
        self.input_grid = NumberGrid(t, ("conv", "padded_input"), t.values.decimals["input"],
                                     fit_cell(INPUT_BOX, t.conv.padded_input.shape), INPUT).move_to(INPUT_BOX.center)
        self.dz_grid = NumberGrid(t, ("conv_grad", "dL_dz"), 3, fit_cell(DZ_BOX, t.z.shape), GRADIENT
                                  ).move_to(DZ_BOX.center)
        self.dw_grid = NumberGrid(t, ("conv_grad", "dL_dkernel"), 3, fit_cell(DW_BOX, t.conv.kernel.shape),
                                  GRADIENT, blank=True).move_to(DW_BOX.center)
        labels = VGroup(plain(self.input_name(), font_size=LABEL_SIZE, color=INPUT).next_to(self.input_grid, UP, buff=0.1),
                        plain("dL/dZ", font_size=LABEL_SIZE, color=GRADIENT).next_to(self.dz_grid, UP, buff=0.1),
                        plain("dL/dW", font_size=LABEL_SIZE, color=GRADIENT).next_to(self.dw_grid, UP, buff=0.1))
        self.play(FadeIn(self.input_grid), FadeIn(self.dz_grid), Create(self.dw_grid.squares), FadeIn(labels),
                  run_time=1.0)

    def work_weight(self, i, full: bool):
        t = self.trace
        g = t.conv_grad.weight_gradients[i]
        base = ("conv_grad", "weight_gradients", i)
        out_cols = t.z.shape[1]
        shown = g.terms[:TERMS_IN_FULL] if full else ()
        lines = VGroup()
        for term in shown:
            k = term.k
            lines.add(self.formula(
                f"\"via\" z_{k + 1}: quad", Num(base + ("terms", k, "dL_dz"), 3, color=GRADIENT), "dot",
                Num(base + ("terms", k, "dz_dw"), t.values.decimals["input"], paren=True, color=INPUT), "=",
                Num(base + ("terms", k, "product"), 3), font_size=26))
        if full and len(g.terms) > TERMS_IN_FULL:
            lines.add(plain("… and the remaining terms, one per output", font_size=LABEL_SIZE))
        total = self.formula(f"(partial L) / (partial w_{i + 1}) =" + (" sum_k dots =" if full else " sum_k (partial L)/(partial z_k) x_k ="),
                             Num(base + ("total",), 3, color=GRADIENT, label="total"), font_size=28)
        lines.add(total)
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        lines.scale_to_fit_width(min(lines.width, TERMS_BOX.width)).move_to(TERMS_BOX.center)
        if lines.height > TERMS_BOX.height:
            lines.scale_to_fit_height(TERMS_BOX.height)

        if full:
            for line, term in zip(lines, shown):
                r, c = divmod(term.k, out_cols)
                window = KernelWindow(self.input_grid, t, ("geometry", "window_cells", (r, c)), focus=False)
                cell = CellMarks(self.input_grid, t, base + ("terms", term.k, "input_position"), fill=FOCUS,
                                 fill_opacity=0.45, stroke=FOCUS, stroke_width=4)
                dz_cell = CellMarks(self.dz_grid, t, ("geometry", "output_cells", (r, c)), stroke=FOCUS, stroke_width=5)
                self.play(Create(window), run_time=0.6)
                with self.closely(cell, digits=[self.input_grid.label(*term.input_position)], opening=[FadeIn(cell)]):
                    self.wait(0.5)
                with self.closely(dz_cell, digits=[self.dz_grid.label(r, c)], opening=[FadeIn(dz_cell)]):
                    self.wait(0.5)
                self.play(FadeIn(line, shift=LEFT * 0.2), run_time=0.8)
                self.wait(0.5)
                self.play(FadeOut(window), FadeOut(cell), FadeOut(dz_cell), run_time=0.3)
            self.play(*(FadeIn(line) for line in lines[len(shown):]), run_time=0.8)
        else:
            cells = CellMarks(self.input_grid, t, ("geometry", "weight_cells", g.position), fill=FOCUS,
                              fill_opacity=0.45)
            self.play(FadeIn(cells), FadeIn(lines), run_time=0.6)
        [target] = self.dw_grid.fill(t, [g.position])
        spot = CellMarks(self.dw_grid, t, ("geometry", "kernel_cells", g.position), stroke=FOCUS, stroke_width=5)
        with self.closely(spot, digits=[target], opening=[Create(spot)], closing=[FadeOut(spot)]):
            self.play(TransformFromCopy(total.term("total"), target), run_time=0.7 if full else 0.4)
        self.wait(0.8 if full else 0.3)
        self.play(FadeOut(lines), *([] if full else [FadeOut(cells)]), run_time=0.4)


class ChainRuleScene(StoryScene):
    story = ChainRuleStory
