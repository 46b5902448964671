"""The instructor's own recordings: one file per beat id, in any format ffmpeg reads.

Beat ``weight-update/03`` is spoken by the file ``weight-update-03.*`` of the takes folder
(``/`` becomes ``-``; a clause of a beat, ``weight-update/03/2``, by ``weight-update-03-2.*``).
A take goes through the same trimming and loudness normalisation as the synthetic voices, so
a lecture mixing takes with synthetic sentences plays at one level; the result is cached under
the hash of the recording's bytes, so re-rendering reads each take once.

Refused with one line (``VoiceError``), before any take is used: every missing take, named all
together; two files for one beat; an empty file; a file ffmpeg cannot read; a silent one.
"""

from dataclasses import dataclass, field
from pathlib import Path

from convprop.scenes.voice import sound
from convprop.scenes.voice.clips import Clip, VoiceError
from convprop.scenes.voice.engines import file_hash
from convprop.scenes.voice.voice import Cache, cache_key
from convprop.scenes.workdir import scratch_dir


def take_name(beat: str) -> str:
    """The file stem a beat's take has: 'weight-update/03' -> 'weight-update-03'."""
    return beat.strip("/").replace("/", "-")


@dataclass
class Survey:
    """What a takes folder holds for a list of beats (``convprop script --takes`` prints it)."""

    found: dict[str, Clip] = field(default_factory=dict)  # beat -> its normalised take
    missing: list[str] = field(default_factory=list)
    too_long: dict[str, float] = field(default_factory=dict)  # beat -> seconds over its limit
    unusable: dict[str, str] = field(default_factory=dict)  # beat -> the one-line reason


class Takes:
    """A voice made of recordings."""

    name = "takes"

    def __init__(self, folder: Path, cache: Cache):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise VoiceError(f"--voice takes:{folder}: '{folder}' is not a folder; give the folder of recordings")
        self.cache = cache

    def file(self, beat: str) -> Path | None:
        """The recording for ``beat``; None when there is none, VoiceError when there are two."""
        stem = take_name(beat)
        found = sorted(p for p in self.folder.iterdir() if p.is_file() and p.stem == stem)
        if len(found) > 1:
            raise VoiceError(f"beat {beat} has {len(found)} takes ({', '.join(p.name for p in found)}); "
                             "keep one")
        return found[0] if found else None

    def clip(self, beat: str, path: Path) -> Clip:
        """``path`` trimmed and normalised, from the cache when this recording was seen before."""
        if path.stat().st_size == 0:
            raise VoiceError(f"take '{path}' is empty; record beat {beat} again")
        key = cache_key("take", file_hash(path))
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        with scratch_dir(self.cache.folder) as tmp:
            target = Path(tmp) / f"{key}.wav"
            try:
                sound.normalise(path, target)
            except sound.SoundError as err:
                raise VoiceError(f"take for beat {beat}: {err}; record it again") from None
            return self.cache.put(key, target)

    def say(self, text: str, beat: str = "") -> Clip:
        return self.speak([(beat, text)])[0]

    def speak(self, lines: list[tuple[str, str]]) -> list[Clip]:
        files = {beat: self.file(beat) for beat, _ in lines}
        missing = [take_name(beat) for beat, path in files.items() if path is None]
        if missing:
            shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
            raise VoiceError(f"{len(missing)} take{'s are' if len(missing) > 1 else ' is'} missing from "
                             f"'{self.folder}': {shown}; record them (any format ffmpeg reads, e.g. {missing[0]}.wav)")
        return [self.clip(beat, files[beat]) for beat, _ in lines]

    def survey(self, beats: list[str], longest: dict[str, float] | None = None) -> Survey:
        """Which takes exist, are missing, unusable, or longer than ``longest[beat]`` seconds."""
        survey = Survey()
        for beat in beats:
            try:
                path = self.file(beat)
                if path is None:
                    survey.missing.append(beat)
                    continue
                clip = self.clip(beat, path)
            except VoiceError as err:
                survey.unusable[beat] = str(err)
                continue
            survey.found[beat] = clip
            if longest and beat in longest and clip.seconds > longest[beat]:
                survey.too_long[beat] = clip.seconds - longest[beat]
        return survey
