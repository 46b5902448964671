"""The kernel weight a scene works out in detail, chosen by a rule a student can check.

The chain rule writes out the terms of one weight's gradient, dL/dw_i = sum_k dL/dz_k x_k, and
the update works one weight's step in full. A weight whose terms all read the zero padding
(w_1 of a padded input: "0.080 · 0.0 = 0.000" four times) shows the rule and teaches nothing,
so the weight explained is **the one with the most non-zero terms, ties to the lowest index**
(row-major, from w_1): w_1 whenever every weight has as many, the centre's w_5 of a 3x3 kernel
over a padded input. A term is zero when its dL/dz_k is (the ReLU blocked the cell, the pool
passed it over) or its input value is (the padding, a given zero). The scene says which weight
it is and reads the choice from the trace (``ModelTrace.explained_weights``).
"""

from collections.abc import Sequence

from convprop.mathcore.conv import WeightGradient


def explained_weight(gradients: Sequence[WeightGradient]) -> int:
    """The row-major index, from 0, of the first weight with the most non-zero terms."""
    counts = [g.nonzero_terms for g in gradients]
    return counts.index(max(counts))
