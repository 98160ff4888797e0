"""How the public API answers invalid input: the table of outcomes per category.

    python benchmarks/fuzz_report.py [--details]

Runs every case of ``tests/fuzz_cases.py`` (invalid inputs to sequences,
motifs, simulations, metrics, baselines, plotting and ``set_seed``) and of
``tests/fuzz_cases_models.py`` (models, training, simulations_extra, datasets;
``--models`` prints that part alone) and ``tests/fuzz_cases_attribution.py`` (ISM and
variant effects, gradients, DeepLIFT, references, filters, motif recovery) and counts
the outcomes: a clear error (ValueError/TypeError/KeyError whose message names
the parameter), a vague one (right type, parameter not named), an unexpected
exception type, or a silent result (no error at all). ``--details`` lists
every case that is not clear.
"""
from __future__ import annotations

import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import fuzz_cases  # noqa: E402
import fuzz_cases_attribution  # noqa: E402
import fuzz_cases_models  # noqa: E402

KINDS = ("clear", "vague", "unexpected", "silent")


def main(details: bool = False, models_only: bool = False) -> int:
    t0 = time.perf_counter()
    rows, problems = {}, []
    cases = fuzz_cases_models.CASES if models_only else (fuzz_cases.CASES + fuzz_cases_models.CASES
                                                          + fuzz_cases_attribution.CASES)
    for case in cases:
        kind, text = fuzz_cases.outcome(case)
        rows.setdefault(case.category, Counter())[kind] += 1
        if kind != "clear":
            problems.append((case.category, case.label, kind, text))
    total = Counter()
    print(f"| {'category':<15} | {'cases':>5} | {'clear errors':>12} | {'vague errors':>12} | "
          f"{'unexpected exceptions':>21} | {'silent results':>14} |")
    print(f"|{'-' * 17}|{'-' * 7}|{'-' * 14}|{'-' * 14}|{'-' * 23}|{'-' * 16}|")
    for category in fuzz_cases.CATEGORIES + fuzz_cases_models.CATEGORIES:
        c = rows.get(category, Counter())
        total.update(c)
        print(f"| {category:<15} | {sum(c.values()):>5} | {c['clear']:>12} | {c['vague']:>12} | "
              f"{c['unexpected']:>21} | {c['silent']:>14} |")
    print(f"| {'total':<15} | {sum(total.values()):>5} | {total['clear']:>12} | {total['vague']:>12} | "
          f"{total['unexpected']:>21} | {total['silent']:>14} |")
    print(f"\n{len(cases)} invalid inputs tried in {time.perf_counter() - t0:.1f} s.")
    if details or problems:
        for category, label, kind, text in problems:
            print(f"  [{kind}] {category}: {label} -> {text}")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main("--details" in sys.argv, "--models" in sys.argv))
