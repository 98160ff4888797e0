"""Gradient attributions for any Keras model: the logits themselves, gradient x
input, and integrated gradients (Sundararajan et al. 2017).

Both methods need only the model's gradient, so they work on every architecture
(residual and dilated branches, recurrent layers, several inputs: the explained
one-hot input gets the attributions, the others are held at their values).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._graph import first_call_quiet, graph_of
from ._validation import check_int
from .references import one_hot_positions, place_on_observed, reference_batches


def logits(model, X, batch_size: int = 1024) -> np.ndarray:
    """The model's outputs before its final sigmoid/softmax (the quantity the
    attribution methods explain), shape (n, tasks). For a model without a final
    sigmoid/softmax (regression) this is the raw output.

    Parameters
    ----------
    model : keras.Model
    X : ndarray, shape=(n, length, 4); or a list / dict of the model's inputs
        Not necessarily one-hot (references such as the GC-matched one work too).
    batch_size : int, default 1024
    """
    graph = graph_of(model)
    index, inputs = graph.prepare(X, graph.candidates[0] if len(graph.candidates) > 1 else None,
                                  one_hot=False)
    return graph.outputs(index, inputs, batch_size=check_int(batch_size, "batch_size", 1))


def _gradient_fn(graph, index):
    """Compiled: (seq, task, *others) -> d logit[task] / d seq, summed over the batch."""
    import tensorflow as tf

    key = ("gradient", index)
    if key not in graph.compiled:
        def gradient(x, task, *others):
            with tf.GradientTape(watch_accessed_variables=False) as tape:
                tape.watch(x)
                y = graph.plain(graph.assemble(index, x, others), training=False)
                target = tf.reduce_sum(tf.gather(tf.cast(y, x.dtype), task, axis=1))
            return tape.gradient(target, x)
        specs = graph.specs(index)
        graph.compiled[key] = first_call_quiet(tf.function(
            gradient, input_signature=[specs[0], tf.TensorSpec([], tf.int32)] + specs[1:]))
    return graph.compiled[key]


def gradient_x_input(model, X, task: int = 0, batch_size: int = 1024, explain=None) -> np.ndarray:
    """The gradient of the logit of ``task`` with respect to the input, times the
    input: shape (n, length, 4), nonzero on the observed bases only.

    Fast (one backward pass), but it only sees the local slope: a motif that
    already saturates a ReLU or that loses a max-pool to another gets little credit.

    Parameters
    ----------
    model : keras.Model (any architecture)
    X : ndarray, shape=(n, length, 4); or a list / dict of the model's inputs
    task : int, default 0
    batch_size : int, default 1024
    explain : str, int or None
        The one-hot input to explain when the model has several.

    Returns
    -------
    ndarray, shape=(n, length, 4), float32
    """
    graph = graph_of(model)
    task = graph.check_task(task)
    index, inputs = graph.prepare(X, explain)
    batch_size = check_int(batch_size, "batch_size", 1)
    fn = _gradient_fn(graph, index)
    seq = inputs.seq
    out = [fn(seq[i:i + batch_size], np.int32(task), *(a[i:i + batch_size] for a in inputs.others)).numpy()
           * seq[i:i + batch_size] for i in range(0, len(seq), batch_size)]
    return np.concatenate(out).astype(np.float32) if out else np.zeros(seq.shape, np.float32)


class IGResult(NamedTuple):
    """``attributions`` (n, length, 4), averaged over references; ``total`` (n,): their
    sum per sequence; ``expected`` (n,): logit(x) - mean logit(reference), which
    ``total`` approaches as ``n_steps`` grows (completeness)."""
    attributions: np.ndarray
    total: np.ndarray
    expected: np.ndarray


def _path_fn(graph, index):
    """Compiled: the mean gradient along the straight path from r to x, by
    Gauss-Legendre quadrature (nodes ``alphas``, weights ``weights``)."""
    import tensorflow as tf

    key = ("ig", index)
    if key not in graph.compiled:
        def path(x, r, alphas, weights, task, *others):
            steps = tf.shape(alphas)[0]
            d = x - r
            pts = r[:, None] + alphas[None, :, None, None] * d[:, None]
            pts = tf.reshape(pts, tf.concat([[-1], tf.shape(x)[1:]], 0))
            rep = [tf.repeat(a, steps, axis=0) for a in others]
            with tf.GradientTape(watch_accessed_variables=False) as tape:
                tape.watch(pts)
                y = graph.plain(graph.assemble(index, pts, rep), training=False)
                target = tf.reduce_sum(tf.gather(tf.cast(y, x.dtype), task, axis=1))
            g = tf.reshape(tape.gradient(target, pts), tf.concat([[-1, steps], tf.shape(x)[1:]], 0))
            return tf.reduce_sum(g * weights[None, :, None, None], axis=1)
        specs = graph.specs(index)
        vec = tf.TensorSpec([None], graph.dtype)
        graph.compiled[key] = first_call_quiet(tf.function(
            path, input_signature=[specs[0], specs[0], vec, vec, tf.TensorSpec([], tf.int32)] + specs[1:]))
    return graph.compiled[key]


def integrated_gradients(model, X, reference="gc", n_steps: int = 50, task: int = 0, n_references: int = 5,
                         batch_size: int = 1024, random_state=0, explain=None, raw_outputs: bool = False):
    """Integrated gradients (Sundararajan et al. 2017): (x - r) times the mean
    gradient of the logit along the straight path from a reference r to x.

    The attributions of a sequence sum to logit(x) - logit(r) up to the error of
    the path integral (*completeness*); the integral is taken by Gauss-Legendre
    quadrature with ``n_steps`` gradient evaluations per (sequence, reference)
    pair (``raw_outputs=True`` returns the sums and the target to check it).
    Unlike DeepLIFT it needs only gradients, so it works on any model, recurrent
    layers included.

    Parameters
    ----------
    model : keras.Model (any architecture)
    X : ndarray, shape=(n, length, 4); or a list / dict of the model's inputs
    reference : "gc", "shuffle", "zeros", ndarray or callable, default "gc"
        As in :func:`dragonn_tutorial.references.make_references`; results are
        averaged over the references.
    n_steps : int, default 50
    task : int, default 0
    n_references : int, default 5
        Dinucleotide shuffles per sequence (``reference="shuffle"`` only).
    batch_size : int, default 1024
        Path points per batch; results do not depend on it.
    random_state : None, int or numpy Generator, default 0
    explain : str, int or None
    raw_outputs : bool, default False

    Returns
    -------
    ndarray, shape=(n, length, 4), float32 (on the observed bases; at N positions
    every channel), or ``IGResult`` with ``raw_outputs=True``.
    """
    graph = graph_of(model)
    task = graph.check_task(task)
    index, inputs = graph.prepare(X, explain)
    n_steps = check_int(n_steps, "n_steps", 1)
    batch_size = check_int(batch_size, "batch_size", 1)
    seq = inputs.seq
    k, reference_of = reference_batches(seq, reference, n_references, random_state)
    nodes, w = np.polynomial.legendre.leggauss(n_steps)
    alphas, weights = ((nodes + 1) / 2).astype(graph.dtype), (w / 2).astype(graph.dtype)
    fn = _path_fn(graph, index)
    one_hot = one_hot_positions(seq)
    n = len(seq)
    out = np.zeros(seq.shape, np.float32)
    total, expected = np.zeros(n), np.zeros(n)
    per_batch = max(1, batch_size // (n_steps * k))
    for lo in range(0, n, per_batch):
        hi = min(lo + per_batch, n)
        b = hi - lo
        x = np.repeat(seq[lo:hi], k, axis=0)
        r = np.asarray(reference_of(lo, hi), dtype=graph.dtype).reshape(b * k, *seq.shape[1:])
        others = [np.repeat(a[lo:hi], k, axis=0) for a in inputs.others]
        chunk = max(1, batch_size // n_steps)
        g = np.concatenate([fn(x[i:i + chunk], r[i:i + chunk], alphas, weights, np.int32(task),
                               *(a[i:i + chunk] for a in others)).numpy() for i in range(0, b * k, chunk)])
        per_channel = g * (x - r)
        contrib = place_on_observed(x, per_channel, np.repeat(one_hot[lo:hi], k, axis=0))
        out[lo:hi] = contrib.reshape(b, k, *seq.shape[1:]).mean(1)
        total[lo:hi] = per_channel.sum((1, 2)).reshape(b, k).mean(1)
        fx = graph.outputs(index, inputs._replace(seq=x, others=tuple(others)))[:, task]
        fr = graph.outputs(index, inputs._replace(seq=r, others=tuple(others)))[:, task]
        expected[lo:hi] = (fx - fr).reshape(b, k).mean(1)
    if raw_outputs:
        return IGResult(out, total, expected)
    return out
