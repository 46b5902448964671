"""The worked example's gradients, by the chain rule: for w5, one path back to the error, so a
product of three factors; for w1, whose change reaches the error through both outputs, so its
first factor is a sum of two routes, each delta_o times the weight from h1 to that output. Each
weight then takes its step, w* = w - alpha dE/dw.
"""

from manim import UP, Create, LaggedStart, SurroundingRectangle, VGroup

from convprop.scenes.kit.choreography import fly, lit_copies
from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, d
from convprop.scenes.kit.layout import Box
from convprop.scenes.kit.mlp_network import Network, net, out
from convprop.scenes.kit.style import FOCUS, GRADIENT, INPUT, KERNEL, OUTPUT, UPDATE
from convprop.scenes.kit.worked_lines import stack
from convprop.scenes.stories.mlp_worked_example_forward import D, FOCUS_BUFF, LINE_SIZE, ForwardByHand

ET = 'E_"total"'


class GradientsByHand(ForwardByHand):

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
        lines = stack([chain, *factors, product, step], board)
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
        stack([split, delta, *deltas, *routes, h1_sum], board)
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
        lines = stack([chain, *factors, product, step], board)
        moved = h1_sum.get_center()
        h1_sum.move_to(before)
        lit = self.focus_edges(network, [0], [])
        self.play(h1_sum.animate.move_to(moved), FadeIn(chain, shift=UP * 0.15), run_time=1.0)
        self.wait(1.0)
        self.play(LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in factors[1:]), lag_ratio=0.6), run_time=1.6)
        self.wait(1.0)
        self.conclude(factors, product, step, lines, lit)

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
        focus = SurroundingRectangle(step.term("new"), color=FOCUS, buff=FOCUS_BUFF)
        self.play(FadeIn(step, shift=UP * 0.15), run_time=1.0)
        self.play(Create(focus), run_time=0.5)
        self.wait(2.0)
        self.play(FadeOut(VGroup(*lines, focus)), FadeOut(lit), run_time=0.5)

    def focus_edges(self, network: Network, edges, nodes, colour=FOCUS) -> VGroup:
        """Light up the weights (and units) under discussion; returns the highlight, to fade later."""
        lit = VGroup(*lit_copies([network.edges[n] for n in edges], colour),
                     *lit_copies([network.nodes[u] for u in nodes], colour, z_index=None))
        self.play(Create(lit), run_time=0.6)
        return lit
