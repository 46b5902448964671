"""One job of a batch, as a Dask worker runs it: the command's work in this process, atomically.

The job's options are parsed as the command line parses them (``app.options``) and its work is
the application's own function (``app.run``), in the worker's process, so Manim is imported
once per worker, not once per job. It writes into a scratch directory named
after this process; only a finished job's folder, its mark inside, is moved to ``DIR/NAME``. A
worker killed mid-job leaves only that scratch directory, which the next job into ``DIR``
sweeps away once the process is gone, and the batch once its cluster has shut down.

A worker killed with SIGKILL cannot release what it holds. Files are the scratch directory's
concern; the one system object a job would make is the named semaphore of tqdm's
multiprocessing lock (Manim draws its progress with tqdm, even when it shows none), which the
batch's resource tracker would then remove at exit with a "leaked semaphore objects" warning.
A job has one thread and no child process drawing bars, so a worker gives tqdm a thread lock.

``HOLD`` (an environment variable naming a folder) lets a test stop a job at a given moment:
a file ``NAME.MOMENT`` there is claimed by the first attempt of job NAME that reaches MOMENT
(renamed ``NAME.MOMENT.PID``), which then waits to be killed. Unset, nothing waits.
"""

import io
import json
import os
import shutil
import threading
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from convprop.farm.jobfile import Job, version

MARK = ".batch-job.json"  # inside a finished job's folder: its key, so a rerun can skip it
HOLD = "CONVPROP_BATCH_HOLD"
MOMENTS = ("start", "move", "swap")  # scratch made; folder finished and marked; an older one moved aside
HELD_SECONDS = 120  # a held job waits this long for its kill, then goes on


class JobFailed(Exception):
    """The command refused the job or failed; the message is its one line."""


def finished(folder: Path, job: Job) -> dict | None:
    """The mark of ``folder`` if it holds ``job`` finished, else None."""
    try:
        mark = json.loads((Path(folder) / MARK).read_text())
    except (OSError, ValueError):
        return None
    return mark if isinstance(mark, dict) and mark.get("key") == job.key else None


def entry(job: Job, status: str, seconds: float, **more) -> dict:
    """The job's line in manifest.json."""
    return {"name": job.name, "folder": job.name, "command": job.command, "args": list(job.args),
            "status": status, "seconds": round(seconds, 3), "key": job.key, **more}


def warm() -> None:
    """Import the command and Manim in this worker before its first job (``client.run(warm)``): a
    worker pays for them once, not inside a job's time. A worker without them learns so from its
    first job, which says what is missing."""
    try:
        import convprop.app  # noqa: F401
        import convprop.scenes.registry  # noqa: F401
        import convprop.scenes.render  # noqa: F401
    except ImportError:
        pass


def _thread_lock_for_progress_bars() -> None:
    """tqdm's lock without its named semaphore, which a killed worker would leave behind."""
    from tqdm import tqdm

    tqdm.set_lock(threading.RLock())


def _hold(job: Job, moment: str) -> None:
    """Wait here to be killed if a test asked for this job at this moment (see ``HOLD``)."""
    folder = os.environ.get(HOLD)
    if not folder:
        return
    asked = Path(folder) / f"{job.name}.{moment}"
    try:
        os.rename(asked, asked.with_name(f"{asked.name}.{os.getpid()}"))  # one attempt claims it
    except OSError:
        return
    time.sleep(HELD_SECONDS)


def run_job(job: Job, directory: str) -> dict:
    """Run ``job`` into ``directory``/NAME; its manifest entry, 'rendered' or 'failed' with the error."""
    from convprop.scenes.workdir import scratch_dir

    _thread_lock_for_progress_bars()
    directory = Path(directory)
    started = time.time()  # on the clock every process shares: where a batch's time went between jobs
    start = time.perf_counter()
    with scratch_dir(directory) as tmp:
        out = tmp / job.name
        _hold(job, "start")
        try:
            _invoke(job, out)
            if not out.is_dir():
                raise JobFailed(f"convprop {job.command} wrote nothing")
        except JobFailed as err:
            return entry(job, "failed", time.perf_counter() - start, error=str(err), started=round(started, 3))
        seconds = time.perf_counter() - start
        mark = {"key": job.key, "command": job.command, "args": list(job.args), "seconds": round(seconds, 3),
                "convprop": version(), "worker_pid": os.getpid()}
        (out / MARK).write_text(json.dumps(mark, indent=1))
        _hold(job, "move")
        _replace(out, directory / job.name, tmp, lambda: _hold(job, "swap"))
    return entry(job, "rendered", seconds, worker=os.getpid(), worker_peak_mib=round(_peak_mib()),
                 started=round(started, 3))


def _peak_mib() -> float:
    """This worker process's peak resident memory so far (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _invoke(job: Job, out: Path) -> str:
    """The job's command's work (``app.run``) into ``out``, in this process; what it would print."""
    import click

    from convprop import app
    from convprop.app.options import parse
    from convprop.mathcore import ConfigError

    printed, said = io.StringIO(), io.StringIO()  # not a terminal: the job draws no progress of its own
    try:
        params, explicit = parse(job.command, job.argv(out)[1:])
        with redirect_stdout(printed), redirect_stderr(said):
            app.run(job.command, {**params, "quiet": True}, explicit)
    except click.ClickException as err:
        raise JobFailed(err.format_message()) from None
    except ConfigError as err:
        raise JobFailed(str(err)) from None
    except KeyboardInterrupt:
        raise JobFailed("interrupted") from None
    return printed.getvalue()


def _replace(new: Path, final: Path, tmp: Path, aside=lambda: None) -> None:
    """Put the folder ``new`` at ``final``; an older folder there goes to ``tmp`` and is removed.

    Killed between the two renames, ``final`` is missing (the older folder is in ``tmp``, swept
    with it); the job, unfinished for the scheduler, is run again and puts it in place."""
    if final.exists():
        old = tmp / ".replaced"
        os.replace(final, old)
        aside()
        os.replace(new, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, final)
