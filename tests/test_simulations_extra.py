"""Tests for the newer simulations: signal regression, cell-type binding, many motifs.

Oracles: the signal equals its formula recomputed site by site with the
package's PSSM scanner; labels follow from the accessibility truth by a
brute-force loop; task frequencies are exactly the requested ones; seeds reproduce.
"""
import numpy as np
import pytest

from dragonn_tutorial import motifs, simulations
from dragonn_tutorial import simulations_extra as se


# --------------------------------------------------------------------------- signal regression

@pytest.fixture(scope="module")
def signal():
    return se.simulate_signal_regression(seq_length=80, num_seqs=300, max_sites=3, noise_sd=0.0,
                                         cooperative_distance=8, random_state=1)


def test_affinity_equals_scanner_score_on_each_strand(signal):
    motif = motifs.get_motif("SPI1_known4")
    pssm = motif.pssm(0.4)
    fwd = motifs.scan(signal.X, pssm, both_strands=False)
    rev = motifs.scan(signal.X, pssm[::-1, ::-1], both_strands=False)
    s = signal.sites
    score = np.where(s.strand > 0, fwd[s.sequence, s.start], rev[s.sequence, s.start])
    expected = 2.0 ** ((score - pssm.max(axis=1).sum()) / 4.0)
    np.testing.assert_allclose(signal.affinity, expected, rtol=1e-4)
    assert (signal.affinity > 0).all() and (signal.affinity <= 1 + 1e-9).all()


def test_signal_is_the_formula_site_by_site(signal):
    s = signal.sites
    for i in range(len(signal)):
        idx = np.nonzero(s.sequence == i)[0]
        gaps = [s.start[b] - s.end[a] for a in idx for b in idx if s.start[b] >= s.end[a]]
        factor = 2.0 if any(g <= 8 for g in gaps) else 1.0
        assert signal.signal[i, 0] == pytest.approx(factor * signal.affinity[idx].sum(), rel=1e-5)
        np.testing.assert_allclose(signal.contribution[idx], factor * signal.affinity[idx])
    # noise_sd = 0: the observed signal is the noiseless one; some sequences have a close pair
    np.testing.assert_allclose(signal.y, signal.signal)
    assert (signal.contribution > signal.affinity + 1e-9).any()


def test_site_counts_noise_and_poisson_counts():
    d = se.simulate_signal_regression(seq_length=100, num_seqs=4000, min_sites=1, max_sites=3,
                                      noise_sd=0.5, depth=10.0, baseline=0.1, random_state=0)
    k = np.bincount(d.sites.sequence, minlength=len(d))
    assert k.min() == 1 and k.max() == 3
    assert np.std(d.y - d.signal) == pytest.approx(0.5, rel=0.05)
    expected = 10.0 * (0.1 + d.signal)
    assert d.counts.mean() / expected.mean() == pytest.approx(1.0, abs=0.03)
    assert np.var(d.counts - expected) / expected.mean() == pytest.approx(1.0, abs=0.1)  # Poisson
    assert np.equal(np.mod(d.counts, 1), 0).all()


def test_signal_seed_reproduces_and_subset_keeps_truth(signal):
    again = se.simulate_signal_regression(seq_length=80, num_seqs=300, max_sites=3, noise_sd=0.0,
                                          cooperative_distance=8, random_state=1)
    np.testing.assert_array_equal(signal.X, again.X)
    np.testing.assert_array_equal(signal.counts, again.counts)
    other = se.simulate_signal_regression(seq_length=80, num_seqs=300, max_sites=3, random_state=2)
    assert not np.array_equal(signal.X, other.X)
    idx = np.array([5, 250, 17, 3])
    sub = signal.subset(idx)
    np.testing.assert_array_equal(sub.signal, signal.signal[idx])
    per_seq = np.bincount(sub.sites.sequence, weights=sub.contribution, minlength=len(idx))
    np.testing.assert_allclose(per_seq, sub.signal[:, 0], rtol=1e-5)


@pytest.mark.parametrize("kwargs, match", [
    (dict(max_sites=20, seq_length=100), "seq_length"),
    (dict(min_sites=3, max_sites=2), "min_sites"),
    (dict(cooperativity=-1), "cooperativity"),
    (dict(noise_sd=-0.1), "noise_sd"),
    (dict(depth=0), "depth"),
    (dict(affinity_scale=0), "affinity_scale"),
])
def test_signal_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        se.simulate_signal_regression(num_seqs=5, **kwargs)


# --------------------------------------------------------------------------- cell-type binding

@pytest.fixture(scope="module")
def cells():
    return se.simulate_cell_type_binding(seq_length=120, num_seqs=400, num_cell_types=3,
                                         decoy_peaks=2, random_state=3)


def test_labels_follow_accessibility_truth(cells):
    s = cells.sites
    for i in range(len(cells)):
        for c in range(3):
            bound = any(cells.accessible[i, s.start[j]:s.end[j], c].all()
                        for j in np.nonzero(s.sequence == i)[0])
            assert cells.y[i, c] == float(bound)
    no_site = np.setdiff1d(np.arange(len(cells)), s.sequence)
    assert (cells.y[no_site] == 0).all()
    assert cells.y.mean() > 0.1 and cells.accessibility.shape == (400, 120, 3)
    # cell types differ: some sequences are bound in one cell type and not another
    assert ((cells.y.max(axis=1) == 1) & (cells.y.min(axis=1) == 0)).sum() > 20


def test_track_is_clean_bumps_without_noise():
    d = se.simulate_cell_type_binding(seq_length=100, num_seqs=50, noise_sd=0.0, random_state=0)
    np.testing.assert_array_equal(d.accessible, d.accessibility >= 0.5)
    assert d.accessibility.max() <= 1.0 and d.accessibility.min() >= 0.0
    always = se.simulate_cell_type_binding(seq_length=100, num_seqs=50, open_probability=1.0,
                                           decoy_peaks=0, random_state=0)
    has = np.bincount(always.sites.sequence, minlength=50) > 0
    np.testing.assert_array_equal(always.y, np.repeat(has[:, None], 2, axis=1).astype(np.float32))
    never = se.simulate_cell_type_binding(seq_length=100, num_seqs=50, open_probability=0.0,
                                          decoy_peaks=0, noise_sd=0.0, random_state=0)
    assert never.y.sum() == 0 and never.accessibility.sum() == 0


def test_stack_cell_types_rows(cells):
    ex = se.stack_cell_types(cells)
    assert ex.X.shape == (1200, 120, 4) and ex.accessibility.shape == (1200, 120, 1)
    for row in (0, 4, 1199):
        i, c = divmod(row, 3)
        assert ex.sequence[row] == i and ex.cell_type[row] == c
        np.testing.assert_array_equal(ex.X[row], cells.X[i])
        np.testing.assert_array_equal(ex.accessibility[row, :, 0], cells.accessibility[i, :, c])
        assert ex.y[row, 0] == cells.y[i, c]
    two = se.stack_cell_types(cells, cell_types=[2, 0])
    np.testing.assert_array_equal(two.y[:, 0], cells.y[:, [2, 0]].reshape(-1))
    with pytest.raises(TypeError, match="CellTypeDataset"):
        se.stack_cell_types(simulations.simulate("single_motif_detection", seq_length=50, num_pos=2,
                                                 num_neg=2, random_state=0))


def test_sequence_only_ceiling_pairwise_oracle():
    d = se.simulate_cell_type_binding(seq_length=100, num_seqs=120, decoy_peaks=0, random_state=5)
    has = (np.bincount(d.sites.sequence, minlength=120) > 0).astype(float)
    score, y = np.repeat(has, 2), d.y.reshape(-1)
    pos, neg = score[y == 1], score[y == 0]
    diff = pos[:, None] - neg[None, :]
    auroc = ((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size
    ceiling = se.sequence_only_ceiling(d)
    assert ceiling["auROC"] == pytest.approx(auroc)
    assert 0.6 < ceiling["auROC"] < 0.95


@pytest.mark.parametrize("kwargs, match", [
    (dict(num_cell_types=0), "num_cell_types"),
    (dict(peak_width=20), "peak_width"),
    (dict(motif_fraction=1.5), "motif_fraction"),
    (dict(open_probability=-0.1), "open_probability"),
])
def test_cell_type_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        se.simulate_cell_type_binding(num_seqs=10, **kwargs)


def test_cell_type_seed_reproduces(cells):
    again = se.simulate_cell_type_binding(seq_length=120, num_seqs=400, num_cell_types=3,
                                          decoy_peaks=2, random_state=3)
    np.testing.assert_array_equal(cells.accessibility, again.accessibility)
    np.testing.assert_array_equal(cells.y, again.y)
    sub = cells.subset([3, 1])
    np.testing.assert_array_equal(sub.accessibility[1], cells.accessibility[1])


# --------------------------------------------------------------------------- many motifs

def test_many_motifs_exact_frequencies_and_sites():
    d = se.simulate_many_motifs(seq_length=100, num_seqs=1000, random_state=0)
    freq = se.geometric_frequencies(24, 0.5, 0.02)
    assert freq[0] == pytest.approx(0.5) and freq[-1] == pytest.approx(0.02)
    np.testing.assert_array_equal(d.y.sum(axis=0), np.round(freq * 1000))
    assert d.task_names == list(se.MANY_MOTIFS)
    for j, name in enumerate(d.task_names):
        with_site = np.unique(d.sites.sequence[d.sites.motif == name])
        np.testing.assert_array_equal(with_site, np.nonzero(d.y[:, j])[0])
    assert d.sites.mask(len(d), 100).sum() == (d.sites.end - d.sites.start).sum()  # no overlap


def test_many_motifs_explicit_frequencies_and_seed():
    names = ["CTCF_known1", "SPI1_known4", "GATA_disc1"]
    d = se.simulate_many_motifs(names, seq_length=60, num_seqs=200, frequencies=[0.1, 0.0, 1.0],
                                random_state=4)
    np.testing.assert_array_equal(d.y.sum(axis=0), [20, 0, 200])
    again = se.simulate_many_motifs(names, seq_length=60, num_seqs=200, frequencies=[0.1, 0.0, 1.0],
                                    random_state=4)
    np.testing.assert_array_equal(d.X, again.X)


@pytest.mark.parametrize("kwargs, match", [
    (dict(frequencies=[0.5, 0.2, 0.1]), "frequencies"),
    (dict(frequencies=(1.5, 0.1)), "high"),
    (dict(seq_length=30, frequencies=[1.0] * 24), "seq_length"),
    (dict(motif_names="CTCF_known1"), "motif_names"),
    (dict(motif_names=["CTCF_known1", "CTCF_known1"]), "repeat"),
])
def test_many_motifs_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        se.simulate_many_motifs(num_seqs=20, **kwargs)


def test_unknown_motif_is_a_key_error():
    with pytest.raises(KeyError, match="CTCF"):
        se.simulate_many_motifs(["CTCF_knwn1"], num_seqs=5)


def test_registry_reaches_the_new_simulations():
    d = simulations.simulate("signal_regression", seq_length=60, num_seqs=10, random_state=0)
    assert isinstance(d, se.SignalDataset)
    assert "cell_type" in simulations.simulation_info("simulate_cell_type_binding")
    assert simulations.get_simulation_function("many_motifs") is se.simulate_many_motifs
