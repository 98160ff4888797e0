"""References for DeepLIFT and integrated gradients: what a sequence is compared with.

``make_references`` builds them (dinucleotide shuffles, a flat GC-matched
sequence, all zeros, your own array or function); ``place_on_observed`` puts
per-channel contributions onto the observed bases, the form every attribution
method here returns.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_choice, check_int, check_one_hot

REFERENCES = ("shuffle", "gc", "zeros")


def make_references(X, reference="shuffle", n_references: int = 20, random_state=None) -> np.ndarray:
    """References for DeepLIFT and integrated gradients, shape (n, k, length, 4).

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    reference : "shuffle", "gc", "zeros", ndarray or callable, default "shuffle"
        ``"shuffle"``: ``n_references`` dinucleotide shuffles of each sequence
        (seeded per sequence from ``random_state`` and the sequence itself, so a
        sequence gets the same references in any batch and at any position);
        ``"gc"``: one flat reference per sequence holding its own base composition
        at every position (A=T=(1-GC)/2, C=G=GC/2); ``"zeros"``: all zeros;
        an array of shape (length, 4), (n, length, 4) or (n, k, length, 4); or a
        function ``f(X)`` returning one of those shapes.
    n_references : int, default 20
        Used by ``"shuffle"`` only (the others are deterministic: k = 1).
    random_state : None, int or numpy Generator

    Returns
    -------
    ndarray, shape=(n, k, length, 4), float32
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
    ref = check_array(reference, "reference", dtype=np.float32)  # numbers, all finite
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


def reference_batches(X, reference, n_references: int, random_state):
    """(k, batch(lo, hi) -> (hi - lo, k, length, 4)). String references are made per
    batch from one integer seed drawn once, so results never depend on the batch
    size, on the order of the sequences or on how ``random_state`` is given."""
    from ._validation import base_seed

    if isinstance(reference, str):
        check_choice(reference, "reference", REFERENCES)
        k = check_int(n_references, "n_references", 1) if reference == "shuffle" else 1
        seed = base_seed(random_state) if reference == "shuffle" else None
        return k, lambda lo, hi: make_references(X[lo:hi], reference, k, seed)
    refs = make_references(X, reference, n_references, random_state)
    return refs.shape[1], lambda lo, hi: refs[lo:hi]


def one_hot_positions(X) -> np.ndarray:
    """Boolean (n, length): positions holding exactly one base (not N)."""
    return (np.abs(X.sum(-1) - 1) < 1e-6) & (np.abs(X.max(-1) - 1) < 1e-6)


def place_on_observed(x, per_channel, one_hot) -> np.ndarray:
    """Per-position totals moved onto the observed base (zeros on the other three);
    at positions that are not one-hot (N) the per-channel values are kept."""
    total = per_channel.sum(-1, keepdims=True)
    return np.where(one_hot[..., None], x * total, per_channel)
