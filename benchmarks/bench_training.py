"""Training speed and quality at the workshop's sizes on this machine.

    python benchmarks/bench_training.py            # shallow, deep, and the 2016 flatten head
    python benchmarks/bench_training.py deep       # one of them

Prints, per model: epochs run, best epoch, seconds to the best epoch, seconds
per epoch, test auROC/auPRC, and the process's peak memory.
"""
from __future__ import annotations

import resource
import sys
import time

import dragonn_tutorial as dt
from dragonn_tutorial import models, simulations, training

WORKSHOP = {"motif1": "SPI1_known4", "motif2": "IRF_known20", "seq_length": 500, "min_spacing": 2,
            "max_spacing": 5, "num_pos": 10000, "num_neg": 10000, "GC_fraction": 0.4}
BUILDERS = {
    "shallow": (lambda: models.shallow_cnn(500), "<= 60 s to best"),
    "deep": (lambda: models.deep_cnn(500), "<= 120 s to best"),
    "shallow, 2016 flatten head": (lambda: models.shallow_cnn(500, global_pool=False, pool_width=35,
                                                              pool_padding="valid"), "-"),
    "shallow, 60 filters, lr 3e-3": (lambda: models.shallow_cnn(500, num_filters=60, learning_rate=3e-3),
                                     "auROC >= 0.98"),
}


def main(names):
    t = time.perf_counter()
    data = simulations.get_simulation_data("simulate_heterodimer_grammar", WORKSHOP, random_state=0)
    print(f"simulated the workshop heterodimer data in {time.perf_counter() - t:.1f} s "
          f"(train {len(data.y_train)}, valid {len(data.y_valid)}, test {len(data.y_test)})")
    print(f"\n| model | seed | epochs | best epoch | s to best | s/epoch | test auROC | test auPRC | target |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name in names:
        build, target = BUILDERS[name]
        for seed in (0, 1):
            dt.set_seed(seed)
            model = build()
            h = training.train(model, data, epochs=100, patience=5, verbose=0)
            r = training.evaluate(model, data.X_test, data.y_test)
            print(f"| {name} | {seed} | {len(h.epoch)} | {h.best_epoch} | {h.seconds_to_best:.0f} | "
                  f"{h.total_seconds / len(h.epoch):.2f} | {r['auROC']:.4f} | {r['auPRC']:.4f} | {target} |",
                  flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process (data + all models): {peak:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:] or list(BUILDERS))
