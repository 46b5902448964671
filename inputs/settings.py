"""A lesson from settings: what a scene's class attributes, a notebook cell or the command line give.

The CLI parses strings ("7x5", "0.05,0.5"); Python users write Python values (``(7, 5)``,
``(0.05, 0.5)``) or the CLI's strings (``"7x5"``). Both end in ``model_from`` and
``run_lesson``, so the same configurations are refused with the same reasons; here each reason
also names the setting. Every setting is checked before an input (an image, a values file) is
read, so a bad size is named as such, not as a failure to shrink a picture to it.

Example::

    lesson = lesson_from_settings(input_size=(7, 7), stride=(2, 1), padding=1, relu=True)
    lesson.conv.z.shape  # (4, 7)
    lesson = lesson_from_settings(input_size=7, stride=1, channels=3, filters=2, dilation=2)
    lesson.conv.Z.shape  # (2, 3, 3): two feature maps, each 3x3
    lesson = lesson_from_settings(image="digit:7", kernel="sobel-x", input_size=12, stride=1)

``image`` (a path, or ``digit:0`` to ``digit:9``) is read with Pillow (``inputs.images``) only
when given.
"""

import re
from numbers import Integral, Real

from convprop.mathcore.batch import DEFAULT_BATCH
from convprop.mathcore.config import ConfigError, ModelConfig
from convprop.mathcore.descent import DEFAULT_RATES, DEFAULT_STEPS
from convprop.mathcore.kernels import with_named_kernel
from convprop.mathcore.lesson import Lesson, run_lesson
from convprop.mathcore.values import config_for_values

DEFAULTS = {
    "input_size": (5, 5), "kernel_size": (3, 3), "stride": (2, 2), "padding": 0, "seed": 0,
    "learning_rate": 0.1, "relu": False, "pool": 0, "values": None, "batch": DEFAULT_BATCH,
    "mlp_values": None, "rates": DEFAULT_RATES, "steps": DEFAULT_STEPS,
    "channels": 1, "filters": 1, "dilation": (1, 1), "image": None, "kernel": None,
}


class SettingError(ConfigError):
    """A setting with a bad value; the message names the setting and says how to fix it."""


def _whole(name, value) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise SettingError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def parse_pair(text: str) -> tuple[int, ...] | None:
    """'7' -> (7,), '7x5' -> (7, 5), as the command line writes sizes and strides; None if the
    text is not one or two whole numbers joined by x."""
    parts = str(text).strip().lower().split("x")
    if len(parts) > 2 or not all(re.fullmatch(r"[+-]?\d+", p.strip()) for p in parts):  # int() would take "1_0"
        return None
    return tuple(int(p) for p in parts)


def _pair(name, value) -> tuple[int, int]:
    if isinstance(value, str):
        numbers = parse_pair(value)
        if numbers is None:
            raise SettingError(f"{name} must be a whole number or a pair such as (7, 5) or '7x5', got {value!r}")
        return numbers * (3 - len(numbers))
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise SettingError(f"{name} must be a whole number or a pair such as (7, 5), got {value!r}")
        return _whole(name, value[0]), _whole(name, value[1])
    side = _whole(name, value)
    return side, side


def _number(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, Real):
        raise SettingError(f"{name} must be a number, got {value!r}")
    return float(value)


def _flag(name, value) -> bool:
    if not isinstance(value, bool):
        raise SettingError(f"{name} must be True or False, got {value!r}")
    return value


def _mapping(name, value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise SettingError(f"{name} must be a dict such as {{\"kernel\": [[1, 0], [0, 1]]}}, got {value!r}")
    return value


def _name(name, value) -> str | None:
    if value is not None and not isinstance(value, str):
        example = "'digit:7' or the path of an image file" if name == "image" else "'sobel-x'"
        raise SettingError(f"{name} must be a string such as {example}, got {value!r}")
    return value


def _rates(name, value) -> tuple[float, ...]:
    values = value if isinstance(value, (tuple, list)) else (value,)
    return tuple(_number(name, v) for v in values)


PARSERS = {
    "input_size": _pair, "kernel_size": _pair, "stride": _pair, "padding": _whole, "seed": _whole,
    "learning_rate": _number, "relu": _flag, "pool": _whole, "values": _mapping, "batch": _whole,
    "mlp_values": _mapping, "rates": _rates, "steps": _whole,
    "channels": _whole, "filters": _whole, "dilation": _pair, "image": _name, "kernel": _name,
}


def model_from(input_size, kernel_size, stride, padding, seed, learning_rate, relu, pool, values: dict,
               image: str | None = None, kernel: str | None = None, channels: int = 1, filters: int = 1,
               dilation=(1, 1), one_side: bool = False, explicit: frozenset = frozenset()):
    """The validated ``ModelConfig`` and the given values (``values`` with the picture's X and the
    named kernel's W added): what ``--image``, ``--kernel`` and ``--values`` mean.

    ``one_side``: the input size was one number, so a picture's proportions give the other side.
    ``explicit`` names the sizes the user set (see ``config_for_values``). Every setting is
    validated before the picture is read. ConfigError names the first problem.
    """
    def config(size, kernel_side):
        return ModelConfig(input_size=tuple(size), kernel_size=tuple(kernel_side), stride=tuple(stride),
                           padding=padding, relu=relu, pool=pool, seed=seed, learning_rate=learning_rate,
                           channels=channels, filters=filters, dilation=tuple(dilation))

    values = dict(values or {})
    if kernel is not None:
        kernel_size, values = with_named_kernel(kernel, kernel_size, "kernel_size" in explicit, values,
                                                channels, filters)
    if image is not None:
        without_input = {key: value for key, value in values.items() if key != "input"}
        config_for_values(config(input_size, kernel_size), without_input, explicit).validate()
        from convprop.inputs.images import with_picture  # Pillow reads the picture only now

        input_size, values = with_picture(image, input_size, one_side, channels, values)
    return config_for_values(config(input_size, kernel_size), values, explicit).validate(), values


def lesson_from_settings(**settings) -> Lesson:
    """Validate the settings (any of ``DEFAULTS``'s names) and compute the lesson.

    Raises ``SettingError`` (a ``ValueError``) naming the first bad setting.
    """
    unknown = sorted(set(settings) - set(DEFAULTS))
    if unknown:
        raise SettingError(f"unknown setting '{unknown[0]}'; the settings are: {', '.join(DEFAULTS)}")
    given = {name: PARSERS[name](name, value) for name, value in settings.items()}
    s = DEFAULTS | given
    explicit = frozenset(name for name in ("input_size", "kernel_size", "learning_rate", "channels", "filters")
                         if name in given)
    size = settings.get("input_size")
    one_side = size is None or (isinstance(size, str) and "x" not in size.lower()) or not isinstance(size, (tuple, list, str))
    try:
        config, values = model_from(s["input_size"], s["kernel_size"], s["stride"], s["padding"], s["seed"],
                                    s["learning_rate"], s["relu"], s["pool"], s["values"], s["image"], s["kernel"],
                                    s["channels"], s["filters"], s["dilation"], one_side, explicit)
        return run_lesson(config, values or None, s["batch"], s["mlp_values"] or None, s["rates"], s["steps"])
    except SettingError:
        raise
    except ConfigError as err:
        raise SettingError(f"bad settings ({', '.join(f'{k}={v!r}' for k, v in given.items()) or 'defaults'}): "
                           f"{err}") from None
