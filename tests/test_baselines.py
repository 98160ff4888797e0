"""k-mer counting (brute-force oracle) and the two baselines."""
import numpy as np
import pytest

from dragonn_tutorial import baselines as B
from dragonn_tutorial import metrics
from dragonn_tutorial import sequences as S
from dragonn_tutorial import simulations as sim


def brute_force_counts(strings, k):
    names = {name: j for j, name in enumerate(S.kmer_names(k))}
    out = np.zeros((len(strings), 4 ** k))
    for i, s in enumerate(strings):
        for j in range(len(s) - k + 1):
            if "N" not in s[j:j + k]:
                out[i, names[s[j:j + k]]] += 1
    return out


@pytest.mark.parametrize("k", [1, 2, 3, 6])
def test_kmer_counts_equal_a_brute_force_count(k):
    rng = np.random.default_rng(k)
    strings = ["".join(rng.choice(list("ACGTN"), p=[0.24, 0.24, 0.24, 0.24, 0.04], size=40))
               for _ in range(12)]
    expected = brute_force_counts(strings, k)
    dense = S.kmer_counts(S.one_hot_encode(strings), k, sparse=False)
    sparse = S.kmer_counts(strings, k, sparse=True)
    np.testing.assert_array_equal(dense, expected)
    np.testing.assert_array_equal(sparse.toarray(), expected)


def test_kmer_names_order_and_errors():
    assert S.kmer_names(2)[:5] == ["AA", "AC", "AG", "AT", "CA"]
    assert len(S.kmer_names(5)) == 1024
    with pytest.raises(ValueError, match="k"):
        S.kmer_counts(["ACGT"], 5)
    with pytest.raises(ValueError, match="k must be in"):
        S.kmer_counts(["ACGT"], 0)


def test_tokens_from_one_hot_match_argmax_with_n_and_refuse_soft_rows():
    X = S.random_sequences(5, 30, random_state=0)
    X[0, 3] = 0
    expected = np.where(X.max(-1) > 0, X.argmax(-1), 4)
    np.testing.assert_array_equal(S.tokens_from_one_hot(X), expected)
    soft = X.copy()
    soft[1, 4] = [0.5, 0.5, 0.0, 0]  # soft rows (attributions) are refused, not rounded
    with pytest.raises(ValueError, match=r"X must be one-hot.*found 0.5.*sequence 1, position 4"):
        S.tokens_from_one_hot(soft)


@pytest.fixture(scope="module")
def gata():
    return sim.get_simulation_data(
        "simulate_single_motif_detection",
        {"motif_name": "GATA_disc1", "seq_length": 200, "num_pos": 600, "num_neg": 600, "GC_fraction": 0.4},
        test_set_size=300, validation_set_size=100, random_state=0)


def test_pssm_classifier_separates_a_single_motif(gata):
    scores = B.pssm_scores(gata.X_test, "GATA_disc1", background=0.4)
    assert metrics.ClassificationResult(gata.y_test, scores)["auROC"] > 0.9
    wrong = B.pssm_scores(gata.X_test, "CTCF_known1", background=0.4)  # negative control
    assert metrics.ClassificationResult(gata.y_test, wrong)["auROC"] < 0.65
    both = B.pssm_scores(gata.X_test, ["GATA_disc1", "CTCF_known1"], 0.4, combine="sum")
    assert both.shape == (300,)
    with pytest.raises(ValueError, match="combine"):
        B.pssm_scores(gata.X_test, "GATA_disc1", combine="mean")


def test_kmer_classifier_learns_the_motif_words(gata):
    clf = B.KmerClassifier(k=6, C=0.1).fit(gata.X_train, gata.y_train)
    r = metrics.ClassificationResult(gata.y_test, clf.predict_proba(gata.X_test))
    assert r["auROC"] > 0.7  # measured 0.75 (a PSSM gets 0.9+ on the same data)
    top = clf.top_kmers(3).index
    assert any("GATA" in w or "TATC" in w for w in top), list(top)
    assert np.all(np.diff(clf.top_kmers(5).values) <= 0)


def test_kmer_classifier_errors():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError, match="fit"):
        B.KmerClassifier().predict_proba(np.zeros((2, 10, 4)))
    X = S.random_sequences(4, 20, random_state=0)
    with pytest.raises(ValueError, match="both classes"):
        B.KmerClassifier(k=2).fit(X, [1, 1, 1, 1])
    with pytest.raises(ValueError, match="3 labels"):
        B.KmerClassifier(k=2).fit(X, [1, 0, 1])
    with pytest.raises(ValueError, match=r"k must be in \[1, 8\]; received 9"):
        B.KmerClassifier(k=9).fit(X, [0, 1, 0, 1])  # checked by fit (scikit-learn's convention)
    with pytest.raises(ValueError, match="C must be > 0"):
        B.KmerClassifier(C=0).fit(X, [0, 1, 0, 1])


def test_kmer_classifier_is_a_scikit_learn_estimator(gata):
    from sklearn.base import clone, is_classifier
    from sklearn.model_selection import GridSearchCV, cross_val_score

    clf = B.KmerClassifier(k=3, C=0.5)
    assert is_classifier(clf) and clf.get_params() == {"k": 3, "C": 0.5, "max_iter": 1000, "random_state": 0}
    copy = clone(clf.set_params(k=4))
    assert copy.get_params()["k"] == 4 and copy is not clf and not hasattr(copy, "model_")
    X, y = gata.X_train[:300], gata.y_train[:300, 0]
    auc = cross_val_score(B.KmerClassifier(k=4, C=0.1), X, y, cv=3, scoring="roc_auc")
    assert auc.shape == (3,) and np.all(auc > 0.5)
    search = GridSearchCV(B.KmerClassifier(C=0.1), {"k": [2, 4]}, cv=2, scoring="roc_auc").fit(X, y)
    assert search.best_params_["k"] in (2, 4)
    fitted = B.KmerClassifier(k=4, C=0.1).fit(X, y)
    proba = fitted.predict_proba(gata.X_test)
    assert proba.shape == (len(gata.X_test), 2)
    np.testing.assert_allclose(proba.sum(1), 1)
    np.testing.assert_array_equal(fitted.predict(gata.X_test), fitted.classes_[(proba[:, 1] > 0.5).astype(int)])
    assert 0 <= fitted.score(gata.X_test, gata.y_test[:, 0]) <= 1
