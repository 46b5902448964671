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

from convprop.scenes.kit.full_convolution import Names
from convprop.scenes.kit.input_gradient_stage import input_gradient_stage
from convprop.scenes.stories.input_gradient_filter_shares import FilterShares
from convprop.scenes.stories.input_gradient_full_convolution import FullConvolution
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
        with self.beat("What the layer passes back: dL/dX, a full convolution of dL/dZ with the kernel turned round."
                       if names.single else
                       "What the layer passes back: for every channel c, dL/dX_c collects a full convolution "
                       "from every filter o, of dL/dZ_o with W_(o,c) turned round."):
            title = self.show_title("The input gradient is a full convolution" if names.single
                                    else "The input gradient of a convolution layer")
            stage = input_gradient_stage(t, names, title)
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


class InputGradientScene(StoryScene):
    story = InputGradientStory
