"""Inputs that are pictures: an image file, or one of the project's own handwritten digits, as X.

Kept out of mathcore, which stays numpy-only: this package reads pictures with Pillow and hands
mathcore a plain matrix, rounded like seeded values, as if the user had typed it in --values.
"""

from convprop.inputs.images import ImageError, image_values, input_shape, open_source, with_picture

__all__ = ["ImageError", "image_values", "input_shape", "open_source", "with_picture"]
