"""The training playground of notebook 07 (ipywidgets 8).

Choose the optimiser, learning rate, activation, dropout, L2 penalty and the
number of training sequences, press **Train**: a tiny CNN
(:func:`dragonn_tutorial.practice.tiny_cnn`) trains for a few seconds and the
learning curves (training and validation loss per epoch) are redrawn with a
caption of the final numbers. The panel is a ``VBox`` with the CSS class
``dragonn-training-playground``; its caption has ``dragonn-playground-message``.
"""
from __future__ import annotations

import html
import time

import numpy as np

from . import practice
from ._validation import check_choice, check_float, check_int

LEARNING_RATES = (1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 1.0)
L2_OPTIONS = (0.0, 1e-4, 1e-3, 1e-2)


def _split(data):
    try:
        return data.X_train, data.y_train, data.X_valid, data.y_valid
    except AttributeError:
        raise ValueError("data must be a SimulationData with X_train, y_train, X_valid, y_valid; "
                         f"received {type(data).__name__}") from None


def train_playground_model(data, optimizer: str = "adam", learning_rate: float = 1e-2,
                           activation: str = "relu", dropout: float = 0.0, l2: float = 0.0,
                           n_train: int = 300, epochs: int = 15, random_state: int = 0) -> dict:
    """Train the playground's tiny CNN on the first ``n_train`` training sequences.

    Parameters
    ----------
    data : SimulationData
        One-task data (``X_train`` of shape (n, length, 4), ``y_train`` (n, 1), and the validation split).
    optimizer : {"sgd", "momentum", "rmsprop", "adam"}, default "adam"
    learning_rate : float > 0, default 1e-2
    activation : str, default "relu"
        One of ``practice.ACTIVATIONS``.
    dropout : float in [0, 0.9], default 0.0
    l2 : float >= 0, default 0.0
    n_train : int, default 300
        Between 20 and the number of training sequences.
    epochs : int, default 15
    random_state : int, default 0

    Returns
    -------
    dict
        ``loss`` and ``val_loss`` (per epoch, as Keras reports them), ``train_bce`` and
        ``val_bce`` (final, inference mode, no penalties), ``val_auROC``, ``seconds``,
        ``diverged`` (a loss became NaN or infinite) and the settings.
    """
    from sklearn.metrics import roc_auc_score

    X, y, Xv, yv = _split(data)
    n_train = check_int(n_train, "n_train", 20, len(X))
    epochs = check_int(epochs, "epochs", 1)
    dropout = check_float(dropout, "dropout", 0.0, 0.9)
    start = time.perf_counter()
    model = practice.tiny_cnn(X.shape[1], filters=32, width=15, hidden=32, activation=activation,
                              dropout=dropout, l2=l2, optimizer=optimizer, learning_rate=learning_rate,
                              random_state=random_state)
    history = practice.fit(model, (X[:n_train], y[:n_train]), (Xv, yv), epochs=epochs, batch_size=32,
                           random_state=random_state)
    p = practice.predict(model, Xv)
    diverged = not (np.all(np.isfinite(history["loss"])) and np.all(np.isfinite(p)))
    out = dict(history)
    out.update(optimizer=optimizer, learning_rate=learning_rate, activation=activation, dropout=dropout,
               l2=l2, n_train=n_train, diverged=diverged, seconds=time.perf_counter() - start)
    if diverged:
        out.update(train_bce=float("nan"), val_bce=float("nan"), val_auROC=float("nan"))
    else:
        out.update(train_bce=practice.bce(model, X[:n_train], y[:n_train]), val_bce=practice.bce(model, Xv, yv),
                   val_auROC=float(roc_auc_score(np.asarray(yv).reshape(-1), p)))
    return out


def caption(result: dict) -> str:
    """One line: the settings and the final losses, gap and validation auROC."""
    head = (f"{result['optimizer']}, lr {result['learning_rate']:g}, {result['activation']}, dropout "
            f"{result['dropout']:g}, L2 {result['l2']:g}, {result['n_train']} training sequences")
    if result["diverged"]:
        return f"{head}: the loss diverged (NaN/inf) - lower the learning rate."
    gap = result["val_bce"] - result["train_bce"]
    return (f"{head}: {len(result['loss'])} epochs in {result['seconds']:.1f} s; final training loss "
            f"{result['train_bce']:.3f}, validation loss {result['val_bce']:.3f} (gap {gap:+.3f}), "
            f"validation auROC {result['val_auROC']:.3f}")


def draw_playground(result: dict, figsize=(7, 3)):
    """Figure: training and validation loss per epoch, titled with the final numbers."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize)
    epochs = np.arange(1, len(result["loss"]) + 1)
    ax.plot(epochs, result["loss"], "o-", ms=3, label="training loss")
    if "val_loss" in result:
        ax.plot(epochs, result["val_loss"], "o-", ms=3, label="validation loss")
    ax.axhline(np.log(2), color="grey", lw=0.8, ls=":", label="ln 2 (coin flip)")
    ax.set_xlabel("epoch")
    ax.set_ylabel("binary cross-entropy")
    finite = [v for v in list(result["loss"]) + list(result.get("val_loss", [])) if np.isfinite(v)]
    if finite:
        ax.set_ylim(0, min(max(finite) * 1.05, 3.0))
    ax.legend(fontsize=8)
    title = "diverged" if result["diverged"] else (
        f"train {result['train_bce']:.3f}, valid {result['val_bce']:.3f}, valid auROC {result['val_auROC']:.3f}")
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def training_playground(data, n_train_options=(100, 300, 1000, 2400), epochs: int = 15):
    """Pick optimiser, learning rate, activation, dropout, L2 and training size; press Train.

    Parameters
    ----------
    data : SimulationData
    n_train_options : sequence of int, default (100, 300, 1000, 2400)
        Offered training-set sizes (those larger than the training split are dropped).
    epochs : int, default 15

    Returns
    -------
    ipywidgets.VBox
        CSS class ``dragonn-training-playground``; the Train button has
        ``dragonn-playground-train``, the caption ``dragonn-playground-message``.
    """
    import ipywidgets as w

    from .widgets import _figure

    X = _split(data)[0]
    epochs = check_int(epochs, "epochs", 1)
    sizes = [int(n) for n in n_train_options if 20 <= int(n) <= len(X)] or [len(X)]
    style = {"description_width": "110px"}
    controls = {
        "optimizer": w.Dropdown(options=list(practice.OPTIMIZERS), value="adam", description="optimiser",
                                style=style),
        "learning_rate": w.Dropdown(options=[(f"{v:g}", v) for v in LEARNING_RATES], value=1e-2,
                                    description="learning rate", style=style),
        "activation": w.Dropdown(options=["relu", "sigmoid", "tanh", "elu", "leaky_relu"], value="relu",
                                 description="activation", style=style),
        "dropout": w.FloatSlider(value=0.0, min=0.0, max=0.8, step=0.1, description="dropout", style=style),
        "l2": w.Dropdown(options=[(f"{v:g}", v) for v in L2_OPTIONS], value=0.0, description="L2", style=style),
        "n_train": w.Dropdown(options=sizes, value=300 if 300 in sizes else sizes[0],
                              description="training seqs", style=style),
    }
    button = w.Button(description="Train", button_style="primary", icon="play")
    button.add_class("dragonn-playground-train")
    message = w.HTML(f"Press <b>Train</b>: a tiny CNN trains for {epochs} epochs (a few seconds).")
    message.add_class("dragonn-playground-message")
    output = w.Output()
    state = {}

    def on_click(_=None):
        button.disabled = True
        message.value = "training..."
        try:
            params = {k: c.value for k, c in controls.items()}
            check_choice(params["optimizer"], "optimizer", practice.OPTIMIZERS)
            result = train_playground_model(data, epochs=epochs, **params)
        except ValueError as exc:
            message.value = f"<span style='color:#a00'>{html.escape(str(exc))}</span>"
            return
        finally:
            button.disabled = False
        state["result"] = result
        _figure(output, lambda fs: draw_playground(result), None)
        message.value = f"<code>{html.escape(caption(result))}</code>"

    button.on_click(on_click)
    values = list(controls.values())
    box = w.VBox([w.HBox([w.VBox(values[:3]), w.VBox(values[3:] + [button])]), message, output])
    box.add_class("dragonn-training-playground")
    box.train = on_click      # for tests and scripted use: the same as clicking Train
    box.controls = controls
    box.state = state
    return box
