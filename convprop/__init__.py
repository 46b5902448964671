"""convprop: lecture-quality Manim videos of backpropagation in a CNN, every number computed.

The public pieces, for use from your own Manim files and notebooks::

    from convprop import ForwardPassScene, ForwardPassStory, lesson_from_settings

    class MyForward(ForwardPassScene):      # `manim render -ql my_file.py MyForward`
        input_size = (7, 7)
        stride = (2, 1)

    lesson = lesson_from_settings(input_size=6, stride=1)
    ForwardPassStory(scene, lesson).tell()  # one story inside your own MovingCameraScene

- every scene of the lecture as ``<Name>Scene`` and its script as ``<Name>Story`` (see
  ``convprop list``), and ``SCENES``, the scenes by their command-line names, in lecture order;
- ``lesson_from_settings`` and ``SettingError`` (settings as Python values), ``run_lesson``,
  ``Lesson``, ``ModelConfig``, ``ConfigError`` (the numbers);
- ``NumberGrid``, ``NumberLabel``, ``Formula``, ``Num`` and ``plain`` (numbers and formulas
  that carry where in the trace they come from);
- ``use_theme``, ``THEMES`` and ``look`` (the colour themes).

Names are imported when first used, so ``import convprop`` stays light and the numbers-only
modules (``convprop.mathcore``) never import Manim.
"""

from importlib import import_module

__version__ = "0.1.0"

_MODULES = {
    "lesson_from_settings": "convprop.inputs.settings", "SettingError": "convprop.inputs.settings",
    "run_lesson": "convprop.mathcore.lesson", "Lesson": "convprop.mathcore.lesson",
    "ModelConfig": "convprop.mathcore.config", "ConfigError": "convprop.mathcore.config",
    "NumberGrid": "convprop.scenes.kit.grid", "NumberLabel": "convprop.scenes.kit.numbers",
    "Formula": "convprop.scenes.kit.formula", "Num": "convprop.scenes.kit.formula", "plain": "convprop.scenes.kit.formula",
    "use_theme": "convprop.scenes.kit.style", "THEMES": "convprop.scenes.kit.style", "look": "convprop.scenes.kit.style",
    "SCENES": "convprop.scenes.registry",
    "LectureScene": "convprop.scenes.lecture", "LectureStory": "convprop.scenes.lecture",
}


def _scene_names() -> dict:
    """Every scene class and its story class, by class name."""
    scenes = import_module("convprop.scenes.registry").SCENES
    return {name: obj for cls in scenes.values() for name, obj in ((cls.__name__, cls), (cls.story.__name__, cls.story))}


def __getattr__(name: str):
    if name in _MODULES:
        value = getattr(import_module(_MODULES[name]), name)
    elif name.endswith(("Scene", "Story")) and name in _scene_names():
        value = _scene_names()[name]
    else:
        raise AttributeError(f"module 'convprop' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_MODULES) | set(_scene_names()))
