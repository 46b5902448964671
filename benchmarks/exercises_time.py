"""Time `convprop exercises` for many seeds against one seed, every topic that applies.

Usage:  .venv/bin/python benchmarks/exercises_time.py [--seeds 300] [--pool 2 --relu ...]

Each run is its own `convprop exercises` process writing into a temporary directory; the times
include starting Python. Typesetting runs in one process per core. This is a measurement to
read, not a test: nothing here asserts a time (the target is under 60 s for 300 seeds on two
cores).
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(seeds: str, extra: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and its typesetting workers, all cores)."""
    with tempfile.TemporaryDirectory() as tmp:
        cpu, start = _cpu(), time.perf_counter()
        subprocess.run([sys.executable, "-c", "from convprop import cli; cli.main()", "exercises", "--seeds", seeds,
                        "--output", str(Path(tmp) / "ex"), *extra], cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - start, _cpu() - cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=300, help="how many seeds the large run makes")
    args, extra = parser.parse_known_args()
    (one, one_cpu), (many, many_cpu) = run("1", extra), run(f"1-{args.seeds}", extra)
    cores = os.cpu_count() or 1
    print(f"cores: {cores}   load average after: {os.getloadavg()[0]:.1f}   "
          f"options: {' '.join(extra) or '(defaults)'}")
    print(f"{'seeds':>6} {'wall s':>8} {'cpu s':>8} {'wall s/seed':>12} {'cpu s/seed':>11}")
    for n, wall, cpu in ((1, one, one_cpu), (args.seeds, many, many_cpu)):
        print(f"{n:>6} {wall:>8.2f} {cpu:>8.2f} {wall / n:>12.3f} {cpu / n:>11.3f}")
    print(f"ratio {args.seeds} seeds / 1 seed: {many / one:.1f}x the wall time for {args.seeds}x the sheets; "
          f"CPU / cores = {many_cpu / cores:.1f} s, the wall time on otherwise idle cores")


if __name__ == "__main__":
    main()
