"""Inputs up to 28x28, the classic digit size: computed like any other and proven against PyTorch;
drawn by every scene as pictures (the checker runs them in tests/test_large_*.py and
test_scenes_onscreen); refused, in one line that names the way out, by the exercises, which write
every number, and by a user's story that has not said it draws pictures.
"""

import numpy as np
import pytest
import torch

from convprop.inputs import image_values, open_source
from convprop.mathcore import ModelConfig
from convprop.mathcore.config import NUMBERED_SIDE
from convprop.mathcore.kernels import named_kernel
from convprop.mathcore.lesson import run_lesson
from convprop.inputs.settings import SettingError
from convprop.scenes.story import Story, StoryScene
from tests.test_cli import Case, bad, run  # noqa: F401 (fixture)
from tests.test_cli import test_bad_input_is_one_error_line_and_exit_2 as _one_error_line

pytestmark = pytest.mark.xdist_group("large-inputs")  # its own cases' pool: see test_cli


def test_a_28x28_digit_through_sobel_x_is_torch_conv2d():
    x = image_values(open_source("digit:7"), (28, 28))
    w = named_kernel("sobel-x")
    lesson = run_lesson(ModelConfig(input_size=(28, 28), stride=(1, 1), padding=1),
                        {"input": x.tolist(), "kernel": w.tolist(), "bias": 0.0})
    expected = torch.nn.functional.conv2d(torch.tensor(x)[None, None], torch.tensor(w)[None, None], padding=1)[0, 0]
    np.testing.assert_allclose(lesson.conv.z, expected.numpy(), atol=1e-12)
    # the digit's strokes are edges: the feature map is far from flat where the ink is
    assert lesson.conv.z.max() > 2 and lesson.conv.z.min() < -2


LARGE = [ModelConfig(input_size=(28, 28), stride=(1, 1)),
         ModelConfig(input_size=(NUMBERED_SIDE + 1, NUMBERED_SIDE + 1), stride=(2, 2), padding=1),
         ModelConfig(input_size=(28, 28), stride=(1, 1), channels=3, filters=2),
         ModelConfig(input_size=(20, 20), stride=(2, 2), channels=2, dilation=(2, 2), relu=True, pool=2)]


@pytest.mark.parametrize("config", LARGE, ids=["digit", "17-padded", "rgb-2-filters", "layer-dilated"])
def test_every_scene_and_so_the_lecture_take_an_input_too_large_to_number(config):
    """Every scene draws X and the maps past 16 a side as pictures (each checked on screen in its
    own tests/test_large_*.py), so the lecture and a course of any scenes take one too."""
    from convprop.scenes.render_lecture import lecture_scene
    from convprop.scenes.lecture import LectureScene
    from convprop.scenes.registry import SCENES

    for scene in [*SCENES.values(), LectureScene, lecture_scene(["chain-rule", "input-gradient"])]:
        scene.story.check_drawable(config)  # raises SettingError if it refuses


class _NumbersOnly(Story):
    """A user's story written for numbered grids: it has not said it can draw pictures."""
    name = "numbers-only"
    draws_layers = True


def test_a_story_that_draws_no_pictures_refuses_an_input_too_large_to_number():
    for config in LARGE:
        rows, cols = config.padded_size
        with pytest.raises(SettingError, match=f"{NUMBERED_SIDE}x{NUMBERED_SIDE}.*{rows}x{cols}.*--input-size"):
            _NumbersOnly.check_drawable(config)
    _NumbersOnly.check_drawable(ModelConfig(input_size=(NUMBERED_SIDE, NUMBERED_SIDE), stride=(1, 1)))


def test_a_library_scene_takes_a_28x28_input():
    from convprop.scenes.stories.chain_rule import ChainRuleScene

    class Large(ChainRuleScene):
        input_size = (28, 28)
        stride = 1
        image = "digit:7"
        kernel = "sobel-x"

    class NumbersOnly(StoryScene):
        story = _NumbersOnly
        input_size = (20, 20)
        stride = 1

    assert Large().trace.config.input_size == (28, 28)
    with pytest.raises(SettingError, match="numbers-only writes X as numbers"):
        NumbersOnly()


BAD = [
    Case("exercises-28", ("exercises", "--output", "out", "--input-size", "28"), expect="worksheets"),
    Case("batch-exercises-28", ("batch", "jobs.toml", "--output", "out"),
         (("jobs.toml", '[[job]]\ncommand = "exercises"\ninput-size = "28"\nstride = "1"\n'),),
         expect="job table 1"),
]


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_the_exercises_refuse_a_large_input_in_one_line(run, case):
    _one_error_line(run, case)
