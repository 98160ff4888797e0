"""practice (tiny CNN, tf.data fit, BCE, gradient norms, augmentation) and negatives."""
from __future__ import annotations

import numpy as np
import pytest

from dragonn_tutorial import negatives, practice, sequences
from dragonn_tutorial.simulations import simulate_single_motif_detection


@pytest.fixture(scope="module")
def tiny_data():
    d = simulate_single_motif_detection("GATA_disc1", seq_length=40, num_pos=60, num_neg=60, random_state=0)
    return d.X, d.y[:, 0]


# ------------------------------------------------------------------ builders


def test_tiny_cnn_shapes_names_and_parameter_count():
    model = practice.tiny_cnn(40, filters=4, width=5, depth=2, hidden=3)
    assert model.output_shape == (None, 1)
    assert [l.name for l in model.layers if hasattr(l, "kernel")] == ["conv_1", "conv_2", "hidden", "output"]
    # conv_1: 5*4*4+4, conv_2: 5*4*4+4, hidden: 4*3+3, output: 3+1
    assert model.count_params() == 84 + 84 + 15 + 4


def test_tiny_cnn_is_seeded_locally_and_does_not_touch_global_state():
    a = practice.tiny_cnn(40, random_state=3).get_weights()
    state = np.random.get_state()[1].copy()
    b = practice.tiny_cnn(40, random_state=3).get_weights()
    c = practice.tiny_cnn(40, random_state=4).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    assert np.array_equal(np.random.get_state()[1], state)


@pytest.mark.parametrize("name, cls, momentum", [("sgd", "SGD", 0.0), ("momentum", "SGD", 0.9),
                                                 ("rmsprop", "RMSprop", None), ("adam", "Adam", None)])
def test_make_optimizer(name, cls, momentum):
    opt = practice.make_optimizer(name, 0.05)
    assert type(opt).__name__ == cls
    assert float(opt.learning_rate) == pytest.approx(0.05)
    if momentum is not None:
        assert opt.momentum == momentum


@pytest.mark.parametrize("kwargs, match", [({"optimizer": "adagrad"}, "optimizer"),
                                           ({"activation": "swishy"}, "activation"),
                                           ({"dropout": 1.5}, "dropout"), ({"width": 50}, "width"),
                                           ({"learning_rate": 0}, "learning_rate")])
def test_tiny_cnn_rejects_bad_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        practice.tiny_cnn(40, **kwargs)


# ------------------------------------------------------------------ fitting and measuring


def test_batches_keep_every_example_once_per_epoch(tiny_data):
    X, y = tiny_data
    ds = practice.batches(X, y, batch_size=32, random_state=1)
    for _ in range(2):  # two epochs: reshuffled, but each example exactly once
        seen = np.concatenate([xb.numpy() for xb, _ in ds])
        assert seen.shape == X.shape
        assert np.allclose(np.sort(seen.reshape(len(X), -1).sum(1)), np.sort(X.reshape(len(X), -1).sum(1)))
    ordered = np.concatenate([yb.numpy() for _, yb in practice.batches(X, y, 7, shuffle=False)])
    assert np.array_equal(ordered[:, 0], y)


def test_bce_matches_the_formula_and_keras(tiny_data):
    X, y = tiny_data
    model = practice.tiny_cnn(40, filters=3, width=5, hidden=0)
    p = practice.predict(model, X).astype(np.float64)
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert practice.bce(model, X, y) == pytest.approx(expected, rel=1e-5)
    assert practice.bce(model, X, y) == pytest.approx(model.evaluate(X, y, verbose=0), rel=1e-4)
    # batch size does not change predictions
    assert np.allclose(practice.predict(model, X, batch_size=7), p, atol=1e-6)


def test_bce_ignores_weight_penalties(tiny_data):
    X, y = tiny_data
    plain = practice.tiny_cnn(40, filters=3, width=5, hidden=0, random_state=2)
    penalised = practice.tiny_cnn(40, filters=3, width=5, hidden=0, l2=10.0, random_state=2)
    assert practice.bce(plain, X, y) == pytest.approx(practice.bce(penalised, X, y), rel=1e-6)
    assert penalised.evaluate(X, y, verbose=0) > practice.bce(penalised, X, y) + 1.0


@pytest.mark.slow
def test_fit_lowers_the_training_loss_and_reports_both_losses(tiny_data):
    X, y = tiny_data
    model = practice.tiny_cnn(40, filters=8, width=9, learning_rate=1e-2)
    before = practice.bce(model, X, y)
    history = practice.fit(model, (X, y), (X[:40], y[:40]), epochs=15, batch_size=16)
    assert len(history["loss"]) == len(history["val_loss"]) == 15
    assert practice.bce(model, X, y) < before - 0.2


def test_fit_rejects_bad_train_argument(tiny_data):
    with pytest.raises(ValueError, match="train must be"):
        practice.fit(practice.tiny_cnn(40), tiny_data[0])


def test_reverse_complement_augment_doubles_and_flips(tiny_data):
    X, y = tiny_data
    X2, y2 = practice.reverse_complement_augment(X, y)
    assert X2.shape == (2 * len(X), 40, 4) and y2.shape == (2 * len(X), 1)
    assert sequences.one_hot_decode(X2[len(X)]) == sequences.reverse_complement(sequences.one_hot_decode(X[0]))
    assert np.array_equal(y2[:, 0], np.r_[y, y])


def test_gradient_norms_vanish_through_sigmoid_layers(tiny_data):
    X, y = tiny_data
    norms = {act: practice.gradient_norms(practice.tiny_cnn(40, depth=6, width=5, hidden=0, activation=act), X, y)
             for act in ("sigmoid", "relu")}
    assert list(norms["relu"]) == [f"conv_{i}" for i in range(1, 7)] + ["output"]
    ratio = {a: g["conv_1"] / g["output"] for a, g in norms.items()}
    assert ratio["sigmoid"] < 1e-2 * ratio["relu"]
    # negative control: with ReLU the first layer still gets a sizeable gradient
    assert ratio["relu"] > 1e-2


def test_gradient_norms_match_a_finite_difference(tiny_data):
    X, y = tiny_data
    model = practice.tiny_cnn(40, filters=2, width=5, hidden=0, random_state=1)
    norms = practice.gradient_norms(model, X, y)
    kernel = model.get_layer("output").kernel
    w = kernel.numpy()
    eps = 1e-3
    grads = []
    for i in range(w.shape[0]):
        for sign in (1, -1):
            w2 = w.copy()
            w2[i, 0] += sign * eps
            kernel.assign(w2)
            grads.append(practice.bce(model, X, y))
    kernel.assign(w)
    g = (np.array(grads[0::2]) - np.array(grads[1::2])) / (2 * eps)
    assert norms["output"] == pytest.approx(np.linalg.norm(g), rel=2e-2, abs=1e-4)


# ------------------------------------------------------------------ negatives


def test_cofactor_data_sets_have_the_promised_content():
    ns = negatives.cofactor_data(n=50, seq_length=80, random_state=0)
    assert ns.positives.shape == ns.shuffled.shape == ns.realistic.shape == (50, 80, 4)
    # shuffled negatives keep every dinucleotide count of their positive
    assert np.array_equal(sequences.dinucleotide_counts(ns.positives), sequences.dinucleotide_counts(ns.shuffled))
    # realistic negatives: the target scores lower than in positives, the co-factors do not
    from dragonn_tutorial.motifs import scan

    def best(X, motif):  # mean over sequences of the best window score
        scores = np.asarray(scan(X, motif))
        return scores.reshape(len(X), -1).max(axis=1).mean()

    assert best(ns.positives, "GATA_disc1") > best(ns.realistic, "GATA_disc1") + 2
    assert best(ns.realistic, "CTCF_known1") > best(ns.shuffled, "CTCF_known1") + 2


def test_cofactor_data_is_reproducible_and_checks_arguments():
    a = negatives.cofactor_data(n=10, seq_length=80, random_state=3)
    b = negatives.cofactor_data(n=10, seq_length=80, random_state=3)
    assert np.array_equal(a.realistic, b.realistic) and np.array_equal(a.shuffled, b.shuffled)
    with pytest.raises(ValueError, match="others"):
        negatives.cofactor_data(n=10, others=("CTCF_known1",))
    with pytest.raises(ValueError, match="target"):
        negatives.cofactor_data(n=10, target="CTCF_known1")


def test_imbalance_keeps_all_negatives_and_the_ratio():
    X = sequences.random_sequences(300, 20, random_state=0)
    y = np.r_[np.ones(100), np.zeros(200)]
    Xi, yi = negatives.imbalance(X, y, 50, random_state=0)
    assert (yi == 0).sum() == 200 and (yi == 1).sum() == 4 and len(Xi) == 204
    # every kept sequence is one of the originals, with its label
    lookup = {X[i].tobytes(): y[i] for i in range(len(X))}
    assert all(lookup[x.tobytes()] == label for x, label in zip(Xi, yi))
    with pytest.raises(ValueError, match="negatives_per_positive"):
        negatives.imbalance(X, y, 1000)
    with pytest.raises(ValueError, match="negatives_per_positive"):
        negatives.imbalance(X, y, 0.5)
