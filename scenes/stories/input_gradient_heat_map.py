"""dL/dX as a heat map: where brightening a pixel would raise the loss, and where it would lower
it. One channel's numbers get their heat map beside them; a picture of dL/dX (a digit) is a heat
map already and stands beside the image it is of; a layer's channels each turn into their own,
named. The drawing is ``kit.heat_map``'s.
"""

from manim import FadeTransform, ReplacementTransform, VGroup

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.grid_names import over_cells
from convprop.scenes.kit.heat_map import heat_beside_input, heat_beside_numbers, heat_maps, legend
from convprop.scenes.kit.layout import line_in
from convprop.scenes.kit.map_view import is_picture
from convprop.scenes.kit.style import INPUT
from convprop.scenes.story import Story


class HeatMaps(Story):

    def show_heat_map(self, stage, final, final_label, words):
        """dL/dX beside its numbers as a heat map: one colour where a brighter pixel raises the
        loss, another where it lowers it, each as strong as the gradient's size."""
        if is_picture(final):  # too large to number: dL/dX is a heat map already, beside the image it is of
            self._heat_beside_input(stage, final, final_label, words)
            return
        beside = heat_beside_numbers(self.trace, final, final_label, stage.final)
        self.play(VGroup(final, final_label).animate.move_to(beside.numbers_at), FadeOut(words), run_time=0.8)
        self.play(FadeIn(beside.heat), FadeIn(beside.name), FadeIn(line_in(legend(), stage.line)), run_time=1.0)

    def _heat_beside_input(self, stage, final, final_label, words):
        """The heat map moves right and the input's picture stands at its left, cells of one
        size: where on the image (a digit) the loss is sensitive."""
        t = self.trace
        beside = heat_beside_input(t, stage.whole)
        named = over_cells(t, "dL/dX: where L is sensitive", beside.heat)
        self.play(ReplacementTransform(final, beside.heat), FadeTransform(final_label, named), FadeOut(words),
                  FadeIn(beside.image), FadeIn(over_cells(t, self.input_name(), beside.image, INPUT)),
                  FadeIn(line_in(legend(), stage.line)), run_time=1.2)

    def show_heat_maps(self, stage, finals, labels, words):
        """Every channel's dL/dX turns into its heat map where it stands, each on its own range (its
        colour bar names it), each named: where the loss is sensitive to each channel's pixels."""
        heats = heat_maps(self.trace, finals, stage.whole)
        named = [over_cells(self.trace, f"\"dL/dX\"_{c + 1}", heat) for c, heat in enumerate(heats)]
        self.play(*(FadeTransform(final, heat) for final, heat in zip(finals, heats) if final is not heat),
                  *(FadeTransform(old, new) for old, new in zip(labels, named)), FadeOut(words),
                  FadeIn(line_in(legend(), stage.line)), run_time=1.2)
