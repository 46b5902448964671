"""Where dL/dz_k comes from: from the loss back through sigmoid, the dense layer, the reshape,
[max pooling] and [ReLU] to one gradient per output position of the convolution.

For a layer of F filters the same happens map by map: dL/dF is cut into F pieces in F's order
(map, then row, then column), each reshaped into its map's dL/dP, routed to that map's pool
winners and masked by that map's ReLU; the maps stand side by side, each going back through the
stages in its place. A layer's channels do not appear: nothing here reaches back to X.

From an input too large to number (a 28x28 digit) a map past NUMBERED_SIDE cells a side is
drawn as a picture (``kit.map_view``), and a block of its cells is written close up under it (a
``Loupe``): there a few gradients are followed, stage by stage: reshaped into the map, flown to
their windows' winners, through the ReLU. The block is the one mathcore finds worth reading
(``mathcore.close_up``: where the ReLU passes some cells and blocks others).

Every screen is split from the room under its title (``kit.dense_screen``'s ``DenseRegions``);
the dense beat hands the rows it fills, and the first term it works out, to the beats that take
them back to the maps (``Dense``), one a stage, each said as it is drawn (``loss_gradient_words``):
numbered (``loss_gradient_maps``), or as pictures with a block close up (``loss_gradient_closely``).
"""

from manim import UP, Create, SurroundingRectangle, TransformFromCopy, VGroup

from convprop.scenes.kit.dense_screen import (
    GRADIENT_CELL, ROW_NAMES, Dense, DenseRegions, dense_regions, first_term, sigmoid_chain,
)
from convprop.scenes.kit.fades import FadeIn
from convprop.scenes.kit.layout import Box, line_in, lines_down, under
from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.numbers import exact_decimals
from convprop.scenes.kit.style import FOCUS, GRADIENT, KERNEL
from convprop.scenes.kit.vector_rows import VectorRows
from convprop.scenes.stories.head import flattened_name
from convprop.scenes.stories.loss_gradient_closely import BackToTheMapsClosely
from convprop.scenes.stories.loss_gradient_maps import BackToTheMaps
from convprop.scenes.narration import say
from convprop.scenes.story import StoryScene


class LossGradientStory(BackToTheMaps, BackToTheMapsClosely):
    name = "loss-gradient"
    summary = "From L back to every z_k: dL/dy_hat, dy_hat/ds, the dense weights, [max pool routing], [ReLU mask]"
    draws_layers = True  # F maps are told map by map; the channels are not drawn at all
    # It never draws X; the maps of a large input are pictures, a block of each close up.
    pictures_large_input = True
    pictures_large_layer = True

    def tell(self):
        cfg = self.trace.config
        with self.beat("The loss changes with the prediction ŷ, and ŷ with its input s.", self.sigmoid_narration()):
            self.through_the_sigmoid(under(self.show_title("Where dL/dz comes from")))
        self.clear()
        with self.beat("Each feature reaches s through its own dense weight.", self.dense_narration()):
            regions = dense_regions(self.trace, self.show_title("Back through the dense layer"))
            dense = self.through_the_dense_layer(regions)
        # from dL/dF back to dL/dZ: a beat for each stage (``loss_gradient_words``)
        if cfg.filters == 1 and not cfg.numbered:
            self.back_to_the_map_closely(dense, regions)
        elif cfg.filters == 1:
            self.back_to_the_map(dense.rows, regions)
        elif cfg.numbered:
            self.back_to_the_maps(dense, regions)
        else:
            self.back_to_the_maps_closely(dense, regions)
        self.wait(1.5)

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ------

    def sigmoid_narration(self):
        return say("Now we go backwards, from the loss to every output of the convolution. First, how the loss "
                   "changes with the prediction: with the target y at {y} and ŷ at {y_hat}, ∂L/∂ŷ is {dL_dy_hat}. "
                   "Next, how ŷ changes with its input s: the sigmoid's slope, ŷ times one minus ŷ, is {dy_hat_ds}. "
                   "Their product, ∂L/∂s, is {dL_ds}, which is simply ŷ minus y.",
                   y=Num(("target",), exact_decimals(self.trace.target)), y_hat=Num(("head", "y_hat"), 3),
                   dL_dy_hat=Num(("dL_dy_hat",), 3), dy_hat_ds=Num(("dy_hat_dlogit",), 3),
                   dL_ds=Num(("dL_dlogit",), 3))

    def dense_narration(self):
        t = self.trace
        return say("The sigmoid's input s is the dense layer's weighted sum of the features, so each feature "
                   "reaches s through its own weight, and its gradient is ∂L/∂s times that weight. For the first "
                   "feature, F₁: {dL_ds} times w₁, {w1}, is {dL_dF1}. Every other feature the same way, with its own weight, gives the row "
                   "∂L/∂F.",
                   dL_ds=Num(("dL_dlogit",), 3), w1=Num(("values", "fc_weight", 0), t.values.decimals["fc_weight"]),
                   dL_dF1=Num(("dL_dfeatures", 0), 3))

    # -- beats ---------------------------------------------------------------------------------

    def through_the_sigmoid(self, area: Box):
        """The chain from L to s, one line under another, spread down ``area``."""
        for line in lines_down(sigmoid_chain(self.trace), area.top, area.bottom):
            self.play(FadeIn(line, shift=UP * 0.2), run_time=0.9)
            self.wait(0.8)

    def through_the_dense_layer(self, regions: DenseRegions) -> Dense:
        """w over dL/dF, the first term worked out and the rest filled in; returns the rows and
        the first term, which stay."""
        t = self.trace
        rows = VectorRows(t, [(("values", "fc_weight"), t.values.decimals["fc_weight"], KERNEL, ROW_NAMES[0], False),
                              (("dL_dfeatures",), 3, GRADIENT, ROW_NAMES[1], True)], regions.rows, max_cell=GRADIENT_CELL,
                          header=lambda o: f"\"to\" {flattened_name(t.config)}_{o + 1}")
        self.play(FadeIn(rows.row(0)), Create(rows.squares(1)), FadeIn(rows.names[1]),
                  *(FadeIn(m) for m in [*rows.more[1], *rows.headers]), run_time=0.9)
        first = line_in(first_term(t), regions.term)
        focus = VGroup(SurroundingRectangle(rows.square(0, 0), color=FOCUS, buff=0),
                       SurroundingRectangle(rows.square(1, 0), color=FOCUS, buff=0))
        self.play(FadeIn(first), FadeIn(focus), run_time=0.9)
        labels = rows.fill(t, 1)
        self.play(TransformFromCopy(first.term("first"), labels[0]), run_time=0.7)
        self.play(*(FadeIn(label) for label in labels[1:]), focus.animate.set_opacity(0), run_time=0.8)
        return Dense(rows, first)


class LossGradientScene(StoryScene):
    story = LossGradientStory
