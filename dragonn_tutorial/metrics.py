"""Classification metrics for binary (multi-task) predictions, DragoNN-style.

``ClassificationResult(y_true, y_score)`` computes, per task: balanced
accuracy (at a threshold), auROC, auPRC (average precision), auPRG
(precision-recall-gain, Flach & Kull 2015), recall at 5/10/20% FDR and the
class counts. ``print(result)`` gives DragoNN's one-line block;
``result.to_frame()`` a tidy table; ``compare({...})`` several models side by
side. Plots: ROC and PR curves (several models on one axes), confusion matrix.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ._validation import ParameterTypeError, check_float, check_int

FDR_LEVELS = (0.05, 0.10, 0.20)
FIELDS = ("balanced_accuracy", "auROC", "auPRC", "auPRG",
          "recall_at_5%_FDR", "recall_at_10%_FDR", "recall_at_20%_FDR",
          "num_positives", "num_negatives")


def _numeric(value, name: str) -> np.ndarray:
    if isinstance(value, (str, bytes, dict, set)) or value is None:
        raise ParameterTypeError(f"{name} must be an array of numbers; received {type(value).__name__}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        raise ParameterTypeError(f"{name} must be an array of numbers (ragged or mixed input?)") from None
    if arr.dtype != bool and arr.dtype.kind not in "iuf":
        raise ParameterTypeError(f"{name} must hold numbers; received dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError(f"{name} must have shape (n,) or (n, tasks); received a scalar {arr!r}")
    return arr


def _check_labels_scores(y_true, y_score, multi_task: bool = True):
    """Both as float arrays of shape (n, tasks); clear errors otherwise.

    A ``y_score`` of shape (n, 2) whose rows sum to 1 against single-task
    labels is scikit-learn's ``predict_proba`` output: its column 1
    (P(class 1)) is used.
    """
    y_true = _numeric(y_true, "y_true")
    y_score = _numeric(y_score, "y_score").astype(float)
    if y_true.ndim == 1:
        y_true = y_true[:, None]
    if y_score.ndim == 1:
        y_score = y_score[:, None]
    if (y_true.ndim == 2 and y_true.shape[1] == 1 and y_score.shape == (len(y_true), 2)
            and np.isfinite(y_score).all() and np.allclose(y_score.sum(axis=1), 1.0, atol=1e-6)
            and (y_score >= 0).all()):
        y_score = y_score[:, 1:]
    if y_true.ndim != 2 or (not multi_task and y_true.shape[1] != 1):
        raise ValueError(f"y_true must have shape (n,) or (n, tasks); received {y_true.shape}")
    if y_score.shape != y_true.shape:
        raise ValueError(f"y_score must have the same shape as y_true {y_true.shape}; "
                         f"received {y_score.shape}")
    if y_true.shape[0] == 0:
        raise ValueError("y_true is empty; need at least one positive and one negative")
    labels = y_true.astype(float)
    bad = ~np.isin(labels, (0.0, 1.0))
    if bad.any():
        value = y_true[bad][0]
        raise ValueError(f"y_true must hold only 0 and 1 (or False/True); received {value!r} "
                         f"({int(bad.sum())} such values)")
    nan = ~np.isfinite(y_score)
    if nan.any():
        i, t = np.argwhere(nan)[0]
        raise ValueError(f"y_score holds {int(nan.sum())} NaN or infinite values (first at row {i}, "
                         f"task {t}); check the model's predictions before scoring them")
    for t in range(labels.shape[1]):
        n_pos = int(labels[:, t].sum())
        if n_pos == 0 or n_pos == labels.shape[0]:
            only = "positives (1)" if n_pos else "negatives (0)"
            raise ValueError(f"y_true for task {t} holds only {only}; auROC, auPRC and recall at "
                             "FDR need both classes present")
    return labels, y_score


def _pr_points(y_true: np.ndarray, y_score: np.ndarray):
    """Cumulative (TP, FP) after each distinct threshold, highest score first,
    starting from (0, 0). Tied scores form one step."""
    order = np.argsort(-y_score, kind="mergesort")
    s, y = y_score[order], y_true[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s) != 0), len(s) - 1]
    tp = np.r_[0.0, np.cumsum(y)[last_of_tie]]
    fp = np.r_[0.0, np.cumsum(1 - y)[last_of_tie]]
    thresholds = np.r_[np.inf, s[last_of_tie]]
    return tp, fp, thresholds


def auprg(y_true, y_score) -> float:
    """Area under the precision-recall-gain curve (Flach & Kull, NeurIPS 2015).

    With ``pi`` the fraction of positives, precision gain
    ``PG = (prec - pi) / ((1 - pi) prec)`` and recall gain
    ``RG = (rec - pi) / ((1 - pi) rec)``. The area is taken over ``RG >= 0``
    with trapezoids, after adding the points where the curve crosses
    ``RG = 0`` and ``PG = 0`` (interpolating linearly in TP/FP counts), as in
    the authors' reference implementation. A perfect ranking scores 1; a
    random one about 0 (it can be negative).

    Parameters
    ----------
    y_true : array-like, shape=(n,)
        0/1 labels.
    y_score : array-like, shape=(n,)
        Higher means more likely positive.
    """
    labels, scores = _check_labels_scores(y_true, y_score, multi_task=False)
    labels, scores = labels[:, 0], scores[:, 0]
    n_pos = labels.sum()
    n = len(labels)
    n_neg = n - n_pos
    pi = n_pos / n
    tp, fp, _ = _pr_points(labels, scores)

    def gains(tp, fp):
        with np.errstate(divide="ignore", invalid="ignore"):
            pg = 1 - (n_pos / n_neg) * (fp / tp)
            rg = 1 - (n_pos / n_neg) * ((n_pos - tp) / tp)
        return pg, rg

    # Insert the crossing of RG = 0 (TP = n_pos * pi) and of PG = 0 (precision = pi).
    tps, fps = list(tp), list(fp)
    new_tp, new_fp = [], []
    for i in range(1, len(tp)):
        t0, f0, dt, df = tp[i - 1], fp[i - 1], tp[i] - tp[i - 1], fp[i] - fp[i - 1]
        target = n_pos * pi
        if dt > 0 and t0 < target < tp[i]:
            a = (target - t0) / dt
            new_tp.append(t0 + a * dt)
            new_fp.append(f0 + a * df)
        # precision == pi  <=>  tp (1 - pi) - pi fp == 0, linear along the segment
        g0 = t0 * (1 - pi) - pi * f0
        g1 = tp[i] * (1 - pi) - pi * fp[i]
        if t0 > 0 and g0 * g1 < 0:
            a = g0 / (g0 - g1)
            new_tp.append(t0 + a * dt)
            new_fp.append(f0 + a * df)
    if new_tp:
        tps += new_tp
        fps += new_fp
        # order along the curve: by TP + FP (number predicted positive), then TP
        key = np.lexsort((np.array(tps), np.array(tps) + np.array(fps)))
        tps, fps = np.array(tps)[key], np.array(fps)[key]
    else:
        tps, fps = np.array(tps), np.array(fps)
    pg, rg = gains(tps, fps)
    rg[np.abs(rg) < 1e-9] = 0.0  # the inserted crossing lies exactly on RG = 0 (up to rounding)
    pg[np.abs(pg) < 1e-9] = 0.0
    area = 0.0
    for i in range(1, len(rg)):
        if np.isfinite(rg[i - 1]) and rg[i - 1] >= 0:
            area += (rg[i] - rg[i - 1]) * (pg[i] + pg[i - 1]) / 2
    return float(area)


def recall_at_fdr(y_true, y_score, fdr: float) -> float:
    """The largest recall over thresholds whose precision is at least ``1 - fdr``.

    0.0 when no threshold reaches that precision. (The original DragoNN
    searched the precision array as if it were monotonic; it is not.)

    Parameters
    ----------
    y_true : array-like, shape=(n,)
    y_score : array-like, shape=(n,)
    fdr : float in [0, 1]
        The tolerated false discovery rate, e.g. 0.05.
    """
    fdr = check_float(fdr, "fdr", 0.0, 1.0)
    labels, scores = _check_labels_scores(y_true, y_score, multi_task=False)
    tp, fp, _ = _pr_points(labels[:, 0], scores[:, 0])
    tp, fp = tp[1:], fp[1:]
    precision = tp / (tp + fp)
    ok = precision >= (1 - fdr) - 1e-12
    return float(tp[ok].max() / labels.sum()) if ok.any() else 0.0


def threshold_summary(y_true, y_score, threshold: float = 0.5) -> dict:
    """Counts and rates when calling ``y_score >= threshold`` positive.

    Returns a dict with TP, FP, TN, FN, precision, recall, FDR,
    specificity and balanced_accuracy (precision and FDR are NaN when
    nothing is called positive).
    """
    threshold = check_float(threshold, "threshold")
    labels, scores = _check_labels_scores(y_true, y_score, multi_task=False)
    y, called = labels[:, 0].astype(bool), scores[:, 0] >= threshold
    tp = int(np.sum(called & y))
    fp = int(np.sum(called & ~y))
    fn = int(np.sum(~called & y))
    tn = int(np.sum(~called & ~y))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn)
    specificity = tn / (tn + fp)
    return {"TP": tp, "FP": fp, "TN": tn, "FN": fn, "precision": precision, "recall": recall,
            "FDR": 1 - precision if tp + fp else float("nan"), "specificity": specificity,
            "balanced_accuracy": (recall + specificity) / 2}


def _task_metrics(y: np.ndarray, s: np.ndarray, threshold: float) -> dict:
    from sklearn.metrics import average_precision_score, roc_auc_score

    summary = threshold_summary(y, s, threshold)
    out = {"balanced_accuracy": summary["balanced_accuracy"],
           "auROC": float(roc_auc_score(y, s)),
           "auPRC": float(average_precision_score(y, s)),
           "auPRG": auprg(y, s)}
    for level in FDR_LEVELS:
        out[f"recall_at_{round(level * 100)}%_FDR"] = recall_at_fdr(y, s, level)
    out["num_positives"] = int(y.sum())
    out["num_negatives"] = int(len(y) - y.sum())
    return out


class _TaskResults:
    """What ClassificationResult and RegressionResult share: one dict of metrics per task in
    ``results``, names in ``task_names``, a one-line printout per task (``_line``), a table."""

    _FIELDS: tuple = ()

    def __getitem__(self, field: str):
        """One metric: a float for one task, an array over tasks otherwise."""
        if field not in self._FIELDS:
            from ._validation import missing_name_error

            raise missing_name_error("metric", field, self._FIELDS)
        values = [r[field] for r in self.results]
        return values[0] if len(values) == 1 else np.array(values)

    def __len__(self) -> int:
        return len(self.results)

    def __str__(self) -> str:
        if len(self.results) == 1:
            return self._line(self.results[0])
        return "\n".join(f"{name}: {self._line(r)}" for name, r in zip(self.task_names, self.results))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {len(self)} task(s)>\n{self}"

    def to_frame(self, model: str | None = None):
        """A tidy pandas table: one row per task (and a ``model`` column if given)."""
        import pandas as pd

        frame = pd.DataFrame(self.results, index=pd.Index(self.task_names, name="task"))
        if model is not None:
            frame.insert(0, "model", model)
        return frame


class ClassificationResult(_TaskResults):
    """DragoNN's metrics for each task of a (multi-task) binary classifier.

    Parameters
    ----------
    y_true : array-like, shape=(n,) or (n, tasks)
        0/1 labels.
    y_score : array-like, same shape
        Predicted probabilities (or any score where higher means positive).
    threshold : float, default 0.5
        Where balanced accuracy calls a prediction positive. Use 0 for
        logits and a chosen score for PSSM scores.
    task_names : sequence of str, optional

    Attributes
    ----------
    results : list of dict
        One dict per task with the keys in ``FIELDS``.

    Examples
    --------
    >>> r = ClassificationResult([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])
    >>> r["auROC"]
    0.75
    """

    _FIELDS = FIELDS

    def __init__(self, y_true, y_score, threshold: float = 0.5,
                 task_names: Sequence[str] | None = None):
        labels, scores = _check_labels_scores(y_true, y_score)
        self.threshold = check_float(threshold, "threshold")
        n_tasks = labels.shape[1]
        if task_names is None:
            task_names = [f"task_{t}" for t in range(n_tasks)] if n_tasks > 1 else ["task_0"]
        if isinstance(task_names, (str, bytes)) or not hasattr(task_names, "__iter__"):
            raise ParameterTypeError(f"task_names must be a list of names (one per task); received "
                                     f"{type(task_names).__name__} {task_names!r:.40}")
        task_names = [str(t) for t in task_names]
        if len(task_names) != n_tasks:
            raise ValueError(f"task_names must have one name per task ({n_tasks}); "
                             f"received {len(task_names)}")
        self.task_names = task_names
        self.results = [_task_metrics(labels[:, t], scores[:, t], self.threshold)
                        for t in range(n_tasks)]


    @staticmethod
    def _line(r: dict) -> str:
        recalls = "|".join(f"{100 * r[f'recall_at_{round(l * 100)}%_FDR']:.1f}%" for l in FDR_LEVELS)
        levels = "|".join(f"{round(l * 100)}%" for l in FDR_LEVELS)
        return (f"Balanced Accuracy: {100 * r['balanced_accuracy']:.2f}% "
                f"auROC: {r['auROC']:.3f} auPRC: {r['auPRC']:.3f} auPRG: {r['auPRG']:.3f} "
                f"Recall at {levels} FDR: {recalls} "
                f"Num Positives: {r['num_positives']} Num Negatives: {r['num_negatives']}")



def compare(results: Mapping[str, ClassificationResult], digits: int = 3):
    """Several models side by side: one row per (model, task), rounded.

    Parameters
    ----------
    results : dict of {model name: ClassificationResult}
    digits : int, default 3
    """
    import pandas as pd

    if not isinstance(results, Mapping):
        raise ParameterTypeError(f"results must be a dict of {{model name: ClassificationResult}}; "
                                 f"received {type(results).__name__}")
    digits = check_int(digits, "digits", 0, 15)
    if not results:
        raise ValueError("results is empty; pass a dict like {'PSSM': result_a, 'k-mer': result_b}")
    frames = []
    for name, r in results.items():
        if not isinstance(r, ClassificationResult):
            raise ParameterTypeError(f"results[{name!r}] must be a ClassificationResult; "
                             f"received {type(r).__name__}")
        frames.append(r.to_frame(model=name).reset_index())
    frame = pd.concat(frames, ignore_index=True)
    if frame["task"].nunique() == 1:
        frame = frame.drop(columns="task")
        frame = frame.set_index("model")
    else:
        frame = frame.set_index(["model", "task"])
    return frame.round(digits)


# ----------------------------------------------------------------------------- plots

def _scores_dict(y_score) -> dict:
    if isinstance(y_score, Mapping):
        if not y_score:
            raise ValueError("y_score is an empty dict; pass {model name: scores}")
        return dict(y_score)
    return {"model": y_score}


def plot_roc_curves(y_true, y_score, ax=None, title: str | None = "ROC"):
    """ROC curves of one or several models on one axes.

    Parameters
    ----------
    y_true : array-like, shape=(n,)
    y_score : array-like, shape=(n,), or dict of {model name: scores}
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    from .plotting import _axes

    ax = _axes(ax)
    for name, s in _scores_dict(y_score).items():
        labels, scores = _check_labels_scores(y_true, s, multi_task=False)
        fpr, tpr, _ = roc_curve(labels[:, 0], scores[:, 0])
        auc = roc_auc_score(labels[:, 0], scores[:, 0])
        ax.plot(fpr, tpr, label=f"{name} (auROC {auc:.3f})")
    ax.plot([0, 1], [0, 1], ls=":", color="grey", lw=1, label="random")
    ax.set(xlabel="false positive rate", ylabel="true positive rate (recall)",
           xlim=(0, 1), ylim=(0, 1.01), title=title)
    ax.legend(loc="lower right", fontsize="small")
    return ax


def plot_pr_curves(y_true, y_score, ax=None, title: str | None = "Precision-recall"):
    """Precision-recall curves of one or several models, with the random baseline
    (precision = fraction of positives).

    Parameters
    ----------
    y_true : array-like, shape=(n,)
    y_score : array-like, shape=(n,), or dict of {model name: scores}
    """
    from sklearn.metrics import average_precision_score, precision_recall_curve

    from .plotting import _axes

    ax = _axes(ax)
    pi = None
    for name, s in _scores_dict(y_score).items():
        labels, scores = _check_labels_scores(y_true, s, multi_task=False)
        precision, recall, _ = precision_recall_curve(labels[:, 0], scores[:, 0])
        ap = average_precision_score(labels[:, 0], scores[:, 0])
        ax.step(recall, precision, where="post", label=f"{name} (auPRC {ap:.3f})")
        pi = labels.mean()
    ax.axhline(pi, ls=":", color="grey", lw=1, label=f"random ({pi:.3f})")
    ax.set(xlabel="recall", ylabel="precision", xlim=(0, 1), ylim=(0, 1.01), title=title)
    ax.legend(loc="lower left", fontsize="small")
    return ax


def plot_confusion_matrix(y_true, y_score, threshold: float = 0.5, ax=None,
                          title: str | None = None):
    """The 2 x 2 confusion matrix at ``threshold``, counts and row percentages."""
    from .plotting import _axes

    ax = _axes(ax)
    s = threshold_summary(y_true, y_score, threshold)
    m = np.array([[s["TN"], s["FP"]], [s["FN"], s["TP"]]])
    ax.imshow(m / m.sum(axis=1, keepdims=True), cmap="Blues", vmin=0, vmax=1)
    for (i, j), count in np.ndenumerate(m):
        share = count / m[i].sum()
        ax.text(j, i, f"{count}\n{100 * share:.1f}%", ha="center", va="center",
                color="white" if share > 0.6 else "black")
    ax.set_xticks([0, 1], ["called negative", "called positive"])
    ax.set_yticks([0, 1], ["true negative", "true positive"])
    ax.set_title(title if title is not None else f"threshold {threshold:g}")
    return ax


# --------------------------------------------------------------------------- regression
REGRESSION_FIELDS = ("MSE", "pearson", "spearman", "num_observed")


class RegressionResult(_TaskResults):
    """Metrics for each task of a (multi-task) regression: mean squared error, Pearson
    and Spearman correlation, on the measured entries (NaN labels are skipped per task).

    Parameters
    ----------
    y_true : array-like, shape=(n,) or (n, tasks)
        Measured values; NaN = not measured.
    y_pred : array-like, same shape
        Predictions (finite).
    task_names : sequence of str, optional

    Attributes
    ----------
    results : list of dict
        One dict per task with the keys in ``REGRESSION_FIELDS``.

    Examples
    --------
    >>> r = RegressionResult([1.0, 2.0, 3.0, 4.0], [1.1, 1.9, 3.2, 3.9])
    >>> round(r["pearson"], 3)
    0.993
    """

    _FIELDS = REGRESSION_FIELDS

    def __init__(self, y_true, y_pred, task_names: Sequence[str] | None = None):
        from scipy.stats import pearsonr, spearmanr

        y_true = _numeric(y_true, "y_true").astype(float)
        y_pred = _numeric(y_pred, "y_pred").astype(float)
        if y_true.ndim == 1:
            y_true = y_true[:, None]
        if y_pred.ndim == 1:
            y_pred = y_pred[:, None]
        if y_true.ndim != 2 or y_pred.shape != y_true.shape:
            raise ValueError(f"y_true and y_pred must have the same shape (n,) or (n, tasks); "
                             f"received {y_true.shape} and {y_pred.shape}")
        if not np.isfinite(y_pred).all():
            raise ValueError(f"y_pred holds {int((~np.isfinite(y_pred)).sum())} NaN or infinite values")
        if np.isinf(y_true).any():
            raise ValueError("y_true holds infinite values; use NaN for missing ones")
        n_tasks = y_true.shape[1]
        names = [f"task_{t}" for t in range(n_tasks)] if task_names is None else [str(t) for t in task_names]
        if isinstance(task_names, (str, bytes)) or len(names) != n_tasks:
            raise ValueError(f"task_names must have one name per task ({n_tasks}); received {task_names!r}")
        self.task_names = names
        self.y_true, self.y_pred = y_true, y_pred
        self.results = []
        for t in range(n_tasks):
            keep = ~np.isnan(y_true[:, t])
            yt, pt = y_true[keep, t], y_pred[keep, t]
            if len(yt) < 2:
                raise ValueError(f"task {names[t]} has {len(yt)} measured value(s); need at least 2")
            varied = np.std(yt) > 0 and np.std(pt) > 0
            self.results.append({"MSE": float(np.mean((yt - pt) ** 2)),
                                 "pearson": float(pearsonr(yt, pt)[0]) if varied else float("nan"),
                                 "spearman": float(spearmanr(yt, pt)[0]) if varied else float("nan"),
                                 "num_observed": int(keep.sum())})


    @staticmethod
    def _line(r: dict) -> str:
        return (f"MSE: {r['MSE']:.4g} Pearson r: {r['pearson']:.3f} Spearman r: {r['spearman']:.3f} "
                f"Num Observed: {r['num_observed']}")


    def plot_scatter(self, task: int = 0, ax=None, title: str | None = None):
        """Predicted against measured values of one task, with the y = x line and r in the title."""
        from .plotting import _axes

        task = check_int(task, "task", 0, len(self.results) - 1)
        ax = _axes(ax)
        keep = ~np.isnan(self.y_true[:, task])
        yt, pt = self.y_true[keep, task], self.y_pred[keep, task]
        ax.scatter(yt, pt, s=6, alpha=0.4, color="#255C99", edgecolors="none")
        low, high = float(min(yt.min(), pt.min())), float(max(yt.max(), pt.max()))
        ax.plot([low, high], [low, high], ls=":", color="grey", lw=1, label="y = x")
        r = self.results[task]
        ax.set(xlabel="measured", ylabel="predicted",
               title=title if title is not None else
               f"{self.task_names[task]}: Pearson r {r['pearson']:.3f}, Spearman {r['spearman']:.3f}")
        ax.legend(loc="upper left", fontsize="small")
        return ax
