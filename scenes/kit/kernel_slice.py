"""One kernel of a convolution layer, W[o, c] (filter o, input channel c), as the backward
screens draw it: the trace paths of what belongs to it, its names, and the marks of a dilated
window.

A layer's gradient is the single-channel one done once per (filter, channel) pair: dL/dW[o, c]
reads filter o's dL/dZ and channel c's padded input, dL/db[o] filter o's dL/dZ alone. Naming the
pair's paths in one place keeps a story from mixing filter 0's map with channel 1's input. With
one channel and one filter the names are the single-channel lecture's ("input X", "dL/dZ"):
numbering the only filter would say nothing.

Example::

    kernel = KernelSlice(0, 1)  # filter 1, channel 2
    grid = NumberGrid(trace, kernel.input, decimals, cell, INPUT, muted=("geometry", "padding_mask"))
    story.formula(*kernel.which(trace))  # "filter 1 and channel 2", both numbers read from the trace
"""

from dataclasses import dataclass

from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.style import MUTED, SKIPPED


@dataclass(frozen=True)
class KernelSlice:
    """Filter ``o`` and input channel ``c`` (from 0) of a layer's kernels."""

    o: int = 0
    c: int = 0

    @property
    def input(self) -> tuple:
        """Channel c of the padded input: what the kernel W[o, c] slides over."""
        return ("conv", "X_padded", self.c)

    @property
    def dL_dZ(self) -> tuple:
        return ("conv_grad", "dL_dZ", self.o)

    @property
    def dilated_dL_dZ(self) -> tuple:
        return ("conv_grad", "dilated_dL_dZ", self.o)

    @property
    def dL_dW(self) -> tuple:
        return ("conv_grad", "dL_dW", self.o, self.c)

    @property
    def dL_db(self) -> tuple:
        return ("conv_grad", "dL_db", self.o)

    @property
    def weight_gradients(self) -> tuple:
        """Every weight's chain-rule terms and total, row-major."""
        return ("conv_grad", "channel_weight_gradients", self.o, self.c)

    def weight_gradient(self, i: int) -> tuple:
        """The chain-rule terms and total of weight i (row-major) of W[o, c]."""
        return self.weight_gradients + (i,)

    def scaled_window(self, r: int, col: int) -> tuple:
        """Channel c's window of output (r, col), times filter o's dL/dZ there."""
        return ("conv_grad", "scaled_windows", self.o, self.c, (r, col))

    def which(self, trace) -> list:
        """Formula parts naming the pair as the lecture counts, "filter 1 and channel 2", with the
        counts read from the trace (no number is typed)."""
        first = self.weight_gradient(0)
        return ['"filter"', Num(first + ("filter_number",), 0), '"and channel"', Num(first + ("channel_number",), 0)]


def is_layered(trace) -> bool:
    """Whether there is more than one channel or filter to tell apart (dilation alone is not)."""
    return trace.config.channels > 1 or trace.config.filters > 1


def names(trace, kernel: KernelSlice) -> dict:
    """The on-screen names (Typst maths) of the pair's input, output map Z, dL/dZ, dL/dW and
    dL/db: subscripted by channel and filter in a layer, the single-channel lecture's names
    otherwise."""
    o, c = kernel.o + 1, kernel.c + 1
    if not is_layered(trace):
        return {"input": "X", "Z": "Z", "dL_dZ": '"dL/dZ"', "dL_dW": '"dL/dW"', "dL_db": "(partial L) / (partial b)"}
    return {"input": f"X_{c}", "Z": f"Z_{o}", "dL_dZ": f'"dL/dZ"_{o}', "dL_dW": f'"dL/dW"_({o},{c})',
            "dL_db": f"(partial L) / (partial b_{o})"}


def has_gaps(trace) -> bool:
    """Whether the kernel is dilated, so that its window spans cells it does not read."""
    return tuple(trace.config.dilation) != (1, 1)


def gap_marks(grid, trace, r: int, col: int) -> CellMarks:
    """The cells the window of output (r, col) spans between its taps, greyed: the kernel skips
    them (none without dilation). The same shading as the forward pass gives them."""
    return CellMarks(grid, trace, ("geometry", "gap_cells", (r, col)), fill=SKIPPED, fill_opacity=0.6,
                     stroke=MUTED)
