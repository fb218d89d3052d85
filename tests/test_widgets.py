"""Quiz widgets driven through their Python API, as a student would click them."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("ipywidgets")
import ipywidgets as w

import nukedu
from nukedu.select import presented_choices
from nukedu.widgets.card import QuestionCard
from nukedu.widgets.session import QuizSession


def all_widgets(root: w.Widget) -> list[w.Widget]:
    """Every widget reachable from root through synced traits (what the browser receives)."""
    seen: dict[str, w.Widget] = {}
    stack = [root]
    while stack:
        widget = stack.pop()
        if widget.model_id in seen:
            continue
        seen[widget.model_id] = widget
        for name in widget.keys:
            value = getattr(widget, name)
            values = value if isinstance(value, (list, tuple)) else [value]
            stack.extend(v for v in values if isinstance(v, w.Widget))
    return list(seen.values())


def synced_state(root: w.Widget) -> str:
    return json.dumps([x.get_state() for x in all_widgets(root)], ensure_ascii=False, default=str)


def card(bank, qid: str, seed=3) -> QuestionCard:
    return QuestionCard(bank.question(qid), seed=seed)


def find(root: w.Widget, cls, **match):
    return [x for x in all_widgets(root) if isinstance(x, cls) and all(getattr(x, k) == v for k, v in match.items())]


def test_single_choice_check_shows_verdict_feedback_explanation_and_citation(mini_bank):
    c = card(mini_bank, "sample-single")
    radio = find(c.widget, w.RadioButtons)[0]
    assert radio.value is None and sorted(radio.options) == sorted(c.question.options)
    radio.value = "1994"
    c.check_button.click()
    html = c.feedback.value
    assert "Not quite" in html and "0/1 point" in html
    assert "That is when Ukraine joined the Partnership for Peace." in html
    assert c.question.explanation in html
    assert "How to win the war and join NATO?" in html and "line 5" in html and "In December 1991" in html
    assert radio.disabled and c.check_button.disabled
    assert c.retry_button.layout.display == ""
    c.retry_button.click()
    assert radio.value is None and not radio.disabled and c.feedback.value == ""
    radio.value = "December 1991"
    c.check_button.click()
    assert "Correct" in c.feedback.value and "1/1 point" in c.feedback.value
    assert c.retry_button.layout.display == "none"
    assert c.first_result.points == 0 and c.result.correct and c.attempts == 2
    assert [(r, res.status) for r, res in c.history] == [("1994", "incorrect"), ("December 1991", "correct")]


def test_checking_without_an_answer_asks_for_one(mini_bank):
    c = card(mini_bank, "sample-single")
    assert c.check() is None
    assert "Give an answer first" in c.feedback.value and c.first_result is None


def test_multiple_partial_credit_shows(mini_bank):
    c = card(mini_bank, "sample-multiple")
    for box in find(c.widget, w.Checkbox):
        box.value = box.description in ("Russia", "the US")
    c.check_button.click()
    assert "Partly correct" in c.feedback.value and "0.67/1" in c.feedback.value
    assert "1 correct option was not chosen." in c.feedback.value


def test_true_false_and_feedback(mini_bank):
    c = card(mini_bank, "sample-true-false")
    find(c.widget, w.RadioButtons)[0].value = "True"
    c.check()
    assert "The article calls it a declaration that was not legally binding." in c.feedback.value


def test_numeric_enter_checks(mini_bank):
    c = card(mini_bank, "sample-numeric")
    field = find(c.widget, w.Text)[0]
    field.value = "1996"
    field._handle_custom_msg({"event": "submit"}, [])  # what the browser sends on Enter
    assert "too low by 1 year" in c.feedback.value
    c.try_again()
    field.value = "1997"
    c.check()
    assert c.result.correct


def test_ordering_up_down_buttons(mini_bank):
    c = card(mini_bank, "sample-ordering")
    items = list(c.question.items)
    assert c.control.response() != items  # never shown in the right order

    def arrange():
        for _ in range(10):
            order = c.control.response()
            if order == items:
                return
            for i in range(len(order) - 1):
                if items.index(order[i]) > items.index(order[i + 1]):
                    ups = [b for b in find(c.widget, w.Button, description="↓") if b.tooltip == f"Move down: {order[i]}"]
                    ups[0].click()
                    break

    arrange()
    assert c.control.response() == items
    c.check()
    assert c.result.correct
    assert all(b.disabled for b in find(c.widget, w.Button, description="↑"))  # locked after checking


def test_ordering_reversed_scores_zero(mini_bank):
    c = card(mini_bank, "sample-ordering")
    order = c.control.response()
    # Drive the reversed order with the buttons: bubble each item to the top in correct order.
    for item in c.question.items:
        while c.control.response()[0] != item:
            pos = c.control.response().index(item)
            [b for b in find(c.widget, w.Button, description="↑") if b.tooltip == f"Move up: {item}"][0].click()
            assert c.control.response().index(item) == pos - 1
    assert c.control.response() == list(reversed(c.question.items))
    c.check()
    assert c.result.points == 0 and "0 of 3 pairs" in c.feedback.value
    assert order  # the starting order was a real permutation


def test_matching_dropdowns(mini_bank):
    c = card(mini_bank, "sample-matching")
    drops = find(c.widget, w.Dropdown)
    assert all(d.value is None for d in drops)
    for d in drops:
        d.value = {"PfP": "Partnership for Peace", "NRC": "NATO-Russia Council", "MAP": "North Atlantic Cooperation Council"}[d.description]
    c.check()
    assert "2 of 3 pairs are matched correctly." in c.feedback.value and "0.67/1" in c.feedback.value


def test_short_text_ignores_case_and_spaces(mini_bank):
    c = card(mini_bank, "sample-short-text")
    find(c.widget, w.Text)[0].value = "  BYDGOSZCZ "
    c.check()
    assert c.result.correct


def test_essay_word_count_saved_and_rubric_after_submit(mini_bank):
    c = card(mini_bank, "sample-essay")
    area = find(c.widget, w.Textarea)[0]
    area.value = "The Budapest assurances did not stop the aggression."
    assert find(c.widget, w.HTML, value="8 words (aim for at least 60)")
    state_before = synced_state(c.widget)
    assert "Links the warning" not in state_before and "did not prevent aggression" not in state_before
    c.check_button.click()
    assert c.check_button.description == "Submit"
    assert "Saved for your teacher to grade" in c.feedback.value
    assert "Links the warning to the Budapest Memorandum (2 points)" in c.feedback.value
    assert "The Budapest assurances did not prevent aggression." in c.feedback.value
    assert "at least 60" in c.feedback.value
    assert c.response == area.value


def test_hints_one_at_a_time_before_checking(mini_bank):
    c = card(mini_bank, "sample-single")
    assert c.hint_box.value == "" and c.hint_button.description == "Show a hint (1)"
    c.hint_button.click()
    assert "It happened in the year of independence." in c.hint_box.value
    assert c.hint_button.disabled and c.hint_button.description == "Hint (1/1)"
    assert find(card(mini_bank, "sample-numeric").widget, w.Button, description="Show a hint (0)")[0].layout.display == "none"


def test_controls_are_labelled_for_screen_readers(mini_bank):
    for q in mini_bank.questions:
        c = QuestionCard(q, seed=1)
        for x in all_widgets(c.widget):
            if isinstance(x, (w.Button,)):
                assert x.description or x.tooltip
            if isinstance(x, (w.Text, w.Textarea, w.RadioButtons, w.Dropdown, w.Checkbox)):
                assert x.description, (q.id, type(x).__name__)


def answer_key_strings(q) -> list[str]:
    """Texts that must not reach the browser before the student checks."""
    secret = [q.explanation, *getattr(q, "feedback", {}).values()]
    if q.type == "short_text":
        secret += list(q.accepted)
    if q.type == "essay":
        secret += list(q.model_answer) + [r.criterion for r in q.rubric]
    return [s for s in secret if s and s not in q.prompt]


def assert_no_answer_in_state(q, c: QuestionCard) -> None:
    state = synced_state(c.widget)
    for secret in answer_key_strings(q):
        assert json.dumps(secret, ensure_ascii=False)[1:-1] not in state, (q.id, secret)
    values = [x.value for x in all_widgets(c.widget) if isinstance(x, (w.RadioButtons, w.Dropdown))]
    assert all(v is None for v in values), q.id
    assert not any(x.value for x in all_widgets(c.widget) if isinstance(x, w.Checkbox)), q.id
    assert all(x.value == "" for x in all_widgets(c.widget) if isinstance(x, (w.Text, w.Textarea))), q.id
    if q.type == "ordering":
        assert c.control.response() != list(q.items), q.id
    if q.type == "numeric":
        assert f'"value": {q.answer}' not in state
    assert c.feedback.value == "" and c.hint_box.value == ""


def test_no_answer_key_in_widget_state_for_the_mini_bank(mini_bank):
    for q in mini_bank.questions:
        assert_no_answer_in_state(q, QuestionCard(q, seed=7))


def test_no_answer_key_in_widget_state_for_the_whole_shipped_bank():
    bank = nukedu.load_bank()
    session = nukedu.quiz(bank=bank, n=len(bank.questions), seed=11)
    assert len(session.cards) == len(bank.questions) >= 1
    for c in session.cards:
        assert_no_answer_in_state(c.question, c)
    for c in session.cards:  # the text fallback of each question gives nothing away either
        text = c.to_text()
        for secret in answer_key_strings(c.question):
            assert secret not in text, (c.question.id, secret)


def test_seeded_quiz_is_reproducible_and_ids_select(mini_bank):
    a = nukedu.quiz(bank=mini_bank, n=5, seed=42)
    b = nukedu.quiz(bank=mini_bank, n=5, seed=42)
    assert [c.question.id for c in a.cards] == [c.question.id for c in b.cards]
    single = mini_bank.question("sample-single")
    assert presented_choices(single, 42) == presented_choices(single, 42)
    assert len({tuple(presented_choices(single, s)) for s in range(12)}) > 1  # options really are shuffled
    chosen = nukedu.quiz(bank=mini_bank, ids=["sample-numeric", "sample-single"])
    assert [c.question.id for c in chosen.cards] == ["sample-numeric", "sample-single"]
    assert [c.question.type for c in nukedu.quiz(bank=mini_bank, types="ordering", n=3).cards] == ["ordering"]


def test_bad_quiz_arguments_are_clear(mini_bank):
    with pytest.raises(nukedu.NukeduError, match="no question with id 'nope'"):
        nukedu.quiz(bank=mini_bank, ids=["nope"])
    with pytest.raises(nukedu.NukeduError, match="unknown question type 'essays'"):
        nukedu.quiz(bank=mini_bank, types="essays")
    with pytest.raises(nukedu.NukeduError, match="unknown topic 'space'"):
        nukedu.quiz(bank=mini_bank, topic="space")
    with pytest.raises(nukedu.NukeduError, match="no question with id"):
        nukedu.ask("nope", bank=mini_bank)


def answer_correctly(c: QuestionCard) -> None:
    q = c.question
    if q.type in ("single", "true_false"):
        find(c.widget, w.RadioButtons)[0].value = q.answer if q.type == "single" else str(q.answer)
    elif q.type == "multiple":
        for box in find(c.widget, w.Checkbox):
            box.value = box.description in q.answers
    elif q.type in ("numeric", "short_text"):
        find(c.widget, w.Text)[0].value = f"{q.answer:g}" if q.type == "numeric" else q.accepted[0]
    elif q.type == "matching":
        for d in find(c.widget, w.Dropdown):
            d.value = next(p.right for p in q.pairs if p.left == d.description)
    elif q.type == "ordering":
        for item in q.items[::-1]:  # move each to the top, last first
            while c.control.response()[0] != item:
                [b for b in find(c.widget, w.Button, description="↑") if b.tooltip == f"Move up: {item}"][0].click()
    else:
        find(c.widget, w.Textarea)[0].value = "A considered answer."
    c.check_button.click()


def test_session_navigation_progress_summary_and_retry(mini_bank):
    s = nukedu.quiz(bank=mini_bank, n=8, seed=5, title="Sample")
    assert s.previous_button.disabled and not s.next_button.disabled
    assert s.progress.value == 0 and s.progress_label.value == "Question 1 of 8 · 0 answered"
    wrong_ids = set()
    for i, c in enumerate(s.cards):
        assert s.body.children == (c.widget,)
        if c.question.type in ("single", "numeric"):
            if c.question.type == "single":
                find(c.widget, w.RadioButtons)[0].value = "2008"
            else:
                find(c.widget, w.Text)[0].value = "2000"
            c.check_button.click()
            wrong_ids.add(c.question.id)
            c.retry_button.click()  # a second, right attempt does not change the first-attempt score
        answer_correctly(c)
        if i < len(s.cards) - 1:
            s.next_button.click()
    assert s.next_button.disabled and s.progress.value == 8
    s.previous_button.click()
    assert s.index == 6
    s.finish_button.click()
    assert "Your result: 5 / 7 points" in s.summary.value
    assert "A sample of every question type" in s.summary.value and "5 / 7" in s.summary.value
    assert "1 of 1 essay answer saved" in s.summary.value
    assert "To review (2)" in s.summary.value
    assert {q.id for q in s.missed()} == wrong_ids
    assert s.retry_button.layout.display == ""
    s.retry_button.click()
    retry = s.retry_session
    assert retry is not None and {c.question.id for c in retry.cards} == wrong_ids
    assert s.retry_area.children == (retry.widget,)
    assert set(s.responses) == {q.id for q in mini_bank.questions}


def test_text_fallback_outside_a_kernel(mini_bank):
    s = nukedu.quiz(bank=mini_bank, n=3, seed=2, title="Sample")
    bundle = s._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Sample\n======\n\n1. ")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<pre class="nukedu-text">')
    one = nukedu.ask("sample-single", bank=mini_bank)
    assert "When did Ukraine join" in one._repr_mimebundle_()["text/plain"]


def test_session_record_and_save_never_overwrite(mini_bank, tmp_path):
    s = nukedu.quiz(bank=mini_bank, ids=["sample-single", "sample-essay"], seed=1)
    find(s.cards[0].widget, w.RadioButtons)[0].value = "1994"
    s.cards[0].check()
    s.cards[0].try_again()
    find(s.cards[0].widget, w.RadioButtons)[0].value = "December 1991"
    s.cards[0].check()
    find(s.cards[1].widget, w.Textarea)[0].value = "My essay draft."
    s.cards[1].check()
    rec = s.record()
    first, essay = rec["questions"]
    assert first["first_attempt_points"] == 0 and [a["response"] for a in first["attempts"]] == ["1994", "December 1991"]
    assert essay["attempts"][0] == {"response": "My essay draft.", "points": 0.0, "status": "needs_grading"}
    path = s.save(tmp_path / "answers.json")
    assert json.loads(path.read_text())["questions"][1]["attempts"][0]["response"] == "My essay draft."
    path.write_text("earlier answers")
    with pytest.raises(nukedu.NukeduError, match="already exists"):
        s.save(path)
    assert path.read_text() == "earlier answers"
    s.save(path, overwrite=True)
    assert json.loads(path.read_text())["title"] == "Quiz"
