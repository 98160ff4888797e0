"""The validator module's contracts (other modules and helpers call these)."""
import numpy as np
import pytest

from dragonn_tutorial import _validation as V


def test_parameter_type_error_is_both_type_and_value_error():
    with pytest.raises(TypeError):
        V.check_int("3", "n")
    with pytest.raises(ValueError, match="n must be a whole number; received str '3'"):
        V.check_int("3", "n")


@pytest.mark.parametrize("value, ok", [(3, 3), (3.0, 3), (np.int8(2), 2)])
def test_check_int_accepts_whole_numbers(value, ok):
    assert V.check_int(value, "n", 0) == ok


@pytest.mark.parametrize("value, message", [
    (True, "must be a whole number"), (2.5, "must be a whole number; received 2.5"),
    (float("nan"), "must be a whole number"), (-1, r"n must be in \[0, 10\]; received -1"),
    (11, r"n must be in \[0, 10\]; received 11"),
])
def test_check_int_refuses(value, message):
    with pytest.raises(ValueError, match=message):
        V.check_int(value, "n", 0, 10)


def test_check_float_bounds_and_finiteness():
    assert V.check_float(0.5, "p", 0, 1) == 0.5
    with pytest.raises(ValueError, match="p must be a finite number; received inf"):
        V.check_float(float("inf"), "p")
    assert V.check_float(float("inf"), "p", allow_inf=True) == float("inf")
    with pytest.raises(ValueError, match="C must be > 0; received 0.0"):
        V.check_float(0, "C", 0, low_open=True)
    with pytest.raises(ValueError, match="p must be <= 1; received 2.0"):
        V.check_float(2, "p", high=1)


def test_check_indices_normalises_and_refuses():
    np.testing.assert_array_equal(V.check_indices([0, -1, 2, 2], 5), [0, 4, 2, 2])
    np.testing.assert_array_equal(V.check_indices(np.array([True, False, True]), 3), [0, 2])
    np.testing.assert_array_equal(V.check_indices(slice(1, None, 2), 5), [1, 3])
    np.testing.assert_array_equal(V.check_indices(3, 5), [3])
    assert V.check_indices([], 5).dtype == np.int64
    with pytest.raises(ValueError, match=r"rows must be in \[-5, 4\] .*received 5"):
        V.check_indices([5], 5, "rows")
    with pytest.raises(ValueError, match="must not repeat"):
        V.check_indices([1, 1], 5, allow_duplicates=False)
    with pytest.raises(TypeError, match="use .astype"):
        V.check_indices([1.0, 2.0], 5)


def test_check_probabilities_and_background():
    p = V.check_probabilities([[0.5, 0.5], [1, 0]], "p")
    assert p.dtype == float
    with pytest.raises(ValueError, match="p must sum to 1"):
        V.check_probabilities([0.5, 0.4], "p")
    with pytest.raises(ValueError, match=r"p must hold probabilities in \[0, 1\]"):
        V.check_probabilities([1.5, -0.5], "p")
    with pytest.raises(ValueError, match="strictly positive"):
        V.check_probabilities([1, 0], "p", positive=True)
    np.testing.assert_allclose(V.check_background(0.4), [0.3, 0.2, 0.2, 0.3])
    np.testing.assert_allclose(V.check_background([1, 1, 1, 1]), 0.25)
    np.testing.assert_allclose(V.check_background(np.float32(0.5)), 0.25)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        V.check_background(1.0, positive=True)
    np.testing.assert_allclose(V.gc_background([0.2, 0.6]), [[0.4, 0.1, 0.1, 0.4], [0.2, 0.3, 0.3, 0.2]])


def test_names_choices_and_strings():
    with pytest.raises(KeyError, match="unknown colour 'gren'. Close matches: green"):
        V.check_name("gren", "colour", ["red", "green"])
    with pytest.raises(ValueError, match=r"kind must be one of \['a', 'b'\]; received 'c'"):
        V.check_choice("c", "kind", ["a", "b"])
    with pytest.raises(ValueError, match="kind must be one of"):
        V.check_choice(["a"], "kind", ["a", "b"])  # unhashable: refused, not a TypeError from `in`
    with pytest.raises(ValueError, match="must be a non-empty string"):
        V.check_str("", "name")
    assert V.close_matches("", ["a"]) == []


def test_one_hot_tokens_on_every_float_dtype_and_views():
    X = np.eye(4)[[0, 1, 2, 3, 0]][None]
    for dtype in (np.float16, np.float32, np.float64):
        Y, tokens = V.one_hot_tokens(X.astype(dtype))
        assert Y.dtype == dtype and tokens.tolist() == [[0, 1, 2, 3, 0]]
    strided = np.concatenate([X, X], axis=1)[:, ::2]  # a non-contiguous view
    assert V.one_hot_tokens(strided)[1].tolist() == [[0, 2, 0, 1, 3]]
    negative_zero = X.copy()
    negative_zero[0, 0, 1] = -0.0
    assert V.one_hot_tokens(negative_zero)[1].tolist() == [[0, 1, 2, 3, 0]]
    with pytest.raises(TypeError, match="X must hold numbers; received dtype complex128"):
        V.check_one_hot(X.astype(complex))
    with pytest.raises(ValueError, match="X must have length >= 1"):
        V.check_one_hot(np.zeros((2, 0, 4)))


def test_rng_from_and_base_seed():
    assert isinstance(V.rng_from(None), np.random.Generator)
    g = np.random.default_rng(0)
    assert V.rng_from(g) is g
    assert V.base_seed(7) == 7
    with pytest.raises(ValueError, match="random_state must be >= 0; received -3"):
        V.rng_from(-3)
    with pytest.raises(TypeError, match="random_state must be None, an int or a numpy Generator"):
        V.rng_from(1.5)


def test_check_memory_names_the_parameter():
    V.check_memory(1024, "n", "a little")
    with pytest.raises(ValueError, match=r"n is too large: everything would need .* GiB"):
        V.check_memory(2.0 ** 60, "n", "everything")
