"""convprop: render lecture videos of backpropagation in a CNN, every number computed.

The command is the top floor and thin: click parses the options (declared once, in
``app.options``), then it calls the application's plain functions (``convprop.app``), which a
batch's worker and a notebook call the same way. Every bad input ends in one line on stderr and
exit status 2.
"""

import json
import sys
from pathlib import Path

import click

from convprop import app, interrupts
from convprop.app.options import DESCENT, MODEL, QUIET, declare, explicit_of
from convprop.mathcore import ConfigError, run_model
from convprop.mathcore.batch import run_batch
from convprop.mathcore.descent import run_descent
from convprop.mathcore.mlp import mlp_values, run_mlp


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
@declare("compute")
@click.option("--json", "as_json", is_flag=True, help="Print the whole trace as JSON (full precision).")
@click.option("--explain", is_flag=True, help="Say which of the seed's draws the values are, and why earlier draws "
                                              "were drawn again (with --json: its draw section).")
@click.pass_context
def compute(ctx, as_json, explain, batch, **options):
    """Compute without rendering; --json prints every value.

    Alone it computes the CNN and its mini-batch; `compute mlp` the 2-2-2 network's worked
    example; `compute learning-rate` gradient descent for several learning rates.
    """
    if ctx.invoked_subcommand is not None:
        _refuse_cnn_options(ctx)
        return
    from convprop.mathcore.export import batch_to_json, trace_to_json

    config, given = app.model_config(ctx.params, explicit_of(ctx))
    trace = run_model(config, given)
    if explain and not as_json:
        from convprop.mathcore.redraw import explain as explain_draw

        click.echo(explain_draw(trace.draw))
        return
    data = trace_to_json(trace)
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

    given = app.read_values(values_file) if values_file else {}
    data = mlp_to_json(run_mlp(mlp_values(given, learning_rate)))
    _print_data(data, as_json, ("out_output", "error_total", "gradients", "weights_updated", "error_total_after"))


@compute.command("learning-rate")
@mlp_values_option
@declare(DESCENT)
@click.option("--json", "as_json", is_flag=True, help="Print every value as JSON (full precision).")
def compute_learning_rate(values_file, rates, steps, as_json):
    """Gradient descent on the 2-2-2 network and on a 1-D bowl, once per learning rate."""
    from convprop.mathcore.export import descent_to_json

    given = app.read_values(values_file) if values_file else {}
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


def _print_results(results: dict):
    """One path a line: the video (or image), the section clips, the captions."""
    for key in ("video", "image", "sections", "captions"):
        paths = results.get(key, [])
        for path in paths if isinstance(paths, list) else [paths]:
            click.echo(path)


@cli.command()
@declare("render")
@click.pass_context
def render(ctx, **params):
    """Render one SCENE (see `convprop list`) and print the output path."""
    _print_results(app.render(params, explicit_of(ctx)))


@cli.command()
@declare("lecture")
@click.pass_context
def lecture(ctx, **params):
    """Render every scene (or --scenes) as one lecture video, with one clip per section and .srt captions."""
    _print_results(app.lecture(params, explicit_of(ctx)))


@cli.command("course")
@declare("course")
@click.pass_context
def course_command(ctx, **params):
    """Render the lecture as a course folder: a player page, mp4 and webm, WebVTT captions and
    chapters, clips to embed, manifest.json and a SCORM 1.2 package."""
    click.echo(app.course(params, explicit_of(ctx)))


@cli.command("script")
@declare("script")
@click.pass_context
def script_command(ctx, **params):
    """The narration of SCENE (default: the whole lecture), one entry per beat: its id, caption,
    narration as written and as spoken, and its placeholders. Edit or translate it and give it
    back with --script (here, or to render)."""
    click.echo(app.script(params, explicit_of(ctx)))


@cli.command("explorer")
@declare(MODEL)
@click.option("--output", type=click.Path(path_type=Path), default=Path("explorer"), show_default=True,
              help="Directory of the page; an earlier explorer folder is replaced only once the new one is complete.")
@click.pass_context
def explorer_command(ctx, output, **options):
    """The explorer page of the lesson alone (explorer.html, its script and style): every number
    editable in the browser, every gradient recomputed; prints the page's path."""
    from convprop.course.explorer_page import publish_explorer

    config, given = app.model_config(ctx.params, explicit_of(ctx))
    click.echo(publish_explorer(output, run_model(config, given)))


@cli.command("exercises")
@declare("exercises")
@click.pass_context
def exercises_command(ctx, **params):
    """Worksheet, answer key and quiz (Moodle XML, GIFT) for each seed, into OUTPUT/seed-N/."""
    if params["seeds"] is not None and ctx.get_parameter_source("seed") is not click.core.ParameterSource.DEFAULT:
        raise click.UsageError("give --seeds or --seed, not both")
    for folder in app.exercises(params, explicit_of(ctx)):
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
@declare([QUIET])
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
