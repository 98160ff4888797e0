import matplotlib.pyplot as plt
import numpy as np
import pytest

from dragonn_tutorial import motifs as M
from dragonn_tutorial import plotting as P
from dragonn_tutorial import simulations as sim
from dragonn_tutorial import widgets as W


@pytest.mark.parametrize("kind", ["information", "probability", "pssm"])
def test_plot_logo_kinds_return_axes_with_letter_heights(kind):
    fig, ax = plt.subplots()
    out = P.plot_logo("SPI1_known4", kind=kind, ax=ax)
    assert out is ax and ax.get_title() == "SPI1_known4"
    heights = P.logo_matrix("SPI1_known4", kind)
    assert heights.shape == (14, 4)
    if kind == "information":
        np.testing.assert_allclose(heights.sum(1), M.get_motif("SPI1_known4").information_content())
        assert ax.get_ylim() == (0, 2)


def test_plot_logo_weights_and_errors():
    ax = P.plot_logo(np.random.default_rng(0).normal(size=(8, 4)), kind="weights")
    assert ax.get_ylabel() == "weight"
    with pytest.raises(ValueError, match=r"kind must be one of"):
        P.plot_logo("SPI1_known4", kind="bits")
    with pytest.raises(ValueError, match=r"transpose it"):
        P.plot_logo(np.ones((4, 9)), kind="weights")


def test_plot_one_hot_and_sites():
    from dragonn_tutorial.sequences import one_hot_encode

    ax = P.plot_one_hot(one_hot_encode("ACGTN")[0])
    assert [t.get_text() for t in ax.get_xticklabels()] == list("ACGTN")
    with pytest.raises(ValueError, match="draws one sequence"):
        P.plot_one_hot(one_hot_encode(["AC", "GT"]))
    d = sim.simulate_heterodimer_grammar(num_pos=2, num_neg=2, random_state=0)
    fig, ax = plt.subplots()
    out = P.plot_sequence_sites(d.sites, 500, sequence=1, ax=ax)
    labels = sorted(t.get_text() for t in ax.texts)
    assert out is ax and len(ax.patches) == 4  # two boxes, two strand arrows
    assert labels[0].startswith("IRF_known20") and labels[1].startswith("SPI1_known4")
    plt.figure()
    ax2 = P.plot_sequence_sites(d.sites, 500, 0, track=M.scan(d.X[:1], "SPI1_known4")[0])
    assert len(ax2.lines) == 2


def test_sequence_explorer_updates_and_reports_bad_input():
    box = W.sequence_explorer("ACGT")
    text, message = box.children[0], box.children[1]
    assert "reverse complement: ACGT" in message.value
    text.value = "GGATAA"
    assert "reverse complement: TTATCC" in message.value
    text.value = "GGXTAA"
    assert "invalid character" in message.value and "position 2" in message.value
    assert "dragonn-sequence-explorer" in box._dom_classes


def test_simulation_explorer_reacts_to_sliders_and_shows_errors():
    box = W.simulation_explorer()
    sim_dropdown, controls, message = box.children[:3]
    assert "sites per sequence" in message.value
    sim_dropdown.value = "simulate_motif_density_localization"
    names = [c.description for c in controls.children]
    assert "center_size" in names
    center = controls.children[names.index("center_size")]
    center.value = 20  # too small for 4 copies of a 10+ bp motif
    assert "too short" in message.value
    summary = W.simulation_summary(sim.simulate_single_motif_detection(num_pos=10, num_neg=10, random_state=0))
    assert summary["positives (task 0)"] == 10 and summary["sites per sequence"] == 0.5


def test_motif_explorer_updates_and_suggests_names():
    box = W.motif_explorer("GATA_disc1", gc_fraction=0.5)
    picker, gc = box.children[0].children
    message = box.children[1]
    best_at_half = float(message.value.split("best possible PSSM score ")[1].split(",")[0])
    assert best_at_half == pytest.approx(M.get_motif("GATA_disc1").pssm(0.5).max(axis=1).sum(), abs=0.05)
    gc.value = 0.8  # GC-rich background: the A/T-rich GATA site becomes more surprising
    best_gc_rich = float(message.value.split("best possible PSSM score ")[1].split(",")[0])
    assert best_gc_rich > best_at_half
    picker.value = "CTCF"
    assert "Close matches" in message.value and "CTCF_" in message.value
    fig = W.draw_motif_panel("SPI1_known4", 0.4)
    assert len(fig.axes) == 4 and "SPI1_known4" in fig._suptitle.get_text()  # 3 panels + the PSSM's colour bar
    heat = fig.axes[2].images[0]  # the PSSM as a heatmap, every entry kept (only the colours are clipped)
    np.testing.assert_allclose(heat.get_array(), M.get_motif("SPI1_known4").pssm(0.4).T)
    assert heat.get_clim() == (W.PSSM_FLOOR, -W.PSSM_FLOOR)


def test_threshold_explorer_reports_the_counts_of_threshold_summary():
    from dragonn_tutorial.metrics import threshold_summary

    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 200)
    s = y + rng.normal(0, 0.7, 200)
    box = W.threshold_explorer(y, s, threshold=0.5)
    slider, message = box.children[0], box.children[1]
    expected = threshold_summary(y, s, 0.5)
    assert f"called positive: {expected['TP'] + expected['FP']}" in message.value
    slider.value = float(s.max())
    assert "called positive: 1 " in message.value or "called positive: 1&" in message.value
    with pytest.raises(ValueError, match="only positives"):
        W.threshold_explorer(np.ones(5), np.arange(5.0))
    fig = W.draw_threshold_panel(y, s, 0.5)
    assert len(fig.axes) >= 2


def test_attribution_plots_draw_the_window_and_the_sites():
    d = sim.simulate_heterodimer_grammar(num_pos=3, num_neg=3, random_state=0)
    start, end = P.site_window(d.sites, 0, 500, 100)
    one = d.sites.of_sequence(0)
    assert end - start == 100 and start <= one.start.min() and one.end.max() <= end
    assert P.site_window(None, 0, 500, 80) == (210, 290)
    scores = d.X[0] * np.random.default_rng(0).normal(size=(500, 1))
    fig, ax = plt.subplots()
    P.plot_attribution(scores, ax=ax, sites=d.sites, sequence=0, start=start, end=end, title="t")
    assert ax.get_xlim() == (start - 0.5, end - 0.5)
    assert len(ax.patches) >= len(one)  # letters and shaded sites
    assert {t.get_text() for t in ax.texts} >= {f"{m} ({'+' if s > 0 else '-'})" for m, s in zip(one.motif, one.strand)}
    fig, ax = plt.subplots()
    P.plot_ism_heatmap(scores, ax=ax, X=d.X[0], start=start, end=end)
    image = ax.images[0].get_array()
    assert image.shape == (4, 100)
    np.testing.assert_allclose(image, scores[start:end].T)
    with pytest.raises(ValueError, match=r"\(length, 4\)"):
        P.plot_attribution(scores.T)
    with pytest.raises(ValueError, match="start"):
        P.plot_ism_heatmap(scores, start=400, end=600)


def test_attribution_explorer_switches_method_and_class():
    d = sim.simulate_heterodimer_grammar(num_pos=3, num_neg=2, random_state=0)
    rng = np.random.default_rng(0)
    attributions = {"a": d.X * rng.normal(size=(5, 500, 1)), "b": -d.X}
    box = W.attribution_explorer(attributions, d.sites, d.y)
    assert "dragonn-attribution-explorer" in box._dom_classes
    (klass, index), method, message, _ = box.children[0].children, box.children[1], box.children[2], box.children[3]
    assert klass.value == "positive" and index.max == 2 and "sequence 0" in message.value
    method.value = "b"
    total = -d.X[0].sum()
    assert f"total {total:+.3f}" in message.value
    klass.value = "negative"
    assert index.max == 1 and "sequence 3" in message.value
    with pytest.raises(ValueError, match=r"attributions\['c'\] has shape"):
        W.attribution_explorer({"c": np.zeros((2, 500, 4))}, d.sites, d.y)
    fig = W.draw_attribution_panel(attributions, d.sites, 1, "a")
    assert len(fig.axes) == 2
    with pytest.raises(KeyError, match="unknown method"):
        W.draw_attribution_panel(attributions, d.sites, 1, "DeepLIFT")


def test_attribution_peaks_find_the_credited_windows_and_never_the_same_one():
    spi1, irf = M.get_motif("SPI1_known4"), M.get_motif("IRF_known20")
    d = sim.simulate_heterodimer_grammar(num_pos=20, num_neg=0, random_state=4)
    truth_a = np.array([d.sites.of_sequence(i).start[d.sites.of_sequence(i).motif == spi1.name][0] for i in range(20)])
    truth_b = np.array([d.sites.of_sequence(i).start[d.sites.of_sequence(i).motif == irf.name][0] for i in range(20)])
    per_base = d.truth_mask().astype(float)  # credit exactly on the planted sites
    a, b = W.attribution_peaks(per_base, d.X, spi1.name, irf.name, background=0.4)
    assert (a == truth_a).all() and (b == truth_b).all()
    # credit only on the SPI1 site: the IRF peak must still avoid the SPI1 window
    only_a = d.truth_mask("SPI1_known4").astype(float)
    a2, b2 = W.attribution_peaks(only_a, d.X, spi1.name, irf.name, background=0.4)
    assert (a2 == truth_a).all()
    assert ((b2 <= a2 - irf.width) | (b2 >= a2 + spi1.width) | (b2 == -1)).all()
    with pytest.raises(ValueError, match="per_base must be"):
        W.attribution_peaks(per_base[:, :10], d.X, spi1.name, irf.name)


def test_training_explorer_pool_width_matters_only_with_a_pooled_head():
    data = sim.get_simulation_data("simulate_heterodimer_grammar", {"seq_length": 200, "num_pos": 150, "num_neg": 150},
                                   test_set_size=60, validation_set_size=60, random_state=0)
    h, r = W.train_small_cnn(data, num_filters=3, conv_width=10, head="flatten", pool_width=19, n_train=100, epochs=1)
    assert len(h.epoch) == 1 and 0 <= r["auROC"] <= 1
    box = W.training_explorer(data, n_train_options=(100,))
    left, right = box.children[0].children
    pool, head = left.children[2], right.children[0]
    assert pool.disabled and head.value == "max"
    head.value = "flatten"
    assert not pool.disabled
    head.value = "max"
    assert pool.disabled
    with pytest.raises(ValueError, match=r"head must be one of \['max', 'mean', 'flatten'\]; received 'avg'"):
        W.train_small_cnn(data, head="avg", n_train=100)


def _close_sites():
    # SPI1 then IRF 3 bp after it (a heterodimer at the short spacing), TAL1 far away.
    return sim.Sites(sequence=np.array([0, 0, 0]), motif=np.array(["SPI1_known4", "IRF_known20", "TAL1_known1"],
                                                                   dtype=object),
                     start=np.array([240, 257, 400]), end=np.array([254, 271, 411]), strand=np.array([1, -1, 1]))


def _label_boxes(fig, ax):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return {t.get_text().split(" ")[0]: t.get_window_extent(renderer) for t in ax.texts}


@pytest.mark.parametrize("where", ["sequence_sites", "attribution"])
def test_site_labels_of_close_sites_do_not_overlap(where):
    sites = _close_sites()
    fig, ax = plt.subplots(figsize=(8, 2.5))
    if where == "sequence_sites":
        P.plot_sequence_sites(sites, 500, 0, ax=ax)
    else:
        scores = np.random.default_rng(0).normal(size=(500, 4))
        P.plot_attribution(scores, ax=ax, sites=sites, sequence=0, start=100, end=420, title="t")
    fig.tight_layout()
    boxes = _label_boxes(fig, ax)
    assert set(boxes) == {"SPI1_known4", "IRF_known20", "TAL1_known1"}
    spi1, irf, tal1 = boxes["SPI1_known4"], boxes["IRF_known20"], boxes["TAL1_known1"]
    assert spi1.x1 > irf.x0  # they would collide side by side ...
    assert not spi1.overlaps(irf)  # ... so one is lifted to a second row
    assert irf.y0 >= spi1.y1 - 0.5
    assert tal1.y0 == pytest.approx(spi1.y0)  # a lone label stays in the first row
    if where == "attribution":  # the title clears both rows
        title = ax.title.get_window_extent(fig.canvas.get_renderer())
        assert not title.overlaps(irf) and not title.overlaps(spi1)
    plt.close(fig)
