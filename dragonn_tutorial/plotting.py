"""Figures: sequence logos (logomaker), one-hot heatmaps, sequence tracks with
the embedded motif sites. Every function draws on ``ax`` (default: the current
axes), returns it, and never calls ``plt.show()``."""
from __future__ import annotations

from typing import Union

import numpy as np

from ._validation import ParameterTypeError, check_array, check_choice, check_float, check_int, check_one_hot
from .sequences import ALPHABET

# DragoNN's colours: A green, C blue, G orange, T red
BASE_COLORS = {"A": "#109648", "C": "#255C99", "G": "#F7B32B", "T": "#D62839"}
LOGO_KINDS = ("information", "probability", "pssm", "weights")


def _axes(ax):
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    if ax is not None and not isinstance(ax, Axes):
        raise ParameterTypeError(f"ax must be a matplotlib Axes or None; received {type(ax).__name__}")
    return ax if ax is not None else plt.gca()


def _check_title(title):
    if title is not None and not isinstance(title, str):
        raise ParameterTypeError(f"title must be a string or None; received {type(title).__name__}")
    return title


def _check_sites(sites, required: bool = True):
    from .simulations import Sites

    if sites is None and not required:
        return None
    if not isinstance(sites, Sites):
        raise ParameterTypeError(f"sites must be a Sites record (e.g. data.sites_test); received "
                                 f"{type(sites).__name__}")
    return sites


def logo_matrix(matrix_or_motif, kind: str = "information", background=0.5) -> np.ndarray:
    """The letter heights a logo of ``kind`` draws, shape (width, 4).

    ``matrix_or_motif`` is a Motif, a motif name or a finite matrix of shape
    (width, 4); kinds "information" and "probability" of a matrix need
    non-negative numbers (probabilities or counts; use "weights" for signed ones).
    """
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
    m = check_array(matrix_or_motif, "matrix", min_size=1)
    if m.ndim != 2 or m.shape[1] != 4:
        if m.ndim == 2 and m.shape[0] == 4:
            raise ValueError(f"matrix must have shape (width, 4); received {m.shape} (transpose it)")
        raise ValueError(f"matrix must have shape (width, 4); received {m.shape}")
    if kind in ("information", "probability") and (m < 0).any():
        raise ValueError(f"matrix must be non-negative (probabilities or counts) for kind={kind!r}; "
                         f"it has negative values: use kind='weights' for signed matrices")
    if kind == "information":
        return Motif("matrix", m + 1e-12).information_matrix()
    return m  # "pssm" and "weights": a matrix is drawn as given (a ready PSSM, filter weights)


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
    title = _check_title(title)
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
    title = _check_title(title)
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

    sites = _check_sites(sites)
    seq_length = check_int(seq_length, "seq_length", 1)
    sequence = check_int(sequence, "sequence", 0)
    title = _check_title(title)
    if y is not None:
        y = check_float(y, "y")
    if track is not None:
        track = check_array(track, "track", ndim=1, finite=False, min_size=1)
        if not np.isfinite(track).any():
            raise ValueError("track must hold at least one finite value; received only NaN/inf")
    ax = _axes(ax)
    one = sites.of_sequence(sequence)
    colors = _site_colors(list(sites.motif) or ["-"])
    if track is not None:
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
    labels = []
    for motif, start, end, strand in zip(one.motif, one.start, one.end, one.strand):
        color = colors.get(motif, "C0")
        ax.add_patch(Rectangle((start, base), end - start, height, color=color, alpha=0.8, zorder=2))
        mid, dx = (start + end) / 2, (end - start) / 2 * (1 if strand > 0 else -1)
        ax.add_patch(FancyArrow(mid - dx / 2, base + height / 2, dx, 0, width=height * 0.08,
                                head_width=height * 0.4, head_length=min(abs(dx) / 2, 3),
                                length_includes_head=True, color="white", zorder=3))
        labels.append((mid, f"{motif} ({'+' if strand > 0 else '-'})", "black"))
    _stacked_labels(ax, labels, base + height * 1.1, (0, seq_length), zorder=4)
    ax.set_xlim(0, seq_length)
    ax.set_xlabel("position (bp)")
    if title:
        ax.set_title(title)
    return ax


def _shade_sites(ax, sites, sequence: int, start: int, end: int, label: bool = True,
                 outline: bool = False) -> int:
    """Shade (or outline, over an image) the true sites of one sequence that overlap
    [start, end); with ``label``, name them above the axes in as many rows as needed
    to keep close sites' labels apart. Returns the number of label rows."""
    if sites is None:
        return 0
    one = sites.of_sequence(sequence)
    colors = _site_colors(list(sites.motif) or ["-"])
    top = ax.get_ylim()[1]
    labels = []
    for motif, s, e, strand in zip(one.motif, one.start, one.end, one.strand):
        if e <= start or s >= end:
            continue
        if outline:
            ax.axvspan(s - 0.5, e - 0.5, fill=False, edgecolor=colors.get(motif, "C0"), lw=1.5, zorder=3)
        else:
            ax.axvspan(s - 0.5, e - 0.5, color=colors.get(motif, "C0"), alpha=0.15, lw=0, zorder=0)
        labels.append(((s + e - 1) / 2, f"{motif} ({'+' if strand > 0 else '-'})", colors.get(motif, "C0")))
    if not label:
        return 0
    return _stacked_labels(ax, labels, top, (start - 0.5, end - 0.5), offset=1.0)


_LABEL_FONTSIZE = 7
_ROW_POINTS = 9.0  # vertical distance between label rows, in points


def _stacked_labels(ax, labels, y: float, xspan: tuple, offset: float = 0.0, zorder: int = 4) -> int:
    """Write ``(x, text, color)`` labels centred at ``x`` just above height ``y``,
    moving a label up one row (``_ROW_POINTS``) whenever it would collide with a
    label already placed in the lower rows. Widths are estimated from the axes'
    current size in points (with a 30% margin, as ``tight_layout`` may shrink the
    axes later) over the data span ``xspan``. Returns the number of rows used.
    """
    if not labels:
        return 0
    fig = ax.figure
    width_pt = max(ax.get_position().width * fig.get_figwidth() * 72.0, 1.0)
    data_per_pt = (xspan[1] - xspan[0]) / width_pt
    char_pt = 0.62 * _LABEL_FONTSIZE  # DejaVu Sans: about 0.6 em per character
    right_edges: list = []  # per row, the right edge of its last label (data units)
    for x, text, color in sorted(labels, key=lambda item: item[0]):
        half = 0.5 * 1.3 * len(text) * char_pt * data_per_pt
        row = next((r for r, edge in enumerate(right_edges) if edge <= x - half), len(right_edges))
        if row == len(right_edges):
            right_edges.append(x + half)
        else:
            right_edges[row] = x + half
        ax.annotate(text, (x, y), xytext=(0, offset + row * _ROW_POINTS), textcoords="offset points",
                    ha="center", va="bottom", fontsize=_LABEL_FONTSIZE, color=color, zorder=zorder,
                    annotation_clip=False)
    return len(right_edges)


def _one_sequence(matrix, name: str, start: int, end: int | None):
    """``matrix`` as a finite float (length, 4) array and the window's end, checked."""
    matrix = check_array(matrix, name)
    if matrix.ndim != 2 or matrix.shape[1] != 4:
        raise ValueError(f"{name} must have shape (length, 4) (one sequence); received {matrix.shape}")
    start = check_int(start, "start")
    end = matrix.shape[0] if end is None else check_int(end, "end")
    if not 0 <= start < end <= matrix.shape[0]:
        raise ValueError(f"start={start}, end={end} must satisfy 0 <= start < end <= {matrix.shape[0]}")
    return matrix, end


def plot_attribution(scores, ax=None, sites=None, sequence: int = 0, start: int = 0,
                     end: int | None = None, title: str | None = None):
    """Attributions of one sequence as a logo: each observed base drawn as a
    letter as tall as its contribution (below the axis when it lowers the
    output), with the true sites shaded.

    Parameters
    ----------
    scores : ndarray, shape=(length, 4)
        Contributions of one sequence (e.g. ``deeplift(model, X)[i]``), zero on
        unobserved bases; a hypothetical-contribution or ISM matrix is drawn as is.
    ax : matplotlib Axes, default current axes
    sites : Sites, optional
        Ground truth of the dataset; ``sequence`` picks this sequence's sites.
    sequence : int, default 0
    start, end : int, default the whole sequence
        The window to draw (logos of more than ~200 bp are slow and unreadable).
    title : str, optional

    Returns
    -------
    ax
    """
    import logomaker
    import pandas as pd

    scores, end = _one_sequence(scores, "scores", start, end)
    sites = _check_sites(sites, required=False)
    sequence = check_int(sequence, "sequence", 0)
    title = _check_title(title)
    ax = _axes(ax)
    df = pd.DataFrame(scores[start:end], columns=list(ALPHABET), index=np.arange(start, end))
    logomaker.Logo(df, ax=ax, color_scheme=BASE_COLORS, flip_below=False)
    ax.axhline(0, color="black", lw=0.5)
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + 0.15 * (hi - lo))
    rows = _shade_sites(ax, sites, sequence, start, end)
    ax.set_xlim(start - 0.5, end - 0.5)
    ax.set_xlabel("position (bp)")
    ax.set_ylabel("contribution")
    if title:
        ax.set_title(title, pad=12 + _ROW_POINTS * max(rows - 1, 0))
    return ax


def plot_ism_heatmap(delta, ax=None, X=None, sites=None, sequence: int = 0, start: int = 0,
                     end: int | None = None, title: str | None = None):
    """In-silico mutagenesis of one sequence as a 4 x length heatmap: the change
    in output when each position is mutated to each base (blue: the output
    drops, red: it rises). Observed bases (which have 0 by definition) are
    marked with a dot when ``X`` is given.

    Parameters
    ----------
    delta : ndarray, shape=(length, 4) (``ism(model, X).delta[i]``)
    X : ndarray, shape=(length, 4), optional (the sequence, to mark observed bases)
    sites, sequence, start, end, title : as in :func:`plot_attribution`
    """
    delta, end = _one_sequence(delta, "delta", start, end)
    sites = _check_sites(sites, required=False)
    sequence = check_int(sequence, "sequence", 0)
    title = _check_title(title)
    if X is not None:
        X = check_one_hot(X, "X")
        if X.shape[:2] != (1, delta.shape[0]):
            raise ValueError(f"X must be the one sequence of delta, shape ({delta.shape[0]}, 4); "
                             f"received {X.shape[1:] if len(X) == 1 else X.shape}")
    ax = _axes(ax)
    d = delta[start:end].T
    vmax = float(np.abs(d).max()) or 1.0
    image = ax.imshow(d, aspect="auto", cmap="RdBu_r", vmin=-vmax, vmax=vmax, interpolation="nearest",
                      extent=(start - 0.5, end - 0.5, 3.5, -0.5))
    if X is not None:
        X = X[0]
        pos, base = np.nonzero(X[start:end] == 1)
        ax.scatter(pos + start, base, s=3, color="black", marker="o", lw=0)
    ax.set_yticks(range(4), list(ALPHABET))
    ax.set_xlabel("position (bp)")
    ax.figure.colorbar(image, ax=ax, pad=0.01, fraction=0.03, label="mutant - wild type")
    _shade_sites(ax, sites, sequence, start, end, label=False, outline=True)
    if title:
        ax.set_title(title)
    return ax


def site_window(sites, sequence: int, seq_length: int, width: int = 100) -> tuple:
    """(start, end) of a window of at least ``width`` bp centred on the sites of
    one sequence (the middle of the sequence when it has none): what to draw as a logo."""
    sites = _check_sites(sites, required=False)
    sequence = check_int(sequence, "sequence", 0)
    seq_length = check_int(seq_length, "seq_length", 1)
    width = check_int(width, "width", 1)
    one = sites.of_sequence(sequence) if sites is not None else None
    width = min(int(width), seq_length)
    if one is None or not len(one):
        lo = hi = seq_length // 2
    else:
        lo, hi = int(one.start.min()), int(one.end.max())
    width = min(max(width, hi - lo + 20), seq_length)
    start = int(np.clip((lo + hi) // 2 - width // 2, 0, seq_length - width))
    return start, start + width
