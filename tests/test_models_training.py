"""CNN builders, training, saving and the workshop API (tiny, fast problems)."""
import os

import numpy as np
import pytest

import dragonn_tutorial as dt
from dragonn_tutorial import models, simulations, training

keras = pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tiny():
    """Single-motif detection that a small CNN learns in a few epochs."""
    return simulations.get_simulation_data(
        "simulate_single_motif_detection",
        {"motif_name": "SPI1_known4", "seq_length": 100, "num_pos": 600, "num_neg": 600, "GC_fraction": 0.4},
        test_set_size=300, validation_set_size=200, random_state=0)


def small_model(**kw):
    params = dict(num_filters=8, conv_width=14, learning_rate=1e-2)
    params.update(kw)
    return models.build_cnn(100, **params)


def test_layer_names_and_hand_counted_parameters():
    shallow = models.shallow_cnn(500)
    assert [l.name for l in shallow.layers] == ["sequence", "conv_1", "relu_1", "global_pool",
                                                "logits", "output"]
    table = models.parameter_table(shallow)
    assert table.loc["conv_1", "parameters"] == 25 * 4 * 15 + 15
    assert table.loc["logits", "parameters"] == 15 + 1
    assert shallow.count_params() == 1515 + 16
    flat = models.shallow_cnn(500, global_pool=False, pool_width=35, pool_padding="valid")
    # 476 conv positions, pooled in windows of 35 ('valid' drops the last, short one): 13
    assert flat.get_layer("pool").output.shape[1:] == (13, 15)
    assert flat.get_layer("logits").count_params() == 13 * 15 + 1
    deep = models.deep_cnn(500)
    assert [l.name for l in deep.layers][1:7] == ["conv_1", "relu_1", "conv_2", "relu_2", "conv_3", "relu_3"]
    assert models.receptive_field(deep) == 43 and models.receptive_field(shallow) == 25
    with_dropout = models.build_cnn(100, num_filters=(4, 4), conv_width=5, dropout=0.2,
                                    num_tasks=3)
    assert "dropout_2" in [l.name for l in with_dropout.layers]
    assert with_dropout.output.shape[-1] == 3


@pytest.mark.parametrize("kwargs, match", [
    ({"conv_width": 200}, "too wide"),
    ({"pool_width": 95}, "pool_width"),
    ({"num_filters": (4, 4), "conv_width": (5, 5, 5)}, "conv_width must have one entry"),
    ({"dropout": 1.0}, "dropout"),
    ({"num_filters": 0}, "num_filters"),
])
def test_build_cnn_rejects_bad_parameters(kwargs, match):
    params = dict(num_filters=4, conv_width=10, pool_width=10, global_pool="mean")
    params.update(kwargs)
    with pytest.raises(ValueError, match=match):
        models.build_cnn(100, **params)


def test_train_learns_and_keeps_the_best_epoch(tiny):
    dt.set_seed(0)
    model = small_model()
    history = training.train(model, tiny, epochs=30, patience=3, verbose=0)
    assert 1 <= history.best_epoch <= len(history.epoch) <= 30
    assert history.best_val_loss == pytest.approx(min(history.val_loss))
    # the model ends with the best epoch's weights: its validation loss is the recorded minimum
    val_loss = model.evaluate(tiny.X_valid, tiny.y_valid, verbose=0, batch_size=1024)
    assert val_loss == pytest.approx(history.best_val_loss, abs=1e-5)
    # patience=3 means three epochs without improvement, then stop
    assert not history.stopped_early or len(history.epoch) == history.best_epoch + 3
    result = training.evaluate(model, tiny.X_test, tiny.y_test)
    assert result["auROC"] > 0.9
    frame = history.to_frame()
    assert list(frame.columns) == ["loss", "val_loss", "val_auROC", "val_auPRC", "seconds"]


def test_training_is_repeatable_with_set_seed(tiny):
    runs = []
    for _ in range(2):
        dt.set_seed(7)
        model = small_model()
        h = training.train(model, tiny, epochs=3, patience=5, verbose=0)
        runs.append((h.loss, h.val_loss, model.get_weights()[0]))
    assert runs[0][0] == runs[1][0] and runs[0][1] == runs[1][1]
    np.testing.assert_array_equal(runs[0][2], runs[1][2])


def test_train_argument_errors(tiny):
    model = small_model()
    with pytest.raises(ValueError, match="class_weight"):
        training.train(model, tiny, epochs=1, class_weight="uniform", verbose=0)
    with pytest.raises(ValueError, match="output unit"):
        training.train(small_model(num_tasks=2), tiny, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="SimulationData"):
        training.train(model, tiny.X_train, epochs=1, verbose=0)
    h = training.train(model, tiny, epochs=1, class_weight="balanced", verbose=0)
    assert len(h.epoch) == 1


def test_save_and_load_round_trip_is_atomic(tiny, tmp_path, monkeypatch):
    model = small_model()
    path = tmp_path / "model.keras"
    training.save_model(model, path)
    loaded = training.load_model(path)
    np.testing.assert_allclose(training.predict(loaded, tiny.X_test[:20]),
                               training.predict(model, tiny.X_test[:20]), rtol=1e-6)
    before = path.read_bytes()

    def broken_save(self, filepath, *args, **kwargs):
        with open(filepath, "wb") as fh:
            fh.write(b"half a model")
        raise KeyboardInterrupt("interrupted")

    monkeypatch.setattr(type(model), "save", broken_save)
    with pytest.raises(KeyboardInterrupt):
        training.save_model(model, path)
    assert path.read_bytes() == before  # the earlier model is untouched
    assert sorted(os.listdir(tmp_path)) == ["model.keras"]  # no temporary file left behind
    with pytest.raises(ValueError, match=".keras"):
        training.save_model(model, tmp_path / "model.h5")


def test_plot_learning_curve_marks_the_kept_epoch(tiny):
    import matplotlib.pyplot as plt

    dt.set_seed(0)
    model = small_model()
    history = training.train(model, tiny, epochs=4, patience=1, verbose=0)
    ax = training.plot_learning_curve(history, ax=plt.gca())
    assert len(ax.lines) == 3
    assert ax.lines[2].get_xdata()[0] == history.best_epoch
    with pytest.raises(ValueError, match="History"):
        training.plot_learning_curve({"loss": [1]})


def test_plot_learning_curve_legend_hides_no_data():
    import matplotlib.pyplot as plt

    t = np.arange(1, 31)  # over-fitting: training loss falls, validation loss U-shaped, auROC rises
    history = training.History(epoch=list(t), loss=list(0.69 * np.exp(-t / 8) + 0.05),
                               val_loss=list(0.45 + 0.0008 * (t - 12) ** 2),
                               val_auROC=list(0.5 + 0.45 * (1 - np.exp(-t / 5))), best_epoch=12)
    for show_auroc in (True, False):
        fig, ax = plt.subplots(figsize=(5.5, 3.8))
        out = training.plot_learning_curve(history, ax=ax, show_auroc=show_auroc, title="over-fitting")
        assert out is ax and len(ax.lines) == 3
        fig.tight_layout()
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        legend = ax.get_legend().get_window_extent(renderer)
        points = np.vstack([a.transData.transform(line.get_xydata()) for a in fig.axes for line in a.lines
                            if line.get_marker() not in (None, "None", "")])
        inside = ((points[:, 0] >= legend.x0) & (points[:, 0] <= legend.x1)
                  & (points[:, 1] >= legend.y0) & (points[:, 1] <= legend.y1))
        assert len(points) == 30 * (3 if show_auroc else 2) and not inside.any()
        assert len(ax.get_legend().get_texts()) == (4 if show_auroc else 3)
        assert not legend.overlaps(ax.title.get_window_extent(renderer))
        plt.close(fig)


def test_interpret_sequence_centric_heatmaps_have_labelled_colour_bars(monkeypatch):
    import matplotlib.pyplot as plt

    from dragonn_tutorial.workshop import get_SequenceDNN, interpret_SequenceDNN_sequence_centric

    monkeypatch.setattr(plt, "show", lambda: None)
    data = simulations.simulate_heterodimer_grammar(num_pos=20, num_neg=20, seq_length=200, random_state=0)
    simulation_data = type("SimulationData", (), {"X_test": data.X, "y_test": data.y, "sites_test": data.sites})
    dt.set_seed(0)
    cnn = get_SequenceDNN({"seq_length": 200, "num_filters": 4, "conv_width": 10, "pool_width": 35})
    acts = interpret_SequenceDNN_sequence_centric(cnn, simulation_data)
    fig = plt.gcf()
    heatmaps = [ax for ax in fig.axes if ax.images and ax.get_ylabel() == "filter"]
    # each heatmap's image carries a colour bar, drawn in an extra (inset) axes with its label
    bars = {ax.images[0].colorbar.ax.get_ylabel(): ax.images[0].colorbar.ax for ax in heatmaps
            if ax.images[0].colorbar is not None}
    assert all(bar in heatmap.child_axes for bar, heatmap in zip(bars.values(), heatmaps))
    assert len(heatmaps) == len(acts) == 3
    assert {"score (pre-ReLU)", "activation", "max-pooled activation"} <= set(bars)
    assert bars["activation"].get_ylim()[0] == 0.0  # post-ReLU bar starts at zero
    lo, hi = bars["score (pre-ReLU)"].get_ylim()
    assert lo == pytest.approx(-hi) and hi == pytest.approx(np.abs(acts["conv_1"]).max(), rel=1e-5)
    plt.close(fig)


def test_workshop_sequence_runs_verbatim(capsys):
    from dragonn_tutorial.workshop import (
        get_available_simulations, print_available_simulations, get_simulation_function,
        print_simulation_info, get_simulation_data, inspect_SequenceDNN, get_SequenceDNN,
        train_SequenceDNN, SequenceDNN_learning_curve, test_SequenceDNN,
        interpret_SequenceDNN_filter_centric, interpret_SequenceDNN_sequence_centric,
        interpret_SequenceDNN_distributed)

    assert "simulate_heterodimer_grammar" in get_available_simulations()
    print_available_simulations()
    print_simulation_info("simulate_heterodimer_grammar")
    assert callable(get_simulation_function("simulate_heterodimer_grammar"))
    params = {"motif1": "SPI1_known4", "motif2": "IRF_known20", "seq_length": 200, "min_spacing": 2,
              "max_spacing": 5, "num_pos": 400, "num_neg": 400, "GC_fraction": 0.4}
    simulation_data = get_simulation_data("simulate_heterodimer_grammar", params, 200, 100)
    dt.set_seed(0)
    cnn = get_SequenceDNN({"seq_length": 200, "num_filters": 15, "conv_width": 25, "pool_width": 35})
    inspect_SequenceDNN(cnn)
    train_SequenceDNN(cnn, simulation_data, epochs=2, verbose=0)
    SequenceDNN_learning_curve(cnn)
    result = test_SequenceDNN(cnn, simulation_data)
    deep = get_SequenceDNN({"seq_length": 200, "use_deep_CNN": True, "num_filters": 15, "conv_width": 15,
                            "num_filters_2": 15, "conv_width_2": 15, "num_filters_3": 15,
                            "conv_width_3": 15, "pool_width": 35, "verbose": 0})
    train_SequenceDNN(deep, simulation_data, epochs=2)
    matches = interpret_SequenceDNN_filter_centric(cnn, simulation_data)
    acts = interpret_SequenceDNN_sequence_centric(cnn, simulation_data)
    out = capsys.readouterr().out
    assert "Test performance:" in out and "Balanced Accuracy:" in out and "auPRG:" in out
    assert "total parameters: 1,591" in out  # the 2016 head at 200 bp: 1,515 + 5 windows x 15 + 1
    assert result["num_positives"] + result["num_negatives"] == 200
    assert len(matches) == 15 and set(matches.motif) <= {"SPI1_known4", "IRF_known20"}
    assert acts["relu_1"].min() >= 0 and acts["conv_1"].shape == (1, 176, 15)
    shown = interpret_SequenceDNN_distributed(deep, simulation_data, num_examples=2, n_references=3)
    rows = shown["indices"]
    assert len(rows) == 2 and (simulation_data.y_test[rows, 0] == 1).all()
    assert shown["deeplift"].shape == (2, 200, 4) and shown["ism"].delta.shape == (2, 200, 4)
    from dragonn_tutorial import interpret
    refs = interpret.make_references(simulation_data.X_test[rows], "shuffle", 3, random_state=0)
    expected = (interpret.logits(deep, simulation_data.X_test[rows])[:, 0]
                - interpret.logits(deep, refs.reshape(6, 200, 4))[:, 0].reshape(2, 3).mean(1))
    np.testing.assert_allclose(shown["deeplift"].sum((1, 2)), expected, atol=1e-4)
    with pytest.raises(KeyError, match="conv_width"):
        get_SequenceDNN({"seq_length": 200, "conv_widht": 25})


def test_training_explorer_trains_on_click(tiny):
    from dragonn_tutorial import widgets

    history, result = widgets.train_small_cnn(tiny, num_filters=4, conv_width=10, pool_width=10,
                                              n_train=200, epochs=2)
    assert len(history.epoch) <= 2 and 0 <= result["auROC"] <= 1
    box = widgets.training_explorer(tiny, n_train_options=(200, 400))
    controls = box.children[0]
    left, right = controls.children
    left.children[1].value = 10  # filter width
    left.children[2].value = 10  # pool width
    button = right.children[-1]
    button.click()
    message = box.children[1].value
    assert "test auROC" in message and "epochs in" in message
    with pytest.raises(ValueError, match="n_train"):
        widgets.train_small_cnn(tiny, n_train=10)


def test_recommended_models_and_mean_head():
    counting = models.recommended_cnn("motif_counting", 300)
    assert type(counting.get_layer("global_pool")).__name__ == "GlobalAveragePooling1D"
    localisation = models.recommended_cnn("simulate_motif_density_localization", 300)
    assert "flatten" in [l.name for l in localisation.layers]
    multi = models.recommended_cnn("simulate_multi_motif_embedding", 300, num_tasks=3, dropout=0.1)
    assert multi.output.shape[-1] == 3 and "dropout_1" in [l.name for l in multi.layers]
    assert [l.name for l in models.recommended_cnn("heterodimer_grammar", 300).layers][5] == "conv_3"
    with pytest.raises(KeyError, match="single_motif_detection"):
        models.recommended_cnn("single_motif", 300)
    with pytest.raises(ValueError, match="global_pool"):
        models.build_cnn(300, global_pool="sum")
