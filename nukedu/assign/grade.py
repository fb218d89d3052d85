"""Grade every submission of an assignment with the trusted grader, then write gradebook, feedback and CSVs.

The steps, for a course built by `nukedu assignment build`:

1. Read the key from `<course>/nukedu/<name>/key.json` (never from a submission).
2. For each student folder in `submitted/`, in parallel with `jobs` worker
   processes: find the notebook (a renamed one is graded and named in the
   reason), read answers from its text, run code tasks in the sandbox, and
   write the autograded notebook nbgrader's formgrader shows.
3. In this process: record every score in `gradebook.db` through nbgrader's
   models, write each student's feedback page, keep each student's results
   in `<course>/nukedu/<name>/results/` (for `feedback` and `export` after
   hand-grading), and write the CSV files.

Every student gets a row: a submission that cannot be graded scores 0 with
its status and the reason in words; students the gradebook knows who handed
nothing in appear as "not submitted".
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

from ..errors import NukeduError
from .keys import AssignmentKey, CodePartKey, key_dir, load_key, task_data_dir
from .lms import FORMATS, GradeRow, LmsStudent, canvas_csv, moodle_csv, nukedu_csv, parts_csv, unmapped
from .trusted import PartResult, Unreadable, grade_cells, read_submission

STATUSES = ("graded", "needs manual grading", "no notebook", "unreadable", "not submitted")
DEFAULT_TIMEOUT = 30


@dataclass(frozen=True, slots=True, kw_only=True)
class StudentResult:
    """How one student's submission went, before hand-grading is taken into account."""

    student: str
    status: str
    reason: str = ""
    parts: tuple[PartResult, ...] = ()
    notebook_file: str = ""
    timestamp: str | None = None
    seconds: float = 0.0
    sandbox_warning: str = ""

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("sandbox_warning")
        return json.dumps(data, indent=1, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> StudentResult:
        data = json.loads(text)
        parts = tuple(PartResult(**{**p, "lines": tuple(p["lines"])}) for p in data.pop("parts"))
        return cls(parts=parts, **data)


@dataclass(frozen=True, slots=True, kw_only=True)
class Summary:
    """What a grading run did: one row per student, where the files went, and what to tell the instructor."""

    assignment: str
    title: str
    rows: tuple[GradeRow, ...]
    results: tuple[StudentResult, ...]
    files: Mapping[str, Path]
    grade_ids: tuple[str, ...]
    labels: Mapping[str, str]
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()
    changed_essays: tuple[tuple[str, str], ...] = ()

    @property
    def mean(self) -> float:
        return sum(r.points for r in self.rows) / len(self.rows) if self.rows else 0.0

    @property
    def seconds_per_submission(self) -> float:
        graded = [r for r in self.results if r.status not in ("not submitted",)]
        return self.seconds / len(graded) if graded else 0.0

    def render(self) -> str:
        """The summary an instructor reads after grading."""
        rows = self.rows
        max_points = max((r.max_points for r in rows), default=0.0)
        lines = [*(w if w.startswith("WARNING") else f"WARNING: {w}" for w in self.warnings),
                 f"Assignment {self.assignment}: {len(rows)} student{'s' if len(rows) != 1 else ''}, "
                 f"mean {self.mean:.2f} / {max_points:g}, graded in {self.seconds:.2f} s "
                 f"({self.seconds_per_submission * 1000:.0f} ms per submission)."]
        for r in rows:
            manual = f", {r.needs_manual} part{'s' if r.needs_manual != 1 else ''} to grade by hand" if r.needs_manual else ""
            note = f" ({r.reason})" if r.reason else ""
            lines.append(f"  {r.student}: {r.status}, {r.points:g} / {r.max_points:g}{manual}{note}")
        for student, gid in self.changed_essays:
            lines.append(f"  note: {student} changed {self.labels.get(gid, gid)} after it was graded by hand; it is listed for grading again.")
        lines.append("Per part (share of graded submissions with full marks):")
        graded = [r for r in self.results if r.parts]
        for gid in self.grade_ids:
            parts = [p for r in graded for p in r.parts if p.grade_id == gid]
            if parts and all(p.kind == "essay" for p in parts):
                waiting = sum(1 for p in parts if p.points is None)
                lines.append(f"  {self.labels[gid]:<12} {gid:<24} graded by hand ({waiting} waiting)")
            elif parts:
                full = sum(1 for p in parts if p.points is not None and p.points >= p.max_points)
                lines.append(f"  {self.labels[gid]:<12} {gid:<24} {full / len(parts):6.0%} ({full}/{len(parts)})")
        for what, path in self.files.items():
            lines.append(f"{what}: {path}")
        return "\n".join(lines)


# --- finding and grading one submission (runs in worker processes) --------------------------------
@dataclass
class _Worker:
    key: AssignmentKey
    source: dict[str, Any]
    course: Path
    timeout: float
    isolation: str
    sandbox: Any = None
    answer_cells: dict[str, str] = field(default_factory=dict)

    def run_code(self, part: CodePartKey, code: str) -> Any:
        from .sandbox import CodeTask, Limits, Sandbox

        if self.sandbox is None:
            # few processes: memory is limited per process, so this also bounds a task's memory (4 x 1 GB)
            limits = Limits(wall_seconds=self.timeout, cpu_seconds=max(1, int(self.timeout)), processes=4)
            self.sandbox = Sandbox(bank_dir=task_data_dir(self.course, self.key.assignment), hide=(self.course,),
                                   limits=limits, isolation=self.isolation)
        return self.sandbox.run(CodeTask(given=part.given, code=code, results=dict(part.results), label=part.label))

    def close(self) -> None:
        if self.sandbox is not None:
            self.sandbox.close()
            self.sandbox = None


_WORKER: _Worker | None = None


def _find_notebook(folder: Path, notebook: str) -> tuple[Path | None, str]:
    """The notebook to grade and a note when it is not the expected name."""
    expected = folder / f"{notebook}.ipynb"
    if expected.is_file() or expected.is_symlink():
        return expected, ""
    found = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if len(found) == 1:
        return found[0], f"graded {found[0].name} instead of {expected.name}; rename it next time"
    if found:
        return None, f"found {', '.join(p.name for p in found[:5])} but no {expected.name}; rename the one to grade to {expected.name}"
    others = sorted(p.name for p in folder.iterdir())[:5] if folder.is_dir() else []
    extra = f" (the folder holds {', '.join(others)})" if others else " (the folder is empty)"
    return None, f"no {expected.name} in the submission{extra}"


def _timestamp(folder: Path) -> str | None:
    path = folder / "timestamp.txt"
    try:
        if path.is_file() and not path.is_symlink():
            return path.read_text(encoding="utf-8", errors="replace")[:64].strip() or None
    except OSError:
        return None
    return None


def _autograded_dir(course: Path, student: str, assignment: str) -> Path:
    return course / "autograded" / student / assignment


def _grade_one(student: str) -> StudentResult:
    """Grade one student's folder: pure apart from reading it and writing the autograded notebook."""
    w = _WORKER
    assert w is not None  # set by _start_worker in every process that calls this
    start = time.perf_counter()
    key = w.key
    folder = w.course / "submitted" / student / key.assignment
    path, note = _find_notebook(folder, key.notebook)
    stamp = _timestamp(folder)
    out_dir = _autograded_dir(w.course, student, key.assignment)

    def failed(status: str, reason: str) -> StudentResult:
        shutil.rmtree(out_dir, ignore_errors=True)   # a stale autograded notebook would show an old grade
        return StudentResult(student=student, status=status, reason=reason, timestamp=stamp, seconds=time.perf_counter() - start)

    if path is None:
        return failed("no notebook", note)
    if path.is_symlink():
        return failed("unreadable", f"{path.name} is a link, not a notebook file")
    try:
        size = path.stat().st_size
        from .trusted import MAX_NOTEBOOK_BYTES

        if size > MAX_NOTEBOOK_BYTES:
            return failed("unreadable", f"{path.name} is {size / 1e6:.1f} MB; the grader reads notebooks up to {MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB")
        cells = read_submission(path.read_bytes())
    except Unreadable as exc:
        return failed("unreadable", f"{path.name}: {exc}")
    except OSError as exc:
        return failed("unreadable", f"{path.name} could not be read: {exc.strerror or exc}")
    parts = grade_cells(key, cells, w.run_code)
    from .autograded import autograded_notebook

    nb = autograded_notebook(w.source, cells, parts, w.answer_cells, frozenset(key.locked_cells))
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.ipynb"):
        if old.name != f"{key.notebook}.ipynb":
            old.unlink()
    (out_dir / f"{key.notebook}.ipynb").write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    waiting = any(p.points is None for p in parts)
    warning = w.sandbox.warning if w.sandbox is not None else ""
    return StudentResult(student=student, status="needs manual grading" if waiting else "graded", reason=note, parts=parts,
                         notebook_file=path.name, timestamp=stamp, seconds=time.perf_counter() - start, sandbox_warning=warning)


def _start_worker(key: AssignmentKey, source: dict[str, Any], course: Path, timeout: float, isolation: str) -> None:
    global _WORKER
    import atexit

    _WORKER = _Worker(key=key, source=source, course=course, timeout=timeout, isolation=isolation,
                      answer_cells={p.answer_cell: p.name for p in key.parts})
    atexit.register(_WORKER.close)


def _grade_all(students: Sequence[str], jobs: int, init: tuple[Any, ...], progress: TextIO | None) -> list[StudentResult]:
    global _WORKER
    results: list[StudentResult] = []
    if jobs <= 1 or len(students) < 2:
        _start_worker(*init)
        try:
            for i, student in enumerate(students):
                _bar(i, len(students), student, progress)
                results.append(_grade_one(student))
        finally:
            assert _WORKER is not None
            _WORKER.close()
            _WORKER = None
    else:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs, initializer=_start_worker, initargs=init) as pool:
            for i, result in enumerate(pool.imap_unordered(_grade_one, students, chunksize=max(1, min(16, len(students) // (jobs * 4))))):
                _bar(i + 1, len(students), result.student, progress)
                results.append(result)
            pool.close()
            pool.join()
    _bar(len(students), len(students), "done", progress)
    return sorted(results, key=lambda r: r.student)


def _bar(done: int, total: int, label: str, stream: TextIO | None) -> None:
    if stream is None:
        return
    width = 24
    filled = int(width * done / total) if total else width
    stream.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label:<24.24}")
    if done == total:
        stream.write("\n")
    stream.flush()


# --- everything after grading (this process) --------------------------------------------------------
def _results_dir(course: Path, assignment: str) -> Path:
    return key_dir(course, assignment) / "results"


def _feedback_path(course: Path, student: str, key: AssignmentKey) -> Path:
    return course / "feedback" / student / key.assignment / f"{key.notebook}.html"


def _rows(key: AssignmentKey, results: Sequence[StudentResult], hand: Mapping[tuple[str, str], Any],
          names: Mapping[str, str]) -> list[GradeRow]:
    from .gradebook import part_points

    rows = []
    for r in results:
        counted = {p.grade_id: part_points(p, hand, r.student) for p in r.parts}
        if not r.parts:
            counted = {p.grade_id: 0.0 for p in key.parts}
        waiting = sum(1 for v in counted.values() if v is None)
        status = r.status
        if status == "needs manual grading" and not waiting:
            status = "graded"
        if status == "graded" and waiting:
            status = "needs manual grading"
        rows.append(GradeRow(student=r.student, status=status, points=round(sum(v or 0.0 for v in counted.values()), 4),
                             max_points=key.max_points, needs_manual=waiting, reason=r.reason, name=names.get(r.student, ""),
                             per_part=counted))
    return rows


def write_feedback(course: Path, key: AssignmentKey, results: Sequence[StudentResult], rows: Sequence[GradeRow],
                   hand: Mapping[tuple[str, str], Any]) -> None:
    """One page per student; a student who could not be graded gets a page saying why (and no stale one)."""
    from .feedback_html import HandGrade, feedback_page

    by_student = {r.student: r for r in rows}
    for result in results:
        if result.status == "not submitted":
            continue
        path = _feedback_path(course, result.student, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("*.html"):
            if old != path:
                old.unlink()
        row = by_student[result.student]
        mine = {gid: hand.get((result.student, gid), HandGrade(None)) for gid in (p.grade_id for p in key.parts)}
        note = result.reason if not result.parts else (f"Note: {result.reason}" if result.reason else "")
        if not result.parts:
            note = f"Your submission could not be graded: {result.reason}. Every part scores 0; ask your instructor."
        path.write_text(feedback_page(title=key.title, student=result.student, parts=result.parts or _zero_parts(key),
                                      counted=row.per_part, hand=mine, note=note), encoding="utf-8")
        # `nbgrader release_feedback` finds the student's exchange copy through these two files, as nbgrader's own
        # generate_feedback leaves them; without them feedback cannot be returned through the exchange.
        submitted = course / "submitted" / result.student / key.assignment
        for name in ("timestamp.txt", "submission_secret.txt"):
            if (submitted / name).is_file():
                shutil.copyfile(submitted / name, path.parent / name)


def _zero_parts(key: AssignmentKey) -> tuple[PartResult, ...]:
    return tuple(PartResult(name=p.name, label=p.label, grade_id=p.grade_id, kind=_kind(p), points=0.0, max_points=float(p.points),
                            status="unanswered", lines=(f"{p.label}: not graded, 0 points.",)) for p in key.parts)


def _kind(part: Any) -> str:
    from .keys import BankPartKey, EssayPartKey

    return "bank" if isinstance(part, BankPartKey) else ("essay" if isinstance(part, EssayPartKey) else "code")


def _save_results(course: Path, key: AssignmentKey, results: Iterable[StudentResult]) -> None:
    folder = _results_dir(course, key.assignment)
    folder.mkdir(parents=True, exist_ok=True)
    for r in results:
        if r.status != "not submitted":
            (folder / f"{r.student}.json").write_text(r.to_json(), encoding="utf-8")


def load_results(course: Path, key: AssignmentKey) -> list[StudentResult]:
    """The results of the last grading run, one per student who handed something in."""
    folder = _results_dir(course, key.assignment)
    if not folder.is_dir():
        raise NukeduError(f"{key.assignment!r} has not been graded yet; run `nukedu assignment grade {key.assignment} --course {course}`")
    return sorted((StudentResult.from_json(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")), key=lambda r: r.student)


def export_grades(course: Path, key: AssignmentKey, rows: Sequence[GradeRow], *, formats: Sequence[str] = ("nukedu",),
                  mapping: Mapping[str, LmsStudent] | None = None, moodle_id: str = "username") -> tuple[dict[str, Path], list[str]]:
    """Write the grade files asked for; return where they went and warnings (students missing from the mapping)."""
    files: dict[str, Path] = {}
    warnings: list[str] = []
    name = key.assignment
    grade_ids = [p.grade_id for p in key.parts]
    path = course / f"{name}-parts.csv"
    path.write_text(parts_csv(rows, grade_ids), encoding="utf-8")
    files["Per-part scores"] = path
    for fmt in formats:
        if fmt not in FORMATS:
            raise NukeduError(f"unknown grade format {fmt!r}; expected one of {', '.join(FORMATS)}")
        if fmt == "nukedu":
            path = course / f"{name}-grades.csv"
            path.write_text(nukedu_csv(rows), encoding="utf-8")
            files["Grades"] = path
        elif fmt == "canvas":
            path = course / f"{name}-canvas.csv"
            path.write_text(canvas_csv(rows, name, mapping), encoding="utf-8")
            files["Canvas gradebook import"] = path
        elif fmt == "moodle":
            path = course / f"{name}-moodle.csv"
            path.write_text(moodle_csv(rows, name, mapping, moodle_id), encoding="utf-8")
            files["Moodle grade import"] = path
        else:
            from nbgrader.api import Gradebook
            from nbgrader.plugins import CsvExportPlugin

            from .gradebook import _quiet, db_url

            path = course / f"{name}-nbgrader-export.csv"
            with _quiet(), Gradebook(db_url(course)) as gb:
                CsvExportPlugin(to=str(path), assignment=[name]).export(gb)
            files["nbgrader export"] = path
    if mapping and any(f in ("canvas", "moodle") for f in formats):
        missing = unmapped(rows, mapping)
        if missing:
            warnings.append(f"{len(missing)} student(s) are not in the mapping file and will not match in the LMS: {', '.join(missing[:10])}")
    return files, warnings


def _timeout(course: Path, timeout: float | None) -> float:
    if timeout is not None:
        return float(timeout)
    from . import _nbgrader

    cfg = _nbgrader.load_config(course)
    value = cfg.Execute.timeout if "Execute" in cfg and "timeout" in cfg.Execute else DEFAULT_TIMEOUT
    return float(value) if isinstance(value, (int, float)) and value > 0 else DEFAULT_TIMEOUT


def grade_assignment(course: Path, name: str, *, jobs: int = 0, timeout: float | None = None, formats: Sequence[str] = ("nukedu",),
                     mapping: Mapping[str, LmsStudent] | None = None, moodle_id: str = "username",
                     progress: TextIO | None = None, isolation: str = "auto") -> Summary:
    """Grade every submission of `name`; see the module docstring for the steps.

    `jobs` worker processes (0: one per core) grade submissions in parallel.
    `timeout` is each code task's wall-clock limit in seconds (default: the
    course config's `Execute.timeout`).
    """
    from .gradebook import gradebook_students, record, student_names

    start = time.perf_counter()
    course = Path(course)
    key = load_key(course, name)
    source_path = course / "source" / name / f"{key.notebook}.ipynb"
    try:
        source = json.loads(source_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NukeduError(f"cannot read the source notebook {source_path}: {exc}; rebuild the assignment") from None
    submitted = course / "submitted"
    students = sorted(p.parent.name for p in submitted.glob(f"*/{name}") if p.is_dir()) if submitted.is_dir() else []
    known = gradebook_students(course)
    if not students and not known:
        raise NukeduError(f"no submissions of {name!r} in {submitted} (expected submitted/<student>/{name}/{key.notebook}.ipynb)")
    jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    results = _grade_all(students, jobs, (key, source, course, _timeout(course, timeout), isolation), progress)
    results += [StudentResult(student=s, status="not submitted", reason="nothing handed in") for s in known if s not in set(students)]
    results.sort(key=lambda r: r.student)
    from .gradebook import Graded

    hand, changed = record(course, key, [Graded(student=r.student, status=r.status, parts=r.parts, timestamp=r.timestamp) for r in results])
    names = student_names(course)
    rows = _rows(key, results, hand, names)
    write_feedback(course, key, results, rows, hand)
    _save_results(course, key, results)
    files, warnings = export_grades(course, key, rows, formats=formats, mapping=mapping, moodle_id=moodle_id)
    files = {**files, "Feedback": course / "feedback"}
    sandbox_warnings = sorted({r.sandbox_warning for r in results if r.sandbox_warning})
    return Summary(assignment=name, title=key.title, rows=tuple(rows), results=tuple(results), files=files,
                   grade_ids=tuple(p.grade_id for p in key.parts), labels={p.grade_id: p.label for p in key.parts},
                   seconds=time.perf_counter() - start, warnings=tuple(sandbox_warnings + warnings), changed_essays=tuple(sorted(changed)))


def refresh(course: Path, name: str, *, formats: Sequence[str] = ("nukedu",), mapping: Mapping[str, LmsStudent] | None = None,
            moodle_id: str = "username") -> Summary:
    """After hand-grading in formgrader: feedback pages and grade files again, with the hand scores, without regrading."""
    from .gradebook import hand_grades, student_names

    start = time.perf_counter()
    course = Path(course)
    key = load_key(course, name)
    results = load_results(course, key)
    hand = hand_grades(course, key)
    rows = _rows(key, results, hand, student_names(course))
    write_feedback(course, key, results, rows, hand)
    files, warnings = export_grades(course, key, rows, formats=formats, mapping=mapping, moodle_id=moodle_id)
    return Summary(assignment=name, title=key.title, rows=tuple(rows), results=tuple(results), files={**files, "Feedback": course / "feedback"},
                   grade_ids=tuple(p.grade_id for p in key.parts), labels={p.grade_id: p.label for p in key.parts},
                   seconds=time.perf_counter() - start, warnings=tuple(warnings))


def main_progress(quiet: bool) -> TextIO | None:
    return None if quiet else sys.stderr
