"""Channels, filters and dilation on screen: every scene that draws the convolution draws a layer
(each is checked on screen over the layer configurations in test_scenes_onscreen), so `lecture`
and `course` take one; the exercises refuse, in one line, a layer whose padded input is too large
to write as numbers (the scenes draw it as pictures: tests/test_large_inputs.py).
"""

import pytest

from convprop.mathcore import ModelConfig
from tests.test_cli import Case, run  # noqa: F401 (fixture)
from tests.test_cli import test_bad_input_is_one_error_line_and_exit_2 as _one_error_line

pytestmark = pytest.mark.xdist_group("layer-scenes")  # its own cases' pool: see test_cli

LAYERS = [ModelConfig(channels=2), ModelConfig(filters=2), ModelConfig(input_size=(7, 7), dilation=(2, 2))]


@pytest.mark.parametrize("config", LAYERS, ids=["channels", "filters", "dilation"])
def test_every_scene_and_so_the_lecture_draw_a_layer(config):
    """The lecture is every scene in order (scenes/lecture.py), so it takes what each scene takes;
    so does the lecture of a course's chosen scenes (farm/lecture.py)."""
    from convprop.scenes.render_lecture import lecture_scene
    from convprop.scenes.lecture import LectureScene
    from convprop.scenes.registry import SCENES

    for scene in [*SCENES.values(), LectureScene, lecture_scene(["chain-rule", "input-gradient"])]:
        scene.story.check_drawable(config)  # raises SettingError if it refuses


BAD = [
    Case("exercises-filters-too-large", ("exercises", "--output", "out", "--filters", "2", "--input-size", "18"),
         expect="worksheets"),
]


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_a_layer_too_large_to_number_is_refused_by_the_exercises_in_one_line(run, case):
    _one_error_line(run, case)
