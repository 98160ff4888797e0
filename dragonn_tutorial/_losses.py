"""Losses that ignore missing labels (NaN = not measured), one per output type.

Each loss is the mean of the element-wise loss over the *observed* entries of a
batch (all tasks together), so a multi-task label matrix with NaN holes trains
exactly like the same data with the unmeasured entries removed. Per-sample
weights (and ``class_weight``) multiply each sequence's terms; the normaliser
stays the number of observed entries.

Imported lazily (it imports Keras); registered with Keras so ``.keras`` files
load without ``custom_objects``.
"""
from __future__ import annotations

import keras
from keras import ops

__all__ = ["MaskedBinaryCrossentropy", "MaskedMeanSquaredError", "MaskedPoisson", "loss_for_output"]


class _MaskedLoss(keras.losses.Loss):
    """Base: ``elementwise(y, p)`` on observed entries, mean over observed entries."""

    def elementwise(self, y, p):  # pragma: no cover - abstract
        raise NotImplementedError

    def call(self, y_true, y_pred):
        y_pred = ops.cast(y_pred, "float32")
        y_true = ops.cast(y_true, "float32")
        if len(y_true.shape) == len(y_pred.shape) - 1:
            y_true = ops.expand_dims(y_true, -1)
        observed = ops.logical_not(ops.isnan(y_true))
        clean = ops.where(observed, y_true, ops.zeros_like(y_true))
        mask = ops.cast(observed, "float32")
        per_entry = self.elementwise(clean, y_pred) * mask
        per_sample = ops.sum(per_entry, axis=-1)
        # Keras divides the sum over the batch by the batch size; rescale so the result is the
        # mean over observed entries (batch size / number observed).
        batch = ops.cast(ops.shape(y_true)[0], "float32")
        n_observed = ops.maximum(ops.sum(mask), 1.0)
        return per_sample * (batch / n_observed)


@keras.saving.register_keras_serializable(package="dragonn_tutorial")
class MaskedBinaryCrossentropy(_MaskedLoss):
    """Binary cross-entropy on sigmoid probabilities; NaN labels are skipped."""

    def __init__(self, name="masked_binary_crossentropy", **kwargs):
        super().__init__(name=name, **kwargs)

    def elementwise(self, y, p):
        eps = 1e-7
        p = ops.clip(p, eps, 1 - eps)
        return -(y * ops.log(p) + (1 - y) * ops.log(1 - p))


@keras.saving.register_keras_serializable(package="dragonn_tutorial")
class MaskedMeanSquaredError(_MaskedLoss):
    """Mean squared error; NaN labels are skipped."""

    def __init__(self, name="masked_mean_squared_error", **kwargs):
        super().__init__(name=name, **kwargs)

    def elementwise(self, y, p):
        return ops.square(y - p)


@keras.saving.register_keras_serializable(package="dragonn_tutorial")
class MaskedPoisson(_MaskedLoss):
    """Poisson negative log-likelihood (up to a constant), ``p - y log p``, for
    non-negative counts predicted by a softplus or exponential output; NaN labels are skipped."""

    def __init__(self, name="masked_poisson", **kwargs):
        super().__init__(name=name, **kwargs)

    def elementwise(self, y, p):
        return p - y * ops.log(p + 1e-7)


LOSSES = {"sigmoid": MaskedBinaryCrossentropy, "linear": MaskedMeanSquaredError,
          "softplus": MaskedPoisson, "exponential": MaskedPoisson}


def loss_for_output(output: str) -> keras.losses.Loss:
    """The masked loss that fits an output activation."""
    return LOSSES[output]()
