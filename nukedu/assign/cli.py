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

    g = sub.add_parser("grade", help="autograde all submissions, write feedback and CSV, print a summary")
    g.add_argument("name", help="assignment name")
    g.add_argument("--course", type=Path, required=True, help="the course directory")
    g.add_argument("--timeout", type=int, default=None, help="seconds a cell may run (default: the course config's)")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=handler)


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
                print(f"{b.assignment.name}: {len(b.assignment.items)} parts, {b.assignment.points} points -> {where}")
            return 0
        from .grade import grade_assignment

        summary = grade_assignment(args.course, args.name, timeout=args.timeout, progress=None if args.quiet else sys.stderr)
        print(summary.render())
        return 0
    except BankError as exc:
        return _report(exc.issues)
    except NukeduError as exc:
        print(f"nukedu: error: {exc}", file=sys.stderr)
        return 1
