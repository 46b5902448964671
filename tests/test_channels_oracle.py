"""Convolution layers with input channels, several filters and dilation, against PyTorch.

PyTorch's conv2d (float64, autograd) recomputes z and every gradient from the raw values over
hypothesis-drawn shapes, channels, filters, strides, paddings and dilations; finite differences
check the whole pipeline's gradients without autograd; an exact rational reference
(``tests/layer_exact_reference.py``) decides the ReLU masks and pool winners of every map; and
the geometry's cells are tied to the values the arithmetic used.
"""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from convprop.mathcore import ConfigError, ModelConfig, run_model
from convprop.mathcore.batch import run_batch
from convprop.mathcore.conv import (conv_backward, conv_forward, input_gradient_as_full_convolution,
                                    kernel_gradient_as_correlation, output_size)
from convprop.mathcore.export import batch_to_json, trace_to_json
from convprop.mathcore.geometry import conv_geometry
from tests.torch_reference import away_from_kinks as one_map_away_from_kinks
from convprop.inputs.settings import lesson_from_settings
from tests.layer_exact_reference import head_exact, layer_exact
from tests.torch_reference import central_difference, np64, t64

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.filter_too_much])
TOL = dict(rtol=1e-9, atol=1e-9)


@st.composite
def layers(draw, max_side=9):
    """A valid layer configuration: channels, filters, kernel, stride, padding and dilation."""
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    config = ModelConfig(
        input_size=(draw(st.integers(1, max_side)), draw(st.integers(1, max_side))), kernel_size=kernel,
        stride=(draw(st.integers(1, 3)), draw(st.integers(1, 3))), padding=draw(st.integers(0, min(kernel) - 1)),
        dilation=(draw(st.integers(1, 3)), draw(st.integers(1, 3))),
        channels=draw(st.integers(1, 3)), filters=draw(st.integers(1, 4)),
        relu=draw(st.booleans()), pool=draw(st.sampled_from([0, 0, 1, 2])), seed=draw(st.integers(0, 2**32 - 1)),
    )
    try:
        config.validate()
    except ConfigError:
        assume(False)
    return config


def torch_layer(x, w, b, config, upstream):
    X, W, B = t64(x, grad=True), t64(w, grad=True), t64(b, grad=True)
    z = F.conv2d(X[None], W, B, stride=config.stride, padding=config.padding, dilation=config.dilation)[0]
    z.backward(t64(upstream))
    return np64(z), np64(W.grad), np64(B.grad), np64(X.grad)


@FAST
@given(layers(), st.integers(0, 2**32 - 1))
def test_layer_forward_and_backward_match_torch(config, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, config.input_shape)
    w = rng.uniform(-2, 2, config.kernel_shape)
    b = rng.uniform(-1, 1, config.filters)
    fwd = conv_forward(x, w, b, config.stride, config.padding, config.dilation)
    upstream = rng.uniform(-1, 1, fwd.Z.shape)
    z, dW, db, dX = torch_layer(x, w, b, config, upstream)
    assert fwd.Z.shape == (config.filters, *config.conv_output_size)
    np.testing.assert_allclose(fwd.Z, z, **TOL)
    back = conv_backward(fwd, upstream)
    np.testing.assert_allclose(back.dL_dW, dW, **TOL)
    np.testing.assert_allclose(back.dL_db, db, **TOL)
    np.testing.assert_allclose(back.dL_dX, dX, **TOL)
    # the per-channel sums add up to z; each filter's share adds up to dL/dX
    np.testing.assert_allclose(fwd.channel_sums.sum(axis=1) + b[:, None, None], fwd.Z, **TOL)
    np.testing.assert_allclose(back.dL_dX_by_filter.sum(axis=0), back.dL_dX, **TOL)
    # the lecture's two convolutions, per (filter, channel), agree with the scatter-add
    for o in range(config.filters):
        for c in range(config.channels):
            np.testing.assert_allclose(
                kernel_gradient_as_correlation(fwd.X_padded[c], upstream[o], config.stride, config.kernel_size,
                                               config.dilation), back.dL_dW[o, c], **TOL)
            np.testing.assert_allclose(
                input_gradient_as_full_convolution(upstream[o], w[o, c], config.stride, fwd.X_padded.shape[1:],
                                                   config.dilation), back.dL_dX_padded_by_filter[o, c], **TOL)


@FAST
@given(layers(max_side=7), st.integers(0, 2**32 - 1))
def test_chain_rule_terms_and_geometry_hold_the_values_used(config, seed):
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(-1, 1, config.input_shape), 1)
    w = np.round(rng.uniform(-1, 1, config.kernel_shape), 1)
    fwd = conv_forward(x, w, np.zeros(config.filters), config.stride, config.padding, config.dilation)
    back = conv_backward(fwd, rng.uniform(-1, 1, fwd.Z.shape))
    g = conv_geometry(config.input_size, config.kernel_size, config.stride, config.padding, config.dilation)
    dh, dw = config.dilation
    assert g.output_shape == fwd.Z.shape[1:] == config.conv_output_size
    assert g.span == config.span
    # taps d apart from the window's origin; the gap cells are the span's other cells
    np.testing.assert_array_equal(g.window_cells[..., 1:, :, 0] - g.window_cells[..., :-1, :, 0], dh)
    np.testing.assert_array_equal(g.window_cells[..., :, 1:, 1] - g.window_cells[..., :, :-1, 1], dw)
    assert g.gap_cells.shape[2] == g.span[0] * g.span[1] - config.kernel_size[0] * config.kernel_size[1]
    for r, col in np.ndindex(*g.output_shape):
        taps = {tuple(cell) for cell in g.window_cells[r, col].reshape(-1, 2)}
        gaps = {tuple(cell) for cell in g.gap_cells[r, col]}
        top, left = g.window_origins[r, col]
        span = {(top + i, left + j) for i in range(g.span[0]) for j in range(g.span[1])}
        assert taps | gaps == span and not taps & gaps
    for c in range(config.channels):
        cells = g.window_cells
        np.testing.assert_array_equal(fwd.windows[c], fwd.X_padded[c][cells[..., 0], cells[..., 1]])
        # a skipped cell is a padded cell no tap reaches: it gets no gradient
        for r, col in g.skipped_cells:
            assert back.dL_dX_padded[c][r, col] == 0
    for o in range(config.filters):
        for c in range(config.channels):
            for wg in back.channel_weight_gradients[o][c]:
                assert (wg.filter, wg.channel) == (o, c)
                assert wg.total == pytest.approx(sum(t.product for t in wg.terms), abs=1e-12)
                for t in wg.terms:
                    assert fwd.X_padded[c][t.input_position] == t.dz_dw


def test_the_convolution_arithmetic_dilation_example():
    """Dumoulin and Visin's example: i = 7, k = 3, d = 2, s = 1, p = 0 gives o = 3."""
    assert output_size(7, 3, 1, 0, 2) == 3
    config = ModelConfig(input_size=(7, 7), kernel_size=(3, 3), stride=(1, 1), dilation=(2, 2)).validate()
    assert config.conv_output_size == (3, 3) and config.span == (5, 5)
    x = np.arange(49.0).reshape(7, 7) / 10
    fwd = conv_forward(x, np.ones((3, 3)), 0.0, (1, 1), 0, (2, 2))
    assert fwd.z.shape == (3, 3)
    assert fwd.z[0, 0] == pytest.approx(x[0:5:2, 0:5:2].sum())
    torch_z = F.conv2d(t64(x)[None, None], t64(np.ones((1, 1, 3, 3))), dilation=2)[0, 0]
    np.testing.assert_allclose(fwd.z, np64(torch_z), **TOL)


def torch_pipeline(values, config):
    """conv2d -> ReLU -> max pool per map -> flatten -> dense -> BCE, and one SGD step."""
    X = t64(values.X)
    W, B = t64(values.W, grad=True), t64(values.b, grad=True)
    V, C = t64(values.fc_weight, grad=True), t64(float(values.fc_bias), grad=True)

    def loss_of():
        z = F.conv2d(X[None], W, B, stride=config.stride, padding=config.padding, dilation=config.dilation)
        a = torch.relu(z) if config.relu else z
        p = F.max_pool2d(a, config.pool, config.pool) if config.pool else a
        features = p.flatten()  # map, row, column: PyTorch's own order
        logit = V @ features + C
        return z, a[0], p[0], features, F.binary_cross_entropy_with_logits(logit, torch.tensor(values.target))

    z, a, p, features, loss = loss_of()
    z.retain_grad()
    loss.backward()
    out = {"Z": np64(z[0]), "A": np64(a), "P": np64(p), "features": np64(features), "loss": float(loss.detach()),
           "dL_dZ": np64(z.grad[0]), "dL_dW": np64(W.grad), "dL_db": np64(B.grad), "dL_dV": np64(V.grad)}
    torch.optim.SGD([W, B, V, C], lr=config.learning_rate).step()
    with torch.no_grad():
        out.update(W_updated=np64(W), b_updated=np64(B), loss_updated=float(loss_of()[-1].detach()))
    return out


def away_from_kinks(z, relu, pool, margin=1e-6) -> bool:
    """The single-map rule (``torch_reference.away_from_kinks``) on every filter's map."""
    return all(one_map_away_from_kinks(m, relu, pool, margin) for m in np.asarray(z))


@FAST
@given(layers(), st.integers(0, 2**32 - 1))
def test_whole_pipeline_matches_torch_autograd(config, seed):
    rng = np.random.default_rng(seed)
    given_values = {"input": rng.uniform(-2, 2, config.input_shape).tolist(),
                    "kernel": rng.uniform(-2, 2, config.kernel_shape).tolist(),
                    "bias": rng.uniform(-1, 1, config.filters).tolist(),
                    "fc_weight": rng.uniform(-2, 2, config.feature_count).tolist(), "fc_bias": 0.3, "target": 1.0}
    t = run_model(config, given_values)
    assume(away_from_kinks(t.conv.Z, config.relu, config.pool))
    ref = torch_pipeline(t.values, config)
    np.testing.assert_allclose(t.conv.Z, ref["Z"], **TOL)
    np.testing.assert_allclose(t.head.A, ref["A"], **TOL)
    np.testing.assert_allclose(t.head.P, ref["P"], **TOL)
    np.testing.assert_allclose(t.head.features, ref["features"], **TOL)
    assert t.loss == pytest.approx(ref["loss"], rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(t.conv_grad.dL_dZ, ref["dL_dZ"], **TOL)
    np.testing.assert_allclose(t.conv_grad.dL_dW, ref["dL_dW"], **TOL)
    np.testing.assert_allclose(t.conv_grad.dL_db, ref["dL_db"], **TOL)
    np.testing.assert_allclose(t.dL_dfc_weight, ref["dL_dV"], **TOL)
    np.testing.assert_allclose(t.W_updated, ref["W_updated"], **TOL)
    np.testing.assert_allclose(t.b_updated, ref["b_updated"], **TOL)
    assert t.loss_updated == pytest.approx(ref["loss_updated"], rel=1e-9, abs=1e-12)
    # the single-channel names are filter 0's and channel 0's views
    assert t.conv.z is not None and np.array_equal(t.conv.z, t.conv.Z[0])
    np.testing.assert_array_equal(t.conv.kernel, t.conv.W[0, 0])
    np.testing.assert_array_equal(t.kernel_updated, t.W_updated[0, 0])
    assert len(t.filter_head_geometry) == config.filters


def test_gradients_agree_with_finite_differences():
    """dL/dW, dL/db and dL/dX of the whole pipeline, by central differences, without autograd."""
    config = ModelConfig(input_size=(6, 5), kernel_size=(2, 3), stride=(1, 2), padding=1, dilation=(2, 1),
                         channels=2, filters=3, relu=False, pool=0).validate()
    rng = np.random.default_rng(7)
    values = {"input": rng.uniform(-1, 1, config.input_shape), "kernel": rng.uniform(-1, 1, config.kernel_shape),
              "bias": rng.uniform(-1, 1, config.filters), "fc_weight": rng.uniform(-1, 1, config.feature_count),
              "fc_bias": 0.1, "target": 1.0}
    t = run_model(config, {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in values.items()})

    def loss_with(name):
        def f(array):
            given = {k: v.tolist() if isinstance(v, np.ndarray) else v for k, v in values.items()}
            given[name] = array.tolist()
            return run_model(config, given).loss
        return f

    np.testing.assert_allclose(t.conv_grad.dL_dW, central_difference(loss_with("kernel"), values["kernel"]),
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(t.conv_grad.dL_db, central_difference(loss_with("bias"), values["bias"]),
                               rtol=1e-5, atol=1e-7)
    # dL/dX: the input is data, but the backward pass still reaches it
    dL_dX = central_difference(lambda x: run_model(config, {**{k: v.tolist() if isinstance(v, np.ndarray) else v
                                                                 for k, v in values.items()},
                                                              "input": x.tolist()}).loss, values["input"])
    np.testing.assert_allclose(t.conv_grad.dL_dX, dL_dX, rtol=1e-5, atol=1e-7)


INPUTS = [-0.2, -0.1, 0.0, 0.1, 0.2]
KERNELS = [-1.0, 0.0, 1.0]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(layers(max_side=6), st.data())
def test_kink_decisions_are_exact_on_every_map(config, data):
    """Exact zeros before the ReLU and ties in pool windows, on every map: decided as written."""
    draw = lambda values, shape: np.array(data.draw(st.lists(st.sampled_from(values), min_size=int(np.prod(shape)),  # noqa: E731
                                                             max_size=int(np.prod(shape))))).reshape(shape)
    x, w = draw(INPUTS, config.input_shape), draw(KERNELS, config.kernel_shape)
    b = draw(INPUTS, (config.filters,))
    t = run_model(config, {"input": x.tolist(), "kernel": w.tolist(), "bias": b.tolist(),
                           "fc_weight": [0.5] * config.feature_count, "fc_bias": 0.0, "target": 1.0})
    z, channel_sums = layer_exact(x.tolist(), w.tolist(), b.tolist(), config.stride, config.padding, config.dilation)
    np.testing.assert_array_equal(t.conv.Z, np.array([[[float(v) for v in row] for row in m] for m in z]))
    np.testing.assert_array_equal(t.conv.channel_sums, np.array(
        [[[[float(v) for v in row] for row in m] for m in per_c] for per_c in channel_sums]))
    maps, features = head_exact(z, config.relu, config.pool)
    np.testing.assert_array_equal(t.head.features, [float(v) for v in features])
    for o, m in enumerate(maps):
        if config.relu:
            np.testing.assert_array_equal(t.head.relu_masks[o], m["mask"])
            # ReLU'(0) = 0: a blocked cell passes no gradient
            assert np.all(t.conv_grad.dL_dZ[o][~np.array(m["mask"])] == 0)
        if config.pool:
            np.testing.assert_array_equal(t.head.winners[o], np.array(m["winners"]))
            np.testing.assert_array_equal(t.filter_head_geometry[o].pool_winners, np.array(m["winners"]))
    assert not np.any(np.signbit(t.conv.Z) & (t.conv.Z == 0))


def test_batch_pipeline_with_filters_averages_and_counts():
    config = ModelConfig(input_size=(6, 6), stride=(1, 1), channels=3, filters=2, dilation=(1, 2))
    b = run_batch(config, size=3)
    np.testing.assert_allclose(b.dL_dW, np.mean([s.conv_grad.dL_dW for s in b.samples], axis=0), **TOL)
    np.testing.assert_allclose(b.dL_db, np.mean([s.conv_grad.dL_db for s in b.samples], axis=0), **TOL)
    assert b.parameter_counts["conv"] == 2 * 3 * 3 * 3 + 2
    assert b.shapes["X"] == (3, 6, 6) and b.shapes["W1"] == (2, 3, 3, 3) and b.shapes["Z1"][0] == 2
    assert all(s.values.X.shape == (3, 6, 6) for s in b.samples)
    data = batch_to_json(b)
    assert np.shape(data["inputs"]) == (3, 3, 6, 6) and np.shape(data["averaged"]["dL_dkernel"]) == (2, 3, 3, 3)
    assert data["channels"] == 3 and data["filters"] == 2 and data["dilation"] == [1, 2]


def test_json_of_a_layer_leads_with_the_channel_axes():
    t = lesson_from_settings(input_size=(6, 7), kernel_size=2, stride=1, channels=2, filters=3, dilation=2,
                             relu=True, pool=2).model
    data = trace_to_json(t)
    single = trace_to_json(run_model(ModelConfig()))
    assert set(single) <= set(data)
    assert np.shape(data["input"]) == (2, 6, 7) and np.shape(data["padded_input"]) == (2, 6, 7)
    assert np.shape(data["kernel"]) == (3, 2, 2, 2) and np.shape(data["kernel_updated"]) == (3, 2, 2, 2)
    assert np.shape(data["bias"]) == (3,) and np.shape(data["bias_updated"]) == (3,) and np.shape(data["dL_dbias"]) == (3,)
    assert np.shape(data["z"]) == (3, 4, 5) and np.shape(data["dL_dz"]) == (3, 4, 5)
    assert np.shape(data["pooled"]) == (3, 2, 2) and len(data["features"]) == 12 == len(data["fc_weight"])
    assert np.shape(data["patches"]) == (2, 4, 5, 2, 2) and np.shape(data["channel_sums"]) == (3, 2, 4, 5)
    assert np.shape(data["dL_dinput"]) == (2, 6, 7) and np.shape(data["dL_dkernel"]) == (3, 2, 2, 2)
    assert len(data["dL_dkernel_terms"]) == 3 and len(data["dL_dkernel_terms"][0]) == 2
    assert len(data["dL_dkernel_terms"][0][0]) == 4 and len(data["dL_dkernel_terms"][0][0][0]) == 20
    assert data["channels"] == 2 and data["filters"] == 3 and data["dilation"] == [2, 2]


def test_single_channel_json_keeps_its_keys_and_values():
    """The lecture's JSON, C = F = 1 without dilation, against values worked out by hand."""
    given = {"input": [[1.0, 2.0, 0.0], [0.0, 1.0, -1.0], [2.0, 0.0, 1.0]], "kernel": [[1.0, -1.0], [0.5, 0.0]],
             "bias": 0.5, "fc_weight": [1.0, 0.0, 0.0, -1.0], "fc_bias": 0.0, "target": 1.0}
    t = run_model(ModelConfig(input_size=(3, 3), kernel_size=(2, 2), stride=(1, 1)), given)
    data = trace_to_json(t)
    assert list(data) == [
        "input", "padded_input", "kernel", "kernel_name", "bias", "stride", "padding", "relu", "pool", "z", "patches",
        "activated", "pooled", "features", "fc_weight", "fc_bias", "logit", "y_hat", "target", "loss", "dL_dy_hat",
        "dy_hat_dlogit", "dL_dlogit", "dL_dz", "dL_dkernel", "dL_dkernel_terms", "dL_dbias", "dL_dinput",
        "dL_dfc_weight", "dL_dfc_bias", "learning_rate", "kernel_updated", "bias_updated", "fc_weight_updated",
        "fc_bias_updated", "loss_updated", "draw"]
    # every value given: the seed's draw is reported, and what was given instead of drawn
    assert data["draw"]["given"] == sorted(given)
    # z[0][0] = 1 - 2 + 0 + 0 + 0.5; z[0][1] = 2 - 0 + 0.5 + 0.5; z[1][0] = 0 - 1 + 1 + 0.5; z[1][1] = 1 + 1 + 0 + 0.5
    assert data["z"] == [[-0.5, 3.0], [0.5, 2.5]]
    assert data["bias"] == 0.5 and data["kernel"] == [[1.0, -1.0], [0.5, 0.0]]
    assert data["logit"] == -3.0 and data["features"] == [-0.5, 3.0, 0.5, 2.5]
    assert data["patches"][0][1] == [[2.0, 0.0], [1.0, -1.0]]
    dL_dlogit = data["y_hat"] - 1.0
    assert data["dL_dz"] == [[dL_dlogit, 0.0], [0.0, -dL_dlogit]]
    assert data["dL_dbias"] == 0.0
    # dL/dW = dL/dlogit (patch(0, 0) - patch(1, 1))
    np.testing.assert_allclose(data["dL_dkernel"], [[0.0, 3 * dL_dlogit], [0.0, 0.0]], rtol=1e-15)
    assert np.shape(data["dL_dinput"]) == (3, 3) and isinstance(data["bias_updated"], float)
    assert np.shape(data["dL_dkernel_terms"]) == (4, 4)
