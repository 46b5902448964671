"""The words for what a before-and-after comparison showed, by the outcome mathcore decided.

A story never judges two numbers itself: ``mathcore.verdicts`` says whether the loss went down,
up, or stayed the same at the decimals shown; a story gives the words for each outcome, once, as
a ``Verdict``, and reads from it the subtitle of its beat and the line drawn on screen.

Example::

    LOSS = Verdict({DOWN: ("With the new weights the loss went down.", "the loss went down"),
                    SAME: (...), UP: (...)})
    with self.beat(LOSS.caption(outcome)):
        self.play(FadeIn(LOSS.line(outcome, BODY_SIZE)))
"""

from dataclasses import dataclass

from convprop.scenes.kit.formula import plain
from convprop.scenes.kit.layout import MAX_TEXT_WIDTH, shrink_to_width
from convprop.scenes.kit.style import FOCUS


@dataclass(frozen=True)
class Verdict:
    """Per outcome, (the subtitle of the beat, the short line on screen)."""

    said: dict

    def caption(self, outcome) -> str:
        return self.said[outcome][0]

    def words(self, outcome) -> str:
        return self.said[outcome][1]

    def line(self, outcome, font_size: float):
        """The words on screen, in the focus colour, no wider than a line may be."""
        return shrink_to_width(plain(self.words(outcome), font_size=font_size, color=FOCUS), MAX_TEXT_WIDTH)
