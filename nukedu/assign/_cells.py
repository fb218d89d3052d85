"""nbgrader cell metadata, written and read only here (schema version 3)."""
from __future__ import annotations

from typing import Any, Mapping

SCHEMA_VERSION = 3


def _meta(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION, "solution": solution}
    if points is not None:
        meta["points"] = points
    return meta


def make_locked(grade_id: str) -> dict[str, Any]:
    """Read-only text or code the student cannot change (nbgrader restores it when grading)."""
    return _meta(grade_id, grade=False, solution=False, locked=True)


def make_answer(grade_id: str) -> dict[str, Any]:
    """A code cell the student writes in; graded through the test cell after it."""
    return _meta(grade_id, grade=False, solution=True, locked=False)


def make_test(grade_id: str, points: float) -> dict[str, Any]:
    """An autograder test cell worth `points`."""
    return _meta(grade_id, grade=True, solution=False, locked=True, points=points)


def make_manual(grade_id: str, points: float) -> dict[str, Any]:
    """A manually graded answer cell (essays), listed in the formgrader."""
    return _meta(grade_id, grade=True, solution=True, locked=False, points=points)


def nbgrader_meta(cell: Mapping[str, Any]) -> Mapping[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_test_cell(cell: Mapping[str, Any]) -> bool:
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_manual_cell(cell: Mapping[str, Any]) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and bool(meta.get("solution"))
