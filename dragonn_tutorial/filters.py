"""Model-centred interpretation: first-layer filters, their activations along
sequences, and which known motif each filter resembles (with a null: the best
correlation a filter of the same content reaches by chance).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ._validation import check_int, check_one_hot, missing_name_error


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
    values = probe.predict(X, batch_size=check_int(batch_size, "batch_size", 1), verbose=0)
    if len(layers) == 1:
        values = [values]
    return {name: np.asarray(v) for name, v in zip(layers, values)}


def _centered(m: np.ndarray) -> np.ndarray:
    return m - m.mean(axis=-1, keepdims=True)


def _best_matches(filters: np.ndarray, pssms: list, min_overlap: int = 6):
    """For each filter (F, W, 4), the best Pearson r over motifs, strands and offsets
    (at least ``min_overlap`` overlapping positions), both sides centred per position.
    Returns (r (F,), motif index (F,), offset (F,), strand (F,) as '+'/'-')."""
    F, W = filters.shape[:2]
    fc = _centered(filters)
    best = np.full(F, -np.inf)
    which, offset, strand = np.zeros(F, int), np.zeros(F, int), np.full(F, "+", dtype=object)
    for j, pssm in enumerate(pssms):
        for s, m in (("+", pssm), ("-", pssm[::-1, ::-1])):
            m = _centered(m)
            M = m.shape[0]
            for off in range(-(M - min_overlap), W - min_overlap + 1):
                a0, b0 = max(off, 0), max(-off, 0)
                n = min(W - a0, M - b0)
                if n < min_overlap:
                    continue
                a = fc[:, a0:a0 + n].reshape(F, -1)
                b = m[b0:b0 + n].ravel()
                a = a - a.mean(1, keepdims=True)
                b = b - b.mean()
                na, nb = np.linalg.norm(a, axis=1), np.linalg.norm(b)
                if nb == 0:
                    continue
                with np.errstate(invalid="ignore", divide="ignore"):
                    r = np.where(na > 0, a @ b / (na * nb), -np.inf)
                better = r > best
                best[better], which[better], offset[better], strand[better] = r[better], j, off, s
    return best, which, offset, strand


def match_filters_to_motifs(model, motif_names: Sequence[str], layer: str = "conv_1", background=0.5,
                            n_null: int = 20, random_state=0):
    """For each filter, the known motif, offset and strand it correlates with best,
    and whether that beats chance.

    The filter and the motif PSSM are both centred per position (each column
    minus its mean, since a filter only 'sees' differences between bases at a
    position) and compared by Pearson correlation over their overlap, at every
    offset with at least 6 overlapping positions, on both strands.

    The null: ``n_null`` copies of the filter with its positions shuffled (same
    columns, arrangement destroyed) are matched against the same motifs in the
    same way; ``null_correlation`` is the best r any of them reaches (so a filter
    beats it by chance with probability about 1 / (n_null + 1)). Filters whose
    correlation does not exceed it are labelled ``"no match"`` in ``match``.

    Parameters
    ----------
    model : keras.Model
    motif_names : sequence of str (names in the bundled collection) or Motif
    layer : str, default "conv_1"
    background : GC fraction or 4 numbers, default 0.5
    n_null : int >= 1, default 20
    random_state : None, int or numpy Generator, default 0

    Returns
    -------
    pandas.DataFrame, one row per filter (index ``filter``, from 1): ``motif``,
    ``correlation``, ``offset``, ``strand`` (the best match, whatever its strength),
    ``null_correlation`` and ``match`` (the motif, or ``"no match"``).
    """
    import pandas as pd

    from ._validation import rng_from
    from .motifs import get_motif

    n_null = check_int(n_null, "n_null", 1)
    motif_list = [get_motif(name) for name in ([motif_names] if isinstance(motif_names, str) else motif_names)]
    if not motif_list:
        raise ValueError("motif_names must name at least one motif; received an empty list")
    names = [m.name for m in motif_list]
    pssms = [m.pssm(background) for m in motif_list]
    filters = filter_weights(model, layer)
    if filters.shape[-1] != 4:
        raise ValueError(f"layer {layer!r} reads {filters.shape[-1]} channels; filters can be matched to "
                         "motifs only in the first layer (4 channels: A, C, G, T)")
    F, W = filters.shape[:2]
    r, which, offset, strand = _best_matches(filters, pssms)
    rng = rng_from(random_state)
    perms = np.argsort(rng.random((F, n_null, W)), axis=-1)
    shuffled = filters[np.arange(F)[:, None, None], perms]  # (F, n_null, W, 4)
    null = _best_matches(shuffled.reshape(F * n_null, W, 4), pssms)[0].reshape(F, n_null).max(1)
    motif = [names[j] if np.isfinite(v) else "-" for j, v in zip(which, r)]
    table = pd.DataFrame({"filter": np.arange(1, F + 1), "motif": motif, "correlation": r,
                          "offset": offset, "strand": list(strand), "null_correlation": null,
                          "match": [m if v > nv else "no match" for m, v, nv in zip(motif, r, null)]})
    return table.set_index("filter")
