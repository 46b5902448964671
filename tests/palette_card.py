"""Draw the palette as each viewer sees it: ``python -m tests.palette_card docs/palette-simulations.png``.

One block per theme; in each, a row per vision (full colour, then protanopia, deuteranopia and
tritanopia simulated at severity 100 with colorspacious, as ``tests/test_palette.py`` measures
them): a swatch per meaning, then the heat map's strip from lowers-the-loss to raises-the-loss.
"""

import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from convprop.scenes.kit.palette import MEANINGS, THEMES
from tests.test_palette import VISIONS, seen, srgb

SWATCH, GAP, LABEL_W, STRIP = 84, 8, 150, 260
NAMES = {"normal": "full colour", "protanomaly": "protanopia", "deuteranomaly": "deuteranopia",
         "tritanomaly": "tritanopia"}


def _colour(hex_value, vision):
    return tuple(int(round(v * 255)) for v in seen(srgb(hex_value), vision))


def draw(path):
    font = ImageFont.truetype("DejaVuSans.ttf", 13)
    row_h = SWATCH + GAP
    width = LABEL_W + len(MEANINGS) * (SWATCH + GAP) + STRIP + GAP
    block_h = 30 + len(VISIONS) * row_h
    image = Image.new("RGB", (width, 2 * block_h + 10), "white")
    pen = ImageDraw.Draw(image)
    for b, theme in enumerate(THEMES.values()):
        top = b * (block_h + 10)
        background = srgb(theme.background)
        pen.rectangle([0, top, width, top + block_h], fill=tuple(int(v * 255) for v in background))
        ink = _colour(theme.colours["TEXT"], "normal")
        pen.text((8, top + 8), f"{theme.name} theme", fill=ink, font=font)
        for i, role in enumerate(MEANINGS):
            pen.text((LABEL_W + i * (SWATCH + GAP), top + 8), role.lower().replace("_", " ")[:12], fill=ink, font=font)
        pen.text((LABEL_W + len(MEANINGS) * (SWATCH + GAP), top + 8), "heat map: lowers ... raises", fill=ink, font=font)
        for v, vision in enumerate(VISIONS):
            y = top + 30 + v * row_h
            pen.text((8, y + SWATCH // 2 - 7), NAMES[vision], fill=_colour(theme.colours["TEXT"], vision), font=font)
            for i, role in enumerate(MEANINGS):
                x = LABEL_W + i * (SWATCH + GAP)
                pen.rectangle([x, y, x + SWATCH, y + SWATCH], fill=_colour(theme.colours[role], vision))
            x0 = LABEL_W + len(MEANINGS) * (SWATCH + GAP)
            anchors = np.array([srgb(h) for h in theme.heat])
            for k in range(STRIP):
                t = k / (STRIP - 1) * (len(anchors) - 1)
                j = min(int(t), len(anchors) - 2)
                rgb = anchors[j] + (anchors[j + 1] - anchors[j]) * (t - j)
                pen.line([x0 + k, y, x0 + k, y + SWATCH], fill=tuple(int(round(c * 255)) for c in seen(rgb, vision)))
    image.save(path)


if __name__ == "__main__":
    draw(sys.argv[1] if len(sys.argv) > 1 else "docs/palette-simulations.png")
