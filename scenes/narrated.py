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
from convprop.scenes.soundtrack import quiet_manim_mux
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

    if clips:
        quiet_manim_mux()

    def narrator():
        return Narrator(templates=templates, clips=clips, narrated=True)

    def tear_down(self):
        """The track runs on in silence to the last frame: Manim's ends with the last word, and the
        movie it muxes would end there too."""
        scene_cls.tear_down(self)
        writer = self.renderer.file_writer
        if clips and getattr(writer, "includes_sound", False):
            from manim.scene.scene_file_writer import AudioSegment

            writer.add_audio_segment(AudioSegment.silent(0), time=self.time)

    return type(scene_cls.__name__, (scene_cls,), {"narrator_factory": staticmethod(narrator), "tear_down": tear_down})
