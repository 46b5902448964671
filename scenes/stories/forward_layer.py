"""The forward pass of a convolution layer: C input channels, F filters, a dilated kernel.

A filter is a stack of kernels, one per input channel. At each step the window sits at the same
place on every channel; each channel's patch times its own kernel gives that channel's share
s_c, and z = s_1 + ... + s_C + b. Every filter does this over the whole input and makes one
output map, so the layer's output has one map per filter. A dilated kernel's taps stand d cells
apart: the window spans the cells between them (the gaps, marked muted) without reading them.
Then every map goes through the head (``head.show_head``): its ReLU and max pool, and F taking
the maps one after another into the dense layer.

Each number drawn is the one the layer adds: the per-channel products and sums of the filter in
play (``channel_products``, ``channel_sums``), never the single-channel views, which would show
channel 0's products beside a sum over every channel.
"""

from math import ceil

from manim import DOWN, RIGHT, UP, Create, FadeIn, FadeOut, LaggedStart, TransformFromCopy, VGroup

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid, chars_for
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, fit_cell
from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.style import FOCUS, INPUT, KERNEL, LABEL_SIZE, MUTED, OUTPUT, SKIPPED
from convprop.scenes.stories.head import show_head
from convprop.scenes.story import Story

# Regions of the 14.2 x 8 frame, as (left, right, bottom, top): one column per input channel
# (its grid, the filter's kernel for it, the products under the window and their sum), and the
# output maps on the right, one per filter.
# The filter's kernels and, during a step, the products that replace them share one band, tall
# enough for the products (the numbers under discussion) to be legible.
CHANNELS_BOX = Box(-6.9, 2.9, -2.6, 2.75)
INPUT_TOP, INPUT_BOTTOM = 2.75, 0.45
WORK_TOP, WORK_BOTTOM = 0.15, -2.45
SUM_Y = -2.78
# One channel (a dilated kernel alone): its input as large as the single-channel story draws it,
# left, and the kernel and products beside it.
ONE_INPUT_BOX = Box(-6.9, -1.2, -2.45, 2.75)
ONE_WORK_BOX = Box(-0.8, 2.9, -2.45, 2.75)
MAPS_BOX = Box(3.3, 6.9, -2.45, 2.75)
BIAS_AT = (MAPS_BOX.center[0], SUM_Y, 0)
EQUATION_Y = -3.45
COLUMN_GAP = 0.35
LABEL_ROOM = 0.35  # the name above a grid
# The first filter's first steps in full, and the first step of every other filter.
_FIRST_FILTER_IN_FULL = 2
_OTHER_FILTERS_IN_FULL = 1


class ForwardLayerStory(Story):
    name = "forward-pass"

    def tell(self):
        t = self.trace
        self.steps = [(r, c) for r in range(t.conv.Z.shape[1]) for c in range(t.conv.Z.shape[2])]
        with self.beat("A layer: the input has channels, each filter a kernel per channel, one output map per filter."):
            self.show_title("Forward pass of a convolution layer")
            self.show_grids()
        for o in range(t.config.filters):
            self.run_filter(o)
        with self.beat("How many outputs? The output size formula, with dilation."):
            self.show_output_size()
        self.clear()
        with self.beat("Each map through ReLU and the max pool; F takes them map by map, then the dense layer, "
                       "the prediction and the loss."):
            self.show_title("From the maps to the prediction and the loss")
            show_head(self)

    # -- beats ---------------------------------------------------------------------------------

    def show_grids(self):
        t = self.trace
        cfg = t.config
        channels = cfg.channels
        if channels == 1:
            self.input_boxes, self.work_boxes = [ONE_INPUT_BOX.inset(top=LABEL_ROOM)], [ONE_WORK_BOX]
        else:
            width = (CHANNELS_BOX.width - COLUMN_GAP * (channels - 1)) / channels
            lefts = [CHANNELS_BOX.left + i * (width + COLUMN_GAP) for i in range(channels)]
            self.input_boxes = [Box(x, x + width, INPUT_BOTTOM, INPUT_TOP - LABEL_ROOM) for x in lefts]
            self.work_boxes = [Box(x, x + width, WORK_BOTTOM, WORK_TOP) for x in lefts]
        shape = t.conv.X_padded.shape[1:]
        cell = min(fit_cell(box, shape) for box in self.input_boxes)
        chars = chars_for(t.conv.X_padded, t.values.decimals["input"])
        self.inputs = [NumberGrid(t, ("conv", "X_padded", c), t.values.decimals["input"], cell, INPUT,
                                  muted=("geometry", "padding_mask"), chars=chars).move_to(box.center)
                       for c, box in enumerate(self.input_boxes)]
        self.maps = self._output_maps()
        self.input_labels = VGroup(*(self._name(f"X_{c + 1}", grid, INPUT) for c, grid in enumerate(self.inputs)))
        labels = VGroup(self.input_labels,
                        *(self._name(f"Z_{o + 1}", grid, OUTPUT) for o, grid in enumerate(self.maps)))
        note = plain("one input grid per channel; one output map per filter", font_size=LABEL_SIZE, color=MUTED)
        note.move_to([0, EQUATION_Y, 0])
        self.play(*(FadeIn(g) for g in self.inputs), *(Create(m.squares) for m in self.maps), FadeIn(labels),
                  FadeIn(note), run_time=1.2)
        self.wait(1.0)
        self.play(FadeOut(note), run_time=0.4)
        self.kernels = self.kernel_labels = self.bias = None

    def run_filter(self, o):
        t = self.trace
        with self.beat(f"Filter {o + 1}: one kernel per input channel, and one bias."):
            self._show_filter(o)
        full = set(range(min(len(self.steps), _FIRST_FILTER_IN_FULL if o == 0 else _OTHER_FILTERS_IN_FULL)))
        r, c = self.steps[0]
        self.windows = [KernelWindow(grid, t, self._window(r, c)) for grid in self.inputs]
        self.gaps = [self._gap_marks(grid, r, c) for grid in self.inputs]
        self.play(*(Create(w) for w in self.windows), *(FadeIn(g) for g in self.gaps), run_time=0.6)
        if o == 0 and any(len(g) for g in self.gaps):
            note = plain("dilation: the kernel's taps stand apart; the grey cells between them are skipped",
                         font_size=LABEL_SIZE, color=MUTED).move_to([0, EQUATION_Y, 0])
            self.play(FadeIn(note), run_time=0.5)
            self.wait(1.5)
            self.play(FadeOut(note), run_time=0.4)
        self.shown = []
        quick_rows = {}
        for k, (r, c) in enumerate(self.steps):
            if k in full:
                with self.beat(f"Step {k + 1}: each channel's patch times its kernel, the shares added, plus b."):
                    self._full_step(o, k, r, c)
            else:
                quick_rows.setdefault(r, []).append(c)
        if quick_rows:
            self.play(*(FadeOut(m) for m in self.shown + self.gaps), run_time=0.4)
            self.shown, self.gaps = [], []
            with self.beat("The remaining steps, row by row, in the same way."):
                for r, cols in quick_rows.items():
                    self._quick_row(o, r, cols)
        self.play(*(FadeOut(m) for m in self.windows + self.shown + self.gaps), run_time=0.5)

    def show_output_size(self):
        t = self.trace
        gone = [m for m in (self.kernels, self.kernel_labels, self.bias) if m is not None]
        if t.config.channels == 1:  # its input stands where the lines go
            gone += self.inputs + [self.input_labels]
        self.play(*(FadeOut(m) for m in gone), run_time=0.4)
        lines = VGroup(self.formula("\"out\" = floor((n + 2p - d(k - 1) - 1) / s) + 1", font_size=26))
        for axis, word in ((0, "rows"), (1, "cols")):
            lines.add(self.formula(
                f'"{word}:" floor((', Num(("config", "input_size", axis), 0), "+ 2 dot",
                Num(("config", "padding"), 0), "-", Num(("config", "dilation", axis), 0), "dot (",
                Num(("config", "kernel_size", axis), 0), "- 1) - 1) /",
                Num(("config", "stride", axis), 0), ") + 1 =",
                Num(("config", "conv_output_size", axis), 0, color=OUTPUT), font_size=26,
            ))
        lines.add(self.formula('"one map per filter: Z is"', Num(("config", "filters"), 0, color=OUTPUT), "times",
                               Num(("config", "conv_output_size", 0), 0), "times",
                               Num(("config", "conv_output_size", 1), 0), font_size=26))
        lines.arrange(DOWN, buff=0.25)
        room = Box(CHANNELS_BOX.left, CHANNELS_BOX.right, -3.7, WORK_TOP)
        lines.scale_to_fit_width(min(lines.width, room.width, MAX_TEXT_WIDTH))
        if lines.height > room.height:
            lines.scale_to_fit_height(room.height)
        lines.move_to(room.center)
        self.play(FadeIn(lines, shift=UP * 0.2), run_time=1.0)
        self.wait(2.0)

    # -- a filter and its steps ------------------------------------------------------------------

    def _show_filter(self, o):
        t = self.trace
        old = [m for m in (self.kernels, self.kernel_labels, self.bias) if m is not None]
        kshape = t.conv.W.shape[2:]
        cell = min(fit_cell(box.inset(top=LABEL_ROOM), kshape) for box in self.work_boxes)
        chars = chars_for(t.conv.W, t.values.decimals["kernel"])
        self.kernels = VGroup(*(
            NumberGrid(t, ("conv", "W", o, c), t.values.decimals["kernel"], cell, KERNEL, chars=chars)
            .move_to(box.inset(top=LABEL_ROOM).center)
            for c, box in enumerate(self.work_boxes)))
        self.kernel_labels = VGroup(*(self._name(f"W_({o + 1},{c + 1})", grid, KERNEL)
                                      for c, grid in enumerate(self.kernels)))
        self.bias = self.formula(f"b_{o + 1} =", Num(("conv", "b", o), t.values.decimals["bias"]),
                                 font_size=LABEL_SIZE, color=KERNEL)
        self.bias.move_to(BIAS_AT)
        self.play(*(FadeOut(m) for m in old), FadeIn(self.kernels), FadeIn(self.kernel_labels), FadeIn(self.bias),
                  run_time=0.8)

    def _full_step(self, o, k, r, c):
        t = self.trace
        if k:
            self.play(*(w.step_to(g, t, self._window(r, c)) for w, g in zip(self.windows, self.inputs)),
                      *(FadeOut(m) for m in self.shown + self.gaps), run_time=0.8)
            self.gaps = [self._gap_marks(grid, r, c) for grid in self.inputs]
            self.play(*(FadeIn(g) for g in self.gaps), run_time=0.3)
        patches = [CellMarks(grid, t, self._window(r, c), fill=INPUT, fill_opacity=0.3) for grid in self.inputs]
        # each channel's numbers under the window, close up when the grids are too small to read
        for grid, patch in zip(self.inputs, patches):
            under = VGroup(*(grid.label(*rc) for rc in self._cells(r, c)))
            with self.closely(patch, digits=under, opening=[FadeIn(patch)]):
                self.wait(0.5)
        kernels_gone = [FadeOut(self.kernels), FadeOut(self.kernel_labels)]
        kshape = t.conv.W.shape[2:]
        cell = min(fit_cell(box.inset(top=LABEL_ROOM), kshape) for box in self.work_boxes)
        chars = chars_for(t.conv.channel_products[o], 2)
        products, names, shares = [], [], []
        for ch, box in enumerate(self.work_boxes):
            grid = NumberGrid(t, ("conv", "channel_products", o, ch, (r, c)), 2, cell, FOCUS,
                              chars=chars).move_to(box.inset(top=LABEL_ROOM).center)
            products.append(grid)
            names.append(self._name(f"X_{ch + 1} dot.o W_({o + 1},{ch + 1})", grid, FOCUS))
            shares.append(self.formula(f"s_{ch + 1} = \"sum\" =", Num(("conv", "channel_sums", o, ch, (r, c)), 2),
                                       font_size=LABEL_SIZE, color=FOCUS).move_to([box.center[0], SUM_Y, 0]))
        under = [VGroup(*(grid.label(*rc) for rc in self._cells(r, c))) for grid in self.inputs]
        # a 5x5 kernel's products are legible only close up: the camera comes to them, then backs out
        digits = [label for p in products for label in p.numbers]
        opening = [*(TransformFromCopy(u, p.numbers) for u, p in zip(under, products)),
                   *(FadeIn(p.squares) for p in products), *(FadeIn(n) for n in names), *kernels_gone]
        with self.closely(*products, digits=digits, opening=opening):
            self.wait(0.8)
        self.play(*(FadeIn(s, shift=DOWN * 0.1) for s in shares), run_time=0.6)
        parts = [f"z_{o + 1} ="]
        for ch in range(t.config.channels):
            parts += (["+"] if ch else []) + [Num(("conv", "channel_sums", o, ch, (r, c)), 2, paren=bool(ch))]
        parts += ["+", Num(("conv", "b", o), t.values.decimals["bias"], paren=True, color=KERNEL), "=",
                  Num(("conv", "Z", o, (r, c)), 2, color=OUTPUT, label="z")]
        equation = self.formula(*parts, font_size=30).move_to([0, EQUATION_Y, 0])
        self.play(FadeIn(equation, shift=UP * 0.2), run_time=0.8)
        target = CellMarks(self.maps[o], t, ("geometry", "output_cells", (r, c)), stroke=FOCUS, stroke_width=5)
        [cell_label] = self.maps[o].fill(t, [(r, c)])
        with self.closely(target, digits=[cell_label], opening=[Create(target)], closing=[FadeOut(target)]):
            self.play(TransformFromCopy(equation.term("z"), cell_label), run_time=0.8)
        self.play(*(FadeOut(p) for p in patches), run_time=0.3)
        self.shown = [*products, *names, *shares, equation]
        # the kernels come back for the next step
        self.play(*(FadeOut(m) for m in self.shown[:-1]), FadeIn(self.kernels), FadeIn(self.kernel_labels),
                  run_time=0.5)
        self.shown = [equation]

    def _quick_row(self, o, r, cols):
        t = self.trace
        appear = [FadeIn(label) for label in self.maps[o].fill(t, [(r, c) for c in cols])]
        self.play(*(w.step_to(g, t, self._window(r, cols[-1])) for w, g in zip(self.windows, self.inputs)),
                  LaggedStart(*appear, lag_ratio=0.3), run_time=min(0.4 * len(cols), 1.5))

    # -- helpers ---------------------------------------------------------------------------------

    def _output_maps(self):
        t = self.trace
        filters = t.config.filters
        across = 1 if filters <= 2 else 2
        down = ceil(filters / across)
        width = (MAPS_BOX.width - COLUMN_GAP * (across - 1)) / across
        height = MAPS_BOX.height / down
        shape = t.conv.Z.shape[1:]
        room = LABEL_ROOM + 0.15  # the map's name, and a gap to the map above
        cell = fit_cell(Box(0, width, 0, height - room), shape)
        chars = chars_for(t.conv.Z, 2)
        maps = []
        for o in range(filters):
            i, j = divmod(o, across)
            x = MAPS_BOX.left + j * (width + COLUMN_GAP) + width / 2
            y = MAPS_BOX.top - i * height - room - (height - room) / 2
            maps.append(NumberGrid(t, ("conv", "Z", o), 2, cell, OUTPUT, blank=True, chars=chars).move_to([x, y, 0]))
        return maps

    def _gap_marks(self, grid, r, c):
        """The cells a dilated window spans but does not read (none without dilation)."""
        return CellMarks(grid, self.trace, ("geometry", "gap_cells", (r, c)), fill=SKIPPED, fill_opacity=0.6,
                         stroke=MUTED)

    def _cells(self, r, c):
        return [tuple(int(v) for v in rc) for rc in self.trace.geometry.window_cells[r, c].reshape(-1, 2)]

    @staticmethod
    def _window(r, c):
        return ("geometry", "window_cells", (r, c))

    def _name(self, text, grid, color):
        return self.formula(text, font_size=LABEL_SIZE, color=color).next_to(grid, UP, buff=0.1)
