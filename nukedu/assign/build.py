"""Specs to an nbgrader course: config, source notebooks, then nbgrader's generate_assignment.

I/O lives here: the spec and notebook modules only build values.
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
from . import _nbgrader
from .runtime import AnswerFormatError, summarise
from .spec import Assignment, CodeItem, Spec, resolve

DEFAULT_TIMEOUT = 30


@dataclass(frozen=True, slots=True, kw_only=True)
class Built:
    """What one build wrote."""

    assignment: Assignment
    source: Path
    release: Path | None


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


def expected_results(assignment: Assignment, bank_path: Path | None = None) -> dict[str, dict[str, Any]]:
    """Run each code task's given code and solution; their results become the hidden tests' expected values."""
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
    if issues:
        raise BankError(issues)
    return out


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
    """Resolve every spec (all problems reported at once), write the course, then release each assignment."""
    issues: list[Issue] = []
    resolved: list[tuple[Assignment, dict[str, dict[str, Any]]]] = []
    names: dict[str, str] = {}
    for spec in specs:
        if spec.name in names:
            issues.append(Issue(Span(spec.file, 1, 1), "name", f"assignment name {spec.name!r} is also used by {names[spec.name]}"))
            continue
        names[spec.name] = spec.file
        try:
            assignment = resolve(spec, bank)
            resolved.append((assignment, expected_results(assignment, bank_path)))
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
        built.append(Built(assignment=assignment, source=source, release=None))
    if release:
        with _nbgrader.session(course) as api:
            for i, b in enumerate(built):
                _nbgrader.check(api.generate_assignment(b.assignment.name, force=True, create=True), f"nbgrader generate_assignment {b.assignment.name}")
                built[i] = Built(assignment=b.assignment, source=b.source, release=course / "release" / b.assignment.name / b.source.name)
    return built


