"""The multi-modal explorer of notebook 08: one sequence, its motif sites, each
cell type's accessibility track and the models' predictions per cell type.

Predictions are computed once (:func:`predict_cell_types`) and passed in, so the
panel redraws instantly and is testable without TensorFlow.
"""
from __future__ import annotations

import html
from typing import Mapping

import numpy as np

from ._validation import check_int


def _check_data(data):
    from .simulations_extra import CellTypeDataset

    if not isinstance(data, CellTypeDataset):
        raise TypeError("data must be a CellTypeDataset (from simulations_extra.simulate_cell_type_binding); "
                        f"received {type(data).__name__}")
    return data


def _check_predictions(predictions, data) -> dict:
    predictions = dict(predictions or {})
    shape = data.y.shape
    for name, p in predictions.items():
        p = np.asarray(p, dtype=float)
        if p.shape != shape:
            raise ValueError(f"predictions[{name!r}] must have shape {shape} (sequences, cell types); "
                             f"received {p.shape}")
        predictions[name] = p
    return predictions


def predict_cell_types(model, data, uses_track: bool | None = None, batch_size: int = 1024) -> np.ndarray:
    """A model's predicted probability for every (sequence, cell type) pair.

    Parameters
    ----------
    model : keras.Model
        Either sequence-only (one input of shape (L, 4)) or two-input (sequence,
        then a track of shape (L, 1)), with one sigmoid output.
    data : CellTypeDataset
    uses_track : bool or None, default None (= the model has two inputs)
    batch_size : int, default 1024

    Returns
    -------
    ndarray, shape=(n, cell_types), float32
        A sequence-only model gives the same number in every cell type.
    """
    from .simulations_extra import stack_cell_types

    data = _check_data(data)
    batch_size = check_int(batch_size, "batch_size", 1)
    if uses_track is None:
        uses_track = len(model.inputs) > 1
    ex = stack_cell_types(data)
    parts = []
    for i in range(0, len(ex.y), batch_size):
        sl = slice(i, i + batch_size)
        x = [ex.X[sl], ex.accessibility[sl]] if uses_track else ex.X[sl]
        parts.append(np.asarray(model.predict_on_batch(x), dtype=np.float32).reshape(-1))
    return np.concatenate(parts).reshape(data.y.shape)


def describe_sequence(data, index: int, predictions: Mapping[str, np.ndarray] | None = None) -> str:
    """One line per cell type: bound or not, and each model's probability."""
    data = _check_data(data)
    index = check_int(index, "index", 0, len(data) - 1)
    predictions = _check_predictions(predictions, data)
    sites = data.sites.of_sequence(index)
    where = ", ".join(f"{m} {s}-{e}" for m, s, e in zip(sites.motif, sites.start, sites.end)) or "no motif site"
    lines = [f"sequence {index}: {where}"]
    for c, name in enumerate(data.cell_types):
        bound = "bound" if data.y[index, c] else "not bound"
        preds = "; ".join(f"{m}: {p[index, c]:.2f}" for m, p in predictions.items())
        lines.append(f"{name}: {bound}" + (f" | {preds}" if preds else ""))
    return "\n".join(lines)


def plot_multimodal_example(data, index: int, predictions: Mapping[str, np.ndarray] | None = None,
                            axes=None):
    """Draw one sequence: its motif sites, then one accessibility panel per cell type.

    Each panel shows the noisy track, the accessible positions (shaded), the
    motif site(s) (outlined) and, in the title, the truth and every model's prediction.

    Parameters
    ----------
    data : CellTypeDataset
    index : int
    predictions : dict of name -> ndarray, shape=(n, cell_types), optional
    axes : sequence of 1 + cell_types matplotlib Axes, optional

    Returns
    -------
    list of Axes
    """
    import matplotlib.pyplot as plt

    data = _check_data(data)
    index = check_int(index, "index", 0, len(data) - 1)
    predictions = _check_predictions(predictions, data)
    k, L = data.y.shape[1], data.seq_length
    if axes is None:
        _, axes = plt.subplots(k + 1, 1, figsize=(9, 1.0 + 1.3 * k), sharex=True,
                               gridspec_kw={"height_ratios": [0.5] + [1] * k})
    axes = list(np.ravel(axes))
    if len(axes) != k + 1:
        raise ValueError(f"axes must hold {k + 1} Axes (sites + one per cell type); received {len(axes)}")
    sites = data.sites.of_sequence(index)
    ax = axes[0]
    ax.set_xlim(0, L)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    for m, s, e, st in zip(sites.motif, sites.start, sites.end, sites.strand):
        ax.axvspan(s, e, color="#D62839", alpha=0.6)
        ax.text((s + e) / 2, 0.5, f"{m} ({'+' if st > 0 else '-'})", ha="center", va="center", fontsize=8)
    ax.set_title(f"sequence {index}: " + ("motif site" if len(sites) else "no motif site"), fontsize=9,
                 loc="left")
    x = np.arange(L)
    for c, name in enumerate(data.cell_types):
        ax = axes[c + 1]
        ax.fill_between(x, 0, 1.2, where=data.accessible[index, :, c], color="#F7B32B", alpha=0.25,
                        step="mid", label="accessible")
        ax.plot(x, data.accessibility[index, :, c], color="#255C99", lw=1)
        for s, e in zip(sites.start, sites.end):
            ax.axvspan(s, e, fill=False, edgecolor="#D62839", lw=1.5)
        ax.set_ylim(0, max(1.3, float(data.accessibility[index, :, c].max()) + 0.1))
        ax.set_ylabel("access.", fontsize=8)
        preds = ", ".join(f"{m} {p[index, c]:.2f}" for m, p in predictions.items())
        ax.set_title(f"{name}: {'BOUND' if data.y[index, c] else 'not bound'}"
                     + (f"  |  predicted: {preds}" if preds else ""), fontsize=9, loc="left")
    axes[-1].set_xlabel("position (bp)")
    return axes


def multimodal_explorer(data, predictions: Mapping[str, np.ndarray] | None = None, index: int = 0):
    """Pick a sequence and see its sites, each cell type's track and the models' predictions.

    Parameters
    ----------
    data : CellTypeDataset
    predictions : dict of name -> ndarray, shape=(n, cell_types), optional
        E.g. ``{"sequence only": ..., "sequence + accessibility": ...}`` from
        :func:`predict_cell_types`.
    index : int, default 0
        The sequence shown first.

    Returns
    -------
    ipywidgets.VBox
        Class ``dragonn-multimodal-explorer``, with ``.controls`` (the sequence
        slider and a "only cell-type-specific" checkbox) and ``.message``.
    """
    import ipywidgets as w

    from .widgets import _figure

    data = _check_data(data)
    predictions = _check_predictions(predictions, data)
    index = check_int(index, "index", 0, len(data) - 1)
    specific = np.nonzero(data.y.max(axis=1) != data.y.min(axis=1))[0]
    slider = w.IntSlider(value=index, min=0, max=len(data) - 1, description="sequence",
                         continuous_update=False)
    slider.add_class("dragonn-multimodal-index")
    jump = w.Button(description="next cell-type-specific", tooltip="bound in some cell types only")
    jump.add_class("dragonn-multimodal-next")
    message = w.HTML()
    message.add_class("dragonn-multimodal-message")
    output = w.Output()

    def update(change=None):
        i = slider.value
        message.value = "<pre>" + html.escape(describe_sequence(data, i, predictions)) + "</pre>"

        def draw(figsize):
            import matplotlib.pyplot as plt

            k = data.y.shape[1]
            fig, axes = plt.subplots(k + 1, 1, figsize=figsize, sharex=True,
                                     gridspec_kw={"height_ratios": [0.5] + [1] * k})
            plot_multimodal_example(data, i, predictions, axes=axes)
            fig.tight_layout()
            return fig

        _figure(output, draw, (9, 1.0 + 1.3 * data.y.shape[1]))

    def next_specific(_=None):
        later = specific[specific > slider.value]
        if len(specific):
            slider.value = int(later[0] if len(later) else specific[0])

    slider.observe(update, names="value")
    jump.on_click(next_specific)
    update()
    box = w.VBox([w.HBox([slider, jump]), message, output])
    box.add_class("dragonn-multimodal-explorer")
    box.controls, box.message = {"index": slider, "next": jump}, message
    return box
