"""Notebook 09 in JupyterLab: the contribution explorer shows another sequence when its slider moves."""
from __future__ import annotations

import re

import pytest

from test_widgets_in_jupyterlab import (  # noqa: F401  (fixtures: lab, browser)
    ROOT, browser, lab, open_and_run_all, pytestmark, screenshot_and_close, wait_for_text)

SELECTOR = ".dragonn-contribution-explorer .dragonn-contribution-message"


def _row(text: str) -> int:
    match = re.search(r"#(\d+) ", text)
    assert match, f"no sequence number in {text!r}"
    return int(match.group(1))


def test_notebook_09_contribution_explorer_moves_to_another_sequence(browser, lab):  # noqa: F811
    if not (ROOT / "notebooks" / "09_real_data.ipynb").exists():
        pytest.skip("notebook 09 not present")
    page, widget = open_and_run_all(browser, lab, "09_real_data.ipynb", "dragonn-contribution-explorer",
                                    timeout_ms=400_000)
    assert "Error displaying widget" not in page.content()
    wait_for_text(page, SELECTOR, "hits: pos_")        # starts on a sequence with a MoDISco hit
    first = _row(page.locator(SELECTOR).inner_text())
    readout = page.locator(".dragonn-contribution-explorer .dragonn-contribution-index .widget-readout")
    readout.click()
    readout.evaluate("el => { el.textContent = '1'; }")
    readout.press("Enter")
    # the notebook ran only up to the widget, so the kernel answers at once
    page.wait_for_function(
        f"!document.querySelector({SELECTOR!r}).innerText.includes('#{first} ')", timeout=400_000)
    second = _row(page.locator(SELECTOR).inner_text())
    assert second > first
    assert page.locator(".dragonn-contribution-explorer .jp-OutputArea-output img, "
                        ".dragonn-contribution-explorer img").count() >= 1
    screenshot_and_close(page, widget, "notebook09_widget")
