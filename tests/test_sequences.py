import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from dragonn_tutorial import sequences as S

dna = st.text(alphabet="ACGTNacgtn", min_size=1, max_size=60)


def test_one_hot_encode_known_matrix():
    X = S.one_hot_encode("ACGTN")
    assert X.dtype == np.float32 and X.shape == (1, 5, 4)
    np.testing.assert_array_equal(X[0], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [0, 0, 0, 0]])


def test_one_hot_encode_lowercase_list_and_fasta_records():
    a = S.one_hot_encode(["acgt", "TTGA"])
    b = S.one_hot_encode([("s1", "ACGT"), ("s2", "ttga")])
    assert a.shape == (2, 4, 4)
    np.testing.assert_array_equal(a, b)


def test_one_hot_encode_bad_character_names_character_sequence_and_position():
    with pytest.raises(ValueError, match=r"invalid character 'X' in sequence 1 at position 2"):
        S.one_hot_encode(["ACGT", "ACXT"])
    with pytest.raises(ValueError, match=r"invalid character 'é' in sequence 0 at position 1"):
        S.one_hot_encode("Aé")


def test_one_hot_encode_unequal_lengths():
    with pytest.raises(ValueError, match="same length.*sequence 0 has 4.*sequence 2 has 3"):
        S.one_hot_encode(["ACGT", "ACGT", "ACG"])


def test_one_hot_encode_rejects_empty_and_arrays():
    with pytest.raises(ValueError, match="empty"):
        S.one_hot_encode([])
    with pytest.raises(ValueError, match="already be one-hot"):
        S.one_hot_encode(np.zeros((1, 4, 4)))


@given(st.lists(dna, min_size=1, max_size=5).filter(lambda l: len({len(s) for s in l}) == 1))
@settings(max_examples=50, deadline=None)
def test_decode_inverts_encode(seqs):
    assert S.one_hot_decode(S.one_hot_encode(seqs)) == [s.upper() for s in seqs]


@given(dna)
@settings(max_examples=50, deadline=None)
def test_reverse_complement_string_matches_array_and_is_an_involution(seq):
    X = S.one_hot_encode(seq)
    rc = S.reverse_complement(seq)
    assert S.reverse_complement(rc) == seq
    np.testing.assert_array_equal(S.reverse_complement(X), S.one_hot_encode(rc))


def test_reverse_complement_examples_and_no_mutation():
    assert S.reverse_complement("GGATAA") == "TTATCC"
    assert S.reverse_complement(["AC", "gN"]) == ["GT", "Nc"]
    X = S.one_hot_encode("AACG")
    before = X.copy()
    S.reverse_complement(X)
    np.testing.assert_array_equal(X, before)
    with pytest.raises(ValueError, match=r"\(n, length, 4\)"):
        S.reverse_complement(np.zeros((3, 5)))


def test_gc_content_excludes_n():
    assert S.gc_content("GGCCNN") == 1.0
    assert S.gc_content("ATGC") == 0.5
    np.testing.assert_allclose(S.gc_content(["AAAA", "GCGA"]), [0.0, 0.75])
    assert np.isnan(S.gc_content("NNNN"))


def test_random_sequences_gc_and_seeding():
    X = S.random_sequences(400, 500, gc_fraction=0.3, random_state=0)
    assert X.shape == (400, 500, 4) and X.dtype == np.float32
    np.testing.assert_array_equal(X.sum(-1), 1)
    assert abs(S.gc_content(X).mean() - 0.3) < 0.005
    # A = T and C = G in expectation
    freq = X.mean(axis=(0, 1))
    np.testing.assert_allclose(freq, [0.35, 0.15, 0.15, 0.35], atol=0.005)
    np.testing.assert_array_equal(X, S.random_sequences(400, 500, 0.3, random_state=0))
    assert not np.array_equal(X, S.random_sequences(400, 500, 0.3, random_state=1))
    strings = S.random_sequences(3, 7, 0.5, random_state=0, as_strings=True)
    assert len(strings) == 3 and all(len(s) == 7 for s in strings)


@pytest.mark.parametrize("kwargs, match", [
    (dict(n=-1, length=5), "n must be >= 0; received -1"),
    (dict(n=2, length=0), "length must be >= 1; received 0"),
    (dict(n=2, length=5, gc_fraction=1.5), r"gc_fraction must be in \[0.0, 1.0\]; received 1.5"),
    (dict(n=2, length=5, random_state="x"), "random_state must be None, an int or a numpy Generator"),
])
def test_random_sequences_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        S.random_sequences(**kwargs)


def test_dinucleotide_shuffle_keeps_counts_ends_and_changes_order():
    X = S.random_sequences(50, 120, 0.45, random_state=3)
    X[0, 10:14] = 0  # some N
    Y = S.dinucleotide_shuffle(X, n_shuffles=4, random_state=0)
    assert Y.shape == (50, 4, 120, 4)
    for k in range(4):
        np.testing.assert_array_equal(S.dinucleotide_counts(Y[:, k]), S.dinucleotide_counts(X))
        np.testing.assert_array_equal(Y[:, k].sum(axis=1), X.sum(axis=1))
        np.testing.assert_array_equal(Y[:, k, 0], X[:, 0])
        np.testing.assert_array_equal(Y[:, k, -1], X[:, -1])
    changed = (Y != X[:, None]).any(axis=(2, 3))
    assert changed.mean() > 0.95


def test_dinucleotide_shuffle_seeded_per_sequence_not_per_batch():
    X = S.random_sequences(12, 80, 0.5, random_state=4)
    full = S.dinucleotide_shuffle(X, 3, random_state=7)
    part = S.dinucleotide_shuffle(X[[5, 2]], 3, random_state=7)
    np.testing.assert_array_equal(part[0], full[5])
    np.testing.assert_array_equal(part[1], full[2])
    other = S.dinucleotide_shuffle(X, 3, random_state=8)
    assert not np.array_equal(other, full)


def test_dinucleotide_shuffle_negative_control_plain_shuffle_breaks_counts():
    # The check above can fail: a plain base shuffle keeps base counts but not dinucleotides.
    X = S.random_sequences(20, 100, 0.5, random_state=5)
    rng = np.random.default_rng(0)
    plain = np.stack([x[rng.permutation(100)] for x in X])
    assert not np.array_equal(S.dinucleotide_counts(plain), S.dinucleotide_counts(X))


def test_fasta_round_trip_streaming(tmp_path):
    path = tmp_path / "x.fa"
    records = [("seq1 some description", "ACGT" * 30), ("seq2", "NNAC")]
    S.write_fasta(iter(records), path, line_width=50)
    text = path.read_text()
    assert text.startswith(">seq1 some description\n") and max(map(len, text.splitlines())) == 50
    reader = S.read_fasta(path)
    assert next(reader) == records[0]
    assert list(reader) == [records[1]]
    S.write_fasta({"a": "ACGT", "b": "GGNN"}, tmp_path / "y.fa")
    assert S.one_hot_encode(S.read_fasta(tmp_path / "y.fa")).shape == (2, 4, 4)


def test_fasta_errors(tmp_path):
    bad = tmp_path / "bad.fa"
    bad.write_text("ACGT\n>x\nAC\n")
    with pytest.raises(ValueError, match="line 1: sequence text before the first"):
        list(S.read_fasta(bad))
    with pytest.raises(ValueError, match=r"records\[0\] must be a \(name, sequence\) pair"):
        S.write_fasta(["ACGT"], tmp_path / "o.fa")
