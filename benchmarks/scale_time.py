"""Rendering at scale, measured side by side in one run.

Usage:  .venv/bin/python benchmarks/scale_time.py [--quality low] [--renders 8] [--scene loss-gradient]

1. The lecture with `--jobs 2` against `--jobs 1`: wall time, video duration, wall/video, and
   the speed-up, with the peak memory of the main process (with --jobs 2 it renders sections
   too) and of its section worker.
2. A batch of N short renders (one scene, seeds 1..N) on a LocalCluster of 2 workers against 1:
   wall time and speed-up, the time a job costs beyond its own render (the batch's wall time
   times its workers, less the jobs' own render times, per job), and each worker's peak memory.
   That cost, taken apart from the jobs' start times in the manifest: the batch's fixed time
   before its first job starts (the command's start, reading the job file, starting the
   cluster) and after its last one ends (closing the cluster), and a worker's idle time from
   the end of one job to the start of its next (handing the job over, the result back).

Each row also gives the CPU seconds the command and its processes used: on a machine shared
with other work the wall times move from run to run, the CPU seconds much less. Every command
runs as its own `convprop` process. A measurement to read, not a test: nothing asserts a time.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parent.parent

# The child reports its own peak memory and its largest child's (a section worker) on exit.
CHILD = ("import atexit, resource, sys; from convprop import cli; atexit.register(lambda: print('peak-kib', "
         "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
         "file=sys.stderr)); cli.main()")


def convprop(*args) -> tuple[float, list[float], float]:
    """Run `convprop ARGS`; its wall time, [own, largest child's] peak memory in MiB, and the CPU
    seconds it and its children used (on a busy machine, wall time also counts others' work)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"convprop {' '.join(args)} failed:\n{done.stderr}")
    peaks = done.stderr.split("peak-kib")[-1].split()[:2]
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, [int(kib) / 1024 for kib in peaks], cpu


def duration(video: Path) -> float:
    with av.open(str(video)) as container:
        return container.duration / av.time_base


def lecture(quality: str, tmp: Path) -> dict:
    rows = {}
    for jobs in (1, 2):
        out = tmp / f"lecture-{jobs}"
        wall, (own, worker), cpu = convprop("lecture", "--quality", quality, "--jobs", str(jobs), "--quiet",
                                            "--output", str(out))
        video = duration(out / "lecture.mp4")
        rows[jobs] = {"wall": wall, "video": video, "cpu": cpu, "own_mib": own,
                      "worker_mib": worker if jobs > 1 else None}
    index = json.loads((tmp / "lecture-1" / "lecture-sections" / "lecture.json").read_text())
    rows["sections"] = {section["name"]: float(section["duration"]) for section in index}
    return rows


def batch(scene: str, renders: int, tmp: Path) -> dict:
    jobs_file = tmp / "jobs.toml"
    jobs_file.write_text(f'[[job]]\ncommand = "render"\nscene = "{scene}"\nquality = "low"\nseeds = "1-{renders}"\n')
    rows = {}
    for workers in (1, 2):
        out = tmp / f"batch-{workers}"
        began = time.time()
        wall, _, cpu = convprop("batch", str(jobs_file), "--workers", str(workers), "--quiet", "--output", str(out))
        ended = time.time()
        jobs = json.loads((out / "manifest.json").read_text())["jobs"]
        own = sum(job["seconds"] for job in jobs)
        peaks, by_worker = {}, {}
        for job in jobs:
            peaks[job["worker"]] = max(peaks.get(job["worker"], 0), job["worker_peak_mib"])
            by_worker.setdefault(job["worker"], []).append((job["started"], job["started"] + job["seconds"]))
        gaps = [later[0] - earlier[1] for spans in by_worker.values()
                for earlier, later in zip(sorted(spans), sorted(spans)[1:])]
        rows[workers] = {"wall": wall, "cpu": cpu, "own": own, "beyond": (wall * workers - own) / len(jobs),
                         "peaks": sorted(peaks.values()), "before": min(job["started"] for job in jobs) - began,
                         "after": ended - max(job["started"] + job["seconds"] for job in jobs),
                         "between": sum(gaps) / len(gaps) if gaps else 0.0}
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", default="low")
    parser.add_argument("--renders", type=int, default=8)
    parser.add_argument("--scene", default="loss-gradient", help="the scene the batch renders, once per seed")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
          "(above the core count, other work shares the machine and the wall times)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lec = lecture(args.quality, tmp)
        one, two = lec[1], lec[2]
        print(f"lecture at {args.quality} quality, {one['video']:.1f} s of video; its sections, in seconds: "
              + ", ".join(f"{name} {seconds:.0f}" for name, seconds in lec.pop("sections").items()))
        print(f"  {'jobs':<6} {'wall s':>8} {'wall/video':>10} {'CPU s':>8} {'peak MiB main':>14} {'peak MiB worker':>16}")
        for jobs, row in lec.items():
            worker = f"{row['worker_mib']:.0f}" if row["worker_mib"] else "-"
            print(f"  {jobs:<6} {row['wall']:>8.1f} {row['wall'] / row['video']:>10.2f} {row['cpu']:>8.1f} "
                  f"{row['own_mib']:>14.0f} {worker:>16}")
        print(f"  --jobs 2 is {one['wall'] / two['wall']:.2f}x as fast as --jobs 1", flush=True)

        bat = batch(args.scene, args.renders, tmp)
        print(f"batch of {args.renders} renders of {args.scene} at low quality on a LocalCluster")
        print(f"  {'workers':<8} {'wall s':>8} {'CPU s':>8} {'renders s':>10} {'beyond render s/job':>20} "
              f"{'before 1st job s':>17} {'between jobs s':>15} {'after last s':>13} {'peak MiB per worker':>22}")
        for workers, row in bat.items():
            peaks = ", ".join(f"{p:.0f}" for p in row["peaks"])
            print(f"  {workers:<8} {row['wall']:>8.1f} {row['cpu']:>8.1f} {row['own']:>10.1f} {row['beyond']:>20.2f} "
                  f"{row['before']:>17.2f} {row['between']:>15.3f} {row['after']:>13.2f} {peaks:>22}")
        print(f"  2 workers are {bat[1]['wall'] / bat[2]['wall']:.2f}x as fast as 1")
    print(f"load average after: {os.getloadavg()[0]:.1f} (1 min), {os.getloadavg()[1]:.1f} (5 min)")


if __name__ == "__main__":
    main()
