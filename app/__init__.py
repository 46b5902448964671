"""The application: what convprop's commands do, as plain functions (``app.commands``), the
lesson from options (``app.lessons``) and the options themselves, declared once
(``app.options``). The command line (``convprop.cli``) and a batch's worker (``convprop.farm``)
both stand on this floor; nothing here knows either of them.
"""

from convprop.app.commands import check, course, exercises, lecture, render, run, script
from convprop.app.lessons import build_lesson, model_config, read_values

__all__ = ["build_lesson", "check", "course", "exercises", "lecture", "model_config", "read_values", "render", "run", "script"]
