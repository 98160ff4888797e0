"""Attribution methods: ISM against explicit predictions, DeepLIFT against
summation-to-delta, exact Shapley values and deliberately wrong rules."""
import itertools
import warnings

import numpy as np
import pytest

from dragonn_tutorial import deeplift as deeplift_module
from dragonn_tutorial import interpret, sequences, simulations

import attribution_helpers  # noqa: E402

keras = pytest.importorskip("keras")
from keras import layers  # noqa: E402

L = 40


def randomize(model, seed=0, scale=0.5):
    return attribution_helpers.randomize(model, seed=seed, scale=scale)


def seqs(n=6, length=L, seed=1):
    return sequences.random_sequences(n, length, 0.5, random_state=seed)


def fused_overlapping_pools(dtype="float32", length=L):
    # fused ReLU, overlapping max pools (stride < size), separate ReLU, global max pool, 3 tasks
    return randomize(keras.Sequential([
        keras.Input((length, 4), dtype=dtype),
        layers.Conv1D(6, 5, activation="relu", dtype=dtype),
        layers.MaxPooling1D(4, strides=2, dtype=dtype),
        layers.Conv1D(5, 3, dtype=dtype),
        layers.Activation("relu", dtype=dtype),
        layers.GlobalMaxPooling1D(dtype=dtype),
        layers.Dense(3, activation="sigmoid", dtype=dtype),
    ]), seed=2)


def functional_batchnorm(length=L):
    inp = keras.Input((length, 4))
    x = layers.Conv1D(4, 7, name="c1")(inp)
    x = layers.BatchNormalization(name="bn")(x)
    x = layers.ReLU(name="r1")(x)
    x = layers.Dropout(0.3, name="drop")(x)
    x = layers.MaxPooling1D(5, padding="same", name="mp")(x)
    x = layers.Flatten(name="flat")(x)
    x = layers.Dense(8, activation="tanh", name="d1")(x)
    x = layers.Dense(2, name="d2")(x)
    out = layers.Activation("sigmoid", name="out")(x)
    return randomize(keras.Model(inp, out), seed=3)


def workshop_deep(length=L):
    """The workshop's deep CNN in miniature: (conv, ReLU) x 2, max pool, flatten, dense, sigmoid."""
    inp = keras.Input((length, 4), name="sequence")
    x = inp
    for i in (1, 2):
        x = layers.Conv1D(5, 6, name=f"conv_{i}")(x)
        x = layers.Activation("relu", name=f"relu_{i}")(x)
    x = layers.MaxPooling1D(5, name="pool")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(1, name="logits")(x)
    out = layers.Activation("sigmoid", name="output")(x)
    return randomize(keras.Model(inp, out), seed=4, scale=0.4)


ARCHITECTURES = {"fused_overlapping_pools": fused_overlapping_pools,
                 "functional_batchnorm": functional_batchnorm, "workshop_deep": workshop_deep}
_BUILT = {}


def shared(arch):
    """One model per architecture for the whole module (its attribution graphs are traced once)."""
    if arch not in _BUILT:
        _BUILT[arch] = ARCHITECTURES[arch]()
    return _BUILT[arch]


def reference_logits(model, refs):
    n, k = refs.shape[:2]
    return interpret.logits(model, refs.reshape(n * k, *refs.shape[2:])).reshape(n, k, -1)


@pytest.mark.parametrize("arch", ARCHITECTURES)
@pytest.mark.parametrize("reference", ["shuffle", "gc", "zeros", "array", "callable"])
def test_summation_to_delta(arch, reference):
    model = shared(arch)
    X = seqs()
    ref = {"array": seqs(1, seed=9)[0],
           "callable": lambda X: sequences.dinucleotide_shuffle(X, 3, random_state=5)}.get(reference, reference)
    refs = interpret.make_references(X, ref, n_references=4, random_state=7)
    delta = interpret.logits(model, X)[:, None, :] - reference_logits(model, refs)  # (n, k, tasks)
    for task in range(delta.shape[-1]):
        c = interpret.deeplift(model, X, ref, n_references=4, task=task, random_state=7)
        expected = delta[:, :, task].mean(1)
        assert np.abs(expected).max() > 0.05  # the check is not vacuous
        np.testing.assert_allclose(c.sum((1, 2)), expected, atol=2e-5 * (1 + np.abs(expected).max()))


def test_summation_per_pair_in_float64_is_tight():
    model = fused_overlapping_pools("float64")
    X = seqs(8)
    refs = interpret.make_references(X, "shuffle", 5, random_state=0)
    x, r = np.repeat(X, 5, axis=0), refs.reshape(40, L, 4)
    m, lx, lr = interpret.multipliers(model, x, r, task=1)
    assert m.dtype == np.float64
    np.testing.assert_allclose((m * (x - r)).sum((1, 2)), lx - lr, atol=1e-10)


def test_linear_model_gives_gradient_times_difference():
    model = randomize(keras.Sequential([keras.Input((L, 4)), layers.Conv1D(3, 5), layers.Flatten(),
                                        layers.Dense(1)]))
    X = seqs()
    import tensorflow as tf
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(model(x))
    grad = tape.gradient(y, x).numpy()
    # zeros reference: contribution = gradient x input
    np.testing.assert_allclose(interpret.deeplift(model, X, "zeros"), grad * X, atol=1e-5)
    np.testing.assert_allclose(interpret.gradient_x_input(model, X), grad * X, atol=1e-5)
    # any reference: per position, sum_c gradient_c (x_c - r_c), placed on the observed base
    r = interpret.make_references(X, "gc")[:, 0]
    expected = X * (grad * (X - r)).sum(-1, keepdims=True)
    np.testing.assert_allclose(interpret.deeplift(model, X, "gc"), expected, atol=1e-5)


def test_width_one_model_gives_exact_shapley_values():
    """A model that is a sum of per-position nonlinear terms: DeepLIFT (Rescale)
    equals the Shapley values, computed here by enumerating all coalitions."""
    length = 6
    model = randomize(keras.Sequential([keras.Input((length, 4)), layers.Conv1D(3, 1, activation="relu"),
                                        layers.Conv1D(2, 1), layers.Activation("tanh"), layers.Flatten(),
                                        layers.Dense(1)]), seed=5, scale=1.0)
    X = seqs(3, length, seed=2)
    r = seqs(1, length, seed=3)[0]
    c = interpret.deeplift(model, X, r).sum(-1)
    for i in range(3):
        def v(coalition):
            z = r.copy()
            z[list(coalition)] = X[i, list(coalition)]
            return interpret.logits(model, z[None])[0, 0]
        values = {S: v(S) for k in range(length + 1) for S in itertools.combinations(range(length), k)}
        from math import factorial
        shap = np.zeros(length)
        for p in range(length):
            others = [q for q in range(length) if q != p]
            for k in range(length):
                for S in itertools.combinations(others, k):
                    w = factorial(k) * factorial(length - k - 1) / factorial(length)
                    shap[p] += w * (values[tuple(sorted(S + (p,)))] - values[S])
        np.testing.assert_allclose(c[i], shap, atol=1e-5)


def test_identical_reference_gives_zeros_without_nan():
    model = fused_overlapping_pools()
    X = seqs()
    c = interpret.deeplift(model, X, X)
    assert np.isfinite(c).all() and np.abs(c).max() == 0
    hyp = interpret.deeplift(model, X, X, hypothetical=True)
    assert np.isfinite(hyp).all()


class BatchStatistics(layers.Layer):
    """A wrong rule: BatchNorm with the statistics of the (input, reference) batch."""

    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner

    def call(self, x):
        return self.inner(x, training=True)


def batch_statistics(graph, layer, args, kwargs, is_output):
    return BatchStatistics(graph.twin(layer))(*args)


@pytest.mark.parametrize("patch, build", [
    ({"MaxPooling1D": "linear", "GlobalMaxPooling1D": "linear"}, fused_overlapping_pools),
    ({"Conv1D": "linear"}, fused_overlapping_pools),
    ({"BatchNormalization": batch_statistics}, functional_batchnorm),
])
def test_wrong_rules_break_summation(patch, build, monkeypatch):
    """Negative controls: the plain gradient through max pooling, a fused ReLU
    treated as linear, or BatchNorm with batch statistics do not sum to delta."""
    model = build()
    X = seqs(10)
    refs = interpret.make_references(X, "shuffle", 4, random_state=0).reshape(40, L, 4)
    x = np.repeat(X, 4, axis=0)
    good, glx, glr = interpret.multipliers(model, x, refs, 0)
    np.testing.assert_allclose((good * (x - refs)).sum((1, 2)), glx - glr, atol=1e-4)
    for name, rule in patch.items():
        monkeypatch.setitem(deeplift_module.RULES, name, rule)
    m, _, _ = interpret.multipliers(model, x, refs, 0)
    gap = np.abs((m * (x - refs)).sum((1, 2)) - (glx - glr))
    assert gap.max() > 0.05


def test_results_do_not_depend_on_batch_size_or_order():
    model = workshop_deep()
    X = seqs(9)
    a = interpret.deeplift(model, X, n_references=5, batch_size=1000)
    b = interpret.deeplift(model, X, n_references=5, batch_size=7)
    order = np.random.default_rng(0).permutation(9)
    c = interpret.deeplift(model, X[order], n_references=5, batch_size=12)
    np.testing.assert_allclose(a, b, atol=1e-5)
    np.testing.assert_allclose(a[order], c, atol=1e-5)
    i1, i2 = interpret.ism(model, X, batch_size=5), interpret.ism(model, X, batch_size=100000)
    np.testing.assert_allclose(i1.delta, i2.delta, atol=1e-5)


def test_hypothetical_contributions_project_onto_the_observed_base():
    model = workshop_deep()
    X = seqs()
    hyp = interpret.deeplift(model, X, "gc", hypothetical=True)
    actual = interpret.deeplift(model, X, "gc")
    np.testing.assert_allclose(hyp * X, actual, atol=1e-6)
    assert np.abs(hyp * (1 - X)).max() > 0  # the unobserved bases carry information


def explicit_ism(model, X, output="logit"):
    """The oracle: build and predict every substitution one at a time."""
    out = np.zeros(X.shape)
    predict = (lambda z: interpret.logits(model, z)[:, 0]) if output == "logit" else \
        (lambda z: np.asarray(model.predict(z, verbose=0))[:, 0])
    wild = predict(X)
    for i in range(len(X)):
        mutants, where = [], []
        for p in range(X.shape[1]):
            for b in range(4):
                if X[i, p, b] != 1:
                    z = X[i].copy()
                    z[p] = 0
                    z[p, b] = 1
                    mutants.append(z)
                    where.append((p, b))
        values = predict(np.array(mutants))
        for (p, b), v in zip(where, values):
            out[i, p, b] = v - wild[i]
    return out


@pytest.mark.parametrize("build", [
    workshop_deep,  # valid convolutions first: the windowed fast path
    lambda: randomize(keras.Sequential([keras.Input((L, 4)), layers.Conv1D(4, 5, padding="same"),
                                        layers.ReLU(), layers.GlobalMaxPooling1D(), layers.Dense(1)])),
])
@pytest.mark.parametrize("output", ["logit", "probability"])
def test_ism_equals_explicit_predictions(build, output):
    model = build()
    X = seqs(3)
    X[1, 10] = 0  # an N: all four bases are substitutions there
    result = interpret.ism(model, X, output=output, batch_size=50)
    expected = explicit_ism(model, X, output)
    assert np.abs(expected).max() > 1e-3
    np.testing.assert_allclose(result.delta, expected, atol=2e-5)
    assert (result.delta[X == 1] == 0).all()
    np.testing.assert_allclose(result.importance[0], -expected[0].sum(-1) / 3, atol=2e-5)
    np.testing.assert_allclose(result.importance[1, 10], -expected[1, 10].sum() / 4, atol=2e-5)


def planted_motif_model(length=60):
    """One filter equal to the SPI1 PSSM, ReLU'd above a threshold, global max, output."""
    from dragonn_tutorial.motifs import get_motif

    pssm = get_motif("SPI1_known4").pssm(0.5)
    model = keras.Sequential([keras.Input((length, 4)), layers.Conv1D(1, len(pssm)),
                              layers.ReLU(), layers.GlobalMaxPooling1D(), layers.Dense(1)])
    model.layers[0].set_weights([pssm[:, :, None].astype("float32"), np.array([-8.0], "float32")])
    model.layers[3].set_weights([np.ones((1, 1), "float32"), np.zeros(1, "float32")])
    return model, len(pssm)


def test_planted_motif_positions_get_the_top_attributions():
    from dragonn_tutorial.motifs import get_motif

    model, width = planted_motif_model()
    rng = np.random.default_rng(0)
    X = sequences.random_sequences(20, 60, 0.4, random_state=3)
    consensus = np.eye(4, dtype=np.float32)[get_motif("SPI1_known4").ppm.argmax(1)]
    truth = np.zeros((20, 60), bool)
    for i, start in enumerate(rng.integers(0, 60 - width, 20)):
        X[i, start:start + width] = consensus
        truth[i, start:start + width] = True
    assert interpret.logits(model, X).min() > 5  # every planted site fires the filter
    for name, scores in [("deeplift", interpret.deeplift(model, X, n_references=10)),
                         ("ism", interpret.ism(model, X).importance)]:
        r = interpret.motif_recovery(scores, truth, k=5)
        assert r["top_k_fraction"] == 1.0, name
        assert r["auPRC"] > 0.8, name


def test_model_is_not_modified():
    model = fused_overlapping_pools()
    before = [w.copy() for w in model.get_weights()]
    interpret.deeplift(model, seqs(), n_references=2)
    interpret.ism(model, seqs(2))
    assert model.layers[0].activation.__name__ == "relu"
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_unsupported_layers_are_named_and_point_to_ism():
    inp = keras.Input((L, 4))
    x = layers.Conv1D(3, 5)(inp)
    x = layers.LayerNormalization(name="my_norm")(x)
    out = layers.Dense(1)(layers.Flatten()(x))
    with pytest.raises(ValueError, match=r"my_norm.*LayerNormalization.*ism.*integrated_gradients"):
        interpret.deeplift(keras.Model(inp, out), seqs())
    soft = keras.Sequential([keras.Input((L, 4)), layers.Conv1D(2, 3), layers.Softmax(name="sm"),
                             layers.Flatten(), layers.Dense(1)])
    with pytest.raises(ValueError, match="sm"):
        interpret.deeplift(soft, seqs())
    # ISM and gradients need no rules: the same models are explained
    assert np.isfinite(interpret.ism(soft, seqs(2)).delta).all()
    assert np.isfinite(interpret.gradient_x_input(keras.Model(inp, out), seqs(2))).all()


@pytest.mark.parametrize("call, match", [
    (lambda m: interpret.deeplift(m, seqs(length=30)), "length 30"),
    (lambda m: interpret.deeplift(m, seqs(), task=3), "task"),
    (lambda m: interpret.deeplift(m, seqs(), reference="dinuc"), "reference"),
    (lambda m: interpret.deeplift(m, seqs(), reference=np.zeros((5, 4))), r"\(length, 4\)"),
    (lambda m: interpret.deeplift(m, seqs(), n_references=0), "n_references"),
    (lambda m: interpret.ism(m, seqs(), output="prob"), "output"),
    (lambda m: interpret.ism(m, seqs(), batch_size=0), "batch_size"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises((ValueError, KeyError), match=match):
        call(fused_overlapping_pools())


def test_failed_summation_warns_with_an_explanation():
    model = fused_overlapping_pools()
    with pytest.warns(RuntimeWarning, match="summation-to-delta failed"):
        interpret.deeplift(model, seqs(), n_references=3, tolerance=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        interpret.deeplift(model, seqs(), n_references=3)


def test_references():
    X = seqs(4)
    shuffles = interpret.make_references(X, "shuffle", 6, random_state=1)
    assert shuffles.shape == (4, 6, L, 4)
    np.testing.assert_array_equal(sequences.dinucleotide_counts(shuffles[2]),
                                  np.repeat(sequences.dinucleotide_counts(X[2:3]), 6, axis=0))
    gc = interpret.make_references(X, "gc")
    assert gc.shape == (4, 1, L, 4)
    np.testing.assert_allclose(gc.sum(-1), 1, atol=1e-6)
    np.testing.assert_allclose(gc[:, 0, 0, 1] + gc[:, 0, 0, 2], sequences.gc_content(X), atol=1e-6)
    assert interpret.make_references(X, "zeros").sum() == 0
    assert interpret.make_references(X, np.zeros((4, 2, L, 4))).shape == (4, 2, L, 4)


def test_motif_recovery_oracles():
    truth = np.zeros((3, 20), bool)
    truth[0, 2:6] = truth[1, 10:13] = True  # sequence 2 has no site and is ignored
    perfect = truth.astype(float) + 0.01 * np.random.default_rng(0).random((3, 20))
    r = interpret.motif_recovery(perfect, truth)
    assert r == {"auPRC": 1.0, "top_k_fraction": 1.0, "baseline": 7 / 40, "sequences": 2}
    inverted = interpret.motif_recovery(-perfect, truth, absolute=False)
    assert inverted["top_k_fraction"] == 0.0 and inverted["auPRC"] < r["baseline"] + 0.05
    rng = np.random.default_rng(1)
    big = np.zeros((200, 100), bool)
    big[:, 40:50] = True
    random = interpret.motif_recovery(rng.normal(size=(200, 100, 4)), big)
    assert abs(random["auPRC"] - 0.1) < 0.02 and abs(random["top_k_fraction"] - 0.1) < 0.03
    data = simulations.simulate_single_motif_detection(seq_length=60, num_pos=5, num_neg=0, random_state=0)
    s = rng.normal(size=(5, 60))
    assert interpret.motif_recovery(s, data.sites) == interpret.motif_recovery(s, data.truth_mask())
    with pytest.raises(ValueError, match="shape"):
        interpret.motif_recovery(s, truth)
    with pytest.raises(ValueError, match="no motif position"):
        interpret.motif_recovery(s, np.zeros((5, 60), bool))
