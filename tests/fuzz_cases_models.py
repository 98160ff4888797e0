"""Invalid inputs to the model-side public API, by category (issue 13 extended):
``models`` (builders, receptive_field, parameter_table, replace_head,
freeze/unfreeze), ``training`` (train, evaluate, predict, save_model,
load_model), ``simulations_extra`` and ``datasets`` (loaders, from_fasta,
fit_length).

Same design as ``tests/fuzz_cases.py`` (its ``Case`` and ``outcome``): each
``call()`` must raise ValueError, TypeError or KeyError whose message names
``param``. The category ``model_mismatch`` gathers inputs that are valid on
their own but do not fit the model: wrong sequence length, wrong number of
inputs, label values the output cannot produce. Models are tiny (30 bp,
2 filters) and built lazily once; nothing here trains (``train`` refuses its
input before fitting).
"""
from __future__ import annotations

import functools
import os
import tempfile

import numpy as np

from fuzz_cases import Case, X, X_NAN

from dragonn_tutorial import datasets as D
from dragonn_tutorial import models as MOD
from dragonn_tutorial import simulations_extra as SX
from dragonn_tutorial import training as T

CATEGORIES = ("model_mismatch",)
L = X.shape[1]  # 30 bp
Y2 = np.array([0.0, 1.0], np.float32)


@functools.lru_cache(maxsize=None)
def _cnn():
    return MOD.build_cnn(L, num_filters=2, conv_width=5)


@functools.lru_cache(maxsize=None)
def _linear():
    return MOD.build_cnn(L, num_filters=2, conv_width=5, output="softplus")


@functools.lru_cache(maxsize=None)
def _two_inputs():
    return MOD.multimodal_cnn(L, num_tracks=1, num_filters=2, conv_width=5)


def _data(X_train=X, y_train=Y2, X_valid=X, y_valid=Y2):
    return ((X_train, y_train), (X_valid, y_valid))


def _train(model=None, data=None, **kw):
    return T.train(model or _cnn(), data or _data(), epochs=kw.pop("epochs", 1), verbose=0, **kw)


@functools.lru_cache(maxsize=None)
def _cell_types():
    return SX.simulate_cell_type_binding(seq_length=60, num_seqs=8, peak_width=30, random_state=0)


def _fasta(text: str) -> str:
    fd, path = tempfile.mkstemp(suffix=".fa")
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    return path


_RNG = np.random.default_rng(0)
POS = "".join(f">p{i}\n{''.join(_RNG.choice(list('ACGT'), 12))}\n" for i in range(1, 11))
NEG = "".join(f">n{i}\n{''.join(_RNG.choice(list('ACGT'), 12))}\n" for i in range(1, 11))


def _from_fasta(pos=POS, neg=NEG, **kw):
    return D.from_fasta(_fasta(pos), _fasta(neg), **kw)


CASES = [
    # ---------------------------------------------------------------- models: builders
    Case("wrong_type", "build_cnn(seq_length='30')", lambda: MOD.build_cnn("30"), "seq_length"),
    Case("wrong_type", "build_cnn(num_filters=2.5)", lambda: MOD.build_cnn(L, num_filters=2.5, conv_width=5), "num_filters"),
    Case("wrong_type", "build_cnn(dropout='0.1')", lambda: MOD.build_cnn(L, 2, 5, dropout="0.1"), "dropout"),
    Case("wrong_type", "build_cnn(global_pool='yes')", lambda: MOD.build_cnn(L, 2, 5, global_pool="yes"), "global_pool"),
    Case("wrong_type", "build_cnn(compile='no')", lambda: MOD.build_cnn(L, 2, 5, compile="no"), "compile"),
    Case("wrong_type", "build_cnn(name=5)", lambda: MOD.build_cnn(L, 2, 5, name=5), "name"),
    Case("empty", "build_cnn(num_filters=[])", lambda: MOD.build_cnn(L, num_filters=[], conv_width=5), "num_filters"),
    Case("empty", "build_cnn(name='')", lambda: MOD.build_cnn(L, 2, 5, name=""), "name"),
    Case("nan_inf", "build_cnn(learning_rate=nan)", lambda: MOD.build_cnn(L, 2, 5, learning_rate=float("nan")), "learning_rate"),
    Case("nan_inf", "build_cnn(l2=inf)", lambda: MOD.build_cnn(L, 2, 5, l2=float("inf")), "l2"),
    Case("nan_inf", "build_cnn(dropout=nan)", lambda: MOD.build_cnn(L, 2, 5, dropout=float("nan")), "dropout"),
    Case("wrong_shape", "build_cnn(conv_width 3 entries for 2 layers)",
         lambda: MOD.build_cnn(L, num_filters=(2, 2), conv_width=(3, 3, 3)), "conv_width"),
    Case("negative_zero", "build_cnn(seq_length=0)", lambda: MOD.build_cnn(0), "seq_length"),
    Case("negative_zero", "build_cnn(num_filters=0)", lambda: MOD.build_cnn(L, num_filters=0, conv_width=5), "num_filters"),
    Case("negative_zero", "build_cnn(num_tasks=0)", lambda: MOD.build_cnn(L, 2, 5, num_tasks=0), "num_tasks"),
    Case("negative_zero", "build_cnn(l1=-0.1)", lambda: MOD.build_cnn(L, 2, 5, l1=-0.1), "l1"),
    Case("negative_zero", "build_cnn(learning_rate=0)", lambda: MOD.build_cnn(L, 2, 5, learning_rate=0.0), "learning_rate"),
    Case("unknown_name", "build_cnn(output='softmax2')", lambda: MOD.build_cnn(L, 2, 5, output="softmax2"), "output"),
    Case("unknown_name", "build_cnn(pool_padding='full')",
         lambda: MOD.build_cnn(L, 2, 5, global_pool=False, pool_width=4, pool_padding="full"), "pool_padding"),
    Case("out_of_range", "build_cnn(conv_width > seq_length)", lambda: MOD.build_cnn(L, 2, 40), "conv_width"),
    Case("out_of_range", "build_cnn(dropout=1.0)", lambda: MOD.build_cnn(L, 2, 5, dropout=1.0), "dropout"),
    Case("out_of_range", "build_cnn(pool_width > length after convs)",
         lambda: MOD.build_cnn(L, 2, 5, global_pool="mean", pool_width=40), "pool_width"),
    Case("negative_zero", "deepbind(num_filters=-1)", lambda: MOD.deepbind(L, num_filters=-1, conv_width=5), "num_filters"),
    Case("negative_zero", "dilated_cnn(num_filters=0)", lambda: MOD.dilated_cnn(L, num_filters=0), "num_filters"),
    Case("out_of_range", "dilated_cnn(conv_width > seq_length)", lambda: MOD.dilated_cnn(L, conv_width=99), "conv_width"),
    Case("negative_zero", "residual_cnn(num_blocks=-1)", lambda: MOD.residual_cnn(L, num_blocks=-1), "num_blocks"),
    Case("unknown_name", "rnn(cell='transformer')", lambda: MOD.rnn(L, cell="transformer"), "cell"),
    Case("negative_zero", "rnn(units=0)", lambda: MOD.rnn(L, units=0), "units"),
    Case("wrong_type", "rnn(bidirectional='yes')", lambda: MOD.rnn(L, units=2, bidirectional="yes"), "bidirectional"),
    Case("negative_zero", "danq(lstm_units=0)", lambda: MOD.danq(L, conv_width=5, pool_width=2, lstm_units=0), "lstm_units"),
    Case("negative_zero", "multimodal_cnn(num_tracks=0)", lambda: MOD.multimodal_cnn(L, num_tracks=0), "num_tracks"),
    Case("negative_zero", "shallow_cnn(seq_length=-5)", lambda: MOD.shallow_cnn(-5), "seq_length"),
    Case("wrong_type", "deep_cnn(num_tasks=1.5)", lambda: MOD.deep_cnn(L, num_tasks=1.5), "num_tasks"),
    Case("unknown_name", "recommended_cnn('simulate_nothing')", lambda: MOD.recommended_cnn("simulate_nothing", L), "simulate_nothing"),
    Case("wrong_type", "recommended_cnn(simulation=None)", lambda: MOD.recommended_cnn(None, L), "simulation"),
    # ---------------------------------------------------------------- models: inspection and transfer
    Case("wrong_type", "receptive_field('model')", lambda: MOD.receptive_field("model"), "model"),
    Case("unknown_name", "receptive_field(layer='conv_9')", lambda: MOD.receptive_field(_cnn(), "conv_9"), "conv_9"),
    Case("wrong_type", "receptive_field(layer=3)", lambda: MOD.receptive_field(_cnn(), 3), "layer"),
    Case("wrong_type", "parameter_table(None)", lambda: MOD.parameter_table(None), "model"),
    Case("wrong_type", "replace_head('model')", lambda: MOD.replace_head("model", 2), "model"),
    Case("negative_zero", "replace_head(num_tasks=0)", lambda: MOD.replace_head(_cnn(), 0), "num_tasks"),
    Case("unknown_name", "replace_head(output='tanh2')", lambda: MOD.replace_head(_cnn(), 2, output="tanh2"), "output"),
    Case("nan_inf", "replace_head(learning_rate=inf)",
         lambda: MOD.replace_head(_cnn(), 2, learning_rate=float("inf")), "learning_rate"),
    Case("wrong_type", "replace_head(freeze_body='yes')", lambda: MOD.replace_head(_cnn(), 2, freeze_body="yes"), "freeze_body"),
    Case("unknown_name", "freeze(layers=['conv_9'])", lambda: MOD.freeze(_cnn(), ["conv_9"]), "conv_9"),
    Case("unknown_name", "unfreeze(layers='dense_9')", lambda: MOD.unfreeze(_cnn(), "dense_9"), "dense_9"),
    Case("wrong_type", "freeze(layers=3)", lambda: MOD.freeze(_cnn(), 3), "layers"),
    Case("empty", "freeze(layers=[])", lambda: MOD.freeze(_cnn(), []), "layers"),
    Case("wrong_type", "freeze('model')", lambda: MOD.freeze("model"), "model"),
    # ---------------------------------------------------------------- training: predict / evaluate
    Case("wrong_type", "predict(X='ACGT')", lambda: T.predict(_cnn(), "ACGT"), "X"),
    Case("wrong_type", "predict(X=None)", lambda: T.predict(_cnn(), None), "X"),
    Case("wrong_type", "predict('model', X)", lambda: T.predict("model", X), "model"),
    Case("nan_inf", "predict(NaN X)", lambda: T.predict(_cnn(), X_NAN), "X"),
    Case("wrong_shape", "predict(X 2-D)", lambda: T.predict(_cnn(), X[0]), "X"),
    Case("negative_zero", "predict(batch_size=0)", lambda: T.predict(_cnn(), X, batch_size=0), "batch_size"),
    Case("model_mismatch", "predict(X of length 20)", lambda: T.predict(_cnn(), X[:, :20]), "X"),
    Case("model_mismatch", "predict(one array, two-input model)", lambda: T.predict(_two_inputs(), X), "X"),
    Case("model_mismatch", "predict(dict missing 'accessibility')", lambda: T.predict(_two_inputs(), {"sequence": X}), "X"),
    Case("model_mismatch", "evaluate(y with 2 tasks, 1 output)", lambda: T.evaluate(_cnn(), X, np.ones((2, 2))), "y"),
    Case("model_mismatch", "evaluate(y=2 on a sigmoid output)", lambda: T.evaluate(_cnn(), X, [0, 2]), "y"),
    Case("model_mismatch", "evaluate(negative y, softplus output)", lambda: T.evaluate(_linear(), X, [-1.0, 1.0]), "y"),
    Case("wrong_shape", "evaluate(y of 3 labels for 2 sequences)", lambda: T.evaluate(_cnn(), X, [0, 1, 1]), "y"),
    Case("nan_inf", "evaluate(y inf)", lambda: T.evaluate(_linear(), X, [np.inf, 1.0]), "y"),
    Case("unknown_name", "evaluate(task='ranking')", lambda: T.evaluate(_cnn(), X, [0, 1], task="ranking"), "task"),
    Case("out_of_range", "evaluate(threshold=1.5)", lambda: T.evaluate(_cnn(), X, [0, 1], threshold=1.5), "threshold"),
    Case("wrong_type", "evaluate(y=None)", lambda: T.evaluate(_cnn(), X, None), "y"),
    # ---------------------------------------------------------------- training: train
    Case("wrong_type", "train(data='data')", lambda: _train(data="data"), "data"),
    Case("wrong_type", "train(epochs=1.5)", lambda: _train(epochs=1.5), "epochs"),
    Case("negative_zero", "train(epochs=0)", lambda: _train(epochs=0), "epochs"),
    Case("negative_zero", "train(patience=0)", lambda: _train(patience=0), "patience"),
    Case("negative_zero", "train(batch_size=0)", lambda: _train(batch_size=0), "batch_size"),
    Case("nan_inf", "train(learning_rate=nan)", lambda: _train(learning_rate=float("nan")), "learning_rate"),
    Case("nan_inf", "train(NaN X_train)", lambda: _train(data=_data(X_train=X_NAN)), "X_train"),
    Case("nan_inf", "train(sample_weight inf)", lambda: _train(sample_weight=[1.0, np.inf]), "sample_weight"),
    Case("negative_zero", "train(sample_weight negative)", lambda: _train(sample_weight=[1.0, -1.0]), "sample_weight"),
    Case("wrong_shape", "train(sample_weight of 3)", lambda: _train(sample_weight=[1.0, 1.0, 1.0]), "sample_weight"),
    Case("empty", "train(X_train (0, 30, 4))", lambda: _train(data=_data(X_train=X[:0], y_train=Y2[:0])), "X_train"),
    Case("empty", "train(X_valid (0, 30, 4))", lambda: _train(data=_data(X_valid=X[:0], y_valid=Y2[:0])), "X_valid"),
    Case("unknown_name", "train(class_weight='auto')", lambda: _train(class_weight="auto"), "class_weight"),
    Case("unknown_name", "train(task='ranking')", lambda: _train(task="ranking"), "task"),
    Case("unknown_name", "train(trainable=['conv_9'])", lambda: _train(trainable=["conv_9"]), "conv_9"),
    Case("out_of_range", "train(verbose=5)", lambda: T.train(_cnn(), _data(), epochs=1, verbose=5), "verbose"),
    Case("model_mismatch", "train(y_train=2 on a sigmoid output)", lambda: _train(data=_data(y_train=[0, 2])), "y_train"),
    Case("model_mismatch", "train(X_train of length 20)", lambda: _train(data=_data(X_train=X[:, :20])), "X_train"),
    Case("model_mismatch", "train(y_valid 2 tasks, 1 output)", lambda: _train(data=_data(y_valid=np.ones((2, 2)))), "y_valid"),
    Case("model_mismatch", "train(X_train one array, two-input model)", lambda: _train(model=_two_inputs()), "X_train"),
    Case("model_mismatch", "train(negative y_train, softplus output)",
         lambda: _train(model=_linear(), data=_data(y_train=[-1.0, 1.0])), "y_train"),
    Case("model_mismatch", "train(class_weight on multi-task y)",
         lambda: T.train(MOD.build_cnn(L, 2, 5, num_tasks=2), _data(y_train=np.eye(2), y_valid=np.eye(2)),
                         epochs=1, verbose=0, class_weight="balanced"), "class_weight"),
    Case("wrong_shape", "train(y_train of 3 labels)", lambda: _train(data=_data(y_train=[0, 1, 1])), "y_train"),
    Case("wrong_type", "train('model', data)", lambda: T.train("model", _data(), epochs=1, verbose=0), "model"),
    # ---------------------------------------------------------------- training: save / load
    Case("unknown_name", "save_model(path='m.h5')", lambda: T.save_model(_cnn(), os.path.join(tempfile.gettempdir(), "m.h5")), "path"),
    Case("wrong_type", "save_model(path=5)", lambda: T.save_model(_cnn(), 5), "path"),
    Case("wrong_type", "save_model('model', path)",
         lambda: T.save_model("model", os.path.join(tempfile.gettempdir(), "fuzz_model.keras")), "model"),
    Case("wrong_type", "load_model(path=None)", lambda: T.load_model(None), "path"),
    Case("unknown_name", "load_model(a FASTA file)", lambda: T.load_model(_fasta(POS)), "path"),
    # ---------------------------------------------------------------- simulations_extra
    Case("unknown_name", "simulate_signal_regression('nope')", lambda: SX.simulate_signal_regression("nope", 60, 4), "nope"),
    Case("negative_zero", "simulate_signal_regression(depth=0)",
         lambda: SX.simulate_signal_regression(seq_length=60, num_seqs=4, depth=0), "depth"),
    Case("nan_inf", "simulate_signal_regression(noise_sd=nan)",
         lambda: SX.simulate_signal_regression(seq_length=60, num_seqs=4, noise_sd=float("nan")), "noise_sd"),
    Case("out_of_range", "simulate_signal_regression(min_sites > max_sites)",
         lambda: SX.simulate_signal_regression(seq_length=60, num_seqs=4, min_sites=3, max_sites=1), "min_sites"),
    Case("out_of_range", "simulate_signal_regression(too many sites)",
         lambda: SX.simulate_signal_regression(seq_length=30, num_seqs=4, max_sites=9), "seq_length"),
    Case("wrong_type", "simulate_signal_regression(num_seqs='4')",
         lambda: SX.simulate_signal_regression(seq_length=60, num_seqs="4"), "num_seqs"),
    Case("out_of_range", "simulate_cell_type_binding(open_probability=2)",
         lambda: SX.simulate_cell_type_binding(seq_length=60, num_seqs=4, peak_width=30, open_probability=2.0), "open_probability"),
    Case("negative_zero", "simulate_cell_type_binding(num_cell_types=0)",
         lambda: SX.simulate_cell_type_binding(seq_length=60, num_seqs=4, peak_width=30, num_cell_types=0), "num_cell_types"),
    Case("out_of_range", "simulate_cell_type_binding(peak_width > seq_length)",
         lambda: SX.simulate_cell_type_binding(seq_length=60, num_seqs=4, peak_width=90), "peak_width"),
    Case("out_of_range", "stack_cell_types(cell_types=[5])", lambda: SX.stack_cell_types(_cell_types(), [5]), "cell_types"),
    Case("empty", "stack_cell_types(cell_types=[])", lambda: SX.stack_cell_types(_cell_types(), []), "cell_types"),
    Case("wrong_type", "stack_cell_types(data='x')", lambda: SX.stack_cell_types("x"), "data"),
    Case("wrong_type", "sequence_only_ceiling(data=None)", lambda: SX.sequence_only_ceiling(None), "data"),
    Case("negative_zero", "geometric_frequencies(0)", lambda: SX.geometric_frequencies(0), "num_tasks"),
    Case("out_of_range", "geometric_frequencies(high=1.5)", lambda: SX.geometric_frequencies(3, high=1.5), "high"),
    Case("nan_inf", "geometric_frequencies(low=nan)", lambda: SX.geometric_frequencies(3, low=float("nan")), "low"),
    Case("empty", "simulate_many_motifs(motif_names=[])", lambda: SX.simulate_many_motifs([], 60, 8), "motif_names"),
    Case("unknown_name", "simulate_many_motifs(['nope'])", lambda: SX.simulate_many_motifs(["nope"], 60, 8), "nope"),
    Case("wrong_shape", "simulate_many_motifs(3 frequencies for 2 motifs)",
         lambda: SX.simulate_many_motifs(["SPI1_known4", "CTCF_known1"], 60, 8, frequencies=(0.5, 0.2, 0.1)), "frequencies"),
    Case("out_of_range", "simulate_many_motifs(frequency 1.5)",
         lambda: SX.simulate_many_motifs(["SPI1_known4", "CTCF_known1", "GATA_known1"], 60, 8,
                                         frequencies=(1.5, 0.2, 0.1)), "frequencies"),
    Case("nan_inf", "site_affinities(NaN X)",
         lambda: SX.site_affinities(X_NAN, SX.simulate_signal_regression(seq_length=30, num_seqs=2, max_sites=1,
                                                                         random_state=0).sites, "SPI1_known4"), "X"),
    # ---------------------------------------------------------------- datasets
    Case("wrong_type", "fit_length('ACGT', 3)", lambda: D.fit_length("ACGT", 3), "seqs"),
    Case("wrong_type", "fit_length([1, 2], 3)", lambda: D.fit_length([1, 2], 3), "seqs"),
    Case("negative_zero", "fit_length(length=0)", lambda: D.fit_length(["ACGT"], 0), "length"),
    Case("wrong_type", "fit_length(length=2.5)", lambda: D.fit_length(["ACGT"], 2.5), "length"),
    Case("empty", "encode([])", lambda: D.encode([]), "seqs"),
    Case("empty", "encode(['ACGT', ''])", lambda: D.encode(["ACGT", ""]), "sequence 1"),
    Case("iupac_lower_n", "encode(['ACGJ'])", lambda: D.encode(["ACGJ"]), "sequence 0"),
    Case("wrong_shape", "encode(names shorter than seqs)", lambda: D.encode(["ACGT", "ACGT"], names=["a"]), "names"),
    Case("out_of_range", "load_nfe2(valid_fold=6)", lambda: D.load_nfe2(valid_fold=6), "valid_fold"),
    Case("negative_zero", "load_nfe2(length=0)", lambda: D.load_nfe2(length=0), "length"),
    Case("out_of_range", "load_oct4_mafk(valid_fraction=0.9, test_fraction=0.5)",
         lambda: D.load_oct4_mafk(valid_fraction=0.9, test_fraction=0.5), "valid_fraction"),
    Case("nan_inf", "load_oct4_mafk(test_fraction=nan)", lambda: D.load_oct4_mafk(test_fraction=float("nan")), "test_fraction"),
    Case("empty", "from_fasta() with no files", lambda: D.from_fasta(), "positives"),
    Case("empty", "from_fasta(empty negatives file)", lambda: _from_fasta(neg=""), "negatives"),
    Case("iupac_lower_n", "from_fasta(a record with 'X')", lambda: _from_fasta(pos=POS + ">bad\nACXT\n"), "bad"),
    Case("duplicates", "from_fasta(a name in both files)", lambda: _from_fasta(neg=NEG + ">p1\nACGTACGTAC\n"), "p1"),
    Case("wrong_type", "from_fasta(positives=5)", lambda: D.from_fasta(5, 6), "positives"),
    Case("negative_zero", "from_fasta(length=-1)", lambda: _from_fasta(length=-1), "length"),
    Case("out_of_range", "from_fasta(valid_fraction=1.2)", lambda: _from_fasta(valid_fraction=1.2), "valid_fraction"),
    Case("wrong_type", "from_fasta(fasta without labels)", lambda: D.from_fasta(fasta=_fasta(POS)), "labels"),
    Case("wrong_shape", "augment_reverse_complement(y of 3 labels)",
         lambda: D.augment_reverse_complement(X, [0, 1, 1]), "y"),
    Case("nan_inf", "augment_reverse_complement(NaN X)", lambda: D.augment_reverse_complement(X_NAN, [0, 1]), "X"),
    Case("model_mismatch", "predict_rc(X of length 20)", lambda: D.predict_rc(_cnn(), X[:, :20]), "X"),
]


def by_category() -> dict[str, list[Case]]:
    import fuzz_cases

    out = {c: [] for c in fuzz_cases.CATEGORIES + CATEGORIES}
    for case in CASES:
        out[case.category].append(case)
    return out
