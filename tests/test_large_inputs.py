"""Inputs up to 28x28, the classic digit size: computed like any other and proven against PyTorch;
drawn by forward-pass as pictures (the checker runs them in test_scenes_onscreen); refused by
every scene and command that writes X as numbers, in one line that names the way out.
"""

import numpy as np
import pytest
import torch

from convprop.inputs import image_values, open_source
from convprop.mathcore import ModelConfig
from convprop.mathcore.config import NUMBERED_SIDE
from convprop.mathcore.kernels import named_kernel
from convprop.mathcore.lesson import run_lesson
from convprop.mathcore.settings import SettingError
from tests.test_cli import Case, bad, run  # noqa: F401 (fixture)
from tests.test_cli import test_bad_input_is_one_error_line_and_exit_2 as _one_error_line

pytestmark = pytest.mark.xdist_group("cli")


def test_a_28x28_digit_through_sobel_x_is_torch_conv2d():
    x = image_values(open_source("digit:7"), (28, 28))
    w = named_kernel("sobel-x")
    lesson = run_lesson(ModelConfig(input_size=(28, 28), stride=(1, 1), padding=1),
                        {"input": x.tolist(), "kernel": w.tolist(), "bias": 0.0})
    expected = torch.nn.functional.conv2d(torch.tensor(x)[None, None], torch.tensor(w)[None, None], padding=1)[0, 0]
    np.testing.assert_allclose(lesson.conv.z, expected.numpy(), atol=1e-12)
    # the digit's strokes are edges: the feature map is far from flat where the ink is
    assert lesson.conv.z.max() > 2 and lesson.conv.z.min() < -2


def test_only_the_stories_that_draw_pictures_take_an_input_too_large_to_number():
    from convprop.scenes.registry import SCENES

    large = ModelConfig(input_size=(NUMBERED_SIDE + 1, NUMBERED_SIDE + 1), stride=(1, 1))
    takes = {name for name, scene in SCENES.items() if _accepts(scene.story, large)}
    assert takes == {"forward-pass", "mlp-worked-example", "learning-rate", "input-gradient"}
    for scene in SCENES.values():  # every one takes the largest input it can number
        scene.story.check_drawable(ModelConfig(input_size=(NUMBERED_SIDE, NUMBERED_SIDE), stride=(1, 1)))


def _accepts(story, config) -> bool:
    try:
        story.check_drawable(config)
    except SettingError as err:
        assert "16x16" in str(err) and "17x17" in str(err)
        return False
    return True


def test_a_library_scene_refuses_an_input_it_cannot_number():
    from convprop.scenes.stories.chain_rule import ChainRuleScene
    from convprop.scenes.stories.forward_pass import ForwardPassScene

    class Large(ChainRuleScene):
        input_size = (20, 20)
        stride = 1

    with pytest.raises(SettingError, match="forward-pass"):
        Large()

    class LargeForward(ForwardPassScene):
        input_size = (28, 28)
        stride = 1

    assert LargeForward().trace.config.input_size == (28, 28)


CHAIN_RULE_28 = Case("render-chain-rule-28", ("render", "chain-rule", "--output", "out", "--format", "png",
                                              "--input-size", "28", "--stride", "1"), expect="forward-pass")
BAD = [
    CHAIN_RULE_28,
    Case("lecture-20", ("lecture", "--output", "out", "--input-size", "20", "--stride", "1"), expect="16x16"),
    Case("course-28", ("course", "--output", "out", "--image", "digit:7", "--input-size", "28"), expect="16x16"),
    Case("exercises-28", ("exercises", "--output", "out", "--input-size", "28"), expect="worksheets"),
    Case("batch-render-chain-rule-28", ("batch", "jobs.toml", "--output", "out"),
         (("jobs.toml", '[[job]]\ncommand = "render"\nscene = "chain-rule"\ninput-size = "28"\nstride = "1"\n'),),
         expect="job table 1"),
]


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_a_scene_that_numbers_x_refuses_a_large_input_in_one_line(run, case):
    _one_error_line(run, case)
