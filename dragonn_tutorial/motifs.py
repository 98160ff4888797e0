"""Motifs: position probability matrices, their PSSMs and logos' numbers, the
bundled ENCODE motif collection, readers for MEME / JASPAR / HOMER files, and
PSSM scanning on both strands (numpy only).

A :class:`Motif` holds a position probability matrix (PPM) of shape
``(width, 4)`` over A C G T whose rows sum to 1.
"""
from __future__ import annotations

import gzip
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import NamedTuple, Sequence, Union

import numpy as np

from ._validation import (ParameterTypeError, check_array, check_background, check_bool,
                          check_choice, check_float, check_int, check_path, check_str,
                          missing_name_error, one_hot_tokens, rng_from)
from .sequences import ALPHABET, _tokens_to_one_hot, one_hot_decode

BackgroundLike = Union[float, Sequence[float], np.ndarray]

_IUPAC = {frozenset("A"): "A", frozenset("C"): "C", frozenset("G"): "G", frozenset("T"): "T",
          frozenset("AG"): "R", frozenset("CT"): "Y", frozenset("CG"): "S", frozenset("AT"): "W",
          frozenset("GT"): "K", frozenset("AC"): "M"}


def background_vector(background: BackgroundLike = 0.5, name: str = "background",
                      positive: bool = False) -> np.ndarray:
    """A, C, G, T probabilities from a GC fraction or a 4-vector (normalised).

    The same function as ``sequences.background_probabilities`` (one formula for
    the package); ``positive=True`` refuses zero probabilities (log-odds).
    """
    return check_background(background, name, positive=positive)


@dataclass(frozen=True, eq=False)
class Motif:
    """A DNA motif as a position probability matrix.

    Two motifs are equal when their names, sources, ``n_sites`` and matrices are
    equal; motifs are hashable (usable in sets and as dict keys).

    Parameters
    ----------
    name : str
    ppm : array-like, shape=(width, 4)
        Probabilities (or counts) of A, C, G, T at each position; finite,
        non-negative, every row with a positive sum; rows are normalised to sum to 1.
    source : str, default ""
        Where it comes from (alias, database id, experiment).
    n_sites : int or None, default None
        Number of aligned sites behind the matrix, when known (used for the
        small-sample correction of the information content).
    """

    name: str
    ppm: np.ndarray = field(repr=False)
    source: str = ""
    n_sites: int | None = None

    def __post_init__(self):
        check_str(self.name, "name")
        if not isinstance(self.source, str):
            raise ParameterTypeError(f"source of motif {self.name!r} must be a string; received "
                                     f"{type(self.source).__name__}")
        if self.n_sites is not None:
            object.__setattr__(self, "n_sites", check_int(self.n_sites, "n_sites", 1))
        if isinstance(self.ppm, (str, bytes)) or self.ppm is None:
            raise ParameterTypeError(f"ppm of motif {self.name!r} must be an array of numbers; "
                                     f"received {type(self.ppm).__name__}")
        try:
            ppm = np.array(self.ppm, dtype=float)
        except (TypeError, ValueError):
            raise ParameterTypeError(f"ppm of motif {self.name!r} must be an array of numbers "
                                     f"of shape (width, 4)") from None
        if ppm.ndim != 2 or ppm.shape[1] != 4 or ppm.shape[0] < 1:
            raise ValueError(f"ppm of motif {self.name!r} must have shape (width, 4); received {ppm.shape}")
        if not np.isfinite(ppm).all() or (ppm < 0).any():
            raise ValueError(f"ppm of motif {self.name!r} must hold finite, non-negative numbers")
        sums = ppm.sum(axis=1, keepdims=True)
        if (sums <= 0).any():
            raise ValueError(f"ppm of motif {self.name!r} has a row that sums to 0 (position "
                             f"{int(np.argmin(sums))})")
        if not np.allclose(sums, 1.0, rtol=0, atol=1e-9):  # keep given probabilities bit for bit
            ppm = ppm / sums
        ppm.setflags(write=False)
        object.__setattr__(self, "ppm", ppm)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Motif):
            return NotImplemented
        return (self.name == other.name and self.source == other.source
                and self.n_sites == other.n_sites and self.ppm.shape == other.ppm.shape
                and bool(np.array_equal(self.ppm, other.ppm)))

    def __hash__(self) -> int:
        return hash((self.name, self.source, self.n_sites, self.ppm.shape, self.ppm.tobytes()))

    @property
    def width(self) -> int:
        return self.ppm.shape[0]

    def pssm(self, background: BackgroundLike = 0.5, pseudocount: float = 0.01) -> np.ndarray:
        """Position-specific scoring matrix: log2(p / background), shape (width, 4), finite.

        ``pseudocount`` (>= 0) is added to every probability (then rows
        renormalised) so that a zero probability gives a large negative score,
        not -inf. ``background`` (a GC fraction or 4 numbers) must give every
        base a positive probability: GC 0 or 1 raises ValueError. With
        ``pseudocount=0`` a motif with a zero probability raises ValueError.
        """
        b = background_vector(background, positive=True)
        pseudocount = check_float(pseudocount, "pseudocount", 0.0)
        p = (self.ppm + pseudocount) / (1 + 4 * pseudocount)
        if (p == 0).any():
            i, j = (int(v) for v in np.argwhere(p == 0)[0])
            raise ValueError(f"pseudocount must be > 0 for motif {self.name!r}: base {ALPHABET[j]} "
                             f"has probability 0 at position {i}, whose log-odds are -inf; "
                             f"received pseudocount={pseudocount}")
        return np.log2(p) - np.log2(b)

    def information_content(self, correction: bool = False) -> np.ndarray:
        """Information per position in bits: R_i = 2 - (H_i + e_n).

        H_i is the Shannon entropy of position i. With ``correction=True``
        and ``n_sites`` known, the small-sample correction
        e_n = 3 / (2 ln 2 n) is subtracted (Schneider et al. 1986).
        """
        correction = check_bool(correction, "correction")
        p = self.ppm
        with np.errstate(divide="ignore", invalid="ignore"):
            h = -np.where(p > 0, p * np.log2(p), 0.0).sum(axis=1)
        e_n = 3 / (2 * np.log(2) * self.n_sites) if (correction and self.n_sites) else 0.0
        return np.maximum(2.0 - (h + e_n), 0.0)

    def information_matrix(self, correction: bool = False) -> np.ndarray:
        """Letter heights of an information logo: frequency x information, (width, 4)."""
        return self.ppm * self.information_content(correction)[:, None]

    def consensus(self) -> str:
        """IUPAC consensus (Cavener's rules): one base if p > 0.5 and > 2x the
        runner-up; two bases if the top two sum above 0.75; else N."""
        out = []
        for row in self.ppm:
            order = np.argsort(row)[::-1]
            a, b = row[order[0]], row[order[1]]
            if a > 0.5 and a > 2 * b:
                out.append(ALPHABET[order[0]])
            elif a + b > 0.75:
                out.append(_IUPAC[frozenset(ALPHABET[order[0]] + ALPHABET[order[1]])])
            else:
                out.append("N")
        return "".join(out)

    def reverse_complement(self) -> "Motif":
        """The motif read on the other strand (named ``<name>_rc``)."""
        return Motif(self.name + "_rc", self.ppm[::-1, ::-1], self.source, self.n_sites)

    def __len__(self) -> int:
        return self.width


# --------------------------------------------------------------------------- collection

def _open_text(path):
    path = os.fspath(path)
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, "r", encoding="utf-8", errors="replace")


@lru_cache(maxsize=1)
def _encode_collection() -> dict:
    ref = resources.files("dragonn_tutorial") / "data" / "encode_motifs.txt.gz"
    with resources.as_file(ref) as path:
        return _read_encode(path)


def encode_motifs() -> dict:
    """The bundled ENCODE motif collection (Kheradpour & Kellis 2014): name -> Motif."""
    return dict(_encode_collection())


def get_motif(name: Union[str, Motif]) -> Motif:
    """A motif of the bundled collection by name (a Motif passes through).

    Raises KeyError listing up to five close matches for an unknown name.
    """
    if isinstance(name, Motif):
        return name
    if not isinstance(name, str):
        raise ParameterTypeError(f"motif must be a Motif or a motif name (str); received "
                                 f"{type(name).__name__}")
    coll = _encode_collection()
    if name not in coll:
        raise missing_name_error("motif", name, coll)
    return coll[name]


def list_motifs(pattern: str | None = None) -> list[str]:
    """Names in the bundled collection, optionally those matching ``pattern``
    (a case-insensitive regular expression, e.g. ``"^CTCF"`` or ``"known1$"``)."""
    names = sorted(_encode_collection())
    if pattern is None:
        return names
    check_str(pattern, "pattern", allow_empty=True)
    try:
        rx = re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
    return [n for n in names if rx.search(n)]


def sample_motif(motif: Union[str, Motif], n: int, random_state=None, as_strings: bool = False):
    """Draw ``n`` instances of a motif, each position independently from its probabilities.

    Returns one-hot float32 of shape (n, width, 4), or strings with ``as_strings``.
    """
    motif = get_motif(motif)
    n = check_int(n, "n", 0)
    as_strings = check_bool(as_strings, "as_strings")
    rng = rng_from(random_state)
    cdf = np.cumsum(motif.ppm, axis=1)[:, :3]
    u = rng.random((n, motif.width))
    tokens = (u[..., None] >= cdf[None]).sum(axis=-1).astype(np.uint8)
    X = _tokens_to_one_hot(tokens)
    return one_hot_decode(X) if as_strings else X


# --------------------------------------------------------------------------- readers

_NUM = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"


_READERS = ("meme", "jaspar", "homer", "encode")
_SUFFIX_FORMAT = {".meme": "meme", ".jaspar": "jaspar", ".pfm": "jaspar", ".motif": "homer",
                  ".motifs": "homer", ".homer": "homer"}


def load_motifs(path, format: str | None = None, pseudocount: float = 0.0,
                keep: str | None = None) -> dict:
    """Read motifs from a MEME (minimal), JASPAR, HOMER or ENCODE-style file.

    Parameters
    ----------
    path : str or path-like
        The file (``.gz`` is read transparently).
    format : {"meme", "jaspar", "homer", "encode"} or None, default None
        None detects the format from the content: "MEME version" -> meme;
        rows starting with a letter and 4 numbers -> encode; bracketed rows ->
        jaspar; a HOMER header (``>consensus<TAB>name<TAB>threshold``) ->
        homer; otherwise blocks of exactly four rows whose columns (positions)
        have equal totals -> jaspar, rows of 4 numbers that each sum to 1 ->
        homer. A file that fits both (e.g. a width-4 probability matrix without
        a HOMER header) raises ValueError asking for ``format``; so does a file
        that fits none. The suffixes ``.meme``, ``.jaspar``/``.pfm`` and
        ``.motif`` decide ties.
    pseudocount : float, default 0.0
        Added to every count (JASPAR) or probability (others) before normalising.
    keep : {None, "first", "last"}, default None
        What to do with motifs that share a name: None raises ValueError listing
        them; "first"/"last" keeps that one.

    Returns
    -------
    dict name -> Motif, in file order.

    Raises
    ------
    ValueError
        Naming the file, the line and the problem for a malformed file.
    """
    pseudocount = check_float(pseudocount, "pseudocount", 0.0)
    if format is not None:
        check_choice(format, "format", _READERS + (None,))
    if keep is not None:
        check_choice(keep, "keep", (None, "first", "last"))
    check_path(path)
    with _open_text(path) as handle:
        lines = handle.read().splitlines()
    fmt = format or _detect_format(lines, path)
    readers = {"meme": _parse_meme, "jaspar": _parse_jaspar, "homer": _parse_homer,
               "encode": _parse_encode}
    records = readers[fmt](lines, os.fspath(path), pseudocount)
    if not records:
        raise ValueError(f"{path}: no motifs found (read as {fmt} format)")
    return _dedupe(records, keep, path)


def _dedupe(records, keep, path) -> dict:
    """name -> Motif from (name, Motif) records; repeated names per ``keep``."""
    out: dict = {}
    repeated = []
    for name, motif in records:
        if name in out:
            repeated.append(name)
            if keep != "last":
                continue
            del out[name]  # "last": move to the position of the later record
        out[name] = motif
    if repeated and keep is None:
        names = sorted(set(repeated))
        raise ValueError(f"{path}: {len(repeated)} motif(s) repeat a name ({', '.join(names[:5])}"
                         f"{', ...' if len(names) > 5 else ''}); pass keep='first' or keep='last'")
    return out


def _detect_format(lines, path) -> str:
    text = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    if any(ln.startswith("MEME version") for ln in text[:50]):
        return "meme"
    hint = _SUFFIX_FORMAT.get(os.path.splitext(os.fspath(path)[:-3] if os.fspath(path).endswith(".gz")
                                               else os.fspath(path))[1].lower())
    ask = "pass format='meme' | 'jaspar' | 'homer' | 'encode'"
    if not text or not text[0].startswith(">"):
        raise ValueError(f"{path}: line 1: cannot detect the motif format (expected 'MEME version' "
                         f"or a '>' header); {ask}")
    body = [ln for ln in text if not ln.startswith(">")]
    if any("[" in ln for ln in body[:8]):
        return "jaspar"
    first = body[0].split() if body else []
    if len(first) == 5 and re.fullmatch(r"[A-Za-z]", first[0]):
        return "encode"
    headers = [ln for ln in text if ln.startswith(">")]
    if all(_is_homer_header(h) for h in headers):
        return "homer"
    blocks, rows = [], None
    for lineno, raw in enumerate(lines, start=1):
        ln = raw.strip()
        if not ln or ln.startswith("#"):
            continue
        if ln.startswith(">"):
            rows = []
            blocks.append(rows)
        else:
            rows.append(_floats(ln, path, lineno))
    jaspar = all(len(b) == 4 and len({len(r) for r in b}) == 1 and len(b[0]) >= 1
                 and np.allclose(np.sum(b, axis=0), np.sum(b, axis=0)[0], rtol=1e-3, atol=1e-3)
                 for b in blocks)
    homer = all(len(b) >= 1 and all(len(r) == 4 for r in b)
                and np.allclose(np.sum(b, axis=1), 1.0, atol=0.02) for b in blocks)
    if jaspar and homer:
        if hint in ("jaspar", "homer"):
            return hint
        raise ValueError(f"{path}: the matrices fit both JASPAR (4 rows = bases) and HOMER "
                         f"(rows = positions) layouts; {ask}")
    if jaspar:
        return "jaspar"
    if homer:
        return "homer"
    if hint in ("jaspar", "homer"):
        return hint
    raise ValueError(f"{path}: cannot detect the motif format (neither JASPAR: 4 rows with equal "
                     f"column totals, nor HOMER: rows of 4 probabilities); {ask}")


def _is_homer_header(header: str) -> bool:
    parts = header[1:].split("\t")
    if len(parts) < 3:
        return False
    try:
        float(parts[2])
    except ValueError:
        return False
    return True


def _floats(text, path, lineno, expected=None):
    try:
        vals = [float(v) for v in text.split()]
    except ValueError:
        raise ValueError(f"{path}: line {lineno}: expected numbers, found {text.strip()!r:.60}") from None
    if expected is not None and len(vals) != expected:
        raise ValueError(f"{path}: line {lineno}: expected {expected} numbers, found {len(vals)}")
    return vals


def _make(name, rows, path, lineno, pseudocount, source="", n_sites=None):
    if len(rows) == 0:
        raise ValueError(f"{path}: line {lineno}: motif {name!r} has no matrix rows")
    m = np.asarray(rows, dtype=float) + pseudocount
    if (m < 0).any():
        raise ValueError(f"{path}: line {lineno}: motif {name!r} has negative values")
    if (m.sum(axis=1) <= 0).any():
        raise ValueError(f"{path}: line {lineno}: motif {name!r} has a matrix row that sums to 0")
    return Motif(name, m, source, n_sites)


def _parse_meme(lines, path, pseudocount):
    motifs, i = [], 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("ALPHABET=") and line.split("=", 1)[1].strip() not in ("ACGT", ""):
            raise ValueError(f"{path}: line {i + 1}: only the DNA alphabet ACGT is supported; found {line!r}")
        if line.startswith("MOTIF"):
            parts = line.split()
            if len(parts) < 2:
                raise ValueError(f"{path}: line {i + 1}: MOTIF line without a name")
            name, source, start = parts[1], " ".join(parts[2:]), i + 1
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith("letter-probability matrix"):
                if lines[j].strip().startswith("MOTIF"):
                    break
                j += 1
            if j >= len(lines) or not lines[j].strip().startswith("letter-probability matrix"):
                raise ValueError(f"{path}: line {start}: motif {name!r} has no 'letter-probability matrix' line")
            header = lines[j]
            w = re.search(r"w=\s*(\d+)", header)
            nsites = re.search(r"nsites=\s*(" + _NUM + ")", header)
            rows, k = [], j + 1
            while k < len(lines) and lines[k].strip() and re.match(_NUM, lines[k].strip()):
                rows.append(_floats(lines[k], path, k + 1, expected=4))
                k += 1
            if w and int(w.group(1)) != len(rows):
                raise ValueError(f"{path}: line {j + 1}: motif {name!r} declares w= {w.group(1)} "
                                 f"but has {len(rows)} rows")
            n_sites = int(float(nsites.group(1))) if nsites else None
            n_sites = n_sites if n_sites and n_sites >= 1 else None
            motifs.append((name, _make(name, rows, path, j + 1, pseudocount, source, n_sites)))
            i = k
            continue
        i += 1
    return motifs


def _parse_jaspar(lines, path, pseudocount):
    motifs, i = [], 0
    while i < len(lines):
        line = lines[i].strip()
        if not line or line.startswith("#"):
            i += 1
            continue
        if not line.startswith(">"):
            raise ValueError(f"{path}: line {i + 1}: expected a '>' header, found {line!r:.60}")
        parts = line[1:].split(None, 1)
        if not parts:
            raise ValueError(f"{path}: line {i + 1}: empty motif header")
        name, source = parts[0], (parts[1] if len(parts) > 1 else "")
        rows = []
        for b in range(4):
            k = i + 1 + b
            if k >= len(lines) or not lines[k].strip() or lines[k].strip().startswith(">"):
                raise ValueError(f"{path}: line {k + 1}: motif {name!r} needs 4 rows (A, C, G, T); "
                                 f"found {b}")
            text = lines[k].strip()
            m = re.match(r"^([ACGTacgt])\s*\[(.*)\]\s*$", text)
            if m:
                if m.group(1).upper() != ALPHABET[b]:
                    raise ValueError(f"{path}: line {k + 1}: expected row {ALPHABET[b]}, found {m.group(1)}")
                text = m.group(2)
            elif "[" in text or "]" in text:
                raise ValueError(f"{path}: line {k + 1}: malformed bracketed row {text!r:.60}")
            rows.append(_floats(text, path, k + 1))
        widths = {len(r) for r in rows}
        if len(widths) != 1:
            raise ValueError(f"{path}: line {i + 2}: motif {name!r} rows have different lengths {sorted(widths)}")
        counts = np.array(rows).T
        n_sites = int(round(counts.sum(axis=1).max())) if counts.size else None
        n_sites = n_sites if n_sites and n_sites >= 1 else None
        motifs.append((name, _make(name, counts, path, i + 1, pseudocount, source, n_sites)))
        i += 5
    return motifs


def _parse_rows_after_headers(lines, path, pseudocount, n_fields, name_of):
    motifs, name, source, rows, start = [], None, "", [], 0

    def flush():
        if name is not None:
            motifs.append((name, _make(name, rows, path, start, pseudocount, source)))

    for lineno, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(">"):
            flush()
            name, source = name_of(line[1:], path, lineno)
            rows, start = [], lineno
            continue
        if name is None:
            raise ValueError(f"{path}: line {lineno}: matrix row before the first '>' header")
        fields = line.split()
        if n_fields == 5:
            if len(fields) != 5:
                raise ValueError(f"{path}: line {lineno}: expected a letter and 4 numbers, found {line!r:.60}")
            fields = fields[1:]
        rows.append(_floats(" ".join(fields), path, lineno, expected=4))
    flush()
    return motifs


def _homer_name(header, path, lineno):
    parts = header.split("\t")
    if len(parts) < 2:
        parts = header.split()
    if len(parts) < 2:
        raise ValueError(f"{path}: line {lineno}: a HOMER header needs a consensus and a name")
    return parts[1], parts[0]


def _encode_name(header, path, lineno):
    parts = header.split(None, 1)
    if not parts:
        raise ValueError(f"{path}: line {lineno}: empty motif header")
    return parts[0], (parts[1].strip() if len(parts) > 1 else "")


def _parse_homer(lines, path, pseudocount):
    return _parse_rows_after_headers(lines, path, pseudocount, 4, _homer_name)


def _parse_encode(lines, path, pseudocount):
    return _parse_rows_after_headers(lines, path, pseudocount, 5, _encode_name)


def _read_encode(path):
    with _open_text(path) as handle:
        return _dedupe(_parse_encode(handle.read().splitlines(), os.fspath(path), 0.0), "first", path)


# --------------------------------------------------------------------------- scanning

class ScanResult(NamedTuple):
    """Scores of every window and the strand that gave each (+1 forward, -1 reverse)."""
    scores: np.ndarray
    strands: np.ndarray


class Hit(NamedTuple):
    sequence: int
    start: int
    end: int
    strand: int
    score: float


_CHUNK = 4  # motif columns looked up at once (a table of 5**4 = 625 entries)


def scan(X, motif: Union[str, Motif, np.ndarray, None] = None, background: BackgroundLike = 0.5,
         both_strands: bool = True, return_strands: bool = False, pseudocount: float = 0.01,
         pssm=None):
    """Log2-odds PSSM score of every window of every sequence.

    This is a convolution of the one-hot sequence with the PSSM (no Python
    loop over positions or sequences): windows are scored by looking up
    chunks of four motif columns at once in a small table.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
        One-hot sequences (exactly 0/1 rows; ``N`` = all zeros).
    motif : str or Motif
        A motif (its PSSM against ``background`` is used). For a ready
        log-odds matrix use ``pssm=`` instead. (A bare array is still read as
        a PSSM when it has a negative entry, which no probability or count
        matrix has; a non-negative bare array is refused as ambiguous: wrap
        probabilities in ``Motif(name, ppm)`` or pass ``pssm=``.)
    background : float or 4-vector, default 0.5
        GC fraction or A C G T probabilities for the PSSM; every base must
        have a positive probability (GC strictly between 0 and 1).
    both_strands : bool, default True
        Score the reverse strand too and keep the larger score per window.
    return_strands : bool, default False
        Return a :class:`ScanResult` with the strand of each score.
    pseudocount : float, default 0.01
    pssm : ndarray, shape=(width, 4), optional
        A ready scoring matrix (finite), used as is; give either ``motif`` or ``pssm``.

    Returns
    -------
    scores : ndarray, shape=(n, length - width + 1), float32
        Window ``i`` covers bases ``i .. i + width - 1``. An ``N`` inside a
        window contributes 0 (neither evidence for nor against the motif).
    """
    X, tokens = one_hot_tokens(X)
    matrix = _as_pssm(motif, background, pseudocount, pssm)
    both_strands = check_bool(both_strands, "both_strands")
    return_strands = check_bool(return_strands, "return_strands")
    return _scan_tokens(tokens, matrix, both_strands, return_strands)


def _scan_tokens(tokens: np.ndarray, pssm: np.ndarray, both_strands: bool = True,
                 return_strands: bool = False):
    """:func:`scan` on checked tokens (n, length; 0..3 = A C G T, 4 = N) and a checked PSSM."""
    n, length = tokens.shape
    w = pssm.shape[0]
    if w > length:
        raise ValueError(f"motif width {w} is longer than the sequences ({length} bp)")
    m = length - w + 1
    fwd = np.zeros((w, 5))
    fwd[:, :4] = pssm
    rc = np.zeros((w, 5))
    rc[:, :4] = pssm[::-1, ::-1]
    # pack forward and reverse scores as one complex number: one lookup scores both strands
    table = (fwd + 1j * rc).astype(np.complex64)
    acc = np.zeros((n, m), dtype=np.complex64)
    codes = {}
    for j in range(0, w, _CHUNK):
        k = min(_CHUNK, w - j)
        if k not in codes:
            code = np.zeros((n, length - k + 1), dtype=np.intp)  # intp: fast gathers
            for d in range(k):
                code *= 5
                code += tokens[:, d:length - k + 1 + d]
            codes[k] = code
        digits = np.indices((5,) * k).reshape(k, -1)          # (k, 5**k)
        chunk_table = table[j + np.arange(k)[:, None], digits].sum(axis=0)
        acc += chunk_table.take(codes[k][:, j:j + m])
    forward = acc.real
    if not both_strands:
        return ScanResult(forward, np.ones_like(forward, dtype=np.int8)) if return_strands else forward
    reverse = acc.imag
    scores = np.maximum(forward, reverse)
    if return_strands:
        return ScanResult(scores, np.where(reverse > forward, -1, 1).astype(np.int8))
    return scores


def _as_pssm(motif, background, pseudocount, pssm=None) -> np.ndarray:
    """The scoring matrix from exactly one of ``motif`` (Motif or name) and ``pssm`` (array)."""
    if pssm is not None:
        if motif is not None:
            raise ValueError("give either motif (a Motif or a name) or pssm (a scoring matrix), "
                             "not both")
        return _check_pssm(pssm, "pssm")
    if motif is None:
        raise ValueError("motif is required: a Motif or a motif name (or pass pssm=, a scoring matrix)")
    if isinstance(motif, (Motif, str)):
        return get_motif(motif).pssm(background, pseudocount)
    if isinstance(motif, (np.ndarray, list, tuple)):
        matrix = _check_pssm(motif, "motif")
        if not (matrix < 0).any():
            raise ValueError("motif as a bare array is ambiguous: these non-negative numbers could be "
                             "probabilities or counts, not log-odds scores. Pass Motif(name, ppm) to "
                             "score probabilities, or pssm=array if they really are scores")
        return matrix
    raise ParameterTypeError(f"motif must be a Motif or a motif name (or pass pssm=); received "
                             f"{type(motif).__name__}")


def _check_pssm(matrix, name) -> np.ndarray:
    matrix = check_array(matrix, name, ndim=2, min_size=1)
    if matrix.shape[1] != 4:
        raise ValueError(f"{name} must have shape (width, 4); received {matrix.shape}"
                         + (" (transpose it)" if matrix.shape[0] == 4 else ""))
    return matrix


def _checked_scan_inputs(X, motif, background, both_strands):
    X, tokens = one_hot_tokens(X)
    matrix = _as_pssm(motif, background, 0.01)
    return tokens, matrix, check_bool(both_strands, "both_strands")


def best_hits(X, motif, background: BackgroundLike = 0.5, both_strands: bool = True) -> list[Hit]:
    """The highest-scoring window of each sequence: a list of :class:`Hit` (ties: the first)."""
    tokens, matrix, both_strands = _checked_scan_inputs(X, motif, background, both_strands)
    res = _scan_tokens(tokens, matrix, both_strands, return_strands=True)
    w = len(matrix)
    pos = res.scores.argmax(axis=1)
    rows = np.arange(len(pos))
    return [Hit(int(i), int(p), int(p + w), int(s), float(v))
            for i, p, s, v in zip(rows, pos, res.strands[rows, pos], res.scores[rows, pos])]


def hits_above(X, motif, threshold: float, background: BackgroundLike = 0.5,
               both_strands: bool = True) -> list[Hit]:
    """Every window scoring at least ``threshold`` (log2-odds), as :class:`Hit` records."""
    threshold = check_float(threshold, "threshold")
    tokens, matrix, both_strands = _checked_scan_inputs(X, motif, background, both_strands)
    res = _scan_tokens(tokens, matrix, both_strands, return_strands=True)
    w = len(matrix)
    seq, pos = np.nonzero(res.scores >= threshold)
    return [Hit(int(i), int(p), int(p + w), int(res.strands[i, p]), float(res.scores[i, p]))
            for i, p in zip(seq, pos)]


def pssm_features(X, motifs: Sequence[Union[str, Motif]], background: BackgroundLike = 0.5) -> np.ndarray:
    """Maximum scan score of each motif in each sequence: shape (n, len(motifs)).

    The simplest classifier features: "how well does the best site match?".
    ``X`` is checked once, whatever the number of motifs.
    """
    if isinstance(motifs, (str, Motif)):
        motifs = [motifs]
    if isinstance(motifs, np.ndarray) or not hasattr(motifs, "__iter__"):
        raise ParameterTypeError(f"motifs must be a motif name, a Motif or a list of them; received "
                                 f"{type(motifs).__name__}")
    motifs = list(motifs)
    if not motifs:
        raise ValueError("motifs must name at least one motif; received an empty list")
    X, tokens = one_hot_tokens(X)
    matrices = [_as_pssm(m, background, 0.01) for m in motifs]
    return np.stack([_scan_tokens(tokens, mat).max(axis=1) for mat in matrices], axis=1)
