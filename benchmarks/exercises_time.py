"""Time `convprop exercises` for many seeds against one seed, every topic that applies.

Usage:  .venv/bin/python benchmarks/exercises_time.py [--seeds 300] [--pool 2 --relu ...]

Each run is its own `convprop exercises` process writing into a temporary directory; the times
include starting Python. Typesetting runs in one process per core. This is a measurement to
read, not a test: nothing here asserts a time (the target is under 60 s for 300 seeds on two
cores).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(seeds: str, extra: list[str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import cli; cli.main()", "exercises", "--seeds", seeds,
                        "--output", str(Path(tmp) / "ex"), *extra], cwd=ROOT, check=True, capture_output=True)
        return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=300, help="how many seeds the large run makes")
    args, extra = parser.parse_known_args()
    one = run("1", extra)
    many = run(f"1-{args.seeds}", extra)
    print(f"cores: {os.cpu_count()}   options: {' '.join(extra) or '(defaults)'}")
    print(f"{'seeds':>6} {'wall s':>8} {'s/seed':>8}")
    print(f"{1:>6} {one:>8.2f} {one:>8.3f}")
    print(f"{args.seeds:>6} {many:>8.2f} {many / args.seeds:>8.3f}")
    print(f"ratio {args.seeds} seeds / 1 seed: {many / one:.1f}x wall time for {args.seeds}x the sheets")


if __name__ == "__main__":
    main()
