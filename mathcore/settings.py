"""A lesson from plain Python settings: what a scene's class attributes or a notebook cell give.

The CLI parses strings ("7x5", "0.05,0.5"); Python users write Python values (``(7, 5)``,
``(0.05, 0.5)``). Both end in the same ``ModelConfig`` and ``run_lesson``, so the same
configurations are refused with the same reasons; here each reason also names the setting.

Example::

    lesson = lesson_from_settings(input_size=(7, 7), stride=(2, 1), padding=1, relu=True)
    lesson.conv.z.shape  # (4, 7)
    lesson = lesson_from_settings(input_size=7, stride=1, channels=3, filters=2, dilation=2)
    lesson.conv.Z.shape  # (2, 3, 3): two feature maps, each 3x3
    lesson = lesson_from_settings(image="digit:7", kernel="sobel-x", input_size=12, stride=1)

``image`` (a path, or ``digit:0`` to ``digit:9``) loads ``convprop.inputs`` (Pillow) only when
given, so mathcore itself stays numpy-only.
"""

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


def _pair(name, value) -> tuple[int, int]:
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
    try:
        values = dict(s["values"] or {})
        if s["image"] is not None:  # Pillow is loaded only when a picture is given
            from convprop.inputs import with_picture

            one_side = "input_size" not in given or not isinstance(settings["input_size"], (tuple, list))
            s["input_size"], values = with_picture(s["image"], s["input_size"], one_side, s["channels"], values)
        if s["kernel"] is not None:
            s["kernel_size"], values = with_named_kernel(s["kernel"], s["kernel_size"], "kernel_size" in given, values,
                                                         s["channels"], s["filters"])
        config = ModelConfig(input_size=s["input_size"], kernel_size=s["kernel_size"], stride=s["stride"],
                             padding=s["padding"], relu=s["relu"], pool=s["pool"], seed=s["seed"],
                             learning_rate=s["learning_rate"], channels=s["channels"], filters=s["filters"],
                             dilation=s["dilation"])
        config = config_for_values(config, values, explicit).validate()
        return run_lesson(config, values or None, s["batch"], s["mlp_values"] or None, s["rates"], s["steps"])
    except SettingError:
        raise
    except ConfigError as err:
        raise SettingError(f"bad settings ({', '.join(f'{k}={v!r}' for k, v in given.items()) or 'defaults'}): "
                           f"{err}") from None
