"""The head of the model on screen: [ReLU] -> [max pool] -> flatten -> dense -> sigmoid -> BCE.

Shared by the forward-pass story (one map, or a layer's F maps) and the later stories that start
from the prediction. From an input too large to number (a 28x28 digit), the maps are drawn as
pictures and F and w by their first entries, as for any long vector.

One map's stages stand side by side (Z, A, P). A layer's F maps stand side by side instead,
each going through the stages in its place; F then takes each map's features in PyTorch's order
(map, then row, then column), and the cells of each map that its first features came from are
marked as they fly into F (``trace.flatten_geometry``). A layer's map too large to number is its
picture (``trace.pictures``) at every stage past 16 cells a side, its marks on the picture's cells.

The screen is split from the room under its title: a band at the bottom as tall as the three
lines of the prediction (s, y_hat, L) need, and above it the maps over the rows of F and w, by
share (``Regions``).
"""

from typing import NamedTuple

import numpy as np
from manim import UP, ReplacementTransform, TransformFromCopy, VGroup

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid, chars_for
from convprop.scenes.kit.layout import (
    MAX_TEXT_WIDTH, Box, fit_cell, lines_down, one_above_another, shrink_to_width, split_bottom, under,
)
from convprop.scenes.kit.map_view import map_view, readable
from convprop.scenes.kit.marks import CellMarks, cells_at
from convprop.scenes.kit.numbers import exact_decimals
from convprop.scenes.kit.picture import BAR_ROOM, Picture
from convprop.scenes.kit.panels import LabelledPanel, equal_panels
from convprop.scenes.kit.style import FOCUS, KERNEL, LABEL_SIZE, OUTPUT
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.kit.vector_rows import NAME_GAP, VectorRows, map_cells_shown

# Above the prediction's lines, the maps take this share of the height and the rows of F and w
# the other, ROWS_GAP apart.
MAPS_SHARE, ROWS_SHARE = 2.4, 1.4
ROWS_GAP = 0.25
LINE_GAP = 0.35  # above, between and below the prediction's lines
ROW_NAMES = ("F", "w")
MAP_CELL = 0.75  # the largest cell of a map of the head


class Regions(NamedTuple):
    """Where each part of the head's screen stands: the maps' row, the rows of F and w (less
    the room of their names on the left and a "…" on the right), and the prediction's band."""
    maps: Box
    rows: Box
    lines: Box


def head_regions(area: Box, lines) -> Regions:
    """``area`` (the room under the title) split: a band at the bottom for ``lines`` (measured,
    spaced LINE_GAP apart), the maps over the rows of F and w above it."""
    band = sum(line.height for line in lines) + (len(lines) + 1) * LINE_GAP
    rest, lines_band = split_bottom(area, band)
    maps, rows = one_above_another(rest, (MAPS_SHARE, ROWS_SHARE), gap=ROWS_GAP)
    names = max(plain(name, font_size=LABEL_SIZE).width for name in ROW_NAMES) + 2 * NAME_GAP
    more = plain("…", font_size=LABEL_SIZE).width + 2 * NAME_GAP
    return Regions(maps, rows.inset(left=names, right=more), lines_band)


def head_panels(story):
    """(path, label, decimals, colour) of each matrix between Z and the features: its numbers, or
    its picture (``pictures``) when the input is too large to number."""
    cfg = story.trace.config
    where = ({"z": ("conv", "z"), "activated": ("head", "activated"), "pooled": ("head", "pooled")} if cfg.numbered
             else {name: ("pictures", name) for name in ("z", "activated", "pooled")})
    panels = [(where["z"], "Z", 2, OUTPUT)]
    if cfg.relu:
        panels.append((where["activated"], "A = ReLU(Z)", 2, OUTPUT))
    if cfg.pool:
        panels.append((where["pooled"], "P = maxpool(A)" if cfg.relu else "P = maxpool(Z)", 2, OUTPUT))
    return panels


def flattened_name(cfg) -> str:
    """The name of the matrix F is flattened from: P after a pool, else A after a ReLU, else Z."""
    return "P" if cfg.pool else "A" if cfg.relu else "Z"


def map_stages(story, o):
    """(path, picture, name) of each matrix map ``o`` of a layer goes through, from Z_o to the
    P_o it flattens into F: the path of its numbers, and of its picture (drawn when it is too
    large to number)."""
    cfg, n = story.trace.config, o + 1
    stages = [(("conv", "Z", o), ("pictures", "zs", o), f"Z_{n}")]
    if cfg.relu:
        stages.append((("head", "A", o), ("pictures", "activateds", o), f"A_{n} = \"ReLU\"(Z_{n})"))
    if cfg.pool:
        stages.append((("head", "P", o), ("pictures", "pooleds", o),
                       f"P_{n} = \"maxpool\"({'A' if cfg.relu else 'Z'}_{n})"))
    return stages


def _map(t, path, decimals, box, color):
    """One map of the head: a grid of its numbers, or the picture at a ``pictures`` path."""
    if path[0] == "pictures":
        shape = np.shape(lookup(t, path + ("levels",)))
        return Picture(t, path, fit_cell(box.inset(right=BAR_ROOM), shape, MAP_CELL), decimals, color).move_to(box.center)
    return NumberGrid(t, path, decimals, fit_cell(box, np.shape(lookup(t, path)), MAP_CELL), color).move_to(box.center)


def _from(prev, grid, sources=None):
    """The animations that bring ``grid`` out of ``prev``: its numbers from prev's (``sources``
    of them, else all), or a fade where either is a picture."""
    if isinstance(grid, Picture) or isinstance(prev, Picture):
        return [FadeIn(grid)]
    return [TransformFromCopy(prev.numbers if sources is None else sources, grid.numbers), FadeIn(grid.squares)]


def show_head(story, title):
    """The maps, F and w as two aligned rows, then s, y_hat and L, under the screen's ``title``."""
    t = story.trace
    lines = prediction_lines(story)
    regions = head_regions(under(title), lines)
    rows = VectorRows(t, [(("head", "features"), 2, OUTPUT, ROW_NAMES[0], False),
                          (("values", "fc_weight"), t.values.decimals["fc_weight"], KERNEL, ROW_NAMES[1], False)],
                      regions.rows, header=lambda o: f"\"from\" {flattened_name(t.config)}_{o + 1}")
    if t.config.filters == 1:
        last = show_one_map(story, regions.maps)
        flatten = ([FadeIn(rows.segments[0][0])] if isinstance(last, Picture) else
                   [TransformFromCopy(VGroup(*last.numbers[:rows.segments[0][0].cols]), rows.numbers(0)),
                    FadeIn(rows.squares(0))])
        story.play(*flatten, FadeIn(rows.names[0]), *(FadeIn(m) for m in rows.more[0]), run_time=1.2)
    else:
        flatten_maps(story, show_layer_maps(story, regions.maps), rows)
    story.play(FadeIn(rows.row(1)), run_time=0.8)
    show_prediction(story, lines_down(lines, regions.lines.top, regions.lines.bottom))


def show_one_map(story, area: Box):
    """One map's stages side by side in ``area``, the pool's winners marked; returns the last,
    which F flattens."""
    t = story.trace
    panels = head_panels(story)
    grids = []
    for (path, label, decimals, color), box in zip(panels, equal_panels(area, len(panels))):
        panel = LabelledPanel(_map(t, path, decimals, box, color), plain(label, font_size=LABEL_SIZE, color=color))
        grids.append((panel.grid, panel.words))

    first, first_caption = grids[0]
    story.play(FadeIn(first), FadeIn(first_caption), run_time=0.8)
    for (prev, _), (grid, caption), (path, *_rest) in zip(grids, grids[1:], panels[1:]):
        story.play(*_from(prev, grid), FadeIn(caption), run_time=1.0)
        if path[-1] == "pooled":
            winners = CellMarks(prev, t, ("head_geometry", "pool_winners"), stroke=FOCUS, stroke_width=4)
            story.play(FadeIn(winners), run_time=0.6)
    return grids[-1][0]


def show_layer_maps(story, area: Box):
    """The F maps side by side in ``area``, each through ReLU and the max pool in its place (the
    pool's winners marked before it); returns the last grid of each map, which F flattens."""
    t = story.trace
    maps = t.config.filters
    boxes = equal_panels(area, maps)
    staged = [map_stages(story, o) for o in range(maps)]
    chars = chars_for(t.conv.Z, 2)

    def panel(o, stage):
        path, picture, name = staged[o][stage]
        box = boxes[o]
        # numbers too small to read side by side are shaded squares; the close-up of F writes them
        shaded = not readable(np.shape(lookup(t, path)), box, chars, MAP_CELL)
        grid = map_view(t, path, picture, 2, box, OUTPUT, max_cell=MAP_CELL, chars=chars, picture=shaded,
                        bar=not t.config.numbered)
        words = story.formula(name, font_size=LABEL_SIZE, color=OUTPUT)
        return LabelledPanel(grid, words, width=box.width)

    shown = [panel(o, 0) for o in range(maps)]
    story.play(*(FadeIn(p) for p in shown), run_time=0.8)
    for stage in range(1, len(staged[0])):
        path = staged[0][stage][0]
        winners = []
        if path[1] == "P":
            winners = [CellMarks(p.grid, t, ("filter_head_geometry", o, "pool_winners"), stroke=FOCUS,
                                 stroke_width=4) for o, p in enumerate(shown)]
            story.play(*(FadeIn(w) for w in winners), run_time=0.6)
            story.wait(0.6)
        after = [panel(o, stage) for o in range(maps)]
        # each new number comes out of the one it is: the same cell after the ReLU, the winner after the pool
        sources = [_winners(t, o, p.grid) if winners else None for o, p in enumerate(shown)]
        story.play(*(a for p, q, source in zip(shown, after, sources) for a in _from(p.grid, q.grid, source)),
                   *(ReplacementTransform(p.words, q.words) for p, q in zip(shown, after)),
                   *(FadeOut(p.grid) for p in shown), *(FadeOut(w) for w in winners), run_time=1.0)
        shown = after
    return [p.grid for p in shown]


def _winners(t, o, grid):
    """The numbers of map o's pool winners on ``grid`` (none on a picture, which writes none)."""
    if isinstance(grid, Picture):
        return None
    return VGroup(*(grid.label(*rc) for rc in cells_at(t, ("filter_head_geometry", o, "pool_winners"))))


def flatten_maps(story, grids, rows):
    """Map by map, the cells its first features came from marked and flown into F, in F's order."""
    t = story.trace
    for o, (grid, segment) in enumerate(zip(grids, rows.segments[0])):
        claim = map_cells_shown(o, segment.cols)
        marks = CellMarks(grid, t, claim, stroke=FOCUS, stroke_width=4)
        # on a picture the features fade into F: their numbers are read there, close up
        pictured = isinstance(grid, Picture)
        sources = segment.numbers if pictured else VGroup(*(grid.label(r, c) for r, c in lookup(t, claim)))
        arrive = ((FadeIn(segment),) if pictured else
                  (TransformFromCopy(sources, segment.numbers), FadeIn(segment.squares)))
        name = [FadeIn(rows.names[0])] if o == 0 else []
        more = [FadeIn(m) for m in rows.more_after(0, o)]
        opening = [FadeIn(marks), *name, FadeIn(rows.headers[o])]
        if o:
            story.play(*opening, run_time=0.5)
        # the first map's cells close up when too small to read: one map read closely stands for all
        with story.closely(grid, marks, segment, digits=list(sources) if o == 0 else [],
                           opening=[] if o else opening):
            story.play(*arrive, *more, run_time=1.0)
        story.play(FadeOut(marks), run_time=0.3)


def prediction_lines(story) -> list:
    """s, y_hat and L with their numbers, each no wider than a line may be (placed by the caller)."""
    t = story.trace
    logit = story.formula("s = w dot F + b_(f c) = w dot F +",
                          Num(("values", "fc_bias"), t.values.decimals["fc_bias"], paren=True, color=KERNEL),
                          "=", Num(("head", "logit"), 3, label="s"), font_size=28)
    y_hat = story.formula("hat(y) = sigma(s) = sigma(", Num(("head", "logit"), 3), ") =",
                          Num(("head", "y_hat"), 3, color=OUTPUT, label="y_hat"), font_size=28)
    loss = story.formula("L = -[y ln hat(y) + (1 - y) ln(1 - hat(y))] =", Num(("head", "loss"), 3, color=FOCUS, label="L"),
                         ", quad y =", Num(("target",), exact_decimals(t.target)), font_size=28)
    return [shrink_to_width(line, MAX_TEXT_WIDTH) for line in (logit, y_hat, loss)]


def show_prediction(story, lines):
    """s, y_hat and L (placed already), one line after another under the rows."""
    for line in lines:
        story.play(FadeIn(line, shift=UP * 0.2), run_time=0.9)
        story.wait(0.6)
    story.wait(1.5)
