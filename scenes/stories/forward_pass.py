"""The stride-s convolution forward pass, then flatten -> y_hat -> L.

The window slides along a row by the column stride, then down by the row stride; at each step
the products under the window and their sum are written out and the output cell fills in. A
step worked in full is said in clauses, one per movement (the stride, when it is shown; the
products and their sum; the bias and z), and each movement starts with its words.
Cells that no window reaches (a stride that does not tile the input) are shown as skipped.

An input too large to number legibly (a 28x28 digit) is drawn as a picture instead, Z as a
picture that fills in step by step, and the numbers under the window are written out close up
beside it (a ``Loupe``): the same story, told on the picture.

A layer (several channels or filters, or a dilated kernel) is told by ``forward_layer``: its
sums count every channel, so the single-channel grids here would not add up to them.
"""

from typing import NamedTuple

from manim import DOWN, LEFT, RIGHT, UP, Arrow, Create, LaggedStart, TransformFromCopy, VGroup

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid
from convprop.scenes.kit.loupe import Loupe
from convprop.scenes.kit.layout import (
    Box, fit_cell, one_above_another, place, shrink_to_width, side_by_side, split_bottom, under,
)
from convprop.scenes.kit.numbers import decimals_that_add, exact_decimals
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at
from convprop.scenes.kit.map_view import fitted_picture
from convprop.scenes.kit.picture import BAR_ROOM, Picture
from convprop.scenes.kit.style import FOCUS, INPUT, KERNEL, LABEL_SIZE, MUTED, OUTPUT, SKIPPED
from convprop.scenes.stories.forward_layer import ForwardLayerStory
from convprop.scenes.stories.head import show_head
from convprop.scenes.narration import clauses, say, subscript
from convprop.scenes.story import Story, StoryScene

# Steps shown in full when there are few; otherwise the first row's first steps and the first
# step of the second row (so both strides are seen), then the rest quickly.
_ALL_IN_FULL = 6
_FIRST_ROW_IN_FULL = 3

# The worked screen's three columns share the stage's width in these proportions: X (the largest
# grid) at the left, W above its products in the middle, Z above its size formula at the right.
COLUMN_SHARES = (5.5, 3.4, 3.8)
COLUMN_GAP = 0.55
LINE_GAP = 0.45  # between the grids and the line worked under them
SIZE_GAP = 0.3  # between Z and its size formula under it
LABEL_GAP = 0.12  # between a grid and its name above it
BIAS_REACH = 0.4  # how far past the kernel's column the bias may stand beside W before it goes under it
# an input too large to number: its picture above, the window's numbers close up below it
PICTURE_AND_LOUPE = (3.15, 1.95)
LOUPE_GAP = 0.35
# the pictures screen: X and Z side by side, W between them
PICTURE_CELL = 0.4
PICTURE_KERNEL_SIDE = 2.0
PICTURE_GAP = 0.5
PICTURE_ROOM = 0.85  # the share of the room under the title the pictures may take: a margin around them


class Regions(NamedTuple):
    """Where each thing of the worked screen stands, split from the stage under the title.

    The grids' boxes leave room above them for their names; ``line`` is the band under all of
    them where the step's equation, the stride and the note on skipped cells are written.
    """
    input: Box
    picture: Box  # the input's picture when it is too large to number, above ``loupe``
    loupe: Box
    kernel: Box
    products: Box
    output: Box
    size: Box
    line: Box


class Grids(NamedTuple):
    """The worked screen's grids: what the window slides on, what it multiplies by, what fills in."""
    input: NumberGrid | Picture
    kernel: NumberGrid
    output: NumberGrid | Picture


class Shown(NamedTuple):
    """What a worked step leaves on screen until the window moves on: its products, their name
    and its equation, and (on a picture) the window's numbers close up."""
    lines: tuple = ()
    loupe: Loupe | None = None

    def everything(self) -> list:
        return [*self.lines, *([self.loupe] if self.loupe is not None else [])]


class ForwardPassStory(Story):
    name = "forward-pass"
    summary = "Convolution forward pass: the window slides by the stride, z_k = sum of products + b, then flatten -> y_hat -> L"
    pictures_large_input = True
    pictures_large_layer = True
    draws_layers = True

    def tell(self):
        if not self.trace.config.is_single_channel:  # channels, filters or dilation: the layer's own story
            return ForwardLayerStory(self.scene, self.trace).tell()
        with self.beat("A convolution slides the kernel over the input and sums the products.",
                       say("In the forward pass the kernel W slides over the input X. Wherever it stops, we "
                           "multiply each number under it by the weight above it, add up the products, and add "
                           "the bias b, which is {b}. That sum is one output, a cell of Z.",
                           b=Num(("conv", "bias"), self.trace.values.decimals["bias"]))):
            title = self.show_title("Forward pass of a strided convolution")
            regions = self.worked_regions(title)
            grids = self.show_grids(regions)
        self.slide_kernel(grids, regions)
        with self.beat("How many outputs? The output size formula.", self._size_narration()):
            self.show_output_size(regions.size)
        with self.beat("Stride that does not tile the input leaves cells the kernel never sees.",
                       say("This stride does not tile the input: the grey cells are under no window at all, so "
                           "they are skipped, as PyTorch skips them.")):
            self.show_skipped_cells(grids.input, regions.line)
        with self.beat("The same numbers as pictures: the input, and the feature map Z the kernel makes of it.",
                       say("Here are the same numbers as pictures: the input X, and the feature map Z that the "
                           "kernel makes of it. Beside each, its colour bar says which colour stands for which number.")):
            self.show_pictures()
        self.clear()
        with self.beat("The outputs are flattened into one vector and a dense layer gives the prediction and the loss.",
                       say("Last, Z is flattened into one vector, and a dense layer with a sigmoid turns it into the "
                           "prediction ŷ, {y_hat}. Against the target y, {y}, the cross-entropy loss is {L}.",
                           y_hat=Num(("head", "y_hat"), 3), y=Num(("target",), exact_decimals(self.trace.target)),
                           L=Num(("head", "loss"), 3))):
            show_head(self, self.show_title("From Z to the prediction and the loss"))

    # -- where things stand ----------------------------------------------------------------------

    def worked_regions(self, title) -> Regions:
        """The stage under ``title`` split for the worked screen: a band at the bottom as tall as
        the step's equation, three columns above it, each less the room of a grid's name."""
        name_room = self._name_room(title)
        grids, line = split_bottom(under(title), self._equation(0, 0, 0).height, gap=LINE_GAP)
        x, middle, right = (column.inset(top=name_room) for column in side_by_side(grids, COLUMN_SHARES, COLUMN_GAP))
        # the products' name stands between W (and the bias, when it goes under W) and the products
        kernel, products = one_above_another(middle, (1, 1), gap=3 * name_room)
        output, size = one_above_another(right, (1, 1), gap=SIZE_GAP)
        picture, loupe = one_above_another(x, PICTURE_AND_LOUPE, gap=LOUPE_GAP)
        return Regions(x, picture, loupe, kernel, products, output, size, line)

    # -- beats ---------------------------------------------------------------------------------

    def show_grids(self, regions: Regions) -> Grids:
        t = self.trace
        if t.config.numbered:
            input_grid = NumberGrid(t, ("conv", "padded_input"), t.values.decimals["input"],
                                    fit_cell(regions.input, t.conv.padded_input.shape),
                                    INPUT, muted=("geometry", "padding_mask")).move_to(regions.input.center)
            output_grid = NumberGrid(t, ("conv", "z"), 2, fit_cell(regions.output, t.z.shape), OUTPUT,
                                     blank=True).move_to(regions.output.center)
        else:
            input_grid = self._picture(("pictures", "input"), regions.picture, t.values.decimals["input"], INPUT)
            output_grid = self._picture(("pictures", "z"), regions.output, 2, OUTPUT, blank=True)
        kernel_grid = NumberGrid(t, ("conv", "kernel"), t.values.decimals["kernel"],
                                 fit_cell(regions.kernel, t.conv.kernel.shape), KERNEL).move_to(regions.kernel.center)
        labels = VGroup(
            self._label(self.input_name(), input_grid, INPUT),
            self._label(self.kernel_title(), kernel_grid, KERNEL),
            self._label("output Z", output_grid, OUTPUT),
        )
        bias = self.formula("b =", Num(("conv", "bias"), t.values.decimals["bias"]), font_size=LABEL_SIZE,
                            color=KERNEL)
        bias.next_to(kernel_grid, RIGHT, buff=0.2)
        if bias.get_right()[0] > regions.kernel.right + BIAS_REACH:
            bias.next_to(kernel_grid, DOWN, buff=LABEL_GAP)
        outline = ([Create(output_grid.squares)] if t.config.numbered else
                   [FadeIn(output_grid)])  # its cells blank until each z paints its own
        self.play(FadeIn(input_grid), FadeIn(kernel_grid), FadeIn(labels), FadeIn(bias), *outline,
                  run_time=1.2)
        return Grids(input_grid, kernel_grid, output_grid)

    def slide_kernel(self, grids: Grids, regions: Regions):
        """The window visits every output's patch: the first steps worked in full, the rest row by row."""
        t = self.trace
        steps = self._steps()
        window = KernelWindow(grids.input, t, self._window(0, 0))
        self.play(Create(window), run_time=0.6)
        full = self._steps_in_full(steps)
        shown = Shown()
        quick_rows = {}
        for k, (r, c) in enumerate(steps):
            if k in full:
                with self.beat(self._step_caption(k, steps), self._step_narration(k, r, c)):
                    shown = self._full_step(k, r, c, grids, window, regions, shown)
            else:
                quick_rows.setdefault(r, []).append(c)
        if quick_rows:
            with self.beat("The remaining steps, row by row, in the same way.",
                           say("The remaining windows work the same way, row by row, and fill in the rest of Z.")):
                for r, cols in quick_rows.items():
                    shown = self._quick_row(r, cols, grids, window, shown)
        self.play(FadeOut(window), *(FadeOut(m) for m in shown.everything()), run_time=0.5)

    def show_output_size(self, box: Box):
        lines = VGroup(self.formula("\"out\" = floor((n + 2p - k) / s) + 1", font_size=26))
        for axis, word in ((0, "rows"), (1, "cols")):
            lines.add(self.formula(
                f'"{word}:" floor((', Num(("config", "input_size", axis), 0), "+ 2 dot",
                Num(("config", "padding"), 0), "-", Num(("config", "kernel_size", axis), 0), ") /",
                Num(("config", "stride", axis), 0), ") + 1 =",
                Num(("config", "conv_output_size", axis), 0, color=OUTPUT), font_size=26,
            ))
        lines.arrange(DOWN, aligned_edge=LEFT, buff=0.3)
        lines.scale_to_fit_width(min(lines.width, box.width)).move_to(box.center)
        self.play(FadeIn(lines, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)

    def show_skipped_cells(self, input_grid, line: Box):
        if not len(self.trace.geometry.skipped_cells):
            return
        shade = CellMarks(input_grid, self.trace, ("geometry", "skipped_cells"), fill=SKIPPED, fill_opacity=0.85,
                          stroke=SKIPPED)
        note = plain("grey cells: no window ever covers them, so they are skipped, as in PyTorch",
                     font_size=LABEL_SIZE, color=MUTED)
        place(shrink_to_width(note, line.width), line)
        self.play(FadeIn(shade), FadeIn(note), run_time=0.8)
        self.wait(1.5)

    def show_pictures(self):
        """X and Z as pictures with W between them, and the window sweeping both: the numbers
        were an image and what the kernel makes of it (the edges of a digit, for sobel-x)."""
        t = self.trace
        self.clear()
        title = self.show_title("The same numbers as pictures")
        row = under(title).inset(top=self._name_room(title))
        kernel = NumberGrid(t, ("conv", "kernel"), t.values.decimals["kernel"],
                            fit_cell(Box(0, PICTURE_KERNEL_SIDE, 0, PICTURE_KERNEL_SIDE), t.conv.kernel.shape), KERNEL)
        # X and Z share one cell size: as large as their columns fit in what W and the bars leave
        # of the row, and their rows in its height, less a margin
        (x_rows, x_cols), (z_rows, z_cols) = t.conv.padded_input.shape, t.z.shape
        free = row.width - kernel.width - 2 * PICTURE_GAP - 2 * BAR_ROOM
        cell = min(PICTURE_ROOM * free / (x_cols + z_cols), PICTURE_ROOM * row.height / max(x_rows, z_rows),
                   PICTURE_CELL)
        x = Picture(t, ("pictures", "input"), cell, t.values.decimals["input"], INPUT)
        z = Picture(t, ("pictures", "z"), cell, 2, OUTPUT)
        shrink_to_width(VGroup(x, kernel, z).arrange(RIGHT, buff=PICTURE_GAP), row.width).move_to(row.center)
        # each picture's name clears its colour bar too (taller than a small Z), centred on the picture
        labels = VGroup(self._label(self.input_name(), x, INPUT).set_x(x.frame.get_x()),
                        self._label(self.kernel_title(), kernel, KERNEL),
                        self._label("feature map Z", z, OUTPUT).set_x(z.frame.get_x()))
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

    def _steps(self) -> list[tuple[int, int]]:
        """Every output cell, in the order the window visits them: along each row, then down."""
        rows, cols = self.trace.z.shape
        return [(r, c) for r in range(rows) for c in range(cols)]

    @staticmethod
    def _step_caption(k: int, steps) -> str:
        """The caption of step k worked in full: the whole recipe once, then what this step adds,
        so no two steps' captions read alike."""
        z = f"z{subscript(k + 1)}"
        if k == 0:
            return f"Step 1: multiply the patch under the kernel by W, add up the products, add b: that is {z}."
        (r, _), (before, _) = steps[k], steps[k - 1]
        move = "along the row" if r == before else "down to the next row, back at its start"
        return f"Step {k + 1}: the window moves {move}; its patch, times W, summed, plus b, gives {z}."

    def _steps_in_full(self, steps) -> set[int]:
        cols = self.trace.z.shape[1]
        if len(steps) <= _ALL_IN_FULL:
            return set(range(len(steps)))
        return set(range(min(cols, _FIRST_ROW_IN_FULL))) | {cols}

    def _full_step(self, k, r, c, grids: Grids, window, regions: Regions, before: Shown) -> Shown:
        """Step k worked in full: the window moves on (``before`` fading), the patch under it,
        its products with W, their sum and z, which lands in its cell. Returns what stays shown."""
        if self._stride_shown(k):
            with self.step():  # "The window moves along the row (or down) by the stride, s."
                self._move(k, r, c, grids, window, before)
                self._show_stride(r, c, grids.input, regions.line)
            with self.step():  # "The products under the window add up to ..."
                shown = self._products(r, c, grids, window, regions)
        else:
            with self.step():  # the window moving on, and "the products under the window add up to ..."
                self._move(k, r, c, grids, window, before)
                shown = self._products(r, c, grids, window, regions)
        with self.step():  # "plus the bias, b, that makes z_k equal to ..."
            return self._sum(k, r, c, grids, regions, *shown)

    def _move(self, k, r, c, grids: Grids, window, before: Shown):
        """The window on to step k's patch (none for the first), what step k-1 left fading."""
        if k:
            self.play(window.step_to(grids.input, self.trace, self._window(r, c)),
                      *(FadeOut(m) for m in before.everything()), run_time=0.8)

    def _products(self, r, c, grids: Grids, window, regions: Regions):
        """The patch under the window and its products with W; returns the patch, the loupe (on a
        picture), the products and their name."""
        t = self.trace
        claim = self._window(r, c)
        patch = CellMarks(grids.input, t, claim, fill=INPUT, fill_opacity=0.25)
        loupe = None
        if t.config.numbered:
            under_window = VGroup(*(grids.input.label(*rc) for rc in cells_at(t, claim)))
            opening = [FadeIn(patch)]
        else:  # the numbers under the window, close up below the picture
            loupe = Loupe(t, ("conv", "patches", (r, c)), t.values.decimals["input"],
                          fit_cell(regions.loupe, t.conv.kernel.shape), INPUT).move_to(regions.loupe.center).join(window)
            opening = [FadeIn(patch), FadeIn(loupe)]
            under_window = loupe.grid.numbers
        with self.closely(patch, digits=under_window, opening=opening):
            self.wait(0.8)
        products = NumberGrid(t, ("conv", "products", (r, c)), 2, fit_cell(regions.products, t.conv.kernel.shape),
                              FOCUS).move_to(regions.products.center)
        label = self._label("patch × W, elementwise", products, FOCUS)
        with self.closely(products, label, digits=products.numbers):
            self.play(TransformFromCopy(under_window, products.numbers), FadeIn(products.squares), FadeIn(label),
                      run_time=1.0)
            self.wait(0.6)
        return patch, loupe, products, label

    def _sum(self, k, r, c, grids: Grids, regions: Regions, patch, loupe, products, label) -> Shown:
        """Step k's equation, and its z landing in its cell; returns what stays shown."""
        t = self.trace
        equation = place(self._equation(k, r, c), regions.line)
        self.play(FadeIn(equation, shift=UP * 0.2), run_time=0.8)
        target = CellMarks(grids.output, t, ("geometry", "output_cells", (r, c)), stroke=FOCUS, stroke_width=5)
        if isinstance(grids.output, Picture):  # the z just computed paints its cell of the picture
            self.play(Create(target), *grids.output.reveal([(r, c)]), run_time=0.8)
            self.play(FadeOut(target), run_time=0.3)
        else:
            [cell] = grids.output.fill(t, [(r, c)])
            with self.closely(target, digits=[cell], opening=[Create(target)], closing=[FadeOut(target)]):
                self.play(TransformFromCopy(equation.term("z"), cell), run_time=0.8)
        self.play(FadeOut(patch), run_time=0.3)
        return Shown((products, label, equation), loupe)

    def _quick_row(self, r, cols, grids: Grids, window, before: Shown) -> Shown:
        """The rest of one output row in one movement: the window sweeps, the cells appear.

        The last worked step's lines stay (what every step does); its loupe, on the last
        window's numbers, goes."""
        cells = [(r, c) for c in cols]
        if isinstance(grids.output, Picture):
            appear = grids.output.reveal(cells)
        else:
            appear = [FadeIn(cell) for cell in grids.output.fill(self.trace, cells)]
        gone = [FadeOut(before.loupe)] if before.loupe is not None else []
        self.play(window.step_to(grids.input, self.trace, self._window(r, cols[-1])),
                  LaggedStart(*appear, lag_ratio=0.3), *gone, run_time=min(0.4 * len(cols), 1.5))
        return Shown(before.lines)

    def _show_stride(self, r, c, input_grid, line: Box):
        """An arrow from the previous window to this one, and the stride it stepped."""
        along_row = c > 0
        origins = self.trace.geometry.window_origins
        prev = origins[r, c - 1] if along_row else origins[r - 1, c]
        start = input_grid.square(*prev).get_center()
        end = input_grid.square(*origins[r, c]).get_center()
        arrow = Arrow(start, end, buff=0, color=FOCUS, stroke_width=5, max_tip_length_to_length_ratio=0.3)
        words = "along the row by the column stride" if along_row else "down by the row stride"
        text = place(self.formula(f'"the window moves {words}"  s =', Num(("config", "stride", 1 if along_row else 0), 0),
                                  font_size=28, color=FOCUS), line)
        self.play(Create(arrow), FadeIn(text), run_time=0.6)
        self.wait(0.8)
        self.play(FadeOut(arrow), FadeOut(text), run_time=0.3)

    # -- what the teacher says ---------------------------------------------------------------------

    def _step_narration(self, k, r, c):
        """Step k worked in full, with the numbers of its equation; the stride when it is shown. A
        clause per step of ``_full_step``: the stride, the products and their sum, the bias and z."""
        t = self.trace
        d = decimals_that_add([t.conv.sums[r, c], t.conv.bias], t.z[r, c], 2)
        z = f"z{subscript(k + 1)}"
        said = []
        if self._stride_shown(k):
            said.append(say("The window moves along the row by the column stride, {stride}." if c > 0 else
                            "The window moves down by the row stride, {stride}, to the start of the next row.",
                            stride=Num(("config", "stride", 1 if c > 0 else 0), 0)))
        first = "First, the" if k == 0 else "The"
        said.append(say(f"{first} products under the window add up to {{sum}};", sum=Num(("conv", "sums", (r, c)), d)))
        said.append(say(f"plus the bias, {{b}}, that makes {z} equal to {{z}}.",
                        b=Num(("conv", "bias"), t.values.decimals["bias"]), z=Num(("conv", "z", (r, c)), d)))
        return clauses(*said)

    def _stride_shown(self, k) -> bool:
        """Whether step k shows the stride: the first step along a row, and the first down."""
        return k in (1, self.trace.z.shape[1])

    def _size_narration(self):
        def axis(name, a):
            return {f"{name}_n": Num(("config", "input_size", a), 0), f"{name}_k": Num(("config", "kernel_size", a), 0),
                    f"{name}_s": Num(("config", "stride", a), 0), f"{name}_out": Num(("config", "conv_output_size", a), 0)}
        return say("How many outputs are there? Down the rows: the input's {rows_n} cells, plus the padding {padding} "
                   "on both sides, minus the kernel's {rows_k}, divided by the stride {rows_s}, rounded down, plus "
                   "one: {rows_out}. Across the columns: {cols_n} plus the padding on both sides, minus {cols_k}, "
                   "divided by {cols_s}, rounded down, plus one: {cols_out}.",
                   padding=Num(("config", "padding"), 0), **axis("rows", 0), **axis("cols", 1))

    # -- helpers ---------------------------------------------------------------------------------

    def _equation(self, k, r, c):
        """z_k = sum(patch . W) + b, with the numbers of output (r, c): step k's line, with two
        decimals or as many more as it takes to add up as written."""
        t = self.trace
        d = decimals_that_add([t.conv.sums[r, c], t.conv.bias], t.z[r, c], 2)
        return self.formula(
            f"z_{k + 1} = sum (\"patch\" dot.o W) + b =", Num(("conv", "sums", (r, c)), d), "+",
            Num(("conv", "bias"), t.values.decimals["bias"], paren=True, color=KERNEL), "=",
            Num(("conv", "z", (r, c)), d, color=OUTPUT, label="z"), font_size=30,
        )

    @staticmethod
    def _window(r, c):
        """Where, in the trace's geometry, the cells under the window of output (r, c) are named."""
        return ("geometry", "window_cells", (r, c))

    def _picture(self, shading_path, box: Box, decimals: int, color, blank: bool = False) -> Picture:
        """The matrix as a picture, as large as ``box`` allows beside its colour bar as measured."""
        return fitted_picture(self.trace, tuple(shading_path), box, decimals, color, blank=blank)

    def kernel_title(self) -> str:
        """'kernel W', with its name when W is one of the kernels every course shows."""
        name = self.trace.kernel_name
        return f"kernel W: {name}" if name else "kernel W"

    def _name_room(self, anywhere) -> float:
        """The height the grids' names take above them, measured on the names themselves."""
        names = (self.input_name(), self.kernel_title(), "output Z", "feature map Z")
        return max(self._label(text, anywhere, INPUT).height for text in names) + LABEL_GAP

    def _label(self, text, grid, color):
        return plain(text, font_size=LABEL_SIZE, color=color).next_to(grid, UP, buff=LABEL_GAP)


class ForwardPassScene(StoryScene):
    story = ForwardPassStory
