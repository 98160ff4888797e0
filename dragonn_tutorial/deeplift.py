"""DeepLIFT (Rescale rule, with the exact max-pooling rule of DeepSHAP) for Keras
functional and Sequential models, branches and several inputs included.

How it works, with public Keras/TensorFlow API only: the model is re-built
(``keras.models.clone_model`` with a ``call_function``) with every nonlinear
layer replaced by a *rule layer*. Each input and its k references travel
through the graph as one batch [x; r_1 ... r_k] (each x once; the other inputs,
held fixed, are repeated for the references); each rule layer returns the
ordinary output but, as its gradient, DeepLIFT's multiplier of each pair:
(f(x) - f(r)) / (x - r) for an elementwise nonlinearity, or the max-pool routing
of DeepSHAP. Linear layers (convolutions, dense, BatchNormalization in inference
mode, average pooling, ``Add``, ``Concatenate``, ...) keep their own gradient,
which *is* their multiplier and does not depend on their input, so the gradient
rows of the references can carry the pairs' chained multipliers (see
``_multiplier_fn``). Autodiff then chains the multipliers, so the gradient of the
logit is DeepLIFT's multiplier, and the contributions multiplier x (x - r) sum
exactly to logit(x) - logit(r) ("summation to delta"), which is checked for
every pair.

Layers without a DeepLIFT rule here (LSTM/GRU gates, attention, LayerNorm,
products of signals) are refused with a message pointing to
:func:`dragonn_tutorial.ism.ism` and
:func:`dragonn_tutorial.gradients.integrated_gradients`, which work on any model.
"""
from __future__ import annotations

import functools
import warnings

import numpy as np

from ._graph import ELEMENTWISE, OUTPUT_ACTIVATIONS, activation_name, first_call_quiet, graph_of
from ._validation import check_float, check_int
from .references import one_hot_positions, place_on_observed, reference_batches

_LINEAR = ("InputLayer", "Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout",
           "ActivityRegularization", "Identity", "Flatten", "Reshape", "Permute", "BatchNormalization",
           "AveragePooling1D", "GlobalAveragePooling1D", "ZeroPadding1D", "Cropping1D", "UpSampling1D",
           "RepeatVector", "Add", "Subtract", "Average", "Concatenate")
_WEIGHTED = ("Conv1D", "Dense", "Conv2D", "SeparableConv1D", "DepthwiseConv1D", "Conv1DTranspose",
             "EinsumDense")
_ELEMENTWISE_LAYERS = ("Activation", "ReLU", "LeakyReLU", "ELU", "PReLU")
_MAXPOOL = ("MaxPooling1D", "GlobalMaxPooling1D", "MaxPooling2D", "GlobalMaxPooling2D")
_NO_RULE = {
    "LSTM": "its gates multiply signals", "GRU": "its gates multiply signals",
    "SimpleRNN": "it is recurrent", "RNN": "it is recurrent", "Bidirectional": "it wraps a recurrent layer",
    "ConvLSTM1D": "its gates multiply signals", "MultiHeadAttention": "attention multiplies signals",
    "Attention": "attention multiplies signals", "AdditiveAttention": "attention multiplies signals",
    "GroupQueryAttention": "attention multiplies signals",
    "LayerNormalization": "it divides by a statistic of its own input",
    "GroupNormalization": "it divides by a statistic of its own input",
    "UnitNormalization": "it divides by a statistic of its own input",
    "Softmax": "softmax is not elementwise (allowed only as the output)",
    "Multiply": "it multiplies signals", "Dot": "it multiplies signals",
    "Maximum": "no rule is implemented for it", "Minimum": "no rule is implemented for it",
}
# How each layer type is treated: "linear" (its own gradient is the multiplier),
# "weighted" (a linear map, then its fused activation as a separate nonlinearity),
# "rescale" (elementwise nonlinearity), "maxpool". Tests swap entries for wrong
# rules (negative controls) with monkeypatch.
RULES = {**{k: "linear" for k in _LINEAR}, **{k: "weighted" for k in _WEIGHTED},
         **{k: "rescale" for k in _ELEMENTWISE_LAYERS}, **{k: "maxpool" for k in _MAXPOOL}}
_EPS = 1e-6


def _refuse(layer, why: str) -> ValueError:
    return ValueError(
        f"DeepLIFT has no rule for layer {layer.name!r} ({type(layer).__name__}): {why}. Explain this model "
        "with ism(...) or integrated_gradients(...), which need only forward passes and gradients and work "
        f"on any model. Layers DeepLIFT supports: {', '.join(sorted(RULES))}")


@functools.lru_cache(maxsize=None)
def _rule_layers():
    """The rule layer classes (defined on first use: Keras is imported only then)."""
    import keras
    import tensorflow as tf

    class Rescale(keras.layers.Layer):
        """``fn`` on a paired batch [x (b rows); r (b k rows)]; the gradient carried in
        the reference rows is multiplied by (f(x) - f(r)) / (x - r) per pair (the
        slope at the midpoint where |x - r| <= eps); the x rows get zero. ``fn`` is
        an activation name (its XLA kernel is shared by every model) or a callable."""

        def __init__(self, fn, k, **kwargs):
            super().__init__(**kwargs)
            self.fn, self.k = fn, int(k)

        def call(self, z):
            pair = _pair_kernel(self.fn, self.k)

            @tf.custom_gradient
            def rescale(z):
                fz, m = pair(tf.stop_gradient(z))  # m: one multiplier per (x, r) pair

                def grad(g):
                    return _kernel("rescale-grad", _times_multiplier)(g, m)
                return tf.identity(fz), grad
            return rescale(z)

        def compute_output_shape(self, shape):
            return shape

    class MaxPoolRule(keras.layers.Layer):
        """Max pooling of [x; r]. Per window and pair, out(x) - out(r) is split in two:
        max(out(x), out(r)) - out(r) goes to the input's argmax and out(x) -
        max(out(x), out(r)) to the reference's argmax (DeepSHAP's rule); each share is
        divided by that position's own difference, so multipliers x (x - r) sum
        exactly to the window's difference. (The plain gradient sends everything to
        the input's argmax and breaks the sum whenever the argmaxes differ.)"""

        def __init__(self, pool, k, **kwargs):
            super().__init__(**kwargs)
            self.pool, self.k = pool, int(k)

        def call(self, h):
            pool, k = self.pool, self.k
            config = pool.get_config()
            if type(pool).__name__ == "GlobalMaxPooling1D" and not config.get("keepdims") \
                    and config.get("data_format", "channels_last") == "channels_last":
                return _global_max_rule(h, k)

            @tf.custom_gradient
            def routed(h):
                h = tf.stop_gradient(h)
                out = pool(h)

                def grad(g):
                    b = tf.shape(h)[0] // (k + 1)
                    hx, hr = _repeat(h[:b], k), h[b:]
                    xout, rout, gx = _repeat(out[:b], k), out[b:], g[b:]
                    cross = tf.maximum(xout, rout)
                    with tf.GradientTape(watch_accessed_variables=False) as tape:
                        both = tf.concat([hx, hr], 0)
                        tape.watch(both)
                        p = pool(both)
                    both = tape.gradient(p, both, output_gradients=tf.concat([gx * (cross - rout),
                                                                               gx * (xout - cross)], 0))
                    n = tf.shape(hr)[0]
                    d = hx - hr
                    far = tf.abs(d) > _EPS
                    mx = tf.where(far, (both[:n] + both[n:]) / tf.where(far, d, tf.ones_like(d)),
                                  tf.zeros_like(d))
                    return tf.concat([tf.zeros_like(h[:b]), mx], 0)
                return tf.identity(out), grad
            return routed(h)

        def compute_output_spec(self, h):
            return self.pool.compute_output_spec(h)

    return Rescale, MaxPoolRule


def _repeat(a, k: int):
    import tensorflow as tf

    return tf.repeat(a, k, axis=0) if k > 1 else a


_KERNELS: dict = {}


def _kernel(name, fn):
    """A model-independent function compiled once by XLA and shared (XLA keeps compiled
    kernels for the life of the process, so one per model would grow memory)."""
    import tensorflow as tf

    if name not in _KERNELS:
        _KERNELS[name] = tf.function(fn, jit_compile=True, reduce_retracing=True)
    return _KERNELS[name]


def _pair_kernel(fn, k: int):
    """f on [x; r] and the Rescale multipliers per pair, fused by XLA (several times
    faster on a CPU than the separate operations) for named activations; a layer's
    own call (PReLU, ...) gets an uncompiled graph."""
    if not isinstance(fn, str):
        return _multiplier(fn, k)
    import keras

    return _kernel(("rescale", fn, k), _multiplier(keras.activations.get(fn), k))


def _multiplier(fn, k: int):
    import tensorflow as tf

    def multiplier(z):
        b = tf.shape(z)[0] // (k + 1)
        fz = tf.cast(fn(z), z.dtype)
        zx, zr, fx, fr = _repeat(z[:b], k), z[b:], _repeat(fz[:b], k), fz[b:]
        dz = zx - zr
        far = tf.abs(dz) > _EPS
        mid = (zx + zr) / 2
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(mid)
            fmid = tf.cast(fn(mid), z.dtype)
        slope = tape.gradient(fmid, mid)
        return fz, tf.where(far, (fx - fr) / tf.where(far, dz, tf.ones_like(dz)), slope)
    return multiplier


def _times_multiplier(g, m):
    """The Rescale gradient: the pairs' rows times their multipliers, zero for the x rows."""
    import tensorflow as tf

    b = tf.shape(g)[0] - tf.shape(m)[0]
    return tf.concat([tf.zeros_like(g[:b]), g[b:] * m], 0)


def _global_max_rule(h, k: int):
    """Global max pooling of [x; r] with the max-pool rule as its gradient (as
    MaxPoolRule) in one fused XLA kernel instead of a dozen passes over the
    activations. Ties share a difference equally, as TensorFlow's max gradient does."""
    import tensorflow as tf

    @tf.custom_gradient
    def routed(h):
        h = tf.stop_gradient(h)
        out = tf.reduce_max(h, axis=1)

        def grad(g):
            return _kernel(("global-max", k), functools.partial(_global_max_grad, k=k))(h, out, g)
        return tf.identity(out), grad
    return routed(h)


def _global_max_grad(h, out, g, k):
    import tensorflow as tf

    b = tf.shape(h)[0] // (k + 1)
    hx, hr = _repeat(h[:b], k), h[b:]
    xout, rout, gx = _repeat(out[:b], k)[:, None], out[b:, None], g[b:, None]
    cross = tf.maximum(xout, rout)
    on_x = tf.cast(tf.equal(hx, xout), h.dtype)
    on_r = tf.cast(tf.equal(hr, rout), h.dtype)
    share = (on_x * (gx * (cross - rout) / tf.reduce_sum(on_x, 1, keepdims=True))
             + on_r * (gx * (xout - cross) / tf.reduce_sum(on_r, 1, keepdims=True)))
    d = hx - hr
    far = tf.abs(d) > _EPS
    mx = tf.where(far, share / tf.where(far, d, tf.ones_like(d)), tf.zeros_like(d))
    return tf.concat([tf.zeros_like(h[:b]), mx], 0)


def _activation_of(layer):
    """The activation name an elementwise layer computes, or None if it has its own
    parameters (then the layer itself is called)."""
    kind = type(layer).__name__
    if kind == "Activation":
        return activation_name(layer.activation)
    config = layer.get_config()
    if kind == "ReLU" and config.get("max_value") is None and not config.get("negative_slope") \
            and not config.get("threshold"):
        return "relu"
    return None


def _deeplift_call(graph, k, layer, args, kwargs, is_output):
    """What runs in place of ``layer`` in the DeepLIFT graph (k references per input)."""
    import keras

    if not isinstance(layer, keras.layers.Layer):  # a keras.ops operation
        name = type(layer).__name__
        if name in ("Add", "Subtract", "Concatenate", "Reshape", "Transpose", "ExpandDims", "Squeeze",
                    "Cast", "GetItem", "Negative"):
            return layer(*args, **kwargs)
        raise ValueError(f"DeepLIFT has no rule for the operation {name!r} in model {graph.name!r}; explain "
                         "it with ism(...) or integrated_gradients(...)")
    Rescale, MaxPoolRule = _rule_layers()
    kind = type(layer).__name__
    rule = RULES.get(kind)
    if callable(rule):
        return rule(graph, layer, args, kwargs, is_output)
    if isinstance(layer, keras.Model):
        raise _refuse(layer, "it is a nested model (build the model flat, or explain it with ism/integrated "
                             "gradients)")
    if rule is None:
        raise _refuse(layer, _NO_RULE.get(kind, "it is not a layer DeepLIFT knows"))
    if rule == "linear":
        return graph.twin(layer)(*args, **kwargs)
    if rule == "maxpool":
        return MaxPoolRule(graph.twin(layer), k, name=f"{layer.name}_deeplift", dtype=graph.dtype)(*args, **kwargs)
    if rule == "weighted":
        act = getattr(layer, "activation", None)
        name = activation_name(act) if act is not None else "linear"
        if name == "linear":
            return graph.twin(layer)(*args, **kwargs)
        z = graph.twin(layer, "linear", activation="linear")(*args, **kwargs)
        if is_output and name in OUTPUT_ACTIVATIONS:
            return z
        if name not in ELEMENTWISE:
            raise _refuse(layer, f"its activation {name!r} is not known to be elementwise")
        return Rescale(name, k, name=f"{layer.name}_deeplift", dtype=graph.dtype)(z)
    if rule == "rescale":
        name = activation_name(layer.activation) if kind == "Activation" else kind.lower()
        if kind == "Activation" and name == "linear":
            return args[0]
        if is_output and name in OUTPUT_ACTIVATIONS:
            return args[0]
        if kind == "Activation" and name not in ELEMENTWISE:
            raise _refuse(layer, f"its activation {name!r} is not known to be elementwise")
        fn = _activation_of(layer) or graph.twin(layer)
        return Rescale(fn, k, name=f"{layer.name}_deeplift", dtype=graph.dtype)(*args, **kwargs)
    raise ValueError(f"unknown DeepLIFT rule {rule!r} for {kind}")  # pragma: no cover


def _multiplier_fn(graph, model, index, k: int = 1, summary: str | None = None):
    """Compiled: (x (b rows), r (b k rows: the k references of each x, grouped), task,
    *others (b rows)) -> (multipliers for each (x, r) pair, logit(x), logit(r)), b k rows;
    with ``summary="actual"`` the per-channel contributions m x (x - r) averaged over
    each x's references (b rows; :func:`references.place_on_observed` puts them on the
    observed bases, which commutes with the mean) and each pair's summed contributions
    come first instead of the multipliers, computed in the same graph; with
    ``"hypothetical"`` the mean hypothetical contributions.

    The DeepLIFT graph runs on the batch [x; r]: each x once, not once per reference.
    Every layer but the rule layers works row by row, and the gradient a linear layer
    passes back does not depend on its input, so the *reference rows* of the gradient
    can carry each pair's multipliers: the rule layers multiply the gradient in row j
    of the references by pair j's multipliers (and set the x rows to zero), and the
    gradient of the summed reference logits with respect to the reference rows of the
    input is the multiplier of each pair. No row is pushed forward or backward twice."""
    import tensorflow as tf

    rules = tuple(sorted((name, v if isinstance(v, str) else id(v)) for name, v in RULES.items()))
    key = ("deeplift", index, k, rules)
    if key not in graph.cache:
        graph.cache[key] = graph.rebuild(model, lambda *a: _deeplift_call(graph, k, *a))
    net = graph.cache[key]
    if key + (summary,) not in graph.compiled:
        def multipliers(x, r, task, *others):
            b = tf.shape(x)[0]
            both = tf.concat([x, r], 0)
            with tf.GradientTape(watch_accessed_variables=False) as tape:
                tape.watch(both)
                y = net(graph.assemble(index, both, [tf.concat([a, _repeat(a, k)], 0) for a in others]),
                        training=False)
                y = tf.gather(tf.cast(y, x.dtype), task, axis=1)
                lr = y[b:]
                target = tf.reduce_sum(lr)
            m, lx = tape.gradient(target, both)[b:], _repeat(y[:b], k)
            if summary is None:
                return m, lx, lr
            per_channel = m * (_repeat(x, k) - r)
            contrib = m - tf.reduce_sum(m * r, -1, keepdims=True) if summary == "hypothetical" else per_channel
            mean = tf.reduce_mean(tf.reshape(contrib, tf.concat([[b, k], tf.shape(x)[1:]], 0)), 1)
            return mean, tf.reduce_sum(per_channel, [1, 2]), lx, lr

        specs = graph.specs(index)
        graph.compiled[key + (summary,)] = first_call_quiet(tf.function(
            multipliers, input_signature=[specs[0], specs[0], tf.TensorSpec([], tf.int32)] + specs[1:]))
    return graph.compiled[key + (summary,)]


def multipliers(model, X, R, task: int = 0, explain=None):
    """DeepLIFT multipliers for input/reference pairs (the raw pieces of :func:`deeplift`).

    Parameters
    ----------
    model : keras.Model
    X : ndarray, shape=(m, length, 4); or a list / dict of the model's inputs
    R : ndarray, shape=(m, length, 4)
        One reference per row of X (the other inputs are shared).
    task : int, default 0
    explain : str, int or None

    Returns
    -------
    (multipliers (m, length, 4), logit(x) (m,), logit(r) (m,)); multipliers x (X - R)
    sum to logit(x) - logit(r) per row.
    """
    graph = graph_of(model)
    task = graph.check_task(task)
    index, inputs = graph.prepare(X, explain)
    r = np.asarray(R, dtype=graph.dtype)
    if r.shape != inputs.seq.shape:
        raise ValueError(f"R must have the shape of the explained input {inputs.seq.shape}; received {r.shape}")
    m, lx, lr = _multiplier_fn(graph, model, index)(inputs.seq, r, np.int32(task), *inputs.others)
    return m.numpy(), lx.numpy(), lr.numpy()


def deeplift(model, X, reference="shuffle", n_references: int = 20, task: int = 0,
             batch_size: int = 512, random_state=0, hypothetical: bool = False,
             tolerance: float = 1e-3, explain=None) -> np.ndarray:
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
        Sequential or functional, with branches (``Add``, ``Concatenate``) and
        several inputs allowed; layers: convolutions, dense, elementwise
        activations, dropout, BatchNormalization (inference), max/average pooling,
        flatten/reshape. Recurrent layers, attention and LayerNorm are refused
        (use ``ism`` or ``integrated_gradients``). It is not modified. A final
        sigmoid/softmax is left out.
    X : ndarray, shape=(n, length, 4); or a list / dict of the model's inputs
        With several inputs, contributions are for the one-hot input ``explain``;
        the others are held at their values for both x and the reference, so the
        contributions sum to logit(x, a) - logit(r, a).
    reference : "shuffle", "gc", "zeros", ndarray or callable, default "shuffle"
        See :func:`dragonn_tutorial.references.make_references`. Dinucleotide
        shuffles keep the sequence's composition, so only the arrangement of bases
        (motifs) gets credit.
    n_references : int, default 20
    task : int, default 0
    batch_size : int, default 512
        (sequence, reference) pairs per batch; results do not depend on it.
    random_state : None, int or numpy Generator, default 0
        Seeds the shuffles (one seed drawn once, then per sequence), so results do
        not depend on ``batch_size`` or on the order of the sequences.
    hypothetical : bool, default False
        Return hypothetical contributions: for every position and every base b,
        the contribution b *would* make there, sum_c m_c (e_b - r)_c (the input of
        TF-MoDISco); multiplying by the one-hot input gives the actual ones.
    tolerance : float, default 1e-3
        Largest |sum of contributions - (logit(x) - logit(r))|, plus the same
        fraction of |logit(x) - logit(r)|, before a warning is raised.
    explain : str, int or None

    Returns
    -------
    ndarray, shape=(n, length, 4), float32
        Actual contributions sit on the observed base (zeros elsewhere); at
        positions that are not one-hot (N) all channels carry m x (x - r).
    """
    graph = graph_of(model)
    task = graph.check_task(task)
    index, inputs = graph.prepare(X, explain)
    batch_size = check_int(batch_size, "batch_size", 1)
    tolerance = check_float(tolerance, "tolerance", 0.0)
    seq = inputs.seq
    k, reference_of = reference_batches(seq, reference, n_references, random_state)
    fn = _multiplier_fn(graph, model, index, k, "hypothetical" if hypothetical else "actual")
    n = len(seq)
    out = np.zeros(seq.shape, dtype=np.float32)
    worst, bad = (0.0, 0.0, 0.0), 0
    per_batch = max(1, batch_size // k)  # whole sequences (all their references) per batch
    for start in range(0, n, per_batch):
        stop = min(start + per_batch, n)
        b = stop - start
        r = np.asarray(reference_of(start, stop), dtype=seq.dtype).reshape(b * k, *seq.shape[1:])
        others = [a[start:stop] for a in inputs.others]
        contrib, total, lx, lr = (v.numpy() for v in fn(seq[start:stop], r, np.int32(task), *others))
        x = seq[start:stop]
        out[start:stop] = contrib if hypothetical else place_on_observed(x, contrib, one_hot_positions(x))
        gap = np.abs(total - (lx - lr))
        fail = gap > tolerance * (1 + np.abs(lx - lr))
        bad += int(fail.sum())
        if fail.any() and gap.max() > worst[0]:
            i = int(np.argmax(gap))
            worst = (float(gap[i]), float(total[i]), float(lx[i] - lr[i]))
    if bad:
        warnings.warn(
            f"DeepLIFT summation-to-delta failed for {bad} of {n * k} (sequence, reference) pairs: "
            f"the worst pair's contributions sum to {worst[1]:.6g} but logit(x) - logit(reference) is "
            f"{worst[2]:.6g}. With the supported layers the two agree to float precision, so the model "
            "probably has a layer that does not behave as DeepLIFT assumes (a custom layer, a layer "
            "running in training mode) or extremely large logits; treat these attributions with care.",
            RuntimeWarning, stacklevel=2)
    return out
