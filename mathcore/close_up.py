"""Which block of a map is written close up when the map is too large to number.

A 28x28 digit's maps are drawn as pictures, and a few of their cells are written out beside
them, large enough to read. Which few is decided here, from the map's values, so that what is
read closely is worth reading: where the ReLU blocks some cells and passes others, its backward
pass has something to show; lacking a ReLU, where Z changes most (an edge of the digit), a max
pool's winners are not ties. On a tie, the first block in reading order. A block of a pooled map
is whole pool windows: ``side`` cells a side of P, ``side * pool`` of Z.

Example::

    spot = close_up(trace.conv.z, trace.head_geometry.relu_mask, pool=2, side=2)
    trace.conv.z[spot.z_block]      # 4x4: the four pool windows read closely
    trace.dL_dpooled[spot.p_block]  # 2x2: the cells of P they are pooled into
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class CloseUp:
    """The block of Z (and of every map of its shape) at ``origin``, ``side`` cells a side of
    the map the features are flattened from (P after a pool, else Z), ``pool`` cells of Z each."""

    origin: tuple[int, int]  # in the cells of the flattened map
    side: int
    pool: int

    @property
    def p_block(self) -> tuple[slice, slice]:
        """The block in the flattened map: P's cells after a pool, else Z's."""
        r, c = self.origin
        return slice(r, r + self.side), slice(c, c + self.side)

    @property
    def z_block(self) -> tuple[slice, slice]:
        """The block in Z, A and their gradients: the pool windows of ``p_block``, or it."""
        k = self.pool or 1
        r, c = self.origin
        return slice(r * k, (r + self.side) * k), slice(c * k, (c + self.side) * k)

    def within(self, cells) -> list[tuple[int, int]]:
        """``cells`` of Z (pool winners, say) as cells of the block written close up."""
        rows, cols = self.z_block
        return [(int(r) - rows.start, int(c) - cols.start) for r, c in np.reshape(cells, (-1, 2))]


def close_up(z, relu_mask=None, pool: int = 0, side: int = 3) -> CloseUp:
    """The block of ``z`` most worth reading closely: the one whose ``relu_mask`` (None without a
    ReLU) is most evenly split between passed and blocked cells, then whose values span most.

    >>> close_up(np.array([[0., 0, 0], [0, 5, -1], [0, 2, -3]]), side=2).origin
    (1, 1)
    """
    z = np.asarray(z, float)
    k = pool or 1
    rows, cols = z.shape[0] // k, z.shape[1] // k
    side = max(1, min(side, rows, cols))
    mask = None if relu_mask is None else np.asarray(relu_mask, bool)
    best, origin = None, (0, 0)
    for r in range(rows - side + 1):
        for c in range(cols - side + 1):
            cells = (slice(r * k, (r + side) * k), slice(c * k, (c + side) * k))
            passed = 0 if mask is None else int(mask[cells].sum())
            mixed = min(passed, mask[cells].size - passed) if mask is not None else 0
            score = (mixed, float(np.ptp(z[cells])))
            if best is None or score > best:
                best, origin = score, (r, c)
    return CloseUp(origin=origin, side=side, pool=pool)
