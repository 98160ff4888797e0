"""Classical baselines the CNNs must beat.

- ``pssm_scores``: the PSSM classifier. A sequence's score is the best scan
  score of the known motif(s): no learning at all, just the motif database.
- ``KmerClassifier``: the "bag of k-mers + one linear neuron" model:
  ``kmer_counts`` fed to scikit-learn's ``LogisticRegression``. It learns which
  short words matter, but not where they are or how far apart.
"""
from __future__ import annotations

from typing import Sequence, Union

import numpy as np

from sklearn.base import BaseEstimator, ClassifierMixin

from ._validation import ParameterTypeError, check_bool, check_choice, check_float, check_int, one_hot_tokens
from .motifs import BackgroundLike, Motif, pssm_features
from .sequences import _kmer_counts_tokens, kmer_names


def pssm_scores(X, motifs: Union[str, Motif, Sequence[Union[str, Motif]]],
                background: BackgroundLike = 0.5, combine: str = "max") -> np.ndarray:
    """The PSSM classifier's score for each sequence.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    motifs : motif name, Motif, or a list of them
    background : float (GC fraction, strictly between 0 and 1) or array of 4 positive
        base probabilities, default 0.5
    combine : {"max", "sum"}, default "max"
        With several motifs: the best of their best hits ("is any motif
        there?") or their sum ("are all of them there?").

    Returns
    -------
    ndarray, shape=(n,)
        Best log2-odds score (both strands); higher = more motif-like.
    """
    check_choice(combine, "combine", ("max", "sum"))
    features = pssm_features(X, motifs, background=background)
    return features.max(axis=1) if combine == "max" else features.sum(axis=1)


class KmerClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression on k-mer counts, as a scikit-learn estimator.

    ``clone``, ``get_params``/``set_params``, ``cross_val_score`` and
    ``GridSearchCV`` work as for any scikit-learn classifier. Parameters are
    stored as given and checked by :meth:`fit` (scikit-learn's convention).

    Parameters
    ----------
    k : int in [1, 8], default 6
    C : float > 0, default 1.0
        Inverse L2 regularisation strength (scikit-learn's meaning).
    max_iter : int >= 1, default 1000
    random_state : int or None, default 0

    Attributes
    ----------
    model_ : sklearn Pipeline (MaxAbsScaler, LogisticRegression), after ``fit``
    classes_ : ndarray, shape=(2,)
        The two labels seen in ``fit`` (sorted).

    Examples
    --------
    >>> clf = KmerClassifier(k=4).fit(X_train, y_train)     # doctest: +SKIP
    >>> scores = clf.predict_proba(X_test)[:, 1]            # doctest: +SKIP
    >>> clf.top_kmers(5)                                    # doctest: +SKIP
    """

    def __init__(self, k: int = 6, C: float = 1.0, max_iter: int = 1000, random_state=0):
        self.k = k
        self.C = C
        self.max_iter = max_iter
        self.random_state = random_state

    def _checked_params(self):
        k = check_int(self.k, "k", 1, 8)
        C = check_float(self.C, "C", 0.0, low_open=True)
        max_iter = check_int(self.max_iter, "max_iter", 1)
        if self.random_state is not None:
            check_int(self.random_state, "random_state", 0)
        return k, C, max_iter

    def _features(self, X, k: int):
        _, tokens = one_hot_tokens(X)
        return _kmer_counts_tokens(tokens, k, None)

    def fit(self, X, y) -> "KmerClassifier":
        """Fit on one-hot sequences ``X`` (n, length, 4) and two-class labels ``y`` (n,) or (n, 1)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import MaxAbsScaler

        k, C, max_iter = self._checked_params()
        if isinstance(y, (str, bytes)) or y is None:
            raise ParameterTypeError(f"y must be an array of labels; received {type(y).__name__}")
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise ValueError(f"y must have shape (n,) or (n, 1) (one task); received {y.shape}")
        if y.dtype.kind == "f" and not np.isfinite(y).all():
            raise ValueError("y must be finite labels; received NaN or infinite values")
        features = self._features(X, k)
        if features.shape[0] != len(y):
            raise ValueError(f"X has {features.shape[0]} sequences but y has {len(y)} labels")
        classes = np.unique(y)
        if len(classes) != 2:
            raise ValueError(f"y must contain both classes (exactly two labels); received {classes.tolist()}")
        self.model_ = make_pipeline(
            MaxAbsScaler(), LogisticRegression(C=C, max_iter=max_iter,
                                               random_state=self.random_state))
        self.model_.fit(features, y)
        self.classes_ = self.model_.classes_
        self.k_ = k
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "model_")

    def _check_fitted(self):
        if not hasattr(self, "model_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this KmerClassifier is not fitted yet; call .fit(X, y) first")

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, shape (n, 2) (scikit-learn's layout; column 1 is the
        positive class ``classes_[1]``). ``metrics.ClassificationResult`` accepts it as is."""
        self._check_fitted()
        return self.model_.predict_proba(self._features(X, self.k_))

    def decision_function(self, X) -> np.ndarray:
        """The linear neuron's output (log-odds of ``classes_[1]``), shape (n,)."""
        self._check_fitted()
        return self.model_.decision_function(self._features(X, self.k_))

    def predict(self, X) -> np.ndarray:
        """The more likely class of each sequence, shape (n,)."""
        self._check_fitted()
        return self.model_.predict(self._features(X, self.k_))

    @property
    def coef_(self) -> np.ndarray:
        """One weight per k-mer (on max-abs scaled counts), shape (4**k,)."""
        self._check_fitted()
        return self.model_[-1].coef_[0]

    def top_kmers(self, n: int = 10, negative: bool = False):
        """The k-mers with the largest (or most negative) weights, as a pandas Series."""
        import pandas as pd

        n = check_int(n, "n", 1)
        negative = check_bool(negative, "negative")
        order = np.argsort(self.coef_)
        idx = order[:n] if negative else order[::-1][:n]
        names = kmer_names(self.k_)
        return pd.Series(self.coef_[idx], index=[names[i] for i in idx], name="weight")
