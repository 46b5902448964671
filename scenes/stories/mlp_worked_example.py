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

The forward pass and the total error are ``mlp_worked_example_forward``'s beats, the chain rule
for w5 and w1 ``mlp_worked_example_gradients``'s; the network is drawn by ``kit.mlp_network``.
"""

from manim import RIGHT, UP, Create, LaggedStart, SurroundingRectangle, VGroup

from convprop.mathcore import verdicts
from convprop.scenes.kit.choreography import fly, lit_copies
from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.layout import Box, side_by_side, under
from convprop.scenes.kit.mlp_network import SMALL, Network, on_edge, out, unit_value
from convprop.scenes.kit.style import BODY_SIZE, FOCUS, GRADIENT, KERNEL, OUTPUT, TEXT, UPDATE
from convprop.scenes.kit.verdict import Verdict
from convprop.scenes.kit.worked_lines import stack
from convprop.scenes.stories.mlp_worked_example_forward import D, FOCUS_BUFF, LINE_SIZE
from convprop.scenes.stories.mlp_worked_example_gradients import ET, GradientsByHand
from convprop.scenes.narration import say
from convprop.scenes.story import StoryScene

HALVES_GAP = 0.2  # the stage under the title: the network at the left, the worked arithmetic (the board) at the right
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


class MlpWorkedExampleStory(GradientsByHand):
    name = "mlp-worked-example"
    summary = "The classic 2-2-2 worked example: forward pass, total error, the chain rule for w5 and w1, all eight updates, the error after"
    draws_input = False  # its numbers are its own network's, whatever the CNN's input

    def tell(self):
        with self.beat("A small network worked by hand: two inputs, two hidden units, two outputs, "
                       "a sigmoid on every unit, one bias per layer.", self.network_narration()):
            title = self.show_title("Backpropagation worked by hand")
            left, board = side_by_side(under(title), (1, 1), gap=HALVES_GAP)
            board = board.inset(right=FOCUS_BUFF)  # a result's outline, round a line's last term, stays on the stage
            network = self.draw_network(left)
        with self.beat("Forward through the hidden layer: each unit sums its weighted inputs and the bias, then squashes the sum.",
                       self.layer_narration("hidden")):
            outs = self.forward_layer(network, "hidden", board)
        with self.beat("The output layer does the same with the hidden outputs.", self.layer_narration("output")):
            outs |= self.forward_layer(network, "output", board)
        with self.beat("The error: half the squared distance from each output to its target, summed.",
                       self.error_narration()):
            kept_error = self.total_error(network, board)
        with self.beat("The weight w₅ reaches the error along one path, so its gradient is a product of three factors.",
                       self.w5_narration()):
            self.chain_rule_w5(network, board)
        with self.beat("The weight w₁ sits deeper: a change in h₁ reaches the error through both outputs.",
                       self.routes_narration()):
            h1_sum = self.error_reaching_h1(network, board)
        with self.beat("The chain rule for w₁, with the sum of both routes as its first factor.", self.w1_narration()):
            self.chain_rule_w1(network, board, h1_sum)
        with self.beat("Every weight takes its step against its own gradient; the biases stay as they are.",
                       self.updates_narration()):
            self.all_updates(network, board)
        with self.beat(ERROR_VERDICT.caption(self.outcome()), self.after_narration()):
            self.error_after(outs, kept_error, board)
        self.wait(1.5)

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ----------

    def network_narration(self):
        given = ("mlp", "values")
        return say("Now the classic example of backpropagation, worked by hand: a small network with two inputs, "
                   "two hidden units h₁ and h₂, and two outputs o₁ and o₂. Every unit past the inputs has a sigmoid, "
                   "and each layer has one bias. The inputs are {i1} and {i2}, the targets {t1} and {t2}, and every "
                   "weight is written on its edge.",
                   i1=Num(given + ("inputs", 0), self.dec["inputs"]), i2=Num(given + ("inputs", 1), self.dec["inputs"]),
                   t1=Num(given + ("targets", 0), self.dec["targets"]),
                   t2=Num(given + ("targets", 1), self.dec["targets"]))

    def layer_narration(self, layer: str):
        """Both units of a layer: the net input, then the sigmoid's output, from the lines on the board."""
        forward = ("mlp", "forward")
        values = {f"{kind}{k + 1}": Num(forward + (f"{kind}_{layer}", k), D) for kind in ("net", "out") for k in range(2)}
        if layer == "hidden":
            b = Num(("mlp", "values", "biases", 0), self.dec["biases"])
            return say("Forward, through the hidden layer. h₁ multiplies each input by the weight on its edge, w₁ and "
                       "w₂, adds them up and adds the bias b₁, {b}: its net input is {net1}. The sigmoid squashes "
                       "that to h₁'s output, {out1}. h₂ does the same with w₃ and w₄: net input {net2}, output "
                       "{out2}.", b=b, **values)
        b = Num(("mlp", "values", "biases", 1), self.dec["biases"])
        return say("The output layer does the same with the hidden outputs. o₁ weighs them by w₅ and w₆ and adds the "
                   "bias b₂, {b}: net input {net1}, and after the sigmoid, output {out1}. o₂, with w₇ and w₈: net "
                   "input {net2}, output {out2}.", b=b, **values)

    def error_narration(self):
        forward = ("mlp", "forward")
        return say("How wrong is it? Each output's error is half the squared distance to its target: {e1} for o₁ "
                   "and {e2} for o₂. Their sum is the total error, {total}, which we keep under the network.",
                   e1=Num(forward + ("errors", 0), D), e2=Num(forward + ("errors", 1), D),
                   total=Num(forward + ("error_total",), D))

    def step_values(self, n: int) -> dict:
        """Weight n's gradient, the learning rate, the weight before and after its step."""
        return dict(grad=Num(("mlp", "gradients", n), D), alpha=self.rate,
                    w=Num(("mlp", "values", "weights", n), self.dec["weights"]),
                    w_new=Num(("mlp", "weights_updated", n), D))

    def w5_narration(self):
        return say("Now backwards. Take w₅, the weight from h₁ to o₁. It reaches the error along one path, so its "
                   "gradient is a product of three factors. How the error changes with o₁'s output: that output "
                   "minus its target, {f1}. How o₁'s output changes with its net input: the sigmoid's slope, {f2}. "
                   "And how the net input changes with w₅: h₁'s output, {f3}. Their product is {grad}. With α at "
                   "{alpha}, w₅ goes from {w} to {w_new}.",
                   f1=Num(("mlp", "upstream", 4), D), f2=Num(("mlp", "local", 4), D), f3=Num(("mlp", "dnet_dw", 4), D),
                   **self.step_values(4))

    def routes_narration(self):
        return say("The weight w₁ sits deeper. A change in h₁'s output reaches the error through both outputs, so "
                   "its first factor is a sum of two routes. For each output, δ is its error slope times its "
                   "sigmoid slope: {delta1} for o₁ and {delta2} for o₂. Through o₁ the route is δ of o₁ times w₅, "
                   "{route1}; through o₂ it is δ of o₂ times w₇, {route2}. Together they make {total}.",
                   delta1=Num(("mlp", "delta_output", 0), D), delta2=Num(("mlp", "delta_output", 1), D),
                   route1=Num(("mlp", "dE_dout_hidden_terms", (0, 0)), D),
                   route2=Num(("mlp", "dE_dout_hidden_terms", (0, 1)), D), total=Num(("mlp", "dE_dout_hidden", 0), D))

    def w1_narration(self):
        return say("So the chain rule for w₁ has that sum as its first factor, {f1}. Then h₁'s sigmoid slope, "
                   "{f2}, and how h₁'s net input changes with w₁: the input i₁, {f3}. Their product is {grad}, "
                   "and with α at {alpha}, w₁ goes from {w} to {w_new}.",
                   f1=Num(("mlp", "dE_dout_hidden", 0), D), f2=Num(("mlp", "local", 0), D),
                   f3=Num(("mlp", "dnet_dw", 0), self.dec["inputs"]), **self.step_values(0))

    def updates_narration(self):
        return say("Every other weight is worked the same way, and every weight takes its step against its own "
                   "gradient, with α at {alpha}. The last one, w₈, goes from {w} to {w_new}. In this example the "
                   "biases stay as they are. The network now carries its new weights.",
                   alpha=self.rate, w=Num(("mlp", "values", "weights", 7), self.dec["weights"]),
                   w_new=Num(("mlp", "weights_updated", 7), D))

    def after_narration(self):
        after, targets = ("mlp", "forward_after"), ("mlp", "values", "targets")
        return say("We run forward again with the new weights. o₁'s output is now {o1}, against its target {t1}, "
                   "and o₂'s is {o2}, against {t2}. The total error goes from {before} to {after}. "
                   + self.verdict_sentence(),
                   o1=Num(after + ("out_output", 0), D), o2=Num(after + ("out_output", 1), D),
                   t1=Num(targets + (0,), self.dec["targets"]), t2=Num(targets + (1,), self.dec["targets"]),
                   before=Num(("mlp", "forward", "error_total"), D), after=Num(after + ("error_total",), D))

    def all_updates(self, network: Network, board: Box):
        """w* = w - alpha dE/dw for all eight weights, one line each."""
        rule = self.formula(f"w^* = w - alpha (partial {ET}) / (partial w), quad alpha =", self.rate,
                            font_size=LINE_SIZE)
        lines = [self.formula(
            f"w^*_{n + 1} =", Num(("mlp", "values", "weights", n), self.dec["weights"], color=KERNEL), "-", self.rate, "dot",
            Num(("mlp", "gradients", n), D, paren=True, color=GRADIENT), "=",
            Num(("mlp", "weights_updated", n), D, color=UPDATE), font_size=LINE_SIZE - 2) for n in range(8)]
        stack([rule, *lines], board, gap=0.18, indent=set(range(1, 9)))
        lit = lit_copies(network.edges, UPDATE, 4)
        self.play(FadeIn(rule, shift=UP * 0.15), run_time=0.8)
        self.play(LaggedStart(*(FadeIn(m, shift=RIGHT * 0.15) for m in lines), lag_ratio=0.25), Create(lit), run_time=2.4)
        self.wait(1.5)
        # the network now carries the new weights, as the next forward pass will use them
        new_labels = VGroup()
        for n, (edge, old) in enumerate(zip(network.edges, network.edge_labels)):
            label = self.formula(f"w^*_{n + 1} =", Num(("mlp", "weights_updated", n), D, color=UPDATE), font_size=SMALL)
            new_labels.add(on_edge(label, edge, old[1].get_center()))
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
        stack([again, *outs, compare, verdict], board, gap=0.5)
        self.play(FadeIn(again, shift=UP * 0.15), run_time=0.7)
        # the out values at the units are replaced by those of the new forward pass
        new_outs = {}
        for unit, old in out_labels.items():
            new_outs[unit] = unit_value(self.trace, "forward_after", unit, D).move_to(old)
        self.play(*(FadeOut(old) for old in out_labels.values()), *(FadeIn(m) for m in new_outs.values()),
                  run_time=0.8)
        self.play(LaggedStart(*(FadeIn(m, shift=UP * 0.15) for m in outs), lag_ratio=0.4), run_time=1.2)
        self.wait(0.6)
        self.play(*fly([(kept_error.term("n0"), compare.term("n0"))]), FadeIn(compare), run_time=1.0)
        focus = SurroundingRectangle(compare.term("after"), color=FOCUS, buff=FOCUS_BUFF)
        self.play(Create(focus), FadeIn(verdict, shift=UP * 0.15), run_time=1.0)
        self.wait(2.5)

    def verdict_sentence(self) -> str:
        """What the step did, as the caption says it after its "Run forward again...:"."""
        said = ERROR_VERDICT.caption(self.outcome()).split(": ", 1)[1]
        return said[0].upper() + said[1:]

    def outcome(self) -> str:
        t = self.trace.mlp
        return verdicts.error_change(t.forward.error_total, t.forward_after.error_total, t.dout_dnet_output, D)


class MlpWorkedExampleScene(StoryScene):
    story = MlpWorkedExampleStory
