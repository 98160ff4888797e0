"""The June 2016 DragoNN workshop's ``tutorial_utils`` API, as thin wrappers.

The workshop's cells run unchanged::

    from dragonn_tutorial.workshop import (
        get_available_simulations, print_available_simulations,
        get_simulation_function, print_simulation_info,
        get_simulation_data, inspect_SequenceDNN, get_SequenceDNN,
        train_SequenceDNN, SequenceDNN_learning_curve, test_SequenceDNN,
        interpret_SequenceDNN_filter_centric,
        interpret_SequenceDNN_sequence_centric,
        interpret_SequenceDNN_distributed)

    simulation_data = get_simulation_data("simulate_heterodimer_grammar", params)
    cnn = get_SequenceDNN({'seq_length': 500, 'num_filters': 15, 'conv_width': 25, 'pool_width': 35})
    train_SequenceDNN(cnn, simulation_data)
    SequenceDNN_learning_curve(cnn)
    test_SequenceDNN(cnn, simulation_data)

Differences from 2016: sequences are (n, length, 4) arrays and models are Keras 3
models. The architecture is the 2016 one: max pooling with "valid" padding (13
windows of 35 for 500 bp), flattened into the output layer. ``'global_pool': 'max'``
(without ``pool_width``) or ``'mean'`` swaps in a position-invariant head (see
``models.build_cnn``).
"""
from __future__ import annotations

import weakref

import numpy as np

from ._validation import missing_name_error
from .simulations import (get_available_simulations, get_simulation_data,  # noqa: F401 (re-exported)
                          get_simulation_function, print_available_simulations, print_simulation_info)

__all__ = [
    "get_available_simulations", "print_available_simulations", "get_simulation_function",
    "print_simulation_info", "get_simulation_data", "inspect_SequenceDNN", "get_SequenceDNN",
    "train_SequenceDNN", "SequenceDNN_learning_curve", "test_SequenceDNN",
    "interpret_SequenceDNN_filter_centric", "interpret_SequenceDNN_sequence_centric",
    "interpret_SequenceDNN_distributed",
]

_PARAMETERS = ("seq_length", "num_tasks", "use_deep_CNN", "num_filters", "conv_width",
               "num_filters_2", "conv_width_2", "num_filters_3", "conv_width_3", "pool_width",
               "dropout", "L1", "L2", "verbose", "global_pool", "learning_rate")
_HISTORIES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_VERBOSE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def get_SequenceDNN(parameters: dict):
    """A Keras CNN from the workshop's parameter dict.

    Keys: ``seq_length`` (required), ``num_filters`` (15), ``conv_width`` (25
    shallow, 15 deep), ``pool_width`` (35), ``use_deep_CNN`` (False; then also
    ``num_filters_2/3``, ``conv_width_2/3``), ``dropout`` (0), ``L1`` (0),
    ``L2`` (0), ``num_tasks`` (1), ``verbose`` (1), ``global_pool`` (False: the 2016
    flatten head after "valid" pooling), ``learning_rate`` (1e-3).
    """
    from .models import build_cnn

    if not isinstance(parameters, dict):
        raise ValueError(f"parameters must be a dict like {{'seq_length': 500, 'num_filters': 15}}; "
                         f"received {type(parameters).__name__}")
    for key in parameters:
        if key not in _PARAMETERS:
            raise missing_name_error("SequenceDNN parameter", key, _PARAMETERS)
    if "seq_length" not in parameters:
        raise ValueError("parameters must include 'seq_length'")
    p = dict(parameters)
    deep = bool(p.get("use_deep_CNN", False))
    if deep:
        filters = (p.get("num_filters", 15), p.get("num_filters_2", 15), p.get("num_filters_3", 15))
        widths = (p.get("conv_width", 15), p.get("conv_width_2", 15), p.get("conv_width_3", 15))
    else:
        filters, widths = (p.get("num_filters", 15),), (p.get("conv_width", 25),)
    global_pool = p.get("global_pool", False)
    pool_width = p.get("pool_width", None if global_pool in (True, "max") else 35)
    model = build_cnn(p["seq_length"], num_filters=filters, conv_width=widths,
                      pool_width=pool_width, pool_padding="valid", dropout=p.get("dropout", 0.0),
                      l1=p.get("L1", 0.0), l2=p.get("L2", 0.0), num_tasks=p.get("num_tasks", 1),
                      global_pool=global_pool, learning_rate=p.get("learning_rate", 1e-3),
                      name="deep_cnn" if deep else "shallow_cnn")
    _VERBOSE[model] = int(p.get("verbose", 1))
    return model


def inspect_SequenceDNN(model):
    """Print the model's layers with output shapes and parameter counts; return the table."""
    from .models import parameter_table

    table = parameter_table(model)
    print(table.drop(index="total").to_string())
    print(f"total parameters: {int(table.loc['total', 'parameters']):,}")
    return table


def train_SequenceDNN(model, simulation_data, **kwargs):
    """Train with early stopping (``training.train``); the history is kept for
    ``SequenceDNN_learning_curve``. Extra keyword arguments go to ``train``."""
    from .training import train

    kwargs.setdefault("verbose", _VERBOSE.get(model, 1))
    history = train(model, simulation_data, **kwargs)
    _HISTORIES[model] = history
    return history


def SequenceDNN_learning_curve(model, ax=None):
    """Training and validation loss of the last ``train_SequenceDNN`` call."""
    from .training import plot_learning_curve

    if model not in _HISTORIES:
        raise ValueError("this model has not been trained with train_SequenceDNN yet")
    return plot_learning_curve(_HISTORIES[model], ax=ax)


def test_SequenceDNN(model, simulation_data):
    """Print and return the test-set ``ClassificationResult``."""
    from .training import evaluate

    result = evaluate(model, simulation_data.X_test, simulation_data.y_test,
                      task_names=simulation_data.task_names)
    print("Test performance:")
    print(result)
    return result


def interpret_SequenceDNN_filter_centric(model, simulation_data, max_filters: int = 15):
    """Model-centred view: the simulation's motifs, then each first-layer filter as a
    logo with the known motif it resembles most. Returns the match table."""
    import matplotlib.pyplot as plt

    from . import plotting
    from .interpret import _centered, filter_weights, match_filters_to_motifs

    names = list(simulation_data.motif_names)
    fig, axes = plt.subplots(1, len(names), figsize=(4.5 * len(names), 1.8), squeeze=False)
    for ax, name in zip(axes[0], names):
        plotting.plot_logo(name, ax=ax, title=f"simulated motif {name}")
    fig.tight_layout()
    plt.show()
    weights = filter_weights(model)[:max_filters]
    matches = match_filters_to_motifs(model, names)
    cols = 3
    rows = int(np.ceil(len(weights) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(13, 1.7 * rows), squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        if i >= len(weights):
            ax.axis("off")
            continue
        plotting.plot_logo(_centered(weights[i]), kind="weights", ax=ax)
        m = matches.iloc[i]
        label = getattr(m, "match", m.motif)  # "no match" when r does not beat the shuffled-filter null
        null = f", null {m.null_correlation:.2f}" if "null_correlation" in m else ""
        ax.set_title(f"filter {i + 1}: {label} (r = {m.correlation:.2f}{null}, {m.strand})", fontsize=9)
        ax.set_xlabel("")
    fig.tight_layout()
    plt.show()
    return matches


def interpret_SequenceDNN_sequence_centric(model, simulation_data, index: int | None = None):
    """Sequence-centred view of one test positive: first-layer scores before ReLU,
    after ReLU and after max pooling (heatmaps, filters x positions, each with a
    labelled colour bar), with the true sites beneath. Returns the activations."""
    import matplotlib.pyplot as plt

    from . import plotting
    from .interpret import layer_outputs

    X, y = simulation_data.X_test, simulation_data.y_test
    if index is None:
        index = int(np.flatnonzero(y[:, 0] > 0)[0])
    names = [n for n in ("conv_1", "relu_1", "pool") if n in [layer.name for layer in model.layers]]
    acts = layer_outputs(model, X[index:index + 1], names)
    length = X.shape[1]
    titles = {"conv_1": "filters, pre-ReLU", "relu_1": "filters, post-ReLU", "pool": "filters, post max pooling"}
    titles = {k: v for k, v in titles.items() if k in acts}
    bar_labels = {"conv_1": "score (pre-ReLU)", "relu_1": "activation", "pool": "max-pooled activation"}
    fig, axes = plt.subplots(len(titles) + 1, 1, figsize=(11, 7), sharex=False,
                             gridspec_kw={"height_ratios": [2] * len(titles) + [1.2]})
    for ax, (name, title) in zip(axes, titles.items()):
        a = acts[name][0].T  # (filters, positions)
        step = length / a.shape[1] if name == "pool" else 1
        image = ax.imshow(a, aspect="auto", cmap="RdBu_r" if name == "conv_1" else "Reds",
                          extent=(0, a.shape[1] * step, a.shape[0] + 0.5, 0.5), interpolation="nearest",
                          vmin=-np.abs(a).max() if name == "conv_1" else 0, vmax=np.abs(a).max() or 1.0)
        ax.set(ylabel="filter", title=title, xlim=(0, length))
        # The colour bar sits just outside the right edge (an inset), so the heatmaps
        # keep the width of the sites track below and positions line up.
        fig.colorbar(image, cax=ax.inset_axes([1.01, 0.0, 0.015, 1.0]), label=bar_labels[name])
    plotting.plot_sequence_sites(simulation_data.sites_test, length, sequence=index, ax=axes[-1],
                                 title=f"test sequence {index}: true sites")
    fig.tight_layout()
    plt.show()
    return acts


def interpret_SequenceDNN_distributed(model, simulation_data, num_examples: int = 2, n_references: int = 20,
                                      random_state=0):
    """Integrative view of test positives: DeepLIFT contributions (20 dinucleotide-
    shuffled references) as a logo, the ISM heatmap of the same window, and the
    DeepLIFT track along the whole sequence, each with the true sites.

    Returns dict with ``indices`` (test rows shown), ``deeplift`` (n, length, 4)
    and ``ism`` (an ``interpret.ISMResult``) for those rows.
    """
    import matplotlib.pyplot as plt

    from . import interpret, plotting

    X, y, sites = simulation_data.X_test, simulation_data.y_test, simulation_data.sites_test
    with_sites = np.unique(sites.sequence)
    indices = [int(i) for i in with_sites if y[i].max() > 0][:num_examples]
    if not indices:
        raise ValueError("the test set has no positive with embedded sites to explain")
    contributions = interpret.deeplift(model, X[indices], "shuffle", n_references, random_state=random_state)
    mutagenesis = interpret.ism(model, X[indices])
    length = X.shape[1]
    for k, index in enumerate(indices):
        start, end = plotting.site_window(sites, index, length, 100)
        fig, axes = plt.subplots(3, 1, figsize=(12, 6.5), gridspec_kw={"height_ratios": [2, 1.3, 1.6]})
        plotting.plot_attribution(contributions[k], ax=axes[0], sites=sites, sequence=index, start=start,
                                  end=end, title=f"test sequence {index}: DeepLIFT contributions "
                                                 f"(bp {start}-{end})")
        plotting.plot_ism_heatmap(mutagenesis.delta[k], ax=axes[1], X=X[index], sites=sites, sequence=index,
                                  start=start, end=end, title="in-silico mutagenesis (logit change)")
        plotting.plot_sequence_sites(sites, length, sequence=index, track=contributions[k].sum(-1), ax=axes[2],
                                     title="DeepLIFT along the whole sequence, true sites beneath")
        fig.tight_layout()
        plt.show()
    return {"indices": indices, "deeplift": contributions, "ism": mutagenesis}
