"""Channels, filters and dilation on screen: forward-pass draws a layer (checked on screen in
test_scenes_onscreen); every other scene that draws the convolution would show filter 0 and
channel 0 beside sums over every channel, a false equation, so it refuses a layer in one line
naming forward-pass.
"""

import pytest

from convprop.mathcore import ModelConfig
from convprop.mathcore.settings import SettingError
from tests.test_cli import Case, run  # noqa: F401 (fixture)
from tests.test_cli import test_bad_input_is_one_error_line_and_exit_2 as _one_error_line

pytestmark = pytest.mark.xdist_group("cli")

LAYERS = [ModelConfig(channels=2), ModelConfig(filters=2), ModelConfig(input_size=(7, 7), dilation=(2, 2))]


@pytest.mark.parametrize("config", LAYERS, ids=["channels", "filters", "dilation"])
def test_only_forward_pass_draws_a_layer(config):
    from convprop.scenes.registry import SCENES

    takes = set()
    for name, scene in SCENES.items():
        try:
            scene.story.check_drawable(config)
            takes.add(name)
        except SettingError as err:
            assert "forward-pass" in str(err)
    assert takes == {"forward-pass", "mlp-worked-example", "learning-rate"}


BAD = [
    Case("render-kernel-gradient-channels", ("render", "kernel-gradient", "--output", "out", "--format", "png",
                                             "--channels", "3"), expect="forward-pass"),
    Case("render-chain-rule-dilation", ("render", "chain-rule", "--output", "out", "--format", "png",
                                        "--input-size", "7", "--dilation", "2"), expect="forward-pass"),
    Case("lecture-filters", ("lecture", "--output", "out", "--filters", "2"), expect="forward-pass"),
]


@pytest.mark.parametrize("case", BAD, ids=[case.id for case in BAD])
def test_a_scene_that_draws_one_channel_refuses_a_layer_in_one_line(run, case):
    _one_error_line(run, case)
