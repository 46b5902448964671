"""The configurable model of the lecture, run forward and backward into one immutable trace.

    Z = conv(X, W) + b -> A = ReLU(Z)? -> P = maxpool(A)? -> F = flatten(P)
      -> s = w_fc . F + b_fc -> y_hat = sigmoid(s) -> L = BCE(y_hat, y)

then one SGD step, and the loss recomputed with the stepped weights.

With several filters, Z holds F feature maps; the ReLU and the max pool act on each map, and F
flattens them in PyTorch's order: map, then row, then column. The full arrays carry the map axis
first (``head.A``, ``head.P``, ``trace.dL_dA``, ...); the single-map names (``head.activated``,
``trace.dL_dpooled``, ...) are map 0's, the whole of them for one filter.
"""

from dataclasses import dataclass, field

import math
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from convprop.mathcore import layers
from convprop.mathcore.config import ModelConfig
from convprop.mathcore.conv import ConvBackward, ConvForward, conv_backward, conv_forward
from convprop.mathcore.explained_weight import explained_weight
from convprop.mathcore.flattening import FlattenGeometry, flatten_geometry
from convprop.mathcore.frozen import frozen, set_views
from convprop.mathcore.full_windows import full_window_entries
from convprop.mathcore.geometry import ConvGeometry, HeadGeometry, conv_geometry, head_geometry
from convprop.mathcore.kernels import name_of
from convprop.mathcore.pictures import Pictures, pictures_of
from convprop.mathcore.values import Values, resolve_values

if TYPE_CHECKING:
    from convprop.mathcore.redraw import DrawReport


@dataclass(frozen=True)
class HeadForward:
    """Everything after the convolution, for one set of weights.

    Full arrays, one map per filter: ``relu_masks`` (F, out_rows, out_cols), ``A``
    (F, out_rows, out_cols), ``P`` (F, pooled_rows, pooled_cols), ``winners``
    (F, pooled_rows, pooled_cols, 2). Map 0's: ``relu_mask``, ``activated``, ``pooled``,
    ``pool_winners``.
    """

    relu_masks: np.ndarray | None  # where the ReLU passes (exact z > 0); None when there is no ReLU
    A: np.ndarray  # ReLU(Z), or Z when there is no ReLU
    P: np.ndarray  # maxpool(A) map by map, or A when there is no pooling
    winners: np.ndarray | None  # per map and pooled cell, (row, col) of the max in that map of A
    features: np.ndarray  # P flattened: map, then row, then column (PyTorch's order)
    logit: float
    y_hat: float
    loss: float

    # map 0's views (the whole head when F = 1), fields so a walk over the trace finds them
    relu_mask: np.ndarray | None = field(init=False)
    activated: np.ndarray = field(init=False)
    pooled: np.ndarray = field(init=False)
    pool_winners: np.ndarray | None = field(init=False)

    def __post_init__(self):
        set_views(
            self,
            relu_mask=None if self.relu_masks is None else self.relu_masks[0], activated=self.A[0],
            pooled=self.P[0], pool_winners=None if self.winners is None else self.winners[0],
        )


@dataclass(frozen=True)
class ModelTrace:
    """The whole run. Per filter o and channel c the full arrays are ``conv`` (``ConvForward``:
    X, W, b, windows, channel_sums, Z, ...), ``conv_grad`` (``ConvBackward``: dL_dZ, dL_dW,
    dL_db, dL_dX, channel_weight_gradients, ...), ``head`` (A, P, winners), ``dL_dP``, ``dL_dA``,
    ``W_updated`` and ``b_updated``; ``geometry`` is every channel's and filter's, and
    ``filter_head_geometry[o]`` map o's. The single-channel names (``conv.z``, ``kernel_updated``,
    ``head_geometry``, ...) are filter 0's and channel 0's.
    """

    config: ModelConfig
    values: Values
    conv: ConvForward
    head: HeadForward
    target: float
    # backward, from the loss towards the input
    dL_dy_hat: float  # -y/y_hat + (1-y)/(1-y_hat)
    dy_hat_dlogit: float  # y_hat (1 - y_hat)
    dL_dlogit: float  # their product, which simplifies to y_hat - y
    dL_dfeatures: np.ndarray
    dL_dP: np.ndarray  # (F, pooled_rows, pooled_cols): dL/dfeatures reshaped
    dL_dA: np.ndarray  # (F, out_rows, out_cols): routed to each pool window's winner
    dL_dfc_weight: np.ndarray
    dL_dfc_bias: float
    conv_grad: ConvBackward  # holds dL/dz and the chain-rule terms of every kernel weight
    # one SGD step
    learning_rate: float
    W_updated: np.ndarray  # (F, C, kh, kw)
    b_updated: np.ndarray  # (F,)
    fc_weight_updated: np.ndarray
    fc_bias_updated: float
    conv_updated: ConvForward
    head_updated: HeadForward
    # which of the seed's draws the values are, and why earlier ones were drawn again (mathcore.redraw)
    draw: "DrawReport | None" = None

    # filter 0's and channel 0's views (the whole layer when C = F = 1), fields so a walk over the trace finds them
    dL_dpooled: np.ndarray = field(init=False)
    dL_dactivated: np.ndarray = field(init=False)
    kernel_updated: np.ndarray = field(init=False)
    bias_updated: float = field(init=False)

    def __post_init__(self):
        set_views(
            self,
            dL_dpooled=self.dL_dP[0], dL_dactivated=self.dL_dA[0], kernel_updated=self.W_updated[0, 0],
            bias_updated=float(self.b_updated[0]),
        )

    @property
    def z(self) -> np.ndarray:
        return self.conv.z

    @cached_property
    def explained_weights(self) -> tuple[tuple[int, ...], ...]:
        """Per filter o and channel c, the weight of W[o, c] a scene works out in detail
        (``explained_weight``: the first with the most non-zero terms)."""
        return tuple(tuple(explained_weight(kernel) for kernel in row)
                     for row in self.conv_grad.channel_weight_gradients)

    @property
    def dL_dz(self) -> np.ndarray:
        return self.conv_grad.dL_dz

    @property
    def loss(self) -> float:
        return self.head.loss

    @property
    def loss_updated(self) -> float:
        return self.head_updated.loss

    @cached_property  # read by every mark of every play: computed once per trace
    def geometry(self) -> ConvGeometry:
        """Where every window, lit cell, padding and inserted zero sits (see mathcore.geometry)."""
        c = self.conv
        return conv_geometry(c.input.shape, c.kernel.shape, c.stride, c.padding, c.dilation)

    @property
    def kernel_name(self) -> str | None:
        """W's name when it is one of the named kernels (``mathcore.kernels``), however chosen."""
        return name_of(self.values.kernel)

    @cached_property  # read by every mark of every play: computed once per trace
    def pictures(self) -> Pictures:
        """The padded input, Z, A, P and the kernels as grey pictures, their gradients as signed heat maps."""
        c, g = self.conv, self.conv_grad
        return pictures_of(c.X_padded, c.Z, g.dL_dX, self.head.A, self.head.P, g.dL_dZ, self.dL_dA, self.dL_dP,
                           g.dilated_dL_dZ, g.padded_dilated_dL_dZ, g.dL_dX_padded, c.W, g.dL_dW)

    @cached_property
    def full_windows(self) -> np.ndarray:
        """Per filter, the entries of its padded dilated dL/dZ under the rotated kernel's window
        for each cell of dL/d(padded X): what a picture's window is written out as, close up."""
        return full_window_entries(self.conv_grad.padded_dilated_dL_dZ, self.geometry.full_window_cells)

    @cached_property  # read by every mark of every play: computed once per trace
    def head_geometry(self) -> HeadGeometry:
        """The cells of Z the ReLU blocks and the max pool picks, as this trace decided them."""
        return self.filter_head_geometry[0]

    @cached_property  # read by every mark of every play: computed once per trace
    def flatten_geometry(self) -> FlattenGeometry:
        """Which cell of which pooled map each feature of F is (see mathcore.flattening)."""
        return flatten_geometry(self.head.P.shape)

    @cached_property
    def filter_head_geometry(self) -> tuple[HeadGeometry, ...]:
        """Per filter's map, the cells of Z[o] the ReLU blocks and the max pool picks."""
        h = self.head
        return tuple(
            head_geometry(np.ones(self.conv.z.shape, bool) if h.relu_masks is None else h.relu_masks[o],
                          self.config.pool, None if h.winners is None else h.winners[o])
            for o in range(self.conv.filters)
        )


def _read_only(array) -> np.ndarray:
    out = np.array(array, copy=True)
    out.setflags(write=False)
    return out


def head_forward(config: ModelConfig, conv: ConvForward, fc_weight, fc_bias, target) -> HeadForward:
    """Everything after the convolution, map by map. ReLU and pooling decide on the exact Z
    (``mathcore.exact``)."""
    exact = conv.exact_Z
    mask = None
    if config.relu:
        mask = layers.relu_mask(exact)
        exact = np.where(mask, exact, 0)
    activated = layers.relu(conv.Z) if config.relu else np.asarray(conv.Z, float)
    winners = None
    pooled = activated
    if config.pool:
        maps = [layers.maxpool(activated[o], config.pool, config.pool, exact=exact[o]) for o in range(len(activated))]
        pooled, winners = np.stack([m[0] for m in maps]), np.stack([m[1] for m in maps])
    features = pooled.reshape(-1)
    logit = float(layers.dense(fc_weight, features, fc_bias))
    return HeadForward(
        relu_masks=None if mask is None else _read_only(mask),
        A=frozen(activated), P=frozen(pooled),
        winners=None if winners is None else _read_only(winners),
        features=frozen(features), logit=logit, y_hat=float(layers.sigmoid(logit)),
        loss=float(layers.bce_with_logit(logit, target)),
    )


def loss_slope_at_prediction(logit: float, target: float) -> float:
    """dL/dy_hat = -y/y_hat + (1-y)/(1-y_hat), with 1 - y_hat taken as sigmoid(-s) so it keeps
    its digits. Infinite only when the sigmoid has saturated to exactly 0 or 1; the product
    with dy_hat/ds, y_hat - y, stays finite regardless."""
    y_hat, one_minus = float(layers.sigmoid(logit)), float(layers.sigmoid(-logit))
    terms = []
    for weight, p in ((-target, y_hat), (1 - target, one_minus)):
        if weight:
            terms.append(weight / p if p else math.copysign(math.inf, weight))
    return float(sum(terms))


@dataclass(frozen=True)
class HeadBackward:
    """The gradient from the loss back to Z, map by map (shapes as in ``ModelTrace``)."""

    dL_dlogit: float
    dL_dfeatures: np.ndarray
    dL_dP: np.ndarray
    dL_dA: np.ndarray
    dL_dZ: np.ndarray


def head_backward(config: ModelConfig, head: HeadForward, fc_weight, target: float) -> HeadBackward:
    """Back through the loss, the dense layer, the max pool (to each window's winner) and the
    ReLU (where it passed)."""
    dL_dlogit = head.y_hat - target
    dL_dfeatures = dL_dlogit * fc_weight
    dL_dP = dL_dfeatures.reshape(head.P.shape)
    if config.pool:
        dL_dA = np.stack([layers.maxpool_backward(head.A.shape[1:], head.winners[o], dL_dP[o])
                          for o in range(len(dL_dP))])
    else:
        dL_dA = dL_dP
    dL_dZ = layers.relu_backward(head.relu_masks, dL_dA) if config.relu else dL_dA
    return HeadBackward(float(dL_dlogit), dL_dfeatures, dL_dP, dL_dA, dL_dZ)


@dataclass(frozen=True)
class Step:
    """One SGD step of every parameter, and the forward pass again with the new ones."""

    W_updated: np.ndarray
    b_updated: np.ndarray
    fc_weight_updated: np.ndarray
    fc_bias_updated: float
    conv_updated: ConvForward
    head_updated: HeadForward


def sgd_update(config: ModelConfig, v: Values, head: HeadForward, dL_dlogit: float, dL_dW, dL_db) -> Step:
    """W* = W - alpha dL/dW for the kernels, the biases and the dense layer, then forward again."""
    rate = config.learning_rate
    W_updated = layers.sgd_step(v.W, dL_dW, rate)
    b_updated = layers.sgd_step(v.b, dL_db, rate)
    fc_weight_updated = layers.sgd_step(v.fc_weight, dL_dlogit * head.features, rate)
    fc_bias_updated = float(layers.sgd_step(v.fc_bias, dL_dlogit, rate))
    conv_updated = conv_forward(v.X, W_updated, b_updated, config.stride, config.padding, config.dilation)
    head_updated = head_forward(config, conv_updated, fc_weight_updated, fc_bias_updated, v.target)
    return Step(W_updated, b_updated, fc_weight_updated, fc_bias_updated, conv_updated, head_updated)


def run_model(config: ModelConfig, given: dict | None = None, lecture: ModelConfig | None = None) -> ModelTrace:
    """Validate, then compute the whole forward and backward pass and one update step.

    ``lecture``: the configuration whose lesson this run is the mini-batch pipeline of; its
    seeded values are then the pipeline's part of the lecture's draw (``redraw.seeded_draw``),
    so that image 1 is the lecture's input."""
    from convprop.mathcore.redraw import draw_report, pipeline_values  # the redraw judges with this module

    config.validate()
    seeded = None if lecture is None else pipeline_values(lecture)
    return trace_of(config, resolve_values(config, given, seeded), draw_report(lecture or config, given))


def trace_of(config: ModelConfig, v: Values, draw: "DrawReport | None" = None) -> ModelTrace:
    """The whole forward and backward pass and one update step of a valid configuration."""
    conv = conv_forward(v.X, v.W, v.b, config.stride, config.padding, config.dilation)
    head = head_forward(config, conv, v.fc_weight, v.fc_bias, v.target)
    back = head_backward(config, head, v.fc_weight, v.target)
    conv_grad = conv_backward(conv, back.dL_dZ)
    step = sgd_update(config, v, head, back.dL_dlogit, conv_grad.dL_dW, conv_grad.dL_db)

    return ModelTrace(
        config=config, values=v, conv=conv, head=head, target=v.target,
        dL_dy_hat=loss_slope_at_prediction(head.logit, v.target),
        dy_hat_dlogit=float(head.y_hat * layers.sigmoid(-head.logit)), dL_dlogit=back.dL_dlogit,
        dL_dfeatures=frozen(back.dL_dfeatures), dL_dP=frozen(back.dL_dP),
        dL_dA=frozen(back.dL_dA), dL_dfc_weight=frozen(back.dL_dlogit * head.features),
        dL_dfc_bias=back.dL_dlogit, conv_grad=conv_grad, learning_rate=config.learning_rate,
        W_updated=frozen(step.W_updated), b_updated=frozen(step.b_updated),
        fc_weight_updated=frozen(step.fc_weight_updated), fc_bias_updated=step.fc_bias_updated,
        conv_updated=step.conv_updated, head_updated=step.head_updated, draw=draw,
    )
