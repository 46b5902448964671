"""What each colour of the video means, as hex values per theme: data only, no Manim.

``scenes/kit/style.py`` turns these into the colours the scenes draw with; the exercises read them
for paper without importing Manim. One place for the colours, whatever draws them.
"""

from dataclasses import dataclass

TEXT_ROLES = ("INPUT", "KERNEL", "OUTPUT", "GRADIENT", "UPDATE", "FOCUS", "MUTED", "TEXT")


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    colours: dict  # role -> hex
    rates: tuple[str, ...]


THEMES = {
    "dark": Theme(
        "dark", "#000000",
        {"INPUT": "#58C4DD", "KERNEL": "#FF862F", "OUTPUT": "#83C167", "GRADIENT": "#FC6255",
         "UPDATE": "#B189C6", "FOCUS": "#F7D96F", "MUTED": "#BBBBBB", "SKIPPED": "#444444", "TEXT": "#FFFFFF",
         # a heat map of dL/dX (marks, not text; at least 3:1): brightening the pixel raises / lowers L
         "RAISES_LOSS": "#F25CF2", "LOWERS_LOSS": "#4D8DFF"},
        ("#2EC4B6", "#FF6FB1", "#D9B44A", "#F4EEDC", "#B07A4F"),  # teal, pink, gold, ivory, brown
    ),
    "light": Theme(
        "light", "#FFFFFF",
        {"INPUT": "#1565C0", "KERNEL": "#B34700", "OUTPUT": "#2E7D32", "GRADIENT": "#C62828",
         "UPDATE": "#7B1FA2", "FOCUS": "#8A6100", "MUTED": "#5F6368", "SKIPPED": "#D6D6D6", "TEXT": "#1A1A1A",
         "RAISES_LOSS": "#AD1457", "LOWERS_LOSS": "#283593"},
        ("#00796B", "#C2185B", "#795548", "#263238", "#546E7A"),  # teal, pink, brown, charcoal, blue-grey
    ),
}
DEFAULT_THEME = "dark"
