"""What several topics show: the given grids, names of cells, picking one entry per seed."""

import random

from convprop.exercises import numbers
from convprop.exercises.document import cell, grid, math


class Picker:
    """The entry a topic asks about (which z_k, which w_i): fixed by the seed, varied between
    seeds, so neighbours' sheets ask about different cells."""

    def __init__(self, seed: int):
        self.seed = seed

    def index(self, topic: str, count: int) -> int:
        return random.Random(f"convprop-exercises/{self.seed}/{topic}").randrange(count)

    def output(self, topic: str, z) -> tuple[int, int, int]:
        """One position of the output grid ``z``: (k, row, col), k counted row by row from 0."""
        k = self.index(topic, len(z) * len(z[0]))
        return (k, *divmod(k, len(z[0])))


def given_cells(matrix, role=None, marks=None, muted=(), decimals=None):
    """Given values as grid cells; ``marks`` maps (row, col) to a highlight role. ``decimals``,
    when given, are the video's for this value (``video_decimals``), so 0 reads 0.0 as it does
    there; otherwise each value takes the fewest decimals that show it."""
    marks = marks or {}
    text = numbers.given if decimals is None else (lambda v: numbers.as_video(v, decimals))
    return [[cell(text(v), "muted" if (r, c) in muted else role, marks.get((r, c)))
             for c, v in enumerate(row)] for r, row in enumerate(matrix)]


def value_cells(matrix, role=None, marks=None):
    """Computed values as grid cells: exact short decimals as they are (0, 0.17, sums of
    products of given values), the rest with as many decimals as the grid's smallest needs."""
    marks = marks or {}
    flat = [x for row in matrix for x in row]
    decimals = max(numbers.answer_decimals(x) for x in flat) if flat else numbers.MIN_DECIMALS

    def text(x):
        short = numbers.given(x, cap=numbers.SHORT_DECIMALS)
        return short if float(short) == x else numbers.fixed(x, decimals)

    return [[cell(text(x), role, marks.get((r, c))) for c, x in enumerate(row)] for r, row in enumerate(matrix)]


def video_decimals(s, name: str) -> int:
    """The decimals the video shows a given value with: input, kernel, bias, fc_weight, fc_bias
    or target (``mathcore.values.decimals_to_show``)."""
    return s.lesson.model.values.decimals[name]


def carried_cells(matrix, role=None, marks=None, source=None):
    """Computed values given to the student, printed with two more decimals than answers.

    Each cell keeps its value, and ``source`` (its path in the command's JSON, e.g. "dL_dz")
    names where it comes from, so that a cell that is an answer asked on the same sheet can
    be printed as a reference to its box instead (``references``)."""
    marks = marks or {}
    return [[{**cell(numbers.carried(v), role, marks.get((r, c))), "value": float(v),
              "source": f"{source}[{r}][{c}]" if source else None}
             for c, v in enumerate(row)] for r, row in enumerate(matrix)]


def carried_grid(label, matrix, role=None, **kw):
    return grid(label, carried_cells(matrix, role, **kw))


def carried_math(text: str, value: float, role=None, source=None) -> dict:
    """A computed value given inside a sentence: ``text`` and the value, as one math run that
    ``references`` can turn into a reference to the box that asks it."""
    return {**math(f"{text}{numbers.carried(value)}", role), "prefix": text, "value": float(value), "source": source}


def given_grid(label, matrix, role=None, **kw):
    return grid(label, given_cells(matrix, role, **kw))


def value_grid(label, matrix, role=None, **kw):
    return grid(label, value_cells(matrix, role, **kw))


def v(value) -> str:
    """A computed value inside an equation, bracketed when negative: (-0.25); an exact 0 as 0."""
    text = numbers.shown(value) if value != 0 else "0"
    return f"({text})" if text.startswith("-") else text


def g(value) -> str:
    """A given value inside an equation, bracketed when negative."""
    text = numbers.given(value)
    return f"({text})" if text.startswith("-") else text


def patch_padding(geometry, r: int, c: int) -> set:
    """Cells (a, b) of the patch under the kernel at output (r, c) that are padding zeros, as
    mathcore's geometry places them."""
    cells = geometry.window_cells[r, c]
    return {(a, b) for a in range(cells.shape[0]) for b in range(cells.shape[1])
            if geometry.padding_mask[tuple(cells[a, b])]}


def padded_muted(geometry) -> set:
    """The padding cells of the padded input."""
    return {tuple(int(x) for x in cell) for cell in geometry.padding_cells}


def chunks(terms: list[str], per_line: int) -> str:
    """Terms joined by ' + ', with a line break every ``per_line`` terms."""
    lines = [" + ".join(terms[i:i + per_line]) for i in range(0, len(terms), per_line)]
    return " \\ + ".join(lines)


D = "(partial {}) / (partial {})".format


def step_name(k: int) -> str:
    """Output positions are numbered from 1, row by row, as the video numbers z_1..z_n."""
    return str(k + 1)
