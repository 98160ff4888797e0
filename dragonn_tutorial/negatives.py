"""Which negatives, and how many: the negative set decides what a model learns.

:func:`cofactor_data` simulates a target motif among co-factor motifs: positives
hold the target and other motifs (like real enhancers), *realistic* negatives
hold the other motifs but not the target, and *shuffled* negatives are
dinucleotide shuffles of the positives (DeepBind's choice: same composition,
no motifs at all). :func:`imbalance` keeps a chosen number of negatives per
positive. Both take ``random_state`` and never change their inputs.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import check_float, check_int, check_one_hot, rng_from
from .sequences import dinucleotide_shuffle
from .simulations import simulate_multi_motif_embedding


class NegativeSets(NamedTuple):
    """Positives and two kinds of negatives (each an ndarray of shape (n, seq_length, 4))."""

    positives: np.ndarray
    shuffled: np.ndarray
    realistic: np.ndarray
    target: str
    others: tuple


def cofactor_data(n: int = 1000, target: str = "GATA_disc1",
                  others=("CTCF_known1", "ZNF143_known2", "SIX5_known1"), seq_length: int = 100,
                  GC_fraction: float = 0.4, random_state=None) -> NegativeSets:
    """Positives with ``target`` plus co-factors; negatives shuffled or with co-factors only.

    Every sequence holds 2 or 3 distinct motifs from ``(target,) + others``
    (``simulations.simulate_multi_motif_embedding``); those holding ``target``
    are positives, the rest are realistic negatives (co-factor motifs, same
    background, no target). Shuffled negatives are one dinucleotide shuffle of
    each positive.

    Parameters
    ----------
    n : int, default 1000
        Sequences in each returned set.
    target : str, default "GATA_disc1"
    others : sequence of str, default ("CTCF_known1", "ZNF143_known2", "SIX5_known1")
        At least two co-factor motifs.
    seq_length : int, default 100
    GC_fraction : float, default 0.4
    random_state : None, int or numpy Generator

    Returns
    -------
    NegativeSets
        ``positives``, ``shuffled``, ``realistic``: float32 arrays of shape (n, seq_length, 4).
    """
    n = check_int(n, "n", 1)
    others = tuple(others) if not isinstance(others, str) else (others,)
    if len(others) < 2:
        raise ValueError(f"others must name at least two co-factor motifs; received {others!r}")
    if target in others:
        raise ValueError(f"target {target!r} must not be among others {others!r}")
    rng = rng_from(random_state)
    # P(target) = 5/8 with 2-3 of 4 motifs: simulate enough for n of each class
    pos, neg = [], []
    n_pos = n_neg = 0
    while n_pos < n or n_neg < n:
        data = simulate_multi_motif_embedding((target,) + others, seq_length=seq_length, min_num_motifs=2,
                                              max_num_motifs=3, num_seqs=3 * n, GC_fraction=GC_fraction,
                                              random_state=rng)
        has = data.y[:, 0] == 1
        pos.append(data.X[has])
        neg.append(data.X[~has])
        n_pos, n_neg = n_pos + int(has.sum()), n_neg + int((~has).sum())
    positives = np.concatenate(pos)[:n]
    realistic = np.concatenate(neg)[:n]
    shuffled = dinucleotide_shuffle(positives, random_state=rng)
    shuffled = shuffled.reshape(positives.shape).astype(np.float32)
    return NegativeSets(positives, shuffled, realistic, target, others)


def imbalance(X, y, negatives_per_positive: float, random_state=None):
    """Keep all negatives and a random subset of positives so there are
    ``negatives_per_positive`` negatives for each positive.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    y : ndarray, shape=(n,) or (n, 1), 0/1
    negatives_per_positive : float >= 1
        E.g. 50 for a 1:50 set.
    random_state : None, int or numpy Generator

    Returns
    -------
    X_sub : ndarray, shape=(m, length, 4)
    y_sub : ndarray, shape=(m,)
        In a random order.
    """
    X = check_one_hot(X, "X", allow_2d=False)
    y = np.asarray(y).reshape(len(X)) if np.asarray(y).size == len(X) else None
    if y is None:
        raise ValueError(f"y must hold one 0/1 label per sequence ({len(X)})")
    ratio = check_float(negatives_per_positive, "negatives_per_positive", 1.0)
    rng = rng_from(random_state)
    pos, neg = np.flatnonzero(y == 1), np.flatnonzero(y == 0)
    k = int(round(len(neg) / ratio))
    if k < 1 or k > len(pos):
        raise ValueError(f"negatives_per_positive = {ratio} needs {k} positives for {len(neg)} negatives; "
                         f"{len(pos)} are available (allowed: ratios giving 1..{len(pos)} positives)")
    keep = rng.permutation(np.concatenate([rng.choice(pos, k, replace=False), neg]))
    return X[keep], y[keep].astype(np.float32)
