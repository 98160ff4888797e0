"""Scoring attributions against the truth: how well per-position scores find the
motif instances a simulation embedded (or any boolean mask of true positions).
"""
from __future__ import annotations

import numpy as np

from ._validation import check_int


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
