"""The options of convprop's commands, declared once: the command line and a batch's job files
read the same ones, with the same types, defaults and help.

Declared with click, as parameters; nothing here runs a command. The CLI builds its commands
with ``declare(name)``; a job file is checked and run through ``parse(name, args)``, which
gives the same typed values and the names the user set (``explicit``) that the application's
functions (``convprop.app.run``) take.
"""

from pathlib import Path

import click

from convprop.inputs.settings import parse_pair
from convprop.mathcore.batch import DEFAULT_BATCH, MAX_BATCH
from convprop.mathcore.config import (MAX_CHANNELS, MAX_DILATION, MAX_FILTERS, MAX_GRID_SIDE, MAX_INPUT_SIDE,
                                      MAX_KERNEL_SIDE, NUMBERED_SIDE)
from convprop.mathcore.descent import DEFAULT_RATES, DEFAULT_STEPS, MAX_RATES, MAX_STEPS
from convprop.mathcore.kernels import NAMES as KERNEL_NAMES
from convprop.scenes.outputs import FORMATS, QUALITIES


class OneSide(tuple):
    """N x N from a lone N: a size whose other side an image's proportions may still decide."""


class Pair(click.ParamType):
    """N or NxM, for sizes and strides; a lone N gives a ``OneSide`` (N, N)."""

    name = "N or NxM"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        numbers = parse_pair(value)
        if numbers is None:
            self.fail(f"'{value}' is not N or NxM with whole numbers, e.g. 5 or 5x7", param, ctx)
        return OneSide(numbers * 2) if len(numbers) == 1 else numbers


class Rates(click.ParamType):
    """Learning rates separated by commas, e.g. 0.05,0.5,5,50."""

    name = "RATE,RATE,..."

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        try:
            return tuple(float(part) for part in str(value).split(","))
        except ValueError:
            self.fail(f"'{value}' is not numbers separated by commas, e.g. 0.05,0.5,5,50", param, ctx)


class ImageSource(click.ParamType):
    """--image: the path of an image file, or digit:N; ``names_file`` tells a job file which."""

    name = "FILE|digit:N"

    @staticmethod
    def names_file(value: str) -> bool:
        return not str(value).startswith("digit:")


class Quality(click.Choice):
    """--quality: low, medium, high or 4k; a resolution or frame rate is named by its quality."""

    ALIASES = {"480p": "low", "480p15": "low", "720p": "medium", "720p30": "medium", "1080p": "high",
               "1080p60": "high", "2160p": "4k", "2160p60": "4k", "uhd": "4k"}

    def __init__(self):
        super().__init__(list(QUALITIES))

    def convert(self, value, param, ctx):
        alias = self.ALIASES.get(str(value).strip().lower())
        if alias:
            self.fail(f"{value} is --quality {alias}", param, ctx)
        return super().convert(value, param, ctx)


def _default_rates() -> str:
    return ",".join(f"{r:g}" for r in DEFAULT_RATES)


MODEL = [
    click.option("--input-size", type=Pair(), default="5", show_default=True,
                 help=f"Input H or HxW, at most {MAX_INPUT_SIDE}x{MAX_INPUT_SIDE}. Past a padded "
                      f"{NUMBERED_SIDE}x{NUMBERED_SIDE} the scenes draw X, and every map past "
                      f"{NUMBERED_SIDE} a side, as pictures, the numbers under discussion close up; the "
                      "exercises, which write every number, stop there (a course then has none)."),
    click.option("--kernel-size", type=Pair(), default="3", show_default=True,
                 help=f"Kernel K or KxK, at most {MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE}."),
    click.option("--stride", type=Pair(), default="2", show_default=True,
                 help="Stride S or SxS (rows x columns)."),
    click.option("--padding", type=int, default=0, show_default=True,
                 help=f"Zero padding on every side; smaller than the kernel, and the padded input at most "
                      f"{MAX_GRID_SIDE}x{MAX_GRID_SIDE} ({NUMBERED_SIDE}x{NUMBERED_SIDE} to draw it as numbers)."),
    click.option("--dilation", type=Pair(), default="1", show_default=True,
                 help=f"Dilation D or DxD, 1 to {MAX_DILATION}: D-1 cells between the kernel's taps, so it "
                      "spans D(K-1)+1 cells. Output side o = floor((i + 2p - D(K-1) - 1) / S) + 1 for input "
                      "side i, padding p, kernel side K and stride S."),
    click.option("--channels", type=int, default=1, show_default=True,
                 help=f"Input channels C, 1 to {MAX_CHANNELS}: X is C x H x W (3 with --image: red, green, "
                      "blue)."),
    click.option("--filters", type=int, default=1, show_default=True,
                 help=f"Filters F, 1 to {MAX_FILTERS}, each C x K x K with its own bias: F feature maps, each "
                      "ReLU'd and pooled, flattened map by map into the dense layer."),
    click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Seed of the random values."),
    click.option("--learning-rate", type=float, default=0.1, show_default=True,
                 help="SGD step size alpha, above 0 and at most 1000."),
    click.option("--relu/--no-relu", default=False, show_default=True, help="ReLU after the convolution."),
    click.option("--pool", type=int, default=0, show_default=True, help="Max-pool window and stride; 0 for none."),
    click.option("--values", "values_file", type=click.Path(dir_okay=False, path_type=Path),
                 help="JSON file with any of input (C x H x W, or H x W for one channel), kernel "
                      "(F x C x K x K, or K x K for one filter of one channel), bias (a list of F, or a "
                      "number for one filter), fc_weight, fc_bias, target, learning_rate; the rest come "
                      "from the seed."),
    click.option("--image", type=ImageSource(),
                 help="X from a picture: an image file (grayscale, or red, green and blue with --channels 3; "
                      "shrunk to the input size by averaging, 0 black to 1 white, one decimal), or digit:0 "
                      "to digit:9, the project's own handwritten digits (the same digit in all three "
                      "channels with --channels 3). A lone --input-size N is the longer side; the picture's "
                      f"proportions give the other. At most {MAX_INPUT_SIDE}x{MAX_INPUT_SIDE}."),
    click.option("--kernel", "kernel_name", type=click.Choice(KERNEL_NAMES),
                 help="W from a named kernel, at --kernel-size 3; identity, box-blur and gaussian-blur "
                      "also at 5. box-blur 3x3 is 0.1111 each (1/9 to the four decimals shown)."),
]
BATCH = [click.option("--batch", type=int, default=DEFAULT_BATCH, show_default=True,
                      help=f"Images in the mini-batch of the cnn-pipeline scene, 1 to {MAX_BATCH}.")]
DESCENT = [
    click.option("--rates", type=Rates(), default=_default_rates(), show_default=True,
                 help=f"Learning rates compared by the learning-rate scene, at most {MAX_RATES}, "
                      "each above 0 and at most 1000."),
    click.option("--steps", type=int, default=DEFAULT_STEPS, show_default=True,
                 help=f"Gradient-descent steps per learning rate, 1 to {MAX_STEPS}."),
]
# What the scenes beyond the CNN's own trace need: the batch, the 2-2-2 network, the rates.
LESSON = [
    *BATCH,
    click.option("--mlp-values", "mlp_values_file", type=click.Path(dir_okay=False, path_type=Path),
                 help="JSON file with any of inputs, targets, weights, biases, learning_rate of the "
                      "2-2-2 network; the rest are the textbook example's."),
    *DESCENT,
]
QUALITY = click.option("--quality", type=Quality(), default="low", show_default=True,
                       help="low 480p15, medium 720p30, high 1080p60, 4k 2160p60.")
OUTPUT = [
    QUALITY,
    click.option("--format", "fmt", type=click.Choice(FORMATS), default="mp4", show_default=True,
                 help="Video format, or png for the last frame only."),
    click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("media"),
                 show_default=True, help="Directory the finished files are moved into."),
]
THEME = click.option("--theme", type=click.Choice(["dark", "light"]), default="dark", show_default=True,
                     help="dark: black background, for video; light: white background, for slides, handouts "
                          "and bright rooms. Colours keep their meanings in both.")
LOOK = [
    THEME,
    click.option("--transparent", is_flag=True,
                 help="No background (an alpha channel), to lay the animation over your own recording; "
                      "needs --format webm or png."),
]
QUIET = click.option("--quiet", is_flag=True, help="No progress on the terminal; only the final paths are printed.")
JOBS = click.option("--jobs", type=click.IntRange(min=1), default=None,
                    help="Processes rendering sections at once, joined without re-encoding "
                         "[default: one per core].")
SCRIPT_FILE = click.option("--script", "script_file", type=click.Path(dir_okay=False, path_type=Path),
                           help="An edited copy of `convprop script` (JSON or Markdown): its narration, placeholders "
                                "such as {w5} filled with this lesson's numbers, is said and captioned instead.")
VOICE = [
    click.option("--voice", metavar="VOICE",
                 help="Narrate with a voice: piper, piper:PATH.onnx, espeak-ng, or takes:DIR (your own "
                      "recordings, one file per beat id, e.g. weight-update-03.wav). Each beat lasts as long as "
                      "its speech; the captions become the spoken sentences. Default: silent."),
    click.option("--language", help="The language espeak-ng speaks (e.g. fr, de); only with --voice espeak-ng."),
]
SCENE_LIST = click.option("--scenes", "scene_list", metavar="NAME,NAME,...",
                          help="Only these scenes, in lecture order (see `convprop list`); default: all of them.")

COMMANDS = {
    "render": [click.argument("scene", metavar="SCENE"), *MODEL, *LESSON, *OUTPUT, *LOOK, SCRIPT_FILE, *VOICE, QUIET],
    "lecture": [*MODEL, *LESSON, SCENE_LIST, *OUTPUT, *LOOK, JOBS, SCRIPT_FILE, *VOICE, QUIET],
    "course": [
        *MODEL, *LESSON, SCENE_LIST, QUALITY,
        click.option("--output", type=click.Path(path_type=Path), default=Path("course"), show_default=True,
                     help="The course folder; replaced only once the new one is complete."),
        THEME, JOBS, SCRIPT_FILE, *VOICE, QUIET,
    ],
    "exercises": [
        *MODEL, *LESSON,
        click.option("--seeds", help="Versions to make, one folder each: 1-30, or 1,4,7-9; at most 10,000. "
                                     "Default: the --seed alone."),
        click.option("--topics", multiple=True, help="Topics, separated by commas or the option repeated: forward, "
                     "loss, chain-rule, kernel-gradient, update, input-gradient, pooling, batch, mlp, "
                     "learning-rate. Default: every one that applies."),
        click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("exercises"),
                     show_default=True, help="Directory to create; written whole or not at all."),
        QUIET,
    ],
    "compute": [*MODEL, *BATCH],
    "script": [
        click.argument("scene", metavar="[SCENE]", required=False),
        *MODEL, *LESSON,
        click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True,
                     help="md for people to read and edit, json for tools; both read back by --script."),
        SCRIPT_FILE,
        click.option("--language", "spoken_language", default="en", show_default=True,
                     help="The language of the Spoken lines: a translated script's numbers and symbols said as "
                          "a voice of that language says them (e.g. fr, de, es)."),
        click.option("--takes", "takes_folder", type=click.Path(file_okay=False, path_type=Path),
                     help="A folder of recordings (as --voice takes:DIR reads it): each beat's take listed as "
                          "found, missing, unusable (empty, unreadable, silent) or too long for its beat."),
    ],
}


def declare(*groups):
    """A decorator adding the options of ``groups`` (lists of click decorators, or a command's
    name in ``COMMANDS``) to a click command, in the order given."""
    decorators = [d for group in groups for d in (COMMANDS[group] if isinstance(group, str) else group)]

    def apply(function):
        for decorator in reversed(decorators):
            function = decorator(function)
        return function
    return apply


# The sizes whose given value decides over what --values' matrices say (see config_for_values).
EXPLICIT = ("input_size", "kernel_size", "learning_rate", "channels", "filters")


def explicit_of(ctx: click.Context) -> frozenset:
    """The sizes among ``EXPLICIT`` that the user set, on the command line or in a job file."""
    return frozenset(name for name in EXPLICIT if name in ctx.params
                     and ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT)


def parser(command: str) -> click.Command:
    """A click command with ``command``'s parameters and nothing to run: it only parses."""
    return click.command(command)(declare(command)(lambda **_: None))


def parse(command: str, args: list[str]) -> tuple[dict, frozenset]:
    """A command's arguments (as a job file gives them) -> its typed values and ``explicit_of``;
    click.ClickException names a bad one, as the command line would."""
    root = click.Context(click.Group("convprop"), info_name="convprop")
    ctx = parser(command).make_context(command, list(args), parent=root)
    return dict(ctx.params), explicit_of(ctx)
