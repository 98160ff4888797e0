"""Named regression tests: each silent or unexpected answer listed in issue 13
(and found by the fuzz catalogue) now either gives the right answer or a clear
error naming the parameter."""
import os
import warnings

import numpy as np
import pytest

from dragonn_tutorial import _validation as V
from dragonn_tutorial import baselines as B
from dragonn_tutorial import metrics as MET
from dragonn_tutorial import motifs as M
from dragonn_tutorial import plotting as P
from dragonn_tutorial import sequences as S
from dragonn_tutorial import simulations as SIM

X = S.random_sequences(3, 40, 0.5, random_state=0)


# 1. zero backgrounds under a logarithm ---------------------------------------------------------

@pytest.mark.parametrize("background", [0.0, 1.0, [0.5, 0, 0, 0.5], [0, 1, 1, 1]])
def test_scan_refuses_a_background_with_a_zero_instead_of_nan_scores(background):
    with pytest.raises(ValueError, match=r"background must be (a GC fraction strictly|strictly positive)"):
        M.scan(X, "SPI1_known4", background=background)


def test_pssm_is_finite_or_refused_never_inf():
    m = M.get_motif("SPI1_known4")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no hidden divide-by-zero warning either
        assert np.isfinite(m.pssm(0.4)).all()
        with pytest.raises(ValueError, match="background"):
            m.pssm(0.0)
    with pytest.raises(ValueError, match="pseudocount must be > 0 .* base C has probability 0 at position 0"):
        M.Motif("z", [[1, 0, 0, 0]]).pssm(0.5, pseudocount=0)


def test_pssm_logo_with_zero_background_is_a_value_error_not_a_logomaker_error():
    with pytest.raises(ValueError, match="background"):
        P.plot_logo("SPI1_known4", kind="pssm", background=0.0)


def test_one_gc_to_background_formula():
    for g in (0.0, 0.3, 0.5, 1.0):
        expected = [(1 - g) / 2, g / 2, g / 2, (1 - g) / 2]
        np.testing.assert_allclose(S.background_probabilities(g), expected)
        np.testing.assert_allclose(M.background_vector(g), expected)
    np.testing.assert_allclose(S.background_probabilities([2, 1, 1, 0]), [0.5, 0.25, 0.25, 0])


# 2. subsets and the ground truth ----------------------------------------------------------------

@pytest.fixture(scope="module")
def data():
    return SIM.simulate_motif_counting("GATA_disc1", seq_length=120, pos_counts=(1, 3),
                                       neg_counts=(0, 1), num_pos=6, num_neg=6, random_state=0)


def test_subset_with_duplicates_keeps_the_sites_of_every_copy(data):
    sub = data.subset([0, 0, 1])
    for j, i in enumerate([0, 0, 1]):
        np.testing.assert_array_equal(sub.sites.of_sequence(j).start, data.sites.of_sequence(i).start)
    np.testing.assert_array_equal(sub.truth_mask(), data.truth_mask()[[0, 0, 1]])


def test_subset_with_negative_indices_counts_from_the_end(data):
    sub = data.subset([-1, -3])
    assert (sub.sites.sequence >= 0).all()
    np.testing.assert_array_equal(sub.X, data.X[[-1, -3]])
    np.testing.assert_array_equal(sub.truth_mask(), data.truth_mask()[[-1, -3]])


def test_subset_with_a_boolean_mask_equals_the_indices(data):
    mask = np.arange(len(data)) % 3 == 0
    a, b = data.subset(mask), data.subset(np.flatnonzero(mask))
    np.testing.assert_array_equal(a.truth_mask(), b.truth_mask())
    np.testing.assert_array_equal(a.X, b.X)


def test_subset_out_of_range_is_a_value_error_not_an_index_error(data):
    with pytest.raises(ValueError, match=r"indices must be in \[-12, 11\] .*received 12"):
        data.subset([12])
    with pytest.raises(ValueError, match="boolean mask must have shape"):
        data.subset(np.ones(5, bool))


def test_sites_select_is_a_join():
    sites = SIM.Sites(np.array([2, 0, 2]), np.array(["b", "a", "c"], dtype=object), np.array([9, 1, 3]),
                      np.array([12, 4, 6]), np.array([1, -1, 1]))
    picked = sites.select([2, 1, 2, 0])
    assert picked.sequence.tolist() == [0, 0, 2, 2, 3]
    assert picked.motif.tolist() == ["c", "b", "c", "b", "a"]  # each sequence's sites by start
    with pytest.raises(ValueError, match="negative numbers, which need n"):
        sites.select([-1])
    assert sites.select([-1], n=3).motif.tolist() == ["c", "b"]


# 3. one-hot contract ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, word", [(np.nan, "NaN"), (np.inf, "infinite"), (0.5, "not 0 or 1")])
def test_check_one_hot_refuses_nan_inf_and_soft_values_with_their_position(value, word):
    Y = X.copy()
    Y[1, 7, 2] = value
    with pytest.raises(ValueError, match=rf"X must be one-hot .*\({word}\) at sequence 1, position 7"):
        V.check_one_hot(Y)


def test_dinucleotide_shuffle_no_longer_turns_nan_into_a():
    Y = X.copy()
    Y[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        S.dinucleotide_shuffle(Y, random_state=0)


def test_several_ones_in_a_row_and_forbidden_n():
    Y = X.copy()
    Y[2, 5] = [1, 0, 1, 0]
    with pytest.raises(ValueError, match="sequence 2 has 2 ones at position 5"):
        S.tokens_from_one_hot(Y)
    Y = X.copy()
    Y[0, 4] = 0
    with pytest.raises(ValueError, match="must not contain N .* position 4"):
        V.check_one_hot(Y, allow_n=False)
    np.testing.assert_array_equal(V.check_one_hot(Y), Y)  # N allowed by default


def test_integer_and_boolean_one_hot_become_float32_and_input_is_untouched():
    Xi = X.astype(np.int64)
    out = V.check_one_hot(Xi)
    assert out.dtype == np.float32 and Xi.dtype == np.int64
    np.testing.assert_array_equal(V.check_one_hot(X.astype(bool)), X)


# 4. scan's motif argument ------------------------------------------------------------------------

def test_scan_refuses_probabilities_passed_as_a_bare_array():
    ppm = M.get_motif("SPI1_known4").ppm
    with pytest.raises(ValueError, match="ambiguous"):
        M.scan(X, ppm)
    pssm = M.get_motif("SPI1_known4").pssm(0.5)
    np.testing.assert_allclose(M.scan(X, pssm=pssm), M.scan(X, "SPI1_known4"), atol=1e-5)
    np.testing.assert_allclose(M.scan(X, pssm), M.scan(X, pssm=pssm))  # signed: a PSSM, as documented
    np.testing.assert_allclose(M.scan(X, M.Motif("spi", ppm)), M.scan(X, "SPI1_known4"), atol=1e-5)


# 5. motif readers ------------------------------------------------------------------------------------

JASPAR_W4 = ">MA9999.1 toy\n10 0 0 2\n0 10 0 3\n0 0 10 3\n2 2 2 4\n"


def test_width_four_jaspar_pfm_is_not_read_transposed_as_homer(tmp_path):
    path = tmp_path / "toy.pfm"
    path.write_text(JASPAR_W4)
    m = M.load_motifs(path)["MA9999.1"]
    np.testing.assert_allclose(m.ppm[0], [10 / 12, 0, 0, 2 / 12])  # column 0 of the counts
    assert m.consensus()[:3] == "ACG"
    plain = tmp_path / "toy.txt"
    plain.write_text(JASPAR_W4)
    assert M.load_motifs(plain)["MA9999.1"] == m  # detected from the content, not the suffix


def test_duplicate_motif_names_are_refused_unless_told(tmp_path):
    path = tmp_path / "d.motif"
    path.write_text(">AC\tdup\t5.0\n0.9 0.1 0 0\n>GT\tother\t5.0\n0 0 1 0\n>TT\tdup\t5.0\n0 0 0 1\n")
    with pytest.raises(ValueError, match=r"repeat a name \(dup\); pass keep='first' or keep='last'"):
        M.load_motifs(path)
    first, last = M.load_motifs(path, keep="first"), M.load_motifs(path, keep="last")
    assert first["dup"].consensus() == "A" and last["dup"].consensus() == "T"
    assert list(first) == ["dup", "other"] and list(last) == ["other", "dup"]


def test_ambiguous_layout_asks_for_the_format(tmp_path):
    path = tmp_path / "u.txt"
    path.write_text(">m\n" + "0.25 0.25 0.25 0.25\n" * 4)
    with pytest.raises(ValueError, match="fit both JASPAR .* and HOMER"):
        M.load_motifs(path)
    assert M.load_motifs(path, format="jaspar")["m"].width == 4


# 6. Motif equality and hash ----------------------------------------------------------------------------

def test_motif_equality_and_hash():
    a = M.Motif("m", [[0.7, 0.1, 0.1, 0.1]])
    b = M.Motif("m", np.array([[0.7, 0.1, 0.1, 0.1]]))
    c = M.Motif("m", [[0.1, 0.7, 0.1, 0.1]])
    assert a == b and hash(a) == hash(b) and a != c and a != "m"
    assert len({a, b, c}) == 2
    assert a.reverse_complement().reverse_complement() != a  # the name changes (m_rc_rc)
    assert M.get_motif("SPI1_known4") == M.encode_motifs()["SPI1_known4"]


# 7. reverse complement and decoding -------------------------------------------------------------------------

def test_reverse_complement_handles_every_iupac_code():
    assert S.reverse_complement("ACGR") == "YCGT"
    assert S.reverse_complement("RYKMSWBVDHN") == "NDHBVWSKMRY"
    assert S.reverse_complement("acgrn") == "nycgt"
    with pytest.raises(ValueError, match="invalid character 'U' at position 3"):
        S.reverse_complement("ACGU")


def test_one_hot_decode_unknown_must_be_one_character():
    with pytest.raises(ValueError, match="unknown must be a non-empty string"):
        S.one_hot_decode(X, unknown="")
    Y = X.copy()
    Y[0, 0] = 0
    assert S.one_hot_decode(Y, unknown="-")[0][0] == "-"


# 8. estimators, seeds, messages, one tokeniser -----------------------------------------------------------------

def test_set_seed_does_not_touch_pythonhashseed(monkeypatch):
    import dragonn_tutorial as dt

    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    import random

    random_state = random.getstate()
    try:
        # seed only Python and NumPy here (TensorFlow is tested in test_package)
        monkeypatch.setitem(__import__("sys").modules, "tensorflow", None)
        dt.set_seed(5)
    finally:
        random.setstate(random_state)
    assert "PYTHONHASHSEED" not in os.environ
    assert "PYTHONHASHSEED" in dt.set_seed.__doc__


@pytest.mark.parametrize("call, message", [
    (lambda: S.random_sequences(-1, 5), "n must be >= 0; received -1"),
    (lambda: S.kmer_names(0), r"k must be in \[1, 12\]; received 0"),
    (lambda: S.dinucleotide_shuffle(X, 0), "n_shuffles must be >= 1; received 0"),
    (lambda: B.KmerClassifier(C=-1.0).fit(X, [0, 1, 0]), r"C must be > 0.0; received -1.0"),
])
def test_range_messages_read_naturally(call, message):
    with pytest.raises(ValueError, match=message) as info:
        call()
    assert "must be in >=" not in str(info.value)


def test_one_tokeniser_everywhere():
    Y = X.copy()
    Y[1, 3] = 0
    tokens = S.tokens_from_one_hot(Y)
    np.testing.assert_array_equal(tokens, np.where(Y.max(-1) > 0, Y.argmax(-1), 4))
    np.testing.assert_array_equal(V.one_hot_tokens(Y)[1], tokens)
    decoded = S.one_hot_decode(Y)
    assert ["".join("ACGTN"[t] for t in row) for row in tokens] == decoded


def test_metrics_read_predict_proba_columns():
    y = np.array([0, 1, 0, 1, 1, 0])
    p1 = np.array([0.2, 0.9, 0.4, 0.6, 0.7, 0.1])
    two = np.c_[1 - p1, p1]
    assert MET.ClassificationResult(y, two)["auROC"] == MET.ClassificationResult(y, p1)["auROC"]
    with pytest.raises(ValueError, match="y_score must have the same shape"):
        MET.ClassificationResult(y, np.c_[p1, p1])  # rows do not sum to 1: not predict_proba


def test_sites_select_can_return_where_each_site_came_from():
    sites = SIM.Sites(np.array([1, 0, 1]), np.array(["b", "a", "c"], dtype=object), np.array([9, 1, 3]),
                      np.array([12, 4, 6]), np.array([1, -1, 1]))
    picked, src = sites.select([1, 1, 0], return_index=True)
    np.testing.assert_array_equal(src, [2, 0, 2, 0, 1])
    np.testing.assert_array_equal(picked.start, sites.start[src])
