"""Scratch directories beside the output, named after the process that owns them.

Everything convprop writes is built in a scratch directory inside (or beside) the output and
moved into place only when finished, so nothing appears half-written. A process killed with
SIGKILL cannot clean up after itself; its scratch directory would stay forever. So each one
carries its owner's process id in its name, ``.convprop-<pid>-XXXX``, and the next run into the
same directory removes those whose owner is gone, and never one whose owner still runs.

Example::

    with scratch_dir(Path("media")) as tmp:
        ...  # write into tmp, then os.replace the finished files into media/
"""

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

PREFIX = ".convprop-"
_OWNED = re.compile(re.escape(PREFIX) + r"(\d+)-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to judge
        return True
    return True


def sweep_leftovers(directory: Path) -> list[Path]:
    """Remove scratch directories in ``directory`` whose owning process has gone; return them."""
    removed = []
    for entry in Path(directory).glob(PREFIX + "*"):
        owner = _OWNED.match(entry.name)
        if owner and entry.is_dir() and int(owner.group(1)) != os.getpid() and not _alive(int(owner.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextmanager
def scratch_dir(directory: Path):
    """A fresh scratch directory in ``directory``, removed on exit; leftovers swept first."""
    directory = Path(directory)
    sweep_leftovers(directory)
    with tempfile.TemporaryDirectory(prefix=f"{PREFIX}{os.getpid()}-", dir=directory) as tmp:
        yield Path(tmp)
