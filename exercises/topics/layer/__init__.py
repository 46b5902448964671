"""The topics asked of a convolution layer (several input channels or filters, or a dilated
kernel): each asks its question of the whole layer, filter by filter and channel by channel.

A module here replaces the single-channel module of the same topic when the configuration is a
layer; topics with nothing of the convolution in them (mlp, learning-rate) are the same for both.
"""

from convprop.exercises.topics.layer import (batch, chain_rule, forward, input_gradient, kernel_gradient, loss,
                                             pooling, update)
from convprop.exercises.topics.layer.givens import layer_givens

MODULES = {
    "forward": forward,
    "loss": loss,
    "chain-rule": chain_rule,
    "kernel-gradient": kernel_gradient,
    "update": update,
    "input-gradient": input_gradient,
    "pooling": pooling,
    "batch": batch,
}

__all__ = ["MODULES", "layer_givens"]
