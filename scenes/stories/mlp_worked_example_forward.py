"""The worked example's forward pass, by hand: the network drawn with every weight on its edge,
then net and out unit by unit, layer by layer, each out flying to its unit; then the total error
E = sum of 1/2 (target - out)^2, kept under the network for the comparison at the end.

Every number is read from ``lesson.mlp``; computed values get ``D`` decimals, enough that the
textbook's numbers are recognisable; given values as few as show them exactly (``dec``).
"""

from functools import cached_property

import numpy as np
from manim import DOWN, UP, Create, LaggedStart, TransformFromCopy, VGroup

from convprop.scenes.kit.choreography import fly, lit_copies
from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.layout import Box, place
from convprop.scenes.kit.mlp_network import LABEL_GAP, Network, net, network_in, out, unit_value
from convprop.scenes.kit.numbers import exact_decimals
from convprop.scenes.kit.style import FOCUS, INPUT, KERNEL, OUTPUT
from convprop.scenes.kit.worked_lines import stack
from convprop.scenes.story import Story

D = 6  # decimals of every computed value
LINE_SIZE = 26  # the worked lines
FOCUS_BUFF = 0.06  # the outline around a result, which may be a line's last term: the board keeps it clear


class ForwardByHand(Story):

    @cached_property
    def dec(self) -> dict:
        """Decimals of each given vector: as few as show every entry exactly, one precision a vector."""
        v = self.trace.mlp.values
        return {name: max(exact_decimals(float(x)) for x in np.atleast_1d(getattr(v, name)))
                for name in ("inputs", "targets", "weights", "biases", "learning_rate")}

    @property
    def rate(self) -> Num:
        """The learning rate alpha, as given."""
        return Num(("mlp", "values", "learning_rate"), self.dec["learning_rate"])

    def draw_network(self, box: Box) -> Network:
        """Nodes, the eight weighted edges, the inputs, biases and targets, inside ``box``."""
        network, parts = network_in(self.trace, box, self.dec, self.kept_error().height)
        self.play(LaggedStart(FadeIn(parts.units), Create(VGroup(*network.edges)), FadeIn(network.edge_labels),
                              lag_ratio=0.3),
                  FadeIn(parts.inputs), FadeIn(parts.biases), FadeIn(parts.bias_note), FadeIn(parts.targets),
                  run_time=2.0)
        self.wait(1.5)
        return network

    def forward_layer(self, network: Network, layer: str, board: Box) -> dict:
        """net = the weighted sum plus the bias, out = sigmoid(net), for both units of a layer.

        Each unit's out flies to its node, where the next layer reads it. Returns the out value
        shown at each unit, by unit name.
        """
        hidden = layer == "hidden"
        prefix = "h" if hidden else "o"
        first = 0 if hidden else 4
        lines = []
        for k in range(2):
            unit = f"{prefix}{k + 1}"
            wa, wb = first + 2 * k, first + 2 * k + 1
            if hidden:
                ins = [Num(("mlp", "values", "inputs", j), self.dec["inputs"], paren=True, color=INPUT) for j in range(2)]
                names = ["i_1", "i_2"]
            else:
                ins = [Num(("mlp", "forward", "out_hidden", j), D, paren=True, color=OUTPUT) for j in range(2)]
                names = [out("h1"), out("h2")]
            bias = f"b_{1 if hidden else 2}"
            symbolic = self.formula(f"{net(unit)} = w_{wa + 1} {names[0]} + w_{wb + 1} {names[1]} + {bias}",
                                    font_size=LINE_SIZE)
            numbers = self.formula(
                "=", Num(("mlp", "values", "weights", wa), self.dec["weights"], color=KERNEL), "dot", ins[0], "+",
                Num(("mlp", "values", "weights", wb), self.dec["weights"], paren=True, color=KERNEL), "dot", ins[1], "+",
                Num(("mlp", "values", "biases", 0 if hidden else 1), self.dec["biases"], paren=True, color=KERNEL), "=",
                Num(("mlp", "forward", f"net_{layer}", k), D), font_size=LINE_SIZE)
            squash = self.formula(f"{out(unit)} = 1 / (1 + e^(-{net(unit)})) = sigma(",
                                  Num(("mlp", "forward", f"net_{layer}", k), D), ") =",
                                  Num(("mlp", "forward", f"out_{layer}", k), D, color=OUTPUT, label="out"),
                                  font_size=LINE_SIZE)
            lines.append((symbolic, numbers, squash))
        stack([line for unit in lines for line in unit], board, indent={1, 4})

        focus_edges, out_labels = [], {}
        for k, (symbolic, numbers, squash) in enumerate(lines):
            unit = f"{prefix}{k + 1}"
            first_edge = first + 2 * k
            edges = lit_copies(network.edges[first_edge:first_edge + 2], FOCUS, 4)
            ring = network.nodes[unit].copy().set_stroke(FOCUS, 5)
            value = unit_value(self.trace, "forward", unit, D)
            value.next_to(network.nodes[unit], UP if k == 0 else DOWN, buff=LABEL_GAP)
            out_labels[unit] = value
            fade_old = [FadeOut(m) for m in focus_edges]
            self.play(*fade_old, Create(edges), Create(ring),
                      LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in (symbolic, numbers, squash)), lag_ratio=0.5),
                      run_time=1.8)
            self.wait(1.2 if k == 0 else 0.6)
            self.play(TransformFromCopy(squash.term("out"), value), FadeOut(ring), run_time=0.8)
            focus_edges = [edges]
        self.wait(0.5)
        self.play(*(FadeOut(m) for m in focus_edges), *(FadeOut(m) for unit in lines for m in unit), run_time=0.5)
        return out_labels

    def total_error(self, network: Network, board: Box):
        """E_o = 1/2 (target - out)^2 for each output, then their sum, kept under the network.

        Returns the kept total, which the last beat compares with the error after the step.
        """
        rule = self.formula('E_"total" = sum_o 1/2 ("target"_o - "out"_o)^2', font_size=LINE_SIZE)
        per_output = []
        for k in range(2):
            per_output.append(self.formula(
                f"E_(o_{k + 1}) = 1/2 (", Num(("mlp", "values", "targets", k), self.dec["targets"]), "-",
                Num(("mlp", "forward", "out_output", k), D, paren=True, color=OUTPUT), ")^2 =",
                Num(("mlp", "forward", "errors", k), D, color=OUTPUT, label="e"), font_size=LINE_SIZE))
        total = self.formula('E_"total" =', Num(("mlp", "forward", "errors", 0), D, color=OUTPUT), "+",
                             Num(("mlp", "forward", "errors", 1), D, color=OUTPUT), "=",
                             Num(("mlp", "forward", "error_total"), D, color=FOCUS, label="total"), font_size=LINE_SIZE)
        stack([rule, *per_output, total], board, gap=0.45)
        self.play(FadeIn(rule, shift=UP * 0.15), run_time=0.8)
        self.play(LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in per_output), lag_ratio=0.4), run_time=1.4)
        self.wait(0.8)
        self.play(FadeIn(total, shift=UP * 0.15), run_time=0.8)
        self.wait(1.0)
        kept_error = place(self.kept_error(), network.error_room)
        self.play(*fly([(total.term("total"), kept_error.term("n0"))]), FadeIn(kept_error), run_time=0.9)
        self.play(FadeOut(VGroup(rule, *per_output, total)), run_time=0.4)
        return kept_error

    def kept_error(self):
        """E_total = its value: the total error as it stays under the network."""
        return self.formula('E_"total" =', Num(("mlp", "forward", "error_total"), D, color=OUTPUT), font_size=LINE_SIZE)
