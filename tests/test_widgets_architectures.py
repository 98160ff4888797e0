"""Convolution arithmetic, receptive fields and the architecture explorer (notebook 06)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from dragonn_tutorial import widgets_architectures as wa
from dragonn_tutorial.widgets_architectures import StackLayer


def test_output_length_formula_matches_keras_for_many_settings():
    from keras import layers

    cases = list(itertools.product((7, 20, 33), (1, 3, 5), (0, 2), (1, 2, 3), (1, 2, 4)))
    checked = 0
    for L, K, p, s, d in cases:
        if L + 2 * p < d * (K - 1) + 1:
            with pytest.raises(ValueError, match="kernel_size"):
                wa.conv_output_length(L, K, p, s, d)
            continue
        padded = layers.ZeroPadding1D(p).compute_output_shape((None, L, 4))
        if d > 1 and s > 1:  # Keras refuses both at once: a stride s keeps every s-th dilated output
            dense_len = layers.Conv1D(2, K, dilation_rate=d).compute_output_shape(padded)[1]
            keras_len = len(range(0, dense_len, s))
        else:
            keras_len = layers.Conv1D(2, K, strides=s, dilation_rate=d).compute_output_shape(padded)[1]
        assert wa.conv_output_length(L, K, p, s, d) == keras_len, (L, K, p, s, d)
        same = layers.Conv1D(2, K, strides=s, dilation_rate=1, padding="same").compute_output_shape((None, L, 4))[1]
        assert wa.conv_output_length(L, K, "same", s) == same
        checked += 1
    assert checked > 100


def test_output_length_errors_name_the_parameter():
    with pytest.raises(ValueError, match="padding"):
        wa.conv_output_length(10, 3, padding="full")
    with pytest.raises(ValueError, match="stride"):
        wa.conv_output_length(10, 3, stride=0)


STACKS = [
    [StackLayer("conv", 5, 1, 1, 6)] * 3,                                      # plain: 13 bp
    [StackLayer("conv", 3, 2, 1, 4), StackLayer("conv", 3, 1, 1, 4)],           # strided
    wa.conv_stack(3, 5, dilation=2, pool=2, filters=4),                         # dilated + pooled
    wa.conv_stack(4, 3, dilation=2, pool=1, filters=4),                         # WaveNet-style doubling
]


@pytest.mark.parametrize("stack", STACKS)
def test_stack_table_matches_keras_shapes_and_parameters(stack):
    table = wa.stack_table(stack, 120)
    model = wa.keras_stack(stack, 120)
    for name, row in table.iterrows():
        layer = model.get_layer(name)
        assert layer.output.shape[1] == row["output length"]
        assert layer.output.shape[2] == row["channels"]
        assert layer.count_params() == row["parameters"]
    assert table["parameters"].sum() == model.count_params()


@pytest.mark.parametrize("stack", STACKS)
def test_receptive_field_computed_equals_measured_by_perturbation(stack):
    model = wa.keras_stack(stack, 100)
    positions = wa.measure_receptive_field(model, index=2, n_backgrounds=6)
    expected = wa.input_positions(stack, 2)[0]
    np.testing.assert_array_equal(positions, expected)
    assert positions.max() - positions.min() + 1 == wa.receptive_field_of(stack)
    assert wa.stack_table(stack, 100)["receptive field (bp)"].iloc[-1] == wa.receptive_field_of(stack)


def test_plain_formula_is_wrong_for_dilated_and_pooled_stacks():
    # negative control: 1 + sum(K - 1), the formula for plain stacks, misses dilation and pooling
    stack = wa.conv_stack(3, 5, dilation=2, pool=2)
    plain = 1 + sum(layer.kernel - 1 for layer in stack if layer.kind == "conv")
    assert plain == 13
    assert wa.receptive_field_of(stack) == 1 + 4 * 1 + 1 + 4 * 2 * 2 + 1 * 2 + 4 * 4 * 4  # 88
    assert wa.receptive_field_of(stack) == 88


def test_dilation_can_leave_gaps_inside_the_span():
    stack = [StackLayer("conv", 2, 1, 3, 1)]
    np.testing.assert_array_equal(wa.input_positions(stack, 0)[0], [0, 3])
    assert wa.receptive_field_of(stack) == 4


def test_macs_follow_the_decks_formula():
    # the deck: K = 5, C_i = 192, C_o = 48 costs 46,080 multiply-accumulates per output position
    table = wa.stack_table([StackLayer("conv", 5, 1, 1, 48)], 104, in_channels=192)
    assert table.loc["conv_1", "output length"] == 100
    assert table.loc["conv_1", "MACs"] == 100 * 46_080
    assert table.loc["conv_1", "parameters"] == 5 * 192 * 48 + 48


def test_stack_errors_name_the_parameter():
    with pytest.raises(ValueError, match="seq_length"):
        wa.stack_table(wa.conv_stack(8, 25, dilation=4), 200)
    with pytest.raises(ValueError, match="kind"):
        wa.stack_table([StackLayer("lstm", 3)], 50)
    with pytest.raises(ValueError, match="n_layers"):
        wa.conv_stack(0)
    with pytest.raises(ValueError, match="index"):
        wa.input_positions(STACKS[0], 200, seq_length=50)


def test_gradient_norms_match_logistic_regression_by_hand():
    import keras

    rng = np.random.default_rng(0)
    X = np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=(32, 6))]
    y = rng.integers(0, 2, size=32).astype(np.float32)
    model = keras.Sequential([keras.Input((6, 4)), keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid",
                                                                                            name="dense")])
    w, b = model.get_layer("dense").get_weights()
    p = 1 / (1 + np.exp(-(X.reshape(32, -1) @ w[:, 0] + b[0])))
    by_hand = X.reshape(32, -1).T @ (p - y) / 32
    norms = wa.gradient_norms(model, X, y)
    assert list(norms.index) == ["dense"]
    np.testing.assert_allclose(norms["dense"], np.linalg.norm(by_hand), rtol=1e-4)


def test_input_influence_of_a_linear_model_is_its_weights_and_batch_size_free():
    import keras

    model = keras.Sequential([keras.Input((5, 4)), keras.layers.Flatten(), keras.layers.Dense(1, use_bias=False)])
    w = np.arange(20, dtype=np.float32).reshape(20, 1) / 10
    model.layers[-1].set_weights([w])
    X = np.eye(4, dtype=np.float32)[np.random.default_rng(1).integers(0, 4, size=(7, 5))]
    expected = np.linalg.norm(w.reshape(5, 4), axis=1)
    np.testing.assert_allclose(wa.input_influence(model, X), expected, rtol=1e-5)
    np.testing.assert_allclose(wa.input_influence(model, X, batch_size=2), expected, rtol=1e-5)


def test_explorer_numbers_follow_the_controls():
    panel = wa.architecture_explorer(seq_length=1000)
    c = panel.controls
    c["n_layers"].value, c["kernel_width"].value, c["pool"].value, c["filters"].value = 3, 9, 1, 32
    c["dilation"].value = 1
    assert "receptive field: 25 bp" in panel.message.value            # 1 + 3 x 8
    c["dilation"].value = 2
    assert "receptive field: 57 bp" in panel.message.value            # 1 + 8 x (1 + 2 + 4)
    params = (9 * 4 * 32 + 32) + 2 * (9 * 32 * 32 + 32)
    assert f"parameters: {params:,}" in panel.message.value            # dilation costs no parameters
    lengths = [1000 - 8, 1000 - 8 - 16, 1000 - 8 - 16 - 32]
    macs = lengths[0] * 32 * 9 * 4 + (lengths[1] + lengths[2]) * 32 * 9 * 32
    assert f"MACs per sequence: {macs:,}" in panel.message.value
    c["pool"].value = 4                                                  # pooling multiplies later steps
    assert f"receptive field: {1 + 8 + 3 + 8 * 2 * 4 + 3 * 4 + 8 * 4 * 16} bp" in panel.message.value


def test_explorer_reports_a_stack_too_long_for_the_sequence():
    panel = wa.architecture_explorer(seq_length=100)
    panel.controls["n_layers"].value = 8
    panel.controls["dilation"].value = 4
    assert "too short" in panel.message.value


def test_draw_stack_returns_axes_with_one_row_per_level():
    import matplotlib.pyplot as plt

    stack = wa.conv_stack(3, 5, dilation=2)
    ax = wa.draw_stack(stack, 200, ax=plt.figure().gca())
    assert [t.get_text() for t in ax.get_yticklabels()] == ["input", "conv_1", "conv_2", "conv_3"]
    assert "receptive field 29 bp" in ax.get_title()
