"""The timeline as TimelineJS3 JSON (https://timeline.knightlab.com/docs/json-format.html).

Dates keep their true precision: a date known to the year gives only `year`,
one known to the month `year` and `month`. Each era ends on 31 December of its
last year, since TimelineJS reads a bare year as 1 January. TimelineJS shows
`headline` and `text` as HTML, so everything from the bank is escaped.
"""
from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from ..model import Bank, EventDate, TimelineEvent
from ..sources import DOCS
from ..timeline_present import era_title

TITLE = "Ukraine and NATO, 1991–2024"
GROUPS = {"event": "Events", "publication": "Publications"}


def date_object(d: EventDate) -> dict[str, Any]:
    """A TimelineJS date object with only the parts the source gives."""
    out: dict[str, Any] = {"year": d.year}
    if d.month is not None:
        out["month"] = d.month
    if d.day is not None:
        out["day"] = d.day
    out["display_date"] = str(d)
    return out


def _text(bank: Bank, e: TimelineEvent) -> str:
    parts = []
    if e.is_planned:
        parts.append(f"<p><em>{html.escape(e.status.capitalize())} when the sources were written.</em></p>")
    parts.append(f"<p>{html.escape(e.summary)}</p>")
    parts.append(f"<p>Era: {html.escape(era_title(bank, e.era))}"
                 + (f" · Categories: {html.escape(', '.join(e.tags))}" if e.tags else "") + "</p>")
    cites = "; ".join(f"<cite>{html.escape(DOCS[c.doc].title if c.doc in DOCS else c.doc)}</cite>, line {c.line}: "
                      f"“{html.escape(c.quote)}”" for c in e.sources)
    parts.append(f"<p>Source: {cites}</p>")
    return "".join(parts)


def timelinejs(bank: Bank, events: Sequence[TimelineEvent] | None = None, *, title: str = TITLE) -> dict[str, Any]:
    """TimelineJS3's JSON object: a title slide, one slide per event (date order), and the eras."""
    chosen = list(bank.events_in()) if events is None else sorted(events, key=lambda e: e.date.sort_key)
    docs = sorted({c.doc for e in chosen for c in e.sources})
    intro = ("<p>Events of Ukraine's partnership with NATO, each with the line of the source text it rests on.</p>"
             + "".join(f"<p><cite>{html.escape(DOCS[d].title if d in DOCS else d)}</cite></p>" for d in docs))
    return {
        "title": {"text": {"headline": html.escape(title), "text": intro}},
        "events": [{
            "unique_id": e.id,
            "start_date": date_object(e.date),
            "text": {"headline": html.escape(e.title), "text": _text(bank, e)},
            "group": GROUPS[e.kind],
        } for e in chosen],
        "eras": [{
            "start_date": {"year": era.start, "display_date": str(era.start)},
            "end_date": {"year": era.end, "month": 12, "day": 31, "display_date": str(era.end)},
            "text": {"headline": html.escape(era.title)},
        } for era in bank.eras],
    }


def timelinejs_json(bank: Bank, events: Sequence[TimelineEvent] | None = None) -> str:
    return json.dumps(timelinejs(bank, events), ensure_ascii=False, indent=2) + "\n"
