"""A costly output made once per test process, however often its fixture is set up.

A module fixture is torn down whenever the next test a worker runs belongs to another module,
and set up again when the module's tests resume: under pytest-xdist a module's tests need not
run back to back, and a narrated lecture was once rendered twice in one run for that reason.
``made_once`` keeps what a fixture builds in the run's temporary folder, under a name, and
builds it only if no earlier setup in this process finished it.
"""

import shutil
from collections.abc import Callable
from pathlib import Path


def made_once(tmp_path_factory, name: str, build: Callable[[Path], object]) -> Path:
    """The folder ``build(folder)`` filled, built by the first setup in this process that asks."""
    folder = tmp_path_factory.getbasetemp() / f"made-once-{name}"
    finished = folder / ".finished"
    if not finished.exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        build(folder)
        finished.touch()
    return folder
