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

An input too large to number (a 28x28 RGB photo, padded past 16 a side), or numbered too small
to read in the overview (three channels of a 7x7 input padded to 9x9, beside four maps: digits
of 3 px at 480p; ``map_view.readable``), is drawn as one picture per channel, each with the window outlined on it and the numbers under it close up just
below (a ``Loupe``), which is where each channel's products come from; a map too large to number
is a picture that fills in step by step (``map_view``), as in the single-channel story, and so
is a map whose digits would be too small to read.

Where things stand is split from the stage under the title (``Regions``), and the beats hand
each other what they put on screen (``Grids``, ``Filter``, ``Shown``) as arguments and returns.
"""

from typing import NamedTuple

from manim import DOWN, UP, Create, LaggedStart, TransformFromCopy, VGroup

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid, chars_for
from convprop.scenes.kit.grid_names import name_above
from convprop.scenes.kit.kernel_slice import KernelSlice, gap_marks
from convprop.scenes.kit.layer_table import filter_columns
from convprop.scenes.kit.layout import (
    MAX_TEXT_WIDTH, Box, fit_cell, one_above_another, place, side_by_side, split_bottom, under,
)
from convprop.scenes.kit.loupe import Loupe
from convprop.scenes.kit.map_view import is_picture, map_view, readable
from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.numbers import decimals_that_add, exact_decimals
from convprop.scenes.kit.style import FOCUS, INPUT, KERNEL, LABEL_SIZE, MUTED, OUTPUT
from convprop.scenes.kit.tiles import tile
from convprop.scenes.stories.head import show_head
from convprop.scenes.narration import say, subscript
from convprop.scenes.story import Story

# The stage under the title: one column per input channel at the left (its grid, the filter's
# kernel for it, the products under the window and their sum), the output maps at the right (one
# per filter), in these shares of its width. Under them a band for each channel's share s_c and
# the filter's bias (under the maps); at the bottom a band for the step's equation.
CHANNELS_AND_MAPS = (9.8, 3.6)
WIDE_GAP = 0.4  # between the channels and the maps, and between one channel's input and its kernel
# Several channels: each column's input above the filter's kernel for it. The kernel and, during a
# step, the products that replace it share the lower box, tall enough for the products (the
# numbers under discussion) to be legible.
INPUT_AND_KERNEL = (2.3, 2.6)
ROW_GAP = 0.3  # between a channel's input and its kernel's name
# One channel (a dilated kernel alone): its input as large as the single-channel story draws it,
# left, and the kernel and products beside it.
ONE_INPUT_AND_KERNEL = (5.7, 3.7)
# An input too large to number: each channel's picture, the numbers under its window close up
# (the loupe) and the kernel, one above another in its column; one channel's picture above its
# loupe, as the single-channel story draws them.
PICTURE_LOUPE_AND_KERNEL = (2.6, 1.3, 1.6)
PICTURE_AND_LOUPE = (3.15, 1.95)
LOUPE_GAP = 0.3  # between a picture and its loupe
COLUMN_GAP = 0.35  # between two channels' columns, and between two maps
NAME_GAP = 0.1  # between a grid and its name above it
MAP_GAP = 0.15  # between a map and the name of the map under it
SUM_GAP = 0.2  # between the products and the shares under them
LINE_GAP = 0.3  # between the shares and the equation under them
# The first filter's first steps in full, and the first step of every other filter.
_FIRST_FILTER_IN_FULL = 2
_OTHER_FILTERS_IN_FULL = 1
_RGB = ("red", "green", "blue")


class Regions(NamedTuple):
    """Where each thing stands, split from the stage under the title, and the cells that fit.

    The grids' boxes leave room above them for their names.
    """
    inputs: tuple  # one per channel: its padded input
    loupes: tuple  # one per channel, under its picture, when the input is too large to number (else none)
    kernels: tuple  # one per channel: the filter's kernel for it, and during a step its products
    sums: tuple  # under each channel's kernel: its share s_c
    maps: tuple  # one per filter: its output map
    bias: Box  # under the maps: the filter's bias
    line: Box  # the band at the bottom: the step's equation and the notes
    size: Box  # the output size lines: the channels' side under their inputs
    kernel_cell: float
    pictured: bool  # the inputs drawn as pictures, their windows' numbers close up in the loupes


class Grids(NamedTuple):
    """What stays on screen through every filter: the channels' inputs and their names, the maps."""
    inputs: list
    input_names: VGroup
    maps: list


class Filter(NamedTuple):
    """Filter o on screen while it works: its kernels (one per channel), their names, its bias."""
    kernels: VGroup
    names: VGroup
    bias: object

    def everything(self) -> list:
        return [self.kernels, self.names, self.bias]


class Shown(NamedTuple):
    """What a worked step leaves on screen until the window moves on: its equation, the gap
    cells of a dilated window on every channel, and (on pictures) each channel's loupe."""
    lines: tuple = ()
    gaps: tuple = ()
    loupes: tuple = ()

    def everything(self) -> list:
        return [*self.lines, *self.gaps, *self.loupes]


class ForwardLayerStory(Story):
    name = "forward-pass"

    def tell(self):
        t = self.trace
        with self.beat("A layer: the input has channels, each filter a kernel per channel, one output map per filter."
                       if t.config.channels > 1 else "A layer: each filter makes one output map.",
                       self._layer_narration()):
            title = self.show_title("Forward pass of a convolution layer")
            regions = self.regions(title)
            grids = self.show_grids(regions)
        shown = None
        for o in range(t.config.filters):
            shown = self.run_filter(o, grids, regions, shown)
        with self.beat("How many outputs? The output size formula, with dilation.", self._size_narration()):
            self.show_output_size(grids, shown, regions.size)
        self.clear()
        with self.beat(self._head_caption(), self._head_narration()):
            show_head(self, self.show_title("From the maps to the prediction and the loss"))

    # -- where things stand ----------------------------------------------------------------------

    def regions(self, title) -> Regions:
        """The stage under ``title``: a band at the bottom as tall as the step's equation, above it
        a band as tall as a share (or the bias), and above that the channels' columns and the
        maps, each grid's box less the measured height of its name."""
        t = self.trace
        channels = t.config.channels
        name_room = self._name_room(title)
        r, c = self._steps()[0]
        shares = max(self._share(0, 0, r, c).height, self._bias(0).height)
        rest, line = split_bottom(under(title), self._equation(0, r, c).height, gap=LINE_GAP)
        grids_room, sums_band = split_bottom(rest, shares, gap=SUM_GAP)
        left, right = side_by_side(grids_room, CHANNELS_AND_MAPS, WIDE_GAP)
        pictured = self._pictured(left, name_room)
        inputs, loupes, kernels = self._columns(left, pictured and not t.config.numbered)
        size = Box(left.left, left.right, line.bottom, kernels[0].top)
        inputs = tuple(box.inset(top=name_room) for box in inputs)
        kernels = tuple(box.inset(top=name_room) for box in kernels)
        sums = tuple(Box(box.left, box.right, sums_band.bottom, sums_band.top) for box in kernels)
        if pictured and t.config.numbered:
            loupes = kernels  # an overview: the window's numbers close up where the products will stand
        bias = Box(right.left, right.right, sums_band.bottom, sums_band.top)
        maps, _ = tile(right.inset(top=name_room), t.config.filters, t.conv.Z.shape[1:], COLUMN_GAP,
                       name_room + MAP_GAP)
        return Regions(inputs, loupes, kernels, sums, tuple(maps), bias, line, size,
                       kernel_cell=fit_cell(kernels[0], t.conv.W.shape[2:]), pictured=pictured)

    def _pictured(self, left: Box, name_room: float) -> bool:
        """Whether the inputs are pictures: too large to number, or, numbered in their columns,
        too small to read."""
        t = self.trace
        if not t.config.numbered:
            return True
        inputs, _, _ = self._columns(left, pictured=False)
        return not readable(t.conv.X_padded.shape[1:], inputs[0].inset(top=name_room),
                            chars_for(t.conv.X_padded, t.values.decimals["input"]))

    def _columns(self, left: Box, pictured: bool) -> tuple:
        """``left`` split into each channel's (input, loupe, kernel) boxes: its input and the
        filter's kernel for it, and on a picture the loupe under the picture (no loupes on numbers)."""
        channels = self.trace.config.channels
        if channels == 1:
            input_box, kernel = side_by_side(left, ONE_INPUT_AND_KERNEL, WIDE_GAP)
            if not pictured:
                return (input_box,), (), (kernel,)
            picture, loupe = one_above_another(input_box, PICTURE_AND_LOUPE, LOUPE_GAP)
            return (picture,), (loupe,), (kernel,)
        columns = filter_columns(left, channels, COLUMN_GAP)
        if not pictured:
            inputs, kernels = zip(*(one_above_another(column, INPUT_AND_KERNEL, ROW_GAP) for column in columns))
            return inputs, (), kernels
        return tuple(zip(*(one_above_another(column, PICTURE_LOUPE_AND_KERNEL, ROW_GAP) for column in columns)))

    # -- beats ---------------------------------------------------------------------------------

    def show_grids(self, regions: Regions) -> Grids:
        t = self.trace
        decimals = t.values.decimals["input"]
        chars = chars_for(t.conv.X_padded, decimals)
        inputs = [map_view(t, KernelSlice(c=c).input, ("pictures", "inputs", c), decimals, box, INPUT,
                           muted=("geometry", "padding_mask"), chars=chars, picture=regions.pictured,
                           bar=not t.config.numbered)
                  for c, box in enumerate(regions.inputs)]
        map_chars = chars_for(t.conv.Z, 2)
        shape = t.conv.Z.shape[1:]
        maps = [map_view(t, ("conv", "Z", o), ("pictures", "zs", o), 2, box, OUTPUT, blank=True, chars=map_chars,
                         picture=not readable(shape, box, map_chars), bar=not t.config.numbered)
                for o, box in enumerate(regions.maps)]
        input_names = VGroup(*(self._name(self._input_name(c), grid, INPUT) for c, grid in enumerate(inputs)))
        labels = VGroup(input_names, *(self._name(f"Z_{o + 1}", grid, OUTPUT) for o, grid in enumerate(maps)))
        words = ("one input grid per channel; one output map per filter" if not regions.pictured else
                 "one picture per channel, grey from its least value to its largest; one output map per filter")
        note = place(plain(words, font_size=LABEL_SIZE, color=MUTED), regions.line)
        # a blank picture fades in unpainted: each z paints its own cell
        outlines = [FadeIn(m) if is_picture(m) else Create(m.squares) for m in maps]
        self.play(*(FadeIn(g) for g in inputs), *outlines, FadeIn(labels), FadeIn(note), run_time=1.2)
        self.wait(1.0)
        self.play(FadeOut(note), run_time=0.4)
        return Grids(inputs, input_names, maps)

    def run_filter(self, o, grids: Grids, regions: Regions, before: Filter | None) -> Filter:
        """Filter o over the whole input (``before``, the previous filter, making way for it):
        its first steps worked in full, the rest row by row. Returns the filter, still shown."""
        t = self.trace
        steps = self._steps()
        with self.beat(f"Filter {o + 1}: one kernel per input channel, and one bias." if t.config.channels > 1 else
                       f"Filter {o + 1}: its kernel and its bias.", self._filter_narration(o)):
            shown_filter = self._show_filter(o, regions, before)
        full = set(range(min(len(steps), _FIRST_FILTER_IN_FULL if o == 0 else _OTHER_FILTERS_IN_FULL)))
        r, c = steps[0]
        windows = [KernelWindow(grid, t, self._window(r, c)) for grid in grids.inputs]
        gaps = tuple(gap_marks(grid, t, r, c) for grid in grids.inputs)
        self.play(*(Create(w) for w in windows), *(FadeIn(g) for g in gaps), run_time=0.6)
        if o == 0 and any(len(g) for g in gaps):
            with self.beat("Dilation: the kernel's taps stand apart, and the grey cells between them are skipped.",
                           self._dilation_narration()):
                note = place(plain("dilation: the kernel's taps stand apart; the grey cells between them are skipped",
                                   font_size=LABEL_SIZE, color=MUTED), regions.line)
                self.play(FadeIn(note), run_time=0.5)
                self.wait(1.5)
                self.play(FadeOut(note), run_time=0.4)
        shown = Shown(gaps=gaps)
        quick_rows = {}
        for k, (r, c) in enumerate(steps):
            if k in full:
                with self.beat(self._step_caption(o, k), self._step_narration(o, k, r, c)):
                    shown = self._full_step(o, k, r, c, grids, regions, shown_filter, windows, shown)
            else:
                quick_rows.setdefault(r, []).append(c)
        if quick_rows:
            self.play(*(FadeOut(m) for m in shown.everything()), run_time=0.4)
            shown = Shown()
            z = f"Z{subscript(o + 1)}"
            with self.beat(f"The rest of {z}, row by row, the same way.",
                           say(f"The window visits the rest of the input the same way, row by row, and fills in the "
                               f"rest of {z}.")):
                for r, cols in quick_rows.items():
                    self._quick_row(o, r, cols, grids, windows)
        self.play(*(FadeOut(m) for m in windows + shown.everything()), run_time=0.5)
        return shown_filter

    def show_output_size(self, grids: Grids, last: Filter, room: Box):
        """The output size formula in ``room``, where the last filter's kernels stood."""
        t = self.trace
        gone = last.everything()
        if t.config.channels == 1:  # its input stands where the lines go
            gone += grids.inputs + [grids.input_names]
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
        lines.scale_to_fit_width(min(lines.width, room.width, MAX_TEXT_WIDTH))
        if lines.height > room.height:
            lines.scale_to_fit_height(room.height)
        lines.move_to(room.center)
        self.play(FadeIn(lines, shift=UP * 0.2), run_time=1.0)
        self.wait(2.0)

    # -- a filter and its steps ------------------------------------------------------------------

    def _show_filter(self, o, regions: Regions, before: Filter | None) -> Filter:
        t = self.trace
        old = before.everything() if before is not None else []
        chars = chars_for(t.conv.W, t.values.decimals["kernel"])
        kernels = VGroup(*(
            NumberGrid(t, ("conv", "W", o, c), t.values.decimals["kernel"], regions.kernel_cell, KERNEL, chars=chars)
            .move_to(box.center)
            for c, box in enumerate(regions.kernels)))
        names = VGroup(*(self._name(f"W_({o + 1},{c + 1})", grid, KERNEL) for c, grid in enumerate(kernels)))
        bias = place(self._bias(o), regions.bias)
        self.play(*(FadeOut(m) for m in old), FadeIn(kernels), FadeIn(names), FadeIn(bias), run_time=0.8)
        return Filter(kernels, names, bias)

    def _full_step(self, o, k, r, c, grids: Grids, regions: Regions, shown_filter: Filter, windows,
                   before: Shown) -> Shown:
        """Step k of filter o worked in full: the windows move on (``before`` fading), each
        channel's patch, its products with the filter's kernel and their sum, then z, which lands
        in its cell. Returns what stays shown."""
        t = self.trace
        gaps = before.gaps
        if k:
            self.play(*(w.step_to(g, t, self._window(r, c)) for w, g in zip(windows, grids.inputs)),
                      *(FadeOut(m) for m in before.everything()), run_time=0.8)
            gaps = tuple(gap_marks(grid, t, r, c) for grid in grids.inputs)
            self.play(*(FadeIn(g) for g in gaps), run_time=0.3)
        patches = [CellMarks(grid, t, self._window(r, c), fill=INPUT, fill_opacity=0.3) for grid in grids.inputs]
        loupes = self._loupes(r, c, regions, windows)
        kernels_gone = [FadeOut(shown_filter.kernels), FadeOut(shown_filter.names)]
        # an overview's loupes stand where the kernels stood: the kernels make way for them first,
        # and the products take their place
        in_place = regions.loupes is regions.kernels
        if in_place:
            self.play(*kernels_gone, run_time=0.4)
            kernels_gone = [FadeOut(loupe) for loupe in loupes]
        under_windows = self._read_windows(r, c, grids, patches, loupes)
        chars = chars_for(t.conv.channel_products[o], 2)
        products, names, shares = [], [], []
        for ch, (box, sum_box) in enumerate(zip(regions.kernels, regions.sums)):
            grid = NumberGrid(t, ("conv", "channel_products", o, ch, (r, c)), 2, regions.kernel_cell, FOCUS,
                              chars=chars).move_to(box.center)
            products.append(grid)
            names.append(self._name(f"X_{ch + 1} dot.o W_({o + 1},{ch + 1})", grid, FOCUS))
            shares.append(place(self._share(o, ch, r, c), sum_box))
        # a 5x5 kernel's products are legible only close up: the camera comes to them, then backs out
        digits = [label for p in products for label in p.numbers]
        opening = [*(TransformFromCopy(u, p.numbers) for u, p in zip(under_windows, products)),
                   *(FadeIn(p.squares) for p in products), *(FadeIn(n) for n in names), *kernels_gone]
        with self.closely(*products, digits=digits, opening=opening):
            self.wait(0.8)
        self.play(*(FadeIn(s, shift=DOWN * 0.1) for s in shares), run_time=0.6)
        equation = place(self._equation(o, r, c), regions.line)
        self.play(FadeIn(equation, shift=UP * 0.2), run_time=0.8)
        self._land(equation, grids.maps[o], r, c)
        self.play(*(FadeOut(p) for p in patches), run_time=0.3)
        # the kernels come back for the next step
        self.play(*(FadeOut(m) for m in [*products, *names, *shares]), FadeIn(shown_filter.kernels),
                  FadeIn(shown_filter.names), run_time=0.5)
        return Shown((equation,), gaps, () if in_place else tuple(loupes))

    def _loupes(self, r, c, regions: Regions, windows) -> list:
        """Each channel's numbers under the window of output (r, c), close up under its picture
        and joined to its window (none on numbers, which are read in their cells)."""
        t = self.trace
        cell = fit_cell(regions.loupes[0], t.conv.W.shape[2:]) if regions.loupes else 0
        return [Loupe(t, ("conv", "windows", ch, (r, c)), t.values.decimals["input"], cell, INPUT)
                .move_to(box.center).join(window) for ch, (box, window) in enumerate(zip(regions.loupes, windows))]

    def _read_windows(self, r, c, grids: Grids, patches, loupes) -> list:
        """Each channel's patch marked and its numbers read, close up when too small to read: in
        its cells, or in its loupe on a picture. Returns each channel's numbers, read."""
        read = []
        for ch, (grid, patch) in enumerate(zip(grids.inputs, patches)):
            if loupes:
                numbers, opening = loupes[ch].grid.numbers, [FadeIn(patch), FadeIn(loupes[ch])]
            else:
                numbers, opening = VGroup(*(grid.label(*rc) for rc in self._cells(r, c))), [FadeIn(patch)]
            with self.closely(patch, *loupes[ch:ch + 1], digits=numbers, opening=opening):
                self.wait(0.5)
            read.append(numbers)
        return read

    def _land(self, equation, output, r, c):
        """z lands in its cell of the map, marked: its number flies in, or on a picture it paints the cell."""
        t = self.trace
        target = CellMarks(output, t, ("geometry", "output_cells", (r, c)), stroke=FOCUS, stroke_width=5)
        if is_picture(output):
            self.play(Create(target), *output.reveal([(r, c)]), run_time=0.8)
            self.play(FadeOut(target), run_time=0.3)
            return
        [cell_label] = output.fill(t, [(r, c)])
        with self.closely(target, digits=[cell_label], opening=[Create(target)], closing=[FadeOut(target)]):
            self.play(TransformFromCopy(equation.term("z"), cell_label), run_time=0.8)

    def _quick_row(self, o, r, cols, grids: Grids, windows):
        t = self.trace
        cells, output = [(r, c) for c in cols], grids.maps[o]
        appear = output.reveal(cells) if is_picture(output) else [FadeIn(label) for label in output.fill(t, cells)]
        self.play(*(w.step_to(g, t, self._window(r, cols[-1])) for w, g in zip(windows, grids.inputs)),
                  LaggedStart(*appear, lag_ratio=0.3), run_time=min(0.4 * len(cols), 1.5))

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ------

    def _filter_number(self, o: int) -> Num:
        """Filter o as the lecture counts it, from 1, read from the trace."""
        return Num(("conv_grad", "channel_weight_gradients", o, 0, 0, "filter_number"), 0)

    def _layer_narration(self):
        cfg = self.trace.config
        channels = Num(("config", "channels"), 0)
        filters = Num(("config", "filters"), 0)
        if cfg.channels > 1:
            start = ("Now the convolution is a whole layer. The input X has {channels} channels, drawn side by side, "
                     "and a filter holds one kernel for each channel. ")
        elif tuple(cfg.dilation) != (1, 1):
            start = "Now the convolution is a layer with a dilated kernel, over an input X of one channel. "
        else:
            start = "Now the convolution is a whole layer, over an input X of one channel. "
        if self.trace.config.filters > 1:
            maps = "Each filter makes one output map of its own, so {filters} filters make {filters} maps."
        else:
            maps = "One filter makes one output map, Z₁."
        pictured = (" The inputs are drawn as pictures, and the numbers under the window are written close up."
                    if not cfg.numbered else "")
        return say(start + maps + pictured, channels=channels, filters=filters)

    def _filter_narration(self, o: int):
        t = self.trace
        b = f"b{subscript(o + 1)}"
        values = dict(filter=self._filter_number(o), b=Num(("conv", "b", o), t.values.decimals["bias"]))
        first = "First, filter {filter}." if o == 0 else "Next, filter {filter}, over the same input."
        if t.config.channels > 1:
            values["channels"] = Num(("config", "channels"), 0)
            return say(first + f" It has a kernel for each of the {{channels}} input channels, and one bias, {b}, "
                       "which is {b}.", **values)
        return say(first + f" Its kernel, and its bias {b}, which is {{b}}.", **values)

    def _dilation_narration(self):
        return say("The kernel is dilated: its taps stand apart, so the window spans more cells than the kernel has "
                   "weights. The grey cells between the taps are skipped; only the cells under the taps are "
                   "multiplied.")

    def _step_caption(self, o: int, k: int) -> str:
        """Each worked step's caption says what that step adds to the last: never the same line twice."""
        z = f"Z{subscript(o + 1)}"
        if k == 0 and o == 0:
            return ("Each channel's patch times its own kernel gives that channel's share; the shares plus b give z."
                    if self.trace.config.channels > 1 else
                    "The cells under the kernel's taps times its weights, added up, plus b, give z.")
        if k == 0:
            return f"The same windows, with filter {o + 1}'s kernels: the first cell of {z}."
        return f"The window moves on by the stride: new patches, the next cell of {z}."

    def _step_narration(self, o: int, k: int, r: int, c: int):
        """Step k of filter o with the numbers of its equation: each channel's share, the bias, z."""
        t = self.trace
        channels = range(t.config.channels)
        d = decimals_that_add([*(t.conv.channel_sums[o, ch][r, c] for ch in channels), t.conv.b[o]],
                              t.conv.Z[o][r, c], 2)
        values = {f"s{ch + 1}": Num(("conv", "channel_sums", o, ch, (r, c)), d) for ch in channels}
        values |= dict(b=Num(("conv", "b", o), t.values.decimals["bias"]), z=Num(("conv", "Z", o, (r, c)), d))
        z = f"Z{subscript(o + 1)}"
        moved = ""
        if k:
            values["stride"] = Num(("config", "stride", 1 if c > 0 else 0), 0)
            moved = ("The window moves along the row by the column stride, {stride}, on every channel at once. "
                     if c > 0 else "The window moves down by the row stride, {stride}, on every channel at once. ")
        if t.config.channels == 1:
            return say(moved + "The products under the taps add up to {s1}; plus the bias, {b}, that gives "
                       f"{{z}}, this cell of {z}.", **values)
        shares = [f"{{s{ch + 1}}}" for ch in channels]
        listed = ", ".join(shares[:-1]) + " and " + shares[-1]
        if k == 0 and o == 0:
            how = ("Under the window, each channel's patch is multiplied by that channel's own kernel, entry by "
                   "entry, and the products are added up: that channel's share. ")
        elif k == 0:
            how = "The window starts again at the top left, now with this filter's own kernels. "
        else:
            how = ""
        return say(moved + how + f"The shares are {listed}. Added together, plus the bias, {{b}}, they give "
                   f"{{z}}, this cell of {z}.", **values)

    def _size_narration(self):
        def axis(name, a):
            return {f"{name}_n": Num(("config", "input_size", a), 0), f"{name}_d": Num(("config", "dilation", a), 0),
                    f"{name}_k": Num(("config", "kernel_size", a), 0), f"{name}_s": Num(("config", "stride", a), 0),
                    f"{name}_out": Num(("config", "conv_output_size", a), 0)}
        return say("How many outputs does each filter make? Down the rows: the input's {rows_n} cells, plus the "
                   "padding {padding} on both sides, minus the span of the kernel, that is the dilation {rows_d} "
                   "times one less than the kernel's {rows_k}, minus one more, then divided by the stride {rows_s}, "
                   "rounded down, plus one: {rows_out}. Across the columns, {cols_n} cells with dilation {cols_d}, "
                   "kernel {cols_k} and stride {cols_s} give {cols_out}. With one map per filter, Z is {filters} by "
                   "{rows_out} by {cols_out}.",
                   padding=Num(("config", "padding"), 0), filters=Num(("config", "filters"), 0),
                   **axis("rows", 0), **axis("cols", 1))

    def _head_stages(self) -> str:
        """What each map goes through before F, in words: its ReLU, its max pool, or neither."""
        cfg = self.trace.config
        stages = [*(["a ReLU"] if cfg.relu else []), *(["a max pool"] if cfg.pool else [])]
        return " and then ".join(stages)

    def _head_caption(self) -> str:
        stages = self._head_stages()
        through = f"Each map through {stages}; F" if stages else "F"
        return f"{through} takes the maps one after another, then the dense layer, the prediction and the loss."

    def _head_narration(self):
        t = self.trace
        stages = self._head_stages()
        through = f"Each map goes through {stages}. Then the" if stages else "The"
        return say(f"{through} feature vector F takes the maps one after another: all of the first map, row by row, "
                   "then all of the next. A dense layer with a sigmoid turns F into the prediction ŷ, {y_hat}. "
                   "Against the target y, {y}, the cross-entropy loss is {L}.",
                   y_hat=Num(("head", "y_hat"), 3), y=Num(("target",), exact_decimals(t.target)),
                   L=Num(("head", "loss"), 3))

    # -- helpers ---------------------------------------------------------------------------------

    def _steps(self) -> list[tuple[int, int]]:
        """Every output cell, in the order the window visits them: along each row, then down."""
        rows, cols = self.trace.conv.Z.shape[1:]
        return [(r, c) for r in range(rows) for c in range(cols)]

    def _equation(self, o, r, c):
        """z = s_1 + ... + s_C + b for filter o at output (r, c): a worked step's line."""
        t = self.trace
        channels = range(t.config.channels)
        # two decimals, or as many more as it takes for the line to add up as written
        d = decimals_that_add([*(t.conv.channel_sums[o, ch][r, c] for ch in channels), t.conv.b[o]],
                              t.conv.Z[o][r, c], 2)
        parts = [f"z_{o + 1} ="]
        for ch in channels:
            parts += (["+"] if ch else []) + [Num(("conv", "channel_sums", o, ch, (r, c)), d, paren=bool(ch))]
        parts += ["+", Num(("conv", "b", o), t.values.decimals["bias"], paren=True, color=KERNEL), "=",
                  Num(("conv", "Z", o, (r, c)), d, color=OUTPUT, label="z")]
        return self.formula(*parts, font_size=30)

    def _share(self, o, ch, r, c):
        """Channel ch's share s_c of filter o's output (r, c): the sum of its products."""
        return self.formula(f"s_{ch + 1} = \"sum\" =", Num(("conv", "channel_sums", o, ch, (r, c)), 2),
                            font_size=LABEL_SIZE, color=FOCUS)

    def _bias(self, o):
        return self.formula(f"b_{o + 1} =", Num(("conv", "b", o), self.trace.values.decimals["bias"]),
                            font_size=LABEL_SIZE, color=KERNEL)

    def _cells(self, r, c):
        return [tuple(int(v) for v in rc) for rc in self.trace.geometry.window_cells[r, c].reshape(-1, 2)]

    @staticmethod
    def _window(r, c):
        return ("geometry", "window_cells", (r, c))

    def _input_name(self, c) -> str:
        """Channel c's name: X_c, and the colour it holds when three channels are pictured (the red,
        green and blue of a photograph)."""
        if self.trace.config.channels == 3 and not self.trace.config.numbered:
            return f"X_{c + 1} \"({_RGB[c]})\""
        return f"X_{c + 1}"

    def _name_room(self, anywhere) -> float:
        """The height a grid's name takes above it, measured on the tallest of the names."""
        names = (self._input_name(0), "W_(1,1)", "Z_1", "X_1 dot.o W_(1,1)")
        return max(self._name(text, anywhere, INPUT).height for text in names) + NAME_GAP

    def _name(self, text, grid, color):
        """The name above ``grid``; above a picture, centred on the picture itself, not its colour bar."""
        return name_above(self.formula(text, font_size=LABEL_SIZE, color=color), grid, NAME_GAP)
