"""The project's own handwritten-style digits, 0 to 9, as 28x28 grayscale images.

The pixels are a committed table (``digits.json``, drawn once by ``inputs.draw_digits`` from pen
strokes written in this project, not taken from any data set), so ``--image digit:7`` needs no
file and looks the same on every machine.
"""

import json
from functools import cache
from pathlib import Path

import numpy as np
from PIL import Image

TABLE = Path(__file__).with_name("digits.json")


@cache
def _table() -> dict:
    return json.loads(TABLE.read_text())


def digit_pixels(digit: int) -> np.ndarray:
    """The digit's 28x28 pixels, 0 (black) to 255 (white ink)."""
    return np.array(_table()[str(digit)], dtype=np.uint8)


def digit_image(digit: int) -> Image.Image:
    return Image.fromarray(digit_pixels(digit))  # 8-bit, one channel: grayscale ("L")
