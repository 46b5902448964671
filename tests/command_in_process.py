"""The command's own entry point (``convprop.cli.main``) run inside the test's process.

A refusal is decided before anything heavy happens, yet a new process first spends seconds
importing Manim and the scenes. Where a test checks many refusals, one case of each kind goes
through the real ``convprop`` process and the others through ``main`` here: the same parsing,
the same one-line message and exit status, without a process each. ``main``'s watch on Ctrl-C
is left out: it would change how the test runner itself answers SIGINT.
"""

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from convprop import interrupts


def run_main(args, cwd: Path) -> subprocess.CompletedProcess:
    """``convprop ARGS`` in ``cwd`` as a CompletedProcess: exit status, stdout, stderr."""
    from convprop.cli import main

    out, err = io.StringIO(), io.StringIO()
    status = 0
    before = os.getcwd()
    os.chdir(cwd)
    try:
        with mock.patch.object(sys, "argv", ["convprop", *map(str, args)]), \
                mock.patch.object(interrupts, "watch", lambda: None), \
                contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exit_:
                status = 0 if exit_.code is None else exit_.code if isinstance(exit_.code, int) else 1
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess([*map(str, args)], status, out.getvalue(), err.getvalue())
