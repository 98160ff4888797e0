"""Speed of the attribution methods on the workshop's deep CNN (500 bp), and how
well each recovers the true motif positions once the model is trained.

    python benchmarks/bench_interpret.py            # speed table only (untrained weights)
    python benchmarks/bench_interpret.py quality    # also train the deep model and score methods
    python benchmarks/bench_interpret.py architectures  # also residual and dilated CNN rows

ISM is timed three ways on the same sequences: ``interpret.ism`` (batched, only
the window a substitution can reach recomputed in the conv layers), batched
full-length mutants (``window=False``), and the original approach of one
``model.predict`` call per mutant (timed on 300 mutants and scaled to all of them).
The residual and dilated CNNs of ``models`` (500 bp) get DeepLIFT (1,000 x 20
shuffles) and ISM (100 sequences, with and without the window) rows too.
"""
from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import measure, print_table  # noqa: E402

import numpy as np  # noqa: E402

import dragonn_tutorial as dt  # noqa: E402
from dragonn_tutorial import interpret, models, sequences, simulations, training  # noqa: E402

WORKSHOP = {"motif1": "SPI1_known4", "motif2": "IRF_known20", "seq_length": 500, "min_spacing": 2,
            "max_spacing": 5, "num_pos": 10000, "num_neg": 10000, "GC_fraction": 0.4}


def per_mutation_predict(model, X, n_calls: int = 300) -> float:
    """Seconds for one model.predict call per mutant, scaled from ``n_calls`` to all 3 x length x n."""
    x = X[:1].copy()
    model.predict(x, verbose=0)
    t0 = time.perf_counter()
    for i in range(n_calls):
        mutant = x.copy()
        pos, base = i // 3, (int(np.argmax(x[0, i // 3])) + 1 + i % 3) % 4
        mutant[0, pos] = 0
        mutant[0, pos, base] = 1
        model.predict(mutant, verbose=0)
    per_call = (time.perf_counter() - t0) / n_calls
    return per_call * 3 * X.shape[1] * len(X)


def speed(model, X):
    X100, X1000 = X[:100], X[:1000]
    fast = measure(lambda: interpret.ism(model, X100), repeats=3)
    full = measure(lambda: interpret.ism(model, X100, window=False), repeats=1)
    slow = per_mutation_predict(model, X100)
    rows = [
        ("ism, 100 sequences (150,000 mutants)", fast, "<= 3"),
        ("ism, 100 sequences, full-length mutants (no window splice)", full, "-"),
        ("one predict() call per mutant, 100 sequences (scaled from 300)", {"best": slow, "median": slow}, "-"),
        ("deeplift, 1,000 sequences x 20 dinucleotide shuffles",
         measure(lambda: interpret.deeplift(model, X1000, "shuffle", 20), repeats=3), "<= 6"),
        ("  of which: make_references (20,000 shuffles)",
         measure(lambda: interpret.make_references(X1000, "shuffle", 20, 0), repeats=3), "-"),
        ("deeplift, 1,000 sequences, GC reference", measure(lambda: interpret.deeplift(model, X1000, "gc")), "-"),
        ("gradient_x_input, 1,000 sequences", measure(lambda: interpret.gradient_x_input(model, X1000)), "-"),
    ]
    print_table(rows, "Attribution speed, deep CNN (3 x 15 filters of width 15), 500 bp, this machine")
    print(f"\nISM speed-up over one predict() per mutant: {slow / fast['best']:.0f}x (target >= 50x); "
          f"over full-length batched mutants: {full['best'] / fast['best']:.1f}x")


def architectures(X):
    """DeepLIFT and ISM on the residual and dilated CNNs of ``models`` (untrained weights)."""
    X100, X1000 = X[:100], X[:1000]
    rows = []
    for name, build in (("residual_cnn", models.residual_cnn), ("dilated_cnn", models.dilated_cnn)):
        model = build(500)
        rows += [
            (f"{name}: deeplift, 1,000 x 20 shuffles",
             measure(lambda: interpret.deeplift(model, X1000, "shuffle", 20), repeats=1), "-"),
            (f"{name}: ism, 100 sequences (window)", measure(lambda: interpret.ism(model, X100), repeats=1), "-"),
            (f"{name}: ism, 100 sequences (full-length mutants)",
             measure(lambda: interpret.ism(model, X100, window=False), repeats=1), "-"),
        ]
    print_table(rows, "Attribution speed, residual and dilated CNNs (models.residual_cnn / dilated_cnn), 500 bp")


def quality():
    data = simulations.get_simulation_data("simulate_heterodimer_grammar", WORKSHOP, random_state=0)
    dt.set_seed(0)
    model = models.deep_cnn(500)
    training.train(model, data, epochs=100, patience=5, verbose=0)
    auroc = training.evaluate(model, data.X_test, data.y_test)["auROC"]
    pos = np.flatnonzero(data.y_test[:, 0] > 0)[:200]
    X, truth = data.X_test[pos], data.sites_test.select(pos)
    methods = {
        "DeepLIFT, 20 dinucleotide shuffles": lambda: interpret.deeplift(model, X, "shuffle", 20),
        "DeepLIFT, GC reference": lambda: interpret.deeplift(model, X, "gc"),
        "DeepLIFT, zeros reference": lambda: interpret.deeplift(model, X, "zeros"),
        "gradient x input": lambda: interpret.gradient_x_input(model, X),
        "ISM (mean drop per position)": lambda: interpret.ism(model, X).importance,
    }
    print(f"\nMotif recovery on 200 test positives of the trained deep model (test auROC {auroc:.3f})")
    print("| method | seconds | auPRC | top-k fraction | random auPRC |")
    print("|---|---|---|---|---|")
    for name, fn in methods.items():
        t0 = time.perf_counter()
        scores = fn()
        seconds = time.perf_counter() - t0
        r = interpret.motif_recovery(scores, truth)
        print(f"| {name} | {seconds:.2f} | {r['auPRC']:.3f} | {r['top_k_fraction']:.3f} | {r['baseline']:.3f} |")


def main(args):
    X = sequences.random_sequences(1000, 500, 0.4, random_state=0)
    speed(models.deep_cnn(500), X)
    if "architectures" in args or "all" in args:
        architectures(X)
    if "quality" in args or "all" in args:
        quality()
    print(f"\npeak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB")


if __name__ == "__main__":
    main(sys.argv[1:])
