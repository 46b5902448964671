"""One version of the exercises: its questions and the document both PDFs are made from."""

import shlex
from dataclasses import dataclass

from convprop.exercises import document, references, topics
from convprop.exercises.questions import Asker, Question
from convprop.exercises.sources import CommandArgs, Sources
from convprop.exercises.topics.common import Picker
from convprop.exercises.topics.givens import cnn_givens
from convprop.exercises.topics.layer import layer_givens

TITLE = "Backpropagation by hand"
OWN_GIVENS = ("mlp", "learning-rate")  # topics of their own network, not the CNN the Given section describes


@dataclass(frozen=True)
class Sheet:
    seed: int
    questions: tuple[Question, ...]
    doc: dict  # the full document; see document.for_worksheet and document.for_key
    args: CommandArgs
    topics: tuple[str, ...]
    # per question id, what the sheet gives for it (the Given section and its own section's
    # givens, numbers and all), so that a quiz question can stand alone
    contexts: dict

    @property
    def command(self) -> str:
        return command_line(self.args, self.topics)


def command_line(args: CommandArgs, chosen) -> str:
    """The command that makes this version again, ready to paste into a shell."""
    return shlex.join(["convprop", "exercises", *args.exercises, "--topics", ",".join(chosen)])


def make_sheet(lesson, chosen: tuple[str, ...], args: CommandArgs) -> Sheet:
    sources = Sources.of(lesson)
    seed = lesson.model.config.seed
    pick = Picker(seed)
    sections, questions, contexts = [], [], {}
    config = lesson.model.config
    givens = []
    if any(t in topics.CNN_TOPICS for t in chosen):
        sections.append(cnn_givens(sources) if config.is_single_channel else layer_givens(sources))
        givens = document.given_blocks(sections[0])
    for number, topic in enumerate(chosen, start=1):
        module = topics.module(topic, config)
        ask = Asker(sources, topic, number)
        sections.append(document.section(f"{number}. {module.TITLE}", module.blocks(ask, sources, pick)))
        questions.extend(ask.questions)
        shared = givens if topic not in OWN_GIVENS else []
        contexts.update((q.id, (*shared, *document.given_blocks(sections[-1]))) for q in ask.questions)
    footer = f"Seed {seed}. Made again by: {command_line(args, chosen)}"
    doc = document.document(TITLE, f"Seed {seed}", footer, references.refer(sections, questions), key=True)
    return Sheet(seed=seed, questions=tuple(questions), doc=doc, args=args, topics=chosen, contexts=contexts)
