"""A voice's sentences are said in its language: a French voice hears French numbers.

``spoken`` knows the words (tests/test_spoken.py); here the render's plan hands it the voice's
language: espeak-ng's ``--language``, a Piper model's own (its config's phoneme voice).
"""

from convprop.mathcore.lesson import run_lesson
from convprop.scenes.narrated import plan_for
from convprop.scenes.registry import SCENES
from convprop.scenes.voice import choose_voice


def test_each_voice_knows_its_language(tmp_path):
    assert choose_voice("espeak-ng", cache=tmp_path, language="fr").language == "fr"
    assert choose_voice("espeak-ng", cache=tmp_path).language.startswith("en")
    assert choose_voice("piper", cache=tmp_path).language == "en-us"  # en_US-joe-medium's config


def test_a_french_voice_is_given_french_numbers(tmp_path, monkeypatch):
    voice = choose_voice("espeak-ng", cache=tmp_path, language="fr")
    heard = []

    def speak(lines):
        heard.extend(text for _, text in lines)
        return [None] * len(lines)

    monkeypatch.setattr(voice, "speak", speak)  # what reaches the engine, not the sound it makes
    plan_for(SCENES["loss-gradient"], run_lesson(), voice=voice)
    said = " ".join(heard)
    # the default lesson's ŷ is 0.736 (tests/test_spoken.py holds the words to a French teacher's)
    assert "zéro virgule sept trois six" in said and "chapeau" in said, said
    assert "zero point" not in said and " hat" not in said, said
