"""Every number each scene draws equals the trace, every highlight sits on the cells the trace
names, every number under discussion is legible at 480p (every number, at the default
configuration); nothing leaves the frame or overlaps.

Each scene is built from a whole lesson, as the CLI builds it, over the configurations that
matter to it: the CNN's shapes for the CNN scenes, batch sizes for the pipeline, other values
for the 2-2-2 network, and other learning rates and step counts for the learning-rate scene.
The default lesson of every scene is walked once, inside the lecture, which tells each story
in turn on one screen (``test_lecture_draws_the_trace_inside_the_frame``): there every number
must be legible, and each story must leave nothing behind for the next.
"""
import pytest

from convprop.mathcore import ModelConfig
from convprop.mathcore.batch import MAX_BATCH
from convprop.mathcore.descent import MAX_RATES, MAX_STEPS
from convprop.mathcore.lesson import run_lesson
from convprop.mathcore.mlp import MAX_ABS_MLP_VALUE
from convprop.scenes.registry import SCENES
from tests.scene_check import build_and_check

DEFAULT = "default-5x5-k3-s2"  # walked in the lecture
CONFIGS = {
    DEFAULT: ModelConfig(),
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
CNN_SCENES = [name for name in SCENES if name not in ("cnn-pipeline", "mlp-worked-example", "learning-rate")]

# the pipeline: every shape above with the default batch, and the smallest and largest batches
PIPELINE = {f"{name}-batch2": dict(config=config) for name, config in CONFIGS.items() if name != DEFAULT} | {
    f"{name}-batch{size}": dict(config=CONFIGS[name], batch=size)
    for name in (DEFAULT, "stride1-12x12-p2-pool", "rect-5x7-s2x3") for size in (1, MAX_BATCH)
}
BIG = MAX_ABS_MLP_VALUE
MLP = {  # the textbook's values, the default, are walked in the lecture
    "other-values": {"inputs": [1.5, -2], "weights": [-0.3, 0.8, -1.2, 0.45, 2.5, -0.7, -1.9, 0.05],
                     "biases": [-0.25, 0.4], "targets": [0.9, 0.1], "learning_rate": 0.1},
    "saturated-extremes": {"weights": [BIG - 0.5, -BIG + 0.5, BIG, -BIG, BIG / 2, -BIG / 2, 0.75 * BIG, -0.75 * BIG],
                           "inputs": [-BIG, BIG], "biases": [-BIG, BIG]},
}
RATES = {  # the default rates and steps are walked in the lecture
    "one-rate": dict(rates=(0.1,)),
    "five-small-to-large": dict(rates=(0.001, 0.01, 0.1, 1, 10)[:MAX_RATES]),
    "largest-rate": dict(rates=(1000,)),
    "one-step": dict(steps=1),
    "most-steps": dict(steps=MAX_STEPS),
    "two-rates-five-steps": dict(rates=(0.3, 7), steps=5),
}


def _check(scene_name: str, lesson):
    """Those numbers under discussion legible (at the default lesson, in the lecture, every number)."""
    totals = build_and_check(SCENES[scene_name], lesson, legible="focus")
    assert totals["plays"] > 0
    assert totals["numbers"] + totals["formula_numbers"] > 0  # the checks above ran on real numbers


@pytest.mark.parametrize("scene_name", CNN_SCENES)
@pytest.mark.parametrize("config", [c for name, c in CONFIGS.items() if name != DEFAULT],
                         ids=[name for name in CONFIGS if name != DEFAULT])
def test_cnn_scene_draws_the_trace_inside_the_frame(scene_name, config):
    _check(scene_name, run_lesson(config))


# a convolution layer: stacked channels, several filters, a dilated kernel. Every scene that draws
# the convolution runs over LAYERS: the largest layer (three channels, four 5x5 filters, padding 1:
# the camera brings each filter close), the largest input (three 16x16 padded channels), ReLU and
# pooling on every map, and dilation alone; forward-pass, the layer's first scene, also over
# LAYERS_FORWARD.
LAYERS = {
    "3-channels-2-filters": ModelConfig(channels=3, filters=2),
    "dilation2-7x7-s1": ModelConfig(input_size=(7, 7), stride=(1, 1), dilation=(2, 2)),
    "3-channels-4-filters-k5-7x7-p1-s1": ModelConfig(input_size=(7, 7), kernel_size=(5, 5), stride=(1, 1),
                                                     padding=1, channels=3, filters=4),
    "2-channels-3-filters-relu-pool-8x8-s1": ModelConfig(input_size=(8, 8), stride=(1, 1), channels=2, filters=3,
                                                         relu=True, pool=2),
    "3-channels-dilation2-16x16-s3": ModelConfig(input_size=(16, 16), stride=(3, 3), channels=3, dilation=(2, 2)),
}
# (forward-pass over the three channels and four filters of 3x3 or 5x5 kernels, padding 1, is
# walked in tests/test_layer_overview.py, with its overview's rules on top)
LAYERS_FORWARD = {
    "2-channels-3-filters-k5-7x7-s1": ModelConfig(input_size=(7, 7), kernel_size=(5, 5), stride=(1, 1), channels=2,
                                                  filters=3),
    "dilation3x2-14x14-p1-s2": ModelConfig(input_size=(14, 14), padding=1, dilation=(3, 2)),
}
LAYER_SCENES = [name for name in CNN_SCENES if SCENES[name].story.draws_layers]


LAYER_CASES = [(scene, name) for name in LAYERS for scene in LAYER_SCENES
               if (scene, name) != ("forward-pass", "3-channels-4-filters-k5-7x7-p1-s1")]  # in test_layer_overview


@pytest.mark.parametrize("scene_name, config", [(scene, LAYERS[name]) for scene, name in LAYER_CASES],
                         ids=[f"{name}-{scene}" for scene, name in LAYER_CASES])
def test_a_layer_scene_draws_the_layer_inside_the_frame(scene_name, config):
    _check(scene_name, run_lesson(config))


@pytest.mark.parametrize("config", list(LAYERS_FORWARD.values()), ids=list(LAYERS_FORWARD))
def test_forward_pass_draws_more_layers_inside_the_frame(config):
    _check("forward-pass", run_lesson(config))


# (the pipeline of three channels and four 5x5 filters, and of three channels and two filters in a
# batch of four, is walked in tests/test_pipeline_overview.py, with its overview's rules on top)
PIPELINE_LAYERS = [name for name in LAYERS if name != "3-channels-4-filters-k5-7x7-p1-s1"]


@pytest.mark.parametrize("options", [dict(config=LAYERS[name]) for name in PIPELINE_LAYERS], ids=PIPELINE_LAYERS)
def test_pipeline_draws_a_layer_inside_the_frame(options):
    _check("cnn-pipeline", run_lesson(**options))


@pytest.mark.parametrize("options", list(PIPELINE.values()), ids=list(PIPELINE))
def test_pipeline_draws_the_trace_inside_the_frame(options):
    _check("cnn-pipeline", run_lesson(**options))


@pytest.mark.parametrize("given", list(MLP.values()), ids=list(MLP))
def test_mlp_worked_example_draws_the_trace_inside_the_frame(given):
    _check("mlp-worked-example", run_lesson(mlp_given=given))


@pytest.mark.parametrize("options", list(RATES.values()), ids=list(RATES))
def test_learning_rate_draws_the_trace_inside_the_frame(options):
    _check("learning-rate", run_lesson(**options))


@pytest.mark.xdist_group("narration")  # the script's tests read the same walk (tests/lecture_walk.py)
def test_lecture_draws_the_trace_inside_the_frame():
    """The default lesson of every scene, each told after the one before on one screen."""
    from tests.lecture_walk import lecture_walk

    _, totals, told = lecture_walk()
    assert totals["plays"] > 0 and totals["numbers"] > 0 and told


def _picture_lesson(config, image, kernel):
    from convprop.inputs import image_values, open_source
    from convprop.mathcore.kernels import named_kernel

    given = {"input": image_values(open_source(image), config.input_size).tolist(),
             "kernel": named_kernel(kernel, config.kernel_size[0]).tolist()}
    return run_lesson(config, given)


# pictures as X and the named kernels: the 12x12 digit with sobel-x, and a 5x5 gaussian with padding
IMAGES = {
    "digit7-sobel-x-12x12-s1": (ModelConfig(input_size=(12, 12), stride=(1, 1)), "digit:7", "sobel-x"),
    "digit3-gaussian5-9x9-p2": (ModelConfig(input_size=(9, 9), kernel_size=(5, 5), padding=2), "digit:3",
                                "gaussian-blur"),
    # the classic digit size: too large to number, so X and Z are pictures and the window's numbers a loupe
    "digit7-sobel-x-28x28-s1": (ModelConfig(input_size=(28, 28), stride=(1, 1)), "digit:7", "sobel-x"),
    "digit4-sobel-y-28x28-p1-relu-pool": (ModelConfig(input_size=(28, 28), stride=(1, 1), padding=1, relu=True, pool=2),
                                          "digit:4", "sobel-y"),
}


@pytest.mark.parametrize("case", list(IMAGES.values()), ids=list(IMAGES))
def test_forward_pass_draws_a_picture_input_and_its_feature_map(case):
    _check("forward-pass", _picture_lesson(*case))


# a kernel whose entries need four decimals (0.0625): every scene that writes W writes it exactly
@pytest.mark.parametrize("scene_name", ["input-gradient", "weight-update"])
def test_scenes_write_a_named_kernel_exactly(scene_name):
    _check(scene_name, _picture_lesson(ModelConfig(input_size=(6, 6), stride=(1, 1)), "digit:2", "gaussian-blur"))


def test_pipeline_writes_a_named_kernel_exactly():
    _check("cnn-pipeline", _picture_lesson(ModelConfig(input_size=(6, 6), stride=(1, 1)), "digit:5", "gaussian-blur"))


# given values that need two decimals: every scene writes them as given, never rounded to one
TWO_DECIMALS = {"input": [[round(0.05 * ((3 * r + 2 * c) % 9) - 0.2, 2) for c in range(5)] for r in range(5)],
                "bias": 0.25, "fc_weight": [0.15, -0.35, 0.05, 0.45], "fc_bias": -0.05}


@pytest.mark.parametrize("scene_name", ["forward-pass", "loss-gradient", "chain-rule", "kernel-gradient",
                                        "weight-update", "cnn-pipeline"])
def test_scenes_write_given_values_of_two_decimals_exactly(scene_name):
    lesson = run_lesson(ModelConfig(), TWO_DECIMALS)
    assert lesson.values.decimals["input"] == lesson.values.decimals["bias"] == 2
    _check(scene_name, lesson)


def test_the_checker_catches_a_picture_painted_wrong(monkeypatch):
    """A picture cell painted with another level's colour is caught (here every level reads as 0)."""
    import tests.scene_check as check

    real = check.shade
    monkeypatch.setattr(check, "shade", lambda level, signed=False: real(0.5 if level != 0.5 else 0, signed))
    with pytest.raises(check.ScreenError, match="picture"):
        _check("forward-pass", _picture_lesson(ModelConfig(input_size=(5, 5)), "digit:4", "edge"))
