"""Interactive panels for the notebooks (ipywidgets 8).

Each panel is a small ``VBox`` with a CSS class (``dragonn-<name>``) so the
browser test can find it, draws into an ``Output`` widget, and shows bad
input as a message inside the panel instead of a traceback. Every notebook
puts a static figure of the default settings beside each panel for readers
without a kernel.
"""
from __future__ import annotations

import html

import numpy as np

from . import plotting
from .sequences import one_hot_encode, reverse_complement


def _figure(output, draw, figsize):
    import matplotlib.pyplot as plt
    from IPython.display import display

    with output:
        output.clear_output(wait=True)
        fig = draw(figsize)
        display(fig)
        plt.close(fig)


def draw_one_hot_panel(sequence: str, figsize=(8, 2.6)):
    """Figure: the one-hot matrices of a sequence and of its reverse complement."""
    import matplotlib.pyplot as plt

    X = one_hot_encode(sequence)
    fig, axes = plt.subplots(2, 1, figsize=figsize, sharex=True)
    plotting.plot_one_hot(X[0], ax=axes[0], title=f"5'-{sequence.upper()}-3'")
    plotting.plot_one_hot(reverse_complement(X)[0], ax=axes[1],
                          title=f"reverse complement 5'-{reverse_complement(sequence.upper())}-3'")
    fig.tight_layout()
    return fig


def sequence_explorer(sequence: str = "GGATAACGATAT", max_length: int = 60):
    """Type DNA and see its one-hot matrix and reverse complement update.

    Returns an ipywidgets ``VBox`` (class ``dragonn-sequence-explorer``).
    """
    import ipywidgets as w

    text = w.Text(value=sequence, description="DNA:", continuous_update=True,
                  layout=w.Layout(width="95%"))
    text.add_class("dragonn-sequence-input")
    message = w.HTML()
    message.add_class("dragonn-sequence-message")
    output = w.Output()

    def update(change=None):
        seq = text.value.strip()
        if not seq:
            message.value = "<span style='color:#a00'>Type a DNA sequence (A, C, G, T, N).</span>"
            return
        if len(seq) > max_length:
            message.value = (f"<span style='color:#a00'>Keep it to {max_length} bases for the picture "
                             f"(received {len(seq)}).</span>")
            return
        try:
            X = one_hot_encode(seq)
        except ValueError as exc:
            message.value = f"<span style='color:#a00'>{html.escape(str(exc))}</span>"
            return
        gc = X[0, :, 1:3].sum() / max(X.sum(), 1)
        message.value = (f"<code>{len(seq)} bp, GC {gc:.0%}; reverse complement: "
                         f"{html.escape(reverse_complement(seq.upper()))}</code>")
        _figure(output, lambda fs: draw_one_hot_panel(seq, (max(6, 0.25 * len(seq) + 1.5), 2.6)), None)

    text.observe(update, names="value")
    update()
    box = w.VBox([text, message, output])
    box.add_class("dragonn-sequence-explorer")
    return box


# ----------------------------------------------------------------- simulation explorer

def simulation_summary(data) -> dict:
    """Numbers worth knowing about a simulated Dataset (class balance, sites, GC)."""
    from .sequences import gc_content

    per_seq = np.bincount(data.sites.sequence, minlength=len(data)) if len(data) else np.zeros(0)
    return {
        "sequences": len(data),
        "positives (task 0)": int(data.y[:, 0].sum()),
        "sites per sequence": float(per_seq.mean()) if len(per_seq) else 0.0,
        "mean GC": float(np.nanmean(gc_content(data.X))),
        "fraction of bases in sites": float(data.truth_mask().mean()),
    }


def draw_simulation_examples(data, n_examples: int = 4, figsize=(9, 4.5)):
    """Figure: a few sequences of a Dataset (positives first) with their sites."""
    import matplotlib.pyplot as plt

    pos = np.nonzero(data.y[:, 0] > 0)[0][: (n_examples + 1) // 2]
    neg = np.nonzero(data.y[:, 0] == 0)[0][: n_examples // 2]
    rows = list(pos) + list(neg)
    fig, axes = plt.subplots(len(rows), 1, figsize=figsize, sharex=True, squeeze=False)
    for ax, i in zip(axes[:, 0], rows):
        label = ", ".join(f"{t}={int(v)}" for t, v in zip(data.task_names, data.y[i]))
        plotting.plot_sequence_sites(data.sites, data.seq_length, sequence=int(i), ax=ax)
        ax.set_title(f"sequence {i} ({label})", fontsize=9, loc="left")
        ax.set_xlabel("")
    axes[-1, 0].set_xlabel("position (bp)")
    fig.tight_layout()
    return fig


_SIM_CONTROLS = {
    "simulate_single_motif_detection": ["seq_length", "GC_fraction"],
    "simulate_motif_counting": ["seq_length", "GC_fraction", "pos_counts", "neg_counts"],
    "simulate_motif_density_localization": ["seq_length", "GC_fraction", "center_size", "motif_counts"],
    "simulate_multi_motif_embedding": ["seq_length", "GC_fraction", "num_motifs"],
    "simulate_differential_accessibility": ["seq_length", "GC_fraction", "num_motifs"],
    "simulate_heterodimer_grammar": ["seq_length", "GC_fraction", "spacing"],
}


def simulation_explorer(name: str = "simulate_heterodimer_grammar", n: int = 200, random_state: int = 0):
    """Choose a simulation, move its sliders, see example sequences and statistics.

    ``n`` sequences are simulated per change (fast: a few milliseconds).
    Returns an ipywidgets ``VBox`` (class ``dragonn-simulation-explorer``).
    """
    import ipywidgets as w

    from .simulations import SIMULATIONS, simulate

    style = {"description_width": "110px"}
    sim = w.Dropdown(options=list(SIMULATIONS), value=name, description="simulation", style=style,
                     layout=w.Layout(width="420px"))
    sliders = {
        "seq_length": w.IntSlider(value=500, min=100, max=1000, step=50, description="seq_length", style=style),
        "GC_fraction": w.FloatSlider(value=0.4, min=0.0, max=1.0, step=0.05, description="GC_fraction", style=style),
        "spacing": w.IntRangeSlider(value=(2, 5), min=0, max=30, description="spacing", style=style),
        "pos_counts": w.IntRangeSlider(value=(5, 10), min=0, max=15, description="pos_counts", style=style),
        "neg_counts": w.IntRangeSlider(value=(1, 2), min=0, max=15, description="neg_counts", style=style),
        "center_size": w.IntSlider(value=150, min=20, max=500, step=10, description="center_size", style=style),
        "motif_counts": w.IntRangeSlider(value=(2, 4), min=0, max=8, description="motif_counts", style=style),
        "num_motifs": w.IntRangeSlider(value=(0, 3), min=0, max=3, description="num_motifs", style=style),
    }
    message = w.HTML()
    message.add_class("dragonn-simulation-message")
    output = w.Output()
    controls = w.VBox()

    def params():
        kind, p = sim.value, {}
        s = sliders
        p["seq_length"], p["GC_fraction"] = s["seq_length"].value, s["GC_fraction"].value
        if kind == "simulate_heterodimer_grammar":
            p["min_spacing"], p["max_spacing"] = s["spacing"].value
        if kind == "simulate_motif_counting":
            p["pos_counts"], p["neg_counts"] = s["pos_counts"].value, s["neg_counts"].value
        if kind == "simulate_motif_density_localization":
            p["center_size"] = s["center_size"].value
            p["min_motif_counts"], p["max_motif_counts"] = s["motif_counts"].value
        if kind in ("simulate_multi_motif_embedding", "simulate_differential_accessibility"):
            lo, hi = s["num_motifs"].value
            if kind == "simulate_differential_accessibility":
                lo, hi = min(lo, 1), min(hi, 1)
            p["min_num_motifs"], p["max_num_motifs"] = lo, hi
        if kind == "simulate_multi_motif_embedding":
            p["num_seqs"] = n
        else:
            p["num_pos"], p["num_neg"] = n // 2, n - n // 2
        return p

    def update(change=None):
        controls.children = [sliders[k] for k in _SIM_CONTROLS[sim.value]]
        try:
            data = simulate(sim.value, random_state=random_state, **params())
        except (ValueError, KeyError) as exc:
            message.value = f"<span style='color:#a00'>{html.escape(str(exc))}</span>"
            output.clear_output()
            return
        stats = simulation_summary(data)
        rows = "".join(f"<tr><td>{k}</td><td style='text-align:right'>{v:.3g}</td></tr>" for k, v in stats.items())
        message.value = f"<table class='dragonn-simulation-stats'>{rows}</table>"
        _figure(output, lambda fs: draw_simulation_examples(data), None)

    sim.observe(update, names="value")
    for s in sliders.values():
        s.observe(update, names="value")
    update()
    box = w.VBox([sim, controls, message, output])
    box.add_class("dragonn-simulation-explorer")
    return box


# ----------------------------------------------------------------- motif explorer

PSSM_FLOOR = -4.0  # the motif panel's PSSM colour scale runs from PSSM_FLOOR to -PSSM_FLOOR


def draw_motif_panel(name: str, gc_fraction: float = 0.5, figsize=(11, 2.3)):
    """Figure: one motif as probabilities and information content (logos) and its
    PSSM at a GC fraction (a heatmap; colours clipped at ``PSSM_FLOOR``)."""
    import matplotlib.pyplot as plt

    from .motifs import get_motif

    motif = get_motif(name)
    fig, axes = plt.subplots(1, 3, figsize=figsize)
    titles = {"probability": "probabilities (PPM)", "information": "information (bits)",
              "pssm": f"PSSM vs GC {gc_fraction:.0%} (colours clipped at {PSSM_FLOOR:g})"}
    for ax, kind in zip(axes, titles):
        if kind == "pssm":  # as a heatmap: unseen bases score about -10 and, as letters, dwarf the matches
            pssm = motif.pssm(gc_fraction)
            im = ax.imshow(pssm.T, aspect="auto", cmap="RdBu_r", vmin=PSSM_FLOOR, vmax=-PSSM_FLOOR)
            ax.set(yticks=range(4), yticklabels=list("ACGT"), xlabel="position")
            fig.colorbar(im, ax=ax, label="log2 odds", extend="min")
        else:
            plotting.plot_logo(motif, kind=kind, ax=ax, background=gc_fraction)
        ax.set_title(titles[kind], fontsize=10)
    fig.suptitle(f"{motif.name}: consensus {motif.consensus()}, "
                 f"{motif.information_content().sum():.1f} bits", fontsize=10)
    fig.tight_layout()
    return fig


def motif_explorer(name: str = "GATA_disc1", gc_fraction: float = 0.5):
    """Pick a motif of the bundled collection (type to search) and a background
    GC fraction; see its logo three ways. Returns a ``VBox`` (class
    ``dragonn-motif-explorer``)."""
    import ipywidgets as w

    from .motifs import get_motif, list_motifs

    style = {"description_width": "110px"}
    picker = w.Combobox(value=name, options=list_motifs(), ensure_option=False, description="motif",
                        placeholder="type to search, e.g. CTCF", style=style,
                        layout=w.Layout(width="380px"))
    picker.add_class("dragonn-motif-input")
    gc = w.FloatSlider(value=gc_fraction, min=0.05, max=0.95, step=0.05, description="background GC",
                       style=style, readout_format=".2f")
    message = w.HTML()
    message.add_class("dragonn-motif-message")
    output = w.Output()

    def update(change=None):
        try:
            motif = get_motif(picker.value.strip())
        except KeyError as exc:
            message.value = f"<span style='color:#a00'>{html.escape(str(exc).strip(chr(34)))}</span>"
            return
        pssm = motif.pssm(gc.value)
        _figure(output, lambda fs: draw_motif_panel(motif.name, gc.value), None)  # figure first, then text
        message.value = (f"<code>{motif.name}: width {motif.width}, best possible PSSM score "
                         f"{pssm.max(axis=1).sum():.1f}, worst {pssm.min(axis=1).sum():.1f}</code>")

    picker.observe(update, names="value")
    gc.observe(update, names="value")
    update()
    box = w.VBox([w.HBox([picker, gc]), message, output])
    box.add_class("dragonn-motif-explorer")
    return box


# ----------------------------------------------------------------- threshold explorer

def draw_threshold_panel(y_true, y_score, threshold: float, figsize=(10, 3)):
    """Figure: score histograms by class with the threshold, and the confusion matrix there."""
    import matplotlib.pyplot as plt

    from .metrics import plot_confusion_matrix

    y = np.asarray(y_true).ravel().astype(bool)
    s = np.asarray(y_score, dtype=float).ravel()
    fig, axes = plt.subplots(1, 2, figsize=figsize, gridspec_kw={"width_ratios": [1.6, 1]})
    bins = np.linspace(s.min(), s.max(), 50)
    axes[0].hist(s[~y], bins=bins, alpha=0.6, label="negatives", color="#255C99")
    axes[0].hist(s[y], bins=bins, alpha=0.6, label="positives", color="#D62839")
    axes[0].axvline(threshold, color="black", lw=1.5, label=f"threshold {threshold:.2f}")
    axes[0].set(xlabel="score", ylabel="sequences")
    axes[0].legend(fontsize="small")
    plot_confusion_matrix(y, s, threshold, ax=axes[1])
    axes[1].set_xticks(axes[1].get_xticks(), [t.get_text().replace(" ", "\n") for t in axes[1].get_xticklabels()])
    fig.tight_layout()
    return fig


def threshold_explorer(y_true, y_score, threshold: float | None = None):
    """Slide a decision threshold over a classifier's scores; see the confusion
    matrix, precision, recall and FDR change. Returns a ``VBox`` (class
    ``dragonn-threshold-explorer``)."""
    import ipywidgets as w

    from .metrics import threshold_summary

    threshold_summary(y_true, y_score, 0.0)  # validate once, with clear errors
    s = np.asarray(y_score, dtype=float).ravel()
    start = float(np.median(s)) if threshold is None else float(threshold)
    lo, hi = min(float(s.min()), start), max(float(s.max()), start)
    slider = w.FloatSlider(value=start, min=lo, max=hi, step=(hi - lo) / 200, description="threshold",
                           readout_format=".2f", continuous_update=False, layout=w.Layout(width="500px"))
    slider.add_class("dragonn-threshold-slider")
    message = w.HTML()
    message.add_class("dragonn-threshold-message")
    output = w.Output()

    def update(change=None):
        m = threshold_summary(y_true, y_score, slider.value)
        fmt = lambda v: "n/a" if np.isnan(v) else f"{100 * v:.1f}%"  # noqa: E731
        message.value = (f"<code>called positive: {m['TP'] + m['FP']} &nbsp; precision {fmt(m['precision'])}"
                         f" &nbsp; recall {fmt(m['recall'])} &nbsp; FDR {fmt(m['FDR'])}"
                         f" &nbsp; balanced accuracy {fmt(m['balanced_accuracy'])}</code>")
        _figure(output, lambda fs: draw_threshold_panel(y_true, y_score, slider.value), None)

    slider.observe(update, names="value")
    update()
    box = w.VBox([slider, message, output])
    box.add_class("dragonn-threshold-explorer")
    return box


# ----------------------------------------------------------------- training explorer

HEADS = {"max": "global max", "mean": "mean of window maxima", "flatten": "flatten (2016)"}


def train_small_cnn(data, num_filters: int = 15, conv_width: int = 25, pool_width: int = 35,
                    dropout: float = 0.0, n_train: int = 5000, epochs: int = 15, random_state: int = 0,
                    head: str = "max"):
    """Train a one-layer CNN on the first ``n_train`` training sequences (quick:
    learning rate 1e-2, at most ``epochs`` epochs, patience 3) and score it on
    the test set. Returns (history, ClassificationResult).

    ``head`` (``HEADS``): ``"max"`` takes each filter's best score anywhere
    (``pool_width`` is not used: a window max before a global max changes
    nothing); ``"mean"`` averages the maxima of ``pool_width``-bp windows;
    ``"flatten"`` is the 2016 head (``pool_width``-bp "valid" pooling, a weight
    per filter per window).
    """
    from . import models, training
    from ._validation import check_choice, check_int

    n_train = check_int(n_train, "n_train", 50, len(data.y_train))
    head = check_choice(head, "head", list(HEADS))
    import keras

    keras.utils.set_random_seed(random_state)
    pooling = {"max": dict(global_pool="max"),
               "mean": dict(global_pool="mean", pool_width=pool_width),
               "flatten": dict(global_pool=False, pool_width=pool_width, pool_padding="valid")}[head]
    model = models.build_cnn(data.X_train.shape[1], num_filters=num_filters, conv_width=conv_width,
                             dropout=dropout, learning_rate=1e-2, num_tasks=data.y_train.shape[1], **pooling)
    subset = ((data.X_train[:n_train], data.y_train[:n_train]), (data.X_valid, data.y_valid))
    history = training.train(model, subset, epochs=epochs, patience=3, verbose=0)
    return history, training.evaluate(model, data.X_test, data.y_test)


def draw_training_result(history, result, figsize=(7, 3)):
    """Figure: a learning curve titled with the test metrics."""
    import matplotlib.pyplot as plt

    from .training import plot_learning_curve

    fig, ax = plt.subplots(figsize=figsize)
    plot_learning_curve(history, ax=ax)
    ax.set_title(f"test auROC {result['auROC']:.3f}, auPRC {result['auPRC']:.3f}", fontsize=10)
    fig.tight_layout()
    return fig


def training_explorer(data, n_train_options=(1000, 2000, 5000)):
    """Choose filters, width, output head (and, for the mean and flatten heads, the
    pooling width), dropout and training-set size, press Train, see the learning
    curve and test metrics. Returns a ``VBox`` (class
    ``dragonn-training-explorer``)."""
    import ipywidgets as w

    style = {"description_width": "110px"}
    sizes = [n for n in n_train_options if n <= len(data.y_train)] or [len(data.y_train)]
    controls = {
        "num_filters": w.IntSlider(value=15, min=1, max=30, description="filters", style=style),
        "conv_width": w.IntSlider(value=25, min=5, max=40, description="filter width", style=style),
        "pool_width": w.IntSlider(value=35, min=5, max=100, step=5, description="pool width", style=style,
                                  disabled=True),
        "head": w.Dropdown(options=[(v, k) for k, v in HEADS.items()], value="max", description="output head",
                           style=style),
        "dropout": w.FloatSlider(value=0.0, min=0.0, max=0.5, step=0.1, description="dropout", style=style),
        "n_train": w.Dropdown(options=sizes, value=5000 if 5000 in sizes else sizes[-1],
                              description="training seqs", style=style),
    }
    button = w.Button(description="Train", button_style="primary", icon="play")
    button.add_class("dragonn-train-button")
    message = w.HTML("Press <b>Train</b> (about 5-20 s on 2 CPU cores).")
    message.add_class("dragonn-training-message")
    output = w.Output()

    def on_click(_=None):
        button.disabled = True
        message.value = "training..."
        try:
            params = {k: c.value for k, c in controls.items()}
            history, result = train_small_cnn(data, **params)
        except ValueError as exc:
            message.value = f"<span style='color:#a00'>{html.escape(str(exc))}</span>"
            return
        finally:
            button.disabled = False
        _figure(output, lambda fs: draw_training_result(history, result), None)
        message.value = (f"<code>{len(history.epoch)} epochs in {history.total_seconds:.1f} s, kept epoch "
                         f"{history.best_epoch}: test auROC {result['auROC']:.3f}, "
                         f"auPRC {result['auPRC']:.3f}</code>")

    def on_head(change=None):  # the pooling width only matters for the mean and flatten heads
        controls["pool_width"].disabled = controls["head"].value == "max"

    controls["head"].observe(on_head, names="value")
    button.on_click(on_click)
    box = w.VBox([w.HBox([w.VBox(list(controls.values())[:3]), w.VBox(list(controls.values())[3:] + [button])]),
                  message, output])
    box.add_class("dragonn-training-explorer")
    return box


# ----------------------------------------------------------------- attribution explorer

def draw_attribution_panel(attributions: dict, sites, index: int, method: str | None = None,
                           title: str | None = None, figsize=(11, 4)):
    """Figure: one sequence's attributions by ``method`` as a logo over a window
    around its true sites, and along the whole sequence with the sites beneath.

    ``attributions`` maps method names to arrays of shape (n, length, 4) (e.g.
    ``{"DeepLIFT (shuffles)": interpret.deeplift(model, X)}``); ``sites`` are the
    ground truth of those n sequences."""
    import matplotlib.pyplot as plt

    method = method or next(iter(attributions))
    if method not in attributions:
        from ._validation import missing_name_error
        raise missing_name_error("method", method, attributions)
    scores = np.asarray(attributions[method][index])
    length = scores.shape[0]
    start, end = plotting.site_window(sites, index, length, 100)
    fig, axes = plt.subplots(2, 1, figsize=figsize, gridspec_kw={"height_ratios": [2, 1.2]})
    plotting.plot_attribution(scores, ax=axes[0], sites=sites, sequence=index, start=start, end=end,
                              title=title or f"sequence {index}: {method}")
    plotting.plot_sequence_sites(sites, length, sequence=index, track=scores.sum(-1), ax=axes[1])
    axes[1].axvspan(start, end, color="#dddddd", alpha=0.5, zorder=0)
    axes[1].set_ylabel("per base")
    fig.tight_layout()
    return fig


def attribution_explorer(attributions: dict, sites, y, labels=("negative", "positive")):
    """Pick a sequence (class and index) and a method: its attribution logo with the
    true sites, from precomputed attributions (so each update takes well under a
    second). Returns a ``VBox`` (class ``dragonn-attribution-explorer``).

    Parameters
    ----------
    attributions : dict of {method name: ndarray, shape=(n, length, 4)}
    sites : Sites of those n sequences
    y : ndarray, shape=(n,) or (n, 1): 0/1 labels
    labels : names of class 0 and class 1
    """
    import ipywidgets as w

    if not attributions:
        raise ValueError("attributions must map at least one method name to an (n, length, 4) array")
    y = np.asarray(y).reshape(len(y), -1)[:, 0] > 0
    shapes = {name: np.shape(a) for name, a in attributions.items()}
    for name, shape in shapes.items():
        if len(shape) != 3 or shape[0] != len(y) or shape[2] != 4:
            raise ValueError(f"attributions[{name!r}] has shape {shape}; expected ({len(y)}, length, 4), "
                             "one row per label in y")
    rows = {labels[1]: np.flatnonzero(y), labels[0]: np.flatnonzero(~y)}
    rows = {k: v for k, v in rows.items() if len(v)}
    klass = w.ToggleButtons(options=list(rows), description="class")
    index = w.IntSlider(value=0, min=0, max=len(rows[klass.value]) - 1, description="example",
                        continuous_update=False)
    method = w.Dropdown(options=list(attributions), description="method", layout=w.Layout(width="420px"))
    method.add_class("dragonn-attribution-method")
    message = w.HTML()
    message.add_class("dragonn-attribution-message")
    output = w.Output()

    def update(change=None):
        if change is not None and change.get("owner") is klass:
            index.max = len(rows[klass.value]) - 1
        row = int(rows[klass.value][min(index.value, len(rows[klass.value]) - 1)])
        scores = np.asarray(attributions[method.value][row])
        one = sites.of_sequence(row)
        parts = [f"{m} {s}-{e}: {scores[s:e].sum():+.3f}" for m, s, e in zip(one.motif, one.start, one.end)]
        message.value = (f"<code>sequence {row} ({klass.value}) &nbsp; total {scores.sum():+.3f} &nbsp; "
                         f"inside sites: {html.escape('; '.join(parts)) or 'none'}</code>")
        _figure(output, lambda fs: draw_attribution_panel(
            attributions, sites, row, method.value, f"{klass.value} {row}: {method.value}"), None)

    for control in (klass, index, method):
        control.observe(update, names="value")
    update()
    box = w.VBox([w.HBox([klass, index]), method, message, output])
    box.add_class("dragonn-attribution-explorer")
    return box


# ----------------------------------------------------------------- helpers for notebook 05

def _window_sums(track: np.ndarray, width: int) -> np.ndarray:
    """Sum of ``track`` (n, L) over every window of ``width``: (n, L - width + 1)."""
    c = np.cumsum(np.pad(track, ((0, 0), (1, 0))), axis=1)
    return c[:, width:] - c[:, :-width]


def attribution_peaks(per_base, X, motif_a: str, motif_b: str, background: float = 0.4,
                      min_score: float = 0.0):
    """Where the attributions put each of two motifs, without looking at the truth.

    For each sequence, ``start_a`` is the start of the window that matches
    ``motif_a`` (PSSM log-odds above ``min_score`` on either strand) with the
    largest attribution total; ``start_b`` the same for ``motif_b`` among the
    windows that do **not overlap** the ``motif_a`` window (otherwise a window
    that matches both PSSMs, e.g. an SPI1 site scoring above 0 with a GAAA-rich
    IRF PSSM, is picked twice and the "distance" is 0).

    Parameters
    ----------
    per_base : ndarray, shape=(n, L)
        Attribution per position (e.g. DeepLIFT summed over bases).
    X : ndarray, shape=(n, L, 4)
        The one-hot sequences.
    motif_a, motif_b : str
        Motif names (``motifs.get_motif``).
    background : float, default 0.4
        GC fraction for the PSSMs.
    min_score : float, default 0.0
        Log-odds a window needs to count as a match.

    Returns
    -------
    start_a, start_b : ndarray of int, shape=(n,)
        Window starts (0-based); -1 where no admissible window exists.
    """
    from .motifs import get_motif, scan

    per_base = np.asarray(per_base, dtype=float)
    X = np.asarray(X)
    if per_base.ndim != 2 or X.ndim != 3 or X.shape[:2] != per_base.shape:
        raise ValueError(f"per_base must be (n, L) and X (n, L, 4) with the same n and L; received "
                         f"per_base {per_base.shape} and X {X.shape}")
    wa, wb = get_motif(motif_a).width, get_motif(motif_b).width
    score_a = np.where(scan(X, motif_a, background=background) > min_score, _window_sums(per_base, wa), -np.inf)
    start_a = np.argmax(score_a, axis=1)
    found_a = np.isfinite(score_a.max(axis=1))
    score_b = np.where(scan(X, motif_b, background=background) > min_score, _window_sums(per_base, wb), -np.inf)
    pos = np.arange(score_b.shape[1])
    overlaps = (pos[None] > start_a[:, None] - wb) & (pos[None] < start_a[:, None] + wa)
    score_b = np.where(overlaps & found_a[:, None], -np.inf, score_b)
    start_b = np.argmax(score_b, axis=1)
    found_b = np.isfinite(score_b.max(axis=1))
    return np.where(found_a, start_a, -1), np.where(found_b, start_b, -1)
