"""Looking inside trained CNNs.

Model-centred: ``filter_weights`` (first-layer filters as (width, 4)
matrices) and ``match_filters_to_motifs`` (which known motif each filter
resembles). Sequence-centred: ``layer_outputs`` (activations of named layers
along sequences, e.g. pre-ReLU ``conv_1``, post-ReLU ``relu_1``, ``pool``).
Attribution methods (ISM, gradient x input, DeepLIFT) are planned for this
module (see the open interpretation issue).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ._validation import check_one_hot, missing_name_error


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
