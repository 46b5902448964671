"""Paths into a trace: how a scene names the value it draws, and how tests look it up again.

A path is a tuple of steps: a string is an attribute (or a key, in a mapping), an int or a
tuple of ints an index.
``("conv", "z", (0, 1))`` is ``trace.conv.z[0, 1]``.
"""

from collections.abc import Mapping


def lookup(trace, path):
    """The object at ``path``: a number, an array, or a part of the trace."""
    obj = trace
    for step in path:
        obj = getattr(obj, step) if isinstance(step, str) and not isinstance(obj, Mapping) else obj[step]
    return obj


def resolve(trace, path) -> float:
    """The number at ``path``."""
    return float(lookup(trace, path))
