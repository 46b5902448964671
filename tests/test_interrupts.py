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
