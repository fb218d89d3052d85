"""`nukedu timeline` and `nukedu export timelinejs`: the timeline as files for a browser or TimelineJS."""
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
    e = sub.add_parser("export", help="export the timeline to other tools",
                       description="Export the bank's timeline to other tools.")
    formats = e.add_subparsers(dest="format", metavar="FORMAT")
    formats.required = True
    j = formats.add_parser("timelinejs", help="TimelineJS3 JSON (eras, events, dates at their true precision)",
                           description="Write the timeline as TimelineJS3 JSON: "
                                       "https://timeline.knightlab.com/docs/json-format.html")
    _filters(j)
    j.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    j.add_argument("--force", action="store_true", help="replace --out if it exists")
    j.set_defaults(func=_timelinejs)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--bank", type=Path, default=None, help="bank folder (default: the shipped bank)")
    p.add_argument("--era", action="append", default=None, help="only this era (repeat for several)")
    p.add_argument("--tag", action="append", default=None, help="only events with this tag (repeat: any of them)")
    p.add_argument("--years", type=int, nargs=2, metavar=("FIRST", "LAST"), default=None, help="only these years")
    p.add_argument("--search", default=None, help="only events whose title or summary has every word")


def _chosen(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .loader import load_bank
    from .timeline_data import check_filters

    bank = load_bank(args.bank)
    return bank, check_filters(bank, era=args.era, tags=args.tag, years=tuple(args.years) if args.years else None,
                               search=args.search)


def _write(path: Path, text: str, force: bool) -> None:
    if path.exists() and not force:
        raise NukeduError(f"{path} already exists; choose another name or pass --force")
    try:
        path.write_text(text, encoding="utf-8")
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


def _timelinejs(args: argparse.Namespace) -> int:
    from .export.timelinejs import timelinejs_json
    from .timeline_data import apply

    bank, filters = _chosen(args)
    events = apply(bank, filters)
    _write(args.out, timelinejs_json(bank, events), args.force)
    print(f"wrote {args.out} ({len(events)} events, {len(bank.eras)} eras) for TimelineJS3")
    return 0

