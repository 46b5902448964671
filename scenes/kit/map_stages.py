"""The maps the loss's gradient passes through on its way back from dL/dF to dL/dZ, and the
rules said of them: reshaped into the pooled map dL/dP, routed to each pool window's winner in
dL/dA, masked where Z was not positive, to dL/dZ. Which maps there are follows the head (a pool,
a ReLU); a layer has them once per filter, named with the filter's index.

Example::

    for stage in map_stages(trace.config):
        grid = NumberGrid(trace, stage.path, stage.decimals, cell, stage.color)
    said, grey = relu_rule_greyed(trace, band)
"""

from typing import NamedTuple

from manim import RIGHT, VGroup

from convprop.scenes.kit.formula import Formula
from convprop.scenes.kit.layout import Box, line_in
from convprop.scenes.kit.style import GRADIENT, MUTED, OUTPUT

POOL_RULE = "each gradient goes to the cell that won its window's max; zero elsewhere"
RELU_RULE = "(partial L) / (partial Z) = (partial L) / (partial A) dot.o [Z > 0]"
RELU_GREY = "quad \"grey: Z\" <= 0"


class MapStage(NamedTuple):
    """One map the gradient passes through on its way back to Z: which it is ("P", "A", "Z" or
    "dZ"), its values, its picture in ``trace.pictures``, its name (words, or a formula for a
    layer's), its colour and decimals."""
    kind: str
    path: tuple
    shading: tuple
    label: str
    color: object
    decimals: int


def map_stages(cfg) -> list[MapStage]:
    """The maps from dL/dF back to dL/dZ for one filter: [dL/dP], [dL/dA], [Z], dL/dZ."""
    stages = []
    if cfg.pool:
        stages.append(MapStage("P", ("dL_dpooled",), ("pictures", "dL_dpooled"), "dL/dP: reshaped", GRADIENT, 3))
        stages.append(MapStage("A", ("dL_dactivated",), ("pictures", "dL_dactivated"), "to the max of each window",
                               GRADIENT, 3))
    elif cfg.relu:
        stages.append(MapStage("A", ("dL_dactivated",), ("pictures", "dL_dactivated"), "dL/dA: reshaped", GRADIENT, 3))
    if cfg.relu:
        stages.append(MapStage("Z", ("conv", "z"), ("pictures", "z"), "Z: where is it positive?", OUTPUT, 2))
    stages.append(MapStage("dZ", ("conv_grad", "dL_dz"), ("pictures", "dL_dz"), "dL/dZ", GRADIENT, 3))
    return stages


def layer_map_stages(cfg, o: int) -> list[MapStage]:
    """The maps of filter ``o`` from its piece of dL/dF back to dL/dZ_o: [dL/dP_o], [dL/dA_o], dL/dZ_o."""
    n = o + 1
    stages = []
    if cfg.pool:
        stages.append(MapStage("P", ("dL_dP", o), ("pictures", "dL_dpooleds", o), f"(partial L) / (partial P_{n})",
                               GRADIENT, 3))
    if cfg.pool or cfg.relu:
        stages.append(MapStage("A", ("dL_dA", o), ("pictures", "dL_dactivateds", o),
                               f"(partial L) / (partial A_{n})", GRADIENT, 3))
    stages.append(MapStage("dZ", ("conv_grad", "dL_dZ", o), ("pictures", "dL_dzs", o),
                           f"(partial L) / (partial Z_{n})", GRADIENT, 3))
    return stages


def relu_rule(trace):
    """The ReLU's rule: the gradient passes where Z was positive (placed by the caller)."""
    return Formula(trace, (RELU_RULE,), font_size=26)


def relu_rule_greyed(trace, band: Box) -> tuple:
    """The ReLU's rule and, after it, what the grey cells mean, as one line in ``band``."""
    said, grey = relu_rule(trace), Formula(trace, (RELU_GREY,), font_size=26, color=MUTED)
    line_in(VGroup(said, grey).arrange(RIGHT, buff=0.1), band)
    return said, grey
