"""Counts and source coverage of a bank, for instructors and for the content checks."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .model import QUESTION_TYPES, Bank
from .sources import DOCS


@dataclass(frozen=True, slots=True)
class Coverage:
    doc: str
    cited: dict[int, int]  # line -> number of questions citing it
    uncovered: tuple[int, ...]  # body lines cited by fewer than `minimum` questions
    minimum: int


def coverage(bank: Bank, minimum: int = 2) -> list[Coverage]:
    """Which lines of each source the questions cite, and which body lines too few cite."""
    out = []
    for doc in DOCS.values():
        cited: Counter[int] = Counter()
        for q in bank.questions:
            for line in {c.line for c in q.sources if c.doc == doc.id}:
                cited[line] += 1
        short = tuple(line for line in doc.content_lines if cited[line] < minimum)
        out.append(Coverage(doc.id, dict(sorted(cited.items())), short, minimum))
    return out


def report(bank: Bank) -> str:
    """A plain-text summary: counts by type, topic and difficulty, then coverage."""
    lines = [f"{len(bank.questions)} questions, {len(bank.events)} timeline events, "
             f"{len(bank.eras)} eras, {len(bank.terms)} glossary terms", ""]
    by_type = Counter(q.type for q in bank.questions)
    lines.append("By type:")
    lines += [f"  {t:<12} {by_type[t]:>4}" for t in QUESTION_TYPES]
    lines.append("By topic:")
    by_topic = Counter(q.topic for q in bank.questions)
    lines += [f"  {t.id:<26} {by_topic[t.id]:>4}  {t.title}" for t in bank.topics]
    lines.append("By difficulty:")
    by_level = Counter(q.difficulty for q in bank.questions)
    total = max(len(bank.questions), 1)
    lines += [f"  {d} {by_level[d]:>6}  ({100 * by_level[d] / total:.0f}%)" for d in (1, 2, 3)]
    lines.append("Sources (lines cited by questions: line×count):")
    for cov in coverage(bank):
        cited = " ".join(f"{line}×{n}" for line, n in cov.cited.items()) or "none"
        lines.append(f"  {cov.doc}: {cited}")
        body = DOCS[cov.doc].content_lines
        lines.append(f"    body lines cited at least {cov.minimum} times: {len(body) - len(cov.uncovered)}/{len(body)}"
                     + (f"; short: {', '.join(map(str, cov.uncovered))}" if cov.uncovered else ""))
    return "\n".join(lines)
