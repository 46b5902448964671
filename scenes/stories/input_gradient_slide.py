"""The rotated kernel's slide over the padded dilated dL/dZ, with step one: each position gives
one cell of dL/d(padded X) (for a layer, filter 1's share of every channel), the first few worked
in full (the entries under the window, then for each channel its rotated kernel, the sum and the
cell it fills), the rest swept row by row; cells no forward window reached stay zero.

On a picture (an input too large to number) dL/d(padded X) fills in cell by cell as each sum is
written, the window's entries are written out close up beside it (a ``Loupe``), and the rest of
the slide sweeps a few rows at a time.
"""

from manim import UP, Create, LaggedStart, TransformFromCopy, VGroup

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.full_convolution import (
    DECIMALS, full_window, step_equation, sweeps, under_caption, under_window,
)
from convprop.scenes.kit.grid import KernelWindow, NumberGrid
from convprop.scenes.kit.grid_names import over_cells
from convprop.scenes.kit.input_gradient_stage import Shown, gradient_picture
from convprop.scenes.kit.layout import line_in, shrink_to_width
from convprop.scenes.kit.loupe import Loupe
from convprop.scenes.kit.map_view import is_picture, numberable
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.style import FOCUS, GRADIENT, LABEL_SIZE, MUTED, SKIPPED
from convprop.scenes.narration import say, subscript
from convprop.scenes.stories.input_gradient_rotated_kernel import RotatedKernel

STEPS_IN_FULL = 3  # with one channel; one fewer for each further channel, at least one


def filter_number(o: int = 0) -> Num:
    """Filter o as the lecture counts it, from 1, read from the trace: words never type it."""
    return Num(("conv_grad", "channel_weight_gradients", o, 0, 0, "filter_number"), 0)


def channel_number(c: int) -> Num:
    """Input channel c as the lecture counts it, from 1, read from the trace."""
    return Num(("conv_grad", "channel_weight_gradients", 0, c, 0, "channel_number"), 0)


class TheSlide(RotatedKernel):

    def slide(self, stage, names, shown):
        """Filter 1's rotated kernels slide over its padded dilated gradient; each position gives
        one cell of filter 1's share of every channel. Returns the channels' grids and what stays."""
        t = self.trace
        channels = t.config.channels
        rows, cols = t.geometry.used_shape
        results = [self._result_view(stage, names, c, box) for c, box in enumerate(stage.result_boxes)]
        padded = " (padded)" if t.config.padding else ""
        labels = [shrink_to_width(over_cells(t, f"dL/dX{padded}" if names.single
                                             else f"\"dL/dX\"_{c + 1} \"via\" W_(1,{c + 1})", grid), box.width)
                  for c, (grid, box) in enumerate(zip(results, stage.result_boxes))]
        steps = [(r, c) for r in range(rows) for c in range(cols)]
        in_full = max(1, STEPS_IN_FULL - (channels - 1))
        pd_grid = shown.grid
        with self.beat("Slide the rotated kernel over it with step one; each position gives one input gradient."
                       if names.single else
                       "Slide the rotated kernels over it with step one; each position gives one input gradient "
                       "of every channel, from filter 1.", self._slide_narration(names)):
            window = KernelWindow(pd_grid, t, full_window(0, 0))
            self.play(*(FadeIn(g) if is_picture(g) else Create(g.squares) for g in results),
                      *(FadeIn(label) for label in labels),
                      FadeOut(shown.line), *(FadeOut(m) for m in shown.leftovers), Create(window), run_time=1.0)
        on_screen = []  # what a step in full leaves on screen
        rotated = (shown.rotated, shown.rotated_label)
        for k, (r, c) in enumerate(steps[:in_full]):
            with self.beat(self._step_caption(names, k, c), self._step_narration(names, k, r, c)):
                on_screen, rotated = self._full_step(stage, names, k, r, c, pd_grid, window, results, on_screen,
                                                     rotated)
        with self.beat("The remaining positions, row by row, in the same way.",
                       say("The remaining positions work the same way, row by row, and fill in the rest of "
                           + ("∂L/∂X." if names.single else "filter {filter}'s share of every channel."),
                           **({} if names.single else {"filter": filter_number()}))):
            self.play(*(FadeOut(m) for m in on_screen), run_time=0.4)
            for cells in sweeps(steps[in_full:], pictured=is_picture(results[0])):
                self._sweep(cells, pd_grid, window, results)
            self.play(FadeOut(window), run_time=0.4)
        self.wait(0.5)
        leftovers = self._unreached(stage, results)
        return results, Shown(grid=pd_grid, label=shown.label, rotated=rotated[0], rotated_label=rotated[1],
                              titles=VGroup(*labels), leftovers=leftovers)

    # -- steps -----------------------------------------------------------------------------------

    def _step_caption(self, names, k, c):
        """What position k does: the first one says what each sum is; the next ones where the
        window moved."""
        if k:
            if c == 0:
                return "Down to the next row: the same sum, over the entries now under the window."
            return ("One step to the right: the same sum gives the next cell." if k == 1 else
                    "And one more step to the right: its sum fills the cell after.")
        if self.trace.config.dilation != (1, 1):
            return ("The rotated kernel's taps stand d apart, as W's did: the grey cells between them are "
                    "skipped. Each input cell collects the entries under the taps times the rotated kernel, "
                    "added up.")
        if names.single:
            return ("Each input cell collects ∂L/∂z times the weight that touched it: "
                    "the entries under the window times W rotated, added up.")
        return ("Each input cell collects ∂L/∂z times the weight that touched it: the entries under the window "
                "times each channel's rotated kernel, added up, give filter 1's share of that channel's cell.")

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ------

    def _slide_narration(self, names):
        if names.single:
            return say("Now slide the rotated kernel over the padded, dilated gradient with step one. At each "
                       "position, multiply the entries under it by the kernel's weights and add up: that gives the "
                       "gradient of one input cell.")
        return say("Now slide the rotated kernels over filter {filter}'s padded, dilated gradient with step one. At "
                   "each position, the entries under the window times each channel's rotated kernel, added up, give "
                   "filter {filter}'s share of one cell of that channel.", filter=filter_number())

    def _step_narration(self, names, k, r, c):
        """Position k: where the window went, and the sum it gives each channel's cell, named as
        the step's equation names it (its place in the padded input, counted from 1)."""
        t = self.trace
        x = f"x{subscript(r * t.conv.padded_input.shape[1] + c + 1)}"
        cell = f"the padded input's cell {x}" if t.config.padding else f"input cell {x}"
        values = {}
        if k == 0:
            where = ""
            if t.config.dilation != (1, 1):  # dilated: the taps' distance, named when it is one for both axes
                where = "The rotated kernel's taps stand d apart, as W's did, "
                if len(set(t.config.dilation)) == 1:
                    where = "The rotated kernel's taps stand {d} cells apart, as W's did, "
                    values["d"] = Num(("config", "dilation", 0), 0)
                where += "so the grey cells between them are skipped. "
            where += ("At the first position, each entry under the window is a ∂L/∂z, and each weight of the "
                      "rotated kernel is the weight that carried that input cell into that z. ")
        elif c == 0:
            where = "Down to the start of the next row. "
        else:
            where = "One step to the right. " if k == 1 else "One more step to the right. "
        if names.single:
            return say(where + f"Multiplied entry by entry and added up, they give {{v}}: the gradient of {cell}.",
                       v=Num(names.share(0, 0) + ((r, c),), DECIMALS), **values)
        values["filter"] = filter_number()
        shares = []
        for ch in range(t.config.channels):
            values[f"channel{ch}"] = channel_number(ch)
            values[f"v{ch}"] = Num(names.share(0, ch) + ((r, c),), DECIMALS)
            shares.append(f"{{v{ch}}} for channel {{channel{ch}}}")
        return say(where + f"With each channel's rotated kernel, multiplied entry by entry and added up, they give "
                   f"filter {{filter}}'s share of {cell} of that channel: " + ", ".join(shares) + ".", **values)

    def _full_step(self, stage, names, k, r, c, pd_grid, window, results, on_screen, rotated):
        """One position in full: the entries under the window, then for each channel its rotated
        kernel, the sum and the cell it fills. Returns what stays on screen and the kernel shown."""
        t = self.trace
        if k:
            self.play(window.step_to(pd_grid, t, full_window(r, c)), *(FadeOut(m) for m in on_screen),
                      run_time=0.8)
        patch = CellMarks(pd_grid, t, full_window(r, c), fill=GRADIENT, fill_opacity=0.25)
        gaps = CellMarks(pd_grid, t, ("geometry", "full_gap_cells", (r, c)), fill=SKIPPED, fill_opacity=0.6,
                         stroke=MUTED)
        self.play(FadeIn(patch), FadeIn(gaps), run_time=0.4)
        if is_picture(pd_grid):  # no numbers on a picture: the window's entries close up, joined to it
            under = Loupe(t, ("full_windows", 0, (r, c)), DECIMALS, stage.middle_cell, GRADIENT
                          ).move_to(stage.window_box.center).join(window)
            under_label = under_caption(under.grid)
            with self.closely(under, under_label, digits=under.grid.numbers,
                              opening=[FadeIn(under), FadeIn(under_label)]):
                self.wait(0.8)
        else:
            under, under_label = under_window(t, r, c, pd_grid, stage.window_box, stage.middle_cell)
            cells = cells_at(t, full_window(r, c))
            with self.closely(under, under_label, digits=under.numbers):
                self.play(TransformFromCopy(VGroup(*(pd_grid.label(*rc) for rc in cells)), under.numbers),
                          FadeIn(under.squares), FadeIn(under_label), run_time=1.0)
        shown = [patch, gaps, under, under_label]
        for ch, result in enumerate(results):
            if ch:
                rotated = self.swap_kernel(stage, names, ch, rotated)
            target = CellMarks(result, t, ("geometry", "padded_cells", (r, c)), stroke=FOCUS, stroke_width=5)
            equation = line_in(step_equation(t, names, ch, r, c, result.cols), stage.line)
            self.play(*(FadeOut(m) for m in shown[4:]), FadeIn(equation, shift=UP * 0.2), run_time=0.8)
            if is_picture(result):  # the sum just written paints its cell, as forward-pass paints z
                self.play(Create(target), *result.reveal([(r, c)]), run_time=0.8)
            else:
                [cell] = result.fill(t, [(r, c)])
                with self.closely(target, digits=[cell], opening=[FadeIn(target)]):
                    self.play(TransformFromCopy(equation.term("v"), cell), run_time=0.8)
            self.wait(1.0 if k == 0 else 0.5)
            shown = shown[:4] + [equation, target]
        return shown, rotated

    def _sweep(self, cells, pd_grid, window, results):
        """The rest of one row (or of a few rows) in one movement: the window sweeps, every
        channel's cells appear."""
        # a picture's cells paint together: lagged, their group would take them out of the picture
        paint = [step for result in results if is_picture(result) for step in result.reveal(cells)]
        appear = [FadeIn(label) for result in results if not is_picture(result)
                  for label in result.fill(self.trace, cells)]
        self.play(window.step_to(pd_grid, self.trace, full_window(*cells[-1])), *paint,
                  *([LaggedStart(*appear, lag_ratio=0.3 / len(results))] if appear else []),
                  run_time=min(0.25 * len(cells), 1.2))

    def _unreached(self, stage, results):
        """Cells of the padded input that no forward window covered: their gradient stays zero."""
        t = self.trace
        skipped = cells_at(t, ("geometry", "skipped_cells"))
        if not skipped:
            return []
        dilated = t.config.dilation != (1, 1)
        with self.beat("No tap of any forward window read these cells, so nothing flows back to them: zero."
                       if dilated else "No forward window reached these cells, so nothing flows back to them: zero.",
                       say("The grey cells were read by no tap of any forward window: the dilated kernel stepped "
                           "over them. They never reached the loss, so their gradient is zero." if dilated else
                           "The grey cells were under no forward window at all: the stride stepped over them. "
                           "They never reached the loss, so their gradient is zero.")):
            shades = [CellMarks(result, t, ("geometry", "skipped_cells"), fill=SKIPPED, fill_opacity=0.85,
                                stroke=SKIPPED) for result in results]
            # a dilated window's gaps may lie inside the slide, whose zeros are written already: they turn grey
            shown = [{label.source[-1]: label for label in result.numbers} for result in results]
            greyed = [on[rc].animate.set_color(MUTED) for on in shown for rc in skipped if rc in on]
            zeros = [FadeIn(z) for result, on in zip(results, shown) if not is_picture(result)
                     for z in result.fill(t, [rc for rc in skipped if rc not in on], color=MUTED)]
            zeros += [paint for result in results if is_picture(result) for paint in result.reveal(skipped)]
            note = line_in(plain("grey cells: no tap of any window read them, so their gradient is zero"
                                 if dilated else
                                 "grey cells: no window ever covered them, so their gradient is zero",
                                 font_size=LABEL_SIZE + 2, color=MUTED), stage.line)
            self.play(*(FadeIn(s) for s in shades), *greyed, *zeros, FadeIn(note), run_time=0.8)
            self.scene.bring_to_front(*(on[rc] for on in shown for rc in skipped if rc in on))  # above the shade
            self.wait(1.5)
            return [*shades, note]

    # -- views -----------------------------------------------------------------------------------

    def _result_view(self, stage, names, c, box):
        """Filter 1's share of padded channel ``c``, blank, to fill in step by step: numbers in the
        right column's cell, or a picture when the padded input is too large to number."""
        t = self.trace
        if numberable(t.conv.padded_input.shape):
            return NumberGrid(t, names.share(0, c), DECIMALS, stage.result_cell, GRADIENT, blank=True
                              ).move_to(box.center)
        return gradient_picture(t, ("pictures", "dL_dpadded_inputs", c), box, blank=True)
