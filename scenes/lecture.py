"""The whole lecture: every story in order, one named Manim section each, so every part can
also be saved as its own clip."""

from convprop.scenes.registry import SCENES
from convprop.scenes.story import Story, StoryScene


class LectureStory(Story):
    name = "lecture"
    summary = "Every scene above in order, as one video with a section (and a clip) per scene"

    def tell(self):
        for name, scene in SCENES.items():
            self.scene.next_section(name)
            scene.story(self.scene, self.trace).tell()
            self.clear()


class LectureScene(StoryScene):
    story = LectureStory
