"""Grade every submission of an assignment with nbgrader, in one process.

autograde (per student, with a progress bar and the per-cell timeout), then
generate_feedback, then CSV exports and a summary read back from the
gradebook. Running it again re-grades from the submissions and updates the
same gradebook rows, so scores stay consistent and nothing is duplicated.
"""
from __future__ import annotations

import csv
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from ..errors import NukeduError
from . import _nbgrader

Status = Literal["graded", "missing", "failed"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    """How one student's submission went."""

    student: str
    status: Status
    score: float = 0.0
    max_score: float = 0.0
    needs_manual: int = 0
    seconds: float = 0.0
    message: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class CellStats:
    """One graded cell across submissions: how many earned full marks."""

    grade_id: str
    question: str
    max_score: float
    full: int
    graded: int
    manual: bool

    @property
    def success_rate(self) -> float:
        return self.full / self.graded if self.graded else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    assignment: str
    submissions: tuple[Submission, ...]
    cells: tuple[CellStats, ...]
    csv_path: Path
    nbgrader_csv_path: Path
    feedback_dir: Path

    @property
    def mean(self) -> float:
        scored = [s.score for s in self.submissions if s.status != "failed"]
        return sum(scored) / len(scored) if scored else 0.0

    @property
    def seconds_per_submission(self) -> float:
        graded = [s.seconds for s in self.submissions if s.status == "graded"]
        return sum(graded) / len(graded) if graded else 0.0

    def render(self) -> str:
        """The summary an instructor reads after grading."""
        subs = self.submissions
        max_score = max((s.max_score for s in subs), default=0.0)
        lines = [
            f"Assignment {self.assignment}: {len(subs)} student{'s' if len(subs) != 1 else ''}, "
            f"mean {self.mean:.2f} / {max_score:g}, {self.seconds_per_submission:.1f} s per autograded submission.",
        ]
        for s in subs:
            note = f" ({s.message})" if s.message else ""
            manual = f", {s.needs_manual} cell(s) to grade by hand" if s.needs_manual else ""
            lines.append(f"  {s.student}: {s.status}, {s.score:g} / {s.max_score:g}{manual}{note}")
        lines.append("Per question (share of graded submissions with full marks):")
        for c in self.cells:
            if c.manual:
                lines.append(f"  {c.grade_id:<22} {c.question:<32} graded by hand ({c.max_score:g} points)")
            else:
                lines.append(f"  {c.grade_id:<22} {c.question:<32} {c.success_rate:6.0%} ({c.full}/{c.graded})")
        lines.append(f"Grades: {self.csv_path}  (nbgrader export: {self.nbgrader_csv_path})")
        lines.append(f"Feedback: {self.feedback_dir}")
        return "\n".join(lines)


def _bar(done: int, total: int, label: str, stream: TextIO | None) -> None:
    if stream is None:
        return
    width = 24
    filled = int(width * done / total) if total else width
    stream.write(f"\rautograde [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<24.24}")
    if done == total:
        stream.write("\n")
    stream.flush()


def _notebooks(api, name: str) -> list[str]:  # type: ignore[no-untyped-def]
    from nbgrader.api import MissingEntry

    with api.gradebook as gb:
        try:
            return [nb.name for nb in gb.find_assignment(name).notebooks]
        except MissingEntry:
            raise NukeduError(f"assignment {name!r} is not in the gradebook; build and release it first") from None


def _record_missing(api, name: str, student: str) -> None:  # type: ignore[no-untyped-def]
    """A submission without the notebook scores 0 on every cell, as nbgrader does for a missing notebook."""
    with api.gradebook as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(name, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.manual_score = None
                grade.needs_manual_grade = False
        gb.db.commit()


def grade_assignment(course: Path, name: str, *, timeout: int | None = None, progress: TextIO | None = sys.stderr) -> Summary:
    """Autograde all of `course/submitted/*/<name>/`, write feedback and CSVs, and summarise."""
    overrides = {"Execute.timeout": timeout} if timeout else {}
    with _nbgrader.session(course, **overrides) as api:
        return _grade(api, course, name, progress)


def _grade(api, course: Path, name: str, progress: TextIO | None) -> Summary:  # type: ignore[no-untyped-def]
    notebooks = _notebooks(api, name)
    submitted = course / "submitted"
    students = sorted(p.parent.name for p in submitted.glob(f"*/{name}") if p.is_dir()) if submitted.is_dir() else []
    if not students:
        raise NukeduError(f"no submissions of {name!r} in {submitted} (expected submitted/<student>/{name}/{notebooks[0]}.ipynb)")
    outcomes: dict[str, tuple[Status, float, str]] = {}
    for i, student in enumerate(students):
        _bar(i, len(students), student, progress)
        folder = submitted / student / name
        missing = [nb for nb in notebooks if not (folder / f"{nb}.ipynb").is_file()]
        if len(missing) == len(notebooks):
            _record_missing(api, name, student)
            outcomes[student] = ("missing", 0.0, f"no {', '.join(m + '.ipynb' for m in missing)} in the submission")
            continue
        start = time.perf_counter()
        result = api.autograde(name, student, force=True, create=True)
        seconds = time.perf_counter() - start
        if result.get("success"):
            note = f"missing {', '.join(missing)}" if missing else ""
            outcomes[student] = ("graded", seconds, note)
        else:
            lines = (result.get("error") or "").strip().splitlines()
            outcomes[student] = ("failed", seconds, lines[-1] if lines else "autograde failed")
    _bar(len(students), len(students), "done", progress)
    if any(status == "graded" for status, _, _ in outcomes.values()):
        _nbgrader.check(api.generate_feedback(name, force=True), f"nbgrader generate_feedback {name}")
    return _summarise(api, course, name, outcomes)


def _summarise(api, course: Path, name: str, outcomes: dict[str, tuple[Status, float, str]]) -> Summary:  # type: ignore[no-untyped-def]
    from nbgrader.plugins import CsvExportPlugin

    import nbformat

    source = course / "source" / name / f"{name}.ipynb"
    nb_source = nbformat.read(source, as_version=4) if source.is_file() else None
    questions = nb_source.metadata.get("nukedu", {}).get("questions", {}) if nb_source else {}
    order = {c.metadata.get("nbgrader", {}).get("grade_id"): i for i, c in enumerate(nb_source.cells)} if nb_source else {}
    submissions: list[Submission] = []
    rows: list[list[object]] = []
    cells: dict[str, dict] = {}
    with api.gradebook as gb:
        assignment = gb.find_assignment(name)
        grade_cells = [(nb.name, gc.name, gc.max_score, gc.cell_type == "markdown")
                       for nb in assignment.notebooks for gc in nb.grade_cells]
        grade_cells.sort(key=lambda c: (c[0], order.get(c[1], len(order))))
        for student, (status, seconds, message) in sorted(outcomes.items()):
            if status == "failed":
                submissions.append(Submission(student=student, status=status, seconds=seconds, message=message))
                continue
            sub = gb.find_submission(name, student)
            scores = {}
            for nb in sub.notebooks:
                for g in nb.grades:
                    scores[g.name] = (g.score, g.max_score, g.needs_manual_grade)
            for _nb, gid, max_score, manual in grade_cells:
                got, _max, needs = scores.get(gid, (0.0, max_score, False))
                stat = cells.setdefault(gid, {"full": 0, "graded": 0, "max": max_score, "manual": manual})
                if status == "graded" and not needs:
                    stat["graded"] += 1
                    stat["full"] += int(abs((got or 0) - max_score) < 1e-9)
            submissions.append(Submission(student=student, status=status, score=round(sub.score, 4), max_score=sub.max_score,
                                          needs_manual=sum(1 for v in scores.values() if v[2]),
                                          seconds=seconds, message=message))
            rows.append([student, status, round(sub.score, 4), sub.max_score] + [round(scores.get(gid, (0.0,))[0] or 0.0, 4) for _nb, gid, _m, _x in grade_cells])
        header = ["student", "status", "score", "max_score"] + [gid for _nb, gid, _m, _x in grade_cells]
        csv_path = course / f"{name}-grades.csv"
        with csv_path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
        nbgrader_csv = course / f"{name}-nbgrader-export.csv"
        plugin = CsvExportPlugin(to=str(nbgrader_csv), assignment=[name])
        plugin.export(gb)
    stats = tuple(CellStats(grade_id=gid, question=questions.get(gid, ""), max_score=v["max"], full=v["full"], graded=v["graded"], manual=v["manual"])
                  for gid, v in cells.items())
    return Summary(assignment=name, submissions=tuple(submissions), cells=stats, csv_path=csv_path,
                   nbgrader_csv_path=nbgrader_csv, feedback_dir=course / "feedback")
