"""A question: what is asked, where its answer comes from, and how it is printed.

``Asker.ask`` reads the answer from the command's JSON by its path (see ``sources``) and never
computes it; the printed form and the tolerance follow from that value (see ``numbers``).
"""

from dataclasses import dataclass

from convprop.exercises import numbers
from convprop.exercises.sources import Sources


@dataclass(frozen=True)
class Question:
    id: str  # unique within a seed, e.g. "chain-rule.term-3"
    topic: str
    number: str  # the label of its box on the sheets, e.g. "3.2"
    prompt: str  # plain text, for the quiz
    answer: float  # full precision, as the command prints it
    shown: str  # as printed in the answer key
    tolerance: float
    command: str  # "compute", "compute mlp" or "compute learning-rate"
    path: str  # where the answer is in that command's JSON


class Asker:
    """Numbers the questions of one section (3.1, 3.2, ...) as they are asked."""

    def __init__(self, sources: Sources, topic: str, section: int):
        self.sources, self.topic, self.section = sources, topic, section
        self.questions: list[Question] = []

    def ask(self, key: str, prompt: str, path: str, command: str = "compute", whole: bool = False) -> Question:
        value = self.sources.value(command, path)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{command} {path} is {value!r}, not a number")
        number = f"{self.section}.{len(self.questions) + 1}"
        question = Question(
            id=f"{self.topic}.{key}", topic=self.topic, number=number,
            prompt=prompt,
            answer=value,
            shown=numbers.whole(value) if whole else numbers.shown(value),
            tolerance=0.5 if whole else numbers.tolerance(value),
            command=command, path=path,
        )
        self.questions.append(question)
        return question
