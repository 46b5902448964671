"""What narration costs, measured side by side in one run.

Usage:  .venv/bin/python benchmarks/narration.py                      # all three parts, 3 rounds
        .venv/bin/python benchmarks/narration.py --parts speech --rounds 5

1. speech: how fast each voice speaks on one core, as a real-time factor (seconds of compute per
   second of finished speech). This process, and so every program it starts, is held to one
   processor, with OMP_NUM_THREADS=1 as on a one-core machine; the engine gives Piper's ONNX
   session one thread per processor it may use. Rows per voice: the engine alone, one batch of
   every sentence (Piper's start included); the trimming and loudness normalisation of those
   clips alone (``sound.normalise``), taken apart by ffmpeg pass; and the voice's ``speak`` into
   an empty cache, both together. For Piper also the engine as ``python -m piper`` with ONNX
   Runtime's own thread count (one per core of the machine, whatever the process may use), the
   way it ran before. Compute is CPU time (user + system of this process and its programs, from
   the operating system): unlike wall time, it is not stretched by other work on the machine.
2. cache: a narrated render of one short scene into an empty clip cache, then again: clips
   synthesised (files the cache gained) and wall and CPU time of each; the second must synthesise
   none.
3. lecture: a lecture of a few short scenes at a tiny input, silent, with espeak-ng and with Piper
   (each narrated run into an empty cache, so it synthesises every sentence), the same --jobs:
   wall time, video seconds, wall time per second of video, and each narrated one against the
   silent one, per second of video. Goal: at most 1.3x.

Rounds alternate the variants (A B C, A B C, ...) and the figures are medians, so a change in the
machine's load falls on every variant alike. Every render runs as its own ``convprop`` process.
A measurement to read, not a test: nothing asserts a time.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convprop.scenes.voice import choose_voice, engines, sound, spoken  # noqa: E402

CONVPROP = str(Path(sys.executable).with_name("convprop"))
TINY = ("--input-size", "3", "--kernel-size", "2", "--stride", "1")

# The kind of sentences a lecture says, written as the screen writes them.
SENTENCES = [
    "One step of gradient descent moves every weight a little against its gradient.",
    "w5 was 0.31. Its gradient dL/dw5 is −0.12, so with a learning rate of 0.1 it moves up by 0.012, to 0.322.",
    "The kernel W = [[0.2, −0.1], [0.4, 0.3]] slides over the 4x4 input with stride 1.",
    "Each output z_k is the patch under the kernel times W, added up, plus the bias b.",
    "dz_k/dw_1 is the input value that sat under w_1 at step k.",
    "The loss changes with the prediction ŷ, and the prediction with its input s.",
    "Start from dL/dZ, one gradient per output of the convolution.",
    "The padding was not part of X, so it is cropped away.",
    "Now the real thing: the small network of the worked example, trained with each rate.",
    "Good.",
]

# ``python -m piper`` as it is, ONNX Runtime choosing its own thread count.
PIPER_AS_IS = "import runpy, sys; sys.argv[0] = 'piper'; runpy.run_module('piper', run_name='__main__', alter_sys=True)"


def cpu_seconds() -> float:
    """CPU time of this process and of every program it started and waited for."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                                            resource.RUSAGE_CHILDREN)))


def timed(work):
    cpu, wall = cpu_seconds(), time.perf_counter()
    result = work()
    return result, cpu_seconds() - cpu, time.perf_counter() - wall


def median_rows(rounds: list[dict]) -> dict:
    """{row: {figure: median over the rounds}}; a row missing from a round (no short clip) counts 0."""
    names = list(dict.fromkeys(name for r in rounds for name in r))
    zero = {"cpu": 0.0, "wall": 0.0, "speech": rounds[0]["engine"]["speech"], "runs": 0}
    return {name: {key: statistics.median(r.get(name, zero)[key] for r in rounds) for key in zero}
            for name in names}


class PassClock:
    """CPU seconds of ``sound``'s ffmpeg runs, by what each run does."""

    def __init__(self):
        self.seconds, self.runs, self._run = {}, {}, sound._run

    def kind(self, args) -> str:
        text = " ".join(map(str, args))
        if "print_format=json" in text:
            return "loudnorm measure"
        if "measured_I" in text:
            return "loudnorm apply"
        if "ebur128" in text:
            return "short: ebur128"
        return "short: volume" if "volume=" in text else "other"

    def __enter__(self):
        def run(source, *args, **kw):
            before = cpu_seconds()
            out = self._run(source, *args, **kw)
            kind = self.kind(args)
            self.seconds[kind] = self.seconds.get(kind, 0.0) + cpu_seconds() - before
            self.runs[kind] = self.runs.get(kind, 0) + 1
            return out
        sound._run = run
        return self

    def __exit__(self, *exc):
        sound._run = self._run


def speech_round(spec: str, texts: list[str], tmp: Path) -> dict:
    rows = {}
    engine = choose_voice(spec, cache=tmp / "unused").engine
    raw, cpu, wall = timed(lambda: engine.synthesise(texts, tmp / "raw"))
    speech = sum(sound.duration(p) for p in raw)
    rows["engine"] = {"cpu": cpu, "wall": wall, "speech": speech, "runs": 1}
    if spec == "piper":
        launcher, engines._PIPER = engines._PIPER, PIPER_AS_IS
        try:
            before, cpu, wall = timed(lambda: engine.synthesise(texts, tmp / "as-is"))
        finally:
            engines._PIPER = launcher
        rows["engine, ONNX threads as is"] = {"cpu": cpu, "wall": wall, "runs": 1,
                                              "speech": sum(sound.duration(p) for p in before)}
    with PassClock() as clock:
        seconds, cpu, wall = timed(lambda: [sound.normalise(p, tmp / f"n{i}.wav") for i, p in enumerate(raw)])
    rows["trim + loudness"] = {"cpu": cpu, "wall": wall, "speech": sum(seconds), "runs": sum(clock.runs.values())}
    for kind, spent in sorted(clock.seconds.items()):
        rows[f"  of which {kind}"] = {"cpu": spent, "wall": float("nan"), "speech": sum(seconds),
                                      "runs": clock.runs[kind]}
    voice = choose_voice(spec, cache=tmp / "cache")
    clips, cpu, wall = timed(lambda: voice.speak([(f"bench/{i}", t) for i, t in enumerate(texts)]))
    rows["speak, uncached"] = {"cpu": cpu, "wall": wall, "speech": sum(c.seconds for c in clips), "runs": 0}
    return rows


def ffmpeg_start() -> float:
    """CPU seconds of an ffmpeg process that does next to nothing: what each run costs to start."""
    _, cpu, _ = timed(lambda: subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-f", "lavfi", "-i",
                                              "anullsrc=r=48000:cl=mono", "-t", "0.01", "-f", "null", "-"],
                                             capture_output=True, check=True))
    return cpu


def speech(voices: list[str], rounds: int) -> None:
    allowed = os.sched_getaffinity(0)
    core = min(allowed)
    os.sched_setaffinity(0, {core})  # every program started from here inherits it
    os.environ["OMP_NUM_THREADS"] = "1"
    texts = [spoken(s) for s in SENTENCES]
    try:
        results = {spec: [] for spec in voices}
        starts = []
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(rounds):
                for spec in voices:
                    results[spec].append(speech_round(spec, texts, Path(tmp) / f"{spec}-{n}"))
                starts.append(ffmpeg_start())
    finally:
        os.sched_setaffinity(0, allowed)
        del os.environ["OMP_NUM_THREADS"]
    print(f"\n1. speech: {len(texts)} sentences, one processor ({core}), medians of {rounds} rounds; "
          "real-time factor = CPU (or wall) seconds per second of speech")
    print(f"  {'':<46} {'CPU s':>7} {'wall s':>7} {'speech s':>8} {'RTF CPU':>8} {'RTF wall':>8} {'ffmpeg runs':>11}")
    for spec in voices:
        for name, row in median_rows(results[spec]).items():
            print(f"  {spec + ' ' + name:<46} {row['cpu']:>7.2f} {row['wall']:>7.2f} {row['speech']:>8.2f} "
                  f"{row['cpu'] / row['speech']:>8.3f} {row['wall'] / row['speech']:>8.3f} "
                  f"{format(row['runs'], 'g') if 'loud' in name or 'short' in name else '':>11}")
    print(f"  an ffmpeg process that does nothing: {statistics.median(starts):.3f} CPU s", flush=True)


def convprop(*args, cache: Path) -> tuple[float, float]:
    """Run `convprop ARGS` with its clip cache in ``cache``; its wall time and CPU seconds."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run([CONVPROP, *args, "--quiet"], cwd=ROOT, env=env, capture_output=True, text=True)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"convprop {' '.join(args)} failed:\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def clips_in(cache: Path) -> int:
    return len(list((cache / "convprop" / "voice").glob("*.wav")))


def video_seconds(video: Path) -> float:
    with av.open(str(video)) as container:
        return container.duration / av.time_base


def cache(scene: str, voice: str, rounds: int, tmp: Path) -> None:
    results = {"uncached": [], "cached": []}
    for n in range(rounds):
        folder = tmp / f"cache-clips-{n}"  # empty at the round's first render
        for run, rows in results.items():
            had = clips_in(folder)
            wall, cpu = convprop("render", scene, *TINY, "--quality", "low", "--voice", voice,
                                 "--output", str(tmp / f"render-{run}-{n}"), cache=folder)
            rows.append({"wall": wall, "cpu": cpu, "made": clips_in(folder) - had})
    print(f"\n2. cache: convprop render {scene} --voice {voice} at a tiny input, low quality, into an empty "
          f"clip cache and again; medians of {rounds} rounds")
    print(f"  {'':<10} {'wall s':>7} {'CPU s':>7} {'clips synthesised':>18}")
    for run, rows in results.items():
        print(f"  {run:<10} {statistics.median(r['wall'] for r in rows):>7.1f} "
              f"{statistics.median(r['cpu'] for r in rows):>7.1f} {max(r['made'] for r in rows):>18d}")
    ratio = statistics.median(c["wall"] / u["wall"] for c, u in zip(results["cached"], results["uncached"]))
    print(f"  the cached render took {ratio:.2f} of the uncached one's wall time (median of the rounds' ratios); "
          "clips synthesised: the most of any round", flush=True)


def lecture(scenes: str, jobs: int, rounds: int, tmp: Path) -> None:
    variants = {"silent": (), "espeak-ng": ("--voice", "espeak-ng"), "piper": ("--voice", "piper")}
    results = {name: [] for name in variants}
    for n in range(rounds):
        for name, voice in variants.items():
            out = tmp / f"lecture-{name}-{n}"
            wall, cpu = convprop("lecture", "--scenes", scenes, *TINY, "--quality", "low", "--jobs", str(jobs),
                                 *voice, "--output", str(out), cache=tmp / f"lecture-clips-{name}-{n}")
            video = video_seconds(out / "lecture.mp4")
            results[name].append({"wall": wall, "cpu": cpu, "video": video, "per": wall / video})
    print(f"\n3. lecture: --scenes {scenes} at a tiny input, low quality, --jobs {jobs}; narrated runs into an "
          f"empty clip cache; medians of {rounds} rounds")
    print(f"  {'':<10} {'wall s':>7} {'CPU s':>7} {'video s':>8} {'wall/video':>10} {'x silent':>9} "
          f"{'x silent per video s':>21}")
    silent = {key: statistics.median(r[key] for r in results["silent"]) for key in results["silent"][0]}
    for name, runs in results.items():
        row = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        # Each round's narrated run against that round's silent one, then the median of those ratios.
        per = statistics.median(r["per"] / s["per"] for r, s in zip(runs, results["silent"]))
        print(f"  {name:<10} {row['wall']:>7.1f} {row['cpu']:>7.1f} {row['video']:>8.1f} {row['per']:>10.2f} "
              f"{row['wall'] / silent['wall']:>9.2f} {per:>21.2f}")
    print("  goal: narrated at most 1.3x the silent lecture's wall time per second of video", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="speech,cache,lecture", help="any of speech, cache, lecture")
    parser.add_argument("--voices", default="piper,espeak-ng", help="the voices part 1 times")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every part")
    parser.add_argument("--scene", default="loss-gradient", help="the scene part 2 renders")
    parser.add_argument("--voice", default="piper", help="the voice part 2 renders with")
    parser.add_argument("--scenes", default="forward-pass,loss-gradient", help="the lecture's scenes in part 3")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of every lecture in part 3")
    args = parser.parse_args()
    parts = args.parts.split(",")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(above the core count, other work shares the machine and stretches the wall times)")
    if "speech" in parts:
        speech(args.voices.split(","), args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        if "cache" in parts:
            cache(args.scene, args.voice, args.rounds, Path(tmp))
        if "lecture" in parts:
            lecture(args.scenes, args.jobs, args.rounds, Path(tmp))
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
