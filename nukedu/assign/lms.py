"""Grades as CSV files an LMS imports: Canvas's gradebook, Moodle's grade import, and nukedu's own tables.

Pure: rows in, CSV text out. A student-id mapping file (course id to LMS
ids) is read with every problem reported as `file:line:column: field:
message`. Rows are never dropped: a submission that could not be graded is
written with 0 and its status, so an import never silently skips a student.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import BankError, Issue
from ..model import Span

FORMATS = ("nukedu", "canvas", "moodle", "nbgrader")
MAPPING_COLUMNS = ("student", "name", "canvas_id", "sis_user_id", "sis_login_id", "section", "username", "idnumber", "email")
MOODLE_IDS = {"username": "Username", "idnumber": "ID number", "email": "Email address"}


@dataclass(frozen=True, slots=True, kw_only=True)
class GradeRow:
    """One student's grade for one assignment, as every export needs it."""

    student: str
    status: str
    points: float
    max_points: float
    needs_manual: int = 0
    reason: str = ""
    name: str = ""
    per_part: Mapping[str, float | None] = field(default_factory=dict)   # grade id -> points (None: not graded yet)


@dataclass(frozen=True, slots=True, kw_only=True)
class LmsStudent:
    """What the mapping file says about one course student."""

    student: str
    name: str = ""
    canvas_id: str = ""
    sis_user_id: str = ""
    sis_login_id: str = ""
    section: str = ""
    username: str = ""
    idnumber: str = ""
    email: str = ""


def parse_mapping(text: str, file: str) -> dict[str, LmsStudent]:
    """A CSV with a `student` column (the course id) and any of the other MAPPING_COLUMNS."""
    issues: list[Issue] = []
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        raise BankError([Issue(Span(file, 1, 1), "", f"the file is empty; expected a header with {', '.join(MAPPING_COLUMNS)}")])
    header = [h.strip().lower() for h in rows[0]]
    for i, h in enumerate(header):
        if h not in MAPPING_COLUMNS:
            issues.append(Issue(Span(file, 1, i + 1), h or f"column {i + 1}", f"unknown column; expected some of {', '.join(MAPPING_COLUMNS)}"))
    if "student" not in header:
        issues.append(Issue(Span(file, 1, 1), "student", "no student column (the nbgrader student id)"))
    if len(set(header)) != len(header):
        issues.append(Issue(Span(file, 1, 1), "", "a column name appears twice"))
    out: dict[str, LmsStudent] = {}
    first_line: dict[str, int] = {}
    if "student" in header:
        for n, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                issues.append(Issue(Span(file, n, 1), "", f"expected {len(header)} values, found {len(row)}"))
                continue
            values = {h: cell.strip() for h, cell in zip(header, row) if h in MAPPING_COLUMNS}
            sid = values.get("student", "")
            if not sid:
                issues.append(Issue(Span(file, n, header.index("student") + 1), "student", "empty student id"))
                continue
            if sid in out:
                issues.append(Issue(Span(file, n, header.index("student") + 1), "student", f"{sid!r} is also on line {first_line[sid]}"))
                continue
            first_line[sid] = n
            out[sid] = LmsStudent(**values)
    if issues:
        raise BankError(issues)
    return out


def _csv(rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _num(x: float | None) -> str:
    return "" if x is None else f"{round(x, 4):g}"


def nukedu_csv(rows: Sequence[GradeRow]) -> str:
    """One row per student with status, points and the reason in words."""
    table: list[list[object]] = [["student", "status", "points", "max_points", "needs_manual", "reason"]]
    table += [[r.student, r.status, _num(r.points), _num(r.max_points), r.needs_manual, r.reason] for r in rows]
    return _csv(table)


def parts_csv(rows: Sequence[GradeRow], grade_ids: Sequence[str]) -> str:
    """Per-part points (blank where a part waits for hand-grading), with status and needs_manual."""
    table: list[list[object]] = [["student", "status", "needs_manual", "points", *grade_ids]]
    table += [[r.student, r.status, r.needs_manual, _num(r.points), *(_num(r.per_part.get(g, 0.0)) for g in grade_ids)] for r in rows]
    return _csv(table)


def canvas_csv(rows: Sequence[GradeRow], column: str, mapping: Mapping[str, LmsStudent] | None = None) -> str:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment."""
    mapping = mapping or {}
    max_points = max((r.max_points for r in rows), default=0.0)
    table: list[list[object]] = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column],
                                 ["Points Possible", "", "", "", "", _num(max_points)]]
    for r in rows:
        m = mapping.get(r.student, LmsStudent(student=r.student))
        table.append([m.name or r.name or r.student, m.canvas_id, m.sis_user_id, m.sis_login_id or (r.student if not mapping else ""),
                      m.section, _num(r.points)])
    return _csv(table)


def moodle_csv(rows: Sequence[GradeRow], column: str, mapping: Mapping[str, LmsStudent] | None = None, identifier: str = "username") -> str:
    """Moodle's grade import: one identifier column (matched exactly) and one grade column."""
    if identifier not in MOODLE_IDS:
        raise ValueError(f"identifier must be one of {', '.join(MOODLE_IDS)}")
    mapping = mapping or {}
    table: list[list[object]] = [[MOODLE_IDS[identifier], column]]
    for r in rows:
        m = mapping.get(r.student)
        ident = getattr(m, identifier) if m is not None else ""
        table.append([ident or r.student, _num(r.points)])
    return _csv(table)


def unmapped(rows: Sequence[GradeRow], mapping: Mapping[str, LmsStudent]) -> list[str]:
    """Students with a grade but no line in the mapping file (their LMS import would not match)."""
    return [r.student for r in rows if r.student not in mapping]
