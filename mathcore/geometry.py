"""Where every number of the convolution sits: the geometry the video draws, proven here once.

A scene that outlines the kernel's window, lights the input cell a chain-rule term multiplies,
greys the padding or shades the cells a stride skips must put the mark on the cell the
arithmetic used. So the cells are named here, from the same shapes the arithmetic uses, and
the scenes only read them; the tests check each against the values (the window at step k holds
the patch of step k, the lit cell holds dz_k/dw_i, a pool winner holds the pooled value) and
against PyTorch (a skipped cell gets no gradient).

Every cell is (row, col) in the grid it names: the padded input for the forward windows, the
dilated dL/dZ and the padded dilated dL/dZ for the backward ones. Arrays are read-only.

Example::

    g = conv_geometry(input_shape=(5, 5), kernel_shape=(3, 3), stride=(2, 2), padding=0)
    g.window_origins[0, 1]  # array([0, 2]): step 2's window starts two columns right
"""

from dataclasses import dataclass

import numpy as np

from convprop.mathcore.frozen import frozen_cells, frozen_mask


def _cells(mask: np.ndarray) -> np.ndarray:
    """The (row, col) of every set cell of ``mask``, in row-major order."""
    return frozen_cells(np.argwhere(mask).reshape(-1, 2))


def _offsets(shape, step=(1, 1)) -> np.ndarray:
    """(rows, cols, 2): the cell offsets of a window of ``shape`` whose taps are ``step`` apart."""
    rows, cols = np.meshgrid(np.arange(shape[0]) * step[0], np.arange(shape[1]) * step[1], indexing="ij")
    return np.stack([rows, cols], axis=-1)


@dataclass(frozen=True)
class ConvGeometry:
    """Where the kernel sits at every step, forward and backward.

    Forward, on the padded input: ``window_origins[r, c]`` is the top-left cell of the window
    that gives z[r, c]; ``window_cells[r, c, a, b]`` is the cell under kernel entry (a, b) there
    (``a * dilation`` rows down from the origin). A dilated window spans ``span`` cells; the
    cells of that span between its taps, which the kernel skips over, are ``gap_mask`` (relative
    to the origin) and ``gap_cells[r, c]`` (in the padded input).
    ``weight_cells[a, b]`` lists, step by step, the cells kernel entry (a, b) multiplies: the
    input values of the chain-rule terms of dL/dw[a, b]. ``padding_mask`` marks the zeros added around X, ``covered_mask`` the cells some window
    covers, and ``skipped_cells`` the others: a stride that does not tile the input skips them.

    Backward, for dL/dX as a full convolution: dL/dZ is dilated by the stride, its entries at
    ``dilated_entries`` and zeros inserted at ``inserted_zero_mask``; then padded by d(k - 1) on
    every side (``full_padding``), its entries landing at ``full_entries`` and the ring at
    ``full_padding_mask``. The rotated kernel's window (taps d apart) for dL/d(padded X)[r, c]
    covers ``full_window_cells[r, c]`` of that grid, for every (r, c) some forward window covered;
    the cells of its span between those taps are ``full_gap_cells[r, c]`` (none when d = 1).

    For dL/dW as one correlation: dL/dw[a, b] is the input under the dilated dL/dZ placed at
    (a * d, b * d), ``correlation_cells[a, b]``.

    Channels and filters: every input channel is padded, windowed and skipped alike, and every
    filter's map has the same cells, so one geometry serves them all: ``window_cells[r, c]`` are
    the cells of X_padded[ch] under the window of Z[o][r, c] for every channel ch and filter o.
    """

    input_shape: tuple[int, int]
    kernel_shape: tuple[int, int]
    stride: tuple[int, int]
    padding: int
    dilation: tuple[int, int]
    padded_shape: tuple[int, int]
    output_shape: tuple[int, int]
    used_shape: tuple[int, int]  # rows and columns of the padded input some window covers
    span: tuple[int, int]  # rows and columns one window covers: d(k - 1) + 1
    gap_mask: np.ndarray  # span, bool: the cells of a window's span between its taps (none when d = 1)
    gap_cells: np.ndarray  # (out_rows, out_cols, n, 2): those cells in the padded input, window by window
    padded_cells: np.ndarray  # (padded_rows, padded_cols, 2): every cell of the padded input, and of its gradient
    input_cells: np.ndarray  # (h, w, 2): where X[i, j] sits in the padded input
    padding_mask: np.ndarray  # padded_shape, bool
    padding_cells: np.ndarray  # (n, 2)
    window_origins: np.ndarray  # (out_rows, out_cols, 2)
    window_cells: np.ndarray  # (out_rows, out_cols, kh, kw, 2)
    weight_cells: np.ndarray  # (kh, kw, out_rows, out_cols, 2): the cells w[a, b] multiplies, step by step
    output_cells: np.ndarray  # (out_rows, out_cols, 2): output (r, c) is the cell (r, c) of Z and of dL/dZ
    kernel_cells: np.ndarray  # (kh, kw, 2): entry (a, b) is the cell (a, b) of W, of dL/dW and of W*
    covered_mask: np.ndarray  # padded_shape, bool
    skipped_cells: np.ndarray  # (n, 2): covered by no window
    dilated_shape: tuple[int, int]
    dilated_entries: np.ndarray  # (out_rows, out_cols, 2): where dL/dz[r, c] sits once dilated
    inserted_zero_mask: np.ndarray  # dilated_shape, bool
    inserted_zero_cells: np.ndarray  # (n, 2)
    full_padding: tuple[int, int]  # (d(kh - 1), d(kw - 1)) zeros on every side
    full_padded_shape: tuple[int, int]
    full_entries: np.ndarray  # (out_rows, out_cols, 2): dL/dz[r, c] in the padded dilated grid
    full_padding_mask: np.ndarray  # full_padded_shape, bool: the ring of d(k - 1) zeros
    full_zero_mask: np.ndarray  # full_padded_shape, bool: the ring and the inserted zeros, all but dL/dZ
    full_window_cells: np.ndarray  # (used_rows, used_cols, kh, kw, 2) in the padded dilated grid
    correlation_cells: np.ndarray  # (kh, kw, dilated_rows, dilated_cols, 2) in the padded input
    full_gap_cells: np.ndarray  # (used_rows, used_cols, n, 2): the gaps of the rotated kernel's window, as gap_cells


def conv_geometry(input_shape, kernel_shape, stride, padding: int, dilation=(1, 1)) -> ConvGeometry:
    """The geometry of a stride-``stride`` convolution of an input zero-padded by ``padding``."""
    (h, w), (kh, kw), (sh, sw), (dh, dw) = input_shape, kernel_shape, stride, dilation
    p = padding
    padded = (h + 2 * p, w + 2 * p)
    span = ((kh - 1) * dh + 1, (kw - 1) * dw + 1)  # rows and columns one window covers
    out = ((padded[0] - span[0]) // sh + 1, (padded[1] - span[1]) // sw + 1)

    padding_mask = np.ones(padded, bool)
    padding_mask[p:p + h, p:p + w] = False
    origins = _offsets(out, (sh, sw))
    cells = origins[:, :, None, None, :] + _offsets((kh, kw), (dh, dw))[None, None]
    covered = np.zeros(padded, bool)
    covered[cells[..., 0].ravel(), cells[..., 1].ravel()] = True
    used = ((out[0] - 1) * sh + span[0], (out[1] - 1) * sw + span[1])

    dilated = ((out[0] - 1) * sh + 1, (out[1] - 1) * sw + 1)
    entries = _offsets(out, (sh, sw))
    zeros = np.ones(dilated, bool)
    zeros[entries[..., 0].ravel(), entries[..., 1].ravel()] = False
    ring = (span[0] - 1, span[1] - 1)
    full_shape = (dilated[0] + 2 * ring[0], dilated[1] + 2 * ring[1])
    full_mask = np.ones(full_shape, bool)
    full_mask[ring[0]:ring[0] + dilated[0], ring[1]:ring[1] + dilated[1]] = False
    full_zeros = np.ones(full_shape, bool)
    full_zeros[(entries + np.array(ring))[..., 0].ravel(), (entries + np.array(ring))[..., 1].ravel()] = False
    full_windows = _offsets(used)[:, :, None, None, :] + _offsets((kh, kw), (dh, dw))[None, None]
    gaps = np.ones(span, bool)
    gaps[::dh, ::dw] = False
    gap_cells = origins[:, :, None, :] + np.argwhere(gaps)[None, None]
    correlation = _offsets((kh, kw), (dh, dw))[:, :, None, None, :] + _offsets(dilated)[None, None]
    full_gaps = _offsets(used)[:, :, None, :] + np.argwhere(gaps)[None, None]

    return ConvGeometry(
        input_shape=tuple(input_shape), kernel_shape=tuple(kernel_shape), stride=tuple(stride), padding=p,
        dilation=tuple(dilation), padded_shape=padded, output_shape=out, used_shape=used,
        span=span, gap_mask=frozen_mask(gaps), gap_cells=frozen_cells(gap_cells),
        padded_cells=frozen_cells(_offsets(padded)), input_cells=frozen_cells(_offsets((h, w)) + p),
        padding_mask=frozen_mask(padding_mask), padding_cells=_cells(padding_mask),
        window_origins=frozen_cells(origins), window_cells=frozen_cells(cells),
        weight_cells=frozen_cells(cells.transpose(2, 3, 0, 1, 4)), output_cells=frozen_cells(_offsets(out)),
        kernel_cells=frozen_cells(_offsets((kh, kw))),
        covered_mask=frozen_mask(covered), skipped_cells=_cells(~covered),
        dilated_shape=dilated, dilated_entries=frozen_cells(entries),
        inserted_zero_mask=frozen_mask(zeros), inserted_zero_cells=_cells(zeros),
        full_padding=ring, full_padded_shape=full_shape, full_entries=frozen_cells(entries + np.array(ring)),
        full_padding_mask=frozen_mask(full_mask), full_zero_mask=frozen_mask(full_zeros), full_window_cells=frozen_cells(full_windows),
        correlation_cells=frozen_cells(correlation), full_gap_cells=frozen_cells(full_gaps),
    )


@dataclass(frozen=True)
class HeadGeometry:
    """What the layers after the convolution decide, cell by cell of Z.

    ``relu_mask`` is where the ReLU passes (all set when there is no ReLU); ``relu_off_cells``
    the cells it blocks. ``pool_window_cells[r, c]`` are the cells of Z pooled into P[r, c],
    ``pool_winners[r, c]`` the one that won (the trace's decision), ``pool_loser_cells`` every
    cell of Z that won no window. ``blocked_cells`` get no gradient: lost the pool or blocked by
    the ReLU.
    """

    relu_mask: np.ndarray  # Z's shape, bool
    relu_off_cells: np.ndarray  # (n, 2)
    pool_window_cells: np.ndarray | None  # (pooled_rows, pooled_cols, size, size, 2)
    pool_winners: np.ndarray | None  # (pooled_rows, pooled_cols, 2)
    pool_loser_cells: np.ndarray  # (n, 2)
    blocked_cells: np.ndarray  # (n, 2)


def head_geometry(relu_mask, pool: int, pool_winners) -> HeadGeometry:
    """The cells the ReLU and the max pool decide, from the masks and winners of the trace."""
    relu_mask = np.asarray(relu_mask, bool)
    won = np.ones(relu_mask.shape, bool)
    windows = None
    if pool:
        winners = np.asarray(pool_winners, int)
        windows = _offsets(winners.shape[:2], (pool, pool))[:, :, None, None, :] + _offsets((pool, pool))[None, None]
        won = np.zeros(relu_mask.shape, bool)
        won[winners[..., 0].ravel(), winners[..., 1].ravel()] = True
    return HeadGeometry(
        relu_mask=frozen_mask(relu_mask), relu_off_cells=_cells(~relu_mask),
        pool_window_cells=None if windows is None else frozen_cells(windows),
        pool_winners=None if pool_winners is None else frozen_cells(pool_winners),
        pool_loser_cells=_cells(~won), blocked_cells=_cells(~(won & relu_mask)),
    )
