"""The classic 2-2-2 worked example of backpropagation, forward, backward and one step.

    inputs i1, i2 -> hidden h1, h2 (sigmoid) -> outputs o1, o2 (sigmoid)
    E = sum over outputs of 1/2 (target - out)^2

Weights are numbered as in the textbook example: w1: i1->h1, w2: i2->h1, w3: i1->h2,
w4: i2->h2, w5: h1->o1, w6: h2->o1, w7: h1->o2, w8: h2->o2. So the hidden layer's matrix is
``weights[:4]`` read row by row (row = the unit fed, column = the unit feeding) and the output
layer's is ``weights[4:]``. One bias per layer, b1 shared by h1 and h2 and b2 by o1 and o2,
held fixed by the update, as in the example.

The trace keeps every factor of every chain-rule product, so a scene can show
dE/dw5 = dE/dout_o1 * dout_o1/dnet_o1 * dnet_o1/dw5 without computing anything.
"""

import math
from dataclasses import dataclass, replace

import numpy as np

from convprop.mathcore import layers
from convprop.mathcore.config import ConfigError, MAX_LEARNING_RATE
from convprop.mathcore.frozen import frozen

WEIGHT_NAMES = tuple(f"w{i}" for i in range(1, 9))
# Inputs and weights are free, within the range a node label can show.
MAX_ABS_MLP_VALUE = 100.0
MLP_VALUE_NAMES = ("inputs", "targets", "weights", "biases", "learning_rate")


@dataclass(frozen=True)
class MLPValues:
    inputs: np.ndarray  # i1, i2
    targets: np.ndarray  # for o1, o2
    weights: np.ndarray  # w1..w8
    biases: np.ndarray  # b1 (hidden), b2 (output)
    learning_rate: float

    @property
    def hidden_weights(self) -> np.ndarray:
        return self.weights[:4].reshape(2, 2)

    @property
    def output_weights(self) -> np.ndarray:
        return self.weights[4:].reshape(2, 2)


# The values of the textbook example; every one can be overridden with --values.
TEXTBOOK = MLPValues(
    inputs=frozen([0.05, 0.10]),
    targets=frozen([0.01, 0.99]),
    weights=frozen([0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]),
    biases=frozen([0.35, 0.60]),
    learning_rate=0.5,
)


@dataclass(frozen=True)
class MLPForward:
    net_hidden: np.ndarray  # W_h i + b1
    out_hidden: np.ndarray  # sigmoid(net_hidden)
    net_output: np.ndarray  # W_o out_hidden + b2
    out_output: np.ndarray  # sigmoid(net_output)
    errors: np.ndarray  # 1/2 (target - out)^2 per output
    error_total: float


@dataclass(frozen=True)
class MLPTrace:
    values: MLPValues
    forward: MLPForward
    # backward through the output layer: delta_o = dE/dout_o * dout_o/dnet_o
    dE_dout_output: np.ndarray  # out_o - target_o
    dout_dnet_output: np.ndarray  # out_o (1 - out_o)
    delta_output: np.ndarray
    # backward through the hidden layer: dE/dout_h sums what reaches h through both outputs
    dE_dout_hidden_terms: np.ndarray  # [h, o] = delta_o * w(h -> o)
    dE_dout_hidden: np.ndarray
    dout_dnet_hidden: np.ndarray  # out_h (1 - out_h)
    delta_hidden: np.ndarray
    # per weight w1..w8: the three chain-rule factors and their product
    upstream: np.ndarray  # dE/dout of the unit the weight feeds
    local: np.ndarray  # dout/dnet of that unit
    dnet_dw: np.ndarray  # the value the weight multiplies
    gradients: np.ndarray  # dE/dw = upstream * local * dnet_dw
    weights_updated: np.ndarray  # w - learning_rate * dE/dw
    forward_after: MLPForward  # the same example, run with the updated weights

    @property
    def learning_rate(self) -> float:
        return self.values.learning_rate

    @property
    def error_total(self) -> float:
        return self.forward.error_total

    @property
    def error_total_after(self) -> float:
        return self.forward_after.error_total


def mlp_forward(values: MLPValues, weights=None) -> MLPForward:
    """The forward pass, with ``weights`` in place of the values' own when given."""
    w = values.weights if weights is None else np.asarray(weights, float)
    net_hidden = w[:4].reshape(2, 2) @ values.inputs + values.biases[0]
    out_hidden = layers.sigmoid(net_hidden)
    net_output = w[4:].reshape(2, 2) @ out_hidden + values.biases[1]
    out_output = layers.sigmoid(net_output)
    errors = layers.squared_error(out_output, values.targets)
    return MLPForward(
        net_hidden=frozen(net_hidden), out_hidden=frozen(out_hidden), net_output=frozen(net_output),
        out_output=frozen(out_output), errors=frozen(errors), error_total=float(errors.sum()),
    )


def run_mlp(values: MLPValues = TEXTBOOK) -> MLPTrace:
    """Forward, backward and one gradient-descent step of the 2-2-2 network."""
    fwd = mlp_forward(values)
    dE_dout_output = layers.squared_error_backward(fwd.out_output, values.targets)
    dout_dnet_output = fwd.out_output * (1 - fwd.out_output)
    delta_output = dE_dout_output * dout_dnet_output
    terms = values.output_weights.T * delta_output[None, :]  # [h, o] = w(h -> o) * delta_o
    dE_dout_hidden = terms.sum(axis=1)
    dout_dnet_hidden = fwd.out_hidden * (1 - fwd.out_hidden)
    delta_hidden = dE_dout_hidden * dout_dnet_hidden

    # weight n feeds unit n // 2 of its layer and multiplies the value of unit n % 2 below
    upstream = np.concatenate([np.repeat(dE_dout_hidden, 2), np.repeat(dE_dout_output, 2)])
    local = np.concatenate([np.repeat(dout_dnet_hidden, 2), np.repeat(dout_dnet_output, 2)])
    dnet_dw = np.concatenate([np.tile(values.inputs, 2), np.tile(fwd.out_hidden, 2)])
    gradients = upstream * local * dnet_dw
    weights_updated = layers.sgd_step(values.weights, gradients, values.learning_rate)
    return MLPTrace(
        values=values, forward=fwd,
        dE_dout_output=frozen(dE_dout_output), dout_dnet_output=frozen(dout_dnet_output),
        delta_output=frozen(delta_output), dE_dout_hidden_terms=frozen(terms),
        dE_dout_hidden=frozen(dE_dout_hidden), dout_dnet_hidden=frozen(dout_dnet_hidden),
        delta_hidden=frozen(delta_hidden), upstream=frozen(upstream), local=frozen(local),
        dnet_dw=frozen(dnet_dw), gradients=frozen(gradients), weights_updated=frozen(weights_updated),
        forward_after=mlp_forward(values, weights_updated),
    )


def _numbers(name: str, raw, count: int | None) -> np.ndarray:
    """A list of ``count`` finite numbers (or one number when ``count`` is None)."""
    items = [raw] if count is None else raw
    if count is not None and (not isinstance(raw, list) or len(raw) != count):
        raise ConfigError(f"'{name}' in --values must be a list of {count} numbers")
    for x in items:
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
            raise ConfigError(f"'{name}' in --values must hold finite numbers, got {x!r}")
        if abs(x) > MAX_ABS_MLP_VALUE:
            raise ConfigError(f"'{name}' in --values holds {x!r}; keep values within ±{MAX_ABS_MLP_VALUE:g}")
    return frozen(items)


def _named_or_listed(name: str, raw, default: np.ndarray) -> np.ndarray:
    """A full list, or an object naming some entries as the JSON output does ({"w5": 0.3})."""
    if not isinstance(raw, dict):
        return _numbers(name, raw, default.size)
    prefix = {"inputs": "i", "targets": "t", "weights": "w", "biases": "b"}[name]
    names = [f"{prefix}{i}" for i in range(1, default.size + 1)]
    unknown = sorted(set(raw) - set(names))
    if unknown:
        raise ConfigError(f"'{name}' in --values names '{unknown[0]}'; use {', '.join(names)}")
    out = default.copy()
    for key, x in raw.items():
        out[names.index(key)] = _numbers(f"{name}.{key}", x, None)[0]
    return frozen(out)


def mlp_values(given: dict | None = None, learning_rate: float | None = None) -> MLPValues:
    """The textbook values with any of ``inputs``, ``targets``, ``weights`` (w1..w8),
    ``biases`` (b1, b2) and ``learning_rate`` from ``given`` in their place. Each of the four
    may be a full list or an object naming some entries: {"weights": {"w5": 0.3}}."""
    given = given or {}
    unknown = sorted(set(given) - set(MLP_VALUE_NAMES))
    if unknown:
        raise ConfigError(f"unknown key '{unknown[0]}' in --values; allowed keys: {', '.join(MLP_VALUE_NAMES)}")
    changes = {}
    for name, count in (("inputs", 2), ("targets", 2), ("weights", 8), ("biases", 2)):
        if name in given:
            changes[name] = _named_or_listed(name, given[name], getattr(TEXTBOOK, name))
    if "targets" in changes and not ((changes["targets"] >= 0) & (changes["targets"] <= 1)).all():
        raise ConfigError("'targets' in --values must lie between 0 and 1, the range of a sigmoid")
    if "learning_rate" in given:
        rate = given["learning_rate"]
        if isinstance(rate, bool) or not isinstance(rate, (int, float)):
            raise ConfigError(f"'learning_rate' in --values must be a number, got {rate!r}")
        changes["learning_rate"] = check_learning_rate(rate)
    if learning_rate is not None:
        if "learning_rate" in changes and changes["learning_rate"] != learning_rate:
            raise ConfigError("'learning_rate' in --values disagrees with --learning-rate; give it once")
        changes["learning_rate"] = float(learning_rate)
    values = replace(TEXTBOOK, **changes)
    check_learning_rate(values.learning_rate)
    return values


def check_learning_rate(rate: float) -> float:
    if not (isinstance(rate, (int, float)) and math.isfinite(rate) and 0 < rate <= MAX_LEARNING_RATE):
        raise ConfigError(f"learning rate must be a positive finite number at most {MAX_LEARNING_RATE:g}, got {rate}")
    return float(rate)
