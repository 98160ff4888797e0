"""Invalid input, by category: every case in ``fuzz_cases.CASES`` must raise
ValueError, TypeError or KeyError whose message names the parameter (no silent
result, no IndexError/LogomakerError/MemoryError from deep inside).
``benchmarks/fuzz_report.py`` prints the same cases as a table.
``fuzz_cases_models.CASES`` adds models, training, simulations_extra and datasets;
``fuzz_cases_attribution.CASES`` the attribution API (ISM, variants, gradients, DeepLIFT)."""
import pytest

import fuzz_cases
import fuzz_cases_attribution
import fuzz_cases_models

ALL_CASES = fuzz_cases.CASES + fuzz_cases_models.CASES + fuzz_cases_attribution.CASES
CATEGORIES = fuzz_cases.CATEGORIES + fuzz_cases_models.CATEGORIES
GROUPS = {c: [case for case in ALL_CASES if case.category == c] for c in CATEGORIES}


def _check(case):
    kind, detail = fuzz_cases.outcome(case)
    assert kind == "clear", f"{case.label}: {kind} ({detail}); expected an error naming {case.param!r}"


def _params(category):
    return pytest.mark.parametrize("case", GROUPS[category], ids=[c.label for c in GROUPS[category]])


@_params("wrong_type")
def test_wrong_types_are_refused_by_name(case):
    _check(case)


@_params("empty")
def test_empty_inputs_are_refused_by_name(case):
    _check(case)


@_params("nan_inf")
def test_nan_and_inf_are_refused_by_name(case):
    _check(case)


@_params("wrong_shape")
def test_wrong_shapes_are_refused_by_name(case):
    _check(case)


@_params("negative_zero")
def test_negative_and_zero_sizes_are_refused_by_name(case):
    _check(case)


@_params("iupac_lower_n")
def test_iupac_and_other_letters_are_refused_by_name(case):
    _check(case)


@_params("unknown_name")
def test_unknown_names_are_refused_with_the_name(case):
    _check(case)


@_params("duplicates")
def test_duplicates_are_refused_by_name(case):
    _check(case)


@_params("out_of_range")
def test_out_of_range_values_are_refused_by_name(case):
    _check(case)


@_params("model_mismatch")
def test_data_that_does_not_fit_the_model_is_refused_by_name(case):
    # wrong sequence length, number of inputs, tasks, label values vs the output activation
    _check(case)


def test_catalogue_covers_every_category_and_the_modules():
    assert all(len(GROUPS[c]) >= 4 for c in CATEGORIES)
    labels = " ".join(c.label for c in fuzz_cases.CASES)
    for name in ["one_hot_encode", "reverse_complement", "scan", "load_motifs", "simulate",
                 "subset", "ClassificationResult", "recall_at_fdr", "KmerClassifier", "pssm_scores",
                 "plot_logo", "plot_attribution", "set_seed"]:
        assert name in labels, name
    model_labels = " ".join(c.label for c in fuzz_cases_models.CASES)
    for name in ["build_cnn", "deepbind", "dilated_cnn", "residual_cnn", "rnn(", "danq", "multimodal_cnn",
                 "receptive_field", "parameter_table", "replace_head", "freeze", "unfreeze", "train(",
                 "evaluate", "predict(", "save_model", "load_model", "simulate_signal_regression",
                 "simulate_cell_type_binding", "simulate_many_motifs", "stack_cell_types", "load_nfe2",
                 "load_oct4_mafk", "from_fasta", "fit_length"]:
        assert name in model_labels, name
    attribution_labels = " ".join(c.label for c in fuzz_cases_attribution.CASES)
    for name in ["ism(", "variant", "gradient_x_input", "integrated_gradients", "deeplift", "multipliers",
                 "make_references", "filter_weights", "layer_outputs", "match_filters_to_motifs", "motif_recovery"]:
        assert name in attribution_labels, name
    new = fuzz_cases_models.by_category()
    assert all(len(new[c]) >= 4 for c in ("wrong_type", "empty", "nan_inf", "wrong_shape", "negative_zero",
                                          "unknown_name", "out_of_range", "model_mismatch")), \
        {c: len(v) for c, v in new.items()}


def test_the_classifier_can_fail():
    # negative control: a call that returns, and one that raises without naming the parameter
    silent = fuzz_cases.Case("empty", "returns", lambda: 1, "x")
    vague = fuzz_cases.Case("empty", "vague", lambda: (_ for _ in ()).throw(ValueError("bad")), "x")
    odd = fuzz_cases.Case("empty", "odd", lambda: [][1], "x")
    assert [fuzz_cases.outcome(c)[0] for c in (silent, vague, odd)] == ["silent", "vague", "unexpected"]
