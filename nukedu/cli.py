"""The `nukedu` command for instructors: validate and summarise banks, build and grade assignments."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import BankError, NukeduError


def _version() -> str:
    from . import __version__

    return __version__


def _cmd_validate(args: argparse.Namespace) -> int:
    from .loader import load_bank

    try:
        bank = load_bank(args.path)
    except BankError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        n = len(exc.issues)
        print(f"{n} problem{'s' if n != 1 else ''} found.", file=sys.stderr)
        return 1
    pubs = sum(e.is_publication for e in bank.events)
    events = f"{len(bank.events)} events" + (f" ({pubs} publications)" if pubs else "")
    print(f"OK: {len(bank.questions)} questions, {events}, {len(bank.terms)} terms.")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    from .loader import load_bank
    from .stats import report

    print(report(load_bank(args.path)))
    return 0


def _cmd_assignment(args: argparse.Namespace) -> int:
    from .assign import cli as assignment_cli  # imports nbgrader only for these commands

    return assignment_cli.run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="nukedu", description=__doc__)
    parser.add_argument("--version", action="version", version=f"nukedu {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, func, text in (
        ("validate", _cmd_validate, "check a question bank and list every problem (exit 1 if any)"),
        ("stats", _cmd_stats, "counts by type, topic and difficulty, and which source lines are cited"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("path", nargs="?", type=Path, default=None, help="bank folder (default: the shipped bank)")
        p.set_defaults(func=func)
    try:
        from .assign.cli import add_parser as add_assignment_parser
    except ImportError:  # pragma: no cover - the assignment module is part of the package
        add_assignment_parser = None
    if add_assignment_parser is not None:
        add_assignment_parser(sub, _cmd_assignment)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BankError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        return 1
    except NukeduError as exc:
        print(f"nukedu: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("nukedu: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # never show a bare traceback to an instructor
        print(f"nukedu: internal error: {type(exc).__name__}: {exc} (please report this)", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
