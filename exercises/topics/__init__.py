"""The topics a sheet can hold, in the order of the lecture, and which apply to a configuration.

Each topic module has a TITLE and ``blocks(ask, sources, pick)``, which asks its questions
through ``ask`` (so each answer is read from its source) and returns the section's blocks. A
convolution layer (several channels or filters, or dilation) asks the same topics through the
modules of ``topics.layer`` (see ``module``).
"""

from convprop.mathcore import ConfigError
from convprop.mathcore.config import NUMBERED_SIDE

from convprop.exercises.topics import (batch, chain_rule, forward, input_gradient, kernel_gradient, layer, learning_rate,
                                      loss, mlp, pooling, update)

MODULES = {
    "forward": forward,
    "loss": loss,
    "chain-rule": chain_rule,
    "kernel-gradient": kernel_gradient,
    "update": update,
    "input-gradient": input_gradient,
    "pooling": pooling,
    "batch": batch,
    "mlp": mlp,
    "learning-rate": learning_rate,
}
TOPICS = tuple(MODULES)
CNN_TOPICS = ("forward", "loss", "chain-rule", "kernel-gradient", "update", "input-gradient", "pooling")


def module(topic: str, config):
    """The module that asks ``topic`` of this configuration: the layer's own for a convolution
    with several channels or filters or a dilated kernel, the lecture's otherwise."""
    if not config.is_single_channel and topic in layer.MODULES:
        return layer.MODULES[topic]
    return MODULES[topic]


def not_applicable(topic: str, config) -> str | None:
    """Why ``topic`` has nothing to ask for this configuration, or None when it applies."""
    if topic == "pooling" and not config.pool:
        return "the model has no max pooling (--pool 0); give --pool 2 or leave pooling out"
    return None


def parse(texts) -> tuple[str, ...] | None:
    """--topics given once or more, each one topic or several separated by commas; None when
    not given (every topic that applies)."""
    names = [name.strip() for text in texts or () for name in text.split(",") if name.strip()]
    if texts and not names:
        raise ConfigError(f"--topics is empty; choose from: {', '.join(TOPICS)}")
    return tuple(names) if names else None


def choose(topics, config) -> tuple[str, ...]:
    """The topics asked for (None: every one that applies), in lecture order.

    ConfigError for an unknown topic or one that does not apply to the configuration.
    """
    if not config.numbered:
        rows, cols = config.padded_size
        raise ConfigError(f"the worksheets write X as a table, legible up to a {NUMBERED_SIDE}x{NUMBERED_SIDE} "
                          f"padded input, and this one is {rows}x{cols}; use a smaller --input-size or --padding")
    if topics is None:
        return tuple(t for t in TOPICS if not_applicable(t, config) is None)
    wanted = []
    for topic in topics:
        if topic not in MODULES:
            raise ConfigError(f"unknown topic '{topic}'; choose from: {', '.join(TOPICS)}")
        reason = not_applicable(topic, config)
        if reason:
            raise ConfigError(f"topic '{topic}' does not apply: {reason}")
        wanted.append(topic)
    if not wanted:
        raise ConfigError(f"no topics given; choose from: {', '.join(TOPICS)}")
    return tuple(t for t in TOPICS if t in wanted)
