"""The package as a whole: import cost, seeding, environments, notebooks' setup cell, README."""
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def load_script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_import_does_not_import_tensorflow():
    code = ("import dragonn_tutorial, sys; import dragonn_tutorial.sequences, dragonn_tutorial.motifs, "
            "dragonn_tutorial.simulations, dragonn_tutorial.plotting, dragonn_tutorial.widgets; "
            "assert 'tensorflow' not in sys.modules, 'tensorflow was imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lazy_submodules_and_unknown_attribute():
    import dragonn_tutorial as dt

    assert dt.sequences.one_hot_encode("A").shape == (1, 1, 4)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        dt.nope


def test_set_seed_repeats_numpy_and_keras():
    import keras

    import dragonn_tutorial as dt

    def draw():
        return np.random.rand(3), keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).get_weights()[0]

    dt.set_seed(3)
    a = draw()
    dt.set_seed(3)
    b = draw()
    dt.set_seed(4)
    c = draw()
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    with pytest.raises(ValueError, match="seed must be in"):
        dt.set_seed(-1)


# ------------------------------------------------------------------ environments agree

def _name(req: str) -> str:
    name = re.split(r"[<>=!\[ ;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")
    return {"tensorflow-cpu": "tensorflow"}.get(name, name)  # Binder uses the CPU-only wheel


def pyproject():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def environment_yml():
    deps, inside = [], False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if not line.startswith(" "):
            inside = line.startswith("dependencies:")
        m = re.match(r"^\s+- (\S+)", line)
        if m and inside:
            deps.append(m.group(1))
    return {_name(d) for d in deps} - {"python", "pip"}


def binder_requirements():
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    return {_name(l) for l in lines if l.strip() and not l.startswith("#")}


def test_environments_are_consistent():
    project = pyproject()
    runtime = {_name(d) for d in project["dependencies"]}
    extras = project["optional-dependencies"]
    lab, test = {_name(d) for d in extras["lab"]}, {_name(d) for d in extras["test"]}
    assert {_name(d) for d in extras["gpu"]} == {"tensorflow"}
    # conda users get everything make lab/test installs; Binder gets what running the notebooks needs
    assert environment_yml() == runtime | lab | test
    assert binder_requirements() == runtime | lab


def test_environment_check_can_fail():
    # negative control: a package missing from Binder would be caught
    assert binder_requirements() - {"logomaker"} != {_name(d) for d in pyproject()["dependencies"]} | {"jupyterlab"}


def test_binder_installs_the_package():
    post = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post


# ------------------------------------------------------------------ notebooks and README

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_starts_with_the_setup_cell(path):
    setup = load_script("make_readme_table").SETUP_CELL
    nb = json.loads(path.read_text())
    first_code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    assert "".join(first_code["source"]) == setup
    assert nb["cells"][0]["cell_type"] == "markdown" and "Learning objectives" in "".join(nb["cells"][0]["source"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_executed_small_and_without_errors(path):
    nb = json.loads(path.read_text())
    outputs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", [])]
    assert outputs, "commit notebooks executed"
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert path.stat().st_size < 1_500_000
    code = [c for c in nb["cells"] if c["cell_type"] == "code"][1:]
    assert np.median([len("".join(c["source"]).splitlines()) for c in code]) <= 8
    # Figures are committed too (a notebook executed with MPLBACKEND=Agg would carry none).
    draws = sum("plt.show()" in "".join(c["source"]) for c in code)
    images = sum("image/png" in o.get("data", {}) for o in outputs)
    assert images >= min(draws, 1), f"{path.name}: {draws} cells call plt.show() but no figure was committed"


def test_readme_table_is_generated_and_current():
    script = load_script("make_readme_table")
    readme = (ROOT / "README.md").read_text()
    assert script.render(readme) == readme, "run `make readme`"
    for path in NOTEBOOKS:
        assert f"notebooks/{path.name}" in readme
    assert "make lab" in readme and "make test" in readme


def test_ci_calls_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
