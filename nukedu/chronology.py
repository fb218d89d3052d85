"""Chronology questions made from the timeline: order these events, and place an event in its year.

They are ordinary `Ordering` and `Numeric` questions, so the shared scoring
function grades them and they fit into any quiz session.
"""
from __future__ import annotations

from collections.abc import Sequence

from .errors import NukeduError
from .loader import shipped_bank
from .model import Bank, Numeric, Ordering, Question, TimelineEvent, Topic
from .select import rng
from .timeline_data import filter_events, neighbours

TOPIC = Topic(id="timeline", title="Timeline")


def _ordering(events: list[TimelineEvent], key: str) -> Ordering:
    ordered = sorted(events, key=lambda e: e.date.sort_key)
    steps = "; ".join(f"{e.title} ({e.date})" for e in ordered)
    return Ordering(
        id=f"timeline-order-{key}", topic=TOPIC.id, difficulty=2,
        prompt="Put these events in chronological order, earliest first.",
        items=tuple(e.title for e in ordered),
        explanation=f"In order: {steps}.",
        sources=tuple(c for e in ordered for c in e.sources[:1]),
        tags=("timeline", "chronology"),
    )


def _placing(bank: Bank, event: TimelineEvent, tolerance: int) -> Numeric:
    before, after = neighbours(bank, event)
    where = []
    if before:
        where.append(f"after “{before.title}” ({before.date})")
    if after:
        where.append(f"before “{after.title}” ({after.date})")
    position = f" On the timeline it comes {' and '.join(where)}." if where else ""
    # a year after the texts' last one cannot be right: near the end the tolerance shrinks (2025 never passes)
    latest = max(e.date.year for e in bank.events)
    tolerance = max(0, min(tolerance, latest - event.date.year))
    return Numeric(
        id=f"timeline-year-{event.id}", topic=TOPIC.id, difficulty=1,
        prompt=f"In which year did this happen: “{event.title}”?",
        answer=event.date.year, tolerance=tolerance, unit="year",
        explanation=f"{event.title}: {event.date}. {event.summary}{position}",
        sources=event.sources, tags=("timeline", "dates"),
    )


def question_events(bank: Bank, question: Question) -> list[str]:
    """The ids of the timeline events a chronology question is about (none for other questions)."""
    if question.id.startswith("timeline-year-"):
        event_id = question.id.removeprefix("timeline-year-")
        return [event_id] if any(e.id == event_id for e in bank.events) else []
    if question.id.startswith("timeline-order-") and isinstance(question, Ordering):
        by_title = {e.title: e.id for e in bank.events if not e.is_publication}
        return [by_title[t] for t in question.items if t in by_title]
    return []


def timeline_questions(bank: Bank, n: int = 5, *, era: str | Sequence[str] | None = None,
                       seed: int | str | None = None, tolerance: int = 1) -> list[Question]:
    """`n` chronology questions alternating "order these" (4–6 events with distinct years) and "which year".

    Publications are left out: when a report appeared is not part of the history it reports.
    """
    events = filter_events(bank, era=era, kinds="event")
    if len(events) < 2:
        raise NukeduError(f"the timeline{f' of era {era!r}' if era else ''} has too few events for a quiz")
    gen = rng(seed, "timeline-quiz")
    by_year: dict[int, list[TimelineEvent]] = {}
    for e in events:
        by_year.setdefault(e.date.year, []).append(e)
    questions: list[Question] = []
    used_years: list[int] = []
    for k in range(n):
        years = sorted(by_year)
        if k % 2 == 0 and len(years) >= 3:
            size = min(len(years), gen.randint(4, 6))
            chosen_years = gen.sample(years, size)
            picks = [gen.choice(by_year[y]) for y in chosen_years]
            questions.append(_ordering(picks, f"{seed}-{k}"))
        else:
            # an event whose title names its own year would give the answer away
            fair = [y for y in years if any(str(y) not in e.title for e in by_year[y])]
            fresh = [y for y in fair if y not in used_years] or fair
            if not fresh:
                raise NukeduError("every event title names its year; no year question can be asked")
            year = gen.choice(fresh)
            used_years.append(year)
            event = gen.choice([e for e in by_year[year] if str(year) not in e.title])
            questions.append(_placing(bank, event, tolerance))
    return questions


def timeline_quiz(n: int = 5, era: str | None = None, seed: int | str | None = None, *,
                  tolerance: int = 1, bank: Bank | None = None, remember: bool = True):
    """A quiz session of chronology questions drawn reproducibly from the timeline (remembered like `quiz`).

    Below the questions, the timeline's chart (the same light chart as
    `nukedu.timeline()`) places each question's events once its answer is earned.
    """
    from .widgets.chronology import TimelineQuizSession

    bank = bank or shipped_bank()
    place = None
    if remember:
        import secrets

        from .learner.recorder import load_session, place_of

        place = place_of("timeline-quiz", f"{n}:{era}:{seed}:{tolerance}")
        if seed is None:
            saved = load_session(place)
            seed = saved.get("first_seed") if saved and saved.get("first_seed") is not None else secrets.randbelow(10**9)
    questions = timeline_questions(bank, n, era=era, seed=seed, tolerance=tolerance)
    title = "Timeline quiz" + (f": {bank.era(era).title}" if era else "")
    return TimelineQuizSession(questions, bank=bank, era=era, seed=seed, title=title,
                               topic_titles={TOPIC.id: TOPIC.title}, place=place)
