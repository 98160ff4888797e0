"""Invalid input, by category: every case in ``fuzz_cases.CASES`` must raise
ValueError, TypeError or KeyError whose message names the parameter (no silent
result, no IndexError/LogomakerError/MemoryError from deep inside).
``benchmarks/fuzz_report.py`` prints the same cases as a table."""
import pytest

import fuzz_cases

GROUPS = fuzz_cases.by_category()


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


def test_catalogue_covers_every_category_and_the_modules():
    assert all(len(GROUPS[c]) >= 4 for c in fuzz_cases.CATEGORIES)
    labels = " ".join(c.label for c in fuzz_cases.CASES)
    for name in ["one_hot_encode", "reverse_complement", "scan", "load_motifs", "simulate",
                 "subset", "ClassificationResult", "recall_at_fdr", "KmerClassifier", "pssm_scores",
                 "plot_logo", "plot_attribution", "set_seed"]:
        assert name in labels, name


def test_the_classifier_can_fail():
    # negative control: a call that returns, and one that raises without naming the parameter
    silent = fuzz_cases.Case("empty", "returns", lambda: 1, "x")
    vague = fuzz_cases.Case("empty", "vague", lambda: (_ for _ in ()).throw(ValueError("bad")), "x")
    odd = fuzz_cases.Case("empty", "odd", lambda: [][1], "x")
    assert [fuzz_cases.outcome(c)[0] for c in (silent, vague, odd)] == ["silent", "vague", "unexpected"]
