"""The update rule w* = w - alpha dL/dw in the colours of what its symbols stand for.

Every screen that writes the rule (the kernel's step, the dense layer's, the bowl's, the
network's) labels its terms ``new``, ``old`` and ``grad``; this colours them alike everywhere.

Example::

    rule = coloured_rule(Formula(trace, ["{{ w^* : new }} = {{ w : old }} - alpha {{ (partial L) / (partial w) : grad }}"]))
"""

from convprop.scenes.kit.style import GRADIENT, KERNEL, UPDATE


def coloured_rule(formula):
    """``formula`` with its labelled terms coloured: new -> UPDATE, old -> KERNEL, grad -> GRADIENT."""
    for label, colour in (("new", UPDATE), ("old", KERNEL), ("grad", GRADIENT)):
        formula.term(label).set_color(colour)
    return formula
