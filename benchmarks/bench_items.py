"""What the item-analysis report costs: 1,000 students x 30 questions, from the matrix and from a graded course.

Run: `.venv/bin/python benchmarks/bench_items.py [--students 1000] [--questions 30] [--course]`.

Target from issue 18: a report for 1,000 students x 30 questions in under 2 s.
Part 1 times the report itself on a synthetic matrix of every question type
(the analysis, the HTML page with plotly.js inlined and one chart per
section, and the CSV), median of several runs. Part 2 (`--course`, about a
minute) builds a 30-question assignment from the shipped bank, hands in one
notebook per student, grades them, then times `nukedu assignment report`'s
work: reading every score (results and gradebook) and every answer
(statically), the analysis and the page; nbgrader's one-off import is timed apart. Prints
figures only; nothing asserts a time.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

KINDS = ("single", "multiple", "true_false", "numeric", "short_text", "ordering", "matching")


def synthetic(students: int, questions: int, seed: int = 18):  # type: ignore[no-untyped-def]
    """A class whose stronger students are right more often, with blanks and wrong answers of every kind."""
    from nukedu.analysis.items import ANSWERED, BLANK, Answer, Item, Responses, normalise_response

    rng = random.Random(seed)
    letters = ("A", "B", "C", "D")
    items = []
    for q in range(questions):
        kind = KINDS[q % len(KINDS)]
        key: object = {"single": "B", "multiple": ("A", "C"), "true_false": True, "numeric": 1994.0, "short_text": "bydgoszcz",
                       "ordering": ("C", "A", "B", "D"), "matching": (("1", "A"), ("2", "B"), ("3", "C"))}[kind]
        items.append(Item(id=f"q{q + 1}", label=f"Question {q + 1}", max_points=2.0 if kind in ("ordering", "matching") else 1.0,
                          kind=kind, question_id=f"bank-{q}", text=f"Prompt of question {q + 1} " * 3, choices=letters,
                          texts=tuple(f"option text {c}" for c in letters), key=key, lefts=("one", "two", "three")))
    rows = []
    for s in range(students):
        ability = rng.random()
        row = []
        for item in items:
            if rng.random() < 0.05:
                row.append(Answer(0.0, BLANK))
                continue
            right = rng.random() < 0.25 + 0.7 * ability
            if right:
                row.append(Answer(item.max_points, ANSWERED, item.key))
                continue
            wrong = {"single": rng.choice("ACD"), "multiple": (rng.choice("ABD"),), "true_false": False,
                     "numeric": float(rng.choice((1991, 1997, 2008))), "short_text": rng.choice(("kyiv", "warsaw", "brussels")),
                     "ordering": tuple(rng.sample(letters, 4)),
                     "matching": normalise_response("matching", {"1": rng.choice("ABCD"), "2": rng.choice("ABCD"), "3": "C"})}[item.kind]
            row.append(Answer(rng.choice((0.0, item.max_points / 2)) if item.max_points > 1 else 0.0, ANSWERED, wrong))
        rows.append(tuple(row))
    return Responses(items=tuple(items), students=tuple(f"s{s:04d}" for s in range(students)), answers=tuple(rows))


def time_report(data, repeat: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from nukedu.analysis.html import assignment_report_html
    from nukedu.analysis.items import analyse, items_csv

    assignment_report_html(analyse(data))   # warm: plotly's first import and plotly.js read from disk
    parts: dict[str, list[float]] = {"analysis": [], "html": [], "csv": [], "total": []}
    size = 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        a = analyse(data, title="bench")
        t1 = time.perf_counter()
        page = assignment_report_html(a)
        t2 = time.perf_counter()
        items_csv(a)
        t3 = time.perf_counter()
        parts["analysis"].append(t1 - t0)
        parts["html"].append(t2 - t1)
        parts["csv"].append(t3 - t2)
        parts["total"].append(t3 - t0)
        size = len(page.encode("utf-8"))
    out = {k: statistics.median(v) for k, v in parts.items()}
    out["bytes"] = size
    return out


def wrong_value(v, rng: random.Random):  # type: ignore[no-untyped-def]
    """A wrong answer in the form a student writes it (letters, a list, a dict, a number, a text)."""
    if v.kind == "single":
        return rng.choice([c for c in v.choices if c != v.correct])
    if v.kind == "multiple":
        return [rng.choice([c for c in v.choices if c not in v.correct])]
    if v.kind == "true_false":
        return not v.correct
    if v.kind == "numeric":
        return v.correct + rng.choice((1, -2, 10))
    if v.kind == "ordering":
        return rng.sample(list(v.correct), len(v.correct))
    if v.kind == "matching":
        return {k: rng.choice(v.choices) for k in v.correct}
    return rng.choice(("Brussels", "Kyiv", "Warsaw"))


COURSE_SPEC = """
name: bench30
title: Thirty questions
instructions: Answer every question.
seed: 5
parts:
  - questions: {{types: [single, multiple, true_false, numeric, short_text, ordering, matching], n: {n}}}
"""


def course_run(students: int, questions: int, keep: bool = False) -> None:
    """Part 2: a real course, graded, then what `nukedu assignment report` does, timed step by step."""
    base = Path(tempfile.mkdtemp(prefix="nukedu-bench-items-"))
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
        os.environ[name] = str(base / name.lower())
    t = time.perf_counter()
    import nbgrader.api  # noqa: F401  - the one-off import every gradebook reader pays
    print(f"  import nbgrader (once per process): {time.perf_counter() - t:.2f} s")
    from nukedu import load_bank
    from nukedu.assign.build import build_assignments
    from nukedu.assign.grade import grade_assignment
    from nukedu.assign.notebook import letter_view
    from nukedu.assign.spec import parse_spec, resolve

    spec = parse_spec(COURSE_SPEC.format(n=questions), "bench30.yaml")
    bank = load_bank()
    course = base / "course"
    build_assignments([spec], bank, course)
    assignment = resolve(spec, bank)
    release = json.loads((course / "release" / spec.name / f"{spec.name}.ipynb").read_text())
    views = {i.name: letter_view(i, spec.seed) for i in assignment.items}
    rng = random.Random(3)
    for s in range(students):
        nb = json.loads(json.dumps(release))
        cells = {c["id"]: c for c in nb["cells"]}
        ability = rng.random()
        for item in assignment.items:
            v = views[item.name]
            value = v.correct if rng.random() < 0.25 + 0.7 * ability else wrong_value(v, rng)
            cells[f"{item.name}-answer"]["source"] = f"{item.variable} = {value!r}"
        folder = course / "submitted" / f"s{s:04d}" / spec.name
        folder.mkdir(parents=True)
        (folder / f"{spec.name}.ipynb").write_text(json.dumps(nb))
    t = time.perf_counter()
    grade_assignment(course, spec.name, jobs=os.cpu_count() or 1, timeout=10)
    print(f"  grading {students} submissions (for the record): {time.perf_counter() - t:.2f} s")

    from nukedu.analysis.html import assignment_report_html
    from nukedu.analysis.items import analyse, items_csv
    from nukedu.assign.report import read_graded

    t0 = time.perf_counter()
    data = read_graded(course, spec.name)
    t1 = time.perf_counter()
    a = analyse(data.responses, title=data.title, graded_at=data.graded_at, notes=data.notes)
    page = assignment_report_html(a)
    items_csv(a)
    t2 = time.perf_counter()
    print(f"  read the scores (results, gradebook) and answers:   {t1 - t0:.2f} s")
    print(f"  analysis, HTML page and CSV:                        {t2 - t1:.2f} s")
    print(f"  report from the graded course, all told:            {t2 - t0:.2f} s (target < 2 s; plus the nbgrader import above)")
    print(f"  page: {len(page.encode()) / 1e6:.2f} MB, {page.count('Plotly.newPlot(')} charts")
    if keep:
        print(f"  course kept in {base}")
    else:
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--course", action="store_true", help="also build, grade and report a real course (about a minute)")
    parser.add_argument("--keep", action="store_true", help="keep that course's folder (it is removed otherwise)")
    args = parser.parse_args()
    t = time.perf_counter()
    data = synthetic(args.students, args.questions)
    made = time.perf_counter() - t
    figures = time_report(data, args.repeat)
    print(f"Item-analysis report, {args.students} students x {args.questions} questions (median of {args.repeat}; "
          f"matrix made in {made:.2f} s):")
    print(f"  analysis:  {figures['analysis'] * 1000:7.0f} ms")
    print(f"  HTML page: {figures['html'] * 1000:7.0f} ms ({figures['bytes'] / 1e6:.2f} MB, plotly.js inlined once, "
          f"{args.questions + 2} charts)")
    print(f"  CSV:       {figures['csv'] * 1000:7.0f} ms")
    print(f"  report:    {figures['total'] * 1000:7.0f} ms (target < 2000 ms)")
    if args.course:
        print(f"From a graded course ({args.students} submissions, {args.questions} questions):")
        course_run(args.students, args.questions, args.keep)


if __name__ == "__main__":
    main()
