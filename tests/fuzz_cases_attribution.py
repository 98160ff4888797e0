"""Invalid inputs to the attribution API (``interpret``: ISM and variant effects,
gradient x input, integrated gradients, DeepLIFT and its references, filter
inspection, motif recovery), by category.

Same design as ``tests/fuzz_cases.py`` (its ``Case`` and ``outcome``): each
``call()`` must raise ValueError, TypeError or KeyError whose message names
``param``. Models are tiny (30 bp, 2 filters), built lazily once, never trained.
"""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from fuzz_cases import Case, X, X_HALF, X_NAN

from dragonn_tutorial import interpret as I
from dragonn_tutorial import models as MOD

CATEGORIES = ()
L = X.shape[1]  # 30 bp


@functools.lru_cache(maxsize=None)
def _cnn():
    return MOD.build_cnn(L, num_filters=2, conv_width=5)


@functools.lru_cache(maxsize=None)
def _two_inputs():
    return MOD.multimodal_cnn(L, num_tracks=1, num_filters=2, conv_width=5)


@functools.lru_cache(maxsize=None)
def _lstm():
    return MOD.rnn(L, units=2)


def _variants(**columns):
    table = {"sequence": [0], "position": [3], "alt": ["A"]}
    table.update(columns)
    return pd.DataFrame(table)


TRUTH = np.zeros((2, L), bool)
TRUTH[:, 5:10] = True
SCORES = np.random.default_rng(0).random((2, L))

CASES = [
    # ---------------------------------------------------------------- ism
    Case("wrong_type", "ism(model='cnn')", lambda: I.ism("cnn", X), "model"),
    Case("wrong_type", "ism(task='0')", lambda: I.ism(_cnn(), X, task="0"), "task"),
    Case("wrong_type", "ism(window='yes')", lambda: I.ism(_cnn(), X, window="yes"), "window"),
    Case("empty", "ism(X of zero-length sequences)", lambda: I.ism(_cnn(), X[:, :0]), "X"),
    Case("nan_inf", "ism(X with NaN)", lambda: I.ism(_cnn(), X_NAN), "X"),
    Case("wrong_shape", "ism(X of length 20)", lambda: I.ism(_cnn(), X[:, :20]), "X"),
    Case("wrong_shape", "ism(X with 5 channels)", lambda: I.ism(_cnn(), np.concatenate([X, X[..., :1]], -1)), "X"),
    Case("negative_zero", "ism(batch_size=0)", lambda: I.ism(_cnn(), X, batch_size=0), "batch_size"),
    Case("out_of_range", "ism(task=1) on a one-task model", lambda: I.ism(_cnn(), X, task=1), "task"),
    Case("unknown_name", "ism(output='probabilities')", lambda: I.ism(_cnn(), X, output="probabilities"), "output"),
    Case("iupac_lower_n", "ism(X not one-hot)", lambda: I.ism(_cnn(), X_HALF), "X"),
    Case("model_mismatch", "ism(two-input model, one array)", lambda: I.ism(_two_inputs(), X), "sequence"),
    Case("model_mismatch", "ism(two-input model, missing input)",
         lambda: I.ism(_two_inputs(), {"sequence": X}), "accessibility"),
    Case("model_mismatch", "ism(explain='accessibility')",
         lambda: I.ism(_two_inputs(), {"sequence": X, "accessibility": np.zeros((2, L, 1), "float32")},
                       explain="accessibility"), "explain"),
    Case("model_mismatch", "ism(window=True) on an LSTM", lambda: I.ism(_lstm(), X, window=True), "window"),
    # ---------------------------------------------------------------- ism variants
    Case("wrong_shape", "ism(variants of 2 columns)", lambda: I.ism(_cnn(), X, variants=np.array([[0, 3]])), "variants"),
    Case("wrong_type", "ism(variants='chr1:100A>G')", lambda: I.ism(_cnn(), X, variants="chr1:100A>G"), "variants"),
    Case("empty", "ism(variants without a position column)",
         lambda: I.ism(_cnn(), X, variants=pd.DataFrame({"sequence": [0], "alt": ["A"]})), "position"),
    Case("out_of_range", "ism(variant position = length)", lambda: I.ism(_cnn(), X, variants=_variants(position=[L])),
         "position"),
    Case("negative_zero", "ism(variant position -1)", lambda: I.ism(_cnn(), X, variants=_variants(position=[-1])),
         "position"),
    Case("out_of_range", "ism(variant sequence 2 of 2)", lambda: I.ism(_cnn(), X, variants=_variants(sequence=[2])),
         "sequence"),
    Case("iupac_lower_n", "ism(variant alt 'N')", lambda: I.ism(_cnn(), X, variants=_variants(alt=["N"])), "alt"),
    Case("out_of_range", "ism(variant alt 4)", lambda: I.ism(_cnn(), X, variants=_variants(alt=[4])), "alt"),
    Case("model_mismatch", "ism(variant ref that is not in X)",
         lambda: I.ism(_cnn(), X, variants=_variants(ref=["C"], position=[0])), "ref"),
    # ---------------------------------------------------------------- gradients
    Case("wrong_type", "gradient_x_input(model=None)", lambda: I.gradient_x_input(None, X), "model"),
    Case("nan_inf", "gradient_x_input(X with NaN)", lambda: I.gradient_x_input(_cnn(), X_NAN), "X"),
    Case("negative_zero", "gradient_x_input(batch_size=-1)", lambda: I.gradient_x_input(_cnn(), X, batch_size=-1),
         "batch_size"),
    Case("out_of_range", "gradient_x_input(task=-1)", lambda: I.gradient_x_input(_cnn(), X, task=-1), "task"),
    Case("negative_zero", "integrated_gradients(n_steps=0)", lambda: I.integrated_gradients(_cnn(), X, n_steps=0),
         "n_steps"),
    Case("wrong_type", "integrated_gradients(n_steps=2.5)", lambda: I.integrated_gradients(_cnn(), X, n_steps=2.5),
         "n_steps"),
    Case("unknown_name", "integrated_gradients(reference='random')",
         lambda: I.integrated_gradients(_cnn(), X, reference="random"), "reference"),
    Case("wrong_shape", "integrated_gradients(reference of length 20)",
         lambda: I.integrated_gradients(_cnn(), X, reference=np.zeros((20, 4), "float32")), "reference"),
    Case("nan_inf", "integrated_gradients(reference with inf)",
         lambda: I.integrated_gradients(_cnn(), X, reference=np.full((L, 4), np.inf, "float32")), "reference"),
    # ---------------------------------------------------------------- deeplift and references
    Case("unknown_name", "deeplift(reference='dinucleotide')", lambda: I.deeplift(_cnn(), X, "dinucleotide"),
         "reference"),
    Case("negative_zero", "deeplift(n_references=0)", lambda: I.deeplift(_cnn(), X, "shuffle", 0), "n_references"),
    Case("wrong_type", "deeplift(n_references='20')", lambda: I.deeplift(_cnn(), X, "shuffle", "20"), "n_references"),
    Case("negative_zero", "deeplift(batch_size=0)", lambda: I.deeplift(_cnn(), X, batch_size=0), "batch_size"),
    Case("nan_inf", "deeplift(tolerance=nan)", lambda: I.deeplift(_cnn(), X, tolerance=float("nan")), "tolerance"),
    Case("negative_zero", "deeplift(tolerance=-1)", lambda: I.deeplift(_cnn(), X, tolerance=-1.0), "tolerance"),
    Case("wrong_shape", "deeplift(reference array of length 29)",
         lambda: I.deeplift(_cnn(), X, np.zeros((2, 29, 4), "float32")), "reference"),
    Case("nan_inf", "deeplift(X with NaN)", lambda: I.deeplift(_cnn(), X_NAN), "X"),
    Case("negative_zero", "deeplift(random_state=-1)", lambda: I.deeplift(_cnn(), X, random_state=-1), "random_state"),
    Case("model_mismatch", "deeplift on an LSTM", lambda: I.deeplift(_lstm(), X), "recurrent"),
    Case("wrong_shape", "multipliers(R of 1 row for 2)", lambda: I.multipliers(_cnn(), X, X[:1]), "R"),
    Case("unknown_name", "make_references(reference='shuffled')", lambda: I.make_references(X, "shuffled"),
         "reference"),
    Case("negative_zero", "make_references(n_references=-2)", lambda: I.make_references(X, "shuffle", -2),
         "n_references"),
    Case("wrong_shape", "make_references(reference (n, k) without length)",
         lambda: I.make_references(X, np.zeros((2, 3), "float32")), "reference"),
    # ---------------------------------------------------------------- filters and scores
    Case("unknown_name", "filter_weights(layer='conv1')", lambda: I.filter_weights(_cnn(), "conv1"), "conv1"),
    Case("unknown_name", "layer_outputs(layers=['relu_9'])", lambda: I.layer_outputs(_cnn(), X, ["relu_9"]), "relu_9"),
    Case("unknown_name", "match_filters_to_motifs(['SPI1'])", lambda: I.match_filters_to_motifs(_cnn(), ["SPI1"]),
         "SPI1"),
    Case("wrong_shape", "motif_recovery(truth of another shape)", lambda: I.motif_recovery(SCORES, TRUTH[:, :20]),
         "truth"),
    Case("nan_inf", "motif_recovery(scores with NaN)",
         lambda: I.motif_recovery(np.where(TRUTH, np.nan, SCORES), TRUTH), "scores"),
    Case("negative_zero", "motif_recovery(k=0)", lambda: I.motif_recovery(SCORES, TRUTH, k=0), "k"),
    Case("empty", "motif_recovery(no true positions)", lambda: I.motif_recovery(SCORES, np.zeros_like(TRUTH)), "truth"),
]
