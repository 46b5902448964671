"""A Ctrl-C stops a command even when a library swallows its KeyboardInterrupt: the command's
handler remembers it, and nothing is published after it (``convprop.interrupts``)."""

import signal
import subprocess
import sys
import textwrap

SWALLOWED = textwrap.dedent("""
    import os, signal, time
    from pathlib import Path
    from convprop import interrupts
    from convprop.course.publish import staging

    interrupts.watch()
    try:
        with staging(Path("course")) as folder:
            (folder / "index.html").write_text("half a course")
            try:  # a library's catch-all around the moment the Ctrl-C lands
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(1)
            except BaseException:
                pass
    except KeyboardInterrupt:
        print("stopped")
    print(sorted(p.name for p in Path(".").iterdir()))
""")


def _terminal_sigint():
    """SIGINT at its default in the child, as from a terminal, even if the test runner ignores it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_a_swallowed_interrupt_still_publishes_nothing(tmp_path):
    out = subprocess.run([sys.executable, "-c", SWALLOWED], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60, preexec_fn=_terminal_sigint)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["stopped", "[]"], out.stdout


def test_without_an_interrupt_the_folder_is_published(tmp_path):
    script = SWALLOWED.replace("os.kill(os.getpid(), signal.SIGINT)", "pass")
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert out.stdout.split("\n")[:1] == ["['course']"], out.stdout + out.stderr


IN_A_FINALIZER = textwrap.dedent("""
    import os, signal, sys
    from convprop import interrupts

    interrupts.watch()

    class Finalized:
        def __del__(self):  # the Ctrl-C lands while a finalizer runs: Python cannot raise it here
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(10**6):
                pass

    Finalized()
    try:
        interrupts.check()
    except KeyboardInterrupt:
        print("stopped")
""")


def test_an_interrupt_inside_a_finalizer_prints_no_traceback(tmp_path):
    """Python reports an exception a finalizer cannot raise as "Exception ignored in" with a
    traceback; the interrupt is remembered, so that report stays off the user's screen."""
    out = subprocess.run([sys.executable, "-c", IN_A_FINALIZER], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60, preexec_fn=_terminal_sigint)
    assert out.stdout.strip() == "stopped", out.stdout + out.stderr
    assert out.stderr == "", out.stderr


def test_other_exceptions_in_finalizers_are_still_reported(tmp_path):
    script = IN_A_FINALIZER.replace("os.kill(os.getpid(), signal.SIGINT)", "raise ValueError('kept')")
    out = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "Exception ignored in" in out.stderr and "kept" in out.stderr, out.stderr


BATCH_WAITING = textwrap.dedent("""
    import os, signal, time
    from convprop import interrupts
    from convprop.farm.batch import _finishing

    class NeverDone:  # Dask's as_completed over a job that runs on and on
        def is_empty(self):
            return False

        def has_ready(self):
            return False

    interrupts.watch()
    try:  # Dask's own catch-all around the moment the Ctrl-C lands
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)
    except BaseException:
        pass
    started = time.monotonic()
    try:
        next(_finishing(NeverDone()))
    except KeyboardInterrupt:
        print("stopped", time.monotonic() - started < 5)
""")


def test_a_batch_waiting_on_its_jobs_stops_at_a_swallowed_interrupt(tmp_path):
    """A batch that missed its KeyboardInterrupt (Dask swallowed it) stops at its next look at the
    interrupt, not when its running jobs end."""
    out = subprocess.run([sys.executable, "-c", BATCH_WAITING], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60, preexec_fn=_terminal_sigint)
    assert out.stdout.strip() == "stopped True", out.stdout + out.stderr
