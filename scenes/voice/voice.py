"""A voice: a line of narration in, a finished clip and its length out; each clip made once.

Every voice answers ``speak(lines)``, where a line is ``(beat id, spoken text)``, with one
``Clip`` per line, in order. A synthetic voice ignores the beat id; the instructor's takes
(``takes.Takes``) ignore the text and look the beat id up in their folder.

Clips are cached in a folder, each under a hash of everything it depends on: the spoken text,
the engine's identity (program, version, voice model's hash) and the sound settings. Rendering
again, at another quality or in another process, synthesises nothing it has already said; a
changed sentence synthesises only itself. Uncached lines go to the engine in one batch. A clip
is written into a scratch folder inside the cache and renamed into place, so parallel renders
sharing the cache never see half a file.
"""

import hashlib
import json
import os
from pathlib import Path

from convprop.scenes.voice import sound
from convprop.scenes.voice.clips import Clip, VoiceError
from convprop.scenes.workdir import scratch_dir


def cache_key(*parts: str) -> str:
    return hashlib.sha256(json.dumps([*parts, sound.SETTINGS]).encode()).hexdigest()[:40]


def default_cache() -> Path:
    """Where clips are kept when no folder is given: the user's cache folder."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "convprop" / "voice"


class Cache:
    """A folder of finished clips, named by key."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder is not None else default_cache()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise VoiceError(f"cannot make the voice cache '{self.folder}' ({err.strerror}); "
                             "give a folder that can be written") from None

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.wav"

    def get(self, key: str) -> Clip | None:
        path = self.path(key)
        return Clip(path, sound.duration(path)) if path.is_file() else None

    def put(self, key: str, normalised: Path) -> Clip:
        os.replace(normalised, self.path(key))
        return self.get(key)


class Voice:
    """A synthetic voice (an engine of ``engines``) with its clip cache."""

    def __init__(self, engine, cache: Cache):
        self.engine = engine
        self.cache = cache
        self.name = engine.name
        self.language = engine.language  # what its sentences are said in (``spoken``)

    def say(self, text: str, beat: str = "") -> Clip:
        return self.speak([(beat, text)])[0]

    def speak(self, lines: list[tuple[str, str]]) -> list[Clip]:
        identity = self.engine.identity
        keys = [cache_key(identity, text) for _, text in lines]
        clips = {key: self.cache.get(key) for key in keys}
        todo = list(dict.fromkeys(key for key in keys if clips[key] is None))
        if todo:
            texts = {key: text for key, (_, text) in zip(keys, lines)}
            with scratch_dir(self.cache.folder) as tmp:
                raw = self.engine.synthesise([texts[key] for key in todo], Path(tmp))
                for key, source in zip(todo, raw):
                    target = Path(tmp) / f"{key}.wav"
                    sound.normalise(source, target)
                    clips[key] = self.cache.put(key, target)
        return [clips[key] for key in keys]
