"""How each bank question works in self-study: facility and common wrong answers from progress exports. Pure.

The records are what learners' progress stores export (`AttemptRecord`):
every check with the learner's response and its status. A question's
**facility** here is the share of learners who were right at their first
check of it; its **common wrong answers** are the responses marked
incorrect or partly right, each counted once per learner who gave it.
Essays (graded by a person) and records other than checks are left out.
With fewer than `MIN_STUDENTS` learners the flags are not given.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .items import EASY, HARD, MIN_STUDENTS, TOP_WRONG, Flag, Item, WrongAnswer, csv_text, describe, normalise_response

if TYPE_CHECKING:
    from ..learner.store import AttemptRecord
    from ..model import Question

WRONG = ("incorrect", "partial")


@dataclass(frozen=True, slots=True, kw_only=True)
class StudyItem:
    """One question as the class met it in self-study."""

    item: Item
    topic: str
    learners: int                  # who checked it at least once
    first_right: int               # who were right at their first check
    wrong: tuple[WrongAnswer, ...]
    wrong_learners: int            # who gave at least one wrong answer
    in_bank: bool = True

    @property
    def facility(self) -> float | None:
        return self.first_right / self.learners if self.learners else None


@dataclass(frozen=True, slots=True, kw_only=True)
class StudyAnalysis:
    learners: int
    checks: int
    items: tuple[StudyItem, ...]   # hardest first
    flags: tuple[Flag, ...]
    notes: tuple[str, ...]
    meaningful: bool


def item_of(question: Question) -> Item:
    """A bank question as the analysis names it; self-study responses use the choices' own texts."""
    from ..model import Matching, MultipleChoice, Numeric, Ordering, ShortText, SingleChoice, TrueFalse

    q = question
    common: dict[str, Any] = {"id": q.id, "label": q.id, "question_id": q.id, "max_points": float(q.points), "kind": q.type,
                              "text": q.prompt}
    if isinstance(q, SingleChoice):
        return Item(choices=q.options, key=q.answer, **common)
    if isinstance(q, MultipleChoice):
        return Item(choices=q.options, key=normalise_response("multiple", list(q.answers)), **common)
    if isinstance(q, TrueFalse):
        return Item(key=q.answer, **common)
    if isinstance(q, Numeric):
        return Item(key=float(q.answer), **common)
    if isinstance(q, ShortText):
        return Item(key=q.accepted[0], **common)
    if isinstance(q, Ordering):
        return Item(choices=q.items, key=q.items, **common)
    if isinstance(q, Matching):
        return Item(choices=q.choices, lefts=q.lefts, key=normalise_response("matching", {p.left: p.right for p in q.pairs}),
                    distractors=q.distractors, **common)
    return Item(**common)


def _unknown_item(question_id: str) -> Item:
    return Item(id=question_id, label=question_id, question_id=question_id, max_points=1.0, kind="other",
                text="(not in the bank: a timeline quiz, or a question since removed)")


def analyse_progress(records: Iterable[AttemptRecord], questions: Mapping[str, Question] | None = None) -> StudyAnalysis:
    """Per question answered: learners, right at the first check, and the most common wrong answers."""
    questions = questions or {}
    items: dict[str, Item] = {}
    topics: dict[str, str] = {}
    first: dict[str, dict[str, bool]] = defaultdict(dict)
    wrong: dict[str, dict[Any, set[str]]] = defaultdict(lambda: defaultdict(set))
    wrong_learners: dict[str, set[str]] = defaultdict(set)
    learners: set[str] = set()
    checks = 0
    for r in sorted(records, key=lambda r: (r.at, r.uid)):
        if r.event != "check" or r.status in (None, "needs_grading") or r.question_id == "*":
            continue
        qid = r.question_id
        item = items.get(qid)
        if item is None:
            item = items[qid] = item_of(questions[qid]) if qid in questions else _unknown_item(qid)
        if item.kind == "essay":
            continue
        checks += 1
        learners.add(r.learner)
        topics.setdefault(qid, r.topic)
        first[qid].setdefault(r.learner, r.status == "correct")
        if r.status in WRONG:
            wrong[qid][normalise_response(item.kind, r.response)].add(r.learner)
            wrong_learners[qid].add(r.learner)
    out = []
    for qid, who in first.items():
        item = items[qid]
        ranked = sorted(((describe(item, resp), len(people)) for resp, people in wrong[qid].items()),
                        key=lambda rc: (-rc[1], rc[0]))
        out.append(StudyItem(item=item, topic=topics.get(qid, ""), learners=len(who), first_right=sum(who.values()),
                             wrong=tuple(WrongAnswer(response=t, count=c, short=t) for t, c in ranked[:TOP_WRONG]),
                             wrong_learners=len(wrong_learners[qid]), in_bank=qid in questions))
    out.sort(key=lambda s: (s.facility if s.facility is not None else 2.0, -s.learners, s.item.id))
    n = len(learners)
    meaningful = n >= MIN_STUDENTS
    notes = []
    if n == 0:
        notes.append("No checked answers in these exports: nothing to analyse.")
    elif not meaningful:
        notes.append(f"Only {n} learner{'s' if n != 1 else ''}: with fewer than {MIN_STUDENTS}, facility is shown but "
                     "the flags are not meaningful and are not given.")
    flags = tuple(f for s in out for f in _flags(s)) if meaningful else ()
    return StudyAnalysis(learners=n, checks=checks, items=tuple(out), flags=flags, notes=tuple(notes), meaningful=meaningful)


def _flags(s: StudyItem) -> list[Flag]:
    f = s.facility
    if f is None or s.learners < MIN_STUDENTS:
        return []
    item = s.item

    def flag(rule: str, message: str) -> Flag:
        return Flag(item_id=item.id, label=item.label, question_id=item.question_id, text=item.text, rule=rule, message=message)

    if f < HARD:
        return [flag("hard", f"only {s.first_right} of {s.learners} learners were right at their first check ({f:.2f})")]
    if f > EASY:
        return [flag("easy", f"{s.first_right} of {s.learners} learners were right at their first check ({f:.2f})")]
    return []


def study_csv(analysis: StudyAnalysis) -> str:
    """One row per question: learners, right at first check, facility and the common wrong answers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["question_id", "topic", "type", "learners", "right_at_first_check", "facility", "learners_ever_wrong",
                     "common_wrong_answers", "text"])
    for s in analysis.items:
        writer.writerow([s.item.id, s.topic, s.item.kind, s.learners, s.first_right,
                         "" if s.facility is None else f"{s.facility:.4f}", s.wrong_learners,
                         csv_text(" | ".join(f"{w.response}: {w.count}" for w in s.wrong)), s.item.text])
    return buffer.getvalue()


def study_text(analysis: StudyAnalysis, top: int = 10) -> str:
    """The hardest questions and the flags as plain text, for the terminal."""
    n = len(analysis.items)
    lines = [f"Self-study: {analysis.learners} learner{'s' if analysis.learners != 1 else ''}, "
             f"{analysis.checks} check{'s' if analysis.checks != 1 else ''}, {n} question{'s' if n != 1 else ''} answered."]
    lines += [f"note: {n}" for n in analysis.notes]
    if analysis.items:
        lines.append("Hardest first (right at the first check):")
        for s in analysis.items[:top]:
            common = f"; most common wrong answer: {s.wrong[0].response} ({s.wrong[0].count})" if s.wrong else ""
            lines.append(f"  {s.item.id}: {s.first_right} of {s.learners}{common}")
    if analysis.meaningful:
        lines.append(f"{len(analysis.flags)} flag{'s' if len(analysis.flags) != 1 else ''}" + (":" if analysis.flags else "."))
        lines += [f"  {f.question_id}: {f.message}" for f in analysis.flags]
    return "\n".join(lines)

