"""Timeline data without plotting: filtering events and laying out same-year events in lanes.

Kept apart from plotly so the layout rules can be tested and reused by the
timeline quiz and the lessons.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Bank, Era, TimelineEvent


@dataclass(frozen=True, slots=True)
class PlacedEvent:
    """An event with where it goes: x in decimal years, a lane so same-year events don't overlap, and how sure the date is."""

    event: TimelineEvent
    x: float
    lane: int  # counted within the event's row: events and publications each have their own lanes
    half_width: float  # 0.5 for a year-only date, half a month for a month, 0 for a day

    @property
    def row(self) -> str:
        """"event" or "publication": the chart draws publications in a row of their own."""
        return self.event.kind

    @property
    def precision(self) -> str:
        d = self.event.date
        return "day" if d.day else ("month" if d.month else "year")


def filter_events(
    bank: Bank,
    *,
    era: str | Sequence[str] | None = None,
    tags: str | Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
    kinds: str | Sequence[str] | None = None,
) -> list[TimelineEvent]:
    """Events in date order that belong to the era(s), carry any of the tags, fall in the year range (inclusive)
    and are of the kind(s) given ("event", "publication"; default both)."""
    eras = None if era is None else ({era} if isinstance(era, str) else set(era))
    wanted = None if tags is None else ({tags} if isinstance(tags, str) else set(tags))
    allowed = None if kinds is None else ({kinds} if isinstance(kinds, str) else set(kinds))
    return [
        e for e in bank.events_in()
        if (eras is None or e.era in eras)
        and (wanted is None or wanted.intersection(e.tags))
        and (years is None or years[0] <= e.date.year <= years[1])
        and (allowed is None or e.kind in allowed)
    ]


def place(events: Sequence[TimelineEvent]) -> list[PlacedEvent]:
    """Give each event of a year its own lane (0, 1, 2, ...) in date order; publications get lanes of their own."""
    by_year: dict[tuple[str, int], int] = defaultdict(int)
    placed = []
    for e in sorted(events, key=lambda e: e.date.sort_key):
        lane = by_year[e.kind, e.date.year]
        by_year[e.kind, e.date.year] += 1
        d = e.date
        half = 0.0 if d.day else (1 / 24 if d.month else 0.5)
        placed.append(PlacedEvent(e, d.decimal_year, lane, half))
    return placed


def era_of_year(eras: Sequence[Era], year: int) -> Era | None:
    return next((e for e in eras if e.start <= year <= e.end), None)


def neighbours(bank: Bank, event: TimelineEvent) -> tuple[TimelineEvent | None, TimelineEvent | None]:
    """The events just before and just after, by date (different dates only); publications are not events."""
    ordered = [e for e in bank.events_in() if not e.is_publication]
    before = [e for e in ordered if e.date.sort_key < event.date.sort_key]
    after = [e for e in ordered if e.date.sort_key > event.date.sort_key]
    return (before[-1] if before else None, after[0] if after else None)
