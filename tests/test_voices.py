"""Real synthesis with Piper and espeak-ng, the instructor's takes, and the clip cache.

Every clip is checked by ffmpeg and ffprobe, not by the code that made it: ffprobe gives the
sample rate and the duration, ``ebur128`` the loudness, ``silencedetect`` when speech starts.
"""

import ast
import re
import subprocess
from pathlib import Path

import pytest

from convprop.scenes.voice import VoiceError, choose_voice, spoken

ROOT = Path(__file__).resolve().parent.parent
SENTENCES = [
    ("weight-update/01", spoken("w5 was 0.31. Its gradient is −0.12.")),
    ("weight-update/02", spoken("So dL/dw5 moves it up by 0.012.")),
    ("weight-update/03", spoken("Good.")),
]


def probe(path: Path) -> tuple[int, float, int]:
    """ffprobe's sample rate, duration and channel count of an audio file."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                          "stream=sample_rate,duration,channels", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True).stdout.strip().split(",")
    fields = dict(zip(["sample_rate", "channels", "duration"], out))
    return int(fields["sample_rate"]), float(fields["duration"]), int(fields["channels"])


def integrated_loudness(path: Path) -> float:
    """ebur128's integrated loudness; a clip shorter than its 0.4 s block is played in a loop."""
    loop = ["-stream_loop", "-1", "-t", "6"] if probe(path)[1] < 0.5 else []
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", *loop, "-i", str(path), "-af", "ebur128", "-f",
                          "null", "-"], capture_output=True, text=True).stderr
    return float(re.search(r"Summary:.*?I:\s+(-?[0-9.]+) LUFS", err, re.S).group(1))


def speech_starts(path: Path) -> float:
    """The first moment silencedetect (-50 dB, 20 ms) does not call silence."""
    err = subprocess.run(["ffmpeg", "-hide_banner", "-nostdin", "-i", str(path), "-af",
                          "silencedetect=n=-50dB:d=0.02", "-f", "null", "-"], capture_output=True, text=True).stderr
    starts = [float(x) for x in re.findall(r"silence_start: (-?[0-9.]+)", err)]
    ends = [float(x) for x in re.findall(r"silence_end: ([0-9.]+)", err)]
    return ends[0] if starts and starts[0] <= 0.001 else 0.0


def counting(voice) -> list[str]:
    """Record every text the voice's engine is asked to synthesise."""
    asked, synthesise = [], voice.engine.synthesise

    def wrapped(texts, folder):
        asked.extend(texts)
        return synthesise(texts, folder)
    voice.engine.synthesise = wrapped
    return asked


@pytest.fixture(scope="module", params=["piper", "espeak-ng"])
def spoken_clips(request, tmp_path_factory):
    cache = tmp_path_factory.mktemp(f"cache-{request.param}")
    voice = choose_voice(request.param, cache=cache)
    asked = counting(voice)
    return request.param, cache, voice.speak(SENTENCES), asked


def test_each_clip_is_a_48khz_file_of_the_reported_length(spoken_clips):
    _, _, clips, _ = spoken_clips
    assert len(clips) == len(SENTENCES)
    for clip in clips:
        rate, seconds, channels = probe(clip.path)
        assert (rate, channels) == (48_000, 1)
        assert clip.seconds == pytest.approx(seconds, abs=0.002)
        assert clip.seconds > 0.3


def test_each_clip_is_at_minus_16_lufs(spoken_clips):
    for clip in spoken_clips[2]:
        assert integrated_loudness(clip.path) == pytest.approx(-16.0, abs=1.0), clip


def test_speech_starts_with_the_clip(spoken_clips):
    for clip in spoken_clips[2]:
        assert speech_starts(clip.path) <= 0.15, clip


def test_longer_sentences_make_longer_clips(spoken_clips):
    seconds = [clip.seconds for clip in spoken_clips[2]]
    assert seconds[2] < seconds[0] and seconds[2] < seconds[1]  # "Good." is the shortest


def test_a_second_render_synthesises_nothing_and_a_changed_sentence_only_itself(spoken_clips):
    kind, cache, first, asked = spoken_clips
    assert asked == [text for _, text in SENTENCES]  # all three at first, in one batch
    again = choose_voice(kind, cache=cache)
    asked_again = counting(again)
    assert [c.path for c in again.speak(SENTENCES)] == [c.path for c in first]
    assert asked_again == []
    changed = [SENTENCES[0], (SENTENCES[1][0], spoken("So dL/dw5 moves it up by 0.013.")), SENTENCES[2]]
    clips = again.speak(changed)
    assert asked_again == [changed[1][1]]
    assert clips[0].path == first[0].path and clips[1].path != first[1].path


def test_another_voice_does_not_share_clips(tmp_path):
    text = [("a/01", "The same words.")]
    piper = choose_voice("piper", cache=tmp_path).speak(text)[0]
    espeak = choose_voice("espeak-ng", cache=tmp_path).speak(text)[0]
    german = choose_voice("espeak-ng", cache=tmp_path, language="de").speak(text)[0]
    assert len({piper.path, espeak.path, german.path}) == 3


@pytest.mark.parametrize("spec, language, named", [
    ("festival", None, "'festival' is not a voice"),
    ("piper:missing.onnx", None, "missing.onnx"),
    ("espeak-ng", "xx-nowhere", "xx-nowhere"),
    ("espeak-ng", "not a code", "not a code"),
    ("piper", "de", "--language applies to --voice espeak-ng"),
    ("takes:no-such-folder", None, "no-such-folder"),
    ("takes:", None, "is not a voice"),
])
def test_a_bad_voice_is_refused_in_one_line(tmp_path, spec, language, named):
    with pytest.raises(VoiceError) as err:
        choose_voice(spec, cache=tmp_path, language=language)
    assert named in str(err.value) and "\n" not in str(err.value)


def test_a_piper_voice_without_its_config_is_refused(tmp_path):
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"not a model")
    with pytest.raises(VoiceError, match="voice.onnx.json"):
        choose_voice(f"piper:{model}", cache=tmp_path / "cache")


def ffmpeg(*args) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-y", *map(str, args)], check=True)


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    """A real voice, as an instructor might record it: 44.1 kHz stereo MP3, a second of room
    silence before and after the words."""
    folder = tmp_path_factory.mktemp("recording")
    said = choose_voice("espeak-ng", cache=folder / "cache").say("The loss falls as the weight moves.")
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo:d=1", "-i", said.path,
           "-f", "lavfi", "-i", "anullsrc=r=44100:cl=stereo:d=1",
           "-filter_complex", "[1]aformat=sample_rates=44100:channel_layouts=stereo[s];[0][s][2]concat=n=3:v=0:a=1",
           "-c:a", "libmp3lame", folder / "take.mp3")
    return folder / "take.mp3", said.seconds


def test_a_take_is_trimmed_levelled_and_resampled(tmp_path, recording):
    source, spoken_seconds = recording
    takes = tmp_path / "takes"
    takes.mkdir()
    (takes / "weight-update-01.mp3").write_bytes(source.read_bytes())
    voice = choose_voice(f"takes:{takes}", cache=tmp_path / "cache")
    clip = voice.speak([("weight-update/01", "whatever the script says")])[0]
    assert probe(clip.path)[0::2] == (48_000, 1)
    assert integrated_loudness(clip.path) == pytest.approx(-16.0, abs=1.0)
    assert speech_starts(clip.path) <= 0.15
    assert clip.seconds == pytest.approx(spoken_seconds, abs=0.15)  # the two silent seconds are gone
    assert probe(source)[1] > spoken_seconds + 1.9
    again = choose_voice(f"takes:{takes}", cache=tmp_path / "cache")
    assert again.say("", beat="weight-update/01").path == clip.path


@pytest.fixture
def takes_folder(tmp_path, recording):
    folder = tmp_path / "takes"
    folder.mkdir()
    (folder / "intro-01.mp3").write_bytes(recording[0].read_bytes())
    (folder / "intro-02.wav").write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt garbage that is no audio")
    (folder / "intro-03.wav").write_bytes(b"")
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono:d=2", folder / "intro-04.wav")
    return folder


@pytest.mark.parametrize("beat, named, problem", [
    ("intro/02", "intro-02.wav", "cannot be read as audio"),
    ("intro/03", "intro-03.wav", "is empty"),
    ("intro/04", "intro-04.wav", "is silent"),
])
def test_an_unusable_take_is_refused_naming_it(tmp_path, takes_folder, beat, named, problem):
    voice = choose_voice(f"takes:{takes_folder}", cache=tmp_path / "cache")
    with pytest.raises(VoiceError) as err:
        voice.speak([("intro/01", ""), (beat, "")])
    message = str(err.value)
    assert named in message and problem in message and "\n" not in message


def test_missing_takes_are_named_together(tmp_path, takes_folder):
    voice = choose_voice(f"takes:{takes_folder}", cache=tmp_path / "cache")
    with pytest.raises(VoiceError) as err:
        voice.speak([("intro/01", ""), ("intro/05", ""), ("weight-update/07", "")])
    assert "2 takes are missing" in str(err.value)
    assert "intro-05, weight-update-07" in str(err.value)


def test_two_takes_for_one_beat_are_refused(tmp_path, takes_folder):
    (takes_folder / "intro-01.wav").write_bytes(b"")
    voice = choose_voice(f"takes:{takes_folder}", cache=tmp_path / "cache")
    with pytest.raises(VoiceError, match=r"intro-01\.mp3, intro-01\.wav"):
        voice.speak([("intro/01", "")])


def test_the_survey_sorts_takes(tmp_path, takes_folder, recording):
    voice = choose_voice(f"takes:{takes_folder}", cache=tmp_path / "cache")
    beats = ["intro/01", "intro/02", "intro/03", "intro/04", "intro/05"]
    survey = voice.survey(beats, longest={"intro/01": 1.0})
    assert list(survey.found) == ["intro/01"] and survey.missing == ["intro/05"]
    assert sorted(survey.unusable) == ["intro/02", "intro/03", "intro/04"]
    assert survey.too_long["intro/01"] == pytest.approx(recording[1] - 1.0, abs=0.15)


def test_convprop_never_imports_piper():
    """Piper is GPL-3.0: convprop runs it as a program; none of its modules imports it."""
    for path in ROOT.glob("**/*.py"):
        if any(part.startswith(".") or part in ("build", "tests", "benchmarks") for part in path.relative_to(ROOT).parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n == "piper" or n.startswith("piper.") for n in names), path
