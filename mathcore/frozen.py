"""Read-only numpy arrays, so a trace cannot be changed after mathcore builds it."""

import numpy as np


def frozen(array) -> np.ndarray:
    """A float64 copy of ``array`` that refuses writes."""
    out = np.array(array, dtype=np.float64, copy=True)
    out.setflags(write=False)
    return out


def frozen_cells(array) -> np.ndarray:
    """An integer copy of ``array`` (cell indices) that refuses writes."""
    out = np.array(array, dtype=np.int64, copy=True)
    out.setflags(write=False)
    return out


def frozen_mask(array) -> np.ndarray:
    """A boolean copy of ``array`` that refuses writes."""
    out = np.array(array, dtype=bool, copy=True)
    out.setflags(write=False)
    return out


def set_views(obj, **views) -> None:
    """Set the derived fields (``field(init=False)``) of a frozen dataclass: the views of a
    trace's full arrays that the single-channel names read."""
    for name, value in views.items():
        object.__setattr__(obj, name, value)
