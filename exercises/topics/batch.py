"""batch: a mini-batch's gradient as the mean of its images' gradients."""

from convprop.exercises import numbers
from convprop.exercises.document import box, boxes, cell, eq, grid, grids, math, par
from convprop.exercises.topics.common import D, chunks, g, given_grid

TITLE = "A mini-batch"


def carry(value, answer) -> str:
    """A given computed value, printed with two decimals more than the answer built from it shows."""
    short = numbers.given(value, cap=numbers.SHORT_DECIMALS)
    if float(short) == value:  # exact as it stands, e.g. a feature 1.06 or a target 0
        return f"({short})" if short.startswith("-") else short
    decimals = max(numbers.answer_decimals(value), numbers.answer_decimals(answer)) + numbers.CARRIED_EXTRA
    text = numbers.fixed(value, decimals)
    return f"({text})" if text.startswith("-") else text


def blocks(ask, s, pick) -> list:
    b = s.cnn["batch"]
    m = b["size"]
    features = b["features"]  # one column per image
    j = pick.index("batch-feature", len(features))
    kh, kw = b["shapes"]["W1"]
    i = pick.index("batch-kernel", kh * kw)
    a, c = divmod(i, kw)
    bias = ask.ask("dL-db2", f"dL/db2 for the mini-batch of {m}: the mean of A2 - y over the images.",
                   "batch.averaged.dL_dfc_bias")
    weight = ask.ask(f"dL-dW2-{j + 1}", f"dL/dW2 entry {j + 1} for the mini-batch: the mean over the images of "
                     f"(A2 - y) times feature {j + 1}.", f"batch.averaged.dL_dfc_weight[{j}]")
    kernel = ask.ask(f"dL-dW1-{i + 1}", f"dL/dw_{i + 1} of the kernel W1 for the mini-batch: the mean of the images' own "
                     f"gradients.", f"batch.averaged.dL_dkernel[{a}][{c}]")
    per_image = [sample["dL_dkernel"][a][c] for sample in b["per_sample"]]
    errors = s.lesson.pipeline.errors[0].tolist()
    out = [par(f"The same network (with its ReLU and {b['pool']}×{b['pool']} max pooling) sees a mini-batch of {m} images. "
               "The loss is the mean of the images' losses, so every gradient is the mean of the images' gradients. "
               "For each image ", math("i"), " you are given its prediction ", math("A_(2,i)", "output"), ", its target ",
               math("y_i"), ", its features (column ", math("i"), " of ", math("F", "output"), ") and its own ",
               math(f"{D('L_i', f'w_{i + 1}')}", "gradient"), ":"),
           grids(grid_row("A_2", [carry(x, bias.answer).strip("()") for x in b["predictions"]], "output", b["predictions"]),
                 given_grid("y", [b["targets"]]),
                 grid_col("F", [[carry(x, weight.answer).strip("()") for x in row] for row in features], "output", j, features),
                 grid_row(D("L_i", f"w_{i + 1}"), [carry(x, kernel.answer).strip("()") for x in per_image], "gradient",
                          per_image)),
           boxes(box(D("L", "b_2"), bias, "gradient"), box(D("L", f"W_(2,{j + 1})"), weight, "gradient"),
                 box(D("L", f"w_{i + 1}"), kernel, "gradient"))]
    out.append(eq(f"{D('L', 'b_2')} = 1/{m} sum_i (A_(2,i) - y_i) = 1/{m} (", math(chunks([g(x) for x in errors], 4), "gradient"),
                  ") = ", math(bias.shown, "gradient")))
    products = [f"{g(e)} dot {g(f)}" for e, f in zip(errors, features[j])]
    out.append(eq(f"{D('L', f'W_(2,{j + 1})')} = 1/{m} sum_i (A_(2,i) - y_i) F_({j + 1},i) = 1/{m} (",
                  math(chunks(products, 3), "gradient"), ") = ", math(weight.shown, "gradient")))
    out.append(eq(f"{D('L', f'w_{i + 1}')} = 1/{m} sum_i {D('L_i', f'w_{i + 1}')} = 1/{m} (",
                  math(chunks([g(x) for x in per_image], 4), "gradient"), ") = ", math(kernel.shown, "gradient")))
    return out


def grid_row(label, texts, role, values=None):
    """One row of computed values; with ``values`` each cell keeps its number, so that one that is
    an answer asked on the sheet is printed as its box instead (``references``)."""
    values = values or [None] * len(texts)
    return grid(label, [[_valued(cell(t, role), x) for t, x in zip(texts, values)]])


def grid_col(label, rows, role, mark_row, values=None):
    values = values or [[None] * len(row) for row in rows]
    return grid(label, [[_valued(cell(t, role, "focus" if r == mark_row else None), x) for t, x in zip(row, xs)]
                        for r, (row, xs) in enumerate(zip(rows, values))])


def _valued(c: dict, value) -> dict:
    return c if value is None else {**c, "value": float(value)}
