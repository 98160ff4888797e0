"""Quality on the workshop heterodimer data (SPI1_known4 + IRF_known20, 500 bp, spacing 2-5,
10,000 + 10,000, GC 0.4; 4,000 test / 3,200 validation), seeded, with a margin below what
benchmarks/bench_training.py measured (seeds 0 and 1; see the README table)."""
import pytest

import dragonn_tutorial as dt
from dragonn_tutorial import models, simulations, training

WORKSHOP = {"motif1": "SPI1_known4", "motif2": "IRF_known20", "seq_length": 500, "min_spacing": 2,
            "max_spacing": 5, "num_pos": 10000, "num_neg": 10000, "GC_fraction": 0.4}


@pytest.fixture(scope="module")
def heterodimer():
    return simulations.get_simulation_data("simulate_heterodimer_grammar", WORKSHOP, random_state=0)


def test_deep_cnn_learns_the_heterodimer_grammar(heterodimer):
    dt.set_seed(0)
    model = models.deep_cnn(500)
    training.train(model, heterodimer, epochs=100, patience=5, verbose=0)
    result = training.evaluate(model, heterodimer.X_test, heterodimer.y_test)
    assert result["auROC"] >= 0.99, str(result)  # measured 0.9965 (seed 0), 0.9947 (seed 1)


def test_shallow_cnn_beats_the_baselines_but_not_the_deep_cnn(heterodimer):
    dt.set_seed(0)
    model = models.shallow_cnn(500)
    training.train(model, heterodimer, epochs=100, patience=5, verbose=0)
    result = training.evaluate(model, heterodimer.X_test, heterodimer.y_test)
    # PSSM and k-mer baselines are at chance (notebook 01); measured 0.93-0.95 here with the
    # workshop's 15 filters (the 2016 workshop reported 0.987): see the README and the next test.
    assert result["auROC"] >= 0.90, str(result)


def test_a_wider_one_layer_cnn_reaches_the_workshop_bar(heterodimer):
    dt.set_seed(0)
    model = models.shallow_cnn(500, num_filters=60, learning_rate=3e-3)
    training.train(model, heterodimer, epochs=100, patience=5, verbose=0)
    result = training.evaluate(model, heterodimer.X_test, heterodimer.y_test)
    assert result["auROC"] >= 0.98, str(result)  # measured 0.9880 (seed 0), 0.9888 (seed 1)


# The other five simulations: the recommended model of each (models.RECOMMENDED) at the reduced
# sizes of benchmarks/bench_simulations.py's "small" run, which measured (seed 0) the values noted.
# The README table has the workshop-size numbers.
SMALL_BARS = {
    "simulate_single_motif_detection": 0.95,       # measured 0.984 (6,334 training sequences)
    "simulate_motif_counting": 0.94,               # measured 0.977 (1,900, 1,000 bp, mean head)
    "simulate_motif_density_localization": 0.95,   # measured 0.987 (1,900, 1,000 bp, flatten head)
    "simulate_multi_motif_embedding": 0.90,        # measured 0.937 (5,067, mean over 3 tasks)
    "simulate_differential_accessibility": 0.98,   # measured 0.998 (1,900)
}


@pytest.mark.parametrize("name", SMALL_BARS)
def test_recommended_model_learns_each_simulation(name):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_simulations import SMALL, run

    result = run(name, SMALL[name] // 2)
    assert result["auROC"] >= SMALL_BARS[name], str(result)
