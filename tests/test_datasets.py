"""Loaders for the shipped ChIP-seq sets and for users' FASTA/BED files."""
import gzip

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from dragonn_tutorial import datasets
from dragonn_tutorial.sequences import one_hot_decode, one_hot_encode, reverse_complement


# ------------------------------------------------------------------ lengths and characters
def test_fit_length_centre_crops_and_pads_with_n():
    out = datasets.fit_length(["ACGTACGTAC", "ACG", "ACGT", "AAAAAC"], 6)
    assert out == ["GTACGT", "NACGNN", "NACGTN", "AAAAAC"]
    # odd difference: the extra base comes off / goes on the right end
    assert datasets.fit_length(["ACGTACG"], 6) == ["ACGTAC"]
    assert datasets.fit_length(["ACGTA"], 6) == ["ACGTAN"]


@pytest.mark.parametrize("n,length", [(1, 1), (10, 7), (37, 20), (20, 37)])
def test_fit_length_keeps_the_centre_base(n, length):
    rng = np.random.default_rng(n)
    s = "".join(rng.choice(list("ACGT"), n))
    out = datasets.fit_length([s], length)[0]
    assert len(out) == length
    if n >= length:
        assert out == s[(n - length) // 2:(n - length) // 2 + length]
    else:
        left = (length - n) // 2
        assert out[left:left + n] == s and set(out[:left] + out[left + n:]) <= {"N"}


def test_clean_sequence_maps_iupac_to_n_and_rejects_the_rest():
    assert datasets.clean_sequence("acgRYnT") == "acgNNnT"
    X = datasets.encode(["acgRYnT"])[0]
    assert X[0, 3:6].sum() == 0 and X[0, :3].sum() == 3  # lower case encoded like upper case
    with pytest.raises(ValueError, match=r"seqA: invalid character 'X' at position 2"):
        datasets.clean_sequence("ACXT", "seqA")
    with pytest.raises(ValueError, match="empty"):
        datasets.encode(["ACGT", ""], names=["a", "b"])


def test_encode_pads_to_the_longest_by_default():
    X, lengths = datasets.encode(["ACGTAC", "ACG"])
    assert X.shape == (2, 6, 4) and lengths.tolist() == [6, 3]
    assert one_hot_decode(X[1]) == "NACGNN"


# ------------------------------------------------------------------ shipped data
@pytest.fixture(scope="module")
def nfe2():
    return datasets.load_nfe2()


def test_nfe2_matches_lsgkm_and_reproduces_gkmsvm(nfe2):
    assert nfe2.X.shape == (1288, 247, 4) and nfe2.X_test.shape == (138, 247, 4)
    assert nfe2.y.sum() == 644 and nfe2.y_test.sum() == 69
    assert nfe2.lengths.min() == 59 and nfe2.lengths.max() == 247
    assert sorted(np.bincount(nfe2.folds)[1:].tolist()) == [256, 258, 258, 258, 258]
    # the published baseline recomputed from lsgkm's own prediction files
    assert roc_auc_score(nfe2.y[:, 0], nfe2.gkmsvm_cv) == pytest.approx(0.9853, abs=1e-4)
    assert roc_auc_score(nfe2.y_test[:, 0], nfe2.gkmsvm_test) == pytest.approx(0.9929, abs=1e-4)
    # the E-box claim from the data README, on the encoded arrays (either strand: palindrome)
    seqs = one_hot_decode(nfe2.X)
    ebox = np.array(["CACGTG" in s for s in seqs])
    assert ebox[:644].sum() == 492 and ebox[644:].sum() == 25


def test_nfe2_folds_partition_the_training_set(nfe2):
    seen = []
    for k in range(1, 6):
        f = nfe2.fold(k)
        assert len(f.X_train) + len(f.X_valid) == 1288
        assert set(f.names_valid).isdisjoint(f.names_train)
        seen += f.names_valid
        assert f.valid_fold == k
    assert sorted(seen) == sorted(nfe2.names)


def test_cv_split_holds_the_fold_out_as_test(nfe2):
    s = nfe2.cv_split(3, valid_fraction=0.1)
    held = set(n for n, f in zip(nfe2.names, nfe2.folds) if f == 3)
    assert set(s.names_test) == held
    assert held.isdisjoint(s.names_train) and held.isdisjoint(s.names_valid)
    assert len(s.X_train) + len(s.X_valid) + len(s.X_test) == 1288
    assert abs(len(s.X_valid) - 0.1 * (1288 - len(held))) <= 2
    with pytest.raises(ValueError, match="k"):
        nfe2.cv_split(6)


def test_oct4_mafk_split_is_stratified_and_complete():
    d = datasets.load_oct4_mafk(random_state=1)
    n = len(d.X_train) + len(d.X_valid) + len(d.X_test)
    assert n == 7797 and d.seq_length == 200
    assert d.y_train.sum() + d.y_valid.sum() + d.y_test.sum() == 3897
    for y in (d.y_train, d.y_valid, d.y_test):
        assert abs(y.mean() - 3897 / 7797) < 0.01
    names = d.names_train + d.names_valid + d.names_test
    assert len(set(names)) == len(names)
    # the octamer is enriched in the Oct4 (label 1) sequences, as the data README measured
    seqs = one_hot_decode(np.concatenate([d.X_train, d.X_valid, d.X_test]))
    y = np.concatenate([d.y_train, d.y_valid, d.y_test])[:, 0]
    octamer = np.array([("ATGCAAAT" in s) or ("ATTTGCAT" in s) for s in seqs])
    assert octamer[y == 1].sum() == 616 and octamer[y == 0].sum() == 79


# ------------------------------------------------------------------ users' files
def _write(path, text, gz=False):
    if gz:
        with gzip.open(path, "wt") as h:
            h.write(text)
    else:
        path.write_text(text)
    return path


def test_from_fasta_positives_negatives(tmp_path):
    pos = _write(tmp_path / "pos.fa", "".join(f">p{i} extra words\nACGTACGTAC\nGTAC\n" for i in range(10)))
    neg = _write(tmp_path / "neg.fa.gz", "".join(f">n{i}\nttttgggg\n\n" for i in range(10)), gz=True)
    d = datasets.from_fasta(pos, neg, valid_fraction=0.2, test_fraction=0.2, random_state=0)
    assert d.seq_length == 14
    assert len(d.X_train) == 12 and len(d.X_valid) == 4 and len(d.X_test) == 4
    for X, y, names in ((d.X_train, d.y_train, d.names_train), (d.X_test, d.y_test, d.names_test)):
        for x, label, name in zip(X, y[:, 0], names):
            assert name[0] == ("p" if label == 1 else "n")
            s = one_hot_decode(x)
            assert s == ("ACGTACGTACGTAC" if label == 1 else "NNNTTTTGGGGNNN")


def test_from_fasta_with_labels_table(tmp_path):
    fa = _write(tmp_path / "all.fa", "".join(f">s{i}\nACGTAC\n" for i in range(20)))
    _write(tmp_path / "labels.tsv", "name\tA\tB\n" + "".join(f"s{i}\t{i % 2}\t{int(i < 5)}\n" for i in range(20)))
    d = datasets.from_fasta(fasta=fa, labels=tmp_path / "labels.tsv", test_fraction=0)
    assert d.task_names == ["A", "B"] and d.y_train.shape[1] == 2 and d.X_test is None
    for name, y in zip(d.names_train + d.names_valid, np.r_[d.y_train, d.y_valid]):
        i = int(name[1:])
        assert y.tolist() == [i % 2, int(i < 5)]
    _write(tmp_path / "bad.tsv", "name\tA\ns0\t1\n")
    with pytest.raises(KeyError, match="s1"):
        datasets.from_fasta(fasta=fa, labels=tmp_path / "bad.tsv")


def test_bad_files_give_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="positives: no such file"):
        datasets.from_fasta(tmp_path / "missing.fa", tmp_path / "missing2.fa")
    txt = _write(tmp_path / "notfasta.fa", "ACGT\n>x\nACGT\n")
    with pytest.raises(ValueError, match="not a FASTA file"):
        datasets.read_records(txt, "positives")
    empty = _write(tmp_path / "empty.fa", "\n")
    with pytest.raises(ValueError, match="no FASTA records"):
        datasets.read_records(empty)
    weird = _write(tmp_path / "weird.fa", ">a\nAC-GT\n")
    with pytest.raises(ValueError, match=r"a: invalid character '-' at position 2"):
        datasets.from_fasta(weird, weird)
    with pytest.raises(ValueError, match="labels="):
        datasets.from_fasta(fasta=weird)


@pytest.fixture
def genome(tmp_path):
    rng = np.random.default_rng(0)
    chroms = {"chr1": "".join(rng.choice(list("ACGTacgt"), 300)), "chr2": "".join(rng.choice(list("ACGT"), 120))}
    path = tmp_path / "genome.fa"
    path.write_text("".join(f">{c} description\n" + "\n".join(s[i:i + 60] for i in range(0, len(s), 60)) + "\n"
                            for c, s in chroms.items()))
    return path, chroms


def test_from_bed_cuts_the_genome_with_pyfaidx(tmp_path, genome):
    path, chroms = genome
    _write(tmp_path / "pos.bed", "track name=x\nchr1\t10\t30\tpeakA\nchr1\t100\t140\nchr2\t0\t20\tpeakC\n")
    _write(tmp_path / "neg.bed", "chr1\t200\t220\tnegA\nchr2\t100\t120\tnegB\n")
    records = datasets.bed_sequences(datasets.read_bed(tmp_path / "pos.bed"), path)
    assert records[0] == ("peakA", chroms["chr1"][10:30])
    assert records[1] == ("chr1:100-140", chroms["chr1"][100:140])
    # fixed windows around the centre; beyond the chromosome end -> N
    windows = datasets.bed_sequences([("chr2", 100, 120, "edge")], path, length=40)
    assert windows[0][1] == chroms["chr2"][90:120] + "N" * 10
    d = datasets.from_bed(tmp_path / "pos.bed", path, negatives=tmp_path / "neg.bed", length=30,
                          valid_fraction=0.2, test_fraction=0.0)
    assert d.seq_length == 30 and len(d.X_train) + len(d.X_valid) == 5
    assert (np.r_[d.y_train, d.y_valid][:, 0] == [n in ("peakA", "chr1:100-140", "peakC")
                                                  for n in d.names_train + d.names_valid]).all()
    _write(tmp_path / "badchrom.bed", "chr9\t1\t10\n")
    with pytest.raises(KeyError, match="chr9"):
        datasets.from_bed(tmp_path / "badchrom.bed", path, negatives=tmp_path / "neg.bed")
    _write(tmp_path / "badline.bed", "chr1\t10\n")
    with pytest.raises(ValueError, match="line 1"):
        datasets.read_bed(tmp_path / "badline.bed")


# ------------------------------------------------------------------ strands
def test_reverse_complement_augmentation():
    X = one_hot_encode(["AACGT", "GGGTN"])
    X2, y2 = datasets.augment_reverse_complement(X, np.array([1, 0]))
    assert X2.shape == (4, 5, 4) and y2.tolist() == [1, 0, 1, 0]
    assert one_hot_decode(X2[2:]) == ["ACGTT", "NACCC"]
    with pytest.raises(ValueError, match="labels"):
        datasets.augment_reverse_complement(X, [1])


def test_predict_rc_is_strand_symmetric():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(0)
    X = one_hot_encode(["".join(rng.choice(list("ACGT"), 30)) for _ in range(8)])
    inputs = keras.Input((30, 4))
    h = keras.layers.Conv1D(3, 5)(inputs)
    out = keras.layers.Dense(1, activation="sigmoid")(keras.layers.GlobalMaxPooling1D()(h))
    model = keras.Model(inputs, out)
    p, p_rc = datasets.predict_rc(model, X), datasets.predict_rc(model, reverse_complement(X))
    np.testing.assert_allclose(p, p_rc, atol=1e-6)
    from dragonn_tutorial.training import predict
    assert not np.allclose(predict(model, X), predict(model, reverse_complement(X)), atol=1e-4)
