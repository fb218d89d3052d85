"""The bridge between cards and the store: record every action, and bring a card back as it was left.

The cards know nothing of SQLite: they call `record(tutor, context)` after
each check, hint, give-up and reset (through `nukedu.widgets.card`'s recorder
hook), and `restore` when they are made. `context["place"]` says where the
card lives (a lesson's `ask`, round k of a quiz in a notebook), so the same
question answered in two places is resumed in each as it was left there.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..tutor import plain_response
from .history import current, question_hash, replay_events
from .store import AttemptRecord, ProgressStore, default_path

if TYPE_CHECKING:
    from ..model import Question
    from ..tutor import Tutor

_stores: dict[str, ProgressStore] = {}


def active_store() -> ProgressStore | None:
    """This learner's store (opened on first use, at `NUKEDU_PROGRESS` or the default); None when recording is off."""
    path = default_path()
    if path is None:
        return None
    key = str(path)
    store = _stores.get(key)
    if store is None:
        store = _stores[key] = ProgressStore(path)
    return store


def close_all() -> None:
    """Close every open store (tests, or before moving the file)."""
    for store in _stores.values():
        store.close()
    _stores.clear()


def current_notebook() -> str | None:
    """The notebook this kernel runs, when Jupyter says (jupyter_server sets JPY_SESSION_NAME for its kernels)."""
    for name in ("JPY_SESSION_NAME", "NUKEDU_NOTEBOOK"):
        value = os.environ.get(name, "").strip()
        if value:
            return value
    try:
        from IPython import get_ipython

        shell = get_ipython()
        value = shell.user_ns.get("__session__") if shell is not None else None
        return str(value) if value else None
    except Exception:  # no IPython: a plain script
        return None


def place_of(kind: str, key: str = "") -> str:
    """Where a card lives: its kind and key, in the current notebook."""
    return f"{kind}{':' + key if key else ''}@{current_notebook() or ''}"


def record(tutor: Tutor, context: Mapping[str, Any]) -> None:
    """Save what just happened to `tutor` (event in context["event"]); schedule its review when it finished."""
    store = active_store()
    if store is None:
        return
    event = str(context.get("event", "check"))
    q = tutor.question
    last = tutor.last
    is_check = event == "check" and last is not None
    rec = AttemptRecord(
        learner=store.learner, question_id=q.id, question_hash=question_hash(q),
        place=str(context.get("place") or place_of("card")), event=event,
        response=plain_response(last.response) if is_check and last else None,
        status=last.result.status if is_check and last else None,
        points=last.result.points if is_check and last else None,
        max_points=q.points, hints_used=tutor.hints_shown, given_up=tutor.given_up,
        notebook=context.get("notebook") or current_notebook(), topic=q.topic,
    )
    store.record(rec)
    if event in ("check", "give_up") and tutor.finished:
        from .schedule import rating_name, review

        rating = rating_name(status=last.result.status if last else None, attempts=len(tutor.attempts),
                             hints_used=tutor.hints_shown, given_up=tutor.given_up)
        if rating is not None:
            review(store, q.id, rating, rec.at)


def restore(place: str, questions: Sequence[Question], tutor_of: Callable[[int], Tutor]) -> int:
    """Bring question i's tutor (`tutor_of(i)`, made only when it has records) back to where the learner left it
    in `place`; returns how many came back."""
    store = active_store()
    if store is None or not questions:
        return 0
    by_question = current(store.records(place=place, question_ids={q.id for q in questions} | {"*"}))
    restored = 0
    for i, q in enumerate(questions):
        rows = by_question.get(q.id)
        if rows and tutor_of(i).restore(replay_events(rows, question_hash(q))):
            restored += 1
    return restored


def save_session(place: str, data: dict[str, Any]) -> None:
    store = active_store()
    if store is not None:
        store.save_session(place, data)


def load_session(place: str) -> dict[str, Any] | None:
    store = active_store()
    return store.load_session(place) if store is not None else None



def record_reset(place: str, question_id: str = "*") -> None:
    """Note that the learner started over in `place` (all its questions by default); nothing earlier is deleted."""
    store = active_store()
    if store is not None:
        store.record(AttemptRecord(learner=store.learner, question_id=question_id, question_hash="", place=place,
                                   event="reset", notebook=current_notebook()))
