"""The whole lecture: every story in order, one named Manim section each, so every part can
also be saved as its own clip."""

from convprop.scenes.registry import SCENES
from convprop.scenes.story import Story, StoryScene


class LectureStory(Story):
    name = "lecture"
    summary = "Every scene above in order, as one video with a section (and a clip) per scene"

    names = tuple(SCENES)  # the stories it tells, in order

    @classmethod
    def check_drawable(cls, config) -> None:
        """The lecture draws what each of its stories draws, and refuses what any of them refuses."""
        for name in cls.names:
            SCENES[name].story.check_drawable(config)

    def tell(self):
        for name in self.names:
            self.scene.next_section(name)
            SCENES[name].story(self.scene, self.trace).tell()
            self.clear()


class LectureScene(StoryScene):
    story = LectureStory
