"""The kernels every image-processing course shows, by name, as the numbers the video writes.

A scene writes each kernel entry with the fewest decimals that state it exactly, four at most
(``DECIMALS``). Most textbook kernels are exact in that: sobel, laplacian,
sharpen and edge are whole numbers, the 3x3 gaussian's sixteenths are 0.0625, 0.125 and 0.25,
the 5x5 box blur's 1/25 is 0.04. Two are not: the 3x3 box blur's 1/9 and the 5x5 gaussian's
two-hundred-and-fifty-sixths (1/256 = 0.00390625). Those are *defined here* rounded to four
decimals (0.1111, 0.0039, ...), so the kernel the student reads is exactly the kernel the
convolution uses; their entries then sum to 0.9999 (3x3 box blur) and 0.9998 (5x5 gaussian),
not to 1, and a flat patch shows that honestly.

5x5 exists only for the kernels with one standard 5x5 form: identity, box blur and the
binomial gaussian. Sobel, laplacian, sharpen and edge detection are taught as 3x3.
"""

import numpy as np

from convprop.mathcore.frozen import frozen
from convprop.mathcore.values import MAX_SHOWN_DECIMALS

# Every named kernel is exact in the most decimals a scene writes a given value with.
DECIMALS = MAX_SHOWN_DECIMALS

_BINOMIAL = {3: np.array([1, 2, 1]), 5: np.array([1, 4, 6, 4, 1])}


def _identity(n: int) -> np.ndarray:
    k = np.zeros((n, n))
    k[n // 2, n // 2] = 1
    return k


def _gaussian(n: int) -> np.ndarray:
    row = _BINOMIAL[n]
    return np.outer(row, row) / row.sum() ** 2


_DEFINITIONS = {
    3: {
        "identity": _identity(3),
        "box-blur": np.full((3, 3), 1 / 9),
        "gaussian-blur": _gaussian(3),
        "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
        "sobel-x": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]),  # lights up vertical edges
        "sobel-y": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]]),  # lights up horizontal edges
        "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
        "edge": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
    },
    5: {
        "identity": _identity(5),
        "box-blur": np.full((5, 5), 1 / 25),
        "gaussian-blur": _gaussian(5),
    },
}

NAMES = tuple(_DEFINITIONS[3])


def _as_written(kernel: np.ndarray) -> np.ndarray:
    # + 0.0 turns -0.0 into 0.0, so no kernel entry is ever printed "-0"
    return frozen(np.round(np.asarray(kernel, float), DECIMALS) + 0.0)


KERNELS = {side: {name: _as_written(k) for name, k in named.items()} for side, named in _DEFINITIONS.items()}


def sizes_of(name: str) -> tuple[int, ...]:
    """The sides a named kernel exists in (3, or 3 and 5); () for a name that is not one."""
    return tuple(side for side, named in KERNELS.items() if name in named)


def named_kernel(name: str, side: int = 3) -> np.ndarray:
    """The kernel called ``name`` (one of NAMES) at ``side`` x ``side``, as the video writes it.

    >>> named_kernel("sobel-x").tolist()
    [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]
    """
    if name not in NAMES:
        raise KeyError(name)
    if name not in KERNELS.get(side, {}):
        raise KeyError((name, side))
    return KERNELS[side][name]


def name_of(kernel) -> str | None:
    """The name of a kernel equal to a named one (whatever chose it: --kernel or --values), else
    None; so the video names W only when it is that kernel."""
    arr = np.asarray(kernel, float)
    side = arr.shape[0] if arr.ndim == 2 and arr.shape[0] == arr.shape[1] else None
    return next((name for name, known in KERNELS.get(side, {}).items() if np.array_equal(arr, known)), None)


def with_named_kernel(name: str, kernel_size, size_given: bool, given: dict, channels: int = 1,
                      filters: int = 1) -> tuple[tuple[int, int], dict]:
    """The named kernel as the ``kernel`` of the given values, and its size (3x3 unless the size
    given says 5): what ``--kernel`` and the ``kernel`` setting mean. ConfigError on a conflict."""
    from convprop.mathcore.config import ConfigError

    if name not in NAMES:
        raise ConfigError(f"unknown kernel '{name}'; the named kernels are: {', '.join(NAMES)}")
    if channels != 1 or filters != 1:
        raise ConfigError(f"--kernel {name} is one filter of one channel; drop it, or use --channels 1 --filters 1")
    if "kernel" in given:
        raise ConfigError(f"--kernel {name} and 'kernel' in --values both give W; drop one of them")
    side = kernel_size[0] if size_given else 3
    if size_given and (kernel_size[0] != kernel_size[1] or side not in sizes_of(name)):
        others = ", ".join(n for n in KERNELS.get(kernel_size[0], {}) if kernel_size[0] == kernel_size[1])
        also = f"; at {kernel_size[0]}x{kernel_size[1]} there are: {others}" if others else ""
        raise ConfigError(f"--kernel {name} is {' or '.join(f'{n}x{n}' for n in sizes_of(name))}, "
                          f"not --kernel-size {kernel_size[0]}x{kernel_size[1]}{also}")
    return (side, side), {**given, "kernel": KERNELS[side][name].tolist()}
