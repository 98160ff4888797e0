"""Real sequence sets: the two shipped ChIP-seq sets and your own FASTA/BED files.

Everything returns a :class:`SequenceDataset`: one-hot arrays of one common
length with ``X_train/y_train/X_valid/y_valid`` (and ``X_test/y_test`` where
there is a test split), so it goes straight into ``training.train``.

Shipped (``dragonn_tutorial/data/``, provenance and licences in its README):

- :func:`load_nfe2` — ENCODE NFE2 ChIP-seq peaks in GM12878 with GC-matched
  negatives, the test data of lsgkm (1,288 training + 138 test sequences,
  59–247 bp), with lsgkm's 5-fold cross-validation fold of every training
  sequence and gkm-SVM's own scores, so a model can be compared on the
  same folds.
- :func:`load_oct4_mafk` — Oct4 vs MafK ChIP-seq peaks (janggu's sample data,
  7,797 × 200 bp); label 1 = Oct4, 0 = MafK.

Your own data: :func:`from_fasta` (positives/negatives files, or one FASTA plus
a labels table) and :func:`from_bed` (BED intervals cut from a genome FASTA
with pyfaidx).

Lengths. Real peaks differ in length; a CNN wants one. :func:`fit_length`
centre-crops longer sequences and pads shorter ones with ``N`` on both sides
(the extra base of an odd difference goes to the right end), so the middle
of every peak, where the summit usually is, stays in the middle. ``N`` is a
row of zeros in the one-hot encoding, so padding adds no evidence for either
class.

Characters. Upper and lower case mean the same (soft-masked repeats are
kept); ``N`` and the other IUPAC ambiguity codes (R Y S W K M B D H V) become
``N`` (all-zero rows) — the same encoding ``sequences.one_hot_encode`` gives
``N``; any other character is an error naming the record and position.

Strands. :func:`augment_reverse_complement` doubles a training set with the
reverse complements (a binding site reads the same on either strand) and
:func:`predict_rc` averages a model's prediction over both strands.
"""
from __future__ import annotations

import csv
import gzip
import os
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Optional, Sequence

import numpy as np

from ._validation import check_float, check_int, check_path, rng_from
from .sequences import one_hot_encode, reverse_complement

IUPAC_AMBIGUOUS = "RYSWKMBDHVU"
_TO_N = str.maketrans({c: "N" for c in IUPAC_AMBIGUOUS + IUPAC_AMBIGUOUS.lower()})
_ALLOWED = set("ACGTNacgtn" + IUPAC_AMBIGUOUS + IUPAC_AMBIGUOUS.lower())

NFE2_GKMSVM = {"cv_auROC": 0.9853, "cv_auPRC": 0.9854, "test_auROC": 0.9929, "test_auPRC": 0.9929}
"""gkm-SVM's published scores on the NFE2 set, recomputed from lsgkm's own prediction files."""


# ----------------------------------------------------------------------------- the dataset object
@dataclass(repr=False)
class SequenceDataset:
    """One-hot sequences and labels split for training.

    Attributes
    ----------
    X_train, X_valid, X_test : ndarray, shape=(n, length, 4), float32
        ``X_test`` may be None (no test split).
    y_train, y_valid, y_test : ndarray, shape=(n, tasks), float32
    names_train, names_valid, names_test : list of str
        The FASTA/BED record names, in the same order as the rows.
    lengths_train, lengths_valid, lengths_test : ndarray of int
        Each sequence's length before :func:`fit_length`.
    task_names : list of str
    info : dict
        Where the data came from and how it was split (free text and numbers).
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_valid: np.ndarray
    y_valid: np.ndarray
    X_test: Optional[np.ndarray] = None
    y_test: Optional[np.ndarray] = None
    names_train: list = field(default_factory=list)
    names_valid: list = field(default_factory=list)
    names_test: list = field(default_factory=list)
    lengths_train: Optional[np.ndarray] = None
    lengths_valid: Optional[np.ndarray] = None
    lengths_test: Optional[np.ndarray] = None
    task_names: list = field(default_factory=lambda: ["task_0"])
    info: dict = field(default_factory=dict)

    @property
    def seq_length(self) -> int:
        return int(self.X_train.shape[1])

    def __repr__(self) -> str:
        parts = [f"train {len(self.X_train)}", f"valid {len(self.X_valid)}"]
        if self.X_test is not None:
            parts.append(f"test {len(self.X_test)}")
        pos = float(self.y_train[:, 0].mean()) if len(self.y_train) else float("nan")
        return (f"SequenceDataset({', '.join(parts)}; {self.seq_length} bp; tasks {self.task_names}; "
                f"{pos:.0%} positive in train)")


@dataclass(repr=False)
class NFE2Data(SequenceDataset):
    """:class:`SequenceDataset` for the NFE2 set plus lsgkm's cross-validation folds.

    Extra attributes
    ----------------
    X, y, names, lengths : all 1,288 training sequences (valid fold included), lsgkm's order
        (positives then negatives).
    folds : ndarray of int, shape=(1288,)
        lsgkm's CV fold (1–5) of each training sequence.
    gkmsvm_cv, gkmsvm_test : ndarray, shape=(1288,), (138,)
        gkm-SVM's cross-validated score of every training sequence and its score of every
        test sequence (from lsgkm's ``*.cvpred.txt`` / ``*.pred.txt``).
    valid_fold : int
        The fold held out as ``X_valid``.
    """

    X: Optional[np.ndarray] = None
    y: Optional[np.ndarray] = None
    names: list = field(default_factory=list)
    lengths: Optional[np.ndarray] = None
    folds: Optional[np.ndarray] = None
    gkmsvm_cv: Optional[np.ndarray] = None
    gkmsvm_test: Optional[np.ndarray] = None
    valid_fold: int = 1

    def fold(self, k: int) -> "NFE2Data":
        """The same data with lsgkm's fold ``k`` (1–5) as the validation split."""
        k = check_int(k, "k", 1, 5)
        train, valid = self.folds != k, self.folds == k
        return replace(self, X_train=self.X[train], y_train=self.y[train], X_valid=self.X[valid],
                       y_valid=self.y[valid], names_train=[n for n, t in zip(self.names, train) if t],
                       names_valid=[n for n, v in zip(self.names, valid) if v],
                       lengths_train=self.lengths[train], lengths_valid=self.lengths[valid], valid_fold=k)

    def cv_split(self, k: int, valid_fraction: float = 0.1, random_state=0) -> SequenceDataset:
        """Cross-validation without peeking: lsgkm's fold ``k`` becomes the *test* split.

        The other four folds are split (stratified, ``valid_fraction``) into
        training and an early-stopping validation set, so the held-out fold is
        never used to choose epochs, as gkm-SVM never saw it either.

        Returns
        -------
        SequenceDataset with ``X_test`` = fold ``k`` (about 258 sequences)
        """
        k = check_int(k, "k", 1, 5)
        rest, held = np.flatnonzero(self.folds != k), np.flatnonzero(self.folds == k)
        inner = split(self.X[rest], self.y[rest], [self.names[i] for i in rest], self.lengths[rest],
                      valid_fraction, 0.0, random_state, self.task_names)
        return replace(inner, X_test=self.X[held], y_test=self.y[held],
                       names_test=[self.names[i] for i in held], lengths_test=self.lengths[held],
                       info={**self.info, "cv_fold": k})


# ----------------------------------------------------------------------------- strings -> arrays
def clean_sequence(seq: str, name: str = "sequence") -> str:
    """Map IUPAC ambiguity codes to ``N`` and check every character.

    Case is kept (``one_hot_encode`` reads both). Raises ValueError naming
    ``name`` and the position for anything that is not a DNA letter.
    """
    if not isinstance(seq, str):
        raise TypeError(f"{name} must be a string; received {type(seq).__name__}")
    if not set(seq) <= _ALLOWED:
        pos, ch = next((i, c) for i, c in enumerate(seq) if c not in _ALLOWED)
        raise ValueError(f"{name}: invalid character {ch!r} at position {pos}; allowed: A, C, G, T, N "
                         f"and the IUPAC codes {IUPAC_AMBIGUOUS} (either case; ambiguity codes become N)")
    return seq.translate(_TO_N)


def fit_length(seqs: Sequence[str], length: int) -> list:
    """Centre-crop or N-pad every sequence to exactly ``length`` bases.

    A sequence longer by d loses floor(d/2) bases on the left and the rest on
    the right; one shorter by d gains floor(d/2) ``N`` on the left and the rest
    on the right. So the centre base (index ``len // 2``) always lands at
    index ``length // 2`` when the parity allows it, and within one base otherwise.

    Parameters
    ----------
    seqs : sequence of str
    length : int >= 1

    Returns
    -------
    list of str, each of length ``length``
    """
    length = check_int(length, "length", 1)
    if isinstance(seqs, (str, bytes)):
        raise TypeError(f"seqs must be a list of strings, not one string; received {seqs!r:.60} "
                        "(wrap it: [seq])")
    seqs = list(seqs)
    for i, s in enumerate(seqs):
        if not isinstance(s, str):
            raise TypeError(f"seqs[{i}] must be a string; received {type(s).__name__} {s!r:.60}")
    out = []
    for s in seqs:
        d = len(s) - length
        if d > 0:
            s = s[d // 2: d // 2 + length]
        elif d < 0:
            left = (-d) // 2
            s = "N" * left + s + "N" * (-d - left)
        out.append(s)
    return out


def encode(seqs: Sequence[str], length: Optional[int] = None, names: Optional[Sequence[str]] = None):
    """Clean, fit to one length and one-hot encode.

    Parameters
    ----------
    seqs : sequence of str
    length : int or None, default None (= the longest sequence, so nothing is cropped)
    names : sequence of str or None
        Used in error messages.

    Returns
    -------
    X : ndarray, shape=(n, length, 4), float32
    lengths : ndarray of int, shape=(n,), the lengths before fitting
    """
    if isinstance(seqs, (str, bytes)):
        raise TypeError(f"seqs must be a list of strings, not one string; received {seqs!r:.60} "
                        "(wrap it: [seq])")
    seqs = list(seqs)
    if not seqs:
        raise ValueError("seqs holds no sequences to encode; received an empty list")
    names = list(names) if names is not None else [f"sequence {i}" for i in range(len(seqs))]
    if len(names) != len(seqs):
        raise ValueError(f"names must have one name per sequence ({len(seqs)}); received {len(names)}")
    seqs = [clean_sequence(s, n) for s, n in zip(seqs, names)]
    lengths = np.array([len(s) for s in seqs], dtype=np.int64)
    empty = np.flatnonzero(lengths == 0)
    if len(empty):
        raise ValueError(f"{names[empty[0]]} is empty (0 bases)")
    if length is None:
        length = int(lengths.max())
    return one_hot_encode(fit_length(seqs, length)), lengths


def read_records(path, what: str = "fasta") -> list:
    """All ``(name, sequence)`` records of a FASTA file (plain or ``.gz``).

    Raises FileNotFoundError / ValueError naming ``what`` and the path for a
    missing, empty or malformed file. The name is the header up to the first
    whitespace; blank lines are skipped.
    """
    path = os.fspath(check_path(path, what))
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{what}: no such file {path!r}")
    opener = gzip.open if path.endswith(".gz") else open
    records, name, parts = [], None, []
    try:
        with opener(path, "rt", encoding="ascii", errors="replace") as handle:
            for lineno, line in enumerate(handle, start=1):
                line = line.strip()
                if not line:
                    continue
                if line.startswith(">"):
                    if name is not None:
                        records.append((name, "".join(parts)))
                    fields = line[1:].split()
                    name, parts = (fields[0] if fields else f"record{len(records)}"), []
                elif name is None:
                    raise ValueError(f"{what}: {path!r} is not a FASTA file: line {lineno} holds "
                                     "sequence text before the first '>' header")
                else:
                    parts.append(line)
    except (OSError, EOFError) as err:  # e.g. a truncated .gz
        raise ValueError(f"{what}: cannot read {path!r} ({err})") from None
    if name is not None:
        records.append((name, "".join(parts)))
    if not records:
        raise ValueError(f"{what}: {path!r} holds no FASTA records (expected lines starting with '>')")
    return records


# ----------------------------------------------------------------------------- splitting
def _split_indices(y: np.ndarray, valid_fraction: float, test_fraction: float, random_state):
    """Stratified (on the first task) random train/valid/test indices."""
    rng = rng_from(random_state)
    train, valid, test = [], [], []
    for label in np.unique(y[:, 0]):
        idx = rng.permutation(np.flatnonzero(y[:, 0] == label))
        n_test = int(round(test_fraction * len(idx)))
        n_valid = int(round(valid_fraction * len(idx)))
        test.append(idx[:n_test])
        valid.append(idx[n_test:n_test + n_valid])
        train.append(idx[n_test + n_valid:])
    return tuple(np.sort(np.concatenate(p)) for p in (train, valid, test))


def split(X, y, names=None, lengths=None, valid_fraction: float = 0.1, test_fraction: float = 0.1,
          random_state=0, task_names=None, info=None) -> SequenceDataset:
    """Split arrays into a :class:`SequenceDataset` (stratified on the first task).

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    y : ndarray, shape=(n,) or (n, tasks)
    valid_fraction, test_fraction : float in [0, 1), defaults 0.1
        ``test_fraction=0`` gives no test split (``X_test`` is None).
    random_state : int, None or Generator, default 0
    """
    y = np.asarray(y, dtype=np.float32)
    y = y[:, None] if y.ndim == 1 else y
    n = len(X)
    if y.ndim != 2 or len(y) != n:
        raise ValueError(f"y must have shape ({n},) or ({n}, tasks); received {y.shape}")
    valid_fraction = check_float(valid_fraction, "valid_fraction", 0.0, 0.9)
    test_fraction = check_float(test_fraction, "test_fraction", 0.0, 0.9)
    if valid_fraction + test_fraction >= 1:
        raise ValueError(f"valid_fraction + test_fraction must be < 1; received "
                         f"{valid_fraction} + {test_fraction}")
    names = list(names) if names is not None else [f"seq{i}" for i in range(n)]
    lengths = np.asarray(lengths) if lengths is not None else np.full(n, X.shape[1])
    tr, va, te = _split_indices(y, valid_fraction, test_fraction, random_state)
    if len(tr) == 0 or len(va) == 0:
        raise ValueError(f"{n} sequences are too few for valid_fraction={valid_fraction}: the training "
                         "or validation split would be empty")
    pick = lambda idx: [names[i] for i in idx]  # noqa: E731
    has_test = test_fraction > 0 and len(te) > 0
    return SequenceDataset(
        X[tr], y[tr], X[va], y[va], X[te] if has_test else None, y[te] if has_test else None,
        pick(tr), pick(va), pick(te) if has_test else [], lengths[tr], lengths[va],
        lengths[te] if has_test else None,
        task_names=list(task_names) if task_names is not None else
        [f"task_{i}" for i in range(y.shape[1])], info=dict(info or {}))


# ----------------------------------------------------------------------------- shipped data
def _data_path(name: str) -> str:
    ref = resources.files("dragonn_tutorial") / "data" / name
    return str(ref)


def _read_table(path):
    with gzip.open(path, "rt") as handle:
        return [line.rstrip("\n").split("\t") for line in handle if line.strip()]


def load_nfe2(length: Optional[int] = None, valid_fold: int = 1) -> NFE2Data:
    """ENCODE NFE2 ChIP-seq peaks (GM12878) vs GC-matched negatives: lsgkm's test data.

    Parameters
    ----------
    length : int or None, default None (= 247, the longest; shorter ones are N-padded)
    valid_fold : int in 1..5, default 1
        lsgkm's CV fold used as ``X_valid``; ``X_train`` holds the other four.
        ``X_test``/``y_test`` are lsgkm's 138 held-out test sequences.

    Returns
    -------
    NFE2Data
        Labels: 1 = NFE2 peak, 0 = background. See :data:`NFE2_GKMSVM` for
        gkm-SVM's published scores on the same folds.
    """
    valid_fold = check_int(valid_fold, "valid_fold", 1, 5)
    parts = {}
    for key in ("tr", "neg.tr", "test", "neg.test"):
        parts[key] = read_records(_data_path(f"nfe2_gm12878.{key}.fa.gz"), f"NFE2 {key}")
    train = parts["tr"] + parts["neg.tr"]
    test = parts["test"] + parts["neg.test"]
    if length is None:
        length = max(len(s) for _, s in train + test)
    X, lengths = encode([s for _, s in train], length, [n for n, _ in train])
    Xt, lengths_t = encode([s for _, s in test], length, [n for n, _ in test])
    y = np.r_[np.ones(len(parts["tr"])), np.zeros(len(parts["neg.tr"]))].astype(np.float32)[:, None]
    yt = np.r_[np.ones(len(parts["test"])), np.zeros(len(parts["neg.test"]))].astype(np.float32)[:, None]
    cv = {row[0]: (float(row[1]), int(row[2]), int(row[3]))
          for row in _read_table(_data_path("nfe2_gm12878.cvpred.txt.gz"))}
    names = [n for n, _ in train]
    missing = [n for n in names if n not in cv]
    if missing:  # pragma: no cover - the shipped files agree
        raise RuntimeError(f"{len(missing)} NFE2 training sequences have no lsgkm fold, e.g. {missing[0]}")
    folds = np.array([cv[n][2] for n in names])
    if not np.array_equal(np.array([cv[n][1] for n in names]) > 0, y[:, 0] > 0):  # pragma: no cover
        raise RuntimeError("lsgkm's labels disagree with the FASTA files")
    test_scores = {}
    for key in ("test", "neg.test"):
        test_scores.update({row[0]: float(row[1])
                            for row in _read_table(_data_path(f"nfe2_gm12878.{key}.pred.txt.gz"))})
    data = NFE2Data(
        X, y, X[:0], y[:0], Xt, yt, names_test=[n for n, _ in test], lengths_test=lengths_t,
        task_names=["NFE2"],
        info={"source": "ENCODE SYDH NFE2 ChIP-seq, GM12878 (hg19); lsgkm test data (GPL-3.0)",
              "length": length, "length_policy": "centre crop / N pad",
              "gkmsvm": dict(NFE2_GKMSVM)},
        X=X, y=y, names=names, lengths=lengths, folds=folds,
        gkmsvm_cv=np.array([cv[n][0] for n in names]),
        gkmsvm_test=np.array([test_scores[n] for n, _ in test]))
    return data.fold(valid_fold)


def load_oct4_mafk(length: int = 200, valid_fraction: float = 0.1, test_fraction: float = 0.2,
                   random_state=0) -> SequenceDataset:
    """Oct4 vs MafK ChIP-seq peaks (janggu's sample data; 3,897 + 3,900 sequences of 200 bp).

    Label 1 = Oct4 peak, 0 = MafK peak. The split is stratified and random
    (seeded by ``random_state``); janggu's own example held out chromosomes, so
    compare accuracies as "about", not exactly.

    Parameters
    ----------
    length : int, default 200
    valid_fraction, test_fraction : float, defaults 0.1 and 0.2
    random_state : int, None or Generator, default 0
    """
    oct4 = read_records(_data_path("oct4.fa.gz"), "Oct4")
    mafk = read_records(_data_path("mafk.fa.gz"), "MafK")
    records = oct4 + mafk
    X, lengths = encode([s for _, s in records], length, [n for n, _ in records])
    y = np.r_[np.ones(len(oct4)), np.zeros(len(mafk))].astype(np.float32)
    return split(X, y, [n for n, _ in records], lengths, valid_fraction, test_fraction, random_state,
                 task_names=["Oct4_vs_MafK"],
                 info={"source": "janggu 0.10.2 sample data (GPL-3.0); assembly not documented (mouse)",
                       "length": length, "positive": "Oct4", "negative": "MafK"})


# ----------------------------------------------------------------------------- your own files
def _read_labels(path, names):
    """A TSV/CSV table: first column the record name, the others one label column per task."""
    path = os.fspath(check_path(path, "labels"))
    if not os.path.isfile(path):
        raise FileNotFoundError(f"labels: no such file {path!r}")
    with open(path, newline="") as handle:
        sample = handle.read(4096)
        handle.seek(0)
        delimiter = "\t" if "\t" in sample else ","
        rows = [r for r in csv.reader(handle, delimiter=delimiter) if r and not r[0].startswith("#")]
    if len(rows) < 2 or len(rows[0]) < 2:
        raise ValueError(f"labels: {path!r} must have a header line and at least two columns "
                         "(name, label[, more labels])")
    header, table = rows[0], {}
    for lineno, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise ValueError(f"labels: {path!r} line {lineno} has {len(row)} fields; the header has "
                             f"{len(header)}")
        try:
            table[row[0]] = [float(v) for v in row[1:]]
        except ValueError:
            raise ValueError(f"labels: {path!r} line {lineno}: labels must be numbers (0/1); "
                             f"received {row[1:]}") from None
    missing = [n for n in names if n not in table]
    if missing:
        raise KeyError(f"labels: {len(missing)} FASTA record(s) have no row in {path!r}, e.g. "
                       f"{missing[0]!r}")
    return np.array([table[n] for n in names], dtype=np.float32), header[1:]


def from_fasta(positives=None, negatives=None, fasta=None, labels=None, length: Optional[int] = None,
               valid_fraction: float = 0.1, test_fraction: float = 0.1,
               random_state=0) -> SequenceDataset:
    """Your own sequences: positives + negatives FASTA files, or one FASTA + a labels table.

    Parameters
    ----------
    positives, negatives : path, optional
        FASTA files (plain or .gz); label 1 and 0.
    fasta : path, optional
        Instead of positives/negatives: one FASTA file, with ``labels``.
    labels : path, optional
        Tab- or comma-separated table with a header; first column the FASTA
        record name (header up to the first space), then one numeric column per task.
    length : int or None, default None (= the longest sequence)
        Sequences are centre-cropped or N-padded to it (:func:`fit_length`).
    valid_fraction, test_fraction : float, defaults 0.1
    random_state : int, None or Generator, default 0

    Returns
    -------
    SequenceDataset
    """
    if fasta is not None:
        if positives is not None or negatives is not None:
            raise ValueError("pass either positives= and negatives=, or fasta= with labels=, not both")
        if labels is None:
            raise ValueError("fasta= needs labels= (a table: name, label per task)")
        records = read_records(fasta, "fasta")
        names = [n for n, _ in records]
        y, task_names = _read_labels(labels, names)
    else:
        if positives is None or negatives is None:
            raise ValueError("pass both positives= and negatives= FASTA files (or fasta= with labels=)")
        pos = read_records(positives, "positives")
        neg = read_records(negatives, "negatives")
        both = sorted({n for n, _ in pos} & {n for n, _ in neg})
        records = pos + neg
        names = [n for n, _ in records]
        y = np.r_[np.ones(len(pos)), np.zeros(len(neg))].astype(np.float32)[:, None]
        task_names = ["task_0"]
    X, lengths = encode([s for _, s in records], length, names)
    if fasta is None and both:  # after encode: a bad letter is reported first
        raise ValueError(f"{len(both)} record name(s) appear in both positives and negatives (e.g. "
                         f"{both[0]!r}), so their label is ambiguous; allowed: each name in one file")
    return split(X, y, names, lengths, valid_fraction, test_fraction, random_state, task_names,
                 info={"source": "from_fasta", "length": X.shape[1]})


def read_bed(path, what: str = "bed") -> list:
    """``(chrom, start, end, name)`` tuples from a BED file (0-based, half-open).

    Track/browser/comment lines are skipped; a missing name becomes ``chrom:start-end``.
    """
    path = os.fspath(check_path(path, what))
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{what}: no such file {path!r}")
    out = []
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith(("#", "track", "browser")):
                continue
            fields = line.rstrip("\n").split("\t") if "\t" in line else line.split()
            if len(fields) < 3:
                raise ValueError(f"{what}: {path!r} line {lineno}: a BED line needs chrom, start, end; "
                                 f"received {line.strip()!r:.80}")
            try:
                start, end = int(fields[1]), int(fields[2])
            except ValueError:
                raise ValueError(f"{what}: {path!r} line {lineno}: start and end must be integers; "
                                 f"received {fields[1]!r}, {fields[2]!r}") from None
            if start < 0 or end <= start:
                raise ValueError(f"{what}: {path!r} line {lineno}: need 0 <= start < end; received "
                                 f"{start}, {end}")
            name = fields[3] if len(fields) > 3 and fields[3] not in ("", ".") else \
                f"{fields[0]}:{start}-{end}"
            out.append((fields[0], start, end, name))
    if not out:
        raise ValueError(f"{what}: {path!r} holds no intervals")
    return out


def bed_sequences(intervals, genome, length: Optional[int] = None) -> list:
    """Cut ``(name, sequence)`` records from a genome FASTA with pyfaidx.

    Parameters
    ----------
    intervals : list of (chrom, start, end, name)
    genome : path to a FASTA file (an ``.fai`` index is built next to it if missing) or a
        ``pyfaidx.Fasta``
    length : int or None
        If given, each interval is replaced by the ``length``-bp window around its
        centre (``(start + end) // 2``); parts beyond the chromosome ends become ``N``.
        If None, the interval itself.
    """
    import pyfaidx

    if isinstance(genome, (str, os.PathLike)):
        if not os.path.isfile(genome):
            raise FileNotFoundError(f"genome: no such file {os.fspath(genome)!r}")
        genome = pyfaidx.Fasta(os.fspath(genome), as_raw=True, sequence_always_upper=False)
    out = []
    for chrom, start, end, name in intervals:
        if chrom not in genome:
            raise KeyError(f"genome: chromosome {chrom!r} (interval {name}) is not in the genome FASTA; "
                           f"it has {list(genome.keys())[:5]}{'...' if len(genome.keys()) > 5 else ''}")
        size = len(genome[chrom])
        if length is not None:
            centre = (start + end) // 2
            start, end = centre - length // 2, centre - length // 2 + length
        lo, hi = max(start, 0), min(end, size)
        if lo >= hi:
            raise ValueError(f"interval {name} ({chrom}:{start}-{end}) lies outside {chrom} (0-{size})")
        seq = str(genome[chrom][lo:hi])
        out.append((name, "N" * (lo - start) + seq + "N" * (end - hi)))
    return out


def from_bed(positives, genome, negatives=None, labels=None, length: Optional[int] = None,
             valid_fraction: float = 0.1, test_fraction: float = 0.1, random_state=0) -> SequenceDataset:
    """Your own peaks: BED intervals cut from a genome FASTA (pyfaidx).

    Parameters
    ----------
    positives : path to a BED file (label 1), or all intervals when ``labels`` is given
    genome : path to the genome FASTA
    negatives : path to a BED file (label 0), optional
    labels : path to a name/label table (see :func:`from_fasta`), instead of ``negatives``
    length : int or None, default None
        The window around each interval's centre (:func:`bed_sequences`); None keeps the
        intervals and centre-crops/pads them to the longest.
    valid_fraction, test_fraction, random_state : see :func:`split`
    """
    pos = bed_sequences(read_bed(positives, "positives"), genome, length)
    if labels is not None:
        if negatives is not None:
            raise ValueError("pass negatives= or labels=, not both")
        names = [n for n, _ in pos]
        y, task_names = _read_labels(labels, names)
        records = pos
    else:
        if negatives is None:
            raise ValueError("from_bed needs negatives= (a BED file) or labels= (a table)")
        neg = bed_sequences(read_bed(negatives, "negatives"), genome, length)
        records = pos + neg
        y = np.r_[np.ones(len(pos)), np.zeros(len(neg))].astype(np.float32)[:, None]
        task_names = ["task_0"]
    names = [n for n, _ in records]
    X, lengths = encode([s for _, s in records], length, names)
    return split(X, y, names, lengths, valid_fraction, test_fraction, random_state, task_names,
                 info={"source": "from_bed", "length": X.shape[1]})


# ----------------------------------------------------------------------------- strands
def augment_reverse_complement(X, y):
    """Append the reverse complement of every sequence (same label).

    Returns
    -------
    X2 : ndarray, shape=(2n, length, 4); y2 : ndarray, shape=(2n, ...)
        Rows ``n..2n-1`` are the reverse complements of rows ``0..n-1``.
    """
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 3 or X.shape[-1] != 4:
        raise ValueError(f"X must have shape (n, length, 4); received {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError(f"X holds {int((~np.isfinite(X)).sum())} NaN or infinite values; "
                         "allowed: one-hot 0/1 (all-zero rows for N)")
    y = np.asarray(y)
    if len(y) != len(X):
        raise ValueError(f"X has {len(X)} sequences but y has {len(y)} labels")
    return np.concatenate([X, reverse_complement(X)]), np.concatenate([y, y])


def augmented(data: SequenceDataset) -> SequenceDataset:
    """The dataset with its training split doubled by reverse complements (valid/test unchanged)."""
    X, y = augment_reverse_complement(data.X_train, data.y_train)
    return replace(data, X_train=X, y_train=y, names_train=list(data.names_train) * 2,
                   lengths_train=None if data.lengths_train is None else np.r_[data.lengths_train,
                                                                                 data.lengths_train])


def predict_rc(model, X, batch_size: int = 1024) -> np.ndarray:
    """Mean of the model's predictions on ``X`` and on its reverse complement, shape (n, tasks).

    The average is taken on the probabilities. A model whose training data was
    reverse-complement augmented should give nearly the same number on both
    strands; this makes the prediction exactly strand-symmetric.
    """
    from .training import predict

    X = np.asarray(X, dtype=np.float32)
    return 0.5 * (predict(model, X, batch_size) + predict(model, reverse_complement(X), batch_size))
