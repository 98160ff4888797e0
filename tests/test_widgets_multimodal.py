"""The multi-modal explorer (notebook 08): predictions per (sequence, cell type), the
static figure and the panel's reactions."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dragonn_tutorial import simulations_extra as se  # noqa: E402
from dragonn_tutorial import widgets_multimodal as wm  # noqa: E402


@pytest.fixture(scope="module")
def cells():
    return se.simulate_cell_type_binding(seq_length=80, num_seqs=40, num_cell_types=3, peak_width=40,
                                         random_state=0)


class _TrackMax:
    """A stand-in two-input model: the highest accessibility of the example's track."""

    inputs = ["sequence", "accessibility"]

    def predict_on_batch(self, x):
        X, A = x
        assert X.shape[1:] == (80, 4) and A.shape[1:] == (80, 1)
        return A.max(axis=(1, 2))[:, None]


class _GC:
    inputs = ["sequence"]

    def predict_on_batch(self, X):
        return X[:, :, 1:3].sum(axis=(1, 2))[:, None] / X.shape[1]


def test_predict_cell_types_pairs_each_sequence_with_its_tracks(cells):
    p = wm.predict_cell_types(_TrackMax(), cells, batch_size=7)   # batches split mid-sequence
    np.testing.assert_allclose(p, cells.accessibility.max(axis=1), rtol=1e-6)
    q = wm.predict_cell_types(_GC(), cells)
    assert np.ptp(q, axis=1).max() == 0                              # sequence-only: same in every cell type
    np.testing.assert_allclose(q[:, 0], cells.X[:, :, 1:3].sum(axis=(1, 2)) / 80, rtol=1e-6)


def test_describe_and_plot_show_truth_and_predictions(cells):
    preds = {"track": cells.y * 0.9, "seq": np.full(cells.y.shape, 0.5)}
    i = int(np.nonzero(cells.y[:, 0])[0][0])
    text = wm.describe_sequence(cells, i, preds)
    assert "cell_type_1: bound | track: 0.90; seq: 0.50" in text and "CTCF_known1" in text
    axes = wm.plot_multimodal_example(cells, i, preds)
    assert len(axes) == 4
    assert axes[1].get_title(loc="left").startswith("cell_type_1: BOUND")
    assert "track 0.90" in axes[1].get_title(loc="left")
    plt.close("all")


def test_bad_input(cells):
    with pytest.raises(ValueError, match=r"predictions\['m'\] must have shape \(40, 3\)"):
        wm.describe_sequence(cells, 0, {"m": np.zeros((40, 2))})
    with pytest.raises(ValueError, match="index"):
        wm.describe_sequence(cells, 40)
    with pytest.raises(TypeError, match="CellTypeDataset"):
        wm.multimodal_explorer(cells.X)
    with pytest.raises(ValueError, match="axes"):
        wm.plot_multimodal_example(cells, 0, axes=[plt.gca()])
    plt.close("all")


def test_explorer_reacts_to_slider_and_button(cells):
    box = wm.multimodal_explorer(cells, {"track": cells.y}, index=0)
    assert "dragonn-multimodal-explorer" in box._dom_classes
    assert box.message.value.startswith("<pre>sequence 0:")
    box.controls["index"].value = 5
    assert "sequence 5:" in box.message.value
    box.controls["next"].click()
    j = box.controls["index"].value
    assert j > 5 and cells.y[j].min() != cells.y[j].max()           # bound in some cell types only
    plt.close("all")
