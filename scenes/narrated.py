"""A scene that says its narration: an edited script applied, and a voice's clips timed to the beats.

Before a frame is drawn the scene is told once without drawing (``script.tell``): that gives
every beat that shows something, its id and its sentence with this lesson's numbers. An edited
script (``--script FILE``) is checked against those beats; a voice (``--voice``) then speaks
every sentence in one batch, from its clip cache where it can. That is the ``Plan``; the scene
that renders with it knows each beat's clip (``narration.Narrator``): a beat starts its clip
with its first animation and lasts at least the clip and a short pause; its subtitle is the
sentence as written. A beat of several steps has a clip per clause, each starting with its
step (``story.Story.step``). The parallel lecture makes one plan for all its sections and hands it to
each, so each section speaks the clips of its own beats, synthesised once.

Example::

    scene_cls = narrated(SCENES["weight-update"], plan_for(SCENES["weight-update"], lesson,
                                                         voice=choose_voice("espeak-ng")))
"""

from dataclasses import dataclass, field
from pathlib import Path

from convprop.scenes.narration import Narrator
from convprop.scenes.script import tell, templates_for
from convprop.scenes.voice.spoken import spoken


@dataclass(frozen=True)
class Plan:
    """What a narrated render says: edited templates by beat id, voice clips by clause id (a beat's
    own id when it says one clause, ``<beat>/<n>`` for each of several)."""

    templates: dict = field(default_factory=dict)
    clips: dict = field(default_factory=dict)


def plan_for(scene_cls, trace, script: Path | None = None, voice=None, lines=None) -> Plan:
    """The plan of ``scene_cls`` (or of its beats ``lines``, when told already); ScriptError or
    VoiceError (one line each) before anything renders."""
    lines = tell(scene_cls, trace) if lines is None else lines
    templates = templates_for(script, lines, trace) if script is not None else {}
    clips = {}
    if voice is not None:
        written = {}
        for line in lines:
            narration = line.narration.edited(templates[line.id]) if line.id in templates else line.narration
            written.update(zip(line.clause_ids, narration.written_parts(trace)))
        language = getattr(voice, "language", "en")  # a take is the instructor's own words: no language to say
        clips = dict(zip(written, voice.speak([(clause, spoken(text, language)) for clause, text in written.items()])))
    return Plan(templates, clips)


def narrated(scene_cls, plan: Plan, track: Path | None = None):
    """``scene_cls`` saying ``plan``. Its sound track (to its last frame) is written as a WAV, to
    ``track`` when given (a lecture section, whose clip the lecture joins itself), else beside the
    movie; the scene's ``sound_track`` says where. Manim does not mux it: ``soundtrack.finish``
    makes the movie's sound from the WAV, and an AAC of it made by Manim would be thrown away."""

    def narrator():
        return Narrator(templates=plan.templates, clips=plan.clips, narrated=True)

    def tear_down(self):
        """The track runs on in silence to the last frame: Manim's ends with the last word."""
        scene_cls.tear_down(self)
        if not plan.clips:
            return
        from manim.scene.scene_file_writer import AudioSegment

        writer = self.renderer.file_writer
        if not getattr(writer, "includes_sound", False):
            writer.add_audio_segment(AudioSegment.silent(0), time=0)  # a section with nothing to say
        writer.add_audio_segment(AudioSegment.silent(0), time=self.time)
        if track is None:
            movie = Path(writer.movie_file_path)
            self.sound_track = movie.with_name(f"{movie.stem}-sound.wav")
        else:
            self.sound_track = Path(track)
        writer.audio_segment.export(str(self.sound_track), format="wav")
        writer.includes_sound = False

    return type(scene_cls.__name__, (scene_cls,), {"narrator_factory": staticmethod(narrator), "tear_down": tear_down})
