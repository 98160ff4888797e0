"""A catalogue of invalid inputs to every public function of sequences, motifs,
simulations, metrics, baselines and plotting, by category, as a new user
might try them.

Each case is ``Case(category, label, call, param)``: ``call()`` must raise
ValueError, TypeError or KeyError whose message names ``param``. Used by
``tests/test_fuzz_invalid.py`` (one test per category) and by
``benchmarks/fuzz_report.py`` (the table of outcomes).
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np

import dragonn_tutorial as dt
from dragonn_tutorial import baselines as B
from dragonn_tutorial import metrics as MET
from dragonn_tutorial import motifs as M
from dragonn_tutorial import plotting as P
from dragonn_tutorial import sequences as S
from dragonn_tutorial import simulations as SIM

CATEGORIES = ("wrong_type", "empty", "nan_inf", "wrong_shape", "negative_zero", "iupac_lower_n",
              "unknown_name", "duplicates", "out_of_range")
CLEAR_TYPES = (ValueError, TypeError, KeyError)


class Case(NamedTuple):
    category: str
    label: str
    call: Callable
    param: str


def outcome(case: Case) -> tuple[str, str]:
    """('clear' | 'vague' | 'unexpected' | 'silent', detail) for one case."""
    import matplotlib.pyplot as plt

    try:
        case.call()
    except CLEAR_TYPES as exc:
        text = str(exc)
        return ("clear" if case.param in text else "vague"), f"{type(exc).__name__}: {text[:160]}"
    except Exception as exc:  # noqa: BLE001 - classifying is the point
        return "unexpected", f"{type(exc).__name__}: {str(exc)[:160]}"
    finally:
        plt.close("all")
    return "silent", "no error"


# --------------------------------------------------------------------------- small valid inputs

X = S.one_hot_encode(["ACGTACGTAAGGTTCCAAGGATAAGATAAC", "TTGACCATGGATAAGGCTTAACGGATTACA"])


X_NAN = X.copy()
X_NAN[0, 3, 1] = np.nan
X_INF = X.copy()
X_INF[1, 5, 0] = np.inf
X_HALF = X.copy()
X_HALF[0, 2] = [0.5, 0.5, 0, 0]
X_TWO = X.copy()
X_TWO[1, 7] = [1, 1, 0, 0]
X_NEG = X.copy()
X_NEG[0, 0] = [-1, 0, 0, 0]
X_STR = np.array([list("ACGT")] * 2)
DATA = SIM.simulate_single_motif_detection("SPI1_known4", seq_length=60, num_pos=4, num_neg=4,
                                           random_state=0)
SPLIT = SIM.train_valid_test_split(DATA, 2, 2, random_state=0)
Y_TRUE = np.array([0, 1, 0, 1, 1, 0])
Y_SCORE = np.array([0.1, 0.9, 0.3, 0.6, 0.8, 0.2])
RESULT = MET.ClassificationResult(Y_TRUE, Y_SCORE)
MOTIF = M.get_motif("SPI1_known4")
PPM = np.array([[0.7, 0.1, 0.1, 0.1], [0.1, 0.1, 0.1, 0.7]])


def _load(tmp_text: str, **kw):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / kw.pop("name", "m.txt")
        path.write_text(tmp_text)
        return M.load_motifs(path, **kw)


def _write_fasta(records, **kw):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        S.write_fasta(records, Path(d) / "x.fa", **kw)


def _fitted_kmer():
    Xs = S.random_sequences(8, 30, random_state=0)
    return B.KmerClassifier(k=2).fit(Xs, [0, 1] * 4)


def _sites(**kw):
    base = dict(sequence=np.array([0, 1]), motif=np.array(["a", "b"], dtype=object),
                start=np.array([0, 2]), end=np.array([3, 5]), strand=np.array([1, -1]))
    base.update(kw)
    return SIM.Sites(**base)


def _bad_row(x):
    """The first sequence of ``x`` that breaks the one-hot contract (plot_one_hot draws one)."""
    if isinstance(x, np.ndarray) and x.ndim == 3 and x.dtype.kind == "f" and len(x):
        bad = ~((x == 0) | (x == 1)).all(axis=(1, 2)) | (x.sum(-1) > 1).any(axis=1)
        return x[int(np.argmax(bad))]
    return x


# X-taking functions: each gets the same battery of bad one-hot arrays
X_FUNCTIONS = {
    "one_hot_decode": lambda x: S.one_hot_decode(x),
    "tokens_from_one_hot": lambda x: S.tokens_from_one_hot(x),
    "dinucleotide_shuffle": lambda x: S.dinucleotide_shuffle(x, 2, random_state=0),
    "dinucleotide_counts": lambda x: S.dinucleotide_counts(x),
    "kmer_counts": lambda x: S.kmer_counts(x, 2),
    "scan": lambda x: M.scan(x, "SPI1_known4"),
    "best_hits": lambda x: M.best_hits(x, "SPI1_known4"),
    "hits_above": lambda x: M.hits_above(x, "SPI1_known4", 0.0),
    "pssm_features": lambda x: M.pssm_features(x, ["SPI1_known4"]),
    "pssm_scores": lambda x: B.pssm_scores(x, "SPI1_known4"),
    "KmerClassifier.fit": lambda x: B.KmerClassifier(k=2).fit(x, [0, 1]),
    "plot_one_hot": lambda x: P.plot_one_hot(_bad_row(x)),
}
X_BAD = {
    "nan_inf": [("NaN value", X_NAN), ("inf value", X_INF)],
    "out_of_range": [("value 0.5", X_HALF), ("two ones in a row", X_TWO), ("value -1", X_NEG)],
    "wrong_shape": [("5 channels", np.zeros((2, 30, 5))), ("1-D", np.zeros(30)),
                    ("4-D", np.zeros((1, 2, 30, 4))), ("channels first", np.zeros((2, 4, 30)))],
    "wrong_type": [("a string", "ACGT"), ("None", None), ("strings array", X_STR),
                   ("a dict", {"X": 1})],
    "empty": [("zero length", np.zeros((2, 0, 4)))],
}


def _x_cases():
    out = []
    for fname, fn in X_FUNCTIONS.items():
        for category, values in X_BAD.items():
            for label, value in values:
                if fname == "kmer_counts" and isinstance(value, str):
                    continue  # a string is a valid input to kmer_counts
                param = "X"
                out.append(Case(category, f"{fname}: {label}", (lambda f=fn, v=value: f(v)), param))
    return out


CASES: list[Case] = _x_cases() + [
    # ---------------------------------------------------------------- sequences
    Case("wrong_type", "one_hot_encode(None)", lambda: S.one_hot_encode(None), "seqs"),
    Case("wrong_type", "one_hot_encode(12)", lambda: S.one_hot_encode(12), "seqs"),
    Case("wrong_type", "one_hot_encode([b'ACGT'])", lambda: S.one_hot_encode([b"ACGT"]), "seqs"),
    Case("wrong_type", "one_hot_encode(one-hot array)", lambda: S.one_hot_encode(X), "seqs"),
    Case("empty", "one_hot_encode([])", lambda: S.one_hot_encode([]), "seqs"),
    Case("empty", "one_hot_encode('')", lambda: S.one_hot_encode(""), "seqs"),
    Case("wrong_shape", "one_hot_encode(unequal lengths)", lambda: S.one_hot_encode(["AC", "ACG"]), "sequence"),
    Case("iupac_lower_n", "one_hot_encode('ACGR')", lambda: S.one_hot_encode("ACGR"), "seqs"),
    Case("iupac_lower_n", "one_hot_encode('ACGU')", lambda: S.one_hot_encode("ACGU"), "seqs"),
    Case("iupac_lower_n", "one_hot_encode('AC-T')", lambda: S.one_hot_encode("AC-T"), "seqs"),
    Case("iupac_lower_n", "reverse_complement('ACGU')", lambda: S.reverse_complement("ACGU"), "seqs"),
    Case("iupac_lower_n", "reverse_complement('AC T')", lambda: S.reverse_complement("AC T"), "seqs"),
    Case("iupac_lower_n", "reverse_complement(['AC', 'A?'])", lambda: S.reverse_complement(["AC", "A?"]), "seqs"),
    Case("wrong_type", "reverse_complement(None)", lambda: S.reverse_complement(None), "seqs"),
    Case("wrong_type", "reverse_complement(5)", lambda: S.reverse_complement(5), "seqs"),
    Case("nan_inf", "reverse_complement(NaN one-hot)", lambda: S.reverse_complement(X_NAN), "seqs"),
    Case("wrong_shape", "reverse_complement((3, 5) array)", lambda: S.reverse_complement(np.zeros((3, 5))), "seqs"),
    Case("empty", "one_hot_decode(unknown='')", lambda: S.one_hot_decode(X, unknown=""), "unknown"),
    Case("wrong_type", "one_hot_decode(unknown=0)", lambda: S.one_hot_decode(X, unknown=0), "unknown"),
    Case("out_of_range", "one_hot_decode(unknown='NN')", lambda: S.one_hot_decode(X, unknown="NN"), "unknown"),
    Case("wrong_type", "gc_content(None)", lambda: S.gc_content(None), "seqs"),
    Case("nan_inf", "gc_content(NaN one-hot)", lambda: S.gc_content(X_NAN), "seqs"),
    Case("iupac_lower_n", "gc_content('ACGS')", lambda: S.gc_content("ACGS"), "seqs"),
    Case("out_of_range", "background_probabilities(1.5)", lambda: S.background_probabilities(1.5), "gc_fraction"),
    Case("negative_zero", "background_probabilities(-0.1)", lambda: S.background_probabilities(-0.1), "gc_fraction"),
    Case("nan_inf", "background_probabilities(nan)", lambda: S.background_probabilities(math.nan), "gc_fraction"),
    Case("wrong_type", "background_probabilities('0.4')", lambda: S.background_probabilities("0.4"), "gc_fraction"),
    Case("wrong_shape", "background_probabilities([0.5, 0.5])", lambda: S.background_probabilities([0.5, 0.5]), "gc_fraction"),
    Case("negative_zero", "background_probabilities([1, -1, 1, 1])", lambda: S.background_probabilities([1, -1, 1, 1]), "gc_fraction"),
    Case("negative_zero", "random_sequences(n=-1)", lambda: S.random_sequences(-1, 10), "n"),
    Case("negative_zero", "random_sequences(length=0)", lambda: S.random_sequences(2, 0), "length"),
    Case("wrong_type", "random_sequences(n='3')", lambda: S.random_sequences("3", 10), "n"),
    Case("wrong_type", "random_sequences(n=2.5)", lambda: S.random_sequences(2.5, 10), "n"),
    Case("wrong_type", "random_sequences(n=True)", lambda: S.random_sequences(True, 10), "n"),
    Case("nan_inf", "random_sequences(length=inf)", lambda: S.random_sequences(2, math.inf), "length"),
    Case("nan_inf", "random_sequences(gc_fraction=nan)", lambda: S.random_sequences(2, 10, math.nan), "gc_fraction"),
    Case("out_of_range", "random_sequences(gc_fraction=2)", lambda: S.random_sequences(2, 10, 2.0), "gc_fraction"),
    Case("wrong_type", "random_sequences(random_state='x')", lambda: S.random_sequences(2, 10, random_state="x"), "random_state"),
    Case("negative_zero", "random_sequences(random_state=-1)", lambda: S.random_sequences(2, 10, random_state=-1), "random_state"),
    Case("wrong_type", "random_sequences(as_strings='yes')", lambda: S.random_sequences(2, 10, as_strings="yes"), "as_strings"),
    Case("out_of_range", "random_sequences(n=10**12)", lambda: S.random_sequences(10 ** 12, 500), "n"),
    Case("out_of_range", "kmer_counts(k=12, sparse=False)", lambda: S.kmer_counts(np.zeros((2000, 20, 4)), 12, sparse=False), "k"),
    Case("negative_zero", "dinucleotide_shuffle(n_shuffles=0)", lambda: S.dinucleotide_shuffle(X, 0), "n_shuffles"),
    Case("wrong_type", "dinucleotide_shuffle(n_shuffles=None)", lambda: S.dinucleotide_shuffle(X, None), "n_shuffles"),
    Case("wrong_type", "dinucleotide_shuffle(random_state=1.5)", lambda: S.dinucleotide_shuffle(X, 1, random_state=1.5), "random_state"),
    Case("negative_zero", "kmer_names(0)", lambda: S.kmer_names(0), "k"),
    Case("out_of_range", "kmer_names(13)", lambda: S.kmer_names(13), "k"),
    Case("wrong_type", "kmer_names('3')", lambda: S.kmer_names("3"), "k"),
    Case("negative_zero", "kmer_counts(k=0)", lambda: S.kmer_counts(X, 0), "k"),
    Case("out_of_range", "kmer_counts(k > length)", lambda: S.kmer_counts(X[:, :3], 4), "k"),
    Case("wrong_type", "kmer_counts(sparse='yes')", lambda: S.kmer_counts(X, 2, sparse="yes"), "sparse"),
    Case("iupac_lower_n", "kmer_counts('ACGR')", lambda: S.kmer_counts("ACGRACGT", 2), "seqs"),
    Case("wrong_type", "read_fasta(None)", lambda: list(S.read_fasta(None)), "path"),
    Case("wrong_type", "read_fasta(0) (a file descriptor)", lambda: list(S.read_fasta(0)), "path"),
    Case("empty", "read_fasta('')", lambda: list(S.read_fasta("")), "path"),
    Case("wrong_type", "write_fasta(path=None)", lambda: S.write_fasta([("a", "AC")], None), "path"),
    Case("wrong_type", "write_fasta('ACGT')", lambda: _write_fasta("ACGT"), "records"),
    Case("wrong_type", "write_fasta([('a', 5)])", lambda: _write_fasta([("a", 5)]), "records"),
    Case("wrong_type", "write_fasta(['ACGT'])", lambda: _write_fasta(["ACGT"]), "records"),
    Case("iupac_lower_n", "write_fasta(name with newline)", lambda: _write_fasta([("a\nb", "ACGT")]), "records"),
    Case("negative_zero", "write_fasta(line_width=-1)", lambda: _write_fasta([("a", "AC")], line_width=-1), "line_width"),
    # ---------------------------------------------------------------- motifs
    Case("wrong_type", "Motif(name=5)", lambda: M.Motif(5, PPM), "name"),
    Case("empty", "Motif(name='')", lambda: M.Motif("", PPM), "name"),
    Case("wrong_type", "Motif(ppm='ACGT')", lambda: M.Motif("m", "ACGT"), "ppm"),
    Case("wrong_type", "Motif(ppm=None)", lambda: M.Motif("m", None), "ppm"),
    Case("empty", "Motif(ppm=[])", lambda: M.Motif("m", np.zeros((0, 4))), "ppm"),
    Case("wrong_shape", "Motif(ppm (4, 3))", lambda: M.Motif("m", np.ones((4, 3))), "ppm"),
    Case("wrong_shape", "Motif(ppm 1-D)", lambda: M.Motif("m", np.ones(4)), "ppm"),
    Case("nan_inf", "Motif(ppm NaN)", lambda: M.Motif("m", [[np.nan, 0.5, 0.25, 0.25]]), "ppm"),
    Case("nan_inf", "Motif(ppm inf)", lambda: M.Motif("m", [[np.inf, 0, 0, 0]]), "ppm"),
    Case("negative_zero", "Motif(ppm negative)", lambda: M.Motif("m", [[-0.1, 0.5, 0.3, 0.3]]), "ppm"),
    Case("negative_zero", "Motif(ppm row of zeros)", lambda: M.Motif("m", [[0, 0, 0, 0]]), "ppm"),
    Case("negative_zero", "Motif(n_sites=0)", lambda: M.Motif("m", PPM, n_sites=0), "n_sites"),
    Case("wrong_type", "Motif(source=3)", lambda: M.Motif("m", PPM, source=3), "source"),
    Case("negative_zero", "Motif.pssm(background=0.0)", lambda: MOTIF.pssm(0.0), "background"),
    Case("out_of_range", "Motif.pssm(background=1.0)", lambda: MOTIF.pssm(1.0), "background"),
    Case("negative_zero", "Motif.pssm(background=[0.5, 0, 0, 0.5])", lambda: MOTIF.pssm([0.5, 0, 0, 0.5]), "background"),
    Case("nan_inf", "Motif.pssm(background=nan)", lambda: MOTIF.pssm(math.nan), "background"),
    Case("wrong_type", "Motif.pssm(background='gc')", lambda: MOTIF.pssm("gc"), "background"),
    Case("negative_zero", "Motif.pssm(pseudocount=-1)", lambda: MOTIF.pssm(0.5, -1), "pseudocount"),
    Case("negative_zero", "Motif.pssm(pseudocount=0) with zeros", lambda: M.Motif("z", [[1, 0, 0, 0]]).pssm(0.5, 0), "pseudocount"),
    Case("wrong_type", "Motif.information_content(correction='yes')", lambda: MOTIF.information_content("yes"), "correction"),
    Case("unknown_name", "get_motif('SPI1_knwn4')", lambda: M.get_motif("SPI1_knwn4"), "SPI1_knwn4"),
    Case("unknown_name", "get_motif('')", lambda: M.get_motif(""), "motif"),
    Case("wrong_type", "get_motif(5)", lambda: M.get_motif(5), "motif"),
    Case("wrong_type", "get_motif(PPM array)", lambda: M.get_motif(PPM), "motif"),
    Case("wrong_type", "list_motifs(5)", lambda: M.list_motifs(5), "pattern"),
    Case("out_of_range", "list_motifs('(')", lambda: M.list_motifs("("), "pattern"),
    Case("negative_zero", "sample_motif(n=-1)", lambda: M.sample_motif("SPI1_known4", -1), "n"),
    Case("unknown_name", "sample_motif('nope')", lambda: M.sample_motif("nope", 2), "nope"),
    Case("wrong_type", "sample_motif(as_strings=1)", lambda: M.sample_motif("SPI1_known4", 2, as_strings=1), "as_strings"),
    Case("unknown_name", "scan(motif='SPI1')", lambda: M.scan(X, "SPI_known4"), "SPI_known4"),
    Case("wrong_type", "scan(motif=PPM probabilities)", lambda: M.scan(X, MOTIF.ppm), "motif"),
    Case("wrong_type", "scan(motif=5)", lambda: M.scan(X, 5), "motif"),
    Case("wrong_type", "scan(motif=None)", lambda: M.scan(X), "motif"),
    Case("duplicates", "scan(motif and pssm)", lambda: M.scan(X, "SPI1_known4", pssm=MOTIF.pssm()), "pssm"),
    Case("nan_inf", "scan(pssm with NaN)", lambda: M.scan(X, pssm=np.full((3, 4), np.nan)), "pssm"),
    Case("wrong_shape", "scan(pssm (4, 3))", lambda: M.scan(X, pssm=np.ones((4, 3))), "pssm"),
    Case("empty", "scan(pssm (0, 4))", lambda: M.scan(X, pssm=np.zeros((0, 4))), "pssm"),
    Case("negative_zero", "scan(background=0.0)", lambda: M.scan(X, "SPI1_known4", background=0.0), "background"),
    Case("out_of_range", "scan(background=1.0)", lambda: M.scan(X, "SPI1_known4", background=1.0), "background"),
    Case("negative_zero", "scan(background with a zero)", lambda: M.scan(X, "SPI1_known4", background=[0, 1, 1, 1]), "background"),
    Case("wrong_type", "scan(both_strands='no')", lambda: M.scan(X, "SPI1_known4", both_strands="no"), "both_strands"),
    Case("wrong_shape", "scan(motif wider than X)", lambda: M.scan(X[:, :5], "SPI1_known4"), "motif"),
    Case("nan_inf", "hits_above(threshold=nan)", lambda: M.hits_above(X, "SPI1_known4", math.nan), "threshold"),
    Case("wrong_type", "hits_above(threshold='5')", lambda: M.hits_above(X, "SPI1_known4", "5"), "threshold"),
    Case("empty", "pssm_features(motifs=[])", lambda: M.pssm_features(X, []), "motifs"),
    Case("wrong_type", "pssm_features(motifs=5)", lambda: M.pssm_features(X, 5), "motifs"),
    Case("unknown_name", "pssm_features(['SPI1_known4', 'nope'])", lambda: M.pssm_features(X, ["SPI1_known4", "nope"]), "nope"),
    Case("duplicates", "load_motifs(duplicate names)", lambda: _load(">AC\ta\t5.0\n0.5 0.5 0 0\n>GT\ta\t5.0\n0 0 0.5 0.5\n"), "keep"),
    Case("unknown_name", "load_motifs(format='pfm')", lambda: _load(">a\n1 0 0 0\n", format="pfm"), "format"),
    Case("unknown_name", "load_motifs(keep='both')", lambda: _load(">a\n1 0 0 0\n", keep="both"), "keep"),
    Case("negative_zero", "load_motifs(pseudocount=-1)", lambda: _load(">a\n1 0 0 0\n", pseudocount=-1), "pseudocount"),
    Case("wrong_type", "load_motifs(path=5)", lambda: M.load_motifs(5), "path"),
    Case("empty", "load_motifs(empty file)", lambda: _load(""), "format"),
    Case("wrong_shape", "load_motifs(width-4 symmetric, ambiguous)",
         lambda: _load(">m\n0.25 0.25 0.25 0.25\n0.25 0.25 0.25 0.25\n0.25 0.25 0.25 0.25\n0.25 0.25 0.25 0.25\n"), "format"),
    # ---------------------------------------------------------------- simulations
    Case("unknown_name", "simulate('heterodimer_gramar')", lambda: SIM.simulate("heterodimer_gramar"), "heterodimer_gramar"),
    Case("unknown_name", "simulate(unknown parameter)", lambda: SIM.simulate("heterodimer_grammar", num_seq=3), "num_seq"),
    Case("unknown_name", "simulate_single_motif_detection(motif_name='nope')",
         lambda: SIM.simulate_single_motif_detection("nope", num_pos=2, num_neg=2), "nope"),
    Case("negative_zero", "simulate_single_motif_detection(num_pos=-1)",
         lambda: SIM.simulate_single_motif_detection(num_pos=-1), "num_pos"),
    Case("negative_zero", "simulate_single_motif_detection(seq_length=0)",
         lambda: SIM.simulate_single_motif_detection(seq_length=0), "seq_length"),
    Case("out_of_range", "simulate_single_motif_detection(seq_length=5)",
         lambda: SIM.simulate_single_motif_detection(seq_length=5, num_pos=2, num_neg=2), "seq_length"),
    Case("nan_inf", "simulate_single_motif_detection(GC_fraction=nan)",
         lambda: SIM.simulate_single_motif_detection(GC_fraction=math.nan), "GC_fraction"),
    Case("out_of_range", "simulate_single_motif_detection(GC_fraction=1.5)",
         lambda: SIM.simulate_single_motif_detection(GC_fraction=1.5), "GC_fraction"),
    Case("wrong_type", "simulate_single_motif_detection(num_pos='10')",
         lambda: SIM.simulate_single_motif_detection(num_pos="10"), "num_pos"),
    Case("wrong_type", "simulate_single_motif_detection(random_state='0')",
         lambda: SIM.simulate_single_motif_detection(num_pos=2, num_neg=2, random_state="0"), "random_state"),
    Case("wrong_type", "simulate_motif_counting(pos_counts=5)",
         lambda: SIM.simulate_motif_counting(pos_counts=5, num_pos=2, num_neg=2), "pos_counts"),
    Case("out_of_range", "simulate_motif_counting(pos_counts=(5, 2))",
         lambda: SIM.simulate_motif_counting(pos_counts=(5, 2), num_pos=2, num_neg=2), "pos_counts"),
    Case("negative_zero", "simulate_motif_counting(neg_counts=(-1, 2))",
         lambda: SIM.simulate_motif_counting(neg_counts=(-1, 2), num_pos=2, num_neg=2), "neg_counts"),
    Case("out_of_range", "simulate_motif_density_localization(center_size=2000)",
         lambda: SIM.simulate_motif_density_localization(center_size=2000, num_pos=2, num_neg=2), "center_size"),
    Case("out_of_range", "simulate_motif_density_localization(min > max)",
         lambda: SIM.simulate_motif_density_localization(min_motif_counts=4, max_motif_counts=2), "min_motif_counts"),
    Case("wrong_type", "simulate_multi_motif_embedding(motif_names='CTCF_known1')",
         lambda: SIM.simulate_multi_motif_embedding(motif_names="CTCF_known1"), "motif_names"),
    Case("empty", "simulate_multi_motif_embedding(motif_names=[])",
         lambda: SIM.simulate_multi_motif_embedding(motif_names=[]), "motif_names"),
    Case("duplicates", "simulate_multi_motif_embedding(repeated motif)",
         lambda: SIM.simulate_multi_motif_embedding(motif_names=["CTCF_known1", "CTCF_known1"]), "motif_names"),
    Case("out_of_range", "simulate_multi_motif_embedding(max_num_motifs=5)",
         lambda: SIM.simulate_multi_motif_embedding(max_num_motifs=5), "max_num_motifs"),
    Case("wrong_type", "simulate_multi_motif_embedding(motif_names=5)",
         lambda: SIM.simulate_multi_motif_embedding(motif_names=5), "motif_names"),
    Case("duplicates", "simulate_differential_accessibility(repeated motif)",
         lambda: SIM.simulate_differential_accessibility(pos_motif_names=["CTCF_known1", "CTCF_known1"]), "pos_motif_names"),
    Case("negative_zero", "simulate_heterodimer_grammar(min_spacing=-1)",
         lambda: SIM.simulate_heterodimer_grammar(min_spacing=-1), "min_spacing"),
    Case("out_of_range", "simulate_heterodimer_grammar(min > max spacing)",
         lambda: SIM.simulate_heterodimer_grammar(min_spacing=6, max_spacing=2), "min_spacing"),
    Case("unknown_name", "simulate_heterodimer_grammar(motif2='IRF')",
         lambda: SIM.simulate_heterodimer_grammar(motif2="IRF_knwn20"), "IRF_knwn20"),
    Case("out_of_range", "simulate_heterodimer_grammar(num_pos=10**12)",
         lambda: SIM.simulate_heterodimer_grammar(num_pos=10 ** 12), "num_pos"),
    Case("out_of_range", "simulate_multi_motif_embedding(num_seqs=10**12)",
         lambda: SIM.simulate_multi_motif_embedding(num_seqs=10 ** 12), "num_seqs"),
    Case("out_of_range", "train_valid_test_split(test_set_size > n)",
         lambda: SIM.train_valid_test_split(DATA, 100, 0), "test_set_size"),
    Case("negative_zero", "train_valid_test_split(validation_set_size=-1)",
         lambda: SIM.train_valid_test_split(DATA, 2, -1), "validation_set_size"),
    Case("wrong_type", "train_valid_test_split(data=X)", lambda: SIM.train_valid_test_split(X, 1, 1), "data"),
    Case("wrong_type", "get_simulation_data(params=[...])",
         lambda: SIM.get_simulation_data("single_motif_detection", [("num_pos", 2)]), "params"),
    Case("unknown_name", "get_simulation_function('nope')", lambda: SIM.get_simulation_function("nope"), "nope"),
    Case("out_of_range", "Dataset.subset([100])", lambda: DATA.subset([100]), "indices"),
    Case("out_of_range", "Dataset.subset([-100])", lambda: DATA.subset([-100]), "indices"),
    Case("wrong_shape", "Dataset.subset(short boolean mask)", lambda: DATA.subset(np.array([True, False])), "indices"),
    Case("wrong_type", "Dataset.subset([0.5])", lambda: DATA.subset([0.5]), "indices"),
    Case("wrong_type", "Dataset.subset('0')", lambda: DATA.subset("0"), "indices"),
    Case("wrong_type", "Dataset.subset(None)", lambda: DATA.subset(None), "indices"),
    Case("wrong_shape", "Dataset.subset([[0, 1]])", lambda: DATA.subset([[0, 1]]), "indices"),
    Case("negative_zero", "Sites.select([-1]) without n", lambda: DATA.sites.select([-1]), "n"),
    Case("out_of_range", "Sites.select([9], n=8)", lambda: DATA.sites.select([9], n=8), "indices"),
    Case("unknown_name", "Dataset.truth_mask(motif='nope')", lambda: DATA.truth_mask("nope"), "nope"),
    Case("out_of_range", "Sites.mask(n too small)", lambda: DATA.sites.mask(1, 60), "n"),
    Case("negative_zero", "Sites.of_sequence(-1)", lambda: DATA.sites.of_sequence(-1), "i"),
    Case("wrong_shape", "Sites(unequal lengths)", lambda: _sites(start=np.array([0])), "Sites"),
    Case("wrong_shape", "Dataset(X and y of different lengths)",
         lambda: SIM.Dataset(DATA.X, DATA.y[:3], DATA.sites, ["t"], ["m"]), "y"),
    Case("unknown_name", "SimulationData.split('validation')", lambda: SPLIT.split("validation"), "which"),
    # ---------------------------------------------------------------- metrics
    Case("wrong_type", "ClassificationResult(y_true='0101')", lambda: MET.ClassificationResult("0101", Y_SCORE), "y_true"),
    Case("wrong_type", "ClassificationResult(y_score=None)", lambda: MET.ClassificationResult(Y_TRUE, None), "y_score"),
    Case("wrong_type", "ClassificationResult(y_score strings)",
         lambda: MET.ClassificationResult(Y_TRUE, np.array(["a"] * 6)), "y_score"),
    Case("empty", "ClassificationResult([], [])", lambda: MET.ClassificationResult([], []), "y_true"),
    Case("nan_inf", "ClassificationResult(y_score with NaN)",
         lambda: MET.ClassificationResult(Y_TRUE, np.r_[np.nan, Y_SCORE[1:]]), "y_score"),
    Case("nan_inf", "ClassificationResult(y_true with NaN)",
         lambda: MET.ClassificationResult(np.r_[np.nan, Y_TRUE[1:]], Y_SCORE), "y_true"),
    Case("wrong_shape", "ClassificationResult(shapes differ)", lambda: MET.ClassificationResult(Y_TRUE, Y_SCORE[:4]), "y_score"),
    Case("wrong_shape", "ClassificationResult(y_true 3-D)",
         lambda: MET.ClassificationResult(Y_TRUE[:, None, None], Y_SCORE[:, None, None]), "y_true"),
    Case("wrong_shape", "ClassificationResult(scalar)", lambda: MET.ClassificationResult(1, 0.5), "y_true"),
    Case("out_of_range", "ClassificationResult(y_true has 2)", lambda: MET.ClassificationResult(Y_TRUE * 2, Y_SCORE), "y_true"),
    Case("out_of_range", "ClassificationResult(one class only)", lambda: MET.ClassificationResult(np.ones(6), Y_SCORE), "y_true"),
    Case("nan_inf", "ClassificationResult(threshold=nan)", lambda: MET.ClassificationResult(Y_TRUE, Y_SCORE, math.nan), "threshold"),
    Case("wrong_type", "ClassificationResult(task_names='abc')",
         lambda: MET.ClassificationResult(Y_TRUE, Y_SCORE, task_names="abc"), "task_names"),
    Case("wrong_shape", "ClassificationResult(two task_names for one task)",
         lambda: MET.ClassificationResult(Y_TRUE, Y_SCORE, task_names=["a", "b"]), "task_names"),
    Case("unknown_name", "ClassificationResult['auroc']", lambda: RESULT["auroc"], "auroc"),
    Case("out_of_range", "recall_at_fdr(fdr=1.5)", lambda: MET.recall_at_fdr(Y_TRUE, Y_SCORE, 1.5), "fdr"),
    Case("negative_zero", "recall_at_fdr(fdr=-0.1)", lambda: MET.recall_at_fdr(Y_TRUE, Y_SCORE, -0.1), "fdr"),
    Case("nan_inf", "recall_at_fdr(fdr=nan)", lambda: MET.recall_at_fdr(Y_TRUE, Y_SCORE, math.nan), "fdr"),
    Case("wrong_shape", "auprg(two tasks)", lambda: MET.auprg(np.c_[Y_TRUE, Y_TRUE], np.c_[Y_SCORE, Y_SCORE]), "y_true"),
    Case("nan_inf", "auprg(y_score inf)", lambda: MET.auprg(Y_TRUE, np.r_[np.inf, Y_SCORE[1:]]), "y_score"),
    Case("wrong_type", "threshold_summary(threshold='0.5')", lambda: MET.threshold_summary(Y_TRUE, Y_SCORE, "0.5"), "threshold"),
    Case("empty", "compare({})", lambda: MET.compare({}), "results"),
    Case("wrong_type", "compare([result])", lambda: MET.compare([RESULT]), "results"),
    Case("wrong_type", "compare({'a': 0.9})", lambda: MET.compare({"a": 0.9}), "results"),
    Case("negative_zero", "compare(digits=-1)", lambda: MET.compare({"a": RESULT}, digits=-1), "digits"),
    Case("empty", "plot_roc_curves(y_score={})", lambda: MET.plot_roc_curves(Y_TRUE, {}), "y_score"),
    Case("nan_inf", "plot_pr_curves(NaN scores)", lambda: MET.plot_pr_curves(Y_TRUE, np.full(6, np.nan)), "y_score"),
    Case("wrong_shape", "plot_confusion_matrix(shapes differ)", lambda: MET.plot_confusion_matrix(Y_TRUE, Y_SCORE[:3]), "y_score"),
    Case("wrong_type", "plot_roc_curves(ax='left')", lambda: MET.plot_roc_curves(Y_TRUE, Y_SCORE, ax="left"), "ax"),
    # ---------------------------------------------------------------- baselines
    Case("unknown_name", "pssm_scores(combine='mean')", lambda: B.pssm_scores(X, "SPI1_known4", combine="mean"), "combine"),
    Case("negative_zero", "pssm_scores(background=0)", lambda: B.pssm_scores(X, "SPI1_known4", background=0.0), "background"),
    Case("unknown_name", "pssm_scores('nope')", lambda: B.pssm_scores(X, "nope"), "nope"),
    Case("empty", "pssm_scores(motifs=[])", lambda: B.pssm_scores(X, []), "motifs"),
    Case("out_of_range", "KmerClassifier(k=9).fit", lambda: B.KmerClassifier(k=9).fit(X, [0, 1]), "k"),
    Case("negative_zero", "KmerClassifier(C=0).fit", lambda: B.KmerClassifier(C=0).fit(X, [0, 1]), "C"),
    Case("negative_zero", "KmerClassifier(max_iter=0).fit", lambda: B.KmerClassifier(max_iter=0).fit(X, [0, 1]), "max_iter"),
    Case("wrong_type", "KmerClassifier(k='6').fit", lambda: B.KmerClassifier(k="6").fit(X, [0, 1]), "k"),
    Case("wrong_shape", "KmerClassifier.fit(y of wrong length)", lambda: B.KmerClassifier(k=2).fit(X, [0, 1, 1]), "y"),
    Case("out_of_range", "KmerClassifier.fit(one class)", lambda: B.KmerClassifier(k=2).fit(X, [1, 1]), "y"),
    Case("nan_inf", "KmerClassifier.fit(y NaN)", lambda: B.KmerClassifier(k=2).fit(X, [0, np.nan]), "y"),
    Case("wrong_type", "KmerClassifier.fit(y=None)", lambda: B.KmerClassifier(k=2).fit(X, None), "y"),
    Case("wrong_shape", "KmerClassifier.fit(y (n, 2))", lambda: B.KmerClassifier(k=2).fit(X, np.eye(2)), "y"),
    Case("nan_inf", "KmerClassifier.predict_proba(NaN X)", lambda: _fitted_kmer().predict_proba(X_NAN), "X"),
    Case("negative_zero", "KmerClassifier.top_kmers(0)", lambda: _fitted_kmer().top_kmers(0), "n"),
    # ---------------------------------------------------------------- plotting
    Case("unknown_name", "plot_logo(kind='bits')", lambda: P.plot_logo("SPI1_known4", kind="bits"), "kind"),
    Case("unknown_name", "plot_logo('nope')", lambda: P.plot_logo("nope"), "nope"),
    Case("negative_zero", "plot_logo(kind='pssm', background=0)", lambda: P.plot_logo("SPI1_known4", "pssm", background=0.0), "background"),
    Case("nan_inf", "plot_logo(NaN matrix)", lambda: P.plot_logo(np.full((3, 4), np.nan), kind="weights"), "matrix"),
    Case("wrong_shape", "plot_logo((4, 9) matrix)", lambda: P.plot_logo(np.ones((4, 9)), kind="weights"), "matrix"),
    Case("empty", "plot_logo((0, 4) matrix)", lambda: P.plot_logo(np.zeros((0, 4)), kind="weights"), "matrix"),
    Case("negative_zero", "plot_logo(signed matrix, kind='information')",
         lambda: P.plot_logo(np.array([[1.0, -1, 0, 0]]), kind="information"), "matrix"),
    Case("wrong_type", "plot_logo(5)", lambda: P.plot_logo(5), "matrix"),
    Case("wrong_type", "plot_logo(title=5)", lambda: P.plot_logo("SPI1_known4", title=5), "title"),
    Case("wrong_shape", "plot_one_hot(two sequences)", lambda: P.plot_one_hot(X), "sequence"),
    Case("wrong_type", "plot_sequence_sites(sites=None)", lambda: P.plot_sequence_sites(None, 60), "sites"),
    Case("negative_zero", "plot_sequence_sites(seq_length=0)", lambda: P.plot_sequence_sites(DATA.sites, 0), "seq_length"),
    Case("negative_zero", "plot_sequence_sites(sequence=-1)", lambda: P.plot_sequence_sites(DATA.sites, 60, -1), "sequence"),
    Case("nan_inf", "plot_sequence_sites(track all NaN)",
         lambda: P.plot_sequence_sites(DATA.sites, 60, 0, track=np.full(60, np.nan)), "track"),
    Case("wrong_shape", "plot_sequence_sites(track 2-D)",
         lambda: P.plot_sequence_sites(DATA.sites, 60, 0, track=np.zeros((2, 60))), "track"),
    Case("nan_inf", "plot_attribution(NaN scores)", lambda: P.plot_attribution(np.full((10, 4), np.nan)), "scores"),
    Case("wrong_shape", "plot_attribution((n, length, 4) scores)", lambda: P.plot_attribution(np.zeros((2, 10, 4))), "scores"),
    Case("out_of_range", "plot_attribution(end > length)", lambda: P.plot_attribution(np.zeros((10, 4)), end=20), "end"),
    Case("wrong_type", "plot_attribution(start=1.5)", lambda: P.plot_attribution(np.zeros((10, 4)), start=1.5), "start"),
    Case("wrong_type", "plot_attribution(sites=[1, 2])", lambda: P.plot_attribution(np.zeros((10, 4)), sites=[1, 2]), "sites"),
    Case("wrong_shape", "plot_ism_heatmap(X of another length)",
         lambda: P.plot_ism_heatmap(np.zeros((10, 4)), X=X[0]), "X"),
    Case("nan_inf", "plot_ism_heatmap(inf delta)", lambda: P.plot_ism_heatmap(np.full((10, 4), np.inf)), "delta"),
    Case("negative_zero", "site_window(width=0)", lambda: P.site_window(DATA.sites, 0, 60, width=0), "width"),
    Case("wrong_type", "site_window(sites='x')", lambda: P.site_window("x", 0, 60), "sites"),
    # ---------------------------------------------------------------- package
    Case("negative_zero", "set_seed(-1)", lambda: dt.set_seed(-1), "seed"),
    Case("wrong_type", "set_seed('0')", lambda: dt.set_seed("0"), "seed"),
    Case("out_of_range", "set_seed(2**40)", lambda: dt.set_seed(2 ** 40), "seed"),
]


def by_category() -> dict[str, list[Case]]:
    out = {c: [] for c in CATEGORIES}
    for case in CASES:
        out[case.category].append(case)
    return out
