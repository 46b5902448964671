"""batch, for a layer: a mini-batch's gradient as the mean of its images' gradients, for the dense
layer and for one weight of one filter's kernel on one channel."""

from convprop.exercises.document import box, boxes, eq, grids, math, par
from convprop.exercises.topics.batch import carry, grid_col, grid_row
from convprop.exercises.topics.common import D, chunks, g, given_grid
from convprop.exercises.topics.layer.common import at, channel_of, filter_of, w_name

TITLE = "A mini-batch"


def blocks(ask, s, pick) -> list:
    c, b = s.lesson.model.config, s.cnn["batch"]
    m = b["size"]
    features = b["features"]  # one column per image
    j = pick.index("batch-feature", len(features))
    kh, kw = c.kernel_size
    o, ch = filter_of(pick, "batch", c), channel_of(pick, "batch", c)
    i = pick.index("batch-kernel", kh * kw)
    a, col = divmod(i, kw)
    w = at(w_name(o, ch), a, col)
    bias = ask.ask("dL-db2", f"dL/db2 for the mini-batch of {m}: the mean of A2 - y over the images.",
                   "batch.averaged.dL_dfc_bias")
    weight = ask.ask(f"dL-dW2-{j + 1}", f"dL/dW2 entry {j + 1} for the mini-batch: the mean over the images of "
                     f"(A2 - y) times feature {j + 1}.", f"batch.averaged.dL_dfc_weight[{j}]")
    kernel = ask.ask(f"dL-dW1-{o + 1}-{ch + 1}-{i + 1}", f"dL/d{w} (filter {o + 1}, channel {ch + 1}, row {a + 1}, "
                     f"column {col + 1} of the convolution's kernels) for the mini-batch: the mean of the images' own "
                     "gradients.", f"batch.averaged.dL_dkernel[{o}][{ch}][{a}][{col}]")
    per_image = [sample["dL_dkernel"][o][ch][a][col] for sample in b["per_sample"]]
    errors = s.lesson.pipeline.errors[0].tolist()
    out = [par(f"The same network (its layer with ReLU and {b['pool']}×{b['pool']} max pooling on each map) sees a "
               f"mini-batch of {m} images. The loss is the mean of the images' losses, so every gradient is the mean of "
               "the images' gradients. For each image ", math("i"), " you are given its prediction ",
               math("A_(2,i)", "output"), ", its target ", math("y_i"), ", its features (column ", math("i"), " of ",
               math("F", "output"), ") and its own ", math(D("L_i", w), "gradient"), ":"),
           grids(grid_row("A_2", [carry(x, bias.answer).strip("()") for x in b["predictions"]], "output", b["predictions"]),
                 given_grid("y", [b["targets"]]),
                 grid_col("F", [[carry(x, weight.answer).strip("()") for x in row] for row in features], "output", j, features),
                 grid_row(D("L_i", w), [carry(x, kernel.answer).strip("()") for x in per_image], "gradient", per_image)),
           boxes(box(D("L", "b_2"), bias, "gradient"), box(D("L", f"W_(2,{j + 1})"), weight, "gradient"),
                 box(D("L", w), kernel, "gradient"))]
    out.append(eq(f"{D('L', 'b_2')} = 1/{m} sum_i (A_(2,i) - y_i) = 1/{m} (", math(chunks([g(x) for x in errors], 4), "gradient"),
                  ") = ", math(bias.shown, "gradient")))
    products = [f"{g(e)} dot {g(f)}" for e, f in zip(errors, features[j])]
    out.append(eq(f"{D('L', f'W_(2,{j + 1})')} = 1/{m} sum_i (A_(2,i) - y_i) F_({j + 1},i) = 1/{m} (",
                  math(chunks(products, 3), "gradient"), ") = ", math(weight.shown, "gradient")))
    out.append(eq(f"{D('L', w)} = 1/{m} sum_i {D('L_i', w)} = 1/{m} (",
                  math(chunks([g(x) for x in per_image], 4), "gradient"), ") = ", math(kernel.shown, "gradient")))
    return out
