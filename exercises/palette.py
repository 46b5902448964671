"""The video's colours, for paper.

``scenes/kit/palette.py`` says what each colour means, as data that needs no Manim; the sheets use
the dark theme's hues, the ones students see in the video, keyed by meaning.

The template darkens a colour for text on white and lightens it for a cell's fill; FOCUS, a
light yellow, is only ever a highlighter behind a number.
"""

from convprop.scenes.kit.palette import THEMES

_MEANINGS = ("INPUT", "KERNEL", "OUTPUT", "GRADIENT", "UPDATE", "FOCUS", "MUTED")

PALETTE = {role.lower(): THEMES["dark"].colours[role] for role in _MEANINGS}

ROLES = tuple(PALETTE)
