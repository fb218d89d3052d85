"""A resolved assignment as an nbgrader source notebook.

Every cell id and nbgrader `grade_id` is derived from the part's name (`q3`,
`charter-years`) and a role (`prompt`, `answer`, `test`), so building twice
gives byte-identical notebooks. Choices, ordering items and matching partners
are shown lettered A, B, C... in a seeded shuffle; the hidden tests carry
the answer key in those letters (see `runtime`). nbformat is imported inside
`build_notebook` only.
"""
from __future__ import annotations

import html
import pprint
import random
from dataclasses import dataclass
from typing import Any, Mapping

from ..model import Matching, MultipleChoice, Numeric, Ordering, ShortText, SingleChoice, TrueFalse
from . import _cells
from .keys import AssignmentKey, BankPartKey, CodePartKey, EssayPartKey, PartKey
from .spec import Assignment, BankItem, CodeItem, EssayItem

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


@dataclass(frozen=True, slots=True, kw_only=True)
class LetterView:
    """How one bank question is shown and answered: its choices, key and a correct answer."""

    kind: str
    choices: tuple[str, ...]   # letters the student may use
    texts: tuple[str, ...]     # what each letter stands for, in the same order
    lefts: tuple[str, ...]     # matching only: the numbered left-hand items
    key: Mapping[str, Any]     # what the hidden test embeds
    correct: Any               # a full-marks answer, in the student's form


def _rng(seed: int, qid: str) -> random.Random:
    return random.Random(f"nukedu:{seed}:{qid}")


def letter_view(item: BankItem, seed: int) -> LetterView:
    """The lettered presentation and answer key of a bank question (seeded, so stable)."""
    q, rng = item.question, _rng(seed, item.question.id)
    base: dict[str, Any] = {"id": q.id, "label": f"Question {item.number}", "points": item.points}
    if isinstance(q, (SingleChoice, MultipleChoice)):
        texts = list(q.options)
        rng.shuffle(texts)
        letters = LETTERS[: len(texts)]
        of = dict(zip(texts, letters))
        feedback = {of[t]: msg for t, msg in q.feedback.items() if t in of}
        if isinstance(q, SingleChoice):
            key = {**base, "type": "single", "options": list(letters), "answer": of[q.answer], "feedback": feedback, "secrets": [q.answer]}
            correct: Any = of[q.answer]
        else:
            right = sorted(of[a] for a in q.answers)
            key = {**base, "type": "multiple", "options": list(letters), "answers": right, "feedback": feedback, "secrets": list(q.answers)}
            correct = right
        return LetterView(kind=key["type"], choices=tuple(letters), texts=tuple(texts), lefts=(), key=key, correct=correct)
    if isinstance(q, TrueFalse):
        key = {**base, "type": "true_false", "answer": q.answer, "feedback": dict(q.feedback)}
        return LetterView(kind="true_false", choices=(), texts=(), lefts=(), key=key, correct=q.answer)
    if isinstance(q, Numeric):
        answer = int(q.answer) if float(q.answer).is_integer() else q.answer
        key = {**base, "type": "numeric", "answer": answer, "tolerance": q.tolerance, "unit": q.unit, "secrets": [str(answer)]}
        return LetterView(kind="numeric", choices=(), texts=(), lefts=(), key=key, correct=answer)
    if isinstance(q, ShortText):
        key = {**base, "type": "short_text", "accepted": list(q.accepted), "pattern": q.pattern, "secrets": list(q.accepted)}
        return LetterView(kind="short_text", choices=(), texts=(), lefts=(), key=key, correct=q.accepted[0])
    if isinstance(q, Ordering):
        texts = list(q.items)
        while texts == list(q.items):  # never show the items already in order
            rng.shuffle(texts)
        letters = LETTERS[: len(texts)]
        of = dict(zip(texts, letters))
        order = [of[t] for t in q.items]
        key = {**base, "type": "ordering", "items": order}
        return LetterView(kind="ordering", choices=tuple(letters), texts=tuple(texts), lefts=(), key=key, correct=order)
    if isinstance(q, Matching):
        texts = list(q.choices)
        rng.shuffle(texts)
        letters = LETTERS[: len(texts)]
        of = dict(zip(texts, letters))
        pairs = [[str(i), of[p.right]] for i, p in enumerate(q.pairs, 1)]
        key = {**base, "type": "matching", "pairs": pairs, "distractors": sorted(of[d] for d in q.distractors)}
        correct = {i: of[p.right] for i, p in enumerate(q.pairs, 1)}
        return LetterView(kind="matching", choices=tuple(letters), texts=tuple(texts), lefts=q.lefts, key=key, correct=correct)
    raise TypeError(f"cannot present a {type(q).__name__} as an autograded question")


# --- text helpers ---------------------------------------------------------------
def _md(text: str) -> str:
    """Bank text safe inside Markdown: no raw HTML."""
    return html.escape(text, quote=False)


def _plural(n: float, word: str) -> str:
    return f"{n:g} {word}{'s' if n != 1 else ''}"


_HOW = {
    "single": 'one letter in quotes, e.g. `{var} = "A"`',
    "multiple": 'a list of every correct letter, e.g. `{var} = ["A", "C"]`',
    "true_false": "`True` or `False` (no quotes)",
    "numeric": "a number (no quotes), e.g. `{var} = 1991`",
    "short_text": 'a short text in quotes, e.g. `{var} = "Kyiv"`',
    "ordering": 'the letters in the right order, e.g. `{var} = ["C", "A", "B"]`',
    "matching": 'a dict giving each number a letter, e.g. `{var} = {{1: "B", 2: "A"}}`',
}
_INSTRUCTION = {
    "ordering": "Put the items in order (the order the question asks for).",
    "matching": "Match each numbered item with one lettered choice (some choices may not be used).",
}


def _question_markdown(item: BankItem, view: LetterView) -> str:
    q = item.question
    lines = [f"### Question {item.number} ({_plural(item.points, 'point')})", "", _md(q.prompt), ""]
    if view.kind == "matching":
        lines += [f"{i}. {_md(t)}" for i, t in enumerate(view.lefts, 1)] + [""]
        lines += ["Choices:", ""]
    if view.texts:
        lines += [f"- **{letter}.** {_md(text)}" for letter, text in zip(view.choices, view.texts)] + [""]
    if view.kind in _INSTRUCTION:
        lines += [_INSTRUCTION[view.kind], ""]
    if isinstance(q, Numeric) and q.unit:
        lines += [f"Unit: {_md(q.unit)}.", ""]
    lines.append(f"*Answer in the next cell* with {_HOW[view.kind].format(var=item.variable)}, then run it and the check below it.")
    return "\n".join(lines)


def _literal(value: Any) -> str:
    return pprint.pformat(value, width=100, sort_dicts=False)


def _answer_source(item: BankItem, view: LetterView) -> str:
    return "\n".join([
        f"# Question {item.number}: write your answer on the next line.",
        f"{item.variable} = ...",
        BEGIN_SOLUTION,
        f"{item.variable} = {_literal(view.correct)}",
        END_SOLUTION,
    ])


def _test_source(item: BankItem, view: LetterView) -> str:
    args = [f"globals()", repr(item.variable), repr(view.kind)]
    if view.choices:
        args.append(repr(list(view.choices)))
    if view.kind == "matching":
        args.append(f"keys={len(view.lefts)}")
    return "\n".join([
        f"# Checks question {item.number}: run it after your answer cell to check the format of your answer.",
        "from nukedu.assign.runtime import check, grade",
        f"check({', '.join(args)})",
        BEGIN_HIDDEN,
        f"grade(globals(), {item.variable!r}, {_literal(dict(view.key))})",
        END_HIDDEN,
    ])


def _code_prompt(item: CodeItem) -> str:
    part = item.part
    title = f": {_md(part.title)}" if part.title else ""
    names = ", ".join(f"`{r.name}` ({r.kind})" for r in part.results)
    return "\n".join([
        f"### Task {item.number}{title} ({_plural(part.points, 'point')})", "", part.prompt.strip(), "",
        f"*Write your code in the cell below.* It must define {names}. The cell after it checks their format.",
    ])


def _code_source(item: CodeItem) -> str:
    starter = item.part.starter or "\n".join(f"{r.name} = ..." for r in item.part.results)
    return "\n".join([f"# Task {item.number}", starter.rstrip(), BEGIN_SOLUTION, item.part.solution.rstrip(), END_SOLUTION])


def _code_test(item: CodeItem, expected: Mapping[str, Any]) -> str:
    kinds = {r.name: r.kind for r in item.part.results}
    want = {r.name: expected[r.name] for r in item.part.results}
    return "\n".join([
        f"# Checks task {item.number}: run it after your code to check that every result exists and has the right type.",
        "from nukedu.assign.runtime import check_results, grade_results",
        f"check_results(globals(), {kinds!r})",
        BEGIN_HIDDEN,
        f"grade_results(globals(), {_literal(want)}, {kinds!r}, {item.part.points}, {f'Task {item.number}'!r})",
        END_HIDDEN,
    ])


def _essay_prompt(item: EssayItem) -> str:
    lines = [f"### Essay {item.number} ({_plural(item.points, 'point')})", "", _md(item.prompt), "", "**Rubric** (graded by your instructor):", ""]
    lines += [f"- {_md(c.criterion)} ({_plural(c.points, 'point')})" for c in item.rubric]
    if item.min_words:
        lines += ["", f"Write at least {item.min_words} words."]
    lines += ["", "*Write your answer in the cell below.*"]
    return "\n".join(lines)


def _essay_answer(item: EssayItem) -> str:
    outline = [f"- {_md(line)}" for line in item.model_answer] or ["(no model answer given)"]
    return "\n".join([BEGIN_SOLUTION, "Model answer, in outline:", "", *outline, END_SOLUTION])


def _intro(assignment: Assignment) -> str:
    spec = assignment.spec
    return "\n".join([
        f"# {_md(spec.title)}", "", spec.instructions.strip(), "",
        f"**Total: {_plural(assignment.points, 'point')}.** Answer in the cells that say `...` or *YOUR ANSWER HERE*, "
        "and run each check cell after your answer: it tells you whether the *form* of your answer is right "
        "(for example, a letter among the choices). Your answers are graded after you submit; "
        "do not rename the `answer_...` variables or delete cells.",
    ])


# --- the notebook -----------------------------------------------------------------------
def build_notebook(assignment: Assignment, expected: Mapping[str, Mapping[str, Any]]):  # type: ignore[no-untyped-def]
    """The source notebook: `expected` gives each code task's result values (computed at build time)."""
    try:
        import nbformat
    except ImportError as exc:  # pragma: no cover
        from ..errors import MissingExtraError

        raise MissingExtraError("building assignments needs nbformat: pip install 'nukedu[instructor]'") from exc
    v4 = nbformat.v4
    cells = []

    def add(kind: str, cell_id: str, source: str, meta: dict[str, Any]) -> None:
        make = v4.new_markdown_cell if kind == "markdown" else v4.new_code_cell
        cell = make(source=source, id=cell_id, metadata={"nbgrader": meta})
        if meta.get("locked") and not meta.get("solution"):
            cell.metadata["deletable"] = False
            cell.metadata["editable"] = False
        cells.append(cell)

    add("markdown", "intro", _intro(assignment), _cells.make_locked("intro"))
    seed = assignment.spec.seed
    for item in assignment.items:
        n = item.name
        if isinstance(item, BankItem):
            view = letter_view(item, seed)
            add("markdown", f"{n}-prompt", _question_markdown(item, view), _cells.make_locked(f"{n}-prompt"))
            add("code", f"{n}-answer", _answer_source(item, view), _cells.make_answer(f"{n}-answer"))
            add("code", f"{n}-test", _test_source(item, view), _cells.make_test(f"{n}-test", item.points))
        elif isinstance(item, CodeItem):
            add("markdown", f"{n}-prompt", _code_prompt(item), _cells.make_locked(f"{n}-prompt"))
            if item.part.given:
                add("code", f"{n}-given", item.part.given.rstrip(), _cells.make_locked(f"{n}-given"))
            add("code", f"{n}-answer", _code_source(item), _cells.make_answer(f"{n}-answer"))
            add("code", f"{n}-test", _code_test(item, expected[n]), _cells.make_test(f"{n}-test", item.points))
        else:
            add("markdown", f"{n}-prompt", _essay_prompt(item), _cells.make_locked(f"{n}-prompt"))
            add("markdown", f"{n}-answer", _essay_answer(item), _cells.make_manual(f"{n}-answer", item.points))
    nb = v4.new_notebook(cells=cells)
    # Nothing here maps a cell to a bank item: that mapping is the key, and it lives in key.json.
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "nukedu": {"assignment": assignment.name},
    }
    return nb


def build_key(assignment: Assignment, expected: Mapping[str, Mapping[str, Any]]) -> AssignmentKey:
    """The answer key of the notebook `build_notebook` writes, with the same cell ids."""
    parts: list[PartKey] = []
    locked = ["intro"]
    seed = assignment.spec.seed
    for item in assignment.items:
        n = item.name
        if isinstance(item, BankItem):
            view = letter_view(item, seed)
            q = item.question
            parts.append(BankPartKey(
                name=n, label=f"Question {item.number}", grade_id=f"{n}-test", answer_cell=f"{n}-answer",
                variable=item.variable, points=item.points, question_id=q.id, kind=view.kind, choices=view.choices,
                keys=len(view.lefts) if view.kind == "matching" else 0, key=dict(view.key),
                hint=q.hints[0] if q.hints else "", prompt=q.prompt, texts=view.texts, lefts=view.lefts))
            locked += [f"{n}-prompt", f"{n}-test"]
        elif isinstance(item, CodeItem):
            after = (f"{n}-prompt", f"{n}-given") if item.part.given else (f"{n}-prompt",)
            parts.append(CodePartKey(
                name=n, label=f"Task {item.number}", grade_id=f"{n}-test", answer_cell=f"{n}-answer", after_cells=after,
                given=item.part.given, results={r.name: r.kind for r in item.part.results},
                expected=dict(expected[n]), points=item.part.points,
                prompt=": ".join(x for x in (item.part.title, item.part.prompt.strip()) if x)))
            locked += [*after, f"{n}-test"]
        else:
            parts.append(EssayPartKey(name=n, label=f"Essay {item.number}", grade_id=f"{n}-answer", answer_cell=f"{n}-answer",
                                      points=item.points, min_words=item.min_words, prompt=item.prompt))
            locked.append(f"{n}-prompt")
    return AssignmentKey(assignment=assignment.name, notebook=assignment.name, title=assignment.spec.title,
                         parts=tuple(parts), locked_cells=tuple(locked))
