"""The architecture zoo: shapes, names, receptive fields measured by perturbation,
parameter and multiply-accumulate counts checked by hand, heads and transfer learning."""
import numpy as np
import pytest

from dragonn_tutorial import models

keras = pytest.importorskip("keras")

SMALL = {  # small settings so every build is quick
    "build_cnn": dict(num_filters=(4, 4), conv_width=(7, 5)),
    "deepbind": dict(num_filters=4, conv_width=12, hidden_units=8),
    "dilated_cnn": dict(num_filters=4, conv_width=9, num_dilated=3),
    "residual_cnn": dict(num_filters=4, conv_width=9, num_blocks=2, block_width=5),
    "rnn": dict(units=4),
    "danq": dict(num_filters=4, conv_width=10, pool_width=5, lstm_units=4, hidden_units=8),
    "multimodal_cnn": dict(num_filters=4, conv_width=9, track_filters=2, track_width=7, joint_filters=4),
}
EXPECTED_FIELD = {  # by hand
    "build_cnn": 1 + 6 + 4,
    "deepbind": 12,
    "dilated_cnn": 9 + 2 * (2 + 4 + 8),
    "residual_cnn": 9 + 2 * 4,
    "rnn": models.WHOLE_SEQUENCE,
    "danq": models.WHOLE_SEQUENCE,
    "multimodal_cnn": 9,
}


def build(name, seq_length, **kw):
    params = dict(SMALL[name])
    params.update(kw)
    return getattr(models, name)(seq_length, **params)


def random_one_hot(rng, n, length):
    return np.eye(4, dtype=np.float32)[rng.integers(0, 4, size=(n, length))]


def inputs_for(model, X, rng):
    if len(model.inputs) == 1:
        return X
    return {"sequence": X, "accessibility": rng.random((len(X), X.shape[1], 1)).astype(np.float32)}


def measured_field(model, layer, length=200, n_backgrounds=6, seed=0):
    """Perturb every base (to each other base) of a few random sequences; the receptive
    field is the span of input positions whose change moves the layer's centre unit."""
    rng = np.random.default_rng(seed)
    sub = keras.Model(model.inputs, model.get_layer(layer).output)
    changed = set()
    for _ in range(n_backgrounds):
        x = random_one_hot(rng, 1, length)
        extra = inputs_for(model, x, rng)
        base = np.asarray(sub.predict_on_batch(extra))
        centre = base.shape[1] // 2
        mutants = np.repeat(x, 3 * length, axis=0)
        rows = np.arange(3 * length)
        pos = rows // 3
        current = x[0].argmax(-1)[pos]
        new = (current + 1 + rows % 3) % 4
        mutants[rows, pos] = 0
        mutants[rows, pos, new] = 1
        if isinstance(extra, dict):
            extra = {"sequence": mutants, "accessibility": np.repeat(extra["accessibility"], len(rows), 0)}
        else:
            extra = mutants
        out = np.asarray(sub.predict_on_batch(extra))
        diff = np.abs(out[:, centre] - base[:, centre]).reshape(len(rows), -1).max(1)
        changed |= set(pos[diff > 1e-6].tolist())
    changed = sorted(changed)
    return changed[-1] - changed[0] + 1, len(changed)


@pytest.mark.parametrize("name", list(SMALL))
@pytest.mark.parametrize("seq_length", [200, 1000])
def test_every_builder_builds_with_named_layers_and_counts(name, seq_length):
    model = build(name, seq_length, num_tasks=3)
    assert model.output.shape[1:] == (3,) and model.output.dtype == "float32"
    names = [layer.name for layer in model.layers]
    assert names[0] == "sequence" and names[-2:] == ["logits", "output"]
    table = models.parameter_table(model)
    assert table.loc["total", "parameters"] == model.count_params()
    assert table.loc["total", "MACs"] == table["MACs"].iloc[:-1].sum() > 0
    assert models.receptive_field(model) == EXPECTED_FIELD[name]


@pytest.mark.parametrize("name", [n for n in SMALL if EXPECTED_FIELD[n] != models.WHOLE_SEQUENCE])
def test_receptive_field_equals_the_measured_one(name):
    model = build(name, 200)
    field = models.receptive_field(model)
    layers = [layer.name for layer in model.layers]
    layer = layers[layers.index("global_pool" if "global_pool" in layers else "global_max") - 1]
    span, count = measured_field(model, layer)
    assert span == count == field


def test_receptive_field_with_pooling_and_strides():
    # conv 5 -> pool 3 (stride 3) -> conv 3 dilated 2: 5 + 2 + 2 x 2 x 3 = 19
    inputs = keras.Input((200, 4), name="sequence")
    x = keras.layers.Conv1D(3, 5, name="conv_1")(inputs)
    x = keras.layers.MaxPooling1D(3, name="pool")(x)
    x = keras.layers.Conv1D(3, 3, dilation_rate=2, name="conv_2")(x)
    x = keras.layers.Conv1D(3, 3, strides=2, name="conv_3")(x)
    model = keras.Model(inputs, x)
    assert models.receptive_field(model, "conv_2") == 19 == measured_field(model, "conv_2")[0]
    assert models.receptive_field(model) == 19 + 2 * 3 == measured_field(model, "conv_3")[0]
    # the flatten head of the workshop model: pooling widens the field of what the head reads
    flat = models.shallow_cnn(200, global_pool=False, pool_width=35, pool_padding="valid")
    assert models.receptive_field(flat) == 25 + 34 == models.receptive_field(flat, "pool")
    assert models.receptive_field(flat, "flatten") == models.WHOLE_SEQUENCE
    with pytest.raises(KeyError, match="conv_1"):
        models.receptive_field(flat, "conv1")


@pytest.mark.parametrize("name", ["rnn", "danq"])
def test_recurrent_models_see_the_whole_sequence(name):
    model = build(name, 200)
    rng = np.random.default_rng(1)
    x = random_one_hot(rng, 8, 200)
    moved = []
    for position in (0, 199):  # the first and the last base both reach the output
        mutant = x.copy()
        mutant[:, position] = np.roll(mutant[:, position], 1, axis=-1)
        moved.append(np.abs(model.predict_on_batch(mutant) - model.predict_on_batch(x)).max() > 1e-7)
    assert moved == [True, True]
    assert models.receptive_field(model) == models.WHOLE_SEQUENCE
    if name == "danq":
        assert models.receptive_field(model, "pool") == 10 + 4 == measured_field(model, "pool")[0]


def test_multiply_accumulates_by_hand():
    table = models.parameter_table(models.shallow_cnn(500))
    assert table.loc["conv_1", "MACs"] == 476 * 15 * 25 * 4  # L_out x C_out x K x C_in
    assert table.loc["logits", "MACs"] == 15
    dilated = models.parameter_table(models.dilated_cnn(200, num_filters=8, conv_width=5, num_dilated=2))
    assert dilated.loc["dilated_conv_1", "MACs"] == 196 * 8 * 3 * 8  # "same": 196 positions
    assert dilated.loc["dilated_conv_1", "parameters"] == 3 * 8 * 8 + 8
    deepbind = models.parameter_table(models.deepbind(100, num_filters=16, hidden_units=32))
    assert deepbind.loc["hidden", "MACs"] == 16 * 32
    lstm = models.parameter_table(models.rnn(50, units=4, bidirectional=False, cell="lstm"))
    assert lstm.loc["recurrent", "MACs"] == 50 * 4 * 4 * (4 + 4)
    assert lstm.loc["recurrent", "parameters"] == 4 * 4 * (4 + 4 + 1)


def test_workshop_2016_head_and_pool_width_semantics():
    flat = models.shallow_cnn(500, global_pool=False, pool_width=35, pool_padding="valid")
    assert flat.get_layer("pool").output.shape[1:] == (13, 15)  # 476 positions -> 13 full windows
    assert flat.count_params() == 1515 + 13 * 15 + 1
    same = models.shallow_cnn(500, global_pool=False)  # pool_width None -> 35, "same" keeps 14
    assert same.get_layer("pool").output.shape[1:] == (14, 15)
    mean = models.shallow_cnn(500, global_pool="mean", pool_width=10)
    assert mean.get_layer("pool").output.shape[1:] == (48, 15)
    with pytest.raises(ValueError, match="changes nothing"):
        models.shallow_cnn(500, pool_width=35)  # a pool before a global max is a no-op
    assert "pool" not in [layer.name for layer in models.shallow_cnn(500).layers]
    with pytest.raises(ValueError, match="pool_padding"):
        models.shallow_cnn(500, global_pool=False, pool_padding="causal")


@pytest.mark.parametrize("output, loss", [("sigmoid", "MaskedBinaryCrossentropy"),
                                          ("linear", "MaskedMeanSquaredError"),
                                          ("softplus", "MaskedPoisson"), ("exponential", "MaskedPoisson")])
def test_output_chooses_activation_and_loss(output, loss):
    model = models.deepbind(100, num_filters=4, output=output)
    assert type(model.loss).__name__ == loss
    assert model.get_layer("output").activation.__name__ == output
    with pytest.raises(ValueError, match="output must be one of"):
        models.dilated_cnn(100, output="relu")


def test_residual_orders_differ_where_the_relu_sits():
    rng = np.random.default_rng(0)
    x = random_one_hot(rng, 4, 100)
    pre = models.residual_cnn(100, num_filters=4, num_blocks=1, order="pre")
    names = {o: [layer.name for layer in models.residual_cnn(100, num_blocks=1, order=o).layers]
             for o in models.RESIDUAL_ORDERS}
    assert names["pre"][3:6] == ["block_1_relu", "block_1_conv", "block_1_add"]
    assert names["relu-after"][3:6] == ["block_1_conv", "block_1_relu", "block_1_add"]
    assert names["original"][3:6] == ["block_1_conv", "block_1_add", "block_1_relu"]
    # pre-activation: with the block conv zeroed, the block is the identity
    conv = pre.get_layer("block_1_conv")
    conv.set_weights([np.zeros_like(w) for w in conv.get_weights()])
    h = keras.Model(pre.inputs, pre.get_layer("relu_1").output).predict_on_batch(x)
    out = keras.Model(pre.inputs, pre.get_layer("block_1_add").output).predict_on_batch(x)
    np.testing.assert_allclose(out, h, atol=1e-6)
    with pytest.raises(ValueError, match="order"):
        models.residual_cnn(100, order="post")


def test_replace_head_copies_the_body_and_leaves_the_original():
    model = models.deep_cnn(200, num_filters=(4, 4, 4))
    before = [w.copy() for w in model.get_weights()]
    new = models.replace_head(model, 5, output="linear", freeze_body=True)
    assert new.output.shape[1:] == (5,) and type(new.loss).__name__ == "MaskedMeanSquaredError"
    np.testing.assert_array_equal(new.get_layer("conv_2").get_weights()[0], model.get_layer("conv_2").get_weights()[0])
    assert new.get_layer("conv_2") is not model.get_layer("conv_2")
    assert [layer.trainable for layer in new.layers if layer.name.startswith("conv")] == [False] * 3
    assert new.get_layer("logits").trainable and model.get_layer("conv_1").trainable
    models.unfreeze(new, ["conv_3"])
    assert new.get_layer("conv_3").trainable
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(KeyError, match="conv_1"):
        models.freeze(new, ["conv_9"])
    with pytest.raises(ValueError, match="logits"):
        models.replace_head(keras.Sequential([keras.Input((10, 4)), keras.layers.Flatten(),
                                              keras.layers.Dense(1, name="out")]), 2)


def test_multimodal_inputs_are_named():
    model = models.multimodal_cnn(100, num_tracks=2, track_name="dnase")
    assert [t.name for t in model.inputs] == ["sequence", "dnase"]
    assert tuple(model.inputs[1].shape[1:]) == (100, 2)
    with pytest.raises(ValueError, match="track_name"):
        models.multimodal_cnn(100, track_name="sequence")


def test_output_stays_float32_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = models.build_cnn(100, num_filters=4, conv_width=5)
        assert model.get_layer("conv_1").compute_dtype == "float16"
        assert model.output.dtype == "float32"
    finally:
        keras.mixed_precision.set_global_policy("float32")
