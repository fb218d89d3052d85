"""The one scoring function behind widgets, timeline quizzes and nbgrader tests.

`score(question, response)` is pure and exact. Partial credit, with
`points` the question's worth:

- single, true_false, short_text: all or nothing.
- multiple: (right picks - wrong picks) / number of right answers, floor 0.
  Options not in the question count as wrong picks.
- numeric: all within ± tolerance (inclusive), else nothing.
- ordering: share of item pairs whose relative order is right (each pair
  of items that are both placed, earlier before later); a missing item makes
  every pair it belongs to wrong.
- matching: share of left-hand items given their right-hand partner.
- essay: nothing automatic; status "needs_grading", maximum the rubric total.

An empty response (None, "", [] or {}) is "unanswered" and earns 0.
Points are rounded to 4 decimals so graders get stable numbers.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

from .model import (
    Essay, Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice, TrueFalse,
)
from .sources import normalise

Status = Literal["correct", "partial", "incorrect", "unanswered", "needs_grading"]


@dataclass(frozen=True, slots=True)
class Result:
    """What a response earned and what to tell the student about it."""

    question_id: str
    points: float
    max_points: float
    status: Status
    feedback: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    @property
    def fraction(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


def _empty(response: Any) -> bool:
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, (list, tuple, set, frozenset, dict)):
        return len(response) == 0
    return False


def _result(q: Question, share: float, feedback: list[str]) -> Result:
    share = min(max(share, 0.0), 1.0)
    status: Status = "correct" if share >= 1.0 else ("incorrect" if share <= 0.0 else "partial")
    return Result(q.id, round(q.points * share, 4), float(q.points), status, tuple(feedback))


def normalise_text(text: str) -> str:
    """Short answers compared without case, extra spaces, fancy quotes or a final full stop."""
    return normalise(str(text)).casefold().rstrip(".").strip()


def score(question: Question, response: Any) -> Result:
    """Score one response; see the module docstring for every rule."""
    q = question
    if isinstance(q, Essay):
        rubric = tuple(f"{c.criterion} ({c.points} point{'s' if c.points != 1 else ''})" for c in q.rubric)
        status: Status = "unanswered" if _empty(response) else "needs_grading"
        return Result(q.id, 0.0, float(q.points), status, rubric)
    if _empty(response):
        return Result(q.id, 0.0, float(q.points), "unanswered", ("No answer given.",))
    if isinstance(q, SingleChoice):
        choice = str(response)
        if choice == q.answer:
            return _result(q, 1, [])
        return _result(q, 0, [q.feedback[choice]] if choice in q.feedback else [])
    if isinstance(q, TrueFalse):
        value = _as_bool(response)
        if value is None:
            return _result(q, 0, ["Answer True or False."])
        if value == q.answer:
            return _result(q, 1, [])
        key = "true" if value else "false"
        return _result(q, 0, [q.feedback[key]] if key in q.feedback else [])
    if isinstance(q, MultipleChoice):
        picked = _as_strings(response)
        right = [p for p in picked if p in q.answers]
        wrong = [p for p in picked if p not in q.answers]
        feedback = [q.feedback[w] for w in wrong if w in q.feedback]
        missed = len(q.answers) - len(right)
        if missed:
            feedback.append(f"{missed} correct option{'s were' if missed > 1 else ' was'} not chosen.")
        return _result(q, (len(right) - len(wrong)) / len(q.answers), feedback)
    if isinstance(q, Numeric):
        value = _as_number(response)
        if value is None:
            return _result(q, 0, [f"{response!r} is not a number."])
        off = abs(value - q.answer)
        if off <= q.tolerance + 1e-9:
            return _result(q, 1, [])
        direction = "too high" if value > q.answer else "too low"
        unit = f" {q.unit}{'s' if q.unit == 'year' and off != 1 else ''}" if q.unit else ""
        return _result(q, 0, [f"Your answer is {direction} by {off:g}{unit}."])
    if isinstance(q, Ordering):
        placed = _as_strings(response)
        position = {item: i for i, item in reversed(list(enumerate(placed)))}
        pairs = list(combinations(q.items, 2))
        good = sum(1 for a, b in pairs if a in position and b in position and position[a] < position[b])
        extra = len(placed) - len(set(placed) & set(q.items))  # unknown or repeated entries
        share = good / (len(pairs) + extra)
        feedback = [] if share >= 1 else [f"{good} of {len(pairs)} pairs of items are in the right relative order."]
        return _result(q, share, feedback)
    if isinstance(q, Matching):
        given = {str(k): str(v) for k, v in response.items()} if isinstance(response, Mapping) else {}
        good = sum(1 for p in q.pairs if given.get(p.left) == p.right)
        feedback = [] if good == len(q.pairs) else [f"{good} of {len(q.pairs)} pairs are matched correctly."]
        return _result(q, good / len(q.pairs), feedback)
    if isinstance(q, ShortText):
        answer = normalise_text(str(response))
        ok = any(answer == normalise_text(a) for a in q.accepted) or bool(
            q.pattern and re.fullmatch(q.pattern, answer, flags=re.IGNORECASE)
        )
        return _result(q, 1 if ok else 0, [])
    raise TypeError(f"cannot score a {type(q).__name__}")


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    return {"true": True, "false": False}.get(text)


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip().replace(",", "")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _as_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [str(v) for v in value]
    return [str(value)]
