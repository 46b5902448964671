"""The chain rule for one kernel weight: dL/dw_i = sum_k dL/dz_k * dz_k/dw_i.

A change in w_1 changes every z_k, each of which changes y_hat and so L. dz_k/dw_i is the input
value that sat under w_i at step k; the scene lights it up on the input, with the window of
step k, so the stride is visible in which cells take part. w_1 is worked in full, the other
weights briefly, each filling its cell of dL/dW.

In a layer the weight belongs to one kernel W[o, c]: its terms are filter o's dL/dZ times
channel c's input, so the screen names the pair ("filter 1, channel 2"), draws that channel's
input and that filter's dL/dZ, and greys the cells a dilated window spans between its taps. Every
other kernel's weights are found the same way, which the screen says at the end rather than
repeating it.
"""

from typing import NamedTuple

from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut, TransformFromCopy, VGroup

from convprop.scenes.kit.backward_stage import backward_stage, grid_room
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid
from convprop.scenes.kit.kernel_slice import KernelSlice, gap_marks, has_gaps, is_layered, names
from convprop.scenes.kit.layout import BOTTOM_MARGIN, FRAME, Box, fit_cell, shrink_to_width
from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, KERNEL, LABEL_SIZE, MUTED
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.story import Story, StoryScene

TERMS_IN_FULL = 4  # more terms than this are summarised by their count
BELOW_FORMULA = 0.15  # from the formula at the top to the grids' names


class Stage(NamedTuple):
    """What the beats after the first work on: the grids, and where the terms are written."""

    input: NumberGrid
    dz: NumberGrid
    dw: NumberGrid
    terms: Box


def weight_kernel(trace) -> KernelSlice:
    """The kernel whose weight is worked: filter 1's, and in a layer with channels its second
    channel's, so that the input drawn is visibly not simply "the" input."""
    return KernelSlice(0, min(1, trace.config.channels - 1))


class ChainRuleStory(Story):
    name = "chain-rule"
    summary = "dL/dw_i = sum_k dL/dz_k * dz_k/dw_i: each term's input value lit up under the window of step k"
    draws_layers = True

    def tell(self):
        kernel = weight_kernel(self.trace)
        with self.beat("A change in w_1 changes every output z_k, each changes y_hat, and so the loss."):
            heading = self.show_title("The chain rule for one kernel weight")
            expansion = self.show_expansion(heading, kernel)
            stage = self.show_grids(expansion, kernel)
        with self.beat("dz_k/dw_1 is the input value that sat under w_1 at step k."):
            self.work_weight(stage, kernel, 0, full=True)
        with self.beat("The other weights the same way, each a sum over the same steps."):
            for i in range(1, len(lookup(self.trace, kernel.weight_gradients))):
                self.work_weight(stage, kernel, i, full=False)
        if is_layered(self.trace):
            with self.beat("Every weight of every filter and channel is found the same way."):
                self.every_kernel_alike(stage)
        self.wait(1.5)

    def show_expansion(self, heading, kernel: KernelSlice):
        """The chain rule over the steps k, under the title; in a layer, beside it, which kernel."""
        expansion = self.formula(
            "{{ (partial L) / (partial w_i) : lhs }} = sum_k {{ (partial L) / (partial z_k) : up }}"
            " dot {{ (partial z_k) / (partial w_i) : local }}", font_size=30)
        expansion.term("up").set_color(GRADIENT)
        expansion.term("local").set_color(INPUT)
        top = VGroup(expansion)
        if is_layered(self.trace):
            o, c = kernel.o + 1, kernel.c + 1
            top.add(self.formula(f'"for" w_i "in" W_({o},{c}) ", the kernel of"', *kernel.which(self.trace), font_size=26,
                                 color=KERNEL))
            top.arrange(RIGHT, buff=0.6)
        top.next_to(heading, DOWN, buff=0.25)
        self.play(FadeIn(top, shift=DOWN * 0.2), run_time=1.0)
        return top

    def show_grids(self, above, kernel: KernelSlice) -> Stage:
        t = self.trace
        stage = backward_stage(top=above.get_bottom()[1] - BELOW_FORMULA, bottom=FRAME.bottom + BOTTOM_MARGIN,
                               upper_share=0.42)
        called = names(t, kernel)
        shape = t.conv.X_padded.shape[1:]
        input_grid = NumberGrid(t, kernel.input, t.values.decimals["input"], fit_cell(grid_room(stage.input), shape),
                                INPUT, muted=("geometry", "padding_mask")).move_to(grid_room(stage.input).center)
        dz_grid = NumberGrid(t, kernel.dL_dZ, 3, fit_cell(grid_room(stage.upper_right), t.conv.Z.shape[1:]),
                             GRADIENT).move_to(grid_room(stage.upper_right).center)
        dw_grid = NumberGrid(t, kernel.dL_dW, 3, fit_cell(grid_room(stage.lower_right), t.conv.W.shape[2:]),
                             GRADIENT, blank=True).move_to(grid_room(stage.lower_right).center)
        labels = VGroup(self._input_label(kernel).next_to(input_grid, UP, buff=0.1),
                        self._name(called["dL_dZ"]).next_to(dz_grid, UP, buff=0.1),
                        self._name(called["dL_dW"]).next_to(dw_grid, UP, buff=0.1))
        self.play(FadeIn(input_grid), FadeIn(dz_grid), Create(dw_grid.squares), FadeIn(labels), run_time=1.0)
        return Stage(input_grid, dz_grid, dw_grid, stage.middle)

    def work_weight(self, stage: Stage, kernel: KernelSlice, i: int, full: bool):
        t = self.trace
        base = kernel.weight_gradient(i)
        g = lookup(t, base)
        out_cols = t.conv.Z.shape[2]
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
        self._fit(lines.arrange(DOWN, aligned_edge=LEFT, buff=0.22), stage.terms)

        if full:
            for line, term in zip(lines, shown):
                self._show_term(stage, base + ("terms", term.k), line, out_cols)
            self.play(*(FadeIn(line) for line in lines[len(shown):]), run_time=0.8)
        else:
            cells = CellMarks(stage.input, t, ("geometry", "weight_cells", g.position), fill=FOCUS,
                              fill_opacity=0.45)
            self.play(FadeIn(cells), FadeIn(lines), run_time=0.6)
        [target] = stage.dw.fill(t, [g.position])
        spot = CellMarks(stage.dw, t, ("geometry", "kernel_cells", g.position), stroke=FOCUS, stroke_width=5)
        with self.closely(spot, digits=[target], opening=[Create(spot)], closing=[FadeOut(spot)]):
            self.play(TransformFromCopy(total.term("total"), target), run_time=0.7 if full else 0.4)
        self.wait(0.8 if full else 0.3)
        self.play(FadeOut(lines), *([] if full else [FadeOut(cells)]), run_time=0.4)

    def every_kernel_alike(self, stage: Stage):
        """The general rule for any weight (i, j) of any kernel W[o, c], in words and symbols."""
        box = stage.terms
        said = VGroup(plain("every weight of every filter and channel", font_size=LABEL_SIZE),
                      plain("is found the same way:", font_size=LABEL_SIZE))
        rule = self.formula("(partial L) / (partial W_(o,c)[i,j]) = sum_(r,s) (partial L) / (partial Z_o [r,s])"
                            " dot X_c [r s_h + i d_h, thin s s_w + j d_w]", font_size=26)
        key = VGroup(plain("s the stride, d the dilation:", font_size=LABEL_SIZE, color=MUTED),
                     plain("the input cell the weight met at output (r, s)", font_size=LABEL_SIZE, color=MUTED))
        for line in [*said, rule, *key]:
            shrink_to_width(line, box.width)
        lines = VGroup(said.arrange(DOWN, buff=0.15), rule, key.arrange(DOWN, buff=0.15)).arrange(DOWN, buff=0.4)
        self._fit(lines, box)
        self.play(FadeIn(lines, shift=UP * 0.2), run_time=1.0)
        self.wait(2.0)

    # -- helpers -----------------------------------------------------------------------------------

    def _show_term(self, stage: Stage, term_path, line, out_cols: int):
        """Step k's window on the input (its gaps greyed when dilated), the value under the weight
        and dL/dz_k lit in turn, then the term written."""
        t = self.trace
        term = lookup(t, term_path)
        r, c = divmod(term.k, out_cols)
        window = VGroup(KernelWindow(stage.input, t, ("geometry", "window_cells", (r, c)), focus=False))
        if has_gaps(t):
            window.add(gap_marks(stage.input, t, r, c))
        cell = CellMarks(stage.input, t, term_path + ("input_position",), fill=FOCUS,
                         fill_opacity=0.45, stroke=FOCUS, stroke_width=4)
        dz_cell = CellMarks(stage.dz, t, ("geometry", "output_cells", (r, c)), stroke=FOCUS, stroke_width=5)
        self.play(Create(window), run_time=0.6)
        with self.closely(cell, digits=[stage.input.label(*term.input_position)], opening=[FadeIn(cell)]):
            self.wait(0.5)
        with self.closely(dz_cell, digits=[stage.dz.label(r, c)], opening=[FadeIn(dz_cell)]):
            self.wait(0.5)
        self.play(FadeIn(line, shift=LEFT * 0.2), run_time=0.8)
        self.wait(0.5)
        self.play(FadeOut(window), FadeOut(cell), FadeOut(dz_cell), run_time=0.3)

    def _input_label(self, kernel: KernelSlice):
        if not is_layered(self.trace):
            return plain(self.input_name(), font_size=LABEL_SIZE, color=INPUT)
        padded = ' "(zero-padded)"' if self.trace.config.padding else ""
        return self.formula(f'"input" {names(self.trace, kernel)["input"]}{padded}', font_size=LABEL_SIZE,
                            color=INPUT)

    def _name(self, typst: str):
        """A grid's name: plain words when it has no subscript, so the single-channel screen is as before."""
        if typst.startswith('"') and typst.endswith('"'):
            return plain(typst.strip('"'), font_size=LABEL_SIZE, color=GRADIENT)
        return self.formula(typst, font_size=LABEL_SIZE, color=GRADIENT)

    @staticmethod
    def _fit(lines, box: Box):
        """``lines`` made to fit ``box`` (only ever smaller) and centred in it."""
        shrink_to_width(lines, box.width).move_to(box.center)
        if lines.height > box.height:
            lines.scale_to_fit_height(box.height)
        return lines


class ChainRuleScene(StoryScene):
    story = ChainRuleStory
