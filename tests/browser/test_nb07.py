"""Notebook 07 in JupyterLab: the training playground trains on click and captions its learning curve."""
from __future__ import annotations

import pytest

from test_widgets_in_jupyterlab import (  # noqa: F401  (fixtures: lab, browser)
    ROOT, browser, lab, open_and_run_all, pytestmark, screenshot_and_close, wait_for_text)

SELECTOR = ".dragonn-training-playground .dragonn-playground-message"


def test_notebook_07_training_playground_trains_on_click(browser, lab):  # noqa: F811
    if not (ROOT / "notebooks" / "07_training_in_practice.ipynb").exists():
        pytest.skip("notebook 07 not present")
    page, widget = open_and_run_all(browser, lab, "07_training_in_practice.ipynb", "dragonn-training-playground",
                                    timeout_ms=420_000)
    assert "Error displaying widget" not in page.content()
    wait_for_text(page, SELECTOR, "Press Train")
    # RMSprop instead of Adam, then train
    page.locator(".dragonn-training-playground select").first.select_option("rmsprop")
    page.locator(".dragonn-training-playground .dragonn-playground-train").click()
    wait_for_text(page, SELECTOR, "validation auROC", timeout_ms=600_000)
    caption = page.locator(SELECTOR).inner_text()
    assert caption.startswith("rmsprop, lr 0.01") and "training sequences" in caption and "gap" in caption
    screenshot_and_close(page, widget, "notebook07_widget")
