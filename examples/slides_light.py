"""The light theme, for slides and handouts: a white background, every colour keeping its meaning.

    manim render -ql --format png slides_light.py KernelGradientLight

Leaving ``theme`` unset follows Manim's own background colour instead (``-c WHITE`` or
``background_color`` in ``manim.cfg`` picks the light colours by itself).
"""

from convprop import KernelGradientScene


class KernelGradientLight(KernelGradientScene):
    theme = "light"
    input_size = 6
    stride = 2
