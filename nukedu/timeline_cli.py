"""`nukedu timeline`: the timeline's events as text, or as one standalone offline page (`--html`).

(`nukedu export timelinejs`, the TimelineJS3 JSON, sits with the other exports in `export/cli.py`.)"""
from __future__ import annotations

import argparse
from pathlib import Path

from .errors import NukeduError


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    t = sub.add_parser("timeline", help="print the timeline, or write it as a standalone offline page (--html)",
                       description="The timeline's events as text, or as one offline HTML page with the chart, "
                                   "the event list and the citations (plotly.js inlined once).")
    _filters(t)
    t.add_argument("--html", type=Path, default=None, help="write the standalone page here")
    t.add_argument("--force", action="store_true", help="replace --html if it exists")
    t.set_defaults(func=_timeline)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bank", type=Path, default=None, help="bank folder (default: the shipped bank)")
    p.add_argument("--era", action="append", default=None, help="era id(s): commas or repeated")
    p.add_argument("--tags", action="append", default=None, help="only events with any of these tags: commas or repeated")
    p.add_argument("--years", type=int, nargs=2, metavar=("FIRST", "LAST"), default=None, help="only these years")
    p.add_argument("--search", default=None, help="only events whose title or summary has every word")


def _chosen(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .loader import load_bank
    from .timeline_data import check_filters

    def items(values: list[str] | None) -> list[str] | None:
        return None if values is None else [v.strip() for value in values for v in value.split(",") if v.strip()]

    bank = load_bank(args.bank)
    return bank, check_filters(bank, era=items(args.era), tags=items(args.tags),
                               years=tuple(args.years) if args.years else None, search=args.search)


def _write(path: Path, text: str, force: bool) -> None:
    from .export.cli import _write as write_whole  # written beside and renamed: never half a file

    if path.is_dir():
        raise NukeduError(f"--html {path} is a folder; expected the path of a file to write")
    if path.exists() and not force:
        raise NukeduError(f"{path} already exists; choose another name or pass --force to replace it")
    try:
        write_whole(path, text.encode("utf-8"))
    except OSError as exc:
        raise NukeduError(f"cannot write {path}: {exc.strerror or exc}") from None


def _timeline(args: argparse.Namespace) -> int:
    from .timeline_data import apply
    from .timeline_present import timeline_text

    bank, filters = _chosen(args)
    if args.html is None:
        print(timeline_text(bank, apply(bank, filters)))
        return 0
    from .export.timeline_page import timeline_page

    page = timeline_page(bank, filters)
    _write(args.html, page, args.force)
    print(f"wrote {args.html} ({len(page.encode()) / 1e6:.1f} MB, works offline)")
    return 0

