"""The folder appears whole or not at all.

Everything is written into a hidden staging folder beside the destination, so the final move
is a rename on the same file system. An earlier course folder is moved aside only at that
moment and removed once the new one is in place; if anything fails before, it is untouched.
"""

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from convprop import interrupts
from convprop.folders import make_parents, remove_made
from convprop.course.manifest import is_course_folder


class PublishError(ValueError):
    """The destination cannot take the course; the message is one line with the fix."""


def check_destination(destination: Path) -> None:
    if destination.is_file() or (destination.exists() and not destination.is_dir()):
        raise PublishError(f"--output '{destination}' is a file; give a directory (new, empty or an earlier course)")
    if destination.is_dir() and any(destination.iterdir()) and not is_course_folder(destination):
        raise PublishError(f"--output '{destination}' holds files that are not a course; give a new or empty "
                           "directory, or an earlier course folder to replace")


@contextmanager
def staging(destination: Path):
    """Yield an empty folder beside ``destination``; on success it becomes ``destination``."""
    check_destination(Path(destination))  # named as given
    destination = Path(os.path.abspath(destination))
    made = make_parents(destination.parent, PublishError)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", suffix=".partial", dir=destination.parent))
    except OSError as err:
        remove_made(made)
        raise PublishError(f"cannot write into '{destination.parent}' ({err.strerror}); "
                           "choose a directory you can write") from None
    try:
        yield folder
        interrupts.check()  # a Ctrl-C whose KeyboardInterrupt a library swallowed still stops it
        _swap_in(folder, destination)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        remove_made(made)
        raise


def _swap_in(folder: Path, destination: Path) -> None:
    folder.chmod(0o755)  # mkdtemp makes it private; a course is for publishing
    old = None
    if destination.exists():
        check_destination(destination)  # it may have changed while rendering
        old = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", suffix=".old", dir=destination.parent))
        os.replace(destination, old / destination.name)
    try:
        os.replace(folder, destination)
    except BaseException:
        if old is not None:
            os.replace(old / destination.name, destination)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
