"""The item analysis of a graded assignment: scores as they count now, responses as they were graded.

Reads what `nukedu assignment grade` left: the key, each student's results
(`<course>/nukedu/<name>/results/`) and the hand scores in nbgrader's
gradebook, so every score is the one the grade files give. Which option each
student chose is read statically, as the grader read it, never run: from the
answer line the grader kept from the student's answer cell, and when that
line does not read on its own (an answer written over several lines) from
the submitted notebook's text again. A notebook handed in again since grading
that no longer reads as it was graded is kept out of the counts, and the
report says how many. Submissions that could not be graded (no notebook,
unreadable, not submitted) are left out of the analysis and named in a note.

The report shows answer keys, so it is never written where students get files
(`release/`, `feedback/`, `source/`).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..analysis.items import ANSWERED, BLANK, INVALID, UNKNOWN, Answer, Item, ItemAnalysis, Responses, analyse, normalise_response
from ..errors import NukeduError
from .answers import MAX_SOURCE_LINE, Cell, read_answer
from .keys import AssignmentKey, BankPartKey, CodePartKey, PartKey, load_key
from .runtime import example
from .trusted import MAX_NOTEBOOK_BYTES, PartResult, SubmittedCell, Unreadable, read_bank_answer, read_submission, shown_answer

if TYPE_CHECKING:
    from .grade import StudentResult

STUDENT_FOLDERS = ("release", "feedback", "source")   # nbgrader hands what is here to students


@dataclass(frozen=True, slots=True, kw_only=True)
class GradedCourse:
    """One graded assignment as the analysis needs it."""

    title: str
    responses: Responses
    notes: tuple[str, ...]
    graded_at: str


def key_response(part: BankPartKey) -> Any:
    """The key of a bank part as a normalised response (letters, as students write them)."""
    k = part.key
    kind = part.kind
    try:
        if kind in ("single", "true_false"):
            return normalise_response(kind, k["answer"])
        if kind == "multiple":
            return normalise_response(kind, list(k["answers"]))
        if kind == "numeric":
            return normalise_response(kind, k["answer"])
        if kind == "short_text":
            return k["accepted"][0]
        if kind == "ordering":
            return normalise_response(kind, list(k["items"]))
        if kind == "matching":
            return normalise_response(kind, {left: right for left, right in k["pairs"]})
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return None


def item_of(part: PartKey) -> Item:
    """A key's part as an analysis item: letters, what they stand for, the key."""
    common: dict[str, Any] = {"id": part.name, "label": part.label, "max_points": float(part.points), "text": part.prompt}
    if isinstance(part, BankPartKey):
        distractors = tuple(part.key.get("distractors", ())) if part.kind == "matching" else ()
        return Item(kind=part.kind, question_id=part.question_id, choices=part.choices, texts=part.texts, lefts=part.lefts,
                    key=key_response(part), distractors=distractors, **common)
    return Item(kind="code" if isinstance(part, CodePartKey) else "essay", **common)


def _letter(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


def response_of(kind: str, value: Any) -> Any:
    """A value read from an answer cell, letters upper-cased as the grader compares them, then normalised."""
    if kind == "single":
        value = _letter(value)
    elif kind in ("multiple", "ordering") and isinstance(value, (list, tuple, set)):
        value = [_letter(v) for v in value]
    elif kind == "matching" and isinstance(value, dict):
        value = {str(k).strip(): _letter(v) for k, v in value.items()}
    return normalise_response(kind, value)


def _cells(course: Path, name: str, student: str, notebook_file: str) -> tuple[SubmittedCell, ...] | None:
    path = course / "submitted" / student / name / notebook_file
    try:
        if not notebook_file or path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_NOTEBOOK_BYTES:
            return None
        return read_submission(path.read_bytes())
    except (OSError, Unreadable):
        return None


class _Submission:
    """One student's notebook, read (once) only when an answer line does not read on its own."""

    def __init__(self, course: Path, name: str, result: StudentResult):
        self.course, self.name, self.result = course, name, result
        self._cells: tuple[SubmittedCell, ...] | None = None
        self._read = False

    def cells(self) -> tuple[SubmittedCell, ...] | None:
        if not self._read:
            self._read = True
            self._cells = _cells(self.course, self.name, self.result.student, self.result.notebook_file)
        return self._cells


def _read_line(part: BankPartKey, line: str, seen: dict[tuple[str, str, str], Any]) -> Any:
    """The value a kept answer line gives on its own, or `_UNREAD`; a class writes few distinct lines, so each is read once."""
    key = (part.variable, part.kind, line)
    if key not in seen:
        read = read_answer([Cell("answer", line)], part.variable, example(part.variable, part.kind))
        seen[key] = response_of(part.kind, read.value) if read.found and not read.problem else _UNREAD
    return seen[key]


_UNREAD = object()


def _answer(part: PartKey, result: PartResult, score: float | None, submission: _Submission, locked: frozenset[str],
            seen: dict[tuple[str, str, str], Any]) -> Answer:
    if result.status == "unanswered":
        return Answer(score, BLANK)
    if not isinstance(part, BankPartKey):
        return Answer(score, ANSWERED)
    if result.status == "format":
        return Answer(score, INVALID)
    line = result.answer
    if line and len(line) < MAX_SOURCE_LINE:   # a longer line was cut when it was kept: read the notebook instead
        value = _read_line(part, line, seen)
        if value is not _UNREAD:
            return Answer(score, ANSWERED, value)
    cells = submission.cells()
    if cells is None:
        return Answer(score, UNKNOWN)
    read = read_bank_answer(part, cells, locked)
    if not read.found or read.problem or shown_answer(read.source_line) != line:
        return Answer(score, UNKNOWN)      # handed in again since grading: the score stands, the response is not counted
    return Answer(score, ANSWERED, response_of(part.kind, read.value))


def _graded_at(course: Path, key: AssignmentKey) -> str:
    from .keys import key_dir

    stamps = [p.stat().st_mtime for p in (key_dir(course, key.assignment) / "results").glob("*.json")]
    return dt.datetime.fromtimestamp(max(stamps)).strftime("%Y-%m-%d %H:%M") if stamps else ""


def read_graded(course: Path, name: str) -> GradedCourse:
    """Scores and responses of every graded submission of `name`; NukeduError when it has not been graded."""
    try:
        import nbgrader.api  # noqa: F401
    except ImportError as exc:  # pragma: no cover - the instructor extra brings it
        from ..errors import MissingExtraError

        raise MissingExtraError("the item analysis reads nbgrader's gradebook: pip install 'nukedu[instructor]'") from exc
    from .gradebook import gradebook_students, hand_grades, part_points
    from .grade import load_results

    course = Path(course)
    key = load_key(course, name)
    results = load_results(course, key)
    hand: Mapping[tuple[str, str], Any] = hand_grades(course, key)
    known = gradebook_students(course)
    items = tuple(item_of(p) for p in key.parts)
    locked = frozenset(key.locked_cells)
    handed_in = {r.student for r in results}
    left_out = Counter(r.status for r in results if not r.parts)
    left_out["not submitted"] += sum(1 for s in known if s not in handed_in)
    problems: list[str] = []
    students: list[str] = []
    rows: list[tuple[Answer, ...]] = []
    seen: dict[tuple[str, str, str], Any] = {}
    for r in results:
        if not r.parts:
            continue
        by_name = {p.name: p for p in r.parts}
        missing = [p.name for p in key.parts if p.name not in by_name]
        if missing:
            problems.append(f"{r.student}: the results have no {', '.join(missing)}")
            continue
        submission = _Submission(course, name, r)
        rows.append(tuple(_answer(p, by_name[p.name], part_points(by_name[p.name], hand, r.student), submission, locked, seen)
                          for p in key.parts))
        students.append(r.student)
    if problems:
        raise NukeduError(f"the results of {name!r} do not match its key (was it rebuilt after grading?); grade it again "
                          f"with `nukedu assignment grade {name} --course {course}`:\n" + "\n".join(f"  {p}" for p in problems))
    notes = []
    if sum(left_out.values()):
        parts = ", ".join(f"{n} {status}" for status, n in sorted(left_out.items()) if n)
        notes.append(f"Not analysed ({parts}): they have no answers to analyse and scored 0.")
    if any(isinstance(p, BankPartKey) and p.choices and not p.texts for p in key.parts):
        notes.append("This assignment's key was written by an older nukedu and does not say what each letter stands for, "
                     "so options show as letters; build the assignment again to see their texts.")
    return GradedCourse(title=key.title, responses=Responses(items=items, students=tuple(students), answers=tuple(rows)),
                        notes=tuple(notes), graded_at=_graded_at(course, key))


def assignment_analysis(course: Path, name: str) -> ItemAnalysis:
    """The item analysis of `name` as graded in `course`."""
    data = read_graded(course, name)
    return analyse(data.responses, title=f"{data.title} ({name})", graded_at=data.graded_at, notes=data.notes)


def check_report_path(course: Path, path: Path) -> None:
    """Refuse a place where nbgrader hands files to students: the report shows the keys."""
    target = path.resolve()
    for folder in STUDENT_FOLDERS:
        root = (Path(course) / folder).resolve()
        if target == root or root in target.parents:
            raise NukeduError(f"{path}: the report shows the answer keys and {root} is handed to students; "
                              "write it elsewhere (default: <course>/<name>-report.html)")
