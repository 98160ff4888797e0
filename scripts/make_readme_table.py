"""Generate the README's notebook table and the notebooks' shared setup cell
from one repository constant.

    python scripts/make_readme_table.py          # rewrite README.md between the markers
    python scripts/make_readme_table.py --check  # exit 1 if README.md is out of date
"""
from __future__ import annotations

import sys
from pathlib import Path

# The one place the repository's address lives. Change it when the project moves.
REPOSITORY = "dragonn-tutorial/dragonn_tutorial"
BRANCH = "main"
REPOSITORY_URL = f"https://github.com/{REPOSITORY}"

ROOT = Path(__file__).resolve().parents[1]

NOTEBOOKS = [
    ("00_getting_started", "Getting started", "Jupyter, Colab and Binder; the device check; DNA as one-hot", "< 1 min"),
    ("01_pssm_scoring", "From PWM to convolution", "PWM, information content, PSSM; scanning is a convolution; PSSM and k-mer baselines; auROC vs auPRC", "~1 min"),
    ("02_simulations", "Simulated regulatory DNA", "the six motif grammars, their parameters, ground-truth sites, splits; the pair's orientation and the 2016 strand shortcut", "< 1 min"),
    ("03_shallow_cnn", "A shallow CNN", "the CNN in plain Keras; loss, gradient, backpropagation, Adam; early stopping and learning curves; filters vs a null; activations", "~2 min"),
    ("04_deep_cnn", "Going deeper", "deep vs shallow on the heterodimer grammar; receptive fields; the workshop's numbers in both orientations", "~1.5 min"),
    ("05_interpretation", "Interpretation", "ISM, gradient x input, DeepLIFT and references, scored against the true sites", "~2 min"),
    ("06_architectures", "Architectures", "convolution arithmetic, receptive field, operations; DeepBind, dilated, residual, RNN/LSTM and DanQ compared where they differ", "~1 min"),
    ("07_training_in_practice", "Training in practice", "optimisers and learning rates, activations, over-fitting and regularisation, cross-validation, imbalance, why the negative set matters, hyperparameter search", "~1 min"),
    ("08_multitask_multimodal", "Beyond one label", "multi-task learning, regression on signal values, sequence + chromatin accessibility, transfer learning", "~1 min"),
    ("09_real_data", "Real ChIP-seq data", "real peaks vs gkm-SVM, TF-MoDISco motifs named against JASPAR, variant effects, the command line", "< 1 min (the first run on a machine adds a one-time numba compile)"),
]

START, END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"

SETUP_CELL = f'''# Setup: on Google Colab this installs the workbook's package; elsewhere it does nothing.
import sys
if "google.colab" in sys.modules:
    import subprocess
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "dragonn_tutorial @ git+{REPOSITORY_URL}@{BRANCH}"], check=True)
    from google.colab import output
    output.enable_custom_widget_manager()'''


def existing_notebooks():
    return [nb for nb in NOTEBOOKS if (ROOT / "notebooks" / f"{nb[0]}.ipynb").exists()]


def table() -> str:
    rows = ["| # | notebook | what it teaches | CPU time | launch |", "|---|---|---|---|---|"]
    for stem, title, teaches, time in existing_notebooks():
        path = f"notebooks/{stem}.ipynb"
        binder = (f"https://mybinder.org/v2/gh/{REPOSITORY}/{BRANCH}?urlpath=lab/tree/{path}")
        colab = f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/{path}"
        launch = (f"[![Binder](https://mybinder.org/badge_logo.svg)]({binder}) "
                  f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab})")
        rows.append(f"| {stem[:2]} | [{title}]({path}) | {teaches} | {time} | {launch} |")
    return "\n".join(rows)


def render(readme: str) -> str:
    if START not in readme or END not in readme:
        raise SystemExit(f"README.md lacks the markers {START} / {END}")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main(argv):
    path = ROOT / "README.md"
    current = path.read_text()
    new = render(current)
    if "--check" in argv:
        if new != current:
            print("README.md's notebook table is out of date: run `make readme`.")
            return 1
        return 0
    path.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
