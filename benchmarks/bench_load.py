"""Load+validate time for synthetic banks of 1k and 10k questions, `import nukedu` time, and the bank cache.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_load.py`). Prints figures
for the issue note; nothing here asserts a time.
"""
from __future__ import annotations

import os
import re
import shutil
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
    """Load+validate itself: with the bank cache off, every repeat parses."""
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


LOAD_IN_NEW_PROCESS = (
    "import sys, time; from nukedu.loader import load_bank; t = time.perf_counter(); "
    "bank = load_bank(sys.argv[1] or None); print(time.perf_counter() - t, len(bank.questions))"
)


def load_in_new_process(path: Path | None, env: dict[str, str]) -> float:
    """Seconds `load_bank(path)` takes in a fresh interpreter, its imports excluded (None: the shipped bank)."""
    args = [sys.executable, "-c", LOAD_IN_NEW_PROCESS, str(path) if path else ""]
    out = subprocess.run(args, capture_output=True, text=True, check=True, env={**os.environ, **env}).stdout
    return float(out.split()[0])


def time_cache(path: Path | None, repeats: int = 3) -> dict[str, float]:
    """Best of `repeats` new processes each: no cache, cold (empty cache: load and write) and warm (read)."""
    times = {"no cache": float("inf"), "cold": float("inf"), "warm": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        for _ in range(repeats):
            times["no cache"] = min(times["no cache"], load_in_new_process(path, {"NUKEDU_NO_CACHE": "1"}))
            shutil.rmtree(cache, ignore_errors=True)
            env = {"NUKEDU_CACHE_DIR": str(cache), "NUKEDU_NO_CACHE": ""}
            times["cold"] = min(times["cold"], load_in_new_process(path, env))
            for _ in range(2):
                times["warm"] = min(times["warm"], load_in_new_process(path, env))
    return times


def report_cache(name: str, times: dict[str, float]) -> None:
    print(f"{name}: no cache {times['no cache']:.3f} s, cold {times['cold']:.3f} s (load + write), "
          f"warm {times['warm']:.4f} s (new process, disk cache): "
          f"{times['no cache'] / times['warm']:.1f}x faster than no cache, {times['cold'] / times['warm']:.1f}x than cold")


def main() -> None:
    os.environ["NUKEDU_NO_CACHE"] = "1"  # time_load measures parsing; time_cache turns the cache on where it wants it
    print(f"import nukedu: {import_time_ms():.1f} ms (cumulative, python -X importtime, best of 5)")
    results = {}
    for n in (1_000, 10_000):
        seconds, peak = time_load(n)
        results[n] = seconds
        print(f"load+validate {n:>6} questions: {seconds:.3f} s  ({seconds / n * 1e6:.0f} µs/question, peak {peak:.0f} MB traced)")
    print(f"10k/1k time ratio: {results[10_000] / results[1_000]:.2f} (10.0 = linear)")
    print("bank cache, load_bank() in a new process (imports excluded), best of 3:")
    report_cache("  shipped bank", time_cache(None))
    with tempfile.TemporaryDirectory() as tmp:
        synthetic_bank(Path(tmp), 10_000)
        report_cache("  10k synthetic", time_cache(Path(tmp)))


if __name__ == "__main__":
    main()
