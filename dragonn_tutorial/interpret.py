"""Looking inside trained CNNs.

Model-centred: ``filter_weights`` (first-layer filters as (width, 4)
matrices) and ``match_filters_to_motifs`` (which known motif each filter
resembles). Sequence-centred: ``layer_outputs`` (activations of named layers
along sequences, e.g. pre-ReLU ``conv_1``, post-ReLU ``relu_1``, ``pool``).

Integrative (attribution) methods, which explain one output for one sequence
base by base:

* ``ism`` - in-silico mutagenesis: every single-base substitution, predicted
  in large batches (only the part of the sequence a substitution can reach is
  recomputed in the convolutional layers).
* ``gradient_x_input`` - the gradient of the logit times the one-hot input.
* ``deeplift`` - DeepLIFT's Rescale rule for Keras 3 (TensorFlow), with the
  exact max-pooling rule of DeepSHAP, averaged over references (dinucleotide
  shuffles by default). Contributions sum to ``logit(x) - logit(reference)``
  ("summation to delta"), which is checked for every pair.
* ``motif_recovery`` - scores any of them against the simulation's truth.

All three explain the pre-sigmoid logit of one task by default (the sigmoid
squashes differences between confident predictions).
"""
from __future__ import annotations

import warnings
import weakref
from dataclasses import dataclass
from typing import Callable, NamedTuple, Sequence, Union

import numpy as np

from ._validation import check_choice, check_float, check_int, check_one_hot, missing_name_error


def _layer(model, name: str):
    names = [layer.name for layer in model.layers]
    if name not in names:
        raise missing_name_error("layer", name, names)
    return model.get_layer(name)


def filter_weights(model, layer: str = "conv_1") -> np.ndarray:
    """The filters of a Conv1D layer, shape (filters, width, channels), float64.

    For the first layer channels are A, C, G, T, so each filter reads like a PSSM.
    """
    conv = _layer(model, layer)
    if type(conv).__name__ != "Conv1D":
        raise ValueError(f"layer {layer!r} is a {type(conv).__name__}, not a Conv1D")
    kernel = np.asarray(conv.get_weights()[0], dtype=float)  # (width, channels, filters)
    return np.transpose(kernel, (2, 0, 1))


def layer_outputs(model, X, layers: Sequence[str] = ("conv_1", "relu_1", "pool"),
                  batch_size: int = 256) -> dict:
    """Activations of the named layers for sequences ``X``.

    Parameters
    ----------
    model : keras.Model (functional, e.g. from ``dragonn_tutorial.models``)
    X : ndarray, shape=(n, length, 4)
    layers : sequence of layer names, default ("conv_1", "relu_1", "pool")
    batch_size : int, default 256

    Returns
    -------
    dict of {name: ndarray, shape=(n, positions, filters)}
    """
    import keras

    X = check_one_hot(X).astype(np.float32, copy=False)
    outs = [_layer(model, name).output for name in layers]
    probe = keras.Model(model.inputs, outs)
    values = probe.predict(X, batch_size=batch_size, verbose=0)
    if len(layers) == 1:
        values = [values]
    return {name: np.asarray(v) for name, v in zip(layers, values)}


def _centered(m: np.ndarray) -> np.ndarray:
    return m - m.mean(axis=1, keepdims=True)


def match_filters_to_motifs(model, motif_names: Sequence[str], layer: str = "conv_1",
                            background=0.5):
    """For each filter, the known motif, offset and strand it correlates with best.

    The filter and the motif PSSM are both centred per position (each column
    minus its mean, since a filter only 'sees' differences between bases at a
    position) and compared by Pearson correlation over their overlap, at every
    offset with at least 6 overlapping positions, on both strands.

    Returns
    -------
    pandas.DataFrame, one row per filter: motif, correlation, offset, strand
    """
    import pandas as pd

    from .motifs import get_motif

    filters = filter_weights(model, layer)
    rows = []
    for f, w in enumerate(filters):
        w = _centered(w)
        best = ("-", -np.inf, 0, "+")
        for name in motif_names:
            pssm = get_motif(name).pssm(background)
            for strand, m in (("+", pssm), ("-", pssm[::-1, ::-1])):
                m = _centered(m)
                for off in range(-(m.shape[0] - 6), w.shape[0] - 5):
                    a0, b0 = max(off, 0), max(-off, 0)
                    n = min(w.shape[0] - a0, m.shape[0] - b0)
                    if n < 6:
                        continue
                    a, b = w[a0:a0 + n].ravel(), m[b0:b0 + n].ravel()
                    if a.std() == 0 or b.std() == 0:
                        continue
                    r = float(np.corrcoef(a, b)[0, 1])
                    if r > best[1]:
                        best = (name, r, off, strand)
        rows.append({"filter": f + 1, "motif": best[0], "correlation": best[1], "offset": best[2],
                     "strand": best[3]})
    return pd.DataFrame(rows).set_index("filter")


# =========================================================================== attribution
# A model is read as a chain of steps. Each step is one of
#   identity   - Dropout and friends (inference mode)
#   linear     - Conv1D/Dense without their activation, Flatten, BatchNorm (inference),
#                average pooling: DeepLIFT's multiplier is the ordinary gradient
#   nonlinear  - an elementwise activation (separate layer, or split out of a Conv1D/Dense)
#   maxpool    - MaxPooling1D / GlobalMaxPooling1D
# The last sigmoid/softmax is dropped: attributions explain the logit.

_IDENTITY = ("InputLayer", "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout",
             "AlphaDropout", "ActivityRegularization")
_LINEAR = ("Flatten", "Reshape", "Permute", "BatchNormalization", "AveragePooling1D",
           "GlobalAveragePooling1D", "ZeroPadding1D", "Cropping1D")
_WEIGHTED = ("Conv1D", "Dense")
_ACTIVATION_LAYERS = ("Activation", "ReLU", "LeakyReLU", "ELU")
_MAXPOOL = ("MaxPooling1D", "GlobalMaxPooling1D")
_ELEMENTWISE = ("relu", "sigmoid", "tanh", "elu", "selu", "softplus", "softsign", "gelu", "silu",
                "swish", "leaky_relu", "relu6", "exponential", "hard_sigmoid", "hard_silu",
                "hard_swish", "mish", "celu")
_OUTPUT_ACTIVATIONS = ("sigmoid", "softmax")
SUPPORTED_LAYERS = _IDENTITY + _LINEAR + _WEIGHTED + _ACTIVATION_LAYERS + _MAXPOOL
REFERENCES = ("shuffle", "gc", "zeros")


@dataclass(frozen=True)
class _Step:
    kind: str           # identity | linear | nonlinear | maxpool
    layer: object
    fn: Callable
    fused: bool = False  # a nonlinearity split out of a Conv1D/Dense


@dataclass(frozen=True)
class _Rules:
    """How DeepLIFT treats layers. The defaults are the correct rules; the others
    exist so tests can show that the naive choices break summation to delta."""
    maxpool: str = "exact"            # or "gradient"
    split_fused: bool = True          # False: differentiate straight through a fused activation
    batchnorm_training: bool = False  # True: batch statistics (wrong at inference)


def _activation_name(fn) -> str:
    return getattr(fn, "__name__", type(fn).__name__).lower()


def _model_chain(model) -> list:
    """The model's layers from input to output; raises unless it is a single chain."""
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError(f"model {model.name!r} has {len(model.inputs)} inputs and {len(model.outputs)} "
                         "outputs; attribution needs a single chain (one input, one output)")
    if type(model).__name__ == "Sequential":
        return list(model.layers)
    chain, tensor = [], model.outputs[0]
    target = model.inputs[0]
    while tensor is not target:
        history = getattr(tensor, "_keras_history", None)
        if history is None:  # pragma: no cover - defensive
            raise ValueError(f"cannot trace model {model.name!r} back to its input")
        layer = history.operation
        node = layer._inbound_nodes[history.node_index]
        inputs = list(node.input_tensors)
        if len(inputs) != 1:
            raise ValueError(f"layer {layer.name!r} ({type(layer).__name__}) has {len(inputs)} inputs; "
                             "attribution supports simple chains of layers (Sequential or a functional "
                             "model in which each layer feeds the next)")
        chain.append(layer)
        tensor = inputs[0]
    return chain[::-1]


_CHAINS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _first_call_quiet(compiled):
    """Call a compiled graph, silencing TensorFlow's "retracing" warning on the first
    call only: each graph here has a fixed input signature and is traced exactly
    once, by design (TensorFlow counts traces of same-named functions together and
    warns after a few models)."""
    traced = []

    def call(*args):
        if traced:
            return compiled(*args)
        import tensorflow as tf

        logger = tf.get_logger()
        level = logger.level
        logger.setLevel("ERROR")
        try:
            return compiled(*args)
        finally:
            logger.setLevel(level)
            traced.append(True)
    return call


def _chain_of(model) -> "_Chain":
    """The model's attribution chain, cached per model (so its compiled graphs are
    traced once per model, not once per call). Rebuilt if the layers change."""
    layer_ids = tuple(id(layer) for layer in model.layers)
    cached = _CHAINS.get(model)
    if cached is None or cached[0] != layer_ids:
        cached = (layer_ids, _Chain(model))
        _CHAINS[model] = cached
    return cached[1]


class _Chain:
    """A Keras model re-read as attribution steps (the model itself is never changed)."""

    def __init__(self, model):
        import keras

        self.model = model
        layers = _model_chain(model)
        shape = tuple(model.inputs[0].shape[1:])
        if len(shape) != 2 or shape[-1] != 4:
            raise ValueError(f"model {model.name!r} takes input of shape {shape}; attribution needs "
                             "one-hot sequences of shape (length, 4)")
        self.seq_length = shape[0]
        self.num_outputs = int(model.outputs[0].shape[-1])
        if len(model.outputs[0].shape) != 2:
            raise ValueError(f"model {model.name!r} has output shape {tuple(model.outputs[0].shape)}; "
                             "attribution needs one value per task, shape (n, tasks)")
        weights = model.weights
        self.dtype = str(weights[0].dtype) if weights else "float32"
        steps = []
        for layer in layers:
            steps.extend(self._steps(layer, keras))
        # Drop the final sigmoid/softmax: attributions explain the logit.
        self.output_fn = None
        if steps and steps[-1].kind == "nonlinear" and _activation_name(steps[-1].fn) in _OUTPUT_ACTIVATIONS:
            self.output_fn = steps.pop().fn
        for step in steps:
            if step.kind == "nonlinear" and _activation_name(step.fn) == "softmax":
                raise ValueError(f"layer {step.layer.name!r} applies softmax before the output; softmax is "
                                 "not elementwise, so attribution supports it only as the last layer")
        self.steps = steps
        self._compiled = {}

    def _steps(self, layer, keras) -> list:
        kind = type(layer).__name__
        if kind in _IDENTITY:
            return [_Step("identity", layer, None)]
        if kind in _LINEAR:
            if kind == "BatchNormalization" and layer.axis not in (-1, len(layer.input.shape) - 1):
                raise ValueError(f"layer {layer.name!r} (BatchNormalization) normalises axis {layer.axis}; "
                                 "attribution supports the channel axis (-1) only")
            return [_Step("linear", layer, lambda x, l=layer: l(x, training=False))]
        if kind in _MAXPOOL:
            return [_Step("maxpool", layer, lambda x, l=layer: l(x))]
        if kind in _WEIGHTED:
            steps = [_Step("linear", layer, _linear_part(layer, keras))]
            act = layer.activation
            if act is not None and _activation_name(act) != "linear":
                steps.append(_Step("nonlinear", layer, self._elementwise(act, layer), fused=True))
            return steps
        if kind in _ACTIVATION_LAYERS:
            fn = layer.activation if kind == "Activation" else (lambda x, l=layer: l(x))
            if kind == "Activation" and _activation_name(fn) == "linear":
                return [_Step("identity", layer, None)]
            return [_Step("nonlinear", layer, self._elementwise(fn, layer))]
        raise ValueError(f"layer {layer.name!r} ({kind}) is not supported by attribution; supported "
                         f"layer types: {', '.join(SUPPORTED_LAYERS)}")

    @staticmethod
    def _elementwise(fn, layer):
        name = _activation_name(fn)
        if type(layer).__name__ in _ACTIVATION_LAYERS[1:] or name in _ELEMENTWISE + _OUTPUT_ACTIVATIONS:
            return fn
        raise ValueError(f"layer {layer.name!r} uses activation {name!r}, which attribution does not "
                         f"know to be elementwise; supported: {', '.join(_ELEMENTWISE)}")

    # ------------------------------------------------------------------ plain forward passes
    def cast(self, X):
        import tensorflow as tf

        return tf.convert_to_tensor(np.asarray(X, dtype=self.dtype))

    def forward(self, h, steps, probability: bool = False):
        """``h`` through ``steps`` (uncompiled; the compiled graphs below call it), then
        the dropped output activation when ``probability``."""
        import tensorflow as tf

        for step in steps:
            if step.kind != "identity":
                h = tf.cast(step.fn(h), self.dtype)
        if probability and self.output_fn is not None:
            h = tf.cast(self.output_fn(h), self.dtype)
        return h

    def run(self, h, steps=None, probability: bool = False):
        """Push ``h`` through ``steps`` (default: all, up to the logits) in a compiled graph."""
        import tensorflow as tf

        steps = tuple(self.steps if steps is None else steps)
        shape = tuple(h.shape[1:])
        key = ("run", tuple(id(s) for s in steps), shape, probability)
        if key not in self._compiled:
            spec = tf.TensorSpec([None, *shape], self.dtype)  # any batch size, one trace
            self._compiled[key] = _first_call_quiet(tf.function(
                lambda h: self.forward(h, steps, probability), input_signature=[spec]))
        return self._compiled[key](h)

    def ism_fn(self, n_prefix: int, field: int, window: int, probability: bool):
        """A compiled graph predicting a batch of single-base mutants.

        Each mutant (sequence s, position p, base b) is built as a ``window``-bp
        slice of its sequence around p, pushed through the first ``n_prefix``
        (position-local) steps, and spliced into that sequence's wild-type
        activations ``local`` before the remaining steps run on the whole length.
        With ``n_prefix=0`` and ``window=length`` it predicts full mutants."""
        import tensorflow as tf

        key = ("ism", n_prefix, field, window, probability)
        if key not in self._compiled:
            prefix, head = self.steps[:n_prefix], self.steps[n_prefix:]
            length = self.seq_length

            def mutate(X, local, s, p, b):
                s, p, b = (tf.cast(v, tf.int32) for v in (s, p, b))
                w0 = tf.clip_by_value(p - field + 1, 0, length - window)
                cols = w0[:, None] + tf.range(window)[None]
                mut = tf.gather(X, s)
                mut = tf.gather(mut, cols, batch_dims=1)  # (batch, window, 4)
                rows = tf.range(tf.shape(s)[0])
                at = tf.stack([rows, p - w0], axis=1)
                one_hot = tf.one_hot(b, 4, dtype=X.dtype)
                mut = tf.tensor_scatter_nd_update(mut, at, one_hot)
                h = self.forward(mut, prefix)
                if n_prefix:
                    full = tf.gather(local, s)  # (batch, length - field + 1, channels)
                    idx = tf.stack([tf.repeat(rows, field),
                                    tf.reshape(w0[:, None] + tf.range(field)[None], [-1])], axis=1)
                    h = tf.tensor_scatter_nd_update(full, idx, tf.reshape(h, [-1, tf.shape(h)[-1]]))
                return self.forward(h, head, probability)

            local_shape = [None, self.seq_length - field + 1 if n_prefix else self.seq_length,
                           None if n_prefix else 4]
            index = tf.TensorSpec([None], tf.int64)
            self._compiled[key] = _first_call_quiet(tf.function(mutate, input_signature=[
                tf.TensorSpec([None, self.seq_length, 4], self.dtype),
                tf.TensorSpec(local_shape, self.dtype), index, index, index]))
        return self._compiled[key]

    def gradient_fn(self, task: int):
        """A compiled graph: the gradient of logit ``task`` with respect to the input."""
        import tensorflow as tf

        key = ("gradient", task)
        if key not in self._compiled:
            def gradient(x):
                with tf.GradientTape(watch_accessed_variables=False) as tape:
                    tape.watch(x)
                    target = tf.reduce_sum(self.forward(x, self.steps)[:, task])
                return tape.gradient(target, x)
            spec = tf.TensorSpec([None, self.seq_length, 4], self.dtype)
            self._compiled[key] = _first_call_quiet(tf.function(gradient, input_signature=[spec]))
        return self._compiled[key]

    def deeplift_fn(self, task: int, rules: "_Rules"):
        """A compiled graph computing DeepLIFT multipliers for (input, reference) pairs."""
        import tensorflow as tf

        key = ("deeplift", task, rules)
        if key not in self._compiled:
            spec = tf.TensorSpec([None, self.seq_length, 4], self.dtype)
            self._compiled[key] = _first_call_quiet(tf.function(
                lambda x, r: _deeplift_graph(self, x, r, task, rules), input_signature=[spec, spec]))
        return self._compiled[key]

    def outputs(self, X, output: str = "logit", batch_size: int = 1024) -> np.ndarray:
        out = [np.asarray(self.run(self.cast(X[i:i + batch_size]), probability=output == "probability"))
               for i in range(0, len(X), batch_size)]
        return np.concatenate(out) if out else np.zeros((0, self.num_outputs), self.dtype)

    def check_task(self, task) -> int:
        return check_int(task, "task", 0, self.num_outputs - 1)

    def check_X(self, X, name="X") -> np.ndarray:
        X = check_one_hot(X, name)
        if X.shape[1] != self.seq_length:
            raise ValueError(f"{name} has sequences of length {X.shape[1]}, but model "
                             f"{self.model.name!r} takes length {self.seq_length}")
        return X.astype(self.dtype, copy=False)

    def local_prefix(self):
        """Leading steps that act position by position within a finite window (valid,
        stride-1 Conv1D and elementwise layers), and their receptive field."""
        prefix, field = [], 1
        for step in self.steps:
            kind = type(step.layer).__name__
            if kind == "Conv1D" and step.kind == "linear":
                if step.layer.padding != "valid" or tuple(step.layer.strides) != (1,):
                    break
                field += (step.layer.kernel.shape[0] - 1) * int(step.layer.dilation_rate[0])
            elif not (step.kind in ("identity", "nonlinear") or kind == "BatchNormalization"):
                break
            prefix.append(step)
        if not any(type(s.layer).__name__ == "Conv1D" for s in prefix):
            return [], 1
        return prefix, field


def _linear_part(layer, keras):
    """The layer without its activation (a Conv1D/Dense with activation="relu" is
    split into this linear map and a separate nonlinearity)."""
    from keras import ops

    kind = type(layer).__name__
    if kind == "Dense":
        def dense(x):
            y = ops.matmul(x, layer.kernel)
            return y + layer.bias if layer.use_bias else y
        return dense
    if layer.data_format != "channels_last":
        raise ValueError(f"layer {layer.name!r} (Conv1D) uses data_format={layer.data_format!r}; "
                         "attribution supports channels_last (the default)")

    def conv(x):
        padding = layer.padding
        if padding == "causal":
            x = ops.pad(x, layer._compute_causal_padding())
            padding = "valid"
        y = ops.conv(x, layer.kernel, strides=list(layer.strides), padding=padding,
                     dilation_rate=layer.dilation_rate, data_format="channels_last")
        return y + ops.reshape(layer.bias, (1, 1, -1)) if layer.use_bias else y
    return conv


# ------------------------------------------------------------------ DeepLIFT (Rescale)
_MULTIPLIER_FNS: dict = {}


def _multiplier_fn(f, eps):
    """f(zx), f(zr) and the Rescale multiplier, as one XLA-fused elementwise kernel
    (about twice as fast on a CPU as the dozen separate operations)."""
    import tensorflow as tf

    key = (f, eps)
    if key not in _MULTIPLIER_FNS:
        def multiplier(zx, zr):
            fx, fr = f(zx), f(zr)
            dz = zx - zr
            far = tf.abs(dz) > eps
            mid = (zx + zr) / 2
            with tf.GradientTape(watch_accessed_variables=False) as tape:
                tape.watch(mid)
                fmid = f(mid)
            slope = tape.gradient(fmid, mid)
            return fx, fr, tf.where(far, (fx - fr) / tf.where(far, dz, tf.ones_like(dz)), slope)
        _MULTIPLIER_FNS[key] = tf.function(multiplier, jit_compile=True, reduce_retracing=True)
    return _MULTIPLIER_FNS[key]


def _secant(f, zx, zr, eps):
    """f(zx) as a tensor whose derivative with respect to zx is DeepLIFT's
    multiplier (f(zx) - f(zr)) / (zx - zr); where |zx - zr| <= eps, the slope of f
    at the midpoint (the limit of the secant) is used instead, so nothing is
    ever divided by zero. Also returns f(zr)."""
    import tensorflow as tf

    fx, fr, m = _multiplier_fn(f, eps)(tf.stop_gradient(zx), zr)

    @tf.custom_gradient
    def rescale(z):
        return tf.identity(fx), lambda g: g * m

    return rescale(zx), fr


def _maxpool_pair(pool, hx, hr, eps):
    """Max pooling of the input (with DeepLIFT's max-pool rule as its derivative)
    and of the reference.

    Per window, out(x) - out(r) is split in two: max(out(x), out(r)) - out(r)
    goes to the input's argmax and out(x) - max(out(x), out(r)) to the
    reference's argmax (the rule of DeepSHAP); each share is divided by that
    position's own difference, so the multipliers times (x - r) sum exactly to
    the window's difference. (The plain gradient sends everything to the
    input's argmax and breaks the sum whenever the argmaxes differ.)"""
    import tensorflow as tf

    hx_c = tf.stop_gradient(hx)
    xout, rout = pool(hx_c), pool(hr)

    @tf.custom_gradient
    def routed(xin):
        def grad(g):
            cross = tf.maximum(xout, rout)
            with tf.GradientTape(persistent=True) as tape:
                tape.watch(hx_c)
                tape.watch(hr)
                px, pr = pool(hx_c), pool(hr)
            gx = tape.gradient(px, hx_c, output_gradients=g * (cross - rout))
            gr = tape.gradient(pr, hr, output_gradients=g * (xout - cross))
            d = hx_c - hr
            far = tf.abs(d) > eps
            return tf.where(far, (gx + gr) / tf.where(far, d, tf.ones_like(d)), tf.zeros_like(d))
        return tf.identity(xout), grad

    return routed(hx), rout


def _deeplift_multipliers(chain: _Chain, x, r, task: int, rules: _Rules = _Rules()):
    """Multipliers of the logit ``task`` for input/reference pairs (same shapes),
    with the logits of both. Returns numpy arrays (m, logit_x, logit_r)."""
    m, lx, lr = chain.deeplift_fn(task, rules)(chain.cast(x), chain.cast(r))
    return m.numpy(), lx.numpy(), lr.numpy()


def _deeplift_graph(chain: _Chain, x, r, task: int, rules: _Rules, eps: float = 1e-6):
    """Input and reference side by side through the layers under one tape; each
    nonlinearity returns f(x) with the DeepLIFT multiplier as its derivative, so
    the gradient of the logit with respect to the input is the multiplier."""
    import tensorflow as tf

    with tf.GradientTape(watch_accessed_variables=False) as tape:  # no weight gradients
        tape.watch(x)
        hx, hr = x, r
        for step in chain.steps:
            kind = type(step.layer).__name__
            if step.kind == "identity":
                continue
            if step.kind == "nonlinear" and (rules.split_fused or not step.fused):
                hx, hr = _secant(step.fn, hx, hr, eps)
            elif step.kind == "maxpool" and rules.maxpool == "exact":
                hx, hr = _maxpool_pair(step.fn, hx, hr, eps)
            elif kind == "BatchNormalization" and rules.batchnorm_training:
                both = step.layer(tf.concat([hx, hr], 0), training=True)
                hx, hr = both[:len(x)], tf.stop_gradient(both[len(x):])
            else:
                hx, hr = step.fn(hx), step.fn(hr)
            hx, hr = tf.cast(hx, chain.dtype), tf.cast(hr, chain.dtype)
        target = tf.reduce_sum(hx[:, task])
    return tape.gradient(target, x), hx[:, task], hr[:, task]


def make_references(X, reference="shuffle", n_references: int = 20, random_state=None) -> np.ndarray:
    """References for DeepLIFT, shape (n, k, length, 4).

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    reference : "shuffle", "gc", "zeros", ndarray or callable, default "shuffle"
        ``"shuffle"``: ``n_references`` dinucleotide shuffles of each sequence
        (seeded per sequence, so a sequence gets the same references in any batch);
        ``"gc"``: one flat reference per sequence holding its own base composition
        at every position (A=T=(1-GC)/2, C=G=GC/2); ``"zeros"``: all zeros;
        an array of shape (length, 4), (n, length, 4) or (n, k, length, 4); or a
        function ``f(X)`` returning one of those shapes.
    n_references : int, default 20
        Used by ``"shuffle"`` only (the others are deterministic: k = 1).
    random_state : None, int or numpy Generator
    """
    from .sequences import dinucleotide_shuffle, gc_content

    X = check_one_hot(X)
    n, length = X.shape[:2]
    if callable(reference) and not isinstance(reference, str):
        reference = np.asarray(reference(X))
    if isinstance(reference, str):
        check_choice(reference, "reference", REFERENCES + ("array", "callable"))
        if reference == "shuffle":
            return dinucleotide_shuffle(X, check_int(n_references, "n_references", 1), random_state)
        if reference == "zeros":
            return np.zeros((n, 1, length, 4), np.float32)
        if reference in ("array", "callable"):
            raise ValueError(f"reference={reference!r}: pass the array or the function itself")
        gc = np.atleast_1d(gc_content(X)).astype(np.float32)
        base = np.stack([(1 - gc) / 2, gc / 2, gc / 2, (1 - gc) / 2], axis=1)
        return np.repeat(base[:, None, None, :], length, axis=2)
    ref = np.asarray(reference, dtype=np.float32)
    shapes = {2: (length, 4), 3: (n, length, 4), 4: (n, None, length, 4)}
    expected = shapes.get(ref.ndim)
    if expected is None or any(e is not None and e != s for e, s in zip(expected, ref.shape)):
        raise ValueError(f"reference array must have shape (length, 4), (n, length, 4) or "
                         f"(n, k, length, 4) with n={n}, length={length}; received {ref.shape}")
    if ref.ndim == 2:
        return np.broadcast_to(ref, (n, 1, length, 4))
    if ref.ndim == 3:
        return ref[:, None]
    if ref.shape[1] < 1:
        raise ValueError("reference array has k = 0 references per sequence")
    return ref


def deeplift(model, X, reference="shuffle", n_references: int = 20, task: int = 0,
             batch_size: int = 512, random_state=0, hypothetical: bool = False,
             tolerance: float = 1e-3) -> np.ndarray:
    """DeepLIFT contributions (Rescale rule) of every base to the logit of ``task``.

    For each sequence x and reference r, the logit difference logit(x) - logit(r)
    is divided among the input positions: contribution = multiplier x (x - r),
    where multipliers are chained through the network like gradients but each
    nonlinearity contributes (f(x) - f(r)) / (x - r) instead of its slope, and
    max pooling routes each window's difference through both argmaxes. The
    contributions of a pair therefore sum *exactly* to logit(x) - logit(r)
    (checked for every pair; see ``tolerance``). Results are averaged over the
    references (as DeepSHAP does).

    Parameters
    ----------
    model : keras.Model
        Sequential or a functional chain of supported layers (Conv1D, Dense,
        activations, Dropout, BatchNormalization, max/average pooling, Flatten).
        It is not modified. A final sigmoid/softmax is left out.
    X : ndarray, shape=(n, length, 4)
    reference : "shuffle", "gc", "zeros", ndarray or callable, default "shuffle"
        See :func:`make_references`. Dinucleotide shuffles keep the sequence's
        composition, so only the arrangement of bases (motifs) gets credit.
    n_references : int, default 20
    task : int, default 0
    batch_size : int, default 512
        (sequence, reference) pairs per batch (about 150 MB of activations for the
        workshop's deep CNN); results do not depend on it.
    random_state : None, int or numpy Generator, default 0
        Seeds the shuffles (per sequence).
    hypothetical : bool, default False
        Return hypothetical contributions: for every position and every base b,
        the contribution b *would* make there, sum_c m_c (e_b - r)_c. This is
        the input of motif-discovery tools (TF-MoDISco); multiplying by the
        one-hot input gives the actual contributions.
    tolerance : float, default 1e-3
        Largest |sum of contributions - (logit(x) - logit(r))|, plus the same
        fraction of |logit(x) - logit(r)|, before a warning is raised.

    Returns
    -------
    ndarray, shape=(n, length, 4), float32
        Actual contributions sit on the observed base (zeros elsewhere); at
        positions that are not one-hot (N) all channels carry m x (x - r).
    """
    chain = _chain_of(model)
    task = chain.check_task(task)
    X = chain.check_X(X)
    batch_size = check_int(batch_size, "batch_size", 1)
    tolerance = check_float(tolerance, "tolerance", 0.0)
    if isinstance(reference, str):  # made per batch: shuffles are seeded per sequence
        reference_of = lambda lo, hi: make_references(X[lo:hi], reference, n_references, random_state)  # noqa: E731
        k = check_int(n_references, "n_references", 1) if reference == "shuffle" else 1
    else:
        refs = make_references(X, reference, n_references, random_state)
        reference_of = lambda lo, hi: refs[lo:hi]  # noqa: E731
        k = refs.shape[1]
    n = len(X)
    one_hot = (np.abs(X.sum(-1) - 1) < 1e-6) & (np.abs(X.max(-1) - 1) < 1e-6)  # (n, L)
    out = np.zeros(X.shape, dtype=np.float32)
    worst, bad = (0.0, 0.0, 0.0), 0
    per_batch = max(1, batch_size // k)  # whole sequences (all their references) per batch
    for start in range(0, n, per_batch):
        stop = min(start + per_batch, n)
        b = stop - start
        x = np.repeat(X[start:stop], k, axis=0)
        r = np.asarray(reference_of(start, stop), dtype=X.dtype).reshape(b * k, *X.shape[1:])
        m, lx, lr = _deeplift_multipliers(chain, x, r, task)
        total = (m * (x - r)).sum(-1)  # (pairs, L): each position's contribution
        if hypothetical:
            contrib = m - (m * r).sum(-1, keepdims=True)
        else:
            contrib = np.where(np.repeat(one_hot[start:stop], k, axis=0)[..., None],
                               x * total[..., None], m * (x - r))
        out[start:stop] = contrib.reshape(b, k, *X.shape[1:]).mean(1)
        gap = np.abs(total.sum(-1) - (lx - lr))
        fail = gap > tolerance * (1 + np.abs(lx - lr))
        bad += int(fail.sum())
        if fail.any() and gap.max() > worst[0]:
            i = int(np.argmax(gap))
            worst = (float(gap[i]), float(total[i].sum()), float(lx[i] - lr[i]))
    if bad:
        warnings.warn(
            f"DeepLIFT summation-to-delta failed for {bad} of {n * k} (sequence, reference) pairs: "
            f"the worst pair's contributions sum to {worst[1]:.6g} but logit(x) - logit(reference) is "
            f"{worst[2]:.6g}. With the supported layers the two agree to float precision, so the model "
            "probably has a layer that does not behave as DeepLIFT assumes (a custom layer, a layer "
            "running in training mode) or extremely large logits; treat these attributions with care.",
            RuntimeWarning, stacklevel=2)
    return out


def logits(model, X, batch_size: int = 1024) -> np.ndarray:
    """The model's pre-sigmoid outputs (the quantity attributions explain), shape (n, tasks)."""
    chain = _chain_of(model)
    return chain.outputs(chain.check_X(X), "logit", check_int(batch_size, "batch_size", 1))


def gradient_x_input(model, X, task: int = 0, batch_size: int = 1024) -> np.ndarray:
    """The gradient of the logit of ``task`` with respect to the input, times the
    input: shape (n, length, 4), nonzero on the observed bases only.

    Fast (one backward pass), but it only sees the local slope: a motif that
    already saturates a ReLU or that loses a max-pool to another gets little credit.
    """
    import tensorflow as tf

    chain = _chain_of(model)
    task = chain.check_task(task)
    X = chain.check_X(X)
    batch_size = check_int(batch_size, "batch_size", 1)
    gradient = chain.gradient_fn(task)
    out = []
    for i in range(0, len(X), batch_size):
        out.append(gradient(chain.cast(X[i:i + batch_size])).numpy() * X[i:i + batch_size])
    return np.concatenate(out).astype(np.float32) if out else np.zeros(X.shape, np.float32)


# ------------------------------------------------------------------ in-silico mutagenesis
class ISMResult(NamedTuple):
    """``delta[i, l, b]``: output with base b at position l of sequence i, minus the
    wild-type output (0 for the observed base). ``importance[i, l]``: the mean
    drop when position l is mutated, -mean over the substitutions of delta
    (positive where the observed base supports the output). ``wild_type[i]``:
    the unmutated output."""
    delta: np.ndarray
    importance: np.ndarray
    wild_type: np.ndarray


def ism(model, X, task: int = 0, batch_size: int = 2048, output: str = "logit") -> ISMResult:
    """In-silico mutagenesis: every single-base substitution of every sequence.

    All 3 x length substitutions per sequence (4 at N positions) are predicted
    in batches of ``batch_size``; the observed base is not re-predicted. When
    the model starts with valid, stride-1 convolutions, a substitution at
    position p can only change conv outputs within the receptive field R of p,
    so only a (2R - 1)-bp window is pushed through those layers and spliced
    into the wild-type activations before the rest of the network: the same
    numbers as predicting each mutant in full, several times faster.

    Parameters
    ----------
    model : keras.Model (a chain of supported layers, see :func:`deeplift`)
    X : ndarray, shape=(n, length, 4)
    task : int, default 0
    batch_size : int, default 2048
        Mutants per batch; results do not depend on it.
    output : {"logit", "probability"}, default "logit"

    Returns
    -------
    ISMResult(delta (n, length, 4), importance (n, length), wild_type (n,))
    """
    chain = _chain_of(model)
    task = chain.check_task(task)
    X = chain.check_X(X)
    batch_size = check_int(batch_size, "batch_size", 1)
    output = check_choice(output, "output", ("logit", "probability"))
    n, length = X.shape[:2]
    wild = chain.outputs(X, output)[:, task]
    seq, pos, base = np.nonzero(X != 1)  # every substitution that changes the sequence
    prefix, field = chain.local_prefix()
    window = 2 * field - 1
    if not prefix or length < window:
        prefix, field, window = [], 1, length  # no conv prefix to exploit: full-length mutants
    mutate = chain.ism_fn(len(prefix), field, window, output == "probability")
    Xt = chain.cast(X)
    local = chain.run(Xt, prefix) if prefix else Xt  # (n, length - field + 1, channels)
    values = np.empty(len(seq), dtype=np.float64)
    for start in range(0, len(seq), batch_size):
        sl = slice(start, start + batch_size)
        values[sl] = mutate(Xt, local, *(v[sl].astype(np.int64) for v in (seq, pos, base)))[:, task].numpy()
    delta = np.zeros(X.shape, dtype=np.float64)
    delta[seq, pos, base] = values - wild[seq]
    counts = np.maximum((X != 1).sum(-1), 1)
    importance = -delta.sum(-1) / counts
    return ISMResult(delta.astype(np.float32), importance.astype(np.float32), wild.astype(np.float32))


# ------------------------------------------------------------------ scoring against the truth
def motif_recovery(scores, truth, k: int | None = None, absolute: bool = True) -> dict:
    """How well per-position attributions find the embedded motif instances.

    Parameters
    ----------
    scores : ndarray, shape=(n, length) or (n, length, 4)
        Attributions (summed over the 4 channels when 3-D), e.g. ``deeplift(...)``,
        ``gradient_x_input(...)`` or ``ism(...).importance``.
    truth : Sites or bool ndarray, shape=(n, length)
        The true motif positions (``Dataset.truth_mask()`` or ``Dataset.sites``).
    k : int or None
        Top positions per sequence for the top-k fraction; default: as many as the
        sequence has true motif positions (so a perfect ranking scores 1.0).
    absolute : bool, default True
        Rank positions by |score| (a motif can push the output down too).

    Returns
    -------
    dict with ``auPRC`` (average precision of the per-position ranking against the
    truth, pooled over sequences that contain a site), ``top_k_fraction`` (mean
    fraction of each sequence's top-k positions that lie in a site),
    ``baseline`` (the fraction of positions in sites: the auPRC of a random
    ranking) and ``sequences`` (how many sequences were scored).
    """
    from sklearn.metrics import average_precision_score

    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 3:
        scores = scores.sum(-1)
    if scores.ndim != 2:
        raise ValueError(f"scores must have shape (n, length) or (n, length, 4); received {scores.shape}")
    n, length = scores.shape
    if hasattr(truth, "mask"):
        truth = truth.mask(n, length)
    truth = np.asarray(truth, dtype=bool)
    if truth.shape != scores.shape:
        raise ValueError(f"truth has shape {truth.shape} but scores have {scores.shape}; pass the "
                         "sites or truth mask of exactly these sequences")
    if not np.isfinite(scores).all():
        raise ValueError("scores contain NaN or inf")
    has = truth.any(1)
    if not has.any():
        raise ValueError("truth marks no motif position in any sequence; score positives (sequences "
                         "with embedded sites)")
    s = np.abs(scores) if absolute else scores
    s, t = s[has], truth[has]
    top = []
    for row, mask in zip(s, t):
        kk = int(mask.sum()) if k is None else check_int(k, "k", 1, length)
        order = np.argsort(-row, kind="stable")[:kk]
        top.append(mask[order].mean())
    return {"auPRC": float(average_precision_score(t.ravel(), s.ravel())),
            "top_k_fraction": float(np.mean(top)), "baseline": float(t.mean()),
            "sequences": int(has.sum())}
