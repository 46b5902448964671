"""Numbers drawn from glyphs shaped once.

Shaping a Manim ``Text`` costs tens of milliseconds, so a 12x12 grid of numbers shaped one by
one would take seconds. Here the glyphs of every character a number can use are shaped once per
process, in a monospaced font, and each number is assembled from copies of them placed on a
common baseline at the font's fixed advance.

Example::

    label = NumberLabel(-0.25, decimals=2, source=("z", (0, 0)))
    label.text  # '−0.25'
"""

from functools import lru_cache

import numpy as np
from manim import RIGHT, Text, VGroup

from scenes.lighten import lighten
from scenes.style import NUMBER_FONT

MINUS = "\u2212"
GLYPHS = "0123456789." + MINUS
_BASE_SIZE = 48


def fmt(value: float, decimals: int) -> str:
    """The text a number is drawn as: fixed decimals, a true minus sign, never '-0.00'."""
    text = f"{float(value):.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace("-", MINUS)


@lru_cache(maxsize=None)
def _glyph_set(font: str) -> tuple[dict, float]:
    """Each glyph moved so its pen origin sits at (0, baseline 0); and the advance width."""
    shaped = lighten(Text(GLYPHS, font=font, font_size=_BASE_SIZE))
    zeros = Text("0" * len(GLYPHS), font=font, font_size=_BASE_SIZE)
    advance = zeros[1].get_left()[0] - zeros[0].get_left()[0]
    baseline = zeros[0].get_bottom()[1]
    glyphs = {}
    for i, ch in enumerate(GLYPHS):
        pen_x = zeros[0].get_left()[0] + i * advance
        glyphs[ch] = shaped[i].copy().shift(-pen_x * RIGHT - baseline * np.array([0, 1, 0]))
    return glyphs, advance


class NumberLabel(VGroup):
    """A number drawn on screen, carrying the value it shows and where in the trace it came from.

    ``source`` is the path into the trace (see ``scenes.trace_paths``); the on-screen tests use
    it to check that what is drawn equals the trace at ``decimals`` places.
    """

    def __init__(self, value: float, decimals: int, source=None, font_size: float = 28, color=None,
                 font: str = NUMBER_FONT):
        super().__init__()
        self.value = float(value)
        self.decimals = decimals
        self.source = source
        self.text = fmt(value, decimals)
        glyphs, advance = _glyph_set(font)
        for j, ch in enumerate(self.text):
            self.add(glyphs[ch].copy().shift(j * advance * RIGHT))
        self.scale(font_size / _BASE_SIZE, about_point=np.zeros(3))
        self.center()
        if color is not None:
            self.set_color(color)
