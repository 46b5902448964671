"""Where every answer comes from: the JSON that `convprop compute` prints for the same options.

An answer is never computed here. It is read, by its path, out of the very data
``compute --json``, ``compute mlp --json`` and ``compute learning-rate --json`` print (built by
the same ``mathcore.export`` functions and passed through JSON once, so ints, floats and nulls
are exactly what a reader of that output sees). A question names its source as
``{"command": "compute", "path": "batch.averaged.dL_dkernel[1][2]"}``, and the tests run the
command and look the path up again.

Example::

    sources = Sources.of(run_lesson(ModelConfig(seed=3)))
    sources.value("compute", "dL_dkernel[0][0]")
"""

import json
import re
from dataclasses import dataclass

from convprop.exercises.numbers import written
from convprop.mathcore.export import batch_to_json, descent_to_json, mlp_to_json, trace_to_json
from convprop.mathcore.lesson import Lesson

COMMANDS = ("compute", "compute mlp", "compute learning-rate")
_STEP = re.compile(r"\.?([A-Za-z_]\w*)|\[(\d+)\]")


def _as_printed(data: dict) -> dict:
    return json.loads(json.dumps(data, allow_nan=False))


def resolve(data, path: str):
    """The value at ``path`` ('a.b[2][0]') inside nested dicts and lists; KeyError if absent."""
    position, value = 0, data
    while position < len(path):
        step = _STEP.match(path, position)
        if not step or step.end() == position:
            raise KeyError(f"malformed path '{path}' at character {position}")
        value = value[step[1]] if step[1] is not None else value[int(step[2])]
        position = step.end()
    return value


@dataclass(frozen=True)
class Sources:
    """The lesson's traces and the three commands' JSON, as those commands print it."""

    lesson: Lesson
    data: dict  # command -> its JSON

    @classmethod
    def of(cls, lesson: Lesson) -> "Sources":
        compute = trace_to_json(lesson.model)
        compute["batch"] = batch_to_json(lesson.pipeline)
        return cls(lesson, {
            "compute": _as_printed(compute),
            "compute mlp": _as_printed(mlp_to_json(lesson.mlp)),
            "compute learning-rate": _as_printed(descent_to_json(lesson.descent)),
        })

    def value(self, command: str, path: str):
        return resolve(self.data[command], path)

    @property
    def cnn(self) -> dict:
        return self.data["compute"]

    @property
    def mlp(self) -> dict:
        return self.data["compute mlp"]

    @property
    def descent(self) -> dict:
        return self.data["compute learning-rate"]


@dataclass(frozen=True)
class CommandArgs:
    """The arguments that make each command print the JSON an answer's path points into."""

    compute: tuple[str, ...]
    mlp: tuple[str, ...]
    learning_rate: tuple[str, ...]
    exercises: tuple[str, ...] = ()  # the same options as `convprop exercises` spells them

    def for_command(self, command: str) -> list[str]:
        args = {"compute": self.compute, "compute mlp": self.mlp, "compute learning-rate": self.learning_rate}
        return [*command.split(), *args[command], "--json"]


def _pair(pair) -> str:
    return f"{pair[0]}x{pair[1]}"


def command_args(lesson: Lesson, values_file=None, mlp_values_file=None, image=None, kernel_name=None) -> CommandArgs:
    """Every option spelled out, from the lesson itself, so the numbers can be made again.

    Values read from files, a picture (--image) and a named kernel (--kernel) are not in the
    lesson's configuration: name them to have them in the arguments too.
    """
    c = lesson.model.config
    compute = ["--input-size", _pair(c.input_size), "--kernel-size", _pair(c.kernel_size),
               "--stride", _pair(c.stride), "--padding", str(c.padding), "--seed", str(c.seed),
               "--learning-rate", written(c.learning_rate), "--relu" if c.relu else "--no-relu",
               "--pool", str(c.pool), "--batch", str(lesson.pipeline.size)]
    if c.channels != 1:  # the lecture's convolution is spelled as it always was
        compute += ["--channels", str(c.channels)]
    if c.filters != 1:
        compute += ["--filters", str(c.filters)]
    if tuple(c.dilation) != (1, 1):
        compute += ["--dilation", _pair(c.dilation)]
    if values_file is not None:
        compute += ["--values", str(values_file)]
    if image is not None:
        compute += ["--image", str(image)]
    if kernel_name is not None:
        compute += ["--kernel", kernel_name]
    mlp = ["--values", str(mlp_values_file)] if mlp_values_file is not None else []
    rates = ["--rates", ",".join(written(r) for r in lesson.descent.rates), "--steps", str(lesson.descent.steps)]
    mlp_option = ["--mlp-values", str(mlp_values_file)] if mlp_values_file is not None else []
    return CommandArgs(compute=tuple(compute), mlp=tuple(mlp), learning_rate=tuple(mlp + rates),
                       exercises=tuple(compute + mlp_option + rates))

