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
    """Everything the dashboard shows, added up by the store's SQL (records in the order they were made)."""
    moment = time.time() if now is None else now
    cards = store.review_cards()
    questions = []
    attempts = 0
    for qid, topic, checks, last_at, last_event, last_status, first_status, notebook in store.question_stats():
        attempts += checks
        right = last_event == "check" and last_status in ("correct", "needs_grading")
        questions.append(QuestionProgress(
            question_id=qid, topic=topic or "", lesson=lesson_name(notebook), checks=checks, right=right,
            first_try_right=first_status == "correct", gave_up=last_event == "give_up",
            last_status="answer shown" if last_event == "give_up" else (last_status or ""), last_at=last_at,
            due=cards[qid][1] if qid in cards else None))
    days = tuple(Tally(label=day, questions=n, answered=n, right=int(ok or 0)) for day, n, ok in store.daily_checks())
    due_now = tuple(qid for qid, (_c, due, _n) in sorted(cards.items(), key=lambda x: x[1][1]) if due <= moment)
    rows = tuple(questions)
    return ProgressSummary(learner=store.learner, questions=rows, topics=_topics(rows, bank),
                           lessons=_group(rows, lambda q: q.lesson), days=days, due_now=due_now, attempts=attempts)


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
