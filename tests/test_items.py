"""Item analysis, the pure core: every figure recomputed here by a plain formula, degenerate classes, flags, bad input.

The synthetic classes below have known answers. Each figure the analysis
reports (facility, point-biserial, upper-lower index, alpha / KR-20) is
computed again in this file from the textbook formula (the point-biserial
from group means, KR-20 from p and q, alpha from sample variances) and must
match the CSV the report writes to 4 decimals.
"""
from __future__ import annotations

import csv
import io
import math
import random
import statistics

import pytest

from nukedu.analysis.items import (
    ANSWERED, BLANK, INVALID, MIN_STUDENTS, Answer, Item, Responses, analyse, describe, items_csv, normalise_response,
    summary_text,
)
from nukedu.errors import NukeduError

SINGLE = Item(id="q1", label="Question 1", max_points=1, kind="single", question_id="bank-single", text="Which body did Ukraine join in 1991?",
              choices=("A", "B", "C", "D"), texts=("NACC", "PfP", "MAP", "NUC"), key="A")
TRUE_FALSE = Item(id="q2", label="Question 2", max_points=1, kind="true_false", question_id="bank-tf", text="The memorandum was binding.",
                  key=False)
MULTIPLE = Item(id="q3", label="Question 3", max_points=1, kind="multiple", question_id="bank-multi", text="Pick both.",
                choices=("A", "B", "C"), texts=("one", "two", "three"), key=("A", "C"))
NUMERIC = Item(id="q4", label="Question 4", max_points=1, kind="numeric", question_id="bank-num", text="Which year?", key=1994.0)
ORDERING = Item(id="q5", label="Question 5", max_points=2, kind="ordering", question_id="bank-order", text="Put in order.",
                choices=("A", "B", "C"), texts=("PfP", "NACC", "Charter"), key=("B", "A", "C"))


def student_ids(n: int) -> tuple[str, ...]:
    return tuple(f"s{i:02d}" for i in range(n))


def dichotomous_class(n: int = 23, seed: int = 18) -> Responses:
    """Four right/wrong questions; stronger students are right more often, so the figures are not trivial."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        ability = i / (n - 1)
        row = []
        a = "A" if rng.random() < 0.3 + 0.6 * ability else rng.choice("BCD")
        row.append(Answer(1.0 if a == "A" else 0.0, ANSWERED, a))
        t = (rng.random() < 0.5 + 0.4 * ability) is False
        row.append(Answer(1.0 if t is False else 0.0, ANSWERED, t))
        m = ("A", "C") if rng.random() < 0.2 + 0.7 * ability else rng.choice([("A",), ("A", "B"), ("B", "C")])
        row.append(Answer(1.0 if m == ("A", "C") else 0.0, ANSWERED, m))
        if rng.random() < 0.1:
            row.append(Answer(0.0, BLANK))
        else:
            y = 1994.0 if rng.random() < 0.4 + 0.5 * ability else rng.choice([1991.0, 1997.0])
            row.append(Answer(1.0 if y == 1994.0 else 0.0, ANSWERED, y))
        rows.append(tuple(row))
    return Responses(items=(SINGLE, TRUE_FALSE, MULTIPLE, NUMERIC), students=student_ids(n), answers=tuple(rows))


def partial_class(n: int = 15, seed: int = 7) -> Responses:
    """Adds an ordering question scored 0, 2/3 or 2 points, so the test is no longer dichotomous."""
    base = dichotomous_class(n, seed)
    rng = random.Random(seed + 1)
    orders = {("B", "A", "C"): 2.0, ("A", "B", "C"): round(2 * 2 / 3, 4), ("C", "A", "B"): round(2 / 3, 4), ("C", "B", "A"): 0.0}
    rows = []
    for i, row in enumerate(base.answers):
        o = ("B", "A", "C") if rng.random() < i / n else rng.choice(list(orders))
        rows.append((*row, Answer(orders[o], ANSWERED, o)))
    return Responses(items=(*base.items, ORDERING), students=base.students, answers=tuple(rows))


# --- the figures, by the textbook formulas ---------------------------------------------------------------------
def columns(data: Responses) -> list[list[float]]:
    return [[float(row[j].score) for row in data.answers] for j in range(len(data.items))]


def totals_of(data: Responses) -> list[float]:
    return [sum(float(a.score) for a in row) for row in data.answers]


def point_biserial_by_group_means(item: list[float], rest: list[float]) -> float:
    """r_pb = (M1 - M0) / s * sqrt(p q), s the population SD of the rest scores."""
    right = [r for x, r in zip(item, rest) if x == 1]
    wrong = [r for x, r in zip(item, rest) if x == 0]
    p = len(right) / len(item)
    return (statistics.fmean(right) - statistics.fmean(wrong)) / statistics.pstdev(rest) * math.sqrt(p * (1 - p))


def upper_lower(data: Responses, j: int) -> float:
    n = len(data.students)
    g = math.floor(0.27 * n + 0.5)
    totals = totals_of(data)
    ranked = sorted(range(n), key=lambda i: (-totals[i], data.students[i]))
    top, bottom = ranked[:g], ranked[n - g:]
    most = data.items[j].max_points
    share = lambda group: sum(data.answers[i][j].score for i in group) / (len(group) * most)  # noqa: E731
    return share(top) - share(bottom)


def kr20(data: Responses) -> float:
    cols = columns(data)
    k = len(cols)
    pq = sum(statistics.fmean(c) * (1 - statistics.fmean(c)) for c in cols)
    return k / (k - 1) * (1 - pq / statistics.pvariance(totals_of(data)))


def alpha_sample(data: Responses) -> float:
    cols = columns(data)
    k = len(cols)
    return k / (k - 1) * (1 - sum(statistics.variance(c) for c in cols) / statistics.variance(totals_of(data)))


def csv_rows(analysis) -> dict[str, dict[str, str]]:
    return {row["item"]: row for row in csv.DictReader(io.StringIO(items_csv(analysis)))}


def test_dichotomous_class_matches_the_textbook_formulas_to_4_decimals():
    data = dichotomous_class()
    a = analyse(data, title="synthetic")
    table = csv_rows(a)
    totals = totals_of(data)
    for j, item in enumerate(data.items):
        col = columns(data)[j]
        rest = [t - x for t, x in zip(totals, col)]
        row = table[item.id]
        assert row["facility"] == f"{sum(col) / len(col):.4f}"
        assert row["point_biserial"] == f"{point_biserial_by_group_means(col, rest):.4f}"
        assert row["upper_lower_index"] == f"{upper_lower(data, j):.4f}"
        s = a.items[j]
        assert s.facility == pytest.approx(sum(col) / len(col), abs=5e-5)
        assert s.point_biserial == pytest.approx(point_biserial_by_group_means(col, rest), abs=5e-5)
    assert a.test.reliability_name == "KR-20"
    assert round(a.test.reliability, 4) == round(kr20(data), 4)
    assert a.group_size == 6                                # 27 % of 23 = 6.21
    assert a.test.sd == pytest.approx(statistics.stdev(totals))
    assert a.test.median == statistics.median(totals) and a.test.mean == pytest.approx(statistics.fmean(totals))
    assert a.test.reliability_name in summary_text(a)


def test_partial_credit_uses_cronbach_alpha_and_the_item_rest_correlation():
    data = partial_class()
    a = analyse(data)
    table = csv_rows(a)
    totals = totals_of(data)
    col = columns(data)[4]
    rest = [t - x for t, x in zip(totals, col)]
    assert table["q5"]["facility"] == f"{statistics.fmean(col) / 2:.4f}"
    assert table["q5"]["point_biserial"] == f"{statistics.correlation(col, rest):.4f}"
    assert table["q5"]["upper_lower_index"] == f"{upper_lower(data, 4):.4f}"
    assert a.test.reliability_name == "Cronbach's alpha"
    assert f"{a.test.reliability:.4f}" == f"{alpha_sample(data):.4f}"


def test_a_small_hand_worked_class():
    """Ten students, two questions; worked on paper: facility 0.6 and 0.5, D = 1 - 1/3 for q1."""
    right1 = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0]
    right2 = [1, 1, 1, 1, 0, 0, 1, 0, 0, 0]
    rows = tuple((Answer(float(a), ANSWERED, "A" if a else "B"), Answer(float(b), ANSWERED, bool(b) is False))
                 for a, b in zip(right1, right2))
    a = analyse(Responses(items=(SINGLE, TRUE_FALSE), students=student_ids(10), answers=rows))
    q1, q2 = a.items
    assert (q1.facility, q2.facility) == (0.6, 0.5)
    # groups of 3: top s00-s02 (totals 2, 2, 2), bottom s09, s08, s07 (0, 0, 0): q1 1.0 - 0.0
    assert a.group_size == 3 and q1.upper_lower == 1.0
    # rest score of q1 is q2: r = (M1 - M0)/s * sqrt(pq) = (4/6 - 1/4) / 0.5 * sqrt(0.24)
    assert q1.point_biserial == pytest.approx((4 / 6 - 1 / 4) / 0.5 * math.sqrt(0.24))
    assert [(o.label, o.count, o.upper, o.lower) for o in q1.options] == [
        ("A. NACC", 6, 3, 0), ("B. PfP", 4, 0, 3), ("C. MAP", 0, 0, 0), ("D. NUC", 0, 0, 0)]
    assert csv_rows(a)["q1"]["options"] == "A. NACC (key): 6 (60%) | B. PfP: 4 (40%) | C. MAP: 0 (0%) | D. NUC: 0 (0%)"


# --- degenerate classes: words, never a division by zero -------------------------------------------------------
def _render(a) -> str:
    from nukedu.analysis.html import assignment_report_html

    page = assignment_report_html(a)
    body = page[page.index("<body>"):]
    assert "nan" not in body.lower().replace("nance", "") and "Infinity" not in body
    return body


def test_one_student():
    rows = ((Answer(1.0, ANSWERED, "A"), Answer(0.0, ANSWERED, True)),)
    a = analyse(Responses(items=(SINGLE, TRUE_FALSE), students=("solo",), answers=rows))
    assert a.test.mean == 1.0 and a.test.median == 1.0 and a.test.sd is None and a.test.reliability is None
    assert all(s.point_biserial is None and s.upper_lower is None for s in a.items)
    assert a.items[0].facility == 1.0 and a.flags == () and not a.meaningful
    words = " ".join((*a.notes, *a.test.notes))
    assert "Only 1 student" in words and "not meaningful" in words and "Standard deviation not defined for one student" in words
    assert "not meaningful" in _render(a)
    assert csv_rows(a)["q1"]["point_biserial"] == ""


def test_everyone_right():
    rows = tuple((Answer(1.0, ANSWERED, "A"), Answer(1.0, ANSWERED, False)) for _ in range(12))
    a = analyse(Responses(items=(SINGLE, TRUE_FALSE), students=student_ids(12), answers=rows))
    assert [s.facility for s in a.items] == [1.0, 1.0]
    assert all(s.point_biserial is None for s in a.items)
    assert "Point-biserial not defined: every student scored 1 of 1." in a.items[0].notes
    assert [s.upper_lower for s in a.items] == [0.0, 0.0]
    assert a.test.reliability is None and "every student has the same total" in " ".join(a.test.notes)
    assert a.test.sd == 0.0
    rules = {(f.item_id, f.rule) for f in a.flags}
    assert ("q1", "easy") in rules and ("q1", "unused-distractor") in rules
    _render(a)


def test_everyone_blank():
    rows = tuple((Answer(0.0, BLANK), Answer(0.0, BLANK)) for _ in range(11))
    a = analyse(Responses(items=(SINGLE, TRUE_FALSE), students=student_ids(11), answers=rows))
    for s in a.items:
        assert s.facility == 0.0 and s.blank == 11 and s.answered == 0 and s.point_biserial is None
        assert "Nobody answered this question: all 11 left it blank." in s.notes
        assert all(o.count == 0 for o in s.options)
    assert [f.rule for f in a.flags] == ["nobody-answered", "nobody-answered"]   # not also "hard" and "unused"
    assert a.test.reliability is None
    assert "Nobody answered this question" in _render(a)


def test_a_question_nobody_answered_among_others():
    data = dichotomous_class(12)
    rows = tuple((*row, Answer(0.0, BLANK)) for row in data.answers)
    a = analyse(Responses(items=(*data.items, ORDERING), students=data.students, answers=rows))
    last = a.items[-1]
    assert last.facility == 0.0 and last.point_biserial is None and last.upper_lower == 0.0 and last.wrong == ()
    assert "Point-biserial not defined: every student scored 0 of 2." in last.notes
    assert "Nobody answered this question: all 12 left it blank." in last.notes
    assert any(f.item_id == "q5" and f.rule == "nobody-answered" for f in a.flags)
    assert a.items[0].point_biserial is not None     # the others are still analysed
    _render(a)


def test_no_students_at_all():
    a = analyse(Responses(items=(SINGLE,), students=(), answers=()), title="empty")
    assert a.test.mean is None and a.items[0].facility is None
    assert "No graded submissions to analyse" in a.notes[0]
    _render(a)


def test_essays_waiting_for_hand_grading_stay_out_of_the_totals():
    essay = Item(id="essay", label="Essay 6", max_points=3, kind="essay")
    data = dichotomous_class(12)
    rows = tuple((*row, Answer(2.0 if i % 2 else None, ANSWERED)) for i, row in enumerate(data.answers))
    a = analyse(Responses(items=(*data.items, essay), students=data.students, answers=rows))
    s = a.items[-1]
    assert not s.in_totals and s.graded == 6 and s.facility == pytest.approx(2 / 3) and s.point_biserial is None
    assert "6 of 12 answers wait for hand-grading" in s.notes[0]
    assert a.test.items == 4 and a.test.max_points == 4
    assert a.test.reliability == pytest.approx(analyse(data).test.reliability)   # as if the essay were not there
    assert "Not in the totals (answers still to grade by hand): Essay 6." in a.test.notes


# --- flags ------------------------------------------------------------------------------------------------------
def flag_class() -> Responses:
    """Twenty students, ranked by three anchor questions: q1 has a distractor the top group prefers to the key
    and one nobody chose; q2 is too hard and only weak students get it; everyone gets q3 right."""
    anchors = tuple(Item(id=f"anchor{k}", label=f"Anchor {k}", max_points=1, kind="numeric", key=1994.0) for k in (1, 2, 3))
    rows = []
    for i in range(20):
        strong = i >= 7
        pick = ("A" if i >= 18 else "B") if strong else ("A" if i % 2 else "C")
        q1 = Answer(1.0 if pick == "A" else 0.0, ANSWERED, pick)
        q2 = Answer(1.0 if i in (0, 1, 2) else 0.0, ANSWERED, i not in (0, 1, 2))
        q3 = Answer(1.0, ANSWERED, ("A", "C"))
        anchor = Answer(1.0 if strong else 0.0, ANSWERED, 1994.0 if strong else 1991.0)
        rows.append((q1, q2, q3, anchor, anchor, anchor))
    return Responses(items=(SINGLE, TRUE_FALSE, MULTIPLE, *anchors), students=student_ids(20), answers=tuple(rows))


def test_flags_name_the_question_and_say_what_is_wrong():
    a = analyse(flag_class())
    found = {(f.item_id, f.rule): f for f in a.flags}
    assert ("q1", "unused-distractor") in found and "D. NUC" in found[("q1", "unused-distractor")].message
    beats = found[("q1", "distractor-beats-key")]
    assert beats.message == "the top group chose the distractor B. PfP (3 of them) more often than the key (2)"
    assert beats.question_id == "bank-single" and beats.text == SINGLE.text and beats.label == "Question 1"
    assert found[("q2", "hard")].message.startswith("facility 0.15 is below 0.2")
    assert found[("q2", "negative-discrimination")].message.startswith("negative discrimination (point-biserial -0.")
    assert found[("q3", "easy")].message.startswith("facility 1.00 is above 0.95")
    assert ("q3", "unused-distractor") in found                      # nobody ticked B
    assert not any(f.item_id.startswith("anchor") for f in a.flags)
    text = summary_text(a)
    assert "Question 1 (bank-single): nobody chose the distractor D. NUC" in text
    assert csv_rows(a)["q2"]["flags"].count(" | ") >= 1


def test_near_zero_discrimination_is_flagged():
    rng = random.Random(3)
    rows = []
    for i in range(40):
        strong = i >= 20
        rows.append((Answer(1.0 if strong else 0.0, ANSWERED, "A" if strong else "B"),
                     Answer(1.0 if i % 2 else 0.0, ANSWERED, not (i % 2)),
                     Answer(1.0 if strong or rng.random() < 0.3 else 0.0, ANSWERED, ("A", "C"))))
    a = analyse(Responses(items=(SINGLE, TRUE_FALSE, MULTIPLE), students=student_ids(40), answers=tuple(rows)))
    r = a.items[1].point_biserial
    assert r is not None and abs(r) < 0.1
    assert any(f.item_id == "q2" and f.rule in ("near-zero-discrimination", "negative-discrimination") for f in a.flags)


def test_a_small_class_gets_words_instead_of_flags():
    data = flag_class()
    small = Responses(items=data.items, students=data.students[:MIN_STUDENTS - 1], answers=data.answers[:MIN_STUDENTS - 1])
    a = analyse(small)
    assert a.flags == () and not a.meaningful and a.group_size == 0
    assert all(s.point_biserial is None and s.upper_lower is None for s in a.items)
    assert a.items[0].options[0].upper is None
    assert f"Only {MIN_STUDENTS - 1} students" in a.notes[0]
    assert "Flags" not in summary_text(a) and "not meaningful" in summary_text(a)


# --- responses in words ----------------------------------------------------------------------------------------
def test_arrangements_read_as_arrows_with_their_texts():
    matching = Item(id="q6", label="Question 6", max_points=2, kind="matching", choices=("A", "B", "C"),
                    texts=("Kyiv", "Brussels", "Madrid"), lefts=("capital of Ukraine", "NATO HQ"),
                    key=(("1", "A"), ("2", "B")), distractors=("C",))
    rows = []
    for i in range(12):
        m = {"1": "A", "2": "B"} if i < 6 else ({"2": "A", "1": "B"} if i < 10 else {"1": "A", "2": "A"})
        rows.append((Answer(2.0 if i < 6 else (1.0 if i >= 10 else 0.0), ANSWERED, normalise_response("matching", m)),
                     Answer(0.0 if i % 3 else 2.0, ANSWERED, ("C", "A", "B") if i % 3 else ("B", "A", "C"))))
    a = analyse(Responses(items=(matching, ORDERING), students=student_ids(12), answers=tuple(rows)))
    m, o = a.items
    assert [(w.response, w.count) for w in m.wrong] == [("1 → B. Brussels; 2 → A. Kyiv", 4), ("1 → A. Kyiv; 2 → A. Kyiv", 2)]
    assert m.wrong[0].short == "1 → B; 2 → A"
    assert [(w.response, w.count) for w in o.wrong] == [("C. Charter → A. PfP → B. NACC", 8)]
    assert any(f.rule == "unused-distractor" and "C. Madrid" in f.message for f in a.flags)
    assert describe(matching, matching.key) == "1 → A. Kyiv; 2 → B. Brussels"


def test_normalised_responses_count_together():
    assert normalise_response("multiple", ["C", "A", "C"]) == ("A", "C")
    assert normalise_response("matching", {2: "A", "1": "B"}) == (("1", "B"), ("2", "A"))
    assert normalise_response("short_text", "  Kyiv. ") == normalise_response("short_text", "kyiv")
    assert normalise_response("numeric", 1994) == 1994.0 and normalise_response("single", " B ") == "B"


# --- bad input ----------------------------------------------------------------------------------------------------
def test_every_problem_in_the_matrix_is_reported_at_once():
    bad_item = Item(id="q9", label="Question 9", max_points=0, kind="single")
    rows = ((Answer(3.0, ANSWERED, "A"), Answer(0.0, "maybe")), (Answer(1.0, ANSWERED, "A"),))
    with pytest.raises(NukeduError) as err:
        analyse(Responses(items=(SINGLE, bad_item), students=("ana", "ana"), answers=rows))
    text = str(err.value)
    assert text.startswith("5 problems in the item matrix:")
    assert "item 'q9': expected a maximum above 0 points, found 0" in text
    assert "student 'ana' appears twice" in text
    assert "student 'ana', item 'q1': expected a score from 0 to 1, found 3.0" in text
    assert "student 'ana', item 'q9': expected a state among answered, blank, invalid, unknown, found 'maybe'" in text
    assert "student 'ana': expected 2 answers (one per item), found 1" in text


def test_invalid_answers_are_counted_apart_from_blanks():
    rows = tuple((Answer(0.0, INVALID) if i < 2 else Answer(1.0, ANSWERED, "A"),) for i in range(10))
    a = analyse(Responses(items=(SINGLE,), students=student_ids(10), answers=rows))
    s = a.items[0]
    assert (s.invalid, s.blank, s.answered, s.options[0].count) == (2, 0, 10, 8)


def test_a_students_answer_never_becomes_a_spreadsheet_formula():
    short = Item(id="q7", label="Question 7", max_points=1, kind="short_text", key="bydgoszcz")
    rows = tuple((Answer(0.0, ANSWERED, '=HYPERLINK("http://x","y")'),) for _ in range(3))
    a = analyse(Responses(items=(short,), students=student_ids(3), answers=rows))
    assert csv_rows(a)["q7"]["common_wrong_answers"] == '\'=HYPERLINK("http://x","y"): 3'
