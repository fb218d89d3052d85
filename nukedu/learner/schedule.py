"""Spaced repetition with FSRS (the `fsrs` package): which question to review, and when.

A question is reviewed each time a card of it is *finished*. The rating comes
from how it went: right at the first try without a hint → Good; right after a
hint or another try → Hard; wrong to the end or answer shown → Again. Essays
are not scheduled (a person grades them). Fuzzing is off so the schedule is
reproducible and a test can compare it with `fsrs` called directly.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .store import ProgressStore


def rating_name(*, status: str | None, attempts: int, hints_used: int, given_up: bool) -> str | None:
    """Again, Hard or Good for a finished question; None when it is not to be scheduled."""
    if status == "needs_grading":
        return None
    if given_up:
        return "Again"
    if status == "correct":
        return "Good" if attempts == 1 and hints_used == 0 else "Hard"
    return "Again"


def scheduler() -> Any:
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def review(store: ProgressStore, question_id: str, rating: str, at: float) -> float:
    """Apply one review to the question's card in the store; returns the new due time (epoch seconds)."""
    from fsrs import Card, Rating

    saved = store.review_cards().get(question_id)
    card = Card.from_dict(saved[0]) if saved else Card()
    reviews = saved[2] if saved else 0
    card, _log = scheduler().review_card(card, Rating[rating], review_datetime=datetime.fromtimestamp(at, timezone.utc))
    due = card.due.timestamp()
    store.save_review_card(question_id, card.to_dict(), due, reviews + 1)
    return due


def due_questions(store: ProgressStore, now: float | None = None) -> list[tuple[str, float]]:
    """(question id, due time) of every scheduled question that is due, most overdue first."""
    moment = datetime.now(timezone.utc).timestamp() if now is None else now
    cards = store.review_cards()
    return sorted(((qid, due) for qid, (_card, due, _n) in cards.items() if due <= moment), key=lambda x: (x[1], x[0]))


def review_plan(store: ProgressStore, candidates: Sequence[str], n: int, *, now: float | None = None,
                new_share: float = 0.2, seed: int | str = 0) -> list[str]:
    """Up to `n` question ids: due ones first (most overdue first), then a few never seen, then the soonest due.

    `candidates` are the questions that may be asked (the bank's, in its order).
    """
    import random

    allowed = set(candidates)
    cards = store.review_cards()
    due = [qid for qid, _ in due_questions(store, now) if qid in allowed]
    seen = store.question_ids() | set(cards)
    unseen = [qid for qid in candidates if qid not in seen]
    random.Random(f"{seed}").shuffle(unseen)
    new_slots = max(1, round(n * new_share)) if unseen else 0
    plan = due[: max(0, n - new_slots)]
    plan += unseen[: n - len(plan)]
    if len(plan) < n:  # nothing more due and nothing new: the ones coming due soonest
        later = sorted((due_at, qid) for qid, (_c, due_at, _r) in cards.items() if qid in allowed and qid not in plan)
        plan += [qid for _, qid in later[: n - len(plan)]]
    return plan
