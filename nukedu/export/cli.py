"""`nukedu export FORMAT ... --out PATH`: read the options, pick the questions, write one file.

Thin on purpose: the selection is `selection.select`/`select_spec`, the file is the format's pure
function; this module only checks the options (one clear error each), refuses to replace an existing
file without --force, writes atomically and prints what was written and what was left out.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NukeduError
from . import FORMATS

if TYPE_CHECKING:
    from ..model import Bank
    from .selection import Selection

SELECTION_OPTIONS = ("topic", "types", "difficulty", "tags", "ids", "exclude", "n", "seed")
TIMELINEJS = "timelinejs"  # the timeline's events, not questions: its own options, see _timelinejs
TIMELINE_OPTIONS = ("era", "years", "search")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    text = ("write questions as Moodle XML, GIFT, a QTI zip for Canvas or an Anki package, or the timeline as "
            "TimelineJS3 JSON")
    p = sub.add_parser("export", help=text, description=text + ". Lists take commas or repeated options.")
    p.add_argument("format", metavar="FORMAT", choices=(*FORMATS, TIMELINEJS),
                   help="moodle (Moodle XML), gift (GIFT text), qti (QTI 1.2 zip for Canvas), anki (.apkg), "
                        "timelinejs (the timeline's eras and events, for TimelineJS3)")
    p.add_argument("--out", type=Path, required=True, help="the file to write (never replaced without --force)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.add_argument("--bank", type=Path, default=None, help="bank folder (default: the shipped bank)")
    p.add_argument("--spec", type=Path, default=None, help="export exactly the questions of this assignment spec")
    p.add_argument("--topic", action="append", help="topic id(s)")
    p.add_argument("--types", action="append", help="question type(s): single, multiple, true_false, numeric, "
                                                    "ordering, matching, short_text, essay")
    p.add_argument("--difficulty", action="append", help="difficulty level(s), 1 to 3")
    p.add_argument("--tags", action="append", help="tag(s): questions with any of them")
    p.add_argument("--ids", action="append", help="question ids, in the order to export them")
    p.add_argument("--exclude", action="append", help="question ids to leave out")
    p.add_argument("--n", type=str, default=None, help="draw this many of the matching questions (default: all)")
    p.add_argument("--seed", type=str, default=None, help="seed for the draw with --n (the same seed, the same draw)")
    p.add_argument("--title", default=None, help="course name: Moodle and GIFT category, Canvas quiz title, Anki "
                                                  "course deck (default: the spec's title, else 'Ukraine–NATO partnership')")
    p.add_argument("--no-glossary", action="store_true", help="anki: leave out the glossary deck")
    t = p.add_argument_group("timelinejs", "which events to export (--tags also applies: events with any of them)")
    t.add_argument("--era", action="append", help="era id(s)")
    t.add_argument("--years", type=int, nargs=2, metavar=("FIRST", "LAST"), default=None, help="only these years")
    t.add_argument("--search", default=None, help="only events whose title or summary has every word")
    p.set_defaults(func=run)


def _list(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    items = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return items


def _difficulty(values: list[str] | None) -> list[int] | None:
    items = _list(values)
    if items is None:
        return None
    bad = [v for v in items if v not in ("1", "2", "3")]
    if bad or not items:
        raise NukeduError(f"--difficulty expects 1, 2 or 3 (a list with commas), found {', '.join(map(repr, bad)) or 'nothing'}")
    return [int(v) for v in items]


def _count(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise NukeduError(f"--n expects a whole number of questions, at least 1, found {value!r}")
    return n


def _check(args: argparse.Namespace) -> None:
    timeline_only = [f"--{name}" for name in TIMELINE_OPTIONS if getattr(args, name) is not None]
    if timeline_only:
        raise NukeduError(f"{', '.join(timeline_only)} choose timeline events, for the timelinejs format only")
    given = [f"--{name}" for name in SELECTION_OPTIONS if getattr(args, name) is not None]
    if args.spec is not None and given:
        raise NukeduError(f"--spec chooses the questions itself; leave out {', '.join(given)}")
    filters = [g for g in given if g not in ("--ids", "--exclude")]
    if args.ids is not None and filters:
        raise NukeduError(f"--ids names the questions itself; leave out {', '.join(filters)}")
    if args.seed is not None and args.n is None:
        raise NukeduError("--seed only chooses which questions --n draws; give --n too")
    if args.no_glossary and args.format != "anki":
        raise NukeduError("--no-glossary is for the anki format only (no other format exports the glossary)")
    for name in ("topic", "types", "tags", "ids", "exclude"):
        if getattr(args, name) is not None and not _list(getattr(args, name)):
            raise NukeduError(f"--{name} expects at least one value, found nothing")
    out: Path = args.out
    if out.is_dir():
        raise NukeduError(f"--out {out} is a folder; expected the path of a file to write")
    if out.exists() and not args.force:
        raise NukeduError(f"{out} already exists; choose another name or pass --force to replace it")


def _select(args: argparse.Namespace) -> tuple[Bank, Selection]:
    from ..loader import load_bank
    from .selection import select, select_spec

    difficulty, n = _difficulty(args.difficulty), _count(args.n)  # option errors before the bank is read
    bank = load_bank(args.bank)
    if args.spec is not None:
        from ..assign.spec import load_spec

        return bank, select_spec(load_spec(args.spec), bank)
    return bank, select(bank, topic=_list(args.topic), types=_list(args.types), difficulty=difficulty,
                        tags=_list(args.tags), ids=_list(args.ids), exclude=_list(args.exclude) or (), n=n,
                        seed=args.seed)


def _write(path: Path, data: bytes) -> None:
    """Write next to the target and rename, so an interrupted export never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _timelinejs(args: argparse.Namespace) -> int:
    """`nukedu export timelinejs`: the timeline's eras and events, chosen by era, tags, years and search."""
    from ..loader import load_bank
    from ..timeline_data import apply, check_filters
    from .timelinejs import timelinejs_json

    questions_only = [f"--{name.replace('_', '-')}" for name in (*SELECTION_OPTIONS, "spec", "title")
                      if name != "tags" and getattr(args, name) is not None] + (["--no-glossary"] if args.no_glossary else [])
    if questions_only:
        raise NukeduError(f"{', '.join(questions_only)} choose questions; timelinejs exports the timeline's events "
                          "(choose them with --era, --tags, --years, --search)")
    out: Path = args.out
    if out.is_dir():
        raise NukeduError(f"--out {out} is a folder; expected the path of a file to write")
    if out.exists() and not args.force:
        raise NukeduError(f"{out} already exists; choose another name or pass --force to replace it")
    bank = load_bank(args.bank)
    filters = check_filters(bank, era=_list(args.era), tags=_list(args.tags),
                            years=tuple(args.years) if args.years else None, search=args.search)
    events = apply(bank, filters)
    data = timelinejs_json(bank, events).encode("utf-8")
    _write(out, data)
    if out.suffix.lower() != ".json":
        print(f"nukedu: warning: TimelineJS reads JSON; {out.name} may not be recognised", file=sys.stderr)
    print(f"wrote {len(events)} event{'s' if len(events) != 1 else ''} and {len(bank.eras)} eras to {out} "
          f"(TimelineJS3 JSON, {len(data) / 1024:.0f} KB)")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run `nukedu export`; errors are NukeduErrors, printed by the main CLI."""
    from . import export

    if args.format == TIMELINEJS:
        return _timelinejs(args)
    _check(args)
    bank, chosen = _select(args)
    title = args.title if args.title is not None else chosen.title
    if not title.strip():
        raise NukeduError("--title expects a name, found an empty text")
    options = {"glossary": not args.no_glossary} if args.format == "anki" else {}
    result = export(args.format, chosen.questions, bank, title=title, **options)
    _write(args.out, result.data)
    _, _, suffixes, name = FORMATS[args.format]
    for warning in (*chosen.warnings, *result.warnings):
        print(f"nukedu: warning: {warning}", file=sys.stderr)
    if args.out.suffix.lower() not in suffixes:
        print(f"nukedu: warning: {name} files are usually named *{suffixes[0]}; {args.out.name} may not be "
              f"recognised on import", file=sys.stderr)
    n = result.questions
    print(f"wrote {n} question{'s' if n != 1 else ''} to {args.out} ({name}, {len(result.data) / 1024:.0f} KB)")
    return 0
