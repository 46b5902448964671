"""What fading costs, Manim's FadeIn and FadeOut against the kit's (``scenes.kit.fades``), for a
picture of cells and for many numbers fading in at once, as the picture grows.

Usage:  .venv/bin/python benchmarks/fades.py                  # 7x7, 14x14 and 28x28 cells
        .venv/bin/python benchmarks/fades.py --sides 10,20

Each way plays the same three moves, with animations skipped (no frame painted, as a parallel
lecture's worker plays the sections it skips, and as the tests walk a scene): a picture of
side x side cells fades in, side x side numbers fade in lagged, one FadeIn each, beside it, and
the stage is cleared with one FadeOut per mobject, as a story's ``clear`` does. Manim's fades
deep-copy what they fade two or three times and look through the whole scene before each adds its
mobject; the kit's keep arrays and share one look per play. Process time of one run each, and
their ratio. A measurement to read, not a test.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from manim import FadeIn as ManimFadeIn  # noqa: E402
from manim import FadeOut as ManimFadeOut  # noqa: E402
from manim import LaggedStart, Scene, Square, Text, VGroup  # noqa: E402

from convprop.scenes.kit import fades  # noqa: E402
from skipped import skipped_seconds  # noqa: E402 (beside this file)


def picture(side: int) -> VGroup:
    """``side`` x ``side`` shaded squares, as a picture's cells are (one model, copied)."""
    model = Square(0.2, stroke_width=0).set_fill("#3080c0", opacity=1)
    cells = VGroup(*(model.copy().set_fill(opacity=(i % 9 + 1) / 9) for i in range(side * side)))
    return cells.arrange_in_grid(side, side, buff=0).scale_to_fit_height(5).shift([-3, 0, 0])


def numbers(count: int) -> list:
    model = Text("0.12", font_size=10)
    return [model.copy().move_to([1 + (i % 28) * 0.22, 3 - (i // 28) * 0.22, 0]) for i in range(count)]


def played(side: int, fade_in, fade_out) -> float:
    """Process seconds to play the three moves with these fades."""
    cells, labels = picture(side), numbers(side * side)

    class Fading(Scene):
        def construct(self):
            self.play(fade_in(cells), run_time=1.0)
            self.play(LaggedStart(*(fade_in(label) for label in labels), lag_ratio=0.01), run_time=1.0)
            self.play(*(fade_out(m) for m in self.mobjects), run_time=0.6)

    return skipped_seconds(Fading)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sides", default="7,14,28", help="comma-separated sides of the picture")
    args = parser.parse_args()
    print(f"{'cells':>6} {'Manim s':>8} {'kit s':>6} {'ratio':>6}")
    for side in (int(s) for s in args.sides.split(",")):
        manims = played(side, ManimFadeIn, ManimFadeOut)
        kits = played(side, fades.FadeIn, fades.FadeOut)
        print(f"{side * side:>6} {manims:>8.2f} {kits:>6.2f} {manims / kits:>6.1f}")


if __name__ == "__main__":
    main()
