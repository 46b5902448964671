"""Maps drawn from an input too large to number, each a picture with a block of its cells
written close up under it (a ``Loupe`` joined to the block's outline).

The block is the one mathcore finds worth reading (``mathcore.close_up``: where the ReLU passes
some cells and blocks others); its cells (r, c) are those of the outputs (r, c), in every map,
as in Z, so the same block is outlined on each map the gradient passes through.

Example::

    spot = block_read_closely(trace, 0)
    boxes = close_boxes(area, len(stages))
    closes = [close_up(trace, stage, spot, box, loupe, name) for stage, (box, loupe) in zip(stages, boxes)]
"""

from typing import NamedTuple

from manim import TransformFromCopy

from convprop.mathcore.close_up import close_up as worth_reading
from convprop.scenes.kit.layout import Box, fit_cell, one_above_another, shrink_to_width
from convprop.scenes.kit.loupe import Loupe
from convprop.scenes.kit.map_stages import MapStage
from convprop.scenes.kit.map_view import map_view
from convprop.scenes.kit.marks import CellMarks, Outline
from convprop.scenes.kit.panels import LabelledPanel, equal_panels
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.style import FOCUS, MUTED
from convprop.scenes.kit.trace_paths import lookup

# each map above its block close up, in these shares of the height
MAPS_AND_LOUPES = (2.6, 1.4)
LOUPE_GAP = 0.3
LOUPE_CELL = 0.7  # the largest cell of a block close up
BLOCK = 3  # cells a side of the block close up when there is no pool
BLOCK_WINDOWS = 2  # pool windows a side of it when there is one: as many cells a side of P


class Close(NamedTuple):
    """A map drawn from a large input, with a block close up: the map's picture, its name, the
    outline of the block read closely on it, and the block's numbers (a ``Loupe``)."""
    view: Picture
    caption: object
    outline: Outline
    loupe: Loupe


def block_read_closely(trace, o: int):
    """The block of map ``o`` read closely, as mathcore finds it worth reading."""
    cfg = trace.config
    mask = trace.filter_head_geometry[o].relu_mask if cfg.relu else None
    return worth_reading(trace.conv.Z[o], mask, cfg.pool, BLOCK_WINDOWS if cfg.pool else BLOCK)


def close_boxes(area: Box, count: int, name_room: float = 0.4) -> list[tuple[Box, Box]]:
    """``count`` columns across ``area``: each map's box (less ``name_room`` for its name)
    above the box of its block close up."""
    maps, loupes = one_above_another(area, MAPS_AND_LOUPES, gap=LOUPE_GAP)
    return list(zip(equal_panels(maps, count, name_room=name_room), equal_panels(loupes, count, name_room=0)))


def close_up(trace, stage: MapStage, spot, box: Box, loupe_box: Box, name, width: float | None = None) -> Close:
    """``stage``'s map in ``box`` with its ``name`` above it (shrunk to ``width``), its block
    outlined and the block's numbers in ``loupe_box``, joined to the outline. Every map is a
    picture, P too when it could be numbered: beside the others its numbers would be too
    small to read, as in the head."""
    view = map_view(trace, stage.path, stage.shading, stage.decimals, box, stage.color, picture=True)
    shrink_to_width(view, box.width).move_to(box.center)  # its bar's end values wider than BAR_ROOM keeps
    caption = LabelledPanel(view, name, width=width).words
    block = spot.p_block if stage.kind == "P" else spot.z_block
    # the block's cells (r, c) are those of the outputs (r, c), in every map, as in Z
    outline = Outline(view, trace, ("geometry", "output_cells", block), color=FOCUS, stroke_width=3)
    shape = lookup(trace, stage.path + (block,)).shape
    loupe = Loupe(trace, stage.path + (block,), stage.decimals, fit_cell(loupe_box, shape, LOUPE_CELL), stage.color)
    loupe.move_to(loupe_box.center).join(outline)
    return Close(view, caption, outline, loupe)


def same_numbers(before, after) -> list:
    """Each block's numbers into the same cells of the block of the next stage."""
    return [TransformFromCopy(b.loupe.grid.numbers, a.loupe.grid.numbers) for b, a in zip(before, after)]


def relu_marks(trace, close: Close, head: tuple, spot) -> list:
    """On map ``close`` (``head`` names its geometry): where Z is not positive, greyed on its
    picture, and the cells of its block where Z is positive, where the gradient passes,
    marked close up."""
    off = CellMarks(close.view, trace, head + ("relu_off_cells",), fill=MUTED, fill_opacity=0.5)
    # a slice of the mask names its passed cells as cells of the block, where the loupe has them
    passed = CellMarks(close.loupe.grid, trace, head + ("relu_mask", spot.z_block), stroke=FOCUS, stroke_width=4)
    return [off, passed]
