"""What every export format shares: the result type, stable ids, and the texts built from a question.

Kept apart from the formats so that Moodle, GIFT, QTI and Anki word the explanation, the citation,
the rubric and a number the same way, and so that what a student sees before answering (the
shuffled ordering items, the matching choices) is decided in one place.
"""
from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Bank, Essay, Matching, Numeric, Ordering, Question
from ..present import citation_text
from ..select import shuffled

COURSE_TITLE = "Ukraine–NATO partnership"
# Fixed seed for the one order students see ordering items in before answering: never the answer's order.
EXPORT_SEED = "nukedu-export"


@dataclass(frozen=True, slots=True, kw_only=True)
class Exported:
    """One exported file: its bytes, how many questions it holds, and what the format could not carry."""

    data: bytes
    format: str
    questions: int
    warnings: tuple[str, ...] = ()


def stable_id(*parts: str, length: int = 16) -> str:
    """A hex id fixed by `parts`: the same question gets the same identifier in every export."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:length]


def number_text(value: float) -> str:
    """A number as written in a key: 1997, not 1997.0; 1.2 stays 1.2."""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def sources_text(q: Question) -> tuple[str, ...]:
    """Each citation as one line: document title, line number and the evidence quote."""
    return tuple(citation_text(c) for c in q.sources)


def rubric_lines(q: Essay) -> tuple[str, ...]:
    return tuple(f"{c.criterion} ({plural(c.points, 'point')})" for c in q.rubric)


def unit_note(q: Numeric) -> str:
    """The line nukedu shows beside a numeric field, for formats with no unit of their own."""
    return f"Answer with a number{f' ({q.unit})' if q.unit else ''}."


def shown_items(q: Ordering) -> list[str]:
    """Ordering items in the order a student first sees them: shuffled, never already correct."""
    return shuffled(q.items, EXPORT_SEED, q.id, avoid_identity=True)


def shown_choices(q: Matching) -> list[str]:
    """Right-hand choices of a matching question, alphabetical, so they never line up with the lefts."""
    return sorted(q.choices, key=str.casefold)


def html_text(text: str) -> str:
    """Escaped text with its line breaks kept."""
    return html.escape(text, quote=False).replace("\n", "<br>")


def html_paragraphs(*texts: str) -> str:
    return "".join(f"<p>{html_text(t)}</p>" for t in texts if t)


def html_list(items: Iterable[str], ordered: bool = False) -> str:
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{html_text(i)}</li>" for i in items) + f"</{tag}>"


def feedback_html(q: Question) -> str:
    """General feedback: the explanation, then each source line the question rests on."""
    return html_paragraphs(q.explanation) + "".join(
        f'<p class="nukedu-source">Source: {html_text(s)}</p>' for s in sources_text(q))


def grader_html(q: Essay) -> str:
    """What a marker needs for an essay: the rubric with its points and the outline of a full answer."""
    out = f"<p>Rubric ({plural(q.points, 'point')}):</p>" + html_list(rubric_lines(q))
    if q.model_answer:
        out += "<p>A full answer covers:</p>" + html_list(q.model_answer)
    if q.min_words:
        out += html_paragraphs(f"At least {q.min_words} words.")
    return out


def topic_groups(questions: Sequence[Question]) -> list[tuple[str, list[Question]]]:
    """Questions grouped by topic, topics in order of first appearance, questions in their order."""
    groups: dict[str, list[Question]] = {}
    for q in questions:
        groups.setdefault(q.topic, []).append(q)
    return list(groups.items())


def topic_title(bank: Bank, topic: str) -> str:
    return bank.topic_title(topic) if topic else ""


def listed(ids: Sequence[str], limit: int = 12) -> str:
    """Ids for a warning: all of them when few, else the first ones and how many more."""
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
