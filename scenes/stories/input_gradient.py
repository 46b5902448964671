"""The input gradient: dL/dX as a full convolution of the dilated dL/dZ with the rotated kernel.

dL/dZ is dilated by the stride (s-1 zeros between its entries) and padded by k-1 zeros all
round; the kernel turns by half a turn; the rotated kernel slides over the padded dilated
gradient with step one, and each position gives one cell of dL/d(padded X). Cells of the padded
input that no forward window reached stay zero. Cropping the padding leaves dL/dX, which is
what this layer passes back to the layer before it.
"""

from manim import (
    PI, RIGHT, UP, Create, FadeIn, FadeOut, LaggedStart, Rotate, Square,
    TransformFromCopy, VGroup,
)

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, fit_cell, shrink_to_width
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at, region_box
from convprop.scenes.kit.numbers import NumberLabel
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.style import FOCUS, GRADIENT, KERNEL, LABEL_SIZE, LOWERS_LOSS, MUTED, RAISES_LOSS, SKIPPED
from convprop.scenes.kit.trace_paths import resolve
from convprop.scenes.story import Story, StoryScene

# The stage is split into three columns: the padded dilated gradient on the left, the kernel
# and the entries under the window in the middle, dL/d(padded X) on the right. The middle
# column is as wide as the kernel needs; the other two share the rest by their column counts.
STAGE = Box(-6.95, 6.95, -2.95, 2.7)
GAP = 0.4
MIDDLE_CELL = 0.85  # largest cell of the kernel and of the entries under the window
MIDDLE_WIDTH = (2.6, 3.4)  # the middle column's narrowest and widest
KERNEL_BOTTOM, WINDOW_TOP = 0.4, -0.2  # the middle column: the kernel above, the window below
FINAL_BOX = Box(-4.5, 4.5, -2.9, 2.55)  # dL/dX, once everything else has gone
FINAL_CELL = 1.1
HEAT_GAP, HEAT_BAR_ROOM = 0.8, 1.3  # between dL/dX's numbers and its heat map; the heat map's colour bar
EQUATION_Y = -3.5
EQUATION_WIDTH = MAX_TEXT_WIDTH
PLAN_SIZE = 40
MAX_FONT = 30  # the largest number font, as in kit.grid

STEPS_IN_FULL = 3
DECIMALS = 3  # every gradient, as in the other gradient scenes


class InputGradientStory(Story):
    name = "input-gradient"
    summary = "dL/dX as the full convolution of the dilated, padded dL/dZ with the kernel rotated by half a turn"

    def tell(self):
        self.layout()
        with self.beat("What the layer passes back: dL/dX, a full convolution of dL/dZ with the kernel turned round."):
            self.show_title("The input gradient is a full convolution")
            self.show_plan()
        with self.beat("Start from dL/dZ, one gradient per output of the convolution."):
            self.show_dz()
        with self.beat("Dilate it by the stride: s-1 zeros between neighbouring entries, "
                       "so that a stride-s step becomes a step of one."):
            self.dilate()
        with self.beat("Pad it with k-1 zeros all round, so the kernel can overlap every entry, even at the edges."):
            self.pad()
        with self.beat("Turn the kernel W by half a turn: upside down and left to right."):
            self.rotate_kernel()
        self.slide()
        with self.beat("The padding was not part of X, so it is cropped away."
                       if self.trace.config.padding else "There is no padding to crop: this is dL/dX."):
            self.crop()
        with self.beat("dL/dX is what this layer passes back to the layer before it."):
            self.pass_back()
        with self.beat("As a heat map: where brightening a pixel would raise the loss, and where it would lower it."):
            self.show_heat_map()
        self.wait(2.0)

    # -- layout --------------------------------------------------------------------------------

    def layout(self):
        """The three columns, sized from the grids this trace has."""
        t = self.trace
        kh, kw = t.conv.kernel.shape
        pd_cols = t.conv_grad.padded_dilated_dL_dz.shape[1]
        res_cols = t.conv.padded_input.shape[1]
        middle = min(max(kw * MIDDLE_CELL, MIDDLE_WIDTH[0]), MIDDLE_WIDTH[1])
        rest = STAGE.width - middle - 2 * GAP
        left_w = rest * pd_cols / (pd_cols + res_cols)
        self.grad_box = Box(STAGE.left, STAGE.left + left_w, STAGE.bottom, STAGE.top)
        mid_left = self.grad_box.right + GAP
        self.kernel_box = Box(mid_left, mid_left + middle, KERNEL_BOTTOM, STAGE.top)
        self.window_box = Box(mid_left, mid_left + middle, STAGE.bottom, WINDOW_TOP)
        self.result_box = Box(mid_left + middle + GAP, STAGE.right, STAGE.bottom, STAGE.top)
        self.middle_cell = min(fit_cell(self.kernel_box, (kh, kw), MIDDLE_CELL),
                               fit_cell(self.window_box, (kh, kw), MIDDLE_CELL))

    # -- beats ---------------------------------------------------------------------------------

    def show_plan(self):
        plan = self.formula(
            "{{ (partial L) / (partial X) : lhs }} = \"full conv\" ( \"dilate\" ( {{ (partial L) / (partial Z) : dz }} ) ,"
            " {{ W_\"rot\" : w }} )", font_size=PLAN_SIZE)
        plan.term("lhs").set_color(GRADIENT)
        plan.term("dz").set_color(GRADIENT)
        plan.term("w").set_color(KERNEL)
        self.equation = plan
        self.play(FadeIn(plan, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)

    def show_dz(self):
        t = self.trace
        g = t.conv_grad
        self.cell = fit_cell(self.grad_box, g.padded_dilated_dL_dz.shape)
        self.pd_grid = self._sparse_grid(("conv_grad", "padded_dilated_dL_dz"), ("geometry", "full_zero_mask"))
        self.pd_grid.move_to(self.grad_box.center)
        self.dil_grid = self._sparse_grid(("conv_grad", "dilated_dL_dz"), ("geometry", "inserted_zero_mask"))
        left, right, bottom, top = region_box(self.pd_grid, cells_at(t, ("geometry", "full_entries")))
        self.dil_grid.move_to([(left + right) / 2, (bottom + top) / 2, 0])
        self.dz_grid = NumberGrid(t, ("conv_grad", "dL_dz"), DECIMALS, self.cell, GRADIENT)
        self.dz_grid.move_to(self.dil_grid.get_center())
        self.grad_label = self._label("dL/dZ", self.dz_grid, GRADIENT)
        shrink = min(28 / PLAN_SIZE, EQUATION_WIDTH / self.equation.width)
        self.play(self.equation.animate.scale(shrink).move_to([0, EQUATION_Y, 0]), FadeIn(self.dz_grid),
                  FadeIn(self.grad_label), run_time=1.0)
        self.wait(1.0)

    def dilate(self):
        t = self.trace
        entries = t.geometry.dilated_entries
        oh, ow = t.conv_grad.dL_dz.shape
        moves = []
        for r in range(oh):
            for c in range(ow):
                target = self.dil_grid.square(*entries[r, c]).get_center()
                moves += [self.dz_grid.square(r, c).animate.move_to(target),
                          self.dz_grid.label(r, c).animate.move_to(target)]
        zeros = VGroup(*(piece for rc in cells_at(t, ("geometry", "inserted_zero_mask"))
                         for piece in (self.dil_grid.square(*rc), self.dil_grid.label(*rc))))
        label = self._label("dL/dZ, dilated", self.dil_grid, GRADIENT)
        rule = self._stride_rule()
        self.play(*moves, FadeIn(zeros), FadeOut(self.grad_label), FadeIn(label),
                  FadeOut(self.equation), FadeIn(rule, shift=UP * 0.2), run_time=1.5)
        # the moved entries and the new zeros are exactly the dilated grid: swap it in
        self.scene.remove(self.dz_grid, zeros)
        self.scene.add(self.dil_grid)
        self.grad_label, self.equation = label, rule
        self.wait(2.0)

    def pad(self):
        t = self.trace
        ring = VGroup(*(piece for rc in cells_at(t, ("geometry", "full_padding_mask"))
                        for piece in (self.pd_grid.square(*rc), self.pd_grid.label(*rc))))
        label = self._label("dL/dZ, dilated and padded", self.pd_grid, GRADIENT)
        rule = self._padding_rule()
        self.play(FadeIn(ring), FadeOut(self.grad_label), FadeIn(label), FadeOut(self.equation),
                  FadeIn(rule, shift=UP * 0.2), run_time=1.2)
        self.scene.remove(self.dil_grid, ring)
        self.scene.add(self.pd_grid)
        self.grad_label, self.equation = label, rule
        self.wait(2.0)

    def rotate_kernel(self):
        t = self.trace
        kernel = NumberGrid(t, ("conv", "kernel"), t.values.decimals["kernel"], self.middle_cell, KERNEL
                            ).move_to(self.window_box.center)
        kernel_label = self._label("kernel W", kernel, KERNEL)
        self.rot_grid = NumberGrid(t, ("conv_grad", "rotated_kernel"), t.values.decimals["kernel"], self.middle_cell, KERNEL
                                   ).move_to(self.kernel_box.center)
        self.rot_label = self.formula("W_\"rot\"", font_size=LABEL_SIZE + 2, color=KERNEL
                                      ).next_to(self.rot_grid, UP, buff=0.12)
        rule = self._bottom(self.formula(
            "W_\"rot\" [i, j] = W [k_h - 1 - i, k_w - 1 - j] quad \"(turned by half a turn)\"", font_size=28,
            color=KERNEL))
        self.play(FadeIn(kernel), FadeIn(kernel_label), FadeOut(self.equation), run_time=0.8)
        turning = kernel.copy()
        self.play(turning.animate.move_to(self.rot_grid), run_time=0.8)
        self.play(Rotate(turning, angle=PI), FadeIn(rule, shift=UP * 0.2), run_time=1.5)
        # each number is now upside down in its new place; turn it upright where it stands
        self.play(*(Rotate(label, angle=PI) for label in turning.numbers), FadeIn(self.rot_label), run_time=0.8)
        self.scene.remove(turning)
        self.scene.add(self.rot_grid)
        self.wait(1.5)
        self.kernel, self.equation = VGroup(kernel, kernel_label), rule

    def slide(self):
        t = self.trace
        rows, cols = t.geometry.used_shape
        self.result_grid = NumberGrid(t, ("conv_grad", "dL_dpadded_input"), DECIMALS,
                                      fit_cell(self.result_box, t.conv.padded_input.shape), GRADIENT,
                                      blank=True).move_to(self.result_box.center)
        name = "dL/dX (padded)" if t.config.padding else "dL/dX"
        self.result_label = self._label(name, self.result_grid, GRADIENT)
        steps = [(r, c) for r in range(rows) for c in range(cols)]
        with self.beat("Slide the rotated kernel over it with step one; each position gives one input gradient."):
            self.window = KernelWindow(self.pd_grid, t, self._window(0, 0))
            self.play(Create(self.result_grid.squares), FadeIn(self.result_label), FadeOut(self.equation),
                      FadeOut(self.kernel), Create(self.window), run_time=1.0)
        self.shown = []  # what a step in full leaves on screen
        self.patch = None
        for k, (r, c) in enumerate(steps[:STEPS_IN_FULL]):
            with self.beat("Each input cell collects dL/dz times the weight that touched it: "
                           "the entries under the window times W_rot, added up."
                           if k == 0 else "One step on: the same sum, one cell further."):
                self._full_step(k, r, c)
        rest = {}
        for r, c in steps[STEPS_IN_FULL:]:
            rest.setdefault(r, []).append(c)
        with self.beat("The remaining positions, row by row, in the same way."):
            self.play(*(FadeOut(m) for m in self.shown), FadeOut(self.patch), run_time=0.4)
            for r, cols_left in rest.items():
                self._quick_row(r, cols_left)
            self.play(FadeOut(self.window), run_time=0.4)
        self.wait(0.5)
        self._unreached()

    def crop(self):
        t = self.trace
        p = t.config.padding
        self.final = NumberGrid(t, ("conv_grad", "dL_dinput"), DECIMALS,
                                fit_cell(FINAL_BOX, t.conv_grad.dL_dinput.shape, FINAL_CELL), GRADIENT
                                ).move_to(FINAL_BOX.center)
        inner = VGroup(*(self.result_grid.label(*rc) for rc in cells_at(t, ("geometry", "input_cells"))))
        frame = Outline(self.result_grid, t, ("geometry", "input_cells"), color=FOCUS, stroke_width=5, focus=False)
        if p:
            rule = self.formula("\"crop\" p =", Num(("config", "padding"), 0),
                                "\"rows and columns from every side: the padding was not part of\" X", font_size=28)
        else:
            rule = self.formula("p =", Num(("config", "padding"), 0), ": \" nothing to crop\"", font_size=28)
        rule = self._bottom(rule)
        self.play(FadeOut(self.pd_grid), FadeOut(self.grad_label), FadeOut(self.rot_grid), FadeOut(self.rot_label),
                  *(FadeOut(m) for m in self.leftovers), Create(frame), FadeIn(rule, shift=UP * 0.2), run_time=0.8)
        self.wait(1.2)
        label = self.final_label = self._label("dL/dX", self.final, GRADIENT)
        self.play(FadeOut(self.result_grid), FadeOut(self.result_label), FadeOut(frame),
                  TransformFromCopy(inner, self.final.numbers), FadeIn(self.final.squares), FadeIn(label),
                  run_time=1.5)
        self.equation = rule

    def pass_back(self):
        words = self.words = plain("dL/dX: what this layer passes back to the layer before it", font_size=28,
                                   color=GRADIENT)
        self.play(FadeOut(self.equation), FadeIn(self._bottom(words), shift=UP * 0.2), run_time=0.8)

    def show_heat_map(self):
        """dL/dX beside its numbers as a heat map: one colour where a brighter pixel raises the
        loss, another where it lowers it, each as strong as the gradient's size."""
        t = self.trace
        numbers = VGroup(self.final, self.final_label)
        room = MAX_TEXT_WIDTH - numbers.width - HEAT_GAP - HEAT_BAR_ROOM
        cell = min(self.final.cell_size, room / self.final.cols)
        heat = Picture(t, ("pictures", "dL_dinput"), cell, DECIMALS, GRADIENT)
        heat_label = self._label("where L is sensitive", heat.frame, GRADIENT)
        both = VGroup(numbers.copy(), VGroup(heat, heat_label)).arrange(RIGHT, buff=HEAT_GAP).move_to(FINAL_BOX.center)
        VGroup(heat, heat_label).move_to(both[1])
        legend = VGroup(plain("brighter pixel, larger loss", font_size=LABEL_SIZE, color=RAISES_LOSS),
                        plain("brighter pixel, smaller loss", font_size=LABEL_SIZE, color=LOWERS_LOSS)
                        ).arrange(RIGHT, buff=0.8)
        self.play(numbers.animate.move_to(both[0]), FadeOut(self.words), run_time=0.8)
        self.play(FadeIn(heat), FadeIn(heat_label), FadeIn(self._bottom(legend)), run_time=1.0)

    # -- steps -----------------------------------------------------------------------------------

    def _full_step(self, k, r, c):
        t = self.trace
        if k:
            self.play(self.window.step_to(self.pd_grid, t, self._window(r, c)), FadeOut(self.patch),
                      *(FadeOut(m) for m in self.shown), run_time=0.8)
        self.patch = CellMarks(self.pd_grid, t, self._window(r, c), fill=GRADIENT, fill_opacity=0.25)
        under, under_label = self._under_window(r, c)
        cells = cells_at(t, self._window(r, c))
        target = CellMarks(self.result_grid, t, ("geometry", "padded_cells", (r, c)), stroke=FOCUS, stroke_width=5)
        index = r * self.result_grid.cols + c + 1
        equation = self._bottom(self.formula(
            f"(partial L) / (partial x_({index})) = sum (\"window\" dot.o W_\"rot\") =",
            Num(("conv_grad", "dL_dpadded_input", (r, c)), DECIMALS, color=GRADIENT, label="v"),
            font_size=30))
        self.play(FadeIn(self.patch), run_time=0.4)
        with self.closely(under, under_label, digits=under.numbers):
            self.play(TransformFromCopy(VGroup(*(self.pd_grid.label(*rc) for rc in cells)), under.numbers),
                      FadeIn(under.squares), FadeIn(under_label), run_time=1.0)
        self.play(FadeIn(equation, shift=UP * 0.2), run_time=0.8)
        [cell] = self.result_grid.fill(t, [(r, c)])
        with self.closely(target, digits=[cell], opening=[FadeIn(target)]):
            self.play(TransformFromCopy(equation.term("v"), cell), run_time=0.8)
        self.wait(1.0 if k == 0 else 0.5)
        self.shown = [under, under_label, equation, target]

    def _quick_row(self, r, cols):
        """The rest of one row in one movement: the window sweeps, the cells appear."""
        cells = self.result_grid.fill(self.trace, [(r, c) for c in cols])
        self.play(self.window.step_to(self.pd_grid, self.trace, self._window(r, cols[-1])),
                  LaggedStart(*(FadeIn(cell) for cell in cells), lag_ratio=0.3),
                  run_time=min(0.25 * len(cols), 1.2))

    def _unreached(self):
        """Cells of the padded input that no forward window covered: their gradient stays zero."""
        t = self.trace
        skipped = cells_at(t, ("geometry", "skipped_cells"))
        self.leftovers = []
        if not skipped:
            return
        with self.beat("No forward window reached these cells, so nothing flows back to them: zero."):
            shade = CellMarks(self.result_grid, t, ("geometry", "skipped_cells"), fill=SKIPPED, fill_opacity=0.85,
                              stroke=SKIPPED)
            zeros = self.result_grid.fill(t, skipped, color=MUTED)
            note = self._bottom(plain("grey cells: no window ever covered them, so their gradient is zero",
                                      font_size=LABEL_SIZE + 2, color=MUTED))
            self.play(FadeIn(shade), *(FadeIn(z) for z in zeros), FadeIn(note), run_time=0.8)
            self.wait(1.5)
            self.leftovers = [shade, note]

    # -- helpers ---------------------------------------------------------------------------------

    def _sparse_grid(self, path, zeros):
        """A grid of the gradient whose zeros (the cells the trace's geometry names at ``zeros``) are a muted 0."""
        grid = NumberGrid(self.trace, path, DECIMALS, self.cell, GRADIENT, muted=zeros)
        for r, c in cells_at(self.trace, zeros):
            source = grid.path + ((r, c),)
            zero = NumberLabel(resolve(self.trace, source), 0, source=source, font_size=grid.font_size,
                               color=MUTED).move_to(grid.square(r, c))
            grid.numbers.submobjects[r * grid.cols + c] = zero
            grid.square(r, c).set_stroke(MUTED)
        return grid

    @staticmethod
    def _window(r, c):
        """Where the trace's geometry names the cells under the rotated kernel for dL/d(padded X)[r, c]."""
        return ("geometry", "full_window_cells", (r, c))

    def _under_window(self, r, c):
        """The entries under the window at (r, c), copied larger into the window box."""
        kh, kw = self.trace.conv.kernel.shape
        cell = self.middle_cell
        box = self.window_box
        # each number keeps its share of the cell, up to the largest font a grid uses
        grow = max(1.0, min(cell / self.cell, MAX_FONT / self.pd_grid.font_size))  # never smaller than in the grid
        squares, numbers = VGroup(), VGroup()
        under = iter(cells_at(self.trace, self._window(r, c)))
        for i in range(kh):
            for j in range(kw):
                square = Square(cell, stroke_width=2, stroke_color=FOCUS).move_to(
                    [box.center[0] + (j - (kw - 1) / 2) * cell, box.center[1] - (i - (kh - 1) / 2) * cell, 0])
                squares.add(square)
                numbers.add(self.pd_grid.label(*next(under)).copy().scale(grow).move_to(square))
        grid = VGroup(squares, numbers)
        grid.squares, grid.numbers = squares, numbers
        caption = plain("under the window", font_size=LABEL_SIZE, color=FOCUS).next_to(squares, UP, buff=0.12)
        return grid, caption

    def _stride_rule(self):
        sh, sw = self.trace.config.stride
        if sh == sw:
            parts = ["\"dilate: insert\" s - 1 \"zeros between neighbouring entries,\" quad s =",
                     Num(("config", "stride", 0), 0)]
        else:
            parts = ["\"dilate: insert\" s_h - 1 \"zeros between rows and\" s_w - 1 \"between columns,\" quad s_h =",
                     Num(("config", "stride", 0), 0), ", s_w =", Num(("config", "stride", 1), 0)]
        if sh == sw == 1:
            parts.append("\" (nothing to insert)\"")
        return self._bottom(self.formula(*parts, font_size=28))

    def _padding_rule(self):
        kh, kw = self.trace.conv.kernel.shape
        if kh == kw:
            parts = ["\"pad: add\" k - 1 \"rows and columns of zeros all round,\" quad k =",
                     Num(("config", "kernel_size", 0), 0)]
        else:
            parts = ["\"pad: add\" k_h - 1 \"rows and\" k_w - 1 \"columns of zeros all round,\" quad k_h =",
                     Num(("config", "kernel_size", 0), 0), ", k_w =", Num(("config", "kernel_size", 1), 0)]
        if kh == kw == 1:
            parts.append("\" (nothing to add)\"")
        return self._bottom(self.formula(*parts, font_size=28))

    def _bottom(self, mobject):
        shrink_to_width(mobject, EQUATION_WIDTH)
        return mobject.move_to([0, EQUATION_Y, 0])

    def _label(self, text, grid, color):
        return plain(text, font_size=LABEL_SIZE, color=color).next_to(grid, UP, buff=0.12)


class InputGradientScene(StoryScene):
    story = InputGradientStory
