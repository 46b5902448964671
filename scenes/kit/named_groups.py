"""Manim's SVG reading, building a group only for the SVG elements a label can name.

``SVGMobject.get_mobjects_from`` makes a ``VGroup`` for every element of the SVG, and adds every
drawn path to the group of each element around it. Only the groups of elements with an ``id``
are ever looked up again (a Typst label selects its parts through them); the others, named
``numbered_group_<n>``, are read by nobody. A formula of a dozen numbers has some 120 elements,
of which about 85 are unnamed, and a ``VGroup`` costs as much to make as a fifth of a formula's
typesetting. ``NamedGroups`` walks the elements as Manim does, in the same order, with the same
names, and makes the named groups only: the drawn paths, their order, and every named group
with its members in order are Manim's (``tests/test_named_groups.py`` holds them to it).
"""

from manim import VGroup, logger
from manim.mobject.svg.svg_mobject import se  # the svgelements Manim parses the SVG with

UNNAMED = "numbered_group_"  # Manim's name for an element without an id
DRAWN = (se.Path, se.SimpleLine, se.Rect, se.Circle, se.Ellipse, se.Polygon, se.Polyline, se.Text)


class NamedGroups:
    """A mixin for an ``SVGMobject`` subclass: put it before the Manim class it extends."""

    def get_mobjects_from(self, svg):
        drawn: list = []
        members: dict[str, list] = {"root": []}
        stack = [(svg, 1)]
        names = ["root"]
        unnamed = 0
        while stack:
            element, depth = stack.pop()
            names = names[:depth]
            try:
                name = str(element.values["id"])
            except Exception:  # as Manim names it: any element whose id cannot be read
                name = f"{UNNAMED}{unnamed}"
                unnamed += 1
            names.append(name)
            members[name] = []  # a later element of the same name starts its group anew, as in Manim
            if isinstance(element, (se.Group, se.Use)):
                stack.extend((child, depth + 1) for child in element[::-1])
            try:
                if isinstance(element, DRAWN):
                    mob = self.get_mob_from_shape_element(element)
                    if mob is not None:
                        drawn.append(mob)
                        for parent in names[:-1]:
                            members[parent].append(mob)
            except Exception as e:
                logger.error(f"Exception occurred in 'get_mobjects_from'. Details: {e}")
        groups = {name: VGroup(*mobs) for name, mobs in members.items() if not name.startswith(UNNAMED)}
        return drawn, groups
