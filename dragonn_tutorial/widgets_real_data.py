"""Notebook 09's panel: one real sequence's contribution logo with the TF-MoDISco
pattern hits marked, and the static figure drawn beside it."""
from __future__ import annotations

import html

import numpy as np

PATTERN_COLOURS = ("#f4a582", "#92c5de", "#b8e186", "#c2a5cf", "#fdb863", "#80cdc1")


def _colour(name: str, names: list) -> str:
    return PATTERN_COLOURS[names.index(name) % len(PATTERN_COLOURS)] if name in names else "#dddddd"


def draw_contribution_panel(contributions, index: int, hits=None, names=None, window=None,
                            pattern_names=None, figsize=(11, 3.2)):
    """Figure: the contribution logo of sequence ``index`` with its pattern hits shaded.

    Parameters
    ----------
    contributions : ndarray, shape=(n, length, 4)
        Actual contributions (hypothetical x one-hot).
    index : int
    hits : list (per sequence) of lists of (pattern, start, end, strand), optional
        From :func:`dragonn_tutorial.discovery.pattern_hits`.
    names : list of str, optional
        Sequence names for the title.
    window : (start, end) or None
        The part of the sequence to draw; None = all of it.
    pattern_names : list of str, optional
        Fixes each pattern's colour across sequences.
    """
    import logomaker
    import matplotlib.pyplot as plt
    import pandas as pd
    from matplotlib.patches import Patch

    contributions = np.asarray(contributions)
    if contributions.ndim != 3 or contributions.shape[2] != 4:
        raise ValueError(f"contributions must have shape (n, length, 4); received {contributions.shape}")
    if not 0 <= index < len(contributions):
        raise ValueError(f"index must be in 0..{len(contributions) - 1}; received {index}")
    scores = contributions[index]
    start, end = window if window is not None else (0, len(scores))
    mine = [h for h in (hits[index] if hits is not None else []) if h[2] > start and h[1] < end]
    pattern_names = list(pattern_names or sorted({h[0] for h in mine}))
    fig, ax = plt.subplots(figsize=figsize)
    frame = pd.DataFrame(scores[start:end], columns=list("ACGT"), index=np.arange(start, end))
    logomaker.Logo(frame, ax=ax, color_scheme="classic")
    for name, s, e, strand in mine:
        ax.axvspan(s - 0.5, e - 0.5, color=_colour(name, pattern_names), alpha=0.35, zorder=0)
        ax.text((s + e) / 2, ax.get_ylim()[1], f"{name} ({strand})", ha="center", va="bottom", fontsize=8)
    ax.axhline(0, color="black", lw=0.5)
    ax.set_xlabel("position (bp)")
    ax.set_ylabel("DeepLIFT contribution")
    label = names[index] if names is not None else f"sequence {index}"
    ax.set_title(f"{label}: total {scores.sum():+.2f}", pad=14)
    if mine:
        seen = dict.fromkeys(h[0] for h in mine)
        ax.legend(handles=[Patch(color=_colour(n, pattern_names), alpha=0.5, label=n) for n in seen],
                  loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig


def contribution_explorer(contributions, hits, names=None, predictions=None, pattern_names=None,
                          zoom: int = 80):
    """Pick a sequence: its contribution logo with MoDISco's pattern hits marked.

    Parameters
    ----------
    contributions : ndarray, shape=(n, length, 4)
    hits : list (per sequence) of lists of (pattern, start, end, strand)
    names : list of str, optional
    predictions : ndarray, shape=(n,), optional (shown in the message line)
    pattern_names : list of str, optional (colour order)
    zoom : int, default 80
        Width (bp) of the window drawn when "zoom on the first hit" is ticked.

    Returns
    -------
    ipywidgets.VBox with CSS class ``dragonn-contribution-explorer``; its message line
    (class ``dragonn-contribution-message``) names the sequence and its hits.
    """
    import ipywidgets as w

    from .widgets import _figure

    contributions = np.asarray(contributions)
    if contributions.ndim != 3 or contributions.shape[2] != 4:
        raise ValueError(f"contributions must have shape (n, length, 4); received {contributions.shape}")
    n, length = contributions.shape[:2]
    if len(hits) != n:
        raise ValueError(f"hits must have one entry per sequence ({n}); received {len(hits)}")
    with_hits = [i for i in range(n) if hits[i]]
    only = w.Checkbox(value=bool(with_hits), description="only sequences with a pattern hit")
    index = w.IntSlider(value=0, min=0, max=max(len(with_hits) if with_hits else n, 1) - 1,
                        description="sequence", continuous_update=False)
    index.add_class("dragonn-contribution-index")
    zoomed = w.Checkbox(value=True, description=f"zoom on the first hit ({zoom} bp)")
    message = w.HTML()
    message.add_class("dragonn-contribution-message")
    output = w.Output()

    def rows():
        return with_hits if (only.value and with_hits) else list(range(n))

    def update(change=None):
        choices = rows()
        index.max = len(choices) - 1
        row = choices[min(index.value, len(choices) - 1)]
        mine = hits[row]
        window = None
        if zoomed.value and mine:
            centre = (mine[0][1] + mine[0][2]) // 2
            lo = int(np.clip(centre - zoom // 2, 0, max(length - zoom, 0)))
            window = (lo, min(lo + zoom, length))
        label = names[row] if names is not None else f"sequence {row}"
        parts = [f"{p} {s}-{e} ({st})" for p, s, e, st in mine]
        score = f" &nbsp; prediction {float(predictions[row]):.3f}" if predictions is not None else ""
        message.value = (f"<code>#{row} {html.escape(label)}{score} &nbsp; hits: "
                         f"{html.escape('; '.join(parts)) or 'none'}</code>")
        _figure(output, lambda fs: draw_contribution_panel(contributions, row, hits, names, window,
                                                           pattern_names), None)

    for control in (only, index, zoomed):
        control.observe(update, names="value")
    update()
    box = w.VBox([w.HBox([index, only]), zoomed, message, output])
    box.add_class("dragonn-contribution-explorer")
    return box
