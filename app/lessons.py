"""Options -> the lesson: the values files read, the picture and the named kernel applied, the
configuration validated (``inputs.settings.model_from``), every trace computed."""

import json
from pathlib import Path

from convprop.app.options import OneSide
from convprop.inputs.settings import model_from
from convprop.mathcore.config import ConfigError, ModelConfig
from convprop.mathcore.lesson import Lesson, run_lesson

# The options that decide the CNN, by their names in a command's parameters.
MODEL = ("input_size", "kernel_size", "stride", "padding", "seed", "learning_rate", "relu", "pool", "values_file",
         "image", "kernel_name", "channels", "filters", "dilation")
# What the scenes beyond the CNN's own trace need.
LESSON = ("batch", "mlp_values_file", "rates", "steps")


def model_config(params: dict, explicit: frozenset = frozenset()) -> tuple[ModelConfig, dict]:
    """A command's model options -> a validated config and the given values; ConfigError on bad input."""
    p = {name: params.get(name) for name in MODEL}
    defaults = {"channels": 1, "filters": 1, "dilation": (1, 1)}  # for a command that has not these options
    p.update({name: value for name, value in defaults.items() if p[name] is None})
    given = read_values(p["values_file"]) if p["values_file"] else {}
    return model_from(p["input_size"], p["kernel_size"], p["stride"], p["padding"], p["seed"], p["learning_rate"],
                      p["relu"], p["pool"], given, p["image"], p["kernel_name"], p["channels"], p["filters"],
                      p["dilation"], isinstance(p["input_size"], OneSide), explicit)


def build_lesson(params: dict, explicit: frozenset = frozenset()) -> Lesson:
    """Every trace a scene, the lecture or the exercises read, from a command's options."""
    return lesson_for(*model_config(params, explicit), params)


def lesson_for(config: ModelConfig, given: dict, params: dict) -> Lesson:
    """The lesson of a checked model (``model_config``) and the command's lesson options."""
    mlp_file = params.get("mlp_values_file")
    mlp_given = read_values(mlp_file) if mlp_file else {}
    return run_lesson(config, given, params["batch"], mlp_given, params["rates"], params["steps"])


def read_values(path: Path) -> dict:
    """A --values (or --mlp-values) file's JSON object; ConfigError in one line when it is not one."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"values file '{path}' does not exist; give the path of a JSON file")
    try:
        given = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"values file '{path}' is not valid JSON ({err}); fix the file") from None
    except RecursionError:
        raise ConfigError(f"values file '{path}' nests lists too deeply; give matrices as lists of rows") from None
    except OSError as err:
        raise ConfigError(f"values file '{path}' cannot be read ({err.strerror}); check the path") from None
    if not isinstance(given, dict):
        raise ConfigError(f"values file '{path}' must hold a JSON object such as {{\"kernel\": [[1, 0], [0, 1]]}}")
    return given
