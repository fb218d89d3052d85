"""Find answers that another part of the same assignment gives away.

A seeded pick of bank questions can put "Partnership for Peace (1994)" among
one question's options while another asks for that year; a rubric can state
what an earlier question asks. The student then reads the answer off the
page. `answer_leaks` lists each such case so the build can warn and the
instructor can swap a question (or change the seed). Pure: model in, text out.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import MultipleChoice, Numeric, ShortText, SingleChoice
from ..scoring import normalise_text
from .notebook import letter_view
from .spec import Assignment, BankItem, CodeItem, EssayItem

MIN_ANSWER_CHARS = 3


def _answers(item: BankItem) -> tuple[str, ...]:
    """The texts that answer a bank question outright."""
    q = item.question
    if isinstance(q, SingleChoice):
        return (q.answer,)
    if isinstance(q, MultipleChoice):
        return tuple(q.answers)
    if isinstance(q, ShortText):
        return tuple(q.accepted)
    if isinstance(q, Numeric):
        value = q.answer
        return (str(int(value)) if float(value).is_integer() else f"{value:g}",)
    return ()


def _visible(item: BankItem | CodeItem | EssayItem, seed: int) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a student reads in this part."""
    if isinstance(item, BankItem):
        label = f"Question {item.number}"
        yield f"{label} (prompt)", item.question.prompt
        view = letter_view(item, seed)
        for i, left in enumerate(view.lefts, 1):
            yield f"{label} (item {i})", left
        for letter, text in zip(view.choices, view.texts):
            yield f"{label} (option {letter})", text
    elif isinstance(item, CodeItem):
        label = f"Task {item.number}"
        yield f"{label} (prompt)", f"{item.part.title}\n{item.part.prompt}"
    else:
        label = f"Essay {item.number}"
        yield f"{label} (prompt)", item.prompt
        for c in item.rubric:
            yield f"{label} (rubric)", c.criterion


def _pattern(answer: str) -> re.Pattern[str] | None:
    text = normalise_text(answer)
    if len(text) < MIN_ANSWER_CHARS and not text.isdigit():
        return None
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


def answer_leaks(assignment: Assignment) -> list[str]:
    """One line per answer that some other part shows: where, whose answer, and the text."""
    seed = assignment.spec.seed
    shown = [(item, where, normalise_text(text)) for item in assignment.items for where, text in _visible(item, seed)]
    out: dict[tuple[str, int], str] = {}
    for item in assignment.items:
        if not isinstance(item, BankItem):
            continue
        for answer in _answers(item):
            pattern = _pattern(answer)
            if pattern is None:
                continue
            for other, where, text in shown:
                if other is not item and (where, item.number) not in out and pattern.search(text):
                    out[(where, item.number)] = f"{where} gives away the answer to Question {item.number} ({answer!r})"
    return list(out.values())
