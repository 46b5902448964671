"""A layer's given kernels and biases are written as given: a weight given as 0.25 never shows
as 0.3, in any scene that writes W_(o,c) or b_o (the checker's given-values rule covers the
layer's ``conv.W``, ``conv.b`` and ``conv_grad.rotated_W`` as it covers one channel's)."""

import pytest

from convprop.mathcore import ModelConfig
from convprop.mathcore.lesson import run_lesson
from tests.test_scenes_onscreen import _check

# two filters of two channels, every weight and bias needing two decimals
GIVEN = {"kernel": [[[[0.25, -0.15, 0.05], [0.35, -0.45, 0.15], [-0.05, 0.55, -0.25]],
                     [[-0.35, 0.05, 0.45], [0.15, -0.25, 0.65], [0.05, -0.55, 0.35]]],
                    [[[0.45, 0.05, -0.35], [-0.15, 0.25, 0.05], [0.55, -0.45, 0.15]],
                     [[0.05, 0.35, -0.05], [-0.65, 0.15, 0.25], [-0.25, 0.45, -0.15]]]],
         "bias": [0.15, -0.05]}


@pytest.mark.parametrize("scene_name", ["forward-pass", "weight-update", "input-gradient"])
def test_a_layers_given_weights_of_two_decimals_are_written_exactly(scene_name):
    lesson = run_lesson(ModelConfig(channels=2, filters=2), GIVEN)
    assert lesson.values.decimals["kernel"] == lesson.values.decimals["bias"] == 2
    _check(scene_name, lesson)


def test_the_checker_catches_a_layer_weight_written_rounded(monkeypatch):
    """The rule bites: the same weights written with one decimal (0.25 as 0.3) are caught."""
    from convprop.mathcore.values import Values
    from tests.scene_check import ScreenError

    lesson = run_lesson(ModelConfig(channels=2, filters=2), GIVEN)
    given = Values.decimals.fget
    # what a scene that ignored the given decimals would write
    monkeypatch.setattr(Values, "decimals", property(lambda self: given(self) | {"kernel": 1}))
    with pytest.raises(ScreenError, match=r"given value at \('conv', 'W'"):
        _check("forward-pass", lesson)
