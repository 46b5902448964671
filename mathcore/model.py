"""The configurable model of the lecture, run forward and backward into one immutable trace.

    Z = conv(X, W) + b -> A = ReLU(Z)? -> P = maxpool(A)? -> F = flatten(P)
      -> s = w_fc . F + b_fc -> y_hat = sigmoid(s) -> L = BCE(y_hat, y)

then one SGD step, and the loss recomputed with the stepped weights.
"""

from dataclasses import dataclass

import math
from functools import cached_property

import numpy as np

from convprop.mathcore import layers
from convprop.mathcore.config import ModelConfig
from convprop.mathcore.conv import ConvBackward, ConvForward, conv_backward, conv_forward
from convprop.mathcore.frozen import frozen
from convprop.mathcore.geometry import ConvGeometry, HeadGeometry, conv_geometry, head_geometry
from convprop.mathcore.kernels import name_of
from convprop.mathcore.pictures import Pictures, pictures_of
from convprop.mathcore.values import Values, resolve_values


@dataclass(frozen=True)
class HeadForward:
    """Everything after the convolution, for one set of weights."""

    relu_mask: np.ndarray | None  # where the ReLU passes (exact z > 0); None when there is no ReLU
    activated: np.ndarray  # ReLU(Z), or Z when there is no ReLU
    pooled: np.ndarray  # maxpool(activated), or activated when there is no pooling
    pool_winners: np.ndarray | None  # per pooled cell, (row, col) of the max in ``activated``
    features: np.ndarray  # pooled, flattened row-major
    logit: float
    y_hat: float
    loss: float


@dataclass(frozen=True)
class ModelTrace:
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
    dL_dpooled: np.ndarray
    dL_dactivated: np.ndarray
    dL_dfc_weight: np.ndarray
    dL_dfc_bias: float
    conv_grad: ConvBackward  # holds dL/dz and the chain-rule terms of every kernel weight
    # one SGD step
    learning_rate: float
    kernel_updated: np.ndarray
    bias_updated: float
    fc_weight_updated: np.ndarray
    fc_bias_updated: float
    conv_updated: ConvForward
    head_updated: HeadForward

    @property
    def z(self) -> np.ndarray:
        return self.conv.z

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
        return conv_geometry(c.input.shape, c.kernel.shape, c.stride, c.padding)

    @property
    def kernel_name(self) -> str | None:
        """W's name when it is one of the named kernels (``mathcore.kernels``), however chosen."""
        return name_of(self.values.kernel)

    @cached_property  # read by every mark of every play: computed once per trace
    def pictures(self) -> Pictures:
        """The padded input and Z as grey pictures, dL/dX as a signed heat map."""
        return pictures_of(self.conv.padded_input, self.conv.z, self.conv_grad.dL_dinput)

    @cached_property  # read by every mark of every play: computed once per trace
    def head_geometry(self) -> HeadGeometry:
        """The cells of Z the ReLU blocks and the max pool picks, as this trace decided them."""
        mask = self.head.relu_mask
        relu_mask = np.ones(self.conv.z.shape, bool) if mask is None else mask
        return head_geometry(relu_mask, self.config.pool, self.head.pool_winners)


def _read_only(array) -> np.ndarray:
    out = np.array(array, copy=True)
    out.setflags(write=False)
    return out


def head_forward(config: ModelConfig, conv: ConvForward, fc_weight, fc_bias, target) -> HeadForward:
    """Everything after the convolution. ReLU and pooling decide on the exact z (``mathcore.exact``)."""
    exact = conv.exact_z
    mask = None
    if config.relu:
        mask = layers.relu_mask(exact)
        exact = np.where(mask, exact, 0)
    activated = layers.relu(conv.z) if config.relu else np.asarray(conv.z, float)
    winners = None
    pooled = activated
    if config.pool:
        pooled, winners = layers.maxpool(activated, config.pool, config.pool, exact=exact)
    features = pooled.reshape(-1)
    logit = float(layers.dense(fc_weight, features, fc_bias))
    return HeadForward(
        relu_mask=None if mask is None else _read_only(mask),
        activated=frozen(activated), pooled=frozen(pooled),
        pool_winners=None if winners is None else _read_only(winners),
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


def run_model(config: ModelConfig, given: dict | None = None) -> ModelTrace:
    """Validate, then compute the whole forward and backward pass and one update step."""
    config.validate()
    v = resolve_values(config, given)
    conv = conv_forward(v.input, v.kernel, v.bias, config.stride, config.padding)
    head = head_forward(config, conv, v.fc_weight, v.fc_bias, v.target)

    dL_dlogit = head.y_hat - v.target
    dL_dfeatures = dL_dlogit * v.fc_weight
    dL_dpooled = dL_dfeatures.reshape(head.pooled.shape)
    if config.pool:
        dL_dactivated = layers.maxpool_backward(head.activated.shape, head.pool_winners, dL_dpooled)
    else:
        dL_dactivated = dL_dpooled
    dL_dz = layers.relu_backward(head.relu_mask, dL_dactivated) if config.relu else dL_dactivated
    conv_grad = conv_backward(conv, dL_dz)

    rate = config.learning_rate
    kernel_updated = layers.sgd_step(v.kernel, conv_grad.dL_dkernel, rate)
    bias_updated = float(layers.sgd_step(v.bias, conv_grad.dL_dbias, rate))
    fc_weight_updated = layers.sgd_step(v.fc_weight, dL_dlogit * head.features, rate)
    fc_bias_updated = float(layers.sgd_step(v.fc_bias, dL_dlogit, rate))
    conv_updated = conv_forward(v.input, kernel_updated, bias_updated, config.stride, config.padding)
    head_updated = head_forward(config, conv_updated, fc_weight_updated, fc_bias_updated, v.target)

    return ModelTrace(
        config=config, values=v, conv=conv, head=head, target=v.target,
        dL_dy_hat=loss_slope_at_prediction(head.logit, v.target),
        dy_hat_dlogit=float(head.y_hat * layers.sigmoid(-head.logit)), dL_dlogit=float(dL_dlogit), dL_dfeatures=frozen(dL_dfeatures), dL_dpooled=frozen(dL_dpooled),
        dL_dactivated=frozen(dL_dactivated), dL_dfc_weight=frozen(dL_dlogit * head.features),
        dL_dfc_bias=float(dL_dlogit), conv_grad=conv_grad, learning_rate=rate,
        kernel_updated=frozen(kernel_updated), bias_updated=bias_updated,
        fc_weight_updated=frozen(fc_weight_updated), fc_bias_updated=fc_bias_updated,
        conv_updated=conv_updated, head_updated=head_updated,
    )
