"""The question bank's data model: frozen dataclasses, no I/O, no widgets.

Everything a quiz, a timeline or an assignment needs is here as plain values,
so the scoring and the adapters can be tested without files or a kernel.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Mapping, Union

QuestionType = Literal[
    "single", "multiple", "true_false", "numeric", "ordering", "matching", "short_text", "essay"
]
QUESTION_TYPES: tuple[QuestionType, ...] = (
    "single", "multiple", "true_false", "numeric", "ordering", "matching", "short_text", "essay",
)
EventKind = Literal["event", "publication"]
# A publication (a report, an analysis, a web page the sources cite) is dated but is not
# something that happened: the timeline marks it apart and chronology questions leave it out.
EVENT_KINDS: tuple[EventKind, ...] = ("event", "publication")
EventStatus = Literal["happened", "planned", "expected"]
# The sources were written before some of what they describe: a summit still "planned", agreements
# "expected" that year. The timeline marks such events apart so no student reads them as done.
EVENT_STATUSES: tuple[EventStatus, ...] = ("happened", "planned", "expected")
TermKind = Literal["organisation", "programme", "person", "document", "place", "event", "concept"]
TERM_KINDS: tuple[TermKind, ...] = (
    "organisation", "programme", "person", "document", "place", "event", "concept",
)


@dataclass(frozen=True, slots=True)
class Span:
    """Where a value was written: file, 1-based line and column."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Citation:
    """Evidence for an item: a line of a source text and a short verbatim fragment."""

    doc: str
    line: int
    quote: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RubricCriterion:
    criterion: str
    points: int


@dataclass(frozen=True, slots=True, kw_only=True)
class _QuestionBase:
    id: str
    topic: str
    difficulty: int
    prompt: str
    explanation: str
    sources: tuple[Citation, ...]
    hints: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    points: int = 1
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class SingleChoice(_QuestionBase):
    options: tuple[str, ...]
    answer: str
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: Literal["single"] = "single"


@dataclass(frozen=True, slots=True, kw_only=True)
class MultipleChoice(_QuestionBase):
    options: tuple[str, ...]
    answers: tuple[str, ...]
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: Literal["multiple"] = "multiple"


@dataclass(frozen=True, slots=True, kw_only=True)
class TrueFalse(_QuestionBase):
    answer: bool
    feedback: Mapping[str, str] = field(default_factory=dict)
    type: Literal["true_false"] = "true_false"


@dataclass(frozen=True, slots=True, kw_only=True)
class Numeric(_QuestionBase):
    answer: float
    tolerance: float = 0
    unit: str = ""
    type: Literal["numeric"] = "numeric"


@dataclass(frozen=True, slots=True, kw_only=True)
class Ordering(_QuestionBase):
    items: tuple[str, ...]  # in the correct order
    type: Literal["ordering"] = "ordering"


@dataclass(frozen=True, slots=True, kw_only=True)
class Matching(_QuestionBase):
    pairs: tuple[Pair, ...]
    distractors: tuple[str, ...] = ()
    type: Literal["matching"] = "matching"

    @property
    def lefts(self) -> tuple[str, ...]:
        return tuple(p.left for p in self.pairs)

    @property
    def choices(self) -> tuple[str, ...]:
        """Every right-hand text a student may pick, distractors included."""
        return tuple(p.right for p in self.pairs) + self.distractors


@dataclass(frozen=True, slots=True, kw_only=True)
class ShortText(_QuestionBase):
    accepted: tuple[str, ...]
    pattern: str = ""
    type: Literal["short_text"] = "short_text"


@dataclass(frozen=True, slots=True, kw_only=True)
class Essay(_QuestionBase):
    rubric: tuple[RubricCriterion, ...]
    model_answer: tuple[str, ...]
    min_words: int = 0
    type: Literal["essay"] = "essay"


Question = Union[
    SingleChoice, MultipleChoice, TrueFalse, Numeric, Ordering, Matching, ShortText, Essay
]
CHOICE_TYPES = ("single", "multiple", "true_false")


@dataclass(frozen=True, slots=True, kw_only=True)
class EventDate:
    """A date known to the year, and maybe to the month and day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __str__(self) -> str:
        import calendar

        if self.month is None:
            return str(self.year)
        month = calendar.month_name[self.month]
        return f"{self.day} {month} {self.year}" if self.day else f"{month} {self.year}"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)

    @property
    def decimal_year(self) -> float:
        """A position on a year axis: mid-year when only the year is known."""
        if self.month is None:
            return self.year + 0.5
        if self.day is None:
            return self.year + (self.month - 0.5) / 12  # mid-month: each month is a twelfth of the axis
        import calendar

        days = calendar.monthrange(self.year, self.month)[1]
        return self.year + (self.month - 1 + (self.day - 0.5) / days) / 12


@dataclass(frozen=True, slots=True, kw_only=True)
class Era:
    id: str
    title: str
    start: int
    end: int
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineEvent:
    id: str
    date: EventDate
    title: str
    summary: str
    era: str
    sources: tuple[Citation, ...]
    tags: tuple[str, ...] = ()
    kind: EventKind = "event"
    status: EventStatus = "happened"
    label: str = ""  # a short label for the chart; by default the title, shortened when long
    span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def is_publication(self) -> bool:
        return self.kind == "publication"

    @property
    def is_planned(self) -> bool:
        """Planned or expected when the sources were written, not (yet) something that happened."""
        return self.status != "happened"


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryTerm:
    term: str
    kind: TermKind
    description: str
    sources: tuple[Citation, ...]
    expansion: str = ""
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Topic:
    id: str
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Bank:
    """All questions, topics, eras, events and terms, with look-ups."""

    questions: tuple[Question, ...] = ()
    topics: tuple[Topic, ...] = ()
    eras: tuple[Era, ...] = ()
    events: tuple[TimelineEvent, ...] = ()
    terms: tuple[GlossaryTerm, ...] = ()

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"no question with id {question_id!r}")

    def event(self, event_id: str) -> TimelineEvent:
        for e in self.events:
            if e.id == event_id:
                return e
        raise KeyError(f"no timeline event with id {event_id!r}")

    def term(self, name: str) -> GlossaryTerm:
        for t in self.terms:
            if t.term.casefold() == name.casefold():
                return t
        raise KeyError(f"no glossary term {name!r}")

    def topic_title(self, topic_id: str) -> str:
        return next((t.title for t in self.topics if t.id == topic_id), topic_id)

    def era(self, era_id: str) -> Era:
        for e in self.eras:
            if e.id == era_id:
                return e
        raise KeyError(f"no era with id {era_id!r}")

    def filter(
        self,
        *,
        topic: str | list[str] | tuple[str, ...] | None = None,
        types: str | list[str] | tuple[str, ...] | None = None,
        difficulty: int | list[int] | tuple[int, ...] | None = None,
        tags: str | list[str] | tuple[str, ...] | None = None,
    ) -> tuple[Question, ...]:
        """Questions matching every given criterion (a value or a list of accepted values)."""
        topics, kinds, levels, wanted = _as_set(topic), _as_set(types), _as_set(difficulty), _as_set(tags)
        return tuple(
            q
            for q in self.questions
            if (topics is None or q.topic in topics)
            and (kinds is None or q.type in kinds)
            and (levels is None or q.difficulty in levels)
            and (wanted is None or wanted.intersection(q.tags))
        )

    def by_topic(self, topic: str) -> tuple[Question, ...]:
        return self.filter(topic=topic)

    def by_type(self, kind: str) -> tuple[Question, ...]:
        return self.filter(types=kind)

    def by_tag(self, tag: str) -> tuple[Question, ...]:
        return self.filter(tags=tag)

    def by_difficulty(self, level: int) -> tuple[Question, ...]:
        return self.filter(difficulty=level)

    def events_in(self, era: str | None = None) -> tuple[TimelineEvent, ...]:
        """Events in date order, optionally of one era."""
        chosen = [e for e in self.events if era is None or e.era == era]
        return tuple(sorted(chosen, key=lambda e: e.date.sort_key))


def _as_set(value):  # type: ignore[no-untyped-def]
    if value is None:
        return None
    if isinstance(value, (str, int)):
        return {value}
    return set(value)
