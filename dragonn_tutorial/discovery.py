"""What did the model learn? Motifs discovered from attributions, named against JASPAR,
and the effects of single-base variants.

The pipeline (each step a field library, wrapped only to fit numpy arrays):

1. :func:`hypothetical_contributions` — DeepLIFT hypothetical contributions
   (``interpret.deeplift(..., hypothetical=True)``): for every position and
   every base, the contribution that base *would* make there.
2. :func:`run_modisco` — TF-MoDISco (the ``modisco-lite`` package) clusters
   high-contribution windows (seqlets) into :class:`Pattern` objects. It forks
   worker processes and compiles numba kernels; both work inside a Jupyter
   kernel (it falls back to in-process work where forking is unsafe). Its run
   time grows with the number of seqlets: subsample sequences to fit a budget.
3. :func:`tomtom_matches` — each pattern's trimmed PPM against JASPAR 2024
   CORE vertebrates (:func:`load_jaspar`, bundled) with TOMTOM (``memelite``).
4. :func:`variant_effects` / :func:`motif_substitution_effects` — in-silico
   mutagenesis (``interpret.ism``) of given single-base variants and of every
   substitution inside a motif instance, beside the motif's PSSM score change.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Optional, Sequence

import numpy as np

from ._validation import check_float, check_int, check_one_hot

JASPAR_FILE = "jaspar2024_core_vertebrates.meme.gz"
BASES = "ACGT"


# ----------------------------------------------------------------------------- attributions
def hypothetical_contributions(model, X, n_references: int = 10, task: int = 0, random_state=0,
                               batch_size: int = 512) -> np.ndarray:
    """DeepLIFT hypothetical contributions to the logit of ``task``, shape (n, length, 4).

    Dinucleotide-shuffled references (``n_references`` per sequence). Multiply by
    ``X`` for the actual contributions. A thin call of ``interpret.deeplift``.
    """
    from . import interpret

    return interpret.deeplift(model, X, reference="shuffle", n_references=n_references, task=task,
                              batch_size=batch_size, random_state=random_state, hypothetical=True)


# ----------------------------------------------------------------------------- MoDISco
@dataclass
class Pattern:
    """One TF-MoDISco pattern.

    Attributes
    ----------
    name : str
        ``"pos_0"``, ``"pos_1"``, ... (positive metacluster: bases that raise the
        output) or ``"neg_0"``, ... (bases that lower it), in MoDISco's order (most seqlets first).
    ppm : ndarray, shape=(width, 4)
        Base frequencies of the aligned seqlets.
    cwm : ndarray, shape=(width, 4)
        Mean actual contribution per position and base (contribution weight matrix).
    hcwm : ndarray, shape=(width, 4)
        Mean hypothetical contribution.
    seqlets : list of (sequence index, start, end, is_revcomp)
        Where the pattern's seqlets sit in the sequences given to :func:`run_modisco`.
    """

    name: str
    ppm: np.ndarray = field(repr=False)
    cwm: np.ndarray = field(repr=False)
    hcwm: np.ndarray = field(repr=False)
    seqlets: list = field(default_factory=list, repr=False)

    @property
    def n_seqlets(self) -> int:
        return len(self.seqlets)

    @property
    def sign(self) -> int:
        return 1 if self.name.startswith("pos") else -1

    def trim_bounds(self, threshold: float = 0.3) -> tuple:
        """(start, end) of the core: positions whose summed |CWM| is at least
        ``threshold`` x the largest (modisco-lite's report does the same)."""
        threshold = check_float(threshold, "threshold", 0.0, 1.0)
        score = np.abs(self.cwm).sum(axis=1)
        keep = np.flatnonzero(score >= threshold * score.max())
        return int(keep.min()), int(keep.max()) + 1

    def trimmed(self, threshold: float = 0.3) -> "Pattern":
        """The pattern cut to :meth:`trim_bounds`; seqlet coordinates follow the cut."""
        a, b = self.trim_bounds(threshold)
        # a reverse-complement seqlet reads the pattern from its end backwards
        seqlets = [(i, e - b, e - a, rc) if rc else (i, s + a, s + b, rc) for i, s, e, rc in self.seqlets]
        return Pattern(self.name, self.ppm[a:b], self.cwm[a:b], self.hcwm[a:b], seqlets)

    def consensus(self) -> str:
        return "".join(BASES[i] for i in self.ppm.argmax(axis=1))

    def to_motif(self, threshold: float = 0.3):
        """The trimmed PPM as a :class:`~dragonn_tutorial.motifs.Motif` (for scanning / PSSMs)."""
        from .motifs import Motif

        t = self.trimmed(threshold)
        return Motif(self.name, t.ppm + 1e-3, source="TF-MoDISco", n_sites=self.n_seqlets)


def _to_pattern(name, seqlet_set) -> Pattern:
    seqlets = [(int(s.example_idx), int(s.start), int(s.end), bool(s.is_revcomp))
               for s in seqlet_set.seqlets]
    return Pattern(name, np.asarray(seqlet_set.sequence, dtype=np.float64),
                   np.asarray(seqlet_set.contrib_scores, dtype=np.float64),
                   np.asarray(seqlet_set.hypothetical_contribs, dtype=np.float64), seqlets)


def _enable_numba_cache() -> int:
    """Turn on numba's on-disk cache for modisco-lite's kernels; returns how many.

    modisco-lite caches its kernels only when it can fork compiler children,
    which it refuses in a process with other threads (a Jupyter kernel, pytest
    with TensorFlow loaded). There every run would JIT-compile every kernel again
    (a minute or more). The kernels are written to be cacheable (each calls only
    functions of its own file), so the cache is turned on here: the first run
    compiles and stores them, later runs and kernels load them in milliseconds.
    Harmless if the package changes (nothing is cached then).
    """
    try:
        from numba.core.dispatcher import Dispatcher
        from modiscolite import precompile

        n = 0
        for group in precompile._kernels():
            for dispatcher, _ in group:
                if isinstance(dispatcher, Dispatcher) and not dispatcher.overloads:
                    dispatcher.enable_caching()
                    n += 1
        return n
    except Exception:  # pragma: no cover - a private API of modisco-lite; caching is only an optimisation
        return 0


def run_modisco(X, hypothetical, max_seqlets: int = 2000, sliding_window_size: int = 15,
                flank_size: int = 5, n_leiden_runs: int = 8, min_metacluster_size: int = 50,
                final_min_cluster_size: int = 20, trim_to_window_size: int = 20,
                initial_flank_to_add: int = 5, return_raw: bool = False, **kwargs):
    """TF-MoDISco (modisco-lite) on numpy arrays.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
        One-hot sequences (N rows are zeros).
    hypothetical : ndarray, shape=(n, length, 4)
        Hypothetical contributions for ``X`` (:func:`hypothetical_contributions`).
    max_seqlets : int, default 2000
        Seqlets kept per metacluster (modisco's ``max_seqlets_per_metacluster``): the
        main lever on run time. Subsample sequences too for a tighter budget.
    sliding_window_size, flank_size : int, defaults 15, 5
        Seqlet core width and flank (modisco defaults 21 and 10 suit 1 kb
        ChIP-seq windows; transcription-factor cores of 6–12 bp fit the smaller ones).
    n_leiden_runs : int, default 8
        Leiden clustering restarts (modisco default 50): fewer is faster and a
        little noisier.
    min_metacluster_size, final_min_cluster_size, trim_to_window_size, initial_flank_to_add : int
        Passed to ``modiscolite.tfmodisco.TFMoDISco`` (defaults sized for a few hundred sequences).
    return_raw : bool, default False
        Also return modisco's own (pos_patterns, neg_patterns) objects (e.g. for
        ``modiscolite.io.save_hdf5``).
    **kwargs
        Any other ``TFMoDISco`` argument.

    Returns
    -------
    list of Pattern
        Positive patterns then negative ones; empty when too few seqlets were found.
        With ``return_raw``: (patterns, (pos_patterns, neg_patterns)).
    """
    from modiscolite.tfmodisco import TFMoDISco

    X = check_one_hot(X, "X").astype(np.float32)
    hyp = np.asarray(hypothetical, dtype=np.float32)
    if hyp.shape != X.shape:
        raise ValueError(f"hypothetical must have the shape of X {X.shape}; received {hyp.shape}")
    if not np.isfinite(hyp).all():
        raise ValueError("hypothetical holds NaN or infinite values")
    max_seqlets = check_int(max_seqlets, "max_seqlets", 1)
    _enable_numba_cache()
    pos, neg = TFMoDISco(one_hot=X, hypothetical_contribs=hyp, sliding_window_size=sliding_window_size,
                         flank_size=flank_size, max_seqlets_per_metacluster=max_seqlets,
                         n_leiden_runs=n_leiden_runs, min_metacluster_size=min_metacluster_size,
                         final_min_cluster_size=final_min_cluster_size,
                         trim_to_window_size=trim_to_window_size,
                         initial_flank_to_add=initial_flank_to_add, **kwargs)
    patterns = [_to_pattern(f"pos_{i}", p) for i, p in enumerate(pos or [])]
    patterns += [_to_pattern(f"neg_{i}", p) for i, p in enumerate(neg or [])]
    return (patterns, (pos, neg)) if return_raw else patterns


def pattern_hits(patterns: Sequence[Pattern], n_sequences: int, threshold: float = 0.3) -> list:
    """Per sequence, the trimmed seqlet spans of every pattern.

    Returns
    -------
    list (one entry per sequence) of lists of (pattern name, start, end, strand "+"/"-")
    """
    n_sequences = check_int(n_sequences, "n_sequences", 0)
    hits = [[] for _ in range(n_sequences)]
    for p in patterns:
        for i, s, e, rc in p.trimmed(threshold).seqlets:
            if 0 <= i < n_sequences:
                hits[i].append((p.name, s, e, "-" if rc else "+"))
    return [sorted(h, key=lambda t: t[1]) for h in hits]


# ----------------------------------------------------------------------------- JASPAR / TOMTOM
@lru_cache(maxsize=1)
def _jaspar():
    from .motifs import load_motifs

    ref = resources.files("dragonn_tutorial") / "data" / JASPAR_FILE
    with resources.as_file(ref) as path:
        return load_motifs(path, format="meme")


def load_jaspar() -> dict:
    """JASPAR 2024 CORE vertebrates (879 profiles), bundled: {matrix ID: Motif}.

    ``Motif.source`` holds the factor's name (e.g. ``"USF1"``). CC BY 4.0
    (see ``dragonn_tutorial/data/README.md``).
    """
    return dict(_jaspar())


def tomtom_matches(patterns, database: Optional[dict] = None, n_matches: int = 3,
                   threshold: float = 0.3):
    """Name patterns by their best TOMTOM matches (memelite).

    Parameters
    ----------
    patterns : list of Pattern, or of (name, ppm (width, 4)) pairs
        Patterns are trimmed (:meth:`Pattern.trim_bounds`) before matching.
    database : dict name -> Motif, default the bundled JASPAR (:func:`load_jaspar`)
    n_matches : int, default 3
        Matches kept per pattern (lowest p-value first).

    Returns
    -------
    pandas.DataFrame
        One row per (pattern, rank): pattern, rank, target (matrix ID), name (factor),
        p_value, q_value (Benjamini–Hochberg over all targets of that pattern), strand,
        consensus (the pattern's).
    """
    import pandas as pd
    from memelite import tomtom

    n_matches = check_int(n_matches, "n_matches", 1)
    database = load_jaspar() if database is None else database
    if not database:
        raise ValueError("database is empty")
    queries = []
    for p in patterns:
        if isinstance(p, Pattern):
            t = p.trimmed(threshold)
            queries.append((p.name, t.ppm, t.consensus()))
        else:
            name, ppm = p
            ppm = np.asarray(ppm, dtype=np.float64)
            queries.append((name, ppm, "".join(BASES[i] for i in ppm.argmax(1))))
    if not queries:
        return pd.DataFrame(columns=["pattern", "rank", "target", "name", "p_value", "q_value",
                                     "strand", "consensus"])
    targets = list(database.values())
    Ts = [np.ascontiguousarray(m.ppm.T, dtype=np.float64) for m in targets]
    Qs = [np.ascontiguousarray(q[1].T, dtype=np.float64) for q in queries]
    p_values, _, _, _, strands = tomtom(Qs, Ts)
    rows = []
    for qi, (name, _, consensus) in enumerate(queries):
        p = p_values[qi]
        order = np.argsort(p, kind="stable")
        # Benjamini-Hochberg q-values over this pattern's comparisons with the whole database
        ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
        q = np.minimum.accumulate(ranked[::-1])[::-1]
        for r in range(min(n_matches, len(order))):
            j = order[r]
            rows.append({"pattern": name, "rank": r + 1, "target": targets[j].name,
                         "name": targets[j].source, "p_value": float(p[j]), "q_value": float(min(q[r], 1.0)),
                         "strand": "-" if strands[qi, j] else "+", "consensus": consensus})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- variant effects
def parse_variant(variant) -> tuple:
    """``(sequence index, position, alt base)`` from a tuple or a string ``"i:pos:ALT"``."""
    if isinstance(variant, str):
        parts = variant.split(":")
        if len(parts) != 3:
            raise ValueError(f"variant strings look like 'sequence:position:ALT'; received {variant!r}")
        variant = (int(parts[0]), int(parts[1]), parts[2])
    if not (isinstance(variant, (tuple, list)) and len(variant) == 3):
        raise ValueError(f"a variant is (sequence index, position, alt base); received {variant!r}")
    i, pos, alt = variant
    alt = str(alt).upper()
    if alt not in BASES:
        raise ValueError(f"alt base must be one of A, C, G, T; received {variant[2]!r}")
    return int(i), int(pos), alt


def variant_effects(model, X, variants, task: int = 0, output: str = "logit", ism_result=None):
    """Score single-base variants by in-silico mutagenesis.

    Parameters
    ----------
    model : keras.Model
    X : ndarray, shape=(n, length, 4)
        Reference sequences.
    variants : list of (sequence index, position, alt base) or "i:pos:ALT" strings
    task : int, default 0
    output : {"logit", "probability"}, default "logit"
    ism_result : ISMResult, optional
        ``interpret.ism(model, X)`` already computed (reused instead of re-predicting).

    Returns
    -------
    pandas.DataFrame
        One row per variant: sequence, position, ref, alt, reference (output), delta
        (output with the variant minus the reference; negative = the variant weakens
        the prediction).
    """
    import pandas as pd

    from . import interpret

    X = check_one_hot(X, "X")
    parsed = [parse_variant(v) for v in variants]
    n, length = X.shape[:2]
    for i, pos, alt in parsed:
        if not 0 <= i < n:
            raise ValueError(f"variant sequence index {i} is out of range (X has {n} sequences)")
        if not 0 <= pos < length:
            raise ValueError(f"variant position {pos} is out of range (sequences are {length} bp)")
    seqs = sorted({i for i, _, _ in parsed})
    if ism_result is None:
        res = interpret.ism(model, X[seqs], task=task, output=output)
        where = {s: k for k, s in enumerate(seqs)}
    else:
        res, where = ism_result, {s: s for s in seqs}
    rows = []
    for i, pos, alt in parsed:
        row = X[i, pos]
        ref = BASES[int(row.argmax())] if row.max() > 0 else "N"
        rows.append({"sequence": i, "position": pos, "ref": ref, "alt": alt,
                     "reference": float(res.wild_type[where[i]]),
                     "delta": float(res.delta[where[i], pos, BASES.index(alt)])})
    return pd.DataFrame(rows)


def motif_substitution_effects(model, x, start: int, motif, strand: str = "+", task: int = 0,
                               background=0.5, ism_delta=None):
    """Every substitution inside one motif instance: ISM effect beside the PSSM score change.

    Parameters
    ----------
    model : keras.Model
    x : ndarray, shape=(length, 4)
        One sequence.
    start : int
        First base of the instance.
    motif : Motif or ndarray (width, 4) of probabilities, or a :class:`Pattern`
    strand : "+" or "-", default "+"
        "-": the motif's reverse complement sits at ``start`` (as scanning reports it).
    task : int, default 0
    background : float or (4,) array, default 0.5 (GC fraction for the PSSM)
    ism_delta : ndarray (length, 4), optional
        This sequence's ISM deltas if already computed.

    Returns
    -------
    pandas.DataFrame
        One row per (position, alt) with alt != ref: position (in the sequence),
        offset (in the instance), ref, alt, ism_delta (logit change), pssm_delta
        (log-odds score change of the instance).
    """
    import pandas as pd

    from . import interpret
    from .motifs import Motif

    x = check_one_hot(np.asarray(x)[None], "x")[0]
    if isinstance(motif, Pattern):
        motif = motif.to_motif()
    ppm = motif.ppm if isinstance(motif, Motif) else np.asarray(motif, dtype=np.float64)
    if strand not in ("+", "-"):
        raise ValueError(f"strand must be '+' or '-'; received {strand!r}")
    if strand == "-":
        ppm = ppm[::-1, ::-1]
    width = len(ppm)
    start = check_int(start, "start", 0, len(x) - width)
    pssm = Motif("instance", ppm).pssm(background)
    if ism_delta is None:
        ism_delta = interpret.ism(model, x[None], task=task).delta[0]
    rows = []
    for k in range(width):
        pos = start + k
        if x[pos].max() == 0:
            continue
        ref = int(x[pos].argmax())
        for b in range(4):
            if b != ref:
                rows.append({"position": pos, "offset": k, "ref": BASES[ref], "alt": BASES[b],
                             "ism_delta": float(ism_delta[pos, b]),
                             "pssm_delta": float(pssm[k, b] - pssm[k, ref])})
    return pd.DataFrame(rows)
