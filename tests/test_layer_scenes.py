"""Channels, filters and dilation on screen: every scene that draws the convolution draws a layer
(each is checked on screen over the layer configurations in test_scenes_onscreen), so `lecture`
and `course` take one; a layer whose padded input is too large to write as numbers is still
refused in one line.
"""

import pytest

from convprop.mathcore import ModelConfig
from convprop.mathcore.settings import SettingError
from tests.test_cli import Case, run  # noqa: F401 (fixture)
from tests.test_cli import test_bad_input_is_one_error_line_and_exit_2 as _one_error_line

pytestmark = pytest.mark.xdist_group("cli")

LAYERS = [ModelConfig(channels=2), ModelConfig(filters=2), ModelConfig(input_size=(7, 7), dilation=(2, 2))]


@pytest.mark.parametrize("config", LAYERS, ids=["channels", "filters", "dilation"])
def test_every_scene_and_so_the_lecture_draw_a_layer(config):
    """The lecture is every scene in order (scenes/lecture.py), so it takes what each scene takes;
    so does the lecture of a course's chosen scenes (farm/lecture.py)."""
    from convprop.farm.lecture import lecture_scene
    from convprop.scenes.lecture import LectureScene
    from convprop.scenes.registry import SCENES

    for scene in [*SCENES.values(), LectureScene, lecture_scene(["chain-rule", "input-gradient"])]:
        scene.story.check_drawable(config)  # raises SettingError if it refuses


def test_a_lecture_of_the_forward_pass_alone_takes_a_picture_input():
    """A course of forward-pass alone may draw a 28x28 input as a picture; the whole lecture may not."""
    from convprop.farm.lecture import lecture_scene
    from convprop.scenes.lecture import LectureScene

    config = ModelConfig(input_size=(28, 28), stride=(1, 1))
    lecture_scene(["forward-pass"]).story.check_drawable(config)
    with pytest.raises(SettingError, match="--input-size"):
        LectureScene.story.check_drawable(config)


def test_a_layer_too_large_to_number_is_refused_by_every_scene_that_writes_x():
    from convprop.scenes.registry import SCENES

    config = ModelConfig(input_size=(17, 17), channels=2)
    refused = set()
    for name, scene in SCENES.items():
        try:
            scene.story.check_drawable(config)
        except SettingError as err:
            assert "17x17" in str(err) and "--input-size" in str(err)
            refused.add(name)
    assert refused == {name for name, scene in SCENES.items() if scene.story.draws_input}


BAD = [
    Case("render-kernel-gradient-channels-too-large", ("render", "kernel-gradient", "--output", "out", "--format",
                                                       "png", "--channels", "3", "--input-size", "20"),
         expect="--input-size"),
    Case("lecture-filters-too-large", ("lecture", "--output", "out", "--filters", "2", "--input-size", "18"),
         expect="--input-size"),
]


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_a_layer_too_large_to_number_is_refused_in_one_line(run, case):
    _one_error_line(run, case)
