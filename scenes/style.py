"""The one place that says what each colour means, and the fonts. Every scene uses these names.

    INPUT     values of the input X and its patches
    KERNEL    the kernel W, the bias b, and the window that shows where W sits
    OUTPUT    the convolution output Z and everything computed forward from it
    GRADIENT  every dL/d(something)
    UPDATE    the new weights W* after a gradient step
    FOCUS     the one term under discussion right now
    MUTED     padding zeros, skipped cells, labels that only orient
    RATE_COLOURS  one per learning rate compared, smallest rate first; none is a colour above,
                  since a rate is none of those things, and five curves must be told apart
"""

from manim import BLUE_C, GREEN_C, GREY_B, GREY_D, ORANGE, PURPLE_B, RED_C, WHITE, YELLOW

INPUT = BLUE_C
KERNEL = ORANGE
OUTPUT = GREEN_C
GRADIENT = RED_C
UPDATE = PURPLE_B
FOCUS = YELLOW
MUTED = GREY_B
SKIPPED = GREY_D
TEXT = WHITE
RATE_COLOURS = ("#2EC4B6", "#FF6FB1", "#D9B44A", "#F4EEDC", "#B07A4F")  # teal, pink, gold, ivory, brown

NUMBER_FONT = "DejaVu Sans Mono"  # monospaced, so columns of numbers line up
TITLE_SIZE = 34
BODY_SIZE = 28
LABEL_SIZE = 24
