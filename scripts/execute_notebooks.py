"""Execute notebooks in place (as committed: with outputs), dropping TensorFlow's
start-up log lines from stderr outputs so the committed notebooks stay readable.

    python scripts/execute_notebooks.py notebooks/00_getting_started.ipynb [...]
    python scripts/execute_notebooks.py            # all notebooks
"""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
# absl/TF C++ log lines: "I0000 00:00:...", "E0000 ...", "W0000 ...", and absl's preamble
_TF_LOG = re.compile(r"^([IWE]\d{4} \d\d:\d\d:[\d.]+\s+\d+ \S+\] .*|WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR|To enable the following instructions: .*)$")


def clean(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                text = "".join(line for line in out["text"].splitlines(keepends=True)
                               if not _TF_LOG.match(line.rstrip("\n")))
                if not text.strip():
                    continue
                out["text"] = text
            kept.append(out)
        cell["outputs"] = kept


# Committed notebooks must carry their figures: the kernel inherits this process's environment,
# and MPLBACKEND=Agg (set by the Makefile for tests) would leave every figure out.
os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"


def execute(path: Path, timeout: int = 900) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.perf_counter() - start
    clean(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv):
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        print(f"{path.name}: executed in {execute(path):.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
