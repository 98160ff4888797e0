"""Metrics: hand-computed oracles, ties, error messages, plots."""
import numpy as np
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score

from dragonn_tutorial import metrics as M


def test_auprg_hand_computed_cases():
    # Perfect ranking: the PRG curve runs along PG = 1 from RG = 0 to 1.
    assert M.auprg([1, 1, 0, 0], [0.9, 0.8, 0.7, 0.6]) == pytest.approx(1.0)
    # Alternating labels, pi = 1/2: points (RG, PG) = (0, 1), (0, 0), (1, 1/2), (1, 0);
    # only the segment (0, 0) -> (1, 1/2) has width: area 1/4.
    assert M.auprg([1, 0, 1, 0], [0.9, 0.8, 0.7, 0.6]) == pytest.approx(0.25)
    # pi = 1/3; the curve crosses RG = 0 between (TP, FP) = (0, 1) and (1, 1) at TP = 2/3,
    # where PG = 1/4. Trapezoids: 0.5 * (1/4 + 1/2) / 2 + 0.5 * (1/2 + 3/4) / 2 = 1/2.
    assert M.auprg([0, 1, 1, 0, 0, 0], [6, 5, 4, 3, 2, 1]) == pytest.approx(0.5)


def test_auprg_reference_points():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 20000)
    assert abs(M.auprg(y, rng.random(20000))) < 0.05  # random ranking: about 0
    assert M.auprg(y, y + 0.1 * rng.random(20000)) == pytest.approx(1.0)
    assert M.auprg(y, -y + 0.1 * rng.random(20000)) < 0  # worse than random


def test_auprg_ties_form_one_step():
    # All scores tied: one step from (0, 0) to (n_pos, n_neg); precision = pi -> PG = 0 at RG = 1.
    assert M.auprg([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5]) == pytest.approx(0.0)


def test_recall_at_fdr_uses_the_best_threshold_not_the_first_crossing():
    y = [1, 1, 0, 1, 1, 0, 0, 1]
    s = np.arange(8)[::-1]  # ranked as listed; precisions 1, 1, 2/3, 3/4, 4/5, 4/6, 4/7, 5/8
    assert M.recall_at_fdr(y, s, 0.05) == pytest.approx(0.4)
    assert M.recall_at_fdr(y, s, 0.20) == pytest.approx(0.8)  # precision 4/5 at the 5th cut
    assert M.recall_at_fdr(y, s, 0.40) == pytest.approx(1.0)
    # Tied top scores count together: precision 1/2 there, so nothing reaches 80%.
    assert M.recall_at_fdr([1, 0, 1], [0.9, 0.9, 0.1], 0.2) == 0.0


def test_classification_result_fields_and_printout():
    y, s = [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]
    r = M.ClassificationResult(y, s)
    assert r["auROC"] == pytest.approx(0.75)
    assert r["auPRC"] == pytest.approx((1 + 2 / 3) / 2)  # average precision by hand
    assert r["balanced_accuracy"] == pytest.approx(0.75)  # recall 1/2, specificity 1
    assert r["num_positives"] == 2 and r["num_negatives"] == 2
    text = str(r)
    assert text.startswith("Balanced Accuracy: 75.00% auROC: 0.750 auPRC: 0.833 auPRG: ")
    assert "Recall at 5%|10%|20% FDR: 50.0%|50.0%|50.0% Num Positives: 2 Num Negatives: 2" in text
    with pytest.raises(KeyError, match="auROC"):
        r["auroc_"]


def test_multi_task_matches_single_tasks_and_sklearn():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, (300, 3))
    s = y * 0.5 + rng.random((300, 3))
    r = M.ClassificationResult(y, s, task_names=["a", "b", "c"])
    for t in range(3):
        single = M.ClassificationResult(y[:, t], s[:, t])
        assert r.results[t] == single.results[0]
        assert r["auROC"][t] == pytest.approx(roc_auc_score(y[:, t], s[:, t]))
        assert r["auPRC"][t] == pytest.approx(average_precision_score(y[:, t], s[:, t]))
    frame = r.to_frame()
    assert list(frame.index) == ["a", "b", "c"] and "auPRG" in frame.columns
    assert str(r).splitlines()[1].startswith("b: Balanced Accuracy:")


def test_compare_builds_a_side_by_side_table():
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 200)
    good = M.ClassificationResult(y, y + rng.random(200))
    bad = M.ClassificationResult(y, rng.random(200))
    table = M.compare({"good": good, "random": bad})
    assert list(table.index) == ["good", "random"]
    assert table.loc["good", "auROC"] > table.loc["random", "auROC"]
    with pytest.raises(ValueError, match="ClassificationResult"):
        M.compare({"x": 0.5})


@pytest.mark.parametrize("y, s, match", [
    ([1, 1, 1], [0.1, 0.2, 0.3], "only positives"),
    ([0, 0, 0], [0.1, 0.2, 0.3], "only negatives"),
    ([0, 1, 1], [0.1, np.nan, 0.3], "NaN"),
    ([0, 1, 2], [0.1, 0.2, 0.3], "only 0 and 1"),
    ([0, 1, 1], [0.1, 0.2], "same shape"),
])
def test_bad_input_gets_a_clear_error(y, s, match):
    with pytest.raises(ValueError, match=match):
        M.ClassificationResult(y, s)


def test_threshold_summary_counts():
    s = M.threshold_summary([1, 1, 0, 0, 1], [0.9, 0.2, 0.7, 0.1, 0.6], threshold=0.5)
    assert (s["TP"], s["FP"], s["TN"], s["FN"]) == (2, 1, 1, 1)
    assert s["precision"] == pytest.approx(2 / 3) and s["FDR"] == pytest.approx(1 / 3)
    assert s["recall"] == pytest.approx(2 / 3)
    nothing = M.threshold_summary([1, 0], [0.2, 0.1], threshold=0.5)
    assert np.isnan(nothing["precision"]) and nothing["recall"] == 0


def test_plots_return_axes_with_one_curve_per_model():
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 100)
    scores = {"a": y + rng.random(100), "b": rng.random(100)}
    _, axes = plt.subplots(1, 3)
    ax = M.plot_roc_curves(y, scores, ax=axes[0])
    assert len(ax.lines) == 3  # two models + the diagonal
    assert "auROC" in ax.get_legend().get_texts()[0].get_text()
    ax = M.plot_pr_curves(y, scores, ax=axes[1])
    assert len(ax.lines) == 3  # two models + the random baseline
    ax = M.plot_confusion_matrix(y, scores["a"], threshold=1.0, ax=axes[2])
    counts = M.threshold_summary(y, scores["a"], 1.0)
    assert ax.texts[3].get_text().startswith(str(counts["TP"]))
