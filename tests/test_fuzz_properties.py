"""Property-based tests (hypothesis) over the public functions of sequences,
motifs, simulations, metrics, baselines and plotting: random valid inputs keep
their invariants; random invalid inputs raise an error naming the parameter.

Reproducible: ``derandomize=True`` (examples are derived from the test, not
the clock) and a modest ``max_examples`` keep the file to a few seconds.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dragonn_tutorial import _validation as V
from dragonn_tutorial import baselines as B
from dragonn_tutorial import metrics as MET
from dragonn_tutorial import motifs as M
from dragonn_tutorial import plotting as P
from dragonn_tutorial import sequences as S
from dragonn_tutorial import simulations as SIM

FAST = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
IUPAC = "ACGTRYKMSWBVDHNacgtrykmswbvdhn"


@st.composite
def one_hot(draw, min_n=1, max_n=4, min_len=1, max_len=40, n_fraction=0.1):
    """A float32 one-hot array (n, length, 4) with some N rows."""
    n = draw(st.integers(min_n, max_n))
    length = draw(st.integers(min_len, max_len))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    tokens = rng.integers(0, 4, size=(n, length))
    tokens[rng.random((n, length)) < n_fraction] = 4
    return np.vstack([np.eye(4, dtype=np.float32), np.zeros((1, 4), np.float32)])[tokens]


equal_length_dna = st.integers(1, 30).flatmap(
    lambda L: st.lists(st.text(alphabet="ACGTNacgtn", min_size=L, max_size=L), min_size=1, max_size=4))


# ------------------------------------------------------------------------------ sequences

@FAST
@given(equal_length_dna)
def test_encode_decode_round_trip_and_rc_of_strings_matches_arrays(seqs):
    X = S.one_hot_encode(seqs)
    assert X.dtype == np.float32 and X.shape == (len(seqs), len(seqs[0]), 4)
    assert S.one_hot_decode(X) == [s.upper() for s in seqs]
    np.testing.assert_array_equal(S.reverse_complement(X), S.one_hot_encode(S.reverse_complement(seqs)))


@FAST
@given(st.text(alphabet=IUPAC, max_size=50))
def test_reverse_complement_is_an_involution_on_iupac_text(seq):
    rc = S.reverse_complement(seq)
    assert S.reverse_complement(rc) == seq and len(rc) == len(seq)
    assert sorted(rc.upper().count(b) for b in "ACGT") == sorted(seq.upper().count(b) for b in "ACGT")


@FAST
@given(one_hot(), st.integers(1, 3), st.integers(0, 10 ** 6))
def test_dinucleotide_shuffle_keeps_counts_ends_and_is_seeded(X, k, seed):
    Y = S.dinucleotide_shuffle(X, k, random_state=seed)
    assert Y.shape == (len(X), k, X.shape[1], 4)
    for j in range(k):
        np.testing.assert_array_equal(S.dinucleotide_counts(Y[:, j]), S.dinucleotide_counts(X))
        np.testing.assert_array_equal(np.sort(S.tokens_from_one_hot(Y[:, j]), axis=1),
                                      np.sort(S.tokens_from_one_hot(X), axis=1))
        np.testing.assert_array_equal(Y[:, j, 0], X[:, 0])
    np.testing.assert_array_equal(Y, S.dinucleotide_shuffle(X, k, random_state=seed))


@FAST
@given(one_hot(max_len=30), st.integers(1, 4))
def test_kmer_counts_count_every_window_without_n(X, k):
    if k > X.shape[1]:
        with pytest.raises(ValueError, match="k"):
            S.kmer_counts(X, k)
        return
    counts = S.kmer_counts(X, k, sparse=False)
    tokens = S.tokens_from_one_hot(X)
    windows = np.lib.stride_tricks.sliding_window_view(tokens, k, axis=1)
    np.testing.assert_array_equal(counts.sum(1), (windows < 4).all(-1).sum(1))
    np.testing.assert_array_equal(counts, S.kmer_counts(X, k, sparse=True).toarray())


@FAST
@given(one_hot(), st.floats(0, 1))
def test_gc_content_in_unit_interval_or_nan_for_all_n(X, _):
    gc = S.gc_content(X)
    called = X.sum(axis=(1, 2)) > 0
    assert np.all((gc[called] >= 0) & (gc[called] <= 1)) and np.isnan(gc[~called]).all()


@FAST
@given(st.one_of(st.floats(0, 1), st.lists(st.floats(0, 10), min_size=4, max_size=4).filter(lambda b: sum(b) > 1e-6)))
def test_background_is_a_distribution(background):
    p = S.background_probabilities(background)
    assert p.shape == (4,) and np.all(p >= 0) and abs(p.sum() - 1) < 1e-12


@FAST
@given(one_hot(), st.integers(0, 3), st.integers(0, 39), st.integers(0, 3),
       st.sampled_from([np.nan, np.inf, -np.inf, 0.5, -1.0, 2.0]))
def test_any_bad_value_anywhere_is_refused_with_its_position(X, i, p, c, value):
    i, p = i % len(X), p % X.shape[1]
    Y = X.copy()
    Y[i, p, c] = value
    with pytest.raises(ValueError, match=rf"X must be one-hot .*sequence {i}, position {p}"):
        V.check_one_hot(Y)
    with pytest.raises(ValueError, match="X"):
        M.scan(Y, pssm=np.ones((1, 4)) - 2)


@FAST
@given(st.text(min_size=1, max_size=8).filter(lambda s: not set(s) <= set("ACGTNacgtn")))
def test_one_hot_encode_refuses_other_letters_naming_them(seq):
    bad = next(c for c in seq if c not in "ACGTNacgtn")
    with pytest.raises(ValueError, match="invalid character") as info:
        S.one_hot_encode(seq)
    assert repr(bad) in str(info.value)


@FAST
@given(st.one_of(st.integers(max_value=-1), st.floats(allow_nan=True).filter(lambda v: not float(v).is_integer()),
                 st.text(max_size=3), st.none(), st.booleans()))
def test_sizes_refuse_negative_fractional_and_non_numbers(n):
    with pytest.raises((ValueError, TypeError), match=r"\bn must be"):
        S.random_sequences(n, 10)


# ------------------------------------------------------------------------------ motifs

@st.composite
def ppm(draw, max_width=8):
    w = draw(st.integers(1, max_width))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    m = np.random.default_rng(seed).dirichlet(np.ones(4) * 0.5, size=w)
    return m


@FAST
@given(ppm(), st.floats(0.01, 0.99), st.floats(0.001, 1.0))
def test_pssm_is_finite_and_motif_hash_is_consistent(p, gc, pseudocount):
    m = M.Motif("m", p)
    pssm = m.pssm(gc, pseudocount)
    assert np.isfinite(pssm).all() and pssm.shape == (m.width, 4)
    same = M.Motif("m", m.ppm)
    assert same == m and hash(same) == hash(m)
    rc = m.reverse_complement()
    np.testing.assert_allclose(rc.reverse_complement().ppm, m.ppm)
    ic = m.information_content()
    assert np.all((ic >= 0) & (ic <= 2 + 1e-9))
    heights = P.logo_matrix(m, "information")
    np.testing.assert_allclose(heights.sum(1), ic)


@FAST
@given(one_hot(min_len=8), ppm(max_width=8), st.floats(0.05, 0.95), st.booleans())
def test_scan_is_finite_and_equals_a_brute_force_convolution(X, p, gc, both):
    m = M.Motif("m", p)
    pssm = m.pssm(gc)
    res = M.scan(X, m, background=gc, both_strands=both, return_strands=True)
    w = m.width
    assert res.scores.shape == (len(X), X.shape[1] - w + 1) and np.isfinite(res.scores).all()
    windows = np.lib.stride_tricks.sliding_window_view(X, w, axis=1)  # (n, m, 4, w)
    fwd = np.einsum("nmcw,wc->nm", windows, pssm)
    rev = np.einsum("nmcw,wc->nm", windows, pssm[::-1, ::-1])
    np.testing.assert_allclose(res.scores, np.maximum(fwd, rev) if both else fwd, atol=1e-4)
    hits = M.best_hits(X, m, background=gc, both_strands=both)
    np.testing.assert_allclose([h.score for h in hits], res.scores.max(1), atol=1e-6)


@FAST
@given(st.text(alphabet="ACGTXYZ_0123", min_size=1, max_size=12))
def test_unknown_motif_names_raise_key_error_with_the_name(name):
    if name in M.list_motifs():
        return
    with pytest.raises(KeyError) as info:
        M.get_motif(name)
    assert repr(name) in str(info.value)


@FAST
@given(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=6), st.sampled_from(["first", "last"]))
def test_load_motifs_keep_first_or_last_of_repeated_names(tmp_path_factory, names, keep):
    path = tmp_path_factory.mktemp("m") / "x.motif"
    lines = []
    for i, name in enumerate(names):
        lines += [f"CONS\t{name}\t5.0", " ".join(["1" if b == i % 4 else "0" for b in range(4)])]
    path.write_text("".join(">" + ln + "\n" if "\t" in ln else ln + "\n" for ln in lines))
    if len(set(names)) < len(names):
        with pytest.raises(ValueError, match="keep"):
            M.load_motifs(path)
    got = M.load_motifs(path, keep=keep)
    assert sorted(got) == sorted(set(names))
    for name, motif in got.items():
        idx = [i for i, n in enumerate(names) if n == name]
        i = idx[0] if keep == "first" else idx[-1]
        assert motif.consensus() == "ACGT"[i % 4]


# ------------------------------------------------------------------------------ simulations

@st.composite
def sites_and_indices(draw):
    n = draw(st.integers(1, 8))
    k = draw(st.integers(0, 12))
    seq = np.array(draw(st.lists(st.integers(0, n - 1), min_size=k, max_size=k)), dtype=np.int64)
    start = np.array(draw(st.lists(st.integers(0, 50), min_size=k, max_size=k)), dtype=np.int64)
    sites = SIM.Sites(seq, np.array([f"m{i}" for i in range(k)], dtype=object), start, start + 5,
                      np.ones(k, np.int8))
    kind = draw(st.sampled_from(["ints", "mask"]))
    if kind == "mask":
        idx = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    else:
        idx = np.array(draw(st.lists(st.integers(-n, n - 1), max_size=10)), dtype=np.int64)
    return sites, n, idx


@FAST
@given(sites_and_indices())
def test_sites_select_gives_each_new_sequence_exactly_the_old_sites(case):
    sites, n, idx = case
    picked = sites.select(idx, n=n)
    old = np.flatnonzero(idx) if idx.dtype == bool else np.where(idx < 0, idx + n, idx)
    assert len(picked) == sum(len(sites.of_sequence(int(i))) for i in old)
    for j, i in enumerate(old):
        mine = picked.of_sequence(j)
        theirs = sites.of_sequence(int(i))
        assert sorted(mine.motif.tolist()) == sorted(theirs.motif.tolist())
        assert np.all(np.diff(mine.start) >= 0)


@settings(max_examples=12, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(SIM.get_available_simulations()[:6]), st.integers(0, 10 ** 6), st.floats(0.2, 0.8))
def test_every_simulation_returns_one_hot_with_sites_inside_and_apart(name, seed, gc):
    small = {"simulate_motif_counting": dict(seq_length=200, pos_counts=(1, 3), neg_counts=(0, 1)),
             "simulate_motif_density_localization": dict(seq_length=300, center_size=150),
             "simulate_multi_motif_embedding": dict(seq_length=200, num_seqs=6)}.get(name, dict(seq_length=200))
    if name != "simulate_multi_motif_embedding":
        small.update(num_pos=3, num_neg=3)
    data = SIM.simulate(name, GC_fraction=gc, random_state=seed, **small)
    X = V.check_one_hot(data.X, allow_n=False)
    s = data.sites
    assert (s.start >= 0).all() and (s.end <= X.shape[1]).all() and (s.sequence < len(X)).all()
    for i in range(len(X)):  # no two sites of a sequence overlap
        one = s.of_sequence(i)
        assert np.all(one.start[1:] >= one.end[:-1])
    rows = np.r_[len(data) - 1, 0, 0]
    sub = data.subset(rows)
    np.testing.assert_array_equal(sub.truth_mask(), data.truth_mask()[rows])


# ------------------------------------------------------------------------------ metrics

@st.composite
def labels_scores(draw):
    n = draw(st.integers(4, 40))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    s = np.round(rng.random(n) + y * draw(st.floats(0, 1)), draw(st.integers(1, 3)))  # ties happen
    return y, s


@FAST
@given(labels_scores())
def test_metrics_are_finite_bounded_and_invariant_to_monotone_rescaling(ys):
    y, s = ys
    r = MET.ClassificationResult(y, s)
    for field in ("auROC", "auPRC", "balanced_accuracy", "recall_at_5%_FDR", "recall_at_20%_FDR"):
        assert 0 <= r[field] <= 1 and np.isfinite(r[field])
    assert np.isfinite(r["auPRG"]) and r["auPRG"] <= 1 + 1e-9
    r2 = MET.ClassificationResult(y, 3 * s + 7, threshold=3 * 0.5 + 7)
    for field in ("auROC", "auPRC", "auPRG", "recall_at_10%_FDR", "balanced_accuracy"):
        assert r2[field] == pytest.approx(r[field], abs=1e-9)
    recalls = [MET.recall_at_fdr(y, s, f) for f in (0.0, 0.05, 0.2, 0.5, 1.0)]
    assert recalls == sorted(recalls) and recalls[-1] == 1.0


@FAST
@given(labels_scores(), st.integers(0, 39), st.sampled_from([np.nan, np.inf]))
def test_metrics_refuse_non_finite_scores(ys, i, value):
    y, s = ys
    s = s.copy()
    s[i % len(s)] = value
    with pytest.raises(ValueError, match="y_score"):
        MET.ClassificationResult(y, s)


# ------------------------------------------------------------------------------ baselines and plotting

@settings(max_examples=5, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 4), st.floats(0.01, 10))
def test_kmer_classifier_params_round_trip_through_clone(k, C):
    from sklearn.base import clone

    clf = B.KmerClassifier(k=k, C=C)
    assert clone(clf).get_params() == clf.get_params()
    X = S.random_sequences(12, 20, random_state=k)
    fitted = B.KmerClassifier(k=k, C=C).fit(X, [0, 1] * 6)
    proba = fitted.predict_proba(X)
    assert proba.shape == (12, 2) and np.allclose(proba.sum(1), 1)
    assert np.isfinite(fitted.decision_function(X)).all()


@settings(max_examples=8, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 30), st.integers(0, 10 ** 6))
def test_plots_return_their_axes_on_any_valid_window(length, seed):
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(length, 4))
    start = int(rng.integers(0, length))
    end = int(rng.integers(start + 1, length + 1))
    fig, ax = plt.subplots()
    assert P.plot_attribution(scores, ax=ax, start=start, end=end) is ax
    assert P.plot_ism_heatmap(scores, ax=ax, start=start, end=end) is ax
    lo, hi = P.site_window(None, 0, length, width=max(1, length // 2))
    assert 0 <= lo < hi <= length
    plt.close(fig)
