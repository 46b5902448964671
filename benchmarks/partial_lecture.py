"""Render the lecture of some scenes only, as `convprop lecture` would: the baseline that
course_time.py compares `convprop course --scenes` with.

Usage: python benchmarks/partial_lecture.py NAME,NAME,... QUALITY OUTPUT_DIR
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from convprop.scenes.registry import chosen_scenes, lecture_scene  # noqa: E402
from convprop.mathcore.lesson import run_lesson  # noqa: E402
from convprop.scenes.render import render_scene  # noqa: E402

names, quality, output = sys.argv[1:4]
render_scene(lecture_scene(chosen_scenes(names)), run_lesson(), "lecture", quality, "mp4", Path(output), sections=True)
