"""The single-channel full convolution behind dL/dX, as drawn: where the trace keeps each matrix,
the gradient with its inserted and padding zeros muted, the entries under the rotated kernel's
window copied large, the sum each position writes, and the rules said of dilating and padding.

dL/dZ is dilated by the stride (s-1 zeros between its entries) and padded by d(k-1) zeros all
round; the rotated kernel slides over it with step one and each position gives one cell of
dL/d(padded X). A layer does the same once per filter and channel, and ``Names`` says where the
trace keeps filter o's and channel c's matrices; with one channel and one filter they are the
lecture's single-channel views.

Example::

    names = Names(single=True)
    grid = sparse_grid(trace, names.padded_dilated(0), ("geometry", "full_zero_mask"), 0.5)
    line = step_equation(trace, names, 0, 1, 2, cols=7)
"""

from dataclasses import dataclass
from math import ceil

from manim import UP, Rectangle, VGroup

from convprop.scenes.kit.formula import Formula, Num, plain
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.marks import cells_at
from convprop.scenes.kit.numbers import NumberLabel
from convprop.scenes.kit.style import FOCUS, GRADIENT, KERNEL, LABEL_SIZE, MUTED
from convprop.scenes.kit.trace_paths import resolve

DECIMALS = 3  # every gradient, as in the other gradient scenes
PLAN_SIZE = 40
STEP_SIZE = 30  # a step's equation: the tallest line the band at the bottom holds
RULE_SIZE = 28
MAX_FONT = 30  # the largest number font, as in kit.grid
PICTURE_SWEEPS = 8  # the movements that sweep the rest of a picture, a few rows each


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


def full_convolution_plan(trace, names: Names):
    """dL/dX = full conv(dilate(dL/dZ), W_rot), summed over the filters for a layer, coloured."""
    if names.single:
        source = ("{{ (partial L) / (partial X) : lhs }} = \"full conv\" ( \"dilate\" ( "
                  "{{ (partial L) / (partial Z) : dz }} ) , {{ W_\"rot\" : w }} )")
    else:
        source = ("{{ (partial L) / (partial X_c) : lhs }} = sum_o \"full conv\" ( \"dilate\" ( "
                  "{{ (partial L) / (partial Z_o) : dz }} ) , {{ W_(o,c)^\"rot\" : w }} )")
    formula = Formula(trace, (source,), font_size=PLAN_SIZE)
    formula.term("lhs").set_color(GRADIENT)
    formula.term("dz").set_color(GRADIENT)
    formula.term("w").set_color(KERNEL)
    return formula


def sparse_grid(trace, path, zeros, cell):
    """A grid of the gradient whose zeros (the cells the trace's geometry names at ``zeros``) are a muted 0."""
    grid = NumberGrid(trace, path, DECIMALS, cell, GRADIENT, muted=zeros)
    for r, c in cells_at(trace, zeros):
        source = grid.path + ((r, c),)
        zero = NumberLabel(resolve(trace, source), 0, source=source, font_size=grid.font_size,
                           color=MUTED).move_to(grid.square(r, c))
        grid.numbers.submobjects[r * grid.cols + c] = zero
        grid.square(r, c).set_stroke(MUTED)
    return grid


def full_window(r, c):
    """Where the trace's geometry names the cells under the rotated kernel for dL/d(padded X)[r, c]."""
    return ("geometry", "full_window_cells", (r, c))


def under_window(trace, r, c, pd_grid, box, cell):
    """The entries of ``pd_grid`` under the window's taps at (r, c), copied larger into ``box``
    in ``cell``-sized squares, and their caption."""
    kh, kw = trace.conv.W.shape[2:]
    # each number keeps its share of the cell, up to the largest font a grid uses
    grow = max(1.0, min(cell / pd_grid.cell_size, MAX_FONT / pd_grid.font_size))  # never smaller than in the grid
    # as wide as the grid's own cells (where the box has the room), so the copies keep their margins
    width = max(cell, min(pd_grid.cell_size, box.width / kw))
    squares, numbers = VGroup(), VGroup()
    under = iter(cells_at(trace, full_window(r, c)))
    for i in range(kh):
        for j in range(kw):
            square = Rectangle(width=width, height=cell, stroke_width=2, stroke_color=FOCUS).move_to(
                [box.center[0] + (j - (kw - 1) / 2) * width, box.center[1] - (i - (kh - 1) / 2) * cell, 0])
            squares.add(square)
            numbers.add(pd_grid.label(*next(under)).copy().scale(grow).move_to(square))
    grid = VGroup(squares, numbers)
    grid.squares, grid.numbers = squares, numbers
    return grid, under_caption(squares)


def under_caption(squares):
    return plain("under the window", font_size=LABEL_SIZE, color=FOCUS).next_to(squares, UP, buff=0.12)


def step_equation(trace, names: Names, ch, r, c, cols):
    """The sum that gives filter 1's share of channel ``ch``'s padded cell (r, c), in a grid
    ``cols`` wide: a step's line, the tallest the band at the bottom holds."""
    index = r * cols + c + 1
    if names.single:
        lhs = f"(partial L) / (partial x_({index})) = sum (\"window\" dot.o W_\"rot\") ="
    else:
        lhs = (f"(partial L) / (partial x_({ch + 1},{index})) \"from\" Z_1 : "
               f"sum (\"window\" dot.o W_(1,{ch + 1})^\"rot\") =")
    return Formula(trace, (lhs, Num(names.share(0, ch) + ((r, c),), DECIMALS, color=GRADIENT, label="v")),
                   font_size=STEP_SIZE)


def sweeps(steps, pictured: bool) -> list:
    """The steps left, a row at a time; on a picture (a digit's 28 rows) a few rows at a time,
    so the sweep down the picture takes as many movements as a numbered grid's rows."""
    rows = {}
    for r, c in steps:
        rows.setdefault(r, []).append((r, c))
    rows = list(rows.values())
    at_once = ceil(len(rows) / PICTURE_SWEEPS) if pictured else 1
    return [[rc for row in rows[i:i + at_once] for rc in row] for i in range(0, len(rows), at_once)]


def stride_rule(trace):
    """Dilating by the stride: s - 1 zeros between neighbouring entries, per axis."""
    sh, sw = trace.config.stride
    if sh == sw:
        parts = ["\"dilate: insert\" s - 1 \"zeros between neighbouring entries,\" quad s =",
                 Num(("config", "stride", 0), 0)]
    else:
        parts = ["\"dilate: insert\" s_h - 1 \"zeros between rows and\" s_w - 1 \"between columns,\" quad s_h =",
                 Num(("config", "stride", 0), 0), ", s_w =", Num(("config", "stride", 1), 0)]
    if sh == sw == 1:
        parts.append("\" (nothing to insert)\"")
    return Formula(trace, parts, font_size=RULE_SIZE)


def padding_rule(trace):
    """Padding for the full convolution: k - 1 zeros all round, d(k - 1) for a dilated kernel."""
    cfg = trace.config
    kh, kw = cfg.kernel_size
    if cfg.dilation != (1, 1):
        return _dilated_padding_rule(trace)
    if kh == kw:
        parts = ["\"pad: add\" k - 1 \"rows and columns of zeros all round,\" quad k =",
                 Num(("config", "kernel_size", 0), 0)]
    else:
        parts = ["\"pad: add\" k_h - 1 \"rows and\" k_w - 1 \"columns of zeros all round,\" quad k_h =",
                 Num(("config", "kernel_size", 0), 0), ", k_w =", Num(("config", "kernel_size", 1), 0)]
    if kh == kw == 1:
        parts.append("\" (nothing to add)\"")
    return Formula(trace, parts, font_size=RULE_SIZE)


def _dilated_padding_rule(trace):
    """A dilated kernel spans d(k - 1) + 1 cells: d(k - 1) zeros all round, per axis."""
    cfg = trace.config
    if cfg.kernel_size[0] == cfg.kernel_size[1] and cfg.dilation[0] == cfg.dilation[1]:
        parts = ["\"pad: add\" d(k - 1) =", Num(("geometry", "full_padding", 0), 0),
                 "\"rows and columns of zeros all round,\" quad d =", Num(("config", "dilation", 0), 0),
                 ", k =", Num(("config", "kernel_size", 0), 0)]
    else:
        parts = ["\"pad: add\" d_h (k_h - 1) =", Num(("geometry", "full_padding", 0), 0), "\"rows and\""
                 " d_w (k_w - 1) =", Num(("geometry", "full_padding", 1), 0), "\"columns all round,\" quad d_h =",
                 Num(("config", "dilation", 0), 0), ", k_h =", Num(("config", "kernel_size", 0), 0),
                 ", d_w =", Num(("config", "dilation", 1), 0), ", k_w =", Num(("config", "kernel_size", 1), 0)]
    return Formula(trace, parts, font_size=RULE_SIZE)


def crop_rule(trace):
    """Cropping the padding: p rows and columns from every side, or nothing when there is none."""
    if trace.config.padding:
        return Formula(trace, ("\"crop\" p =", Num(("config", "padding"), 0),
                               "\"rows and columns from every side: the padding was not part of\" X"),
                       font_size=RULE_SIZE)
    return Formula(trace, ("p =", Num(("config", "padding"), 0), ": \" nothing to crop\""), font_size=RULE_SIZE)
