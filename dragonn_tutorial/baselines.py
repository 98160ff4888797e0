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

from ._validation import check_choice, check_float, check_int, check_one_hot
from .motifs import BackgroundLike, Motif, pssm_features
from .sequences import kmer_counts, kmer_names


def pssm_scores(X, motifs: Union[str, Motif, Sequence[Union[str, Motif]]],
                background: BackgroundLike = 0.5, combine: str = "max") -> np.ndarray:
    """The PSSM classifier's score for each sequence.

    Parameters
    ----------
    X : ndarray, shape=(n, length, 4)
    motifs : motif name, Motif, or a list of them
    background : float (GC fraction) or array of 4 base probabilities, default 0.5
    combine : {"max", "sum"}, default "max"
        With several motifs: the best of their best hits ("is any motif
        there?") or their sum ("are all of them there?").

    Returns
    -------
    ndarray, shape=(n,)
        Best log2-odds score (both strands); higher = more motif-like.
    """
    check_choice(combine, "combine", ("max", "sum"))
    if isinstance(motifs, (str, Motif)):
        motifs = [motifs]
    features = pssm_features(X, list(motifs), background=background)
    return features.max(axis=1) if combine == "max" else features.sum(axis=1)


class KmerClassifier:
    """Logistic regression on k-mer counts.

    Parameters
    ----------
    k : int in [1, 8], default 6
    C : float > 0, default 1.0
        Inverse L2 regularisation strength (scikit-learn's meaning).
    max_iter : int, default 1000
    random_state : int or None, default 0

    Examples
    --------
    >>> clf = KmerClassifier(k=4).fit(X_train, y_train)     # doctest: +SKIP
    >>> scores = clf.predict_proba(X_test)                  # doctest: +SKIP
    >>> clf.top_kmers(5)                                    # doctest: +SKIP
    """

    def __init__(self, k: int = 6, C: float = 1.0, max_iter: int = 1000, random_state=0):
        self.k = check_int(k, "k", 1, 8)
        self.C = check_float(C, "C", 1e-12)
        self.max_iter = check_int(max_iter, "max_iter", 1)
        self.random_state = random_state
        self.model_ = None

    def _features(self, X):
        X = check_one_hot(X)
        return kmer_counts(X, self.k)

    def fit(self, X, y) -> "KmerClassifier":
        """Fit on one-hot sequences ``X`` (n, length, 4) and 0/1 labels ``y`` (n,) or (n, 1)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import MaxAbsScaler

        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = y[:, 0]
        if y.ndim != 1:
            raise ValueError(f"y must have shape (n,) or (n, 1) (one task); received {y.shape}")
        features = self._features(X)
        if features.shape[0] != len(y):
            raise ValueError(f"X has {features.shape[0]} sequences but y has {len(y)} labels")
        if len(np.unique(y)) != 2:
            raise ValueError(f"y must contain both classes 0 and 1; received {np.unique(y).tolist()}")
        self.model_ = make_pipeline(
            MaxAbsScaler(), LogisticRegression(C=self.C, max_iter=self.max_iter,
                                               random_state=self.random_state))
        self.model_.fit(features, y.astype(int))
        return self

    def _check_fitted(self):
        if self.model_ is None:
            raise RuntimeError("this KmerClassifier is not fitted yet; call .fit(X, y) first")

    def predict_proba(self, X) -> np.ndarray:
        """Probability of the positive class, shape (n,)."""
        self._check_fitted()
        return self.model_.predict_proba(self._features(X))[:, 1]

    def decision_function(self, X) -> np.ndarray:
        """The linear neuron's output (log-odds), shape (n,)."""
        self._check_fitted()
        return self.model_.decision_function(self._features(X))

    @property
    def coef_(self) -> np.ndarray:
        """One weight per k-mer (on max-abs scaled counts), shape (4**k,)."""
        self._check_fitted()
        return self.model_[-1].coef_[0]

    def top_kmers(self, n: int = 10, negative: bool = False):
        """The k-mers with the largest (or most negative) weights, as a pandas Series."""
        import pandas as pd

        n = check_int(n, "n", 1)
        order = np.argsort(self.coef_)
        idx = order[:n] if negative else order[::-1][:n]
        names = kmer_names(self.k)
        return pd.Series(self.coef_[idx], index=[names[i] for i in idx], name="weight")
