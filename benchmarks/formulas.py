"""What typesetting a formula costs: Manim's MathTypst as it comes, against the kit's formula
(``scenes.kit.formula``), which hands Typst its fonts gathered once and reads the SVG building
only the groups a label can name (``scenes.kit.named_groups``).

Usage:  .venv/bin/python benchmarks/formulas.py               # 60 formulas of 3 numbers each
        .venv/bin/python benchmarks/formulas.py --count 200

Every formula is new (its numbers differ), so nothing is a copy of one met before: the kit's
memo is emptied before each. Four ways, each typesetting the same formulas from an empty media
folder (no SVG compiled before): Manim's own; with the fonts gathered once; with named groups
only; with both (the kit's). Process milliseconds per formula, one run each, and each way's
ratio to Manim's. A measurement to read, not a test.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from manim import SVGMobject, tempconfig  # noqa: E402

from convprop.scenes.kit import formula  # noqa: E402
from convprop.scenes.kit.formula import Formula, Num, d  # noqa: E402


class ManimsReading(Formula):
    get_mobjects_from = SVGMobject.get_mobjects_from


def _parts(i: int) -> tuple[dict, list]:
    trace = {"w": [0.01 * i, -1.25 - 0.01 * i], "b": 0.1 + i}
    return trace, [d("L", "w_(1,2)"), "=", Num(("w", 0)), "dot", Num(("w", 1), paren=True), "+", Num(("b",), 1)]


def typeset_ms(cls, count: int, fonts_once: bool) -> float:
    """Process milliseconds per formula, typesetting ``count`` new formulas of class ``cls``."""
    gathered = formula.fonts
    if not fonts_once:
        formula.fonts = lambda: []  # Typst gathers the fonts anew on every compile, as Manim has it
    try:
        with tempfile.TemporaryDirectory() as media, tempconfig({"media_dir": media, "verbosity": "ERROR"}):
            cls(*_parts(-1))  # the first formula of a process also loads Typst and its fonts
            formula._MET.clear()
            start = time.process_time()
            for i in range(count):
                cls(*_parts(i))
            return (time.process_time() - start) / count * 1000
    finally:
        formula.fonts = gathered
        formula._MET.clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=60, help="how many formulas each way typesets")
    args = parser.parse_args()
    ways = (("Manim's", ManimsReading, False), ("fonts once", ManimsReading, True),
            ("named groups", Formula, False), ("both (kit's)", Formula, True))
    manims = None
    print(f"{'way':>14} {'ms/formula':>11} {'ratio':>6}")
    for name, cls, fonts_once in ways:
        ms = typeset_ms(cls, args.count, fonts_once)
        manims = manims or ms
        print(f"{name:>14} {ms:>11.1f} {manims / ms:>6.2f}")


if __name__ == "__main__":
    main()
