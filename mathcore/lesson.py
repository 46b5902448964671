"""Everything one lecture shows, computed once: the CNN's trace, its mini-batch pipeline, the
2-2-2 network's worked example and the learning-rate runs.

Most scenes tell the story of the CNN, so its trace's names are the lesson's own names:
``lesson.conv.z`` is ``lesson.model.conv.z``. A scene's trace paths therefore read the same
whether it is given the lesson or the CNN's trace alone, and the scenes that need more reach it
as ``lesson.pipeline``, ``lesson.mlp`` and ``lesson.descent``.
"""

from dataclasses import dataclass

from convprop.mathcore.batch import DEFAULT_BATCH, BatchTrace, run_batch
from convprop.mathcore.config import ModelConfig
from convprop.mathcore.descent import DEFAULT_RATES, DEFAULT_STEPS, DescentTrace, run_descent
from convprop.mathcore.mlp import MLPTrace, mlp_values, run_mlp
from convprop.mathcore.model import ModelTrace, run_model


@dataclass(frozen=True)
class Lesson:
    model: ModelTrace
    pipeline: BatchTrace
    mlp: MLPTrace
    descent: DescentTrace

    def __getattr__(self, name):
        # only reached for names the lesson itself lacks; dunders stay the lesson's own, so
        # copying and pickling never recurse into a half-built object
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.model, name)


def run_lesson(config: ModelConfig = ModelConfig(), given: dict | None = None, batch: int = DEFAULT_BATCH,
               mlp_given: dict | None = None, rates=DEFAULT_RATES, steps: int = DEFAULT_STEPS) -> Lesson:
    """Validate every part first, then compute them all; ConfigError names the first problem."""
    values = mlp_values(mlp_given)
    return Lesson(
        model=run_model(config, given),
        pipeline=run_batch(config, given, batch),
        mlp=run_mlp(values),
        descent=run_descent(values, rates, steps),
    )
