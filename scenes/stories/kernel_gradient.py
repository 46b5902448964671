"""The kernel gradient two ways, and the bias gradient.

First as a student adds it up: at every step k the patch under the kernel is scaled by dL/dz_k,
and the scaled patches add up to dL/dW. Then the same numbers as one operation: the input
correlated, with step 1, with dL/dZ dilated by the stride (s-1 zeros between its entries),
which is why the gradient of a convolution is itself a convolution. Last, dL/db = sum_k dL/dz_k.
"""

from manim import DOWN, UP, Create, FadeIn, FadeOut, LaggedStart, TransformFromCopy, VGroup

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, fit_cell, shrink_to_width
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, LABEL_SIZE
from convprop.scenes.story import Story, StoryScene

INPUT_BOX = Box(-6.9, -2.7, -2.9, 2.3)
MIDDLE_BOX = Box(-2.2, 2.9, -2.5, 2.0)
DZ_BOX = Box(3.4, 6.9, 0.5, 2.3)
DW_BOX = Box(3.4, 6.9, -2.9, -0.35)
BOTTOM_Y = -3.5
PATCHES_IN_FULL = 4
BIAS_TERMS_SHOWN = 6


class KernelGradientStory(Story):
    name = "kernel-gradient"
    summary = "dL/dW as scaled input patches added up, then as one correlation of the input with the dilated dL/dZ; dL/db"

    def tell(self):
        with self.beat("At each step the patch under the kernel, scaled by dL/dz_k, is added into dL/dW."):
            self.show_title("The kernel gradient: scaled patches")
            self.show_grids()
        self.add_scaled_patches()
        self.clear()
        with self.beat("The same sum is one operation: the input correlated with dL/dZ, dilated by the stride, step one."):
            self.show_title("The kernel gradient is a convolution")
            self.as_one_correlation()
        self.clear()
        with self.beat("The bias touches every output, so its gradient is the sum of all dL/dz_k."):
            self.show_title("The bias gradient")
            self.bias_gradient()
        self.wait(1.5)

    # -- scaled patches -----------------------------------------------------------------------------

    def show_grids(self):
        t = self.trace
        self.input_grid = self._input_grid()
        self.dz_grid = NumberGrid(t, ("conv_grad", "dL_dz"), 3, fit_cell(DZ_BOX, t.z.shape), GRADIENT
                                  ).move_to(DZ_BOX.center)
        self.dw_grid = NumberGrid(t, ("conv_grad", "dL_dkernel"), 3, fit_cell(DW_BOX, t.conv.kernel.shape),
                                  GRADIENT, blank=True).move_to(DW_BOX.center)
        rule = self.formula("(partial L) / (partial W) = sum_k (partial L) / (partial z_k) dot \"patch\"_k",
                            font_size=28).move_to([0, BOTTOM_Y, 0])
        self.play(FadeIn(self.input_grid), FadeIn(self._caption(self.input_grid)),
                  FadeIn(self.dz_grid), FadeIn(plain("dL/dZ", font_size=LABEL_SIZE, color=GRADIENT).next_to(self.dz_grid, UP, buff=0.1)),
                  Create(self.dw_grid.squares),
                  FadeIn(plain("dL/dW", font_size=LABEL_SIZE, color=GRADIENT).next_to(self.dw_grid, UP, buff=0.1)),
                  FadeIn(rule), run_time=1.0)

    def add_scaled_patches(self):
        t = self.trace
        oh, ow = t.z.shape
        shape = t.conv.kernel.shape
        previous = VGroup()
        for k in range(min(oh * ow, PATCHES_IN_FULL)):
            r, c = divmod(k, ow)
            with self.beat(f"Step {k + 1}: the patch times dL/dz_{k + 1}."):
                claim = ("geometry", "window_cells", (r, c))
                window = KernelWindow(self.input_grid, t, claim)
                focus = CellMarks(self.dz_grid, t, ("geometry", "output_cells", (r, c)), stroke=FOCUS, stroke_width=5)
                scaled = NumberGrid(t, ("conv_grad", "scaled_patches", (r, c)), 3,
                                    fit_cell(MIDDLE_BOX, shape, 0.8), GRADIENT).move_to(MIDDLE_BOX.center)
                label = self.formula(f"(partial L) / (partial z_{k + 1}) dot \"patch\"_{k + 1} =",
                                     Num(("conv_grad", "dL_dz", (r, c)), 3, color=GRADIENT), "dot \"patch\"",
                                     font_size=24).next_to(scaled, UP, buff=0.15)
                patch = VGroup(*(self.input_grid.label(*rc) for rc in cells_at(t, claim)))
                self.play(FadeOut(previous), run_time=0.3)
                with self.closely(window, digits=patch, opening=[Create(window)]):
                    self.wait(0.5)
                with self.closely(focus, digits=[self.dz_grid.label(r, c)], opening=[FadeIn(focus)]):
                    self.wait(0.5)
                with self.closely(scaled, label, digits=scaled.numbers):
                    self.play(TransformFromCopy(patch, scaled.numbers), FadeIn(scaled.squares), FadeIn(label),
                              run_time=1.0)
                    self.wait(0.6)
                self.play(FadeOut(window), FadeOut(focus), run_time=0.3)
                previous = VGroup(scaled, label)
        with self.beat("Adding every scaled patch, entry by entry, gives dL/dW."):
            more = oh * ow - PATCHES_IN_FULL
            note = plain("… and the other scaled patches, one per output" if more > 0 else "their sum:",
                         font_size=LABEL_SIZE).move_to(MIDDLE_BOX.center)
            self.play(FadeOut(previous), FadeIn(note), run_time=0.5)
            cells = self.dw_grid.fill(t, cells_at(t, ("geometry", "kernel_cells")))
            with self.closely(self.dw_grid, digits=cells):
                self.play(LaggedStart(*(FadeIn(cell) for cell in cells), lag_ratio=0.15), run_time=1.5)
                self.wait(1.0)

    # -- one correlation ---------------------------------------------------------------------------------

    def as_one_correlation(self):
        t = self.trace
        dilated = t.conv_grad.dilated_dL_dz
        kh, kw = t.conv.kernel.shape
        self.input_grid = self._input_grid()
        dilated_grid = NumberGrid(t, ("conv_grad", "dilated_dL_dz"), 3, fit_cell(MIDDLE_BOX, dilated.shape, 0.8),
                                  GRADIENT, muted=("geometry", "inserted_zero_mask")).move_to(MIDDLE_BOX.center)
        dw_grid = NumberGrid(t, ("conv_grad", "dL_dkernel"), 3, fit_cell(DW_BOX, (kh, kw)), GRADIENT,
                             blank=True).move_to(DW_BOX.center)
        caption = self.formula("(partial L) / (partial Z) \" dilated: \" s - 1 \" zeros between entries\"",
                               font_size=22, color=GRADIENT).next_to(dilated_grid, UP, buff=0.12)
        shrink_to_width(caption, MIDDLE_BOX.width + 0.3)
        self.play(FadeIn(self.input_grid), FadeIn(self._caption(self.input_grid)), run_time=0.8)
        self.play(FadeIn(dilated_grid), FadeIn(caption), Create(dw_grid.squares),
                  FadeIn(plain("dL/dW", font_size=LABEL_SIZE, color=GRADIENT).next_to(dw_grid, UP, buff=0.1)),
                  run_time=1.0)
        window = Outline(self.input_grid, t, ("geometry", "correlation_cells", (0, 0)), color=GRADIENT)
        self.play(Create(window), run_time=0.6)
        for a in range(kh):
            for b in range(kw):
                [target] = dw_grid.fill(t, [(a, b)])
                spot = ("geometry", "correlation_cells", (a, b))
                if a == 0 and b < 2:
                    line = self.formula(f"(partial L) / (partial w_{a * kw + b + 1}) = sum (X_\"window\" dot.o",
                                        "(partial L) / (partial Z)_\"dilated\") =",
                                        Num(("conv_grad", "dL_dkernel", (a, b)), 3, color=GRADIENT, label="v"),
                                        font_size=26).move_to([0, BOTTOM_Y, 0])
                    focus = CellMarks(dw_grid, t, ("geometry", "kernel_cells", (a, b)), stroke=FOCUS, stroke_width=5)
                    self.play(window.step_to(self.input_grid, t, spot), FadeIn(line), run_time=0.8)
                    with self.closely(focus, digits=[target], opening=[FadeIn(focus)], closing=[FadeOut(focus)]):
                        self.play(TransformFromCopy(line.term("v"), target), run_time=0.7)
                        self.wait(0.5)
                    self.play(FadeOut(line), run_time=0.3)
                else:
                    self.play(window.step_to(self.input_grid, t, spot), run_time=0.35)
                    with self.closely(target, digits=[target], opening=[FadeIn(target)]):
                        pass
        self.wait(1.0)

    # -- bias ----------------------------------------------------------------------------------------------

    def bias_gradient(self):
        t = self.trace
        oh, ow = t.z.shape
        shown = [divmod(k, ow) for k in range(min(oh * ow, BIAS_TERMS_SHOWN))]
        parts = ["(partial L) / (partial b) = sum_k (partial L) / (partial z_k) ="]
        for i, rc in enumerate(shown):
            parts += (["+"] if i else []) + [Num(("conv_grad", "dL_dz", rc), 3, paren=bool(i), color=GRADIENT)]
        if oh * ow > len(shown):
            parts.append("+ dots")
        parts += ["=", Num(("conv_grad", "dL_dbias"), 3, color=GRADIENT)]
        line = self.formula(*parts, font_size=28)
        shrink_to_width(line, MAX_TEXT_WIDTH)
        grid = NumberGrid(t, ("conv_grad", "dL_dz"), 3, fit_cell(Box(-3, 3, -1.0, 2.4), t.z.shape), GRADIENT
                          ).move_to([0, 0.7, 0])
        line.next_to(grid, DOWN, buff=0.6)
        self.play(FadeIn(grid), run_time=0.7)
        self.play(FadeIn(line, shift=UP * 0.2), run_time=1.0)

    # -- helpers -------------------------------------------------------------------------------------------

    def _input_grid(self):
        t = self.trace
        return NumberGrid(t, ("conv", "padded_input"), t.values.decimals["input"],
                          fit_cell(INPUT_BOX, t.conv.padded_input.shape), INPUT,
                          muted=("geometry", "padding_mask")).move_to(INPUT_BOX.center)

    def _caption(self, grid):
        return plain(self.input_name(), font_size=LABEL_SIZE, color=INPUT).next_to(grid, UP, buff=0.1)


class KernelGradientScene(StoryScene):
    story = KernelGradientStory
