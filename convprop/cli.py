"""convprop: render lecture videos of backpropagation in a CNN, every number computed.

The command is thin: it parses and validates options, asks mathcore for a trace and hands the
trace to a scene. Every bad input ends in one line on stderr and exit status 2.
"""

import json
import re
import sys
from pathlib import Path

import click

from convprop import interrupts
from convprop.mathcore import ConfigError, ModelConfig, run_model
from convprop.mathcore.batch import DEFAULT_BATCH, MAX_BATCH, run_batch
from convprop.mathcore.config import (MAX_CHANNELS, MAX_DILATION, MAX_FILTERS, MAX_GRID_SIDE, MAX_INPUT_SIDE,
                                      MAX_KERNEL_SIDE, NUMBERED_SIDE)
from convprop.mathcore.descent import DEFAULT_RATES, DEFAULT_STEPS, MAX_RATES, MAX_STEPS, run_descent
from convprop.mathcore.kernels import NAMES as KERNEL_NAMES, with_named_kernel
from convprop.mathcore.lesson import Lesson, run_lesson
from convprop.mathcore.mlp import mlp_values, run_mlp
from convprop.mathcore.values import config_for_values
from convprop.scenes.outputs import FORMATS, QUALITIES


class OneSide(tuple):
    """N x N from a lone N: a size whose other side an image's proportions may still decide."""


class Pair(click.ParamType):
    """N or NxM, for sizes and strides; a lone N gives a ``OneSide`` (N, N)."""

    name = "N or NxM"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        parts = str(value).strip().lower().split("x")
        if not all(re.fullmatch(r"[+-]?\d+", p.strip()) for p in parts):  # int() would take "1_0"
            self.fail(f"'{value}' is not N or NxM with whole numbers, e.g. 5 or 5x7", param, ctx)
        numbers = tuple(int(p) for p in parts)
        if len(numbers) == 1:
            return OneSide(numbers * 2)
        if len(numbers) != 2:
            self.fail(f"'{value}' is not N or NxM, e.g. 5 or 5x7", param, ctx)
        return numbers


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


def _default_rates() -> str:
    return ",".join(f"{r:g}" for r in DEFAULT_RATES)


def model_options(command):
    """The options every command that computes a trace shares."""
    options = [
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
        click.option("--learning-rate", type=float, default=0.1, show_default=True, help="SGD step size alpha, above 0 and at most 1000."),
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
    for option in reversed(options):
        command = option(command)
    return command


def batch_option(command):
    return click.option("--batch", type=int, default=DEFAULT_BATCH, show_default=True,
                        help=f"Images in the mini-batch of the cnn-pipeline scene, 1 to {MAX_BATCH}.")(command)


def descent_options(command):
    """The learning rates and steps of the learning-rate scene."""
    for option in reversed([
        click.option("--rates", type=Rates(), default=_default_rates(), show_default=True,
                     help=f"Learning rates compared by the learning-rate scene, at most {MAX_RATES}, "
                          "each above 0 and at most 1000."),
        click.option("--steps", type=int, default=DEFAULT_STEPS, show_default=True,
                     help=f"Gradient-descent steps per learning rate, 1 to {MAX_STEPS}."),
    ]):
        command = option(command)
    return command


def lesson_options(command):
    """What the scenes beyond the CNN's own trace need: the batch, the 2-2-2 network, the rates."""
    command = descent_options(command)
    command = click.option("--mlp-values", "mlp_values_file", type=click.Path(dir_okay=False, path_type=Path),
                           help="JSON file with any of inputs, targets, weights, biases, learning_rate of the "
                                "2-2-2 network; the rest are the textbook example's.")(command)
    return batch_option(command)


def model_config(ctx, input_size, kernel_size, stride, padding, seed, learning_rate, relu, pool, values_file,
                 image=None, kernel_name=None, channels=1, filters=1, dilation=(1, 1)):
    """Options (and --values, --image, --kernel) -> a validated config and the given values.
    ConfigError on bad input."""
    given = _read_values(values_file) if values_file else {}
    explicit = frozenset(
        name for name in ("input_size", "kernel_size", "learning_rate", "channels", "filters")
        if name in ctx.params and ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
    )
    if image is not None:
        from convprop.inputs import with_picture  # Pillow: only when a picture is given

        input_size, given = with_picture(image, input_size, isinstance(input_size, OneSide), channels, given)
    if kernel_name is not None:
        kernel_size, given = with_named_kernel(kernel_name, kernel_size, "kernel_size" in explicit, given,
                                               channels, filters)
    config = ModelConfig(input_size=tuple(input_size), kernel_size=tuple(kernel_size), stride=tuple(stride), padding=padding,
                         relu=relu, pool=pool, seed=seed, learning_rate=learning_rate, channels=channels,
                         filters=filters, dilation=tuple(dilation))
    return config_for_values(config, given, explicit).validate(), given


def build_lesson(ctx, batch, mlp_values_file, rates, steps, **model) -> Lesson:
    """Every trace a scene or the lecture reads, from the options."""
    config, given = model_config(ctx, **model)
    mlp_given = _read_values(mlp_values_file) if mlp_values_file else {}
    return run_lesson(config, given, batch, mlp_given, rates, steps)


def _read_values(path: Path) -> dict:
    if not path.is_file():
        raise ConfigError(f"values file '{path}' does not exist; give the path of a JSON file")
    try:
        given = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"values file '{path}' is not valid JSON ({err}); fix the file") from None
    except RecursionError:
        raise ConfigError(f"values file '{path}' nests lists too deeply; give matrices as lists of rows") from None
    except OSError as err:
        raise ConfigError(f"values file '{path}' cannot be read ({err.strerror}); check the path") from None
    if not isinstance(given, dict):
        raise ConfigError(f"values file '{path}' must hold a JSON object such as {{\"kernel\": [[1, 0], [0, 1]]}}")
    return given


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli():
    """Lecture videos of backpropagation in a convolutional network, every number computed."""


@cli.command("list")
def list_scenes():
    """The scenes, one line each."""
    from convprop.scenes.registry import SCENES

    for name, scene in SCENES.items():
        click.echo(f"{name:<18} {scene.story.summary}")


@cli.group(invoke_without_command=True)
@model_options
@batch_option
@click.option("--json", "as_json", is_flag=True, help="Print the whole trace as JSON (full precision).")
@click.pass_context
def compute(ctx, as_json, batch, **options):
    """Compute without rendering; --json prints every value.

    Alone it computes the CNN and its mini-batch; `compute mlp` the 2-2-2 network's worked
    example; `compute learning-rate` gradient descent for several learning rates.
    """
    if ctx.invoked_subcommand is not None:
        _refuse_cnn_options(ctx)
        return
    from convprop.mathcore.export import batch_to_json, trace_to_json

    config, given = model_config(ctx, **options)
    data = trace_to_json(run_model(config, given))
    data["batch"] = batch_to_json(run_batch(config, given, batch))
    _print_data(data, as_json, ("z", "y_hat", "loss", "dL_dkernel", "dL_dbias", "loss_updated"))


def _refuse_cnn_options(ctx):
    """The CNN's options before `mlp` or `learning-rate` would be silently ignored: refuse them."""
    sub = ctx.invoked_subcommand
    own = {opt for param in ctx.command.get_command(ctx, sub).params for opt in param.opts}
    for param in ctx.command.params:
        if ctx.get_parameter_source(param.name) is not click.core.ParameterSource.DEFAULT:
            option = param.opts[0]
            hint = f"give it after `{sub}`" if option in own else "drop it"
            raise click.UsageError(f"{option} applies to the CNN (`convprop compute`), not to `compute {sub}`; {hint}")


def mlp_values_option(command):
    return click.option("--values", "values_file", type=click.Path(dir_okay=False, path_type=Path),
                        help="JSON file with any of inputs, targets, weights, biases, learning_rate; "
                             "the rest are the textbook example's.")(command)


@compute.command("mlp")
@mlp_values_option
@click.option("--learning-rate", type=float, default=None, help="Step size; default 0.5, the textbook's.")
@click.option("--json", "as_json", is_flag=True, help="Print every value as JSON (full precision).")
def compute_mlp(values_file, learning_rate, as_json):
    """The 2-2-2 network's worked example: forward, gradients w1..w8, one step."""
    from convprop.mathcore.export import mlp_to_json

    given = _read_values(values_file) if values_file else {}
    data = mlp_to_json(run_mlp(mlp_values(given, learning_rate)))
    _print_data(data, as_json, ("out_output", "error_total", "gradients", "weights_updated", "error_total_after"))


@compute.command("learning-rate")
@mlp_values_option
@descent_options
@click.option("--json", "as_json", is_flag=True, help="Print every value as JSON (full precision).")
def compute_learning_rate(values_file, rates, steps, as_json):
    """Gradient descent on the 2-2-2 network and on a 1-D bowl, once per learning rate."""
    from convprop.mathcore.export import descent_to_json

    given = _read_values(values_file) if values_file else {}
    data = descent_to_json(run_descent(mlp_values(given), rates, steps))
    if as_json:
        click.echo(json.dumps(data, indent=1, allow_nan=False))
        return
    for net, bowl in zip(data["network"], data["bowl_runs"]):
        click.echo(f"rate {net['learning_rate']:g}: network {net['behaviour']} "
                   f"(E {net['losses'][0]:.6f} -> {net['losses'][-1]:.6f}), bowl {bowl['behaviour']}")


def _print_data(data: dict, as_json: bool, summary_keys) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=1, allow_nan=False))
    else:
        for key in summary_keys:
            click.echo(f"{key}: {data[key]}")


def output_options(command):
    for option in reversed([
        click.option("--quality", type=click.Choice(list(QUALITIES)), default="low", show_default=True,
                     help="low 480p15, medium 720p30, high 1080p60, 4k 2160p60."),
        click.option("--format", "fmt", type=click.Choice(FORMATS), default="mp4", show_default=True,
                     help="Video format, or png for the last frame only."),
        click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("media"),
                     show_default=True, help="Directory the finished files are moved into."),
    ]):
        command = option(command)
    return command


def theme_option(command):
    return click.option("--theme", type=click.Choice(["dark", "light"]), default="dark", show_default=True,
                        help="dark: black background, for video; light: white background, for slides, handouts "
                             "and bright rooms. Colours keep their meanings in both.")(command)


def look_options(command):
    """The picture's look: the colour theme and, for overlays, a transparent background."""
    command = click.option("--transparent", is_flag=True,
                           help="No background (an alpha channel), to lay the animation over your own recording; "
                                "needs --format webm or png.")(command)
    return theme_option(command)


def look_of(fmt: str, theme: str, transparent: bool) -> dict:
    """Manim settings for the look; a usage error for transparency in a format without alpha."""
    from convprop.scenes.kit.style import look

    if transparent and fmt not in ("webm", "png"):
        raise click.UsageError(f"--transparent needs --format webm or png; {fmt} has no alpha channel")
    return look(theme, transparent)


# --- long work: worker processes, progress and the batch; the work is in farm/ ----------------

def quiet_option(command):
    return click.option("--quiet", is_flag=True,
                        help="No progress on the terminal; only the final paths are printed.")(command)


def jobs_option(command):
    return click.option("--jobs", type=click.IntRange(min=1), default=None,
                        help="Processes rendering sections at once, joined without re-encoding "
                             "[default: one per core].")(command)


@cli.command()
@click.argument("scene", metavar="SCENE")
@model_options
@lesson_options
@output_options
@look_options
@quiet_option
@click.pass_context
def render(ctx, scene, quality, fmt, output, theme, transparent, quiet, **options):
    """Render one SCENE (see `convprop list`) and print the output path."""
    from convprop.farm.lecture import played
    from convprop.farm.progress import meter
    from convprop.scenes.registry import SCENES  # imports manim: only when rendering
    from convprop.scenes.render import render_scene

    if scene not in SCENES:
        raise click.BadParameter(f"unknown scene '{scene}'; choose one of: {', '.join(SCENES)}", param_hint="SCENE")
    look = look_of(fmt, theme, transparent)
    lesson = build_lesson(ctx, **options)
    SCENES[scene].story.check_drawable(lesson.config)
    with meter(scene, quiet=quiet, animations_are_steps=True) as progress:
        results = render_scene(played(SCENES[scene], progress), lesson, scene, quality, fmt, output, look=look)
    _print_results(results)


@cli.command()
@model_options
@lesson_options
@output_options
@look_options
@jobs_option
@quiet_option
@click.pass_context
def lecture(ctx, quality, fmt, output, theme, transparent, jobs, quiet, **options):
    """Render every scene as one lecture video, with one clip per section and .srt captions."""
    from convprop.farm.lecture import render_lecture
    from convprop.farm.progress import meter
    from convprop.scenes.registry import SCENES

    look = look_of(fmt, theme, transparent)
    lesson = build_lesson(ctx, **options)
    for scene in SCENES.values():
        scene.story.check_drawable(lesson.config)
    with meter("lecture", total=len(SCENES), quiet=quiet) as progress:
        results = render_lecture(lesson, quality, fmt, output, jobs, meter=progress, look=look)
    _print_results(results)


# -- convprop course: the whole course folder; the work is in course/ ---------------------------

@cli.command("course")
@model_options
@lesson_options
@click.option("--scenes", "scene_list", metavar="NAME,NAME,...",
              help="Only these scenes, in lecture order (see `convprop list`); default: all of them.")
@click.option("--quality", type=click.Choice(list(QUALITIES)), default="low", show_default=True,
              help="low 480p15, medium 720p30, high 1080p60, 4k 2160p60.")
@click.option("--output", type=click.Path(path_type=Path), default=Path("course"), show_default=True,
              help="The course folder; replaced only once the new one is complete.")
@theme_option
@jobs_option
@quiet_option
@click.pass_context
def course_command(ctx, scene_list, quality, output, theme, jobs, quiet, **options):
    """Render the lecture as a course folder: a player page, mp4 and webm, WebVTT captions and
    chapters, clips to embed, manifest.json and a SCORM 1.2 package."""
    from convprop.course.build import CourseError, build_course
    from convprop.course.lecture import chosen_scenes

    try:
        names = chosen_scenes(scene_list)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--scenes") from None
    from convprop.scenes.kit.style import look

    from convprop.farm.progress import meter

    lesson = build_lesson(ctx, **options)
    from convprop.scenes.registry import SCENES

    for name in names:
        SCENES[name].story.check_drawable(lesson.config)
    try:
        with meter("course", total=len(names), quiet=quiet) as progress:
            folder = build_course(lesson, names, quality, output, {**options, "theme": theme}, jobs=jobs,
                                  look=look(theme), meter=progress)
    except CourseError as err:
        raise click.ClickException(str(err)) from None
    click.echo(folder)


def _print_results(results: dict):
    """One path a line: the video (or image), the section clips, the captions."""
    for key in ("video", "image", "sections", "captions"):
        paths = results.get(key, [])
        for path in paths if isinstance(paths, list) else [paths]:
            click.echo(path)


# --- exercises: worksheets, answer keys and quizzes; the work is in the exercises package ---

@cli.command("exercises")
@model_options
@lesson_options
@click.option("--seeds", help="Versions to make, one folder each: 1-30, or 1,4,7-9; at most 10,000. "
                              "Default: the --seed alone.")
@click.option("--topics", multiple=True, help="Topics, separated by commas or the option repeated: forward, loss, "
              "chain-rule, kernel-gradient, update, input-gradient, pooling, batch, mlp, learning-rate. "
              "Default: every one that applies.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("exercises"),
              show_default=True, help="Directory to create; written whole or not at all.")
@quiet_option
@click.pass_context
def exercises_command(ctx, seeds, topics, output, batch, mlp_values_file, rates, steps, quiet, **model):
    """Worksheet, answer key and quiz (Moodle XML, GIFT) for each seed, into OUTPUT/seed-N/."""
    from convprop import exercises as sheets

    if seeds is not None and ctx.get_parameter_source("seed") is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("give --seeds or --seed, not both")
    seed_list = sheets.parse_seeds(seeds) if seeds is not None else (model["seed"],)
    config, given = model_config(ctx, **model)
    sheets.choose(sheets.parse_topics(topics), config)  # before anything is written: ConfigError names the problem
    request = sheets.Request(
        config=config, given=given, batch=batch,
        mlp_given=_read_values(mlp_values_file) if mlp_values_file else {}, rates=rates, steps=steps,
        topics=sheets.parse_topics(topics), values_file=model["values_file"], mlp_values_file=mlp_values_file,
        image=model["image"], kernel_name=model["kernel_name"],
    )
    from convprop.farm.progress import meter

    with meter("exercises", total=len(seed_list), quiet=quiet) as progress:
        folders = sheets.build(request, seed_list, output, meter=progress)
    for folder in folders:
        click.echo(folder)


# --- convprop batch: a job file on a Dask cluster; the work is in farm/ -------------------------

@cli.command("batch")
@click.argument("job_file", metavar="JOBS.toml", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--scheduler", metavar="tcp://HOST:8786",
              help="An existing Dask cluster's scheduler; default: a cluster of this machine's cores.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes of the local cluster [default: one per core].")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=Path("batch"),
              show_default=True, help="Directory holding one folder per job and manifest.json.")
@quiet_option
def batch_command(job_file, scheduler, workers, output, quiet):
    """Run every [[job]] of JOBS.toml (render, lecture, course, exercises) on a Dask cluster,
    each into OUTPUT/NAME; jobs already finished with the same settings are not run again."""
    from convprop.farm.batch import BatchError, run_batch
    from convprop.farm.jobfile import JobFileError, read_jobs

    if scheduler and workers:
        raise click.UsageError("--workers sizes the local cluster; an existing cluster (--scheduler) has its own")
    try:
        report = run_batch(read_jobs(job_file), output, scheduler, workers, quiet)
    except (JobFileError, BatchError) as err:
        raise click.UsageError(str(err)) from None
    for path in report.paths:
        click.echo(path)
    for failed in report.failed:
        click.echo(f"Error: job {failed['name']} failed: {failed['error']}", err=True)
    if report.failed:
        sys.exit(1)


def main():
    """Run the CLI; every error is one line on stderr and exit status 2, never a traceback."""
    interrupts.watch()
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Error: interrupted; nothing was written", err=True)
        sys.exit(2)
    except click.ClickException as err:
        click.echo(f"Error: {err.format_message()}", err=True)
        sys.exit(2)
    except ConfigError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
