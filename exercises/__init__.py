"""Exercises from the video's numbers: a worksheet, a worked answer key and a quiz per seed.

For each seed, ``DIR/seed-N/`` holds

- ``worksheet.pdf``: the given values and a numbered box for every answer;
- ``answers.pdf``: every answer worked step by step in the video's colours;
- ``quiz.xml`` (Moodle XML) and ``quiz.gift`` (GIFT): one numerical question per answer;
- ``answers.json``: each question's id, topic, prompt, answer (full precision), shown,
  tolerance and source: the command and path whose JSON holds the answer.

A convolution layer (``--channels``, ``--filters``, ``--dilation``) asks each topic of the whole
layer: one filter's z as each channel's share plus its bias, the output size with dilation, the
parameter count, one kernel W_(o,c) and its gradient, dL/dX_c as a sum over the filters (see
``topics.layer``).

No number is computed here: every answer is read from the JSON `convprop compute` prints for
the same options (see ``exercises.sources``), and the worked steps from mathcore's traces.

From the command line: ``convprop exercises --seeds 1-30 --output DIR``. From other code, such
as the course folder, with a lesson already computed::

    from convprop.exercises import build_for_course
    build_for_course(lesson, course_dir / "exercises")   # writes exercises/worksheet.pdf, ...
"""

from pathlib import Path

from convprop.exercises.folders import FILES, Request, build, lesson_files, publish
from convprop.exercises.seeds import MAX_SEEDS, parse_seeds
from convprop.exercises.sources import CommandArgs, command_args
from convprop.exercises.topics import TOPICS, choose, parse as parse_topics

__all__ = ["FILES", "MAX_SEEDS", "TOPICS", "CommandArgs", "Request", "build", "build_for_course",
           "choose", "command_args", "parse_seeds", "parse_topics"]


def build_for_course(lesson, out_dir, topics=None, args: CommandArgs | None = None) -> dict[str, Path]:
    """Write the exercises of one lesson (its own seed) into ``out_dir``, made whole or not at all.

    ``lesson`` is a ``mathcore.lesson.Lesson`` (what ``cli.build_lesson`` returns); ``topics``
    None means every topic that applies to its configuration. ``out_dir`` must not exist or be
    empty; it then holds worksheet.pdf, answers.pdf, quiz.xml, quiz.gift and answers.json
    (no seed-N/ level). ``args`` are the command arguments the answers' sources name; the
    default spells out the lesson's own configuration, which makes the same numbers unless
    values came from files: then pass ``command_args(lesson, values_file, mlp_values_file)``.
    Returns each file's path by name. Raises ``mathcore.ConfigError`` for a topic that is
    unknown or does not apply, or an output folder that is in the way.

    A lesson with several channels or filters, or a dilated kernel, asks each topic of the
    whole layer (see ``topics.layer``).
    """
    chosen = choose(topics, lesson.model.config)
    args = args or command_args(lesson)

    def write(tmp: Path):
        for name, data in lesson_files(lesson, chosen, args).items():
            (tmp / name).write_bytes(data)

    out_dir = publish(Path(out_dir), write)
    return {name: out_dir / name for name in FILES}
