"""The stride-s convolution forward pass, then flatten -> y_hat -> L.

The window slides along a row by the column stride, then down by the row stride; at each step
the products under the window and their sum are written out and the output cell fills in.
Cells that no window reaches (a stride that does not tile the input) are shown as skipped.

An input too large to number legibly (a 28x28 digit) is drawn as a picture instead, Z as a
picture that fills in step by step, and the numbers under the window are written out close up
beside it (a ``Loupe``): the same story, told on the picture.

A layer (several channels or filters, or a dilated kernel) is told by ``forward_layer``: its
sums count every channel, so the single-channel grids here would not add up to them.
"""

from manim import (
    DOWN, LEFT, RIGHT, UP, Arrow, Create, FadeIn, FadeOut, LaggedStart, TransformFromCopy, VGroup,
)

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid
from convprop.scenes.kit.loupe import Loupe
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, fit_cell, shrink_to_width
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.kit.style import FOCUS, INPUT, KERNEL, LABEL_SIZE, MUTED, OUTPUT, SKIPPED
from convprop.scenes.stories.forward_layer import ForwardLayerStory
from convprop.scenes.stories.head import show_head
from convprop.scenes.story import Story, StoryScene

# Steps shown in full when there are few; otherwise the first row's first steps and the first
# step of the second row (so both strides are seen), then the rest quickly.
_ALL_IN_FULL = 6
_FIRST_ROW_IN_FULL = 3

# Regions of the 14.2 x 8 frame, as (left, right, bottom, top).
INPUT_BOX = Box(-6.9, -1.4, -2.75, 2.7)
KERNEL_BOX = Box(-0.9, 2.5, 0.45, 2.55)
PRODUCT_BOX = Box(-0.9, 2.5, -2.75, -0.55)
OUTPUT_BOX = Box(3.1, 6.9, 0.0, 2.55)
SIZE_BOX = Box(3.1, 6.9, -2.75, -0.3)
EQUATION_Y = -3.45
# the pictures beat: X and Z side by side, W between them
PICTURE_BOX = Box(-6.9, -1.6, -3.0, 2.6)
PICTURE_KERNEL_BOX = Box(-1.0, 1.0, -1.0, 1.0)
PICTURE_CELL = 0.4
PICTURE_ROW_CENTER = (0, -0.35, 0)
# an input too large to number: its picture above, the window's numbers close up below it
LOUPE_BOX = Box(INPUT_BOX.left, INPUT_BOX.right, INPUT_BOX.bottom, -0.8)
BAR_ROOM = 0.9  # the colour bar and its end values, right of a picture


class ForwardPassStory(Story):
    name = "forward-pass"
    summary = "Convolution forward pass: the window slides by the stride, z_k = sum of products + b, then flatten -> y_hat -> L"
    pictures_large_input = True
    draws_layers = True

    def tell(self):
        if not self.trace.config.is_single_channel:  # channels, filters or dilation: the layer's own story
            return ForwardLayerStory(self.scene, self.trace).tell()
        self.steps = [(r, c) for r in range(self.trace.z.shape[0]) for c in range(self.trace.z.shape[1])]
        with self.beat("A convolution slides the kernel over the input and sums the products."):
            self.show_title("Forward pass of a strided convolution")
            self.show_grids()
        self.slide_kernel()
        with self.beat("How many outputs? The output size formula."):
            self.show_output_size()
        with self.beat("Stride that does not tile the input leaves cells the kernel never sees."):
            self.show_skipped_cells()
        with self.beat("The same numbers as pictures: the input, and the feature map Z the kernel makes of it."):
            self.show_pictures()
        self.clear()
        with self.beat("The outputs are flattened into one vector and a dense layer gives the prediction and the loss."):
            self.show_title("From Z to the prediction and the loss")
            show_head(self)

    # -- beats ---------------------------------------------------------------------------------

    def show_grids(self):
        t = self.trace
        self.loupe = None
        if t.config.numbered:
            self.input_grid = NumberGrid(t, ("conv", "padded_input"), t.values.decimals["input"],
                                         fit_cell(INPUT_BOX, t.conv.padded_input.shape),
                                         INPUT, muted=("geometry", "padding_mask")).move_to(INPUT_BOX.center)
            self.output_grid = NumberGrid(t, ("conv", "z"), 2, fit_cell(OUTPUT_BOX, t.z.shape), OUTPUT,
                                          blank=True).move_to(OUTPUT_BOX.center)
        else:
            above = Box(INPUT_BOX.left, INPUT_BOX.right, LOUPE_BOX.top + 0.35, INPUT_BOX.top)
            self.input_grid = self._picture(("pictures", "input"), above, t.values.decimals["input"], INPUT)
            self.output_grid = self._picture(("pictures", "z"), OUTPUT_BOX, 2, OUTPUT, blank=True)
        self.kernel_grid = NumberGrid(t, ("conv", "kernel"), t.values.decimals["kernel"],
                                      fit_cell(KERNEL_BOX, t.conv.kernel.shape),
                                      KERNEL).move_to(KERNEL_BOX.center)
        labels = VGroup(
            self._label(self.input_name(), self.input_grid, INPUT),
            self._label(self.kernel_title(), self.kernel_grid, KERNEL),
            self._label("output Z", self.output_grid, OUTPUT),
        )
        self.bias = self.formula("b =", Num(("conv", "bias"), t.values.decimals["bias"]), font_size=LABEL_SIZE,
                                 color=KERNEL)
        self.bias.next_to(self.kernel_grid, RIGHT, buff=0.2)
        if self.bias.get_right()[0] > KERNEL_BOX.right + 0.4:
            self.bias.next_to(self.kernel_grid, DOWN, buff=0.12)
        outline = ([Create(self.output_grid.squares)] if t.config.numbered else
                   [FadeIn(self.output_grid)])  # its cells blank until each z paints its own
        self.play(FadeIn(self.input_grid), FadeIn(self.kernel_grid), FadeIn(labels), FadeIn(self.bias), *outline,
                  run_time=1.2)

    def slide_kernel(self):
        t = self.trace
        self.window = KernelWindow(self.input_grid, t, self._window(0, 0))
        self.play(Create(self.window), run_time=0.6)
        full = self._steps_in_full()
        self.products = self.products_label = self.equation = None
        quick_rows = {}
        for k, (r, c) in enumerate(self.steps):
            if k in full:
                with self.beat(f"Step {k + 1}: multiply the patch under the kernel by W, add up, add b."):
                    self._full_step(k, r, c)
            else:
                quick_rows.setdefault(r, []).append(c)
        if quick_rows:
            with self.beat("The remaining steps, row by row, in the same way."):
                for r, cols in quick_rows.items():
                    self._quick_row(r, cols)
        leftovers = [m for m in (self.products, self.products_label, self.equation, self.loupe) if m is not None]
        self.play(FadeOut(self.window), *(FadeOut(m) for m in leftovers), run_time=0.5)

    def show_output_size(self):
        lines = VGroup(self.formula("\"out\" = floor((n + 2p - k) / s) + 1", font_size=26))
        for axis, word in ((0, "rows"), (1, "cols")):
            lines.add(self.formula(
                f'"{word}:" floor((', Num(("config", "input_size", axis), 0), "+ 2 dot",
                Num(("config", "padding"), 0), "-", Num(("config", "kernel_size", axis), 0), ") /",
                Num(("config", "stride", axis), 0), ") + 1 =",
                Num(("config", "conv_output_size", axis), 0, color=OUTPUT), font_size=26,
            ))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        lines.scale_to_fit_width(min(lines.width, SIZE_BOX.width)).move_to(SIZE_BOX.center)
        self.play(FadeIn(lines, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)

    def show_skipped_cells(self):
        if not len(self.trace.geometry.skipped_cells):
            return
        shade = CellMarks(self.input_grid, self.trace, ("geometry", "skipped_cells"), fill=SKIPPED, fill_opacity=0.85,
                          stroke=SKIPPED)
        note = plain("grey cells: no window ever covers them, so they are skipped, as in PyTorch",
                     font_size=LABEL_SIZE, color=MUTED)
        note.move_to([0, EQUATION_Y, 0])
        self.play(FadeIn(shade), FadeIn(note), run_time=0.8)
        self.wait(1.5)

    def show_pictures(self):
        """X and Z as pictures with W between them, and the window sweeping both: the numbers
        were an image and what the kernel makes of it (the edges of a digit, for sobel-x)."""
        t = self.trace
        self.clear()
        self.show_title("The same numbers as pictures")
        cell = fit_cell(PICTURE_BOX, t.conv.padded_input.shape, max_cell=PICTURE_CELL)
        x = Picture(t, ("pictures", "input"), cell, t.values.decimals["input"], INPUT)
        z = Picture(t, ("pictures", "z"), cell, 2, OUTPUT)
        kernel = NumberGrid(t, ("conv", "kernel"), t.values.decimals["kernel"],
                            fit_cell(PICTURE_KERNEL_BOX, t.conv.kernel.shape), KERNEL)
        shrink_to_width(VGroup(x, kernel, z).arrange(RIGHT, buff=0.5), MAX_TEXT_WIDTH).move_to(PICTURE_ROW_CENTER)
        labels = VGroup(self._label(self.input_name(), x.frame, INPUT), self._label(self.kernel_title(), kernel, KERNEL),
                        self._label("feature map Z", z.frame, OUTPUT))
        self.play(FadeIn(x), FadeIn(kernel), FadeIn(z), FadeIn(labels), run_time=1.0)
        rows, cols = t.z.shape
        window = KernelWindow(x, t, self._window(0, 0))
        target = Outline(z, t, ("geometry", "output_cells", (0, 0)), stroke_width=4)
        self.play(Create(window), Create(target), run_time=0.5)
        for r in range(rows):  # along each row, then back to the start of the next one
            for c in ([cols - 1] if r == 0 else sorted({0, cols - 1})):
                self.play(window.step_to(x, t, self._window(r, c)),
                          target.step_to(z, t, ("geometry", "output_cells", (r, c))),
                          run_time=0.5 if c else 0.25)
        self.wait(1.5)

    # -- steps -----------------------------------------------------------------------------------

    def _steps_in_full(self) -> set[int]:
        cols = self.trace.z.shape[1]
        if len(self.steps) <= _ALL_IN_FULL:
            return set(range(len(self.steps)))
        return set(range(min(cols, _FIRST_ROW_IN_FULL))) | {cols}

    def _full_step(self, k, r, c):
        t = self.trace
        old = [m for m in (self.products, self.products_label, self.equation, self.loupe) if m is not None]
        if k:
            self.play(self.window.step_to(self.input_grid, t, self._window(r, c)), *(FadeOut(m) for m in old),
                      run_time=0.8)
            self.loupe = None
        if k in (1, t.z.shape[1]):
            self._show_stride(r, c)
        claim = self._window(r, c)
        patch = CellMarks(self.input_grid, t, claim, fill=INPUT, fill_opacity=0.25)
        if t.config.numbered:
            under = VGroup(*(self.input_grid.label(*rc) for rc in cells_at(t, claim)))
            opening = [FadeIn(patch)]
        else:  # the numbers under the window, close up below the picture
            loupe = Loupe(t, ("conv", "patches", (r, c)), t.values.decimals["input"],
                          fit_cell(LOUPE_BOX, t.conv.kernel.shape), INPUT).move_to(LOUPE_BOX.center).join(self.window)
            opening = [FadeIn(patch), FadeIn(loupe)]
            self.loupe, under = loupe, loupe.grid.numbers
        with self.closely(patch, digits=under, opening=opening):
            self.wait(0.8)
        products = NumberGrid(t, ("conv", "products", (r, c)), 2, fit_cell(PRODUCT_BOX, t.conv.kernel.shape),
                              FOCUS).move_to(PRODUCT_BOX.center)
        label = self._label("patch × W, elementwise", products, FOCUS)
        with self.closely(products, label, digits=products.numbers):
            self.play(TransformFromCopy(under, products.numbers), FadeIn(products.squares), FadeIn(label),
                      run_time=1.0)
            self.wait(0.6)
        equation = self.formula(
            f"z_{k + 1} = sum (\"patch\" dot.o W) + b =", Num(("conv", "sums", (r, c)), 2), "+",
            Num(("conv", "bias"), t.values.decimals["bias"], paren=True, color=KERNEL), "=",
            Num(("conv", "z", (r, c)), 2, color=OUTPUT, label="z"), font_size=30,
        ).move_to([0, EQUATION_Y, 0])
        self.play(FadeIn(equation, shift=UP * 0.2), run_time=0.8)
        target = CellMarks(self.output_grid, t, ("geometry", "output_cells", (r, c)), stroke=FOCUS, stroke_width=5)
        if isinstance(self.output_grid, Picture):  # the z just computed paints its cell of the picture
            self.play(Create(target), *self.output_grid.reveal([(r, c)]), run_time=0.8)
            self.play(FadeOut(target), run_time=0.3)
        else:
            [cell] = self.output_grid.fill(t, [(r, c)])
            with self.closely(target, digits=[cell], opening=[Create(target)], closing=[FadeOut(target)]):
                self.play(TransformFromCopy(equation.term("z"), cell), run_time=0.8)
        self.play(FadeOut(patch), run_time=0.3)
        self.products, self.products_label, self.equation = products, label, equation

    def _quick_row(self, r, cols):
        """The rest of one output row in one movement: the window sweeps, the cells appear."""
        cells = [(r, c) for c in cols]
        if isinstance(self.output_grid, Picture):
            appear = self.output_grid.reveal(cells)
        else:
            appear = [FadeIn(cell) for cell in self.output_grid.fill(self.trace, cells)]
        gone = [FadeOut(self.loupe)] if self.loupe else []
        self.loupe = None
        self.play(self.window.step_to(self.input_grid, self.trace, self._window(r, cols[-1])),
                  LaggedStart(*appear, lag_ratio=0.3), *gone, run_time=min(0.4 * len(cols), 1.5))

    def _show_stride(self, r, c):
        """An arrow from the previous window to this one, and the stride it stepped."""
        along_row = c > 0
        origins = self.trace.geometry.window_origins
        prev = origins[r, c - 1] if along_row else origins[r - 1, c]
        start = self.input_grid.square(*prev).get_center()
        end = self.input_grid.square(*origins[r, c]).get_center()
        arrow = Arrow(start, end, buff=0, color=FOCUS, stroke_width=5, max_tip_length_to_length_ratio=0.3)
        words = "along the row by the column stride" if along_row else "down by the row stride"
        text = self.formula(f'"the window moves {words}"  s =', Num(("config", "stride", 1 if along_row else 0), 0),
                            font_size=28, color=FOCUS).move_to([0, EQUATION_Y, 0])
        self.play(Create(arrow), FadeIn(text), run_time=0.6)
        self.wait(0.8)
        self.play(FadeOut(arrow), FadeOut(text), run_time=0.3)

    # -- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _window(r, c):
        """Where, in the trace's geometry, the cells under the window of output (r, c) are named."""
        return ("geometry", "window_cells", (r, c))

    def _picture(self, shading_path, box: Box, decimals: int, color, blank: bool = False) -> Picture:
        """The matrix as a picture, as large as ``box`` allows beside its colour bar."""
        levels = lookup(self.trace, tuple(shading_path) + ("levels",))
        room = Box(box.left, box.right - BAR_ROOM, box.bottom, box.top)
        return Picture(self.trace, shading_path, fit_cell(room, levels.shape), decimals, color,
                       blank=blank).move_to(box.center)

    def kernel_title(self) -> str:
        """'kernel W', with its name when W is one of the kernels every course shows."""
        name = self.trace.kernel_name
        return f"kernel W: {name}" if name else "kernel W"

    def _label(self, text, grid, color):
        return plain(text, font_size=LABEL_SIZE, color=color).next_to(grid, UP, buff=0.12)


class ForwardPassScene(StoryScene):
    story = ForwardPassStory
