"""The training playground of notebook 07: the model it trains, its caption and figure, and a click."""
from __future__ import annotations

import numpy as np
import pytest

from dragonn_tutorial import simulations, widgets_training


@pytest.fixture(scope="module")
def data():
    return simulations.get_simulation_data(
        "simulate_single_motif_detection", {"motif_name": "GATA_disc1", "seq_length": 60, "num_pos": 150,
                                            "num_neg": 150}, test_set_size=50, validation_set_size=50,
        random_state=0)


@pytest.mark.slow
def test_playground_model_learns_and_reports_consistent_numbers(data):
    r = widgets_training.train_playground_model(data, n_train=200, epochs=6)
    assert len(r["loss"]) == len(r["val_loss"]) == 6 and not r["diverged"]
    assert r["loss"][-1] < r["loss"][0]
    assert 0 <= r["train_bce"] < np.log(2) and r["val_bce"] > 0 and 0 <= r["val_auROC"] <= 1
    text = widgets_training.caption(r)
    assert "adam, lr 0.01" in text and "200 training sequences" in text
    assert f"{r['val_bce'] - r['train_bce']:+.3f}" in text


def test_caption_and_figure_of_a_diverged_run():
    r = {"optimizer": "sgd", "learning_rate": 1.0, "activation": "relu", "dropout": 0.0, "l2": 0.0,
         "n_train": 100, "diverged": True, "loss": [0.7, float("nan")], "val_loss": [0.7, float("nan")]}
    assert "diverged" in widgets_training.caption(r)
    fig = widgets_training.draw_playground(r)
    assert fig.axes[0].get_title() == "diverged"


@pytest.mark.parametrize("kwargs, match", [({"n_train": 5}, "n_train"), ({"optimizer": "adagrad"}, "optimizer"),
                                           ({"dropout": 0.95}, "dropout"), ({"epochs": 0}, "epochs")])
def test_playground_model_rejects_bad_settings(data, kwargs, match):
    with pytest.raises(ValueError, match=match):
        widgets_training.train_playground_model(data, **{"n_train": 100, **kwargs})


def test_playground_rejects_data_without_splits():
    with pytest.raises(ValueError, match="SimulationData"):
        widgets_training.training_playground(np.zeros((3, 10, 4)))


@pytest.mark.slow
def test_clicking_train_draws_the_curve_and_writes_the_caption(data, monkeypatch):
    from dragonn_tutorial import widgets

    drawn = []  # outside a kernel an Output widget captures nothing: record the figures instead
    monkeypatch.setattr(widgets, "_figure", lambda output, draw, figsize: drawn.append(draw(figsize)))
    box = widgets_training.training_playground(data, n_train_options=(100, 200, 10_000), epochs=3)
    controls = box.controls
    assert list(controls["n_train"].options) == [100, 200]         # sizes larger than the data are dropped
    controls["optimizer"].value = "rmsprop"
    controls["learning_rate"].value = 1e-3
    controls["n_train"].value = 200
    button = box.children[0].children[1].children[-1]
    assert button.description == "Train"
    button.click()
    message = box.children[1].value
    assert "rmsprop, lr 0.001" in message and "200 training sequences" in message and "3 epochs" in message
    assert box.state["result"]["optimizer"] == "rmsprop" and len(box.state["result"]["loss"]) == 3
    assert not button.disabled
    assert len(drawn) == 1
    lines = drawn[0].axes[0].get_lines()
    assert np.allclose(lines[0].get_ydata(), box.state["result"]["loss"])
