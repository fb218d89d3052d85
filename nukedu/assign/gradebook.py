"""Write the trusted grader's results into nbgrader's gradebook, so formgrader and `nbgrader export` keep working.

Everything goes through nbgrader's own models (`Student`,
`SubmittedAssignment`, `SubmittedNotebook`, `Grade`, `Comment`) in one
session and one commit: about 3 ms a submission instead of the 15 ms that
`Gradebook.update_or_create_submission` spends committing each one.

Hand-grading is respected. A hand-graded essay keeps its score and is not
listed for grading again while its text is unchanged; nbgrader itself flags
every hand-graded cell again on each autograde. A changed essay keeps the old
score for reference but is listed again. A submission that can no longer be
graded (unreadable, no notebook) has every score set to 0 and its old hand
scores cleared, so no stale grade survives.
"""
from __future__ import annotations

import json
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .feedback_html import HandGrade
from .keys import AssignmentKey, key_dir
from .trusted import PartResult


@dataclass(frozen=True, slots=True, kw_only=True)
class Graded:
    """One student's outcome, as the gradebook needs it."""

    student: str
    status: str                  # graded, needs manual grading, no notebook, unreadable, not submitted
    parts: tuple[PartResult, ...] = ()
    timestamp: str | None = None


def db_url(course: Path) -> str:
    """The gradebook the course config names (nbgrader's default: gradebook.db in the course)."""
    from . import _nbgrader

    cfg = _nbgrader.load_config(course)
    try:
        from nbgrader.coursedir import CourseDirectory
    except ImportError as exc:  # pragma: no cover
        from ..errors import MissingExtraError

        raise MissingExtraError("grading needs nbgrader: pip install 'nukedu[instructor]'") from exc
    return CourseDirectory(config=cfg).db_url


@contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        try:
            from sqlalchemy.exc import SAWarning
        except ImportError:  # pragma: no cover
            SAWarning = Warning  # noqa: N806
        warnings.simplefilter("ignore", SAWarning)
        yield


def _hash_file(course: Path, assignment: str) -> Path:
    return key_dir(course, assignment) / "graded-answers.json"


def _load_hashes(course: Path, assignment: str) -> dict[str, dict[str, str]]:
    path = _hash_file(course, assignment)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def record(course: Path, key: AssignmentKey, outcomes: Sequence[Graded]) -> tuple[dict[tuple[str, str], HandGrade], set[tuple[str, str]]]:
    """Write every outcome; return the hand grades (student, grade id) now in the gradebook and the essays that changed."""
    from nbgrader import utils
    from nbgrader.api import Comment, Gradebook, Grade, MissingEntry, Student, SubmittedAssignment, SubmittedNotebook

    from ..errors import NukeduError

    hashes = _load_hashes(course, key.assignment)
    hand: dict[tuple[str, str], HandGrade] = {}
    changed: set[tuple[str, str]] = set()
    with _quiet(), Gradebook(db_url(course)) as gb:
        try:
            assignment = gb.find_assignment(key.assignment)
        except MissingEntry:
            raise NukeduError(f"assignment {key.assignment!r} is not in the gradebook; build and release it first") from None
        notebooks = {nb.name: nb for nb in assignment.notebooks}
        if key.notebook not in notebooks:
            raise NukeduError(f"the gradebook has no notebook {key.notebook!r} in {key.assignment!r}; rebuild the assignment")
        notebook = notebooks[key.notebook]
        grade_cells = {gc.name: gc for gc in notebook.grade_cells}
        solution_cells = {sc.name: sc for sc in notebook.solution_cells}
        students = {s.id for s in gb.db.query(Student.id)}
        existing = {s.student_id: s for s in assignment.submissions}
        answer_to_part = {p.answer_cell: p.name for p in key.parts}
        for outcome in outcomes:
            if outcome.status == "not submitted":
                continue
            if outcome.student not in students:
                gb.db.add(Student(id=outcome.student))
                students.add(outcome.student)
            sub = existing.get(outcome.student)
            if sub is None:
                sub = SubmittedAssignment(assignment=assignment, student_id=outcome.student)
                for nb in assignment.notebooks:
                    snb = SubmittedNotebook(notebook=nb, assignment=sub)
                    for gc in nb.grade_cells:
                        Grade(cell=gc, notebook=snb)
                    for sc in nb.solution_cells:
                        Comment(cell=sc, notebook=snb)
                gb.db.add(sub)
            if outcome.timestamp:
                sub.timestamp = utils.parse_utc(outcome.timestamp)
            mine = next(n for n in sub.notebooks if n.notebook.name == key.notebook)
            grades = {g.cell.name: g for g in mine.grades}
            comments = {c.cell.name: c for c in mine.comments}
            by_grade = {p.grade_id: p for p in outcome.parts}
            by_name = {p.name: p for p in outcome.parts}
            student_hashes = hashes.setdefault(outcome.student, {})
            for gid, grade in grades.items():
                part = by_grade.get(gid)
                if part is None:          # no notebook, unreadable: 0 and no stale hand score
                    grade.auto_score = 0.0
                    grade.manual_score = None
                    grade.needs_manual_grade = False
                    student_hashes.pop(gid, None)
                elif part.points is not None:
                    grade.auto_score = part.points
                    grade.needs_manual_grade = False
                    if part.kind == "essay":  # now blank: an old hand score no longer applies
                        grade.manual_score = None
                        student_hashes.pop(gid, None)
                else:                      # an essay to grade by hand
                    grade.auto_score = None
                    same = student_hashes.get(gid) == part.answer_hash
                    if grade.manual_score is not None and not same:
                        changed.add((outcome.student, gid))
                    grade.needs_manual_grade = grade.manual_score is None or not same
                    student_hashes[gid] = part.answer_hash
            for cell_name, comment in comments.items():
                part = by_name.get(answer_to_part.get(cell_name, ""))
                comment.auto_comment = "No response." if part is not None and part.status == "unanswered" else None
            for gid, grade in grades.items():
                note = comments.get(gid)
                score = None if grade.needs_manual_grade else grade.manual_score   # a flagged score is not final
                hand[(outcome.student, gid)] = HandGrade(score, (note.manual_comment or "") if note is not None else "")
        gb.db.commit()
    path = _hash_file(course, key.assignment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(hashes, indent=1, sort_keys=True), encoding="utf-8")
    return hand, changed


def hand_grades(course: Path, key: AssignmentKey) -> dict[tuple[str, str], HandGrade]:
    """The hand scores and comments instructors have given so far (for feedback, exports and the item analysis).

    Two queries over nbgrader's models, not one lazy load per grade: about 0.1 s for 1,000 students.
    """
    from nbgrader.api import BaseCell, Comment, Gradebook, Grade, SubmittedAssignment, SubmittedNotebook

    out: dict[tuple[str, str], HandGrade] = {}
    with _quiet(), Gradebook(db_url(course)) as gb:
        assignment = gb.find_assignment(key.assignment)

        def of_assignment(model, *columns):  # type: ignore[no-untyped-def]
            """Rows of a Grade or Comment with its cell's name, for this assignment's submissions only."""
            return (gb.db.query(model.notebook_id, SubmittedAssignment.student_id, BaseCell.name, *columns)
                    .select_from(model)
                    .join(BaseCell, BaseCell.id == model.cell_id)
                    .join(SubmittedNotebook, SubmittedNotebook.id == model.notebook_id)
                    .join(SubmittedAssignment, SubmittedAssignment.id == SubmittedNotebook.assignment_id)
                    .filter(SubmittedAssignment.assignment_id == assignment.id))

        comments = {(nb, name): text or "" for nb, _student, name, text in of_assignment(Comment, Comment.manual_comment)}
        grades = of_assignment(Grade, Grade.manual_score, Grade.needs_manual_grade)
        for nb, student, name, manual, needs in grades:
            out[(student, name)] = HandGrade(None if needs else manual, comments.get((nb, name), ""))
    return out


def student_names(course: Path) -> dict[str, str]:
    """'First Last' for students the gradebook knows by name."""
    from nbgrader.api import Gradebook, Student

    with _quiet(), Gradebook(db_url(course)) as gb:
        return {s.id: " ".join(x for x in (s.first_name, s.last_name) if x) for s in gb.db.query(Student)}


def gradebook_students(course: Path) -> list[str]:
    from nbgrader.api import Gradebook, Student

    with _quiet(), Gradebook(db_url(course)) as gb:
        return sorted(s.id for s in gb.db.query(Student.id))


def part_points(part: PartResult, hand: Mapping[tuple[str, str], HandGrade], student: str) -> float | None:
    """A part's points as they count now: a score given in formgrader wins, else the grader's (None: still to grade)."""
    given = hand.get((student, part.grade_id))
    if given is not None and given.score is not None:
        return given.score
    return part.points
