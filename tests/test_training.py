"""Task-agnostic training: NaN masking, regression, two inputs, input checks, early stopping,
weights, fine-tuning, and every architecture learning a motif."""
import numpy as np
import pytest

from dragonn_tutorial import models, simulations, training

keras = pytest.importorskip("keras")

MOTIF = "AAAGAGGAAGTG"  # an SPI1-like site


def one_hot(seqs):
    lookup = {c: i for i, c in enumerate("ACGT")}
    return np.eye(4, dtype=np.float32)[[[lookup[c] for c in s] for s in seqs]]


def random_seqs(rng, n, length):
    return ["".join(rng.choice(list("ACGT"), length)) for _ in range(n)]


def implant(seq, motif, start):
    return seq[:start] + motif + seq[start + len(motif):]


@pytest.fixture(scope="module")
def detection():
    return simulations.get_simulation_data(
        "simulate_single_motif_detection",
        {"motif_name": "SPI1_known4", "seq_length": 100, "num_pos": 700, "num_neg": 700, "GC_fraction": 0.4},
        test_set_size=300, validation_set_size=200, random_state=0)


def tiny_cnn(**kw):
    params = dict(num_filters=4, conv_width=10, learning_rate=1e-2)
    params.update(kw)
    return models.build_cnn(100, **params)


# --------------------------------------------------------------------------- NaN masking
def test_nan_labels_are_skipped_exactly(detection):
    X, y = detection.X_train[:400], detection.y_train[:400].copy()
    rng = np.random.default_rng(0)
    missing = rng.random(len(y)) < 0.2
    y_nan = y.copy()
    y_nan[missing] = np.nan
    keras.utils.set_random_seed(0)
    a = tiny_cnn()
    b = tiny_cnn()
    b.set_weights(a.get_weights())
    # the compiled loss on data with holes equals the loss on the measured rows only
    p = a.predict_on_batch(X)
    assert float(a.loss(y_nan, p)) == pytest.approx(float(a.loss(y[~missing], p[~missing])), rel=1e-6)
    # full-batch training: the same gradient steps, so the same losses and weights
    valid = (detection.X_valid, detection.y_valid)
    ha = training.train(a, ((X, y_nan), valid), epochs=3, patience=None, batch_size=len(X), verbose=0,
                        random_state=0)
    hb = training.train(b, ((X[~missing], y[~missing]), valid), epochs=3, patience=None,
                        batch_size=len(X), verbose=0, random_state=0)
    np.testing.assert_allclose(ha.loss, hb.loss, rtol=1e-5)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_allclose(wa, wb, atol=1e-5)


def test_multitask_loss_is_the_mean_over_measured_entries():
    rng = np.random.default_rng(1)
    y = (rng.random((50, 3)) < 0.5).astype(np.float32)
    y[rng.random((50, 3)) < 0.2] = np.nan
    p = rng.uniform(0.05, 0.95, (50, 3)).astype(np.float32)
    model = models.build_cnn(20, num_filters=2, conv_width=3, num_tasks=3)
    keep = ~np.isnan(y)
    by_hand = -np.mean(y[keep] * np.log(p[keep]) + (1 - y[keep]) * np.log(1 - p[keep]))
    assert float(model.loss(y, p)) == pytest.approx(by_hand, rel=1e-5)
    mse = models.build_cnn(20, num_filters=2, conv_width=3, num_tasks=3, output="linear")
    assert float(mse.loss(y, p)) == pytest.approx(np.mean((y[keep] - p[keep]) ** 2), rel=1e-5)
    # and the metrics skip the holes too
    scores = training.task_metrics(y, p, "classification")
    from sklearn.metrics import roc_auc_score

    assert scores["auROC"][1] == pytest.approx(roc_auc_score(y[keep[:, 1], 1], p[keep[:, 1], 1]))
    result = training.evaluate(model, np.zeros((50, 20, 4), np.float32), y)
    assert len(result) == 3 and result.results[2]["num_positives"] == int(np.nansum(y[:, 2]))


# --------------------------------------------------------------------------- regression
@pytest.fixture(scope="module")
def signal():
    """y = number of embedded sites (0-3) + noise: a CNN with a mean head can count them."""
    rng = np.random.default_rng(0)
    n, length = 1500, 100
    seqs, y = [], []
    for s in random_seqs(rng, n, length):
        k = int(rng.integers(0, 4))
        for j in range(k):
            s = implant(s, MOTIF, 5 + 30 * j + int(rng.integers(0, 10)))
        seqs.append(s)
        y.append(k + rng.normal(0, 0.3))
    X, y = one_hot(seqs), np.array(y, np.float32)
    return (X[:1000], y[:1000]), (X[1000:1200], y[1000:1200]), (X[1200:], y[1200:])


@pytest.mark.slow
def test_regression_reaches_pearson_08(signal):
    train_set, valid, test = signal
    keras.utils.set_random_seed(0)
    model = models.build_cnn(100, num_filters=8, conv_width=12, global_pool="mean", pool_width=1,
                             output="linear", learning_rate=1e-2)
    history = training.train(model, (train_set, valid), epochs=25, patience=4, verbose=0, random_state=0)
    assert history.task == "regression" and list(history.to_frame().columns)[2:5] == [
        "val_MSE", "val_pearson", "val_spearman"]
    result = training.evaluate(model, *test)
    assert type(result).__name__ == "RegressionResult"
    assert result["pearson"] >= 0.8, str(result)
    assert result["MSE"] == pytest.approx(np.mean((training.predict(model, test[0])[:, 0] - test[1]) ** 2),
                                          rel=1e-5)
    assert "Pearson r" in str(result) and list(result.to_frame().columns) == [
        "MSE", "pearson", "spearman", "num_observed"]
    import matplotlib.pyplot as plt

    ax = result.plot_scatter(ax=plt.gca())
    assert len(ax.collections[0].get_offsets()) == len(test[1])
    plt.close("all")


# --------------------------------------------------------------------------- two inputs
@pytest.fixture(scope="module")
def two_inputs():
    """Label 1 when the site lies in the open region: each input alone says half of it."""
    rng = np.random.default_rng(2)
    n, length = 1600, 100
    seqs, acc, y = [], np.zeros((n, length, 1), np.float32), np.zeros(n, np.float32)
    for i, s in enumerate(random_seqs(rng, n, length)):
        has_site, inside = rng.random() < 0.5, rng.random() < 0.5
        open_start = int(rng.integers(0, 2)) * 50  # the open half: first or second
        acc[i, open_start:open_start + 50, 0] = 1.0
        if has_site:
            start = (open_start if inside else 50 - open_start) + int(rng.integers(5, 33))
            s = implant(s, MOTIF, start)
        y[i] = float(has_site and inside)
        seqs.append(s)
    acc += rng.normal(0, 0.1, acc.shape).astype(np.float32)
    X = one_hot(seqs)
    return X, acc, y


@pytest.mark.slow
def test_two_input_model_beats_each_input_alone(two_inputs):
    X, acc, y = two_inputs
    tr, va, te = slice(0, 1000), slice(1000, 1200), slice(1200, None)
    keras.utils.set_random_seed(0)
    both = models.multimodal_cnn(100, num_filters=8, conv_width=12, track_filters=4, track_width=5,
                                 joint_filters=8, learning_rate=1e-2)
    data = (({"sequence": X[tr], "accessibility": acc[tr]}, y[tr]),
            ((X[va], acc[va]), y[va]))  # a dict or a tuple in input order
    training.train(both, data, epochs=12, patience=3, verbose=0, random_state=0)
    auroc_both = training.evaluate(both, {"sequence": X[te], "accessibility": acc[te]}, y[te])["auROC"]
    sequence_only = models.build_cnn(100, num_filters=8, conv_width=12, learning_rate=1e-2)
    training.train(sequence_only, ((X[tr], y[tr]), (X[va], y[va])), epochs=12, patience=3, verbose=0,
                   random_state=0)
    auroc_seq = training.evaluate(sequence_only, X[te], y[te])["auROC"]
    inp = keras.Input((100, 1), name="accessibility")
    h = keras.layers.Conv1D(4, 5, activation="relu")(inp)
    h = keras.layers.GlobalMaxPooling1D()(h)
    track_only = keras.Model(inp, keras.layers.Dense(1, activation="sigmoid", name="output")(h))
    track_only.compile(optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy")
    training.train(track_only, ((acc[tr], y[tr]), (acc[va], y[va])), epochs=5, patience=3, verbose=0,
                   random_state=0)
    auroc_track = training.evaluate(track_only, acc[te], y[te])["auROC"]
    # the best sequence-only score is 0.83 (it sees the site, not where the DNA is open); track-only 0.5
    assert auroc_both > 0.95 and auroc_both > max(auroc_seq, auroc_track) + 0.05, (
        auroc_both, auroc_seq, auroc_track)


# --------------------------------------------------------------------------- checks
def test_bad_inputs_raise_clear_errors_and_the_model_still_trains(detection):
    model = tiny_cnn()
    X, y = detection.X_train[:200], detection.y_train[:200]
    valid = (detection.X_valid[:100], detection.y_valid[:100])
    short = np.zeros((200, 80, 4), np.float32)
    with pytest.raises(ValueError, match="sequence length 80 but the model's input 'sequence' expects 100"):
        training.train(model, ((short, y), valid), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="output unit"):
        training.train(model, ((X, np.hstack([y, y])), valid), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="0/1 labels"):
        training.train(model, ((X, y * 2.5), valid), epochs=1, verbose=0)
    nan_x = X.copy()
    nan_x[3, 4, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        training.train(model, ((nan_x, y), valid), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="channels 5"):
        training.predict(model, np.zeros((2, 100, 5), np.float32))
    with pytest.raises(ValueError, match="2 inputs"):
        training.train(models.multimodal_cnn(100, num_filters=2, track_filters=1, joint_filters=2),
                       ((X, y), valid), epochs=1, verbose=0)
    with pytest.raises(KeyError, match="accessibility"):
        training.predict(models.multimodal_cnn(100, num_filters=2, track_filters=1, joint_filters=2),
                         {"sequence": X, "acessibility": np.zeros((200, 100, 1))})
    with pytest.raises(ValueError, match="negative"):
        counts = models.build_cnn(100, num_filters=2, conv_width=5, output="softplus")
        training.train(counts, ((X, -y), valid), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="not compiled"):
        training.train(tiny_cnn(compile=False), ((X, y), valid), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="patience"):
        training.train(model, ((X, y), valid), epochs=1, patience=0, verbose=0)
    # the failed calls left the model as it was: it trains and predicts at the right length
    history = training.train(model, ((X, y), valid), epochs=2, patience=None, verbose=0)
    assert len(history.epoch) == 2 and np.isfinite(history.val_loss).all()
    # a raw Keras call at the wrong length (Keras may accept or refuse it) does not break train
    try:
        model.fit(short, y, epochs=1, verbose=0)
    except Exception:
        pass
    history = training.train(model, ((X, y), valid), epochs=1, verbose=0)
    assert np.isfinite(history.loss[0])


def test_patience_k_means_k_epochs_without_improvement(detection):
    model = tiny_cnn(compile=False)
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="binary_crossentropy")  # never improves
    data = ((detection.X_train[:100], detection.y_train[:100]), (detection.X_valid, detection.y_valid))
    for k in (1, 2, 4):
        history = training.train(model, data, epochs=20, patience=k, verbose=0)
        assert len(history.epoch) == 1 + k and history.best_epoch == 1 and history.stopped_early


def test_class_weight_equals_the_same_sample_weights(detection):
    X, y = detection.X_train[:300], detection.y_train[:300]
    data = ((X, y), (detection.X_valid[:100], detection.y_valid[:100]))
    a = tiny_cnn()
    b = tiny_cnn()
    b.set_weights(a.get_weights())
    ha = training.train(a, data, epochs=2, patience=None, class_weight={0: 1.0, 1: 3.0}, verbose=0,
                        random_state=1)
    hb = training.train(b, data, epochs=2, patience=None, sample_weight=np.where(y[:, 0] == 1, 3.0, 1.0),
                        verbose=0, random_state=1)
    np.testing.assert_allclose(ha.loss, hb.loss, rtol=1e-5)
    c = tiny_cnn()
    c.set_weights(b.get_weights())
    hc = training.train(c, data, epochs=1, patience=None, verbose=0, random_state=1)
    assert hc.loss[0] != pytest.approx(hb.loss[0])  # weights change the loss
    with pytest.raises(ValueError, match="sample_weight"):
        training.train(a, data, epochs=1, sample_weight=np.ones(5), verbose=0)


def test_no_global_reseeding_and_local_order(detection):
    data = ((detection.X_train[:200], detection.y_train[:200]), (detection.X_valid[:100], detection.y_valid[:100]))
    before = np.random.get_state()[1].copy()
    runs = []
    for _ in range(2):
        keras.utils.set_random_seed(3)
        model = tiny_cnn()
        runs.append(training.train(model, data, epochs=2, patience=None, verbose=0, random_state=5).loss)
    assert runs[0] == runs[1]
    np.random.seed(None)  # keras.utils.set_random_seed above seeded numpy; train itself never does
    state = np.random.get_state()[1].copy()
    training.train(tiny_cnn(), data, epochs=1, verbose=0, random_state=5)
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    assert before.shape == state.shape


def test_fine_tuning_freezes_named_layers(detection):
    data = ((detection.X_train[:300], detection.y_train[:300]), (detection.X_valid[:100], detection.y_valid[:100]))
    model = tiny_cnn()
    training.train(model, data, epochs=1, verbose=0)
    new = models.replace_head(model, 1, learning_rate=1e-2)
    conv_before = new.get_layer("conv_1").get_weights()[0].copy()
    head_before = new.get_layer("logits").get_weights()[0].copy()
    training.train(new, data, epochs=2, patience=None, trainable=["logits"], verbose=0)
    np.testing.assert_array_equal(new.get_layer("conv_1").get_weights()[0], conv_before)
    assert not np.allclose(new.get_layer("logits").get_weights()[0], head_before)
    training.train(new, data, epochs=1, patience=None, trainable={"conv_1": True}, learning_rate=1e-3,
                   verbose=0)
    assert not np.allclose(new.get_layer("conv_1").get_weights()[0], conv_before)
    with pytest.raises(KeyError, match="conv_1"):
        training.train(new, data, epochs=1, trainable=["conv_7"], verbose=0)


def test_multi_input_predict_accepts_dict_and_tuple():
    model = models.multimodal_cnn(50, num_filters=2, track_filters=1, joint_filters=2)
    rng = np.random.default_rng(0)
    X = np.eye(4, dtype=np.float32)[rng.integers(0, 4, (6, 50))]
    A = rng.random((6, 50, 1)).astype(np.float32)
    by_dict = training.predict(model, {"accessibility": A, "sequence": X}, batch_size=4)
    np.testing.assert_allclose(training.predict(model, (X, A)), by_dict, rtol=1e-6)
    assert by_dict.shape == (6, 1)


def test_save_and_load_keeps_the_masked_loss(tmp_path):
    model = models.build_cnn(30, num_filters=2, conv_width=5, num_tasks=2, output="linear")
    path = training.save_model(model, tmp_path / "m.keras")
    loaded = training.load_model(path)
    assert type(loaded.loss).__name__ == "MaskedMeanSquaredError"


# --------------------------------------------------------------------------- every architecture learns
ZOO = {  # name: (builder, epochs); batches of 32 (about 28 steps per epoch)
    "build_cnn": (lambda: models.build_cnn(100, num_filters=16, conv_width=20, learning_rate=1e-2), 10),
    "deepbind": (lambda: models.deepbind(100, num_filters=8, conv_width=12, hidden_units=16, dropout=0.1,
                                         learning_rate=1e-2), 8),
    "dilated_cnn": (lambda: models.dilated_cnn(100, num_filters=8, conv_width=12, num_dilated=2,
                                               learning_rate=1e-2), 8),
    "residual_cnn": (lambda: models.residual_cnn(100, num_filters=8, conv_width=12, num_blocks=2,
                                                 learning_rate=1e-2), 8),
    "rnn": (lambda: models.rnn(100, cell="lstm", units=16, learning_rate=1e-2), 8),
    "danq": (lambda: models.danq(100, num_filters=8, conv_width=12, pool_width=4, lstm_units=8,
                                 hidden_units=16, dropout=0.1, learning_rate=1e-2), 10),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(ZOO))
def test_every_architecture_detects_a_motif(detection, name):
    keras.utils.set_random_seed(0)
    build, epochs = ZOO[name]
    model = build()
    training.train(model, detection, epochs=epochs, patience=3, batch_size=32,
                   verbose=0, random_state=0)
    result = training.evaluate(model, detection.X_test, detection.y_test)
    assert result["auROC"] > 0.9, f"{name}: {result}"
