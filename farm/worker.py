"""One job of a batch, as a Dask worker runs it: the command's work in this process, atomically.

The job's options are parsed as the command line parses them (``app.options``) and its work is
the application's own function (``app.run``), in the worker's process, so Manim is imported
once per worker, not once per job. It writes into a scratch directory named
after this process; only a finished job's folder, its mark inside, is moved to ``DIR/NAME``. A
worker killed mid-job leaves only that scratch directory, which the next job into ``DIR``
sweeps away once the process is gone.
"""

import io
import json
import os
import shutil
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from convprop.farm.jobfile import Job, version

MARK = ".batch-job.json"  # inside a finished job's folder: its key, so a rerun can skip it


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


def run_job(job: Job, directory: str) -> dict:
    """Run ``job`` into ``directory``/NAME; its manifest entry, 'rendered' or 'failed' with the error."""
    from convprop.scenes.workdir import scratch_dir

    directory = Path(directory)
    started = time.time()  # on the clock every process shares: where a batch's time went between jobs
    start = time.perf_counter()
    with scratch_dir(directory) as tmp:
        out = tmp / job.name
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
        _replace(out, directory / job.name, tmp)
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


def _replace(new: Path, final: Path, tmp: Path) -> None:
    """Put the folder ``new`` at ``final``; an older folder there goes to ``tmp`` and is removed."""
    if final.exists():
        old = tmp / ".replaced"
        os.replace(final, old)
        os.replace(new, final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, final)
