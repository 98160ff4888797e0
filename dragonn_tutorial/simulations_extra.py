"""Three newer simulations, beyond one binary label, with their ground truth.

- :func:`simulate_signal_regression`: a ChIP-like *signal* per sequence (and a
  Poisson *counts* version) that is a known function of the embedded motif
  sites: the sum of each site's affinity (from its PSSM score), times a
  cooperativity factor when two sites lie close together.
- :func:`simulate_cell_type_binding`: the same sequences in several cell types,
  each with its own per-base accessibility track; the factor binds where its
  motif lies inside accessible chromatin *of that cell type*. A sequence-only
  model cannot tell the cell types apart (:func:`sequence_only_ceiling`
  measures how well it could do at best); :func:`stack_cell_types` makes one
  example per (sequence, cell type) for a two-input model.
- :func:`simulate_many_motifs`: dozens of ENCODE motifs, one task per motif,
  with imbalanced task frequencies (50% down to 2% by default), for
  multi-task learning and pre-training.

They reuse :mod:`~dragonn_tutorial.simulations`' building blocks (background,
non-overlapping placement, motif embedding, :class:`Sites`, :class:`Dataset`)
and take ``random_state`` like every simulation. All are numpy only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Sequence

import numpy as np

from ._validation import check_float, check_int, check_range_pair, rng_from
from .motifs import get_motif
from .simulations import Dataset, Sites, _check_fits, _common, _embed, _motifs, _place_blocks

__all__ = ["SignalDataset", "CellTypeDataset", "CellTypeExamples", "simulate_signal_regression",
           "site_affinities", "simulate_cell_type_binding", "stack_cell_types",
           "sequence_only_ceiling", "simulate_many_motifs", "geometric_frequencies",
           "MANY_MOTIFS", "SIMULATIONS_EXTRA"]


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class SignalDataset(Dataset):
    """A :class:`Dataset` whose ``y`` is a continuous signal, with its ground truth.

    Extra attributes
    ----------------
    counts : ndarray, shape=(n, 1), float32
        Poisson read counts with mean ``depth * (baseline + signal)``.
    signal : ndarray, shape=(n, 1), float32
        The noiseless signal (``y`` is ``signal`` plus Gaussian noise).
    affinity : ndarray, shape=(n_sites,)
        Each site's affinity, ``2 ** ((score - best_score) / affinity_scale)`` in (0, 1],
        parallel to ``sites``.
    contribution : ndarray, shape=(n_sites,)
        Each site's share of the noiseless signal (affinity x its sequence's
        cooperativity factor); they sum to ``signal`` per sequence.
    """

    counts: np.ndarray = None
    signal: np.ndarray = None
    affinity: np.ndarray = None
    contribution: np.ndarray = None

    def subset(self, indices) -> "SignalDataset":
        indices = np.asarray(indices)
        sites = self.sites.select(indices)
        # match each kept site to its original by (original sequence, start): starts never repeat
        key = {(int(s), int(b)): j for j, (s, b) in enumerate(zip(self.sites.sequence, self.sites.start))}
        orig = np.array([key[(int(indices[s]), int(b))] for s, b in zip(sites.sequence, sites.start)],
                        dtype=np.int64)
        return SignalDataset(self.X[indices], self.y[indices], sites, list(self.task_names),
                             list(self.motif_names), self.name, dict(self.params),
                             self.counts[indices], self.signal[indices], self.affinity[orig],
                             self.contribution[orig])


@dataclass(frozen=True)
class CellTypeDataset(Dataset):
    """Sequences seen in several cell types: ``y`` has one column per cell type.

    Extra attributes
    ----------------
    accessibility : ndarray, shape=(n, seq_length, cell_types), float32
        Noisy per-base accessibility (smooth bumps over peaks, plus noise, clipped at 0).
    accessible : ndarray, shape=(n, seq_length, cell_types), bool
        The truth behind it: where the noiseless track is at least 0.5.
    cell_types : list of str
    """

    accessibility: np.ndarray = None
    accessible: np.ndarray = None
    cell_types: list = None

    def subset(self, indices) -> "CellTypeDataset":
        indices = np.asarray(indices)
        return CellTypeDataset(self.X[indices], self.y[indices], self.sites.select(indices),
                               list(self.task_names), list(self.motif_names), self.name,
                               dict(self.params), self.accessibility[indices],
                               self.accessible[indices], list(self.cell_types))


class CellTypeExamples(NamedTuple):
    """One example per (sequence, cell type), ready for a two-input model.

    ``X[i]`` is sequence ``sequence[i]`` and ``accessibility[i]`` its track in
    cell type ``cell_type[i]``; ``y[i]`` says whether the factor binds there.
    """

    X: np.ndarray             # (n * k, seq_length, 4)
    accessibility: np.ndarray  # (n * k, seq_length, 1)
    y: np.ndarray             # (n * k, 1)
    sequence: np.ndarray      # (n * k,)
    cell_type: np.ndarray     # (n * k,)


# --------------------------------------------------------------------------- signal regression

def site_affinities(X, sites: Sites, motif, GC_fraction: float = 0.4, affinity_scale: float = 4.0,
                    pseudocount: float = 0.01) -> np.ndarray:
    """Affinity of each site: ``2 ** ((score - best) / affinity_scale)``, in (0, 1].

    ``score`` is the site's log2-odds PSSM score on its own strand (against an
    i.i.d. background at ``GC_fraction``) and ``best`` the consensus's score, so
    a perfect site has affinity 1 and every ``affinity_scale`` bits below it halve it.

    Parameters
    ----------
    X : ndarray, shape=(n, seq_length, 4)
    sites : Sites
        Instances of ``motif`` in ``X``.
    motif : str or Motif
    GC_fraction : float, default 0.4
    affinity_scale : float > 0, default 4.0
    pseudocount : float, default 0.01

    Returns
    -------
    ndarray, shape=(len(sites),), float64
    """
    from ._validation import check_one_hot

    X = check_one_hot(X, "X", allow_2d=False)
    motif = get_motif(motif)
    affinity_scale = check_float(affinity_scale, "affinity_scale", 1e-9)
    pssm = motif.pssm(check_float(GC_fraction, "GC_fraction", 0.0, 1.0), pseudocount)
    w = motif.width
    if len(sites) == 0:
        return np.zeros(0)
    windows = np.asarray(X)[sites.sequence[:, None], sites.start[:, None] + np.arange(w)]
    oriented = np.where((sites.strand < 0)[:, None, None], pssm[::-1, ::-1][None], pssm[None])
    score = (windows * oriented).sum(axis=(1, 2))
    return 2.0 ** ((score - pssm.max(axis=1).sum()) / affinity_scale)


def simulate_signal_regression(motif_name="SPI1_known4", seq_length=200, num_seqs=5000, min_sites=0,
                               max_sites=4, affinity_scale=4.0, cooperativity=2.0,
                               cooperative_distance=10, noise_sd=0.1, depth=20.0, baseline=0.05,
                               GC_fraction=0.4, random_state=None) -> SignalDataset:
    """A ChIP-like signal that is a known function of the embedded sites.

    Each sequence holds k instances of ``motif_name`` (k uniform in
    [min_sites, max_sites], non-overlapping, either strand). Its noiseless signal is

        signal = c * sum over sites of affinity(site),    affinity = 2 ** ((score - best) / affinity_scale)

    where ``c = cooperativity`` when two of its sites are at most
    ``cooperative_distance`` bases apart (end of one to start of the next) and 1
    otherwise. ``y = signal + N(0, noise_sd**2)``; ``counts`` are Poisson with
    mean ``depth * (baseline + signal)``.

    Parameters
    ----------
    motif_name : str, default "SPI1_known4"
    seq_length : int, default 200
    num_seqs : int, default 5000
    min_sites, max_sites : int, default 0 and 4
    affinity_scale : float > 0, default 4.0
        Bits below the consensus score that halve a site's affinity.
    cooperativity : float >= 0, default 2.0
        Factor for sequences with a close pair (1 = no cooperativity).
    cooperative_distance : int >= 0, default 10
    noise_sd : float >= 0, default 0.1
    depth : float > 0, default 20.0
        Reads per unit of signal in ``counts``.
    baseline : float >= 0, default 0.05
        Signal of a sequence without sites, in ``counts`` (background reads).
    GC_fraction : float, default 0.4
    random_state : None, int or numpy Generator

    Returns
    -------
    SignalDataset
        ``X`` (n, seq_length, 4); ``y`` (n, 1) noisy signal; ``counts``,
        ``signal`` (n, 1); ``sites`` with ``affinity`` and ``contribution`` per site.
    """
    params = dict(locals())
    seq_length, gc = _common(seq_length, GC_fraction)
    n = check_int(num_seqs, "num_seqs", 0)
    motif = get_motif(motif_name)
    low, high = check_int(min_sites, "min_sites", 0), check_int(max_sites, "max_sites", 0)
    check_range_pair(low, high, "min_sites", "max_sites")
    affinity_scale = check_float(affinity_scale, "affinity_scale", 1e-9)
    cooperativity = check_float(cooperativity, "cooperativity", 0.0)
    cooperative_distance = check_int(cooperative_distance, "cooperative_distance", 0)
    noise_sd = check_float(noise_sd, "noise_sd", 0.0)
    depth = check_float(depth, "depth", 1e-9)
    baseline = check_float(baseline, "baseline", 0.0)
    _check_fits(high * motif.width, seq_length, f"{high} instances of {motif.name}", "seq_length")
    rng = rng_from(random_state)
    k = rng.integers(low, high + 1, size=n)
    seq = np.repeat(np.arange(n), k)
    starts = _place_blocks(rng, np.full(len(seq), motif.width), seq, n, np.zeros(n, np.int64),
                           np.full(n, seq_length))
    X, sites = _embed(rng, n, seq_length, gc, [motif], seq, np.zeros(len(seq), np.int64), starts)
    affinity = site_affinities(X, sites, motif, gc, affinity_scale)
    # sites are sorted by (sequence, start): a close pair is two neighbours in the same sequence
    same = sites.sequence[1:] == sites.sequence[:-1]
    close = same & (sites.start[1:] - sites.end[:-1] <= cooperative_distance)
    has_pair = np.zeros(n, bool)
    has_pair[sites.sequence[1:][close]] = True
    factor = np.where(has_pair, cooperativity, 1.0)
    contribution = affinity * factor[sites.sequence]
    signal = np.bincount(sites.sequence, weights=contribution, minlength=n)[:, None]
    y = signal + noise_sd * rng.standard_normal((n, 1))
    counts = rng.poisson(depth * (baseline + signal)).astype(np.float32)
    return SignalDataset(X, y.astype(np.float32), sites, ["signal"], [motif.name],
                         "simulate_signal_regression", params, counts, signal.astype(np.float32),
                         affinity, contribution)


# --------------------------------------------------------------------------- cell-type binding

def _bump(peak_width: int) -> np.ndarray:
    """A smooth bump of height 1 over ``peak_width`` bases: raised-cosine ramps, flat middle."""
    ramp = max(peak_width // 4, 1)
    t = np.arange(peak_width, dtype=float)
    edge = np.minimum(t + 0.5, peak_width - t - 0.5) / ramp
    return np.where(edge >= 1, 1.0, 0.5 * (1 - np.cos(np.pi * np.clip(edge, 0, 1))))


def simulate_cell_type_binding(motif_name="CTCF_known1", seq_length=200, num_seqs=4000,
                               num_cell_types=2, motif_fraction=0.6, open_probability=0.5,
                               decoy_peaks=1, peak_width=50, noise_sd=0.2, GC_fraction=0.4,
                               random_state=None) -> CellTypeDataset:
    """Cell-type-specific binding: the motif binds only inside accessible chromatin.

    A fraction ``motif_fraction`` of the sequences holds one instance of
    ``motif_name``. In each cell type, independently, that site is covered by
    an accessibility peak with probability ``open_probability``; every
    sequence also gets ``decoy_peaks`` peaks at random places in each cell
    type. A peak is a smooth bump of height 1 over ``peak_width`` bases; the
    track is the sum of the bumps (capped at 1) plus Gaussian noise
    (``noise_sd``), clipped at 0. Positions where the noiseless track is at
    least 0.5 are *accessible*. The label of (sequence, cell type) is 1 when
    a motif site lies wholly inside accessible positions of that cell type.

    Parameters
    ----------
    motif_name : str, default "CTCF_known1"
    seq_length : int, default 200
    num_seqs : int, default 4000
    num_cell_types : int >= 1, default 2
    motif_fraction : float in [0, 1], default 0.6
    open_probability : float in [0, 1], default 0.5
    decoy_peaks : int >= 0, default 1
        Peaks per sequence and cell type that ignore the motif (accessible
        chromatin that the factor does not bind, unless they cover its site by chance).
    peak_width : int, default 50
        Must leave room for the motif inside the flat middle of a peak.
    noise_sd : float >= 0, default 0.2
    GC_fraction : float, default 0.4
    random_state : None, int or numpy Generator

    Returns
    -------
    CellTypeDataset
        ``X`` (n, seq_length, 4); ``y`` (n, num_cell_types); ``accessibility``
        and ``accessible`` (n, seq_length, num_cell_types); ``sites``.
    """
    params = dict(locals())
    seq_length, gc = _common(seq_length, GC_fraction)
    n = check_int(num_seqs, "num_seqs", 0)
    k = check_int(num_cell_types, "num_cell_types", 1)
    motif = get_motif(motif_name)
    motif_fraction = check_float(motif_fraction, "motif_fraction", 0.0, 1.0)
    open_probability = check_float(open_probability, "open_probability", 0.0, 1.0)
    decoy_peaks = check_int(decoy_peaks, "decoy_peaks", 0)
    peak_width = check_int(peak_width, "peak_width", 1, seq_length)
    noise_sd = check_float(noise_sd, "noise_sd", 0.0)
    bump = _bump(peak_width)
    core = np.nonzero(bump >= 0.5)[0]              # the accessible part of a lone peak
    if len(core) < motif.width:
        raise ValueError(f"peak_width = {peak_width} leaves {len(core)} accessible bases, fewer than "
                         f"the {motif.width}-bp motif {motif.name}; allowed: peak_width >= "
                         f"{2 * motif.width}")
    rng = rng_from(random_state)
    n_motif = int(round(motif_fraction * n))
    seq = np.sort(rng.choice(n, size=n_motif, replace=False))
    starts = rng.integers(0, seq_length - motif.width + 1, size=n_motif)
    X, sites = _embed(rng, n, seq_length, gc, [motif], seq, np.zeros(n_motif, np.int64), starts)
    # peak starts (in padded coordinates: the track is computed on [-peak_width, seq_length + peak_width))
    pad = peak_width
    clean = np.zeros((n, seq_length + 2 * pad, k))
    for c in range(k):
        opened = rng.random(n_motif) < open_probability
        # place the site inside the peak's core: peak start in [end - core_end - 1, start - core_start]
        lo = sites.end - (core[-1] + 1)
        hi = sites.start - core[0]
        p0 = lo + np.floor(rng.random(n_motif) * (hi - lo + 1)).astype(np.int64)
        peak_seq = np.concatenate([sites.sequence[opened], np.repeat(np.arange(n), decoy_peaks)])
        peak_start = np.concatenate([p0[opened], rng.integers(-peak_width // 2, seq_length -
                                                              peak_width // 2, size=n * decoy_peaks)])
        cols = peak_start[:, None] + pad + np.arange(peak_width)
        np.add.at(clean[..., c], (peak_seq[:, None], cols), bump[None])
    clean = np.minimum(clean[:, pad:pad + seq_length], 1.0)
    accessible = clean >= 0.5
    track = np.maximum(clean + noise_sd * rng.standard_normal(clean.shape), 0).astype(np.float32)
    inside = np.stack([accessible[sites.sequence[:, None], sites.start[:, None] + np.arange(motif.width), c]
                       .all(axis=1) for c in range(k)], axis=1) if len(sites) else np.zeros((0, k), bool)
    y = np.zeros((n, k), dtype=np.float32)
    np.maximum.at(y, sites.sequence, inside.astype(np.float32))
    cell_types = [f"cell_type_{c + 1}" for c in range(k)]
    return CellTypeDataset(X, y, sites, list(cell_types), [motif.name], "simulate_cell_type_binding",
                           params, track, accessible, cell_types)


def stack_cell_types(data: CellTypeDataset, cell_types: Sequence[int] | None = None) -> CellTypeExamples:
    """One example per (sequence, cell type): the sequence, that cell type's track and label.

    Parameters
    ----------
    data : CellTypeDataset
    cell_types : sequence of int or None, default None (all)
        Which cell types (column indices) to include.

    Returns
    -------
    CellTypeExamples
        Arrays of n * len(cell_types) rows, sequence-major (row ``i * k + j`` is
        sequence i in the j-th chosen cell type).
    """
    if not isinstance(data, CellTypeDataset):
        raise TypeError("data must be a CellTypeDataset (from simulate_cell_type_binding); "
                        f"received {type(data).__name__}")
    k_all = data.y.shape[1]
    cols = list(range(k_all)) if cell_types is None else [check_int(c, "cell_types[]", 0, k_all - 1)
                                                          for c in cell_types]
    if not cols:
        raise ValueError("cell_types must name at least one cell type")
    n, k = len(data), len(cols)
    X = np.repeat(data.X, k, axis=0)
    acc = data.accessibility[:, :, cols].transpose(0, 2, 1).reshape(n * k, data.seq_length, 1)
    y = data.y[:, cols].reshape(n * k, 1)
    return CellTypeExamples(X, np.ascontiguousarray(acc), y, np.repeat(np.arange(n), k),
                            np.tile(np.array(cols), n))


def sequence_only_ceiling(data: CellTypeDataset) -> dict:
    """The best auROC and auPRC a sequence-only model can expect on these data.

    Whether a site is open in a cell type is drawn independently of the
    sequence, so all a model that sees only the sequence can know is whether
    the sequence holds the motif: the Bayes-optimal sequence-only score is
    P(bound | motif present) for those sequences and (almost) 0 for the others,
    the same in every cell type. This scores each stacked (sequence, cell
    type) example by whether its sequence holds a site, with the true sites.

    Parameters
    ----------
    data : CellTypeDataset

    Returns
    -------
    dict with "auROC" and "auPRC" on the stacked examples (:func:`stack_cell_types`).
    """
    from sklearn.metrics import average_precision_score, roc_auc_score

    if not isinstance(data, CellTypeDataset):
        raise TypeError("data must be a CellTypeDataset (from simulate_cell_type_binding); "
                        f"received {type(data).__name__}")
    y = data.y.reshape(-1)
    if y.min() == y.max():
        raise ValueError("data must hold both bound and unbound (sequence, cell type) examples")
    has_site = np.bincount(data.sites.sequence, minlength=len(data)) > 0
    score = np.repeat(has_site.astype(float), data.y.shape[1])
    return {"auROC": float(roc_auc_score(y, score)), "auPRC": float(average_precision_score(y, score))}


# --------------------------------------------------------------------------- many motifs

MANY_MOTIFS = (
    "MEF2_known1", "E2F_known1", "MAF_known1", "IRF_known1", "PRDM1_known1", "EGR1_known1",
    "NR2C2_known1", "NRF1_known1", "NFKB_known1", "MYC_known1", "NFE2_known1", "BHLHE40_known1",
    "TAL1_known1", "ELF1_known1", "SREBP_known1", "POU5F1_known1", "FOXA_known1", "ZEB1_known1",
    "NANOG_known1", "TATA_known1", "STAT_known1", "ATF3_known1", "HEY1_known1", "NFY_known1",
)
"""24 ENCODE motifs (Kheradpour & Kellis 2014) of 9–16 bp with at least 11 bits of information."""


def geometric_frequencies(num_tasks: int, high: float = 0.5, low: float = 0.02) -> np.ndarray:
    """``num_tasks`` frequencies falling geometrically from ``high`` to ``low``."""
    num_tasks = check_int(num_tasks, "num_tasks", 1)
    high = check_float(high, "high", 0.0, 1.0)
    low = check_float(low, "low", 0.0, 1.0)
    check_range_pair(low, high, "low", "high")
    if num_tasks == 1:
        return np.array([high])
    if low == 0:
        raise ValueError("low must be > 0 for geometric spacing; received 0")
    return high * (low / high) ** (np.arange(num_tasks) / (num_tasks - 1))


def simulate_many_motifs(motif_names=MANY_MOTIFS, seq_length=200, num_seqs=5000, frequencies=(0.5, 0.02),
                         GC_fraction=0.4, random_state=None) -> Dataset:
    """Many motifs, one task per motif, with imbalanced task frequencies.

    Motif j is embedded (once, either strand, never overlapping another) in
    exactly ``round(frequencies[j] * num_seqs)`` sequences chosen at random; its
    task's label is 1 in those sequences and 0 elsewhere.

    Parameters
    ----------
    motif_names : sequence of str, default MANY_MOTIFS (24 ENCODE motifs)
    seq_length : int, default 200
    num_seqs : int, default 5000
    frequencies : (high, low) pair or sequence of one float per motif, default (0.5, 0.02)
        A pair spaces the frequencies geometrically from ``high`` (first motif)
        to ``low`` (last motif); otherwise each motif's fraction of positives, in [0, 1].
    GC_fraction : float, default 0.4
    random_state : None, int or numpy Generator

    Returns
    -------
    Dataset
        ``y`` (n, len(motif_names)); ``task_names`` = ``motif_names``; ``params``
        include the frequencies used.
    """
    params = dict(locals())
    seq_length, gc = _common(seq_length, GC_fraction)
    motifs = _motifs(motif_names, "motif_names")
    names = [m.name for m in motifs]
    if len(set(names)) != len(names):
        raise ValueError(f"motif_names must not repeat a motif; received {names}")
    n = check_int(num_seqs, "num_seqs", 0)
    freq = np.asarray(frequencies, dtype=float) if not isinstance(frequencies, str) else None
    if freq is None or freq.ndim != 1:
        raise ValueError(f"frequencies must be a (high, low) pair or one number per motif; "
                         f"received {frequencies!r}")
    if len(freq) == 2 and len(motifs) != 2:
        freq = geometric_frequencies(len(motifs), freq[0], freq[1])
    if len(freq) != len(motifs):
        raise ValueError(f"frequencies must be a (high, low) pair or have one value per motif "
                         f"({len(motifs)}); received {len(freq)} values")
    if not np.isfinite(freq).all() or (freq < 0).any() or (freq > 1).any():
        raise ValueError(f"frequencies must lie in [0, 1]; received {np.round(freq, 4).tolist()}")
    for m in motifs:
        _check_fits(m.width, seq_length, f"one {m.name} instance", "seq_length")
    params["frequencies"] = freq.tolist()
    rng = rng_from(random_state)
    room = np.full(n, seq_length)
    chosen = np.zeros((n, len(motifs)), dtype=bool)
    for j, m in enumerate(motifs):
        count = int(round(freq[j] * n))
        eligible = np.nonzero(room >= m.width)[0]
        if len(eligible) < count:
            raise ValueError(f"seq_length = {seq_length} is too short to give {count} sequences room for "
                             f"{m.name} next to the other motifs; allowed: a longer seq_length or "
                             f"lower frequencies")
        pick = rng.choice(eligible, size=count, replace=False)
        chosen[pick, j] = True
        room[pick] -= m.width
    seq, m_idx = np.nonzero(chosen)
    widths = np.array([m.width for m in motifs])[m_idx]
    starts = _place_blocks(rng, widths, seq, n, np.zeros(n, np.int64), np.full(n, seq_length))
    X, sites = _embed(rng, n, seq_length, gc, motifs, seq, m_idx, starts)
    return Dataset(X, chosen.astype(np.float32), sites, list(names), list(names),
                   "simulate_many_motifs", params)


# --------------------------------------------------------------------------- registry

SIMULATIONS_EXTRA: dict[str, dict] = {
    "simulate_signal_regression": dict(
        function=simulate_signal_regression,
        positive="regression: signal = cooperativity x sum of site affinities (+ noise; Poisson counts)",
        negative="(regression)",
        teaches="predicting a signal value, MSE vs Poisson loss"),
    "simulate_cell_type_binding": dict(
        function=simulate_cell_type_binding,
        positive="per cell type: the motif lies inside that cell type's accessible chromatin",
        negative="no motif, or the motif in closed chromatin",
        teaches="sequence + accessibility (two-input models)"),
    "simulate_many_motifs": dict(
        function=simulate_many_motifs,
        positive="multi-task: 1 in column j if motif j was embedded (frequencies 50% to 2%)",
        negative="(multi-task)",
        teaches="multi-task learning, task imbalance, pre-training for transfer"),
}
