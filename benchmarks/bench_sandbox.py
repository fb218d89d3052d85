"""Zygote start time and per-task overhead of the code-task sandbox.

Run: `.venv/bin/python benchmarks/bench_sandbox.py [--mode auto|namespaces|user-namespace|limits-only] [-n 50]`.
Prints figures for the issue note; nothing here asserts a time. "run" is what
`Sandbox.run` costs the grader; "in child" is the zygote's own clock from fork
to the child's exit, so the difference is the protocol and the clean-up.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nukedu.assign.sandbox import CodeTask, Sandbox  # noqa: E402

GIVEN = "import nukedu\nimport plotly.graph_objects as go\nbank = nukedu.load_bank()\n"
TASKS = {
    "trivial (x = 1, no given code)": CodeTask(given="", code="x = 1", results={"x": "int"}),
    "bank + plotly figure": CodeTask(
        given=GIVEN,
        code="first_year = min(e.date.year for e in bank.events)\n"
             "years = sorted({e.date.year for e in bank.events})\n"
             "fig = go.Figure(go.Bar(x=[str(y) for y in years], y=[sum(e.date.year == y for e in bank.events) for y in years]))\n",
        results={"first_year": "int", "fig": "figure"},
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="auto")
    parser.add_argument("-n", type=int, default=50, help="tasks per kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bank = Path(tmp) / "bank"
        shutil.copytree(REPO / "tests" / "data" / "mini_bank", bank)
        with Sandbox(bank_dir=bank, isolation=args.mode) as box:
            started = time.perf_counter()
            box.start()
            print(f"isolation: {box.isolation}{' (with a warning)' if box.warning else ''}")
            print(f"zygote start (imports, bank copy, mounts): {1000 * (time.perf_counter() - started):7.1f} ms")
            for name, task in TASKS.items():
                box.run(task)  # the first run may still touch cold pages
                runs, inside = [], []
                for _ in range(args.n):
                    t = time.perf_counter()
                    out = box.run(task)
                    runs.append(1000 * (time.perf_counter() - t))
                    inside.append(1000 * out.seconds)
                    assert not out.error and not out.problems, out
                print(f"{name:<32} run: median {statistics.median(runs):6.1f} ms, p90 {_p90(runs):6.1f} ms;"
                      f"  in child: median {statistics.median(inside):6.1f} ms  (n={args.n})")


def _p90(values: list[float]) -> float:
    return sorted(values)[int(0.9 * (len(values) - 1))]


if __name__ == "__main__":
    main()
