import gzip

import numpy as np
import pytest

from dragonn_tutorial import motifs as M
from dragonn_tutorial import sequences as S

SITES = ["GGATAA", "CGATAA", "CGATAT", "GGATAT"]


def gata_like():
    X = S.one_hot_encode(SITES)
    return M.Motif("toy", X.mean(axis=0), n_sites=4)


def test_motif_from_sites_ppm_information_and_consensus():
    m = gata_like()
    np.testing.assert_allclose(m.ppm[0], [0, 0.5, 0.5, 0])
    np.testing.assert_allclose(m.ppm.sum(1), 1)
    ic = m.information_content()
    np.testing.assert_allclose(ic, [1, 2, 2, 2, 2, 1])  # 2 - H: H = 1 bit at positions 0 and 5
    corrected = m.information_content(correction=True)
    np.testing.assert_allclose(ic - corrected, 3 / (2 * np.log(2) * 4))
    assert m.consensus() == "SGATAW"
    np.testing.assert_allclose(m.information_matrix().sum(1), ic)


def test_pssm_log_odds_and_background():
    m = M.Motif("m", [[0.7, 0.1, 0.1, 0.1]])
    np.testing.assert_allclose(m.pssm(0.5, pseudocount=0), [np.log2([0.7, 0.1, 0.1, 0.1]) + 2])
    at_rich = m.pssm(0.2, pseudocount=0)
    np.testing.assert_allclose(at_rich[0, 0], np.log2(0.7 / 0.4))
    np.testing.assert_allclose(m.pssm([1, 1, 1, 1], pseudocount=0), m.pssm(0.5, pseudocount=0))
    assert np.isfinite(M.Motif("z", [[1, 0, 0, 0]]).pssm()).all()
    with pytest.raises(ValueError, match="background must be a GC fraction in"):
        m.pssm([1, 2])
    with pytest.raises(ValueError, match=r"background must be in \[0.0, 1.0\]; received 2.0"):
        m.pssm(2.0)


def test_motif_validation_and_reverse_complement():
    with pytest.raises(ValueError, match=r"shape \(width, 4\)"):
        M.Motif("bad", np.ones((3, 5)))
    with pytest.raises(ValueError, match="sums to 0"):
        M.Motif("bad", [[0, 0, 0, 0]])
    m = gata_like()
    rc = m.reverse_complement()
    assert rc.consensus() == "WTATCS" and rc.name == "toy_rc"
    np.testing.assert_allclose(rc.reverse_complement().ppm, m.ppm)


def test_bundled_collection_and_lookup():
    names = M.list_motifs()
    assert len(names) == 2067
    for name in ["SPI1_known4", "IRF_known20", "TAL1_known4", "CTCF_known1", "ZNF143_known2", "SIX5_known1"]:
        m = M.get_motif(name)
        np.testing.assert_allclose(m.ppm.sum(1), 1)
    assert M.get_motif("SPI1_known4").width == 14
    assert M.list_motifs("^tal1_known") == [f"TAL1_known{i}" for i in range(1, 6)]
    assert M.get_motif(M.get_motif("CTCF_known1")).name == "CTCF_known1"


def test_unknown_motif_lists_close_matches():
    with pytest.raises(KeyError, match="unknown motif 'SPI1_knwn4'. Close matches: SPI1_known4"):
        M.get_motif("SPI1_knwn4")
    with pytest.raises(ValueError, match="not a valid regular expression"):
        M.list_motifs("(")


def test_sample_motif_matches_probabilities():
    m = M.get_motif("IRF_known20")
    X = M.sample_motif(m, 20000, random_state=0)
    assert X.shape == (20000, m.width, 4)
    np.testing.assert_allclose(X.mean(0), m.ppm, atol=0.015)
    np.testing.assert_array_equal(X, M.sample_motif(m, 20000, random_state=0))
    assert len(M.sample_motif("SPI1_known4", 3, random_state=1, as_strings=True)[0]) == 14


MEME = """MEME version 4

ALPHABET= ACGT

strands: + -

Background letter frequencies
A 0.25 C 0.25 G 0.25 T 0.25

MOTIF M1 first
letter-probability matrix: alength= 4 w= 3 nsites= 10 E= 0
0.7 0.1 0.1 0.1
0.0 1.0 0.0 0.0
0.25 0.25 0.25 0.25

MOTIF M2
letter-probability matrix: alength= 4 w= 2
0.5 0.5 0 0
0 0 0.5 0.5
"""

JASPAR_BRACKETED = """>MA0004.1 Arnt
A  [ 4 19  0  0  0  0 ]
C  [16  0 20  0  0  0 ]
G  [ 0  1  0 20  0 20 ]
T  [ 0  0  0  0 20  0 ]
"""

JASPAR_PLAIN = """>MA0004.1 Arnt
4 19 0 0 0 0
16 0 20 0 0 0
0 1 0 20 0 20
0 0 0 0 20 0
"""

HOMER = """>CACGTG\tArnt(bHLH)/Test\t6.5
0.2 0.8 0.0 0.0
0.95 0.0 0.05 0.0
0.0 1.0 0.0 0.0
"""


@pytest.mark.parametrize("text, fmt", [(MEME, "meme"), (JASPAR_BRACKETED, "jaspar"),
                                       (JASPAR_PLAIN, "jaspar"), (HOMER, "homer")])
def test_readers_detect_format(tmp_path, text, fmt):
    path = tmp_path / "m.txt"
    path.write_text(text)
    detected = M.load_motifs(path)
    explicit = M.load_motifs(path, format=fmt)
    assert list(detected) == list(explicit)
    for m in detected.values():
        np.testing.assert_allclose(m.ppm.sum(1), 1)


def test_reader_values(tmp_path):
    (tmp_path / "a.meme").write_text(MEME)
    meme = M.load_motifs(tmp_path / "a.meme")
    assert list(meme) == ["M1", "M2"] and meme["M1"].n_sites == 10 and meme["M1"].source == "first"
    np.testing.assert_allclose(meme["M1"].ppm[0], [0.7, 0.1, 0.1, 0.1])
    (tmp_path / "j.jaspar").write_text(JASPAR_BRACKETED)
    j = M.load_motifs(tmp_path / "j.jaspar")["MA0004.1"]
    assert j.consensus() == "CACGTG" and j.source == "Arnt" and j.n_sites == 20
    np.testing.assert_allclose(j.ppm[1], [0.95, 0, 0.05, 0])
    jp = M.load_motifs(tmp_path / "j.jaspar", pseudocount=1)["MA0004.1"]
    np.testing.assert_allclose(jp.ppm[0], np.array([5, 17, 1, 1]) / 24)
    (tmp_path / "h.motif").write_text(HOMER)
    h = M.load_motifs(tmp_path / "h.motif")
    assert list(h) == ["Arnt(bHLH)/Test"] and h["Arnt(bHLH)/Test"].source == "CACGTG"


def test_reader_reads_gzip_and_encode_format(tmp_path):
    path = tmp_path / "e.txt.gz"
    with gzip.open(path, "wt") as fh:
        fh.write(">X_known1 alias src\nA 0.9 0.1 0 0\nC 0 1 0 0\n")
    m = M.load_motifs(path)["X_known1"]
    assert m.consensus() == "AC" and m.source == "alias src"


@pytest.mark.parametrize("text, match", [
    (MEME.replace("0.0 1.0 0.0 0.0", "0.0 1.0 0.0"), r"line 13: expected 4 numbers, found 3"),
    (MEME.replace("w= 3", "w= 4"), r"line 11: motif 'M1' declares w= 4 but has 3 rows"),
    (JASPAR_BRACKETED.replace("T  [ 0  0  0  0 20  0 ]\n", ""), r"line 5: motif 'MA0004.1' needs 4 rows"),
    (JASPAR_BRACKETED.replace("C  [16  0 20  0  0  0 ]", "C  [16  0 20  0  0 ]"), "rows have different lengths"),
    (JASPAR_PLAIN.replace("16 0 20", "16 x 20"), r"line 3: expected numbers, found '16 x 20"),
    (HOMER.replace("0.0 1.0 0.0 0.0", "0 0 0 0"), "row that sums to 0"),
    ("hello\n", "line 1: cannot detect the motif format"),
])
def test_malformed_files_name_file_line_and_problem(tmp_path, text, match):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(ValueError, match=match) as info:
        M.load_motifs(path)
    assert "bad.txt" in str(info.value)


def brute_force_scan(X, pssm):
    w = len(pssm)
    rc = pssm[::-1, ::-1]
    out = np.zeros((len(X), X.shape[1] - w + 1))
    strand = np.zeros_like(out)
    for i in range(len(X)):
        for p in range(out.shape[1]):
            f, r = (X[i, p:p + w] * pssm).sum(), (X[i, p:p + w] * rc).sum()
            out[i, p], strand[i, p] = max(f, r), (1 if f >= r else -1)
    return out, strand


@pytest.mark.parametrize("width", [1, 3, 4, 5, 9, 14])
def test_scan_equals_brute_force(width):
    rng = np.random.default_rng(width)
    X = S.random_sequences(6, 40, 0.5, random_state=width)
    X[1, 5:8] = 0  # N bases contribute 0
    pssm = rng.normal(size=(width, 4))
    res = M.scan(X, pssm, return_strands=True)
    bf, strand = brute_force_scan(X, pssm)
    np.testing.assert_allclose(res.scores, bf, atol=1e-5)
    np.testing.assert_array_equal(res.strands, strand)
    fwd = M.scan(X, pssm, both_strands=False)
    forward_only = [[(X[i, p:p + width] * pssm).sum() for p in range(41 - width)] for i in range(6)]
    np.testing.assert_allclose(fwd, forward_only, atol=1e-5)


def test_scan_finds_planted_site_on_either_strand():
    m = M.get_motif("SPI1_known4")
    X = S.random_sequences(2, 100, 0.4, random_state=0)
    cons = S.one_hot_encode("AAAAAGAGGAAGTG")[0]
    X[0, 30:44] = cons
    X[1, 60:74] = S.reverse_complement(cons)
    hits = M.best_hits(X, m)
    assert [(h.start, h.strand) for h in hits] == [(30, 1), (60, -1)]
    above = M.hits_above(X, m, threshold=hits[0].score - 1e-3)
    assert (0, 30, 44, 1) in [(h.sequence, h.start, h.end, h.strand) for h in above]
    feats = M.pssm_features(X, ["SPI1_known4", "IRF_known20"])
    assert feats.shape == (2, 2) and feats[0, 0] == pytest.approx(hits[0].score)


def test_scan_bad_input():
    X = S.random_sequences(2, 10, random_state=0)
    with pytest.raises(ValueError, match="longer than the sequences"):
        M.scan(X, "SPI1_known4")
    with pytest.raises(ValueError, match="must be one-hot"):
        M.scan(X * 0.5, np.ones((3, 4)))
    with pytest.raises(ValueError, match=r"shape \(n, length, 4\)"):
        M.scan(np.zeros((2, 10, 5)), np.ones((3, 4)))
