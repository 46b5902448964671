"""The whole small CNN on a mini-batch: M images through the same weights, gradients averaged.

    Z1 = conv(X, W1) + b1 -> A1 = ReLU(Z1) -> P1 = maxpool(A1) -> F = flatten(P1)
      -> Z2 = W2 F + b2 -> A2 = sigmoid(Z2) -> L = mean over the batch of BCE(A2, y)

The pipeline always has its ReLU and its max pooling, since they are part of the story; the
pool window is the configuration's, or 2 (1 when the convolution output is a single row or
column). Image 1 is the lecture's input (seeded or given); the others are drawn from the seed.
Given dense weights are used when they fit the pooled features; when pooling changed the number
of features they cannot, and the seed's are used.
Every image's own trace is kept, so a scene can show per-sample gradients adding up to the
averaged one, which is what one SGD step of the batch uses.

With C channels and F filters every image is C x H x W, Z1 holds F maps, each ReLU'd and pooled,
and F flattens them map by map (PyTorch's order). ``dL_dW`` (F, C, kh, kw), ``dL_db`` (F,),
``W_updated`` and ``b_updated`` are the full arrays; ``dL_dkernel``, ``dL_dbias``,
``kernel_updated`` and ``bias_updated`` filter 0's and channel 0's.
"""

from dataclasses import dataclass, field, replace

import numpy as np

from convprop.mathcore import layers
from convprop.mathcore.config import ConfigError, ModelConfig
from convprop.mathcore.conv import conv_forward
from convprop.mathcore.frozen import frozen, set_views
from convprop.mathcore.model import ModelTrace, head_forward, run_model
from convprop.mathcore.values import GIVEN_DECIMALS, VALUE_SPREAD, nonzero_draw

DEFAULT_BATCH = 2
# Each image's gradient is drawn beside the others; more than four no longer fit one row.
MAX_BATCH = 4


@dataclass(frozen=True)
class BatchTrace:
    config: ModelConfig  # the pipeline's: ReLU and pooling on
    samples: tuple[ModelTrace, ...]  # one per image, all with the same weights
    features: np.ndarray  # F, one column per image: (features, M)
    logits: np.ndarray  # Z2, (1, M)
    predictions: np.ndarray  # A2, (1, M)
    targets: np.ndarray  # y, (1, M)
    losses: np.ndarray  # each image's BCE, (M,)
    loss: float  # their mean
    errors: np.ndarray  # A2 - y, (1, M): each image's dL_i/dZ2
    # averaged over the batch: dL/dtheta = 1/M sum_i dL_i/dtheta
    dL_dfc_weight: np.ndarray  # (1, features) = 1/M (A2 - y) F^T
    dL_dfc_bias: float
    dL_dW: np.ndarray  # (F, C, kh, kw)
    dL_db: np.ndarray  # (F,)
    # one SGD step with the averaged gradients, and the batch loss it leads to
    learning_rate: float
    W_updated: np.ndarray  # (F, C, kh, kw)
    b_updated: np.ndarray  # (F,)
    fc_weight_updated: np.ndarray
    fc_bias_updated: float
    loss_updated: float

    # filter 0's and channel 0's views (the whole layer when C = F = 1), fields so a walk over the trace finds them
    dL_dkernel: np.ndarray = field(init=False)
    dL_dbias: float = field(init=False)
    kernel_updated: np.ndarray = field(init=False)
    bias_updated: float = field(init=False)

    def __post_init__(self):
        set_views(
            self,
            dL_dkernel=self.dL_dW[0, 0], dL_dbias=float(self.dL_db[0]), kernel_updated=self.W_updated[0, 0],
            bias_updated=float(self.b_updated[0]),
        )

    @property
    def size(self) -> int:
        return len(self.samples)

    @property
    def shapes(self) -> dict:
        """Each stage's shape for one image (a column per image once batched). One channel and one
        filter give the 2-D shapes; otherwise X is C x H x W, W1 F x C x kh x kw and Z1 and P1
        F x rows x cols."""
        c = self.config
        one = c.channels == 1 and c.filters == 1
        return {
            "X": c.input_size if one else c.input_shape, "W1": c.kernel_size if one else c.kernel_shape,
            "Z1": c.conv_output_size if one else (c.filters, *c.conv_output_size),
            "P1": c.pooled_size if one else (c.filters, *c.pooled_size),
            "F": (self.features.shape[0], 1), "W2": (1, self.features.shape[0]), "Z2": (1, 1),
        }

    @property
    def parameter_counts(self) -> dict:
        """Trainable numbers per layer: F x C x kh x kw kernel weights and F biases, the dense
        weights and theirs."""
        conv = self.config.conv_parameter_count
        return {"conv": conv, "dense": self.features.shape[0] + 1, "total": conv + self.features.shape[0] + 1}


def pipeline_config(config: ModelConfig) -> ModelConfig:
    """The configuration with the pipeline's ReLU and max pooling switched on."""
    pool = config.pool or min(2, *config.conv_output_size)
    return replace(config, relu=True, pool=pool).validate()


def _other_images(config: ModelConfig, first: np.ndarray, size: int) -> list[tuple[np.ndarray, float]]:
    """The images after the first and their targets, each from its own stream of the seed.

    An image equal to an earlier one is drawn again: a batch of copies would teach nothing, and
    with one decimal a tiny input repeats often (a 1x1 input has only 20 possible values). Like
    the first image's, no cell is exactly zero.
    """
    images, seen = [], [first]
    for m in range(1, size):
        rng = np.random.default_rng([config.seed, m])
        image = nonzero_draw(rng, VALUE_SPREAD, GIVEN_DECIMALS, config.input_shape)
        while any(np.array_equal(image, earlier) for earlier in seen):
            image = nonzero_draw(rng, VALUE_SPREAD, GIVEN_DECIMALS, config.input_shape)
        seen.append(image)
        images.append((image, float(rng.integers(0, 2))))
    return images


def run_batch(config: ModelConfig, given: dict | None = None, size: int = DEFAULT_BATCH) -> BatchTrace:
    """Run the pipeline on ``size`` images with shared weights and average the gradients."""
    if not 1 <= size <= MAX_BATCH:
        raise ConfigError(f"batch size must be between 1 and {MAX_BATCH}, got {size}")
    pipeline = pipeline_config(config)
    given = dict(given or {})
    if pipeline.pooled_size != config.pooled_size:
        given.pop("fc_weight", None)  # sized for the unpooled features; the pipeline has fewer
    lecture, config = config, pipeline
    first = run_model(config, given, lecture=lecture)
    v = first.values
    shared = {"kernel": v.W.tolist(), "bias": v.b.tolist(), "fc_weight": v.fc_weight, "fc_bias": v.fc_bias}
    samples = [first] + [
        run_model(config, {**shared, "input": image.tolist(), "target": target}, lecture=lecture)
        for image, target in _other_images(config, v.X, size)
    ]

    features = np.stack([s.head.features for s in samples], axis=1)
    logits = layers.dense(v.fc_weight[None, :], features, v.fc_bias)
    predictions = layers.sigmoid(logits)
    targets = np.array([[s.target for s in samples]])
    losses = layers.bce_with_logit(logits[0], targets[0])
    errors = predictions - targets
    dL_dfc_weight = errors @ features.T / size
    dL_dfc_bias = float(errors.mean())
    dL_dW = np.mean([s.conv_grad.dL_dW for s in samples], axis=0)
    dL_db = np.mean([s.conv_grad.dL_db for s in samples], axis=0)

    rate = config.learning_rate
    W_updated = layers.sgd_step(v.W, dL_dW, rate)
    b_updated = layers.sgd_step(v.b, dL_db, rate)
    fc_weight_updated = layers.sgd_step(v.fc_weight, dL_dfc_weight[0], rate)
    fc_bias_updated = float(layers.sgd_step(v.fc_bias, dL_dfc_bias, rate))
    losses_updated = [
        head_forward(config, conv_forward(s.values.X, W_updated, b_updated, config.stride, config.padding,
                                          config.dilation), fc_weight_updated, fc_bias_updated, s.target).loss
        for s in samples
    ]

    return BatchTrace(
        config=config, samples=tuple(samples), features=frozen(features), logits=frozen(logits),
        predictions=frozen(predictions), targets=frozen(targets), losses=frozen(losses),
        loss=float(losses.mean()), errors=frozen(errors), dL_dfc_weight=frozen(dL_dfc_weight),
        dL_dfc_bias=dL_dfc_bias, dL_dW=frozen(dL_dW), dL_db=frozen(dL_db),
        learning_rate=rate, W_updated=frozen(W_updated), b_updated=frozen(b_updated),
        fc_weight_updated=frozen(fc_weight_updated), fc_bias_updated=fc_bias_updated,
        loss_updated=float(np.mean(losses_updated)),
    )

