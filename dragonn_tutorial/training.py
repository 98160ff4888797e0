"""Training and evaluation for the workbook's Keras models.

``train`` fits with early stopping on the validation loss and restores the
best weights; each epoch it records the validation loss, auROC and auPRC and
shows one compact, updating progress line (never per-batch logs).
``evaluate`` returns a :class:`~dragonn_tutorial.metrics.ClassificationResult`;
``plot_learning_curve`` draws the history; ``save_model``/``load_model`` use
the ``.keras`` format, writing atomically.
"""
from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field

import numpy as np

from ._validation import check_int, check_one_hot


@dataclass
class History:
    """What happened during :func:`train`, one entry per epoch (epochs count from 1)."""

    epoch: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_auROC: list = field(default_factory=list)
    val_auPRC: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False

    @property
    def best_val_loss(self) -> float:
        return self.val_loss[self.best_epoch - 1] if self.best_epoch else float("nan")

    @property
    def total_seconds(self) -> float:
        return float(sum(self.seconds))

    @property
    def seconds_to_best(self) -> float:
        """Wall time until the epoch whose weights were kept."""
        return float(sum(self.seconds[: self.best_epoch]))

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame({"loss": self.loss, "val_loss": self.val_loss, "val_auROC": self.val_auROC,
                             "val_auPRC": self.val_auPRC, "seconds": self.seconds},
                            index=pd.Index(self.epoch, name="epoch"))

    def summary(self) -> str:
        stop = "stopped early" if self.stopped_early else "ran all epochs"
        return (f"{len(self.epoch)} epochs ({stop}), best epoch {self.best_epoch}: val loss "
                f"{self.best_val_loss:.3f}, val auROC {self.val_auROC[self.best_epoch - 1]:.3f}; "
                f"{self.total_seconds:.0f} s ({self.total_seconds / max(len(self.epoch), 1):.1f} s/epoch)")


def _arrays(data):
    """(X_train, y_train, X_valid, y_valid) from a SimulationData or ((X, y), (X_valid, y_valid))."""
    if hasattr(data, "X_train"):
        parts = data.X_train, data.y_train, data.X_valid, data.y_valid
    elif isinstance(data, (tuple, list)) and len(data) == 2:
        (X, y), (Xv, yv) = data
        parts = X, y, Xv, yv
    else:
        raise ValueError("data must be a SimulationData (from get_simulation_data) or "
                         f"((X_train, y_train), (X_valid, y_valid)); received {type(data).__name__}")
    X, y, Xv, yv = parts
    X, Xv = check_one_hot(X, "X_train"), check_one_hot(Xv, "X_valid")
    y, yv = _labels(y, len(X), "y_train"), _labels(yv, len(Xv), "y_valid")
    if y.shape[1] != yv.shape[1]:
        raise ValueError(f"y_train has {y.shape[1]} tasks but y_valid has {yv.shape[1]}")
    return X.astype(np.float32, copy=False), y, Xv.astype(np.float32, copy=False), yv


def _labels(y, n, name):
    y = np.asarray(y, dtype=np.float32)
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or len(y) != n:
        raise ValueError(f"{name} must have shape ({n},) or ({n}, tasks); received {y.shape}")
    return y


def predict(model, X, batch_size: int = 1024) -> np.ndarray:
    """Model outputs (probabilities), shape (n, tasks), float32, without progress bars."""
    X = check_one_hot(X).astype(np.float32, copy=False)
    batch_size = check_int(batch_size, "batch_size", 1)
    # predict_on_batch per slice: no tf.data pipeline, so no per-call TF log lines and less overhead
    parts = [np.asarray(model.predict_on_batch(X[i:i + batch_size]), dtype=np.float32)
             for i in range(0, len(X), batch_size)]
    return np.concatenate(parts) if parts else np.zeros((0, model.outputs[0].shape[-1]), np.float32)


def _bce(y, p) -> float:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def _ranking_metrics(y, p):
    from sklearn.metrics import average_precision_score, roc_auc_score

    roc, prc = [], []
    for t in range(y.shape[1]):
        if 0 < y[:, t].sum() < len(y):
            roc.append(roc_auc_score(y[:, t], p[:, t]))
            prc.append(average_precision_score(y[:, t], p[:, t]))
    return (float(np.mean(roc)) if roc else float("nan"), float(np.mean(prc)) if prc else float("nan"))


class _Progress:
    """One line that updates in place: a display handle in Jupyter, '\\r' in a terminal."""

    def __init__(self, verbose: int):
        self.verbose = verbose
        self.handle = None
        if verbose:
            try:
                from IPython import get_ipython

                shell = get_ipython()
                if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
                    from IPython.display import display

                    self.handle = display({"text/plain": "training..."}, raw=True, display_id=True)
            except ImportError:  # pragma: no cover
                pass

    def show(self, text: str, final: bool = False):
        if not self.verbose:
            return
        if self.handle is not None:
            self.handle.update({"text/plain": text}, raw=True)
        else:
            print("\r" + text, end="\n" if final else "", flush=True)


def train(model, data, epochs: int = 100, patience: int = 5, batch_size: int = 128,
          class_weight=None, verbose: int = 1, random_state=None) -> History:
    """Fit ``model`` with early stopping on the validation loss; keep the best weights.

    Parameters
    ----------
    model : keras.Model
        Compiled, with a sigmoid output of one unit per task (e.g. from ``models``).
    data : SimulationData, or ((X_train, y_train), (X_valid, y_valid))
        X of shape (n, length, 4); y of shape (n,) or (n, tasks). The test split is never touched.
    epochs : int, default 100
        The most epochs to run.
    patience : int, default 5
        Stop after this many epochs without a lower validation loss.
    batch_size : int, default 128
    class_weight : None, "balanced" or dict {0: w0, 1: w1}, default None
        Up-weights the rarer class (single-task models only). "balanced" uses
        n / (2 n_class), as scikit-learn does.
    verbose : int, default 1
        0: silent. 1: one progress line, updated in place after every epoch.
    random_state : int or None, default None
        If given, seeds Keras (weight shuffling, dropout) before fitting.

    Returns
    -------
    History
        Per-epoch loss, val_loss, val_auROC, val_auPRC and seconds; ``best_epoch``,
        ``stopped_early``. The model ends with the weights of ``best_epoch``.
    """
    import keras

    X, y, Xv, yv = _arrays(data)
    epochs = check_int(epochs, "epochs", 1)
    patience = check_int(patience, "patience", 0)
    batch_size = check_int(batch_size, "batch_size", 1)
    verbose = check_int(verbose, "verbose", 0, 2)
    n_out = model.outputs[0].shape[-1]
    if n_out != y.shape[1]:
        raise ValueError(f"the model has {n_out} output unit(s) but the labels have {y.shape[1]} task(s)")
    if class_weight is not None:
        if y.shape[1] != 1:
            raise ValueError("class_weight works with single-task labels only; "
                             f"these have {y.shape[1]} tasks (use per-task sample weights instead)")
        if isinstance(class_weight, str):
            if class_weight != "balanced":
                raise ValueError(f"class_weight must be None, 'balanced' or a dict; received {class_weight!r}")
            n1 = float(y.sum())
            n0 = len(y) - n1
            class_weight = {0: len(y) / (2 * n0), 1: len(y) / (2 * n1)}
        elif not isinstance(class_weight, dict):
            raise ValueError(f"class_weight must be None, 'balanced' or a dict; received {class_weight!r}")
    if random_state is not None:
        keras.utils.set_random_seed(check_int(random_state, "random_state", 0))

    history = History()
    progress = _Progress(verbose)
    state = {"best": np.inf, "weights": None, "wait": 0, "start": time.perf_counter()}

    class Monitor(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            p = predict(self.model, Xv)
            val_loss = _bce(yv, p)
            auroc, auprc = _ranking_metrics(yv, p)
            now = time.perf_counter()
            history.epoch.append(epoch + 1)
            history.loss.append(float(logs["loss"]))
            history.val_loss.append(val_loss)
            history.val_auROC.append(auroc)
            history.val_auPRC.append(auprc)
            history.seconds.append(now - state["start"])
            state["start"] = now
            if val_loss < state["best"] - 1e-6:
                state.update(best=val_loss, weights=self.model.get_weights(), wait=0)
                history.best_epoch = epoch + 1
            else:
                state["wait"] += 1
                if state["wait"] > patience:
                    self.model.stop_training = True
                    history.stopped_early = True
            progress.show(f"epoch {epoch + 1}/{epochs}: loss {history.loss[-1]:.3f}, val loss "
                          f"{val_loss:.3f}, val auROC {auroc:.3f}, val auPRC {auprc:.3f} | best epoch "
                          f"{history.best_epoch} | {history.seconds[-1]:.1f} s/epoch")

    model.fit(X, y, epochs=epochs, batch_size=batch_size, class_weight=class_weight,
              callbacks=[Monitor()], verbose=0, shuffle=True)
    if state["weights"] is not None:
        model.set_weights(state["weights"])
    progress.show(f"Done: {history.summary()}; kept the weights of epoch {history.best_epoch}.", final=True)
    return history


def evaluate(model, X, y, batch_size: int = 1024, task_names=None, threshold: float = 0.5):
    """Predict ``X`` and score against ``y``: a :class:`~dragonn_tutorial.metrics.ClassificationResult`."""
    from .metrics import ClassificationResult

    return ClassificationResult(y, predict(model, X, batch_size), threshold=threshold, task_names=task_names)


def plot_learning_curve(history: History, ax=None, show_auroc: bool = True, title: str | None = None):
    """Training and validation loss per epoch, the kept (best) epoch marked;
    validation auROC on a second axis when ``show_auroc``."""
    from .plotting import _axes

    if not isinstance(history, History) or not history.epoch:
        raise ValueError("history must be the History returned by train() (with at least one epoch)")
    ax = _axes(ax)
    ax.plot(history.epoch, history.loss, "o-", ms=3, label="training loss", color="#255C99")
    ax.plot(history.epoch, history.val_loss, "o-", ms=3, label="validation loss", color="#D62839")
    ax.axvline(history.best_epoch, color="grey", ls=":", lw=1, label=f"kept: epoch {history.best_epoch}")
    ax.set(xlabel="epoch", ylabel="binary cross-entropy", title=title)
    handles, labels = ax.get_legend_handles_labels()
    if show_auroc:
        ax2 = ax.twinx()
        line, = ax2.plot(history.epoch, history.val_auROC, "s--", ms=3, color="#109648", label="validation auROC")
        ax2.set_ylabel("validation auROC")
        ax2.set_ylim(min(0.5, min(history.val_auROC)), 1.0)
        handles.append(line)
        labels.append(line.get_label())
    ax.legend(handles, labels, loc="center right", fontsize="small")
    return ax


def save_model(model, path) -> str:
    """Save in the ``.keras`` format. Writes a temporary file in the same folder
    and renames it, so an interrupted save never leaves a half-written model."""
    path = os.fspath(path)
    if not path.endswith(".keras"):
        raise ValueError(f"path must end with '.keras' (the Keras 3 format); received {path!r}")
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".keras", prefix=".saving-", dir=folder)
    os.close(fd)
    try:
        model.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def load_model(path):
    """Load a model saved with :func:`save_model` (or any ``.keras`` file)."""
    import keras

    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"no model file at {path!r}")
    return keras.saving.load_model(path)
