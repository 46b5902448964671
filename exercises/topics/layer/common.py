"""What every layer topic shares: the names of channels, filters and their cells, and which
filter and channel a seed asks about.

Filters and channels are numbered from 1, as rows and columns are: ``X_2`` is input channel 2,
``W_(3,2)`` filter 3's kernel for that channel, ``b_3`` its bias and ``Z_3`` its output map;
``Z_3[1,2]`` is row 1, column 2 of that map. The quiz's plain text says the same in words.
"""


def filter_of(pick, topic: str, config) -> int:
    """The filter a topic asks about (from 0): fixed by the seed, varied between seeds."""
    return pick.index(f"{topic}-filter", config.filters)


def channel_of(pick, topic: str, config) -> int:
    """The input channel a topic asks about (from 0)."""
    return pick.index(f"{topic}-channel", config.channels)


def x_name(c: int) -> str:
    return f"X_{c + 1}"


def w_name(o: int, c: int) -> str:
    return f"W_({o + 1},{c + 1})"


def z_name(o: int) -> str:
    return f"Z_{o + 1}"


def b_name(o: int) -> str:
    return f"b_{o + 1}"


def at(name: str, r: int, col: int) -> str:
    """A cell of a named grid, numbered from 1: Z_2[1,3]."""
    return f"{name}[{r + 1},{col + 1}]"


def plain_at(r: int, col: int) -> str:
    return f"row {r + 1}, column {col + 1}"


def output_shape_path(config, axis: int) -> str:
    """Where the batch's shapes hold the rows (axis 0) or columns (axis 1) of one output map:
    Z1 is rows x cols for one channel and one filter, F x rows x cols otherwise."""
    one = config.channels == 1 and config.filters == 1
    return f"batch.shapes.Z1[{axis if one else axis + 1}]"


def layer_words(config) -> str:
    """'2 input channels, 3 filters, dilation 2x2': what makes this a layer, in words."""
    parts = [f"{config.channels} input channel" + ("s" if config.channels > 1 else ""),
             f"{config.filters} filter" + ("s" if config.filters > 1 else "")]
    if tuple(config.dilation) != (1, 1):
        parts.append(f"dilation {config.dilation[0]}×{config.dilation[1]}")
    return ", ".join(parts)
