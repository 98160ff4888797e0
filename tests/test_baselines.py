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
    with pytest.raises(RuntimeError, match="fit"):
        B.KmerClassifier().predict_proba(np.zeros((2, 10, 4)))
    X = S.random_sequences(4, 20, random_state=0)
    with pytest.raises(ValueError, match="both classes"):
        B.KmerClassifier(k=2).fit(X, [1, 1, 1, 1])
    with pytest.raises(ValueError, match="3 labels"):
        B.KmerClassifier(k=2).fit(X, [1, 0, 1])
    with pytest.raises(ValueError, match="k must be in"):
        B.KmerClassifier(k=9)
