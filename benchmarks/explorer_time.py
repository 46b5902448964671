"""How fast the explorer answers an edit, and how much it weighs.

Usage:  .venv/bin/python benchmarks/explorer_time.py [--edits 200] [--pause 0]

The page is written for the default lesson and for a 12x12 one (stride 1, padding 1, ReLU,
max-pool 2: the largest numbered lesson's kind), served on 127.0.0.1 and opened in Debian's
headless Chromium. In the page, an input cell's value is changed (its sign flips, so every edit
changes the lesson) and its input event sent; the time is ``performance.now()`` from before the
event to after every number is written and the style and layout are recalculated (the handler
recomputes and rewrites synchronously; the numbers' spoken labels are written when the typing
pauses, outside this time). Goal: under 16 ms, one frame. Beside the wall times, the
page's own processor time per edit as Chromium counts it (script, style, layout), which other work
on the machine stretches less, and the load average, which it stretches the wall times by.
``--pause MS`` spaces the edits as a student's keystrokes are: the previous edit's highlights are
out and its labels written before the next (and the caches colder). Then
the size of the page's files on disk (goal: under 200 kB). A measurement to read, not a test.
"""

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from convprop.course.explorer_page import publish_explorer  # noqa: E402
from convprop.mathcore import ModelConfig, run_model  # noqa: E402
from tests.course_browser import chromium, serve, wait_for  # noqa: E402

LESSONS = {
    "default (5x5, 3x3, stride 2)": ModelConfig(),
    "12x12, 3x3, stride 1, padding 1, ReLU, pool 2": ModelConfig(input_size=(12, 12), stride=(1, 1), padding=1,
                                                                 relu=True, pool=2),
}

EDIT = """
const [edits, pause, done] = arguments;
const cells = document.querySelectorAll('input[data-key="input"]'), times = [];
let n = 0;
function edit() {
  const cell = cells[n % cells.length];
  cell.value = (Number(cell.value) > 0 ? -1 : 1) * (0.1 + (n % 17) / 10);
  const start = performance.now();
  cell.dispatchEvent(new Event('input', {bubbles: true}));
  document.body.offsetHeight;  // the style and layout of what changed, too
  times.push(performance.now() - start);
}
if (pause) {
  const next = () => { edit(); if (++n < edits) setTimeout(next, pause); else done([times, document.querySelectorAll('#values .v').length]); };
  next();
} else {
  for (; n < edits; n++) edit();
  done([times, document.querySelectorAll('#values .v').length]);
}
"""


PARTS = {"script": "ScriptDuration", "style": "RecalcStyleDuration", "layout": "LayoutDuration"}


def processor_times(driver) -> dict:
    """Chromium's running totals of the page thread's time (seconds), by kind."""
    metrics = {m["name"]: m["value"] for m in driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]}
    return {**{key: metrics[name] for key, name in PARTS.items()}, "TaskDuration": metrics["TaskDuration"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--pause", type=int, default=0, help="milliseconds between edits (0: back to back)")
    args = parser.parse_args()
    edits, pause = args.edits, args.pause
    with tempfile.TemporaryDirectory() as work:
        for name, config in LESSONS.items():
            folder = Path(work) / name.split()[0]
            publish_explorer(folder, run_model(config))
            with serve(folder) as (base, _), chromium(Path(work) / f"profile-{name.split()[0]}", 1400, 1000) as driver:
                driver.get(base + "explorer.html")
                wait_for(driver, "return document.body.dataset.ready")
                driver.set_script_timeout(max(300, edits * pause / 1000 * 2))
                driver.execute_async_script(EDIT, 20, 0)  # warm the JIT
                driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
                before, load = processor_times(driver), os.getloadavg()[0]
                times, values = driver.execute_async_script(EDIT, edits, pause)
                after = processor_times(driver)
            times.sort()
            cpu = {key: (after[key] - before[key]) * 1000 / edits for key in after}
            spacing = f", {pause} ms apart" if pause else ", back to back"
            print(f"{name}: {values} values; edit to every number updated over {edits} edits{spacing}: "
                  f"median {statistics.median(times):.2f} ms, 95th percentile {times[int(0.95 * len(times))]:.2f} ms, "
                  f"worst {times[-1]:.2f} ms (load average {load:.1f} on {os.cpu_count()} cores)")
            what = " with all that follows it before the next (frames, timers)" if pause else ""
            print(f"  the page's processor time per edit{what}: " + ", ".join(f"{key} {cpu[key]:.2f} ms" for key in PARTS)
                  + f", in all {cpu['TaskDuration']:.2f} ms")
            size = sum(p.stat().st_size for p in folder.iterdir())
            print(f"  page on disk: {size / 1000:.1f} kB ({', '.join(sorted(p.name for p in folder.iterdir()))})")


if __name__ == "__main__":
    main()
