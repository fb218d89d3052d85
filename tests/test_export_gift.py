"""GIFT: every exported question parsed back by pygiftparser (an independent reader from PyPI), and the
escaping checked with a transcription of Moodle's own GIFT importer (question/format/gift/format.php).

pygiftparser reads everything the shipped bank needs, but its answer pattern stops at the first `}`
even when escaped, so the special-character test uses Moodle's algorithm instead.
"""
from __future__ import annotations

import io
import logging

import pytest

from nukedu import load_bank
from nukedu.export.gift import escape, export_gift
from nukedu.model import (
    Essay, Matching, MultipleChoice, Numeric, Ordering, Pair, ShortText, SingleChoice, TrueFalse,
)
from nukedu.present import citation_text

from .export_helpers import leaks, tricky_questions

pygift = pytest.importorskip("pygiftparser.parser")
from pygiftparser import answer as pga  # noqa: E402
from pygiftparser.utils import transformSpecials  # noqa: E402

SETS = {"single": pga.SelectSet, "multiple": pga.MultipleChoicesSet, "true_false": pga.TrueFalseSet,
        "numeric": pga.NumericAnswerSet, "short_text": pga.ShortSet, "matching": pga.MatchingSet, "essay": pga.Essay}


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def exported(bank):
    return export_gift(bank.questions, bank)


@pytest.fixture(scope="module")
def parsed(exported):
    logging.getLogger("pygiftparser").setLevel(logging.ERROR)
    questions = pygift.parseFile(io.StringIO(exported.data.decode("utf-8")))
    return {q.title: q for q in questions}


def unescaped(text: str) -> str:
    return " ".join(transformSpecials(text).replace("\\\\", "\\").split())


def flat(text: str) -> str:
    return " ".join(text.split())


def test_every_question_but_ordering_parses_as_its_type(bank, parsed, exported):
    kept = [q for q in bank.questions if not isinstance(q, Ordering)]
    assert exported.questions == len(kept)
    assert sorted(parsed) == sorted(q.id for q in kept)
    for q in kept:
        p = parsed[q.id]
        assert p.valid, q.id
        assert type(p.answers) is SETS[q.type], (q.id, type(p.answers))


def test_ordering_questions_are_named_in_a_warning_never_dropped_silently(bank, exported):
    ordering = [q.id for q in bank.questions if isinstance(q, Ordering)]
    assert ordering
    warning = next(w for w in exported.warnings if "ordering" in w)
    assert all(i in warning for i in ordering)
    assert all(f"::{i}::" not in exported.data.decode() for i in ordering)
    hinted = sum(1 for q in bank.questions if q.hints and not isinstance(q, Ordering))
    assert f"the hints of {hinted} questions are left out" in "\n".join(exported.warnings)


def test_answers_read_back_are_the_banks(bank, parsed):
    for q in bank.questions:
        if isinstance(q, Ordering):
            continue
        p = parsed[q.id]
        assert unescaped(p.text).startswith(flat(q.prompt))
        general = unescaped(p.generalFeedback)
        assert flat(q.explanation) in general
        assert all(flat(citation_text(c)) in general for c in q.sources)
        if isinstance(q, SingleChoice):
            got = [(unescaped(a.answer), a.fraction, unescaped(a.feedback)) for a in p.answers.answers]
            assert [a for a, _, _ in got] == list(q.options)
            assert [a for a, f, _ in got if f == 100] == [q.answer]
            assert {a: fb for a, _, fb in got if fb} == {k: flat(v) for k, v in q.feedback.items()}
        elif isinstance(q, MultipleChoice):
            got = {unescaped(a.answer): a.fraction for a in p.answers.answers}
            k = len(q.answers)
            assert got == pytest.approx({o: (100 / k if o in q.answers else -100 / k) for o in q.options}, abs=1e-4)
        elif isinstance(q, TrueFalse):
            assert p.answers.answer is q.answer
            right, wrong = ("true", "false") if q.answer else ("false", "true")
            assert unescaped(p.answers.feedbackCorrect) == flat(q.feedback.get(right, ""))
            assert unescaped(p.answers.feedbackWrong) == flat(q.feedback.get(wrong, ""))
        elif isinstance(q, Numeric):
            (a,) = p.answers.answers
            assert (a.value, a.tolerance) == (q.answer, q.tolerance)
        elif isinstance(q, ShortText):
            assert [unescaped(a.answer) for a in p.answers.answers] == list(q.accepted)
        elif isinstance(q, Matching):
            got = [(unescaped(a.question), unescaped(a.answer)) for a in p.answers.answers]
            assert got == [(p_.left, p_.right) for p_ in q.pairs] + [("", d) for d in q.distractors]
        elif isinstance(q, Essay):
            assert all(flat(c.criterion) in general for c in q.rubric)


def test_nothing_visible_before_answering_gives_the_key_away(bank, parsed):
    for q in bank.questions:
        if not isinstance(q, Ordering):
            assert leaks(q, unescaped(parsed[q.id].text)) == [], q.id


# --- Moodle's GIFT importer, transcribed (readquestion and its helpers) for the escaping test ---------
ESCAPES = [("\\:", "&&058;"), ("\\#", "&&035;"), ("\\=", "&&061;"), ("\\{", "&&123;"), ("\\}", "&&125;"),
           ("\\~", "&&126;"), ("\\n", "&&010")]


def _pre(text: str) -> str:
    text = text.replace("\\\\", "&&092;")
    for esc, place in ESCAPES:
        text = text.replace(esc, place)
    return text.replace("&&092;", "\\")


def _post(text: str) -> str:
    for esc, place in ESCAPES:
        text = text.replace(place, "\n" if esc == "\\n" else esc[1])
    return text


def _comment(answer: str) -> tuple[str, str]:
    text, _, feedback = answer.partition("#")
    return _post(text.strip()).strip(), _post(feedback.strip()).strip()


def questions_of(data: str) -> list[str]:
    """The file's blocks (questions and $CATEGORY lines) without the heading comment, split at blank lines."""
    return [b for b in data.split("\n\n") if not all(line.startswith("//") for line in b.strip().split("\n"))]


def moodle_read(block: str) -> dict:
    lines = [" " if line.strip().startswith("//") else line for line in block.split("\n")]
    text = _pre("\n".join(lines).strip())
    if text.startswith("$CATEGORY:"):
        return {"category": text[10:].strip()}
    assert text.startswith("::")
    text = text[2:]
    end = text.index("::")
    name, text = _post(text[:end]), text[end + 2:].strip()
    start, finish = text.index("{"), text.index("}")
    answertext = text[start + 1:finish].strip()
    question = text[:start] + text[finish + 1:]
    general = ""
    if "####" in answertext:
        cut = answertext.rindex("####")
        general, answertext = answertext[cut + 4:], answertext[:cut].strip()
    out = {"name": name, "text": _post(question).strip(), "general": _post(general).strip()}
    if answertext == "":
        return {**out, "type": "essay"}
    if answertext.startswith("#"):
        value, _, tol = answertext[1:].partition(":")
        return {**out, "type": "numerical", "answer": float(value), "tolerance": float(tol or 0)}
    if "~" in answertext:
        parts = [a.strip() for a in answertext.replace("=", "~=").split("~") if a.strip()]
        options = []
        for a in parts:
            weight = 1.0 if a.startswith("=") else 0.0
            a = a[1:] if a.startswith("=") else a
            if a.startswith("%"):
                weight, a = float(a[1:a.index("%", 1)]) / 100, a[a.index("%", 1) + 1:]
            options.append((*_comment(a), weight))
        return {**out, "type": "multichoice", "options": options}
    if "=" in answertext and "->" in answertext:
        pairs = []
        for a in [a.strip() for a in answertext.split("=") if a.strip()]:
            mark = a.index("->")
            pairs.append((_post(a[:mark]).strip(), _post(a[mark + 2:]).strip()))
        return {**out, "type": "match", "pairs": pairs}
    head = answertext.split("#")[0].strip()
    if head in ("T", "TRUE", "F", "FALSE"):
        return {**out, "type": "truefalse", "answer": head.startswith("T")}
    return {**out, "type": "shortanswer", "answers": [_comment(a)[0] for a in answertext.split("=") if a.strip()]}


def test_special_characters_survive_moodles_importer(bank):
    tricky = tricky_questions(bank)
    data = export_gift(tricky, bank, title="Course: {A} #1").data.decode("utf-8")
    blocks = questions_of(data)
    read = [moodle_read(b) for b in blocks]
    assert read[0] == {"category": "$course$/top/Course: {A} #1/" + bank.topic_title(tricky[0].topic)}
    single, match, short = read[1:]
    q = tricky[0]
    assert single["name"] == q.id and single["text"] == q.prompt and single["type"] == "multichoice"
    assert single["options"] == [(o, q.feedback.get(o, ""), 1.0 if o == q.answer else 0.0) for o in q.options]
    assert single["general"].startswith(q.explanation + "\nSource: ")
    assert match["type"] == "match"
    assert match["pairs"] == [(p.left, p.right) for p in tricky[1].pairs] + [("", d) for d in tricky[1].distractors]
    assert short["type"] == "shortanswer" and short["answers"] == list(tricky[2].accepted)


def test_shipped_bank_reads_the_same_with_moodles_importer(bank, exported):
    blocks = questions_of(exported.data.decode("utf-8"))
    read = [r for r in map(moodle_read, blocks) if "name" in r]
    kinds = {"single": "multichoice", "multiple": "multichoice", "true_false": "truefalse", "numeric": "numerical",
             "short_text": "shortanswer", "matching": "match", "essay": "essay"}
    assert [r["name"] for r in read] == [q.id for q in bank.questions if not isinstance(q, Ordering)]
    for r in read:
        q = bank.question(r["name"])
        assert r["type"] == kinds[q.type], q.id
        assert r["text"].startswith(q.prompt)
        if isinstance(q, MultipleChoice):
            positive = sum(w for _, _, w in r["options"] if w > 0)
            assert positive == pytest.approx(1, abs=1e-4)


def test_escape_writes_every_special_with_a_backslash():
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


def test_arrow_that_gift_would_misread_is_left_out_with_a_warning(bank):
    match = next(q for q in bank.questions if isinstance(q, Matching))
    import dataclasses

    bad = dataclasses.replace(match, id="arrow-left", pairs=(Pair(left="a -> b", right="c"), *match.pairs[1:]))
    result = export_gift([bad, match], bank)
    assert result.questions == 1 and "arrow-left" in result.warnings[0]
    assert "::arrow-left::" not in result.data.decode()
