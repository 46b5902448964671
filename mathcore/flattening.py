"""Where each feature of F comes from: the flatten that turns the pooled maps into one vector.

F flattens the maps in PyTorch's order: map, then row, then column. So feature j is P[o, r, c]
with j = o * rows * cols + r * cols + c. A scene that draws F beside the maps marks, for each
map, the cells its features came from in the order they enter F; the cells are named here,
from the same shape the flatten uses, so the scene only reads them and the tests prove each
feature against the cell it names (and the order against ``torch.flatten``).

Example::

    g = flatten_geometry((2, 2, 2))
    g.sources[5]        # array([1, 0, 1]): feature 6 is P[1][0, 1]
    g.first_feature[1]  # 4: map 2's features start at F_5
"""

from dataclasses import dataclass

import numpy as np

from convprop.mathcore.frozen import frozen_cells


@dataclass(frozen=True)
class FlattenGeometry:
    """``sources[j]`` is (map, row, col) of the cell of P that feature j is; ``first_feature[o]``
    the index in F of map o's first feature, ``per_map`` how many each map gives; ``map_cells[o]``
    the (row, col) cells of map o in the order they enter F."""

    sources: np.ndarray  # (n, 3)
    first_feature: np.ndarray  # (maps,)
    per_map: int
    map_cells: np.ndarray  # (maps, per_map, 2)


def flatten_geometry(pooled_shape) -> FlattenGeometry:
    """The flatten of maps of ``pooled_shape`` (maps, rows, cols), cell by cell."""
    maps, rows, cols = pooled_shape
    per_map = rows * cols
    sources = np.stack(np.unravel_index(np.arange(maps * per_map), (maps, rows, cols)), axis=-1)
    map_cells = sources[:, 1:].reshape(maps, per_map, 2)
    return FlattenGeometry(sources=frozen_cells(sources), first_feature=frozen_cells(np.arange(maps) * per_map),
                           per_map=per_map, map_cells=frozen_cells(map_cells))
