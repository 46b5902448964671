"""Both themes keep every colour readable, and a transparent render really has no background.

The contrast ratio is WCAG 2's, computed here from the hex values: relative luminance from the
linearised sRGB channels, then (L1 + 0.05) / (L2 + 0.05). Text needs 4.5:1, lines and outlines
(non-text marks) 3:1.
"""

import subprocess
import sys

import av
import pytest
from manim import Typst

from convprop.mathcore import ModelConfig
from convprop.scenes.kit.formula import Formula
from convprop.scenes.kit.numbers import NumberLabel
from convprop.scenes.registry import SCENES
from convprop.scenes.kit.style import TEXT_ROLES, THEMES, use_theme
from tests.scene_check import frameless, walk

SCRIPT = [str(__import__("pathlib").Path(sys.executable).parent / "convprop")]
TEXT_RATIO, MARK_RATIO = 4.5, 3.0


def luminance(rgb) -> float:
    def linear(c):
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(float(c)) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def hex_rgb(hex_value: str):
    h = hex_value.lstrip("#")
    return [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]


def contrast(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_ratio_matches_known_pairs():
    assert contrast([1, 1, 1], [0, 0, 0]) == pytest.approx(21.0)
    assert contrast(hex_rgb("#777777"), [1, 1, 1]) == pytest.approx(4.48, abs=0.01)  # the classic near miss


@pytest.mark.parametrize("theme", list(THEMES))
def test_every_text_colour_reaches_4_5_to_1(theme):
    t = THEMES[theme]
    background = hex_rgb(t.background)
    colours = {role: t.colours[role] for role in TEXT_ROLES} | {f"rate {i}": c for i, c in enumerate(t.rates)}
    for name, value in colours.items():
        ratio = contrast(hex_rgb(value), background)
        assert ratio >= TEXT_RATIO, f"{theme} {name} {value}: {ratio:.2f}:1 on {t.background}"


def test_meanings_keep_distinct_colours_in_each_theme():
    for theme in THEMES.values():
        values = [theme.colours[r] for r in TEXT_ROLES] + list(theme.rates)
        assert len(set(values)) == len(values), theme.name


def _in_text(m, texts) -> bool:
    return any(m is t or m in t.get_family() for t in texts)


def check_readable(scene, when: str):
    """Every visible text leaf and every stroked mark is readable on the scene's background."""
    background = scene.camera.background_color.to_rgb()
    tops = [m for top in scene.mobjects for m in top.get_family()]
    texts = [m for m in tops if isinstance(m, (NumberLabel, Typst, Formula))]
    text_leaves = {id(leaf) for t in texts for leaf in t.get_family()}
    for m in tops:
        if not m.has_points():
            continue
        if id(m) in text_leaves and m.get_fill_opacity() > 0.5:
            ratio = contrast(m.get_fill_color().to_rgb(), background)
            assert ratio >= TEXT_RATIO, f"{when}: text {m!r} in {m.get_fill_color()} is {ratio:.2f}:1"
        elif m.get_stroke_opacity() > 0.5 and m.get_stroke_width() > 0:
            ratio = contrast(m.get_stroke_color().to_rgb(), background)
            assert ratio >= MARK_RATIO, f"{when}: mark {m!r} in {m.get_stroke_color()} is {ratio:.2f}:1"


# The CNN's scenes on a tiny lesson (a 3x3 input, a 2x2 kernel): the same marks, texts and roles as
# the default lesson's, in fewer cells; the default lesson itself is walked, in the dark theme, by
# test_scenes_onscreen. The other scenes do not draw the CNN and walk their own default lessons.
CNN_FREE = ("cnn-pipeline", "mlp-worked-example", "learning-rate")
TINY = ModelConfig(input_size=(3, 3), kernel_size=(2, 2), stride=(1, 1))


@pytest.mark.parametrize("scene_name", list(SCENES))
def test_light_theme_draws_every_scene_readably(scene_name):
    from convprop.mathcore.lesson import run_lesson

    plays = []

    class Light(SCENES[scene_name]):
        theme = "light"

        def play(self, *animations, **kwargs):
            super().play(*animations, **kwargs)
            plays.append(1)
            check_readable(self, f"{scene_name}, after play {len(plays)}")

    try:
        with frameless():  # the check reads mobjects, never pixels: no frame is painted
            scene = Light(run_lesson() if scene_name in CNN_FREE else run_lesson(TINY), skip_animations=True)
            walk(scene)
            assert scene.camera.background_color.to_hex().upper() == THEMES["light"].background
    finally:
        use_theme("dark")
    assert plays


def test_a_bad_theme_attribute_is_a_value_error_naming_it():
    class Odd(SCENES["forward-pass"]):
        theme = "sepia"

    with pytest.raises(ValueError, match="theme"):
        Odd()


def _run(*args, cwd):
    return subprocess.run([*SCRIPT, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


# loss-gradient, the shortest scene, on a tiny lesson: the alpha channel is the point, not the
# lesson's length. The light theme's PNG (a white background) is checked where test_leftovers
# renders that very picture.
SHORT = ("render", "loss-gradient", "--input-size", "3", "--kernel-size", "2", "--stride", "1")


def test_transparent_webm_has_no_background(tmp_path):
    done = _run(*SHORT, "--transparent", "--format", "webm", "--output", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    with av.open(str(tmp_path / "out" / "loss-gradient.webm")) as container:
        stream = container.streams.video[0]
        assert stream.metadata.get("alpha_mode") == "1"  # VP9 keeps its alpha in a side channel
        decoder = av.codec.CodecContext.create("libvpx-vp9", "r")  # the decoder that reads that channel
        frames = [f for packet in container.demux(stream) for f in decoder.decode(packet)]
    middle = frames[len(frames) // 2]
    assert middle.format.name == "yuva420p"
    alpha = middle.to_ndarray(format="rgba")[..., 3]
    assert alpha[0, 0] == 0 and alpha[-1, -1] == 0  # the corners: background, fully transparent
    assert (alpha == 0).mean() > 0.5 and (alpha == 255).any()  # mostly see-through, the drawing opaque


def test_transparent_mp4_is_refused(tmp_path):
    done = _run("render", "chain-rule", "--transparent", "--output", "out", cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "webm or png" in done.stderr
    assert not (tmp_path / "out").exists()
