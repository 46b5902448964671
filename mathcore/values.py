"""Where the numbers come from: a seed, or the user's own values.

Seeded values are rounded to the precision the video prints *before* any computation, so the
numbers a student reads are exactly the numbers used.
"""

import math
from dataclasses import dataclass, replace

import numpy as np

from convprop.mathcore.config import ConfigError, ModelConfig
from convprop.mathcore.frozen import frozen

# Decimals of the values a user or the seed chooses; derived values are printed with more.
GIVEN_DECIMALS = 1
# A grid cell has room for a few digits; this also keeps every computation far from overflow.
MAX_ABS_VALUE = 1000
VALUE_NAMES = ("input", "kernel", "bias", "fc_weight", "fc_bias", "target", "learning_rate")


# Given values are shown with the fewest decimals that write them exactly, up to this many.
MAX_SHOWN_DECIMALS = 4


def decimals_to_show(values) -> int:
    """The fewest decimals (at least GIVEN_DECIMALS, at most MAX_SHOWN_DECIMALS) that write every
    value exactly as it is used: 0.25 needs 2, so a kernel entry 0.25 is never shown as 0.3."""
    written = [repr(float(v)) for v in np.atleast_1d(values).flat]
    needed = max((len(w.split(".")[1]) if "." in w and "e" not in w else MAX_SHOWN_DECIMALS for w in written),
                 default=GIVEN_DECIMALS)
    return min(max(needed, GIVEN_DECIMALS), MAX_SHOWN_DECIMALS)


@dataclass(frozen=True)
class Values:
    input: np.ndarray
    kernel: np.ndarray
    bias: float
    fc_weight: np.ndarray  # one weight per flattened feature
    fc_bias: float
    target: float

    @property
    def decimals(self) -> dict:
        """Per given value, the decimals a scene shows it with (see ``decimals_to_show``)."""
        return {name: decimals_to_show(getattr(self, name)) for name in ("input", "kernel", "bias", "fc_weight",
                                                                           "fc_bias", "target")}


def rounded_as_given(x):
    """Rounded to the precision the video prints given values with (seeded images included)."""
    # + 0.0 turns -0.0 into 0.0, so the video never prints "-0.0"
    return np.round(x, GIVEN_DECIMALS) + 0.0


def seeded_values(config: ModelConfig) -> Values:
    rng = np.random.default_rng(config.seed)
    features = int(np.prod(config.pooled_size))
    return Values(
        input=frozen(rounded_as_given(rng.uniform(-1, 1, config.input_size))),
        kernel=frozen(rounded_as_given(rng.uniform(-1, 1, config.kernel_size))),
        bias=float(rounded_as_given(rng.uniform(-0.5, 0.5))),
        fc_weight=frozen(rounded_as_given(rng.uniform(-1, 1, features))),
        fc_bias=float(rounded_as_given(rng.uniform(-0.5, 0.5))),
        target=float(rng.integers(0, 2)),
    )


def _number(name: str, raw) -> float:
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ConfigError(f"'{name}' in --values must be a number, got {raw!r}")
    try:
        value = float(raw)
    except OverflowError:  # an int too large for a float
        value = math.inf
    if not math.isfinite(value):
        raise ConfigError(f"'{name}' in --values must be finite, got {raw!r}")
    if abs(value) > MAX_ABS_VALUE:
        raise ConfigError(
            f"'{name}' in --values is {raw!r}; values must lie within ±{MAX_ABS_VALUE:g} to fit a grid cell"
        )
    return value


def _matrix(name: str, raw, ndim: int) -> np.ndarray:
    try:
        arr = np.array(raw, dtype=object)
    except ValueError:
        arr = None
    if arr is None or arr.ndim != ndim or 0 in arr.shape:
        shape = "a list of rows" if ndim == 2 else "a list of numbers"
        raise ConfigError(f"'{name}' in --values must be {shape} of equal length")
    for x in arr.flat:
        _number(name, x)
    return frozen(arr.astype(float))


def _check_keys(given: dict) -> None:
    unknown = sorted(set(given) - set(VALUE_NAMES))
    if unknown:
        hint = ""
        if unknown[0] in ("inputs", "targets", "weights", "biases"):
            hint = " (the 2-2-2 network's values go in --mlp-values, or in --values of `compute mlp`)"
        raise ConfigError(f"unknown key '{unknown[0]}' in --values; allowed keys: {', '.join(VALUE_NAMES)}{hint}")


def config_for_values(config: ModelConfig, given: dict, explicit: frozenset = frozenset()) -> ModelConfig:
    """Take sizes from given matrices where the user did not set them as options.

    ``explicit`` names the options set on the command line ("input_size", "kernel_size",
    "learning_rate"); a matrix that disagrees with one of them is an error, not a silent override.
    """
    _check_keys(given)
    changes = {}
    for name, field in (("input", "input_size"), ("kernel", "kernel_size")):
        if name in given:
            shape = _matrix(name, given[name], 2).shape
            if field in explicit and shape != getattr(config, field):
                want = getattr(config, field)
                raise ConfigError(
                    f"'{name}' in --values is {shape[0]}x{shape[1]} but --{field.replace('_', '-')} "
                    f"is {want[0]}x{want[1]}; make them agree or drop the option"
                )
            changes[field] = shape
    if "learning_rate" in given:
        rate = _number("learning_rate", given["learning_rate"])
        if "learning_rate" in explicit and rate != config.learning_rate:
            raise ConfigError("'learning_rate' in --values disagrees with --learning-rate; give it once")
        changes["learning_rate"] = rate
    return replace(config, **changes)


def resolve_values(config: ModelConfig, given: dict | None = None) -> Values:
    """The seeded values, with any the user gave put in their place (checked against config)."""
    given = given or {}
    _check_keys(given)
    values = seeded_values(config)
    changes = {}
    for name in ("input", "kernel"):
        if name in given:
            arr = _matrix(name, given[name], 2)
            want = config.input_size if name == "input" else config.kernel_size
            if arr.shape != tuple(want):
                raise ConfigError(
                    f"'{name}' in --values is {arr.shape[0]}x{arr.shape[1]}, expected {want[0]}x{want[1]}"
                )
            changes[name] = arr
    if "fc_weight" in given:
        arr = _matrix("fc_weight", given["fc_weight"], 1)
        features = values.fc_weight.size
        if arr.size != features:
            rows, cols = config.pooled_size
            raise ConfigError(
                f"'fc_weight' in --values has {arr.size} entries but the flattened features number "
                f"{features} ({rows}x{cols}); give {features} weights"
            )
        changes["fc_weight"] = arr
    for name in ("bias", "fc_bias", "target"):
        if name in given:
            changes[name] = _number(name, given[name])
    if "target" in changes and not 0 <= changes["target"] <= 1:
        raise ConfigError(f"'target' in --values must lie between 0 and 1, got {changes['target']}")
    return replace(values, **changes)
