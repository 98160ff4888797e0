"""Figures: sequence logos (logomaker), one-hot heatmaps, sequence tracks with
the embedded motif sites. Every function draws on ``ax`` (default: the current
axes), returns it, and never calls ``plt.show()``."""
from __future__ import annotations

from typing import Union

import numpy as np

from ._validation import check_choice, check_one_hot
from .sequences import ALPHABET

# DragoNN's colours: A green, C blue, G orange, T red
BASE_COLORS = {"A": "#109648", "C": "#255C99", "G": "#F7B32B", "T": "#D62839"}
LOGO_KINDS = ("information", "probability", "pssm", "weights")


def _axes(ax):
    import matplotlib.pyplot as plt

    return ax if ax is not None else plt.gca()


def logo_matrix(matrix_or_motif, kind: str = "information", background=0.5) -> np.ndarray:
    """The letter heights a logo of ``kind`` draws, shape (width, 4)."""
    from .motifs import Motif, get_motif

    check_choice(kind, "kind", LOGO_KINDS)
    if isinstance(matrix_or_motif, (str, Motif)):
        motif = get_motif(matrix_or_motif)
        if kind == "information":
            return motif.information_matrix()
        if kind == "probability":
            return np.array(motif.ppm)
        if kind == "pssm":
            return motif.pssm(background)
        raise ValueError("kind='weights' needs a matrix (e.g. filter weights), not a motif")
    m = np.asarray(matrix_or_motif, dtype=float)
    if m.ndim != 2 or m.shape[1] != 4:
        if m.ndim == 2 and m.shape[0] == 4:
            raise ValueError(f"matrix must have shape (width, 4); received {m.shape} (transpose it)")
        raise ValueError(f"matrix must have shape (width, 4); received {m.shape}")
    if kind == "information":
        from .motifs import Motif as _M

        return _M("matrix", np.clip(m, 0, None) + 1e-12).information_matrix()
    return m


def plot_logo(matrix_or_motif, kind: str = "information", ax=None, background=0.5,
              title: str | None = None):
    """A sequence logo.

    Parameters
    ----------
    matrix_or_motif : Motif, motif name, or ndarray, shape=(width, 4)
    kind : {"information", "probability", "pssm", "weights"}, default "information"
        information: letter height = frequency x information (bits);
        probability: the PPM; pssm: log2-odds against ``background`` (letters
        below the axis are disfavoured); weights: the matrix as given (filter
        weights, attributions).
    ax : matplotlib Axes, default current axes
    background : float or 4-vector, default 0.5 (for ``kind="pssm"``)
    title : str, optional (default: the motif name)

    Returns
    -------
    ax
    """
    import logomaker
    import pandas as pd

    m = logo_matrix(matrix_or_motif, kind, background)
    ax = _axes(ax)
    df = pd.DataFrame(m, columns=list(ALPHABET))
    logomaker.Logo(df, ax=ax, color_scheme=BASE_COLORS, flip_below=False)
    ylabel = {"information": "bits", "probability": "probability", "pssm": "log2 odds",
              "weights": "weight"}[kind]
    ax.set_ylabel(ylabel)
    ax.set_xlabel("position")
    if kind == "information":
        ax.set_ylim(0, 2)
    if kind in ("pssm", "weights"):
        ax.axhline(0, color="black", lw=0.5)
    name = getattr(matrix_or_motif, "name", matrix_or_motif if isinstance(matrix_or_motif, str) else None)
    if title or name:
        ax.set_title(title or name)
    return ax


def plot_one_hot(X, ax=None, title: str | None = None):
    """One sequence's one-hot matrix as a 4 x length heatmap with the bases labelled."""
    import matplotlib.pyplot as plt  # noqa: F401 - backend set up
    from matplotlib.colors import ListedColormap

    X = check_one_hot(X)
    if len(X) != 1:
        raise ValueError(f"plot_one_hot draws one sequence; received {len(X)} (index one: X[i])")
    x = X[0]
    ax = _axes(ax)
    ax.imshow(x.T, aspect="auto", cmap=ListedColormap(["white", "#333333"]), vmin=0, vmax=1,
              interpolation="nearest")
    ax.set_yticks(range(4), list(ALPHABET))
    length = x.shape[0]
    if length <= 40:
        from .sequences import one_hot_decode

        ax.set_xticks(range(length), list(one_hot_decode(x)))
    ax.set_xlabel("position")
    ax.set_xticks(np.arange(-0.5, length, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, 4, 1), minor=True)
    ax.grid(which="minor", color="#cccccc", lw=0.5)
    ax.tick_params(which="minor", length=0)
    if title:
        ax.set_title(title)
    return ax


def _site_colors(names):
    import matplotlib.pyplot as plt

    cmap = plt.get_cmap("tab10")
    return {n: cmap(i % 10) for i, n in enumerate(sorted(set(names)))}


def plot_sequence_sites(sites, seq_length: int, sequence: int = 0, track=None, ax=None,
                        title: str | None = None, y: float | None = None):
    """A sequence drawn as a line with its embedded motif sites as labelled boxes.

    Parameters
    ----------
    sites : Sites
        Ground truth from a simulation (all sequences; ``sequence`` selects one).
    seq_length : int
    sequence : int, default 0
    track : ndarray, shape=(seq_length,) or (positions,), optional
        A score track (scan scores, attributions) drawn above the sites.
    ax : matplotlib Axes, default current axes
    y : float, optional
        Height at which to draw the boxes (default: below the track, or 0).

    Returns
    -------
    ax
    """
    from matplotlib.patches import FancyArrow, Rectangle

    ax = _axes(ax)
    one = sites.of_sequence(sequence)
    colors = _site_colors(list(sites.motif) or ["-"])
    if track is not None:
        track = np.asarray(track, dtype=float)
        ax.plot(np.arange(len(track)), track, color="#555555", lw=0.8)
        lo, hi = float(np.nanmin(track)), float(np.nanmax(track))
        span = hi - lo or 1.0
        base, height = lo - 0.25 * span, 0.15 * span
        ax.set_ylim(base - 0.15 * span, hi + 0.1 * span)
    else:
        base, height = (0.0 if y is None else y), 1.0
        ax.set_ylim(base - 0.6, base + 1.8)
        ax.set_yticks([])
    if y is not None:
        base = y
    ax.plot([0, seq_length], [base + height / 2] * 2, color="#999999", lw=1, zorder=1)
    last_end, raise_label = -np.inf, False
    for motif, start, end, strand in zip(one.motif, one.start, one.end, one.strand):
        raise_label = (not raise_label) and (start - last_end < 0.08 * seq_length)
        last_end = end
        color = colors.get(motif, "C0")
        ax.add_patch(Rectangle((start, base), end - start, height, color=color, alpha=0.8, zorder=2))
        mid, dx = (start + end) / 2, (end - start) / 2 * (1 if strand > 0 else -1)
        ax.add_patch(FancyArrow(mid - dx / 2, base + height / 2, dx, 0, width=height * 0.08,
                                head_width=height * 0.4, head_length=min(abs(dx) / 2, 3),
                                length_includes_head=True, color="white", zorder=3))
        ax.text(mid, base + height * (1.6 if raise_label else 1.1), f"{motif} ({'+' if strand > 0 else '-'})", ha="center",
                va="bottom", fontsize=7, zorder=4)
    ax.set_xlim(0, seq_length)
    ax.set_xlabel("position (bp)")
    if title:
        ax.set_title(title)
    return ax
