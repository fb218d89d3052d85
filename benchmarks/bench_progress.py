"""What remembering costs: recording an attempt, resuming a quiz, and the dashboard over a long history.

Run: `.venv/bin/python benchmarks/bench_progress.py [--attempts 100000]`.

Targets from issue 14: recording an attempt ≤ 2 ms; restoring a 50-question
quiz ≤ 50 ms; `progress()` over 100,000 recorded attempts ≤ 1 s. Each figure
is the median of several runs on a fresh temporary store (WAL on local disk).
Prints figures only; nothing asserts a time.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nukedu-bench-progress-"))
    os.environ["NUKEDU_PROGRESS"] = str(folder / "progress.sqlite")

    import nukedu
    from nukedu.learner import recorder
    from nukedu.learner.history import question_hash
    from nukedu.learner.store import AttemptRecord
    from nukedu.loader import shipped_bank
    from nukedu.tutor import Tutor
    from nukedu.widgets.session import quiz

    bank = shipped_bank()
    singles = [q for q in bank.questions if q.type == "single"]

    # 1. recording: one check of a card, as the card's hook does it (the first call opens the file and imports fsrs)
    recorder.record(Tutor(singles[0]), {"event": "hint", "place": "warm"})
    samples = []
    for i in range(500):
        tutor = Tutor(singles[i % len(singles)])
        tutor.check(tutor.question.options[i % len(tutor.question.options)])
        start = time.perf_counter()
        recorder.record(tutor, {"event": "check", "place": f"bench@{i}"})
        samples.append(time.perf_counter() - start)
    print(f"record one check (incl. the FSRS review when it finishes the card): median {median_ms(samples):.2f} ms, "
          f"p95 {sorted(samples)[int(0.95 * len(samples))] * 1000:.2f} ms (target ≤ 2 ms)")

    # 2. restoring a 50-question quiz: answer every question, forget everything in memory, build it again
    first = quiz(n=50, seed=7)
    for i in range(50):
        first.go(i)
        q = first.questions[i]
        if q.type == "single":
            first.check(q.options[0])
        elif q.type == "multiple":
            first.check([q.options[0]])
        else:
            first.give_up()
    first.go(31)
    times, fresh = [], []
    for _ in range(args.repeat):
        recorder.close_all()
        start = time.perf_counter()
        back = quiz(n=50, seed=7)
        times.append(time.perf_counter() - start)
        missing = [i for i in range(50) if not (back.tutor(i).attempts or back.tutor(i).given_up)]
        assert back.index == 31 and not missing, (back.index, missing)
        recorder.close_all()
        start = time.perf_counter()
        quiz(n=50, seed=8)
        fresh.append(time.perf_counter() - start)
    print(f"restore a 50-question quiz (all answered, position 32): median {median_ms(times):.1f} ms; "
          f"a new 50-question quiz: {median_ms(fresh):.1f} ms (target ≤ 50 ms)")

    # 3. the dashboard over a long history
    store = recorder.active_store()
    gen = random.Random(1)
    questions = bank.questions
    t0 = time.time() - 120 * 86400
    batch = []
    for i in range(args.attempts):
        q = questions[gen.randrange(len(questions))]
        batch.append(AttemptRecord(learner=store.learner, question_id=q.id, question_hash=question_hash(q),
                                   place=f"quiz:{i % 40}@course/0{i % 7 + 1}.ipynb", event="check",
                                   response="x", status=gen.choice(["correct", "incorrect", "partial"]), points=0.0,
                                   max_points=1.0, at=t0 + i * 100, notebook=f"course/0{i % 7 + 1}.ipynb", topic=q.topic))
    store.merge(batch)
    import plotly.graph_objects  # noqa: F401  (its import is paid once per kernel, reported apart)

    samples = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        board = nukedu.progress()
        board._repr_mimebundle_()
        samples.append(time.perf_counter() - start)
    print(f"progress() over {store.count():,} records, figure included: median {median_ms(samples):.0f} ms "
          f"(target ≤ 1000 ms); {board.summary.answered} questions, {len(board.summary.days)} days")
    recorder.close_all()
    print(f"file size: {(folder / 'progress.sqlite').stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
