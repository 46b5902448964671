"""The input gradient: dL/dX as a full convolution of the dilated dL/dZ with the rotated kernel.

dL/dZ is dilated by the stride (s-1 zeros between its entries) and padded by d(k-1) zeros all
round (k-1 without dilation); the kernel turns by half a turn; the rotated kernel slides over
the padded dilated gradient with step one, and each position gives one cell of dL/d(padded X).
Cells of the padded input that no forward window reached stay zero. Cropping the padding leaves
dL/dX, which is what this layer passes back to the layer before it.

A layer (C input channels, F filters, a dilated kernel) does the same once per filter and
channel: filter o's dL/dZ[o] goes back to channel c through W[o, c], turned round, its taps d
apart (the cells between them, greyed, are skipped), and

    dL/dX[c] = sum over filters o of (what dL/dZ[o] sends back through W[o, c]).

Filter 1 is shown step by step for every channel; the other filters' shares appear whole, as
grids added up channel by channel, with one cell's sum written out. With one channel, one filter
and no dilation every path read is the lecture's single-channel view, and the scene is the
lecture's.

An input too large to number (a 28x28 digit) is told on pictures (``kit.map_view``'s rule: past
16 cells a side): dL/dZ, its dilation and its ring of zeros, and dL/d(padded X), which fills in
cell by cell as each sum is written; the window's entries are written out close up beside it (a
``Loupe``), and the rest of the slide sweeps a few rows at a time. dL/dX is then a heat map
already. With several channels every channel's dL/dX ends as its own heat map, named.

Beats hand each other what stays on screen as values (``Shown``, the grids they return); the
layout (``Stage``) is worked out once from the sizes of the grids this trace has.
"""

from dataclasses import dataclass, field, replace
from math import ceil

import numpy as np
from manim import (
    LEFT, PI, RIGHT, UP, Create, FadeIn, FadeOut, FadeTransform, LaggedStart, ReplacementTransform, Rotate,
    Square, TransformFromCopy, VGroup,
)

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import KernelWindow, NumberGrid, chars_for
from convprop.scenes.kit.loupe import Loupe
from convprop.scenes.kit.layout import (
    MAX_TEXT_WIDTH, Box, fit_cell, one_above_another, place, shrink_to_width, side_by_side, split_bottom, under,
)
from convprop.scenes.kit.marks import CellMarks, Outline, cells_at, region_box
from convprop.scenes.kit.numbers import NumberLabel, decimals_that_add
from convprop.scenes.kit.map_view import is_picture, numberable
from convprop.scenes.kit.picture import BAR_ROOM, Picture
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, KERNEL, LABEL_SIZE, LOWERS_LOSS, MUTED, RAISES_LOSS, SKIPPED
from convprop.scenes.kit.tiles import tile
from convprop.scenes.kit.trace_paths import lookup, resolve
from convprop.scenes.story import Story, StoryScene

# The room under the title is split into a band at the bottom, as tall as a step's equation,
# and the stage above it, less the room of the grids' names. The stage is split into three
# columns: the padded dilated gradient on the left, the kernel and the entries under the window
# in the middle, dL/d(padded X) on the right (one grid per channel). The middle column is as wide
# as the kernel needs; the other two share the rest by their column counts.
GAP = 0.4
LINE_GAP = 0.15  # between the grids and the line at the bottom
LABEL_GAP = 0.12  # between a grid and its name above it
MIDDLE_CELL = 0.85  # largest cell of the kernel and of the entries under the window
MIDDLE_WIDTH = (2.6, 3.4)  # the middle column's narrowest and widest
KERNEL_AND_WINDOW = (2.3, 2.75)  # the middle column's shares: the kernel above, the window's entries below
WINDOW_GAP = 0.6  # between them: the window's caption, and the kernel's name before it turns
FINAL_SHARES = (1, 4, 1)  # dL/dX of one channel, once everything else has gone: the stage's middle share
FINAL_CELL = 1.1
NAME_ROOM = 0.4  # the name above a grid, between two rows of grids
ROW_NAME_ROOM = 0.6  # the channel's name left of its row of filter shares
SIGN_ROOM = 0.45  # the "+" or "=" between two grids of a row
WIDEST_CELL = 2.0  # a cell of that table at most this many times as wide as tall
HEAT_GAP, HEAT_BAR_ROOM = 0.8, 1.3  # between dL/dX's numbers and its heat map; the heat map's colour bar
EQUATION_WIDTH = MAX_TEXT_WIDTH
PLAN_SIZE = 40
MAX_FONT = 30  # the largest number font, as in kit.grid

PICTURE_SWEEPS = 8  # the movements that sweep the rest of a picture, a few rows each
STEPS_IN_FULL = 3  # with one channel; one fewer for each further channel, at least one
DECIMALS = 3  # every gradient, as in the other gradient scenes


@dataclass(frozen=True)
class Names:
    """Where the trace keeps each matrix the scene draws, for filter ``o`` and channel ``c``.

    With one channel and one filter they are the lecture's single-channel views (the whole
    layer); otherwise the layer's arrays, indexed by filter and channel.
    """

    single: bool

    def dz(self, o):
        return ("conv_grad", "dL_dz") if self.single else ("conv_grad", "dL_dZ", o)

    def dilated(self, o):
        return ("conv_grad", "dilated_dL_dz") if self.single else ("conv_grad", "dilated_dL_dZ", o)

    def padded_dilated(self, o):
        return ("conv_grad", "padded_dilated_dL_dz") if self.single else ("conv_grad", "padded_dilated_dL_dZ", o)

    def kernel(self, o, c):
        return ("conv", "kernel") if self.single else ("conv", "W", o, c)

    def rotated(self, o, c):
        return ("conv_grad", "rotated_kernel") if self.single else ("conv_grad", "rotated_W", o, c)

    def share(self, o, c):
        """What filter o sends back to padded channel c (everything, for one filter)."""
        return ("conv_grad", "dL_dpadded_input") if self.single else ("conv_grad", "dL_dX_padded_by_filter", o, c)

    def padded_total(self, c):
        return ("conv_grad", "dL_dpadded_input") if self.single else ("conv_grad", "dL_dX_padded", c)

    def final(self, c):
        return ("conv_grad", "dL_dinput") if self.single else ("conv_grad", "dL_dX", c)


@dataclass(frozen=True)
class Stage:
    """The three columns and the cells that fit them, for this trace's shapes; the whole stage
    (each filter's shares and their sums, every channel's dL/dX), the middle of it where one
    channel's dL/dX stands at the end, and the band under it all where each beat's line is written."""

    grad_box: Box
    kernel_box: Box
    window_box: Box
    result_boxes: list
    middle_cell: float
    result_cell: float
    whole: Box
    final: Box
    line: Box


@dataclass(frozen=True)
class Shown:
    """What one beat leaves on screen for the next: the gradient grid being worked on and its
    name, the line at the bottom, the rotated kernel in the middle and its name, the names of the
    result grids, what is to fade when the next beat starts, and grids built for a later beat."""

    grid: object
    label: object
    line: object = None
    rotated: object = None
    rotated_label: object = None
    titles: object = None
    leftovers: list = field(default_factory=list)
    coming: tuple = ()


class InputGradientStory(Story):
    name = "input-gradient"
    summary = ("dL/dX as the full convolution of the dilated, padded dL/dZ with the kernel rotated by half a "
               "turn; for a layer, each filter's share of each channel, summed over the filters")
    draws_layers = True
    pictures_large_input = True  # a 28x28 digit: its maps as pictures, the window's entries close up
    pictures_large_layer = True  # a layer at that size: each filter's share and each channel's heat map the same way

    def tell(self):
        t = self.trace
        cfg = t.config
        names = Names(single=cfg.channels == 1 and cfg.filters == 1)
        with self.beat("What the layer passes back: dL/dX, a full convolution of dL/dZ with the kernel turned round."
                       if names.single else
                       "What the layer passes back: for every channel c, dL/dX_c collects a full convolution "
                       "from every filter o, of dL/dZ_o with W_(o,c) turned round."):
            title = self.show_title("The input gradient is a full convolution" if names.single
                                    else "The input gradient of a convolution layer")
            stage = self.layout(title, names)
            plan = self.show_plan(names)
        with self.beat("Start from dL/dZ, one gradient per output of the convolution." if names.single else
                       "Start from filter 1's dL/dZ_1, one gradient per output of its map."):
            shown = self.show_dz(stage, names, plan)
        with self.beat("Dilate it by the stride: s-1 zeros between neighbouring entries, "
                       "so that a stride-s step becomes a step of one."):
            shown = self.dilate(stage, names, shown)
        with self.beat("Pad it with k-1 zeros all round, so the kernel can overlap every entry, even at the edges."
                       if cfg.dilation == (1, 1) else
                       "Pad it with d(k-1) zeros all round: the dilated kernel spans d(k-1)+1 cells, so it can "
                       "overlap every entry, even at the edges."):
            shown = self.pad(stage, names, shown)
        with self.beat("Turn the kernel W by half a turn: upside down and left to right." if names.single else
                       "Turn each kernel W_(1,c) by half a turn: upside down and left to right."):
            shown = self.rotate_kernel(stage, names, shown)
        results, shown = self.slide(stage, names, shown)
        if cfg.filters > 1:
            results, shown = self.add_filters(stage, names, results, shown)
        with self.beat("The padding was not part of X, so it is cropped away."
                       if cfg.padding else "There is no padding to crop: this is dL/dX."):
            finals, labels, line = self.crop(stage, names, results, shown)
        with self.beat("dL/dX is what this layer passes back to the layer before it."):
            words = self.pass_back(stage, line)
        if cfg.channels == 1:
            with self.beat("As a heat map: where brightening a pixel would raise the loss, and where it would "
                           "lower it."):
                self.show_heat_map(stage, finals[0], labels[0], words)
        else:
            with self.beat("As heat maps, one per channel: where brightening a pixel of that channel would raise "
                           "the loss, and where it would lower it."):
                self.show_heat_maps(stage, finals, labels, words)
        self.wait(2.0)

    # -- layout --------------------------------------------------------------------------------

    def layout(self, title, names) -> Stage:
        """The room under ``title``: a band at the bottom as tall as a step's equation, and above
        it, less the room of the grids' names, the three columns, sized from the grids this trace
        has: of the ways to tile the channels' results in the right column, the one that gives
        both grids the larger cell."""
        t = self.trace
        kh, kw = t.conv.W.shape[2:]
        pd_shape = t.conv_grad.padded_dilated_dL_dz.shape
        res_shape = t.conv.padded_input.shape
        line_room = shrink_to_width(self._step_equation(names, 0, 0, 0, res_shape[1]), EQUATION_WIDTH).height
        grids, line = split_bottom(under(title), line_room, gap=LINE_GAP)
        stage = grids.inset(top=self._name_room(names, title))
        middle = min(max(kw * MIDDLE_CELL, MIDDLE_WIDTH[0]), MIDDLE_WIDTH[1])
        rest = stage.width - middle - 2 * GAP
        best = None
        for across in range(1, t.config.channels + 1):
            left_w = rest * pd_shape[1] / (pd_shape[1] + res_shape[1] * across)
            grad_box, middle_box, right = side_by_side(stage, (left_w, middle, rest - left_w), GAP)
            boxes, cell = tile(right, t.config.channels, res_shape, GAP, NAME_ROOM)
            score = min(cell, fit_cell(grad_box, pd_shape))
            if best is None or score > best[0]:
                best = (score, grad_box, middle_box, boxes, cell)
        _, grad_box, middle_box, boxes, cell = best
        kernel_box, window_box = one_above_another(middle_box, KERNEL_AND_WINDOW, gap=WINDOW_GAP)
        return Stage(grad_box, kernel_box, window_box, boxes,
                     min(fit_cell(kernel_box, (kh, kw), MIDDLE_CELL), fit_cell(window_box, (kh, kw), MIDDLE_CELL)),
                     cell, whole=stage, final=side_by_side(stage, FINAL_SHARES)[1], line=line)

    def _name_room(self, names, anywhere) -> float:
        """The height a grid's name takes above it, measured on the tallest names the scene writes."""
        if names.single:
            labels = [self._label("dL/dZ, dilated and padded", anywhere), self._label("dL/dX (padded)", anywhere)]
        else:
            labels = [self._label("\"dL/dZ\"_1 \" dilated and padded\"", anywhere),
                      self._label("\"dL/dX\"_1 \"via\" W_(1,1)", anywhere)]
        return max(m.height for m in [*labels, self._rotated_label(names, 0, anywhere)]) + LABEL_GAP

    # -- beats ---------------------------------------------------------------------------------

    def show_plan(self, names):
        if names.single:
            source = ("{{ (partial L) / (partial X) : lhs }} = \"full conv\" ( \"dilate\" ( "
                      "{{ (partial L) / (partial Z) : dz }} ) , {{ W_\"rot\" : w }} )")
        else:
            source = ("{{ (partial L) / (partial X_c) : lhs }} = sum_o \"full conv\" ( \"dilate\" ( "
                      "{{ (partial L) / (partial Z_o) : dz }} ) , {{ W_(o,c)^\"rot\" : w }} )")
        plan = self.formula(source, font_size=PLAN_SIZE)
        plan.term("lhs").set_color(GRADIENT)
        plan.term("dz").set_color(GRADIENT)
        plan.term("w").set_color(KERNEL)
        shrink_to_width(plan, EQUATION_WIDTH)
        self.play(FadeIn(plan, shift=UP * 0.2), run_time=1.0)
        self.wait(1.5)
        return plan

    def show_dz(self, stage, names, plan) -> Shown:
        """dL/dZ of filter 1, where its entries will stand once dilated and padded."""
        t = self.trace
        shape = t.conv_grad.padded_dilated_dL_dz.shape
        if numberable(shape):
            cell = fit_cell(stage.grad_box, shape)
            pd_grid = self._sparse_grid(names.padded_dilated(0), ("geometry", "full_zero_mask"), cell)
            dil_grid = self._sparse_grid(names.dilated(0), ("geometry", "inserted_zero_mask"), cell)
            dz_grid = NumberGrid(t, names.dz(0), DECIMALS, cell, GRADIENT)
        else:  # too large to number: all three as pictures, each entry a cell of the same size
            pd_grid = self._picture(("pictures", "padded_dilated_dL_dzs", 0), stage.grad_box)
            dil_grid, dz_grid = (Picture(t, ("pictures", which, 0), pd_grid.cell_size, DECIMALS, GRADIENT)
                                 for which in ("dilated_dL_dzs", "dL_dzs"))
        pd_grid.move_to(stage.grad_box.center)
        left, right, bottom, top = region_box(pd_grid, cells_at(t, ("geometry", "full_entries")))
        _centre(dil_grid, [(left + right) / 2, (bottom + top) / 2, 0])
        _centre(dz_grid, _cells_of(dil_grid).get_center())
        label = self._label("dL/dZ" if names.single else "\"dL/dZ\"_1", dz_grid)
        shrink = min(28 / PLAN_SIZE, EQUATION_WIDTH / plan.width)
        self.play(plan.animate.scale(shrink).move_to(stage.line.center), FadeIn(dz_grid), FadeIn(label),
                  run_time=1.0)
        self.wait(1.0)
        return Shown(grid=dz_grid, label=label, line=plan, coming=(dil_grid, pd_grid))

    def dilate(self, stage, names, shown) -> Shown:
        t = self.trace
        dz_grid, (dil_grid, pd_grid) = shown.grid, shown.coming
        entries = t.geometry.dilated_entries
        oh, ow = dz_grid.rows, dz_grid.cols
        moves = []
        for r in range(oh):
            for c in range(ow):
                target = dil_grid.square(*entries[r, c]).get_center()
                moves += [piece.animate.move_to(target) for piece in _pieces(dz_grid, [(r, c)])
                          if not np.allclose(piece.get_center(), target)]  # at stride 1 none moves
        zeros = _pieces(dil_grid, cells_at(t, ("geometry", "inserted_zero_mask")))
        label = self._label("dL/dZ, dilated" if names.single else "\"dL/dZ\"_1 \" dilated\"", dil_grid)
        rule = self._stride_rule(stage.line)
        self.play(*moves, FadeIn(zeros), *_swap_trim(dz_grid, dil_grid), FadeOut(shown.label), FadeIn(label),
                  FadeOut(shown.line), FadeIn(rule, shift=UP * 0.2), run_time=1.5)
        # the moved entries and the new zeros are exactly the dilated grid: swap it in
        self._take_away(dz_grid, zeros, *_trim(dil_grid))
        self.scene.add(dil_grid)
        self.wait(2.0)
        return Shown(grid=dil_grid, label=label, line=rule, coming=(pd_grid,))

    def pad(self, stage, names, shown) -> Shown:
        t = self.trace
        (pd_grid,) = shown.coming
        ring = _pieces(pd_grid, cells_at(t, ("geometry", "full_padding_mask")))
        label = self._label("dL/dZ, dilated and padded" if names.single
                            else "\"dL/dZ\"_1 \" dilated and padded\"", pd_grid)
        rule = self._padding_rule(stage.line)
        self.play(FadeIn(ring), *_swap_trim(shown.grid, pd_grid), FadeOut(shown.label), FadeIn(label),
                  FadeOut(shown.line), FadeIn(rule, shift=UP * 0.2), run_time=1.2)
        self._take_away(shown.grid, ring, *_trim(pd_grid))
        self.scene.add(pd_grid)
        self.wait(2.0)
        return Shown(grid=pd_grid, label=label, line=rule)

    def rotate_kernel(self, stage, names, shown) -> Shown:
        """W (channel 1's kernel of filter 1, for a layer) turns round; every other turns alike."""
        t = self.trace
        decimals = t.values.decimals["kernel"]
        chars = chars_for(t.conv.W, decimals)
        kernel = NumberGrid(t, names.kernel(0, 0), decimals, stage.middle_cell, KERNEL, chars=chars
                            ).move_to(stage.window_box.center)
        kernel_label = self._label("kernel W" if names.single else "\"kernel\" W_(1,1)", kernel, KERNEL)
        rotated = NumberGrid(t, names.rotated(0, 0), decimals, stage.middle_cell, KERNEL, chars=chars
                             ).move_to(stage.kernel_box.center)
        rotated_label = self._rotated_label(names, 0, rotated)
        rule = self._bottom(self.formula(
            "W_\"rot\" [i, j] = W [k_h - 1 - i, k_w - 1 - j] quad \"(turned by half a turn)\"", font_size=28,
            color=KERNEL), stage.line)
        self.play(FadeIn(kernel), FadeIn(kernel_label), FadeOut(shown.line), run_time=0.8)
        turning = kernel.copy()
        self.play(turning.animate.move_to(rotated), run_time=0.8)
        self.play(Rotate(turning, angle=PI), FadeIn(rule, shift=UP * 0.2), run_time=1.5)
        # each number is now upside down in its new place; turn it upright where it stands
        self.play(*(Rotate(label, angle=PI) for label in turning.numbers), FadeIn(rotated_label), run_time=0.8)
        self.scene.remove(turning)
        self.scene.add(rotated)
        self.wait(1.5)
        return replace(shown, line=rule, rotated=rotated, rotated_label=rotated_label,
                       leftovers=[kernel, kernel_label])

    def slide(self, stage, names, shown):
        """Filter 1's rotated kernels slide over its padded dilated gradient; each position gives
        one cell of filter 1's share of every channel. Returns the channels' grids and what stays."""
        t = self.trace
        channels = t.config.channels
        rows, cols = t.geometry.used_shape
        results = [self._result_view(stage, names, c, box) for c, box in enumerate(stage.result_boxes)]
        padded = " (padded)" if t.config.padding else ""
        labels = [shrink_to_width(self._label(f"dL/dX{padded}" if names.single
                                              else f"\"dL/dX\"_{c + 1} \"via\" W_(1,{c + 1})", grid), box.width)
                  for c, (grid, box) in enumerate(zip(results, stage.result_boxes))]
        steps = [(r, c) for r in range(rows) for c in range(cols)]
        in_full = max(1, STEPS_IN_FULL - (channels - 1))
        pd_grid = shown.grid
        with self.beat("Slide the rotated kernel over it with step one; each position gives one input gradient."
                       if names.single else
                       "Slide the rotated kernels over it with step one; each position gives one input gradient "
                       "of every channel, from filter 1."):
            window = KernelWindow(pd_grid, t, self._window(0, 0))
            self.play(*(FadeIn(g) if is_picture(g) else Create(g.squares) for g in results),
                      *(FadeIn(label) for label in labels),
                      FadeOut(shown.line), *(FadeOut(m) for m in shown.leftovers), Create(window), run_time=1.0)
        on_screen = []  # what a step in full leaves on screen
        rotated = (shown.rotated, shown.rotated_label)
        for k, (r, c) in enumerate(steps[:in_full]):
            with self.beat(self._step_caption(names, k)):
                on_screen, rotated = self._full_step(stage, names, k, r, c, pd_grid, window, results, on_screen,
                                                     rotated)
        with self.beat("The remaining positions, row by row, in the same way."):
            self.play(*(FadeOut(m) for m in on_screen), run_time=0.4)
            for cells in self._sweeps(steps[in_full:], pictured=is_picture(results[0])):
                self._sweep(cells, pd_grid, window, results)
            self.play(FadeOut(window), run_time=0.4)
        self.wait(0.5)
        leftovers = self._unreached(stage, results)
        return results, Shown(grid=pd_grid, label=shown.label, rotated=rotated[0], rotated_label=rotated[1],
                              titles=VGroup(*labels), leftovers=leftovers)

    def add_filters(self, stage, names, shares, shown):
        """Every filter's share of every channel, one column per filter, added into dL/d(padded X_c);
        one cell's sum written out. Returns the channels' totals and what stays."""
        t = self.trace
        cfg = t.config
        F, C = cfg.filters, cfg.channels
        shape = t.conv.padded_input.shape
        # one column per filter and one for the total, one row per channel
        cols = F + 1
        boxes, cell = _table(stage.whole.inset(left=ROW_NAME_ROOM), C, cols, shape)
        table = [[NumberGrid(t, names.share(o, c), DECIMALS, cell, GRADIENT, blank=o > 0
                             ).move_to(boxes[c][o].center) for o in range(F)] for c in range(C)]
        totals = [NumberGrid(t, names.padded_total(c), DECIMALS, cell, GRADIENT, blank=True
                             ).move_to(boxes[c][F].center) for c in range(C)]
        heads = VGroup(*(self.formula(f"\"from\" Z_{o + 1}", font_size=LABEL_SIZE, color=GRADIENT)
                         .next_to(table[0][o], UP, buff=0.12) for o in range(F)),
                       self._label("\"dL/dX\"_c" if C > 1 else "dL/dX", totals[0]))
        signs = VGroup(*(self.formula("=" if o == F - 1 else "+", font_size=LABEL_SIZE + 4)
                         .move_to((table[c][o].get_right() + (totals[c] if o == F - 1 else table[c][o + 1]).get_left()) / 2)
                         for c in range(C) for o in range(F)))
        rows = VGroup(*(self.formula(f"X_{c + 1}", font_size=LABEL_SIZE, color=MUTED)
                        .next_to(table[c][0], LEFT, buff=0.12) for c in range(C) if C > 1))
        with self.beat("Every filter sends its own share back to every channel; dL/dX_c is their sum."):
            gone = [shown.grid, shown.label, shown.rotated, shown.rotated_label, shown.titles, *shown.leftovers]
            self.play(*(FadeOut(m) for m in gone), *(FadeOut(share) for share in shares),
                      *(TransformFromCopy(VGroup(*share.numbers), table[c][0].numbers) for c, share in enumerate(shares)),
                      *(FadeIn(table[c][0].squares) for c in range(C)), FadeIn(heads[0]), FadeIn(rows),
                      run_time=1.2)
            self.wait(0.8)
        line = None
        for o in range(1, F):
            with self.beat(f"Filter {o + 1}: the same steps, with its own dL/dZ and kernels, give its share "
                           f"of every channel."):
                cells = cells_at(t, ("geometry", "padded_cells"))
                fills = [label for c in range(C) for label in table[c][o].fill(t, cells)]
                how = self._bottom(self.formula(
                    f"\"from\" Z_{o + 1} : \"full conv\" ( \"dilate\" ( (partial L) / (partial Z_{o + 1}) ) ,"
                    f" W_({o + 1},c)^\"rot\" )", font_size=28, color=GRADIENT), stage.line)
                self.play(*(Create(table[c][o].squares) for c in range(C)), FadeIn(heads[o]),
                          *(FadeIn(s) for s in signs[o - 1::F]), *([FadeOut(line)] if line else []),
                          FadeIn(how, shift=UP * 0.2),
                          LaggedStart(*(FadeIn(f) for f in fills), lag_ratio=0.002), run_time=1.0)
                self.wait(1.0)
                line = how
        with self.beat("Each cell of dL/dX_c adds up the same cell of every filter's share."):
            at = ("geometry", "input_cells", (0, 0))
            (rc,) = cells_at(t, at)
            index = rc[0] * shape[1] + rc[1] + 1
            # the sum's numbers are the formula's, legible at the bottom; the marks show where they sit
            marks = [CellMarks(g, t, at, stroke=FOCUS, stroke_width=4) for g in (*table[0], totals[0])]
            parts = [f"(partial L) / (partial x_(1,{index})) ="]
            # as many decimals as make the written shares add up to the written sum
            decimals = decimals_that_add([resolve(t, names.share(o, 0) + (rc,)) for o in range(F)],
                                         resolve(t, names.padded_total(0) + (rc,)), DECIMALS)
            for o in range(F):
                parts += (["+"] if o else []) + [Num(names.share(o, 0) + (rc,), decimals, paren=bool(o),
                                                    label=f"a{o}")]
            parts += ["=", Num(names.padded_total(0) + (rc,), decimals, color=GRADIENT, label="v")]
            equation = self._bottom(self.formula(*parts, font_size=30), stage.line)
            self.play(Create(totals[0].squares), *(Create(totals[c].squares) for c in range(1, C)), FadeIn(heads[F]),
                      *(FadeIn(s) for s in signs[F - 1::F]), run_time=0.8)
            self.play(*(FadeIn(m) for m in marks), FadeOut(line), FadeIn(equation, shift=UP * 0.2), run_time=0.8)
            [total] = totals[0].fill(t, [rc])
            self.play(TransformFromCopy(equation.term("v"), total), run_time=0.8)
            self.wait(1.5)
        with self.beat("Every other cell of every channel in the same way."):
            rest = [(c, cell_rc) for c in range(C) for cell_rc in cells_at(t, ("geometry", "padded_cells"))
                    if (c, cell_rc) != (0, rc)]
            fills = [label for c, cell_rc in rest for label in totals[c].fill(t, [cell_rc])]
            self.play(*(FadeOut(m) for m in marks), FadeOut(equation),
                      LaggedStart(*(FadeIn(f) for f in fills), lag_ratio=0.002), run_time=1.2)
            self.wait(0.8)
        return totals, Shown(grid=VGroup(*(g for row in table for g in row)), label=VGroup(*heads[:F], rows),
                             titles=heads[F], leftovers=[signs])

    def crop(self, stage, names, results, shown):
        """The padding cropped from each channel's gradient: dL/dX, one grid per channel.
        Returns the grids, their names and the line at the bottom."""
        t = self.trace
        p = t.config.padding
        channels = len(results)
        if names.single:
            boxes, cell = [stage.final], fit_cell(stage.final, t.conv_grad.dL_dinput.shape, FINAL_CELL)
        else:
            boxes, cell = tile(stage.whole, channels, t.conv_grad.dL_dinput.shape, GAP * 2, NAME_ROOM,
                               FINAL_CELL)
        finals = [self._final_view(names, c, box, cell) for c, box in enumerate(boxes)]
        frames = [Outline(grid, t, ("geometry", "input_cells"), color=FOCUS, stroke_width=5, focus=False)
                  for grid in results]
        if p:
            rule = self.formula("\"crop\" p =", Num(("config", "padding"), 0),
                                "\"rows and columns from every side: the padding was not part of\" X", font_size=28)
        else:
            rule = self.formula("p =", Num(("config", "padding"), 0), ": \" nothing to crop\"", font_size=28)
        rule = self._bottom(rule, stage.line)
        gone = [m for m in (shown.grid, shown.label, shown.rotated, shown.rotated_label, shown.line) if m is not None]
        self.play(*(FadeOut(m) for m in gone + shown.leftovers), *(Create(f) for f in frames),
                  FadeIn(rule, shift=UP * 0.2), run_time=0.8)
        self.wait(1.2)
        labels = [self._label("dL/dX" if names.single else f"\"dL/dX\"_{c + 1}", grid)
                  for c, grid in enumerate(finals)]
        self.play(*(FadeOut(g) for g in results), FadeOut(shown.titles), *(FadeOut(f) for f in frames),
                  *(move for result, final in zip(results, finals) for move in self._cropped(result, final)),
                  *(FadeIn(label) for label in labels), run_time=1.5)
        return finals, labels, rule

    def _final_view(self, names, c, box, cell):
        """Channel ``c``'s dL/dX in ``box``: numbers in ``cell``-sized cells, or a picture (the
        heat map it will be) when too large to number."""
        t = self.trace
        shape = t.conv_grad.dL_dinput.shape
        if numberable(shape):
            return NumberGrid(t, names.final(c), DECIMALS, cell, GRADIENT).move_to(box.center)
        return self._picture(("pictures", "dL_dinputs", c), box, max_cell=FINAL_CELL)

    def _cropped(self, result, final) -> list:
        """The inside of the padded gradient ``result`` (its numbers, or a picture's cells) becomes
        ``final``'s; the rest of ``final`` (its squares, or a picture's frame and bar) fades in."""
        inside = cells_at(self.trace, ("geometry", "input_cells"))
        source = VGroup(*(result.square(*rc) if is_picture(result) else result.label(*rc) for rc in inside))
        if is_picture(final):
            return [TransformFromCopy(source, final.squares), *(FadeIn(m) for m in _trim(final))]
        return [TransformFromCopy(source, final.numbers), FadeIn(final.squares)]

    def pass_back(self, stage, line):
        words = plain("dL/dX: what this layer passes back to the layer before it", font_size=28, color=GRADIENT)
        self.play(FadeOut(line), FadeIn(self._bottom(words, stage.line), shift=UP * 0.2), run_time=0.8)
        return words

    def show_heat_map(self, stage, final, final_label, words):
        """dL/dX beside its numbers as a heat map: one colour where a brighter pixel raises the
        loss, another where it lowers it, each as strong as the gradient's size."""
        t = self.trace
        if is_picture(final):  # too large to number: dL/dX is a heat map already, beside the image it is of
            self._heat_beside_input(stage, final, final_label, words)
            return
        numbers = VGroup(final, final_label)
        room = MAX_TEXT_WIDTH - numbers.width - HEAT_GAP - HEAT_BAR_ROOM
        cell = min(final.cell_size, room / final.cols)
        heat = Picture(t, ("pictures", "dL_dinput"), cell, DECIMALS, GRADIENT)
        heat_label = self._label("where L is sensitive", heat.frame)
        both = VGroup(numbers.copy(), VGroup(heat, heat_label)).arrange(RIGHT, buff=HEAT_GAP).move_to(stage.final.center)
        VGroup(heat, heat_label).move_to(both[1])
        self.play(numbers.animate.move_to(both[0]), FadeOut(words), run_time=0.8)
        self.play(FadeIn(heat), FadeIn(heat_label), FadeIn(self._legend(stage.line)), run_time=1.0)

    def _heat_beside_input(self, stage, final, final_label, words):
        """The heat map moves right and the input's picture stands at its left, cells of one
        size: where on the image (a digit) the loss is sensitive."""
        t = self.trace
        image_box, heat_box = side_by_side(stage.whole, (1, 1), HEAT_GAP)
        image = self._picture(("pictures", "input"), image_box, decimals=t.values.decimals["input"], color=INPUT)
        heat = self._picture(("pictures", "dL_dinputs", 0), heat_box)
        cell = min(image.cell_size, heat.cell_size)
        image = Picture(t, ("pictures", "input"), cell, t.values.decimals["input"], INPUT).move_to(image_box.center)
        heat = Picture(t, ("pictures", "dL_dinputs", 0), cell, DECIMALS, GRADIENT).move_to(heat_box.center)
        named = self._label("dL/dX: where L is sensitive", heat)
        self.play(ReplacementTransform(final, heat), FadeTransform(final_label, named), FadeOut(words),
                  FadeIn(image), FadeIn(self._label(self.input_name(), image, INPUT)),
                  FadeIn(self._legend(stage.line)), run_time=1.2)

    def show_heat_maps(self, stage, finals, labels, words):
        """Every channel's dL/dX turns into its heat map where it stands, each on its own range (its
        colour bar names it), each named: where the loss is sensitive to each channel's pixels."""
        t = self.trace
        shape = t.conv_grad.dL_dinput.shape
        boxes, _ = tile(stage.whole, len(finals), shape, GAP * 2, NAME_ROOM)
        # one cell for every channel: the smallest that each box leaves beside its own bar
        cell = min(self._picture(("pictures", "dL_dinputs", c), box).cell_size for c, box in enumerate(boxes))
        heats = [final if is_picture(final) else
                 Picture(t, ("pictures", "dL_dinputs", c), cell, DECIMALS, GRADIENT).move_to(box.center)
                 for c, (final, box) in enumerate(zip(finals, boxes))]
        named = [self._label(f"\"dL/dX\"_{c + 1}", heat) for c, heat in enumerate(heats)]
        self.play(*(FadeTransform(final, heat) for final, heat in zip(finals, heats) if final is not heat),
                  *(FadeTransform(old, new) for old, new in zip(labels, named)), FadeOut(words),
                  FadeIn(self._legend(stage.line)), run_time=1.2)

    def _legend(self, line):
        """What a heat map's two colours mean, in the band at the bottom."""
        return self._bottom(VGroup(plain("brighter pixel, larger loss", font_size=LABEL_SIZE, color=RAISES_LOSS),
                                   plain("brighter pixel, smaller loss", font_size=LABEL_SIZE, color=LOWERS_LOSS)
                                   ).arrange(RIGHT, buff=0.8), line)

    # -- steps -----------------------------------------------------------------------------------

    def _step_caption(self, names, k):
        if k:
            return "One step on: the same sum, one cell further."
        if self.trace.config.dilation != (1, 1):
            return ("The rotated kernel's taps stand d apart, as W's did: the grey cells between them are "
                    "skipped. Each input cell collects the entries under the taps times the rotated kernel, "
                    "added up.")
        if names.single:
            return ("Each input cell collects dL/dz times the weight that touched it: "
                    "the entries under the window times W_rot, added up.")
        return ("Each input cell collects dL/dz times the weight that touched it: the entries under the window "
                "times channel c's rotated kernel, added up, give filter 1's share of x_(c,i).")

    def _full_step(self, stage, names, k, r, c, pd_grid, window, results, on_screen, rotated):
        """One position in full: the entries under the window, then for each channel its rotated
        kernel, the sum and the cell it fills. Returns what stays on screen and the kernel shown."""
        t = self.trace
        if k:
            self.play(window.step_to(pd_grid, t, self._window(r, c)), *(FadeOut(m) for m in on_screen),
                      run_time=0.8)
        patch = CellMarks(pd_grid, t, self._window(r, c), fill=GRADIENT, fill_opacity=0.25)
        gaps = CellMarks(pd_grid, t, ("geometry", "full_gap_cells", (r, c)), fill=SKIPPED, fill_opacity=0.6,
                         stroke=MUTED)
        self.play(FadeIn(patch), FadeIn(gaps), run_time=0.4)
        if is_picture(pd_grid):  # no numbers on a picture: the window's entries close up, joined to it
            under = Loupe(t, ("full_windows", 0, (r, c)), DECIMALS, stage.middle_cell, GRADIENT
                          ).move_to(stage.window_box.center).join(window)
            under_label = self._under_caption(under.grid)
            with self.closely(under, under_label, digits=under.grid.numbers,
                              opening=[FadeIn(under), FadeIn(under_label)]):
                self.wait(0.8)
        else:
            under, under_label = self._under_window(stage, r, c, pd_grid)
            cells = cells_at(t, self._window(r, c))
            with self.closely(under, under_label, digits=under.numbers):
                self.play(TransformFromCopy(VGroup(*(pd_grid.label(*rc) for rc in cells)), under.numbers),
                          FadeIn(under.squares), FadeIn(under_label), run_time=1.0)
        shown = [patch, gaps, under, under_label]
        for ch, result in enumerate(results):
            if ch:
                rotated = self._swap_kernel(stage, names, ch, rotated, shown)
            target = CellMarks(result, t, ("geometry", "padded_cells", (r, c)), stroke=FOCUS, stroke_width=5)
            equation = self._bottom(self._step_equation(names, ch, r, c, result.cols), stage.line)
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

    def _step_equation(self, names, ch, r, c, cols):
        """The sum that gives filter 1's share of channel ``ch``'s padded cell (r, c), in a grid
        ``cols`` wide: a step's line, the tallest the band at the bottom holds."""
        index = r * cols + c + 1
        if names.single:
            lhs = f"(partial L) / (partial x_({index})) = sum (\"window\" dot.o W_\"rot\") ="
        else:
            lhs = (f"(partial L) / (partial x_({ch + 1},{index})) \"from\" Z_1 : "
                   f"sum (\"window\" dot.o W_(1,{ch + 1})^\"rot\") =")
        return self.formula(lhs, Num(names.share(0, ch) + ((r, c),), DECIMALS, color=GRADIENT, label="v"),
                            font_size=30)

    def _swap_kernel(self, stage, names, ch, rotated, shown):
        """Channel ``ch``'s rotated kernel of filter 1 takes the middle column's place."""
        t = self.trace
        decimals = t.values.decimals["kernel"]
        grid = NumberGrid(t, names.rotated(0, ch), decimals, stage.middle_cell, KERNEL,
                          chars=chars_for(t.conv.W, decimals)).move_to(stage.kernel_box.center)
        label = self._rotated_label(names, ch, grid)
        old_grid, old_label = rotated
        self.play(FadeTransform(old_grid, grid), FadeTransform(old_label, label), run_time=0.6)
        return grid, label

    @staticmethod
    def _sweeps(steps, pictured: bool) -> list:
        """The steps left, a row at a time; on a picture (a digit's 28 rows) a few rows at a time,
        so the sweep down the picture takes as many movements as a numbered grid's rows."""
        rows = {}
        for r, c in steps:
            rows.setdefault(r, []).append((r, c))
        rows = list(rows.values())
        at_once = ceil(len(rows) / PICTURE_SWEEPS) if pictured else 1
        return [[rc for row in rows[i:i + at_once] for rc in row] for i in range(0, len(rows), at_once)]

    def _sweep(self, cells, pd_grid, window, results):
        """The rest of one row (or of a few rows) in one movement: the window sweeps, every
        channel's cells appear."""
        # a picture's cells paint together: lagged, their group would take them out of the picture
        paint = [step for result in results if is_picture(result) for step in result.reveal(cells)]
        appear = [FadeIn(label) for result in results if not is_picture(result)
                  for label in result.fill(self.trace, cells)]
        self.play(window.step_to(pd_grid, self.trace, self._window(*cells[-1])), *paint,
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
                       if dilated else "No forward window reached these cells, so nothing flows back to them: zero."):
            shades = [CellMarks(result, t, ("geometry", "skipped_cells"), fill=SKIPPED, fill_opacity=0.85,
                                stroke=SKIPPED) for result in results]
            # a dilated window's gaps may lie inside the slide, whose zeros are written already: they turn grey
            shown = [{label.source[-1]: label for label in result.numbers} for result in results]
            greyed = [on[rc].animate.set_color(MUTED) for on in shown for rc in skipped if rc in on]
            zeros = [FadeIn(z) for result, on in zip(results, shown) if not is_picture(result)
                     for z in result.fill(t, [rc for rc in skipped if rc not in on], color=MUTED)]
            zeros += [paint for result in results if is_picture(result) for paint in result.reveal(skipped)]
            note = self._bottom(plain("grey cells: no tap of any window read them, so their gradient is zero"
                                      if dilated else
                                      "grey cells: no window ever covered them, so their gradient is zero",
                                      font_size=LABEL_SIZE + 2, color=MUTED), stage.line)
            self.play(*(FadeIn(s) for s in shades), *greyed, *zeros, FadeIn(note), run_time=0.8)
            self.scene.bring_to_front(*(on[rc] for on in shown for rc in skipped if rc in on))  # above the shade
            self.wait(1.5)
            return [*shades, note]

    # -- helpers ---------------------------------------------------------------------------------

    def _sparse_grid(self, path, zeros, cell):
        """A grid of the gradient whose zeros (the cells the trace's geometry names at ``zeros``) are a muted 0."""
        grid = NumberGrid(self.trace, path, DECIMALS, cell, GRADIENT, muted=zeros)
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

    def _under_window(self, stage, r, c, pd_grid):
        """The entries under the window's taps at (r, c), copied larger into the window box."""
        kh, kw = self.trace.conv.W.shape[2:]
        cell = stage.middle_cell
        box = stage.window_box
        # each number keeps its share of the cell, up to the largest font a grid uses
        grow = max(1.0, min(cell / pd_grid.cell_size, MAX_FONT / pd_grid.font_size))  # never smaller than in the grid
        squares, numbers = VGroup(), VGroup()
        under = iter(cells_at(self.trace, self._window(r, c)))
        for i in range(kh):
            for j in range(kw):
                square = Square(cell, stroke_width=2, stroke_color=FOCUS).move_to(
                    [box.center[0] + (j - (kw - 1) / 2) * cell, box.center[1] - (i - (kh - 1) / 2) * cell, 0])
                squares.add(square)
                numbers.add(pd_grid.label(*next(under)).copy().scale(grow).move_to(square))
        grid = VGroup(squares, numbers)
        grid.squares, grid.numbers = squares, numbers
        return grid, self._under_caption(squares)

    @staticmethod
    def _under_caption(squares):
        return plain("under the window", font_size=LABEL_SIZE, color=FOCUS).next_to(squares, UP, buff=0.12)

    def _result_view(self, stage, names, c, box):
        """Filter 1's share of padded channel ``c``, blank, to fill in step by step: numbers in the
        right column's cell, or a picture when the padded input is too large to number."""
        t = self.trace
        shape = t.conv.padded_input.shape
        if numberable(shape):
            return NumberGrid(t, names.share(0, c), DECIMALS, stage.result_cell, GRADIENT, blank=True
                              ).move_to(box.center)
        return self._picture(("pictures", "dL_dpadded_inputs", c), box, blank=True)

    def _picture(self, path, box, blank=False, max_cell=FINAL_CELL, decimals=DECIMALS, color=GRADIENT):
        """The shading at ``path`` as a picture centred in ``box``, its cells as large as the box
        allows beside its colour bar, measured: a gradient's signed ends take more than BAR_ROOM."""
        t = self.trace
        shape = lookup(t, path + ("levels",)).shape
        probe = Picture(t, path, fit_cell(box.inset(right=BAR_ROOM), shape, max_cell), decimals, color)
        beside = probe.width - probe.squares.width
        return Picture(t, path, fit_cell(box.inset(right=beside), shape, max_cell), decimals, color,
                       blank=blank).move_to(box.center)

    def _rotated_label(self, names, c, grid):
        text = "W_\"rot\"" if names.single else f"W_(1,{c + 1})^\"rot\""
        return self.formula(text, font_size=LABEL_SIZE + 2, color=KERNEL).next_to(grid, UP, buff=LABEL_GAP)

    def _stride_rule(self, line):
        sh, sw = self.trace.config.stride
        if sh == sw:
            parts = ["\"dilate: insert\" s - 1 \"zeros between neighbouring entries,\" quad s =",
                     Num(("config", "stride", 0), 0)]
        else:
            parts = ["\"dilate: insert\" s_h - 1 \"zeros between rows and\" s_w - 1 \"between columns,\" quad s_h =",
                     Num(("config", "stride", 0), 0), ", s_w =", Num(("config", "stride", 1), 0)]
        if sh == sw == 1:
            parts.append("\" (nothing to insert)\"")
        return self._bottom(self.formula(*parts, font_size=28), line)

    def _padding_rule(self, line):
        cfg = self.trace.config
        kh, kw = cfg.kernel_size
        if cfg.dilation != (1, 1):
            return self._dilated_padding_rule(line)
        if kh == kw:
            parts = ["\"pad: add\" k - 1 \"rows and columns of zeros all round,\" quad k =",
                     Num(("config", "kernel_size", 0), 0)]
        else:
            parts = ["\"pad: add\" k_h - 1 \"rows and\" k_w - 1 \"columns of zeros all round,\" quad k_h =",
                     Num(("config", "kernel_size", 0), 0), ", k_w =", Num(("config", "kernel_size", 1), 0)]
        if kh == kw == 1:
            parts.append("\" (nothing to add)\"")
        return self._bottom(self.formula(*parts, font_size=28), line)

    def _dilated_padding_rule(self, line):
        """A dilated kernel spans d(k - 1) + 1 cells: d(k - 1) zeros all round, per axis."""
        cfg = self.trace.config
        if cfg.kernel_size[0] == cfg.kernel_size[1] and cfg.dilation[0] == cfg.dilation[1]:
            parts = ["\"pad: add\" d(k - 1) =", Num(("geometry", "full_padding", 0), 0),
                     "\"rows and columns of zeros all round,\" quad d =", Num(("config", "dilation", 0), 0),
                     ", k =", Num(("config", "kernel_size", 0), 0)]
        else:
            parts = ["\"pad: add\" d_h (k_h - 1) =", Num(("geometry", "full_padding", 0), 0), "\"rows and\""
                     " d_w (k_w - 1) =", Num(("geometry", "full_padding", 1), 0), "\"columns all round,\" quad d_h =",
                     Num(("config", "dilation", 0), 0), ", k_h =", Num(("config", "kernel_size", 0), 0),
                     ", d_w =", Num(("config", "dilation", 1), 0), ", k_w =", Num(("config", "kernel_size", 1), 0)]
        return self._bottom(self.formula(*parts, font_size=28), line)

    def _take_away(self, *mobjects):
        """Remove ``mobjects`` whole: a picture whose frame faded out stands on screen in pieces,
        which removing the picture alone would leave behind."""
        self.scene.remove(*(piece for m in mobjects for piece in m.get_family()))

    def _bottom(self, mobject, line: Box):
        """A beat's line, shrunk to the widest a line may be, centred in the band at the bottom."""
        return place(shrink_to_width(mobject, EQUATION_WIDTH), line)

    def _label(self, text, grid, color=GRADIENT):
        """A grid's name above it: words, or a formula when it has subscripts (a layer's names)."""
        name = self.formula(text, font_size=LABEL_SIZE, color=color) if "_" in text or "\"" in text else \
            plain(text, font_size=LABEL_SIZE, color=color)
        name.next_to(grid, UP, buff=LABEL_GAP)
        # over a picture's cells, not its colour bar, as far as the picture and bar together reach
        reach = (grid.width - name.width) / 2
        return name.set_x(grid.get_x() + np.clip(_cells_of(grid).get_x() - grid.get_x(), -reach, reach)
                          if reach > 0 else grid.get_x())


def _cells_of(grid):
    """A grid's cells alone: a picture's squares without its colour bar, a grid of numbers whole."""
    return grid.squares if is_picture(grid) else grid


def _centre(grid, point):
    """Move ``grid`` so that its cells (not a picture's colour bar) are centred on ``point``."""
    return grid.shift(point - _cells_of(grid).get_center())


def _pieces(grid, cells) -> VGroup:
    """The squares of ``cells`` of ``grid``, with their numbers when it writes numbers."""
    return VGroup(*(piece for rc in cells
                    for piece in ((grid.square(*rc),) if is_picture(grid) else (grid.square(*rc), grid.label(*rc)))))


def _trim(grid) -> list:
    """What a picture draws besides its cells: its frame and its colour bar (nothing, for numbers)."""
    return [grid.frame, grid.bar] if is_picture(grid) else []


def _swap_trim(old, new) -> list:
    """A picture's frame and bar handed on to the next picture, where it grows into it."""
    return [*(FadeOut(m) for m in _trim(old)), *(FadeIn(m) for m in _trim(new))]


def _table(area: Box, rows: int, cols: int, shape):
    """Boxes of a ``rows`` x ``cols`` table of grids of ``shape`` (room for a name above each
    row and a sign between columns), and the (width, height) of the cell that fits them all:
    up to twice as wide as tall, so that three decimals are as large as the rows allow."""
    boxes = [side_by_side(row, [1] * cols, gap=SIGN_ROOM) for row in one_above_another(area, [1] * rows, gap=NAME_ROOM)]
    height = fit_cell(boxes[0][0], shape)
    return boxes, (min(boxes[0][0].width / shape[1], WIDEST_CELL * height), height)


class InputGradientScene(StoryScene):
    story = InputGradientStory
