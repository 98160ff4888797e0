"""Notebook 08 in JupyterLab: the multi-modal explorer moves to another sequence and jumps
to the next cell-type-specific one."""
from __future__ import annotations

import pytest

from test_widgets_in_jupyterlab import (  # noqa: F401  (fixtures: lab, browser)
    ROOT, browser, lab, open_and_run_all, pytestmark, screenshot_and_close, wait_for_text)

SELECTOR = ".dragonn-multimodal-explorer .dragonn-multimodal-message"


def test_notebook_08_multimodal_explorer_reacts(browser, lab):  # noqa: F811
    if not (ROOT / "notebooks" / "08_multitask_multimodal.ipynb").exists():
        pytest.skip("notebook 08 not present")
    page, widget = open_and_run_all(browser, lab, "08_multitask_multimodal.ipynb",
                                    "dragonn-multimodal-explorer", timeout_ms=900_000)
    assert "Error displaying widget" not in page.content()
    wait_for_text(page, SELECTOR, "sequence 0:")
    first = page.locator(SELECTOR).inner_text()
    assert "cell_type_1:" in first and "cell_type_2:" in first and "seq + access.:" in first
    # the slider's editable readout: go to sequence 7
    readout = page.locator(".dragonn-multimodal-explorer .dragonn-multimodal-index .widget-readout")
    readout.click()
    readout.evaluate("el => { el.textContent = '7'; }")
    readout.press("Enter")
    # the notebook ran only up to the widget, so the kernel answers at once
    wait_for_text(page, SELECTOR, "sequence 7:", timeout_ms=600_000)
    page.locator(".dragonn-multimodal-explorer .dragonn-multimodal-next").click()
    page.wait_for_function(
        f"!document.querySelector({SELECTOR!r}).innerText.includes('sequence 7:')", timeout=60_000)
    text = page.locator(SELECTOR).inner_text()
    assert ": bound" in text and ": not bound" in text      # bound in one cell type only
    screenshot_and_close(page, widget, "notebook08_widget")
