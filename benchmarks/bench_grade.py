"""Per-submission grading time: real `nbgrader autograde` against `nukedu assignment grade`, in one run.

Run: `.venv/bin/python benchmarks/bench_grade.py [--class-size 200] [--nbgrader 4] [--big 1000]`.

Two classes are built from the shipped bank: a quiz-only assignment (ten bank
questions and an essay) and the shipped `a1-beginnings` (with a code task).
Each student hands in the release notebook with seeded random answers, some
right, some wrong. nbgrader autogrades the first few students (it takes about
2 s each, so a handful gives its per-submission time); nukedu grades the
whole class, so its start-up is amortised as it would be in a real class.
Prints the figures and the ratios for the issue note; nothing asserts a time.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

QUIZ_SPEC = """
name: quiz10
title: Ten questions
instructions: Answer every question.
seed: 11
parts:
  - questions: {types: [single], n: 3}
  - questions: {types: [multiple, true_false], n: 2}
  - questions: {types: [numeric, short_text], n: 2}
  - questions: {types: [ordering, matching], n: 3}
  - essay:
      prompt: Why did Ukraine seek NATO membership?
      rubric:
        - {criterion: Gives two reasons from the course, points: 2}
"""


def _answers(assignment, seed: int, rng: random.Random) -> dict[str, str]:
    from nukedu.assign.notebook import letter_view
    from nukedu.assign.spec import BankItem, CodeItem

    out = {}
    for item in assignment.items:
        if isinstance(item, BankItem):
            view = letter_view(item, seed)
            value = view.correct
            if rng.random() < 0.4 and view.choices:
                value = rng.choice(view.choices) if view.kind == "single" else value
            out[f"{item.name}-answer"] = f"{item.variable} = {value!r}"
        elif isinstance(item, CodeItem):
            out[f"{item.name}-answer"] = item.part.solution if rng.random() < 0.7 else "\n".join(f"{r.name} = 0" for r in item.part.results)
        else:
            out[f"{item.name}-answer"] = "Because the assurances of 1994 were not guarantees. " * 3
    return out


def _class(course: Path, assignment, seed: int, n: int) -> None:
    release = json.loads((course / "release" / assignment.name / f"{assignment.name}.ipynb").read_text())
    rng = random.Random(seed)
    for i in range(n):
        nb = json.loads(json.dumps(release))
        answers = _answers(assignment, assignment.spec.seed, rng)
        for cell in nb["cells"]:
            if cell.get("id") in answers:
                cell["source"] = answers[cell["id"]]
        folder = course / "submitted" / f"s{i:04d}" / assignment.name
        folder.mkdir(parents=True)
        (folder / f"{assignment.name}.ipynb").write_text(json.dumps(nb))


def _nbgrader_per_submission(course: Path, name: str, k: int) -> float:
    from nukedu.assign import _nbgrader

    times = []
    with _nbgrader.session(course) as api:
        for i in range(k):
            start = time.perf_counter()
            result = api.autograde(name, f"s{i:04d}", force=True, create=True)
            times.append(time.perf_counter() - start)
            if not result.get("success"):
                print(f"  nbgrader autograde failed for s{i:04d}: {result.get('error', '')[-300:]}")
    return sum(times) / len(times)


def _nukedu_per_submission(course: Path, name: str, jobs: int) -> tuple[float, float]:
    from nukedu.assign.grade import grade_assignment

    start = time.perf_counter()
    summary = grade_assignment(course, name, jobs=jobs)
    total = time.perf_counter() - start
    return total / len(summary.rows), total


def _measure(label: str, spec, bank, base: Path, class_size: int, k_nbgrader: int, jobs: int) -> None:
    from nukedu.assign.build import build_assignments
    from nukedu.assign.spec import resolve

    ours_course = base / f"{spec.name}-nukedu"
    theirs_course = base / f"{spec.name}-nbgrader"
    build_assignments([spec], bank, ours_course)
    assignment = resolve(spec, bank)
    _class(ours_course, assignment, 1, class_size)
    shutil.copytree(ours_course, theirs_course)
    nbgrader_s = _nbgrader_per_submission(theirs_course, spec.name, k_nbgrader)
    ours_s, ours_total = _nukedu_per_submission(ours_course, spec.name, jobs)
    print(f"{label}:")
    print(f"  nbgrader autograde: {nbgrader_s * 1000:8.1f} ms per submission (mean of {k_nbgrader})")
    print(f"  nukedu grade:       {ours_s * 1000:8.1f} ms per submission ({class_size} students in {ours_total:.2f} s, --jobs {jobs})")
    print(f"  ratio:              {nbgrader_s / ours_s:8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--class-size", type=int, default=200)
    parser.add_argument("--nbgrader", type=int, default=4, help="students nbgrader autogrades (about 2 s each)")
    parser.add_argument("--big", type=int, default=1000, help="size of the quiz-only class timed on its own")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    os.environ.setdefault("JUPYTER_CONFIG_DIR", tempfile.mkdtemp(prefix="nukedu-bench-jupyter-"))
    from nukedu import load_bank
    from nukedu.assign.build import build_assignments
    from nukedu.assign.spec import load_spec, parse_spec, resolve

    bank = load_bank()
    with tempfile.TemporaryDirectory(prefix="nukedu-bench-grade-") as tmp:
        base = Path(tmp)
        _measure("Quiz-only assignment (10 bank questions + essay)", parse_spec(QUIZ_SPEC, "quiz10.yaml"), bank, base,
                 args.class_size, args.nbgrader, args.jobs)
        _measure("a1-beginnings (8 bank questions, a code task, an essay)", load_spec(REPO / "assignments" / "a1-beginnings.yaml"),
                 bank, base, args.class_size, args.nbgrader, args.jobs)
        spec = parse_spec(QUIZ_SPEC.replace("name: quiz10", "name: big"), "big.yaml")
        course = base / "big"
        build_assignments([spec], bank, course)
        _class(course, resolve(spec, bank), 2, args.big)
        per, total = _nukedu_per_submission(course, "big", args.jobs)
        print(f"{args.big} quiz-only submissions: {total:.2f} s with --jobs {args.jobs} ({per * 1000:.1f} ms each)")


if __name__ == "__main__":
    main()
