"""Every number each scene draws equals the trace; nothing leaves the frame or overlaps."""

import pytest

from mathcore import ModelConfig, run_model
from scenes.registry import SCENES
from tests.scene_check import build_and_check

CONFIGS = {
    "default-5x5-k3-s2": ModelConfig(),
    "stride1": ModelConfig(stride=(1, 1)),
    "padding1": ModelConfig(padding=1),
    "rect-5x7-s2x3": ModelConfig(input_size=(5, 7), stride=(2, 3)),
    "non-tiling-6x6-s2": ModelConfig(input_size=(6, 6)),
    "relu-pool": ModelConfig(input_size=(8, 8), stride=(1, 1), relu=True, pool=2),
    "largest-12x12-k5-s3-p2": ModelConfig(input_size=(12, 12), kernel_size=(5, 5), stride=(3, 3), padding=2),
    "stride1-12x12-p2-pool": ModelConfig(input_size=(12, 12), kernel_size=(3, 3), stride=(1, 1), padding=2,
                                         relu=True, pool=3),
    "kernel1x1": ModelConfig(input_size=(3, 4), kernel_size=(1, 1), stride=(1, 1)),
}


@pytest.mark.parametrize("scene_name", list(SCENES))
@pytest.mark.parametrize("config", list(CONFIGS.values()), ids=list(CONFIGS))
def test_scene_draws_the_trace_inside_the_frame(scene_name, config):
    trace = run_model(config)
    totals = build_and_check(SCENES[scene_name], trace)
    assert totals["plays"] > 0
    assert totals["numbers"] > 0  # the checks above ran on real numbers


def test_lecture_draws_the_trace_inside_the_frame():
    from scenes.lecture import LectureScene

    totals = build_and_check(LectureScene, run_model(ModelConfig()))
    assert totals["plays"] > 0 and totals["numbers"] > 0
