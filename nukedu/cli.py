"""The `nukedu` command for instructors: validate and summarise banks, build and grade assignments, export questions."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import BankError, NukeduError

if TYPE_CHECKING:
    from .lint import Claim
    from .model import Bank


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
    return _lint(bank, args)


def _lint(bank: Bank, args: argparse.Namespace) -> int:
    """The lint's adapter: read the bank's YAML and the source texts, print warnings and claims."""
    from .lint import lint, only_claims

    texts = _bank_texts(bank)
    warnings = lint(bank, texts)
    severity = "error" if args.strict else "warning"
    for w in warnings:
        print(w.render(severity), file=sys.stderr)
    lines, note = _source_lines(args.path) if args.review else ({}, "")
    claims = only_claims(bank, texts, lines)
    n = len(warnings)
    if args.strict and warnings:
        print(f"{n} problem{'s' if n != 1 else ''} found (lint warnings are errors under --strict).", file=sys.stderr)
        return 1
    pubs = sum(e.is_publication for e in bank.events)
    events = f"{len(bank.events)} events" + (f" ({pubs} publications)" if pubs else "")
    print(f"OK: {len(bank.questions)} questions, {events}, {len(bank.terms)} terms.")
    if warnings:
        print(f"{n} warning{'s' if n != 1 else ''} (--strict makes them errors).", file=sys.stderr)
    if args.review:
        _print_claims(claims, note)
    elif claims:
        c = len(claims)
        print(f"{c} sentence{'s' if c != 1 else ''} with \"only\" to check against the cited lines: nukedu validate --review")
    return 0


def _print_claims(claims: Sequence[Claim], note: str) -> None:
    if note:
        print(note)
    c = len(claims)
    print(f"{c} sentence{'s' if c != 1 else ''} with \"only\" in hints, feedback and explanations; "
          "check each against the cited source lines:")
    for claim in claims:
        print()
        print(claim.render())


def _bank_texts(bank: Bank) -> dict[str, str]:
    """The YAML each item was read from (by the file its span names), so the lint can point at fields."""
    files = {x.span.file for x in (*bank.questions, *bank.events) if x.span is not None}
    texts = {}
    for file in sorted(files):
        try:
            texts[file] = Path(file).read_text(encoding="utf-8")  # universal newlines, as the loader reads
        except (OSError, UnicodeDecodeError):
            pass  # then warnings point at the item rather than the field
    return texts


def _source_lines(path: Path | None) -> tuple[dict[str, list[str]], str]:
    """Each source text's lines, found as the loader finds them; else nothing and a note saying so."""
    from .loader import default_bank_path
    from .sources import find_sources_dir, read_lines

    directory = find_sources_dir(path if path is not None else default_bank_path())
    if directory is None:
        return {}, ("note: the source texts were not found (../shared/sources or $NUKEDU_SOURCES); "
                    "each claim shows its citations' quotes instead of the lines.")
    return read_lines(directory), ""


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
        ("validate", _cmd_validate, "check a question bank and list every problem (exit 1 if any), then lint it"),
        ("stats", _cmd_stats, "counts by type, topic and difficulty, and which source lines are cited"),
    ):
        p = sub.add_parser(name, help=text, description=text)
        p.add_argument("path", nargs="?", type=Path, default=None, help="bank folder (default: the shipped bank)")
        p.set_defaults(func=func)
        if name == "validate":
            p.add_argument("--strict", action="store_true",
                           help="treat lint warnings (years in ordering items, impossible numeric ranges) as errors")
            p.add_argument("--review", action="store_true",
                           help='list each sentence with "only" in hints, feedback and explanations with the '
                                "source lines its item cites, for a person to check (informational)")
    from .progress_cli import add_parser as add_progress_parser
    from .timeline_cli import add_parsers as add_timeline_parsers

    add_progress_parser(sub)
    add_timeline_parsers(sub)
    from .export.cli import add_parser as add_export_parser

    add_export_parser(sub)
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
    except BrokenPipeError:  # `nukedu stats | head`: the reader has what it wanted; say nothing more
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the final flush at exit cannot fail
        return 0
    except Exception as exc:  # never show a bare traceback to an instructor
        print(f"nukedu: internal error: {type(exc).__name__}: {exc} (please report this)", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
