"""The flatten's geometry: each feature of F is the cell of P it names, in torch.flatten's order."""

import numpy as np
import pytest
import torch

from convprop.mathcore import ModelConfig
from convprop.mathcore.flattening import flatten_geometry
from convprop.mathcore.lesson import run_lesson

CONFIGS = [ModelConfig(), ModelConfig(channels=3, filters=2, relu=True, pool=2),
           ModelConfig(input_size=(7, 7), stride=(1, 1), padding=1, channels=3, filters=4, relu=True, pool=2),
           ModelConfig(input_size=(7, 7), kernel_size=(5, 5), stride=(1, 1), channels=2, filters=3)]


@pytest.mark.parametrize("config", CONFIGS)
def test_each_feature_is_the_cell_its_source_names_in_torch_order(config):
    t = run_lesson(config)
    g = t.flatten_geometry
    P = torch.tensor(np.asarray(t.head.P), dtype=torch.float64)
    flat = torch.flatten(P[None], start_dim=1)[0].numpy()  # a batch of one, as a model flattens it
    np.testing.assert_array_equal(t.head.features, flat)
    for j, (o, r, c) in enumerate(g.sources):
        assert t.head.features[j] == t.head.P[o, r, c]
    for o in range(config.filters):
        first = g.first_feature[o]
        for k, (r, c) in enumerate(g.map_cells[o]):
            assert tuple(g.sources[first + k]) == (o, r, c)
    assert g.per_map * config.filters == t.head.features.size


def test_the_torch_order_is_map_then_row_then_column():
    P = torch.arange(2 * 2 * 3, dtype=torch.float64).reshape(1, 2, 2, 3)
    flat = torch.flatten(P, start_dim=1)[0].numpy()
    g = flatten_geometry((2, 2, 3))
    assert [flat[j] for j in range(12)] == [P[0, o, r, c].item() for o, r, c in g.sources]
    assert list(g.first_feature) == [0, 6] and g.per_map == 6
    assert g.sources.flags.writeable is False
