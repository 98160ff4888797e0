"""Motif discovery (TF-MoDISco), JASPAR naming (TOMTOM) and variant effects."""
import numpy as np
import pytest

from dragonn_tutorial import discovery
from dragonn_tutorial.motifs import Motif, sample_motif
from dragonn_tutorial.sequences import one_hot_encode, random_sequences

EBOX = "CACGTG"


def test_bundled_jaspar_has_the_expected_factors():
    db = discovery.load_jaspar()
    assert len(db) == 879
    names = {m.source.upper() for m in db.values()}
    assert {"USF1", "USF2", "MAX", "MAFK", "POU5F1", "SOX2", "CTCF"} <= names
    usf1 = db["MA0093.4"]
    assert usf1.source == "USF1" and "GTG" in usf1.consensus()  # the E-box half CACGTG / CATGTG
    assert np.allclose(usf1.ppm.sum(1), 1)


def test_tomtom_names_jaspar_motifs_and_their_reverse_complements():
    db = discovery.load_jaspar()
    mafk, ctcf = db["MA0496.4"], db["MA0139.2"] if "MA0139.2" in db else db["MA1929.2"]
    queries = [("mafk", mafk.ppm), ("ctcf_rc", ctcf.ppm[::-1, ::-1])]
    df = discovery.tomtom_matches(queries, n_matches=3)
    top = df[df["rank"] == 1].set_index("pattern")
    assert top.loc["mafk", "target"] == "MA0496.4" and top.loc["mafk", "p_value"] < 1e-6
    assert top.loc["ctcf_rc", "name"].upper() == "CTCF" and top.loc["ctcf_rc", "strand"] == "-"
    assert (df.q_value >= df.p_value).all()
    # negative control: a random motif of the same width matches far worse than MAFK's own
    rng = np.random.default_rng(0)
    best = [discovery.tomtom_matches([("random", rng.dirichlet(np.full(4, 0.5), len(mafk.ppm)))],
                                     n_matches=1).p_value.iloc[0] for _ in range(5)]
    assert min(best) > 1e3 * top.loc["mafk", "p_value"]


def _planted(n=160, length=60, seed=0):
    """Sequences with the MAFK site planted in the positives and synthetic hypothetical
    contributions: the motif's log-odds at planted positions, small noise elsewhere."""
    rng = np.random.default_rng(seed)
    motif = discovery.load_jaspar()["MA0496.4"]
    consensus = "".join("ACGT"[i] for i in motif.ppm.argmax(1))
    w = len(consensus)
    seqs = random_sequences(n, length, 0.45, random_state=seed, as_strings=True)
    X = one_hot_encode(seqs)
    hyp = rng.normal(0, 0.02, X.shape).astype(np.float32)
    lo = np.log(motif.ppm + 0.05) - np.log(0.25 + 0.05)
    sites = []
    instances = sample_motif(motif, n, random_state=seed, as_strings=True)
    for i in range(n):
        start = int(rng.integers(5, length - w - 5))
        site = one_hot_encode(instances[i])[0]
        if rng.random() < 0.5:  # either strand
            site, block = site[::-1, ::-1], lo[::-1, ::-1]
        else:
            block = lo
        X[i, start:start + w] = site
        hyp[i, start:start + w] += block.astype(np.float32)
        sites.append(start)
    return X, hyp, motif, np.array(sites)


@pytest.mark.slow
def test_modisco_recovers_a_planted_motif_and_tomtom_names_it():
    X, hyp, motif, sites = _planted()
    patterns = discovery.run_modisco(X, hyp, max_seqlets=500, n_leiden_runs=2)
    assert patterns, "MoDISco found no pattern"
    top = max(patterns, key=lambda p: p.n_seqlets)
    assert top.sign == 1 and top.n_seqlets >= 20
    # the seqlets sit on the planted sites
    hits = discovery.pattern_hits([top], len(X))
    overlap = [any(s < sites[i] + len(motif) and e > sites[i] for _, s, e, _ in h) for i, h in enumerate(hits) if h]
    assert np.mean(overlap) > 0.9
    names = discovery.tomtom_matches([top], n_matches=5)
    assert "MAFK" in {n.upper() for n in names.name}
    with pytest.raises(ValueError, match="shape of X"):
        discovery.run_modisco(X, hyp[:, :10])


def test_pattern_trimming_follows_the_strand():
    cwm = np.zeros((10, 4))
    cwm[3:6, 0] = 1.0
    p = discovery.Pattern("pos_0", np.full((10, 4), 0.25), cwm, cwm, [(0, 20, 30, False), (1, 20, 30, True)])
    assert p.trim_bounds() == (3, 6)
    t = p.trimmed()
    assert t.seqlets == [(0, 23, 26, False), (1, 24, 27, True)]
    assert len(t.ppm) == 3


# ------------------------------------------------------------------ variant effects
@pytest.fixture(scope="module")
def ebox_model():
    keras = pytest.importorskip("keras")
    inputs = keras.Input((40, 4))
    conv = keras.layers.Conv1D(1, 6, name="conv_1")
    h = keras.layers.Activation("relu")(conv(inputs))
    h = keras.layers.GlobalMaxPooling1D()(h)
    logits = keras.layers.Dense(1, name="logits")(h)
    out = keras.layers.Activation("sigmoid", name="output")(logits)
    model = keras.Model(inputs, out)
    kernel = one_hot_encode(EBOX)[0][:, :, None] * 2.0 - 0.5
    conv.set_weights([kernel, np.array([-3.0])])
    model.get_layer("logits").set_weights([np.ones((1, 1)), np.zeros(1)])
    return model


def test_variant_effects_match_predicting_the_mutant(ebox_model):
    from dragonn_tutorial.interpret import logits

    seq = "A" * 10 + EBOX + "T" * 24
    X = one_hot_encode([seq, "G" * 40])
    df = discovery.variant_effects(ebox_model, X, [(0, 12, "T"), "0:30:C", (1, 5, "a")])
    assert df.ref.tolist() == ["C", "T", "G"] and df.alt.tolist() == ["T", "C", "A"]
    for _, row in df.iterrows():
        mutant = list([seq, "G" * 40][row.sequence])
        mutant[row.position] = row.alt
        expect = logits(ebox_model, one_hot_encode("".join(mutant)))[0, 0] - \
            logits(ebox_model, X[row.sequence:row.sequence + 1])[0, 0]
        assert row.delta == pytest.approx(expect, abs=1e-5)
    assert df.delta[0] < -1 and df.delta[1] == pytest.approx(0, abs=1e-6)
    with pytest.raises(ValueError, match="alt base"):
        discovery.variant_effects(ebox_model, X, [(0, 1, "N")])
    with pytest.raises(ValueError, match="position 40"):
        discovery.variant_effects(ebox_model, X, [(0, 40, "A")])


def test_motif_substitution_effects_agree_with_the_pssm(ebox_model):
    X = one_hot_encode("A" * 10 + EBOX + "T" * 24)
    ppm = one_hot_encode(EBOX)[0] * 0.9 + 0.025
    df = discovery.motif_substitution_effects(ebox_model, X[0], 10, Motif("ebox", ppm))
    assert len(df) == 18 and set(df.offset) == set(range(6))
    assert (df.ism_delta < 0).all() and (df.pssm_delta < 0).all()
    # every substitution breaks the site the same amount in this model and in the PSSM
    assert np.ptp(df.ism_delta) < 1e-5 and np.ptp(df.pssm_delta) < 1e-9
    # the palindrome read on the minus strand gives the same table
    rc = discovery.motif_substitution_effects(ebox_model, X[0], 10, Motif("ebox", ppm), strand="-")
    np.testing.assert_allclose(np.sort(rc.pssm_delta), np.sort(df.pssm_delta))


# ------------------------------------------------------------------ notebook 09's panel
def test_contribution_panel_marks_hits_and_rejects_bad_input():
    from dragonn_tutorial import widgets_real_data as wr

    rng = np.random.default_rng(0)
    contrib = rng.normal(0, 0.1, (3, 50, 4))
    hits = [[("pos_0", 10, 18, "+")], [], [("pos_1", 40, 48, "-"), ("pos_0", 5, 9, "+")]]
    fig = wr.draw_contribution_panel(contrib, 2, hits, names=["a", "b", "c"])
    ax = fig.axes[0]
    spans = [p for p in ax.patches if p.get_alpha() == 0.35]
    assert len(spans) == 2
    assert "c: total" in ax.get_title()
    assert {t.get_text() for t in ax.texts} >= {"pos_1 (-)", "pos_0 (+)"}
    zoomed = wr.draw_contribution_panel(contrib, 2, hits, window=(30, 50))
    assert [t.get_text() for t in zoomed.axes[0].texts if "pos" in t.get_text()] == ["pos_1 (-)"]
    with pytest.raises(ValueError, match="index"):
        wr.draw_contribution_panel(contrib, 3, hits)
    box = wr.contribution_explorer(contrib, hits, names=["a", "b", "c"])
    message = box.children[2]
    assert "#0 a" in message.value and "pos_0 10-18" in message.value
    box.children[0].children[0].value = 1  # the second sequence with a hit: c
    assert "#2 c" in message.value and "pos_1 40-48 (-)" in message.value
    with pytest.raises(ValueError, match="one entry per sequence"):
        wr.contribution_explorer(contrib, hits[:2])
