"""Cards and quiz sessions driven by the messages the page sends, with no browser.

`send(widget, action, ...)` delivers a message exactly as the front end's
`model.send` would (the widget's custom-message handler), and `synced(widget)`
is everything the browser holds: the widget's synced state as JSON. The key,
the explanation and per-option feedback must be absent from it until earned.
"""
from __future__ import annotations

import json

import pytest

pytest.importorskip("anywidget")

import nukedu
from nukedu.model import Essay, Matching, MultipleChoice, Numeric, Ordering, ShortText, SingleChoice, TrueFalse
from nukedu.present import correct_answer_text
from nukedu.select import presented_choices
from nukedu.widgets.card import QuestionCard, add_recorder, remove_recorder
from nukedu.widgets.session import QuizSession

_seq = iter(range(1, 10**9))


def send(widget, action: str, **content) -> str:
    seq = f"test:{next(_seq)}"
    widget._receive(widget, {"action": action, "seq": seq, **content}, [])
    assert widget.ack == seq   # the kernel answered this very message
    return seq


def synced(widget) -> str:
    state = widget.get_state()
    state.pop("_esm", None)
    state.pop("_css", None)
    # references to other models ("IPY_MODEL_<32 hex>", e.g. the layout) are random: "…2023…" in one once
    # matched a numeric key; they carry no content, so they are blanked before the search
    state = {k: "IPY_MODEL_" if isinstance(v, str) and v.startswith("IPY_MODEL_") else v for k, v in state.items()}
    return json.dumps(state, ensure_ascii=False)


def card(bank, qid: str, **kw) -> QuestionCard:
    return QuestionCard(bank.question(qid), seed=3, **kw)


def right_answer(q, seed=3):
    if isinstance(q, SingleChoice):
        return q.answer
    if isinstance(q, MultipleChoice):
        return list(q.answers)
    if isinstance(q, TrueFalse):
        return q.answer
    if isinstance(q, Numeric):
        return str(q.answer)
    if isinstance(q, Ordering):
        return list(q.items)
    if isinstance(q, Matching):
        return {p.left: p.right for p in q.pairs}
    if isinstance(q, ShortText):
        return q.accepted[0]
    return "A considered answer about assurances and guarantees."


def wrong_answer(q):
    if isinstance(q, SingleChoice):
        return next(o for o in q.options if o != q.answer)
    if isinstance(q, MultipleChoice):
        return [o for o in q.options if o not in q.answers][:1] or [q.options[0]]
    if isinstance(q, TrueFalse):
        return not q.answer
    if isinstance(q, Numeric):
        return str(q.answer + q.tolerance + 5)
    if isinstance(q, Ordering):
        return list(reversed(q.items))
    if isinstance(q, Matching):
        rights = [p.right for p in q.pairs]
        return {p.left: rights[(i + 1) % len(rights)] for i, p in enumerate(q.pairs)}
    if isinstance(q, ShortText):
        return "certainly not this"
    return None


def secrets(q) -> list[str]:
    """What must not reach the browser before it is earned."""
    out = [q.explanation]
    if isinstance(q, (SingleChoice, MultipleChoice)):
        answers = [q.answer] if isinstance(q, SingleChoice) else list(q.answers)
        out += [f for f in q.feedback.values()]
        out += [a for a in answers if a]   # checked only in `state`, since the options show every text
    if isinstance(q, TrueFalse):
        out += list(q.feedback.values())
    if isinstance(q, (Numeric, Ordering, Matching)):
        out.append(correct_answer_text(q))
    if isinstance(q, ShortText):
        out += list(q.accepted)
    if isinstance(q, Essay):
        out += list(q.model_answer) + [r.criterion for r in q.rubric]
    return [s for s in out if s and s not in q.prompt]


def assert_nothing_unearned(q, widget) -> None:
    state = json.dumps(widget.state, ensure_ascii=False)
    view = json.dumps(widget.view, ensure_ascii=False)
    for secret in secrets(q):
        text = json.dumps(secret, ensure_ascii=False)[1:-1]
        assert text not in state, (q.id, secret)
        if not (isinstance(q, (SingleChoice, MultipleChoice)) and secret in q.options):
            assert text not in view, (q.id, secret)
    assert widget.state["earned"] is None and widget.state["response"] is None or widget.state["attempts"], q.id
    if isinstance(q, Ordering):
        assert widget.view["choices"] != list(q.items), q.id
    if isinstance(q, Numeric):
        assert widget.state["response"] is None and "answer" not in widget.view


# --- the key stays in the kernel -------------------------------------------------------------------------
def test_nothing_of_the_key_is_synced_before_it_is_earned_for_the_whole_shipped_bank():
    bank = nukedu.load_bank()
    for q in bank.questions:
        c = QuestionCard(q, seed=11)
        assert_nothing_unearned(q, c)
        assert not any(s in synced(c) for s in secrets(q) if not (s in getattr(q, "options", ())) and len(s) > 3), q.id
        if q.type == "essay":
            continue
        send(c, "check", response=wrong_answer(q))      # a wrong try: nudges and marks, nothing more
        if c.state["phase"] == "feedback":
            assert c.state["earned"] is None, q.id
            state = json.dumps(c.state, ensure_ascii=False)
            assert json.dumps(q.explanation, ensure_ascii=False)[1:-1] not in state, q.id
            if isinstance(q, SingleChoice):
                assert json.dumps(q.answer, ensure_ascii=False)[1:-1] not in state, (q.id, c.state["nudges"])
            if isinstance(q, (Numeric, Matching, Ordering)):
                assert json.dumps(correct_answer_text(q), ensure_ascii=False)[1:-1] not in state, q.id
            send(c, "hint")
            assert c.state["earned"] is None, q.id


def test_the_explanation_answer_and_citation_come_once_earned(mini_bank):
    q = mini_bank.question("sample-single")
    right = card(mini_bank, "sample-single")
    send(right, "check", response=q.answer)
    earned = right.state["earned"]
    assert right.state["phase"] == "finished" and earned["explanation"] == q.explanation and earned["answer"] == q.answer
    assert earned["sources"] == [{"doc": c.doc, "line": c.line, "quote": c.quote} for c in q.sources]
    assert set(earned["titles"]) == {c.doc for c in q.sources}        # each title once, not per citation
    shown = card(mini_bank, "sample-single")
    send(shown, "check", response=wrong_answer(q))
    send(shown, "give_up")
    assert shown.state["earned"]["answer"] == q.answer and shown.state["given_up"] and shown.tutor.given_up
    tries = card(mini_bank, "sample-single", max_attempts=2)
    for _ in range(2):
        send(tries, "retry")
        send(tries, "check", response=wrong_answer(q))
    assert tries.state["phase"] == "finished" and tries.state["verdict"]["word"] == "Not right"
    assert tries.state["earned"]["answer"] == q.answer


# --- feedback that teaches, per type ------------------------------------------------------------------------
def test_a_wrong_choice_gets_its_nudge_and_a_mark_but_not_the_answer(mini_bank):
    q = mini_bank.question("sample-single")
    c = card(mini_bank, "sample-single")
    wrong = "1994"
    send(c, "check", response=wrong)
    s = c.state
    assert s["phase"] == "feedback" and s["verdict"] == {"word": "Not yet", "tone": "error", "points": "0 of 1 point"}
    assert s["marks"] == [{"key": wrong, "ok": False}]
    assert q.feedback[wrong] in s["nudges"] and "A hint may help: press “Hint”." in s["nudges"]
    assert s["tries_left"] == 2 and s["earned"] is None


def test_multiple_marks_each_pick_and_counts_what_is_missing(mini_bank):
    q = mini_bank.question("sample-multiple")
    c = card(mini_bank, "sample-multiple")
    picks = [q.answers[0], next(o for o in q.options if o not in q.answers)]
    send(c, "check", response=picks)
    s = c.state
    assert {m["key"]: m["ok"] for m in s["marks"]} == {picks[0]: True, picks[1]: False}
    assert s["verdict"]["tone"] in ("warn", "error") and "%" in s["verdict"]["points"] or s["verdict"]["points"].startswith("0 of")
    assert any("not ticked yet" in n for n in s["nudges"]) and any("ticked option is wrong" in n for n in s["nudges"])


def test_points_are_whole_numbers_or_percentages():
    from nukedu.tutor import points_text

    assert points_text(1, 1) == "1 of 1 point" and points_text(2, 3) == "2 of 3 points"
    assert points_text(0.8333, 1) == "83%" and points_text(1.3333, 2) == "67%"


def test_numbers_say_too_high_or_too_low_only_and_odd_input_costs_no_try(mini_bank):
    q = mini_bank.question("sample-numeric")
    c = card(mini_bank, "sample-numeric")
    send(c, "check", response="in 2008")
    assert c.attempts == 0 and "Type just the number, like 2008" in c.state["problem"] and "did not use a try" in c.state["problem"]
    send(c, "check", response=str(int(q.answer) + 3))
    assert c.state["nudges"][0] == "Too high." and not any("by" in n for n in c.state["nudges"])
    send(c, "retry")
    send(c, "check", response=f"{int(q.answer) - 7:,}")
    assert c.state["nudges"][0] == "Too low." and c.attempts == 2
    send(c, "retry")
    send(c, "check", response=f" {int(q.answer)} ")
    assert c.state["verdict"]["word"] == "Correct" and c.first_result.points == 0


def test_ordering_marks_items_in_place_and_matching_marks_pairs(mini_bank):
    o = mini_bank.question("sample-ordering")
    c = card(mini_bank, "sample-ordering")
    swapped = [o.items[1], o.items[0], *o.items[2:]]
    send(c, "check", response=swapped)
    assert [m["ok"] for m in c.state["marks"]] == [False, False] + [True] * (len(o.items) - 2)
    assert c.state["nudges"][0] == f"{len(o.items) - 2} of {len(o.items)} items are in the right place."
    m = mini_bank.question("sample-matching")
    c = card(mini_bank, "sample-matching")
    send(c, "check", response={m.pairs[0].left: m.pairs[0].right})
    assert c.attempts == 0 and "still “— choose —”" in c.state["problem"]
    send(c, "check", response=wrong_answer(m))
    assert all(not x["ok"] for x in c.state["marks"]) and "0 of" in c.state["nudges"][0]
    assert {x["key"] for x in c.state["marks"]} == set(m.lefts)


def test_short_text_and_essay(mini_bank):
    c = card(mini_bank, "sample-short-text")
    send(c, "check", response="  bydgoszcz. ")
    assert c.state["verdict"]["word"] == "Correct"
    e = card(mini_bank, "sample-essay")
    send(e, "check", response="   ")
    assert e.attempts == 0 and e.state["problem"] == "Write your answer first."
    send(e, "check", response="The assurances were political, not legal.")
    assert e.state["verdict"]["word"] == "Saved for your teacher" and e.state["earned"]["rubric"]


def test_hints_one_at_a_time_then_none(mini_bank):
    q = mini_bank.question("sample-single")
    c = card(mini_bank, "sample-single")
    for i in range(len(q.hints) + 2):
        send(c, "hint")
    assert c.state["hints"] == list(q.hints) and c.tutor.hints_shown == len(q.hints)


def test_malformed_messages_change_nothing_and_are_still_answered(mini_bank):
    c = card(mini_bank, "sample-single")
    before = dict(c.state)
    c._receive(c, "not a dict", [])
    c._receive(c, {"no": "action"}, [])
    send(c, "frobnicate")
    send(c, "check", response={"$gt": 1})
    send(c, "check", response=["a", "list"])
    assert c.attempts == 0 and c.state["problem"] == "Choose one of the options first."
    assert {k: v for k, v in c.state.items() if k != "problem"} == {k: v for k, v in before.items() if k != "problem"}


def test_checking_after_the_answer_is_earned_changes_nothing(mini_bank):
    q = mini_bank.question("sample-single")
    c = card(mini_bank, "sample-single")
    send(c, "check", response=q.answer)
    send(c, "check", response=wrong_answer(q))
    assert c.attempts == 1 and c.first_result.correct and "finished" in c.state["problem"]


def test_every_check_reaches_the_recorders(mini_bank):
    seen = []

    def recorder(tutor, context):
        seen.append((tutor.question.id, context["event"], len(tutor.attempts)))

    add_recorder(recorder)
    try:
        c = card(mini_bank, "sample-true-false")
        send(c, "check", response="maybe")      # not an answer: not recorded
        send(c, "check", response=True)
        send(c, "give_up")
        c.reset()
    finally:
        remove_recorder(recorder)
    assert seen[0] == ("sample-true-false", "check", 1)
    assert seen[-1] == ("sample-true-false", "reset", 0)


# --- the quiz session ---------------------------------------------------------------------------------------
def test_a_quiz_sends_only_the_question_on_screen_and_builds_cards_when_shown():
    bank = nukedu.load_bank()
    session = nukedu.quiz(bank=bank, n=200, seed=5)
    assert sum(1 for x in session.tutors if x is not None) == 1
    prompts = [q.prompt for q in session.questions]
    state = synced(session)
    assert sum(1 for p in prompts if json.dumps(p, ensure_ascii=False)[1:-1] in state) == 1
    assert len(state) < 20_000
    assert repr(session) == "<nukedu quiz: 200 questions>" and repr(nukedu.quiz(bank=bank, n=1, seed=1)) == "<nukedu quiz: 1 question>"


def test_quiz_navigation_finish_confirmation_summary_and_retry(mini_bank):
    session = QuizSession(mini_bank.questions[:4], seed=2, title="Check")
    assert session.nav["index"] == 0 and session.nav["total"] == 4 and session.view["header"].startswith("Question 1 of 4")
    send(session, "check", response=right_answer(session.questions[0]))
    send(session, "go", index=1)
    assert session.nav["index"] == 1 and session.state["attempts"] == 0
    send(session, "check", response=wrong_answer(session.questions[1]))
    send(session, "go", index=99)
    assert session.nav["index"] == 3
    send(session, "finish")
    assert session.nav["confirm"] == 2 and not session.nav["finished"]     # "2 unanswered — finish anyway?"
    send(session, "cancel_finish")
    assert session.nav["confirm"] == 0
    send(session, "finish", confirmed=True)
    assert session.nav["finished"] and session.summary["missed"] == 3
    assert [q["status"] for q in session.summary["questions"]] == ["right", "wrong", "not answered", "not answered"]
    send(session, "go", index=0)
    assert session.tutor(0).attempts                                        # answers kept
    send(session, "retry_missed")
    assert len(session.questions) == 3 and session.title == "Check: questions to review" and not session.nav["finished"]
    assert session.rounds and session.rounds[0]["questions"][0]["first_attempt_points"] == 1


def test_quiz_record_and_save_never_overwrite(mini_bank, tmp_path):
    session = QuizSession(mini_bank.questions[:2], seed=2)
    send(session, "check", response=wrong_answer(session.questions[0]))
    send(session, "retry")
    send(session, "check", response=right_answer(session.questions[0]))
    record = session.record()
    assert [a["status"] for a in record["questions"][0]["attempts"]] == ["incorrect", "correct"]
    path = session.save(tmp_path / "quiz.json")
    with pytest.raises(nukedu.NukeduError, match="already exists"):
        session.save(path)
    assert json.loads(path.read_text())["questions"][0]["first_attempt_points"] == 0


def test_seeded_quiz_is_reproducible_and_options_really_are_shuffled(mini_bank):
    a = nukedu.quiz(bank=mini_bank, n=5, seed=42)
    b = nukedu.quiz(bank=mini_bank, n=5, seed=42)
    assert [q.id for q in a.questions] == [q.id for q in b.questions]
    single = mini_bank.question("sample-single")
    assert len({tuple(presented_choices(single, s)) for s in range(12)} ) > 1


def test_bad_quiz_arguments_are_clear(mini_bank):
    with pytest.raises(nukedu.NukeduError, match="unknown topic 'nope'"):
        nukedu.quiz(topic="nope", bank=mini_bank)
    with pytest.raises(nukedu.NukeduError, match="no question with id 'x'"):
        nukedu.ask("x", bank=mini_bank)
    with pytest.raises(nukedu.NukeduError, match="at least one question"):
        QuizSession([])


# --- without a kernel --------------------------------------------------------------------------------------
def test_static_copy_and_text_show_the_question_and_no_answer(mini_bank):
    for q in mini_bank.questions:
        c = QuestionCard(q, seed=4)
        page = c.static_html()
        assert "Run this cell" in page and "nukedu-static" in page
        for secret in secrets(q):
            if not (isinstance(q, (SingleChoice, MultipleChoice)) and secret in q.options):
                assert secret not in c.to_text() and secret not in page, (q.id, secret)
    session = QuizSession(mini_bank.questions, seed=4, title="All")
    assert session.to_text().startswith("All\n===") and "Run this cell" in session.static_html()


def partial_answer(q):
    """Some of it right: one right option and nothing wrong, two items swapped, one pair wrong."""
    if isinstance(q, MultipleChoice):
        return [q.answers[0]]
    if isinstance(q, Ordering):
        return [q.items[1], q.items[0], *q.items[2:]]
    if isinstance(q, Matching):
        rights = [p.right for p in q.pairs]
        return {p.left: (p.right if i else q.distractors[0]) for i, p in enumerate(q.pairs)} if q.distractors else \
            {**{p.left: p.right for p in q.pairs}, q.pairs[0].left: rights[1], q.pairs[1].left: rights[0]}
    return None


@pytest.mark.parametrize("qid", ["sample-single", "sample-multiple", "sample-true-false", "sample-numeric",
                                 "sample-ordering", "sample-matching", "sample-short-text"])
def test_right_partial_and_wrong_answers_of_every_type(mini_bank, qid):
    q = mini_bank.question(qid)
    right = card(mini_bank, qid)
    send(right, "check", response=right_answer(q))
    s = right.state
    assert (s["phase"], s["verdict"]["word"], s["verdict"]["tone"]) == ("finished", "Correct", "success")
    assert s["marks"] and all(m["ok"] for m in s["marks"]) and s["nudges"] == []
    assert s["verdict"]["points"] == "1 of 1 point" and s["earned"]["explanation"] == q.explanation

    wrong = card(mini_bank, qid)
    send(wrong, "check", response=wrong_answer(q))
    s = wrong.state
    assert (s["phase"], s["verdict"]["word"], s["earned"]) == ("feedback", "Not yet", None)
    assert s["marks"] and not all(m["ok"] for m in s["marks"]) and s["nudges"]
    assert not any(correct_answer_text(q) in n for n in s["nudges"])

    half = partial_answer(q)
    if half is None:
        return
    part = card(mini_bank, qid)
    send(part, "check", response=half)
    s = part.state
    assert (s["phase"], s["verdict"]["word"], s["verdict"]["tone"]) == ("feedback", "Partly right", "warn")
    assert s["verdict"]["points"].endswith("%") and s["verdict"]["points"] not in ("0%", "100%")
    oks = [m["ok"] for m in s["marks"]]
    assert True in oks and False in oks if q.type != "multiple" else all(oks)
    assert s["earned"] is None and s["tries_left"] == 2
