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

A beat that plays several steps (each window of a slide, each weight's step) says one clause
per step, each a ``say`` of its own, and each step starts when its clause does::

    with self.beat("Weight w_1 ...", clauses(say("Take w₁."), say("It was {w1}, ..."), ...)):
        with self.step():   # outline the cell: "Take w₁."
            ...
        with self.step():   # the formula: "It was 0.31, ..."
            ...

so the picture follows the words without listening to them: every clause is synthesised (or
recorded) on its own, and its clip starts with its step. The clauses of a beat are said, and
captioned, as one sentence, their templates joined by a space.

Each beat has a stable id, ``<scene>/<NN>``, its place among its scene's beats from 01; a
clause of a beat of several, ``<scene>/<NN>/<n>``, from 1. The ``Narrator`` of a scene hands
out the ids, keeps the script as it is told (``lines``), applies an edited script's templates
(``templates``) and knows each beat's (or clause's) clip when a voice speaks.
"""

import string
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.numbers import fmt
from convprop.scenes.kit.trace_paths import resolve

PAUSE = 0.4  # seconds of quiet after a beat's speech before the next beat starts
CLAUSE_GAP = 0.25  # seconds of quiet after a clause's speech before the next step of its beat starts
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
    clauses: tuple = ()  # a beat of several steps: one template per step (``template`` is them joined)

    @property
    def parts(self) -> tuple:
        """The templates said one after another: each step's clause, or the one sentence."""
        return self.clauses or (self.template,)

    def texts(self, trace) -> dict[str, str]:
        """Each placeholder's number as the screen writes it."""
        return {name: fmt(resolve(trace, num.path), num.decimals) for name, num in self.values.items()}

    def written_parts(self, trace, templates=None) -> list[str]:
        """Each clause with this lesson's numbers in digits, from ``templates`` (default: its own;
        a string stands for a beat of one clause)."""
        parts = (templates,) if isinstance(templates, str) else tuple(templates or self.parts)
        texts = self.texts(trace)
        return [part.format_map(texts) for part in parts]

    def written(self, trace, templates=None) -> str:
        """The sentence with this lesson's numbers in digits, from ``templates`` (default: its own)."""
        return " ".join(self.written_parts(trace, templates))

    def edited(self, templates) -> "Narration":
        """The same narration saying ``templates`` (one string, or one per clause)."""
        parts = (templates,) if isinstance(templates, str) else tuple(templates)
        return replace(self, template=" ".join(parts), clauses=parts if len(parts) > 1 else ())


def say(template: str, **values: Num) -> Narration:
    """A narration: ``template`` with ``{name}`` for each number of ``values`` (kit.formula.Num)."""
    missing = [name for name in placeholders(template) if name not in values]
    if missing:
        raise ScriptError(f"narration '{template[:40]}…' names {{{missing[0]}}} but binds no number to it")
    return Narration(template, MappingProxyType(dict(values)))


def clauses(*said: Narration) -> Narration:
    """A beat's narration said in steps: one ``say`` per step, in the order the steps play.

    A placeholder may appear in several clauses if it stands for the same number in each."""
    values = {}
    for part in said:
        for name, num in part.values.items():
            if values.setdefault(name, num) != num:
                raise ScriptError(f"clauses '{part.template[:40]}…' bind {{{name}}} to two numbers; "
                                  "give each its own name")
    templates = tuple(part.template for part in said)
    return Narration(" ".join(templates), MappingProxyType(values), clauses=templates if len(templates) > 1 else ())


def clause_ids(beat_id: str, count: int) -> list[str]:
    """The ids a beat's clauses are spoken (and recorded) under: the beat's own for one clause,
    ``<beat>/1``, ``<beat>/2``, ... for several."""
    return [beat_id] if count == 1 else [f"{beat_id}/{n}" for n in range(1, count + 1)]


@dataclass(frozen=True)
class Line:
    """One beat of the script as told: its id, caption, narration, and the sentence with digits."""

    id: str
    caption: str
    narration: Narration
    written: str
    seconds: float = 0.0  # how long the beat played (0: it showed nothing, and says nothing)
    start: float = 0.0  # when it began, in seconds from the scene's start
    clauses: tuple = ()  # each clause as written, in order: one for a beat of one step
    starts: tuple = ()  # when each clause (each step) began, in seconds from the scene's start

    @property
    def template(self) -> str:
        return self.narration.template

    @property
    def clause_ids(self) -> list[str]:
        return clause_ids(self.id, len(self.narration.parts))


@dataclass
class Narrator:
    """Hands out beat ids and keeps the script of one render.

    ``templates``: an edited script's template per beat id (checked beforehand by ``script``).
    ``templates``' entries are a string, or a tuple of one template per clause.
    ``clips``: a voice's clip per clause id (``clause_ids``: a beat's own id when it has one
    clause); a beat with clips speaks them and lasts at least as long.
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
        if beat_id in self.templates:
            narration = narration.edited(self.templates[beat_id])
        parts = tuple(narration.written_parts(trace))
        return Line(beat_id, caption, narration, " ".join(parts), clauses=parts)

    def told(self, line: Line, start: float, seconds: float, starts: tuple = ()) -> None:
        if seconds > 0:
            self.lines.append(replace(line, seconds=seconds, start=start, starts=tuple(starts) or (start,)))
