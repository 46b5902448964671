"""Making the folders: one seed-N/ per version, typeset in parallel, DIR written whole or not at all."""

import json
import multiprocessing
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from convprop import interrupts
from convprop.folders import make_parents, remove_made
from convprop.mathcore import ConfigError, ModelConfig
from convprop.mathcore.batch import run_batch
from convprop.mathcore.lesson import run_lesson
from convprop.mathcore.model import run_model

from convprop.exercises import document, quiz, topics
from convprop.exercises.sheet import make_sheet
from convprop.exercises.sources import command_args
from convprop.exercises.typeset import to_pdf

FILES = ("worksheet.pdf", "answers.pdf", "quiz.xml", "quiz.gift", "answers.json")


@dataclass(frozen=True)
class Request:
    """Everything a version needs but its seed; small and picklable, sent to each worker."""

    config: ModelConfig
    given: dict
    batch: int
    mlp_given: dict
    rates: tuple
    steps: int
    topics: tuple | None  # None: every topic that applies
    values_file: str | None = None  # named in the sources' arguments, so they can be run again
    mlp_values_file: str | None = None
    image: str | None = None  # --image and --kernel, likewise
    kernel_name: str | None = None

    def lesson(self, seed: int):
        """The lesson of one seed. The 2-2-2 network and the learning-rate runs do not depend on
        the seed, so a process computes them once and gives every later seed the same ones."""
        config = replace(self.config, seed=seed)
        key = json.dumps([self.mlp_given, self.rates, self.steps], sort_keys=True)
        if key not in _SEEDLESS:
            _SEEDLESS.clear()
            _SEEDLESS[key] = run_lesson(config, self.given, self.batch, self.mlp_given, self.rates, self.steps)
            return _SEEDLESS[key]
        return replace(_SEEDLESS[key], model=run_model(config, self.given),
                       pipeline=run_batch(config, self.given, self.batch))


_SEEDLESS: dict = {}  # one lesson per process, whose mlp and descent later seeds share


def answers_json(sheet) -> bytes:
    items = [{
        "id": q.id, "topic": q.topic, "number": q.number, "prompt": q.prompt, "answer": q.answer,
        "shown": q.shown, "tolerance": q.tolerance,
        "source": {"command": q.command, "path": q.path, "args": sheet.args.for_command(q.command)},
    } for q in sheet.questions]
    return (json.dumps(items, indent=1, allow_nan=False, ensure_ascii=False) + "\n").encode()


def sheet_files(sheet) -> dict[str, bytes]:
    return {
        "worksheet.pdf": to_pdf(document.for_worksheet(sheet.doc)),
        "answers.pdf": to_pdf(document.for_key(sheet.doc)),
        "quiz.xml": quiz.moodle_xml(sheet.seed, sheet.questions, sheet.contexts),
        "quiz.gift": quiz.gift(sheet.seed, sheet.questions, sheet.contexts),
        "answers.json": answers_json(sheet),
    }


def lesson_files(lesson, chosen, args) -> dict[str, bytes]:
    return sheet_files(make_sheet(lesson, chosen, args))


def _seed_files(request: Request, chosen: tuple, seed: int) -> tuple[int, dict[str, bytes]]:
    lesson = request.lesson(seed)
    args = command_args(lesson, request.values_file, request.mlp_values_file, request.image, request.kernel_name)
    return seed, lesson_files(lesson, chosen, args)


def _one_thread_each() -> None:
    """A worker per core already keeps the cores busy; Typst's own thread pool on top of that only
    adds switching (a quarter more CPU per sheet, measured), so each worker typesets on one thread."""
    os.environ.setdefault("RAYON_NUM_THREADS", "1")


def _check_free(out_dir: Path) -> None:
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise ConfigError(f"output '{out_dir}' already exists and is not an empty directory; "
                          "remove it or choose another --output")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def publish(out_dir: Path, write) -> Path:
    """Call ``write(tmp)`` to fill a sibling temporary directory, then move it to ``out_dir`` in one
    step; on any failure the temporary directory goes and ``out_dir`` is left as it was."""
    out_dir = Path(out_dir)
    _check_free(out_dir)
    made = make_parents(out_dir.parent, ConfigError, "choose an --output you can write")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".partial", dir=out_dir.parent))
    except OSError as err:
        remove_made(made)
        raise ConfigError(f"cannot write into '{out_dir.parent}' ({err.strerror}); choose an --output you can "
                          "write") from None
    try:
        tmp.chmod(0o777 & ~_umask())  # mkdtemp's is private; the folder is the user's like any other
        write(tmp)
        _check_free(out_dir)
        interrupts.check()  # a Ctrl-C whose KeyboardInterrupt a library swallowed: publish nothing
        os.replace(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        remove_made(made)
        raise
    return out_dir


def build(request: Request, seeds, out_dir: Path, workers: int | None = None, meter=None) -> list[Path]:
    """Write out_dir/seed-N/ for every seed; returns the seed folders.

    Everything that can be refused is refused before anything is written: the topics, the
    output folder, and the first seed's numbers (the others share its configuration).
    ``meter`` (``farm.progress.Meter``) counts the seeds as they are written.
    """
    seeds = tuple(seeds)
    chosen = topics.choose(request.topics, request.config)
    _check_free(Path(out_dir))
    request.lesson(seeds[0])  # ConfigError now, not in a worker
    workers = max(1, min(workers or os.cpu_count() or 1, len(seeds)))
    if multiprocessing.current_process().daemon:  # e.g. a cluster's worker: it may not start processes
        workers = 1

    def write(tmp: Path):
        def save(seed, files):
            folder = tmp / f"seed-{seed}"
            folder.mkdir()
            for name in FILES:
                (folder / name).write_bytes(files[name])
            if meter is not None:
                meter.step(f"seed {seed}")

        if workers == 1:
            for seed in seeds:
                save(*_seed_files(request, chosen, seed))
            return
        # spawned, not forked: a parent that has typeset before (Typst starts threads) must not
        # hand its half-copied thread pool to a child
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_one_thread_each) as pool:
            jobs = [pool.submit(_seed_files, request, chosen, seed) for seed in seeds]
            try:
                for job in jobs:
                    save(*job.result())
            except BaseException:  # an interrupt or a failed seed: stop at once, not after the rest
                pool.shutdown(wait=True, cancel_futures=True)
                raise

    publish(Path(out_dir), write)
    return [Path(out_dir) / f"seed-{seed}" for seed in seeds]
