"""The one place that says what each colour means, and the fonts. Every scene uses these names.

    INPUT     values of the input X and its patches
    KERNEL    the kernel W, the bias b, and the window that shows where W sits
    OUTPUT    the convolution output Z and everything computed forward from it
    GRADIENT  every dL/d(something)
    UPDATE    the new weights W* after a gradient step
    FOCUS     the one term under discussion right now
    MUTED     padding zeros, skipped cells, labels that only orient
    SKIPPED   the shade of cells no window reaches (a fill, never text)
    TEXT      words and formulas
    LOWERS_LOSS, RAISES_LOSS  the two ends of the heat map of dL/dX (a brighter pixel lowers /
              raises the loss), and the words that name them
    RATE_COLOURS  one per learning rate compared, smallest rate first; none is a colour above,
                  since a rate is none of those things, and five curves must be told apart

The values, their sources (Okabe-Ito; Crameri's diverging maps) and how they were checked for
colour-blind viewers are in ``scenes/kit/palette.py`` and ``docs/palette.md``. Each meaning has
one colour per theme: ``dark`` (the default, a black background, for video)
and ``light`` (a white background, for slides, handouts and bright rooms). Every colour used for
text reaches a WCAG contrast ratio of at least 4.5:1 against its theme's background (the tests
compute the ratios from ``THEMES``).

The names above are ``Role`` colours: they read the current theme whenever Manim reads their
value, so ``from convprop.scenes.kit.style import TEXT`` stays right after a theme switch. A scene picks its
theme in ``setup`` (see ``StoryScene``), before it builds anything; Manim bakes a colour into a
mobject when the mobject is made.

Example::

    use_theme("light")
    Square(color=KERNEL)  # drawn in the light theme's kernel colour
"""

from manim import ManimColor

from convprop.scenes.kit.palette import DEFAULT_THEME, TEXT_ROLES, THEMES, Theme  # noqa: F401 (re-exported)

NUMBER_FONT = "DejaVu Sans Mono"  # monospaced, so columns of numbers line up
TITLE_SIZE = 34
BODY_SIZE = 28
LABEL_SIZE = 24


_current = {"theme": THEMES[DEFAULT_THEME], "background": ManimColor(THEMES[DEFAULT_THEME].background)}


def use_theme(name: str, background=None) -> Theme:
    """Make ``name`` the theme every Role colour reads, on ``background`` (the theme's own when
    None); ValueError for an unknown name."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; choose one of: {', '.join(THEMES)}")
    _current["theme"] = THEMES[name]
    _current["background"] = ManimColor(background if background is not None else THEMES[name].background)
    return THEMES[name]


def background_colour() -> ManimColor:
    """What the scene is drawn on: for patches that hide what lies under a label."""
    return _current["background"]


def current_theme() -> Theme:
    return _current["theme"]


def theme_for_background(colour) -> str:
    """The theme whose text reads on ``colour``: light for a light background, else dark."""
    r, g, b = ManimColor(colour).to_rgb()
    return "light" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 else "dark"


class Role(ManimColor):
    """A colour named by what it means; its value is the current theme's colour for that meaning.

    Operations that make a new colour (interpolation, darker, ...) give a plain ManimColor of
    the current value, so only the role itself follows the theme.
    """

    def __init__(self, role: str, rate: int | None = None):  # no ManimColor state: the value is looked up
        self._role, self._rate = role, rate

    @property
    def _internal_value(self):
        theme = _current["theme"]
        hex_value = theme.rates[self._rate] if self._rate is not None else theme.colours[self._role]
        return ManimColor(hex_value)._internal_value

    @_internal_value.setter
    def _internal_value(self, value):
        raise AttributeError("a Role colour follows its theme and cannot be set")

    @classmethod
    def _construct_from_space(cls, _space):
        return ManimColor._construct_from_space(_space)

    @classmethod
    def _from_internal(cls, value):
        return ManimColor._from_internal(value)

    def __repr__(self):
        return f"Role({self._role!r})"


INPUT = Role("INPUT")
KERNEL = Role("KERNEL")
OUTPUT = Role("OUTPUT")
GRADIENT = Role("GRADIENT")
UPDATE = Role("UPDATE")
FOCUS = Role("FOCUS")
MUTED = Role("MUTED")
SKIPPED = Role("SKIPPED")
TEXT = Role("TEXT")
RAISES_LOSS = Role("RAISES_LOSS")  # dL/dx > 0 in a heat map: a brighter pixel, a larger loss
LOWERS_LOSS = Role("LOWERS_LOSS")  # dL/dx < 0: a brighter pixel, a smaller loss
RATE_COLOURS = tuple(Role("RATE", i) for i in range(len(THEMES[DEFAULT_THEME].rates)))


def look(theme: str | None = None, transparent: bool = False) -> dict:
    """The Manim settings that give a render its look: the theme's background (the scenes then
    draw in that theme's colours) and, with ``transparent``, no background at all (an alpha
    channel, to lay the animation over an instructor's own recording)."""
    options = {}
    if theme is not None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; choose one of: {', '.join(THEMES)}")
        options["background_color"] = THEMES[theme].background
    if transparent:
        options["transparent"] = True
    return options
