"""Reading a learner's records back: which records still count, and what each question looked like.

`question_hash` is taken over what a student sees (prompt, the set of choices,
unit, points), never over the key, so the hash in a progress file cannot be
used to find an answer; an edited prompt or choice list starts the question
afresh instead of restoring answers to a different question.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from ..model import Matching, MultipleChoice, Numeric, Ordering, Question, SingleChoice
from .store import AttemptRecord

ALL_QUESTIONS = "*"


def question_hash(question: Question) -> str:
    """A short fingerprint of the question as a student sees it (choices as a set, not in key order)."""
    seen: dict[str, Any] = {"type": question.type, "prompt": question.prompt, "points": question.points}
    if isinstance(question, (SingleChoice, MultipleChoice)):
        seen["options"] = sorted(question.options)
    elif isinstance(question, Ordering):
        seen["items"] = sorted(question.items)
    elif isinstance(question, Matching):
        seen["lefts"] = sorted(question.lefts)
        seen["choices"] = sorted(question.choices)
    elif isinstance(question, Numeric):
        seen["unit"] = question.unit
    text = json.dumps(seen, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def current(records: Iterable[AttemptRecord]) -> dict[str, list[AttemptRecord]]:
    """Per question, the records made since its last reset (a reset of "*" clears the whole place)."""
    out: dict[str, list[AttemptRecord]] = {}
    for r in records:
        if r.event == "reset":
            if r.question_id == ALL_QUESTIONS:
                out.clear()
            else:
                out.pop(r.question_id, None)
            continue
        out.setdefault(r.question_id, []).append(r)
    return out


def replay_events(records: Iterable[AttemptRecord], fingerprint: str) -> list[tuple[str, Any, int]]:
    """(event, response, hints used) for a Tutor to replay, from the records of this version of the question."""
    return [(r.event, r.response, r.hints_used) for r in records if r.question_hash == fingerprint]
