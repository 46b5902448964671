"""The explorer page: the lesson's every number in the student's hands, beside the video.

``write_explorer(folder, trace)`` writes explorer.html with its script and style into a folder
that is being made (the course's staging folder); ``publish_explorer(destination, trace)`` makes
a folder of the page alone, whole or not at all (``publish``'s rule). The page embeds the lesson
as ``convprop compute --json`` writes it (``mathcore.export.trace_to_json``) and the video's
rules for decimals (``explorer_decimals``), so it works from ``file://``, where a browser
refuses ``fetch()``, and from any static host, offline.

Its arithmetic is JavaScript (``explorer/explorer-compute.js``), a second implementation held
equal to mathcore by the tests.
"""

import json
import os
import shutil
import tempfile
from html import escape
from importlib import resources
from pathlib import Path
from string import Template

import numpy as np

from convprop.course.explorer_decimals import spec
from convprop.course.pages import subtitle
from convprop.course.publish import PublishError, make_parents, remove_made
from convprop.mathcore.config import (ConfigError, MAX_GRID_SIDE, MAX_INPUT_SIDE, MAX_KERNEL_SIDE, MAX_LEARNING_RATE,
                                      ModelConfig)
from convprop.mathcore.export import trace_to_json
from convprop.mathcore.values import MAX_ABS_VALUE, seeded_values

PAGE = "explorer.html"
ASSETS = ("explorer.js", "explorer-compute.js", "explorer.css")
FILES = (PAGE, *ASSETS)
# the lesson's keys the page reads; the rest of compute --json it computes itself
LESSON_KEYS = ("input", "kernel", "bias", "fc_weight", "fc_bias", "target", "learning_rate", "stride", "padding",
               "relu", "pool")


class ExplorerError(ConfigError):
    """A lesson the page cannot show, or a folder it cannot be written to; one line with the fix."""


def check_lesson(config: ModelConfig) -> None:
    """The page shows the lecture's single-channel convolution; say so for anything else."""
    if not config.is_single_channel:
        raise ExplorerError("the explorer shows one input channel, one filter and no dilation; "
                            "drop --channels, --filters and --dilation")


def _is_seeded(trace) -> bool:
    """Whether every given value is the seed's, so ``--seed`` alone renders the same lesson."""
    seeded = seeded_values(trace.config)
    v = trace.values
    return all(np.array_equal(getattr(seeded, name), getattr(v, name))
               for name in ("X", "W", "b", "fc_weight", "fc_bias", "target"))


def _json_in_html(data) -> str:
    return json.dumps(data, allow_nan=False, separators=(",", ":")).replace("</", "<\\/")


def page_data(trace) -> dict:
    """What the page embeds: the lesson (compute --json's keys it reads), the decimals, the limits."""
    lesson = trace_to_json(trace)
    return {
        "lesson": {key: lesson[key] for key in LESSON_KEYS},
        "decimals": spec(),
        "meta": {"seed": trace.config.seed, "seeded": _is_seeded(trace),
                 "limits": {"max_input_side": MAX_INPUT_SIDE, "max_kernel_side": MAX_KERNEL_SIDE,
                            "max_grid_side": MAX_GRID_SIDE, "max_abs_value": MAX_ABS_VALUE,
                            "max_learning_rate": MAX_LEARNING_RATE}},
    }


def write_explorer(folder: Path, trace, title: str = "Backpropagation in a convolutional network",
                   back: str = "") -> Path:
    """explorer.html and its script and style into ``folder`` (which exists); the page's path.
    ``back`` is a link back (the course's player), as HTML."""
    check_lesson(trace.config)
    folder = Path(folder)
    data = page_data(trace)
    template = Template(resources.files("convprop.course").joinpath("explorer", PAGE).read_text(encoding="utf-8"))
    page = template.substitute(title=escape(title), subtitle=escape(subtitle(trace.config, learning_rate=False)),
                               back=back, lesson=_json_in_html(data["lesson"]), decimals=_json_in_html(data["decimals"]),
                               meta=_json_in_html(data["meta"]))
    for name in ASSETS:
        with resources.as_file(resources.files("convprop.course").joinpath("explorer", name)) as source:
            shutil.copyfile(source, folder / name)
    folder.joinpath(PAGE).write_text(page, encoding="utf-8")
    return folder / PAGE


def _is_explorer_folder(folder: Path) -> bool:
    return {p.name for p in folder.iterdir()} <= set(FILES) | {"explorer-values.json"}


def publish_explorer(destination: Path, trace) -> Path:
    """A folder holding the page alone, put in place whole (a rename) or not at all. An earlier
    explorer folder is replaced; any other folder that is not empty is refused."""
    check_lesson(trace.config)
    destination = Path(destination)
    if destination.exists() and not destination.is_dir():
        raise ExplorerError(f"--output '{destination}' is a file; give a directory (new, empty or an earlier explorer)")
    if destination.is_dir() and any(destination.iterdir()) and not _is_explorer_folder(destination):
        raise ExplorerError(f"--output '{destination}' holds files that are not the explorer; give a new or empty "
                            "directory, or an earlier explorer folder to replace")
    destination = Path(os.path.abspath(destination))
    try:
        made = make_parents(destination.parent)
    except PublishError as err:
        raise ExplorerError(str(err)) from None
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", suffix=".partial", dir=destination.parent))
    except OSError as err:
        remove_made(made)
        raise ExplorerError(f"cannot write into '{destination.parent}' ({err.strerror}); choose a directory you can write") from None
    try:
        write_explorer(folder, trace)
        folder.chmod(0o755)
        if destination.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", suffix=".old", dir=destination.parent))
            os.replace(destination, old / destination.name)
            os.replace(folder, destination)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(folder, destination)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        remove_made(made)
        raise
    return destination / PAGE


# The section of the video each chapter's "explore this step" opens the page at (explorer.js SCENES).
EXPLORED_SCENES = ("forward-pass", "loss-gradient", "chain-rule", "kernel-gradient", "input-gradient", "weight-update")


def course_explorer(folder: Path, lesson, chapters) -> str:
    """For the course: the page written into ``folder`` (the course being made) and the player's
    section linking it, with an "explore this step" link for each chapter the page has a part for
    (``chapters``: each with ``number``, ``name`` and ``title``), as HTML. A lesson the page does
    not show (several channels or filters, dilation) gets no page and no section."""
    trace = getattr(lesson, "model", lesson)
    if not trace.config.is_single_channel:
        return ""
    write_explorer(folder, trace, back='<a href="index.html">Back to the lecture</a>.')
    steps = [f'<li><a href="{PAGE}#at={escape(c.name)}">{c.number}. {escape(c.title)}: explore this step</a></li>'
             for c in chapters if c.name in EXPLORED_SCENES]
    return ('<section aria-labelledby="explorer-heading"><h2 id="explorer-heading">Explorer</h2>'
            f'<p class="extras"><a href="{PAGE}">Change any number of this lesson and watch every gradient follow</a></p>'
            + (f'<ul class="explore-steps">{"".join(steps)}</ul>' if steps else "") + "</section>")
