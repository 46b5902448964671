"""The entries of the padded dilated dL/dZ under the rotated kernel's window, position by position.

A grid of numbers shows them where they stand; a picture (a 28x28 digit's 30x30 padded dilated
dL/dZ) cannot, so a scene writes them close up beside it, and needs them as a matrix of their
own: for filter o and the cell (r, c) of dL/d(padded X), the kh x kw entries under the window's
taps (``geometry.full_window_cells[r, c]``), in the kernel's order. Times the rotated kernel and
added up, they are what filter o sends back to that cell.

Example::

    entries = full_window_entries(back.padded_dilated_dL_dZ, geometry.full_window_cells)
    entries[0, 2, 3]  # the kh x kw entries under the window for dL/d(padded X)[2, 3], filter 0
"""

import numpy as np

from convprop.mathcore.frozen import frozen


def full_window_entries(padded_dilated_dL_dZ, full_window_cells) -> np.ndarray:
    """(F, used_rows, used_cols, kh, kw): every filter's entries under every window of the full convolution.

    >>> cells = np.array([[[[[0, 0], [0, 1]]]]])  # one position, a 1x2 window
    >>> full_window_entries([[[5.0, 6.0]]], cells).tolist()
    [[[[[5.0, 6.0]]]]]
    """
    grads = np.asarray(padded_dilated_dL_dZ, float)
    cells = np.asarray(full_window_cells)
    return frozen(grads[:, cells[..., 0], cells[..., 1]])
