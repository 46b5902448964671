"""What each colour of the video means, as hex values per theme: data only, no Manim.

``scenes/kit/style.py`` turns these into the colours the scenes draw with; the exercises read them
for paper without importing Manim. One place for the colours, whatever draws them; what each
one means, where it comes from and how it was checked for colour-blind viewers is written in
``docs/palette.md``.

The categories (input, kernel, output, gradient, the update, the term in focus) are Okabe and
Ito's colour-blind-safe set: as published on the dark theme's black. On the light theme's white
text needs 4.5:1, which leaves only dark colours, and darkened Okabe-Ito colours run together
for a dichromat (orange and vermillion both turn brown); so the light theme keeps each Okabe-Ito
hue and moves each colour's lightness and colourfulness as little as keeps every pair apart:
the gradient stays a vermillion, the kernel becomes a lighter, greyer brown beside it.
The heat map of dL/dX is one of Fabio Crameri's perceptually uniform diverging maps, written
here as 11 evenly spaced anchors of its 256 colours: ``vanimo`` on black (its centre is near
black, so a zero gradient is the background), ``bam`` on white (its centre is near white).
Both run from green (a brighter pixel lowers the loss) to pink (it raises the loss), so the two
themes say the same thing, and neither shares a hue family with the input's blue.
"""

from dataclasses import dataclass

TEXT_ROLES = ("INPUT", "KERNEL", "OUTPUT", "GRADIENT", "UPDATE", "FOCUS", "MUTED", "TEXT")
# The colours that each mean one thing and are told apart by colour: every pair stays apart
# for every viewer (tests/test_palette.py). SKIPPED is a dim fill under muted numbers, never
# beside another colour as a meaning of its own.
MEANINGS = ("INPUT", "KERNEL", "OUTPUT", "GRADIENT", "UPDATE", "FOCUS", "MUTED", "TEXT",
            "LOWERS_LOSS", "RAISES_LOSS")

# Okabe, M. & Ito, K. (2008) Color Universal Design: how to make figures and presentations that
# are friendly to colorblind people. https://jfly.uni-koeln.de/color/
OKABE_ITO = {"black": "#000000", "orange": "#E69F00", "sky blue": "#56B4E9", "bluish green": "#009E73",
             "yellow": "#F0E442", "blue": "#0072B2", "vermillion": "#D55E00", "reddish purple": "#CC79A7"}

# Crameri, F. (2018, version 8.0 2023) Scientific colour maps. Zenodo, doi:10.5281/zenodo.1243862;
# the 256-colour tables as the cmcrameri package ships them, entries 0, 25.5, ..., 255 (rounded),
# read from the green end: index 0 here is the map's last entry.
VANIMO = ("#BEFDA5", "#88BA51", "#62872F", "#415A1F", "#232C14", "#1A1513", "#33172C", "#712D62", "#AD539A",
          "#D889CA", "#FFCDFD")
BAM = ("#0D4C00", "#427827", "#709E4B", "#ABCB86", "#E2EDD1", "#F6F1F1", "#F0D1E8", "#DE9CCD", "#C164A9",
       "#99377F", "#65024B")


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    colours: dict  # role -> hex
    rates: tuple[str, ...]
    heat: tuple[str, ...]  # the signed heat map's anchors, from -1 (lowers the loss) to +1 (raises it)


THEMES = {
    "dark": Theme(
        "dark", "#000000",
        {"INPUT": OKABE_ITO["sky blue"], "KERNEL": OKABE_ITO["orange"], "OUTPUT": OKABE_ITO["bluish green"],
         "GRADIENT": OKABE_ITO["vermillion"], "UPDATE": OKABE_ITO["reddish purple"], "FOCUS": OKABE_ITO["yellow"],
         "MUTED": "#BBBBBB", "SKIPPED": "#444444", "TEXT": "#FFFFFF",
         # the heat map's two ends, for the words that name them
         "LOWERS_LOSS": VANIMO[0], "RAISES_LOSS": VANIMO[-1]},
        ("#2EC4B6", "#FF6FB1", "#D9B44A", "#F4EEDC", "#B07A4F"),  # teal, pink, gold, ivory, brown
        VANIMO,
    ),
    "light": Theme(
        "light", "#FFFFFF",
        # Okabe-Ito's hues (each within 15 degrees of CIECAM02 hue), their lightness and colourfulness
        # the nearest (in CAM02-UCS) to Okabe-Ito's own colours darkened to 4.7:1 on white at which
        # every pair of meanings stays 15 apart in full colour vision and 10 for every dichromat
        {"INPUT": "#2F6B83", "KERNEL": "#916C48", "OUTPUT": "#445C54", "GRADIENT": "#C25000",
         "UPDATE": "#B646AB", "FOCUS": "#5D5539", "MUTED": "#757373", "SKIPPED": "#D6D6D6", "TEXT": "#131212",
         "LOWERS_LOSS": BAM[0], "RAISES_LOSS": BAM[-1]},
        ("#00796B", "#C2185B", "#795548", "#263238", "#546E7A"),  # teal, pink, brown, charcoal, blue-grey
        BAM,
    ),
}
DEFAULT_THEME = "dark"
