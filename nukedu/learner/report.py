"""What a learner's records add up to: per question, per topic, per lesson and per day. Pure: no plotly here.

"Right" means the latest check since the question was last started was
correct and the answer was not shown first; "mastery" of a topic is the share
of its questions in the bank that are right. A question is "due" when its
spaced-repetition card says so.
"""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Bank
    from .store import ProgressStore

NO_LESSON = "outside a notebook"


@dataclass(frozen=True, slots=True)
class QuestionProgress:
    """One question the learner has met: how often, how it went, and when to review it."""

    question_id: str
    topic: str
    lesson: str
    checks: int
    right: bool
    first_try_right: bool
    gave_up: bool
    last_status: str
    last_at: float
    due: float | None


@dataclass(frozen=True, slots=True)
class Tally:
    """Counts for one topic, lesson or day."""

    label: str
    questions: int        # in the bank (topics), or met (lessons, days)
    answered: int
    right: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.questions) if self.questions else 0


@dataclass(frozen=True, slots=True)
class ProgressSummary:
    learner: str
    questions: tuple[QuestionProgress, ...]
    topics: tuple[Tally, ...]
    lessons: tuple[Tally, ...]
    days: tuple[Tally, ...]          # per day: checks made (answered) and right ones
    due_now: tuple[str, ...]
    attempts: int

    @property
    def answered(self) -> int:
        return len(self.questions)

    @property
    def right(self) -> int:
        return sum(1 for q in self.questions if q.right)


def lesson_name(notebook: str | None) -> str:
    return PurePosixPath(notebook).stem if notebook else NO_LESSON


def summarise(store: ProgressStore, bank: Bank | None = None, *, now: float | None = None) -> ProgressSummary:
    """Everything the dashboard shows, from one pass over the learner's records."""
    moment = time.time() if now is None else now
    per_q: dict[str, dict[str, object]] = {}
    days: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    attempts = 0
    for qid, event, status, at, notebook, topic, given_up, place in store.outcomes():
        if event == "reset":
            if qid != "*" and qid in per_q:
                per_q[qid]["fresh"] = True
            continue
        row = per_q.setdefault(qid, {"topic": topic, "lesson": lesson_name(notebook), "checks": 0, "right": False,
                                     "first": None, "gave_up": False, "status": "", "at": at, "fresh": True})
        row["at"] = at
        if notebook:
            row["lesson"] = lesson_name(notebook)
        if event == "give_up":
            row.update(gave_up=True, right=False, status="answer shown")
            continue
        if event != "check":
            continue
        attempts += 1
        row["checks"] = int(row["checks"]) + 1  # type: ignore[call-overload]
        if row["fresh"]:  # the first check of a new start decides "first try right" (latest start wins)
            row["first"] = status == "correct"
            row["gave_up"] = False
            row["fresh"] = False
        row["status"] = status or ""
        row["right"] = status in ("correct", "needs_grading") and not row["gave_up"]
        day = days[datetime.fromtimestamp(at).strftime("%Y-%m-%d")]
        day[0] += 1
        day[1] += status == "correct"
    cards = store.review_cards()
    questions = tuple(
        QuestionProgress(question_id=qid, topic=str(r["topic"]), lesson=str(r["lesson"]), checks=int(r["checks"]),  # type: ignore[call-overload]
                         right=bool(r["right"]), first_try_right=bool(r["first"]), gave_up=bool(r["gave_up"]),
                         last_status=str(r["status"]), last_at=float(r["at"]),  # type: ignore[arg-type]
                         due=cards[qid][1] if qid in cards else None)
        for qid, r in per_q.items())
    due_now = tuple(qid for qid, (_c, due, _n) in sorted(cards.items(), key=lambda x: x[1][1]) if due <= moment)
    return ProgressSummary(learner=store.learner, questions=questions, topics=_topics(questions, bank),
                           lessons=_group(questions, lambda q: q.lesson), days=tuple(
                               Tally(label=d, questions=c[0], answered=c[0], right=c[1]) for d, c in sorted(days.items())),
                           due_now=due_now, attempts=attempts)


def _topics(questions: tuple[QuestionProgress, ...], bank: Bank | None) -> tuple[Tally, ...]:
    met: dict[str, list[QuestionProgress]] = defaultdict(list)
    for q in questions:
        met[q.topic].append(q)
    out = []
    if bank is not None:
        for topic in bank.topics:
            total = sum(1 for q in bank.questions if q.topic == topic.id)
            rows = met.pop(topic.id, [])
            out.append(Tally(label=topic.title, questions=total, answered=len(rows), right=sum(q.right for q in rows)))
    for topic_id, rows in sorted(met.items()):  # timeline quizzes, or a bank without the topic
        out.append(Tally(label=topic_id, questions=len(rows), answered=len(rows), right=sum(q.right for q in rows)))
    return tuple(out)


def _group(questions: tuple[QuestionProgress, ...], key) -> tuple[Tally, ...]:  # type: ignore[no-untyped-def]
    groups: dict[str, list[QuestionProgress]] = defaultdict(list)
    for q in questions:
        groups[key(q)].append(q)
    return tuple(Tally(label=k, questions=len(v), answered=len(v), right=sum(q.right for q in v))
                 for k, v in sorted(groups.items()))


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def headline(s: ProgressSummary) -> str:
    return f"{plural(s.answered, 'question')} answered, {s.right} right, {len(s.due_now)} due for review"


def summary_text(s: ProgressSummary) -> str:
    """The dashboard as plain text (for exports, screen readers and a notebook without plotly)."""
    lines = [f"Progress of {s.learner}: {headline(s)} ({plural(s.attempts, 'check')} in all).", "", "By topic (right of the questions in the bank):"]
    lines += [f"  {t.label}: {t.right} of {t.questions} ({t.percent}%), {t.answered} answered" for t in s.topics]
    if s.lessons:
        lines += ["", "By lesson (right of those answered):"]
        lines += [f"  {t.label}: {t.right} of {t.answered}" for t in s.lessons]
    if s.days:
        lines += ["", "By day (checks right at that check):"]
        lines += [f"  {t.label}: {t.right} of {t.answered} ({t.percent}%)" for t in s.days[-14:]]
    if not s.questions:
        lines += ["", "Nothing answered yet: answers to any quiz or question card are saved here as you go."]
    return "\n".join(lines) + "\n"
