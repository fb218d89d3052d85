"""Bank lint: what a valid bank can still get wrong, as warnings with the place to fix it.

The loader refuses what cannot be used; these checks flag what can be used but misleads:
an ordering whose years give part of the order away, a numeric tolerance that accepts
impossible answers. Claims with "only" are listed apart for a person to check against the
cited lines, since no rule can tell a true "only" from an overstatement.

Pure: everything works on the loaded `Bank`. The YAML texts it came from are passed in
(file name -> text) only to point at the line of each field, from the nodes' marks as the
loader's errors do; the source lines are passed in too. Nothing here opens a file.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import yaml

from ._reader import compose
from .model import Bank, Citation, Numeric, Ordering, Question, Span

EARLIEST_YEAR = 1900
LATEST_YEAR = 2024  # the sources end with the run-up to the Washington summit of July 2024
YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
ONLY = re.compile(r"\bonly\b", re.IGNORECASE)
_PERCENT = re.compile(r"%|\bper\s?cent", re.IGNORECASE)
_YEAR_PROMPT = re.compile(r"\b(?:which|what)\s+year\b", re.IGNORECASE)
_YEAR_UNITS = ("year",)
_ABBREVIATIONS = {"gen", "mr", "mrs", "ms", "dr", "st", "no", "vs", "e.g", "i.e", "cf", "col", "lt", "adm", "prof"}


@dataclass(frozen=True, slots=True)
class LintWarning:
    """One finding: where (file, line and field path as in the loader's errors), which item, which rule, what is expected."""

    span: Span
    path: str
    item: str
    rule: str
    message: str

    def render(self, severity: str = "warning") -> str:
        return f"{self.span}: {self.path}: {severity}: {self.message} [{self.rule}]"

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class CitedLine:
    citation: Citation
    text: str | None  # the whole cited line; None when the source texts are not available


@dataclass(frozen=True, slots=True)
class Claim:
    """A sentence with "only" in a hint, feedback or explanation, with the lines its item cites."""

    span: Span
    path: str
    item: str
    field: str
    sentence: str
    cited: tuple[CitedLine, ...]

    def render(self) -> str:
        lines = [f"{self.span}: {self.path}", f"    item:   {self.item}", f"    field:  {self.field}",
                 f"    claim:  {self.sentence}"]
        for c in self.cited:
            where = f"{c.citation.doc} line {c.citation.line}"
            shown = c.text if c.text is not None else f"(source text not available; quote: {c.citation.quote!r})"
            lines.append(f"    source: {where}: {shown}")
        return "\n".join(lines)


# --- where fields were written -------------------------------------------------
class Locator:
    """The span and loader-style path of a field of a bank item, found in the YAML it was read from.

    Files are composed only when a location in them is asked for, so a clean bank costs nothing.
    Without the text (a bank built in memory) the item's own span and the field's name are used.
    """

    def __init__(self, texts: Mapping[str, str] | None = None):
        self._texts = texts or {}
        self._items: dict[str, dict[tuple[int, int], tuple[yaml.Node, str]]] = {}

    def _index(self, file: str) -> dict[tuple[int, int], tuple[yaml.Node, str]]:
        if file not in self._items:
            index: dict[tuple[int, int], tuple[yaml.Node, str]] = {}
            text = self._texts.get(file)
            root = compose(text, file, []) if text is not None else None
            if isinstance(root, yaml.MappingNode):
                for key, value in root.value:
                    if isinstance(value, yaml.SequenceNode):
                        for i, node in enumerate(value.value):
                            index[node.start_mark.line + 1, node.start_mark.column + 1] = (node, f"{key.value}[{i}]")
            self._items[file] = index
        return self._items[file]

    def find(self, span: Span | None, *steps: str | int) -> tuple[Span, str]:
        """Where `steps` (field names and list indexes) lead from the item written at `span`."""
        tail = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps)
        if span is None:
            return Span("?", 1, 1), tail.lstrip(".")
        found = self._index(span.file).get((span.line, span.column))
        if found is None:
            return span, tail.lstrip(".")
        node, path = found
        for step in steps:
            child = _child(node, step)
            if child is None:
                break
            node = child
        return Span(span.file, node.start_mark.line + 1, node.start_mark.column + 1), path + tail


def _child(node: yaml.Node, step: str | int) -> yaml.Node | None:
    if isinstance(step, int):
        return node.value[step] if isinstance(node, yaml.SequenceNode) and step < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and str(k.value) == step), None)
    return None


# --- the rules -------------------------------------------------------------------
def lint(bank: Bank, texts: Mapping[str, str] | None = None) -> tuple[LintWarning, ...]:
    """Every warning for the bank, in bank order: ordering years, timeline titles, numeric ranges."""
    where = Locator(texts)
    found: list[LintWarning] = []
    for q in bank.questions:
        if isinstance(q, Ordering):
            found += _ordering_years(q, where)
        elif isinstance(q, Numeric):
            found += _numeric_range(q, where)
    found += _timeline_title_years(bank, where)
    return tuple(found)


def _years(text: str) -> list[str]:
    return YEAR.findall(text)


def _ordering_years(q: Ordering, where: Locator) -> Iterator[LintWarning]:
    """Items to order: a year in some of them gives their place away and leaves the rest to guess."""
    dated = [(i, _years(item)) for i, item in enumerate(q.items)]
    with_year = [(i, ys) for i, ys in dated if ys]
    if not with_year or len(with_year) == len(q.items):
        return
    named = ", ".join(f"items[{i}] ({'/'.join(ys)})" for i, ys in with_year)
    for i, ys in dated:
        if not ys:
            span, path = where.find(q.span, "items", i)
            yield LintWarning(span, path, q.id, "ordering-years",
                              f"this item names no year, but {named} {'does' if len(with_year) == 1 else 'do'}; "
                              "expected every item to name its year or none, so years do not give part of the order away")


def _timeline_title_years(bank: Bank, where: Locator) -> Iterator[LintWarning]:
    """The timeline quiz orders event titles side by side, so a year in a title is a year among items without one."""
    events = [e for e in bank.events if not e.is_publication]
    undated = sum(1 for e in events if not _years(e.title))
    for e in events:
        ys = _years(e.title)
        if ys and undated:
            span, path = where.find(e.span, "title")
            yield LintWarning(span, path, e.id, "timeline-title-years",
                              f"the title names {'/'.join(ys)}, but {undated} other event title{'s' if undated != 1 else ''} "
                              "name none and the timeline quiz asks to order titles; expected a title without a year "
                              "(the date belongs in year, month and day)")


def numeric_kind(q: Numeric) -> str | None:
    """"percent", "year" or None, from the unit or, when the unit is empty, from the prompt.

    A unit that names something else ("years" of a span, "billion US$") is trusted over the prompt.
    """
    unit = " ".join(q.unit.lower().split())
    if unit:
        if _PERCENT.search(unit):
            return "percent"
        return "year" if unit in _YEAR_UNITS else None
    if _PERCENT.search(q.prompt):
        return "percent"
    return "year" if _YEAR_PROMPT.search(q.prompt) else None


def _numeric_range(q: Numeric, where: Locator) -> Iterator[LintWarning]:
    """Answer ± tolerance must stay within what the quantity can be: 0–100 %, a year from 1900 to 2024."""
    kind = numeric_kind(q)
    if kind is None:
        return
    low, high = (0, 100) if kind == "percent" else (EARLIEST_YEAR, LATEST_YEAR)
    what = "a percentage" if kind == "percent" else "a year in this history"
    lo, hi = q.answer - q.tolerance, q.answer + q.tolerance
    if not low <= q.answer <= high:
        span, path = where.find(q.span, "answer")
        yield LintWarning(span, path, q.id, "numeric-range",
                          f"{q.answer:g} cannot be {what}; expected an answer from {low} to {high}")
    elif lo < low or hi > high:
        span, path = where.find(q.span, "tolerance")
        beyond = f"{hi:g}" if hi > high else f"{lo:g}"
        room = min(q.answer - low, high - q.answer)
        yield LintWarning(span, path, q.id, "numeric-range",
                          f"{q.answer:g} ± {q.tolerance:g} accepts {beyond}, which cannot be {what} "
                          f"({low}–{high}); expected a tolerance of at most {room:g}")


# --- "only" claims, for review -------------------------------------------------------
def only_claims(bank: Bank, texts: Mapping[str, str] | None = None,
                source_lines: Mapping[str, Sequence[str]] | None = None) -> tuple[Claim, ...]:
    """Each sentence with the word "only" in a question's hints, feedback or explanation, with the cited lines.

    `source_lines` maps a doc id to its lines (as `sources.read_lines` gives them); a doc missing
    from it shows the citation's quote instead of the line.
    """
    where = Locator(texts)
    lines = source_lines or {}
    claims: list[Claim] = []
    for q in bank.questions:
        cited = tuple(_cited(c, lines) for c in _unique(q.sources))
        mine = []
        for field, steps, text in _claim_fields(q):
            for sentence in split_sentences(text):
                if ONLY.search(sentence):
                    span, path = where.find(q.span, *steps)
                    mine.append(Claim(span, path, q.id, field, sentence, cited))
        claims += sorted(mine, key=lambda c: (c.span.line, c.span.column))  # as a reader meets them in the file
    return tuple(claims)


def _claim_fields(q: Question) -> Iterator[tuple[str, tuple[str | int, ...], str]]:
    for i, hint in enumerate(q.hints):
        yield f"hints[{i}]", ("hints", i), hint
    for key, text in getattr(q, "feedback", {}).items():
        yield f"feedback.{key}", ("feedback", key), text
    yield "explanation", ("explanation",), q.explanation


def _unique(citations: Sequence[Citation]) -> list[Citation]:
    seen: set[tuple[str, int]] = set()
    out = []
    for c in citations:
        if (c.doc, c.line) not in seen:
            seen.add((c.doc, c.line))
            out.append(c)
    return out


def _cited(c: Citation, lines: Mapping[str, Sequence[str]]) -> CitedLine:
    text = lines.get(c.doc)
    if text is None:
        return CitedLine(c, None)
    return CitedLine(c, text[c.line - 1].strip() if c.line <= len(text) else "")


def split_sentences(text: str) -> list[str]:
    """Sentences of a hint or explanation; initials ("J. Cordy", "A.F. Rasmussen") and "Gen." do not end one."""
    text = " ".join(text.split())
    out, start = [], 0
    for m in re.finditer(r"[.!?][\"'”’)\]]*(?= |$)", text):
        end = m.end()
        word = text[start:m.start()].rsplit(" ", 1)[-1].lstrip("(\"'“‘[")
        rest = text[end:].lstrip()
        if rest and (rest[0].islower() or _is_abbreviation(word, text[m.start()])):
            continue
        out.append(text[start:end].strip())
        start = end
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _is_abbreviation(word: str, mark: str) -> bool:
    return mark == "." and (bool(re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word)) or word.lower() in _ABBREVIATIONS)
