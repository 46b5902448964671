"""Numbers drawn from glyphs shaped once.

Shaping a Manim ``Text`` costs tens of milliseconds, so a 12x12 grid of numbers shaped one by
one would take seconds. Here the glyphs of every character a number can use are shaped once per
process, in a monospaced font, and each number is assembled from copies of them placed on a
common baseline at the font's fixed advance.

Example::

    label = NumberLabel(-0.25, decimals=2, source=("z", (0, 0)))
    label.text  # '−0.25'
"""

from fractions import Fraction
from functools import lru_cache
from itertools import pairwise

import numpy as np
from manim import Text, VMobject

from convprop.mathcore.values import MAX_SHOWN_DECIMALS
from convprop.scenes.kit.style import NUMBER_FONT, TEXT

MINUS = "\u2212"
GLYPHS = "0123456789." + MINUS
_BASE_SIZE = 48


def fmt(value: float, decimals: int) -> str:
    """The text a number is drawn as: fixed decimals, a true minus sign, never '-0.00'."""
    text = f"{float(value):.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return text.replace("-", MINUS)


def decimals_that_add(terms, total, decimals: int, most: int = MAX_SHOWN_DECIMALS) -> int:
    """The fewest decimals, from ``decimals`` up to ``most``, at which ``terms`` as written add up
    to ``total`` as written (``decimals`` when none do).

    Each number of a written sum is rounded on its own, so 0.0004 + (-0.0049) = -0.0045 reads
    0.000 + (-0.005) = -0.004 at three decimals: true digit by digit, and a sum that does not
    add up. At four decimals it does.

    >>> decimals_that_add([0.0004, -0.0049], -0.0045, 3)
    4
    >>> decimals_that_add([0.25, 0.5], 0.75, 2)
    2
    """
    for d in range(decimals, max(decimals, most) + 1):
        if sum(written(t, d) for t in terms) == written(total, d):
            return d
    return decimals


def written(value: float, decimals: int) -> Fraction:
    """The number ``fmt`` writes, as an exact fraction."""
    return Fraction(fmt(value, decimals).replace(MINUS, "-"))


def exact_decimals(value: float, cap: int = 4) -> int:
    """The fewest decimals that show ``value`` (0.1 -> 1, 0.05 -> 2, 5.0 -> 0), at most ``cap``.

    A computed value such as 4 - 0.05 * 1.2 = 3.9400000000000004 shows as 3.94: a difference
    below a billionth of the value counts as none.
    """
    value = float(value)
    return next((d for d in range(cap + 1) if abs(round(value, d) - value) < 1e-9 * max(1.0, abs(value))), cap)


@lru_cache(maxsize=None)
def _glyph_set(font: str) -> tuple[dict, float]:
    """The outline points of each glyph, with its pen origin at (0, baseline 0); and the advance."""
    shaped = Text(GLYPHS, font=font, font_size=_BASE_SIZE)
    zeros = Text("0" * len(GLYPHS), font=font, font_size=_BASE_SIZE)
    advance = zeros[1].get_left()[0] - zeros[0].get_left()[0]
    origin = np.array([zeros[0].get_left()[0], zeros[0].get_bottom()[1], 0.0])
    glyphs = {ch: shaped[i].points - origin - [i * advance, 0, 0] for i, ch in enumerate(GLYPHS)}
    return glyphs, advance


def widest_drawn(chars: int, font_size: float, font: str = NUMBER_FONT) -> float:
    """The widest that any ``chars`` glyphs are drawn at ``font_size``: ``chars`` fixed advances,
    less the narrowest room any glyph leaves inside its advance on its left and on its right
    (a grid sizes its font by it, so that a number keeps its margins whatever its digits)."""
    glyphs, advance = _glyph_set(font)
    left = min(points[:, 0].min() for points in glyphs.values())
    right = min(advance - points[:, 0].max() for points in glyphs.values())
    return (chars * advance - left - right) * font_size / _BASE_SIZE


def font_for_height(height: float, font: str = NUMBER_FONT) -> float:
    """The least font at which every number stands at least ``height`` tall: sized by the
    shortest digit (a 1 or a 7 is shorter than a 0)."""
    glyphs, _ = _glyph_set(font)
    shortest = min(np.ptp(glyphs[ch][:, 1]) for ch in "0123456789")
    return height * _BASE_SIZE / shortest


class NumberLabel(VMobject):
    """A number drawn on screen, carrying the value it shows and where in the trace it came from.

    All its glyphs are one outline, so a grid of numbers costs one drawing call per number.
    ``source`` is the path into the trace (see ``scenes.trace_paths``); the on-screen tests use
    it to check that what is drawn equals the trace at ``decimals`` places. ``focus`` says the
    number is under discussion, so the tests hold it to the legible size wherever it is drawn.
    """

    def __init__(self, value: float, decimals: int, source=None, font_size: float = 28, color=None,
                 font: str = NUMBER_FONT, focus: bool = False):
        super().__init__(fill_opacity=1.0, stroke_width=0)
        self.focus = focus
        self.value = float(value)
        self.decimals = decimals
        self.source = source
        self.text = fmt(value, decimals)
        glyphs, advance = _glyph_set(font)
        self.set_points(np.concatenate([glyphs[ch] + [j * advance, 0, 0] for j, ch in enumerate(self.text)]))
        self.scale(font_size / _BASE_SIZE, about_point=np.zeros(3))
        self.center()
        self.set_fill(color if color is not None else TEXT, opacity=1.0)

    def get_subpaths_from_points(self, points: np.ndarray) -> list[np.ndarray]:
        """Manim's subpaths (runs of curves, each starting where the one before ends), found with
        one comparison of all the curves' ends at once: Manim compares each curve's end with the
        next one's start by a call of ``np.allclose`` apiece, and a number morphing into another
        (``Transform``) has the subpaths of both found as the animation begins."""
        n = self.n_points_per_cubic_curve
        starts = np.arange(n, len(points), n)
        joined = np.isclose(points[starts - 1], points[starts], atol=self.tolerance_for_point_equality).all(axis=1)
        splits = [0, *starts[~joined].tolist(), len(points)]
        return [points[a:b] for a, b in pairwise(splits) if b - a >= n]
