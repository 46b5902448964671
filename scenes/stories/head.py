"""The head of the model on screen: [ReLU] -> [max pool] -> flatten -> dense -> sigmoid -> BCE.

Shared by the forward-pass story and the later stories that start from the prediction. From an
input too large to number (a 28x28 digit), the maps are drawn as pictures and F and w by their
first entries, as for any long vector.
"""

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, TransformFromCopy, VGroup

from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.grid import NumberGrid
from convprop.scenes.kit.layout import FEATURES_SHOWN, Box, fit_cell
from convprop.scenes.kit.marks import CellMarks
from convprop.scenes.kit.numbers import exact_decimals
from convprop.scenes.kit.picture import Picture
from convprop.scenes.kit.panels import LabelledPanel, equal_panels
from convprop.scenes.kit.style import FOCUS, KERNEL, LABEL_SIZE, OUTPUT, TEXT
from convprop.scenes.kit.trace_paths import lookup

PANEL_ROW = Box(-6.9, 6.9, 0.35, 2.75)
VECTOR_ROW = Box(-6.0, 6.6, -1.3, 0.1)
FORMULA_YS = (-1.7, -2.5, -3.35)


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


def _map(t, path, decimals, box, color):
    """One map of the head: a grid of its numbers, or the picture at a ``pictures`` path."""
    if path[0] == "pictures":
        shape = np.shape(lookup(t, path + ("levels",)))
        return Picture(t, path, fit_cell(box.inset(right=0.9), shape, 0.75), decimals, color).move_to(box.center)
    return NumberGrid(t, path, decimals, fit_cell(box, np.shape(lookup(t, path)), 0.75), color).move_to(box.center)


def _from(prev, grid):
    """The animations that bring ``grid`` out of ``prev``: its numbers from prev's, or a fade for a picture."""
    if isinstance(grid, Picture):
        return [FadeIn(grid)]
    return [TransformFromCopy(prev.numbers, grid.numbers), FadeIn(grid.squares)]


def show_head(story):
    """The maps side by side, F and w as two aligned rows, then s, y_hat and L."""
    t = story.trace
    panels = head_panels(story)
    grids = []
    for (path, label, decimals, color), box in zip(panels, equal_panels(PANEL_ROW, len(panels))):
        panel = LabelledPanel(_map(t, path, decimals, box, color), plain(label, font_size=LABEL_SIZE, color=color))
        grids.append((panel.grid, panel.words))

    first, first_caption = grids[0]
    story.play(FadeIn(first), FadeIn(first_caption), run_time=0.8)
    for (prev, _), (grid, caption), (path, *_rest) in zip(grids, grids[1:], panels[1:]):
        story.play(*_from(prev, grid), FadeIn(caption), run_time=1.0)
        if path[-1] == "pooled":
            winners = CellMarks(prev, t, ("head_geometry", "pool_winners"), stroke=FOCUS, stroke_width=4)
            story.play(FadeIn(winners), run_time=0.6)

    count = t.head.features.size
    shown = min(count, FEATURES_SHOWN)
    cell = min(VECTOR_ROW.width / (shown + 1), VECTOR_ROW.height / 2, 0.75)
    features = NumberGrid(t, ("head", "features"), 2, cell, OUTPUT, limit=FEATURES_SHOWN, as_row=True)
    weights = NumberGrid(t, ("values", "fc_weight"), t.values.decimals["fc_weight"], cell, KERNEL, limit=FEATURES_SHOWN,
                         as_row=True)
    VGroup(features, weights).arrange(DOWN, buff=0).move_to(VECTOR_ROW.center)
    names = VGroup(plain("F", font_size=LABEL_SIZE, color=OUTPUT).next_to(features, LEFT, buff=0.15),
                   plain("w", font_size=LABEL_SIZE, color=KERNEL).next_to(weights, LEFT, buff=0.15))
    more = [plain("…", font_size=LABEL_SIZE, color=TEXT).next_to(g, RIGHT, buff=0.1)
            for g in (features, weights)] if count > shown else []
    last = grids[-1][0]
    flatten = ([FadeIn(features)] if isinstance(last, Picture) else
               [TransformFromCopy(VGroup(*last.numbers[:shown]), features.numbers), FadeIn(features.squares)])
    story.play(*flatten, FadeIn(names[0]), *(FadeIn(m) for m in more[:1]), run_time=1.2)
    story.play(FadeIn(weights), FadeIn(names[1]), *(FadeIn(m) for m in more[1:]), run_time=0.8)

    logit = story.formula("s = w dot F + b_(f c) = w dot F +",
                          Num(("values", "fc_bias"), t.values.decimals["fc_bias"], paren=True, color=KERNEL),
                          "=", Num(("head", "logit"), 3, label="s"), font_size=28)
    y_hat = story.formula("hat(y) = sigma(s) = sigma(", Num(("head", "logit"), 3), ") =",
                          Num(("head", "y_hat"), 3, color=OUTPUT, label="y_hat"), font_size=28)
    loss = story.formula("L = -[y ln hat(y) + (1 - y) ln(1 - hat(y))] =", Num(("head", "loss"), 3, color=FOCUS, label="L"),
                         ", quad y =", Num(("target",), exact_decimals(t.target)), font_size=28)
    for line, y in zip((logit, y_hat, loss), FORMULA_YS):
        line.move_to([0, y, 0])
        story.play(FadeIn(line, shift=UP * 0.2), run_time=0.9)
        story.wait(0.6)
    story.wait(1.5)
