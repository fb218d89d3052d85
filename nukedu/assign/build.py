"""Specs to an nbgrader course: config, source notebooks, answer keys, then nbgrader's generate_assignment.

I/O lives here: the spec and notebook modules only build values. Besides
nbgrader's `source/` and `release/`, a build writes each assignment's answer
key and the timeline data its code tasks run on to `<course>/nukedu/<name>/`,
which nbgrader never releases (see `keys`).
"""
from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..errors import BankError, Issue
from ..model import Bank, Span
from ..loader import default_bank_path
from . import _nbgrader
from .keys import key_path, task_data_dir
from .leaks import answer_leaks
from .runtime import AnswerFormatError, summarise
from .spec import Assignment, CodeItem, Spec, resolve

DEFAULT_TIMEOUT = 30


@dataclass(frozen=True, slots=True, kw_only=True)
class Built:
    """What one build wrote."""

    assignment: Assignment
    source: Path
    release: Path | None
    key: Path | None = None
    warnings: tuple[str, ...] = ()


@contextlib.contextmanager
def _bank_env(bank_path: Path | None) -> Iterator[None]:
    """Make `nukedu.load_bank()` in instructor code load the build's bank."""
    old = os.environ.get("NUKEDU_BANK")
    if bank_path is not None:
        os.environ["NUKEDU_BANK"] = str(bank_path)
    try:
        yield
    finally:
        if bank_path is not None:
            if old is None:
                os.environ.pop("NUKEDU_BANK", None)
            else:
                os.environ["NUKEDU_BANK"] = old


TASK_DATA_FILES = ("timeline.yaml", "glossary.yaml")


def _run_solution(assignment: Assignment, bank_path: Path | None) -> tuple[dict[str, dict[str, Any]], list[Issue]]:
    """Each code task's results when its given code and solution run on the bank at `bank_path`."""
    out: dict[str, dict[str, Any]] = {}
    issues: list[Issue] = []
    for item in assignment.items:
        if not isinstance(item, CodeItem):
            continue
        part, span = item.part, item.part.span or Span(assignment.spec.file, 1, 1)
        path = f"code {part.name!r}"
        ns: dict[str, Any] = {"__name__": "__nukedu_solution__"}
        try:
            with _bank_env(bank_path), contextlib.redirect_stdout(io.StringIO()):
                exec(compile(part.given + "\n" + part.solution, f"<{part.name}>", "exec"), ns)  # noqa: S102 - the instructor's own solution
        except Exception as exc:  # the solution is data here: report it at the spec's line
            issues.append(Issue(span, path, f"the solution failed at build time: {type(exc).__name__}: {exc}"))
            continue
        values: dict[str, Any] = {}
        for res in part.results:
            if res.name not in ns:
                issues.append(Issue(span, f"{path}.results", f"the solution does not define {res.name!r}"))
                continue
            try:
                values[res.name] = summarise(ns[res.name], res.kind)
            except AnswerFormatError as exc:
                issues.append(Issue(span, f"{path}.results", f"{res.name}: {exc}"))
        out[item.name] = values
    return out, issues


def expected_results(assignment: Assignment, bank_path: Path | None = None, task_data: Path | None = None) -> dict[str, dict[str, Any]]:
    """Run each code task's given code and solution; their results are what the grader expects.

    Graded code sees only the timeline and glossary (`task_data`), never a
    question: a solution whose results change when the questions are taken
    away is reported, since students' code would be graded without them.
    """
    full, issues = _run_solution(assignment, bank_path)
    if task_data is None or issues:
        if issues:
            raise BankError(issues)
        return full
    bare, bare_issues = _run_solution(assignment, task_data)
    for item in assignment.items:
        if isinstance(item, CodeItem) and (bare_issues or bare.get(item.name) != full.get(item.name)):
            span = item.part.span or Span(assignment.spec.file, 1, 1)
            issues.append(Issue(span, f"code {item.part.name!r}.solution",
                                "the results depend on the bank's questions, which graded code does not see; "
                                "use bank.events, bank.eras and bank.terms"))
    if issues:
        raise BankError(issues)
    return bare


def write_task_data(bank_dir: Path, target: Path) -> None:
    """Copy the timeline and glossary (never the questions) for code tasks to run on."""
    target.mkdir(parents=True, exist_ok=True)
    for name in TASK_DATA_FILES:
        source = bank_dir / name
        if source.is_file():
            _write_if_changed(target / name, source.read_text(encoding="utf-8"))
        elif (target / name).exists():
            (target / name).unlink()


def _write_if_changed(path: Path, text: str) -> None:
    """Keep the file (and its time stamp) when nothing changed, so nbgrader sees no new version."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_config(course: Path, *, timeout: int = DEFAULT_TIMEOUT, bank_path: Path | None = None, course_id: str = "nukedu") -> Path:
    """Write nbgrader_config.py unless the instructor took it over (removed our first line)."""
    path = course / _nbgrader.CONFIG_NAME
    if path.is_file() and not path.read_text(encoding="utf-8").startswith(_nbgrader.CONFIG_MARK):
        return path
    bank = bank_path.resolve() if bank_path is not None else None
    _write_if_changed(path, _nbgrader.config_text(course_id=course_id, timeout=timeout, bank=bank))
    return path


def notebook_text(assignment: Assignment, expected: dict[str, dict[str, Any]]) -> str:
    import nbformat

    from .notebook import build_notebook

    nb = build_notebook(assignment, expected)
    nbformat.validate(nb)
    return nbformat.writes(nb)


def build_assignments(
    specs: Sequence[Spec], bank: Bank, course: Path, *, bank_path: Path | None = None,
    release: bool = True, timeout: int = DEFAULT_TIMEOUT,
) -> list[Built]:
    """Resolve every spec (all problems reported at once), write the course and the keys, then release each assignment."""
    from .notebook import build_key

    issues: list[Issue] = []
    resolved: list[tuple[Assignment, dict[str, dict[str, Any]]]] = []
    names: dict[str, str] = {}
    bank_dir = Path(bank_path) if bank_path is not None else default_bank_path()
    for spec in specs:
        if spec.name in names:
            issues.append(Issue(Span(spec.file, 1, 1), "name", f"assignment name {spec.name!r} is also used by {names[spec.name]}"))
            continue
        names[spec.name] = spec.file
        try:
            assignment = resolve(spec, bank)
            task_data = task_data_dir(course, assignment.name)
            write_task_data(bank_dir, task_data)
            resolved.append((assignment, expected_results(assignment, bank_path, task_data)))
        except BankError as exc:
            issues.extend(exc.issues)
    if issues:
        raise BankError(issues)
    course.mkdir(parents=True, exist_ok=True)
    write_config(course, timeout=timeout, bank_path=bank_path)
    built: list[Built] = []
    for assignment, expected in resolved:
        source = course / "source" / assignment.name / f"{assignment.name}.ipynb"
        _write_if_changed(source, notebook_text(assignment, expected))
        key = key_path(course, assignment.name)
        _write_if_changed(key, build_key(assignment, expected).to_json())
        warnings = tuple(f"{assignment.spec.file or assignment.name}: {line}" for line in answer_leaks(assignment))
        built.append(Built(assignment=assignment, source=source, release=None, key=key, warnings=warnings))
    if release:
        with _nbgrader.session(course) as api:
            for i, b in enumerate(built):
                _nbgrader.check(api.generate_assignment(b.assignment.name, force=True, create=True), f"nbgrader generate_assignment {b.assignment.name}")
                built[i] = Built(assignment=b.assignment, source=b.source, release=course / "release" / b.assignment.name / b.source.name,
                                 key=b.key, warnings=b.warnings)
    return built
