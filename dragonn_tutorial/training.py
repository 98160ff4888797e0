"""Training and evaluation for any compiled Keras model on any of the workbook's tasks.

``train`` fits with the model's own compiled loss, early stopping on the validation
loss Keras computes (``patience=k``: stop after k epochs without improvement) and
restores the best weights. Each epoch it records the validation metrics that fit the
task (classification: per-task auROC and auPRC; regression: MSE, Pearson and Spearman
r), skipping missing (NaN) labels, and shows one ``tqdm.auto`` bar over epochs (never
per-batch logs). Inputs may be one array, a tuple or a dict of arrays (multi-input
models); everything is checked before fitting, so a bad call never leaves the model
unusable. ``evaluate`` returns a :class:`~dragonn_tutorial.metrics.ClassificationResult`
or :class:`~dragonn_tutorial.metrics.RegressionResult`; ``plot_learning_curve`` draws
the history; ``save_model``/``load_model`` use the ``.keras`` format, writing atomically.
"""
from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field

import numpy as np

from ._validation import check_choice, check_float, check_int, check_path

TASKS = ("classification", "regression")


# --------------------------------------------------------------------------- history
@dataclass
class History:
    """What happened during :func:`train`, one entry per epoch (epochs count from 1).

    ``val_auROC``/``val_auPRC`` (classification) or ``val_MSE``/``val_pearson``/
    ``val_spearman`` (regression) are means over tasks; ``per_task`` holds, per epoch,
    a dict metric -> array over tasks. ``loss`` is Keras's running training loss,
    ``val_loss`` the validation loss Keras computes with the compiled loss.
    """

    epoch: list = field(default_factory=list)
    loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_auROC: list = field(default_factory=list)
    val_auPRC: list = field(default_factory=list)
    val_MSE: list = field(default_factory=list)
    val_pearson: list = field(default_factory=list)
    val_spearman: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    per_task: list = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False
    interrupted: bool = False
    task: str = "classification"
    loss_name: str = "loss"

    @property
    def metric_names(self) -> tuple:
        return ("val_auROC", "val_auPRC") if self.task == "classification" else (
            "val_MSE", "val_pearson", "val_spearman")

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
        """One row per epoch: loss, val_loss, the task's metrics, seconds."""
        import pandas as pd

        columns = {"loss": self.loss, "val_loss": self.val_loss}
        columns.update({name: getattr(self, name) for name in self.metric_names})
        columns["seconds"] = self.seconds
        return pd.DataFrame(columns, index=pd.Index(self.epoch, name="epoch"))

    def summary(self) -> str:
        if not self.epoch:
            return "no epochs run"
        stop = ("interrupted" if self.interrupted else
                "stopped early" if self.stopped_early else "ran all epochs")
        best = max(self.best_epoch, 1) - 1
        metric = (f"val auROC {self.val_auROC[best]:.3f}" if self.task == "classification"
                  else f"val Pearson r {self.val_pearson[best]:.3f}")
        return (f"{len(self.epoch)} epochs ({stop}), best epoch {self.best_epoch}: val loss "
                f"{self.val_loss[best]:.3f}, {metric}; "
                f"{self.total_seconds:.0f} s ({self.total_seconds / len(self.epoch):.1f} s/epoch)")


# --------------------------------------------------------------------------- input checks
def _input_names(model) -> list:
    return [t.name for t in model.inputs]


def _describe(model) -> str:
    return ", ".join(f"{n} {tuple(t.shape[1:])}" for n, t in zip(_input_names(model), model.inputs))


def _as_inputs(model, X, name: str = "X") -> list:
    """The model's inputs as a list of float32 arrays in the model's input order, checked."""
    names = _input_names(model)
    if isinstance(X, dict):
        missing = [n for n in names if n not in X]
        extra = [k for k in X if k not in names]
        if missing or extra:
            from ._validation import missing_name_error

            if missing:
                raise missing_name_error(f"input of {name} (the model's inputs: {_describe(model)})",
                                         missing[0], list(X))
            raise missing_name_error(f"model input (the model's inputs: {_describe(model)}); {name} has",
                                     extra[0], names)
        arrays = [X[n] for n in names]
    elif isinstance(X, (tuple, list)):
        if len(X) != len(names):
            raise ValueError(f"{name} has {len(X)} arrays but the model has {len(names)} input(s): "
                             f"{_describe(model)}")
        arrays = list(X)
    else:
        if len(names) != 1:
            raise ValueError(f"the model has {len(names)} inputs ({_describe(model)}); pass {name} as a "
                             f"dict {{{', '.join(repr(n) + ': ...' for n in names)}}} or a tuple in that order")
        arrays = [X]
    out = []
    for n, tensor, a in zip(names, model.inputs, arrays):
        label = name if len(names) == 1 else f"{name}[{n!r}]"
        try:
            a = np.asarray(a, dtype=np.float32)
        except (TypeError, ValueError):
            raise TypeError(f"{label} must be an array of numbers; received {type(a).__name__}") from None
        expected = tuple(tensor.shape[1:])
        if a.ndim != len(expected) + 1:
            raise ValueError(f"{label} must have shape (n, {', '.join(str(d) for d in expected)}) for input "
                             f"{n!r}; received {a.shape}")
        for axis, (got, want) in enumerate(zip(a.shape[1:], expected), 1):
            if want is not None and got != want:
                what = "sequence length" if axis == 1 else ("channels" if axis == a.ndim - 1 else f"axis {axis}")
                raise ValueError(f"{label} has {what} {got} but the model's input {n!r} expects {want} "
                                 f"(input shape {expected}); received {a.shape}")
        bad = ~np.isfinite(a)
        if bad.any():
            first = tuple(int(i) for i in np.argwhere(bad)[0])
            raise ValueError(f"{label} holds {int(bad.sum())} NaN or infinite values (first at {first}); "
                             "encode unknown bases as all-zero rows")
        out.append(a)
    if len({len(a) for a in out}) > 1:
        raise ValueError(f"{name}'s inputs have different numbers of rows: "
                         f"{dict(zip(names, [len(a) for a in out]))}")
    return out


def _output_activation(model) -> str:
    layer = model.outputs[0]._keras_history.operation
    act = getattr(layer, "activation", None)
    return getattr(act, "__name__", "linear") if act is not None else "linear"


def task_of(model) -> str:
    """'classification' for sigmoid/softmax outputs, else 'regression'."""
    return "classification" if _output_activation(model) in ("sigmoid", "softmax") else "regression"


def _labels(model, y, n: int, name: str, task: str) -> np.ndarray:
    try:
        y = np.asarray(y, dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers; received {type(y).__name__}") from None
    if y.ndim == 1:
        y = y[:, None]
    if y.ndim != 2 or len(y) != n:
        raise ValueError(f"{name} must have shape ({n},) or ({n}, tasks); received {y.shape}")
    n_out = model.outputs[0].shape[-1]
    if y.shape[1] != n_out:
        raise ValueError(f"the model has {n_out} output unit(s) but {name} has {y.shape[1]} task(s)")
    observed = y[~np.isnan(y)]
    if np.isinf(observed).any():
        raise ValueError(f"{name} holds infinite values; use NaN for missing labels")
    activation = _output_activation(model)
    if task == "classification" and not np.isin(observed, (0.0, 1.0)).all():
        value = observed[~np.isin(observed, (0.0, 1.0))][0]
        raise ValueError(f"{name} must hold 0/1 labels (or NaN for missing) for a model with a "
                         f"{activation} output; received {value!r}. For a signal, build the model "
                         "with output='linear'")
    if activation in ("softplus", "exponential", "relu") and (observed < 0).any():
        raise ValueError(f"{name} holds negative values but the model's {activation} output is never "
                         "negative; use output='linear'")
    return y


def _split_inputs(model, obj, suffix: str):
    """Inputs from a dataset object: 'sequence' (or the single input) from X<suffix>,
    any other input name n from the attribute n<suffix> (e.g. accessibility_train)."""
    X = getattr(obj, f"X{suffix}")
    names = _input_names(model)
    if isinstance(X, (dict, tuple, list)) or len(names) == 1:
        return X
    inputs = {}
    for n in names:
        attr = f"X{suffix}" if n == "sequence" else f"{n}{suffix}"
        if not hasattr(obj, attr):
            raise ValueError(f"the model has inputs {_describe(model)} but the data has no attribute "
                             f"{attr!r}; pass ((X, y), (X_valid, y_valid)) with X a dict of arrays")
        inputs[n] = getattr(obj, attr)
    return inputs


def _data(model, data, task):
    """(inputs_train, y_train, inputs_valid, y_valid), checked."""
    if hasattr(data, "X_train"):
        X, y = _split_inputs(model, data, "_train"), data.y_train
        Xv, yv = _split_inputs(model, data, "_valid"), data.y_valid
    elif (isinstance(data, (tuple, list)) and len(data) == 2 and all(hasattr(d, "X") and hasattr(d, "y")
                                                                      for d in data)):
        X, y = _split_inputs(model, data[0], ""), data[0].y
        Xv, yv = _split_inputs(model, data[1], ""), data[1].y
    elif (isinstance(data, (tuple, list)) and len(data) == 2
          and all(isinstance(d, (tuple, list)) and len(d) == 2 for d in data)):
        (X, y), (Xv, yv) = data
    else:
        raise ValueError("data must be a SimulationData (X_train, y_train, X_valid, y_valid), a pair of "
                         "datasets (train, valid) with X and y, or ((X_train, y_train), (X_valid, "
                         f"y_valid)); received {type(data).__name__}")
    X, Xv = _as_inputs(model, X, "X_train"), _as_inputs(model, Xv, "X_valid")
    for arrays, label in ((X, "X_train"), (Xv, "X_valid")):
        if len(arrays[0]) == 0:
            raise ValueError(f"{label} holds no sequences (shape {arrays[0].shape}); train needs at least "
                             "one training and one validation sequence")
    y, yv = _labels(model, y, len(X[0]), "y_train", task), _labels(model, yv, len(Xv[0]), "y_valid", task)
    return X, y, Xv, yv


def _feed(arrays):
    return arrays[0] if len(arrays) == 1 else list(arrays)


# --------------------------------------------------------------------------- prediction and metrics
def predict(model, X, batch_size: int = 1024) -> np.ndarray:
    """Model outputs, shape (n, tasks), float32, without progress bars.

    Parameters
    ----------
    model : keras.Model
    X : ndarray (n, length, 4), or a tuple / dict of arrays for multi-input models
    batch_size : int, default 1024
    """
    _check_model(model)
    arrays = _as_inputs(model, X, "X")
    batch_size = check_int(batch_size, "batch_size", 1)
    n = len(arrays[0])
    # predict_on_batch per slice: no tf.data pipeline, so no per-call TF log lines and less overhead;
    # a short last slice is padded to the full batch so the compiled graph is not traced again
    parts = []
    for i in range(0, n, batch_size):
        chunk = [a[i:i + batch_size] for a in arrays]
        size = len(chunk[0])
        if n > batch_size and size < batch_size:
            chunk = [np.concatenate([c, np.zeros((batch_size - size,) + c.shape[1:], c.dtype)]) for c in chunk]
        parts.append(np.asarray(model.predict_on_batch(_feed(chunk)), dtype=np.float32)[:size])
    if not parts:
        return np.zeros((0, model.outputs[0].shape[-1]), np.float32)
    out = np.concatenate(parts)
    return out[:, None] if out.ndim == 1 else out


def task_metrics(y, p, task: str) -> dict:
    """Per-task validation metrics, NaN labels skipped: dict name -> array over tasks.

    classification: ``auROC``, ``auPRC`` (NaN for a task without both classes);
    regression: ``MSE``, ``pearson``, ``spearman``.
    """
    from scipy.stats import pearsonr, spearmanr
    from sklearn.metrics import average_precision_score, roc_auc_score

    names = ("auROC", "auPRC") if task == "classification" else ("MSE", "pearson", "spearman")
    out = {k: np.full(y.shape[1], np.nan) for k in names}
    for t in range(y.shape[1]):
        keep = ~np.isnan(y[:, t])
        yt, pt = y[keep, t], p[keep, t]
        if task == "classification":
            if 0 < yt.sum() < len(yt):
                out["auROC"][t] = roc_auc_score(yt, pt)
                out["auPRC"][t] = average_precision_score(yt, pt)
        elif len(yt) > 1:
            out["MSE"][t] = float(np.mean((yt - pt) ** 2))
            if np.std(yt) > 0 and np.std(pt) > 0:
                out["pearson"][t] = pearsonr(yt, pt)[0]
                out["spearman"][t] = spearmanr(yt, pt)[0]
    return out


def validation_loss(model, y, p) -> float:
    """The model's compiled loss on predictions ``p`` for labels ``y`` (the same loss object
    Keras trains with, over the whole set at once), plus its weight penalties: what
    ``model.evaluate`` reports, without a second pass over the data."""
    import keras

    loss = model.loss
    fn = keras.losses.get(loss) if isinstance(loss, str) else loss
    value = float(np.mean(np.asarray(fn(y, p))))
    penalties = sum(float(np.asarray(term)) for term in model.losses) if model.losses else 0.0
    return value + penalties


def _mean(values) -> float:
    values = np.asarray(values, dtype=float)
    return float(np.nanmean(values)) if np.isfinite(values).any() else float("nan")


# --------------------------------------------------------------------------- fitting
def _weights(y, class_weight, sample_weight):
    n = len(y)
    w = np.ones(n, np.float32)
    if sample_weight is not None:
        sw = np.asarray(sample_weight, dtype=np.float32)
        if sw.shape != (n,) or not np.isfinite(sw).all() or (sw < 0).any():
            raise ValueError(f"sample_weight must be {n} finite non-negative numbers, one per training "
                             f"sequence; received shape {sw.shape}, min {np.min(sw, initial=np.inf)}")
        w *= sw
    if class_weight is not None:
        if y.shape[1] != 1:
            raise ValueError("class_weight works with single-task labels only; "
                             f"these have {y.shape[1]} tasks (use per-sample weights instead)")
        labels = y[:, 0]
        observed = ~np.isnan(labels)
        if isinstance(class_weight, str):
            if class_weight != "balanced":
                raise ValueError(f"class_weight must be None, 'balanced' or a dict {{0: w0, 1: w1}}; "
                                 f"received {class_weight!r}")
            n1 = float((labels[observed] == 1).sum())
            n0 = float(observed.sum()) - n1
            if n0 == 0 or n1 == 0:
                raise ValueError("class_weight='balanced' needs both classes in y_train")
            class_weight = {0: observed.sum() / (2 * n0), 1: observed.sum() / (2 * n1)}
        elif not isinstance(class_weight, dict) or set(class_weight) - {0, 1}:
            raise ValueError(f"class_weight must be None, 'balanced' or a dict {{0: w0, 1: w1}}; "
                             f"received {class_weight!r}")
        for label, weight in class_weight.items():
            w[observed & (labels == label)] *= float(weight)
    return None if (sample_weight is None and class_weight is None) else w


def _apply_trainable(model, trainable, learning_rate):
    """Set layers' trainable flags (in place) and recompile when anything changed."""
    import keras

    if trainable is None and learning_rate is None:
        return
    names = [layer.name for layer in model.layers]
    if trainable is not None:
        if isinstance(trainable, str):
            trainable = [trainable]
        if not isinstance(trainable, dict):
            trainable = list(trainable)
            for n in trainable:
                if n not in names:
                    from ._validation import missing_name_error

                    raise missing_name_error("layer in trainable", n, names)
        flags = dict(trainable) if isinstance(trainable, dict) else {
            n: (n in set(trainable)) for n in names if model.get_layer(n).weights}
        for n in flags:
            if n not in names:
                from ._validation import missing_name_error

                raise missing_name_error("layer in trainable", n, names)
        for n, flag in flags.items():
            if not isinstance(flag, bool):
                raise TypeError(f"trainable[{n!r}] must be True or False; received {flag!r}")
            model.get_layer(n).trainable = flag
    optimizer = model.optimizer
    config = optimizer.get_config()
    if learning_rate is not None:
        config["learning_rate"] = check_float(learning_rate, "learning_rate", 1e-12)
    model.compile(optimizer=type(optimizer).from_config(config), loss=model.loss)


def _reset_functions(model):
    for attr in ("train_function", "test_function", "predict_function"):
        if hasattr(model, attr):
            setattr(model, attr, None)


def train(model, data, epochs: int = 100, patience: int | None = 5, batch_size: int = 128,
          class_weight=None, sample_weight=None, trainable=None, learning_rate: float | None = None,
          task: str | None = None, verbose: int = 1, random_state=None) -> History:
    """Fit ``model`` with its compiled loss; stop early on the validation loss; keep the best weights.

    Parameters
    ----------
    model : keras.Model
        Compiled (the builders in ``models`` compile; your own model's loss is used as it is).
    data : dataset or ((X_train, y_train), (X_valid, y_valid))
        A SimulationData-like object with ``X_train, y_train, X_valid, y_valid`` (for a
        multi-input model, another input ``n`` is read from the attribute ``n_train`` /
        ``n_valid``, e.g. ``accessibility_train``), a pair ``(train, valid)`` of datasets
        with ``X``, ``y`` (and e.g. ``accessibility``), or arrays. ``X``: shape
        (n, length, 4), or a tuple / dict (by input name) of arrays. ``y``: shape (n,) or
        (n, tasks); NaN marks a missing label (skipped by the loss and the metrics).
        The test split is never touched.
    epochs : int, default 100
        The most epochs to run.
    patience : int >= 1 or None, default 5
        Stop after this many epochs in a row without a lower validation loss. None: run
        all epochs (the best epoch's weights are still kept).
    batch_size : int, default 128
    class_weight : None, "balanced" or dict {0: w0, 1: w1}, default None
        Weights each training sequence by its class (single-task labels only);
        "balanced" uses n / (2 n_class), as scikit-learn does.
    sample_weight : array, shape (n_train,), optional
        Per-sequence weights (multiplied with ``class_weight``).
    trainable : None, list of layer names, or dict {name: bool}, default None
        Fine-tuning: a list trains only those layers (every other layer with weights is
        frozen); a dict sets the named layers. Changes the layers' flags in place and
        recompiles (a fresh optimizer of the same kind).
    learning_rate : float or None, default None
        If given, recompile with this learning rate first (e.g. smaller to fine-tune).
    task : None, "classification" or "regression", default None (from the output activation)
    verbose : int, default 1
        0: silent. 1: one progress bar over epochs (tqdm.auto) showing the current metrics.
    random_state : int, numpy Generator or None, default None
        Seeds the order in which training sequences are shuffled (locally; nothing global is
        seeded). None draws that seed from NumPy's global generator, so ``set_seed`` makes a
        run repeatable. Weight initialisation and dropout use Keras's global seed
        (``dragonn_tutorial.set_seed``).

    Returns
    -------
    History
        Per-epoch loss, val_loss, task metrics, seconds; ``best_epoch``, ``stopped_early``.
        The model ends with the weights of ``best_epoch``.

    Raises
    ------
    ValueError, TypeError, KeyError
        Before any fitting, for data that does not fit the model (sequence length, number
        of inputs or tasks, label values vs the output, NaN in X); the model is untouched.
    """
    _check_model(model)
    epochs = check_int(epochs, "epochs", 1)
    if patience is not None:
        patience = check_int(patience, "patience", 1)
    batch_size = check_int(batch_size, "batch_size", 1)
    verbose = check_int(verbose, "verbose", 0, 2)
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", True):
        raise ValueError(f"model {model.name!r} is not compiled; call model.compile(optimizer=..., loss=...) "
                         "or build it with compile=True")
    task = task_of(model) if task is None else check_choice(task, "task", TASKS)
    X, y, Xv, yv = _data(model, data, task)
    weights = _weights(y, class_weight, sample_weight)
    from ._validation import rng_from

    if random_state is None:
        random_state = int(np.random.randint(0, 2 ** 31 - 1))
    rng = rng_from(random_state)
    _apply_trainable(model, trainable, learning_rate)

    history = History(task=task, loss_name=getattr(model.loss, "name", str(model.loss)))
    best = {"loss": np.inf, "weights": None, "wait": 0}
    bar = None
    if verbose:
        from tqdm.auto import tqdm

        bar = tqdm(total=epochs, desc="epochs", unit="epoch", leave=True)
    start_weights = model.get_weights()
    try:
        for epoch in range(1, epochs + 1):
            t0 = time.perf_counter()
            order = rng.permutation(len(y))
            fit = model.fit(_feed([a[order] for a in X]), y[order],
                            sample_weight=None if weights is None else weights[order],
                            batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
            logs = {"loss": float(fit.history["loss"][-1])}
            p = predict(model, Xv, max(batch_size, 256))
            logs["val_loss"] = validation_loss(model, yv, p)
            scores = task_metrics(yv, p, task)
            history.epoch.append(epoch)
            history.loss.append(logs["loss"])
            history.val_loss.append(logs["val_loss"])
            for k, values in scores.items():
                getattr(history, f"val_{k}").append(_mean(values))
            history.per_task.append(scores)
            history.seconds.append(time.perf_counter() - t0)
            if np.isfinite(logs["val_loss"]) and logs["val_loss"] < best["loss"]:
                best.update(loss=logs["val_loss"], weights=model.get_weights(), wait=0)
                history.best_epoch = epoch
            else:
                best["wait"] += 1
            if bar is not None:
                shown = {"loss": f"{logs['loss']:.3f}", "val_loss": f"{logs['val_loss']:.3f}"}
                shown.update({k.replace("val_", ""): f"{getattr(history, k)[-1]:.3f}"
                              for k in history.metric_names})
                shown["best"] = history.best_epoch
                bar.set_postfix(shown, refresh=False)
                bar.update(1)
            if patience is not None and best["wait"] >= patience:
                history.stopped_early = epoch < epochs
                break
    except KeyboardInterrupt:
        history.interrupted = True
    except Exception:
        # a failure inside Keras: give the model back as it was, with fresh graph functions
        _reset_functions(model)
        model.set_weights(best["weights"] if best["weights"] is not None else start_weights)
        raise
    finally:
        if bar is not None:
            bar.close()
    if best["weights"] is not None:
        model.set_weights(best["weights"])
    if verbose:
        print(f"{history.summary()}; kept the weights of epoch {history.best_epoch}.")
    return history


def evaluate(model, X, y, batch_size: int = 1024, task_names=None, threshold: float = 0.5,
             task: str | None = None):
    """Predict ``X`` and score against ``y`` (NaN labels skipped, per task).

    Returns
    -------
    ClassificationResult (sigmoid/softmax outputs, or ``task="classification"``) or
    RegressionResult (MSE, Pearson, Spearman; ``task="regression"``).
    """
    from .metrics import ClassificationResult, RegressionResult

    _check_model(model)
    task = task_of(model) if task is None else check_choice(task, "task", TASKS)
    threshold = check_float(threshold, "threshold", 0.0, 1.0)
    p = predict(model, X, batch_size)
    y = _labels(model, y, len(p), "y", task)
    if task == "regression":
        return RegressionResult(y, p, task_names=task_names)
    if not np.isnan(y).any():
        return ClassificationResult(y, p, threshold=threshold, task_names=task_names)
    # missing labels: score each task on its measured rows, then join the tasks
    parts = []
    for t in range(y.shape[1]):
        keep = ~np.isnan(y[:, t])
        parts.append(ClassificationResult(y[keep, t], p[keep, t], threshold=threshold))
    result = ClassificationResult(y[~np.isnan(y[:, 0]), 0], p[~np.isnan(y[:, 0]), 0], threshold=threshold)
    result.results = [part.results[0] for part in parts]
    names = task_names if task_names is not None else [f"task_{t}" for t in range(y.shape[1])]
    if len(names) != y.shape[1]:
        raise ValueError(f"task_names must have one name per task ({y.shape[1]}); received {len(names)}")
    result.task_names = [str(n) for n in names]
    return result


# --------------------------------------------------------------------------- plots and files
def plot_learning_curve(history: History, ax=None, show_auroc: bool = True, title: str | None = None):
    """Training and validation loss per epoch, the kept (best) epoch marked; the
    validation auROC (classification) or Pearson r (regression) on a second axis when
    ``show_auroc``. The legend sits in a band above the axes (the title above it),
    so it never hides a curve whatever their shapes. Returns the loss axes."""
    from .plotting import _axes

    if not isinstance(history, History) or not history.epoch:
        raise ValueError("history must be the History returned by train() (with at least one epoch)")
    ax = _axes(ax)
    ax.plot(history.epoch, history.loss, "o-", ms=3, label="training loss", color="#255C99")
    ax.plot(history.epoch, history.val_loss, "o-", ms=3, label="validation loss", color="#D62839")
    ax.axvline(history.best_epoch, color="grey", ls=":", lw=1, label=f"kept: epoch {history.best_epoch}")
    ylabel = {"masked_binary_crossentropy": "binary cross-entropy", "masked_mean_squared_error":
              "mean squared error", "masked_poisson": "Poisson loss"}.get(history.loss_name, history.loss_name)
    ax.set(xlabel="epoch", ylabel=ylabel)
    handles, labels = ax.get_legend_handles_labels()
    if show_auroc:
        key, label = (("val_auROC", "validation auROC") if history.task == "classification"
                      else ("val_pearson", "validation Pearson r"))
        values = getattr(history, key)
        ax2 = ax.twinx()
        line, = ax2.plot(history.epoch, values, "s--", ms=3, color="#109648", label=label)
        ax2.set_ylabel(label)
        finite = [v for v in values if np.isfinite(v)]
        low = 0.5 if history.task == "classification" else 0.0
        ax2.set_ylim(min([low] + finite), 1.0)
        handles.append(line)
        labels.append(line.get_label())
    # Outside the data area: a two-column band just above the axes.
    ax.legend(handles, labels, loc="lower center", bbox_to_anchor=(0.5, 1.01), ncol=2, fontsize="small",
              frameon=False, borderaxespad=0.0, handlelength=2.0, columnspacing=1.2)
    if title:
        rows = (len(labels) + 1) // 2
        ax.set_title(title, pad=6 + 16 * rows)  # ~15 pt per legend row at "small" size
    return ax


def _check_model(model):
    from .models import check_model

    return check_model(model)


def save_model(model, path) -> str:
    """Save in the ``.keras`` format. Writes a temporary file in the same folder
    and renames it, so an interrupted save never leaves a half-written model."""
    _check_model(model)
    path = os.fspath(check_path(path))
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


def load_model(path, compile: bool = True):
    """Load a model saved with :func:`save_model` (or any ``.keras`` file)."""
    import keras

    from . import _losses  # noqa: F401  (registers the masked losses)

    path = os.fspath(check_path(path))
    if not path.endswith((".keras", ".h5")):
        raise ValueError(f"path must name a '.keras' model file (see save_model; legacy '.h5' is also "
                         f"read); received {path!r}")
    if not os.path.exists(path):
        raise FileNotFoundError(f"no model file at {path!r}")
    return keras.saving.load_model(path, compile=compile)
