"""Progress on long work, drawn with rich on stderr when stderr is a terminal; silent otherwise.

stdout keeps only the final paths, so ``convprop lecture > paths.txt`` or a pipe reads just
those. A meter counts steps out of a total (sections of a lecture, jobs of a batch) and the
animations played on the way; for a single render the animations are the steps, and their
total is not known before the scene has played.

Example::

    with meter("lecture", total=9, quiet=False) as m:
        m.animation()          # one more animation played
        m.step("forward-pass") # one more section done
"""

import sys
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)


class Meter:
    """Counts steps and animations; draws them only when given a rich Progress."""

    def __init__(self, progress: Progress | None = None, task=None, animations_are_steps: bool = False):
        self.progress, self.task = progress, task
        self.animations_are_steps = animations_are_steps
        self.animations = self.steps = 0

    def animation(self):
        self.animations += 1
        if self.animations_are_steps:
            self.step()
        elif self.progress is not None:
            self.progress.update(self.task, detail=f"{self.animations} animations")

    def say(self, doing: str):
        """Name what is under way now, without counting a step (e.g. "encoding webm")."""
        if self.progress is not None:
            self.progress.update(self.task, detail=doing)

    def step(self, done: str = ""):
        self.steps += 1
        if self.progress is not None:
            self.progress.advance(self.task)
            if done:
                self.progress.update(self.task, detail=done)


def on_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def meter(what: str, total: int | None = None, quiet: bool = False, animations_are_steps: bool = False):
    """A Meter drawing on stderr's terminal, or a silent one when ``quiet`` or not a terminal."""
    if quiet or not on_terminal():
        yield Meter(animations_are_steps=animations_are_steps)
        return
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[detail]}"), TimeElapsedColumn()]
    if total is not None:
        columns += [TextColumn("left"), TimeRemainingColumn()]
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(what, total=total, detail="animations" if animations_are_steps else "")
        yield Meter(progress, task, animations_are_steps)
