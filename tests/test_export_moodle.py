"""Moodle XML: parsed back with lxml, checked against what Moodle's importer needs and against the bank.

Moodle publishes no XML schema for its question format, so the structure test checks every element
its importer (question/format/xml/format.php and qtype_ordering) reads, and the grading tests check
that Moodle's own rules applied to the exported fractions give nukedu's scores.
"""
from __future__ import annotations

import itertools
import random

import pytest

from nukedu import load_bank
from nukedu.export.moodle import ALLOWED_FRACTIONS, category_path, export_moodle, fraction_text
from nukedu.model import (
    Essay, Matching, MultipleChoice, Numeric, Ordering, ShortText, SingleChoice, TrueFalse,
)
from nukedu.present import citation_text
from nukedu.scoring import score

from .export_helpers import SPECIALS, leaks, plain, tricky_questions

etree = pytest.importorskip("lxml.etree")
ALLOWED = {float(f) for f in ALLOWED_FRACTIONS} | {-float(f) for f in ALLOWED_FRACTIONS}
QTYPES = {"multichoice", "truefalse", "numerical", "shortanswer", "matching", "essay", "ordering"}


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def exported(bank):
    return export_moodle(bank.questions, bank)


@pytest.fixture(scope="module")
def parsed(exported):
    return read(exported.data)


def read(data: bytes) -> dict[str, tuple[str, object]]:
    """idnumber -> (category path, question element), checking the file's outline on the way."""
    root = etree.fromstring(data)
    assert root.tag == "quiz"
    out: dict[str, tuple[str, object]] = {}
    category = None
    for el in root:
        assert el.tag == "question"
        if el.get("type") == "category":
            category = el.findtext("category/text")
            continue
        assert category is not None, "every question comes after a category"
        qid = el.findtext("idnumber")
        assert qid and qid not in out, f"idnumber missing or repeated: {qid!r}"
        out[qid] = (category, el)
    return out


def answers(el) -> list[tuple[str, float, str]]:
    return [(a.findtext("text") or "", float(a.get("fraction")), plain(a.findtext("feedback/text")))
            for a in el.findall("answer")]


def test_every_question_is_exported_once_in_its_topic_category(bank, parsed, exported):
    assert exported.questions == len(bank.questions)
    assert list(parsed) == [q.id for q in bank.questions]
    for q in bank.questions:
        category, el = parsed[q.id]
        assert category == f"$course$/top/Ukraine–NATO partnership/{bank.topic_title(q.topic)}"
        assert el.get("type") in QTYPES
        assert el.findtext("name/text") == q.id
        assert float(el.findtext("defaultgrade")) == q.points
        assert el.find("questiontext").get("format") == "html"


def test_structure_has_what_moodles_importer_reads(bank, parsed):
    for q in bank.questions:
        _, el = parsed[q.id]
        fractions = [f for _, f, _ in answers(el)]
        kind = el.get("type")
        if kind == "multichoice":
            assert all(f in ALLOWED for f in fractions), (q.id, fractions)
            assert el.findtext("single") in ("true", "false")
            positive = sum(f for f in fractions if f > 0)
            assert abs(positive - 100) < 1e-3, (q.id, positive)  # Moodle refuses positive grades not adding to 100 %
            if el.findtext("single") == "true":
                assert sorted(fractions) == [0.0] * (len(fractions) - 1) + [100.0]
        elif kind == "truefalse":
            assert sorted(t for t, _, _ in answers(el)) == ["false", "true"]
            assert sorted(fractions) == [0.0, 100.0]
        elif kind == "numerical":
            assert fractions == [100.0]
            float(el.find("answer").findtext("text"))
            float(el.find("answer").findtext("tolerance"))
        elif kind == "shortanswer":
            assert fractions and set(fractions) == {100.0}
            assert el.findtext("usecase") == "0"
        elif kind == "matching":
            subs = el.findall("subquestion")
            assert sum(1 for s in subs if plain(s.findtext("text"))) >= 2  # Moodle: at least 2 questions...
            assert len({s.findtext("answer/text") for s in subs}) >= 3      # ...and 3 answers
        elif kind == "ordering":
            assert fractions == [float(i) for i in range(1, len(fractions) + 1)]
            assert el.findtext("selecttype") == "ALL" and el.findtext("selectcount") == str(len(fractions))
            assert el.findtext("gradingtype") == "RELATIVE_ALL_PREVIOUS_AND_NEXT"
        elif kind == "essay":
            assert plain(el.findtext("graderinfo/text"))
            assert el.findtext("responseformat") == "editor"


def test_round_trip_matches_the_bank(bank, parsed):
    """export → lxml → the same question: prompt, options and key, feedback, hints, explanation, sources."""
    for q in bank.questions:
        _, el = parsed[q.id]
        assert plain(el.findtext("questiontext/text")).startswith(" ".join(q.prompt.split()))
        general = plain(el.findtext("generalfeedback/text"))
        assert " ".join(q.explanation.split()) in general
        for c in q.sources:
            assert citation_text(c) in general
        assert [plain(h.findtext("text")) for h in el.findall("hint")] == [" ".join(h.split()) for h in q.hints]
        assert [t.findtext("text") for t in el.findall("tags/tag")] == list(q.tags)
        got = answers(el)
        if isinstance(q, SingleChoice):
            assert [plain(t) for t, _, _ in got] == list(q.options)
            assert [plain(t) for t, f, _ in got if f == 100] == [q.answer]
            assert {plain(t): fb for t, _, fb in got if fb} == {k: " ".join(v.split()) for k, v in q.feedback.items()}
        elif isinstance(q, MultipleChoice):
            assert [plain(t) for t, _, _ in got] == list(q.options)
            assert {plain(t) for t, f, _ in got if f > 0} == set(q.answers)
            assert {plain(t): fb for t, _, fb in got if fb} == {k: " ".join(v.split()) for k, v in q.feedback.items()}
        elif isinstance(q, TrueFalse):
            assert {t: f for t, f, _ in got} == {"true": 100.0 if q.answer else 0.0, "false": 0.0 if q.answer else 100.0}
            assert {t: fb for t, _, fb in got if fb} == {k: " ".join(v.split()) for k, v in q.feedback.items()}
        elif isinstance(q, Numeric):
            ans = el.find("answer")
            assert float(ans.findtext("text")) == q.answer and float(ans.findtext("tolerance")) == q.tolerance
            assert not q.unit or f"({q.unit})" in plain(el.findtext("questiontext/text"))
        elif isinstance(q, ShortText):
            assert [t for t, _, _ in got] == [a.replace("*", "\\*") for a in q.accepted]
        elif isinstance(q, Matching):
            subs = [(plain(s.findtext("text")), s.findtext("answer/text")) for s in el.findall("subquestion")]
            assert subs == [(p.left, p.right) for p in q.pairs] + [("", d) for d in q.distractors]
        elif isinstance(q, Ordering):
            assert [plain(t) for t, _, _ in got] == list(q.items)
        elif isinstance(q, Essay):
            grader = plain(el.findtext("graderinfo/text"))
            assert all(c.criterion in grader for c in q.rubric) and all(m in grader for m in q.model_answer)
            assert el.findtext("minwordlimit") == (str(q.min_words) if q.min_words else None)


def test_multiple_choice_fractions_give_nukedus_partial_credit(bank, parsed):
    """Moodle adds the fractions of the options picked and keeps the total in 0..100 %: the same as score()."""
    for q in bank.by_type("multiple"):
        fraction = {plain(t): f / 100 for t, f, _ in answers(parsed[q.id][1])}
        for r in range(1, len(q.options) + 1):
            for picked in itertools.combinations(q.options, r):
                moodle = min(max(sum(fraction[o] for o in picked), 0.0), 1.0)
                assert moodle == pytest.approx(score(q, list(picked)).fraction, abs=1e-4), (q.id, picked)


def moodle_relative_all_previous_and_next(correct: list[str], response: list[str]) -> float:
    """qtype_ordering's GRADING_RELATIVE_ALL_PREVIOUS_AND_NEXT (question.php grade_response), transcribed."""
    def around(order):
        return {x: (set(order[:i]), set(order[i + 1:])) for i, x in enumerate(order)}
    current, right = around(response), around(correct)
    count = total = 0
    for item, (prev, nxt) in right.items():
        count += len(current[item][0] & prev) + len(current[item][1] & nxt)
        total += len(prev) + len(nxt)
    return count / total


def test_ordering_grading_type_gives_nukedus_share_of_pairs(bank, parsed):
    gen = random.Random(17)
    for q in bank.by_type("ordering"):
        items = [plain(t) for t, _, _ in answers(parsed[q.id][1])]
        assert items == list(q.items)
        orders = list(itertools.permutations(items)) if len(items) <= 5 else [gen.sample(items, len(items)) for _ in range(200)]
        for order in orders:
            assert moodle_relative_all_previous_and_next(items, list(order)) == pytest.approx(
                score(q, list(order)).fraction, abs=1e-4), (q.id, order)


def test_fraction_text_uses_moodles_list_and_refuses_others():
    assert [fraction_text(1 / k) for k in range(1, 11)] == [
        "100", "50", "33.33333", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10"]
    assert fraction_text(-1 / 3) == "-33.33333" and fraction_text(0) == "0"
    with pytest.raises(ValueError):
        fraction_text(1 / 11)


def test_nothing_visible_before_answering_gives_the_key_away(bank, parsed):
    for q in bank.questions:
        _, el = parsed[q.id]
        assert leaks(q, plain(el.findtext("questiontext/text"))) == [], q.id
        if isinstance(q, Numeric):
            assert el.find("answer").findtext("text") not in plain(el.findtext("questiontext/text")).replace(q.prompt, "")


def test_special_characters_survive(bank):
    tricky = tricky_questions(bank)
    parsed = read(export_moodle(tricky, bank, title="A/B & <C>").data)
    single = parsed["tricky-single"][1]
    assert parsed["tricky-single"][0] == "$course$/top/A//B & <C>/" + bank.topic_title(tricky[0].topic)
    assert plain(single.findtext("questiontext/text")) == " ".join(tricky[0].prompt.split())
    assert [plain(t) for t, _, _ in answers(single)] == [" ".join(o.split()) for o in tricky[0].options]
    assert "line<br>break" in single.findtext("questiontext/text")
    subs = [(plain(s.findtext("text")), s.findtext("answer/text")) for s in parsed["tricky-matching"][1].findall("subquestion")]
    assert subs == [("a & b", "x {y}"), ("c: d", "z = 1"), ("e", "w # 2"), ("", "v ~ 3")]
    assert [t for t, _, _ in answers(parsed["tricky-short"][1])] == ["AT&T", "a\\*b", "x: y"]
    assert SPECIALS.split()[0] in plain(single.findtext("generalfeedback/text"))


def test_category_path_doubles_slashes():
    assert category_path("Course", "War/peace") == "$course$/top/Course/War//peace"
    assert category_path("Course", "") == "$course$/top/Course"


def test_warnings_name_what_moodle_may_not_carry(bank, exported):
    text = "\n".join(exported.warnings)
    assert "Moodle 4.4" in text and "qtype_ordering" in text
    assert f"{len(bank.by_type('ordering'))} ordering questions" in text
    patterns = [q.id for q in bank.by_type("short_text") if q.pattern]
    assert all(i in text for i in patterns[:12])
    assert export_moodle(bank.by_type("single"), bank).warnings == ()
