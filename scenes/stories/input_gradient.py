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

The story is told in parts, one module each: the full convolution for one channel, dL/dZ
dilated, padded and at last cropped (``input_gradient_full_convolution``), the rotated kernel
(``input_gradient_rotated_kernel``) and its slide (``input_gradient_slide``), the layer's
per-filter shares (``input_gradient_filter_shares``) and the heat map (``input_gradient_heat_map``). Beats hand each other what stays on screen as values (``Shown``,
the grids they return); the layout (``Stage``) is worked out once from the sizes of the grids
this trace has (``kit.input_gradient_stage``).
"""

from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.full_convolution import DECIMALS, Names
from convprop.scenes.kit.input_gradient_stage import input_gradient_stage
from convprop.scenes.kit.map_view import numberable
from convprop.scenes.narration import say
from convprop.scenes.stories.input_gradient_filter_shares import FilterShares
from convprop.scenes.stories.input_gradient_full_convolution import FullConvolution
from convprop.scenes.stories.input_gradient_slide import channel_number, filter_number
from convprop.scenes.stories.input_gradient_heat_map import HeatMaps
from convprop.scenes.story import StoryScene


class InputGradientStory(FullConvolution, FilterShares, HeatMaps):
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
        with self.beat("What the layer passes back: ∂L/∂X, a full convolution of ∂L/∂Z with the kernel turned round."
                       if names.single else
                       "What the layer passes back: each channel's ∂L/∂X collects a full convolution from every "
                       "filter, of that filter's ∂L/∂Z with its kernel turned round.", self._plan_narration(names)):
            title = self.show_title("The input gradient is a full convolution" if names.single
                                    else "The input gradient of a convolution layer")
            stage = input_gradient_stage(t, names, title)
            plan = self.show_plan(names)
        with self.beat("Start from ∂L/∂Z, one gradient per output of the convolution." if names.single else
                       "Start from filter 1's ∂L/∂Z₁, one gradient per output of its map.",
                       self._dz_narration(names)):
            shown = self.show_dz(stage, names, plan)
        with self.beat("Dilate it by the stride: s − 1 zeros between neighbouring entries, so that a step of s "
                       "becomes a step of one.", self._dilate_narration()):
            shown = self.dilate(stage, names, shown)
        with self.beat("Pad it with k − 1 zeros all round, so the kernel can overlap every entry, even at the edges."
                       if cfg.dilation == (1, 1) else
                       "Pad it with d(k − 1) zeros all round: the dilated kernel spans d(k − 1) + 1 cells, so it can "
                       "overlap every entry, even at the edges.", self._pad_narration()):
            shown = self.pad(stage, names, shown)
        with self.beat("Turn the kernel W by half a turn: upside down and left to right." if names.single else
                       "Turn each kernel of filter 1 by half a turn: upside down and left to right.",
                       self._rotate_narration(names)):
            shown = self.rotate_kernel(stage, names, shown)
        results, shown = self.slide(stage, names, shown)
        if cfg.filters > 1:
            results, shown = self.add_filters(stage, names, results, shown)
        with self.beat("The padding was not part of X, so it is cropped away."
                       if cfg.padding else "There is no padding to crop: this is ∂L/∂X.", self._crop_narration(names)):
            finals, labels, line = self.crop(stage, names, results, shown)
        with self.beat("∂L/∂X is what this layer passes back to the layer before it.",
                       self._pass_back_narration(names)):
            words = self.pass_back(stage, line)
        if cfg.channels == 1:
            with self.beat("As a heat map: where brightening a pixel would raise the loss, and where it would "
                           "lower it.", self._heat_map_narration()):
                self.show_heat_map(stage, finals[0], labels[0], words)
        else:
            with self.beat("As heat maps, one per channel: where brightening a pixel of that channel would raise "
                           "the loss, and where it would lower it.",
                           say("Each channel's ∂L/∂X becomes a heat map of its own, on its own range: one colour "
                               "where making a pixel of that channel brighter would raise the loss, the other "
                               "where it would lower it, and the stronger the colour, the larger the gradient.")):
                self.show_heat_maps(stage, finals, labels, words)
        self.wait(2.0)

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ------

    def _plan_narration(self, names):
        if names.single:
            return say("Last comes the gradient this layer passes back to the layer before it: ∂L/∂X, how the loss "
                       "changes with each input value. It is a full convolution: ∂L/∂Z, dilated by the stride, with "
                       "the kernel turned by half a turn.")
        return say("Last comes the gradient this layer passes back to the layer before it: ∂L/∂X, how the loss "
                   "changes with each input value. With several filters and channels, each channel's ∂L/∂X collects "
                   "one full convolution from every filter: that filter's ∂L/∂Z, dilated by the stride, with its "
                   "kernel for the channel turned by half a turn. The shares of all the filters add up.")

    def _dz_narration(self, names):
        size = dict(rows=Num(("config", "conv_output_size", 0), 0), cols=Num(("config", "conv_output_size", 1), 0))
        if names.single:
            return say("We start from ∂L/∂Z, which the loss gradient gave us: one number per output of the "
                       "convolution, {rows} by {cols}.", **size)
        return say("We start from filter {filter}'s ∂L/∂Z, which the loss gradient gave us: one number per output "
                   "of its map, {rows} by {cols}.", filter=filter_number(), **size)

    def _dilate_narration(self):
        sh, sw = self.trace.config.stride
        values = dict(s=Num(("config", "stride", 0), 0))
        if (sh, sw) == (1, 1):
            how = "With a stride of {s} there is nothing to insert."
        elif sh == sw:
            how = ("The stride is {s}, so s minus one zeros go between neighbouring entries. In the forward pass "
                   "the window jumped s cells at a time; with the zeros in between, the way back moves one cell at "
                   "a time.")
        else:
            how = ("The stride is {s} down the rows and {s_w} across the columns, so s_h minus one zeros go "
                   "between the rows and s_w minus one between the columns. With the zeros in between, the way "
                   "back moves one cell at a time.")
            values["s_w"] = Num(("config", "stride", 1), 0)
        return say("First, dilate it by the stride. " + how, **values)

    def _pad_narration(self):
        t = self.trace
        ph, pw = t.geometry.full_padding
        values = dict(p=Num(("geometry", "full_padding", 0), 0))
        if (ph, pw) == (0, 0):
            return say("A kernel of a single cell overlaps every entry as it is: the padding is {p}, nothing to "
                       "add.", **values)
        if ph == pw:
            zeros = "zeros all round, {p} deep"
        else:
            zeros = "zeros, {p} deep above and below and {p_w} deep at each side"
            values["p_w"] = Num(("geometry", "full_padding", 1), 0)
        why = ("one fewer than the kernel's size" if t.config.dilation == (1, 1) else
               "d times one fewer than the kernel's size, as the dilated kernel spans that many cells and one more")
        return say(f"Then pad it with {zeros}: {why}. Now the kernel, sliding over it, overlaps every entry, even "
                   f"the ones at the edges.", **values)

    def _rotate_narration(self, names):
        t = self.trace
        kh, kw = t.conv.W.shape[2:]
        decimals = t.values.decimals["kernel"]
        kernel = names.kernel(0, 0)
        first, last = Num(kernel + ((0, 0),), decimals), Num(kernel + ((kh - 1, kw - 1),), decimals)
        which = ("Now the kernel: turn W by half a turn, upside down and left to right." if names.single else
                 "Now the kernels: turn each of filter {filter}'s kernels by half a turn, upside down and left to "
                 "right. Take its kernel for channel {channel}.")
        extra = {} if names.single else dict(filter=filter_number(), channel=channel_number(0))
        if kh * kw == 1:
            return say(which + " A single weight, {w}, stays where it is.", w=first, **extra)
        return say(which + " Its top-left weight, {w}, ends at the bottom right, and the bottom-right weight, {w_end}, "
                   "at the top left.", w=first, w_end=last, **extra)

    def _crop_narration(self, names):
        whose = "∂L/∂X" if names.single else "each channel's ∂L/∂X"
        if self.trace.config.padding:
            return say(f"The padding, {{p}} deep on every side, was never part of X, so it is cropped away. What "
                       f"is left is {whose}.", p=Num(("config", "padding"), 0))
        return say(f"There is no padding, so nothing is cropped: this is {whose} already.")

    def _pass_back_narration(self, names):
        t = self.trace
        said = ("∂L/∂X is what this layer passes back to the layer before it, where it plays the part ∂L/∂Z "
                "played here.")
        if not numberable(t.conv_grad.dL_dinput.shape):
            return say(said)
        whose = "Its" if names.single else "Channel {channel}'s"
        extra = {} if names.single else {"channel": channel_number(0)}
        return say(said + f" {whose} top-left entry, {{g}}, is how fast the loss changes as the top-left input "
                   "value changes.", g=Num(names.final(0) + ((0, 0),), DECIMALS), **extra)

    def _heat_map_narration(self):
        if not numberable(self.trace.conv_grad.dL_dinput.shape):
            return say("A picture this large is a heat map already. Beside the input image, it shows where on the "
                       "image the loss is sensitive: one colour where making a pixel brighter would raise the loss, "
                       "the other where it would lower it.")
        return say("Beside its numbers, ∂L/∂X as a heat map: one colour where making a pixel brighter would raise the "
                   "loss, the other where it would lower it, and the stronger the colour, the larger the gradient.")


class InputGradientScene(StoryScene):
    story = InputGradientStory
