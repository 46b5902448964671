"""A batch's job file: TOML with one ``[[job]]`` table per job, checked whole before anything runs.

::

    [[job]]
    command = "render"        # render, lecture, course or exercises
    scene = "forward-pass"    # render only
    input-size = "7"          # any of the command's own options, by name
    stride = "2x1"
    quality = "high"
    relu = true               # a flag: true gives --relu, false --no-relu
    seeds = "1-30"            # one job per seed: 1-30, or 1,4,7-9
    name = "forward-7x7"      # the job's folder; default command[-scene], then -seed-N

Each job's options are parsed by the command's own click parser and its model checked as the
command would check it, so a bad value is caught here, with the table it is in, not after an
hour of rendering. A job's ``key`` hashes its whole configuration (its arguments, the contents
of the files they name, convprop's version): the mark of a finished job.
"""

import functools
import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

COMMANDS = ("render", "lecture", "course", "exercises")
OWN_KEYS = ("command", "name", "scene", "seeds")
MAX_JOBS = 10_000
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class JobFileError(ValueError):
    """One line: where in the job file, and what is wrong."""


@dataclass(frozen=True)
class Job:
    name: str  # its folder under the batch's output
    command: str
    args: tuple[str, ...]  # the command's arguments, without --output
    table: int  # 1-based, as the file reads
    files: tuple[str, ...] = ()  # the files its options name
    key: str = ""

    def argv(self, output: Path) -> list[str]:
        return [self.command, *self.args, "--output", str(output)]


def read_jobs(path: Path) -> list[Job]:
    """Every job of the file at ``path``, checked and keyed; JobFileError names the first problem."""
    path = Path(path)
    jobs = [job for number, table in enumerate(_tables(path), start=1) for job in _expand(number, table, path.parent)]
    if len(jobs) > MAX_JOBS:
        raise JobFileError(f"{path}: {len(jobs)} jobs, at most {MAX_JOBS}; split the file")
    seen = {}
    for job in jobs:
        if job.name in seen:
            raise JobFileError(f"job tables {seen[job.name]} and {job.table} are both named '{job.name}'; "
                               f"give each a distinct name = \"...\"")
        seen[job.name] = job.table
    checked_tables = set()
    for job in jobs:
        _check(job, whole=job.table not in checked_tables)  # a table's seeds differ only in the model
        checked_tables.add(job.table)
    return [replace(job, key=job_key(job)) for job in jobs]


def _tables(path: Path) -> list[dict]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise JobFileError(f"job file '{path}' does not exist; give the path of a TOML file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise JobFileError(f"job file '{path}' cannot be read ({err}); check the path") from None
    except tomllib.TOMLDecodeError as err:
        raise JobFileError(f"job file '{path}' is not valid TOML ({err}); fix the file") from None
    extra = [key for key in data if key != "job"]
    if extra:
        raise JobFileError(f"job file '{path}': unknown key '{extra[0]}' at the top; every job is a [[job]] table")
    tables = data.get("job")
    if not isinstance(tables, list) or not tables:
        raise JobFileError(f"job file '{path}' has no [[job]] table; write one [[job]] table per job")
    return tables


def _expand(number: int, table: dict, base: Path) -> list[Job]:
    """One table -> its jobs, one per seed when it has ``seeds``."""
    where = f"job table {number}"
    command = table.get("command")
    if command is None:
        raise JobFileError(f"{where}: no command; write e.g. command = \"render\" (one of {', '.join(COMMANDS)})")
    if command not in COMMANDS:
        raise JobFileError(f"{where}: unknown command {command!r}; choose one of {', '.join(COMMANDS)}")
    name = table.get("name", command + (f"-{table['scene']}" if isinstance(table.get("scene"), str) else ""))
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise JobFileError(f"{where}: name {name!r} must be letters, digits, '.', '_' or '-', starting with a "
                           "letter or digit (it names the job's folder)")
    if name == "manifest.json":
        raise JobFileError(f"{where}: name 'manifest.json' is the batch's own file; choose another name")
    args, files = _arguments(where, command, table, base.resolve())
    if "seeds" not in table:
        return [Job(name, command, tuple(args), number, files)]
    if "seed" in table:
        raise JobFileError(f"{where}: give seeds or seed, not both")
    return [Job(f"{name}-seed-{seed}", command, (*args, "--seed", str(seed)), number, files)
            for seed in parse_seeds(where, table["seeds"])]


def parse_seeds(where: str, seeds) -> list[int]:
    """5, "1-30" or "1,4,7-9" -> the seeds in order."""
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        seeds = str(seeds)
    if not isinstance(seeds, str):
        raise JobFileError(f"{where}: seeds must be a string such as \"1-30\" or \"1,4,7-9\"")
    found = []
    for part in seeds.split(","):
        bounds = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not bounds:
            raise JobFileError(f"{where}: seeds '{seeds}' is not like 1-30 or 1,4,7-9 (whole numbers from 0)")
        low, high = int(bounds[1]), int(bounds[2] if bounds[2] is not None else bounds[1])
        if high < low:
            raise JobFileError(f"{where}: seeds '{part.strip()}' runs backwards; write {high}-{low}")
        if high - low >= MAX_JOBS or len(found) + high - low >= MAX_JOBS:
            raise JobFileError(f"{where}: seeds '{seeds}' gives more than {MAX_JOBS} jobs")
        found += [seed for seed in range(low, high + 1) if seed not in found]
    return found


def _arguments(where: str, command_name: str, table: dict, base: Path) -> tuple[list[str], tuple[str, ...]]:
    """The table's options as the command's arguments, and the files they name (relative to the
    job file's folder ``base``)."""
    import click

    command = _command(command_name)
    args, files = [], []
    if "scene" in table:
        if command_name != "render":
            raise JobFileError(f"{where}: scene applies to render only; {command_name} has no scene")
        args.append(str(table["scene"]))
    elif command_name == "render":
        raise JobFileError(f"{where}: render needs a scene, e.g. scene = \"forward-pass\" (see convprop list)")
    for key, value in table.items():
        if key in OWN_KEYS:
            continue
        option = "--" + key.replace("_", "-")
        param = next((p for p in command.params if option in (*p.opts, *p.secondary_opts)), None)
        if param is None or option == "--help":
            raise JobFileError(f"{where}: {command_name} has no option {option}; see convprop {command_name} --help")
        if option == "--output":
            raise JobFileError(f"{where}: output is chosen by the batch (its --output, then the job's name); drop it")
        given = _option_arguments(where, option, param, value, base, click)
        args += given
        files += [value for value in given[1::2] if _names_file(param, value, click)]
    return args, tuple(files)


def _names_file(param, value: str, click) -> bool:
    """Whether an option's value is a file: a click.Path, or a type that says so (--image's FILE,
    not its digit:N)."""
    if isinstance(param.type, click.Path):
        return True
    return bool(getattr(param.type, "names_file", lambda _: False)(value))


def _option_arguments(where, option, param, value, base: Path, click) -> list[str]:
    if isinstance(value, bool):
        if not getattr(param, "is_flag", False):
            raise JobFileError(f"{where}: {option} takes a value, not true or false")
        on = value if option in param.opts else not value
        return [param.opts[0]] if on else list(param.secondary_opts[:1])
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, (str, int, float)) for v in values):
        raise JobFileError(f"{where}: {option} must be a string or a number, e.g. {option[2:]} = \"5\"")
    values = [str(base / str(v)) if _names_file(param, str(v), click) else v for v in values]
    if getattr(param, "multiple", False):
        return [item for v in values for item in (option, str(v))]
    return [option, ",".join(str(v) for v in values)]  # e.g. rates = [0.05, 0.5] -> --rates 0.05,0.5


def _command(name: str):
    from convprop.app.options import parser

    return parser(name)


def _check(job: Job, whole: bool) -> None:
    """Parse the job as its command would, and check it as the command checks before working
    (its model, and if ``whole`` its lesson and its own options)."""
    import click

    from convprop import app
    from convprop.app.options import parse
    from convprop.mathcore import ConfigError

    where = f"job table {job.table} ({job.name})"
    try:
        params, explicit = parse(job.command, job.argv(Path("unused"))[1:])
        app.check(job.command, params, explicit, whole=whole)
    except click.ClickException as err:
        raise JobFileError(f"{where}: {err.format_message()}") from None
    except ConfigError as err:
        raise JobFileError(f"{where}: {err}") from None


@functools.cache
def version() -> str:
    """convprop's installed version, looked up once a process: reading the package metadata
    costs milliseconds, and every job's key and mark names it (a file of 10,000 jobs)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("convprop")
    except PackageNotFoundError:
        return "unknown"


def job_key(job: Job) -> str:
    """A hash of everything that decides the job's output: command, arguments, the files they
    name (by content) and convprop's version."""
    files = {name: hashlib.sha256(Path(name).read_bytes()).hexdigest() for name in job.files if Path(name).is_file()}
    text = json.dumps({"command": job.command, "args": job.args, "files": files, "convprop": version()},
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
