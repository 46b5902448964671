"""The video's colours, for paper.

``scenes/style.py`` says what each colour means; it imports Manim, which a worksheet has no need
of, so its hex values are written once more here. Keep the two in step: a colour means the same
thing in the video and on the page.

The template darkens a colour for text on white and lightens it for a cell's fill; FOCUS, a
light yellow, is only ever a highlighter behind a number.
"""

PALETTE = {
    "input": "#58C4DD",  # BLUE_C: the input X and its patches
    "kernel": "#FF862F",  # ORANGE: the kernel W, the bias b
    "output": "#83C167",  # GREEN_C: Z and everything computed forward from it
    "gradient": "#FC6255",  # RED_C: every dL/d(something)
    "update": "#B189C6",  # PURPLE_B: weights after a gradient step
    "focus": "#F7D96F",  # YELLOW: the one term under discussion
    "muted": "#BBBBBB",  # GREY_B: padding zeros, skipped cells, orienting labels
}

ROLES = tuple(PALETTE)
