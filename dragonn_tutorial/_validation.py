"""Shared input checks. Every public function calls these first so that
bad input fails early with a message naming the parameter, the value received
and what is allowed."""
from __future__ import annotations

import difflib
import numbers
from typing import Iterable

import numpy as np


def close_matches(name: str, options: Iterable[str], n: int = 5) -> list[str]:
    """Up to ``n`` names from ``options`` that look like ``name`` (case-insensitive):
    names that start with it first ('CTCF' -> 'CTCF_known1'), then names that
    contain it, then near-misses by spelling ('SPl1_known4' -> 'SPI1_known4')."""
    options = list(options)
    key = str(name).lower()
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


def check_one_hot(X, name: str = "X", allow_2d: bool = True) -> np.ndarray:
    """Return ``X`` as a float array of shape (n, length, 4) (never modified in place).

    A single sequence of shape (length, 4) is accepted when ``allow_2d`` and is
    returned with a leading axis of size 1.
    """
    if not isinstance(X, np.ndarray):
        try:
            X = np.asarray(X)
        except Exception as exc:  # pragma: no cover - exotic input
            raise ValueError(f"{name} must be a one-hot array of shape (n, length, 4); "
                             f"could not convert {type(X).__name__}") from exc
    if X.ndim == 2 and allow_2d:
        X = X[None]
    if X.ndim != 3 or X.shape[-1] != 4:
        raise ValueError(f"{name} must be a one-hot array of shape (n, length, 4) (channels last, "
                         f"A C G T); received shape {X.shape}. Use one_hot_encode() on strings.")
    if not (np.issubdtype(X.dtype, np.floating) or np.issubdtype(X.dtype, np.integer)
            or X.dtype == bool):
        raise ValueError(f"{name} must hold numbers; received dtype {X.dtype}")
    if X.dtype.kind in "iub":
        X = X.astype(np.float32)
    return X


def check_int(value, name: str, low: int | None = None, high: int | None = None) -> int:
    """``value`` as an int within [low, high] (either bound optional)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        if isinstance(value, numbers.Real) and float(value).is_integer():
            value = int(value)
        else:
            raise ValueError(f"{name} must be a whole number; received {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be in {_range(low, high)}; received {value}")
    return value


def check_float(value, name: str, low: float | None = None, high: float | None = None) -> float:
    """``value`` as a float within [low, high] (either bound optional)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise ValueError(f"{name} must be a number; received {value!r}")
    value = float(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be in {_range(low, high)}; received {value}")
    return value


def check_choice(value, name: str, allowed: Iterable) -> object:
    allowed = list(allowed)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}; received {value!r}")
    return value


def check_range_pair(low, high, low_name: str, high_name: str) -> None:
    if low > high:
        raise ValueError(f"{low_name} ({low}) must be <= {high_name} ({high})")


def rng_from(random_state) -> np.random.Generator:
    """A numpy Generator from None, an int or a Generator (never global state)."""
    if isinstance(random_state, np.random.Generator):
        return random_state
    if random_state is None or isinstance(random_state, (numbers.Integral, np.random.SeedSequence)):
        if isinstance(random_state, bool):
            raise ValueError(f"random_state must be None, an int or a numpy Generator; received {random_state!r}")
        return np.random.default_rng(random_state)
    raise ValueError("random_state must be None, an int or a numpy Generator; "
                     f"received {type(random_state).__name__}")


def base_seed(random_state) -> int:
    """One integer seed from ``random_state`` (drawn from it if it is a Generator)."""
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return int(random_state) % (2 ** 63)
    return int(rng_from(random_state).integers(0, 2 ** 63 - 1))


def _range(low, high) -> str:
    if low is not None and high is not None:
        return f"[{low}, {high}]"
    if low is not None:
        return f">= {low}"
    return f"<= {high}"
