"""The shared scoring function: every type, with the partial-credit edges."""
from __future__ import annotations

import pytest

from nukedu import score


def q(bank, name):
    return bank.question(f"sample-{name}")


def test_single(mini_bank):
    s = q(mini_bank, "single")
    assert score(s, "December 1991").points == 1 and score(s, "December 1991").correct
    wrong = score(s, "1994")
    assert (wrong.points, wrong.status) == (0, "incorrect")
    assert wrong.feedback == ("That is when Ukraine joined the Partnership for Peace.",)
    assert score(s, None).status == "unanswered"
    assert score(s, "  ").status == "unanswered"


def test_true_false_accepts_bools_and_words(mini_bank):
    t = q(mini_bank, "true-false")
    assert score(t, False).correct and score(t, "false").correct and score(t, "False ").correct
    bad = score(t, True)
    assert not bad.correct and bad.feedback == ("The article calls it a declaration that was not legally binding.",)
    assert score(t, "maybe").feedback == ("Answer True or False.",)


@pytest.mark.parametrize(
    "picks,points,status",
    [
        (["Russia", "the United Kingdom", "the US"], 1.0, "correct"),
        (["the US", "Russia", "the United Kingdom"], 1.0, "correct"),
        (["Russia", "the US"], 0.6667, "partial"),
        (["Russia", "China"], 0.0, "incorrect"),
        (["Russia", "the United Kingdom", "China"], 0.3333, "partial"),
        (["Russia", "the United Kingdom", "the US", "China", "Poland"], 0.3333, "partial"),  # all ticked
        (["China", "Poland"], 0.0, "incorrect"),  # floor at 0
        (["Russia", "Atlantis"], 0.0, "incorrect"),  # unknown options count as wrong picks
        ([], 0.0, "unanswered"),
    ],
)
def test_multiple_partial_credit(mini_bank, picks, points, status):
    r = score(q(mini_bank, "multiple"), picks)
    assert (r.points, r.status) == (points, status)


def test_multiple_feedback_names_wrong_picks_and_misses(mini_bank):
    r = score(q(mini_bank, "multiple"), ["Russia", "China"])
    assert r.feedback == ("China joined the assurances later.", "2 correct options were not chosen.")


@pytest.mark.parametrize(
    "answer,points,feedback",
    [
        (1997, 1, ()), ("1997", 1, ()), (1997.0, 1, ()), (" 1,997 ", 1, ()),
        (1998, 0, ("Your answer is too high by 1 year.",)),
        (1990, 0, ("Your answer is too low by 7 years.",)),
        ("soon", 0, ("'soon' is not a number.",)),
        (True, 0, ("True is not a number.",)),
    ],
)
def test_numeric(mini_bank, answer, points, feedback):
    r = score(q(mini_bank, "numeric"), answer)
    assert (r.points, r.feedback) == (points, feedback)


def test_numeric_tolerance_boundary(mini_bank):
    from dataclasses import replace

    n = replace(q(mini_bank, "numeric"), tolerance=2)
    assert score(n, 1999).correct and score(n, 1995).correct
    assert not score(n, 1999.01).correct and not score(n, 1994.99).correct


ORDER = [
    "Ukraine joins the North Atlantic Cooperation Council",
    "Ukraine joins the Partnership for Peace",
    "The Charter on a Distinctive Partnership is signed",
]


@pytest.mark.parametrize(
    "placed,points,status",
    [
        (ORDER, 1.0, "correct"),
        (ORDER[::-1], 0.0, "incorrect"),  # reversed: every pair wrong
        ([ORDER[1], ORDER[0], ORDER[2]], 0.6667, "partial"),  # one swap
        ([ORDER[0], ORDER[2]], 0.3333, "partial"),  # one item missing
        (ORDER + [ORDER[0]], 0.75, "partial"),  # a repeated entry
        (ORDER + ["Something else"], 0.75, "partial"),  # an unknown entry
        ([], 0.0, "unanswered"),
    ],
)
def test_ordering_pairs(mini_bank, placed, points, status):
    r = score(q(mini_bank, "ordering"), placed)
    assert (r.points, r.status) == (points, status)


def test_matching_share_of_pairs(mini_bank):
    m = q(mini_bank, "matching")
    right = {"PfP": "Partnership for Peace", "NRC": "NATO-Russia Council", "MAP": "Membership Action Plan"}
    assert score(m, right).correct
    r = score(m, {**right, "MAP": "North Atlantic Cooperation Council"})
    assert (r.points, r.status, r.feedback) == (0.6667, "partial", ("2 of 3 pairs are matched correctly.",))
    assert score(m, {"PfP": "Partnership for Peace"}).points == 0.3333
    assert score(m, {}).status == "unanswered"
    assert score(m, "not a mapping").points == 0


@pytest.mark.parametrize(
    "answer,correct",
    [("Bydgoszcz", True), ("  bYdGoSzCz. ", True), ("Bydgoszcz,   Poland", True), ("Bydgoszcz Poland", False),
     ("Rzeszów", False), ("Bydgoszc", False)],
)
def test_short_text(mini_bank, answer, correct):
    assert score(q(mini_bank, "short-text"), answer).correct is correct


def test_essay_needs_manual_grading(mini_bank):
    e = q(mini_bank, "essay")
    r = score(e, "An answer of some length.")
    assert (r.status, r.points, r.max_points) == ("needs_grading", 0, 4)
    assert r.feedback[0] == "Links the warning to the Budapest Memorandum (2 points)"
    assert score(e, "").status == "unanswered"


def test_points_scale_with_question_worth(mini_bank):
    from dataclasses import replace

    m = replace(q(mini_bank, "multiple"), points=3)
    r = score(m, ["Russia", "the US"])
    assert (r.points, r.max_points, round(r.fraction, 4)) == (2.0, 3.0, 0.6667)
