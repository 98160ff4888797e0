"""Recommended CNNs for all six simulations: test auROC/auPRC and training time.

    python benchmarks/bench_simulations.py           # workshop sizes (10,000 + 10,000 per simulation)
    python benchmarks/bench_simulations.py small     # the sizes the quality tests use

Each simulation uses its defaults (heterodimer: the workshop's parameters), the
model from ``models.recommended_cnn`` and ``training.train`` with early stopping
(patience 5). Multi-task results are averaged over the tasks.
"""
from __future__ import annotations

import resource
import sys
import time

import numpy as np

import dragonn_tutorial as dt
from dragonn_tutorial import models, simulations, training

WORKSHOP = {"motif1": "SPI1_known4", "motif2": "IRF_known20", "seq_length": 500, "min_spacing": 2,
            "max_spacing": 5, "GC_fraction": 0.4}
# Smaller datasets for tests/test_quality.py (kept here so the test and the benchmark agree).
SMALL = {"simulate_single_motif_detection": 10000, "simulate_motif_counting": 3000,
         "simulate_motif_density_localization": 3000, "simulate_multi_motif_embedding": 8000,
         "simulate_differential_accessibility": 3000}


def run(name: str, n_each: int, seed: int = 0, epochs: int = 100, patience: int = 5):
    params = dict(WORKSHOP) if name == "simulate_heterodimer_grammar" else {}
    if name == "simulate_multi_motif_embedding":
        params["num_seqs"] = 2 * n_each
    else:
        params.update(num_pos=n_each, num_neg=n_each)
    n = 2 * n_each
    data = simulations.get_simulation_data(name, params, test_set_size=n // 5, validation_set_size=n // 6,
                                           random_state=seed)
    dt.set_seed(seed)
    model = models.recommended_cnn(name, data.X_train.shape[1], data.y_train.shape[1])
    t0 = time.perf_counter()
    history = training.train(model, data, epochs=epochs, patience=patience, verbose=0)
    seconds = time.perf_counter() - t0
    result = training.evaluate(model, data.X_test, data.y_test)
    return {"auROC": float(np.mean(result["auROC"])), "auPRC": float(np.mean(result["auPRC"])),
            "epochs": len(history.epoch), "seconds": seconds, "length": data.X_train.shape[1],
            "train": len(data.X_train)}


def main(args):
    small = "small" in args
    print("| simulation | model | sequences (train) | bp | epochs | training s | test auROC | test auPRC |")
    print("|---|---|---|---|---|---|---|---|")
    for name in simulations.get_available_simulations():
        if small and name not in SMALL:
            continue
        n_each = SMALL[name] // 2 if small else 10000
        r = run(name, n_each)
        config = dict(models.RECOMMENDED[name])
        label = f"{config.pop('builder')}, " + ", ".join(f"{k}={v}" for k, v in config.items())
        print(f"| {name} | {label} | {r['train']} | {r['length']} | {r['epochs']} | {r['seconds']:.0f} | "
              f"{r['auROC']:.3f} | {r['auPRC']:.3f} |", flush=True)
    print(f"\npeak memory (max RSS): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20:.2f} GB")


if __name__ == "__main__":
    main(sys.argv[1:])
