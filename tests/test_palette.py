"""Every colour keeps its one meaning for every viewer, on both themes.

Colour-blind vision is simulated with colorspacious (Machado, Oliveira & Fernandes 2009) at
severity 100, the full dichromacy: protanopia, deuteranopia, tritanopia. Distances are CIEDE2000,
computed by colour-science, in CIELAB under D65.

Two thresholds, because no set of ten colours keeps CIEDE2000 15 for a dichromat: Okabe and
Ito's own palette, drawn to be told apart by colour-blind viewers, comes down to 10.9 between
its orange and its reddish purple for a tritanope. So every pair of meanings stays 15 apart for
a viewer with full colour vision, and SIMULATED_APART = 10 apart for each simulated dichromat:
never closer than the closest two colours of the reference set itself (a test below holds the
threshold to that).
"""

import itertools
import warnings

import numpy as np
import pytest
from colorspacious import cspace_convert

from convprop.scenes.kit.palette import MEANINGS, OKABE_ITO, TEXT_ROLES, THEMES

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # colour-science says its plotting needs Matplotlib: not used here
    import colour

APART = 15.0
SIMULATED_APART = 10.0
TEXT_RATIO = 4.5
VISIONS = ("normal", "protanomaly", "deuteranomaly", "tritanomaly")  # colorspacious's names; severity 100


def srgb(hex_value: str) -> np.ndarray:
    h = hex_value.lstrip("#")
    return np.array([int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)])


def seen(rgb, vision: str) -> np.ndarray:
    if vision == "normal":
        return np.asarray(rgb, float)
    space = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)


def ciede2000(a, b) -> float:
    return float(colour.delta_E(cspace_convert(a, "sRGB1", "CIELab"), cspace_convert(b, "sRGB1", "CIELab"),
                                method="CIE 2000"))


def wcag_contrast(a, b) -> float:
    """WCAG 2's contrast ratio, from colour-science's sRGB decoding and the Rec. 709 luminance."""
    la, lb = sorted((float(colour.sRGB_to_XYZ(np.asarray(c), apply_cctf_decoding=True)[1]) for c in (a, b)),
                    reverse=True)
    return (la + 0.05) / (lb + 0.05)


def closest_pair(colours: dict, vision: str):
    return min((ciede2000(seen(srgb(colours[a]), vision), seen(srgb(colours[b]), vision)), a, b)
               for a, b in itertools.combinations(colours, 2))


def test_the_measures_match_known_values():
    # Sharma, Wu & Dalal (2005), the CIEDE2000 test data, pair 1: 2.0425
    assert colour.delta_E([50, 2.6772, -79.7751], [50, 0, -82.7485], method="CIE 2000") == pytest.approx(2.0425, abs=1e-4)
    assert wcag_contrast([1, 1, 1], [0, 0, 0]) == pytest.approx(21.0)
    assert wcag_contrast(srgb("#777777"), [1, 1, 1]) == pytest.approx(4.48, abs=0.01)
    # a dichromat's simulation keeps greys grey, and a deuteranope sees red and green alike
    assert np.allclose(seen([0.5, 0.5, 0.5], "protanomaly"), 0.5, atol=0.01)
    assert ciede2000(seen(srgb("#FF0000"), "deuteranomaly"), seen(srgb("#00A000"), "deuteranomaly")) < 10
    assert ciede2000(srgb("#FF0000"), srgb("#00A000")) > 50


@pytest.mark.parametrize("vision", VISIONS[1:])
def test_the_simulated_threshold_is_no_laxer_than_the_reference_set(vision):
    """Okabe-Ito's colours (less black, the dark theme's background) stay SIMULATED_APART for
    each dichromat, and APART in full colour vision: the thresholds ask of this palette what
    the palette made for colour-blind viewers achieves."""
    reference = {k: v for k, v in OKABE_ITO.items() if k != "black"}
    assert closest_pair(reference, vision)[0] >= SIMULATED_APART
    assert closest_pair(reference, "normal")[0] >= APART


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("theme", list(THEMES))
def test_every_pair_of_meanings_stays_apart(theme, vision):
    colours = {role: THEMES[theme].colours[role] for role in MEANINGS}
    distance, a, b = closest_pair(colours, vision)
    least = APART if vision == "normal" else SIMULATED_APART
    assert distance >= least, f"{theme}, {vision}: {a} {colours[a]} and {b} {colours[b]} are {distance:.1f} apart"


@pytest.mark.parametrize("theme", list(THEMES))
def test_text_reads_on_the_background(theme):
    """WCAG's ratio is defined on the colours themselves, not on a simulation of them (a
    protanope sees reds darker: the dark theme's vermillion then reads at 4.3:1, above the
    3:1 of large text)."""
    t = THEMES[theme]
    roles = TEXT_ROLES + ("LOWERS_LOSS", "RAISES_LOSS")  # the heat map's ends name themselves in words
    for role in roles:
        ratio = wcag_contrast(srgb(t.colours[role]), srgb(t.background))
        assert ratio >= TEXT_RATIO, f"{theme}: {role} {t.colours[role]} is {ratio:.2f}:1 on {t.background}"


@pytest.mark.parametrize("theme", list(THEMES))
def test_the_heat_map_is_monotone_and_centred_on_the_background(theme):
    """From its centre to each end the map's lightness (CAM02-UCS J') changes one way only, so
    a stronger gradient always reads as further from the background; its centre is within a
    small step of the background, and its two ends stay apart for every viewer."""
    t = THEMES[theme]
    lightness = cspace_convert(np.array([srgb(h) for h in t.heat]), "sRGB1", "CAM02-UCS")[:, 0]
    middle = len(t.heat) // 2
    towards_low, towards_high = np.diff(lightness[middle::-1]), np.diff(lightness[middle:])
    rising = 1 if theme == "dark" else -1  # away from black it brightens, away from white it darkens
    assert (rising * towards_low > 0).all() and (rising * towards_high > 0).all(), np.round(lightness, 1)
    assert ciede2000(srgb(t.heat[middle]), srgb(t.background)) < 12
    for vision in VISIONS:
        low, high = (seen(srgb(h), vision) for h in (t.heat[0], t.heat[-1]))
        assert ciede2000(low, high) >= APART, vision


def test_the_light_theme_keeps_okabe_ito_hues():
    """The light theme's categories keep Okabe-Ito's hues."""
    source = {"INPUT": "sky blue", "KERNEL": "orange", "OUTPUT": "bluish green", "GRADIENT": "vermillion",
              "UPDATE": "reddish purple", "FOCUS": "yellow"}
    for role, name in source.items():
        theirs = cspace_convert(srgb(OKABE_ITO[name]), "sRGB1", "JCh")
        ours = cspace_convert(srgb(THEMES["light"].colours[role]), "sRGB1", "JCh")
        turn = abs((ours[2] - theirs[2] + 180) % 360 - 180)
        assert turn <= 20, (role, round(turn, 1))
    assert {THEMES["dark"].colours[r] for r in source} <= set(OKABE_ITO.values())
