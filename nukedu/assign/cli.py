"""`nukedu assignment validate|build|grade`: thin wrappers that print every problem and set exit codes.

0 ok, 1 bad data (every issue listed, no traceback), 2 usage (argparse).
nbgrader is imported only when a command needs it.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from ..errors import BankError, Issue, NukeduError


def add_parser(subparsers: argparse._SubParsersAction, handler: Callable[[argparse.Namespace], int]) -> None:
    """Register `nukedu assignment ...`; `handler(args)` ends up in `run(args)`."""
    text = "build nbgrader assignments from specs and grade the submissions"
    p = subparsers.add_parser("assignment", help=text, description=text)
    sub = p.add_subparsers(dest="assignment_command", metavar="ACTION")
    sub.required = True

    v = sub.add_parser("validate", help="check specs against the bank and list every problem")
    v.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    v.add_argument("--bank", type=Path, default=None, help="bank folder (default: the shipped bank)")

    b = sub.add_parser("build", help="write an nbgrader course (config, source/, release/) from specs")
    b.add_argument("specs", nargs="+", type=Path, metavar="SPEC")
    b.add_argument("--course", type=Path, required=True, help="the course directory to write")
    b.add_argument("--bank", type=Path, default=None, help="bank folder (default: the shipped bank)")
    b.add_argument("--no-release", action="store_true", help="write source notebooks only, skip nbgrader generate_assignment")
    b.add_argument("--timeout", type=int, default=30, help="seconds a cell may run when autograding (default 30)")

    g = sub.add_parser("grade", help="grade all submissions outside the students' code; write gradebook, feedback and grade files",
                       description="Grade every submission of NAME with the trusted grader: answers are read, not run; code tasks "
                                   "run in a sandbox. Scores go into gradebook.db (formgrader and `nbgrader export` keep working).")
    g.add_argument("name", help="assignment name")
    g.add_argument("--course", type=Path, required=True, help="the course directory")
    g.add_argument("--jobs", type=int, default=0, help="worker processes (default: one per core)")
    g.add_argument("--timeout", type=float, default=None, help="seconds a code task may run (default: the course config's)")
    _grade_files(g)
    g.add_argument("--quiet", action="store_true", help="no progress bar")

    r = sub.add_parser("report", help="item analysis of a graded assignment: how each question worked (HTML report, CSV)",
                       description="Item analysis of NAME as graded: facility, discrimination, blanks, the options chosen and "
                                   "the most common wrong answers per question; score distribution and reliability; flags for "
                                   "questions to look at. Writes one self-contained HTML page with plotly charts (it shows the "
                                   "answer keys: for instructors only) and, with --csv, the per-question figures.")
    r.add_argument("name", help="assignment name")
    r.add_argument("--course", type=Path, required=True, help="the course directory")
    r.add_argument("--out", type=Path, default=None, help="the HTML report to write (default: <course>/<name>-report.html)")
    r.add_argument("--csv", type=Path, default=None, help="also write the per-question figures as CSV here")

    f = sub.add_parser("feedback", help="after hand-grading in formgrader: rewrite feedback pages and grade files with the hand scores")
    f.add_argument("name", help="assignment name")
    f.add_argument("--course", type=Path, required=True, help="the course directory")
    _grade_files(f)
    p.set_defaults(func=handler)


def _grade_files(p: argparse.ArgumentParser) -> None:
    from .lms import FORMATS, MOODLE_IDS

    p.add_argument("--format", dest="formats", action="append", choices=FORMATS, default=None,
                   help="grade file to write, repeatable: nukedu (default), canvas, moodle, nbgrader")
    p.add_argument("--students", type=Path, default=None, metavar="CSV",
                   help="student-id mapping for the LMS: a CSV with a `student` column and any of name, canvas_id, "
                        "sis_user_id, sis_login_id, section, username, idnumber, email")
    p.add_argument("--moodle-id", choices=tuple(MOODLE_IDS), default="username", help="the identifier Moodle matches on (default: username)")


def _report(issues: tuple[Issue, ...]) -> int:
    for issue in issues:
        print(issue, file=sys.stderr)
    n = len(issues)
    print(f"{n} problem{'s' if n != 1 else ''} found.", file=sys.stderr)
    return 1


def _specs(paths: list[Path]):  # type: ignore[no-untyped-def]
    from .spec import load_spec

    specs, issues = [], []
    for path in paths:
        try:
            specs.append(load_spec(path))
        except BankError as exc:
            issues.extend(exc.issues)
    if issues:
        raise BankError(issues)
    return specs


def run(args: argparse.Namespace) -> int:
    """Run one `nukedu assignment` action."""
    from ..loader import load_bank

    try:
        if args.assignment_command == "validate":
            from .spec import resolve

            specs = _specs(args.specs)
            bank = load_bank(args.bank)
            issues: list[Issue] = []
            for spec in specs:
                try:
                    a = resolve(spec, bank)
                    print(f"OK: {spec.name}: {len(a.items)} parts, {a.points} points.")
                except BankError as exc:
                    issues.extend(exc.issues)
            if issues:
                raise BankError(issues)
            return 0
        if args.assignment_command == "build":
            from .build import build_assignments

            specs = _specs(args.specs)
            bank = load_bank(args.bank)
            built = build_assignments(specs, bank, args.course, bank_path=args.bank, release=not args.no_release, timeout=args.timeout)
            for b in built:
                where = b.release or b.source
                print(f"{b.assignment.name}: {len(b.assignment.items)} parts, {b.assignment.points} points -> {where} (key: {b.key})")
                for line in b.warnings:
                    print(f"warning: {line}", file=sys.stderr)
            return 0
        if args.assignment_command == "report":
            return _report_command(args)
        from .grade import grade_assignment, refresh

        mapping = None
        if args.students is not None:
            from .lms import parse_mapping

            try:
                text = args.students.read_text(encoding="utf-8")
            except OSError as exc:
                raise NukeduError(f"cannot read {args.students}: {exc.strerror or exc}") from None
            mapping = parse_mapping(text, str(args.students))
        formats = args.formats or ["nukedu"]
        if args.assignment_command == "feedback":
            summary = refresh(args.course, args.name, formats=formats, mapping=mapping, moodle_id=args.moodle_id)
        else:
            summary = grade_assignment(args.course, args.name, jobs=args.jobs, timeout=args.timeout, formats=formats, mapping=mapping,
                                       moodle_id=args.moodle_id, progress=None if args.quiet else sys.stderr)
        print(summary.render())
        return 0
    except BankError as exc:
        return _report(exc.issues)
    except NukeduError as exc:
        print(f"nukedu: error: {exc}", file=sys.stderr)
        return 1


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise NukeduError(f"cannot write {path}: {exc.strerror or exc}") from None


def _report_command(args: argparse.Namespace) -> int:
    """`nukedu assignment report`: the analysis, the HTML page and the CSV; the headline figures and flags on stdout."""
    from ..analysis.items import items_csv, summary_text
    from .report import assignment_analysis, check_report_path

    out = args.out or args.course / f"{args.name}-report.html"
    for path in (out, args.csv):
        if path is not None:
            check_report_path(args.course, path)
    analysis = assignment_analysis(args.course, args.name)
    from ..analysis.html import assignment_report_html

    _write(out, assignment_report_html(analysis))
    if args.csv is not None:
        _write(args.csv, items_csv(analysis))
    print(summary_text(analysis))
    print(f"Report: {out}" + (f"\nPer-question figures: {args.csv}" if args.csv is not None else ""))
    return 0
