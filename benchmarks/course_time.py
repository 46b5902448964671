"""What the course folder costs over the lecture alone, and what VP9's settings trade.

Usage:  .venv/bin/python benchmarks/course_time.py                       # the whole lecture, low quality
        .venv/bin/python benchmarks/course_time.py --scenes loss-gradient,chain-rule --quality low
        .venv/bin/python benchmarks/course_time.py --vp9-only DIR/lecture.mp4   # only the encoder table

First `convprop lecture` and `convprop course` run as processes of their own (wall time each, and
their ratio); then lecture.mp4 is encoded to VP9 with several libvpx settings: encode time, size
and SSIM against the H.264 original (1.0 is identical). A measurement to read, not a test.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convprop.course.encode import VP9_SETTINGS  # noqa: E402

COMMON = ("-row-mt", "1", "-tile-columns", "2", "-crf", "32", "-b:v", "0")
CANDIDATES = {
    "realtime, cpu-used 8 (the course's)": VP9_SETTINGS,
    "realtime, cpu-used 8, crf 24": ("-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-tile-columns", "2",
                                     "-crf", "24", "-b:v", "0"),
    "realtime, cpu-used 5": ("-deadline", "realtime", "-cpu-used", "5", *COMMON),
    "good, cpu-used 4": ("-deadline", "good", "-cpu-used", "4", *COMMON),
    "good, cpu-used 1 (libvpx's usual)": ("-deadline", "good", "-cpu-used", "1", *COMMON),
}


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def convprop(*args) -> list[str]:
    return [sys.executable, "-c", "from convprop import cli; cli.main()", *args]


def encoder_table(source: Path, work: Path) -> None:
    print(f"\nVP9 of {source.name} ({source.stat().st_size / 1e6:.2f} MB H.264)")
    print(f"{'settings':<36} {'time s':>7} {'size MB':>8} {'SSIM':>7}")
    for name, settings in CANDIDATES.items():
        target = work / "candidate.webm"
        seconds = timed(["ffmpeg", "-v", "error", "-y", "-i", str(source), "-c:v", "libvpx-vp9", *settings,
                         "-pix_fmt", "yuv420p", str(target)])
        ssim = subprocess.run(["ffmpeg", "-i", str(target), "-i", str(source), "-lavfi", "ssim", "-f", "null", "-"],
                              capture_output=True, text=True).stderr
        score = re.search(r"All:([0-9.]+)", ssim)
        print(f"{name:<36} {seconds:7.1f} {target.stat().st_size / 1e6:8.2f} {score.group(1) if score else '?':>7}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quality", default="low")
    parser.add_argument("--scenes", help="NAME,NAME,... (default: the whole lecture)")
    parser.add_argument("--vp9-only", type=Path, metavar="MP4")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.vp9_only:
            encoder_table(args.vp9_only, work)
            return
        if args.scenes:  # the lecture of just these scenes: the course with its extras left out
            lecture_cmd = [sys.executable, str(Path(__file__).with_name("partial_lecture.py")), args.scenes,
                           args.quality, str(work / "lecture")]
        else:
            lecture_cmd = convprop("lecture", "--quality", args.quality, "--output", str(work / "lecture"))
        course_cmd = convprop("course", "--quality", args.quality, "--output", str(work / "course"),
                              *(("--scenes", args.scenes) if args.scenes else ()))
        lecture = timed(lecture_cmd)
        course = timed(course_cmd)
        length = float(subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
                                       str(work / "course" / "lecture.mp4")], capture_output=True, text=True).stdout)
        print(f"video {length:.1f} s at {args.quality} quality")
        print(f"lecture {lecture:7.1f} s   course {course:7.1f} s   ratio {course / lecture:.2f}")
        encoder_table(work / "course" / "lecture.mp4", work)


if __name__ == "__main__":
    main()
