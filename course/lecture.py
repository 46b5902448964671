"""The lecture, or the chosen scenes of it in lecture order, one Manim section per scene."""

from scenes.lecture import LectureStory
from scenes.registry import SCENES
from scenes.story import StoryScene


def chosen_scenes(listing: str | None = None) -> list[str]:
    """'NAME,NAME,...' (None: every scene) -> scene names in lecture order; ValueError if unknown."""
    if listing is None:
        return list(SCENES)
    names = [n.strip() for n in listing.split(",") if n.strip()]
    if not names:
        raise ValueError(f"no scene named; give names separated by commas from: {', '.join(SCENES)}")
    unknown = [n for n in names if n not in SCENES]
    if unknown:
        raise ValueError(f"unknown scene '{unknown[0]}'; choose from: {', '.join(SCENES)}")
    return [n for n in SCENES if n in set(names)]


def lecture_scene(names: list[str]) -> type[StoryScene]:
    """A scene class telling the stories ``names``, each in its own section, as the lecture does."""

    class PartialLectureStory(LectureStory):
        def tell(self):
            for name in names:
                self.scene.next_section(name)
                SCENES[name].story(self.scene, self.trace).tell()
                self.clear()

    if names == list(SCENES):
        from scenes.lecture import LectureScene
        return LectureScene
    return type("PartialLectureScene", (StoryScene,), {"story": PartialLectureStory})
