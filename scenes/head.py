"""The head of the model on screen: [ReLU] -> [max pool] -> flatten -> dense -> sigmoid -> BCE.

Shared by the forward-pass story and the later stories that start from the prediction.
"""

import numpy as np
from manim import DOWN, LEFT, UP, FadeIn, SurroundingRectangle, TransformFromCopy, VGroup

from scenes.formula import Num, plain
from scenes.grid import NumberGrid
from scenes.layout import Box, fit_cell
from scenes.trace_paths import lookup
from scenes.style import FOCUS, KERNEL, LABEL_SIZE, OUTPUT, TEXT

FEATURES_SHOWN = 10  # a longer feature vector is shown by its first entries and a "⋮"
PANEL_ROW = Box(-6.9, 6.9, -0.7, 2.55)
FORMULA_YS = (-1.35, -2.3, -3.25)


def head_panels(story):
    """(path, label, decimals, colour) of each matrix between Z and the features."""
    cfg = story.trace.config
    panels = [(("conv", "z"), "Z", 2, OUTPUT)]
    if cfg.relu:
        panels.append((("head", "activated"), "A = ReLU(Z)", 2, OUTPUT))
    if cfg.pool:
        panels.append((("head", "pooled"), "P = maxpool(A)" if cfg.relu else "P = maxpool(Z)", 2, OUTPUT))
    return panels


def show_head(story):
    t = story.trace
    panels = head_panels(story)
    columns = [(("head", "features"), "F", 2, OUTPUT), (("values", "fc_weight"), "w", 1, KERNEL)]
    weights = [1.0] * len(panels) + [0.45, 0.45]
    unit = PANEL_ROW.width / sum(weights)
    x = PANEL_ROW.left
    grids = []
    for (path, label, decimals, color), w in zip(panels + columns, weights):
        box = Box(x + 0.1, x + w * unit - 0.1, PANEL_ROW.bottom, PANEL_ROW.top - 0.35)
        x += w * unit
        matrix = np.asarray(lookup(t, path))
        shape = (min(len(matrix), FEATURES_SHOWN), 1) if matrix.ndim == 1 else matrix.shape
        grid = NumberGrid(t, path, decimals, fit_cell(box, shape, 0.75), color,
                          limit=FEATURES_SHOWN).move_to(box.center)
        caption = plain(label, font_size=LABEL_SIZE, color=color).next_to(grid, UP, buff=0.12)
        grids.append((grid, caption, matrix.size > shape[0] * shape[1]))

    first, first_caption, _ = grids[0]
    story.play(FadeIn(first), FadeIn(first_caption), run_time=0.8)
    for (prev, _, _), (grid, caption, _), (path, *_rest) in zip(grids[:-2], grids[1:-2], panels[1:]):
        story.play(TransformFromCopy(prev.numbers, grid.numbers), FadeIn(grid.squares), FadeIn(caption), run_time=1.0)
        if path[-1] == "pooled":
            winners = VGroup(*(SurroundingRectangle(prev.square(*rc), color=FOCUS, buff=0)
                               for rc in t.head.pool_winners.reshape(-1, 2)))
            story.play(FadeIn(winners), run_time=0.6)
    last = grids[-3][0]
    features, features_caption, cut = grids[-2]
    weights_grid, weights_caption, _ = grids[-1]
    shown = features.numbers
    story.play(TransformFromCopy(VGroup(*last.numbers[: len(shown)]), shown), FadeIn(features.squares),
               FadeIn(features_caption), run_time=1.2)
    extras = []
    if cut:
        extras = [plain("⋮", font_size=LABEL_SIZE, color=TEXT).next_to(g, DOWN, buff=0.05)
                  for g in (features, weights_grid)]
    story.play(FadeIn(weights_grid), FadeIn(weights_caption), *(FadeIn(e) for e in extras), run_time=0.8)

    logit = story.formula("s = w dot F + b_(f c) = w dot F +", Num(("values", "fc_bias"), 1, paren=True, color=KERNEL),
                          "=", Num(("head", "logit"), 3, label="s"), font_size=30)
    y_hat = story.formula("hat(y) = sigma(s) = sigma(", Num(("head", "logit"), 3), ") =",
                          Num(("head", "y_hat"), 3, color=OUTPUT, label="y_hat"), font_size=30)
    loss = story.formula("L = -[y ln hat(y) + (1 - y) ln(1 - hat(y))] =", Num(("head", "loss"), 3, color=FOCUS, label="L"),
                         ",  y =", Num(("target",), 0), font_size=30)
    for line, y in zip((logit, y_hat, loss), FORMULA_YS):
        line.move_to([0, y, 0])
        story.play(FadeIn(line, shift=UP * 0.2), run_time=0.9)
        story.wait(0.6)
    story.wait(1.5)
