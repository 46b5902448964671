"""What a table's numbers cost to fade in, one animation each (a LaggedStart) against one
staggered FadeIn of their group (``scenes.kit.choreography.one_by_one``), as the table grows.

Usage:  .venv/bin/python benchmarks/fill_in.py                # 100, 400 and 1600 numbers
        .venv/bin/python benchmarks/fill_in.py --sizes 50,200

Each way is played with its animations skipped (no frame painted, as a parallel lecture's
worker plays the sections it skips, and as the tests walk a scene): every FadeIn of a LaggedStart
adds its own number to the scene, and Manim walks the whole scene for each, so its cost grows
with the square of the numbers; one FadeIn of the group walks it once. Both sit among as many
other numbers already on screen, as a layer's tables do. Process time of one run each, and their
ratio. A measurement to read, not a test.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from manim import FadeIn, LaggedStart, Scene, Text, VGroup  # noqa: E402

from convprop.scenes.kit.choreography import one_by_one  # noqa: E402
from skipped import skipped_seconds  # noqa: E402 (beside this file)

LAG = 0.002  # the lag a layer's input-gradient table fills in with


def numbers(count: int) -> list:
    """``count`` small numbers in rows, as a table's cells are (one glyph model, copied)."""
    model = Text("0.123", font_size=12)
    return [model.copy().move_to([(i % 40) * 0.3 - 6, 3 - (i // 40) * 0.15, 0]) for i in range(count)]


def played(count: int, together: bool) -> float:
    """Process seconds to play ``count`` numbers fading in among as many already shown."""
    shown, fills = VGroup(*numbers(count)), numbers(count)

    class Fill(Scene):
        def construct(self):
            self.add(shown)
            animation = one_by_one(fills, LAG) if together else LaggedStart(*(FadeIn(f) for f in fills), lag_ratio=LAG)
            self.play(animation, run_time=1.0)

    return skipped_seconds(Fill)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,400,1600", help="comma-separated counts of numbers")
    args = parser.parse_args()
    print(f"{'numbers':>8} {'LaggedStart s':>14} {'one_by_one s':>13} {'ratio':>6}")
    for count in (int(size) for size in args.sizes.split(",")):
        each, together = played(count, together=False), played(count, together=True)
        print(f"{count:>8} {each:>14.2f} {together:>13.2f} {each / together:>6.1f}")


if __name__ == "__main__":
    main()
