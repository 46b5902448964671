"""Formulas typeset with Typst whose numbers are read from the trace, never typed.

A formula is written as a list of parts: Typst math source as strings, and ``Num`` for every
number. Each number is wrapped in a labelled group, so a scene can colour exactly the term
under discussion, and the tests can check every number against the trace.

Example::

    Formula(trace, ["z_1 =", Num(("conv", "z", (0, 0)), 2)])
"""

from dataclasses import dataclass
from functools import lru_cache

import typst
from manim import MathTypst, Typst

from convprop.scenes.kit.lighten import lighten
from convprop.scenes.kit.named_groups import NamedGroups
from convprop.scenes.kit.numbers import fmt
from convprop.scenes.kit.style import TEXT, current_theme
from convprop.scenes.kit.trace_paths import resolve


@dataclass(frozen=True)
class Num:
    """A number taken from the trace at ``path``, shown with ``decimals`` places.

    ``paren`` wraps a negative number in parentheses, as it must be after an operator.
    ``label`` names the group for ``Formula.term``; by default the number's position.
    """

    path: tuple
    decimals: int = 2
    paren: bool = False
    label: str | None = None
    color: object = None


def d(top: str, bottom: str) -> str:
    """The Typst fraction of a partial derivative, (partial top) / (partial bottom)."""
    return f"(partial {top}) / (partial {bottom})"


def plain(text: str, font_size: float = 24, color=None) -> Typst:
    """Words on screen with no numbers in them (the tests check there are none).

    The same words recur on every step, so each is typeset once and copied.
    """
    return _typeset(text, font_size, str(TEXT if color is None else color)).copy()


@lru_cache(maxsize=512)
def _typeset(text: str, font_size: float, color) -> Typst:
    return lighten(Typst(text, font_size=font_size, color=color, use_svg_cache=False, font_paths=fonts()))


@lru_cache(maxsize=1)
def fonts() -> typst.Fonts:
    """The fonts Typst finds (the system's and its own), gathered once per process.

    Manim hands ``font_paths`` to ``typst.compile``, which takes a ``Fonts`` as well as a list of
    folders; given a list, Typst gathers every font anew on each compile, 9 ms of the 10 one
    compile takes, and a formula with k labelled numbers is compiled k + 1 times. The fonts, and
    so the SVG, are the same either way.
    """
    return typst.Fonts()


# The formulas this process has typeset, by their Typst source, size, colours and theme, each kept
# as a copy of its typesetting. A story typesets the same formula again and again (a stage's shape,
# 3 × 3, under every grid of the pipeline; the pipeline's dense layer on every lesson), a narrated
# render meets every formula twice (once as the scene is told for its script, once as it is drawn),
# and a copy costs a twentieth of a typesetting.
_MET: dict = {}
_MET_MOST = 1024


def _remember(key, formula) -> None:
    _MET[key] = formula.copy()
    while len(_MET) > _MET_MOST:
        del _MET[next(iter(_MET))]


class Formula(NamedGroups, MathTypst):
    """Display maths with traced numbers.

    A formula's numbers are under discussion (``focus``), so the tests hold them to the legible
    size at every configuration; a scene may set ``focus = False`` on a label that only orients.
    """

    focus = True

    def __init__(self, trace, parts, font_size: float = 30, **kwargs):
        kwargs.setdefault("color", TEXT)  # the theme's text colour, not Manim's white
        source = self._compose(trace, parts)
        key = (type(self), source, font_size, repr(sorted(kwargs.items())), repr([n[-1] for n in self.numbers]),
               current_theme().name)
        kept = _MET.get(key)
        if kept is not None:  # typeset before: a copy of it, with this formula's own paths
            numbers, reading, words = self.numbers, self.reading, self.words
            self.__dict__.update(kept.copy().__dict__)
            self.numbers, self.reading, self.words = numbers, reading, words
            return
        # Manim's SVG cache would keep a deep copy of the parsed SVG as well: _MET keeps the formula
        MathTypst.__init__(self, source, font_size=font_size, use_svg_cache=False, font_paths=fonts(), **kwargs)
        for label, _, _, _, color in self.numbers:
            if color is not None:
                self.select(label).set_color(color)
        lighten(self)
        _remember(key, self)

    def _compose(self, trace, parts) -> str:
        self.numbers = []  # (label, path, decimals, text, colour)
        self.words = " ".join(part for part in parts if isinstance(part, str))  # all but the numbers
        # the formula as read: its words, and each number as (path, decimals, text), in order
        self.reading = []
        pieces = []
        for part in parts:
            if isinstance(part, str):
                pieces.append(part)
                self.reading.append(part)
                continue
            label = part.label or f"n{len(self.numbers)}"
            text = fmt(resolve(trace, part.path), part.decimals)
            self.numbers.append((label, part.path, part.decimals, text, part.color))
            self.reading.append((part.path, part.decimals, text))
            shown = f"({text})" if part.paren and text.startswith("\u2212") else text
            pieces.append(f"{{{{ {shown} : {label} }}}}")
        return " ".join(pieces)

    def term(self, label: str):
        """The drawn group of the number (or labelled term) called ``label``."""
        return self.select(label)
