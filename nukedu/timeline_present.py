"""The timeline's events as plain rows, text and HTML: what the event list, the details, the static copy
and the standalone page show. No widgets and no plotly here."""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from .model import Bank, TimelineEvent
from .present import citation_html, citation_text
from .sources import DOCS
from .timeline_chart import THEMES, Chart, era_colour
from .timeline_data import Filters, all_tags, year_bounds

MAX_ROWS = 2000  # the list shows at most this many events; a note says how many more there are

PRECISION = {"year": "only the year is known", "month": "only the month is known", "day": ""}


def precision(event: TimelineEvent) -> str:
    d = event.date
    return "day" if d.day else ("month" if d.month else "year")


def sort_date(event: TimelineEvent) -> str:
    d = event.date
    return f"{d.year:04d}-{d.month or 0:02d}-{d.day or 0:02d}"


def short_date(event: TimelineEvent) -> str:
    """"4 Oct 1995", "Dec 1991", "1994": the list's date column."""
    import calendar

    d = event.date
    if d.month is None:
        return str(d.year)
    month = calendar.month_abbr[d.month]
    return f"{d.day} {month} {d.year}" if d.day else f"{month} {d.year}"


def era_title(bank: Bank, era_id: str) -> str:
    return next((e.title for e in bank.eras if e.id == era_id), era_id)


def event_row(bank: Bank, event: TimelineEvent) -> dict[str, Any]:
    """One event as the list and the details panel show it (plain values: the page escapes them)."""
    return {
        "id": event.id, "date": str(event.date), "short_date": short_date(event), "sort": sort_date(event), "precision": precision(event),
        "title": event.title, "summary": event.summary, "era": event.era, "era_title": era_title(bank, event.era),
        "colour": era_colour(bank.eras, event.era), "kind": event.kind, "status": event.status,
        "tags": list(event.tags),
        "sources": [{"doc": c.doc, "title": DOCS[c.doc].title if c.doc in DOCS else c.doc, "line": c.line,
                     "quote": c.quote} for c in event.sources],
    }


def notes(event: TimelineEvent) -> list[str]:
    """What a reader must know besides the date: precision, planned or expected, publication."""
    out = []
    if PRECISION[precision(event)]:
        out.append(PRECISION[precision(event)])
    if event.is_planned:
        out.append(f"{event.status} when the sources were written")
    if event.is_publication:
        out.append("publication")
    return out


def timeline_text(bank: Bank, events: Sequence[TimelineEvent], heading: str = "Timeline") -> str:
    """The events as plain text, one a line, with their sources (consoles, exports, screen readers)."""
    lines = [f"{heading} ({len(events)} event{'s' if len(events) != 1 else ''})"]
    for e in events:
        extra = f" ({'; '.join(notes(e))})" if notes(e) else ""
        lines.append(f"{str(e.date):>18}  {e.title}{extra}: {e.summary} "
                     f"[{'; '.join(citation_text(c) for c in e.sources)}]")
    return "\n".join(lines)


def event_html(bank: Bank, e: TimelineEvent) -> str:
    extra = f" ({html.escape('; '.join(notes(e)))})" if notes(e) else ""
    sources = "; ".join(citation_html(c) for c in e.sources)
    return (f'<li id="{html.escape(e.id)}"><strong>{html.escape(e.title)}</strong> · {html.escape(str(e.date))}{extra}'
            f" · {html.escape(era_title(bank, e.era))}<br>{html.escape(e.summary)}<br>"
            f"<small>Source: {sources}</small></li>")


def timeline_static_html(bank: Bank, events: Sequence[TimelineEvent], note: str) -> str:
    """A collapsed list of the events with their sources, for a notebook opened without a kernel."""
    items = "".join(event_html(bank, e) for e in events)
    n = len(events)
    return (f'<details class="nukedu-tl-static"><summary>The {n} event{"s" if n != 1 else ""} of this timeline, '
            f"with their sources. {html.escape(note)}</summary><ol>{items}</ol></details>")


def count_text(bank: Bank, events: Sequence[TimelineEvent]) -> str:
    n, total = len(events), len(bank.events)
    pubs = sum(e.is_publication for e in events)
    tail = f" ({pubs} publication{'s' if pubs != 1 else ''})" if pubs else ""
    return f"Showing {n} of {total} events{tail}"


def options_of(bank: Bank) -> dict[str, Any]:
    """What the filters offer: the eras (with their colours), the tags and the first and last year."""
    first, last = year_bounds(bank)
    return {"eras": [{"id": e.id, "title": e.title, "start": e.start, "end": e.end, "colour": era_colour(bank.eras, e.id)}
                     for e in bank.eras],
            "tags": list(all_tags(bank)), "bounds": [first, last]}


def filters_of(f: Filters) -> dict[str, Any]:
    return {"era": f.eras[0] if len(f.eras) == 1 else None, "tags": list(f.tags),
            "years": list(f.years) if f.years else None, "search": f.search}


def list_state(bank: Bank, chart: Chart) -> dict[str, Any]:
    """The event list's part of the widget's state: rows, "+k more" groups, count and a note when capped."""
    rows = chart.events[:MAX_ROWS]
    hidden = len(chart.events) - len(rows)
    return {"rows": [event_row(bank, e) for e in rows], "groups": chart.groups, "count": count_text(bank, chart.events),
            "note": f"The list shows the first {len(rows)}; narrow the filters to see the other {hidden}." if hidden else ""}


def themes_state() -> dict[str, Any]:
    return {name: {"template": th["template"], "ring": th["ring"]} for name, th in THEMES.items()}


__all__ = ["MAX_ROWS", "count_text", "event_row", "filters_of", "list_state", "options_of", "themes_state",
           "timeline_static_html", "timeline_text"]
