"""Read the script as the screen is read: every number a narration says is the trace's, as shown.

The scene is told without drawing, and after every play the numbers on screen are noted with
the moment (``tests/scene_check``'s walk of the mobjects: grid numbers and formula numbers).
Then, beat by beat:
- the template types no digit: every number of the sentence is a placeholder (a name's
  subscript, such as w₅, is not a digit);
- the sentence as written holds exactly as many numbers as placeholders, in order, each equal
  to its trace value written at its decimals (formatted here, not by the kit);
- a number with decimals is on screen while the beat plays, with the same digits: the voice
  says what the viewer reads. A whole number (a size, a stride, a filter's number) need only
  equal the trace: the screen may write it as a name's index.
"""

import re
import string

from convprop.scenes.kit.formula import Formula
from convprop.scenes.kit.numbers import NumberLabel
from convprop.scenes.kit.trace_paths import resolve
from convprop.scenes.narration import Narrator
from tests.scene_check import _on_screen, frameless, walk

NUMBER = re.compile(r"[\u2212-]?\d+(?:\.\d+)?")


class ScriptCheckError(AssertionError):
    pass


def as_shown(value: float, decimals: int) -> str:
    """How a number is written at ``decimals`` places: a true minus, never −0.00."""
    text = format(float(value), f".{decimals}f")
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "\u2212")


def shown_numbers(mobjects) -> set[str]:
    """The texts of the numbers among ``mobjects`` (a screen's, as ``_on_screen`` lists them)."""
    texts = set()
    for m in mobjects:
        if isinstance(m, NumberLabel):
            texts.add(m.text)
        elif isinstance(m, Formula):
            texts.update(text for _, _, _, text, _ in m.numbers)
    return texts


def tell_and_watch(scene_cls, trace, narrator=None):
    """The scene's script and, after every play, (time, numbers on screen)."""
    narrator = narrator or Narrator()
    seen = []

    class Watched(scene_cls):
        narrator_factory = staticmethod(lambda: narrator)

        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            seen.append((self.time, shown_numbers(_on_screen(self))))

    with frameless():
        walk(Watched(trace, skip_animations=True))
    return narrator.lines, seen


def check_script(scene_cls, trace, narrator=None) -> int:
    """Raise ScriptCheckError on the first narration number that is not the screen's; return how
    many numbers were checked. ``narrator`` replaces the scene's own (a test's, to misspeak)."""
    lines, seen = tell_and_watch(scene_cls, trace, narrator)
    return check_lines(lines, seen, trace)


def check_lines(lines, seen, trace) -> int:
    """``check_script`` on a script already told: ``lines`` (the narrator's) and ``seen``, the
    (time, numbers on screen) after every play. The screen checker's walk calls it too, so every
    scene it walks has its script read as well, at no second walk's cost."""
    checked = 0
    for line in lines:
        words = re.sub(r"\{[^}]*\}", "", line.template)
        if re.search(r"\d", words):
            raise ScriptCheckError(f"{line.id}: the narration types a number: {line.template!r}")
        names = [name for _, name, _, _ in string.Formatter().parse(line.template) if name is not None]
        said = NUMBER.findall(line.written)
        if len(said) != len(names):
            raise ScriptCheckError(f"{line.id}: says {len(said)} numbers for {len(names)} placeholders: {line.written!r}")
        on_screen = set().union(*(texts for time, texts in seen if line.start < time <= line.start + line.seconds + 1e-9))
        for name, text in zip(names, said):
            num = line.narration.values[name]
            expected = as_shown(resolve(trace, num.path), num.decimals)
            if text != expected:
                raise ScriptCheckError(f"{line.id}: {{{name}}} says {text!r}, the trace at {num.path} is {expected!r}")
            if num.decimals > 0 and text not in on_screen:
                raise ScriptCheckError(f"{line.id}: says {text} ({{{name}}}), which the screen does not show "
                                       f"during the beat")
            checked += 1
    return checked
