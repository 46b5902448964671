"""The classic worked example of backpropagation, by hand, in a 2-2-2 network.

Two inputs, two hidden units and two outputs, sigmoid on every unit past the inputs, and the
error E = sum of 1/2 (target - out)^2. The network stays drawn on the left, every edge labelled
with its weight, so that a student can always see which path a number travels; the right half
works the arithmetic. First the forward pass (net, then out, unit by unit), then the total
error, then the chain rule for w5 (one path back to the error) and for w1, whose change reaches
the error through both outputs, so its gradient is a sum of two routes. Last, all eight weights
take their step and the forward pass is run again (by mathcore) to show the error after it.

Every number is read from ``lesson.mlp`` (mathcore/mlp.py): the scene only chooses how many
decimals to show. Computed values get six, enough that the textbook's numbers are recognisable;
given values (inputs, weights, biases, targets, the learning rate) as few as show them exactly.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from manim import (
    DOWN, LEFT, RIGHT, UP, BackgroundRectangle, Circle, Create, FadeIn, FadeOut, LaggedStart, Line,
    SurroundingRectangle, TransformFromCopy, VGroup,
)

from convprop.mathcore import verdicts
from convprop.scenes.kit.choreography import fly, lit_copies
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.layout import Box, one_above_another, place, shrink_to_width, side_by_side, split_bottom, under
from convprop.scenes.kit.numbers import NumberLabel, exact_decimals
from convprop.scenes.kit.style import (
    BODY_SIZE, FOCUS, GRADIENT, INPUT, KERNEL, MUTED, OUTPUT, TEXT, UPDATE, background_colour,
)
from convprop.scenes.kit.verdict import Verdict
from convprop.scenes.story import Story, StoryScene

# The stage under the title is split in two halves: the network at the left, the worked
# arithmetic (the board) at the right.
HALVES_GAP = 0.2
NODE_RADIUS = 0.32
LABEL_GAP = 0.15  # between a unit and the value written above or below it, or its target beside it
NOTE_GAP = 0.15  # between the biases and the note under them
ERROR_GAP = 0.3  # between the note and the total error kept at the bottom
SMALL = 22  # labels on the network: their numbers stay legible at 480p
LINE_SIZE = 26  # the worked lines
LINE_GAP = 0.3
MAX_EDGE_LABEL = 1.55  # between two nodes of neighbouring columns
DIAGONAL_AT = 0.3  # a crossing edge's label sits this far along it, clear of the crossing

D = 6  # decimals of every computed value
ET = 'E_"total"'
ERROR_VERDICT = Verdict({
    verdicts.DOWN: ("Run forward again with the new weights: the total error went down; the outputs moved towards "
                    "their targets.", "the error went down: the outputs moved towards their targets"),
    verdicts.SAME: ("Run forward again with the new weights: the error did not change at this precision; the step "
                    "was too small.", "no change at this precision: the step was too small"),
    verdicts.SATURATED: ("Run forward again with the new weights: nothing changed. The outputs are saturated, where "
                         "the sigmoid is flat, so no gradient passed back.",
                         "no change: the saturated outputs let no gradient back"),
    verdicts.UP: ("Run forward again with the new weights: the error went up; the step was too large.",
                  "the error went up: the learning rate is too large"),
})


def sub(unit: str) -> str:
    """'h1' -> 'h_1', the Typst subscript of a unit's name; 'o' (any output) stays 'o'."""
    return f"{unit[0]}_{unit[1:]}" if unit[1:] else unit


def out(unit: str) -> str:
    return f'"out"_({sub(unit)})'


def net(unit: str) -> str:
    return f'"net"_({sub(unit)})'


def d(top: str, bottom: str) -> str:
    """The Typst fraction of a partial derivative."""
    return f"(partial {top}) / (partial {bottom})"


@dataclass(frozen=True)
class Network:
    """The network as drawn: its units' circles by name, its eight edges (w1..w8) and their
    labels, and the room under it where the total error stays once computed."""
    nodes: dict
    edges: list
    edge_labels: VGroup
    error_room: Box


class MlpWorkedExampleStory(Story):
    name = "mlp-worked-example"
    summary = "The classic 2-2-2 worked example: forward pass, total error, the chain rule for w5 and w1, all eight updates, the error after"
    draws_input = False  # its numbers are its own network's, whatever the CNN's input

    def tell(self):
        with self.beat("A small network worked by hand: two inputs, two hidden units, two outputs, "
                       "a sigmoid on every unit, one bias per layer."):
            title = self.show_title("Backpropagation worked by hand")
            left, board = side_by_side(under(title), (1, 1), gap=HALVES_GAP)
            network = self.draw_network(left)
        with self.beat("Forward through the hidden layer: each unit sums its weighted inputs and the bias, then squashes the sum."):
            outs = self.forward_layer(network, "hidden", board)
        with self.beat("The output layer does the same with the hidden outputs."):
            outs |= self.forward_layer(network, "output", board)
        with self.beat("The error: half the squared distance from each output to its target, summed."):
            kept_error = self.total_error(network, board)
        with self.beat("The weight w_5 reaches the error along one path, so its gradient is a product of three factors."):
            self.chain_rule_w5(network, board)
        with self.beat("The weight w_1 sits deeper: a change in h_1 reaches the error through both outputs."):
            h1_sum = self.error_reaching_h1(network, board)
        with self.beat("The chain rule for w_1, with the sum of both routes as its first factor."):
            self.chain_rule_w1(network, board, h1_sum)
        with self.beat("Every weight takes its step against its own gradient; the biases stay as they are."):
            self.all_updates(network, board)
        with self.beat(ERROR_VERDICT.caption(self.outcome())):
            self.error_after(outs, kept_error, board)
        self.wait(1.5)

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

    # -- beats ---------------------------------------------------------------------------------

    def draw_network(self, box: Box) -> Network:
        """Nodes, the eight weighted edges, the inputs, biases and targets, inside ``box``.

        From the bottom up: the room of the total error, the biases with their note, then two
        equal rows of units, in three columns spread across what the targets leave at the right.
        """
        v = self.trace.mlp.values
        targets = VGroup(*(self.formula('"target" =', Num(("mlp", "values", "targets", k), self.dec["targets"]),
                                        font_size=SMALL) for k in range(2)))
        biases = VGroup(*(self.formula(f"b_{k + 1} =", Num(("mlp", "values", "biases", k), self.dec["biases"],
                                                           color=KERNEL), font_size=SMALL) for k in range(2)))
        bias_note = plain("one bias per layer, shared", font_size=SMALL, color=MUTED)
        rest, error_band = split_bottom(box, self.kept_error().height, gap=ERROR_GAP)
        # each row of units centred in half the room above the biases: the values under the lower
        # units stand as far above the biases as those over the upper units stand under the title
        units, bias_band = split_bottom(rest, biases.height + NOTE_GAP + bias_note.height)
        column_x = np.linspace(box.left + NODE_RADIUS, box.right - targets.width - LABEL_GAP - NODE_RADIUS, 3)
        row_y = [row.center[1] for row in one_above_another(units, (1, 1))]
        circles = {}
        nodes = VGroup()
        for layer, (prefix, colour) in enumerate((("i", INPUT), ("h", OUTPUT), ("o", OUTPUT))):
            for k, y in enumerate(row_y):
                name = f"{prefix}{k + 1}"
                circle = Circle(NODE_RADIUS, color=colour, stroke_width=3).move_to([column_x[layer], y, 0])
                label = self.formula(sub(name), font_size=24).move_to(circle).set_z_index(2)
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
            label = self.formula(f"w_{n + 1} =", Num(("mlp", "values", "weights", n), self.dec["weights"], color=KERNEL),
                                 font_size=SMALL)
            edge_labels.add(self.on_edge(label, edge, at))

        inputs = VGroup()
        for k in range(2):
            value = NumberLabel(v.inputs[k], self.dec["inputs"], source=("mlp", "values", "inputs", k),
                                font_size=SMALL, color=INPUT)
            inputs.add(value.next_to(circles[f"i{k + 1}"], UP if k == 0 else DOWN, buff=LABEL_GAP))
        for k, bias in enumerate(biases):  # under the layer each feeds
            place(bias, bias_band, UP).set_x(column_x[k + 1])
        place(bias_note, bias_band, DOWN).set_x((column_x[1] + column_x[2]) / 2)
        for k, target in enumerate(targets):
            target.next_to(circles[f"o{k + 1}"], RIGHT, buff=LABEL_GAP)
        self.play(LaggedStart(FadeIn(nodes), Create(VGroup(*edges)), FadeIn(edge_labels), lag_ratio=0.3),
                  FadeIn(inputs), FadeIn(biases), FadeIn(bias_note), FadeIn(targets), run_time=2.0)
        self.wait(1.5)
        return Network(circles, edges, edge_labels, Box(column_x[0], column_x[2], error_band.bottom, error_band.top))

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
        self.stack([line for unit in lines for line in unit], board, indent={1, 4})

        focus_edges, out_labels = [], {}
        for k, (symbolic, numbers, squash) in enumerate(lines):
            unit = f"{prefix}{k + 1}"
            first_edge = first + 2 * k
            edges = lit_copies(network.edges[first_edge:first_edge + 2], FOCUS, 4)
            ring = network.nodes[unit].copy().set_stroke(FOCUS, 5)
            value = NumberLabel(getattr(self.trace.mlp.forward, f"out_{layer}")[k], D,
                                source=("mlp", "forward", f"out_{layer}", k), font_size=SMALL, color=OUTPUT)
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
        self.stack([rule, *per_output, total], board, gap=0.45)
        self.play(FadeIn(rule, shift=UP * 0.15), run_time=0.8)
        self.play(LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in per_output), lag_ratio=0.4), run_time=1.4)
        self.wait(0.8)
        self.play(FadeIn(total, shift=UP * 0.15), run_time=0.8)
        self.wait(1.0)
        kept_error = place(self.kept_error(), network.error_room)
        self.play(*fly([(total.term("total"), kept_error.term("n0"))]), FadeIn(kept_error), run_time=0.9)
        self.play(FadeOut(VGroup(rule, *per_output, total)), run_time=0.4)
        return kept_error

    def chain_rule_w5(self, network: Network, board: Box):
        """dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5, each factor worked, then w5*."""
        chain = self.formula(
            f"(partial {ET}) / (partial w_5) = {d(ET, out('o1'))} dot {d(out('o1'), net('o1'))} dot {d(net('o1'), 'w_5')}",
            font_size=LINE_SIZE)
        factors = [
            self.formula(f"{d(ET, out('o1'))} = {out('o1')} - \"target\"_(o_1) =",
                         Num(("mlp", "forward", "out_output", 0), D, color=OUTPUT), "-",
                         Num(("mlp", "values", "targets", 0), self.dec["targets"], paren=True), "=",
                         Num(("mlp", "upstream", 4), D, color=GRADIENT, label="f"), font_size=LINE_SIZE),
            self.formula(f"{d(out('o1'), net('o1'))} = {out('o1')} (1 - {out('o1')}) =",
                         Num(("mlp", "local", 4), D, color=GRADIENT, label="f"), font_size=LINE_SIZE),
            self.formula(f"{d(net('o1'), 'w_5')} = {out('h1')} =",
                         Num(("mlp", "dnet_dw", 4), D, color=OUTPUT, label="f"), font_size=LINE_SIZE),
        ]
        product, step = self.product_and_step(4)
        lines = self.stack([chain, *factors, product, step], board)
        lit = self.focus_edges(network, [4], [])
        self.play(FadeIn(chain, shift=UP * 0.15), run_time=1.0)
        self.wait(1.0)
        self.play(LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in factors), lag_ratio=0.6), run_time=2.4)
        self.wait(1.2)
        self.conclude(factors, product, step, lines, lit)

    def error_reaching_h1(self, network: Network, board: Box):
        """dE/dout_h1 = dE_o1/dout_h1 + dE_o2/dout_h1, each route delta_o * w(h1 -> o).

        Returns the sum's line, which stays on screen as the first factor of the chain for w1.
        """
        split = self.formula(f"{d(ET, out('h1'))} = {d('E_(o_1)', out('h1'))} + {d('E_(o_2)', out('h1'))}",
                             font_size=LINE_SIZE)
        delta = self.formula(f"delta_o = {d(ET, net('o'))} = {d(ET, out('o'))} dot {d(out('o'), net('o'))}",
                             font_size=LINE_SIZE)
        deltas = [
            self.formula(f"delta_(o_{k + 1}) =", Num(("mlp", "dE_dout_output", k), D, paren=True, color=GRADIENT), "dot",
                         Num(("mlp", "dout_dnet_output", k), D, color=GRADIENT), "=",
                         Num(("mlp", "delta_output", k), D, color=GRADIENT), font_size=LINE_SIZE)
            for k in range(2)]
        routes = [
            self.formula(f"{d(f'E_(o_{k + 1})', out('h1'))} = delta_(o_{k + 1}) w_{w + 1} =",
                         Num(("mlp", "delta_output", k), D, paren=True, color=GRADIENT), "dot",
                         Num(("mlp", "values", "weights", w), self.dec["weights"], paren=True, color=KERNEL), "=",
                         Num(("mlp", "dE_dout_hidden_terms", (0, k)), D, color=GRADIENT, label="term"),
                         font_size=LINE_SIZE)
            for k, w in ((0, 4), (1, 6))]
        h1_sum = self.formula(f"{d(ET, out('h1'))} =",
                              Num(("mlp", "dE_dout_hidden_terms", (0, 0)), D, color=GRADIENT), "+",
                              Num(("mlp", "dE_dout_hidden_terms", (0, 1)), D, paren=True, color=GRADIENT), "=",
                              Num(("mlp", "dE_dout_hidden", 0), D, color=GRADIENT, label="f"), font_size=LINE_SIZE)
        self.stack([split, delta, *deltas, *routes, h1_sum], board)
        # both routes back from the error to h1: through o1 (w5) and through o2 (w7)
        routes_lit = self.focus_edges(network, [4, 6], ["o1", "o2"], colour=GRADIENT)
        self.play(FadeIn(split, shift=UP * 0.15), run_time=1.0)
        self.wait(1.0)
        self.play(LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in (delta, *deltas)), lag_ratio=0.5), run_time=1.8)
        self.wait(1.0)
        self.play(LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in routes), lag_ratio=0.5), run_time=1.4)
        self.wait(1.0)
        self.play(*fly([(r.term("term"), h1_sum.term(f"n{k}")) for k, r in enumerate(routes)]), FadeIn(h1_sum),
                  run_time=1.0)
        self.wait(1.5)
        self.play(FadeOut(VGroup(split, delta, *deltas, *routes)), FadeOut(routes_lit), run_time=0.5)
        return h1_sum

    def chain_rule_w1(self, network: Network, board: Box, h1_sum):
        """dE/dw1 = dE/dout_h1 * dout_h1/dnet_h1 * dnet_h1/dw1, the first factor the sum just found."""
        chain = self.formula(
            f"(partial {ET}) / (partial w_1) = {d(ET, out('h1'))} dot {d(out('h1'), net('h1'))} dot {d(net('h1'), 'w_1')}",
            font_size=LINE_SIZE)
        factors = [
            h1_sum,
            self.formula(f"{d(out('h1'), net('h1'))} = {out('h1')} (1 - {out('h1')}) =",
                         Num(("mlp", "local", 0), D, color=GRADIENT, label="f"), font_size=LINE_SIZE),
            self.formula(f"{d(net('h1'), 'w_1')} = i_1 =",
                         Num(("mlp", "dnet_dw", 0), self.dec["inputs"], color=INPUT, label="f"), font_size=LINE_SIZE),
        ]
        product, step = self.product_and_step(0)
        before = h1_sum.get_center()
        lines = self.stack([chain, *factors, product, step], board)
        moved = h1_sum.get_center()
        h1_sum.move_to(before)
        lit = self.focus_edges(network, [0], [])
        self.play(h1_sum.animate.move_to(moved), FadeIn(chain, shift=UP * 0.15), run_time=1.0)
        self.wait(1.0)
        self.play(LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in factors[1:]), lag_ratio=0.6), run_time=1.6)
        self.wait(1.0)
        self.conclude(factors, product, step, lines, lit)

    def all_updates(self, network: Network, board: Box):
        """w* = w - alpha dE/dw for all eight weights, one line each."""
        rule = self.formula(f"w^* = w - alpha (partial {ET}) / (partial w), quad alpha =", self.rate,
                            font_size=LINE_SIZE)
        lines = [self.formula(
            f"w^*_{n + 1} =", Num(("mlp", "values", "weights", n), self.dec["weights"], color=KERNEL), "-", self.rate, "dot",
            Num(("mlp", "gradients", n), D, paren=True, color=GRADIENT), "=",
            Num(("mlp", "weights_updated", n), D, color=UPDATE), font_size=LINE_SIZE - 2) for n in range(8)]
        self.stack([rule, *lines], board, gap=0.18, indent=set(range(1, 9)))
        lit = lit_copies(network.edges, UPDATE, 4)
        self.play(FadeIn(rule, shift=UP * 0.15), run_time=0.8)
        self.play(LaggedStart(*(FadeIn(m, shift=RIGHT * 0.15) for m in lines), lag_ratio=0.25), Create(lit), run_time=2.4)
        self.wait(1.5)
        # the network now carries the new weights, as the next forward pass will use them
        new_labels = VGroup()
        for n, (edge, old) in enumerate(zip(network.edges, network.edge_labels)):
            label = self.formula(f"w^*_{n + 1} =", Num(("mlp", "weights_updated", n), D, color=UPDATE), font_size=SMALL)
            new_labels.add(self.on_edge(label, edge, old[1].get_center()))
        self.play(*fly([(line.term("n3"), new[1].term("n0")) for line, new in zip(lines, new_labels)]),
                  *(FadeOut(old) for old in network.edge_labels), FadeIn(new_labels), run_time=1.4)
        self.wait(1.5)
        self.play(FadeOut(VGroup(rule, *lines)), FadeOut(lit), run_time=0.5)

    def error_after(self, out_labels: dict, kept_error, board: Box):
        """The forward pass again with the new weights, by mathcore, and the error before and after.

        ``out_labels`` are the out values shown at the units, ``kept_error`` the total error
        kept under the network; both give way to the new forward pass's.
        """
        again = plain("forward again with the new weights, biases unchanged", font_size=BODY_SIZE, color=TEXT)
        outs = [self.formula(f"{out(f'o{k + 1}')}^* =", Num(("mlp", "forward_after", "out_output", k), D, color=OUTPUT),
                             ", quad \"target\" =", Num(("mlp", "values", "targets", k), self.dec["targets"]),
                             font_size=LINE_SIZE) for k in range(2)]
        compare = self.formula('E_"total" =', Num(("mlp", "forward", "error_total"), D, color=OUTPUT),
                               'quad -> quad E^*_"total" =',
                               Num(("mlp", "forward_after", "error_total"), D, color=OUTPUT, label="after"),
                               font_size=LINE_SIZE + 2)
        verdict = ERROR_VERDICT.line(self.outcome(), BODY_SIZE - 4)
        self.stack([again, *outs, compare, verdict], board, gap=0.5)
        self.play(FadeIn(again, shift=UP * 0.15), run_time=0.7)
        # the out values at the units are replaced by those of the new forward pass
        new_outs = {}
        for unit, old in out_labels.items():
            layer = "hidden" if unit[0] == "h" else "output"
            k = int(unit[1:]) - 1
            new_outs[unit] = NumberLabel(getattr(self.trace.mlp.forward_after, f"out_{layer}")[k], D,
                                         source=("mlp", "forward_after", f"out_{layer}", k), font_size=SMALL,
                                         color=OUTPUT).move_to(old)
        self.play(*(FadeOut(old) for old in out_labels.values()), *(FadeIn(m) for m in new_outs.values()),
                  run_time=0.8)
        self.play(LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in outs), lag_ratio=0.4), run_time=1.2)
        self.wait(0.6)
        self.play(*fly([(kept_error.term("n0"), compare.term("n0"))]), FadeIn(compare), run_time=1.0)
        focus = SurroundingRectangle(compare.term("after"), color=FOCUS, buff=0.06)
        self.play(Create(focus), FadeIn(verdict, shift=UP * 0.15), run_time=1.0)
        self.wait(2.5)

    # -- the verdict: mathcore compares the two errors at the decimals shown ---------------------

    def kept_error(self):
        """E_total = its value: the total error as it stays under the network."""
        return self.formula('E_"total" =', Num(("mlp", "forward", "error_total"), D, color=OUTPUT), font_size=LINE_SIZE)

    def outcome(self) -> str:
        t = self.trace.mlp
        return verdicts.error_change(t.forward.error_total, t.forward_after.error_total, t.dout_dnet_output, D)

    # -- helpers ---------------------------------------------------------------------------------

    def product_and_step(self, n: int):
        """The product of weight n's three factors, and its gradient step."""
        name = f"w_{n + 1}"
        given = n < 4  # a hidden weight multiplies an input, a given value
        product = self.formula(
            f"(partial {ET}) / (partial {name}) =",
            Num(("mlp", "upstream", n), D, paren=True, color=GRADIENT), "dot",
            Num(("mlp", "local", n), D, color=GRADIENT), "dot",
            Num(("mlp", "dnet_dw", n), self.dec["inputs"] if given else D, paren=True, color=INPUT if given else OUTPUT), "=",
            Num(("mlp", "gradients", n), D, color=GRADIENT, label="grad"), font_size=LINE_SIZE)
        step = self.formula(
            f"{name}^* = {name} - alpha (partial {ET}) / (partial {name}) =",
            Num(("mlp", "values", "weights", n), self.dec["weights"], color=KERNEL), "-", self.rate, "dot",
            Num(("mlp", "gradients", n), D, paren=True, color=GRADIENT), "=",
            Num(("mlp", "weights_updated", n), D, color=UPDATE, label="new"), font_size=LINE_SIZE)
        return product, step

    def conclude(self, factors, product, step, lines, lit):
        """The three factors fly into their product, the step follows, then the panel's ``lines``
        and the ``lit`` edges clear."""
        self.play(*fly([(f.term("f"), product.term(f"n{i}")) for i, f in enumerate(factors)]), FadeIn(product),
                  run_time=1.2)
        self.wait(1.0)
        focus = SurroundingRectangle(step.term("new"), color=FOCUS, buff=0.06)
        self.play(FadeIn(step, shift=UP * 0.15), run_time=1.0)
        self.play(Create(focus), run_time=0.5)
        self.wait(2.0)
        self.play(FadeOut(VGroup(*lines, focus)), FadeOut(lit), run_time=0.5)

    @staticmethod
    def on_edge(label, edge, at):
        """A weight's label on its edge, over a patch of background, above any highlighted edge.

        ``at`` is a proportion along the edge or a point. The label is kept narrow enough to sit
        between the nodes, however wide its number.
        """
        shrink_to_width(label, MAX_EDGE_LABEL)
        label.focus = False  # the network is the overview; the worked lines carry the numbers discussed
        label.move_to(edge.point_from_proportion(at) if np.isscalar(at) else at)
        return VGroup(BackgroundRectangle(label, color=background_colour(), buff=0.05, fill_opacity=1.0), label).set_z_index(2)

    def focus_edges(self, network: Network, edges, nodes, colour=FOCUS) -> VGroup:
        """Light up the weights (and units) under discussion; returns the highlight, to fade later."""
        lit = VGroup(*lit_copies([network.edges[n] for n in edges], colour),
                     *lit_copies([network.nodes[u] for u in nodes], colour, z_index=None))
        self.play(Create(lit), run_time=0.6)
        return lit

    def stack(self, lines, board: Box, gap: float = LINE_GAP, indent=frozenset()):
        """Place the worked lines top-down on the ``board``, left-aligned, shrunk to fit if they must."""
        indent_by = 0.5
        for i, line in enumerate(lines):
            room = board.width - (indent_by if i in indent else 0)
            shrink_to_width(line, room)
        group = VGroup(*lines).arrange(DOWN, buff=gap, aligned_edge=LEFT)
        if group.height > board.height:
            group.scale_to_fit_height(board.height)
        place(group, board, UP + LEFT)
        for i, line in enumerate(lines):
            if i in indent:
                line.shift(RIGHT * indent_by)
        return group


class MlpWorkedExampleScene(StoryScene):
    story = MlpWorkedExampleStory
