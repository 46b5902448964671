"""A scene that says its narration: an edited script applied, and a voice's clips timed to the beats.

Before a frame is drawn the scene is told once without drawing (``script.tell``): that gives
every beat that shows something, its id and its sentence with this lesson's numbers. An edited
script (``--script FILE``) is checked against those beats; a voice (``--voice``) then speaks
every sentence in one batch, from its clip cache where it can. The scene that renders knows
each beat's clip (``narration.Narrator``): a beat starts its clip with its first animation and
lasts at least the clip and a short pause; its subtitle is the sentence as written.

Example::

    scene_cls = narrated(SCENES["weight-update"], lesson, voice=choose_voice("espeak-ng"))
"""

from pathlib import Path

from convprop.scenes.narration import Narrator
from convprop.scenes.script import tell, templates_for
from convprop.scenes.voice.spoken import spoken


def narrated(scene_cls, trace, script: Path | None = None, voice=None):
    """``scene_cls`` narrated: its beats say the (edited) narration, spoken by ``voice`` if given.

    ScriptError or VoiceError (one line each) before anything renders.
    """
    lines = tell(scene_cls, trace)
    templates = templates_for(script, lines, trace) if script is not None else {}
    clips = {}
    if voice is not None:
        written = {line.id: line.narration.written(trace, templates.get(line.id)) for line in lines}
        clips = dict(zip(written, voice.speak([(beat, spoken(text)) for beat, text in written.items()])))

    def narrator():
        return Narrator(templates=templates, clips=clips, narrated=True)

    return type(scene_cls.__name__, (scene_cls,), {"narrator_factory": staticmethod(narrator)})
