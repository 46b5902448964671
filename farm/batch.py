"""``convprop batch``: a job file's renders on a Dask cluster.

Without a scheduler address the cluster is a ``LocalCluster`` on this machine, one worker
process (one thread) per core; with one, an existing cluster whose workers have convprop
installed and see the output directory (a shared file system when they run elsewhere).

Jobs whose folder already holds their mark (``farm.worker.MARK``, their key) are not run
again, so rerunning a file renders only what changed. A job that fails is reported, the others
go on; an exception is retried (``RETRIES``), and a worker that dies mid-job has its job
rescheduled on another worker by the scheduler. ``manifest.json`` in the output directory
lists every job, its folder, status and time.

A local cluster's workers end with it, an attempt still at work among them (one the scheduler
gave up on, or all of them when the batch is interrupted); their scratch directories are swept
from the output directory once it has shut down. An existing cluster's workers may run on
other machines, whose process ids mean nothing here: their leftovers are left to the next job.
"""

import json
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from convprop import interrupts
from convprop.farm.jobfile import Job, version
from convprop.farm.worker import entry, finished, run_job, warm
from convprop.progress import meter
from convprop.scenes.workdir import sweep_leftovers

MANIFEST = "manifest.json"
RETRIES = 1  # for an exception in a job; a worker that dies is the scheduler's allowed-failures
CONNECT_TIMEOUT = "10s"
POLL = 0.2  # seconds between looks at an interrupt while the jobs run


class BatchError(ValueError):
    """The cluster cannot be reached or made; one line."""


@dataclass(frozen=True)
class Report:
    entries: list[dict]
    manifest: Path
    directory: Path

    @property
    def failed(self) -> list[dict]:
        return [e for e in self.entries if e["status"] == "failed"]

    @property
    def paths(self) -> list[Path]:
        """Every finished job's folder, then the manifest."""
        return [self.directory / e["folder"] for e in self.entries if e["status"] != "failed"] + [self.manifest]


def run_batch(jobs: list[Job], directory: Path, scheduler: str | None = None, workers: int | None = None,
              quiet: bool = False) -> Report:
    """Run the jobs not yet finished in ``directory``; write and return the manifest."""
    directory = Path(directory).resolve()
    marks = {job.name: finished(directory / job.name, job) for job in jobs}
    todo = [job for job in jobs if marks[job.name] is None]
    try:
        with _client(scheduler, workers, needed=bool(todo)) as client:
            directory.mkdir(parents=True, exist_ok=True)
            entries = {job.name: entry(job, "unchanged", marks[job.name].get("seconds", 0.0))
                       for job in jobs if marks[job.name] is not None}
            if todo:
                with meter("batch", total=len(todo), quiet=quiet) as progress:
                    entries.update(_run(client, todo, directory, progress))
    finally:
        if scheduler is None and todo and directory.is_dir():
            sweep_leftovers(directory)  # the local cluster is down: every worker's attempt has ended
    report = Report([entries[job.name] for job in jobs], directory / MANIFEST, directory)
    _write_manifest(report)
    return report


def _run(client, jobs: list[Job], directory: Path, progress) -> dict:
    from distributed import as_completed

    client.run(warm, on_error="ignore")  # every worker imports Manim once, now, not inside its first job's time
    futures = {client.submit(run_job, job, str(directory), key=f"convprop-{job.name}-{job.key[:16]}",
                             retries=RETRIES, pure=False): job for job in jobs}
    entries = {}
    for future in _finishing(as_completed(futures)):
        job = futures[future]
        if future.status == "finished":
            entries[job.name] = future.result()
        else:
            error = future.exception()
            entries[job.name] = entry(job, "failed", 0.0, error=f"{type(error).__name__}: {error}")
        progress.step(job.name)
    return entries


def _finishing(completed):
    """The futures of ``completed`` (a Dask ``as_completed``) as they finish, with a look at the
    interrupt every ``POLL`` seconds: a Ctrl-C whose KeyboardInterrupt Dask's own code caught
    and swallowed would otherwise leave the batch waiting until its running jobs end."""
    while not completed.is_empty():
        interrupts.check()
        if completed.has_ready():
            yield from completed.next_batch(block=False)
        else:
            time.sleep(POLL)


@contextmanager
def _client(scheduler: str | None, workers: int | None, needed: bool):
    """A client of the cluster at ``scheduler`` (always reached, to report a bad address), or of
    a new LocalCluster when there is work; None when there is none."""
    from distributed import Client, LocalCluster

    from convprop.scenes.render_lecture import cores

    _quiet_dask()
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as err:
            raise BatchError(f"cannot reach a Dask scheduler at {scheduler} ({_first_line(err)}); start one with "
                             "`dask scheduler`, or leave out --scheduler to use this machine's cores") from None
        with client:
            _quiet_dask()
            yield client
    elif not needed:
        yield None
    else:
        import dask

        # No dashboard: nobody watches a batch's. The scheduler still serves its small HTTP routes,
        # so they go to a free port on this machine alone: the default, 8787, is often taken (by
        # another batch or a notebook's cluster), and Dask then warns on the user's terminal.
        with dask.config.set({"distributed.worker.multiprocessing-method": worker_start_method()}), \
                LocalCluster(n_workers=workers or cores(), threads_per_worker=1, processes=True,
                             dashboard_address="127.0.0.1:0", scheduler_kwargs={"dashboard": False},
                             silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
            _quiet_dask()  # after the cluster, which sets the level of Dask's logger as it starts
            yield client


def _quiet_dask() -> None:
    """Dask's own log lines stay off the user's terminal. The batch says each job's outcome
    itself (a retried job, a failed one at the end); Dask's records would reach Manim's console,
    which Manim gives Python's root logger, on standard output, where a batch prints nothing but
    the folders it made: a worker killed mid-job made the scheduler warn "Couldn't gather ...
    rescheduling", and the client log an error, among those paths. Only a critical record is
    still said, on standard error (Python's last-resort handler)."""
    dask_loggers = [name for name in logging.root.manager.loggerDict if name.startswith("distributed.")]
    for name in ["distributed", *dask_loggers]:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    logging.getLogger("distributed").propagate = False


# what a fork server imports once, so that every worker it forks starts with them
PRELOAD = ["distributed", "convprop.app", "convprop.scenes.registry", "convprop.scenes.render", "convprop.farm.worker"]


def worker_start_method() -> str:
    """How the local cluster's worker processes start: forked by a fork server where there is one.

    A spawned worker is a fresh interpreter that imports Dask, then Manim and the stories
    (``warm``), and in closing runs Python's whole shutdown: seconds of every batch. A fork
    server is one fresh process that imports them once (``PRELOAD``) and forks each worker, a
    restarted one too, with all of it loaded; a forked worker ends without that shutdown. The
    workers are never forked from this process itself: Dask's threads run here, and a worker
    forked while one of them held a lock (logging through Manim's console) waited on it forever.

    The fork server is started here, with this list: Dask sets a list of its own (without
    Manim) before its first worker starts, and a list only counts when the server starts. So
    it is never replaced, and no setting private to Dask is touched.
    """
    import multiprocessing
    import multiprocessing.forkserver

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return "spawn"
    multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
    multiprocessing.forkserver.ensure_running()  # a server already running (an earlier batch's) is kept
    return "forkserver"


def _first_line(err: Exception) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def _write_manifest(report: Report) -> None:
    """manifest.json, written whole (a temporary file renamed into place)."""
    data = {"convprop": version(), "jobs": report.entries,
            "counts": {status: sum(e["status"] == status for e in report.entries)
                       for status in ("rendered", "unchanged", "failed")}}
    temporary = report.manifest.with_name(f".{MANIFEST}.{os.getpid()}")
    temporary.write_text(json.dumps(data, indent=1) + "\n")
    os.replace(temporary, report.manifest)
