"""What a voice hands back, and the one error every voice raises.

A ``Clip`` is a finished piece of the sound track: a 48 kHz mono WAV, silence trimmed, at
-16 LUFS (see ``sound``), and its length in seconds, which a beat waits for.
"""

from dataclasses import dataclass
from pathlib import Path


class VoiceError(ValueError):
    """A voice cannot be used, or a recording is unusable; the message is one line with the fix.

    The command line prints it as ``Error: ...`` and exits with status 2.
    """


@dataclass(frozen=True)
class Clip:
    path: Path
    seconds: float
