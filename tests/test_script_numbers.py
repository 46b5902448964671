"""Every number of every narration sentence is the trace's at the precision the screen shows,
and on screen while it is said (``tests/script_check``), over a few configurations."""

import pytest

from convprop.mathcore.config import ModelConfig
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.kit.formula import Num
from convprop.scenes.narration import Narrator, say
from convprop.scenes.registry import SCENES
from tests.script_check import ScriptCheckError, check_script

CONFIGS = {
    "default": ModelConfig(),
    "padded-stride-1": ModelConfig(input_size=(4, 4), kernel_size=(2, 2), stride=(1, 1), padding=1, seed=3),
    "relu-pool-fast": ModelConfig(input_size=(6, 6), stride=(1, 2), relu=True, pool=2, seed=7, learning_rate=2.0),
}
# a layer (two channels, two filters, each map ReLU'd and pooled), and an input too large to number
LAYERS = {
    "2-channels-2-filters-relu-pool": ModelConfig(input_size=(6, 6), stride=(1, 1), channels=2, filters=2, relu=True,
                                                  pool=2),
    "20x20-pictured-relu-pool": ModelConfig(input_size=(20, 20), stride=(1, 1), relu=True, pool=2),
}


@pytest.mark.parametrize("scene", ["forward-pass", "weight-update", "loss-gradient"])
@pytest.mark.parametrize("name", CONFIGS)
def test_narration_numbers_are_the_screens(scene, name):
    assert check_script(SCENES[scene], run_lesson(CONFIGS[name])) > 0


@pytest.mark.parametrize("scene", ["forward-pass", "loss-gradient"])
@pytest.mark.parametrize("name", LAYERS)
def test_a_layers_and_a_pictures_narration_numbers_are_the_screens(scene, name):
    assert check_script(SCENES[scene], run_lesson(LAYERS[name])) > 0


@pytest.mark.parametrize("scene, options", [
    ("learning-rate", {}), ("learning-rate", dict(rates=(0.3, 7), steps=5)), ("mlp-worked-example", {}),
    ("cnn-pipeline", {}),
])
def test_the_other_scenes_narration_numbers_are_the_screens(scene, options):
    assert check_script(SCENES[scene], run_lesson(**options)) > 0


def test_the_check_catches_a_number_the_screen_does_not_show():
    """A narration that says the bias at three decimals, when the screen shows it at one, fails."""
    scene_cls = SCENES["weight-update"]

    class Misspoken(Narrator):
        def line(self, beat_id, caption, narration, trace):
            if beat_id.endswith("/02"):
                narration = say("α is {alpha}, and the bias is {b}.", alpha=narration.values["alpha"],
                                b=Num(("values", "b", 0), 3))
            return super().line(beat_id, caption, narration, trace)

    with pytest.raises(ScriptCheckError, match="does not show"):
        check_script(scene_cls, run_lesson(), Misspoken())
