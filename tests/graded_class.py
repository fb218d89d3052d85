"""A class that sat a shipped assignment: built from `assignments/<spec>`, answered with known answers, graded.

Shared by the item-analysis tests (the course test and the browser test).
Every student hands in the release notebook with answers written as a
student writes them; which letter, order or text each student gave is
returned, so tests can count it themselves and compare with the report.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .conftest import REPO

SPEC = REPO / "assignments" / "a1-beginnings.yaml"


@dataclass
class GradedClass:
    course: Path
    name: str
    items: list[Any]                                  # the resolved assignment's items
    views: dict[str, Any]                             # part name -> LetterView (letters, key)
    given: dict[str, dict[str, Any]] = field(default_factory=dict)   # student -> part name -> value written (absent: blank)
    release: dict[str, Any] = field(default_factory=dict)


def wrong_value(view: Any, k: int) -> Any:
    """The k-th kind of wrong answer to a question, as a student would write it."""
    if view.kind == "single":
        others = [c for c in view.choices if c != view.correct]
        return others[k % len(others)]
    if view.kind == "multiple":
        return [c for c in view.choices if c not in view.correct][: 1 + k % 2]
    if view.kind == "true_false":
        return not view.correct
    if view.kind == "numeric":
        return view.correct + (1 if k % 2 else -3)
    if view.kind == "ordering":
        return list(reversed(view.correct)) if k % 2 else view.correct[1:] + view.correct[:1]
    if view.kind == "matching":
        keys = list(view.correct)
        return {**view.correct, keys[0]: view.correct[keys[1]], keys[1]: view.correct[keys[0]]}
    return "Brussels" if k % 2 else "Kyiv"


def submit(course: Path, name: str, student: str, release: dict[str, Any], answers: dict[str, str]) -> Path:
    nb = json.loads(json.dumps(release))
    for cell in nb["cells"]:
        if cell.get("id") in answers:
            cell["source"] = answers[cell["id"]]
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def sit(course: Path, students: int, *, spec_path: Path = SPEC, extra: dict[str, dict[str, str]] | None = None) -> GradedClass:
    """Build the spec into `course`, hand in one notebook per student and grade them all.

    Student i answers question number q right unless (i + q) % 4 == 0 or i < q % 3 (a weaker
    student misses more), leaves it blank when (i * q) % 11 == 5, and writes the code task's
    solution when i is even; `extra` adds students with hand-written answer cells.
    """
    from nukedu import load_bank
    from nukedu.assign.build import build_assignments
    from nukedu.assign.grade import grade_assignment
    from nukedu.assign.notebook import letter_view
    from nukedu.assign.spec import BankItem, CodeItem, load_spec, resolve

    spec = load_spec(spec_path)
    bank = load_bank()
    build_assignments([spec], bank, course)
    assignment = resolve(spec, bank)
    release = json.loads((course / "release" / spec.name / f"{spec.name}.ipynb").read_text(encoding="utf-8"))
    views = {i.name: letter_view(i, spec.seed) for i in assignment.items if isinstance(i, BankItem)}
    out = GradedClass(course=course, name=spec.name, items=list(assignment.items), views=views, release=release)
    for s in range(students):
        student = f"s{s:02d}"
        cells: dict[str, str] = {}
        given: dict[str, Any] = {}
        for item in assignment.items:
            q = item.number
            if isinstance(item, BankItem):
                if (s * q) % 11 == 5:
                    continue
                view = views[item.name]
                value = wrong_value(view, s + q) if (s + q) % 4 == 0 or s < q % 3 else view.correct
                given[item.name] = value
                cells[f"{item.name}-answer"] = f"{item.variable} = {value!r}"
            elif isinstance(item, CodeItem) and s % 2 == 0:
                cells[f"{item.name}-answer"] = item.part.solution
        out.given[student] = given
        submit(course, spec.name, student, release, cells)
    for student, cells in (extra or {}).items():
        submit(course, spec.name, student, release, cells)
    grade_assignment(course, spec.name, jobs=2, timeout=10)
    return out
