"""Every number of every narration sentence is the trace's at the precision the screen shows,
and on screen while it is said (``tests/script_check``), over a few configurations.

The screen checker's walk (``tests/scene_check.build_and_check``) reads every walked scene's
script the same way, so each scene's default lesson and the configurations of
``test_scenes_onscreen`` and the large-input tests are checked there; these are the ones where
forward-pass's and weight-update's words differ and no screen walk goes: a padded 4x4 input
at stride 1 with a 2x2 kernel, and a ReLU'd, pooled 6x6 input at a 1x2 stride and a large rate."""

import pytest

from convprop.mathcore.config import ModelConfig
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.kit.formula import Num
from convprop.scenes.narration import Narrator, say
from convprop.scenes.registry import SCENES
from tests.script_check import ScriptCheckError, check_script

CONFIGS = {
    "padded-stride-1": ModelConfig(input_size=(4, 4), kernel_size=(2, 2), stride=(1, 1), padding=1, seed=3),
    "relu-pool-fast": ModelConfig(input_size=(6, 6), stride=(1, 2), relu=True, pool=2, seed=7, learning_rate=2.0),
}


@pytest.mark.parametrize("scene", ["forward-pass", "weight-update"])
@pytest.mark.parametrize("name", CONFIGS)
def test_narration_numbers_are_the_screens(scene, name):
    assert check_script(SCENES[scene], run_lesson(CONFIGS[name])) > 0


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
