"""The chain rule for one kernel weight: dL/dw_i = sum_k dL/dz_k * dz_k/dw_i.

A change in w_i changes every z_k, each of which changes y_hat and so L. dz_k/dw_i is the input
value that sat under w_i at step k; the scene lights it up on the input, with the window of
step k, so the stride is visible in which cells take part. One weight is worked in full, the
other weights briefly, each filling its cell of dL/dW. The weight worked in full is the trace's
``explained_weights`` (``mathcore.explained_weight``): the first with the most terms that are not
zero, so that a padded input's corner weight, whose first terms all read the padding, is not the
one explained; the screen says which it is and why.

In a layer the weight belongs to one kernel W[o, c]: its terms are filter o's dL/dZ times
channel c's input, so the screen names the pair ("filter 1, channel 2"), draws that channel's
input and that filter's dL/dZ, and greys the cells a dilated window spans between its taps. Every
other kernel's weights are found the same way, which the screen says at the end rather than
repeating it.

An input too large to number (a 28x28 digit) is drawn as a picture, and dL/dZ too when it has
more than NUMBERED_SIDE cells a side; each term's window is outlined on the picture and its
numbers written close up beneath it (a ``Loupe``, the weight's tap marked), dL/dz_k marked on
its map and written in the term. Of the hundreds of terms the first few are written, then
"…" with their count, then the total; every input cell the weight met is lit on the picture.
A layer at such a size is told the same way on its weight's channel, pictured.
"""

from typing import NamedTuple

from manim import DOWN, LEFT, RIGHT, UP, Create, TransformFromCopy, VGroup

from convprop.scenes.kit.backward_stage import backward_stage, grid_room
from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid, cell_for
from convprop.scenes.kit.grid_names import name_above
from convprop.scenes.kit.kernel_slice import KernelSlice, gap_marks, has_gaps, is_layered, names
from convprop.scenes.kit.layout import BOTTOM_MARGIN, FRAME, Box, fit_cell, one_above_another, shrink_to_width
from convprop.scenes.kit.loupe import Loupe
from convprop.scenes.kit.map_view import is_picture, map_view, numberable
from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, KERNEL, LABEL_SIZE, MUTED
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.narration import say, subscript
from convprop.scenes.story import Story, StoryScene

TERMS_IN_FULL = 4  # more terms than this are summarised by their count
BELOW_FORMULA = 0.15  # from the formula at the top to the grids' names
DZ_SHARE = 0.42  # of the right column's height: dL/dZ above dL/dW
# an input too large to number: its picture above, the window's numbers close up below it; a
# pictured dL/dZ takes more of the right column, dL/dW being only the kernel's few cells
PICTURE_AND_LOUPE = (3.0, 1.5)
LOUPE_GAP = 0.3
PICTURED_DZ_SHARE = 0.58


class Stage(NamedTuple):
    """What the beats after the first work on: the grids (numbers or pictures), where the terms
    are written, and (under a pictured input) where a window's numbers are written close up."""

    input: NumberGrid | Picture
    dz: NumberGrid | Picture
    dw: NumberGrid
    terms: Box
    loupe: Box | None = None


def weight_kernel(trace) -> KernelSlice:
    """The kernel whose weight is worked: filter 1's, and in a layer with channels its second
    channel's, so that the input drawn is visibly not simply "the" input."""
    return KernelSlice(0, min(1, trace.config.channels - 1))


class ChainRuleStory(Story):
    name = "chain-rule"
    summary = "dL/dw_i = sum_k dL/dz_k * dz_k/dw_i: each term's input value lit up under the window of step k"
    draws_layers = True
    pictures_large_input = True
    pictures_large_layer = True

    def tell(self):
        t = self.trace
        kernel = weight_kernel(t)
        explained = t.explained_weights[kernel.o][kernel.c]
        w = self._weight_name(kernel, explained)
        with self.beat(f"A change in {w} changes every output zₖ, each changes ŷ, and so the loss.",
                       self._paths_narration(kernel, w)):
            heading = self.show_title("The chain rule for one kernel weight")
            expansion = self.show_expansion(heading, kernel)
            stage = self.show_grids(expansion, kernel)
        self.work_weight(stage, kernel, explained, full=True)
        others = [i for i in range(len(lookup(t, kernel.weight_gradients))) if i != explained]
        with self.beat("The other weights the same way, each a sum over the same steps.",
                       self._others_narration(kernel, others)):
            for i in others:
                self.work_weight(stage, kernel, i, full=False)
        if is_layered(t):
            with self.beat("Every weight of every filter and channel is found the same way.",
                           say("Every weight of every kernel, for every filter and every input channel, is found "
                               "the same way: the filter's ∂L/∂zₖ times the input value of the channel that the "
                               "weight met at step k, summed over the steps.")):
                self.every_kernel_alike(stage)
        self.wait(1.5)

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ------

    def _weight_name(self, kernel: KernelSlice, i: int) -> str:
        """Weight i of the kernel as the screen names it, with its index written under it: w₅."""
        return f"w{subscript(lookup(self.trace, kernel.weight_gradient(i)).number)}"

    def _paths_narration(self, kernel: KernelSlice, w: str):
        whose, extra = "", {}
        if is_layered(self.trace):
            first = kernel.weight_gradient(0)
            whose = (" Here the weight belongs to the kernel of filter {filter} for input channel {channel}, so "
                     "its outputs are filter {filter}'s, and the inputs it meets are channel {channel}'s.")
            extra = dict(filter=Num(first + ("filter_number",), 0), channel=Num(first + ("channel_number",), 0))
        return say(f"How does the loss depend on a single weight of the kernel? A change in {w} changes every "
                   f"output zₖ it helped to make; each of those changes the prediction ŷ, and so the loss. The "
                   f"chain rule adds up these paths: ∂L/∂wᵢ is the sum over k of ∂L/∂zₖ times ∂zₖ/∂wᵢ."
                   + whose, **extra)

    def _intro_narration(self, kernel: KernelSlice, i: int, w: str):
        why = (f"We work out the first weight, {w}, in full." if i == 0 else
               f"We work out {w} in full. It is the first weight with the most terms that are not zero; "
               f"the weights before it have more terms that are zero.")
        return say(f"{why} Its gradient has one term per output zₖ: ∂L/∂zₖ times ∂zₖ/∂{w}. And ∂zₖ/∂{w} is "
                   f"simply the input value that {w} sat on in window k, because zₖ is {w} times that value plus "
                   f"the other products.")

    def _term_narration(self, base, term, w: str, out_cols: int):
        t = self.trace
        r, c = divmod(term.k, out_cols)
        z = f"z{subscript(term.k + 1)}"
        values = dict(x=Num(base + ("terms", term.k, "dz_dw"), t.values.decimals["input"]),
                      dz=Num(base + ("terms", term.k, "dL_dz"), 3),
                      p=Num(base + ("terms", term.k, "product"), 3))
        if term.k == 0:
            return say(f"In the first window, {w} sits on the input value {{x}}: that is ∂{z}/∂{w}. Times ∂L/∂{z}, "
                       f"which is {{dz}}, the term through {z} is {{p}}.", **values)
        if c > 1:
            moved = f"One more step along the row, and {w} sits on {{x}}."
        else:
            moved = (f"The window moves along the row by the column stride, {{stride}}, and now {w} sits on {{x}}."
                     if c else
                     f"The window moves down by the row stride, {{stride}}, to the next row, and {w} sits on {{x}}.")
            values["stride"] = Num(("config", "stride", 1 if c else 0), 0)
        return say(f"{moved} Times ∂L/∂{z}, {{dz}}, that makes {{p}}.", **values)

    def _total_narration(self, base, count: int, w: str):
        total = Num(base + ("total",), 3)
        if count > TERMS_IN_FULL:
            return say(f"There is one term per output, {{rows}} by {{cols}} in all, and the others are found the "
                       f"same way. Adding up every one of them gives ∂L/∂{w}: {{total}}. It fills {w}'s cell of the "
                       f"kernel's gradient.", rows=Num(("config", "conv_output_size", 0), 0),
                       cols=Num(("config", "conv_output_size", 1), 0), total=total)
        return say(f"Adding up these terms gives ∂L/∂{w}: {{total}}. It fills {w}'s cell of the kernel's gradient.",
                   total=total)

    def _others_narration(self, kernel: KernelSlice, others: list[int]):
        if not others:
            return say("This kernel has no other weight.")
        last = others[-1]
        w = self._weight_name(kernel, last)
        return say(f"The other weights are found the same way. Each is a sum over the same outputs, of ∂L/∂zₖ times "
                   f"the input value under that weight in window k, and each fills its own cell. The last, ∂L/∂{w}, "
                   f"comes to {{last}}.", last=Num(kernel.weight_gradient(last) + ("total",), 3))

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

    def show_grids(self, formula, kernel: KernelSlice) -> Stage:
        """X (numbers, or a picture with room for its loupe beneath), dL/dZ (``map_view``) and the
        blank dL/dW, each under its name."""
        t = self.trace
        dz_shape = t.conv.Z.shape[1:]
        stage = backward_stage(top=formula.get_bottom()[1] - BELOW_FORMULA, bottom=FRAME.bottom + BOTTOM_MARGIN,
                               upper_share=DZ_SHARE if numberable(dz_shape) else PICTURED_DZ_SHARE)
        called = names(t, kernel)
        input_room, loupe = grid_room(stage.input), None
        if not t.config.numbered:
            input_room, loupe = one_above_another(input_room, PICTURE_AND_LOUPE, gap=LOUPE_GAP)
        input_grid = map_view(t, kernel.input, ("pictures", "inputs", kernel.c), t.values.decimals["input"],
                              input_room, INPUT, muted=("geometry", "padding_mask"))
        dz_grid = map_view(t, kernel.dL_dZ, ("pictures", "dL_dzs", kernel.o), 3, grid_room(stage.upper_right),
                           GRADIENT)
        dw_grid = NumberGrid(t, kernel.dL_dW, 3, cell_for(t, kernel.dL_dW, 3, grid_room(stage.lower_right)),
                             GRADIENT, blank=True).move_to(grid_room(stage.lower_right).center)
        labels = VGroup(name_above(self._input_label(kernel), input_grid),
                        name_above(self._name(called["dL_dZ"]), dz_grid),
                        name_above(self._name(called["dL_dW"]), dw_grid))
        self.play(FadeIn(input_grid), FadeIn(dz_grid), Create(dw_grid.squares), FadeIn(labels), run_time=1.0)
        return Stage(input_grid, dz_grid, dw_grid, stage.middle, loupe)

    def work_weight(self, stage: Stage, kernel: KernelSlice, i: int, full: bool):
        t = self.trace
        base = kernel.weight_gradient(i)
        g = lookup(t, base)
        out_cols = t.conv.Z.shape[2]
        shown = g.terms[:TERMS_IN_FULL] if full else ()
        lines = VGroup()
        if full:  # which weight, and why this one (mathcore.explained_weight)
            lines.add(VGroup(self.formula('"worked in full:" quad i =', Num(base + ("number",), 0), font_size=26),
                             plain("the first weight with the most", font_size=LABEL_SIZE, color=MUTED),
                             plain("terms that are not zero", font_size=LABEL_SIZE, color=MUTED))
                      .arrange(DOWN, aligned_edge=LEFT, buff=0.1))
        for term in shown:
            k = term.k
            lines.add(self.formula(
                f"\"via\" z_{k + 1}: quad", Num(base + ("terms", k, "dL_dz"), 3, color=GRADIENT), "dot",
                Num(base + ("terms", k, "dz_dw"), t.values.decimals["input"], paren=True, color=INPUT), "=",
                Num(base + ("terms", k, "product"), 3), font_size=26))
        if full and len(g.terms) > TERMS_IN_FULL:
            lines.add(self._the_rest())
        total = self.formula(f"(partial L) / (partial w_{i + 1}) =" + (" sum_k dots =" if full else " sum_k (partial L)/(partial z_k) x_k ="),
                             Num(base + ("total",), 3, color=GRADIENT, label="total"), font_size=28)
        lines.add(total)
        self._fit(lines.arrange(DOWN, aligned_edge=LEFT, buff=0.22), stage.terms)

        # every input cell the weight met, lit: at once for the weights told briefly, after the first
        # terms on a picture (on numbers, those terms' cells were lit one by one)
        lit = ([CellMarks(stage.input, t, ("geometry", "weight_cells", g.position), fill=FOCUS, fill_opacity=0.45)]
               if not full or is_picture(stage.input) else [])
        if not full:
            self.play(*(FadeIn(m) for m in lit), FadeIn(lines), run_time=0.6)
            self._fill(stage, total, g.position, full, lines, lit)
            return
        w = self._weight_name(kernel, i)
        with self.beat(f"{w} is worked in full: ∂zₖ/∂{w} is the input value that sat under {w} at step k.",
                       self._intro_narration(kernel, i, w)):
            self.play(FadeIn(lines[0]), run_time=0.6)
        for line, term in zip(lines[1:], shown):
            with self.beat(self._term_caption(term.k, w, out_cols), self._term_narration(base, term, w, out_cols)):
                self._show_term(stage, kernel, g.position, base + ("terms", term.k), line, out_cols)
        with self.beat(f"Adding up every term gives ∂L/∂{w}, which fills its cell of ∂L/∂W.",
                       self._total_narration(base, len(g.terms), w)):
            self.play(*(FadeIn(line) for line in lines[1 + len(shown):]), *(FadeIn(m) for m in lit), run_time=0.8)
            self._fill(stage, total, g.position, full, lines, lit)

    def _fill(self, stage: Stage, total, position, full: bool, lines, lit):
        """The weight's total flies into its cell of dL/dW, brought close when small; then its lines go."""
        [target] = stage.dw.fill(self.trace, [position])
        spot = CellMarks(stage.dw, self.trace, ("geometry", "kernel_cells", position), stroke=FOCUS, stroke_width=5)
        with self.closely(spot, digits=[target], opening=[Create(spot)], closing=[FadeOut(spot)]):
            self.play(TransformFromCopy(total.term("total"), target), run_time=0.7 if full else 0.4)
        self.wait(0.8 if full else 0.3)
        self.play(FadeOut(lines), *(FadeOut(m) for m in lit), run_time=0.4)

    @staticmethod
    def _term_caption(k: int, w: str, out_cols: int) -> str:
        """What step k of the worked weight does: the first window, or where the window moved."""
        z = f"z{subscript(k + 1)}"
        if k == 0:
            return f"Through {z}: the input under {w} in the first window, times ∂L/∂{z}."
        if k % out_cols == 1:
            return f"Through {z}: the window steps along the row; {w}'s new input, times ∂L/∂{z}."
        if k % out_cols:
            return f"Through {z}: one more step along the row, and the input {w} meets there, times ∂L/∂{z}."
        return f"Through {z}: the window steps down a row; {w}'s new input, times ∂L/∂{z}."

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

    def _show_term(self, stage: Stage, kernel: KernelSlice, weight, term_path, line, out_cols: int):
        """Step k's window on the input (its gaps greyed when dilated), the value under the weight
        and dL/dz_k lit in turn, then the term written. On a picture the window's numbers are
        written close up beneath it, the tap of the ``weight`` (its place in the kernel) marked among
        them."""
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
        close_up = VGroup()
        if is_picture(stage.input):
            close_up = self._loupe(stage, kernel, window[0], r, c, weight)
            with self.closely(close_up, digits=close_up[0].grid.numbers, opening=[FadeIn(cell), FadeIn(close_up)]):
                self.wait(0.5)
        else:
            with self.closely(cell, digits=[stage.input.label(*term.input_position)], opening=[FadeIn(cell)]):
                self.wait(0.5)
        if is_picture(stage.dz):  # dL/dz_k is written in the term; on its map, its cell is marked
            self.play(FadeIn(dz_cell), run_time=0.5)
        else:
            with self.closely(dz_cell, digits=[stage.dz.label(r, c)], opening=[FadeIn(dz_cell)]):
                self.wait(0.5)
        self.play(FadeIn(line, shift=LEFT * 0.2), run_time=0.8)
        self.wait(0.5)
        self.play(FadeOut(window), FadeOut(cell), FadeOut(dz_cell), *(FadeOut(m) for m in close_up), run_time=0.3)

    def _loupe(self, stage: Stage, kernel: KernelSlice, window, r: int, c: int, position) -> VGroup:
        """The numbers under the window of output (r, c), close up under the picture, joined to
        the window, and the tap of the weight being worked marked among them."""
        t = self.trace
        loupe = Loupe(t, ("conv", "windows", kernel.c, (r, c)), t.values.decimals["input"],
                      fit_cell(stage.loupe, t.conv.W.shape[2:]), INPUT).move_to(stage.loupe.center).join(window)
        tap = CellMarks(loupe.grid, t, ("geometry", "kernel_cells", position), fill=FOCUS, fill_opacity=0.45,
                        stroke=FOCUS, stroke_width=4)
        return VGroup(loupe, tap)

    def _the_rest(self):
        """The line standing for the terms not written: "…", one per output, and how many, read
        from the output's size."""
        return self.formula('dots.h quad "one term per output:"',
                            Num(("config", "conv_output_size", 0), 0), "times",
                            Num(("config", "conv_output_size", 1), 0), '"in all"', font_size=LABEL_SIZE)

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
