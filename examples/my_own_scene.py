"""One convprop story inside your own scene, followed by your own animations.

    manim render -ql my_own_scene.py ForwardThenQuestion

A story tells one part of the lecture with a lesson you computed; your ``construct`` decides
what comes before and after it. Stories move the camera to bring a large grid's working region
close, so the scene is a ``MovingCameraScene``.
"""

from manim import DOWN, FadeIn, FadeOut, MovingCameraScene, Text

from convprop import ForwardPassStory, lesson_from_settings


class ForwardThenQuestion(MovingCameraScene):
    def construct(self):
        lesson = lesson_from_settings(input_size=6, stride=1, seed=7)
        ForwardPassStory(self, lesson).tell()
        self.play(*(FadeOut(m) for m in self.mobjects))
        question = Text("Your turn: which input cells does the last output see?", font_size=30)
        self.play(FadeIn(question, shift=DOWN * 0.2))
        self.wait(1)
