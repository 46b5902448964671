"""Render time against video duration, peak memory, and the cost of building a number grid.

Usage:  .venv/bin/python benchmarks/render_time.py [--quality low high] [--scene lecture forward-pass ...]
        .venv/bin/python benchmarks/render_time.py --quality low --scene each   # every scene on its own
        .venv/bin/python benchmarks/render_time.py --profile     # where the time of a low render goes

Each render runs as its own `convprop render` process, which reports its own peak memory.
This is a measurement to read, not a test: nothing here asserts a time.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# The child prints its own peak resident memory last: RUSAGE_CHILDREN would report the largest
# child so far, not this one.
CHILD = ("import atexit, resource, sys; from convprop import cli; atexit.register(lambda: print("
         "'peak-kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)); cli.main()")


def render(scene: str, quality: str, out: Path) -> dict:
    start = time.perf_counter()
    command = ["lecture"] if scene == "lecture" else ["render", scene]
    done = subprocess.run([sys.executable, "-c", CHILD, *command, "--quality", quality, "--output", str(out)],
                          cwd=ROOT, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak_kib = int(done.stderr.split("peak-kib")[-1].split()[0])
    with av.open(str(out / f"{scene}.mp4")) as container:
        duration = container.duration / av.time_base
    return {"wall": wall, "duration": duration, "ratio": wall / duration, "peak_mib": peak_kib / 1024}


def grid_build_time(repeats: int = 5) -> float:
    """Seconds to build the largest input grid the CLI allows to show, 12x12 = 144 numbers."""
    from convprop.mathcore import ModelConfig, run_model
    from convprop.scenes.kit.grid import NumberGrid
    from convprop.scenes.kit.style import INPUT

    trace = run_model(ModelConfig(input_size=(12, 12)))
    NumberGrid(trace, ("conv", "input"), 1, 0.4, INPUT)  # the first build shapes the glyphs
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        NumberGrid(trace, ("conv", "input"), 1, 0.4, INPUT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def profile(scene: str, rows: int = 25):
    """Run one low-quality render in this process under cProfile and print the top functions."""
    import cProfile
    import pstats

    from convprop.mathcore.lesson import run_lesson
    from convprop.scenes.lecture import LectureScene
    from convprop.scenes.registry import SCENES
    from convprop.scenes.render import render_scene

    scene_cls = LectureScene if scene == "lecture" else SCENES[scene]
    trace = run_lesson()
    with tempfile.TemporaryDirectory() as tmp:
        profiler = cProfile.Profile()
        profiler.runcall(render_scene, scene_cls, trace, scene, "low", "mp4", Path(tmp))
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(rows)
    stats.sort_stats("cumulative").print_stats(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", nargs="+", default=["low", "high"])
    parser.add_argument("--scene", nargs="+", default=["lecture"],
                        help="scene names, 'lecture', or 'each' for every scene on its own")
    parser.add_argument("--profile", action="store_true", help="profile one low-quality render of the first scene")
    args = parser.parse_args()
    if args.profile:
        return profile(args.scene[0])
    print(f"144-number grid built in {grid_build_time() * 1000:.0f} ms (median of 5, glyphs already shaped)")
    print(f"{'scene':<16} {'quality':<8} {'wall s':>8} {'video s':>8} {'wall/video':>10} {'peak MiB':>9}")
    if args.scene == ["each"]:
        from convprop.scenes.registry import SCENES

        args.scene = list(SCENES)
    with tempfile.TemporaryDirectory() as tmp:
        for scene in args.scene:
            for quality in args.quality:
                r = render(scene, quality, Path(tmp))
                print(f"{scene:<16} {quality:<8} {r['wall']:>8.1f} {r['duration']:>8.1f} {r['ratio']:>10.2f} "
                      f"{r['peak_mib']:>9.0f}", flush=True)


if __name__ == "__main__":
    main()
