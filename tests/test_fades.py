"""The kit's fades draw every frame Manim's own fades draw, and leave what they fade as Manim's do.

One small scene plays each kind of fade the stories play (a staggered group, a shifted heading,
parts of other opacities, a number, a fade out and back in, fades inside Manim's groups, many
fades in at once with one of a mobject the scene holds already, a new group holding a part that is
on the stage already, a clear of the whole stage), once with Manim's FadeIn and FadeOut and once
with the kit's. Every frame is captured as Cairo paints it at low quality, and after every play
every drawn part's points and colours are read, top-level mobject by top-level mobject.
"""

import tempfile

import numpy as np
import pytest
from manim import DOWN, LEFT, RIGHT, UP, AnimationGroup, Circle, LaggedStart, Scene, Square, Typst, VGroup, tempconfig
from manim import FadeIn as ManimFadeIn
from manim import FadeOut as ManimFadeOut

from convprop.scenes.kit import fades


def _play_fades(fade_in, fade_out):
    """(frames, the drawn state after each play) of the fades' scene."""
    frames, states = [], []

    class Fading(Scene):
        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            states.append([(part.points.copy(), part.fill_rgbas.copy(), part.stroke_rgbas.copy(),
                            np.asarray(part.stroke_width).copy(), len(m.get_family()))
                           for m in self.mobjects for part in m.family_members_with_points()])

        def construct(self):
            cells = VGroup(*(Square(0.5).set_fill("#3080c0", opacity=0.2 * (i % 5)) for i in range(12)))
            cells.arrange_in_grid(3, 4, buff=0.05).shift(LEFT * 2)
            heading = Typst("*A heading*", font_size=30).to_edge(UP)
            number = Typst("−0.57", font_size=36).shift(RIGHT * 3)
            ring = Circle(0.6, color="#e0a030", stroke_width=6).set_fill("#e0a030", opacity=0.5).shift(DOWN * 2)
            self.play(fade_in(cells, lag_ratio=0.1))
            self.play(fade_in(heading, shift=DOWN * 0.2), fade_in(number, shift=UP * 0.15), run_time=0.6)
            self.play(fade_out(cells[3:7]), fade_in(ring))
            self.play(fade_in(cells[3:7]), LaggedStart(fade_out(number), fade_in(number.copy().shift(DOWN)),
                                                       lag_ratio=0.5))
            self.play(AnimationGroup(fade_out(ring), fade_in(ring.copy().scale(0.5)), lag_ratio=0.3))
            self.play(fade_in(Square(0.4).shift(UP), scale=1.5))  # drawn by Manim's own fade
            # many at once, lagged, one of them held already inside a group: it stays in its group
            dots = [Circle(0.05).set_fill("#ffffff", opacity=1).shift(RIGHT * (0.2 * i - 1) + DOWN * 3.2)
                    for i in range(10)]
            self.play(LaggedStart(*(fade_in(d) for d in dots), fade_in(cells[0]), lag_ratio=0.2))
            # a new group holding a cell already on the stage: Manim takes the cell out of its group
            self.play(fade_in(VGroup(cells[1], Square(0.3).shift(UP * 2 + RIGHT * 4))))
            self.play(*(fade_out(m) for m in self.mobjects), run_time=0.6)

    with tempfile.TemporaryDirectory() as media, tempconfig(
            {"quality": "low_quality", "dry_run": True, "media_dir": media, "disable_caching": True,
             "verbosity": "ERROR", "progress_bar": "none"}):
        scene = Fading()
        scene.renderer.add_frame = lambda frame, num_frames=1: frames.append(frame.copy())
        scene.render()
    return frames, states


@pytest.fixture(scope="module")
def manims():
    return _play_fades(ManimFadeIn, ManimFadeOut)


@pytest.fixture(scope="module")
def kits():
    return _play_fades(fades.FadeIn, fades.FadeOut)


def test_every_frame_is_the_one_manims_fades_paint(manims, kits):
    """Cairo's pixels, frame by frame: the same but for a rounding in the last bit of a point."""
    assert len(kits[0]) == len(manims[0]) > 50
    for i, (ours, theirs) in enumerate(zip(kits[0], manims[0])):
        difference = np.abs(ours.astype(int) - theirs.astype(int))
        assert difference.max() <= 1, f"frame {i} differs by {difference.max()} levels"
        assert (difference > 0).mean() < 1e-4, f"frame {i}: {(difference > 0).sum()} pixels differ"


def test_after_every_fade_the_parts_are_exactly_as_manims_leave_them(manims, kits):
    assert len(kits[1]) == len(manims[1])
    for play, (ours, theirs) in enumerate(zip(kits[1], manims[1]), start=1):
        assert len(ours) == len(theirs), f"play {play}"
        for part, (a, b) in enumerate(zip(ours, theirs)):
            for name, x, y in zip(("points", "fill", "stroke", "stroke width", "family"), a, b):
                assert np.array_equal(x, y), f"play {play}, part {part}: its {name} differ"


def test_a_fade_copies_nothing(monkeypatch):
    """What makes them fast: a fade of a many-celled group never copies a mobject."""
    from manim import Mobject

    cells = VGroup(*(Square(0.1) for _ in range(100)))
    copies = []
    real = Mobject.copy
    monkeypatch.setattr(Mobject, "copy", lambda self: copies.append(self) or real(self))
    for fade in (fades.FadeIn(cells, shift=UP), fades.FadeOut(cells)):
        fade.begin()
        fade.interpolate(0.5)
        fade.finish()
    assert copies == []
    ManimFadeIn(cells).begin()
    assert copies  # the check sees Manim's copies
