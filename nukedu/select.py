"""Reproducible choice of questions and of the order students see things in.

Everything random takes a seed and a key, so the same seed gives the same
quiz and the same option order on every machine and in every session.
"""
from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

from .errors import NukeduError
from .model import QUESTION_TYPES, Bank, Matching, MultipleChoice, Ordering, Question, SingleChoice

T = TypeVar("T")


def rng(seed: int | str | None, key: str = "") -> random.Random:
    """A generator fixed by (seed, key); seed None means fresh randomness."""
    if seed is None:
        return random.Random()
    return random.Random(f"{seed}:{key}")


def shuffled(items: Sequence[T], seed: int | str | None, key: str, *, avoid_identity: bool = False) -> list[T]:
    """A reproducible permutation; with `avoid_identity`, never the original order (for 2+ distinct items)."""
    out = list(items)
    gen = rng(seed, key)
    gen.shuffle(out)
    if avoid_identity and len(set(map(str, items))) > 1 and out == list(items):
        out = out[1:] + out[:1]
    return out


def select_questions(
    bank: Bank,
    *,
    topic: str | Sequence[str] | None = None,
    types: str | Sequence[str] | None = None,
    difficulty: int | Sequence[int] | None = None,
    tags: str | Sequence[str] | None = None,
    n: int | None = 10,
    seed: int | str | None = None,
    ids: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    mix_types: bool = False,
    easy_first: bool = False,
) -> tuple[Question, ...]:
    """Questions by id (in the order given) or by filter, `n` of them drawn reproducibly.

    `exclude` leaves out questions already asked elsewhere (a lesson's embedded
    questions); `mix_types` draws the types in turn so no type dominates;
    `easy_first` orders by difficulty, neighbours of different types where possible.
    """
    unknown_excluded = sorted(set(exclude) - {q.id for q in bank.questions})
    if unknown_excluded:
        raise NukeduError(f"exclude names no question in the bank: {', '.join(map(repr, unknown_excluded))}")
    if ids is not None:
        known_ids = {q.id for q in bank.questions}
        missing = [i for i in ids if i not in known_ids]
        if missing:
            raise NukeduError(f"no question with id {', '.join(map(repr, missing))} in the bank")
        return tuple(bank.question(i) for i in ids)
    if types is not None:
        unknown = sorted(({types} if isinstance(types, str) else set(types)) - set(QUESTION_TYPES))
        if unknown:
            raise NukeduError(f"unknown question type {', '.join(map(repr, unknown))}; expected one of: {', '.join(QUESTION_TYPES)}")
    if topic is not None:
        known = {t.id for t in bank.topics}
        wanted = {topic} if isinstance(topic, str) else set(topic)
        if wanted - known:
            raise NukeduError(f"unknown topic {', '.join(map(repr, sorted(wanted - known)))}; expected one of: {', '.join(sorted(known))}")
    left_out = set(exclude)
    pool = [q for q in bank.filter(topic=topic, types=types, difficulty=difficulty, tags=tags) if q.id not in left_out]
    if not pool:
        raise NukeduError("no question matches these filters")
    if n is not None and n < 1:
        raise NukeduError(f"n must be at least 1, got {n}")
    if n is None or n >= len(pool):
        drawn = shuffled(pool, seed, "select")
    elif mix_types:
        drawn = _draw_mixed(pool, n, seed)
    else:
        drawn = rng(seed, "select").sample(pool, n)
    return tuple(easy_to_hard(drawn) if easy_first else drawn)


def _draw_mixed(pool: list[Question], n: int, seed: int | str | None) -> list[Question]:
    """`n` questions taking the types in turn (the turn order and each type's questions shuffled by seed)."""
    by_type: dict[str, list[Question]] = {}
    for q in pool:
        by_type.setdefault(q.type, []).append(q)
    kinds = shuffled(sorted(by_type), seed, "select-types")
    queues = {k: shuffled(by_type[k], seed, f"select-{k}") for k in kinds}
    out: list[Question] = []
    while len(out) < n:
        for k in kinds:
            if queues[k] and len(out) < n:
                out.append(queues[k].pop(0))
    return out


def easy_to_hard(questions: Sequence[Question]) -> list[Question]:
    """By difficulty, and within it never two of a type in a row when another type is left to put between."""
    out: list[Question] = []
    for level in sorted({q.difficulty for q in questions}):
        rest = [q for q in questions if q.difficulty == level]
        while rest:
            previous = out[-1].type if out else None
            pick = next((q for q in rest if q.type != previous), rest[0])
            out.append(pick)
            rest.remove(pick)
    return out


def presented_choices(q: Question, seed: int | str | None) -> list[str] | None:
    """The order a student sees a question's options, items or right-hand choices in."""
    if isinstance(q, (SingleChoice, MultipleChoice)):
        return shuffled(q.options, seed, q.id)
    if isinstance(q, Ordering):
        return shuffled(q.items, seed, q.id, avoid_identity=True)
    if isinstance(q, Matching):
        return shuffled(q.choices, seed, q.id)
    return None
