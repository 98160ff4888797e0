"""Tiny timing helpers shared by the benchmark scripts (best and median of repeats)."""
from __future__ import annotations

import statistics
import time


def measure(fn, repeats: int = 5, warmup: int = 1) -> dict:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return {"best": min(times), "median": statistics.median(times)}


def print_table(rows, title: str) -> None:
    print(f"\n{title}")
    print(f"| {'what':<58} | {'best (s)':>9} | {'median (s)':>10} | {'target':>10} |")
    print(f"|{'-' * 60}|{'-' * 11}|{'-' * 12}|{'-' * 12}|")
    for what, t, target in rows:
        print(f"| {what:<58} | {t['best']:>9.3f} | {t['median']:>10.3f} | {target:>10} |")
