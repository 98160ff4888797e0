"""Shared input checks: the contracts every public function enforces at its boundary.

Public functions call these once, first; private helpers trust what they are
given. Every failure is a ``ValueError`` (wrong value or shape), a
:class:`ParameterTypeError` (wrong type; a ``TypeError`` that is also a
``ValueError``, so ``except ValueError`` keeps working) or a ``KeyError``
(unknown name, with close matches), and its message names the parameter, the
value received and what is allowed ("n must be >= 0; received -1").

Contracts
---------
one-hot (:func:`check_one_hot`, :func:`one_hot_tokens`)
    a numeric array of shape ``(n, length, 4)`` (or ``(length, 4)``), every value
    exactly 0 or 1 (so finite), at most one 1 per position; an all-zero row is an
    ``N`` (refused with ``allow_n=False``). Integer and boolean arrays are
    converted to float32; float arrays keep their dtype. Never modified in place.
probabilities (:func:`check_probabilities`)
    finite, in [0, 1], each row summing to 1 within ``atol``; ``positive=True``
    also refuses zeros (where a logarithm is taken).
background (:func:`check_background`)
    a GC fraction in [0, 1] or 4 non-negative A, C, G, T numbers (normalised);
    ``positive=True`` refuses a zero probability (GC 0 or 1, or a zero entry)
    because a log-odds score against it would be infinite.
indices (:func:`check_indices`)
    integers in ``[-n, n)`` (negatives count from the end and are normalised),
    duplicates kept (or refused with ``allow_duplicates=False``), or a boolean
    mask of length ``n``.
names (:func:`check_name`, :func:`missing_name_error`)
    ``KeyError`` listing up to five close matches.
"""
from __future__ import annotations

import difflib
import numbers
from typing import Iterable

import numpy as np

__all__ = [
    "ParameterTypeError", "close_matches", "missing_name_error", "check_name", "check_one_hot",
    "one_hot_tokens", "check_int", "check_float", "check_bool", "check_choice", "check_range_pair",
    "check_probabilities", "check_background", "gc_background", "check_indices", "check_array", "check_str", "check_memory", "check_path",
    "rng_from", "base_seed",
]


class ParameterTypeError(TypeError, ValueError):
    """A parameter of the wrong type. Both a ``TypeError`` and a ``ValueError``,
    so code written against either keeps catching it."""


def _short(value, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters (arrays as their shape and dtype)."""
    if isinstance(value, np.ndarray) and value.size > 8:
        return f"array of shape {value.shape} and dtype {value.dtype}"
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --------------------------------------------------------------------------- names

def close_matches(name: str, options: Iterable[str], n: int = 5) -> list[str]:
    """Up to ``n`` names from ``options`` that look like ``name`` (case-insensitive):
    names that start with it first ('CTCF' -> 'CTCF_known1'), then names that
    contain it, then near-misses by spelling ('SPl1_known4' -> 'SPI1_known4')."""
    options = [str(o) for o in options]
    key = str(name).lower()
    if not key:
        return []
    found = [o for o in options if o.lower().startswith(key)]
    found += [o for o in options if key in o.lower() and o not in found]
    if len(found) < n:
        lower = {o.lower(): o for o in options}
        for hit in difflib.get_close_matches(key, list(lower), n=n, cutoff=0.5):
            if lower[hit] not in found:
                found.append(lower[hit])
    return found[:n]


def missing_name_error(kind: str, name, options: Iterable[str]) -> KeyError:
    """A KeyError for an unknown ``name`` that lists close matches."""
    matches = close_matches(str(name), options)
    hint = f" Close matches: {', '.join(matches)}." if matches else ""
    return KeyError(f"unknown {kind} {name!r}.{hint}")


def check_name(value, name: str, options: Iterable[str], kind: str | None = None) -> str:
    """``value`` if it is one of ``options``; a KeyError with close matches if not
    (a ParameterTypeError if it is not a string)."""
    if not isinstance(value, str):
        raise ParameterTypeError(f"{name} must be a string; received {type(value).__name__} "
                                 f"{_short(value)}")
    options = list(options)
    if value not in options:
        raise missing_name_error(kind or name, value, options)
    return value


def check_str(value, name: str, allow_empty: bool = False) -> str:
    """``value`` if it is a string (non-empty unless ``allow_empty``)."""
    if not isinstance(value, str):
        raise ParameterTypeError(f"{name} must be a string; received {type(value).__name__} "
                                 f"{_short(value)}")
    if not value and not allow_empty:
        raise ValueError(f"{name} must be a non-empty string; received ''")
    return value


# --------------------------------------------------------------------------- one-hot

_ONE_BITS = {np.dtype(np.float16): (np.uint16, 0x3C00), np.dtype(np.float32): (np.uint32, 0x3F800000),
             np.dtype(np.float64): (np.uint64, 0x3FF0000000000000)}
# row bits (A=1, C=2, G=4, T=8) -> token 0..3 for A C G T, 4 for N (all zeros), 255 for several ones
_BITS_TO_TOKEN = np.full(16, 255, dtype=np.uint8)
_BITS_TO_TOKEN[[1, 2, 4, 8, 0]] = [0, 1, 2, 3, 4]


def _as_numeric_array(X, name: str, what: str) -> np.ndarray:
    if isinstance(X, (str, bytes)) or X is None or isinstance(X, (dict, set)):
        raise ParameterTypeError(f"{name} must be {what}; received {type(X).__name__} {_short(X)}")
    if not isinstance(X, np.ndarray):
        try:
            X = np.asarray(X)
        except (ValueError, TypeError) as exc:
            raise ParameterTypeError(f"{name} must be {what}; could not read {type(X).__name__} "
                                     f"as an array ({exc})") from None
    if X.dtype == bool or X.dtype.kind in "iu":
        return X
    if X.dtype.kind != "f":
        raise ParameterTypeError(f"{name} must hold numbers; received dtype {X.dtype}"
                                 + (" (strings: use one_hot_encode() first)" if X.dtype.kind in "USO"
                                    else ""))
    return X


def _check_one_hot_shape(X, name: str, allow_2d: bool) -> np.ndarray:
    X = _as_numeric_array(X, name, "a one-hot array of shape (n, length, 4)")
    if X.ndim == 2 and allow_2d:
        X = X[None]
    if X.ndim != 3 or X.shape[-1] != 4:
        allowed = "(n, length, 4) or (length, 4)" if allow_2d else "(n, length, 4)"
        raise ValueError(f"{name} must be a one-hot array of shape {allowed} (channels last, "
                         f"A C G T); received shape {X.shape}. Use one_hot_encode() on strings.")
    if X.shape[1] == 0:
        raise ValueError(f"{name} must have length >= 1; received shape {X.shape}")
    if X.dtype.kind in "iub":
        X = X.astype(np.float32)
    return X


def _first_bad(mask: np.ndarray) -> tuple:
    return tuple(int(v) for v in np.argwhere(mask)[0])


def _check_binary(X: np.ndarray, name: str) -> None:
    """Every value exactly 0 or 1 (two fast passes over the bits; an exact slow pass to report)."""
    if X.size == 0:
        return
    spec = _ONE_BITS.get(X.dtype)
    if spec is not None:
        bits = X.view(spec[0])
        if np.count_nonzero(bits) == np.count_nonzero(bits == spec[1]):
            return
    bad = ~((X == 0) | (X == 1))
    if not bad.any():
        return  # e.g. -0.0, or a dtype without a bit pattern table
    where = _first_bad(bad)
    value = X[where]
    kind = "NaN" if np.isnan(value) else ("infinite" if np.isinf(value) else "not 0 or 1")
    raise ValueError(f"{name} must be one-hot (every value 0 or 1); found {float(value):g} ({kind}) at "
                     f"sequence {where[0]}, position {where[1]}, channel {where[2]} "
                     f"({int(bad.sum())} such values)")


def one_hot_tokens(X, name: str = "X", allow_2d: bool = True, allow_n: bool = True):
    """Check a one-hot array and return it with its base tokens, in one pass.

    Returns
    -------
    X : ndarray, shape=(n, length, 4), float (never the caller's array modified)
    tokens : ndarray, shape=(n, length), uint8
        0, 1, 2, 3 for A, C, G, T and 4 for ``N`` (an all-zero row). This is
        the package's one tokeniser (``sequences.tokens_from_one_hot``).

    Raises
    ------
    ParameterTypeError, ValueError
        See :func:`check_one_hot`.
    """
    X = _check_one_hot_shape(X, name, allow_2d)
    _check_binary(X, name)
    weights = np.array([1, 2, 4, 8], dtype=X.dtype)
    bits = (X @ weights).astype(np.uint8)
    tokens = _BITS_TO_TOKEN[bits]
    if tokens.size and tokens.max() >= 4:
        several = tokens == 255
        if several.any():
            i, p = _first_bad(several)
            raise ValueError(f"{name} must be one-hot (at most one 1 per position); sequence {i} "
                             f"has {int(X[i, p].sum())} ones at position {p}")
        if not allow_n and (tokens == 4).any():
            i, p = _first_bad(tokens == 4)
            raise ValueError(f"{name} must not contain N (all-zero rows); found one at sequence "
                             f"{i}, position {p}")
    return X, tokens


def check_one_hot(X, name: str = "X", allow_2d: bool = True, allow_n: bool = True) -> np.ndarray:
    """Return ``X`` as a float array of shape (n, length, 4) after checking the one-hot contract.

    Parameters
    ----------
    X : array-like, shape=(n, length, 4) or (length, 4)
        Numbers, each exactly 0 or 1, at most one 1 per position; an all-zero
        row is ``N``. Integer/boolean input is converted to float32.
    name : str, default "X"
        The parameter name used in messages.
    allow_2d : bool, default True
        Accept one sequence ``(length, 4)``; it is returned with a leading axis of 1.
    allow_n : bool, default True
        Accept all-zero rows (``N``).

    Raises
    ------
    ParameterTypeError
        Not an array of numbers (strings, None, objects).
    ValueError
        Wrong shape, zero length, a value other than 0 or 1 (NaN, inf, 0.5),
        several ones at one position, or ``N`` when ``allow_n=False``; the
        message gives the first offending sequence and position.
    """
    return one_hot_tokens(X, name, allow_2d, allow_n)[0]


# --------------------------------------------------------------------------- scalars

def _range(low, high) -> str:
    if low is not None and high is not None:
        return f"in [{low}, {high}]"
    if low is not None:
        return f">= {low}"
    return f"<= {high}"


def check_int(value, name: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int within [low, high] (either bound optional).

    Whole floats (``3.0``) are accepted; ``True``/``False``, ``2.5``, NaN and
    strings are not.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ParameterTypeError(f"{name} must be a whole number; received "
                                 f"{type(value).__name__} {_short(value)}")
    if not isinstance(value, numbers.Integral):
        if not (np.isfinite(value) and float(value).is_integer()):
            raise ValueError(f"{name} must be a whole number; received {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {_range(low, high)}; received {value}")
    return value


def check_float(value, name: str, low: float | None = None, high: float | None = None,
                allow_inf: bool = False, low_open: bool = False) -> float:
    """``value`` as a finite float within [low, high] (either bound optional).

    ``low_open=True`` makes the lower bound strict (``> low``); ``allow_inf``
    accepts +-inf (never NaN).
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ParameterTypeError(f"{name} must be a number; received {type(value).__name__} "
                                 f"{_short(value)}")
    value = float(value)
    if np.isnan(value) or (np.isinf(value) and not allow_inf):
        raise ValueError(f"{name} must be a finite number; received {value}")
    if low_open and low is not None and value <= low:
        raise ValueError(f"{name} must be > {low}; received {value}")
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be {_range(low, high)}; received {value}")
    return value


def check_bool(value, name: str) -> bool:
    """``value`` if it is True or False (numpy bools included)."""
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterTypeError(f"{name} must be True or False; received {type(value).__name__} "
                                 f"{_short(value)}")
    return bool(value)


def check_choice(value, name: str, allowed: Iterable) -> object:
    """``value`` if it is one of ``allowed``."""
    allowed = list(allowed)
    try:
        ok = value in allowed
    except (TypeError, ValueError):  # unhashable or array-valued
        ok = False
    if not ok or isinstance(value, np.ndarray):
        raise ValueError(f"{name} must be one of {allowed}; received {_short(value)}")
    return value


def check_range_pair(low, high, low_name: str, high_name: str) -> None:
    """``low <= high``, or a ValueError naming both parameters."""
    if low > high:
        raise ValueError(f"{low_name} ({low}) must be <= {high_name} ({high})")


# --------------------------------------------------------------------------- arrays

def check_array(value, name: str, ndim: int | tuple | None = None, finite: bool = True,
                min_size: int = 0, dtype=float) -> np.ndarray:
    """``value`` as a numeric array (a new float array unless it already is one).

    ``ndim`` (an int or a tuple of allowed ndims), ``finite`` (no NaN/inf) and
    ``min_size`` are checked with messages naming ``name``.
    """
    arr = _as_numeric_array(value, name, "an array of numbers")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            raise ValueError(f"{name} must have {' or '.join(map(str, allowed))} dimension(s); "
                             f"received shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name} must hold at least {min_size} value(s); received shape {arr.shape}")
    arr = np.asarray(arr, dtype=dtype)
    if finite and arr.size and not np.isfinite(arr).all():
        where = _first_bad(~np.isfinite(arr)) if arr.ndim else ()
        raise ValueError(f"{name} must be finite; found {arr[where]!r} at index {where} "
                         f"({int((~np.isfinite(arr)).sum())} NaN or infinite values)")
    return arr


def check_probabilities(p, name: str, atol: float = 1e-6, positive: bool = False) -> np.ndarray:
    """``p`` as a float array whose last axis holds probabilities summing to 1 (within ``atol``).

    ``positive=True`` also refuses zeros (for a logarithm).
    """
    arr = check_array(p, name, min_size=1)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be an array of probabilities; received a scalar {arr!r}")
    if (arr < 0).any() or (arr > 1).any():
        raise ValueError(f"{name} must hold probabilities in [0, 1]; received values from "
                         f"{arr.min():g} to {arr.max():g}")
    sums = arr.sum(axis=-1)
    if not np.allclose(sums, 1.0, atol=atol, rtol=0):
        bad = np.abs(sums - 1) > atol
        where = _first_bad(bad) if sums.ndim else ()
        raise ValueError(f"{name} must sum to 1 along its last axis; a row at {where} sums to "
                         f"{float(sums[where]):.6g}")
    if positive and (arr == 0).any():
        raise ValueError(f"{name} must be strictly positive (a logarithm is taken); found a 0 at "
                         f"{_first_bad(arr == 0)}")
    return arr


def gc_background(gc) -> np.ndarray:
    """The one GC -> base probabilities formula, vectorised and unchecked:
    GC fraction(s) ``g`` of any shape -> ``[(1 - g) / 2, g / 2, g / 2, (1 - g) / 2]``
    on a new last axis of 4 (A, C, G, T). Check ``g`` first (e.g. with
    :func:`check_background` or :func:`check_array`); NaN stays NaN."""
    g = np.asarray(gc, dtype=float)
    return np.stack([(1 - g) / 2, g / 2, g / 2, (1 - g) / 2], axis=-1)


def check_background(background, name: str = "background", positive: bool = False) -> np.ndarray:
    """A, C, G, T probabilities (shape (4,)) from a GC fraction or 4 non-negative numbers.

    This is the package's one GC -> background formula: GC fraction ``g``
    gives ``[(1 - g) / 2, g / 2, g / 2, (1 - g) / 2]``. Four numbers are
    normalised to sum to 1.

    Parameters
    ----------
    background : float in [0, 1], or array-like of 4 non-negative numbers
    name : str, default "background"
    positive : bool, default False
        Refuse a zero probability (GC fraction 0 or 1, or a 0 entry): needed
        wherever a log-odds score divides by the background.
    """
    if np.ndim(background) == 0 and not isinstance(background, np.ndarray):
        gc = check_float(background, name, 0.0, 1.0)
        if positive and gc in (0.0, 1.0):
            raise ValueError(f"{name} must be a GC fraction strictly between 0 and 1 here (log-odds "
                             f"against a zero base probability are infinite); received {gc}")
        return gc_background(gc)
    b = _as_numeric_array(background, name, "a GC fraction or 4 numbers (A, C, G, T)")
    b = np.asarray(b, dtype=float)
    if b.shape == ():
        return check_background(float(b), name, positive)
    if b.shape != (4,) or not np.isfinite(b).all() or (b < 0).any() or b.sum() <= 0:
        raise ValueError(f"{name} must be a GC fraction in [0, 1] or 4 non-negative numbers "
                         f"(A, C, G, T) with a positive sum; received {_short(background)}")
    if positive and (b == 0).any():
        base = "ACGT"[int(np.argmax(b == 0))]
        raise ValueError(f"{name} must be strictly positive here (log-odds against a zero base "
                         f"probability are infinite); {base} has probability 0 in {_short(background)}")
    return b / b.sum()


def check_indices(indices, n: int, name: str = "indices", allow_duplicates: bool = True) -> np.ndarray:
    """Row indices into ``n`` items as int64 in ``[0, n)``, in the order given.

    Accepts integers (negatives count from the end, as in numpy), slices,
    ranges and boolean masks of length ``n``. Refuses floats, out-of-range
    values and (with ``allow_duplicates=False``) repeats.
    """
    if isinstance(indices, slice):
        return np.arange(n, dtype=np.int64)[indices]
    if isinstance(indices, (numbers.Integral, np.integer)) and not isinstance(indices, (bool, np.bool_)):
        indices = [indices]
    if isinstance(indices, (str, bytes)) or indices is None or isinstance(indices, (dict, set, float)):
        raise ParameterTypeError(f"{name} must be integer indices or a boolean mask; received "
                                 f"{type(indices).__name__} {_short(indices)}")
    try:
        arr = np.asarray(indices)
    except (ValueError, TypeError):
        raise ParameterTypeError(f"{name} must be integer indices or a boolean mask; received "
                                 f"{_short(indices)}") from None
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"{name} as a boolean mask must have shape ({n},); received {arr.shape}")
        return np.flatnonzero(arr).astype(np.int64)
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.isfinite(arr).all() and (arr == np.round(arr)).all():
            raise ParameterTypeError(f"{name} must be integers (or a boolean mask); received floats "
                                     f"{_short(arr)}: use .astype(int) if they are positions")
        raise ParameterTypeError(f"{name} must be integers or a boolean mask; received dtype {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; received shape {arr.shape}")
    arr = arr.astype(np.int64)
    bad = (arr < -n) | (arr >= n)
    if bad.any():
        raise ValueError(f"{name} must be in [-{n}, {n - 1}] (there are {n} items); received "
                         f"{int(arr[bad][0])}")
    arr = np.where(arr < 0, arr + n, arr)
    if not allow_duplicates and len(np.unique(arr)) != len(arr):
        raise ValueError(f"{name} must not repeat an index; received duplicates")
    return arr


def _physical_memory() -> int:
    import os

    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):  # pragma: no cover - non-POSIX
        return 64 * 2 ** 30


def check_path(path, name: str = "path"):
    """``path`` if it is a str or os.PathLike (not bytes, not a file descriptor number)."""
    import os

    if isinstance(path, (bool, int)) or not isinstance(path, (str, os.PathLike)):
        raise ParameterTypeError(f"{name} must be a file path (str or os.PathLike); received "
                                 f"{type(path).__name__} {_short(path)}")
    if not os.fspath(path):
        raise ValueError(f"{name} must be a non-empty file path; received ''")
    return path


def check_memory(nbytes: float, name: str, what: str) -> None:
    """Refuse a request whose result alone would not fit in this machine's memory.

    A ValueError naming ``name`` (e.g. "n") and the size, instead of a
    MemoryError (or swapping) deep inside numpy.
    """
    limit = _physical_memory()
    if nbytes > limit:
        raise ValueError(f"{name} is too large: {what} would need {nbytes / 2 ** 30:.1f} GiB, more "
                         f"than this machine's {limit / 2 ** 30:.1f} GiB of memory")


# --------------------------------------------------------------------------- randomness

def rng_from(random_state) -> np.random.Generator:
    """A numpy Generator from None, an int >= 0 or a Generator (never global state)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if isinstance(random_state, (bool, np.bool_)):
        raise ParameterTypeError(f"random_state must be None, an int or a numpy Generator; "
                                 f"received {random_state!r}")
    if isinstance(random_state, numbers.Integral):
        if random_state < 0:
            raise ValueError(f"random_state must be >= 0; received {random_state}")
        return np.random.default_rng(int(random_state))
    if random_state is None or isinstance(random_state, np.random.SeedSequence):
        return np.random.default_rng(random_state)
    raise ParameterTypeError("random_state must be None, an int or a numpy Generator; "
                             f"received {type(random_state).__name__}")


def base_seed(random_state) -> int:
    """One integer seed from ``random_state`` (drawn from it if it is a Generator)."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, (bool, np.bool_)):
        if random_state < 0:
            raise ValueError(f"random_state must be >= 0; received {random_state}")
        return int(random_state) % (2 ** 63)
    return int(rng_from(random_state).integers(0, 2 ** 63 - 1))

