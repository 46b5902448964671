"""The mini-batch pipeline (conv -> ReLU -> max pool -> flatten -> dense -> sigmoid -> mean BCE,
gradients averaged over the batch, one SGD step) against the same batch rebuilt in torch autograd
(float64), against torch run on each image alone, and against finite differences of the batch loss.

Every expected number is recomputed here from the trace's *inputs* (the images, the targets and the
initial shared weights); nothing is copied from the trace's computed fields.
"""

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from convprop.mathcore import ConfigError, ModelConfig, run_model
from convprop.mathcore.batch import MAX_BATCH, BatchTrace, pipeline_config, run_batch
from convprop.mathcore.conv import conv_forward
from convprop.mathcore.model import head_forward
from convprop.mathcore.values import seeded_values
from tests.strategies import configs, configs_and_values
from tests.torch_reference import (
    TOL,
    away_from_kinks,
    central_difference,
    np64,
    num,
    t64,
    torch_model,
)

torch.set_default_dtype(torch.float64)

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])


# --- strategies ------------------------------------------------------------------------------------

@st.composite
def batch_cases(draw):
    """A configuration, a batch size 1..4 and, half the time, the user's own full-precision values
    (fc_weight sized for the configuration as given, as the CLI would pass them)."""
    config, given_values = draw(configs_and_values())
    return config, given_values, draw(st.integers(1, MAX_BATCH))


# --- the independent torch reference ---------------------------------------------------------------

def conv_side(n, k, s, p):
    """The convolution output length, asked of torch itself rather than of mathcore's formula."""
    return F.conv2d(torch.zeros(1, 1, 1, n + 0), torch.zeros(1, 1, 1, k), stride=(1, s),
                    padding=(0, p)).shape[-1]


def expected_pool(config: ModelConfig) -> int:
    """The pipeline's pool window by its documented rule: the configured one, else 2, else 1 when
    the convolution output is a single row or column."""
    if config.pool:
        return config.pool
    out = [conv_side(n, k, s, config.padding) for n, k, s in zip(config.input_size, config.kernel_size, config.stride)]
    return 1 if min(out) == 1 else 2


def torch_batch(inputs, targets, kernel, bias, fc_weight, fc_bias, stride, padding, pool, learning_rate) -> dict:
    """The batch in torch: one conv2d over an (M, 1, H, W) tensor, ReLU, max_pool2d, flatten,
    linear, mean binary_cross_entropy_with_logits; autograd; one torch.optim.SGD step."""
    X = t64(np.stack([np.asarray(x, float) for x in inputs]))[:, None]  # (M, 1, H, W)
    y = t64(targets)
    K = t64(kernel, grad=True)
    B = t64([float(bias)], grad=True)
    W = t64(fc_weight, grad=True)
    C = t64(float(fc_bias), grad=True)

    def forward():
        z = F.conv2d(X, K[None, None], bias=B, stride=tuple(stride), padding=padding)
        p = F.max_pool2d(torch.relu(z), pool, pool)
        f = torch.flatten(p, 1)  # (M, features)
        logits = F.linear(f, W[None], C.reshape(1))[:, 0]  # (M,)
        return z, f, logits, F.binary_cross_entropy_with_logits(logits, y, reduction="mean")

    z, f, logits, loss = forward()
    logits.retain_grad()
    loss.backward()
    with torch.no_grad():
        losses = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    out = {
        "z": np64(z[:, 0]), "features": np64(f).T, "logits": np64(logits)[None], "loss": num(loss),
        "predictions": np64(torch.sigmoid(logits))[None], "losses": np64(losses),
        # dL/dlogit_i of the mean is (A2_i - y_i) / M, so M times it is each image's error
        "errors": np64(logits.grad)[None] * len(inputs),
        "dL_dkernel": np64(K.grad), "dL_dbias": num(B.grad[0]),
        "dL_dfc_weight": np64(W.grad)[None], "dL_dfc_bias": num(C.grad),
    }
    torch.optim.SGD([K, B, W, C], lr=learning_rate).step()
    with torch.no_grad():
        *_, loss_updated = forward()
    out.update(kernel_updated=np64(K), bias_updated=num(B[0]), fc_weight_updated=np64(W),
               fc_bias_updated=num(C), loss_updated=num(loss_updated))
    return out


def reference(trace: BatchTrace, pool: int) -> dict:
    c, v = trace.config, trace.samples[0].values
    return torch_batch([s.values.input for s in trace.samples], [s.values.target for s in trace.samples],
                       v.kernel, v.bias, v.fc_weight, v.fc_bias, c.stride, c.padding, pool, c.learning_rate)


BATCH_FIELDS = (
    "features", "logits", "predictions", "losses", "loss", "errors", "dL_dkernel", "dL_dbias",
    "dL_dfc_weight", "dL_dfc_bias", "kernel_updated", "bias_updated", "fc_weight_updated",
    "fc_bias_updated", "loss_updated",
)


def assert_batch_matches(trace: BatchTrace, ref: dict):
    for key in BATCH_FIELDS:
        a, e = np.asarray(getattr(trace, key), float), np.asarray(ref[key], float)
        assert a.shape == e.shape, (key, a.shape, e.shape)
        np.testing.assert_allclose(a, e, err_msg=key, **TOL)


def check_shared_and_targets(trace: BatchTrace):
    """Every image uses the first image's weights, and the batch's targets are the images' own."""
    first = trace.samples[0].values
    for s in trace.samples:
        np.testing.assert_array_equal(s.values.kernel, first.kernel)
        np.testing.assert_array_equal(s.values.fc_weight, first.fc_weight)
        assert (s.values.bias, s.values.fc_bias) == (first.bias, first.fc_bias)
        assert s.config == trace.config
    np.testing.assert_array_equal(trace.targets, [[s.values.target for s in trace.samples]])


# --- against torch -----------------------------------------------------------------------------------

@SETTINGS
@given(batch_cases())
def test_batch_matches_torch_autograd(case):
    config, given_values, size = case
    trace = run_batch(config, given_values, size)
    pool = expected_pool(config)
    ref = reference(trace, pool)
    # ReLU at exactly 0 and max-pool ties are kinks where float rounding may pick either side.
    assume(all(away_from_kinks(z, True, pool, 1e-9) for z in ref["z"]))
    assert trace.size == size and len(trace.samples) == size
    check_shared_and_targets(trace)
    assert_batch_matches(trace, ref)
    assert trace.learning_rate == config.learning_rate


@SETTINGS
@given(batch_cases())
def test_each_sample_gradient_matches_torch_and_they_average_to_the_batch_gradient(case):
    config, given_values, size = case
    trace = run_batch(config, given_values, size)
    pool, c = expected_pool(config), trace.config
    refs = [torch_model(s.values, c.stride, c.padding, True, pool, c.learning_rate) for s in trace.samples]
    assume(all(away_from_kinks(r["z"], True, pool, 1e-9) for r in refs))
    for i, (s, r) in enumerate(zip(trace.samples, refs)):
        np.testing.assert_allclose(s.conv_grad.dL_dkernel, r["dL_dkernel"], err_msg=f"sample {i} dL_dkernel", **TOL)
        np.testing.assert_allclose(s.dL_dfc_weight, r["dL_dfc_weight"], err_msg=f"sample {i} dL_dfc_weight", **TOL)
        assert s.conv_grad.dL_dbias == pytest.approx(r["dL_dbias"], rel=1e-9, abs=1e-9)
        assert s.dL_dfc_bias == pytest.approx(r["dL_dfc_bias"], rel=1e-9, abs=1e-9)
        assert s.loss == pytest.approx(r["loss"], rel=1e-9, abs=1e-9)
        assert trace.losses[i] == pytest.approx(r["loss"], rel=1e-9, abs=1e-9)
    # The per-sample gradients a scene draws side by side add up (divided by M) to the one the step uses.
    np.testing.assert_allclose(np.mean([s.conv_grad.dL_dkernel for s in trace.samples], axis=0),
                               trace.dL_dkernel, **TOL)
    np.testing.assert_allclose(np.mean([s.dL_dfc_weight for s in trace.samples], axis=0),
                               trace.dL_dfc_weight[0], **TOL)
    assert np.mean([s.conv_grad.dL_dbias for s in trace.samples]) == pytest.approx(trace.dL_dbias, rel=1e-9, abs=1e-12)
    assert np.mean([s.dL_dfc_bias for s in trace.samples]) == pytest.approx(trace.dL_dfc_bias, rel=1e-9, abs=1e-12)
    # ...and so do the torch per-sample gradients, to the batch gradient torch computes on its own.
    ref = reference(trace, pool)
    np.testing.assert_allclose(np.mean([r["dL_dkernel"] for r in refs], axis=0), ref["dL_dkernel"], **TOL)


@pytest.mark.parametrize("size", [1, 2, 3, 4])
@pytest.mark.parametrize("config", [
    ModelConfig(),  # the lecture's default: 5x5, 3x3 kernel, stride 2 -> z 2x2 -> pool 2 -> one feature
    ModelConfig(input_size=(8, 8), kernel_size=(3, 3), stride=(1, 1), seed=1),
    ModelConfig(input_size=(7, 6), kernel_size=(3, 2), stride=(2, 1), padding=1, pool=3, seed=2),
    ModelConfig(input_size=(3, 9), kernel_size=(3, 2), stride=(1, 1)),  # z is one row: pool 1
])
def test_fixed_batches_match_torch(config, size):
    trace = run_batch(config, size=size)
    pool = expected_pool(config)
    ref = reference(trace, pool)
    # seeds chosen so that no ReLU input and no pool window of any of the four images is at a kink
    assert all(away_from_kinks(z, True, pool, 1e-4) for z in ref["z"])
    check_shared_and_targets(trace)
    assert_batch_matches(trace, ref)


def test_default_batch_is_away_from_kinks_and_matches_torch():
    """The default lecture batch is compared unconditionally: it must not be skipped."""
    trace = run_batch(ModelConfig())
    assert trace.size == 2
    ref = reference(trace, 2)
    assert all(away_from_kinks(z, True, 2, 1e-6) for z in ref["z"])
    assert_batch_matches(trace, ref)
    assert trace.features.shape == (1, 2) and trace.dL_dfc_weight.shape == (1, 1)


# --- finite differences of the batch loss -----------------------------------------------------------

def batch_loss(trace: BatchTrace, kernel=None, bias=None, fc_weight=None, fc_bias=None) -> float:
    """Mean BCE over the batch, by mathcore's forward functions, with some shared weights swapped."""
    c, v = trace.config, trace.samples[0].values
    kernel = v.kernel if kernel is None else kernel
    bias = v.bias if bias is None else bias
    fc_weight = v.fc_weight if fc_weight is None else fc_weight
    fc_bias = v.fc_bias if fc_bias is None else fc_bias
    return float(np.mean([
        head_forward(c, conv_forward(s.values.input, kernel, bias, c.stride, c.padding), fc_weight, fc_bias,
                     s.values.target).loss
        for s in trace.samples
    ]))


def check_batch_finite_differences(trace: BatchTrace):
    v, h = trace.samples[0].values, 1e-6
    assert batch_loss(trace) == pytest.approx(trace.loss, rel=1e-12, abs=1e-14)
    fd_kernel = central_difference(lambda k: batch_loss(trace, kernel=k), v.kernel, h)
    fd_fc = central_difference(lambda w: batch_loss(trace, fc_weight=w), v.fc_weight, h)
    fd_bias = (batch_loss(trace, bias=v.bias + h) - batch_loss(trace, bias=v.bias - h)) / (2 * h)
    fd_fc_bias = (batch_loss(trace, fc_bias=v.fc_bias + h) - batch_loss(trace, fc_bias=v.fc_bias - h)) / (2 * h)
    np.testing.assert_allclose(trace.dL_dkernel, fd_kernel, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(trace.dL_dfc_weight[0], fd_fc, rtol=1e-6, atol=1e-8)
    assert trace.dL_dbias == pytest.approx(fd_bias, rel=1e-6, abs=1e-8)
    assert trace.dL_dfc_bias == pytest.approx(fd_fc_bias, rel=1e-6, abs=1e-8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(batch_cases())
def test_batch_gradients_match_finite_differences(case):
    config, given_values, size = case
    trace = run_batch(config, given_values, size)
    pool = trace.config.pool
    # Perturbing a kernel entry by 1e-6 moves z by a few 1e-6 at most: a 1e-4 margin keeps every
    # ReLU input and every pool window on one side of its kink over the whole difference.
    assume(all(away_from_kinks(s.z, True, pool, 1e-4) for s in trace.samples))
    check_batch_finite_differences(trace)


def test_default_batch_matches_finite_differences():
    trace = run_batch(ModelConfig(), size=MAX_BATCH)
    assert all(away_from_kinks(s.z, True, 2, 1e-4) for s in trace.samples)
    check_batch_finite_differences(trace)


# --- pipeline_config, batch size, the images ---------------------------------------------------------

@pytest.mark.parametrize("config, pool", [
    (ModelConfig(), 2),  # z 2x2
    (ModelConfig(relu=False, pool=0), 2),
    (ModelConfig(input_size=(8, 8), stride=(1, 1)), 2),  # z 6x6
    (ModelConfig(input_size=(8, 8), stride=(1, 1), pool=3), 3),  # the configured window is kept
    (ModelConfig(input_size=(8, 8), stride=(1, 1), pool=1), 1),
    (ModelConfig(input_size=(3, 9), stride=(1, 1)), 1),  # z 1x7: one row, so a window of 1
    (ModelConfig(input_size=(9, 3), stride=(1, 1)), 1),  # z 7x1: one column
    (ModelConfig(input_size=(3, 3)), 1),  # z 1x1
    (ModelConfig(input_size=(1, 1), kernel_size=(1, 1), stride=(1, 1)), 1),
])
def test_pipeline_config_turns_relu_on_and_picks_the_pool(config, pool):
    pipeline = pipeline_config(config)
    assert pipeline.relu is True
    assert pipeline.pool == pool == expected_pool(config)
    for field in ("input_size", "kernel_size", "stride", "padding", "seed", "learning_rate"):
        assert getattr(pipeline, field) == getattr(config, field), field
    assert pipeline.validate() is pipeline
    assert run_batch(config, size=1).config == pipeline


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_pipeline_config_rule_on_any_config(config):
    pipeline = pipeline_config(config)
    assert pipeline.relu is True and pipeline.pool == expected_pool(config)
    assert pipeline.validate() is pipeline
    assert pipeline_config(pipeline) == pipeline  # applying it twice changes nothing


@pytest.mark.parametrize("size", [0, -1, MAX_BATCH + 1, 10])
def test_batch_size_outside_one_to_four_raises(size):
    assert MAX_BATCH == 4
    with pytest.raises(ConfigError, match="batch size"):
        run_batch(ModelConfig(), size=size)


def test_batch_sizes_one_to_four_are_accepted():
    for size in range(1, MAX_BATCH + 1):
        trace = run_batch(ModelConfig(), size=size)
        assert trace.size == size
        assert trace.features.shape[1] == trace.predictions.shape[1] == trace.losses.shape[0] == size


def test_invalid_config_raises_config_error():
    with pytest.raises(ConfigError):
        run_batch(ModelConfig(kernel_size=(6, 6)))
    with pytest.raises(ConfigError):
        run_batch(ModelConfig(pool=3))  # z is 2x2


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(batch_cases())
def test_image_one_is_the_configured_or_given_input(case):
    config, given_values, size = case
    trace = run_batch(config, given_values, size)
    first = trace.samples[0].values
    if given_values is None:
        # The seeded input of the single-image lecture with the same configuration.
        lecture = run_model(config).values
        np.testing.assert_array_equal(first.input, lecture.input)
        np.testing.assert_array_equal(first.kernel, lecture.kernel)
        assert first.bias == lecture.bias
        return
    np.testing.assert_array_equal(first.input, given_values["input"])
    np.testing.assert_array_equal(first.kernel, given_values["kernel"])
    assert (first.bias, first.fc_bias, first.target) == tuple(given_values[k] for k in ("bias", "fc_bias", "target"))
    if trace.config.pooled_size == config.pooled_size:
        np.testing.assert_array_equal(first.fc_weight, given_values["fc_weight"])
    else:  # pooling shrank the features: the given dense weights cannot fit, the seed's are used
        np.testing.assert_array_equal(first.fc_weight, seeded_values(trace.config).fc_weight)
    assert first.fc_weight.shape == (int(np.prod(trace.config.pooled_size)),)


def test_given_values_with_the_default_config():
    given_values = {"input": np.sin(np.arange(25.0) * 1.7).reshape(5, 5).tolist(),
                    "kernel": [[0.5, -0.25, 1.0], [0.3, 0.7, -0.6], [0.2, -0.9, 0.45]],
                    "bias": 0.125, "fc_weight": [0.3, -0.2, 0.1, 0.4], "fc_bias": -0.05, "target": 1.0}
    trace = run_batch(ModelConfig(), given_values, 3)
    first = trace.samples[0].values
    np.testing.assert_array_equal(first.input, given_values["input"])
    # the default z is 2x2, pooled to 1x1: four given dense weights cannot be used, one seeded is
    assert first.fc_weight.shape == (1,)
    ref = reference(trace, 2)
    assert all(away_from_kinks(z, True, 2, 1e-9) for z in ref["z"])
    assert_batch_matches(trace, ref)


def _assert_images_differ(trace: BatchTrace):
    images = [s.values.input for s in trace.samples]
    for (i, a), (j, b) in itertools.combinations(enumerate(images), 2):
        assert a.shape == b.shape
        assert not np.array_equal(a, b), f"images {i + 1} and {j + 1} are equal: {a.tolist()}"


@pytest.mark.parametrize("config", [ModelConfig(), ModelConfig(input_size=(8, 8), stride=(1, 1), seed=7),
                                    ModelConfig(input_size=(3, 3), kernel_size=(2, 2), stride=(1, 1), seed=1)])
def test_images_differ_in_lecture_configs(config):
    _assert_images_differ(run_batch(config, size=MAX_BATCH))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(batch_cases())
def test_images_differ_from_one_another(case):
    config, given_values, size = case
    _assert_images_differ(run_batch(config, given_values, size))


def test_other_images_depend_on_the_seed_and_are_reproducible():
    a, b = run_batch(ModelConfig(seed=1), size=3), run_batch(ModelConfig(seed=1), size=3)
    c = run_batch(ModelConfig(seed=2), size=3)
    for s, t in zip(a.samples, b.samples):
        np.testing.assert_array_equal(s.values.input, t.values.input)
        assert s.values.target == t.values.target
    assert not np.array_equal(a.samples[1].values.input, c.samples[1].values.input)
    for s in a.samples:  # the seed's images are printed with one decimal, as every seeded value
        np.testing.assert_array_equal(s.values.input, np.round(s.values.input, 1))
        assert s.values.target in (0.0, 1.0)


def test_shapes_and_parameter_counts():
    trace = run_batch(ModelConfig(input_size=(8, 8), stride=(1, 1)), size=2)  # z 6x6 -> 3x3 -> 9 features
    assert trace.shapes["Z1"] == (6, 6) and trace.shapes["P1"] == (3, 3) and trace.shapes["F"] == (9, 1)
    assert trace.features.shape == (9, 2)
    assert trace.parameter_counts == {"conv": 10, "dense": 10, "total": 20}


def test_images_differ_for_a_one_pixel_input():
    """The smallest valid lecture (1x1 input, 1x1 kernel) with a full batch: each seeded image must
    still differ from the others, or the batch shows the same image twice."""
    config = ModelConfig(input_size=(1, 1), kernel_size=(1, 1), stride=(1, 1), seed=0)
    config.validate()
    _assert_images_differ(run_batch(config, size=MAX_BATCH))
