"""The default lecture walked once in a test process, for every test that reads it.

The screen checker walks the lecture (every story in turn, on one screen, each number held to
the legible size), and the same walk tells the lecture's script. The script's tests read that
script instead of telling each story again: one walk where there were seven. The tests that
read it share the xdist group ``narration``, so one worker makes it.
"""

import functools


@functools.cache
def lecture_walk():
    """(lesson, the checker's totals, the script's lines) of the default lecture."""
    from convprop.mathcore.lesson import run_lesson
    from convprop.scenes.lecture import LectureScene
    from tests.scene_check import build_and_check

    lesson, told = run_lesson(), []
    totals = build_and_check(LectureScene, lesson, legible="all", told=told)
    return lesson, totals, tuple(told)
