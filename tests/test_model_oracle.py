"""The whole model (conv -> [ReLU] -> [max pool] -> flatten -> dense -> sigmoid -> BCE, one SGD step)
against the same pipeline rebuilt in torch autograd, and against finite differences."""

import dataclasses
import json
import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings

from convprop.mathcore import ConfigError, ModelConfig, run_model
from convprop.mathcore.config import MAX_INPUT_SIDE
from convprop.mathcore.conv import conv_forward
from convprop.mathcore.export import trace_to_json
from convprop.mathcore.model import head_forward
from convprop.mathcore.values import config_for_values, resolve_values
from tests.torch_reference import TOL, away_from_kinks, central_difference, torch_model
from tests.strategies import configs, configs_and_values

torch.set_default_dtype(torch.float64)

COMPARED = (
    "z", "y_hat", "loss", "dL_dz", "dL_dbias", "dL_dinput", "dL_dfc_weight", "dL_dfc_bias",
    "kernel_updated", "bias_updated", "fc_weight_updated", "fc_bias_updated", "loss_updated",
)


def reference(trace):
    c = trace.config
    return torch_model(trace.values, c.stride, c.padding, c.relu, c.pool, c.learning_rate)


def ours(trace) -> dict:
    return {
        "z": trace.z, "y_hat": trace.head.y_hat, "loss": trace.loss, "dL_dz": trace.dL_dz,
        "dL_dkernel": trace.conv_grad.dL_dkernel, "dL_dbias": trace.conv_grad.dL_dbias,
        "dL_dinput": trace.conv_grad.dL_dinput, "dL_dfc_weight": trace.dL_dfc_weight,
        "dL_dfc_bias": trace.dL_dfc_bias, "kernel_updated": trace.kernel_updated,
        "bias_updated": trace.bias_updated, "fc_weight_updated": trace.fc_weight_updated,
        "fc_bias_updated": trace.fc_bias_updated, "loss_updated": trace.loss_updated,
        "activated": trace.head.activated, "pooled": trace.head.pooled, "features": trace.head.features,
        "logit": trace.head.logit, "dL_dlogit": trace.dL_dlogit,
    }


def assert_matches(actual: dict, expected: dict, keys):
    for key in keys:
        a, e = np.asarray(actual[key], float), np.asarray(expected[key], float)
        assert a.shape == e.shape, key
        np.testing.assert_allclose(a, e, err_msg=key, **TOL)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs_and_values())
def test_model_matches_torch_autograd(case):
    config, given_values = case
    trace = run_model(config, given_values)
    ref = reference(trace)
    # ReLU at exactly 0 and max-pool ties are kinks where float rounding may pick either side.
    assume(away_from_kinks(ref["z"], config.relu, config.pool, 1e-9))
    assert_matches(ours(trace), ref, COMPARED + ("dL_dkernel", "activated", "pooled", "features", "logit",
                                                  "dL_dlogit"))
    assert trace.z.shape == config.conv_output_size
    assert trace.head.pooled.shape == config.pooled_size
    if given_values is not None:  # the user's values are used exactly, never rounded
        v = trace.values
        np.testing.assert_array_equal(v.input, given_values["input"])
        np.testing.assert_array_equal(v.kernel, given_values["kernel"])
        np.testing.assert_array_equal(v.fc_weight, given_values["fc_weight"])
        assert (v.bias, v.fc_bias, v.target) == tuple(given_values[k] for k in ("bias", "fc_bias", "target"))
        np.testing.assert_array_equal(trace.conv.input, given_values["input"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs_and_values())
def test_exported_json_equals_torch(case):
    config, given_values = case
    trace = run_model(config, given_values)
    ref = reference(trace)
    assume(away_from_kinks(ref["z"], config.relu, config.pool, 1e-9))
    data = json.loads(json.dumps(trace_to_json(trace), allow_nan=False))
    v = trace.values
    expected = dict(
        ref, input=v.input, kernel=v.kernel, bias=v.bias, fc_weight=v.fc_weight, fc_bias=v.fc_bias,
        stride=list(config.stride), padding=config.padding, target=v.target,
        learning_rate=config.learning_rate,
    )
    keys = ("input", "kernel", "bias", "stride", "padding", "z", "fc_weight", "fc_bias", "y_hat", "target",
            "loss", "dL_dz", "dL_dkernel", "dL_dbias", "dL_dinput", "dL_dfc_weight", "dL_dfc_bias",
            "learning_rate", "kernel_updated", "bias_updated")
    assert set(keys) <= set(data)
    assert_matches(data, expected, keys + ("fc_weight_updated", "fc_bias_updated", "loss_updated", "logit"))
    assert data["stride"] == list(config.stride) and data["padding"] == config.padding
    # Every chain-rule term list sums to its exported gradient.
    flat = np.asarray(data["dL_dkernel"]).ravel()
    for i, terms in enumerate(data["dL_dkernel_terms"]):
        assert math.fsum(t["product"] for t in terms) == pytest.approx(flat[i], rel=1e-9, abs=1e-12)


# --- finite differences on the full model ------------------------------------------------------

def loss_of(config, values, kernel=None, input=None, bias=None) -> float:
    """The model's forward loss, from mathcore's own forward functions, with one argument swapped."""
    conv = conv_forward(values.input if input is None else input, values.kernel if kernel is None else kernel,
                        values.bias if bias is None else bias, config.stride, config.padding)
    return head_forward(config, conv, values.fc_weight, values.fc_bias, values.target).loss


def check_finite_differences(trace):
    c, v = trace.config, trace.values
    fd_kernel = central_difference(lambda k: loss_of(c, v, kernel=k), v.kernel)
    fd_input = central_difference(lambda x: loss_of(c, v, input=x), v.input)
    fd_bias = (loss_of(c, v, bias=v.bias + 1e-6) - loss_of(c, v, bias=v.bias - 1e-6)) / 2e-6
    np.testing.assert_allclose(trace.conv_grad.dL_dkernel, fd_kernel, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(trace.conv_grad.dL_dinput, fd_input, rtol=1e-6, atol=1e-8)
    assert trace.conv_grad.dL_dbias == pytest.approx(fd_bias, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("config", [
    ModelConfig(),
    ModelConfig(input_size=(7, 6), kernel_size=(3, 2), stride=(2, 3), padding=1, seed=3),
    ModelConfig(input_size=(6, 7), kernel_size=(2, 3), stride=(3, 3), seed=11),  # does not tile
    ModelConfig(input_size=(4, 4), kernel_size=(1, 1), stride=(1, 1), seed=5),
])
def test_finite_differences_smooth_model(config):
    check_finite_differences(run_model(config))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_finite_differences_any_model_away_from_kinks(config):
    trace = run_model(config)
    assume(away_from_kinks(trace.z, config.relu, config.pool, 1e-4))
    check_finite_differences(trace)


# --- defaults, seeded values, immutability -----------------------------------------------------

def test_default_config_is_the_stride_two_lecture():
    c = ModelConfig()
    assert (c.input_size, c.kernel_size, c.stride, c.padding) == ((5, 5), (3, 3), (2, 2), 0)
    assert (c.relu, c.pool) == (False, 0)
    trace = run_model(c)
    assert trace.z.shape == (2, 2)
    assert trace.values.fc_weight.shape == (4,)
    assert_matches(ours(trace), reference(trace), COMPARED + ("dL_dkernel",))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(configs())
def test_seeded_values_are_rounded_and_never_negative_zero(config):
    v = resolve_values(config)
    # dense weights past 9 features are narrower (fc_weight_spread) and keep a second decimal
    narrow = config.feature_count > 9
    for name in ("input", "kernel", "bias", "fc_weight", "fc_bias", "target"):
        arr = np.asarray(getattr(v, name), float)
        decimals = 2 if name == "fc_weight" and narrow else 1
        np.testing.assert_array_equal(arr, np.round(arr, decimals), err_msg=name)
        assert not np.any((arr == 0) & np.signbit(arr)), f"-0.0 in {name}"
        for x in arr.ravel():
            assert float(x) == round(float(x), decimals)
    assert v.target in (0.0, 1.0)
    assert np.abs(v.fc_weight).max() <= min(1.0, (9 / config.feature_count) ** 0.5) + 0.005
    again = resolve_values(config)
    np.testing.assert_array_equal(again.input, v.input)
    np.testing.assert_array_equal(again.kernel, v.kernel)


def _arrays(obj, path="trace"):
    if isinstance(obj, np.ndarray):
        yield path, obj
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            yield from _arrays(getattr(obj, f.name), f"{path}.{f.name}")
    elif isinstance(obj, (tuple, list)):
        for i, item in enumerate(obj):
            yield from _arrays(item, f"{path}[{i}]")


@pytest.mark.parametrize("config", [ModelConfig(), ModelConfig(relu=True, pool=2, input_size=(8, 8), stride=(1, 1))])
def test_trace_arrays_are_read_only(config):
    trace = run_model(config)
    found = list(_arrays(trace))
    assert len(found) > 20
    names = {p for p, _ in found}
    assert "trace.values.input" in names and "trace.conv.z" in names
    for path, arr in found:
        assert not arr.flags.writeable, path
        with pytest.raises(ValueError):
            arr[(0,) * arr.ndim] = 1
    if config.pool:
        assert "trace.head.pool_winners" in names


# --- invalid configurations ----------------------------------------------------------------------

@pytest.mark.parametrize("config", [
    ModelConfig(input_size=(2, 2), kernel_size=(3, 3)),  # kernel larger than padded input
    ModelConfig(input_size=(5, 1), kernel_size=(2, 3), padding=0),
    ModelConfig(stride=(0, 1)),
    ModelConfig(stride=(1, -2)),
    ModelConfig(input_size=(0, 5)),
    ModelConfig(kernel_size=(3, 0)),
    ModelConfig(padding=3),  # padding >= kernel size
    ModelConfig(kernel_size=(3, 2), padding=2),
    ModelConfig(padding=-1),
    ModelConfig(input_size=(MAX_INPUT_SIDE + 1, 5)),
    ModelConfig(kernel_size=(6, 3), input_size=(8, 8)),
    ModelConfig(pool=3),  # the default z is 2x2
    ModelConfig(pool=-1),
    ModelConfig(learning_rate=0.0),
    ModelConfig(learning_rate=-0.1),
    ModelConfig(learning_rate=float("inf")),
    ModelConfig(learning_rate=float("nan")),
])
def test_invalid_configs_raise_config_error(config):
    with pytest.raises(ConfigError):
        config.validate()
    with pytest.raises(ConfigError):
        run_model(config)


def test_config_error_is_a_one_line_value_error():
    with pytest.raises(ValueError) as info:
        ModelConfig(input_size=(2, 2)).validate()
    assert "\n" not in str(info.value) and str(info.value)


def test_largest_allowed_sizes_are_valid():
    ModelConfig(input_size=(MAX_INPUT_SIDE, MAX_INPUT_SIDE), kernel_size=(5, 5), padding=2).validate()
    ModelConfig(input_size=(1, 1), kernel_size=(1, 1), stride=(1, 1)).validate()


# --- user values -----------------------------------------------------------------------------------

BAD_VALUES = [
    {"input": [[1.0, 2.0], [3.0]]},  # ragged
    {"input": [1.0, 2.0, 3.0]},  # not 2-D
    {"input": [[0.0] * 4] * 5},  # wrong shape for 5x5
    {"input": []},
    {"kernel": [[0.0, 0.0], [0.0, 0.0]]},  # config wants 3x3
    {"kernel": [[1.0, float("nan"), 0.0]] * 3},
    {"input": [[float("inf")] * 5] * 5},
    {"kernel": [["a", 1.0, 2.0]] * 3},
    {"kernel": [[True, 1.0, 2.0]] * 3},
    {"fc_weight": [1.0, 2.0, 3.0]},  # default model has 4 features
    {"fc_weight": [[1.0, 2.0], [3.0, 4.0]]},
    {"fc_weight": [1.0, None, 2.0, 3.0]},
    {"bias": float("nan")},
    {"bias": "0.5"},
    {"fc_bias": float("-inf")},
    {"fc_bias": None},
    {"bias": 10**400},  # an integer too large for a float
    {"target": 1.5},
    {"target": -0.1},
    {"target": float("nan")},
    {"kernal": [[0.0] * 3] * 3},  # unknown key (typo)
]


@pytest.mark.parametrize("bad", BAD_VALUES)
def test_resolve_values_rejects_bad_values(bad):
    with pytest.raises(ConfigError):
        resolve_values(ModelConfig(), bad)
    with pytest.raises(ConfigError):
        run_model(ModelConfig(), bad)


@pytest.mark.parametrize("bad", [
    {"kernal": [[0.0]]},
    {"input": [[1.0, 2.0], [3.0]]},
    {"input": [[float("nan")]]},
    {"kernel": "3x3"},
    {"learning_rate": float("inf")},
    {"learning_rate": "0.1"},
])
def test_config_for_values_rejects_bad_values(bad):
    with pytest.raises(ConfigError):
        config_for_values(ModelConfig(), bad)


def test_config_for_values_rejects_disagreement_with_explicit_options():
    with pytest.raises(ConfigError):
        config_for_values(ModelConfig(), {"input": [[0.0] * 4] * 4}, frozenset({"input_size"}))
    with pytest.raises(ConfigError):
        config_for_values(ModelConfig(), {"learning_rate": 0.5}, frozenset({"learning_rate"}))


def test_good_overrides_are_used_exactly():
    given_values = {
        "input": [[0.123456789, -1.5, 2.0, 0.0], [1.0, 2.0, 3.0, 4.0], [0.5, 0.25, -0.125, 7.0]],
        "kernel": [[0.3333333333333333, -2.0], [1e-7, 5.0]],
        "bias": -0.987654321,
        "fc_weight": [0.11111, -0.22222, 0.33333, -0.44444, 0.5, 0.6],
        "fc_bias": 0.012345,
        "target": 0.3,
        "learning_rate": 0.037,
    }
    config = config_for_values(ModelConfig(stride=(1, 1)), given_values)
    assert config.input_size == (3, 4) and config.kernel_size == (2, 2) and config.learning_rate == 0.037
    trace = run_model(config, given_values)
    v = trace.values
    np.testing.assert_array_equal(v.input, given_values["input"])
    np.testing.assert_array_equal(v.kernel, given_values["kernel"])
    np.testing.assert_array_equal(v.fc_weight, given_values["fc_weight"])
    assert (v.bias, v.fc_bias, v.target) == (-0.987654321, 0.012345, 0.3)
    assert trace.learning_rate == 0.037
    assert_matches(ours(trace), reference(trace), COMPARED + ("dL_dkernel",))
    # Integers are numbers too; partial overrides keep the seed's other values.
    partial = resolve_values(ModelConfig(), {"bias": 2, "target": 0})
    seeded = resolve_values(ModelConfig())
    assert (partial.bias, partial.target) == (2.0, 0.0)
    np.testing.assert_array_equal(partial.input, seeded.input)
    assert partial.fc_bias == seeded.fc_bias


def test_a_28x28_digit_leaves_the_seeded_prediction_unsaturated():
    """676 features with dense weights of ±1 put the logit in the hundreds: y_hat exactly 0 or 1
    and every gradient 0.000 on screen. The seeded weights narrow with the feature count, so a
    digit's lecture has gradients to show, for every digit."""
    from convprop.inputs import image_values, open_source
    from convprop.mathcore.kernels import named_kernel
    from convprop.mathcore.lesson import run_lesson

    for config in (ModelConfig(input_size=(28, 28), stride=(1, 1)),
                   ModelConfig(input_size=(28, 28), stride=(1, 1), padding=1, relu=True, pool=2)):
        for digit in range(10):
            x = image_values(open_source(f"digit:{digit}"), (28, 28))
            trace = run_lesson(config, {"input": x.tolist(), "kernel": named_kernel("sobel-x").tolist()}).model
            assert 0.001 < trace.head.y_hat < 0.999, (config, digit, trace.head.logit)
            assert np.abs(trace.conv_grad.dL_dz).max() > 1e-3
