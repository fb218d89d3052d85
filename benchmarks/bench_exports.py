"""Export times: the whole shipped bank in every format, and 10,000 questions in every format.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_exports.py`). Prints figures for the
issue note (targets: shipped bank, all four formats, under 1 s in total; 10,000 questions under
10 s); nothing here asserts a time.
"""
from __future__ import annotations

import dataclasses
import time

from nukedu import load_bank
from nukedu.export import FORMATS, export
from nukedu.model import Bank, Question


def synthetic(bank: Bank, n: int) -> list[Question]:
    """`n` copies of the shipped questions, each with an id of its own (every type, real texts)."""
    base = bank.questions
    return [dataclasses.replace(base[i % len(base)], id=f"{base[i % len(base)].id}-copy{i}") for i in range(n)]


def best_of(repeats: int, fmt: str, questions, bank: Bank) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(repeats):
        start = time.perf_counter()
        size = len(export(fmt, questions, bank).data)
        best = min(best, time.perf_counter() - start)
    return best, size


def report(label: str, questions, bank: Bank, repeats: int) -> float:
    total = 0.0
    print(f"{label} ({len(questions)} questions), best of {repeats}:")
    for fmt in FORMATS:
        seconds, size = best_of(repeats, fmt, questions, bank)
        total += seconds
        print(f"  {fmt:<7} {seconds:7.3f} s  {size / 1e6:6.2f} MB")
    print(f"  total   {total:7.3f} s")
    return total


def main() -> None:
    bank = load_bank()
    start = time.perf_counter()
    for fmt in FORMATS:  # first use pays the imports (genanki); the figures below are warm
        export(fmt, bank.questions, bank)
    print(f"first export of the shipped bank in every format, imports included: {time.perf_counter() - start:.3f} s")
    report("shipped bank, every format", bank.questions, bank, repeats=5)
    report("10,000 synthetic questions, every format", synthetic(bank, 10_000), bank, repeats=2)


if __name__ == "__main__":
    main()
