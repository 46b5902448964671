"""dL/dX as a heat map: one colour where brightening a pixel would raise the loss, another where
it would lower it, each as strong as the gradient's size (``kit.picture``'s signed shading).

A grid of numbers gets its heat map beside it; a picture of dL/dX (an input too large to number)
is a heat map already, and stands beside the image it is of, cells of one size; a layer's
channels each turn into their own heat map, on their own range, with cells of one size.

Example::

    beside = heat_beside_numbers(trace, final, name, box)
    scene.play(VGroup(final, name).animate.move_to(beside.numbers_at))
    scene.play(FadeIn(beside.heat), FadeIn(beside.name), FadeIn(line_in(legend(), band)))
"""

from typing import NamedTuple

from manim import RIGHT, VGroup

from convprop.scenes.kit.formula import plain
from convprop.scenes.kit.full_convolution import DECIMALS
from convprop.scenes.kit.grid_names import over_cells
from convprop.scenes.kit.input_gradient_stage import FINAL_CELL, GAP, NAME_ROOM, gradient_picture
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, Box, side_by_side
from convprop.scenes.kit.map_view import fitted_picture, is_picture
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.style import GRADIENT, INPUT, LABEL_SIZE, LOWERS_LOSS, RAISES_LOSS
from convprop.scenes.kit.tiles import tile

HEAT_GAP, HEAT_BAR_ROOM = 0.8, 1.3  # between dL/dX's numbers and its heat map; the heat map's colour bar


class BesideNumbers(NamedTuple):
    """Where dL/dX's numbers and name move to (``numbers_at``, a copy standing there), and the
    heat map with its name that appears beside them."""

    numbers_at: object
    heat: Picture
    name: object


class BesideInput(NamedTuple):
    """The input's picture and dL/dX's heat map, side by side with cells of one size."""

    image: Picture
    heat: Picture


def legend():
    """What a heat map's two colours mean, in one line (placed by the caller)."""
    return VGroup(plain("brighter pixel, larger loss", font_size=LABEL_SIZE, color=RAISES_LOSS),
                  plain("brighter pixel, smaller loss", font_size=LABEL_SIZE, color=LOWERS_LOSS)
                  ).arrange(RIGHT, buff=0.8)


def heat_beside_numbers(trace, final, final_name, box: Box) -> BesideNumbers:
    """dL/dX's numbers (``final`` and its name) and its heat map side by side, centred in ``box``,
    the heat map's cells as large as the widest line leaves them."""
    numbers = VGroup(final, final_name)
    room = MAX_TEXT_WIDTH - numbers.width - HEAT_GAP - HEAT_BAR_ROOM
    cell = min(final.cell_size, room / final.cols)
    heat = Picture(trace, ("pictures", "dL_dinput"), cell, DECIMALS, GRADIENT)
    over = numbers.width + HEAT_GAP + heat.width - MAX_TEXT_WIDTH  # the bar as measured, not as HEAT_BAR_ROOM guessed
    if over > 0:
        heat = Picture(trace, ("pictures", "dL_dinput"), cell - over / final.cols, DECIMALS, GRADIENT)
    heat_name = over_cells(trace, "where L is sensitive", heat.frame)
    both = VGroup(numbers.copy(), VGroup(heat, heat_name)).arrange(RIGHT, buff=HEAT_GAP).move_to(box.center)
    VGroup(heat, heat_name).move_to(both[1])
    return BesideNumbers(both[0], heat, heat_name)


def heat_beside_input(trace, area: Box) -> BesideInput:
    """The input's picture at the left of ``area`` and dL/dX's heat map at its right, in cells of
    the size both halves allow: where on the image (a digit) the loss is sensitive."""
    image_box, heat_box = side_by_side(area, (1, 1), HEAT_GAP)
    image = fitted_picture(trace, ("pictures", "input"), image_box, trace.values.decimals["input"], INPUT, FINAL_CELL)
    heat = gradient_picture(trace, ("pictures", "dL_dinputs", 0), heat_box)
    cell = min(image.cell_size, heat.cell_size)
    image = Picture(trace, ("pictures", "input"), cell, trace.values.decimals["input"], INPUT).move_to(image_box.center)
    heat = Picture(trace, ("pictures", "dL_dinputs", 0), cell, DECIMALS, GRADIENT).move_to(heat_box.center)
    return BesideInput(image, heat)


def heat_maps(trace, finals, area: Box) -> list:
    """Every channel's dL/dX as its heat map where it stands in ``area`` (a picture already is
    one), each on its own range, in one cell: the smallest each box leaves beside its own bar."""
    boxes, _ = tile(area, len(finals), trace.conv_grad.dL_dinput.shape, GAP * 2, NAME_ROOM)
    cell = min(gradient_picture(trace, ("pictures", "dL_dinputs", c), box).cell_size for c, box in enumerate(boxes))
    return [final if is_picture(final) else
            Picture(trace, ("pictures", "dL_dinputs", c), cell, DECIMALS, GRADIENT).move_to(box.center)
            for c, (final, box) in enumerate(zip(finals, boxes))]
