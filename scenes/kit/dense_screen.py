"""The loss gradient's screens before the maps: the chain from L back through the sigmoid to s,
and the dense screen, where dL/dF_j = dL/ds w_j is worked under the rows of w and dL/dF.

The dense screen under its title: the rows of w and dL/dF with the first term under them take
``ROWS_SHARE`` of the height, the maps the rest, ``ROWS_GAP`` apart; the rule said of a stage
stands in a band at the bottom, ``RULE_GAP`` under the maps. Every part is split from the room
under the title and from the measured first term, rules, row names and maps' names.

Example::

    regions = dense_regions(trace, title)
    first = line_in(first_term(trace), regions.term)
"""

from typing import NamedTuple

from convprop.scenes.kit.formula import Formula, Num, plain
from convprop.scenes.kit.layout import Box, one_above_another, split_bottom, under
from convprop.scenes.kit.map_stages import POOL_RULE, relu_rule
from convprop.scenes.kit.numbers import exact_decimals
from convprop.scenes.kit.panels import NAME_GAP
from convprop.scenes.kit.style import GRADIENT, KERNEL, LABEL_SIZE, OUTPUT
from convprop.scenes.kit.vector_rows import NAME_GAP as ROW_NAME_GAP
from convprop.scenes.kit.vector_rows import VectorRows

ROWS_SHARE, MAPS_SHARE = 2.6, 3.2
ROWS_GAP = 0.35
TERM_GAP = 0.25  # between the rows and the first term worked out under them
RULE_GAP = 0.15
MAPS_GAP = 0.15  # between the rows and a layer's maps' names, once the first term has gone
ROW_NAMES = ("w", "dL/dF")
GRADIENT_CELL = 0.8  # the largest cell of a row or map of gradients


class DenseRegions(NamedTuple):
    """Where each part of the dense screen stands, split from the room under its title: the
    rows (less the room of their names on the left and a "…" on the right), the first term's
    band under them, the single map's stages, a layer's maps (which take the first term's room
    too, as it leaves before them) and the rule's band at the bottom."""
    rows: Box
    term: Box
    panels: Box
    maps: Box
    rule: Box


class Dense(NamedTuple):
    """What the dense beat leaves on screen for the next: the rows and the first term."""
    rows: VectorRows
    first_term: object


def dense_regions(trace, title) -> DenseRegions:
    """The room under ``title`` split for the dense screen, from the measured first term,
    rules, row names and maps' names."""
    said = [plain(POOL_RULE, font_size=LABEL_SIZE), relu_rule(trace)]
    rest, rule = split_bottom(under(title), max(line.height for line in said), gap=RULE_GAP)
    upper, panels = one_above_another(rest, (ROWS_SHARE, MAPS_SHARE), gap=ROWS_GAP)
    rows, term = split_bottom(upper, first_term(trace).height, gap=TERM_GAP)
    names = max(plain(name, font_size=LABEL_SIZE).width for name in ROW_NAMES) + 2 * ROW_NAME_GAP
    more = plain("…", font_size=LABEL_SIZE).width + 2 * ROW_NAME_GAP
    maps = Box(panels.left, panels.right, panels.bottom, rows.bottom - MAPS_GAP)
    return DenseRegions(rows.inset(left=names, right=more), term, panels, maps, rule)


def maps_name_room(trace) -> float:
    """The height a layer's map's name (a fraction) takes above its grid, measured."""
    return Formula(trace, ("(partial L) / (partial P_1)",), font_size=LABEL_SIZE).height + NAME_GAP


def first_term(trace):
    """dL/dF_j = dL/ds w_j, and its first term with its numbers (placed by the caller)."""
    return Formula(trace, ("(partial L) / (partial F_j) = (partial L) / (partial s) w_j quad",
                           "(partial L) / (partial F_1) =", Num(("dL_dlogit",), 3, color=GRADIENT), "dot",
                           Num(("values", "fc_weight", 0), trace.values.decimals["fc_weight"], paren=True,
                               color=KERNEL), "=",
                           Num(("dL_dfeatures", 0), 3, color=GRADIENT, label="first")), font_size=28)


def sigmoid_chain(trace) -> list:
    """The chain from L to s, one line a factor, and dL/ds = y_hat - y (placed by the caller)."""
    target = exact_decimals(trace.target)
    return [
        Formula(trace, ("(partial L) / (partial hat(y)) = - y / hat(y) + (1 - y) / (1 - hat(y)) =",
                        Num(("dL_dy_hat",), 3, color=GRADIENT), ", quad y =", Num(("target",), target),
                        ", quad hat(y) =", Num(("head", "y_hat"), 3, color=OUTPUT)), font_size=28),
        Formula(trace, ("(partial hat(y)) / (partial s) = hat(y) (1 - hat(y)) =",
                        Num(("dy_hat_dlogit",), 3, color=GRADIENT)), font_size=28),
        Formula(trace, ("(partial L) / (partial s) = (partial L) / (partial hat(y)) dot (partial hat(y)) / (partial s) =",
                        Num(("dL_dy_hat",), 3, paren=True), "dot", Num(("dy_hat_dlogit",), 3), "=",
                        Num(("dL_dlogit",), 3, color=GRADIENT, label="ds")), font_size=28),
        Formula(trace, ("\"which is simply\" quad hat(y) - y =", Num(("head", "y_hat"), 3, color=OUTPUT), "-",
                        Num(("target",), target), "=", Num(("dL_dlogit",), 3, color=GRADIENT)), font_size=28),
    ]
