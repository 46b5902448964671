"""Gradient descent for several learning rates: the 2-2-2 network's loss curves against a plain SGD
loop in torch, the bowl against its closed form, the behaviour words on constructed sequences, the
plots' ticks, and the checks on rates and steps."""

import math
from dataclasses import replace

import numpy as np
import pytest
import torch
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from convprop.mathcore import ConfigError
from convprop.mathcore.descent import (
    BEHAVIOURS,
    BOWL_STEPS,
    DEFAULT_RATES,
    DEFAULT_STEPS,
    DIVERGED,
    MAX_RATES,
    MAX_STEPS,
    Bowl,
    behaviour_of,
    check_rates,
    descend_bowl,
    descend_network,
    nice_ticks,
    run_descent,
)
from convprop.mathcore.mlp import TEXTBOOK, MLPValues, mlp_values, run_mlp
from tests.torch_reference import np64, num, t64

torch.set_default_dtype(torch.float64)

SETTINGS = settings(max_examples=40, deadline=None)


def floats(low, high):
    # subnormals (below 2.2e-308) carry fewer digits than the float bounds below assume; no lesson uses them
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


# --- the network: against a torch SGD loop ----------------------------------------------------------

def torch_error(values: MLPValues, w: torch.Tensor) -> torch.Tensor:
    """E_total of the 2-2-2 network at weights w, in torch."""
    i, t, b = t64(values.inputs), t64(values.targets), t64(values.biases)
    out_h = torch.sigmoid(w[:4].reshape(2, 2) @ i + b[0])
    out_o = torch.sigmoid(w[4:].reshape(2, 2) @ out_h + b[1])
    return (0.5 * (t - out_o) ** 2).sum()


def torch_descent(values: MLPValues, rate: float, steps: int) -> list[float]:
    """E_total before each of ``steps`` torch.optim.SGD steps on w1..w8, then after the last."""
    w = t64(values.weights, grad=True)
    opt = torch.optim.SGD([w], lr=rate)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        E = torch_error(values, w)
        losses.append(num(E))
        E.backward()
        opt.step()
    with torch.no_grad():
        losses.append(num(torch_error(values, w)))
    return losses


def torch_step(values: MLPValues, weights: np.ndarray, rate: float) -> tuple[float, np.ndarray, np.ndarray]:
    """One torch.optim.SGD step from ``weights``: E_total there, its gradient, the weights after."""
    w = t64(weights, grad=True)
    opt = torch.optim.SGD([w], lr=rate)
    E = torch_error(values, w)
    E.backward()
    gradient = np64(w.grad)
    opt.step()
    return num(E), gradient, np64(w)


def torch_error_at(values: MLPValues, weights: np.ndarray) -> float:
    with torch.no_grad():
        return num(torch_error(values, t64(weights)))


@st.composite
def network_values(draw):
    if draw(st.booleans()):
        return TEXTBOOK
    return mlp_values({
        "inputs": draw(st.lists(floats(-3, 3), min_size=2, max_size=2)),
        "targets": draw(st.lists(floats(0, 1), min_size=2, max_size=2)),
        "weights": draw(st.lists(floats(-3, 3), min_size=8, max_size=8)),
        "biases": draw(st.lists(floats(-3, 3), min_size=2, max_size=2)),
    })


# A run at a large rate amplifies rounding: two correct float64 loops drift apart over 20 steps by more
# than any fixed tolerance. So each step is compared from the same state, where the only difference
# left is one step's rounding.
@settings(max_examples=30, deadline=None)
@given(network_values(), st.one_of(st.sampled_from(DEFAULT_RATES), floats(1e-3, 1000)), st.integers(1, MAX_STEPS))
@example(  # all weights 0 at rate 162: 16 oscillating steps drift 7e-12 from torch's whole loop
    values=replace(TEXTBOOK, inputs=np.zeros(2), targets=np.array([0.0, 0.5]), weights=np.zeros(8),
                   biases=np.array([0.0, 2.953125])),
    rate=162.0, steps=16)
def test_network_losses_match_a_torch_sgd_loop(values, rate, steps):
    run = descend_network(values, rate, steps)
    assert run.learning_rate == rate
    assert run.losses.shape == (steps + 1,)
    state = replace(values, learning_rate=rate)
    for k in range(steps):
        ours = run_mlp(state)
        # the run reports the losses of its own states: it is this chain of single steps
        assert run.losses[k] == ours.error_total, k
        # each step against torch's from the same weights: E there, the weights after and E at them
        loss, gradient, after = torch_step(values, state.weights, rate)
        assert abs(ours.error_total - loss) <= 1e-9 * loss + 1e-15, (k, ours.error_total, loss)
        # the float error of w - rate * dE/dw: ulps of w, and of the gradient's terms (sigmoid outputs,
        # their slopes and the targets, numbers of order one) times the rate
        tolerance = 1e-12 * (np.abs(state.weights) + rate * (np.abs(gradient).max() + 1))
        assert np.all(np.abs(ours.weights_updated - after) <= tolerance), (k, ours.weights_updated - after)
        loss_after = torch_error_at(values, ours.weights_updated)
        assert abs(ours.error_total_after - loss_after) <= 1e-9 * loss_after + 1e-15, k
        state = replace(state, weights=ours.weights_updated)
    assert run.losses[-1] == ours.error_total_after
    assert run.behaviour == behaviour_of(run.losses)


@pytest.mark.parametrize("rate", DEFAULT_RATES)
def test_textbook_network_with_default_rates_matches_torch(rate):
    run = descend_network(TEXTBOOK, rate, DEFAULT_STEPS)
    np.testing.assert_allclose(run.losses, torch_descent(TEXTBOOK, rate, DEFAULT_STEPS), rtol=1e-9, atol=1e-12)
    # the first loss is the worked example's published E_total, 0.298371109
    assert abs(run.losses[0] - 0.298371109) <= 5e-10
    assert run.behaviour in BEHAVIOURS


def test_run_descent_network_runs_are_the_rates_in_order():
    trace = run_descent(TEXTBOOK, (5.0, 0.05, 0.5), 12)
    assert trace.rates == (0.05, 0.5, 5.0) and trace.steps == 12
    for rate, run in zip(trace.rates, trace.network):
        assert run.learning_rate == rate
        np.testing.assert_allclose(run.losses, torch_descent(TEXTBOOK, rate, 12), rtol=1e-9, atol=1e-12)
    assert [r.learning_rate for r in trace.bowl_runs] == list(trace.rates)


def test_network_descent_does_not_change_the_values():
    before = TEXTBOOK.weights.copy()
    descend_network(TEXTBOOK, 0.5, 10)
    np.testing.assert_array_equal(TEXTBOOK.weights, before)
    assert TEXTBOOK.learning_rate == 0.5


# --- the bowl: against its closed form -----------------------------------------------------------------

@st.composite
def bowls(draw):
    """Bowls as a lesson gives them: numbers written with at most six decimals (a minimum of
    1e-187 would take the losses below the smallest float, which no lesson does)."""
    def written(low, high):
        return floats(low, high).map(lambda v: round(v, 6))
    return Bowl(curvature=draw(written(0.01, 10)), minimum=draw(written(-10, 10)), start=draw(written(-10, 10)))


@SETTINGS
@given(bowls(), floats(1e-3, 1000), st.integers(1, 2 * BOWL_STEPS))
def test_bowl_run_follows_the_closed_form(bowl, rate, steps):
    h, m, w0 = bowl.curvature, bowl.minimum, bowl.start
    factor = 1 - rate * h
    # w_t = w_min + (1 - alpha h)^t (w_0 - w_min), stopped once a position is past DIVERGED
    expected = [w0]
    for t in range(1, steps + 1):
        previous = factor ** (t - 1) * (w0 - m)
        assume(abs(abs(previous) - DIVERGED) > 1e-6 * DIVERGED)  # not on the stopping threshold itself
        if abs(previous) > DIVERGED:
            break
        expected.append(m + factor ** t * (w0 - m))
    expected = np.array(expected)
    run = descend_bowl(bowl, rate, steps)
    assert run.learning_rate == rate
    assert run.factor == pytest.approx(factor, rel=1e-12, abs=1e-12)
    assert run.positions.shape == expected.shape
    # float error: each step adds a few ulps of |w| + alpha h |w - w_min|, then grows with the distance
    t = np.arange(len(expected))
    distance = expected - m
    tol = 1e-13 * (t + 1) * (1 + rate * h) * (np.abs(distance) + (abs(m) + abs(w0)) * np.maximum(1, abs(factor)) ** t)
    assert np.all(np.abs(run.positions - expected) <= tol), (run.positions, expected)
    assert np.all(np.abs(run.slopes - h * distance) <= h * (tol + 1e-15 * abs(m)) * 2)
    assert np.all(np.abs(run.losses - 0.5 * h * distance ** 2) <= h * (np.abs(distance) + tol) * (tol + 1e-15 * abs(m)) * 2)
    # the loss is the exact one of the exact position; the float position is that rounded (half an
    # ulp of |w| off), so near the minimum the loss of the float position differs by up to h |w - m| ulp
    ulp = np.abs(run.positions) * np.finfo(float).eps  # (a position rounded onto m itself still has a loss)
    rounding = h * (np.abs(run.positions - m) + ulp) * ulp
    assert np.all(np.abs(run.losses - bowl.loss(run.positions)) <= 1e-12 * np.abs(run.losses) + 2 * rounding)


@SETTINGS
@given(bowls(), floats(1e-3, 1000))
def test_bowl_behaviour_is_the_regime_of_its_factor(bowl, rate):
    """The four regimes of a quadratic bowl, from f = 1 - alpha h alone: |f| > 1 diverges, -1 <= f < 0
    oscillates (every step crosses the minimum), and 0 <= f < 1 shrinks the loss by f^2 a step: to
    more than 3/4 of the start after BOWL_STEPS steps it crawls, else it converges."""
    f = 1 - rate * bowl.curvature
    assume(abs(bowl.start - bowl.minimum) > 1e-3)
    assume(abs(abs(f) - 1) > 1e-6 and abs(f) > 1e-6)
    assume(abs(f ** (2 * BOWL_STEPS) - 0.75) > 1e-6)
    if abs(f) > 1:
        expected = "diverges"
    elif f < 0:
        expected = "oscillates"
    elif f ** (2 * BOWL_STEPS) > 0.75:
        expected = "crawls"
    else:
        expected = "converges"
    assert descend_bowl(bowl, rate).behaviour == expected


def test_default_bowl_runs_crawl_converge_oscillate_diverge_in_order_of_rate():
    """The documented design: with curvature 0.3 the default rates 0.05, 0.5, 5, 50 fall in the four
    regimes in that order (factors 0.985, 0.85, -0.5, -14)."""
    assert DEFAULT_RATES == (0.05, 0.5, 5.0, 50.0) and Bowl().curvature == 0.3
    trace = run_descent(TEXTBOOK)
    assert trace.rates == DEFAULT_RATES and trace.steps == DEFAULT_STEPS
    assert tuple(run.behaviour for run in trace.bowl_runs) == BEHAVIOURS == ("crawls", "converges", "oscillates",
                                                                             "diverges")
    np.testing.assert_allclose([run.factor for run in trace.bowl_runs], [0.985, 0.85, -0.5, -14.0], rtol=1e-12)
    for run in trace.bowl_runs:
        assert run.positions[0] == 4.0 and len(run.positions) == BOWL_STEPS + 1
        np.testing.assert_allclose(run.positions, 4.0 * run.factor ** np.arange(BOWL_STEPS + 1), rtol=1e-12)
    assert trace.bowl_steps == BOWL_STEPS


def test_bowl_run_stops_once_diverged():
    run = descend_bowl(Bowl(), 1000.0, 100)  # factor -299: past 1e12 within a few steps
    distances = np.abs(run.positions)
    assert distances[-1] > DIVERGED and np.all(distances[:-1] <= DIVERGED)
    assert len(run.positions) < 101 and run.behaviour == "diverges"
    assert np.all(np.isfinite(run.losses))


# --- behaviour_of ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("losses, crosses, word", [
    # converges: fell steadily by at least a quarter
    ([1.0, 0.5, 0.2], False, "converges"),
    ([1.0, 0.75], False, "converges"),  # exactly three quarters left: the boundary converges
    ([4.0, 3.0], False, "converges"),
    ([1.0, 1.0, 0.0], False, "converges"),  # a flat step is not a rise
    ([0.0, 0.0, 0.0], False, "converges"),
    # crawls: fell steadily, by less than a quarter
    ([1.0, 0.9, 0.8], False, "crawls"),
    ([1.0, 0.7500001], False, "crawls"),
    ([4.0, 3.0000001], False, "crawls"),
    ([2.0, 2.0, 2.0], False, "crawls"),  # no change at all: the last is not above the first
    # oscillates: some step rose, or the run crossed the minimum, yet it ended no higher than it began
    ([1.0, 0.5, 0.6, 0.4], False, "oscillates"),
    ([1.0, 0.9, 1.0], False, "oscillates"),  # back to exactly the first: not diverging
    ([1.0, 0.2, 0.1], True, "oscillates"),  # crossing the minimum, even while converging
    ([1.0, 0.99], True, "oscillates"),
    ([1.0, 1.0], True, "oscillates"),  # the bowl at factor -1: the same height each side
    # diverges: ended above the start, or not finite
    ([1.0, 2.0], False, "diverges"),
    ([1.0, 0.5, 1.0000001], False, "diverges"),
    ([1.0, 3.0, 9.0], True, "diverges"),
    ([1.0, float("nan"), 0.5], False, "diverges"),
    ([1.0, 0.5, float("inf")], False, "diverges"),
    ([float("inf"), 1.0], False, "diverges"),
    ([1.0, float("nan")], True, "diverges"),
])
def test_behaviour_of_constructed_sequences(losses, crosses, word):
    assert behaviour_of(losses, crosses) == word
    assert behaviour_of(np.array(losses), crosses) == word


def test_behaviour_default_does_not_cross():
    assert behaviour_of([1.0, 0.2, 0.1]) == "converges"


# --- nice_ticks -------------------------------------------------------------------------------------------

NICE = (1, 2, 5)


def nearest_nice(x: float) -> float:
    """The 1, 2 or 5 times a power of ten closest to x."""
    power = math.floor(math.log10(x))
    return min((m * 10.0 ** p for p in (power, power + 1) for m in NICE), key=lambda c: abs(c - x))


def smaller_nice_step(step: float) -> float:
    """The next finer step of the 1-2-5 sequence."""
    power = math.floor(math.log10(step) + 1e-9)
    mantissa = round(step / 10.0 ** power)
    return {1: 0.5, 2: 1, 5: 2}[mantissa] * 10.0 ** power


def tick_step(ticks, *data) -> tuple[float, float]:
    """The ticks' nice step, and the float error allowed at their magnitude: a few ulps of the
    largest number involved, plus the 1e-12 to which nice_ticks rounds."""
    fp = 8 * np.finfo(float).eps * max(np.abs(ticks).max(), *(abs(x) for x in data), 1e-300) + 1e-12
    estimate = float(ticks[-1] - ticks[0]) / (len(ticks) - 1)
    step = nearest_nice(estimate)
    assert abs(estimate - step) <= 2 * fp, (ticks, estimate, step)  # a step of 1, 2 or 5 times 10^k
    np.testing.assert_allclose(np.diff(ticks), step, rtol=0, atol=2 * fp)  # evenly spaced
    np.testing.assert_allclose(ticks, np.round(ticks / step) * step, rtol=0, atol=2 * fp)  # on its multiples
    return step, fp


@settings(max_examples=60, deadline=None)
@given(floats(-1e6, 1e6), st.one_of(floats(1e-6, 1e6), st.sampled_from([1.0, 10.0, 30.0, 0.3, 1e-3])),
       st.integers(3, 10))
def test_nice_ticks_properties(low, span, most):
    high = low + span
    assume(high > low)
    ticks = nice_ticks(low, high, most)
    assert ticks.ndim == 1 and 2 <= len(ticks) <= most
    assert np.all(np.diff(ticks) > 0)
    step, fp = tick_step(ticks, low, high)
    # covers [low, high], up to rounding far below a step
    slack = 1e-8 * step + 2 * fp
    assert ticks[0] <= low + slack and ticks[-1] >= high - slack, (ticks, low, high)
    # and no wider than needed: one step less at either end would no longer cover
    assert ticks[0] > low - step - slack and ticks[-1] < high + step + slack
    # the next finer 1-2-5 step would need more than `most` ticks
    finer = smaller_nice_step(step)
    assert math.ceil(high / finer) - math.floor(low / finer) + 1 > most, (step, finer)
    assert not np.any((ticks == 0) & np.signbit(ticks))  # never "-0"


@pytest.mark.parametrize("low, high, most, expected", [
    (0, 30, 5, [0, 10, 20, 30]),
    (0, 100, 5, [0, 50, 100]),
    (0, 1, 5, [0, 0.5, 1]),
    (-6, 6, 7, [-6, -4, -2, 0, 2, 4, 6]),
    (0, 0.3, 5, [0, 0.1, 0.2, 0.3]),
    (0.05, 0.95, 5, [0, 0.5, 1]),
    (-0.001, 0.001, 3, [-0.001, 0, 0.001]),
])
def test_nice_ticks_examples(low, high, most, expected):
    np.testing.assert_allclose(nice_ticks(low, high, most), expected, rtol=0, atol=1e-15)


# --- check_rates and run_descent --------------------------------------------------------------------------

@pytest.mark.parametrize("rates, steps, match", [
    ([], 10, "at least one"),
    ([0.01, 0.02, 0.03, 0.04, 0.05, 0.06], 10, "at most"),
    ([0.5, 0.1, 0.5], 10, "repeat"),
    ([0.1, 0.1], 10, "repeat"),
    ([0.1, 0.0], 10, "learning rate"),
    ([-0.5], 10, "learning rate"),
    ([1000.5], 10, "learning rate"),
    ([0.1, float("nan")], 10, "learning rate"),
    ([float("inf")], 10, "learning rate"),
    ([0.1], 0, "steps"),
    ([0.1], MAX_STEPS + 1, "steps"),
    ([0.1], -3, "steps"),
])
def test_check_rates_errors(rates, steps, match):
    with pytest.raises(ConfigError, match=match):
        check_rates(rates, steps)
    with pytest.raises(ConfigError):
        run_descent(TEXTBOOK, rates, steps)


def test_check_rates_sorts_and_accepts_the_limits():
    assert MAX_RATES == 5 and MAX_STEPS == 100
    assert check_rates([5, 0.05, 50, 0.5], 30) == ((0.05, 0.5, 5.0, 50.0), 30)
    assert check_rates((1000, 1e-6, 2, 0.3, 7), 1) == ((1e-6, 0.3, 2.0, 7.0, 1000.0), 1)
    assert check_rates([0.1], MAX_STEPS) == ((0.1,), MAX_STEPS)
    rates, _ = check_rates([3, 1], 5)
    assert all(type(r) is float for r in rates)


@st.composite
def rate_sets(draw):
    return draw(st.lists(st.one_of(st.sampled_from([0.05, 0.5, 5.0, 50.0, 1000.0]), floats(1e-3, 1000)),
                         min_size=1, max_size=MAX_RATES, unique=True))


def assert_covers(ticks, data, name):
    data = np.asarray(data, float)
    assert len(ticks) >= 2, (name, ticks)
    step, fp = tick_step(ticks, *data)
    slack = 1e-8 * step + 2 * fp
    assert ticks[0] <= data.min() + slack and ticks[-1] >= data.max() - slack, (name, ticks, data.min(), data.max())


@settings(max_examples=30, deadline=None)
@given(network_values(), rate_sets(), st.integers(1, MAX_STEPS))
def test_run_descent_ticks_cover_the_data_plotted(values, rates, steps):
    trace = run_descent(values, rates, steps)
    assert trace.rates == tuple(sorted(rates)) and trace.steps == steps
    assert_covers(trace.step_ticks, [0, steps], "step_ticks")
    assert trace.step_ticks[0] == 0
    losses = np.concatenate([run.losses for run in trace.network])
    assert_covers(trace.loss_ticks, np.append(losses, 0.0), "loss_ticks")
    assert trace.loss_ticks[0] == 0
    bowl = trace.bowl
    # the bowl is drawn over the w ticks, so the loss axis must reach the curve's height at both edges
    w_low, w_high = float(trace.bowl_w_ticks[0]), float(trace.bowl_w_ticks[-1])
    assert_covers(trace.bowl_w_ticks, [bowl.minimum - abs(bowl.start - bowl.minimum),
                                       bowl.minimum + abs(bowl.start - bowl.minimum)], "bowl_w_ticks")
    assert_covers(trace.bowl_loss_ticks, [0.0, float(bowl.loss(w_low)), float(bowl.loss(w_high))], "bowl_loss_ticks")
    assert trace.bowl_loss_ticks[0] == 0
    # every run that stays on the plot (all but the diverging ones) lies inside both axes
    for run in trace.bowl_runs:
        if run.behaviour != "diverges":
            assert_covers(trace.bowl_w_ticks, run.positions, f"bowl positions at rate {run.learning_rate}")
            assert_covers(trace.bowl_loss_ticks, run.losses, f"bowl losses at rate {run.learning_rate}")
    for ticks in (trace.step_ticks, trace.loss_ticks, trace.bowl_w_ticks, trace.bowl_loss_ticks):
        assert 2 <= len(ticks) <= 7


def test_default_descent_ticks():
    trace = run_descent(TEXTBOOK)
    np.testing.assert_allclose(trace.step_ticks, [0, 10, 20, 30])
    np.testing.assert_allclose(trace.bowl_w_ticks, [-6, -4, -2, 0, 2, 4, 6])  # 4 * 1.5 either side
    assert trace.bowl_loss_ticks[-1] >= 0.5 * 0.3 * 36
    assert trace.loss_ticks[-1] >= max(run.losses.max() for run in trace.network)


@pytest.mark.parametrize("bowl, rate, word", [
    # factor 1 - alpha h = 0 exactly: one step lands on the minimum and stays; floats overshoot it
    (Bowl(curvature=0.2, minimum=0.3, start=4.0), 5.0, "converges"),
    (Bowl(curvature=0.1, minimum=-0.7, start=4.0), 10.0, "converges"),
    # factor -1 exactly: the same height on each side for ever; floats make it creep up
    (Bowl(curvature=0.2, minimum=0.3, start=4.0), 10.0, "oscillates"),
    (Bowl(curvature=0.8, minimum=-0.7, start=0.7), 2.5, "oscillates"),
])
def test_bowl_behaviour_at_an_exact_boundary_is_decided_exactly(bowl, rate, word):
    run = descend_bowl(bowl, rate)
    assert run.behaviour == word
    if word == "converges":
        assert np.all(run.positions[1:] == bowl.minimum) and np.all(run.losses[1:] == 0)
    else:
        assert np.all(run.losses == run.losses[0])
