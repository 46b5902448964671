"""A convprop scene in your own file, set up by class attributes.

    manim render -ql my_lesson.py SevenBySevenForward

Any setting the command line has is a class attribute here, with Python values: sizes and
strides as an int or a pair, ``values`` and ``mlp_values`` as dicts, ``rates`` as a tuple.
A bad value stops the render with a ValueError that names the attribute.
"""

from convprop import ForwardPassScene


class SevenBySevenForward(ForwardPassScene):
    input_size = (7, 7)
    stride = (2, 1)
    padding = 1
    relu = True
    seed = 4


class HandPickedKernel(ForwardPassScene):
    """Your own numbers: the kernel from ``values``, everything else from the seed."""

    values = {"kernel": [[1, 0, -1], [1, 0, -1], [1, 0, -1]]}
    stride = 1
