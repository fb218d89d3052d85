"""The shipped bank meets the content standard: size, coverage, feedback, difficulty and faithfulness checks."""
from __future__ import annotations

import re
from collections import Counter

import pytest

import nukedu
from nukedu.model import QUESTION_TYPES
from nukedu.sources import DOCS
from nukedu.stats import coverage


@pytest.fixture(scope="module")
def bank():
    return nukedu.load_bank()


def test_size_and_types(bank):
    assert len(bank.questions) >= 220
    counts = Counter(q.type for q in bank.questions)
    assert all(counts[t] >= 15 for t in QUESTION_TYPES), counts
    assert len(bank.events) >= 50 and len(bank.terms) >= 40


def test_every_body_line_is_cited_by_two_questions(bank):
    short = {c.doc: c.uncovered for c in coverage(bank, minimum=2)}
    assert short == {doc: () for doc in DOCS}


def test_difficulty_spread(bank):
    levels = Counter(q.difficulty for q in bank.questions)
    assert levels[2] >= len(bank.questions) / 4 and levels[3] >= len(bank.questions) / 4


def test_choice_questions_explain_every_wrong_option(bank):
    for q in bank.questions:
        if q.type == "single":
            assert set(q.feedback) >= set(q.options) - {q.answer}, q.id
        elif q.type == "multiple":
            assert set(q.feedback) >= set(q.options) - set(q.answers), q.id
        elif q.type == "true_false":
            assert ("false" if q.answer else "true") in q.feedback, q.id


def test_no_lazy_distractors(bank):
    lazy = re.compile(r"\b(all|none) of the above\b", re.I)
    for q in bank.questions:
        for option in getattr(q, "options", ()):
            assert not lazy.search(option), q.id


def test_essays_have_rubric_and_outline(bank):
    for q in bank.by_type("essay"):
        assert len(q.rubric) >= 2 and q.model_answer and q.difficulty >= 2, q.id


def test_topics_and_ids_are_consistent(bank):
    for q in bank.questions:
        assert q.id.startswith(q.topic + "-"), q.id
    assert {t.id for t in bank.topics} == {
        "beginnings", "distinctive-partnership", "membership-aspirations", "turning-point-2014",
        "nato-role-in-war", "washington-2024", "anniversary-2022"}


def test_eras_cover_1991_to_2024_without_gaps(bank):
    eras = bank.eras
    assert eras[0].start == 1991 and eras[-1].end == 2024
    assert all(b.start == a.end + 1 for a, b in zip(eras, eras[1:]))


def test_washington_plan_is_asked_as_expected_not_decided(bank):
    """Prompts about the summit word it as expected/planned, never as a decision taken."""
    decided = re.compile(r"\b(was|were) (approved|adopted|decided|agreed) at the (Washington|July) summit", re.I)
    for q in bank.questions + tuple(()):
        assert not decided.search(q.prompt), q.id
    for e in bank.events:
        assert not decided.search(e.summary), e.id


def test_acronym_expansions_only_where_the_text_gives_them(bank, require_sources):
    from nukedu.sources import find_sources_dir, normalise, read_lines

    text = normalise(" ".join(line for lines in read_lines(find_sources_dir()).values() for line in lines))
    for t in bank.terms:
        if t.expansion:
            assert normalise(t.expansion) in text, t.term
