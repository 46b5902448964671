"""Make imported glyphs cheap to copy."""


def lighten(mobject):
    """Drop the parsed SVG path each glyph keeps after import.

    Manim deep-copies a mobject for nearly every animation, and copying those parsed paths
    costs more than all the drawing; the points are already computed from them.
    """
    for leaf in mobject.get_family():
        if getattr(leaf, "path_obj", None) is not None:
            leaf.path_obj = None
    return mobject
