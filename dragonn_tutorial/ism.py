"""In-silico mutagenesis (ISM) for any Keras model: every single-base substitution,
or only the variants you name, predicted in large batches.

Where the sequence first goes through position-local layers (stride-1
convolutions of any padding and dilation, elementwise layers, residual ``Add``
and other elementwise merges), a substitution at position p can only change each
of their outputs within a window around p, so only those windows are recomputed,
layer by layer, on the wild-type activations with the changed values pasted in
(the idea of fastISM); a global max or average pool after them is updated from
wild-type summaries instead of re-reading the whole sequence. The numbers equal
predicting each mutant in full (the tests check it), 4-6 times faster here. Any
other model is explained with batched full-length mutants.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._graph import first_call_quiet, graph_of
from ._validation import check_choice, check_int

BASES = "ACGT"
WILD_TYPE_BYTES = 64 << 20  # wild-type activations kept at a time by the window path


class ISMResult(NamedTuple):
    """``delta[i, l, b]``: output with base b at position l of sequence i, minus the
    wild-type output (0 for the observed base). ``importance[i, l]``: the mean
    drop when position l is mutated, -mean over the substitutions of delta
    (positive where the observed base supports the output). ``wild_type[i]``:
    the unmutated output."""
    delta: np.ndarray
    importance: np.ndarray
    wild_type: np.ndarray


def _window(act, s, start, width, padded: bool = False):
    """act[s, start:start + width] per mutant; ``padded``: zeros outside the sequence
    (the padding of a 'same' or 'causal' convolution)."""
    import tensorflow as tf

    cols = start[:, None] + tf.range(width)[None]
    rows = tf.broadcast_to(s[:, None], tf.shape(cols))
    if not padded:
        return tf.gather_nd(act, tf.stack([rows, cols], -1))
    inside = (cols >= 0) & (cols < tf.shape(act)[1])
    wild = tf.gather_nd(act, tf.stack([rows, tf.clip_by_value(cols, 0, tf.shape(act)[1] - 1)], -1))
    return tf.where(inside[..., None], wild, tf.zeros_like(wild))


def _paste(window, h, offset):
    """``window`` with the changed values ``h`` written from ``offset`` on (per mutant)."""
    import tensorflow as tf

    width = tf.shape(h)[1]
    at = tf.range(tf.shape(window)[1])[None] - offset[:, None]
    inside = (at >= 0) & (at < width)
    return tf.where(inside[..., None], tf.gather(h, tf.clip_by_value(at, 0, width - 1), batch_dims=1), window)


def _window_fn(graph, index: int, probability: bool):
    """Compiled: a batch of mutants (sequence s, position p, base b) through the local
    part of the network, recomputing only what the substitution changes.

    A substitution at p changes positions p + a ... p + b of each local tensor (a window
    that every convolution widens by its span and that a residual ``Add`` widens to the
    union of its inputs'). Each convolution is run on its input's wild-type activations
    with the changed window pasted in (the idea of fastISM), each merge on its inputs'
    windows brought to a common span the same way. The rest of the network then sees the
    result: a global max (or average) pool is updated from the wild-type maxima (or sums)
    before and after the window, else the window is pasted into the whole wild-type exit
    tensor and the head runs as usual."""
    import tensorflow as tf

    key = ("ism-window", index, probability)
    if key not in graph.compiled:
        stem = graph.stems[index]
        keep = _kept(stem)
        n_acts, n_pool = len(keep), 2 if stem.pool == "max" else 1

        def mutate(s, p, b, *arrays):
            acts = dict(zip(keep, arrays[:n_acts]))
            pool, others = arrays[n_acts:n_acts + n_pool], arrays[n_acts + n_pool:]
            s, p, b = (tf.cast(v, tf.int32) for v in (s, p, b))
            dtype = arrays[0].dtype
            length = tf.shape(acts[stem.input])[1]

            state = {stem.input: (tf.one_hot(b, 4, dtype=dtype)[:, None, :], p)}
            for step in stem.steps:
                if step.kind == "local":  # elementwise: the same window
                    h, q = state[step.ins[0]]
                    state[step.out] = (tf.cast(step.layer(h, training=False), dtype), q)
                    continue
                out = stem.windows[step.out]
                q = tf.clip_by_value(p + out.a, 0, length - out.shrink - out.width)  # the window's first position
                if step.kind == "conv":
                    left, span, padded = step.conv
                    h, q_in = state[step.ins[0]]
                    window = _window(acts[step.ins[0]], s, q - left, out.width + span, padded)
                    h = step.layer(_paste(window, h, q_in - q + left), training=False)
                else:
                    parts = [_paste(_window(acts[t], s, q, out.width), state[t][0], state[t][1] - q)
                             for t in step.ins]
                    h = step.layer(parts, training=False)
                state[step.out] = (tf.cast(h, dtype), q)
            h, q = state[stem.exit]
            field = stem.field
            rest = [tf.gather(a, s) for a in others]
            if stem.pool == "max":
                prefix, suffix = pool  # per sequence: max over the positions before i / from i on
                outside = tf.maximum(tf.gather_nd(prefix, tf.stack([s, q], 1)),
                                     tf.gather_nd(suffix, tf.stack([s, q + field], 1)))
                y = stem.post([tf.maximum(outside, tf.reduce_max(h, 1))] + rest, training=False)
            elif stem.pool == "average":
                (csum,) = pool  # per sequence: float64 sums of the positions before i
                out_length = tf.shape(csum)[1] - 1
                outside = (tf.gather_nd(csum, tf.stack([s, q], 1)) + tf.gather(csum[:, -1], s)
                           - tf.gather_nd(csum, tf.stack([s, q + field], 1)))
                mean = (outside + tf.cast(tf.reduce_sum(h, 1), csum.dtype)) / tf.cast(out_length, csum.dtype)
                y = stem.post([tf.cast(mean, dtype)] + rest, training=False)
            else:
                (local,) = pool
                full = _paste(tf.gather(local, s), h, q)
                y = stem.head([full] + rest, training=False)
            if probability and graph.output_fn is not None:
                y = graph.output_fn(y)
            return tf.cast(y, dtype)

        index_spec = tf.TensorSpec([None], tf.int64)
        act_spec = tf.TensorSpec([None, None, None], graph.dtype)
        pool_spec = tf.TensorSpec([None, None, None], "float64" if stem.pool == "average" else graph.dtype)
        signature = [index_spec] * 3 + [act_spec] * n_acts + [pool_spec] * n_pool + graph.specs(index)[1:]
        graph.compiled[key] = first_call_quiet(tf.function(mutate, input_signature=signature))
    return graph.compiled[key]


def _kept(stem) -> list:
    """The tensors whose wild-type activations the window path reads: the explained input
    and the inputs of every convolution and merge."""
    keep = [stem.input]
    for step in stem.steps:
        if step.kind != "local":
            keep += [t for t in step.ins if t not in keep]
    return keep


def _wild_type(graph, index, X) -> list:
    """The wild-type activations the window path reads, for sequences X (see ``_kept``),
    then the exit tensor's pooling summaries (or the whole exit tensor)."""
    import tensorflow as tf

    stem = graph.stems[index]
    key = ("ism-stem", index)
    if key not in graph.compiled:
        keep = _kept(stem)

        def run(x):
            acts = {stem.input: x}
            for step in stem.steps:
                layer = step.full
                ins = [acts[t] for t in step.ins]
                acts[step.out] = tf.cast(layer(ins if step.kind == "merge" else ins[0], training=False), x.dtype)
            return [acts[t] for t in keep] + [acts[stem.exit]]
        graph.compiled[key] = first_call_quiet(tf.function(
            run, input_signature=[tf.TensorSpec([None, None, 4], graph.dtype)]))
    *acts, out = (a.numpy() for a in graph.compiled[key](X))
    n, length, channels = out.shape
    if stem.pool == "max":
        low = np.full((n, 1, channels), -np.inf, out.dtype)
        prefix = np.concatenate([low, np.maximum.accumulate(out, axis=1)], axis=1)
        suffix = np.concatenate([np.maximum.accumulate(out[:, ::-1], axis=1)[:, ::-1], low], axis=1)
        return acts + [prefix, suffix]
    if stem.pool == "average":
        csum = np.concatenate([np.zeros((n, 1, channels)), np.cumsum(out, axis=1, dtype=np.float64)], axis=1)
        return acts + [csum]
    return acts + [out]


def _full_fn(graph, index: int, probability: bool):
    """Compiled: a batch of full-length mutants through the whole model."""
    import tensorflow as tf

    key = ("ism-full", index, probability)
    if key not in graph.compiled:
        def mutate(X, s, p, b, *others):
            s, p, b = (tf.cast(v, tf.int32) for v in (s, p, b))
            mut = tf.gather(X, s)
            at = tf.stack([tf.range(tf.shape(s)[0]), p], axis=1)
            mut = tf.tensor_scatter_nd_update(mut, at, tf.one_hot(b, 4, dtype=X.dtype))
            y = graph.plain(graph.assemble(index, mut, [tf.gather(a, s) for a in others]), training=False)
            if probability and graph.output_fn is not None:
                y = graph.output_fn(y)
            return tf.cast(y, X.dtype)

        specs = graph.specs(index)
        index_spec = tf.TensorSpec([None], tf.int64)
        graph.compiled[key] = first_call_quiet(tf.function(
            mutate, input_signature=[specs[0], index_spec, index_spec, index_spec] + specs[1:]))
    return graph.compiled[key]


def _window_usable(graph, index, length, window) -> bool:
    stem = graph.stems.get(index)
    fits = stem is not None and all(length - loc.shrink >= loc.width for loc in stem.windows.values())
    if window and not fits:
        why = ("it does not begin with stride-1 convolutions (and elementwise layers or merges) whose "
               "output one layer reads" if stem is None else
               f"the sequence is shorter than the window a substitution reaches ({stem.field} positions)")
        raise ValueError(f"window=True, but model {graph.name!r} has no windowed ISM: {why}; use window=None")
    if window is None and fits and stem.pool is None:
        # measured (benchmarks/bench_interpret.py): pasting the window into the whole exit
        # tensor costs more than it saves when the local part is a single convolution
        fits = sum(step.kind == "conv" for step in stem.steps) >= 2
    return fits and window is not False


def predict_mutants(graph, index, inputs, seq_idx, pos, base, probability: bool, batch_size: int,
                    window=None) -> np.ndarray:
    """Outputs (m, tasks) of the single-base mutants (sequence, position, new base)."""
    n, length = inputs.seq.shape[:2]
    use_window = _window_usable(graph, index, length, window)
    seq_idx, pos, base = (np.asarray(v, dtype=np.int64) for v in (seq_idx, pos, base))
    out = np.empty((len(seq_idx), graph.num_outputs), dtype=np.float64)
    if len(seq_idx) == 0:
        return out
    if not use_window:
        fn = _full_fn(graph, index, probability)
        for lo in range(0, len(seq_idx), batch_size):
            sl = slice(lo, lo + batch_size)
            out[sl] = fn(inputs.seq, seq_idx[sl], pos[sl], base[sl], *inputs.others).numpy()
        return out
    import tensorflow as tf

    stem = graph.stems[index]
    fn = _window_fn(graph, index, probability)
    order = np.argsort(seq_idx, kind="stable")
    bounds = np.searchsorted(seq_idx[order], np.arange(n + 1))
    # wild-type activations for a group of sequences at a time (at most about WILD_TYPE_BYTES)
    group = max(1, min(n, WILD_TYPE_BYTES // (stem.bytes_per_position * (length + 1))))
    for g0 in range(0, n, group):
        g1 = min(g0 + group, n)
        rows = order[bounds[g0]:bounds[g1]]
        if len(rows) == 0:
            continue
        arrays = [tf.convert_to_tensor(a) for a in _wild_type(graph, index, inputs.seq[g0:g1])
                  + [a[g0:g1] for a in inputs.others]]
        for lo in range(0, len(rows), batch_size):
            r = rows[lo:lo + batch_size]
            out[r] = fn(seq_idx[r] - g0, pos[r], base[r], *arrays).numpy()
    return out


def ism(model, X, task: int = 0, batch_size: int = 2048, output: str = "logit", explain=None,
        window: bool | None = None, variants=None):
    """In-silico mutagenesis: every single-base substitution of every sequence.

    All 3 x length substitutions per sequence (4 at N positions) are predicted
    in batches of ``batch_size``; the observed base is not re-predicted.

    Parameters
    ----------
    model : keras.Model
        Any Sequential or functional model (branches, recurrent layers, several
        inputs); it is not modified.
    X : ndarray, shape=(n, length, 4); or a list (model input order) / dict (by input name)
        For a model with several inputs, the one-hot input named by ``explain`` is
        mutated and the others are held at their given values.
    task : int, default 0
        Output column explained.
    batch_size : int, default 2048
        Mutants per batch; results do not depend on it.
    output : {"logit", "probability"}, default "logit"
        ``"logit"`` explains the output before the model's final sigmoid/softmax;
        for a model whose output has no sigmoid/softmax (regression) both are the
        raw output.
    explain : str, int or None, default None
        The input to mutate (name or index); needed only when several inputs have
        shape (length, 4).
    window : bool or None, default None
        ``None``: recompute only the window a substitution reaches where the model
        begins with position-local layers and that pays (a global pool after them,
        or at least two convolutions), full-length mutants elsewhere; ``False``:
        always full-length mutants (slower, same numbers); ``True``: require the
        window (ValueError if the model has none).
    variants : None, DataFrame or int array of shape (m, 3), default None
        Score only these substitutions instead of all of them (variant effects).
        A DataFrame with columns ``sequence`` (row of X), ``position`` (0-based)
        and ``alt`` (a letter A/C/G/T or 0-3), optionally ``ref`` (letter, checked
        against X); or rows of integers (sequence, position, alt index).

    Returns
    -------
    ISMResult(delta (n, length, 4), importance (n, length), wild_type (n,)), float32;
    with ``variants``: a pandas DataFrame, one row per variant (the given columns
    and index kept) with ``ref``, ``alt`` (letters), ``wild_type``, ``mutant`` and
    ``effect`` (= mutant - wild_type, the output change the variant causes).
    """
    graph = graph_of(model)
    task = graph.check_task(task)
    index, inputs = graph.prepare(X, explain)
    batch_size = check_int(batch_size, "batch_size", 1)
    output = check_choice(output, "output", ("logit", "probability"))
    if window not in (None, True, False):
        raise ValueError(f"window must be None, True or False; received {window!r}")
    probability = output == "probability"
    wild = graph.outputs(index, inputs, probability)[:, task]
    if variants is not None:
        return _variant_table(graph, index, inputs, variants, task, wild, probability, batch_size, window)
    seq = inputs.seq
    s, p, b = np.nonzero(seq != 1)  # every substitution that changes the sequence
    values = predict_mutants(graph, index, inputs, s, p, b, probability, batch_size, window)[:, task]
    delta = np.zeros(seq.shape, dtype=np.float64)
    delta[s, p, b] = values - wild[s]
    counts = np.maximum((seq != 1).sum(-1), 1)
    importance = -delta.sum(-1) / counts
    return ISMResult(delta.astype(np.float32), importance.astype(np.float32), wild.astype(np.float32))


def parse_variants(variants, X):
    """(table, sequence, position, alt) from a DataFrame or an (m, 3) integer array;
    every value checked against X."""
    import pandas as pd

    n, length = X.shape[:2]
    if isinstance(variants, pd.DataFrame):
        missing = [c for c in ("sequence", "position", "alt") if c not in variants.columns]
        if missing:
            raise KeyError(f"variants is missing column(s) {missing}; it needs sequence, position and alt "
                           "(and optionally ref)")
        table = variants.copy()
    else:
        arr = np.asarray(variants)
        if arr.ndim != 2 or arr.shape[1] != 3 or not np.issubdtype(arr.dtype, np.integer):
            raise ValueError("variants must be a DataFrame (sequence, position, alt[, ref]) or an integer "
                             f"array of shape (m, 3); received {type(variants).__name__} of shape "
                             f"{getattr(arr, 'shape', None)}")
        table = pd.DataFrame(arr, columns=["sequence", "position", "alt"])
    seq = np.asarray(table["sequence"], dtype=np.int64)
    pos = np.asarray(table["position"], dtype=np.int64)
    bad = np.flatnonzero((seq < 0) | (seq >= n) | (pos < 0) | (pos >= length))
    if len(bad):
        i = bad[0]
        raise ValueError(f"variants row {i}: sequence {seq[i]}, position {pos[i]} is outside X "
                         f"({n} sequences of length {length}; positions are 0-based)")
    alt = []
    for i, a in enumerate(table["alt"]):
        if isinstance(a, str) and a.upper() in BASES:
            alt.append(BASES.index(a.upper()))
        elif not isinstance(a, str) and float(a).is_integer() and 0 <= int(a) <= 3:
            alt.append(int(a))
        else:
            raise ValueError(f"variants row {i}: alt must be one of A, C, G, T or 0-3; received {a!r}")
    alt = np.asarray(alt, dtype=np.int64)
    observed = np.where(X[seq, pos].max(-1) == 1, X[seq, pos].argmax(-1), -1)
    refs = np.array([BASES[o] if o >= 0 else "N" for o in observed], dtype=object)
    if "ref" in table.columns:
        given = table["ref"].astype(str).str.upper().to_numpy()
        wrong = np.flatnonzero(given != refs)
        if len(wrong):
            i = wrong[0]
            raise ValueError(f"variants row {i}: ref {table['ref'].iloc[i]!r} does not match X, which has "
                             f"{refs[i]!r} at sequence {seq[i]}, position {pos[i]}")
    table["ref"] = refs
    return table, seq, pos, alt


def _variant_table(graph, index, inputs, variants, task, wild, probability, batch_size, window):
    table, seq, pos, alt = parse_variants(variants, inputs.seq)
    mutant = predict_mutants(graph, index, inputs, seq, pos, alt, probability, batch_size, window)[:, task]
    same = inputs.seq[seq, pos, alt] == 1
    mutant = np.where(same, wild[seq], mutant)  # alt == ref: no change, exactly
    table["alt"] = [BASES[a] for a in alt]
    table["wild_type"] = wild[seq].astype(np.float32)
    table["mutant"] = mutant.astype(np.float32)
    table["effect"] = (mutant - wild[seq]).astype(np.float32)
    return table
