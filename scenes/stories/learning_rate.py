"""What the learning rate does: too large and the steps overshoot, too small and training crawls.

Two pictures, both from ``lesson.descent`` (mathcore/descent.py). First the intuition: the one-
dimensional bowl L(w) = 1/2 h (w - w_min)^2, where every step w <- w - alpha dL/dw multiplies
the distance to the minimum by the same factor 1 - alpha h, so each rate's hops can be drawn on
the curve and read off one number. Then the truth for a real network: the error E_total of the
2-2-2 worked example against the iteration, one curve per rate.

The scene never judges a number itself: what each run did (crawls, converges, oscillates,
diverges) is the ``behaviour`` mathcore decided, turned into words here. The closing words are
chosen from those behaviours too, so when the bowl blows up at a rate that the saturating
network survives, the scene says so rather than repeating the textbook.
"""

import itertools
import math
from typing import NamedTuple

import numpy as np
from manim import (
    DOWN, LEFT, ORIGIN, RIGHT, UP, AnimationGroup, Arrow, Axes, Create, Dot, LaggedStart, Line,
    ReplacementTransform, VGroup, VMobject,
)

from convprop.scenes.kit.fades import FadeIn, FadeOut
from convprop.scenes.kit.formula import Num, plain
from convprop.scenes.kit.layout import (
    MAX_TEXT_WIDTH, Box, lines_down, place, shrink_to_width, side_by_side, split_bottom, under,
)
from convprop.scenes.kit.numbers import NumberLabel, exact_decimals
from convprop.scenes.kit.rule import coloured_rule
from convprop.scenes.kit.style import BODY_SIZE, FOCUS, GRADIENT, KERNEL, LABEL_SIZE, MUTED, RATE_COLOURS, TEXT, UPDATE
from convprop.scenes.kit.trace_paths import lookup
from convprop.scenes.narration import say
from convprop.scenes.story import Story, StoryScene

# -- how each screen is split: a rule under the title, then a plot with its legend beside it ------
RULE_GAP = 0.45  # between the rule under the title and the plot
BOWL_SHARES = (7.7, 5.6)  # the bowl's plot and its side (the factor rule, one legend row per rate)
NET_SHARES = (8.5, 4.75)  # the network's plot and its side (one legend row per rate, then the verdict)
SIDE_GAP = 0.55  # between a plot and its side
WORKED_GAP = 0.3  # between the bowl's plot and the step worked in numbers under it
ROW_PITCH = 0.95  # a legend row: its numbers and, under them, what the run did
NAME_GAP = 0.2  # between an axis and its name
TICK_SIZE = 20
ROW_FORMULA_SIZE = 24
ROW_WORD_SIZE = 22
DOTS_UP_TO = 40  # a curve of more iterations than this is drawn as a line alone

# The behaviour mathcore decided, in words: on the bowl the weight moves, on the network the error.
BOWL_WORDS = {
    "crawls": "crawls: tiny steps, far from the minimum",
    "converges": "converges: steady steps to the minimum",
    "oscillates": "oscillates: overshoots, back and forth",
    "diverges": "diverges: each jump lands further out",
}
NETWORK_WORDS = {
    "crawls": "crawls: the error barely falls",
    "converges": "converges: the error falls",
    "oscillates": "oscillates: the error goes up and down",
    "diverges": "diverges: the error climbs",
}

# A caption names the rate by its place (the first rate, the second, ...) so that two runs that
# behave alike never show the same line twice; the narration says the rate itself.
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
BOWL_CAPTIONS = {
    "crawls": "a factor close to one, so each step removes only a sliver of the distance, and the weight crawls.",
    "converges": "a factor between zero and one, so each step closes part of the distance, and the weight converges.",
    "oscillates": "a negative factor, so each step jumps across the minimum, and the weight oscillates.",
    "diverges": "a factor beyond minus one, so each jump lands further out than the last, and the weight diverges.",
}
NETWORK_CAPTIONS = {
    "crawls": "the network's error crawls: after all its steps it has barely fallen.",
    "converges": "the network's error falls steadily: training converges.",
    "oscillates": "the network's error goes up and down: the steps overshoot.",
    "diverges": "the network's error ends higher than it started: training diverges.",
}
# What the teacher says of each behaviour, after the numbers of the run.
BOWL_SAID = {
    "crawls": "That is close to one, so each step removes only a sliver of the distance to the minimum, and the "
              "weight crawls.",
    "converges": "That is between zero and one, so each step closes part of the distance, and the weight settles "
                 "into the minimum.",
    "oscillates": "That is negative, so each step jumps across the minimum to the other side, and the weight "
                  "swings back and forth.",
    "diverges": "That is beyond minus one, so each jump lands further out than the last, and the weight runs away "
                "from the minimum.",
}
NETWORK_SAID = {
    "crawls": "After all its steps the error has barely fallen: this rate is too small.",
    "converges": "The error falls steadily: training converges.",
    "oscillates": "The error goes up and down: the steps overshoot.",
    "diverges": "The error ends higher than it started: training diverges.",
}


def small_decimals(value: float) -> int:
    """Enough decimals for two significant digits of a small error (0.00014), at least three."""
    if value <= 0:
        return 3
    return int(np.clip(1 - math.floor(math.log10(value)), 3, 6))


def clip_to_box(inside, outside, box):
    """Where the segment from the screen point ``inside`` towards ``outside`` leaves ``box``."""
    (x0, y0), (x1, y1) = inside[:2], outside[:2]
    t = 1.0
    for start, end, low, high in ((x0, x1, box[0], box[1]), (y0, y1, box[2], box[3])):
        if end > high:
            t = min(t, (high - start) / (end - start))
        elif end < low:
            t = min(t, (low - start) / (end - start))
    return np.array([x0 + t * (x1 - x0), y0 + t * (y1 - y0), 0.0])


class Plot(NamedTuple):
    """Axes drawn, the ``side`` beside them, the top edge of each rate's legend row in it, and
    the band under them where a step is worked in numbers (the bowl's; None for the network)."""
    axes: Axes
    side: Box
    rows: list
    line: Box | None = None


class LearningRateStory(Story):
    name = "learning-rate"
    summary = "Gradient descent for several learning rates: hops on a bowl, then the 2-2-2 network's error per iteration: crawls, converges, oscillates or diverges"
    draws_input = False  # its numbers are its own network's, whatever the CNN's input

    def tell(self):
        d = self.trace.descent
        with self.beat("Every step moves each weight against its gradient, scaled by the learning rate α.",
                       say("Every step of gradient descent moves each weight against its gradient, and the learning "
                           "rate α scales how far. Too large a rate, and the steps overshoot: they oscillate, or "
                           "even diverge. Too small, and training crawls.")):
            area = under(self.show_title("The learning rate: how big a step"))
            rule, warnings = self.state_the_rule(area)
        with self.beat("First the intuition: a bowl-shaped loss of a single weight, started away from its minimum.",
                       self.bowl_narration()):
            bowl = self.draw_the_bowl(rule, warnings, area)
        hops, worked = [], None
        for i, run in enumerate(d.bowl_runs):
            with self.beat(f"The {self.ordinal(i)} rate has {BOWL_CAPTIONS[run.behaviour]}", self.hop_narration(i)):
                hops, worked = self.hop_down_the_bowl(bowl, i, hops, worked)
        self.wait(1.0)
        self.clear()
        with self.beat("Now the real thing: the small network of the worked example, trained with each rate.",
                       say("Now the real thing: the small network of the worked example, trained for {steps} steps "
                           "with each rate, every weight stepping against its own gradient. The plot shows its "
                           "total error against the iteration.", steps=Num(("descent", "steps"), 0))):
            losses = self.draw_the_loss_axes(under(self.show_title("The network: error against iteration")))
        curves = []
        for i, run in enumerate(d.network):
            with self.beat(f"With the {self.ordinal(i)} rate, {NETWORK_CAPTIONS[run.behaviour]}",
                           self.network_narration(i)):
                curves = self.train_the_network(losses, i, curves)
        with self.beat(self.verdict_caption(), self.verdict_narration()):
            self.say_what_the_rates_did(losses, curves)
        self.wait(2.0)

    # -- what the teacher says (numbers are placeholders bound to the trace, as on screen) ----------

    @staticmethod
    def ordinal(i: int) -> str:
        """Rate i by its place, as a caption names it: the first rate, the second, ..."""
        return ORDINALS[i] if i < len(ORDINALS) else "next"

    def bowl_narration(self):
        d = self.trace.descent
        return say("First, the intuition. Picture a loss that is a bowl in a single weight w: one half of h times "
                   "the squared distance from w to the minimum, where h is {h} and the minimum is at {w_min}. On a bowl, "
                   "every step multiplies the distance to the minimum by the same factor, one minus α times h. "
                   "That one number tells what a rate will do.",
                   h=Num(("descent", "bowl", "curvature"), exact_decimals(d.bowl.curvature)),
                   w_min=Num(("descent", "bowl", "minimum"), exact_decimals(d.bowl.minimum)))

    def hop_narration(self, i: int):
        d = self.trace.descent
        run = d.bowl_runs[i]
        return say("With α at {alpha}, the factor one minus α h is {factor}. " + BOWL_SAID[run.behaviour]
                   + " The first step: w starts at {w0}, where the slope is {slope}, and w minus {alpha} times "
                   "{slope} is {w1}.",
                   alpha=Num(("descent", "rates", i), exact_decimals(d.rates[i])),
                   factor=Num(("descent", "bowl_runs", i, "factor"), exact_decimals(run.factor)),
                   w0=Num(("descent", "bowl_runs", i, "positions", 0), exact_decimals(run.positions[0])),
                   slope=Num(("descent", "bowl_runs", i, "slopes", 0), exact_decimals(run.slopes[0])),
                   w1=Num(("descent", "bowl_runs", i, "positions", 1), exact_decimals(run.positions[1])))

    def network_narration(self, i: int):
        d = self.trace.descent
        run = d.network[i]
        return say("With α at {alpha}, the network's total error after the last step is {final}. "
                   + NETWORK_SAID[run.behaviour],
                   alpha=Num(("descent", "rates", i), exact_decimals(d.rates[i])),
                   final=Num(("descent", "network", i, "losses", d.steps), small_decimals(float(run.losses[-1]))))

    def verdict_narration(self):
        network, _ = self._behaviours()
        said = []
        if "diverges" in network or "oscillates" in network:
            said.append("Too large a rate makes the error overshoot.")
        if "crawls" in network:
            said.append("Too small a rate makes the error crawl.")
        if self._survivors():
            said.append("And a rate that overshoots the bowl can still lower this network's error: its sigmoids "
                        "saturate, so the error is bounded, and the steps cannot run away as they do on the bowl.")
        if not said:
            said.append("Every rate here lowers the network's error.")
        return say("What did the rates do? " + " ".join(said))

    # -- the bowl ----------------------------------------------------------------------------------

    def state_the_rule(self, area: Box):
        """The update rule, and what too large and too small a rate do, spread down ``area``;
        returns (rule, warnings)."""
        rule = self.formula(
            "{{ w : new }} <- {{ w : old }} - alpha {{ (d L) / (d w) : grad }}", font_size=44)
        coloured_rule(rule)
        # plain() is Typst markup, where alpha is a word; the symbol reads better
        too_large = plain("$alpha$ too large: the steps overshoot, oscillate or diverge", font_size=BODY_SIZE)
        too_small = plain("$alpha$ too small: training crawls", font_size=BODY_SIZE)
        warnings = VGroup(too_large, too_small).arrange(DOWN, buff=0.35)
        lines_down([rule, warnings], area.top, area.bottom)
        self.play(FadeIn(rule, shift=DOWN * 0.2), run_time=0.9)
        self.play(LaggedStart(*(FadeIn(w, shift=UP * 0.15) for w in warnings), lag_ratio=0.5), run_time=1.4)
        self.wait(2.0)
        return rule, warnings

    def draw_the_bowl(self, rule, warnings, area: Box) -> Plot:
        """The rule becomes the bowl's at the top of ``area``, the warnings give way to the bowl's
        plot and the factor rule beside it; a band under them is kept for the steps worked."""
        d = self.trace.descent
        bowl = self.formula(
            "{{ w : new }} <- {{ w : old }} - alpha {{ (d L) / (d w) : grad }} quad \"on\" quad "
            "L(w) = 1/2 h (w - w_\"min\")^2 , quad h =",
            Num(("descent", "bowl", "curvature"), exact_decimals(d.bowl.curvature)), ", quad w_\"min\" =",
            Num(("descent", "bowl", "minimum"), exact_decimals(d.bowl.minimum)), font_size=28)
        coloured_rule(bowl)
        place(shrink_to_width(bowl, MAX_TEXT_WIDTH), area, UP)
        middle, line = split_bottom(area.inset(top=bowl.height + RULE_GAP), self._worked(0).height, gap=WORKED_GAP)
        plot, side = side_by_side(middle, BOWL_SHARES, gap=SIDE_GAP)

        axes, ticks = self._axes(plot, ("descent", "bowl_w_ticks"), ("descent", "bowl_loss_ticks"),
                                 skip_y_zero=True)
        curve = axes.plot(d.bowl.loss, x_range=(float(d.bowl_w_ticks[0]), float(d.bowl_w_ticks[-1])),
                          color=MUTED, stroke_width=3)
        names = VGroup(
            plain("w", font_size=LABEL_SIZE, color=MUTED).next_to(axes.x_axis.get_right(), UP, buff=0.12),
            plain("L(w)", font_size=LABEL_SIZE, color=MUTED).next_to(axes.y_axis.get_top(), RIGHT, buff=0.15),
        )
        factor = self.formula("w_(t+1) - w_\"min\" = {{ (1 - alpha h) : factor }} (w_t - w_\"min\")",
                              font_size=26)
        factor.term("factor").set_color(FOCUS)
        place(shrink_to_width(factor, side.width), side, UP)
        self.play(ReplacementTransform(rule, bowl), FadeOut(warnings), run_time=1.0)
        self.play(Create(axes), FadeIn(ticks), FadeIn(names), Create(curve), run_time=1.5)
        self.play(FadeIn(factor, shift=DOWN * 0.15), run_time=0.8)
        self.wait(1.5)
        return Plot(axes, side, self._rows(side.top - factor.height - 0.25, side.bottom, len(d.rates)), line)

    def hop_down_the_bowl(self, bowl: Plot, i, earlier: list, worked_before):
        """The run's points (w_t, L(w_t)) joined on the curve; a run that leaves the plot stops at its edge.

        The ``earlier`` runs' hops dim, and the first step worked in numbers replaces
        ``worked_before`` (None for the first run). Returns (every run's hops so far, this step).
        """
        d = self.trace.descent
        run = d.bowl_runs[i]
        colour = RATE_COLOURS[i]
        axes = bowl.axes
        box = self._plot_box(axes, d.bowl_w_ticks, d.bowl_loss_ticks)
        w_low, w_high = float(d.bowl_w_ticks[0]), float(d.bowl_w_ticks[-1])
        l_high = float(d.bowl_loss_ticks[-1])

        points, left_at = [], None
        for t, (w, loss) in enumerate(zip(run.positions, run.losses)):
            if w_low <= w <= w_high and 0 <= loss <= l_high:
                points.append(axes.c2p(float(w), float(loss)))
            else:
                left_at = t
                break
        first = Dot(points[0], radius=0.07, color=colour)
        hops, drawn = [FadeIn(first)], VGroup(first)
        for a, b in itertools.pairwise(points):
            segment = Line(a, b, color=colour, stroke_width=3)
            dot = Dot(b, radius=0.07, color=colour)
            drawn.add(segment, dot)
            hops.append(AnimationGroup(Create(segment), FadeIn(dot)))
        if left_at is not None:
            # the next point is off the plot: draw the jump as far as the plot's edge, as an arrow
            w, loss = float(run.positions[left_at]), float(run.losses[left_at])
            edge = clip_to_box(points[-1], axes.c2p(w, loss), box)
            exit_arrow = Arrow(points[-1], edge, buff=0, color=colour, stroke_width=4,
                               max_tip_length_to_length_ratio=0.15)
            drawn.add(exit_arrow)
            hops.append(AnimationGroup(Create(exit_arrow)))

        worked = place(self._worked(i), bowl.line)

        row = self._bowl_row(bowl, i)
        fade = [m.animate.set_opacity(0.3) for m in earlier]
        swap = [ReplacementTransform(worked_before, worked)] if worked_before is not None else [FadeIn(worked)]
        self.play(*fade, *swap, FadeIn(row[0]), run_time=0.8)
        self.play(LaggedStart(*hops, lag_ratio=1.0), run_time=min(0.35 * len(hops) + 0.4, 3.0))
        self.play(FadeIn(row[1], shift=LEFT * 0.15), run_time=0.6)
        self.wait(1.2)
        return [*earlier, drawn], worked

    def _worked(self, i):
        """Run i's first step in numbers: w_1 = w_0 - alpha dL/dw, in the rule's colours."""
        d = self.trace.descent
        run = d.bowl_runs[i]
        worked = self.formula(
            "{{ w_1 : new }} = {{ w_0 : old }} - alpha {{ (d L) / (d w) : grad }} =",
            Num(("descent", "bowl_runs", i, "positions", 0), exact_decimals(run.positions[0]), color=KERNEL), "-",
            Num(("descent", "rates", i), exact_decimals(d.rates[i]), color=RATE_COLOURS[i]), "dot",
            Num(("descent", "bowl_runs", i, "slopes", 0), exact_decimals(run.slopes[0]), paren=True, color=GRADIENT),
            "=", Num(("descent", "bowl_runs", i, "positions", 1), exact_decimals(run.positions[1]), color=UPDATE),
            font_size=28)
        return shrink_to_width(coloured_rule(worked), MAX_TEXT_WIDTH)

    def _bowl_row(self, bowl: Plot, i):
        """Rate i's legend row beside the bowl: the rate and its factor 1 - alpha h, then what the run did."""
        d = self.trace.descent
        run = d.bowl_runs[i]
        colour = RATE_COLOURS[i]
        numbers = self.formula(
            "alpha =", Num(("descent", "rates", i), exact_decimals(d.rates[i]), color=colour),
            ", quad 1 - alpha h =", Num(("descent", "bowl_runs", i, "factor"), exact_decimals(run.factor), color=FOCUS),
            font_size=ROW_FORMULA_SIZE)
        return self._legend_row(bowl.rows[i], colour, numbers, BOWL_WORDS[run.behaviour], bowl.side)

    # -- the network -------------------------------------------------------------------------------

    def draw_the_loss_axes(self, area: Box) -> Plot:
        """How many steps each rate takes at the top of ``area``; under it the axes of the error
        against the iteration, with their names, and the legend's side beside them."""
        d = self.trace.descent
        how = self.formula("\"steps per rate:\"", Num(("descent", "steps"), 0), ", quad \"each\" quad",
                           "{{ w : new }} <- {{ w : old }} - alpha thin {{ partial E_\"total\" \\/ partial w : grad }}",
                           font_size=28)
        coloured_rule(how)
        place(shrink_to_width(how, MAX_TEXT_WIDTH), area, UP)
        iteration = plain("iteration", font_size=LABEL_SIZE, color=MUTED)
        error = plain("$E_\"total\"$", font_size=LABEL_SIZE, color=MUTED)
        plot, side = side_by_side(area.inset(top=how.height + RULE_GAP), NET_SHARES, gap=SIDE_GAP)
        # the plot less the room of the axes' names: E_total above the y axis, iteration under the ticks
        axes, ticks = self._axes(plot.inset(top=error.height + NAME_GAP, bottom=iteration.height + NAME_GAP / 2),
                                 ("descent", "step_ticks"), ("descent", "loss_ticks"))
        names = VGroup(
            iteration.next_to(ticks, DOWN, buff=NAME_GAP / 2).align_to(axes.x_axis.get_right(), RIGHT),
            error.next_to(axes.y_axis.get_top(), UP, buff=NAME_GAP),
        )
        self.play(FadeIn(how, shift=DOWN * 0.15), Create(axes), FadeIn(ticks), FadeIn(names), run_time=1.4)
        self.wait(1.0)
        return Plot(axes, side, self._rows(side.top, side.top - ROW_PITCH * len(d.rates), len(d.rates)))

    def train_the_network(self, losses: Plot, i, earlier: list) -> list:
        """Rate i's error curve on the ``losses`` plot, the ``earlier`` curves dimmed; returns them all."""
        d = self.trace.descent
        run = d.network[i]
        colour = RATE_COLOURS[i]
        axes = losses.axes
        points = [axes.c2p(t, float(loss)) for t, loss in enumerate(run.losses)]
        curve = VMobject(color=colour, stroke_width=4).set_points_as_corners(points)
        dots = VGroup(*(Dot(p, radius=0.045, color=colour) for p in points)) if d.steps <= DOTS_UP_TO else VGroup()
        last = run.losses[-1]
        numbers = self.formula(
            "alpha =", Num(("descent", "rates", i), exact_decimals(d.rates[i]), color=colour),
            ", quad \"final\" E_\"total\" =",
            Num(("descent", "network", i, "losses", d.steps), small_decimals(float(last))), font_size=ROW_FORMULA_SIZE)
        row = self._legend_row(losses.rows[i], colour, numbers, NETWORK_WORDS[run.behaviour], losses.side)
        fade = [m.animate.set_stroke(opacity=0.45) for m in earlier]
        self.play(*fade, FadeIn(row[0]), run_time=0.5)
        appear = [LaggedStart(*(FadeIn(dot) for dot in dots), lag_ratio=0.1)] if len(dots) else []
        self.play(Create(curve), *appear, run_time=1.6)
        self.play(FadeIn(row[1], shift=LEFT * 0.15), run_time=0.5)
        self.wait(1.0)
        return [*earlier, curve]

    def say_what_the_rates_did(self, losses: Plot, curves: list):
        """The closing words under the legend, every curve brought back to full strength."""
        lines = VGroup(*(plain(text, font_size=ROW_WORD_SIZE + 2, color=FOCUS) for text in self.verdict_lines()))
        shrink_to_width(lines, losses.side.width)
        top = losses.rows[-1] - ROW_PITCH - 0.05  # under the last legend row
        pitch = lines[0].height * 1.45  # tops evenly spaced, whatever letters hang below a line
        for k, line in enumerate(lines):
            line.move_to([losses.side.left + line.width / 2, top - k * pitch - line.height / 2, 0])
        if curves:
            self.play(*(m.animate.set_stroke(opacity=1.0) for m in curves), run_time=0.5)
        self.play(LaggedStart(*(FadeIn(line, shift=UP * 0.1) for line in lines), lag_ratio=0.4), run_time=1.5)
        self.wait(2.5)

    # -- the closing words, chosen from the behaviours mathcore decided ----------------------------

    def _behaviours(self):
        d = self.trace.descent
        return [run.behaviour for run in d.network], [run.behaviour for run in d.bowl_runs]

    def verdict_lines(self) -> list[str]:
        network, bowl = self._behaviours()
        lines = []
        if "diverges" in network or "oscillates" in network:
            lines.append("too large a rate: the error overshoots")
        if "crawls" in network:
            lines.append("too small a rate: the error crawls")
        survivors = self._survivors()
        if survivors:
            lines += ["the rates that overshoot the bowl" if survivors > 1 else "the rate that overshoots the bowl",
                      "still lower this error: the sigmoids" if survivors > 1 else "still lowers this error: the sigmoids",
                      "saturate, so the error is bounded"]
        if not lines:
            lines.append("every rate here lowers the error")
        return lines

    def _survivors(self) -> int:
        """How many rates overshoot the bowl yet still lower the network's error."""
        network, bowl = self._behaviours()
        return sum(b in ("oscillates", "diverges") and n in ("crawls", "converges") for n, b in zip(network, bowl))

    def verdict_caption(self) -> str:
        """The closing words as one sentence: the screen's lines, each a clause of it."""
        network, _ = self._behaviours()
        clauses = []
        if "diverges" in network or "oscillates" in network:
            clauses.append("too large a rate overshoots")
        if "crawls" in network:
            clauses.append("too small a rate crawls")
        survivors = self._survivors()
        if survivors:
            clauses.append(("the rates that overshoot the bowl still lower" if survivors > 1 else
                            "the rate that overshoots the bowl still lowers")
                           + " this error, as the saturating sigmoids bound it")
        if not clauses:
            clauses.append("every rate here lowers the error")
        return "What the rates did: " + "; ".join(clauses) + "."

    # -- helpers -----------------------------------------------------------------------------------

    def _axes(self, box: Box, x_ticks_path, y_ticks_path, skip_y_zero=False):
        """Axes spanning the first and last traced tick, with every tick labelled from the trace."""
        xs, ys = lookup(self.trace, x_ticks_path), lookup(self.trace, y_ticks_path)
        # the room the tick labels need, left of the plot and under it
        y_room = max(NumberLabel(float(y), exact_decimals(float(y), 3), font_size=TICK_SIZE).width for y in ys) + 0.2
        axes = Axes(
            x_range=(float(xs[0]), float(xs[-1]), float(xs[1] - xs[0])),
            y_range=(float(ys[0]), float(ys[-1]), float(ys[1] - ys[0])),
            x_length=box.width - y_room, y_length=box.height - 0.35, tips=False,
            axis_config={"include_numbers": False, "color": TEXT, "stroke_width": 2},
        )
        axes.move_to([box.left + y_room + axes.width / 2, box.top - axes.height / 2, 0])
        labels = VGroup()
        for k, x in enumerate(xs):
            label = NumberLabel(float(x), exact_decimals(float(x), 3), source=(*x_ticks_path, k), font_size=TICK_SIZE, color=MUTED)
            labels.add(label.next_to(axes.c2p(float(x), float(ys[0])), DOWN, buff=0.15))
        y_at = axes.x_axis.number_to_point(float(np.clip(0.0, xs[0], xs[-1])))[0]
        for k, y in enumerate(ys):
            if skip_y_zero and k == 0:
                continue  # the bowl's x axis is its zero; its label would sit on the w labels
            label = NumberLabel(float(y), exact_decimals(float(y), 3), source=(*y_ticks_path, k), font_size=TICK_SIZE, color=MUTED)
            labels.add(label.next_to([y_at, axes.c2p(float(xs[0]), float(y))[1], 0], LEFT, buff=0.12))
        return axes, labels

    @staticmethod
    def _plot_box(axes, xs, ys):
        low, high = axes.c2p(float(xs[0]), float(ys[0])), axes.c2p(float(xs[-1]), float(ys[-1]))
        return (low[0], high[0], low[1], high[1])

    @staticmethod
    def _rows(top: float, bottom: float, count: int) -> list[float]:
        """The top edge of each legend row, evenly from ``top``, at most a row's natural height apart."""
        step = min((top - bottom) / max(count, 1), 1.0)
        return [top - k * step for k in range(count)]

    def _legend_row(self, top, colour, numbers, words, side: Box):
        """(swatch and numbers, words): a short line in the run's colour, its rate, what it did."""
        swatch = Line(ORIGIN, RIGHT * 0.45, color=colour, stroke_width=6)
        said = plain(words, font_size=ROW_WORD_SIZE, color=colour)
        room = side.width - swatch.width - 0.15
        for m in (numbers, said):
            shrink_to_width(m, room)
        numbers.move_to([side.left + swatch.width + 0.15 + numbers.width / 2, top - numbers.height / 2, 0])
        swatch.move_to([side.left + swatch.width / 2, numbers.get_center()[1], 0])
        said.move_to([numbers.get_left()[0] + said.width / 2, numbers.get_bottom()[1] - 0.1 - said.height / 2, 0])
        return VGroup(swatch, numbers), said


class LearningRateScene(StoryScene):
    story = LearningRateStory
