"""Drawing questions: leaving some out, taking the types in turn, and running from easy to hard."""
from __future__ import annotations

import pytest

import nukedu
from nukedu.errors import NukeduError
from nukedu.select import easy_to_hard, select_questions


@pytest.fixture(scope="module")
def bank():
    return nukedu.load_bank()


def test_exclude_leaves_out_and_names_a_typo(bank):
    everything = {q.id for q in select_questions(bank, topic="beginnings", n=None, seed=1)}
    some = sorted(everything)[:5]
    rest = {q.id for q in select_questions(bank, topic="beginnings", n=None, seed=1, exclude=some)}
    assert rest == everything - set(some)
    with pytest.raises(NukeduError, match="'beginnings-nope'"):
        select_questions(bank, topic="beginnings", exclude=["beginnings-nope"])


def test_mixed_types_take_turns_and_stay_reproducible(bank):
    drawn = select_questions(bank, topic="washington-2024", n=7, seed=3, mix_types=True)
    assert len({q.type for q in drawn}) == 7  # seven types in the topic, one of each before any repeats
    assert drawn == select_questions(bank, topic="washington-2024", n=7, seed=3, mix_types=True)
    assert drawn != select_questions(bank, topic="washington-2024", n=7, seed=4, mix_types=True)


def test_easy_to_hard_rises_and_keeps_neighbours_apart(bank):
    for seed in range(20):
        drawn = select_questions(bank, topic="nato-role-in-war", n=8, seed=seed, mix_types=True, easy_first=True)
        levels = [q.difficulty for q in drawn]
        assert levels == sorted(levels)
        for a, b in zip(drawn, drawn[1:]):
            if a.type == b.type:  # allowed only when nothing else of that difficulty was left
                same_level = [q for q in drawn if q.difficulty == b.difficulty]
                assert {q.type for q in same_level[same_level.index(b):]} == {b.type}


def test_easy_to_hard_keeps_every_question(bank):
    qs = list(bank.questions[:30])
    assert sorted(q.id for q in easy_to_hard(qs)) == sorted(q.id for q in qs)


def test_a_quiz_call_passes_them_through(bank):
    qz = nukedu.quiz(topic="beginnings", n=4, seed=2, exclude=["beginnings-december-1991"], mix_types=True,
                     easy_first=True, remember=False)
    assert "beginnings-december-1991" not in [q.id for q in qz.questions]
    assert [q.difficulty for q in qz.questions] == sorted(q.difficulty for q in qz.questions)
