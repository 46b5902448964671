"""Folders made for an output, and taken back when the output is abandoned.

A course (``course.publish``) and the exercises (``exercises.folders``) both appear whole or not
at all; both may have to create the folders above their destination first, and both remove
those again, if still empty, when they give up.
"""

from pathlib import Path


class FolderError(ValueError):
    """A folder that cannot be made; one line with the fix."""


def make_parents(parent: Path, error: type[Exception] = FolderError,
                 hint: str = "choose a directory you can write") -> list[Path]:
    """Create ``parent`` and the folders above it that are missing; the ones made, deepest first.
    ``error`` (FolderError by default) in one line when one cannot be made, leaving none behind."""
    missing = []
    while not parent.exists() and parent != parent.parent:
        missing.append(parent)
        parent = parent.parent
    for path in reversed(missing):
        try:
            path.mkdir()
        except OSError as err:
            remove_made(missing)
            raise error(f"cannot create '{path}' ({err.strerror}); {hint}") from None
    return missing


def remove_made(made: list[Path]) -> None:
    """Remove the folders ``make_parents`` made (deepest first) that are still empty."""
    for path in made:
        try:
            path.rmdir()
        except OSError:
            pass
