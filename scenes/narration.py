"""What the teacher says at each beat: sentences written with named placeholders for numbers.

The caption of a beat is the short line on screen; its narration is what a teacher says at that
moment, in full sentences, with this lesson's numbers. A narration is written once, as a
template whose numbers are placeholders bound to the trace, each at the decimals the screen
shows it with::

    say("w₅ was {w5}. Its gradient is {dL_dw5}, so it moves up to {w5_new}.",
        w5=Num(("values", "W", 0, 0, (1, 1)), 2), dL_dw5=Num(...), w5_new=Num(...))

so the sentence says exactly the digits drawn (``kit.numbers.fmt`` writes both), and an edited
or translated copy of the template (``convprop script``, ``--script FILE``) still speaks this
lesson's numbers. A beat given no narration speaks its caption and is marked not yet written.

Each beat has a stable id, ``<scene>/<NN>``, its place among its scene's beats from 01. The
``Narrator`` of a scene hands out the ids, keeps the script as it is told (``lines``), applies
an edited script's templates (``templates``) and knows each beat's clip when a voice speaks.
"""

import string
from dataclasses import dataclass, field
from types import MappingProxyType

from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.numbers import fmt
from convprop.scenes.kit.trace_paths import resolve

PAUSE = 0.4  # seconds of quiet after a beat's speech before the next beat starts
SUBSCRIPT_DIGITS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def subscript(index: int) -> str:
    """A name's index as written under it: 5 -> '₅', 12 -> '₁₂' (a name, not a value)."""
    return str(index).translate(SUBSCRIPT_DIGITS)


class ScriptError(ValueError):
    """A narration template that cannot be said: one line naming the beat and the placeholder."""


def placeholders(template: str) -> list[str]:
    """The placeholder names of ``template`` in order; ScriptError for a format spec or a bad brace."""
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as err:
        raise ScriptError(f"'{template[:40]}…' has an unmatched brace ({err}); write placeholders as {{name}}") from None
    names = []
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ScriptError(f"placeholder {{{name}{'!' + conversion if conversion else ''}"
                              f"{':' + spec if spec else ''}}} is not a name; write it as {{name}}")
        names.append(name)
    return names


@dataclass(frozen=True)
class Narration:
    """A sentence template and the trace numbers its placeholders stand for."""

    template: str
    values: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    written_by_teacher: bool = True  # False: the caption stands in until a teacher writes it

    def texts(self, trace) -> dict[str, str]:
        """Each placeholder's number as the screen writes it."""
        return {name: fmt(resolve(trace, num.path), num.decimals) for name, num in self.values.items()}

    def written(self, trace, template: str | None = None) -> str:
        """The sentence with this lesson's numbers in digits, from ``template`` (default: its own)."""
        return (template or self.template).format_map(self.texts(trace))


def say(template: str, **values: Num) -> Narration:
    """A narration: ``template`` with ``{name}`` for each number of ``values`` (kit.formula.Num)."""
    missing = [name for name in placeholders(template) if name not in values]
    if missing:
        raise ScriptError(f"narration '{template[:40]}…' names {{{missing[0]}}} but binds no number to it")
    return Narration(template, MappingProxyType(dict(values)))


@dataclass(frozen=True)
class Line:
    """One beat of the script as told: its id, caption, narration, and the sentence with digits."""

    id: str
    caption: str
    narration: Narration
    written: str
    seconds: float = 0.0  # how long the beat played (0: it showed nothing, and says nothing)
    start: float = 0.0  # when it began, in seconds from the scene's start

    @property
    def template(self) -> str:
        return self.narration.template


@dataclass
class Narrator:
    """Hands out beat ids and keeps the script of one render.

    ``templates``: an edited script's template per beat id (checked beforehand by ``script``).
    ``clips``: a voice's clip per beat id; a beat with a clip speaks it and lasts at least as long.
    ``narrated``: captions are the narration's sentences instead of the short captions.
    """

    templates: dict = field(default_factory=dict)
    clips: dict = field(default_factory=dict)
    narrated: bool = False
    lines: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    def next_id(self, scene_name: str) -> str:
        self.counts[scene_name] = self.counts.get(scene_name, 0) + 1
        return f"{scene_name}/{self.counts[scene_name]:02}"

    def line(self, beat_id: str, caption: str, narration: Narration | None, trace) -> Line:
        narration = narration or Narration(caption, written_by_teacher=False)
        return Line(beat_id, caption, narration, narration.written(trace, self.templates.get(beat_id)))

    def told(self, line: Line, start: float, seconds: float) -> None:
        if seconds > 0:
            self.lines.append(Line(line.id, line.caption, line.narration, line.written, seconds, start))
