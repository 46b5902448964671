"""The kernel gradient two ways, and the bias gradient.

First as a student adds it up: at every step k the patch under the kernel is scaled by dL/dz_k,
and the scaled patches add up to dL/dW. Then the same numbers as one operation: the input
correlated, with step 1, with dL/dZ dilated by the stride (s-1 zeros between its entries),
which is why the gradient of a convolution is itself a convolution. Last, dL/db = sum_k dL/dz_k.

In a layer, filter o's kernel has one slice per input channel c, and dL/dW[o, c] is channel c's
input correlated with filter o's dL/dZ: the scaled patches are shown for filter 1's first
channel, the correlation for each of its channels in turn (a dilated kernel's taps d apart, so
the correlation's placements stand d apart too), and dL/db[o] is the sum of dL/dZ[o]. The other
filters do the same with their own dL/dZ; their results are shown without repeating the steps.

An input too large to number (a 28x28 digit) is drawn as a picture, and so is any map past the
legible size (dL/dZ is 26x26 at stride 1): the windows and cells under discussion are marked on
the pictures from the trace's geometry, and their numbers written close up beside them (the
patch in a ``Loupe``, the first terms of an entry's sum in its line). Sums over every output
cell are then worked for their first terms and the rest swept quickly, as the forward pass does.
"""

from typing import NamedTuple

from manim import DOWN, UP, Create, LaggedStart, TransformFromCopy, VGroup

from convprop.scenes.kit.backward_stage import backward_stage, grid_room, stacked
from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid, cell_for, chars_for, fit_cells
from convprop.scenes.kit.grid_names import name_above
from convprop.scenes.kit.kernel_slice import KernelSlice, gap_marks, has_gaps, is_layered, names
from convprop.scenes.kit.layout import (
    BOTTOM_MARGIN, FRAME, MAX_CELL, MAX_TEXT_WIDTH, STAGE, Box, fit_cell, one_above_another, shrink_to_width,
)
from convprop.scenes.kit.loupe import Loupe
from convprop.scenes.kit.map_view import is_picture, map_view, numberable
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at
from convprop.scenes.kit.numbers import decimals_that_add
from convprop.scenes.kit.panels import LabelledPanel, panel_boxes
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, KERNEL, LABEL_SIZE, MUTED
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.narration import say, subscript
from convprop.scenes.story import Story, StoryScene

PATCHES_IN_FULL = 4
BIAS_TERMS_SHOWN = 6
BIAS_GRID_SHARE = 0.43  # of the stage's width: dL/dZ on the bias screen
BIAS_GAP = 0.6  # between dL/dZ and the sum under it
WIDE_CELL = 1.2  # the widest cell of a filter's stacked kernel gradients
ENTRIES_WRITTEN = 2  # of the first channel's correlation, the entries whose sum is written out
BELOW_TITLE = 0.3  # from the title (or the line naming the kernel) to the grids' names
ABOVE_BOTTOM_LINE = 0.25  # from the grids to the formula at the frame's bottom
# an input too large to number: its picture above, the window's numbers close up below it
PICTURE_AND_LOUPE = (3.0, 2.0)
LOUPE_GAP = 0.3
TERMS_WRITTEN = 3  # of a sum over every output cell pictured, the first terms written out
FOCUS_WIDTH = 5  # the outline of the dL/dz_k under discussion
FOCUS_FULL_CELL = 0.5  # numbers in cells smaller than this are read close up: the outline thins with them
SWEEP_ROW, SWEEP_BACK = 0.25, 0.1  # seconds a sweep takes along a row of the picture, and back to its start


class Patches(NamedTuple):
    """The scaled-patches screen: the grids the steps work on, and where a scaled patch stands."""

    input: NumberGrid | Picture
    dz: NumberGrid | Picture
    dw: NumberGrid
    middle: Box
    loupe: Box | None  # below the input's picture, where its window's numbers are written close up


class Correlation(NamedTuple):
    """The correlation screen as set: where things stand, the kernels of the filter (one per
    channel), the input shown and its name, the dilated dL/dZ and each channel's blank dL/dW."""

    stage: object
    kernels: list
    input: NumberGrid | Picture
    input_label: object
    dilated: NumberGrid | Picture
    dw: list


class KernelGradientStory(Story):
    name = "kernel-gradient"
    summary = "dL/dW as scaled input patches added up, then as one correlation of the input with the dilated dL/dZ; dL/db"
    draws_layers = True
    pictures_large_input = True
    pictures_large_layer = True

    def tell(self):
        first = KernelSlice(0, 0)
        with self.beat("At each step the patch under the kernel, scaled by ∂L/∂zₖ, is added into ∂L/∂W.",
                       self._patches_narration(first)):
            heading = self.show_title("The kernel gradient: scaled patches")
            screen = self.show_grids(self.name_kernel(heading, first), first)
        self.add_scaled_patches(screen, first)
        self.clear()
        whose = "each channel's input" if self.trace.config.channels > 1 else "the input"
        with self.beat(f"The same sum is one operation: {whose} correlated with ∂L/∂Z, dilated by the stride, "
                       f"step one.", self._correlation_narration(first)):
            heading = self.show_title("The kernel gradient is a convolution")
            correlation = self.show_correlation(heading, first.o)
        self.correlate_channels(correlation)
        self.clear()
        with self.beat("The bias touches every output, so its gradient is the sum of all ∂L/∂zₖ.",
                       self._bias_narration(first)):
            heading = self.show_title("The bias gradient")
            self.bias_gradient(heading, first)
        if self.trace.config.filters > 1:
            self.clear()
            with self.beat("Every other filter the same way, from its own ∂L/∂Z: a ∂L/∂W per channel and a ∂L/∂b.",
                           self._other_filters_narration()):
                heading = self.show_title("The other filters, the same way")
                self.other_filters(heading)
        self.wait(1.5)

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ------

    def _patches_narration(self, kernel: KernelSlice):
        whose, extra = "", {}
        if is_layered(self.trace):
            whose = " We work on one kernel, filter {filter}'s for input channel {channel}."
            extra = self._which(kernel)
        return say("Now the gradient of the whole kernel at once. ∂L/∂W is a sum over the steps k: at each step, "
                   "the patch of the input that sat under the kernel, scaled by ∂L/∂zₖ. Entry by entry, that is "
                   "the chain rule's sum for each weight." + whose, **extra)

    def _which(self, kernel: KernelSlice) -> dict:
        first = kernel.weight_gradient(0)
        return dict(filter=Num(first + ("filter_number",), 0), channel=Num(first + ("channel_number",), 0))

    @staticmethod
    def _step_caption(k: int, out_cols: int) -> str:
        """What step k does: the first patch, or where the window moved to take the next."""
        dz = f"∂L/∂z{subscript(k + 1)}"
        if k == 0:
            return f"Step 1: the first patch under the kernel, scaled by {dz}."
        if k % out_cols == 1:
            return f"Step {k + 1}: the window steps along the row; its patch, scaled by {dz}."
        if k % out_cols:
            return f"Step {k + 1}: further along the row, the patch there times {dz}."
        return f"Step {k + 1}: the window steps down a row; its patch, scaled by {dz}."

    def _step_narration(self, kernel: KernelSlice, k: int, r: int, c: int):
        t = self.trace
        dz = Num(kernel.dL_dZ + ((r, c),), 3)
        name = f"∂L/∂z{subscript(k + 1)}"
        if k == 0:
            return say(f"In the first window the patch is the input under the kernel. {name} is {{dz}}, so every "
                       f"number of the patch is multiplied by {{dz}}: its top-left number, {{x}}, becomes {{y}}.",
                       dz=dz, x=Num(("conv", "windows", kernel.c, (r, c), (0, 0)), t.values.decimals["input"]),
                       y=Num(kernel.scaled_window(r, c) + ((0, 0),), 3))
        if c > 1:
            return say(f"One more step along the row: this patch is scaled by {name}, {{dz}}.", dz=dz)
        moved = ("The window steps along the row by the column stride, {stride}" if c else
                 "The window steps down by the row stride, {stride}, to the start of the next row")
        return say(f"{moved}, and this patch is scaled by {name}, which is {{dz}}.", dz=dz,
                   stride=Num(("config", "stride", 1 if c else 0), 0))

    def _sum_narration(self, kernel: KernelSlice, more: int):
        first = Num(kernel.dL_dW + ((0, 0),), 3)
        if more > 0:
            return say("There is one scaled patch per output, {rows} by {cols} in all, and the others are made the "
                       "same way. Added up entry by entry, they give ∂L/∂W. Its first entry, {dw}, is ∂L/∂w₁: the "
                       "chain rule's sum for w₁.", rows=Num(("config", "conv_output_size", 0), 0),
                       cols=Num(("config", "conv_output_size", 1), 0), dw=first)
        return say("Added up entry by entry, these scaled patches give ∂L/∂W. Its first entry, {dw}, is ∂L/∂w₁: the "
                   "chain rule's sum for w₁.", dw=first)

    def _correlation_narration(self, kernel: KernelSlice):
        t = self.trace
        sh, sw = t.config.stride
        stride = dict(s=Num(("config", "stride", 0), 0))
        if (sh, sw) == (1, 1):
            dilate = "With a stride of {s} there is nothing to insert, so ∂L/∂Z is used as it is."
        elif sh == sw:
            dilate = "The stride is {s}, so s minus one zeros go between neighbouring entries."
        else:
            dilate = ("The stride is {s} down the rows and {s_w} across the columns, so s_h minus one zeros go "
                      "between its rows and s_w minus one between its columns.")
            stride["s_w"] = Num(("config", "stride", 1), 0)
        gaps = ""
        if has_gaps(t) and len(set(t.config.dilation)) == 1:
            gaps = " The kernel's taps stand {d} cells apart, so its placements stand {d} apart too."
            stride["d"] = Num(("config", "dilation", 0), 0)
        elif has_gaps(t):
            gaps = " The kernel's taps stand d apart, so its placements stand d apart too."
        return say("The same sum can be done as one operation. First, dilate ∂L/∂Z by the stride. " + dilate +
                   " Then slide the dilated ∂L/∂Z over the input with step one, multiplying and adding: a "
                   "correlation, in which each placement gives one entry of ∂L/∂W. The gradient of a convolution "
                   "is itself a convolution." + gaps, **stride)

    def _entries_narration(self, kernel: KernelSlice):
        first = Num(kernel.dL_dW + ((0, 0),), 3)
        if self.trace.conv.W.shape[3] < 2:  # a kernel one column wide: no second placement along the row
            return say("At the first placement the products add up to {v}: ∂L/∂w₁. The other placements fill in "
                       "the rest of ∂L/∂W.", v=first)
        return say("At the first placement the products add up to {v}: that is ∂L/∂w₁. At the next placement, one "
                   "to the right, they add up to {v2}, ∂L/∂w₂. The other placements fill in the rest of ∂L/∂W.",
                   v=first, v2=Num(kernel.dL_dW + ((0, 1),), 3))

    def _bias_narration(self, kernel: KernelSlice):
        whose, extra = "the bias", {}
        if is_layered(self.trace):
            whose, extra = "filter {filter}'s bias", {"filter": self._which(kernel)["filter"]}
        return say(f"Last, {whose}. It is added to every output, so a change in it changes every zₖ by the same "
                   f"amount, and each ∂zₖ/∂b is one. Its gradient is therefore the sum of all the ∂L/∂zₖ: {{db}}.",
                   db=Num(kernel.dL_db, self._bias_decimals(kernel, self._bias_terms())), **extra)

    def _other_filters_narration(self):
        second = KernelSlice(1, 0)
        return say("Every other filter works the same way, from its own ∂L/∂Z: one ∂L/∂W for each input channel, "
                   "each a correlation of that channel's input with the dilated ∂L/∂Z, and a bias gradient, the sum "
                   "of its ∂L/∂Z. For filter {filter}, that sum is {db}.", filter=self._which(second)["filter"],
                   db=Num(second.dL_db, 3))

    # -- scaled patches -----------------------------------------------------------------------------

    def name_kernel(self, heading, kernel: KernelSlice):
        """In a layer, under the title, which kernel the screen works on; what the grids stand under."""
        if not is_layered(self.trace):
            return heading
        o, c = kernel.o + 1, kernel.c + 1
        line = self.formula(f'"the kernel" W_({o},{c}) ":"', *kernel.which(self.trace), font_size=26, color=KERNEL)
        line.next_to(heading, DOWN, buff=0.15)
        self.play(FadeIn(line), run_time=0.5)
        return line

    def show_grids(self, above, kernel: KernelSlice) -> Patches:
        t = self.trace
        called = names(t, kernel)
        rule = self.formula(f"(partial L) / (partial W) = sum_k (partial L) / (partial z_k) dot \"patch\"_k",
                            font_size=28).to_edge(DOWN, buff=BOTTOM_MARGIN)
        stage = backward_stage(top=above.get_bottom()[1] - BELOW_TITLE,
                               bottom=rule.get_top()[1] + ABOVE_BOTTOM_LINE, upper_share=0.42)
        input_box, loupe_box = self._input_and_loupe(stage.input)
        input_grid = self._input_grid(input_box, kernel)
        dz_grid = map_view(t, kernel.dL_dZ, ("pictures", "dL_dzs", kernel.o), 3, grid_room(stage.upper_right),
                           GRADIENT)
        dw_grid = NumberGrid(t, kernel.dL_dW, 3, cell_for(t, kernel.dL_dW, 3, grid_room(stage.lower_right)),
                             GRADIENT, blank=True).move_to(grid_room(stage.lower_right).center)
        self.play(FadeIn(input_grid), FadeIn(self._input_label(input_grid, kernel)),
                  FadeIn(dz_grid), FadeIn(self._name(called["dL_dZ"], dz_grid)),
                  Create(dw_grid.squares), FadeIn(self._name(called["dL_dW"], dw_grid)),
                  FadeIn(rule), run_time=1.0)
        return Patches(input_grid, dz_grid, dw_grid, stage.middle, loupe_box)

    def _input_and_loupe(self, box: Box) -> tuple[Box, Box | None]:
        """The input's column: all of it for numbers; for a picture, the picture above and the
        room for its window's numbers close up below."""
        if numberable(self.trace.conv.X_padded.shape[1:]):
            return box, None
        picture, loupe = one_above_another(box, PICTURE_AND_LOUPE, gap=LOUPE_GAP)
        return picture, loupe

    def add_scaled_patches(self, screen: Patches, kernel: KernelSlice):
        t = self.trace
        oh, ow = t.conv.Z.shape[1:]
        shape = t.conv.W.shape[2:]
        previous = VGroup()
        for k in range(min(oh * ow, PATCHES_IN_FULL)):
            r, c = divmod(k, ow)
            with self.beat(self._step_caption(k, ow), self._step_narration(kernel, k, r, c)):
                claim = ("geometry", "window_cells", (r, c))
                window = VGroup(KernelWindow(screen.input, t, claim))
                if has_gaps(t):  # the taps stand apart: the cells between them are not in the patch
                    window.add(gap_marks(screen.input, t, r, c))
                focus = CellMarks(screen.dz, t, ("geometry", "output_cells", (r, c)), stroke=FOCUS,
                                  stroke_width=self._focus_width(screen.dz))
                scaled = NumberGrid(t, kernel.scaled_window(r, c), 3, cell_for(t, kernel.scaled_window(r, c), 3, screen.middle, 0.8),
                                    GRADIENT).move_to(screen.middle.center)
                label = self.formula(f"(partial L) / (partial z_{k + 1}) dot \"patch\"_{k + 1} =",
                                     Num(kernel.dL_dZ + ((r, c),), 3, color=GRADIENT), "dot \"patch\"",
                                     font_size=24).next_to(scaled, UP, buff=0.15)
                patch, loupe = self._patch(screen, kernel, claim, window)
                self.play(FadeOut(previous), run_time=0.3)
                with self.closely(window, *loupe, digits=patch, opening=[Create(window), *map(FadeIn, loupe)]):
                    self.wait(0.5)
                dz_digits = [] if is_picture(screen.dz) else [screen.dz.label(r, c)]  # a picture's is in the label
                with self.closely(focus, digits=dz_digits, opening=[FadeIn(focus)]):
                    self.wait(0.5)
                with self.closely(scaled, label, digits=scaled.numbers):
                    self.play(TransformFromCopy(patch, scaled.numbers), FadeIn(scaled.squares), FadeIn(label),
                              run_time=1.0)
                    self.wait(0.6)
                self.play(FadeOut(window), FadeOut(focus), *map(FadeOut, loupe), run_time=0.3)
                previous = VGroup(scaled, label)
        more = oh * ow - PATCHES_IN_FULL
        with self.beat("Adding every scaled patch, entry by entry, gives ∂L/∂W.", self._sum_narration(kernel, more)):
            note = plain("… and the other scaled patches, one per output" if more > 0 else "their sum:",
                         font_size=LABEL_SIZE).move_to(screen.middle.center)
            self.play(FadeOut(previous), FadeIn(note), run_time=0.5)
            if more > 0 and (is_picture(screen.input) or is_picture(screen.dz)):
                self._sweep_patches(screen, PATCHES_IN_FULL)
            cells = screen.dw.fill(t, cells_at(t, ("geometry", "kernel_cells")))
            with self.closely(screen.dw, digits=cells):
                self.play(LaggedStart(*(FadeIn(cell) for cell in cells), lag_ratio=0.15), run_time=1.5)
                self.wait(1.0)

    def _patch(self, screen: Patches, kernel: KernelSlice, claim, window) -> tuple[VGroup, list]:
        """The numbers under ``window`` and what writes them: the input grid's own, or on a
        picture a ``Loupe`` of the window's numbers in the room below it (the list's one item)."""
        t = self.trace
        if screen.loupe is None:
            return VGroup(*(screen.input.label(*rc) for rc in cells_at(t, claim))), []
        loupe = Loupe(t, ("conv", "windows", kernel.c, claim[-1]), t.values.decimals["input"],
                      fit_cell(screen.loupe, t.conv.W.shape[2:]), INPUT).move_to(screen.loupe.center).join(window)
        return loupe.grid.numbers, [loupe]

    def _sweep_patches(self, screen: Patches, first: int):
        """The steps from ``first`` on in one sweep over the pictures: the window along each row of
        the input, dL/dz_k's cell with it, as the forward pass sweeps its picture."""
        t = self.trace
        ow = t.conv.Z.shape[2]
        start = divmod(first, ow)
        window = KernelWindow(screen.input, t, ("geometry", "window_cells", start))
        focus = Outline(screen.dz, t, ("geometry", "output_cells", start), color=FOCUS, stroke_width=4)
        self.play(Create(window), Create(focus), run_time=0.4)
        for r, c in self._sweep_stops(start):
            self.play(window.step_to(screen.input, t, ("geometry", "window_cells", (r, c))),
                      focus.step_to(screen.dz, t, ("geometry", "output_cells", (r, c))),
                      run_time=SWEEP_ROW if c else SWEEP_BACK)
        self.play(FadeOut(window), FadeOut(focus), run_time=0.3)

    def _sweep_stops(self, start) -> list[tuple[int, int]]:
        """Where a sweep from output cell ``start`` stops: the end of its row, then the start and
        the end of every row after it."""
        oh, ow = self.trace.conv.Z.shape[1:]
        stops = [(start[0], ow - 1)] if start[1] < ow - 1 else []
        for r in range(start[0] + 1, oh):
            stops += [(r, 0), (r, ow - 1)] if ow > 1 else [(r, 0)]
        return stops

    # -- one correlation ---------------------------------------------------------------------------------

    def show_correlation(self, heading, o: int) -> "Correlation":
        """Filter o's dL/dZ dilated beside the first channel's input and the blank dL/dW of each
        channel, ready to be correlated (``correlate_channels``)."""
        t = self.trace
        kernels = [KernelSlice(o, c) for c in range(t.config.channels)]
        stage = backward_stage(top=heading.get_bottom()[1] - BELOW_TITLE,
                               bottom=self._entry_line(kernels[0], 0, 0).get_top()[1] + ABOVE_BOTTOM_LINE)
        middle = grid_room(stage.middle)
        dilated_grid = map_view(t, kernels[0].dilated_dL_dZ, ("pictures", "dilated_dL_dzs", o), 3, middle, GRADIENT,
                                max_cell=0.8, muted=("geometry", "inserted_zero_mask"))
        caption = self.formula(f"(partial L) / (partial {names(t, kernels[0])['Z']}) \" dilated: \" s - 1 "
                               "\" zeros between entries\"", font_size=22, color=GRADIENT
                               ).next_to(dilated_grid, UP, buff=0.12)
        shrink_to_width(caption, stage.middle.width + 0.3)
        if has_gaps(t):  # why the window below jumps d cells from one entry of dL/dW to the next
            apart = plain("the kernel's taps stand d apart, so do its placements", font_size=LABEL_SIZE, color=MUTED)
            caption = VGroup(caption, shrink_to_width(apart, stage.middle.width).next_to(dilated_grid, DOWN, buff=0.2))
        dw_grids = self._kernel_gradients(stage.right if len(kernels) > 1 else stage.lower_right, kernels)
        dw_names = VGroup(*(self._name(names(t, k)["dL_dW"], g) for k, g in zip(kernels, dw_grids)))
        input_grid = self._input_grid(stage.input, kernels[0])
        input_label = self._input_label(input_grid, kernels[0])
        self.play(FadeIn(input_grid), FadeIn(input_label), run_time=0.8)
        self.play(FadeIn(dilated_grid), FadeIn(caption), *(Create(g.squares) for g in dw_grids), FadeIn(dw_names),
                  run_time=1.0)
        return Correlation(stage, kernels, input_grid, input_label, dilated_grid, dw_grids)

    def correlate_channels(self, shown: "Correlation"):
        """Each channel's input correlated with the dilated dL/dZ, filling that channel's dL/dW:
        the first channel's first entries with their sum written out, the others' in one beat."""
        input_grid, input_label = shown.input, shown.input_label
        first = shown.kernels[0]
        with self.beat("Each placement of the dilated ∂L/∂Z on the input gives one entry of ∂L/∂W.",
                       self._entries_narration(first)):
            self._correlate(input_grid, shown.dilated, shown.dw[0], first, written=ENTRIES_WRITTEN)
        if len(shown.kernels) > 1:
            with self.beat("Each other channel: its own input, the same dilated ∂L/∂Z, its own ∂L/∂W.",
                           say("Each other input channel is correlated with the same dilated ∂L/∂Z of filter "
                               "{filter}, and fills its own ∂L/∂W.", filter=self._which(first)["filter"])):
                for kernel, dw_grid in zip(shown.kernels[1:], shown.dw[1:]):
                    old = VGroup(input_grid, input_label)
                    input_grid = self._input_grid(shown.stage.input, kernel)
                    input_label = self._input_label(input_grid, kernel)
                    self.play(FadeOut(old), FadeIn(input_grid), FadeIn(input_label), run_time=0.6)
                    self._correlate(input_grid, shown.dilated, dw_grid, kernel, written=0)
        self.wait(1.0)

    def _correlate(self, input_grid, dilated_grid, dw_grid, kernel: KernelSlice, written: int):
        """The dilated dL/dZ slid over the input, one placement per kernel entry (d cells apart),
        each filling its entry of dL/dW; the first ``written`` with their sum written out (on a
        picture, its first terms, marked on both maps, and the rest swept)."""
        t = self.trace
        kh, kw = t.conv.W.shape[2:]
        window = Outline(input_grid, t, ("geometry", "correlation_cells", (0, 0)), color=GRADIENT)
        self.play(Create(window), run_time=0.6)
        quick = []
        for a in range(kh):
            for b in range(kw):
                spot = ("geometry", "correlation_cells", (a, b))
                [target] = dw_grid.fill(t, [(a, b)])
                if a * kw + b < written:
                    line = self._entry_line(kernel, a, b)
                    focus = CellMarks(dw_grid, t, ("geometry", "kernel_cells", (a, b)), stroke=FOCUS, stroke_width=5)
                    self.play(window.step_to(input_grid, t, spot), FadeIn(line), run_time=0.8)
                    if is_picture(input_grid):
                        self._sweep_terms(input_grid, dilated_grid, a, b)
                    with self.closely(focus, digits=[target], opening=[FadeIn(focus)], closing=[FadeOut(focus)]):
                        self.play(TransformFromCopy(line.term("v"), target), run_time=0.7)
                        self.wait(0.5)
                    self.play(FadeOut(line), run_time=0.3)
                elif not kernel.c:
                    self.play(window.step_to(input_grid, t, spot), run_time=0.35)
                    with self.closely(target, digits=[target], opening=[FadeIn(target)]):
                        pass
                else:  # a later channel: the placements in one sweep, the entries read close up together
                    self.play(window.step_to(input_grid, t, spot), FadeIn(target), run_time=0.2)
                    quick.append(target)
        if quick:
            with self.closely(dw_grid, digits=quick):
                self.wait(0.6)
        self.play(FadeOut(window), run_time=0.3)

    def _entry_line(self, kernel: KernelSlice, a: int, b: int):
        """Entry (a, b) of dL/dW as the sum the correlation makes, at the frame's bottom; over a
        picture, with its first terms written out (x under w times dL/dz), the rest as dots."""
        kw = self.trace.conv.W.shape[3]
        return shrink_to_width(self.formula(
            f"(partial L) / (partial w_{a * kw + b + 1}) = sum (X_\"window\" dot.o",
            "(partial L) / (partial Z)_\"dilated\") =", *self._first_terms(kernel, a * kw + b),
            Num(kernel.dL_dW + ((a, b),), 3, color=GRADIENT, label="v"),
            font_size=26), MAX_TEXT_WIDTH).to_edge(DOWN, buff=BOTTOM_MARGIN)

    def _first_terms(self, kernel: KernelSlice, i: int) -> list:
        """Formula parts "x dot dL/dz + ... + dots =" of weight i's first chain-rule terms, when
        the input is a picture (its sum has too many terms to see whole); none otherwise."""
        t = self.trace
        if numberable(t.conv.X_padded.shape[1:]):
            return []
        parts = []
        for k in range(min(TERMS_WRITTEN, t.conv.Z.shape[1] * t.conv.Z.shape[2])):
            term = kernel.weight_gradient(i) + ("terms", k)
            parts += (["+"] if k else []) + [Num(term + ("dz_dw",), t.values.decimals["input"], paren=bool(k)),
                                             "dot", Num(term + ("dL_dz",), 3, paren=True, color=GRADIENT)]
        return parts + ["+ dots ="]

    def _sweep_terms(self, input_grid, dilated_grid, a: int, b: int):
        """Entry (a, b)'s terms on the pictures: the first ones written, their input cells and
        dL/dz cells lit, then every row of terms swept, the input under w_(a,b) beside the
        dilated dL/dZ's entries."""
        t = self.trace
        oh, ow = t.conv.Z.shape[1:]
        firsts = [divmod(k, ow) for k in range(min(TERMS_WRITTEN, oh * ow))]
        lit = VGroup(*(self._lit(input_grid, ("geometry", "weight_cells", (a, b), rc)) for rc in firsts),
                     *(self._lit(dilated_grid, ("geometry", "dilated_entries", rc)) for rc in firsts))
        self.play(FadeIn(lit), run_time=0.5)
        self.wait(0.5)
        row = Outline(input_grid, t, ("geometry", "weight_cells", (a, b), 0), color=FOCUS, stroke_width=3)
        entries = Outline(dilated_grid, t, ("geometry", "dilated_entries", 0), color=FOCUS, stroke_width=3)
        self.play(FadeOut(lit), Create(row), Create(entries), run_time=0.4)
        self.play(row.step_to(input_grid, t, ("geometry", "weight_cells", (a, b), oh - 1)),
                  entries.step_to(dilated_grid, t, ("geometry", "dilated_entries", oh - 1)), run_time=1.0)
        self.play(FadeOut(row), FadeOut(entries), run_time=0.3)

    # -- bias ----------------------------------------------------------------------------------------------

    def bias_gradient(self, heading, kernel: KernelSlice):
        t = self.trace
        oh, ow = t.conv.Z.shape[1:]
        shown = self._bias_terms()
        decimals = self._bias_decimals(kernel, shown)
        parts = [f"{names(t, kernel)['dL_db']} = sum_k (partial L) / (partial z_k) ="]
        for i, rc in enumerate(shown):
            parts += (["+"] if i else []) + [Num(kernel.dL_dZ + (rc,), decimals, paren=bool(i), color=GRADIENT)]
        if oh * ow > len(shown):
            parts.append("+ dots")
        parts += ["=", Num(kernel.dL_db, decimals, color=GRADIENT)]
        line = shrink_to_width(self.formula(*parts, font_size=28), MAX_TEXT_WIDTH)
        room = Box(STAGE.left, STAGE.right, FRAME.bottom + BOTTOM_MARGIN, heading.get_bottom()[1] - BELOW_TITLE)
        # dL/dZ over the sum of its entries, the pair centred in the room under the title
        grid_box = Box(0, room.width * BIAS_GRID_SHARE, 0, room.height - line.height - BIAS_GAP - 2 * BIAS_GAP)
        grid = map_view(t, kernel.dL_dZ, ("pictures", "dL_dzs", kernel.o), 3, grid_box, GRADIENT)
        VGroup(grid, line).arrange(DOWN, buff=BIAS_GAP).move_to(room.center)
        self.play(FadeIn(grid), run_time=0.7)
        self.play(FadeIn(line, shift=UP * 0.2), run_time=1.0)
        if is_picture(grid):
            self._sweep_outputs(grid, shown)

    def _bias_terms(self) -> list[tuple[int, int]]:
        """The cells of dL/dZ whose entries the bias's sum writes out: the first BIAS_TERMS_SHOWN."""
        oh, ow = self.trace.conv.Z.shape[1:]
        return [divmod(k, ow) for k in range(min(oh * ow, BIAS_TERMS_SHOWN))]

    def _bias_decimals(self, kernel: KernelSlice, shown) -> int:
        """Three decimals, or as many more as make every term written add up to the total written
        (a sum written whole; one ending in dots is not added up on screen)."""
        t = self.trace
        if len(shown) < t.conv.Z.shape[1] * t.conv.Z.shape[2]:
            return 3
        return decimals_that_add([lookup(t, kernel.dL_dZ + (rc,)) for rc in shown], lookup(t, kernel.dL_db), 3)

    def _sweep_outputs(self, picture, shown):
        """The terms written, lit on the picture of dL/dZ, then its rows swept: the "…" is every other cell."""
        t = self.trace
        lit = VGroup(*(self._lit(picture, ("geometry", "output_cells", rc)) for rc in shown))
        self.play(FadeIn(lit), run_time=0.5)
        row = Outline(picture, t, ("geometry", "output_cells", 0), color=FOCUS, stroke_width=3)
        self.play(FadeOut(lit), Create(row), run_time=0.4)
        self.play(row.step_to(picture, t, ("geometry", "output_cells", t.conv.Z.shape[1] - 1)), run_time=1.0)
        self.play(FadeOut(row), run_time=0.3)

    # -- the other filters -----------------------------------------------------------------------------------

    def other_filters(self, heading):
        """Filter by filter, its dL/dZ beside its dL/dW per channel and its dL/db: the results of
        the steps shown for filter 1, each read from the trace."""
        t = self.trace
        shown = VGroup()
        for o in range(1, t.config.filters):
            kernels = [KernelSlice(o, c) for c in range(t.config.channels)]
            called = names(t, KernelSlice(o, 0))
            which = self.formula(f'"each" "dL/dW"_({o + 1},c) "of"', *kernels[0].which(t)[:2],
                                 f'"is the input" X_c "correlated with" {called["dL_dZ"]} "dilated"', font_size=26)
            shrink_to_width(which, MAX_TEXT_WIDTH)
            which.next_to(heading, DOWN, buff=0.2)
            bias = self.formula(f"{names(t, kernels[0])['dL_db']} = sum (partial L) / (partial {names(t, kernels[0])['Z']}) =",
                                Num(kernels[0].dL_db, 3, color=GRADIENT), font_size=28)
            bias.to_edge(DOWN, buff=BOTTOM_MARGIN)
            area = Box(STAGE.left, STAGE.right, bias.get_top()[1] + ABOVE_BOTTOM_LINE,
                       which.get_bottom()[1] - BELOW_TITLE)
            shapes = [t.conv.Z.shape[1:]] + [t.conv.W.shape[2:]] * len(kernels)
            boxes = [grid_room(box) for box in panel_boxes(area, shapes, least=3)]
            chars = chars_for(lookup(t, ("conv_grad", "dL_dW", o)), 3)
            cell = min(fit_cell(box, shape) for box, shape in zip(boxes[1:], shapes[1:]))
            grids = [map_view(t, kernels[0].dL_dZ, ("pictures", "dL_dzs", o), 3, boxes[0], GRADIENT)]
            grids += [NumberGrid(t, k.dL_dW, 3, cell, GRADIENT, chars=chars) for k in kernels]
            panels = VGroup(*(
                LabelledPanel(grid.move_to(box.center), self._name(name, grid))
                for grid, box, name in zip(grids, boxes, [names(t, kernels[0])["dL_dZ"]]
                                           + [names(t, k)["dL_dW"] for k in kernels])))
            self.play(FadeOut(shown), FadeIn(which), FadeIn(panels), FadeIn(bias), run_time=0.8)
            self.wait(2.0)
            shown = VGroup(which, panels, bias)

    # -- helpers -------------------------------------------------------------------------------------------

    def _kernel_gradients(self, box: Box, kernels) -> list[NumberGrid]:
        """A filter's dL/dW, one blank grid per channel, one above another in ``box``."""
        t = self.trace
        rooms = [grid_room(b) for b in stacked(box, len(kernels))]
        rows, cols = t.conv.W.shape[2:]
        chars = chars_for(lookup(t, ("conv_grad", "dL_dW", kernels[0].o)), 3)
        cell = fit_cells(rooms[0], (rows, cols), chars)  # the rooms are alike: one cell for every channel
        if len(kernels) > 1:  # stacked grids are short: cells as wide as the column allows, for legible numbers
            cell = (min(rooms[0].width / cols, WIDE_CELL), min(rooms[0].height / rows, MAX_CELL))
        return [NumberGrid(t, k.dL_dW, 3, cell, GRADIENT, blank=True, chars=chars).move_to(room.center)
                for k, room in zip(kernels, rooms)]

    def _input_grid(self, box: Box, kernel: KernelSlice):
        """The kernel's channel of the padded input in ``box``: numbers, or a picture when too large."""
        t = self.trace
        return map_view(t, kernel.input, ("pictures", "inputs", kernel.c), t.values.decimals["input"], grid_room(box),
                        INPUT, muted=("geometry", "padding_mask"))

    def _input_label(self, grid, kernel: KernelSlice):
        if not is_layered(self.trace):
            label = plain(self.input_name(), font_size=LABEL_SIZE, color=INPUT)
        else:
            padded = ' "(zero-padded)"' if self.trace.config.padding else ""
            label = self.formula(f'"input" {names(self.trace, kernel)["input"]}{padded}', font_size=LABEL_SIZE,
                                 color=INPUT)
        return name_above(label, grid)

    def _name(self, typst: str, grid):
        """A gradient grid's name above it: plain words when it has no subscript, as before layers."""
        if typst.startswith('"') and typst.endswith('"') and typst.count('"') == 2:
            name = plain(typst.strip('"'), font_size=LABEL_SIZE, color=GRADIENT)
        else:
            name = self.formula(typst, font_size=LABEL_SIZE, color=GRADIENT)
        return name_above(name, grid)

    @staticmethod
    def _focus_width(grid) -> float:
        """The focus outline's width on ``grid``: full on a picture (its cells are only seen whole)
        and on large cells, thinner on small numbered ones, which the camera brings close, so
        that the outline does not cover the number it marks."""
        if is_picture(grid):
            return FOCUS_WIDTH
        return FOCUS_WIDTH * min(1.0, grid.cell_size / FOCUS_FULL_CELL)

    def _lit(self, grid, claim) -> CellMarks:
        """The cells at ``claim`` filled in the focus colour: a term's cell, visible on a picture's tiny cells."""
        return CellMarks(grid, self.trace, claim, fill=FOCUS, fill_opacity=0.7, stroke=FOCUS, stroke_width=2)


class KernelGradientScene(StoryScene):
    story = KernelGradientStory
