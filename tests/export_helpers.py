"""Shared by the export tests: the shipped bank, a question with every special character, and key leaks."""
from __future__ import annotations

import dataclasses
import html
import re

from nukedu.model import Citation, Essay, Matching, Ordering, Pair, Question, ShortText, SingleChoice

TAG = re.compile(r"<[^>]+>")


def plain(markup: str | None) -> str:
    """HTML as the words a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(TAG.sub(" ", markup or "")).split())


def key_texts(q: Question) -> list[str]:
    """Texts that give the answer away if a student sees them before answering (and the prompt does not hold them)."""
    keys = [q.explanation, *getattr(q, "feedback", {}).values()]
    if isinstance(q, ShortText):
        keys += list(q.accepted)
    if isinstance(q, Essay):
        keys += [*q.model_answer, *(c.criterion for c in q.rubric)]
    if isinstance(q, Matching):
        keys += [f"{p.left} → {p.right}" for p in q.pairs]
    return [k for k in keys if k and k.casefold() not in q.prompt.casefold()]


def leaks(q: Question, visible: str) -> list[str]:
    """The key texts of `q` found in what a student sees before answering."""
    seen = " ".join(visible.split()).casefold()
    found = [k for k in key_texts(q) if " ".join(k.split()).casefold() in seen]
    if isinstance(q, Ordering):
        positions = [seen.find(i.casefold()) for i in q.items]
        if all(p >= 0 for p in positions) and positions == sorted(positions):
            found.append("the items in their right order")
    return found


SPECIALS = 'Tricky ~ = # { } : \\ & < > "quoted" \'single\' ]]> [brackets] -> * line\nbreak'


def tricky_questions(bank) -> list[Question]:  # type: ignore[no-untyped-def]
    """Copies of shipped questions whose texts carry every character a format must escape."""
    src = Citation(doc="partnership-2024", line=5, quote="In December 1991")
    single = next(q for q in bank.questions if isinstance(q, SingleChoice))
    options = (f"A {SPECIALS}", "B {plain}", "C: #3", "D = ~4")
    tricky = dataclasses.replace(
        single, id="tricky-single", prompt=f"Which one? {SPECIALS}", options=options, answer=options[0],
        feedback={options[1]: f"Not this {SPECIALS}"}, explanation=f"Because {SPECIALS}", hints=(f"Hint {SPECIALS}",),
        sources=(src,))
    match = next(q for q in bank.questions if isinstance(q, Matching))
    tricky_match = dataclasses.replace(
        match, id="tricky-matching", prompt=f"Match {SPECIALS}",
        pairs=(Pair(left="a & b", right="x {y}"), Pair(left="c: d", right="z = 1"), Pair(left="e", right="w # 2")),
        distractors=("v ~ 3",), explanation=f"Pairs {SPECIALS}", sources=(src,))
    short = next(q for q in bank.questions if isinstance(q, ShortText))
    tricky_short = dataclasses.replace(short, id="tricky-short", prompt=f"Name {SPECIALS}",
                                       accepted=("AT&T", "a*b", "x: y"), pattern="", sources=(src,))
    return [tricky, tricky_match, tricky_short]
