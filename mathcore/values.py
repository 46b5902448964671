"""Where the numbers come from: a seed, or the user's own values.

Seeded values are drawn at the precision the video prints, so the numbers a student reads are
exactly the numbers used; they are never exactly zero, and a draw that would teach little (a
gradient that vanishes, a target already predicted) is drawn again (``mathcore.redraw``). Given
values, a picture's included, are used as given, zeros and all.
"""

import math
from dataclasses import dataclass, field, replace

import numpy as np

from convprop.mathcore.config import ConfigError, ModelConfig
from convprop.mathcore.frozen import frozen, set_views

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
    """The numbers a run starts from. ``X`` is C x H x W, ``W`` F x C x kh x kw and ``b`` (F,);
    ``input``, ``kernel`` and ``bias`` are channel 0's and filter 0's (the whole of them when
    C = F = 1)."""

    X: np.ndarray
    W: np.ndarray
    b: np.ndarray
    fc_weight: np.ndarray  # one weight per flattened feature
    fc_bias: float
    target: float

    # filter 0's and channel 0's views (the whole layer when C = F = 1), fields so a walk over the trace finds them
    input: np.ndarray = field(init=False)
    kernel: np.ndarray = field(init=False)
    bias: float = field(init=False)

    def __post_init__(self):
        set_views(
            self,
            input=self.X[0], kernel=self.W[0, 0], bias=float(self.b[0]),
        )

    @property
    def decimals(self) -> dict:
        """Per given value, the decimals a scene shows it with (see ``decimals_to_show``); input,
        kernel and bias over every channel and filter."""
        arrays = {"input": self.X, "kernel": self.W, "bias": self.b, "fc_weight": self.fc_weight,
                  "fc_bias": self.fc_bias, "target": self.target}
        return {name: decimals_to_show(value) for name, value in arrays.items()}


def rounded_as_given(x):
    """Rounded to the precision the video prints given values with (seeded images included)."""
    # + 0.0 turns -0.0 into 0.0, so the video never prints "-0.0"
    return np.round(x, GIVEN_DECIMALS) + 0.0


# Seeded dense weights lie within ±1 up to this many features, and within ±3/sqrt(features) past
# them: a 28x28 digit has 676 features, and weights of ±1 would push the logit to hundreds, the
# prediction to exactly 0 or 1 and every gradient the lecture shows to 0.000.
FC_WEIGHT_FULL_SPREAD = 9


def fc_weight_spread(features: int) -> float:
    """How far seeded dense weights may lie from 0: the logit's spread stays that of 9 features.

    >>> fc_weight_spread(4), fc_weight_spread(676)
    (1.0, 0.11538461538461539)
    """
    return min(1.0, math.sqrt(FC_WEIGHT_FULL_SPREAD / features))


# Seeded input cells and kernel weights lie within ±1, biases within ±0.5.
VALUE_SPREAD, BIAS_SPREAD = 1.0, 0.5


def nonzero_draw(rng: np.random.Generator, spread: float, decimals: int, shape=()) -> np.ndarray:
    """Values within ±``spread`` at ``decimals`` places, never exactly zero: each is one of the
    non-zero multiples of 10^-decimals within the spread, all equally likely (±0.1 to ±1.0 at
    one decimal). A zero in a lesson's numbers teaches nothing: its products vanish, and so can
    a gradient."""
    steps = max(1, int(round(spread * 10 ** decimals)))
    drawn = rng.integers(0, 2 * steps, shape)
    multiples = np.where(drawn < steps, drawn - steps, drawn - steps + 1)
    return np.round(multiples / 10 ** decimals, decimals) + 0.0


# Tags the redraws' streams apart from the mini-batch's other images, drawn from [seed, m].
REDRAW_STREAM = 0x7EAC


def draw_stream(seed: int, attempt: int) -> np.random.Generator:
    """The generator of a seed's draw number ``attempt``: the seed itself first, then streams of
    their own (``mathcore.redraw`` draws again when a draw would not teach)."""
    return np.random.default_rng(seed if attempt == 0 else [seed, REDRAW_STREAM, attempt])


def drawn_values(config: ModelConfig, attempt: int = 0) -> Values:
    """The seed's draw number ``attempt``, as drawn: not yet judged (see ``seeded_values``)."""
    rng = draw_stream(config.seed, attempt)
    # drawn in the order input, kernel, bias, ...: one channel and one filter draw exactly the
    # numbers the single-channel lecture draws
    spread = fc_weight_spread(config.feature_count)
    # narrower weights keep a second decimal, so that they keep more than a few values
    fc_decimals = GIVEN_DECIMALS if spread == 1 else GIVEN_DECIMALS + 1
    return Values(
        X=frozen(nonzero_draw(rng, VALUE_SPREAD, GIVEN_DECIMALS, config.input_shape)),
        W=frozen(nonzero_draw(rng, VALUE_SPREAD, GIVEN_DECIMALS, config.kernel_shape)),
        b=frozen(nonzero_draw(rng, BIAS_SPREAD, GIVEN_DECIMALS, (config.filters,))),
        fc_weight=frozen(nonzero_draw(rng, spread, fc_decimals, (config.feature_count,))),
        fc_bias=float(nonzero_draw(rng, BIAS_SPREAD, GIVEN_DECIMALS)),
        target=float(rng.integers(0, 2)),
    )


def seeded_values(config: ModelConfig) -> Values:
    """The seed's values: its first draw that is worth teaching (``mathcore.redraw``)."""
    from convprop.mathcore.redraw import seeded_draw  # judging a draw runs the model, which reads this module

    return seeded_draw(config).values


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


def _matrix(name: str, raw, ndim) -> np.ndarray:
    """``raw`` as an array of ``ndim`` axes (or any of several), every entry a valid number."""
    ndims = (ndim,) if isinstance(ndim, int) else tuple(ndim)
    try:
        arr = np.array(raw, dtype=object)
    except ValueError:
        arr = None
    if arr is None or arr.ndim not in ndims or 0 in arr.shape:
        raise ConfigError(f"'{name}' in --values must be {SHAPES[name, ndims]}")
    for x in arr.flat:
        _number(name, x)
    return frozen(arr.astype(float))


SHAPES = {
    ("input", (2,)): "a list of rows of equal length",
    ("kernel", (2,)): "a list of rows of equal length",
    ("fc_weight", (1,)): "a list of numbers",
    ("input", (2, 3)): "H x W (a list of rows of equal length) or C x H x W (a list of channels)",
    ("kernel", (2, 4)): "kh x kw (a list of rows of equal length) or F x C x kh x kw (a list of filters, "
                        "each a list of channels)",
    ("bias", (1,)): "a number or a list of one number per filter",
}


def _many(count: int, field: str) -> str:
    """3 channels, 1 channel."""
    return f"{count} {field if count != 1 else field[:-1]}"


def _shown(shape) -> str:
    return "x".join(str(n) for n in shape)


def _layer_arrays(given: dict) -> dict:
    """The given input, kernel and bias as full arrays (C x H x W, F x C x kh x kw, (F,)), and the
    channel and filter counts each implies."""
    out = {}
    if "input" in given:
        x = _matrix("input", given["input"], (2, 3))
        out["input"] = x if x.ndim == 3 else x[None]
    if "kernel" in given:
        w = _matrix("kernel", given["kernel"], (2, 4))
        out["kernel"] = w if w.ndim == 4 else w[None, None]
    if "bias" in given:
        raw = given["bias"]
        b = np.array([_number("bias", raw)]) if not isinstance(raw, (list, tuple)) else _matrix("bias", raw, (1,))
        out["bias"] = frozen(b)
    return out


def _counts(arrays: dict) -> dict:
    """{"channels": [(source, count)], "filters": [...]}: what each given array says."""
    counts = {"channels": [], "filters": []}
    if "input" in arrays:
        counts["channels"].append(("input", arrays["input"].shape[0]))
    if "kernel" in arrays:
        counts["filters"].append(("kernel", arrays["kernel"].shape[0]))
        counts["channels"].append(("kernel", arrays["kernel"].shape[1]))
    if "bias" in arrays:
        counts["filters"].append(("bias", arrays["bias"].shape[0]))
    return counts


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
    "learning_rate", "channels", "filters"); a matrix that disagrees with one of them is an error,
    not a silent override. Channels come from the input (C x H x W) or the kernel
    (F x C x kh x kw), filters from the kernel or the bias list; given values that disagree with
    each other are an error too.
    """
    _check_keys(given)
    changes = {}
    arrays = _layer_arrays(given)
    for field, sources in _counts(arrays).items():
        option = f"--{field}"
        for source, count in sources:
            if field in explicit and count != getattr(config, field):
                raise ConfigError(
                    f"'{source}' in --values is for {_many(count, field)} but {option} is {getattr(config, field)}; "
                    f"make them agree or drop {option}")
            first_source, first = sources[0]
            if count != first:
                raise ConfigError(
                    f"'{source}' in --values is for {_many(count, field)} but '{first_source}' is for {first}; "
                    f"give both for the same number of {field}")
        if sources:
            changes[field] = sources[0][1]
    for name, field in (("input", "input_size"), ("kernel", "kernel_size")):
        if name in arrays:
            shape = arrays[name].shape[-2:]
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


def resolve_values(config: ModelConfig, given: dict | None = None, seeded: Values | None = None) -> Values:
    """The seeded values (``seeded``, or the seed's for ``config``), with any the user gave put in
    their place (checked against config)."""
    given = given or {}
    _check_keys(given)
    values = seeded_values(config) if seeded is None else seeded
    changes = {}
    arrays = _layer_arrays(given)
    for name, field, want in (("input", "X", config.input_shape), ("kernel", "W", config.kernel_shape),
                              ("bias", "b", (config.filters,))):
        if name in arrays:
            arr = arrays[name]
            if arr.shape != tuple(want):
                if name == "bias":
                    raise ConfigError(f"'bias' in --values has {arr.size} entries but there are "
                                      f"{_many(config.filters, 'filters')}; give one bias per filter")
                # the same channels and filters: only the sizes differ, and only they are named
                same_counts = arr.shape[:-2] == tuple(want[:-2])
                got, wanted = (_shown(arr.shape[-2:]), _shown(want[-2:])) if same_counts else (_shown(arr.shape), _shown(want))
                raise ConfigError(f"'{name}' in --values is {got}, expected {wanted}")
            changes[field] = arr
    if "fc_weight" in given:
        arr = _matrix("fc_weight", given["fc_weight"], 1)
        features = values.fc_weight.size
        if arr.size != features:
            rows, cols = config.pooled_size
            maps = f"{config.filters} maps of " if config.filters > 1 else ""
            raise ConfigError(
                f"'fc_weight' in --values has {arr.size} entries but the flattened features number "
                f"{features} ({maps}{rows}x{cols}); give {features} weights"
            )
        changes["fc_weight"] = arr
    for name in ("fc_bias", "target"):
        if name in given:
            changes[name] = _number(name, given[name])
    if "target" in changes and not 0 <= changes["target"] <= 1:
        raise ConfigError(f"'target' in --values must lie between 0 and 1, got {changes['target']}")
    return replace(values, **changes)
