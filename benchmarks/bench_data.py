"""Speed of the numpy side: one-hot encoding, import time, simulations, shuffles, scanning, k-mers.

    python benchmarks/bench_data.py
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _timing import measure, print_table  # noqa: E402

from dragonn_tutorial import motifs, sequences, simulations  # noqa: E402
from dragonn_tutorial._validation import check_one_hot  # noqa: E402

WORKSHOP = {"motif1": "SPI1_known4", "motif2": "IRF_known20", "seq_length": 500, "min_spacing": 2,
            "max_spacing": 5, "num_pos": 10000, "num_neg": 10000, "GC_fraction": 0.4}


def import_time() -> dict:
    times = []
    for _ in range(5):
        out = subprocess.run([sys.executable, "-c", "import time; t=time.perf_counter(); "
                              "import dragonn_tutorial, dragonn_tutorial.simulations; "
                              "print(time.perf_counter()-t)"], capture_output=True, text=True, check=True)
        times.append(float(out.stdout))
    return {"best": min(times), "median": sorted(times)[2]}


def main():
    strings = sequences.random_sequences(20000, 500, 0.4, random_state=0, as_strings=True)
    X = sequences.one_hot_encode(strings)
    motifs.get_motif("SPI1_known4")  # load the collection once
    width14 = "SPI1_known4"
    rows = [
        ("import dragonn_tutorial (+ simulations), fresh process", import_time(), "< 1"),
        ("one_hot_encode 20,000 x 500 bp strings", measure(lambda: sequences.one_hot_encode(strings)), "<< 0.1"),
        ("dinucleotide_shuffle 1,000 x 500 bp x 20 shuffles",
         measure(lambda: sequences.dinucleotide_shuffle(X[:1000], 20, random_state=0), repeats=3), "<= 2"),
        ("scan 20,000 x 500 bp, 14-bp motif, both strands", measure(lambda: motifs.scan(X, width14)), "<= 0.3"),
        ("kmer_counts 20,000 x 500 bp, k=6 (sparse)", measure(lambda: sequences.kmer_counts(X, 6)), "<= 1"),
        ("tokens_from_one_hot 20,000 x 500 bp (checks + tokenises)",
         measure(lambda: sequences.tokens_from_one_hot(X)), "-"),
        ("check_one_hot 20,000 x 500 bp (the validation alone)", measure(lambda: check_one_hot(X)), "-"),
    ]
    for name in simulations.get_available_simulations():
        kwargs = dict(WORKSHOP) if name == "simulate_heterodimer_grammar" else {}
        target = "<= 0.3" if name == "simulate_heterodimer_grammar" else "-"
        rows.append((f"{name} (defaults{', workshop' if kwargs else ''})",
                     measure(lambda: simulations.simulate(name, random_state=0, **kwargs), repeats=3), target))
    print_table(rows, "Data-side speed on this machine (20,000 sequences unless stated)")


if __name__ == "__main__":
    main()
