"""Open notebooks in JupyterLab in headless Chromium, run all cells, and use their widgets.

Needs Debian's Chromium (`apt-get install chromium`); skipped, saying so, without it.
Screenshots go to test-artifacts/.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium not found: install Debian's chromium "
                       "(sudo apt-get install chromium) to run the browser test"),
]

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    for nb in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, root / nb.name)  # run copies: autosave never touches the committed notebooks
    port, token = free_port(), uuid.uuid4().hex
    # Render every cell (JupyterLab 4 otherwise leaves off-screen cells out of the page).
    settings = root / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(root / ".jupyter"),
               JUPYTERLAB_SETTINGS_DIR=str(root / ".settings"),
               MPLBACKEND="module://matplotlib_inline.backend_inline")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True"] + (["--allow-root"] if os.geteuid() == 0 else []),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("JupyterLab exited during start-up")
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def wait_for_text(page, selector: str, text: str, timeout_ms: int = 30_000):
    """Wait until the element's visible text contains ``text`` (the kernel answered)."""
    page.wait_for_function(f"document.querySelector({selector!r}).innerText.includes({text!r})",
                           timeout=timeout_ms)


def screenshot_and_close(page, widget, name: str):
    """Keep a picture of the widget (test artifacts) and close the page."""
    ARTIFACTS.mkdir(exist_ok=True)
    widget.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.close()


# The cell that shows each notebook's widget (a piece of its source). The browser runs the
# notebook up to and including it: nbval already runs every cell, and widget messages
# would otherwise queue behind the slow cells that follow.
WIDGET_CELL = {
    "00_getting_started.ipynb": "widgets.sequence_explorer(",
    "01_pssm_scoring.ipynb": "widgets.motif_explorer(",  # after the threshold explorer
    "02_simulations.ipynb": "widgets.simulation_explorer(",
    "03_shallow_cnn.ipynb": "widgets.training_explorer(",
    "05_interpretation.ipynb": "widgets.attribution_explorer(",
    "06_architectures.ipynb": "wa.architecture_explorer(",
    "07_training_in_practice.ipynb": "widgets_training.training_playground(",
    "08_multitask_multimodal.ipynb": "widgets_multimodal.multimodal_explorer(",
    "09_real_data.ipynb": "widgets_real_data.contribution_explorer(",
}


def widget_cell_index(notebook: str) -> int | None:
    """Index (all cells) of the last cell holding WIDGET_CELL[notebook], or None (run all)."""
    import json

    text = WIDGET_CELL.get(notebook)
    cells = json.loads((ROOT / "notebooks" / notebook).read_text())["cells"]
    found = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and text and text in "".join(c["source"])]
    assert text is None or found, f"{notebook}: no cell contains {text!r} (update WIDGET_CELL)"
    return found[-1] if found and found[-1] + 1 < len(cells) else None


def open_and_run_all(browser, lab, notebook: str, widget_class: str, timeout_ms: int = 180_000):
    """Open the notebook and run every cell up to and including its widget's cell."""
    base, token = lab
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    page.goto(f"{base}/lab/tree/{notebook}?reset&token={token}")  # reset: no restored tabs
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    page.wait_for_function(
        "(() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        f" if (!w || !w.context || !w.context.path.endsWith({notebook!r})) return false;"
        " const k = w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return !!k && k.status === 'idle'; })()", timeout=120_000)
    last = widget_cell_index(notebook)
    if last is None:
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    else:  # select the cell after the widget's and run everything above it
        page.evaluate(f"window.jupyterapp.shell.currentWidget.content.activeCellIndex = {last + 1}")
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-above')")
    try:
        widget = page.wait_for_selector(f".{widget_class}", timeout=timeout_ms)
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{notebook}-failure.png"))
        raise
    return page, widget


def test_notebook_00_sequence_widget_renders_and_reacts(browser, lab):
    page, widget = open_and_run_all(browser, lab, "00_getting_started.ipynb", "dragonn-sequence-explorer")
    assert widget.is_visible()
    assert "Error displaying widget" not in page.content()
    message = page.locator(".dragonn-sequence-explorer .dragonn-sequence-message")
    message.wait_for()
    assert "ATATCGTTATCC" in message.inner_text()
    box = page.locator(".dragonn-sequence-explorer .dragonn-sequence-input input")
    box.fill("TTTTGGGGA")
    wait_for_text(page, ".dragonn-sequence-explorer .dragonn-sequence-message", "TCCCCAAAA")
    box.fill("GGXT")
    wait_for_text(page, ".dragonn-sequence-explorer .dragonn-sequence-message", "invalid character")
    screenshot_and_close(page, widget, "notebook00_widget")


def test_notebook_02_simulation_widget_renders_and_reacts(browser, lab):
    if not (ROOT / "notebooks" / "02_simulations.ipynb").exists():
        pytest.skip("notebook 02 not present")
    page, widget = open_and_run_all(browser, lab, "02_simulations.ipynb", "dragonn-simulation-explorer")
    assert "Error displaying widget" not in page.content()
    stats = page.locator(".dragonn-simulation-explorer .dragonn-simulation-message")
    stats.wait_for()
    before = stats.inner_text()
    assert "sites per sequence" in before
    select = page.locator(".dragonn-simulation-explorer select").first
    select.select_option("simulate_motif_counting")
    page.wait_for_function(
        f"document.querySelector('.dragonn-simulation-explorer .dragonn-simulation-message').innerText !== {before!r}",
        timeout=30_000)
    assert stats.inner_text() != before
    screenshot_and_close(page, widget, "notebook02_widget")


def test_notebook_01_motif_and_threshold_widgets_render_and_react(browser, lab):
    page, widget = open_and_run_all(browser, lab, "01_pssm_scoring.ipynb", "dragonn-motif-explorer")
    assert "Error displaying widget" not in page.content()
    threshold = page.locator(".dragonn-threshold-explorer .dragonn-threshold-message")
    threshold.wait_for()
    assert "precision" in threshold.inner_text() and "FDR" in threshold.inner_text()
    message = page.locator(".dragonn-motif-explorer .dragonn-motif-message")
    message.wait_for()
    assert "GATA_disc1: width 10" in message.inner_text()
    box = page.locator(".dragonn-motif-explorer .dragonn-motif-input input")
    box.fill("CTCF")  # not a full name: the panel suggests names instead of failing
    wait_for_text(page, ".dragonn-motif-explorer .dragonn-motif-message", "Close matches")
    box.fill("CTCF_known1")
    wait_for_text(page, ".dragonn-motif-explorer .dragonn-motif-message", "CTCF_known1: width 19")
    screenshot_and_close(page, widget, "notebook01_widget")


def test_notebook_05_attribution_widget_renders_and_reacts(browser, lab):
    page, widget = open_and_run_all(browser, lab, "05_interpretation.ipynb", "dragonn-attribution-explorer",
                                    timeout_ms=420_000)
    assert "Error displaying widget" not in page.content()
    selector = ".dragonn-attribution-explorer .dragonn-attribution-message"
    message = page.locator(selector)
    message.wait_for()
    first = message.inner_text()
    assert "(positive)" in first and "SPI1_known4" in first and "IRF_known20" in first
    page.locator(".dragonn-attribution-explorer .dragonn-attribution-method select").select_option(
        "ISM (importance)")
    page.wait_for_function(f"document.querySelector({selector!r}).innerText !== {first!r}", timeout=30_000)
    page.locator(".dragonn-attribution-explorer button", has_text="negative").click()
    wait_for_text(page, selector, "(negative)")
    screenshot_and_close(page, widget, "notebook05_widget")


def test_notebook_03_training_widget_trains_on_click(browser, lab):
    page, widget = open_and_run_all(browser, lab, "03_shallow_cnn.ipynb", "dragonn-training-explorer",
                                    timeout_ms=420_000)
    assert "Error displaying widget" not in page.content()
    # The notebook ran only up to the widget: the click trains the model at once.
    selector = ".dragonn-training-explorer .dragonn-training-message"
    page.locator(".dragonn-training-explorer .dragonn-train-button").click()
    wait_for_text(page, selector, "test auROC", timeout_ms=400_000)
    assert "epochs in" in page.locator(selector).inner_text()
    screenshot_and_close(page, widget, "notebook03_widget")
