"""Seeded lessons are worth teaching: no seeded value is exactly zero, and no draw the lecture's
option sets use leaves a gradient exactly zero, a target already predicted, a step that does not
move the loss, a ReLU that only passes or only blocks, or pool winners all in one place.

Every "exactly" is decided here with Fractions over the written values (``layer_exact_reference``,
written apart from mathcore); the losses before and after the step are the trace's (proven
against PyTorch in ``test_model_oracle``), rounded exactly as the screen rounds them.
"""

import math
from fractions import Fraction

import pytest

from convprop.mathcore.batch import pipeline_config
from convprop.mathcore.config import ModelConfig
from convprop.mathcore.explained_weight import explained_weight
from convprop.mathcore.export import trace_to_json
from convprop.mathcore.lesson import run_lesson
from convprop.mathcore.model import run_model
from convprop.mathcore.redraw import MAX_DRAWS, explain, seeded_draw
from convprop.mathcore.values import drawn_values
from tests.exact_reference import dec
from tests.layer_exact_reference import head_exact, layer_exact

SEEDS = range(200)
LOSS_DECIMALS = 3  # the update scene's
# The option sets a lecture is rendered with: the defaults, each option the lecture's scenes
# show (padding, stride, ReLU, pooling, channels and filters, dilation), and the padded, pooled
# 7x7 lecture of examples/jobs.toml.
OPTION_SETS = {
    "defaults": {},
    "padding": {"padding": 1},
    "stride-1": {"stride": (1, 1)},
    "relu": {"relu": True},
    "pool": {"pool": 2},
    "relu-pool": {"relu": True, "pool": 2},
    "7x7-padded-pooled": {"input_size": (7, 7), "stride": (1, 1), "padding": 1, "relu": True, "pool": 2},
    "layer": {"channels": 3, "filters": 2},
    "layer-relu-padded": {"channels": 2, "filters": 2, "padding": 1, "relu": True},
    "dilated": {"input_size": (7, 7), "stride": (1, 1), "dilation": (2, 2)},
}


def traces(config: ModelConfig) -> list:
    """The lesson's CNN and the first image of its mini-batch pipeline (ReLU and pooling on), whose
    seeded values are the same draw's: both are what a student sees."""
    pipeline = pipeline_config(config)
    return [run_model(config), run_model(pipeline, None, lecture=config)]


def at_places(value: float, places: int) -> bool:
    return (dec(value) * 10 ** places).denominator == 1


def what_is_wrong(trace) -> list[str]:
    """Everything degenerate in the trace's seeded values, decided exactly, apart from mathcore."""
    c, v = trace.config, trace.values
    wrong = []
    fc_places = 1 if c.feature_count <= 9 else 2
    for name, values, places in (("X", v.X.flat, 1), ("W", v.W.flat, 1), ("b", v.b.flat, 1),
                                 ("fc_weight", v.fc_weight.flat, fc_places), ("fc_bias", [v.fc_bias], 1)):
        for x in values:
            if x == 0 or not at_places(x, places):
                wrong.append(f"{name} value {x!r}")
    z, _ = layer_exact(v.X.tolist(), v.W.tolist(), v.b.tolist(), c.stride, c.padding, c.dilation)
    maps, features = head_exact(z, c.relu, c.pool)
    rows, cols = len(z[0]), len(z[0][0])
    # dL/dz = (y_hat - y) * flow, y_hat - y never 0: flow is the dense weight routed back exactly
    fc = [dec(w) for w in v.fc_weight]
    flow, reads = [], []
    per_map = len(fc) // c.filters
    for o, m in enumerate(maps):
        pooled_cols = len(m["pooled"][0])
        g = [[Fraction(0)] * cols for _ in range(rows)]
        read = [[False] * cols for _ in range(rows)]
        for i, row in enumerate(m["pooled"]):
            for j, _ in enumerate(row):
                r, col = m["winners"][i][j] if c.pool else (i, j)
                if m["mask"][r][col]:
                    g[r][col] += fc[o * per_map + i * pooled_cols + j]
                    read[r][col] = True
        for r in range(rows):
            for col in range(cols):
                if read[r][col] and g[r][col] == 0:
                    wrong.append(f"dL/dz[{o}][{r}][{col}] = 0")
        flow.append(g)
        reads.append(read)
        if c.relu and rows * cols > 1:
            passed = sum(x for row in m["mask"] for x in row)
            if passed in (0, rows * cols):
                wrong.append(f"the ReLU passes {passed} of {rows * cols} cells of map {o}")
        if c.pool and len(m["winners"]) * pooled_cols > 1:
            places = {(r % c.pool, col % c.pool) for row in m["winners"] for r, col in row}
            if len(places) == 1:
                wrong.append(f"every winner of map {o} at {places}")
    (h, w), (kh, kw), (sh, sw), (dh, dw), p = c.input_size, c.kernel_size, c.stride, c.dilation, c.padding
    x_exact = [[[dec(x) for x in row] for row in channel] for channel in v.X.tolist()]
    for o in range(c.filters):
        if sum(x for row in flow[o] for x in row) == 0:
            wrong.append(f"dL/db[{o}] = 0")
        for ch in range(c.channels):
            for a in range(kh):
                for b in range(kw):
                    terms = [flow[o][r][col] * x_exact[ch][r * sh + a * dh - p][col * sw + b * dw - p]
                             for r in range(rows) for col in range(cols)
                             if 0 <= r * sh + a * dh - p < h and 0 <= col * sw + b * dw - p < w and flow[o][r][col]]
                    # zero by non-zero terms cancelling; every term zero is the padding's or the ReLU's lesson
                    if any(terms) and sum(terms) == 0:
                        wrong.append(f"dL/dW[{o}][{ch}][{a}][{b}] = 0")
    logit = float(sum(dec(x) * f for x, f in zip(v.fc_weight, features)) + dec(v.fc_bias))
    y_hat = 1 / (1 + math.exp(-logit)) if logit >= 0 else math.exp(logit) / (1 + math.exp(logit))
    if abs(y_hat - v.target) <= 0.05:
        wrong.append(f"y_hat {y_hat} for target {v.target}")
    if round(Fraction(trace.loss), LOSS_DECIMALS) == round(Fraction(trace.loss_updated), LOSS_DECIMALS):
        wrong.append(f"loss {trace.loss} -> {trace.loss_updated}")
    return wrong


@pytest.mark.parametrize("options", OPTION_SETS.values(), ids=OPTION_SETS.keys())
def test_no_seed_draws_a_degenerate_lesson(options):
    found = {}
    for seed in SEEDS:
        lecture, pipeline = traces(ModelConfig(**options, seed=seed))
        assert not lecture.draw.unresolved, explain(lecture.draw)
        # image 1 and the kernel of the pipeline are the lecture's
        assert (pipeline.values.X == lecture.values.X).all() and (pipeline.values.W == lecture.values.W).all()
        for name, trace in (("lecture", lecture), ("pipeline", pipeline)):
            if wrong := what_is_wrong(trace):
                found[(name, seed)] = wrong
    assert not found, list(found.items())[:3]


def test_the_default_lesson_is_worth_teaching():
    """The whole default lesson: its CNN, and every image of its mini-batch (seeded too)."""
    lesson = run_lesson()
    assert not what_is_wrong(lesson.model)
    assert not what_is_wrong(lesson.pipeline.samples[0])
    for sample in lesson.pipeline.samples:
        assert all(x != 0 and at_places(x, 1) for x in sample.values.X.flat)


def test_the_first_default_draw_was_degenerate_and_the_explanation_says_why():
    """Seed 0's own draw has dL/dw_2 exactly 0 (decided here with Fractions), so the lesson uses
    its second draw, and the report (and the JSON) say so."""
    config = ModelConfig()
    first = drawn_values(config, 0)
    z, _ = layer_exact(first.X.tolist(), first.W.tolist(), first.b.tolist(), config.stride, 0, (1, 1))
    flat_z = [x for row in z[0] for x in row]
    # no ReLU, no pool: dL/dw_2 is (y_hat - y) * sum_k fc_k x_k under w_2 (row 0, column 1)
    under_w2 = [first.X[0, r * 2, col * 2 + 1] for r in range(2) for col in range(2)]
    assert len(flat_z) == 4 and sum(dec(f) * dec(x) for f, x in zip(first.fc_weight, under_w2)) == 0
    trace = run_model(config)
    assert trace.draw.number == 2 and trace.draw.passed_over == ((1, ("dL/dw_2 is exactly 0",)),)
    assert "draw 1 was drawn again: dL/dw_2 is exactly 0" in explain(trace.draw)
    assert trace_to_json(trace)["draw"]["redrawn"] == [{"draw": 1, "because": ["dL/dw_2 is exactly 0"]}]


def test_given_values_are_used_as_given_and_the_rest_stays_the_seeds():
    given = {"input": [[0.0] * 5] * 5, "bias": 0}
    trace = run_model(ModelConfig(), given)
    seeded = run_model(ModelConfig())
    assert (trace.values.input == 0).all() and trace.values.bias == 0
    assert (trace.values.kernel == seeded.values.kernel).all()
    assert (trace.values.fc_weight == seeded.values.fc_weight).all()
    assert trace.draw.given == ("bias", "input")
    assert "used as given: bias, input" in explain(trace.draw)


def test_a_weight_whose_terms_all_read_the_padding_is_not_held_against_the_draw():
    """Every tap of w_1 reads the padding alone (3x3 input, padding 2, stride 5): its gradient is
    zero whatever is drawn, which is not held against a draw; the chain rule explains another."""
    config = ModelConfig(input_size=(3, 3), padding=2, stride=(5, 5))
    trace = run_model(config)
    assert trace.draw.number == 1 and not trace.draw.unresolved
    assert trace.conv_grad.dL_dkernel[0, 0] == 0
    counts = [sum(1 for t in g.terms if t.dL_dz != 0 and t.dz_dw != 0) for g in trace.conv_grad.weight_gradients]
    assert counts[trace.explained_weights[0][0]] == max(counts) > 0


def test_the_redraw_is_bounded():
    assert MAX_DRAWS <= 50
    draw = seeded_draw(ModelConfig(seed=3, relu=True, pool=2, channels=3, filters=4, input_size=(9, 9), stride=(1, 1)))
    assert draw.number <= MAX_DRAWS


@pytest.mark.parametrize("options, expected", [
    ({}, 0),  # every weight has its four terms: the first
    ({"padding": 1}, 4),  # w_1's terms read the padding at five of nine outputs; w_5 none
    ({"padding": 1, "channels": 2, "filters": 2}, 4),
])
def test_the_explained_weight_has_the_most_nonzero_terms(options, expected):
    trace = run_model(ModelConfig(**options))
    for row in trace.conv_grad.channel_weight_gradients:
        for kernel in row:
            counts = []
            for g in kernel:  # counted here from the padded input and dL/dz, apart from the trace's own count
                counts.append(sum(1 for t in g.terms if t.dL_dz != 0 and
                                  trace.conv.X_padded[g.channel][t.input_position] != 0))
            first_best = counts.index(max(counts))
            assert first_best == expected == explained_weight(kernel)
    assert trace.explained_weights[0][0] == expected
