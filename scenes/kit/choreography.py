"""Three moves the worked examples make again and again: a number flies to where it is used next,
the things under discussion light up, and a table's many numbers fade in one after another.

Both return an animation or a mobject and know nothing of a scene; the story plays them.

Example::

    lit = lit_copies([edge], FOCUS)
    self.play(Create(lit))
    self.play(*fly([(factor.term("f"), product.term("n0"))]), FadeIn(product))
    self.play(FadeOut(lit))
"""

from manim import TransformFromCopy, VGroup

from convprop.scenes.kit.fades import FadeIn


def fly(pairs) -> list[TransformFromCopy]:
    """Copies of each source number fly onto their place in a formula appearing meanwhile.

    ``pairs`` holds (source, target) mobjects. Each copy lands on a copy of its target, so the
    formula's own glyphs stay untouched by the transform; the copies, which then lie exactly on
    them, leave the scene when the animations end. Play them together with the formula's FadeIn:
    ``self.play(*fly(pairs), FadeIn(formula))``. (A list, not one AnimationGroup, so that no
    empty group is left in the scene once the copies are gone.)
    """
    return [TransformFromCopy(source, target.copy(), remover=True) for source, target in pairs]


def lit_copies(mobjects, colour, width: float = 5, z_index: int | None = 1) -> VGroup:
    """Copies of ``mobjects`` (edges, rings) outlined in ``colour``: the things under discussion.

    The copies lie over their originals, at ``z_index`` (None keeps each original's), so fading
    them out leaves the picture as it was.
    """
    copies = VGroup(*(m.copy().set_stroke(colour, width) for m in mobjects))
    if z_index is not None:
        for copy in copies:
            copy.set_z_index(z_index)
    return copies


def one_by_one(mobjects, lag_ratio: float) -> FadeIn:
    """``mobjects`` fade in one after another, paced as
    ``LaggedStart(*(FadeIn(m) for m in mobjects), lag_ratio=lag_ratio)`` paces them, as one animation.

    Every FadeIn of a LaggedStart adds its own mobject to the scene, and Manim walks the whole
    scene for each: with the hundreds of cells of a layer's table that was most of the scene's
    time, in a render as in a check. One FadeIn of their group staggers its drawn parts by Manim's
    own ``lag_ratio``; spread over the parts so that the first starts at once and the last as
    late as in the LaggedStart, each mobject's parts fade in when it would have.
    """
    group = VGroup(*mobjects)
    parts = len(group.family_members_with_points())
    lag = lag_ratio * (len(mobjects) - 1) / (parts - 1) if parts > 1 else 0.0
    return FadeIn(group, lag_ratio=lag)
