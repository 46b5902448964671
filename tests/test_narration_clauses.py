"""A beat said in clauses, one per step: each step starts when its clause starts.

The timing is checked against sums worked out here by hand from the steps' own lengths and the
clips' lengths (a clip is never played while a scene is told, so its file need not exist): a
step waits for the clause before it and a short gap, a beat for its last clause and the pause;
told silent, nothing waits. Takes are real audio files made by ffmpeg (tones with silence
between them): one file per clause, or one per beat with its clause starts in TOML beside it,
cut at those starts; their clips' lengths are measured from the WAVs written.
"""

import subprocess
from pathlib import Path

import pytest

from convprop.mathcore.lesson import run_lesson
from convprop.scenes.kit.formula import Num
from convprop.scenes.narration import CLAUSE_GAP, PAUSE, ScriptError, clauses, say
from convprop.scenes.script import tell
from convprop.scenes.story import Story, StoryScene
from convprop.scenes.voice import Cache, Takes, VoiceError
from convprop.scenes.voice.sound import LEAD, duration

STEPS = (1.0, 0.2, 0.5)  # how long each step of the first beat animates, silent


class ClausedStory(Story):
    """Two beats: one of three steps, each with its clause, then one of a single sentence."""
    name = "claused"
    draws_input = False
    played = STEPS

    def tell(self):
        with self.beat("Three steps.", clauses(say("One."), say("Two is {alpha}.", alpha=Num(("learning_rate",), 1)),
                                               say("Three."))):
            for seconds in self.played:
                with self.step():
                    self.wait(seconds)
        with self.beat("One sentence.", say("Just one.")):
            self.wait(0.3)


class ClausedScene(StoryScene):
    story = ClausedStory


class OneStepShort(ClausedStory):
    played = STEPS[:2]


class OneStepShortScene(StoryScene):
    story = OneStepShort


class Clip:
    def __init__(self, seconds):
        self.path, self.seconds = Path("never-played.wav"), seconds


@pytest.fixture(scope="module")
def lesson():
    return run_lesson()


def test_silent_steps_start_when_the_one_before_ends(lesson):
    first, second = tell(ClausedScene, lesson)
    assert first.starts == pytest.approx((0.0, 1.0, 1.2)) and first.seconds == pytest.approx(sum(STEPS))
    assert first.clause_ids == ["claused/01/1", "claused/01/2", "claused/01/3"]
    assert first.written == f"One. Two is {lesson.learning_rate:.1f}. Three." and len(first.clauses) == 3
    assert second.starts == (second.start,) and second.start == pytest.approx(1.7)


def test_each_step_waits_for_the_clause_before_it(lesson):
    clips = {"claused/01/1": Clip(0.5), "claused/01/2": Clip(2.0), "claused/01/3": Clip(0.4), "claused/02": Clip(1.0)}
    first, second = tell(ClausedScene, lesson, clips=clips)
    # step 2: its step's 1.0 s outlasts clause 1 (0.5 + gap); step 3: clause 2 outlasts 0.2 s of picture
    two = 1.0
    three = max(two + STEPS[1], two + 2.0 + CLAUSE_GAP)
    assert first.starts == pytest.approx((0.0, two, three))
    end = max(three + STEPS[2], three + 0.4 + PAUSE)
    assert first.seconds == pytest.approx(end)
    assert second.start == pytest.approx(end) and second.seconds == pytest.approx(1.0 + PAUSE)


def test_a_beat_playing_fewer_steps_than_clauses_is_refused(lesson):
    with pytest.raises(ScriptError, match="claused/01 has 3 clauses but played 2 steps"):
        tell(OneStepShortScene, lesson)


def tones(target: Path, parts: list[tuple[str, float]]) -> Path:
    """A WAV of ``parts``: ('tone', seconds) a 440 Hz sine, ('quiet', seconds) silence."""
    inputs, labels = [], []
    for i, (kind, seconds) in enumerate(parts):
        source = f"sine=frequency=440:duration={seconds}" if kind == "tone" else f"anullsrc=r=48000:cl=mono:d={seconds}"
        inputs += ["-f", "lavfi", "-i", source]
        labels.append(f"[{i}:a]aformat=sample_rates=48000:channel_layouts=mono[a{i}]")
    joined = "".join(f"[a{i}]" for i in range(len(parts)))
    subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-y", *inputs, "-filter_complex",
                    ";".join(labels) + f";{joined}concat=n={len(parts)}:v=0:a=1[out]", "-map", "[out]", str(target)],
                   check=True, capture_output=True)
    return target


LINES = [("claused/01/1", ""), ("claused/01/2", ""), ("claused/01/3", ""), ("claused/02", "")]
SAID = (0.5, 0.8, 0.3)  # seconds each clause's tone lasts


def spoken_length(clip) -> float:
    """A clip's sound without the LEAD of silence the trimming keeps at either end."""
    return duration(clip.path) - 2 * LEAD


def test_takes_one_file_per_clause(tmp_path):
    folder = tmp_path / "takes"
    folder.mkdir()
    for n, seconds in enumerate(SAID, 1):
        tones(folder / f"claused-01-{n}.wav", [("quiet", 0.3), ("tone", seconds), ("quiet", 0.2)])
    tones(folder / "claused-02.wav", [("quiet", 0.2), ("tone", 1.0), ("quiet", 0.2)])
    takes = Takes(folder, Cache(tmp_path / "cache"))
    clips = takes.speak(LINES)
    assert [spoken_length(c) for c in clips] == pytest.approx([*SAID, 1.0], abs=0.03)
    (folder / "claused-01-2.wav").unlink()
    survey = takes.survey(["claused/01"], {}, {"claused/01": [5.0, 5.0, 5.0]})
    assert "claused-01-2" in survey.unusable["claused/01"] and survey.status("claused/01") == "unusable"


def test_takes_one_file_per_beat_cut_at_its_listed_starts(tmp_path):
    folder = tmp_path / "takes"
    folder.mkdir()
    tones(folder / "claused-01.wav", [("quiet", 0.2), ("tone", SAID[0]), ("quiet", 0.5), ("tone", SAID[1]),
                                       ("quiet", 0.5), ("tone", SAID[2]), ("quiet", 0.4)])
    tones(folder / "claused-02.wav", [("quiet", 0.2), ("tone", 1.0), ("quiet", 0.2)])
    starts = folder / "claused-01.starts.toml"
    starts.write_text("# when each clause starts, in seconds\nstarts = [0.0, 1.1, 2.35]\n", encoding="utf-8")
    takes = Takes(folder, Cache(tmp_path / "cache"))
    clips = takes.speak(LINES)
    assert [spoken_length(c) for c in clips] == pytest.approx([*SAID, 1.0], abs=0.03)
    assert takes.strays(["claused/01", "claused/02"]) == []  # the starts file is no stray recording
    # `script --takes`: the beat is found whole; its last clause overruns a room of 0.2 s
    survey = takes.survey(["claused/01", "claused/02"], {"claused/02": 5.0}, {"claused/01": [5.0, 5.0, 0.2]})
    assert list(survey.found) == ["claused/01", "claused/02"] and survey.files["claused/01"].name == "claused-01.wav"
    assert survey.too_long == {"claused/01": pytest.approx(SAID[2] + 2 * LEAD - 0.2, abs=0.03)}
    for text, message in (("starts = [0.0, 1.1]", "lists 2 starts for a beat said in 3 clauses"),
                          ("starts = [0.0, 2.35, 1.1]", "increasing"),
                          ("starts = [0.0, 1.1, 9.0]", "after the take ends"),
                          ("starts = 0.0, 1.1", "is not a starts file")):
        starts.write_text(text, encoding="utf-8")
        with pytest.raises(VoiceError, match=message) as err:
            takes.speak(LINES)
        assert "\n" not in str(err.value)
    starts.unlink()
    with pytest.raises(VoiceError, match="claused-01.starts.toml"):
        takes.speak(LINES)
