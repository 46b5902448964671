"""Which scenes a course holds: the lecture, or the chosen scenes of it in lecture order.

The rendering itself is the lecture's (``farm.lecture.render_lecture``), on every core."""

from convprop.scenes.registry import SCENES


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
