"""A Ctrl-C is remembered, not only raised.

Python turns SIGINT into a KeyboardInterrupt in whatever code the main thread runs next. When
that is a finalizer or a library's catch-all, the exception is swallowed and the command would
go on to publish what it was asked to stop. So the command's handler also remembers the
interrupt, and every place that makes output visible (a render moving its files into place, a
course folder swapped in) calls ``check`` first: an interrupted command writes nothing.

When the swallowing code is a finalizer (a weakref callback, a ``__del__``), Python reports the
exception it cannot raise with "Exception ignored in" and a traceback on stderr. The interrupt is
remembered, so that report says nothing the user needs: ``watch`` silences it, and only it.
"""

import signal
import sys
import threading

_interrupted = threading.Event()


def _on_interrupt(signum, frame):
    _interrupted.set()
    raise KeyboardInterrupt


def _quiet_about_remembered_interrupts(unraisable) -> None:
    if isinstance(unraisable.exc_value, KeyboardInterrupt) and _interrupted.is_set():
        return
    sys.__unraisablehook__(unraisable)


def watch() -> None:
    """Remember every Ctrl-C from now on (the command calls this first); a SIGINT that the
    parent process ignores (a background job) stays ignored."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_interrupt)
        sys.unraisablehook = _quiet_about_remembered_interrupts


def check() -> None:
    """Raise KeyboardInterrupt if an interrupt came, even one whose exception was swallowed."""
    if _interrupted.is_set():
        raise KeyboardInterrupt
