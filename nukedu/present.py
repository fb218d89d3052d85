"""Plain-text and HTML presentation of questions, answers and citations (no widgets).

Shared by the widgets, the timeline panel, the text fallback and the
assignment builder, so a citation reads the same everywhere.
"""
from __future__ import annotations

import html
import string

from .model import Citation, Essay, Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice, TrueFalse
from .sources import DOCS

LETTERS = string.ascii_uppercase


def citation_text(c: Citation) -> str:
    doc = DOCS.get(c.doc)
    title = doc.title if doc else c.doc
    return f"{title}, line {c.line}: “{c.quote}”"


def citation_html(c: Citation) -> str:
    doc = DOCS.get(c.doc)
    title = html.escape(doc.title if doc else c.doc)
    return (f'<span class="nukedu-citation"><cite>{title}</cite>, line {c.line} '
            f'<span class="nukedu-doc">({html.escape(c.doc)}:{c.line})</span>: '
            f"“{html.escape(c.quote)}”</span>")


def correct_answer_text(q: Question) -> str:
    """The expected answer in words, for after the student has checked."""
    if isinstance(q, SingleChoice):
        return q.answer
    if isinstance(q, MultipleChoice):
        return "; ".join(q.answers)
    if isinstance(q, TrueFalse):
        return "True" if q.answer else "False"
    if isinstance(q, Numeric):
        value = f"{q.answer:g}" + (f" {q.unit}" if q.unit and q.unit != "year" else "")
        return value + (f" (± {q.tolerance:g})" if q.tolerance else "")
    if isinstance(q, Ordering):
        return " → ".join(q.items)
    if isinstance(q, Matching):
        return "; ".join(f"{p.left} → {p.right}" for p in q.pairs)
    if isinstance(q, ShortText):
        return " / ".join(q.accepted)
    if isinstance(q, Essay):
        return " ".join(q.model_answer)
    raise TypeError(type(q).__name__)


def question_text(q: Question, number: int | None = None, options: list[str] | None = None) -> str:
    """A question as a student reads it on paper: prompt and choices, never the answer."""
    head = f"{number}. " if number is not None else ""
    lines = [f"{head}{q.prompt}"]
    if isinstance(q, (SingleChoice, MultipleChoice)):
        shown = options or list(q.options)
        lines += [f"   {LETTERS[i]}) {o}" for i, o in enumerate(shown)]
        if isinstance(q, MultipleChoice):
            lines.append("   (choose every option that applies)")
    elif isinstance(q, TrueFalse):
        lines.append("   True / False")
    elif isinstance(q, Numeric):
        lines.append(f"   Answer with a number{f' ({q.unit})' if q.unit else ''}.")
    elif isinstance(q, Ordering):
        shown = options or list(q.items)
        lines.append("   Put in order:")
        lines += [f"   - {item}" for item in shown]
    elif isinstance(q, Matching):
        lines.append("   Match: " + "; ".join(q.lefts))
        lines.append("   with:  " + "; ".join(options or sorted(q.choices)))
    elif isinstance(q, ShortText):
        lines.append("   Answer in a word or short phrase.")
    elif isinstance(q, Essay):
        lines.append(f"   Essay{f' (at least {q.min_words} words)' if q.min_words else ''}, graded by your teacher.")
    return "\n".join(lines)
