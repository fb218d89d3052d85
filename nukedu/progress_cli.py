"""`nukedu progress ...`: where a learner's progress is kept, export and import it, and sum up a class."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import NukeduError


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("progress", help="a learner's saved answers: where, export, import, class summary, item report",
                       description="A learner's saved answers (the progress store).")
    p.add_argument("--store", type=Path, default=None,
                   help="the progress file (default: $NUKEDU_PROGRESS or <jupyter data dir>/nukedu/progress.sqlite)")
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    w = actions.add_parser("where", help="print where progress is kept and how much it holds")
    w.set_defaults(func=_where)
    e = actions.add_parser("export", help="write this learner's records to a JSON file (never keys)")
    e.add_argument("--out", type=Path, required=True, help="the JSON file to write")
    e.add_argument("--force", action="store_true", help="replace --out if it exists")
    e.set_defaults(func=_export)
    i = actions.add_parser("import", help="merge exported records into this store (records already there are skipped)")
    i.add_argument("files", type=Path, nargs="+", help="export files")
    i.set_defaults(func=_import)
    c = actions.add_parser("class", help="which questions a class gets wrong most, from a folder of exports")
    c.add_argument("folder", type=Path, help="a folder of *.json exports (one per learner)")
    c.add_argument("--csv", type=Path, default=None, help="write the table as CSV here")
    c.add_argument("--html", type=Path, default=None, help="write a plotly chart here")
    c.add_argument("--top", type=int, default=20, help="questions in the chart (default 20)")
    c.set_defaults(func=_class)
    r = actions.add_parser("report", help="item analysis of self-study: facility and common wrong answers per bank question",
                           description="From learners' progress exports: per bank question, the share of learners right at "
                                       "their first check and the most common wrong answers; one self-contained HTML page "
                                       "with plotly charts, and with --csv the same figures as a table.")
    r.add_argument("exports", type=Path, nargs="+", metavar="EXPORT",
                   help="progress export files, or folders of *.json exports (one per learner)")
    r.add_argument("--out", type=Path, default=Path("progress-report.html"), help="the HTML report (default: progress-report.html)")
    r.add_argument("--csv", type=Path, default=None, help="also write the per-question figures as CSV here")
    r.add_argument("--bank", type=Path, default=None, help="bank folder for question texts (default: the shipped bank)")
    r.set_defaults(func=_report)


def run(args: argparse.Namespace) -> int:
    return args.func(args)


def _store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    import warnings

    from .learner.store import ProgressStore, ProgressWarning, default_path

    path = args.store or default_path()
    if path is None:
        raise NukeduError("recording is off (NUKEDU_PROGRESS=off): there is no progress file; pass --store FILE")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ProgressWarning)
        store = ProgressStore(path, warn=True)
    if store.problem:
        raise NukeduError(f"cannot use the progress file: {store.problem}")
    for w in caught:
        print(f"nukedu: warning: {w.message}", file=sys.stderr)
    return store


def _where(args: argparse.Namespace) -> int:
    store = _store(args)
    print(f"progress file: {store.path}")
    print(f"learner: {store.learner}")
    print(f"records: {store.count()}")
    print("start a quiz or card over with its reset() method; answers already saved stay in the file.")
    return 0


def _export(args: argparse.Namespace) -> int:
    from .learner.exchange import export_json

    if args.out.exists() and not args.force:
        raise NukeduError(f"{args.out} already exists; choose another name or pass --force")
    store = _store(args)
    data = store.export()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(export_json(data), encoding="utf-8")
    print(f"wrote {len(data['records'])} records of {store.learner} to {args.out}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from .learner.exchange import read_export

    batches = []
    errors = []
    for f in args.files:
        try:
            batches.append((f, read_export(f)))
        except NukeduError as exc:
            errors.append(str(exc))
    if errors:  # nothing is merged unless every file is sound
        raise NukeduError("\n".join(errors))
    store = _store(args)
    for f, records in batches:
        added, skipped = store.merge(records)
        print(f"{f}: {added} records added, {skipped} already there")
    return 0


def _class(args: argparse.Namespace) -> int:
    from .learner.exchange import class_csv, class_summary, read_export

    if not args.folder.is_dir():
        raise NukeduError(f"{args.folder}: not a folder of progress exports")
    files = sorted(args.folder.glob("*.json"))
    if not files:
        raise NukeduError(f"{args.folder}: no *.json progress exports in it")
    records, errors = [], []
    for f in files:
        try:
            records += read_export(f)
        except NukeduError as exc:
            errors.append(str(exc))
    if errors:
        raise NukeduError("\n".join(errors))
    rows = class_summary(records)
    table = class_csv(rows)
    if args.csv:
        args.csv.write_text(table, encoding="utf-8")
        print(f"wrote {args.csv}")
    if args.html:
        class_figure(rows, args.top).write_html(args.html, include_plotlyjs=True)  # offline: classrooms often are
        print(f"wrote {args.html}")
    if not args.csv and not args.html:
        sys.stdout.write(table)
    learners = len({r.learner for r in records})
    print(f"{learners} learners, {len(rows)} questions answered", file=sys.stderr)
    return 0


def _export_files(paths: list[Path]) -> list[Path]:
    """The export files named, folders opened for their *.json; every missing or empty one reported at once."""
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.json"))
            if not found:
                problems.append(f"{path}: no *.json progress exports in this folder")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or folder")
    if problems:
        raise NukeduError("\n".join(problems))
    return files


def _report(args: argparse.Namespace) -> int:
    from .analysis.selfstudy import analyse_progress, study_csv, study_text
    from .learner.exchange import read_export
    from .loader import load_bank

    records, errors = [], []
    for f in _export_files(args.exports):
        try:
            records += read_export(f)
        except NukeduError as exc:
            errors.append(str(exc))
    if errors:
        raise NukeduError("\n".join(errors))
    bank = load_bank(args.bank)
    analysis = analyse_progress(records, {q.id: q for q in bank.questions})
    from .analysis.html import progress_report_html

    for path, text in ((args.out, progress_report_html(analysis)), (args.csv, study_csv(analysis) if args.csv else None)):
        if path is None or text is None:
            continue
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise NukeduError(f"cannot write {path}: {exc.strerror or exc}") from None
    print(study_text(analysis))
    print(f"Report: {args.out}" + (f"\nPer-question figures: {args.csv}" if args.csv else ""))
    return 0


def class_figure(rows, top: int = 20):  # type: ignore[no-untyped-def]
    """A bar per question, the share of learners wrong at the first check, most missed on top."""
    import plotly.graph_objects as go

    shown = list(reversed(rows[:top]))
    fig = go.Figure(go.Bar(x=[round(100 * r.wrong_share) for r in shown], y=[r.question_id for r in shown],
                           orientation="h", text=[f"{r.first_wrong} of {r.learners}" for r in shown],
                           textposition="auto", marker_color="#c0392b",
                           hovertemplate="%{y}: %{x}% wrong at first (%{text})<extra></extra>"))
    fig.update_layout(title="Questions the class gets wrong most (share wrong at the first check)",
                      xaxis={"range": [0, 100], "title": "% of learners"}, height=160 + 26 * max(len(shown), 3),
                      margin={"l": 300}, template="plotly_white")
    return fig
