"""DNA as numbers: one-hot encoding, reverse complements, GC content, random
backgrounds, dinucleotide shuffles and FASTA files (numpy only).

Convention: one-hot arrays are float32 of shape ``(n, length, 4)``, channels
last in the order A C G T; ``N`` (unknown base) is a row of zeros.
"""
from __future__ import annotations

import os
import zlib
from typing import Iterable, Iterator, Sequence, Union

import numpy as np

from ._validation import (ParameterTypeError, base_seed, check_background, check_bool, check_int,
                          check_memory, check_one_hot, check_path, check_str, one_hot_tokens,
                          rng_from)

ALPHABET = "ACGT"
#: IUPAC nucleotide codes and their complements (either case): R=AG<->Y=CT, K=GT<->M=AC,
#: B=CGT<->V=ACG, D=AGT<->H=ACT; S, W and N are their own complements.
IUPAC_CODES = "ACGTRYKMSWBVDHN"
COMPLEMENT = str.maketrans("ACGTRYKMSWBVDHNacgtrykmswbvdhn", "TGCAYRMKSWVBHDNtgcayrmkswvbhdn")

# byte -> base index (0..3), 4 for N, 255 for anything else
_CODES = np.full(256, 255, dtype=np.uint8)
for _i, _b in enumerate("ACGTN"):
    _CODES[ord(_b)] = _i
    _CODES[ord(_b.lower())] = _i
# base index -> one-hot row (index 4 = N = zeros)
_ROWS = np.vstack([np.eye(4, dtype=np.float32), np.zeros((1, 4), np.float32)])
# The same rows seen as one 16-byte number each: gathering these is ~6x faster
# than gathering float32 rows, which keeps one-hot encoding memory-bound.
_ROWS_16B = np.ascontiguousarray(_ROWS).view(np.complex128).ravel()


def _tokens_to_one_hot(tokens: np.ndarray) -> np.ndarray:
    """Base indices (0..3, 4 = N), any shape -> float32 one-hot with a trailing axis of 4."""
    tokens = np.asarray(tokens)
    return _ROWS_16B[tokens.ravel()].view(np.float32).reshape(tokens.shape + (4,))

SequenceInput = Union[str, Sequence[str], Iterable[tuple]]


def _as_strings(seqs, name: str = "seqs") -> list[str]:
    """Accept a string, a list of strings, or FASTA records ``(name, seq)``."""
    if isinstance(seqs, str):
        return [seqs]
    if isinstance(seqs, np.ndarray):
        raise ParameterTypeError(f"{name} must be a string, a list of strings or FASTA records; "
                                 "received a numpy array (it may already be one-hot: use it directly)")
    if isinstance(seqs, (bytes, dict)) or not hasattr(seqs, "__iter__"):
        raise ParameterTypeError(f"{name} must be a string, a list of strings or FASTA records; "
                                 f"received {type(seqs).__name__}")
    out = []
    for i, s in enumerate(seqs):
        if isinstance(s, tuple) and len(s) == 2:
            s = s[1]
        if not isinstance(s, str):
            raise ParameterTypeError(f"{name}[{i}] must be a string or a (name, sequence) record; "
                                     f"received {type(s).__name__}")
        out.append(s)
    return out


def one_hot_encode(seqs: SequenceInput) -> np.ndarray:
    """One-hot encode DNA.

    Parameters
    ----------
    seqs : str, list of str, or iterable of (name, sequence) FASTA records
        Sequences of equal length over A, C, G, T, N (either case).

    Returns
    -------
    X : ndarray, shape=(n, length, 4), float32
        A single string gives ``n = 1``. ``N`` becomes a row of zeros.

    Raises
    ------
    ValueError
        For a character other than ACGTN (naming the character, the sequence
        index and the position) and for sequences of unequal length.
    """
    strings = _as_strings(seqs)
    if not strings:
        raise ValueError("seqs is empty: pass at least one sequence")
    length = len(strings[0])
    if length == 0:
        raise ValueError("seqs must not hold empty sequences; sequence 0 is ''")
    lengths = np.fromiter(map(len, strings), dtype=np.int64, count=len(strings))
    if np.any(lengths != length):
        bad = int(np.argmax(lengths != length))
        raise ValueError(f"all sequences must have the same length: sequence 0 has {length} bases "
                         f"but sequence {bad} has {lengths[bad]}. Trim or pad them first.")
    joined = "".join(strings)
    try:
        raw = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    except UnicodeEncodeError:
        raw = None
    codes = _CODES[raw] if raw is not None else None
    if codes is None or (codes == 255).any():
        _raise_bad_character(strings, length)
    return _tokens_to_one_hot(codes).reshape(len(strings), length, 4)


def _raise_bad_character(strings, length):
    allowed = set("ACGTNacgtn")
    for i, s in enumerate(strings):
        for pos, ch in enumerate(s):
            if ch not in allowed:
                hint = (" (an IUPAC ambiguity code: replace it with N, or pick a base)"
                        if ch.upper() in IUPAC_CODES else "")
                raise ValueError(f"seqs: invalid character {ch!r} in sequence {i} at position {pos}; "
                                 f"allowed: A, C, G, T and N (either case){hint}")


def one_hot_decode(X: np.ndarray, unknown: str = "N") -> Union[str, list[str]]:
    """Turn one-hot arrays back into strings.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4) or (length, 4)
        Rows that are all zeros decode to ``unknown`` (default "N").
    unknown : str, default "N"

    Returns
    -------
    list of str for 3-D input, a single str for 2-D input.
    """
    single = np.ndim(X) == 2
    unknown = check_str(unknown, "unknown")
    if len(unknown) != 1 or not unknown.isascii():
        raise ValueError(f"unknown must be a single ASCII character; received {unknown!r}")
    _, tokens = one_hot_tokens(X)
    letters = np.frombuffer((ALPHABET + unknown).encode("ascii"), dtype="S1")
    out = [row.tobytes().decode("ascii") for row in letters[tokens]]
    return out[0] if single else out


def reverse_complement(seqs):
    """Reverse complement of a string, a list of strings or a one-hot array.

    Strings may use every IUPAC nucleotide code in either case (R<->Y, K<->M,
    B<->V, D<->H; S, W, N unchanged); any other character raises ValueError.
    A one-hot array (``(n, length, 4)`` or ``(length, 4)``, checked) is
    flipped along length and channels (A<->T, C<->G); a new array is returned
    with the input's shape.
    """
    if isinstance(seqs, str):
        return _rc_string(seqs, "seqs")
    if isinstance(seqs, np.ndarray):
        X = check_one_hot(seqs, "seqs")
        return X[..., ::-1, ::-1].reshape(seqs.shape).copy()
    return [_rc_string(s, f"seqs[{i}]") for i, s in enumerate(_as_strings(seqs))]


_IUPAC_SET = frozenset(IUPAC_CODES + IUPAC_CODES.lower())


def _rc_string(seq: str, name: str) -> str:
    if not _IUPAC_SET.issuperset(seq):
        pos, ch = next((p, c) for p, c in enumerate(seq) if c not in _IUPAC_SET)
        raise ValueError(f"{name}: invalid character {ch!r} at position {pos}; allowed: the IUPAC "
                         f"nucleotide codes {IUPAC_CODES} (either case)")
    return seq.translate(COMPLEMENT)[::-1]


def gc_content(seqs) -> Union[float, np.ndarray]:
    """Fraction of G + C among the called bases (N excluded).

    Returns a float for one string, otherwise an array of shape (n,).
    Sequences with no called base give NaN.
    """
    if isinstance(seqs, str):
        return float(gc_content(one_hot_encode(seqs))[0])
    X = check_one_hot(seqs, "seqs") if isinstance(seqs, np.ndarray) else one_hot_encode(seqs)
    called = X.sum(axis=(1, 2))
    gc = X[..., 1:3].sum(axis=(1, 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(called > 0, gc / np.maximum(called, 1), np.nan)


def background_probabilities(gc_fraction, positive: bool = False,
                             name: str = "gc_fraction") -> np.ndarray:
    """Base probabilities (A, C, G, T) of an i.i.d. background: the package's one
    GC -> background formula, ``[(1 - g) / 2, g / 2, g / 2, (1 - g) / 2]``.

    Parameters
    ----------
    gc_fraction : float in [0, 1], or array-like of 4 non-negative numbers
        A GC fraction, or A, C, G, T weights (normalised to sum to 1).
    positive : bool, default False
        Refuse a zero probability (GC 0 or 1), as log-odds scores need.
    name : str, default "gc_fraction"
        The parameter name used in error messages.

    Returns
    -------
    ndarray, shape=(4,), float64, summing to 1
    """
    return check_background(gc_fraction, name, positive=positive)


def random_sequences(n: int, length: int, gc_fraction: float = 0.5, random_state=None,
                     as_strings: bool = False):
    """Independent, identically distributed random DNA.

    Parameters
    ----------
    n : int
        Number of sequences (>= 0).
    length : int
        Bases per sequence (>= 1).
    gc_fraction : float, default 0.5
        Probability that a base is G or C, in [0, 1].
    random_state : None, int or numpy Generator, default None
    as_strings : bool, default False
        Return a list of strings instead of a one-hot array.

    Returns
    -------
    X : ndarray, shape=(n, length, 4), float32 (or a list of str)
    """
    n = check_int(n, "n", 0)
    length = check_int(length, "length", 1)
    check_memory(17.0 * n * length, "n", f"{n} x {length} bp one-hot sequences")
    p = background_probabilities(gc_fraction)
    rng = rng_from(random_state)
    as_strings = check_bool(as_strings, "as_strings")
    codes = _sample_bases(rng, p, (n, length))
    if as_strings:
        letters = np.frombuffer(ALPHABET.encode(), dtype="S1")
        return [row.tobytes().decode() for row in letters[codes]]
    return _tokens_to_one_hot(codes)


def _sample_bases(rng: np.random.Generator, p: np.ndarray, shape) -> np.ndarray:
    """Base indices drawn i.i.d. from the probabilities ``p`` (fast inverse CDF)."""
    u = rng.random(shape, dtype=np.float32)
    cdf = np.cumsum(p)[:3].astype(np.float32)
    return (u[..., None] >= cdf).sum(axis=-1).astype(np.uint8)


def tokens_from_one_hot(X: np.ndarray) -> np.ndarray:
    """Base indices 0..3 (A C G T) per position, 4 for N: shape (n, length), uint8.

    The package's one tokeniser (scanning, k-mer counting and shuffling use it
    too). ``X`` must be one-hot (see ``check_one_hot``); soft rows such as
    attributions are refused, not rounded: use ``X.argmax(-1)`` for those.
    """
    return one_hot_tokens(X)[1]


def dinucleotide_shuffle(X: np.ndarray, n_shuffles: int = 1, random_state=None) -> np.ndarray:
    """Shuffle sequences while keeping every dinucleotide count exactly.

    Each shuffle is a random Eulerian walk through the sequence's dinucleotide
    graph (Altschul & Erickson 1985; the variant used by DeepLIFT/DeepSHAP
    that keeps the last exit of each base fixed), so it starts and ends with
    the same bases as the original and has the same counts of every
    dinucleotide (and hence every base). ``N`` is treated as a fifth letter.

    Randomness is seeded per sequence from ``random_state`` and the sequence
    itself, so a sequence gets the same shuffles whatever else is in the batch
    and wherever it sits in it.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    n_shuffles : int, default 1
    random_state : None, int or numpy Generator, default None

    Returns
    -------
    shuffled : ndarray, shape=(n, n_shuffles, length, 4), float32
    """
    X, tokens = one_hot_tokens(X)
    n_shuffles = check_int(n_shuffles, "n_shuffles", 1)
    seed = base_seed(random_state)
    return _shuffle_tokens(tokens, n_shuffles, seed)


def _shuffle_tokens(tokens: np.ndarray, n_shuffles: int, seed: int) -> np.ndarray:
    """:func:`dinucleotide_shuffle` on checked tokens (n, length) -> (n, n_shuffles, length, 4)."""
    n, length = tokens.shape
    if length < 3 or n == 0:
        return np.repeat(_tokens_to_one_hot(tokens)[:, None], n_shuffles, axis=1)
    # Uniform draws per (sequence, shuffle, step), from a per-sequence generator.
    u = np.empty((n, n_shuffles, length), dtype=np.float64)
    for i in range(n):
        key = zlib.crc32(tokens[i].tobytes())
        u[i] = np.random.default_rng([seed, key, length]).random((n_shuffles, length))
    # counts[i, a, b]: unused edges a->b, excluding the reserved last exit of a
    first, nxt = tokens[:, :-1].astype(np.int64), tokens[:, 1:].astype(np.int64)
    counts = np.zeros((n, 5, 5), dtype=np.int32)
    np.add.at(counts, (np.arange(n)[:, None], first, nxt), 1)
    last_exit = np.full((n, 5), -1, dtype=np.int64)
    rows = np.arange(n)[:, None].repeat(length - 1, axis=1)
    last_exit[rows, first] = nxt  # later positions overwrite earlier: the last exit wins
    has_exit = last_exit >= 0
    counts[np.arange(n)[:, None], np.arange(5)[None], np.where(has_exit, last_exit, 0)] -= has_exit
    out = _walk(counts, last_exit, tokens[:, 0].astype(np.int64), u.reshape(n, n_shuffles, length))
    return _tokens_to_one_hot(out.reshape(n * n_shuffles, length)).reshape(n, n_shuffles, length, 4)


def _walk_python(counts, last_exit, start, u):
    """The Eulerian walks, one per (sequence, shuffle): at each step take an unused edge
    out of the current base, chosen with probability proportional to its count (the
    first edge whose cumulative count exceeds u x total), or the reserved last exit
    when none is left. Compiled by numba on first use (:func:`_walk`)."""
    n, n_shuffles, length = u.shape
    out = np.empty((n, n_shuffles, length), dtype=np.uint8)
    for i in range(n):
        for j in range(n_shuffles):
            unused = counts[i].copy()
            cur = start[i]
            out[i, j, 0] = cur
            for step in range(1, length):
                total = 0
                for t in range(5):
                    total += unused[cur, t]
                if total > 0:
                    target = u[i, j, step] * total
                    acc = 0
                    choice = 4
                    for t in range(5):
                        acc += unused[cur, t]
                        if target < acc:
                            choice = t
                            break
                    unused[cur, choice] -= 1
                    cur = choice
                else:
                    cur = last_exit[i, cur]
                out[i, j, step] = cur
    return out


def _walk(counts, last_exit, start, u):
    global _walk_compiled
    if _walk_compiled is None:
        import numba

        _walk_compiled = numba.njit(cache=True, nogil=True)(_walk_python)
    return _walk_compiled(counts, last_exit, start, u)


_walk_compiled = None


def dinucleotide_counts(X: np.ndarray) -> np.ndarray:
    """Counts of the 16 dinucleotides (AA, AC, ..., TT) per sequence: shape (n, 4, 4).

    Pairs involving N are not counted.
    """
    X = check_one_hot(X).astype(np.float32, copy=False)
    return np.einsum("nli,nlj->nij", X[:, :-1], X[:, 1:])


def kmer_names(k: int) -> list[str]:
    """All 4**k k-mers in the column order of :func:`kmer_counts` (AAA..., AAC..., ...)."""
    k = check_int(k, "k", 1, 12)
    check_memory(120.0 * 4 ** k, "k", f"{4 ** k} k-mer names")
    codes = np.arange(4 ** k)
    digits = (codes[:, None] // 4 ** np.arange(k - 1, -1, -1)) % 4
    return ["".join(ALPHABET[d] for d in row) for row in digits]


def kmer_counts(X, k: int = 6, sparse: bool | None = None):
    """How often each of the 4**k k-mers occurs in each sequence (forward strand).

    Windows that contain an ``N`` are not counted. Vectorised: one pass of
    integer arithmetic builds every window's k-mer code, then a per-row sort
    counts them, so 20,000 x 500 bp at k=6 takes well under a second.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4), or str / list of str
    k : int in [1, 12], default 6
    sparse : bool or None, default None
        Return a ``scipy.sparse.csr_matrix`` (float32). None chooses sparse
        when 4**k > 1024 (k >= 6), where a dense table would be mostly zeros.

    Returns
    -------
    ndarray or csr_matrix, shape=(n, 4**k)
        Column j counts the k-mer ``kmer_names(k)[j]``.
    """
    k = check_int(k, "k", 1, 12)
    if isinstance(X, (str, list, tuple)):
        X = one_hot_encode(X)
    _, tokens = one_hot_tokens(X)
    if sparse is not None:
        sparse = check_bool(sparse, "sparse")
    return _kmer_counts_tokens(tokens, k, sparse)


def _kmer_counts_tokens(tokens: np.ndarray, k: int, sparse: bool | None):
    """:func:`kmer_counts` on checked tokens (n, length)."""
    n, length = tokens.shape
    if k > length:
        raise ValueError(f"k ({k}) must be <= the sequence length ({length})")
    if sparse is None:
        sparse = 4 ** k > 1024
    windows = length - k + 1
    code = np.zeros((n, windows), dtype=np.int32)
    has_n = np.zeros((n, windows), dtype=bool)
    for j in range(k):
        t = tokens[:, j:j + windows]
        code = code * 4 + np.minimum(t, 3)
        has_n |= t == 4
    n_kmers = 4 ** k
    code[has_n] = n_kmers  # sentinel, dropped below
    if not sparse:
        check_memory(12.0 * n * (n_kmers + 1), "k", f"a dense table of {n} x 4**{k} counts (use sparse=True)")
        flat = (np.arange(n, dtype=np.int64)[:, None] * (n_kmers + 1) + code).ravel()
        table = np.bincount(flat, minlength=n * (n_kmers + 1)).reshape(n, n_kmers + 1)
        return table[:, :n_kmers].astype(np.float32)
    from scipy.sparse import csr_matrix

    code.sort(axis=1)
    starts = np.ones((n, windows), dtype=bool)
    starts[:, 1:] = code[:, 1:] != code[:, :-1]
    rows, cols = np.nonzero(starts)
    values = code[rows, cols]
    flat_start = rows * windows + cols
    run_end = np.r_[flat_start[1:], n * windows]
    counts = (run_end - flat_start).astype(np.float32)
    keep = values != n_kmers
    rows, values, counts = rows[keep], values[keep], counts[keep]
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=n))]
    return csr_matrix((counts, values, indptr), shape=(n, n_kmers))


def read_fasta(path: Union[str, os.PathLike]) -> Iterator[tuple[str, str]]:
    """Stream ``(name, sequence)`` records from a FASTA file.

    ``name`` is the header line without the leading ``>``; sequence lines are
    joined. Blank lines are skipped. Raises ValueError (with the line number)
    when sequence text appears before the first header.
    """
    check_path(path)
    name, parts = None, []
    with open(path, "r", encoding="ascii", errors="replace") as handle:
        for lineno, line in enumerate(handle, start=1):
            line = line.strip()
            if not line:
                continue
            if line.startswith(">"):
                if name is not None:
                    yield name, "".join(parts)
                name, parts = line[1:].strip(), []
            elif name is None:
                raise ValueError(f"{path}: line {lineno}: sequence text before the first '>' header")
            else:
                parts.append(line)
    if name is not None:
        yield name, "".join(parts)


def write_fasta(records, path: Union[str, os.PathLike], line_width: int = 80) -> None:
    """Write ``(name, sequence)`` records (or a dict name -> sequence) to a FASTA file.

    Records are written as they arrive (a generator is fine). Sequences are
    wrapped at ``line_width`` characters (0 = no wrapping).
    """
    line_width = check_int(line_width, "line_width", 0)
    check_path(path)
    if isinstance(records, dict):
        records = records.items()
    if isinstance(records, (str, bytes)) or not hasattr(records, "__iter__"):
        raise ParameterTypeError(f"records must be (name, sequence) pairs or a dict; received "
                                 f"{type(records).__name__}")
    with open(path, "w", encoding="ascii") as handle:
        for i, rec in enumerate(records):
            if not (isinstance(rec, tuple) and len(rec) == 2):
                raise ValueError(f"records[{i}] must be a (name, sequence) pair; received {rec!r:.60}")
            name, seq = rec
            if not isinstance(name, str) or not isinstance(seq, str):
                raise ParameterTypeError(f"records[{i}] must hold two strings (name, sequence); "
                                         f"received ({type(name).__name__}, {type(seq).__name__})")
            if "\n" in name or "\r" in name or any(c.isspace() or not c.isascii() for c in seq):
                raise ValueError(f"records[{i}]: a name must be one line and a sequence must hold no "
                                 "whitespace or non-ASCII characters")
            handle.write(f">{name}\n")
            step = line_width or max(len(seq), 1)
            for start in range(0, len(seq), step):
                handle.write(seq[start:start + step] + "\n")
