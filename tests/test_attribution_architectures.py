"""Attribution on architectures beyond a single chain: residual and dilated
residual CNNs, conv-pool-dense (DanQ without its LSTM), a two-input model
(sequence + accessibility), an LSTM; plus integrated gradients, ISM variants,
invariances, mixed precision, memory and the filter-matching null."""
import gc
import weakref

import numpy as np
import pandas as pd
import pytest

from dragonn_tutorial import _graph, interpret, sequences
from dragonn_tutorial.motifs import get_motif

import attribution_helpers  # noqa: E402

keras = pytest.importorskip("keras")
from keras import layers  # noqa: E402

L = 50


def randomize(model, seed=0, scale=0.4):
    return attribution_helpers.randomize(model, seed=seed, scale=scale)


def seqs(n=5, length=L, seed=1):
    return sequences.random_sequences(n, length, 0.5, random_state=seed)


def accessibility(n=5, length=L, seed=2):
    return np.random.default_rng(seed).random((n, length, 1)).astype("float32")


def residual(length=L, dilations=(1, 1), pool="max"):
    inp = keras.Input((length, 4), name="sequence")
    x = layers.Conv1D(8, 7, name="conv_1")(inp)
    x = layers.Activation("relu", name="relu_1")(x)
    for i, d in enumerate(dilations):
        y = layers.Conv1D(8, 3, padding="same", dilation_rate=d, name=f"block{i}_conv_a")(x)
        y = layers.BatchNormalization(name=f"block{i}_bn")(y)
        y = layers.ReLU(name=f"block{i}_relu")(y)
        y = layers.Conv1D(8, 3, padding="same", dilation_rate=d, name=f"block{i}_conv_b")(y)
        x = layers.Add(name=f"block{i}_add")([x, y])
        x = layers.Activation("relu", name=f"block{i}_out")(x)
    pooling = layers.MaxPooling1D if pool == "max" else layers.AveragePooling1D
    x = pooling(4, strides=3, name="pool")(x)
    x = layers.Flatten(name="flatten")(x)
    out = layers.Dense(2, activation="sigmoid", name="output")(x)
    return randomize(keras.Model(inp, out), seed=5, scale=0.3)


def conv_pool_dense(length=L):
    return randomize(keras.Sequential([
        keras.Input((length, 4)), layers.Conv1D(8, 9, activation="relu", name="conv_1"),
        layers.MaxPooling1D(4, 4), layers.Dropout(0.2), layers.Flatten(),
        layers.Dense(16, activation="relu"), layers.Dense(1, activation="sigmoid")]), seed=6)


def two_input(length=L):
    seq = keras.Input((length, 4), name="sequence")
    acc = keras.Input((length, 1), name="accessibility")
    x = layers.Conv1D(6, 5, padding="same", activation="relu", name="conv_1")(seq)
    a = layers.Conv1D(2, 3, padding="same", name="acc_conv")(acc)
    x = layers.Concatenate(name="join")([x, a])
    x = layers.Conv1D(4, 3, activation="relu", name="conv_2")(x)
    x = layers.GlobalMaxPooling1D(name="gmp")(x)
    out = layers.Dense(1, activation="sigmoid", name="output")(x)
    return randomize(keras.Model([seq, acc], out), seed=7)


def lstm(length=L):
    return randomize(keras.Sequential([
        keras.Input((length, 4)), layers.Conv1D(6, 7, activation="relu", name="conv_1"),
        layers.MaxPooling1D(5), layers.LSTM(5, name="lstm"), layers.Dense(1, activation="sigmoid")]), seed=8)


BUILDERS = {"residual": residual, "dilated_residual": lambda: residual(dilations=(2, 4)),
            "conv_pool_dense": conv_pool_dense, "two_input": two_input, "lstm": lstm}
_BUILT = {}


def model_of(name):
    if name not in _BUILT:
        _BUILT[name] = BUILDERS[name]()
    return _BUILT[name]


def inputs_of(name, X):
    return [X, accessibility(len(X), X.shape[1])] if name == "two_input" else X


@pytest.mark.parametrize("reference", ["shuffle", "gc", "zeros"])
@pytest.mark.parametrize("arch", ["residual", "dilated_residual", "conv_pool_dense", "two_input"])
def test_summation_to_delta_on_branched_models(arch, reference):
    model, X = model_of(arch), seqs()
    inputs = inputs_of(arch, X)
    refs = interpret.make_references(X, reference, n_references=3, random_state=3)
    n, k = refs.shape[:2]
    ref_inputs = refs.reshape(n * k, L, 4)
    if arch == "two_input":  # the accessibility input is held at its observed value
        ref_inputs = [ref_inputs, np.repeat(inputs[1], k, axis=0)]
    expected = interpret.logits(model, inputs)[:, 0] - interpret.logits(model, ref_inputs)[:, 0].reshape(n, k).mean(1)
    c = interpret.deeplift(model, inputs, reference, n_references=3, random_state=3)
    assert np.abs(expected).max() > 0.05
    np.testing.assert_allclose(c.sum((1, 2)), expected, atol=2e-5 * (1 + np.abs(expected).max()))


def test_two_input_contributions_depend_on_the_held_input():
    model, X = model_of("two_input"), seqs()
    A = accessibility()
    a = interpret.deeplift(model, {"sequence": X, "accessibility": A}, "gc", explain="sequence")
    b = interpret.deeplift(model, [X, A * 0], "gc")
    assert np.abs(a - b).max() > 1e-3


def explicit_mutants(model, inputs, output):
    """The oracle: every single-base mutant built and predicted by the original model."""
    X = inputs[0] if isinstance(inputs, list) else inputs
    rest = inputs[1:] if isinstance(inputs, list) else []
    mutants, where = [], []
    for i in range(len(X)):
        for p in range(X.shape[1]):
            for b in range(4):
                if X[i, p, b] != 1:
                    z = X[i].copy()
                    z[p] = 0
                    z[p, b] = 1
                    mutants.append(z)
                    where.append((i, p, b))
    rows = [w[0] for w in where]
    feed = [np.array(mutants)] + [r[rows] for r in rest]
    if output == "probability":
        values = np.asarray(model.predict(feed if rest else feed[0], verbose=0, batch_size=4096))[:, 0]
        wild = np.asarray(model.predict(inputs, verbose=0))[:, 0]
    else:
        values = interpret.logits(model, feed if rest else feed[0])[:, 0]
        wild = interpret.logits(model, inputs)[:, 0]
    out = np.zeros(X.shape)
    for (i, p, b), v in zip(where, values):
        out[i, p, b] = v - wild[i]
    return out


@pytest.mark.parametrize("arch", ["residual", "lstm", "two_input", "dilated_residual"])
def test_ism_equals_explicit_predictions(arch):
    model, X = model_of(arch), seqs(2)
    X[1, 7] = 0  # an N
    inputs = inputs_of(arch, X)
    expected = explicit_mutants(model, inputs, "probability")
    fast = interpret.ism(model, inputs, output="probability", batch_size=97, window=True)
    full = interpret.ism(model, inputs, output="probability", window=False)
    assert np.abs(expected).max() > 1e-3
    np.testing.assert_allclose(fast.delta, expected, atol=2e-5)
    np.testing.assert_allclose(full.delta, expected, atol=2e-5)
    logit = interpret.ism(model, inputs)
    np.testing.assert_allclose(logit.delta, explicit_mutants(model, inputs, "logit"), atol=1e-4)


def test_window_fast_path_where_the_model_begins_with_convolutions():
    stems = {name: _graph.graph_of(model_of(name)).stems[0] for name in ("residual", "lstm", "two_input")}
    # conv_1 (7 bp), then 4 'same' convolutions of width 3 inside two residual blocks: 2 bp more each
    assert stems["residual"].field == 15 and stems["residual"].pool is None
    assert sum(step.kind == "merge" for step in stems["residual"].steps) == 2  # the two Adds
    assert stems["lstm"].field == 7
    assert stems["two_input"].field == 5  # conv_1 ('same'); joining the accessibility branch ends it
    # a skip connection straight from the input belongs to the local part too
    inp = keras.Input((L, 4))
    y = layers.Add()([layers.Conv1D(4, 3, padding="same")(inp), inp])
    skip = randomize(keras.Model(inp, layers.Dense(1)(layers.Flatten()(layers.Activation("tanh")(y)))))
    assert _graph.graph_of(skip).stems[0].field == 3
    X = seqs(2)
    np.testing.assert_allclose(interpret.ism(skip, X, window=True).delta, explicit_mutants(skip, X, "logit"),
                               atol=2e-5)
    # the input read twice outside a local part: no window
    inp = keras.Input((L, 4))
    both = layers.Concatenate()([layers.Flatten()(layers.Conv1D(4, 3)(inp)), layers.Flatten()(inp)])
    model = keras.Model(inp, layers.Dense(1)(both))
    assert _graph.graph_of(model).stems[0] is None
    with pytest.raises(ValueError, match="window=True"):
        interpret.ism(model, seqs(1), window=True)


def _head_model(head):
    """A stem of a 'same' dilated convolution and a valid one, then a given head."""
    inp = keras.Input((L, 4), name="sequence")
    x = layers.Conv1D(6, 5, padding="same", dilation_rate=2, activation="relu")(inp)
    x = layers.Conv1D(6, 4, name="conv_b")(x)
    x = layers.Activation("elu")(x)
    if head == "max":
        x = layers.Dense(3, activation="relu")(layers.GlobalMaxPooling1D()(x))
    elif head == "average":
        x = layers.GlobalAveragePooling1D()(x)
    else:  # the 2016 head: a pool of width 7, then flatten (no pooled summary to update)
        x = layers.Flatten()(layers.MaxPooling1D(7)(x))
    return randomize(keras.Model(inp, layers.Dense(2, activation="sigmoid")(x)), seed=8, scale=0.5)


@pytest.mark.parametrize("head", ["max", "average", "pool_flatten"])
def test_windowed_ism_for_every_head(head):
    """The window path recomputes only what a substitution changes, layer by layer, and
    updates a global max/average pool from wild-type maxima/sums outside the window."""
    model, X = _head_model(head), seqs(3)
    X[2, 0] = 0  # an N at the edge: the window is clipped there
    stem = _graph.graph_of(model).stems[0]
    assert stem.field == 9 + 3
    assert stem.pool == {"max": "max", "average": "average"}.get(head)
    expected = explicit_mutants(model, X, "logit")
    for batch_size in (7, 2048):
        fast = interpret.ism(model, X, batch_size=batch_size, window=True)
        np.testing.assert_allclose(fast.delta, np.where(X == 1, 0, expected), atol=2e-5)


def test_windowed_ism_in_groups_of_sequences_and_any_variant_order(monkeypatch):
    from dragonn_tutorial import ism as ism_module

    model, X = _head_model("max"), seqs(6)
    whole = interpret.ism(model, X, task=1)
    monkeypatch.setattr(ism_module, "WILD_TYPE_BYTES", 1)  # one sequence's activations at a time
    grouped = interpret.ism(model, X, task=1, batch_size=5)
    np.testing.assert_allclose(grouped.delta, whole.delta, atol=1e-6)
    rng = np.random.default_rng(0)
    rows = rng.permutation(np.argwhere(X != 1))[:40]  # (sequence, position, alt) in random order
    table = interpret.ism(model, X, task=1, variants=rows, batch_size=3)
    np.testing.assert_allclose(table["effect"], whole.delta[rows[:, 0], rows[:, 1], rows[:, 2]], atol=1e-6)


def test_ism_variants_equal_the_full_scan():
    model, X = model_of("residual"), seqs(3)
    full = interpret.ism(model, X)
    table = pd.DataFrame({"sequence": [0, 2, 1, 2], "position": [3, 40, 0, 40], "alt": ["A", "C", 3, "G"],
                          "id": ["v1", "v2", "v3", "v4"]})
    ref = "ACGT"[int(X[0, 3].argmax())]
    table.loc[0, "alt"] = ref  # alt == ref: no change
    out = interpret.ism(model, X, variants=table)
    assert list(out["id"]) == ["v1", "v2", "v3", "v4"] and out.loc[0, "effect"] == 0
    for _, row in out.iterrows():
        b = "ACGT".index(row["alt"])
        assert row["ref"] == "ACGT"[int(X[row["sequence"], row["position"]].argmax())]
        np.testing.assert_allclose(row["effect"], full.delta[row["sequence"], row["position"], b], atol=1e-5)
    ints = interpret.ism(model, X, variants=np.array([[2, 40, 1]]))
    np.testing.assert_allclose(ints["effect"], out["effect"].iloc[1], atol=1e-6)
    wrong = table.assign(ref=["T", "T", "T", "T"])
    with pytest.raises(ValueError, match="ref"):
        interpret.ism(model, X, variants=wrong if (wrong["ref"] != out["ref"]).any() else wrong.assign(ref="N"))
    with pytest.raises(ValueError, match="position"):
        interpret.ism(model, X, variants=np.array([[0, L, 1]]))


def test_integrated_gradients_completeness():
    """Completeness: attributions sum to logit(x) - logit(r) up to the quadrature
    error, which shrinks with n_steps. On this random-weight residual ReLU net the
    error is 3-4% at 50 steps (the path gradient jumps wherever a unit switches)
    and under 1% at 400."""
    model, X = model_of("residual"), seqs(6)
    errors = {}
    for steps in (50, 400):
        ig = interpret.integrated_gradients(model, X, "zeros", n_steps=steps, raw_outputs=True)
        assert np.abs(ig.expected).min() > 0.1
        np.testing.assert_allclose(ig.attributions.sum((1, 2)), ig.total, rtol=1e-4, atol=1e-5)
        errors[steps] = np.abs(ig.total - ig.expected) / np.abs(ig.expected)
    assert errors[50].max() < 0.05 and errors[400].max() < 0.01
    coarse = interpret.integrated_gradients(model, X, "zeros", n_steps=1, raw_outputs=True)
    assert np.abs(coarse.total - coarse.expected).max() > 0.01  # the check can fail


def test_gradient_methods_work_on_recurrent_and_two_input_models():
    X = seqs(4)
    for name, steps in (("lstm", 50), ("two_input", 200)):  # a global max pool converges more slowly
        inputs = inputs_of(name, X)
        g = interpret.gradient_x_input(model_of(name), inputs)
        ig = interpret.integrated_gradients(model_of(name), inputs, "gc", n_steps=steps, raw_outputs=True)
        assert g.shape == X.shape and (g[X == 0] == 0).all() and np.abs(g).max() > 0
        np.testing.assert_allclose(ig.total, ig.expected, rtol=0.01, atol=1e-3)
    with pytest.raises(ValueError, match=r"lstm.*LSTM.*ism\(.*integrated_gradients"):
        interpret.deeplift(model_of("lstm"), X)


# ------------------------------------------------------------------ planted motif
def planted(kind, length=60):
    """A hand-built filter equal to the SPI1 PSSM (ReLU above a threshold) inside
    each architecture; the rest passes the filter's output to the logit."""
    pssm = get_motif("SPI1_known4").pssm(0.5)
    w = len(pssm)
    seq = keras.Input((length, 4), name="sequence")
    conv = layers.Conv1D(1, w, name="motif")
    x = layers.ReLU(name="relu")(conv(seq))
    inputs = seq
    if kind in ("residual", "dilated_residual"):
        d = 1 if kind == "residual" else 3
        y = layers.Conv1D(1, 3, padding="same", dilation_rate=d, name="block", kernel_initializer="zeros")(x)
        x = layers.Add()([x, layers.ReLU()(y)])
    if kind == "two_input":
        acc = keras.Input((length, 1), name="accessibility")
        a = layers.Conv1D(1, 1, name="acc", kernel_initializer="zeros")(acc)
        x = layers.Concatenate()([x, layers.Cropping1D((0, w - 1))(a)])
        inputs = [seq, acc]
    x = layers.GlobalMaxPooling1D()(x) if kind != "conv_pool_dense" else \
        layers.Flatten()(layers.MaxPooling1D(length - w + 1)(x))
    dense = layers.Dense(1, name="out", kernel_initializer="ones")
    model = keras.Model(inputs, dense(x))
    conv.set_weights([pssm[:, :, None].astype("float32"), np.array([-8.0], "float32")])
    return model, w


@pytest.mark.parametrize("kind", ["residual", "dilated_residual", "conv_pool_dense", "two_input"])
def test_planted_motif_gets_the_top_attributions_from_every_method(kind):
    model, width = planted(kind)
    rng = np.random.default_rng(0)
    X = sequences.random_sequences(12, 60, 0.4, random_state=3)
    consensus = np.eye(4, dtype=np.float32)[get_motif("SPI1_known4").ppm.argmax(1)]
    truth = np.zeros((12, 60), bool)
    for i, start in enumerate(rng.integers(0, 60 - width, 12)):
        X[i, start:start + width] = consensus
        truth[i, start:start + width] = True
    inputs = [X, accessibility(12, 60)] if kind == "two_input" else X
    assert interpret.logits(model, inputs).min() > 5
    methods = {"deeplift": interpret.deeplift(model, inputs, n_references=5),
               "ism": interpret.ism(model, inputs).importance,
               "gradient_x_input": interpret.gradient_x_input(model, inputs),
               "integrated_gradients": interpret.integrated_gradients(model, inputs, "gc", n_steps=20)}
    for name, scores in methods.items():
        assert interpret.motif_recovery(scores, truth, k=5)["top_k_fraction"] == 1.0, name


# ------------------------------------------------------------------ invariances and resources
def test_random_state_generator_gives_batch_size_independent_results():
    model, X = model_of("conv_pool_dense"), seqs(7)
    a = interpret.deeplift(model, X, n_references=4, random_state=np.random.default_rng(5), batch_size=5)
    b = interpret.deeplift(model, X, n_references=4, random_state=np.random.default_rng(5), batch_size=1000)
    np.testing.assert_allclose(a, b, atol=1e-6)
    order = np.arange(7)[::-1]
    c = interpret.deeplift(model, X[order], n_references=4, random_state=np.random.default_rng(5), batch_size=3)
    np.testing.assert_allclose(a[order], c, atol=1e-6)
    i1 = interpret.integrated_gradients(model, X, "shuffle", n_steps=8, n_references=2, batch_size=16,
                                        random_state=np.random.default_rng(1))
    i2 = interpret.integrated_gradients(model, X, "shuffle", n_steps=8, n_references=2, batch_size=4096,
                                        random_state=np.random.default_rng(1))
    np.testing.assert_allclose(i1, i2, atol=1e-6)


def test_mixed_precision_model_is_explained_in_float32():
    def build(dtype):
        inp = keras.Input((L, 4))
        x = layers.Conv1D(6, 7, activation="relu", dtype=dtype)(inp)
        x = layers.MaxPooling1D(4, dtype=dtype)(x)
        x = layers.Flatten(dtype=dtype)(x)
        return keras.Model(inp, layers.Dense(1, activation="sigmoid", dtype="float32")(x))
    mixed, full = build("mixed_float16"), build("float32")
    randomize(full, seed=9)
    mixed.set_weights(full.get_weights())
    X = seqs(4)
    for fn in (lambda m: interpret.deeplift(m, X, "gc"), lambda m: interpret.ism(m, X).delta,
               lambda m: interpret.gradient_x_input(m, X)):
        np.testing.assert_allclose(fn(mixed), fn(full), atol=1e-5)
    assert keras.config.dtype_policy().name == "float32"  # nothing global changed


def test_no_cache_keeps_a_model_alive():
    model = residual(length=30)
    X = seqs(2, 30)
    interpret.deeplift(model, X, n_references=2)
    interpret.ism(model, X)
    interpret.integrated_gradients(model, X, n_steps=4)
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None


def _rss_mb():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS")) / 1024


@pytest.mark.slow
def test_memory_stays_flat_over_ten_models():
    """Train (a few eager steps), explain with every method, delete: ten times."""
    import tensorflow as tf

    X = seqs(32, 40)
    Y = np.repeat((X[:, :, 1].sum(1) > 10).astype("float32")[:, None], 2, axis=1)

    def cycle():
        model = residual(length=40, dilations=(1,))
        optimizer = keras.optimizers.SGD(0.01)
        for _ in range(3):
            with tf.GradientTape() as tape:
                loss = keras.ops.mean(keras.losses.binary_crossentropy(Y, model(X, training=True)))
            optimizer.apply(tape.gradient(loss, model.trainable_variables), model.trainable_variables)
        interpret.deeplift(model, X[:8], n_references=3)
        interpret.ism(model, X[:4])
        del model, optimizer
        gc.collect()

    cycle()
    before = _rss_mb()
    for _ in range(10):
        cycle()
    assert _rss_mb() - before < 100


# ------------------------------------------------------------------ inputs and filters
def test_multi_input_arguments_are_checked():
    model, X = model_of("two_input"), seqs(2)
    with pytest.raises(ValueError, match="list .* or a dict"):
        interpret.deeplift(model, X)
    with pytest.raises(KeyError, match="sequenc"):
        interpret.ism(model, [X, accessibility(2)], explain="sequenc")
    with pytest.raises(ValueError, match="only one-hot"):
        interpret.ism(model, [X, accessibility(2)], explain="accessibility")
    with pytest.raises(KeyError, match="accessibility"):
        interpret.gradient_x_input(model, {"sequence": X})


def test_filter_matching_reports_a_null_and_labels_chance_matches():
    pssm = get_motif("SPI1_known4").pssm(0.5)
    w = len(pssm)
    model = keras.Sequential([keras.Input((40, 4)), layers.Conv1D(3, w, name="conv_1")])
    rng = np.random.default_rng(0)
    kernel = np.stack([pssm, rng.normal(size=pssm.shape), pssm[::-1, ::-1]], axis=-1)  # (w, 4, 3)
    model.layers[0].set_weights([kernel.astype("float32"), np.zeros(3, "float32")])
    table = interpret.match_filters_to_motifs(model, ["SPI1_known4", "IRF_known20"], n_null=30, random_state=1)
    assert list(table.columns[:4]) == ["motif", "correlation", "offset", "strand"]
    assert table.loc[1, "match"] == "SPI1_known4" and table.loc[1, "correlation"] > 0.99
    assert table.loc[3, "match"] == "SPI1_known4" and table.loc[3, "strand"] == "-"
    assert table.loc[2, "match"] == "no match"
    assert (table["null_correlation"] < table.loc[1, "correlation"]).all()
    assert (table["null_correlation"] > 0).all()
    again = interpret.match_filters_to_motifs(model, ["SPI1_known4", "IRF_known20"], n_null=30, random_state=1)
    pd.testing.assert_frame_equal(table, again)
    with pytest.raises(ValueError, match="n_null"):
        interpret.match_filters_to_motifs(model, ["SPI1_known4"], n_null=0)
