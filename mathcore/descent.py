"""Gradient descent run for several learning rates: what the step size does to training.

Two settings tell the story. The 2-2-2 network of ``mathcore.mlp``, trained on its one example
for a number of steps, gives the loss curves a lecture plots against the iteration. A one-
dimensional bowl, L(w) = 1/2 h (w - w_min)^2, gives the intuition: each step multiplies the
distance to the minimum by (1 - alpha h), so a small alpha crawls, a moderate one converges, one
past 1/h overshoots the minimum and oscillates, and one past 2/h diverges. With h = 0.3 the
lecture's default rates 0.05, 0.5, 5 and 50 fall in those four regimes in that order.

Each run carries a ``behaviour`` word decided here from its numbers, so a scene can say what
happened without judging a number itself.
"""

import math
from dataclasses import dataclass, replace
from fractions import Fraction

import numpy as np

from convprop.mathcore.config import ConfigError
from convprop.mathcore.exact import as_written, to_float
from convprop.mathcore.frozen import frozen
from convprop.mathcore.mlp import MLPValues, check_learning_rate, run_mlp

DEFAULT_RATES = (0.05, 0.5, 5.0, 50.0)
DEFAULT_STEPS = 30
MAX_STEPS = 100
MAX_RATES = 5  # more curves than this cannot be told apart on one plot
BOWL_STEPS = 8  # steps drawn on the bowl; enough to see each regime, few enough to follow
# A run is said to crawl when after all its steps the loss is still above this share of the start.
CRAWL_SHARE = Fraction(3, 4)
# Past this the bowl's loss is no longer worth computing: the run has left any plot.
DIVERGED = 1e12

BEHAVIOURS = ("crawls", "converges", "oscillates", "diverges")


@dataclass(frozen=True)
class Bowl:
    """L(w) = 1/2 curvature (w - minimum)^2, started at ``start``."""

    curvature: float = 0.3
    minimum: float = 0.0
    start: float = 4.0

    def loss(self, w):
        return 0.5 * self.curvature * (np.asarray(w, float) - self.minimum) ** 2

    def slope(self, w):
        return self.curvature * (np.asarray(w, float) - self.minimum)


@dataclass(frozen=True)
class NetworkRun:
    learning_rate: float
    losses: np.ndarray  # E_total before each step, then after the last: steps + 1 values
    behaviour: str


@dataclass(frozen=True)
class BowlRun:
    learning_rate: float
    positions: np.ndarray  # w_0 .. w_n, stopped early once the run has diverged past DIVERGED
    losses: np.ndarray  # L(w_t)
    slopes: np.ndarray  # dL/dw at w_t
    factor: float  # 1 - alpha h: what each step multiplies the distance to the minimum by
    behaviour: str


@dataclass(frozen=True)
class DescentTrace:
    rates: tuple[float, ...]
    steps: int
    network: tuple[NetworkRun, ...]
    bowl: Bowl
    bowl_runs: tuple[BowlRun, ...]
    # the plots' axis ranges and labelled ticks: numbers on screen, so computed here
    step_ticks: np.ndarray  # iterations, 0 .. steps
    loss_ticks: np.ndarray  # the network's E_total, from 0 past the largest loss plotted
    bowl_w_ticks: np.ndarray  # w around the bowl's minimum, symmetric
    bowl_loss_ticks: np.ndarray  # L(w) from 0 to the bowl's height at the plot's edge

    @property
    def bowl_steps(self) -> int:
        return BOWL_STEPS


def behaviour_of(losses, crosses_minimum: bool = False) -> str:
    """crawls, converges, oscillates or diverges, read from a run's losses.

    diverges: the last loss is above the first (or not finite). oscillates: a step raised the
    loss, or crossed the minimum. crawls: the loss fell by less than a quarter. Else converges.
    The losses are compared as given: exact Fractions (the bowl) are compared exactly.
    """
    losses = list(losses)
    if not all(math.isfinite(loss) for loss in losses) or losses[-1] > losses[0]:
        return "diverges"
    if crosses_minimum or any(after > before for before, after in zip(losses, losses[1:])):
        return "oscillates"
    if losses[-1] > CRAWL_SHARE * losses[0]:
        return "crawls"
    return "converges"


def descend_network(values: MLPValues, rate: float, steps: int) -> NetworkRun:
    losses = []
    current = replace(values, learning_rate=rate)
    for _ in range(steps):
        trace = run_mlp(current)
        losses.append(trace.error_total)
        current = replace(current, weights=trace.weights_updated)
    losses.append(trace.error_total_after)
    return NetworkRun(learning_rate=rate, losses=frozen(losses), behaviour=behaviour_of(losses))


def descend_bowl(bowl: Bowl, rate: float, steps: int = BOWL_STEPS) -> BowlRun:
    """The run in exact arithmetic from the values as written, so that whether it crosses the
    minimum, rises or crawls is decided on exact values; the trace keeps their floats."""
    h, minimum, alpha = as_written(bowl.curvature), as_written(bowl.minimum), as_written(rate)
    positions = [as_written(bowl.start)]
    for _ in range(steps):
        w = positions[-1]
        if abs(w - minimum) > DIVERGED:
            break
        positions.append(w - alpha * h * (w - minimum))
    distance = [w - minimum for w in positions]
    crosses = any(before * after < 0 for before, after in zip(distance, distance[1:]))
    losses = [h * d * d / 2 for d in distance]
    return BowlRun(
        learning_rate=rate, positions=frozen(to_float(positions)), losses=frozen(to_float(losses)),
        slopes=frozen(to_float([h * d for d in distance])), factor=float(1 - alpha * h),
        behaviour=behaviour_of(losses, crosses),
    )


def nice_ticks(low: float, high: float, most: int = 5, whole: bool = False) -> np.ndarray:
    """Round ticks (steps of 1, 2 or 5 times a power of ten) covering [low, high], at most
    ``most`` of them, the first at or below ``low`` and the last at or above ``high``.
    ``whole`` keeps the step a whole number, for counting things such as iterations."""
    if not high > low:  # a flat run (zero error throughout) still needs an axis of some length
        high = low + 1.0
    span = high - low
    smallest = math.floor(math.log10(span / most))
    for power in range(max(smallest, 0) if whole else smallest, math.ceil(math.log10(span)) + 2):
        for mantissa in (1, 2, 5):
            step = mantissa * 10.0 ** power
            first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
            if last - first + 1 <= most:
                # round away float noise such as 0.30000000000000004, to the step's own decimals
                return frozen(np.round(np.arange(first, last + 1) * step, max(0, -power)) + 0.0)
    raise AssertionError("unreachable: the span itself is always a step")


def check_rates(rates, steps: int) -> tuple[tuple[float, ...], int]:
    """The rates, smallest first; ConfigError on a rate or step count a plot cannot show."""
    rates = tuple(sorted(check_learning_rate(r) for r in rates))  # smallest first, as a legend reads
    if not rates:
        raise ConfigError("give at least one learning rate, e.g. --rates 0.05,0.5,5,50")
    if len(rates) > MAX_RATES:
        raise ConfigError(f"{len(rates)} learning rates are more than one plot can tell apart; give at most {MAX_RATES}")
    if len(set(rates)) != len(rates):
        raise ConfigError("the learning rates repeat one another; give each rate once")
    if not 1 <= steps <= MAX_STEPS:
        raise ConfigError(f"steps must be between 1 and {MAX_STEPS}, got {steps}")
    return rates, steps


def run_descent(values: MLPValues, rates=DEFAULT_RATES, steps: int = DEFAULT_STEPS, bowl: Bowl = Bowl()) -> DescentTrace:
    """Gradient descent on the network and on the bowl, once per learning rate."""
    rates, steps = check_rates(rates, steps)
    network = tuple(descend_network(values, r, steps) for r in rates)
    reach = abs(bowl.start - bowl.minimum) * 1.5
    w_ticks = nice_ticks(bowl.minimum - reach, bowl.minimum + reach, most=7)
    return DescentTrace(
        rates=rates, steps=steps, network=network,
        bowl=bowl, bowl_runs=tuple(descend_bowl(bowl, r) for r in rates),
        step_ticks=nice_ticks(0, steps, most=6, whole=True),
        loss_ticks=nice_ticks(0, max(float(run.losses.max()) for run in network)),
        bowl_w_ticks=w_ticks,
        bowl_loss_ticks=nice_ticks(0, float(bowl.loss(w_ticks[-1]))),
    )

