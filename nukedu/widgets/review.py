"""`nukedu.review()`: a quiz of what is due for spaced repetition, and a few new questions.

The plan is made once per day and kept with the quiz's position, so running
the cell again the same day resumes the same review instead of drawing anew.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..errors import NukeduError
from ..loader import shipped_bank
from ..model import Bank
from ..learner.recorder import active_store, load_session, place_of
from ..learner.schedule import review_plan
from ..learner.store import ProgressStore
from ..tutor import MAX_ATTEMPTS
from .session import QuizSession


def review(n: int = 10, *, topic: str | Sequence[str] | None = None, bank: Bank | None = None,
           max_attempts: int = MAX_ATTEMPTS) -> QuizSession:
    """Up to `n` questions: those due (most overdue first), then a few you have not met yet (essays are left out)."""
    if n < 1:
        raise NukeduError("review needs n of at least 1")
    bank = bank or shipped_bank()
    topics = {topic} if isinstance(topic, str) else set(topic or ())
    candidates = [q.id for q in bank.questions if q.type != "essay" and (not topics or q.topic in topics)]
    if not candidates:
        raise NukeduError(f"no questions to review{f' in {sorted(topics)}' if topics else ''}")
    today = date.today().isoformat()
    place = place_of("review", f"{today}:{n}:{','.join(sorted(topics))}")
    saved = load_session(place)
    if saved and saved.get("ids"):
        ids = [i for i in saved.get("first_ids", saved["ids"]) if i in set(candidates)]
    else:
        store = active_store() or ProgressStore(None)
        ids = review_plan(store, candidates, n, seed=today)
    titles = {x.id: x.title for x in bank.topics}
    session = QuizSession([bank.question(i) for i in ids], seed=today, title="Review", topic_titles=titles,
                          max_attempts=max_attempts, place=place)
    return session
