"""Narration in the beats: stable ids, templates bound to the trace, stories not yet written marked.

The scenes are told without drawing (``scenes.script.tell``); what they say is checked against
the trace here with the test's own formatting of the numbers (``format`` with fixed decimals and
a true minus), not with the code that wrote the sentences.
"""

import re
import string

import pytest

from convprop.mathcore.config import ModelConfig
from convprop.mathcore.lesson import run_lesson
from convprop.scenes.kit.formula import Num
from convprop.scenes.kit.trace_paths import resolve
from convprop.scenes.narration import ScriptError, say
from convprop.scenes.registry import SCENES
from convprop.scenes.script import NOT_WRITTEN, document, tell
from convprop.scenes.story import Story, StoryScene
from convprop.scenes.voice import spoken
from tests.lecture_walk import lecture_walk

pytestmark = pytest.mark.xdist_group("narration")  # it reads the lecture's walk (tests/lecture_walk.py): on its worker

WRITTEN = ("weight-update", "forward-pass", "loss-gradient", "learning-rate", "mlp-worked-example", "cnn-pipeline")


class UnwrittenStory(Story):
    """A story whose beat has no narration yet: a library user's, say, or one being written."""
    name = "unwritten"
    draws_input = False

    def tell(self):
        with self.beat("A caption with no narration."):
            self.show_title("Not yet narrated")


class UnwrittenScene(StoryScene):
    story = UnwrittenStory


@pytest.fixture(scope="module")
def lesson():
    return lecture_walk()[0]


@pytest.fixture(scope="module")
def told(lesson):
    """Each written story's lines as the lecture's walk told them (tests/lecture_walk.py), and
    the unwritten story's."""
    lines = lecture_walk()[2]
    return ({name: [line for line in lines if line.id.startswith(f"{name}/")] for name in WRITTEN}
            | {"unwritten": tell(UnwrittenScene, lesson)})


def as_shown(value: float, decimals: int) -> str:
    text = format(value, f".{decimals}f")
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "\u2212")


def test_beat_ids_are_the_scene_and_a_two_digit_count(told, lesson):
    for name, lines in told.items():
        ids = [line.id for line in lines]
        assert len(set(ids)) == len(ids)
        assert all(re.fullmatch(rf"{name}/\d\d", i) for i in ids), ids
        numbers = [int(i.rsplit("/", 1)[1]) for i in ids]
        assert numbers == sorted(numbers) and numbers[0] == 1
    for name in WRITTEN[:2]:  # told again: the same ids
        assert [line.id for line in told[name]] == [line.id for line in tell(SCENES[name], lesson)]


def test_written_stories_say_full_sentences_with_no_typed_digit(told, lesson):
    for name in WRITTEN:
        for line in told[name]:
            assert line.narration.written_by_teacher, line.id
            assert line.template != line.caption
            words = re.sub(r"\{[^}]*\}", "", line.template)  # the placeholders' names may hold digits
            assert not re.search(r"[0-9]", words), f"{line.id} types a number: {line.template}"
            names = [f for _, f, _, _ in string.Formatter().parse(line.template) if f is not None]
            assert set(names) == set(line.narration.values), line.id
            expected = line.template.format(**{n: as_shown(resolve(lesson, v.path), v.decimals)
                                               for n, v in line.narration.values.items()})
            assert line.written == expected
            assert line.written.rstrip().endswith((".", "?")), line.id


def test_the_update_says_the_worked_weights_numbers(told, lesson):
    weights = [line for line in told["weight-update"] if line.written.startswith("Take w")]
    assert len(weights) == 2
    first = weights[0]
    n = lesson.conv_grad.channel_weight_gradients[0][0][lesson.explained_weights[0][0]].number
    k = lesson.explained_weights[0][0]
    r, c = divmod(k, lesson.conv.kernel.shape[1])
    w, g, new = lesson.values.W[0, 0][r, c], lesson.conv_grad.dL_dW[0, 0][r, c], lesson.W_updated[0, 0][r, c]
    assert new == pytest.approx(w - lesson.learning_rate * g)  # the oracle of the step, not the story's text
    assert f"{as_shown(g, 3)}" in first.written and f"{as_shown(new, 3)}" in first.written
    assert ("up" if g < 0 else "down") in first.written.split("moves it ")[1]
    assert "w" + str(n).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")) in first.written


def test_other_stories_speak_their_captions_marked_not_yet_written(told, lesson):
    lines = told["unwritten"]
    assert lines and all(not line.narration.written_by_teacher for line in lines)
    assert all(line.written == line.caption for line in lines)
    doc = document(lines, lesson, "unwritten")
    assert {beat["status"] for beat in doc["beats"]} == {NOT_WRITTEN}


def test_a_layer_update_is_narrated_too():
    lesson = run_lesson(ModelConfig(channels=2, filters=2, input_size=(4, 4), kernel_size=(2, 2), stride=(1, 1)))
    lines = tell(SCENES["weight-update"], lesson)
    assert all(line.narration.written_by_teacher for line in lines)
    # with two channels, filter 1 has a kernel left to step as well as filter 2
    filters = [line.written.split(":")[0] for line in lines if re.match(r"Filter \d+:", line.written)]
    assert filters == ["Filter 1", "Filter 2"]


def test_a_template_must_bind_every_placeholder():
    with pytest.raises(ScriptError, match=r"\{w5\}"):
        say("w₅ was {w5}.")
    with pytest.raises(ScriptError, match="not a name"):
        say("w₅ was {w5:.2f}.", w5=Num(("learning_rate",), 1))


def test_spoken_keeps_possessives_whole():
    assert spoken("filter 1's bias and the input's cells") == "filter one's bias and the input's cells"
