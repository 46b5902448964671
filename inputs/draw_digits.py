"""How the handwritten-style digits in ``digits.json`` were made: pen strokes written here.

Each digit is a few strokes (polylines and elliptic arcs) in a 28x28 box, drawn in the manner
of the classic handwritten-digit sets: white ink on black, within the central 20x20, slanted a
little like a right-handed writer's. They are drawn with a round pen ten times larger and
shrunk by averaging (BOX), which gives the soft edges of a scanned pen stroke.

    python -m inputs.draw_digits     # writes inputs/digits.json again, byte for byte the same

The package reads only the table, so a render does not redraw anything.
"""

import json
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

SIDE = 28  # pixels of a digit, as in the classic sets
SCALE = 10  # drawn this many times larger, then shrunk
PEN = 2.4  # stroke width in final pixels
SLANT = 0.18  # x shifts right by this much per pixel up

TABLE = Path(__file__).with_name("digits.json")


def arc(cx, cy, rx, ry, start, end, steps=48):
    """Points of an elliptic arc, angles in degrees, y pointing down (90 is the bottom)."""
    return [(cx + rx * math.cos(math.radians(t)), cy + ry * math.sin(math.radians(t)))
            for t in np.linspace(start, end, steps)]


STROKES = {
    0: [arc(14, 14, 6, 9.5, -100, 265)],
    1: [[(11.5, 8), (15.5, 4.5), (13, 23.5)]],
    2: [arc(13.5, 10, 5.5, 5, 195, 380) + [(8, 23)], [(8, 23), (21, 22.5)]],
    3: [arc(13.5, 9, 5, 4.5, 200, 450), arc(13.5, 18, 5.5, 5.5, -90, 160)],
    4: [[(15, 4), (7, 17), (21.5, 17)], [(17, 9), (16.5, 24)]],
    5: [[(19.5, 4.5), (10.5, 4.5), (9.5, 12.5)], arc(13.5, 17.5, 6, 6, -140, 150)],
    6: [arc(19.5, 17, 11, 13, 250, 180), arc(13.5, 18.5, 5.5, 5, 0, 360)],
    7: [[(7, 5), (21, 5), (13, 24)]],
    8: [arc(14, 9.5, 4.5, 4.5, 0, 360), arc(14, 18.5, 5.5, 5, 0, 360)],
    9: [arc(14, 10, 5, 5, 0, 360), [(19, 10), (17.5, 24)]],
}


def _slanted(points):
    return [((x + SLANT * (SIDE / 2 - y)) * SCALE, y * SCALE) for x, y in points]


def draw(digit: int) -> np.ndarray:
    """The digit's 28x28 pixels, 0 (black) to 255 (white ink)."""
    big = Image.new("L", (SIDE * SCALE, SIDE * SCALE), 0)
    pen = ImageDraw.Draw(big)
    width = round(PEN * SCALE)
    for stroke in STROKES[digit]:
        points = _slanted(stroke)
        pen.line(points, fill=255, width=width, joint="curve")
        for x, y in (points[0], points[-1]):  # round pen tips
            pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=255)
    return np.asarray(big.resize((SIDE, SIDE), Image.Resampling.BOX), dtype=np.uint8)


def table_text() -> str:
    """The table as committed: one JSON row of 28 numbers per line."""
    lines = []
    for digit in STROKES:
        rows = ",\n    ".join(json.dumps(row) for row in draw(digit).tolist())
        lines.append(f'  "{digit}": [\n    {rows}\n  ]')
    return "{\n" + ",\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    TABLE.write_text(table_text())
    print(TABLE)
