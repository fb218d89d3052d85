"""Load+validate time for synthetic banks of 1k and 10k questions, and `import nukedu` time.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_load.py`). Prints figures
for the issue note; nothing here asserts a time.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = (REPO / "tests" / "data" / "mini_bank" / "questions" / "sample.yaml").read_text(encoding="utf-8")
HEADER, _, BODY = SAMPLE.partition("questions:\n")


def synthetic_bank(root: Path, n_questions: int, per_file: int = 500) -> None:
    """Copies of the eight sample questions with fresh ids, spread over files of `per_file`."""
    (root / "questions").mkdir(parents=True)
    blocks = re.split(r"(?m)^(?=  - id: )", BODY)
    blocks = [b for b in blocks if b.strip()]
    made = 0
    file_no = 0
    while made < n_questions:
        parts = []
        for _ in range(min(per_file, n_questions - made)):
            block = blocks[made % len(blocks)]
            parts.append(re.sub(r"id: sample-([a-z-]+)", lambda m: f"id: q{made}-{m.group(1)}", block, count=1))
            made += 1
        header = HEADER.replace("topic: sample", f"topic: topic-{file_no}")
        (root / "questions" / f"t{file_no:03}.yaml").write_text(header + "questions:\n" + "".join(parts), encoding="utf-8")
        file_no += 1


def time_load(n: int, repeats: int = 3) -> tuple[float, float]:
    from nukedu import load_bank

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        synthetic_bank(root, n)
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            bank = load_bank(root)
            best = min(best, time.perf_counter() - start)
        assert len(bank.questions) == n
        tracemalloc.start()
        load_bank(root)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return best, peak / 1e6


def import_time_ms() -> float:
    """Total self+cumulative of `nukedu` from `python -X importtime`, best of 5."""
    best = float("inf")
    for _ in range(5):
        err = subprocess.run([sys.executable, "-X", "importtime", "-c", "import nukedu"],
                             capture_output=True, text=True, check=True).stderr
        line = next(l for l in err.splitlines() if l.rstrip().endswith("| nukedu"))
        best = min(best, int(line.split("|")[1]) / 1000)
    return best


def main() -> None:
    print(f"import nukedu: {import_time_ms():.1f} ms (cumulative, python -X importtime, best of 5)")
    results = {}
    for n in (1_000, 10_000):
        seconds, peak = time_load(n)
        results[n] = seconds
        print(f"load+validate {n:>6} questions: {seconds:.3f} s  ({seconds / n * 1e6:.0f} µs/question, peak {peak:.0f} MB traced)")
    print(f"10k/1k time ratio: {results[10_000] / results[1_000]:.2f} (10.0 = linear)")


if __name__ == "__main__":
    main()
