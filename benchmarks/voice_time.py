"""How fast the voices speak: real-time factor on one core, uncached against cached.

Usage:  .venv/bin/python benchmarks/voice_time.py                 # piper and espeak-ng
        .venv/bin/python benchmarks/voice_time.py --voices piper --repeat 3

The whole benchmark (and so every program it starts) is pinned to one processor. The real-time
factor is seconds of compute per second of speech: the CPU time (user + system) of the engine's
and ffmpeg's processes and of this one, read from the operating system, over the length of the finished clips.
CPU time, unlike wall time, is not inflated by other work on the machine; wall time is shown too.

Rows per voice, each from an empty cache or the warm one:
- engine, 1 line: the synthesiser alone on the shortest sentence: mostly its start-up;
- engine: the synthesiser alone, one batch of every sentence (Piper's start-up included);
- engine, marginal: the batch less the one line, what speech costs once the engine runs;
- uncached: synthesis, trimming and loudness normalisation, into an empty cache;
- cached: the same sentences again, which must synthesise nothing.
Goal: Piper at most 0.15 real time on one core. A measurement to read, not a test.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convprop.scenes.voice import choose_voice, spoken  # noqa: E402
from convprop.scenes.voice.sound import duration  # noqa: E402

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


def cpu_seconds() -> float:
    """CPU time of this process and of every program it started and waited for."""
    return sum(u.ru_utime + u.ru_stime for u in map(resource.getrusage, (resource.RUSAGE_SELF,
                                                                            resource.RUSAGE_CHILDREN)))


def timed(work):
    cpu, wall = cpu_seconds(), time.perf_counter()
    result = work()
    return result, cpu_seconds() - cpu, time.perf_counter() - wall


def row(name: str, cpu: float, wall: float, speech: float, synthesised: int) -> None:
    print(f"{name:<24} {cpu:8.2f} {wall:8.2f} {speech:8.2f} {cpu / speech:8.3f} {wall / speech:8.3f} {synthesised:6d}")


def bench(spec: str, lines: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        engine = choose_voice(spec, cache=tmp / "engine").engine
        one, cpu1, wall1 = timed(lambda: engine.synthesise([lines[-1][1]], tmp / "one"))
        row(f"{spec} engine, 1 line", cpu1, wall1, duration(one[0]), 1)
        raw, cpu, wall = timed(lambda: engine.synthesise([text for _, text in lines], tmp / "raw"))
        speech = sum(duration(p) for p in raw)
        row(f"{spec} engine", cpu, wall, speech, len(lines))
        # What each further second of speech costs once the engine has started.
        row(f"{spec} engine, marginal", cpu - cpu1, wall - wall1, speech - duration(one[0]), len(lines) - 1)

        voice = choose_voice(spec, cache=tmp / "cache")
        asked, synthesise = [], voice.engine.synthesise
        voice.engine.synthesise = lambda texts, folder: asked.extend(texts) or synthesise(texts, folder)
        clips, cpu, wall = timed(lambda: voice.speak(lines))
        speech = sum(c.seconds for c in clips)
        row(f"{spec} uncached", cpu, wall, speech, len(asked))

        again = choose_voice(spec, cache=tmp / "cache")
        asked.clear()
        again.engine.synthesise = lambda texts, folder: asked.extend(texts) or synthesise(texts, folder)
        clips, cpu, wall = timed(lambda: again.speak(lines))
        row(f"{spec} cached", cpu, wall, sum(c.seconds for c in clips), len(asked))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--voices", default="piper,espeak-ng")
    parser.add_argument("--repeat", type=int, default=1, help="runs per voice")
    args = parser.parse_args()
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})  # every program started from here inherits it
    lines = [(f"bench/{i:02d}", spoken(s)) for i, s in enumerate(SENTENCES)]
    print(f"{len(lines)} sentences, pinned to processor {core}; real-time factor = seconds per second of speech")
    print(f"{'':<24} {'cpu s':>8} {'wall s':>8} {'speech s':>8} {'RTF cpu':>8} {'RTF wall':>8} {'synth':>6}")
    for spec in args.voices.split(","):
        for _ in range(args.repeat):
            bench(spec, lines)


if __name__ == "__main__":
    main()
