"""Notebook 08 at larger sizes: multi-task, regression, sequence + accessibility, transfer.

    python benchmarks/bench_multitask.py                 # all four tables (about 2-4x notebook 08's data, 2 seeds)
    python benchmarks/bench_multitask.py small           # a quick check: quarter sizes, one seed
    python benchmarks/bench_multitask.py --only transfer # one section (multitask, regression, multimodal, transfer)

The models are notebook 08's plain Keras models, copied here (Conv1D + global max pool for the
multi-task and transfer tables, max + average pool for regression, a two-input CNN for
sequence + accessibility), trained with Adam and early stopping on a validation split. The data
come from ``dragonn_tutorial.simulations_extra`` with fixed ``random_state``; the seed column is
the model seed (``dt.set_seed``). Prints markdown tables, the seconds per section and the peak
memory of the process. Measured on the shared 2-core CPU: the full run 245 s wall (4 min 12 s),
peak RSS 1.1 GB; ``small`` about 55 s.
"""
from __future__ import annotations

import argparse
import os
import resource
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402
from scipy.stats import pearsonr, spearmanr  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score, roc_auc_score  # noqa: E402

import dragonn_tutorial as dt  # noqa: E402
from dragonn_tutorial import simulations_extra as sx  # noqa: E402

# Notebook 08 uses: many motifs 6,000 x 100 bp (4,000 train); regression 3,000 (2,000 train);
# cell types 2,000 sequences x 2 cell types (1,400 train); transfer 3,000 (500 test).
SIZES = {
    "full": {"many": 12000, "signal": 6000, "cells": 4000, "new": 6000, "seeds": (0, 1), "epochs": 15},
    "small": {"many": 3000, "signal": 1500, "cells": 1000, "new": 3000, "seeds": (0,), "epochs": 4},
}
SEQ_LENGTH = 100


# ----------------------------------------------------------------------------- notebook 08's models
def fit(model, x, y, x_valid, y_valid, loss="binary_crossentropy", lr=3e-3, epochs=15, batch_size=128):
    model.compile(optimizer=keras.optimizers.Adam(lr), loss=loss)
    stop = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    h = model.fit(x, y, validation_data=(x_valid, y_valid), epochs=epochs, batch_size=batch_size,
                  callbacks=[stop], verbose=0)
    return len(h.history["loss"])


def cnn(num_tasks, filters=32, width=15, seq_length=SEQ_LENGTH):
    inputs = keras.Input(shape=(seq_length, 4), name="sequence")
    x = layers.Conv1D(filters, width, activation="relu", name="conv")(inputs)
    x = layers.GlobalMaxPooling1D(name="pool")(x)
    outputs = layers.Dense(num_tasks, activation="sigmoid", name="output")(x)
    return keras.Model(inputs, outputs)


def weighted_bce_for(pos_weight):
    w = np.asarray(pos_weight, dtype="float32")

    def weighted_bce(y_true, y_pred):
        p = keras.ops.clip(y_pred, 1e-7, 1 - 1e-7)
        loss = -(w * y_true * keras.ops.log(p) + (1 - y_true) * keras.ops.log(1 - p))
        return keras.ops.mean(loss, axis=-1)
    return weighted_bce


def head_for(model, j):
    """A copy of a multi-task model with one output: task j's unit, its trained weights kept."""
    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    out = layers.Dense(1, activation="sigmoid")(copy.get_layer("pool").output)
    one = keras.Model(copy.inputs, out)
    W, b = model.get_layer("output").get_weights()
    one.layers[-1].set_weights([W[:, [j]], b[[j]]])
    return one


def fine_tunable(reference):
    body = keras.models.clone_model(reference)
    body.set_weights(reference.get_weights())
    head = layers.Dense(1, activation="sigmoid", kernel_initializer="zeros")
    return keras.Model(body.inputs, head(body.get_layer("pool").output))


def regression_cnn(output="linear", bias=0.0, filters=16, width=15):
    inputs = keras.Input(shape=(SEQ_LENGTH, 4), name="sequence")
    x = layers.Conv1D(filters, width, activation="relu")(inputs)
    x = layers.Concatenate()([layers.GlobalMaxPooling1D()(x), layers.GlobalAveragePooling1D()(x)])
    out = layers.Dense(1, activation=output, bias_initializer=keras.initializers.Constant(bias))(x)
    return keras.Model(inputs, out)


def two_input_cnn(use_track=True, seq_length=SEQ_LENGTH):
    sequence = keras.Input(shape=(seq_length, 4), name="sequence")
    track = keras.Input(shape=(seq_length, 1), name="accessibility")
    x = layers.Conv1D(16, 19, padding="same", activation="relu", name="seq_conv")(sequence)
    if use_track:
        a = layers.Conv1D(4, 9, padding="same", activation="relu", name="track_conv")(track)
        x = layers.Concatenate(name="concat")([x, a])
    x = layers.Conv1D(16, 1, activation="relu", name="joint_conv")(x)
    out = layers.Dense(1, activation="sigmoid", name="output")(layers.GlobalMaxPooling1D()(x))
    return keras.Model([sequence, track] if use_track else sequence, out)


def per_task_auroc(model, X, Y):
    P = model.predict(X, verbose=0)
    return np.array([roc_auc_score(Y[:, j], P[:, j]) for j in range(Y.shape[1])])


def splits(n, train_frac=2 / 3, valid_frac=1 / 6):
    a, b = int(n * train_frac), int(n * (train_frac + valid_frac))
    return np.split(np.arange(n), [a, b])


# ----------------------------------------------------------------------------- sections
def multitask(cfg, state):
    many = sx.simulate_many_motifs(seq_length=SEQ_LENGTH, num_seqs=cfg["many"], random_state=0)
    X, Y = many.X, many.y
    train, valid, test = splits(len(X))
    freq = Y[train].mean(axis=0)
    common, rare = np.arange(6), np.arange(18, 24)
    T = Y.shape[1]
    print(f"\n### Multi-task on {T} motifs ({len(train):,} train / {len(valid):,} valid / {len(test):,} test "
          f"sequences of {SEQ_LENGTH} bp; positives {freq.max():.0%} to {freq.min():.0%})\n")
    print(f"parameters: one {T}-task model {cnn(T).count_params():,}; {T} single-task models "
          f"{T * cnn(1).count_params():,}\n")
    print("| seed | model | epochs | mean auROC, 6 most frequent | mean auROC, 6 rarest | "
          f"rarest task ({many.task_names[-1]}, {freq[-1]:.1%}) |")
    print("|---|---|---|---|---|---|")
    weights = (1 - freq) / freq
    for seed in cfg["seeds"]:
        rows = {}
        dt.set_seed(seed)
        naive = cnn(T)
        ep = fit(naive, X[train], Y[train], X[valid], Y[valid], epochs=cfg["epochs"])
        roc = per_task_auroc(naive, X[test], Y[test])
        rows["naive loss (mean over tasks)"] = (ep, roc[common].mean(), roc[rare].mean(), roc[-1])
        if seed == cfg["seeds"][0]:
            state["multi"] = naive                      # the reference model for the transfer table
        dt.set_seed(seed)
        weighted = cnn(T)
        ep = fit(weighted, X[train], Y[train], X[valid], Y[valid], loss=weighted_bce_for(weights),
                 epochs=cfg["epochs"])
        rw = per_task_auroc(weighted, X[test], Y[test])
        rows["weighted loss (pos. weight (1-f)/f)"] = (ep, rw[common].mean(), rw[rare].mean(), rw[-1])
        fine, eps = [], []
        for j in rare:                                  # the primer's fix: fine-tune per rare task
            dt.set_seed(seed)
            one = head_for(naive, j)
            eps.append(fit(one, X[train], Y[train][:, [j]], X[valid], Y[valid][:, [j]], lr=1e-3,
                           epochs=cfg["epochs"]))
            fine.append(roc_auc_score(Y[test][:, j], one.predict(X[test], verbose=0)[:, 0]))
        rows["naive, then fine-tuned per rare task"] = (f"{np.mean(eps):.1f}", float("nan"),
                                                        np.mean(fine), fine[-1])
        singles = {}
        for j in (0, T - 1):
            dt.set_seed(seed)
            single = cnn(1)
            fit(single, X[train], Y[train][:, [j]], X[valid], Y[valid][:, [j]], epochs=cfg["epochs"])
            singles[j] = roc_auc_score(Y[test][:, j], single.predict(X[test], verbose=0)[:, 0])
        for name, (ep, c, r, last) in rows.items():
            cs = "-" if np.isnan(c) else f"{c:.3f}"
            print(f"| {seed} | {name} | {ep} | {cs} | {r:.3f} | {last:.3f} |")
        print(f"| {seed} | single-task models ({many.task_names[0]} / {many.task_names[-1]}) | - | "
              f"{many.task_names[0]} {singles[0]:.3f} (multi-task {roc[0]:.3f}) | - | {singles[T - 1]:.3f} |",
              flush=True)


def regression(cfg, state):
    sig = sx.simulate_signal_regression(seq_length=SEQ_LENGTH, num_seqs=cfg["signal"], max_sites=3,
                                        noise_sd=0.2, random_state=1)
    tr, va, te = splits(len(sig))
    truth = sig.signal[te, 0]
    threshold = np.quantile(sig.y[tr], 0.9)
    labels = (sig.y > threshold).astype("float32")
    print(f"\n### Regression on a simulated signal ({len(tr):,} train / {len(va):,} valid / {len(te):,} test; "
          "correlations with the noiseless test signal)\n")
    print("| seed | model | loss, target | epochs | Pearson | Spearman | Spearman, non-peaks (bottom 90%) |")
    print("|---|---|---|---|---|---|---|")
    runs = {"MSE, signal": ("linear", "mse", sig.y), "MSE, counts": ("linear", "mse", sig.counts),
            "Poisson, counts": ("exponential", "poisson", sig.counts),
            "BCE, top-10% labels (classifier)": ("sigmoid", "binary_crossentropy", labels)}
    weak = labels[te, 0] == 0
    for seed in cfg["seeds"]:
        for name, (output, loss, target) in runs.items():
            dt.set_seed(seed)
            bias = np.log(target[tr].mean()) if output == "exponential" else (
                target[tr].mean() if output == "linear" else 0.0)
            model = regression_cnn(output, bias)
            ep = fit(model, sig.X[tr], target[tr], sig.X[va], target[va], loss=loss, lr=1e-2,
                     epochs=cfg["epochs"])
            p = model.predict(sig.X[te], verbose=0)[:, 0]
            extra = f" (auROC {roc_auc_score(labels[te, 0], p):.3f})" if output == "sigmoid" else ""
            print(f"| {seed} | {output} output | {name}{extra} | {ep} | {pearsonr(p, truth)[0]:.3f} | "
                  f"{spearmanr(p, truth)[0]:.3f} | {spearmanr(p[weak], truth[weak])[0]:.3f} |", flush=True)


def multimodal(cfg, state):
    cells = sx.simulate_cell_type_binding(seq_length=SEQ_LENGTH, num_seqs=cfg["cells"], peak_width=40,
                                          random_state=2)
    parts = dict(zip(("train", "valid", "test"), np.split(np.arange(len(cells)),
                                                          [int(0.7 * len(cells)), int(0.85 * len(cells))])))
    stacked = {k: sx.stack_cell_types(cells.subset(v)) for k, v in parts.items()}
    ceiling = sx.sequence_only_ceiling(cells.subset(parts["test"]))
    n = {k: len(v) for k, v in parts.items()}
    print(f"\n### Sequence + accessibility (CTCF, 2 cell types; {n['train']:,} / {n['valid']:,} / {n['test']:,} "
          f"sequences = {2 * n['train']:,} / {2 * n['valid']:,} / {2 * n['test']:,} examples; "
          f"bound {stacked['train'].y.mean():.0%})\n")
    print(f"best possible sequence-only test auROC (ceiling): {ceiling['auROC']:.3f}, "
          f"auPRC {ceiling['auPRC']:.3f}\n")
    print("| seed | model | parameters | epochs | test auROC | test auPRC |")
    print("|---|---|---|---|---|---|")
    def inputs(part, use_track):
        e = stacked[part]
        return [e.X, e.accessibility] if use_track else e.X

    y_test = stacked["test"].y[:, 0]
    for seed in cfg["seeds"]:
        for use_track in (False, True):
            dt.set_seed(seed)
            model = two_input_cnn(use_track)
            ep = fit(model, inputs("train", use_track), stacked["train"].y, inputs("valid", use_track),
                     stacked["valid"].y, epochs=cfg["epochs"])
            p = model.predict(inputs("test", use_track), verbose=0)[:, 0]
            name = "sequence + accessibility" if use_track else "sequence only"
            print(f"| {seed} | {name} | {model.count_params():,} | {ep} | {roc_auc_score(y_test, p):.3f} | "
                  f"{average_precision_score(y_test, p):.3f} |", flush=True)


def transfer(cfg, state):
    multi = state.get("multi")
    if multi is None:                                  # --only transfer: pre-train the reference here
        many = sx.simulate_many_motifs(seq_length=SEQ_LENGTH, num_seqs=cfg["many"], random_state=0)
        train, valid, _ = splits(len(many.X))
        dt.set_seed(cfg["seeds"][0])
        multi = cnn(many.y.shape[1])
        fit(multi, many.X[train], many.y[train], many.X[valid], many.y[valid], epochs=cfg["epochs"])
    new = sx.simulate_many_motifs(["IRF4_1"] + list(sx.MANY_MOTIFS[8:16]), seq_length=SEQ_LENGTH,
                                  num_seqs=cfg["new"], frequencies=[0.5] + [0.2] * 8, random_state=7)
    Xn, yn = new.X, new.y[:, :1]
    n_train, n_valid, n_test = np.split(np.arange(len(Xn)), [2000, 2500])
    features = keras.Model(multi.inputs, multi.get_layer("pool").output).predict(Xn, verbose=0)
    sizes = (250, 500, 1000, 2000)
    print(f"\n### Transfer to a held-out motif (IRF4_1, 50% positives; reference = the 24-task naive model "
          f"above; validation {len(n_valid)}, test {len(n_test):,} sequences)\n")
    print("(the reference is seed 0's, so the frozen column is the same in every seed's rows)\n")
    print("| seed | training sequences | scratch | frozen features + logistic regression | fine-tuned |")
    print("|---|---|---|---|---|")
    for seed in cfg["seeds"]:
        for n in sizes:
            part = n_train[:n]
            frozen = LogisticRegression(max_iter=1000).fit(features[part], yn[part, 0])
            row = {"frozen": roc_auc_score(yn[n_test, 0], frozen.predict_proba(features[n_test])[:, 1])}
            for mode in ("scratch", "fine-tuned"):
                dt.set_seed(seed)
                model = cnn(1) if mode == "scratch" else fine_tunable(multi)
                fit(model, Xn[part], yn[part], Xn[n_valid], yn[n_valid], epochs=10,
                    batch_size=32 if n < 1000 else 64)
                row[mode] = roc_auc_score(yn[n_test, 0], model.predict(Xn[n_test], verbose=0)[:, 0])
            print(f"| {seed} | {n:,} | {row['scratch']:.3f} | {row['frozen']:.3f} | {row['fine-tuned']:.3f} |",
                  flush=True)


SECTIONS = {"multitask": multitask, "regression": regression, "multimodal": multimodal, "transfer": transfer}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", nargs="?", default="full", choices=sorted(SIZES))
    parser.add_argument("--only", nargs="+", choices=list(SECTIONS), default=list(SECTIONS))
    args = parser.parse_args(argv)
    cfg = SIZES[args.mode]
    print(f"mode {args.mode}: {cfg}")
    state, start = {}, time.perf_counter()
    for name in args.only:
        t = time.perf_counter()
        SECTIONS[name](cfg, state)
        print(f"\n({name}: {time.perf_counter() - t:.0f} s)", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\ntotal {time.perf_counter() - start:.0f} s; peak memory of this process {peak:.0f} MB")


if __name__ == "__main__":
    main()
