import numpy as np
import pytest

from dragonn_tutorial import motifs as M
from dragonn_tutorial import sequences as S
from dragonn_tutorial import simulations as sim

WORKSHOP = {"motif1": "SPI1_known4", "motif2": "IRF_known20", "seq_length": 500, "min_spacing": 2,
            "max_spacing": 5, "num_pos": 10000, "num_neg": 10000, "GC_fraction": 0.4}


@pytest.fixture(scope="module")
def hetero():
    # each motif's strand on its own (the tests below check per-motif balance and motif1-first order);
    # the block/forward orientations are tested in test_heterodimer_orientation_modes
    return sim.simulate_heterodimer_grammar(**{**WORKSHOP, "num_pos": 3000, "num_neg": 3000}, random_state=0,
                                            orientation="independent")


def site_instances(data, motif):
    keep = data.sites.motif == motif
    seqs, starts, strands = data.sites.sequence[keep], data.sites.start[keep], data.sites.strand[keep]
    w = M.get_motif(motif).width
    inst = data.X[seqs[:, None], starts[:, None] + np.arange(w)]
    inst[strands < 0] = S.reverse_complement(inst[strands < 0])
    return inst, strands


def test_workshop_dict_works_unchanged_and_shapes():
    d = sim.simulate_heterodimer_grammar(**{**WORKSHOP, "num_pos": 50, "num_neg": 30}, random_state=1)
    assert d.X.shape == (80, 500, 4) and d.X.dtype == np.float32
    assert d.y.shape == (80, 1) and d.y.sum() == 50  # negatives number num_neg, not num_pos
    assert len(d.sites) == 160 and d.task_names == ["positive"]


def test_background_gc(hetero):
    background = ~hetero.truth_mask()
    gc = hetero.X[..., 1:3].sum(-1)[background].mean()
    assert abs(gc - 0.4) < 0.005


@pytest.mark.parametrize("motif", ["SPI1_known4", "IRF_known20"])
def test_instances_follow_the_pwm_and_strands_are_balanced(hetero, motif):
    inst, strands = site_instances(hetero, motif)
    assert np.abs(inst.mean(0) - M.get_motif(motif).ppm).max() < 0.03
    assert abs((strands > 0).mean() - 0.5) < 0.03


def test_negative_control_wrong_orientation_does_not_match_pwm(hetero):
    keep = hetero.sites.motif == "SPI1_known4"
    unflipped = hetero.X[hetero.sites.sequence[keep][:, None], hetero.sites.start[keep][:, None] + np.arange(14)]
    assert np.abs(unflipped.mean(0) - M.get_motif("SPI1_known4").ppm).max() > 0.1


def test_heterodimer_gaps_uniform_and_order(hetero):
    f = hetero.sites.to_frame()
    pos = f[f.sequence < 3000].sort_values(["sequence", "start"])
    assert (pos.groupby("sequence").motif.first() == "SPI1_known4").all()
    wide = pos.pivot(index="sequence", columns="motif", values=["start", "end"])
    gaps = (wide["start"]["IRF_known20"] - wide["end"]["SPI1_known4"]).to_numpy()
    counts = np.bincount(gaps, minlength=6)[2:6]
    assert gaps.min() == 2 and gaps.max() == 5
    assert counts.min() / counts.max() > 0.85  # uniform within sampling noise (750 expected each)


def test_sites_never_overlap_and_labels_match(hetero):
    f = hetero.sites.to_frame().sort_values(["sequence", "start"])
    same = f.sequence.to_numpy()[1:] == f.sequence.to_numpy()[:-1]
    assert (f.start.to_numpy()[1:][same] >= f.end.to_numpy()[:-1][same]).all()
    assert (f.end <= 500).all() and (f.start >= 0).all()


def test_same_random_state_same_output():
    a = sim.simulate("heterodimer_grammar", num_pos=20, num_neg=20, random_state=5)
    b = sim.simulate("simulate_heterodimer_grammar", num_pos=20, num_neg=20, random_state=5)
    c = sim.simulate("heterodimer_grammar", num_pos=20, num_neg=20, random_state=6)
    np.testing.assert_array_equal(a.X, b.X)
    np.testing.assert_array_equal(a.sites.start, b.sites.start)
    assert not np.array_equal(a.X, c.X)


def test_single_motif_detection():
    d = sim.simulate_single_motif_detection("TAL1_known4", 200, 300, 200, 0.4, random_state=0)
    per = np.bincount(d.sites.sequence, minlength=500)
    np.testing.assert_array_equal(per, (d.y[:, 0] > 0).astype(int))


def test_motif_counting_within_ranges():
    d = sim.simulate_motif_counting("SPI1_known4", 500, (5, 8), (0, 2), 400, 300, 0.4, random_state=0)
    per = np.bincount(d.sites.sequence, minlength=700)
    assert per[:400].min() == 5 and per[:400].max() == 8
    assert per[400:].min() == 0 and per[400:].max() == 2


def test_density_localization_sites_inside_center():
    d = sim.simulate_motif_density_localization("SPI1_known4", 1000, 150, 2, 4, 300, 300, 0.4,
                                                random_state=0)
    f = d.sites.to_frame()
    pos = f[f.sequence < 300]
    assert pos.start.min() >= 425 and pos.end.max() <= 575
    neg = f[f.sequence >= 300]
    assert neg.start.min() < 300 and neg.end.max() > 700
    per = np.bincount(d.sites.sequence, minlength=600)
    assert per.min() == 2 and per.max() == 4


def test_multi_motif_labels_match_sites():
    names = ["CTCF_known1", "ZNF143_known2", "SIX5_known1"]
    d = sim.simulate_multi_motif_embedding(names, 500, 1, 3, 500, 0.4, random_state=0)
    assert d.y.shape == (500, 3) and d.task_names == names
    truth = np.zeros((500, 3))
    for s, m in zip(d.sites.sequence, d.sites.motif):
        truth[s, names.index(m)] = 1
    np.testing.assert_array_equal(d.y, truth)
    assert d.y.sum(1).min() == 1 and d.y.sum(1).max() == 3


def test_differential_accessibility_groups():
    d = sim.simulate_differential_accessibility(["CTCF_known1"], ["ZNF143_known2"], 500, 1, 1, 100, 80,
                                                0.4, random_state=0)
    f = d.sites.to_frame()
    assert set(f[f.sequence < 100].motif) == {"CTCF_known1"}
    assert set(f[f.sequence >= 100].motif) == {"ZNF143_known2"}
    assert d.y.sum() == 100 and len(d) == 180


def test_truth_mask_and_split_keep_sites_with_their_sequences():
    d = sim.simulate_heterodimer_grammar(num_pos=60, num_neg=60, random_state=3)
    mask = d.truth_mask()
    assert mask.sum() == 2 * 120 * 14
    data = sim.get_simulation_data("simulate_heterodimer_grammar", {**WORKSHOP, "num_pos": 60, "num_neg": 60},
                                   test_set_size=30, validation_set_size=20, random_state=3)
    assert (len(data.X_train), len(data.X_valid), len(data.X_test)) == (70, 20, 30)
    test = data.split("test")
    # every site of the test split still sits on a matching motif instance
    hits = M.scan(test.X, "SPI1_known4")
    keep = test.sites.motif == "SPI1_known4"
    at_sites = hits[test.sites.sequence[keep], test.sites.start[keep]]
    assert np.median(at_sites) > 10
    assert test.truth_mask().sum() == 2 * 30 * 14


@pytest.mark.parametrize("call, exc, match", [
    (lambda: sim.simulate("heterodimer_gramar"), KeyError, "Close matches: simulate_heterodimer_grammar"),
    (lambda: sim.simulate_heterodimer_grammar(motif1="SPI_known4"), KeyError, "SPI1_known4"),
    (lambda: sim.simulate_heterodimer_grammar(num_pos=-1), ValueError, "num_pos must be >= 0; received -1"),
    (lambda: sim.simulate_heterodimer_grammar(GC_fraction=1.2), ValueError, r"GC_fraction must be in \[0.0, 1.0\]"),
    (lambda: sim.simulate_heterodimer_grammar(min_spacing=6, max_spacing=5), ValueError,
     r"min_spacing \(6\) must be <= max_spacing \(5\)"),
    (lambda: sim.simulate_heterodimer_grammar(seq_length=20), ValueError, "seq_length = 20 is too short"),
    (lambda: sim.simulate_motif_counting(seq_length=50, pos_counts=(5, 10)), ValueError, "seq_length = 50 is too short"),
    (lambda: sim.simulate_motif_counting(pos_counts=(3, 1)), ValueError, r"pos_counts\[0\] \(3\) must be <="),
    (lambda: sim.simulate_motif_density_localization(center_size=2000), ValueError, r"center_size must be in \[1, 1000\]"),
    (lambda: sim.simulate_multi_motif_embedding(["CTCF_known1"], max_num_motifs=2), ValueError,
     r"max_num_motifs must be in \[0, 1\]"),
    (lambda: sim.simulate("heterodimer_grammar", spacing=3), ValueError, r"unknown parameter\(s\) \['spacing'\]"),
])
def test_bad_input_messages(call, exc, match):
    with pytest.raises(exc, match=match):
        call()


def test_crowded_placement_is_exact_and_terminates():
    # 4 instances of width 14 in exactly 56 bp: one arrangement (any order), no search loop.
    d = sim.simulate_motif_density_localization("SPI1_known4", 100, 56, 4, 4, 50, 0, 0.4, random_state=0)
    f = d.sites.to_frame()
    assert sorted(set(f.start)) == [22, 36, 50, 64]


def test_registry_and_printing(capsys):
    assert len(sim.get_available_simulations()) == 6
    sim.print_available_simulations()
    out = capsys.readouterr().out
    assert "simulate_heterodimer_grammar" in out and "both motifs placed independently" in out
    sim.print_simulation_info("heterodimer_grammar")
    assert "min_spacing = 2" in capsys.readouterr().out
    assert sim.get_simulation_function("simulate_motif_counting") is sim.simulate_motif_counting
    assert list(sim.simulation_table().columns)[:3] == ["simulation", "positive class", "negative class"]


def test_sites_select_allows_sequences_without_sites_beyond_the_last_site():
    # Regression: selecting a trailing negative (index past the last sequence that has a
    # site) used to raise IndexError in get_simulation_data with a single-motif dataset.
    from dragonn_tutorial.simulations import Sites

    sites = Sites(np.array([0, 1]), np.array(["A", "B"], dtype=object), np.array([3, 5]),
                  np.array([9, 11]), np.array([1, -1], dtype=np.int8))
    picked = sites.select([3, 1, 2])
    assert picked.sequence.tolist() == [1]
    assert picked.motif.tolist() == ["B"] and picked.start.tolist() == [5]
    data = sim.get_simulation_data(
        "simulate_single_motif_detection", {"seq_length": 100, "num_pos": 50, "num_neg": 50},
        test_set_size=20, validation_set_size=20, random_state=0)
    assert len(data.y_train) + len(data.y_valid) + len(data.y_test) == 100


# --------------------------------------------------------------------------- heterodimer orientation (#14)

@pytest.mark.parametrize("orientation", ["block", "forward", "independent"])
def test_heterodimer_orientation_modes(orientation):
    d = sim.simulate_heterodimer_grammar(**{**WORKSHOP, "num_pos": 2000, "num_neg": 2000}, random_state=2,
                                         orientation=orientation)
    assert d.params["orientation"] == orientation
    for motif in ("SPI1_known4", "IRF_known20"):  # the recorded strand reads the PWM at every site
        inst, _ = site_instances(d, motif)
        assert np.abs(inst.mean(0) - M.get_motif(motif).ppm).max() < 0.04
    f = d.sites.to_frame()
    pos = f[f.sequence < 2000].sort_values(["sequence", "start"])
    wide = pos.pivot(index="sequence", columns="motif", values=["start", "end", "strand"])
    s1, s2 = wide["strand"]["SPI1_known4"], wide["strand"]["IRF_known20"]
    spi1_first = wide["start"]["SPI1_known4"] < wide["start"]["IRF_known20"]
    gap = np.where(spi1_first, wide["start"]["IRF_known20"] - wide["end"]["SPI1_known4"],
                   wide["start"]["SPI1_known4"] - wide["end"]["IRF_known20"])
    assert gap.min() == 2 and gap.max() == 5  # the spacing holds in every mode
    neg = f[f.sequence >= 2000]
    assert abs((neg.strand == "+").mean() - 0.5) < 0.03  # negatives: random strands in every mode
    same = (s1 == s2).mean()
    if orientation == "forward":  # 2016: both forward, SPI1 first, in every positive
        assert (s1 == "+").all() and (s2 == "+").all() and spi1_first.all()
    elif orientation == "block":  # one flip per block: strands agree; flipped block reads rc(IRF), gap, rc(SPI1)
        assert same == 1.0 and abs((s1 == "+").mean() - 0.5) < 0.04
        assert (spi1_first == (s1 == "+")).all()
    else:  # each strand on its own: agree about half the time, SPI1 always first
        assert abs(same - 0.5) < 0.04 and spi1_first.all()


def test_heterodimer_orientation_rejects_unknown_names():
    with pytest.raises(ValueError, match=r"orientation must be one of \['block', 'forward', 'independent'\]; "
                                         r"received '2016'"):
        sim.simulate_heterodimer_grammar(num_pos=5, num_neg=5, orientation="2016")
