"""Which questions an export holds: chosen as `quiz()` chooses them, or exactly as an assignment spec does.

Reusing `select_questions` and the spec resolver (rather than filtering again here) keeps one meaning
for `topic`, `types`, `ids`... and for "the questions of assignments/a1.yaml" across quizzes,
assignments and exports.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Bank, Essay, Question
from ..select import select_questions
from .common import COURSE_TITLE

if TYPE_CHECKING:
    from ..assign.spec import Spec


@dataclass(frozen=True, slots=True, kw_only=True)
class Selection:
    """The questions to export, a title for the quiz, deck or category, and what was left out."""

    questions: tuple[Question, ...]
    title: str
    warnings: tuple[str, ...] = ()


def select(
    bank: Bank,
    *,
    topic: str | Sequence[str] | None = None,
    types: str | Sequence[str] | None = None,
    difficulty: int | Sequence[int] | None = None,
    tags: str | Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    n: int | None = None,
    seed: int | str | None = None,
) -> Selection:
    """Questions as `quiz()` picks them; without `n`, every match. Bank order, or the order of `ids`."""
    chosen = select_questions(bank, topic=topic, types=types, difficulty=difficulty, tags=tags,
                              n=n, seed=seed, ids=ids, exclude=exclude)
    if ids is None:  # an export reads best in the bank's own order, whatever was drawn
        place = {q.id: i for i, q in enumerate(bank.questions)}
        chosen = tuple(sorted(chosen, key=lambda q: place[q.id]))
    return Selection(questions=chosen, title=COURSE_TITLE)


def select_spec(spec: Spec, bank: Bank) -> Selection:
    """Exactly the questions an assignment spec gives its students, each worth its points there.

    Code tasks cannot be exported (no format runs Python); they are named in a warning. Essays
    written in the spec itself become essay questions with their rubric.
    """
    from ..assign.spec import BankItem, CodeItem, resolve

    assignment = resolve(spec, bank)
    questions: list[Question] = []
    skipped: list[str] = []
    for item in assignment.items:
        if isinstance(item, BankItem):
            q = item.question
            questions.append(q if q.points == item.points else dataclasses.replace(q, points=item.points))
        elif isinstance(item, CodeItem):
            skipped.append(item.name)
        elif item.question_id:
            questions.append(bank.question(item.question_id))
        else:
            questions.append(Essay(id=f"{spec.name}-{item.name}", topic="", difficulty=3, prompt=item.prompt,
                                   explanation="", sources=(), rubric=item.rubric, model_answer=item.model_answer,
                                   min_words=item.min_words, points=item.points))
    warnings: tuple[str, ...] = ()
    if skipped:
        warnings = (f"{spec.name}: code tasks are not exported (no export format runs Python): {', '.join(skipped)}",)
    return Selection(questions=tuple(questions), title=spec.title, warnings=warnings)
