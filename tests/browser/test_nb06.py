"""Notebook 06 in JupyterLab: the architecture explorer reacts to its dilation slider."""
from __future__ import annotations

import re

import pytest

from test_widgets_in_jupyterlab import (  # noqa: F401  (fixtures: lab, browser)
    ROOT, browser, lab, open_and_run_all, pytestmark, screenshot_and_close, wait_for_text)

SELECTOR = ".dragonn-architecture-explorer .dragonn-architecture-message"


def _receptive_field(text: str) -> int:
    match = re.search(r"receptive field: ([\d,]+) bp", text)
    assert match, f"no receptive field in {text!r}"
    return int(match.group(1).replace(",", ""))


def test_notebook_06_architecture_explorer_updates_the_receptive_field(browser, lab):  # noqa: F811
    if not (ROOT / "notebooks" / "06_architectures.ipynb").exists():
        pytest.skip("notebook 06 not present")
    page, widget = open_and_run_all(browser, lab, "06_architectures.ipynb", "dragonn-architecture-explorer")
    assert "Error displaying widget" not in page.content()
    wait_for_text(page, SELECTOR, "receptive field: 25 bp")       # 3 layers of width 9, no dilation
    # dilation 1 -> 2 (the slider's editable readout): 1 + 8 x (1 + 2 + 4) = 57 bp
    readout = page.locator(".dragonn-architecture-explorer .dragonn-architecture-dilation .widget-readout")
    readout.click()
    readout.evaluate("el => { el.textContent = '2'; }")
    readout.press("Enter")
    # the notebook ran only up to the widget, so the kernel answers at once
    wait_for_text(page, SELECTOR, "receptive field: 57 bp", timeout_ms=400_000)
    assert _receptive_field(page.locator(SELECTOR).inner_text()) == 57
    screenshot_and_close(page, widget, "notebook06_widget")
