"""The 2-2-2 network of the worked example, as drawn: two inputs, two hidden units and two
outputs in three columns, every edge labelled with its weight (w1: i1->h1, w2: i2->h1, w3:
i1->h2, w4: i2->h2, then w5..w8 likewise from h to o), the inputs' values by their units, the
biases under the layers they feed and the targets beside the outputs. Under it all, room for
the total error, which stays there once computed.

Also the Typst names the worked lines use: ``sub("h1")`` is h_1, ``out``/``net`` a unit's
output and net input.

Example::

    network, parts = network_in(trace, box, decimals, error_height=0.5)
    label = on_edge(Formula(trace, ["w_1 ="]), network.edges[0], 0.5)
"""

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from manim import DOWN, RIGHT, UP, BackgroundRectangle, Circle, Line, VGroup

from convprop.scenes.kit.formula import Formula, Num, plain
from convprop.scenes.kit.layout import Box, one_above_another, place, shrink_to_width, split_bottom
from convprop.scenes.kit.numbers import NumberLabel
from convprop.scenes.kit.style import INPUT, KERNEL, MUTED, OUTPUT, background_colour

NODE_RADIUS = 0.32
LABEL_GAP = 0.15  # between a unit and the value written above or below it, or its target beside it
NOTE_GAP = 0.15  # between the biases and the note under them
ERROR_GAP = 0.3  # between the note and the total error kept at the bottom
SMALL = 22  # labels on the network: their numbers stay legible at 480p
MAX_EDGE_LABEL = 1.55  # between two nodes of neighbouring columns
DIAGONAL_AT = 0.3  # a crossing edge's label sits this far along it, clear of the crossing


def sub(unit: str) -> str:
    """'h1' -> 'h_1', the Typst subscript of a unit's name; 'o' (any output) stays 'o'."""
    return f"{unit[0]}_{unit[1:]}" if unit[1:] else unit


def out(unit: str) -> str:
    return f'"out"_({sub(unit)})'


def net(unit: str) -> str:
    return f'"net"_({sub(unit)})'


@dataclass(frozen=True)
class Network:
    """The network as drawn: its units' circles by name, its eight edges (w1..w8) and their
    labels, and the room under it where the total error stays once computed."""
    nodes: dict
    edges: list
    edge_labels: VGroup
    error_room: Box


class NetworkParts(NamedTuple):
    """What else the network shows, to bring on: the units with their names, the inputs'
    values, the biases, the note under them and the targets."""
    units: VGroup
    inputs: VGroup
    biases: VGroup
    bias_note: object
    targets: VGroup


def network_in(trace, box: Box, dec: dict, error_height: float) -> tuple[Network, NetworkParts]:
    """Nodes, the eight weighted edges, the inputs, biases and targets, inside ``box``, the given
    values written with the decimals ``dec`` names for each.

    From the bottom up: the room of the total error (``error_height`` tall), the biases with
    their note, then two equal rows of units, in three columns spread across what the targets
    leave at the right.
    """
    v = trace.mlp.values
    targets = VGroup(*(Formula(trace, ('"target" =', Num(("mlp", "values", "targets", k), dec["targets"])),
                               font_size=SMALL) for k in range(2)))
    biases = VGroup(*(Formula(trace, (f"b_{k + 1} =", Num(("mlp", "values", "biases", k), dec["biases"],
                                                          color=KERNEL)), font_size=SMALL) for k in range(2)))
    bias_note = plain("one bias per layer, shared", font_size=SMALL, color=MUTED)
    rest, error_band = split_bottom(box, error_height, gap=ERROR_GAP)
    # each row of units centred in half the room above the biases: the values under the lower
    # units stand as far above the biases as those over the upper units stand under the title
    units, bias_band = split_bottom(rest, biases.height + NOTE_GAP + bias_note.height)
    inputs = VGroup(*(NumberLabel(v.inputs[k], dec["inputs"], source=("mlp", "values", "inputs", k), font_size=SMALL,
                                  color=INPUT) for k in range(2)))
    # the inputs' values stand centred over and under their units: the first column keeps them in the box
    first = max(NODE_RADIUS, max(value.width for value in inputs) / 2)
    column_x = np.linspace(box.left + first, box.right - targets.width - LABEL_GAP - NODE_RADIUS, 3)
    row_y = [row.center[1] for row in one_above_another(units, (1, 1))]
    circles = {}
    nodes = VGroup()
    for layer, (prefix, colour) in enumerate((("i", INPUT), ("h", OUTPUT), ("o", OUTPUT))):
        for k, y in enumerate(row_y):
            name = f"{prefix}{k + 1}"
            circle = Circle(NODE_RADIUS, color=colour, stroke_width=3).move_to([column_x[layer], y, 0])
            label = Formula(trace, (sub(name),), font_size=24).move_to(circle).set_z_index(2)
            circles[name] = circle
            nodes.add(circle, label)

    # w1: i1->h1, w2: i2->h1, w3: i1->h2, w4: i2->h2, then w5..w8 likewise from h to o
    edges, edge_labels = [], VGroup()
    for n in range(8):
        below, above = ("i", "h") if n < 4 else ("h", "o")
        fed, feeding = (n % 4) // 2 + 1, n % 2 + 1
        start, end = circles[f"{below}{feeding}"], circles[f"{above}{fed}"]
        edge = Line(start.get_center(), end.get_center(), buff=NODE_RADIUS, color=MUTED, stroke_width=2.5)
        edges.append(edge)
        at = 0.5 if fed == feeding else DIAGONAL_AT
        label = Formula(trace, (f"w_{n + 1} =", Num(("mlp", "values", "weights", n), dec["weights"], color=KERNEL)),
                        font_size=SMALL)
        edge_labels.add(on_edge(label, edge, at))

    for k, value in enumerate(inputs):
        value.next_to(circles[f"i{k + 1}"], UP if k == 0 else DOWN, buff=LABEL_GAP)
    for k, bias in enumerate(biases):  # under the layer each feeds
        place(bias, bias_band, UP).set_x(column_x[k + 1])
    place(bias_note, bias_band, DOWN).set_x((column_x[1] + column_x[2]) / 2)
    for k, target in enumerate(targets):
        target.next_to(circles[f"o{k + 1}"], RIGHT, buff=LABEL_GAP)
    network = Network(circles, edges, edge_labels, Box(column_x[0], column_x[2], error_band.bottom, error_band.top))
    return network, NetworkParts(nodes, inputs, biases, bias_note, targets)


def on_edge(label, edge, at):
    """A weight's label on its edge, over a patch of background, above any highlighted edge.

    ``at`` is a proportion along the edge or a point. The label is kept narrow enough to sit
    between the nodes, however wide its number.
    """
    shrink_to_width(label, MAX_EDGE_LABEL)
    label.focus = False  # the network is the overview; the worked lines carry the numbers discussed
    label.move_to(edge.point_from_proportion(at) if np.isscalar(at) else at)
    return VGroup(BackgroundRectangle(label, color=background_colour(), buff=0.05, fill_opacity=1.0), label).set_z_index(2)


def unit_value(trace, forward: str, unit: str, decimals: int) -> NumberLabel:
    """The out value of ``unit`` in the forward pass ``forward`` ("forward", or "forward_after"
    the step), written small as it stands by its unit."""
    layer = "hidden" if unit[0] == "h" else "output"
    k = int(unit[1:]) - 1
    return NumberLabel(getattr(getattr(trace.mlp, forward), f"out_{layer}")[k], decimals,
                       source=("mlp", forward, f"out_{layer}", k), font_size=SMALL, color=OUTPUT)
