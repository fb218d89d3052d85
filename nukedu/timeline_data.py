"""Which timeline events to show: filters checked against the bank, then applied (no plotting here).

Kept apart from plotly and widgets so the chart, the event list, the exports and
the chronology quizzes all choose events by the same rules, and the rules can be
tested on their own. Bad filter values raise one `NukeduError` that lists the
valid ones (and the nearest match), never a widget traceback.
"""
from __future__ import annotations

import difflib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .errors import NukeduError
from .model import EVENT_KINDS, Bank, Era, TimelineEvent


@dataclass(frozen=True, slots=True)
class Filters:
    """A checked choice of events: eras, tags (any of), an inclusive year range, search words, kinds, ids.

    Empty tuples and None mean "no restriction". `years` is always set once
    checked, so the chart's range and the Years control show the same span.
    """

    eras: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    search: str = ""
    kinds: tuple[str, ...] = ()
    ids: frozenset[str] | None = None  # only these events (the chronology quiz shows what was answered)


def year_bounds(bank: Bank) -> tuple[int, int]:
    """The first and last year the bank's eras (or, without eras, its events) cover."""
    if bank.eras:
        return min(e.start for e in bank.eras), max(e.end for e in bank.eras)
    years = [e.date.year for e in bank.events] or [1991]
    return min(years), max(years)


def all_tags(bank: Bank) -> tuple[str, ...]:
    return tuple(sorted({t for e in bank.events for t in e.tags}))


def _as_tuple(value: str | Sequence[str] | None, what: str) -> tuple[object, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(sorted(value) if isinstance(value, (set, frozenset)) else value)
    raise NukeduError(f"{what} must be text or a list of texts, found {type(value).__name__}")


def _unknown(what: str, value: object, valid: Sequence[str]) -> str:
    near = difflib.get_close_matches(str(value), valid, n=1, cutoff=0.6) if isinstance(value, str) else []
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"unknown {what} {value!r}{hint}; expected one of: {', '.join(valid)}"


def _years(value: object, bounds: tuple[int, int]) -> tuple[int, int]:
    lo, hi = bounds
    expected = f"expected a year or two years (first, last) between {lo} and {hi}"
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value, value)
    if (not isinstance(value, (tuple, list)) or len(value) != 2
            or not all(isinstance(y, int) and not isinstance(y, bool) for y in value)):
        raise NukeduError(f"years={value!r}: {expected}")
    first, last = value
    if first > last:
        raise NukeduError(f"years={tuple(value)!r}: the first year comes after the last; {expected}")
    if first < lo or last > hi:
        raise NukeduError(f"years={tuple(value)!r}: the timeline covers {lo}–{hi}; {expected}")
    return first, last


def check_filters(bank: Bank, *, era: str | Sequence[str] | None = None, tags: str | Sequence[str] | None = None,
                  years: int | tuple[int, int] | None = None, search: str | None = None,
                  kinds: str | Sequence[str] | None = None, ids: Collection[str] | None = None) -> Filters:
    """Check filter values as a student or a lesson types them; one NukeduError lists every problem.

    Without `years`, the range is the chosen eras' span (or the whole bank), so
    "the Years control follows the era".
    """
    problems: list[str] = []
    era_ids = [e.id for e in bank.eras]
    tag_ids = list(all_tags(bank))
    eras: tuple[str, ...] = ()
    wanted: tuple[str, ...] = ()
    kind_ids: tuple[str, ...] = ()
    for what, value, valid in (("era", era, era_ids), ("tag", tags, tag_ids), ("kind", kinds, list(EVENT_KINDS))):
        try:
            values = _as_tuple(value, "tags" if what == "tag" else what)
        except NukeduError as exc:
            problems.append(f"{exc}; expected one of: {', '.join(valid)}")
            continue
        bad = [v for v in values if v not in valid]
        problems += [_unknown(what, v, valid) for v in bad]
        good = tuple(dict.fromkeys(str(v) for v in values if v in valid))
        if what == "era":
            eras = good
        elif what == "tag":
            wanted = good
        else:
            kind_ids = good
    span: tuple[int, int] | None = None
    if years is not None:
        try:
            span = _years(years, year_bounds(bank))
        except NukeduError as exc:
            problems.append(str(exc))
    if search is not None and not isinstance(search, str):
        problems.append(f"search must be text, found {type(search).__name__}")
        search = None
    known = {e.id for e in bank.events}
    chosen_ids = None
    if ids is not None:
        chosen_ids = frozenset(ids)
        missing = sorted(chosen_ids - known)
        if missing:
            problems.append(f"unknown event id{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))}")
    if problems:
        head = problems[0] if len(problems) == 1 else f"{len(problems)} problems with the timeline's filters:\n- " + "\n- ".join(problems)
        raise NukeduError(head)
    if span is None:
        span = era_span(bank, eras)
    return Filters(eras=eras, tags=wanted, years=span, search=(search or "").strip(), kinds=kind_ids, ids=chosen_ids)


def era_span(bank: Bank, eras: Sequence[str] = ()) -> tuple[int, int]:
    """The years of the chosen eras (all eras when none is chosen)."""
    chosen = [e for e in bank.eras if not eras or e.id in eras]
    if not chosen:
        return year_bounds(bank)
    return min(e.start for e in chosen), max(e.end for e in chosen)


def _words(search: str | None) -> list[str]:
    return (search or "").casefold().split()


def matches(event: TimelineEvent, words: Sequence[str]) -> bool:
    """Every search word occurs in the title, summary, tags or date (case does not matter)."""
    if not words:
        return True
    text = " ".join((event.title, event.summary, " ".join(event.tags), str(event.date))).casefold()
    return all(w in text for w in words)


def filter_events(
    bank: Bank,
    *,
    era: str | Sequence[str] | None = None,
    tags: str | Sequence[str] | None = None,
    years: tuple[int, int] | None = None,
    kinds: str | Sequence[str] | None = None,
    search: str | None = None,
    ids: Collection[str] | None = None,
) -> list[TimelineEvent]:
    """Events in date order that belong to the era(s), carry any of the tags, fall in the year range (inclusive),
    are of the kind(s) given ("event", "publication"; default both), contain every search word, and (with `ids`)
    are among those ids. Values are not checked here: see `check_filters`."""
    eras = None if not era else ({era} if isinstance(era, str) else set(era))
    wanted = None if not tags else ({tags} if isinstance(tags, str) else set(tags))
    allowed = None if not kinds else ({kinds} if isinstance(kinds, str) else set(kinds))
    words = _words(search)
    chosen = None if ids is None else set(ids)
    return [
        e for e in bank.events_in()
        if (eras is None or e.era in eras)
        and (wanted is None or wanted.intersection(e.tags))
        and (years is None or years[0] <= e.date.year <= years[1])
        and (allowed is None or e.kind in allowed)
        and (chosen is None or e.id in chosen)
        and matches(e, words)
    ]


def apply(bank: Bank, filters: Filters) -> list[TimelineEvent]:
    """`filter_events` with checked filters."""
    return filter_events(bank, era=filters.eras or None, tags=filters.tags or None, years=filters.years,
                         kinds=filters.kinds or None, search=filters.search, ids=filters.ids)


def era_of_year(eras: Sequence[Era], year: int) -> Era | None:
    return next((e for e in eras if e.start <= year <= e.end), None)


def neighbours(bank: Bank, event: TimelineEvent) -> tuple[TimelineEvent | None, TimelineEvent | None]:
    """The events just before and just after, by date (different dates only); publications are not events."""
    ordered = [e for e in bank.events_in() if not e.is_publication]
    before = [e for e in ordered if e.date.sort_key < event.date.sort_key]
    after = [e for e in ordered if e.date.sort_key > event.date.sort_key]
    return (before[-1] if before else None, after[0] if after else None)

