"""Coming back: cards and quizzes resume as left, start over only on purpose; reviews follow FSRS; the dashboard adds up."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import pytest

import nukedu
from nukedu.cli import main as cli
from nukedu.learner import recorder
from nukedu.learner.schedule import due_questions, rating_name, review, review_plan
from nukedu.learner.store import AttemptRecord, ProgressStore
from nukedu.widgets.session import ask, quiz


def restart() -> None:
    """What a kernel restart does to nukedu: every in-memory object is gone, only the file remains."""
    recorder.close_all()


def wrong_option(q):
    return next(o for o in q.options if o != q.answer)


def test_an_ask_card_comes_back_after_a_restart_with_its_try_hint_and_verdict(mini_bank):
    q = next(x for x in mini_bank.questions if x.type == "single" and x.hints)
    card = ask(q.id, bank=mini_bank)
    card.hint()
    card.check(wrong_option(q))
    restart()
    again = ask(q.id, bank=mini_bank)
    assert again.attempts == 1 and again.tutor.hints_shown == 1
    assert again.state["phase"] == "feedback" and again.state["response"] == wrong_option(q)
    assert again.state["earned"] is None  # a wrong try earns no answer, even after a restart
    again.check(q.answer)
    restart()
    third = ask(q.id, bank=mini_bank)
    assert third.state["phase"] == "finished" and third.state["earned"]["explanation"] == q.explanation
    assert [r.status for _, r in third.history] == ["incorrect", "correct"]


def test_start_over_is_on_purpose_and_keeps_the_record(mini_bank):
    q = next(x for x in mini_bank.questions if x.type == "single")
    card = ask(q.id, bank=mini_bank)
    card.check(q.answer)
    card.reset()
    restart()
    fresh = ask(q.id, bank=mini_bank)
    assert fresh.attempts == 0 and fresh.state["phase"] == "open"
    events = [r.event for r in recorder.active_store().records()]
    assert events == ["check", "reset"]  # the earlier answer is still on file


def test_remember_false_and_recording_off_keep_nothing(mini_bank, monkeypatch):
    q = next(x for x in mini_bank.questions if x.type == "single")
    ask(q.id, bank=mini_bank, remember=False).check(q.answer)
    assert ask(q.id, bank=mini_bank, remember=False).attempts == 0
    monkeypatch.setenv("NUKEDU_PROGRESS", "off")
    restart()
    card = ask(q.id, bank=mini_bank)
    card.check(q.answer)
    assert card.state["phase"] == "finished" and recorder.active_store() is None


def test_a_quiz_resumes_at_the_question_where_it_stopped_with_its_answers(mini_bank):
    qz = quiz(n=6, seed=3, bank=mini_bank)
    first = qz.questions[0]
    qz.give_up()
    qz.go(3)
    restart()
    back = quiz(n=6, seed=3, bank=mini_bank)
    assert back.resumed and back.index == 3 and [q.id for q in back.questions] == [q.id for q in qz.questions]
    assert back.tutor(0).given_up and back.tutor(0).question.id == first.id
    back.go(0)
    assert back.state["earned"]["explanation"] == first.explanation  # the answer it showed is shown again


def test_a_quiz_without_a_seed_keeps_its_questions_until_reset(mini_bank):
    a = quiz(n=4, bank=mini_bank)
    a.give_up()
    restart()
    b = quiz(n=4, bank=mini_bank)
    assert [q.id for q in b.questions] == [q.id for q in a.questions] and b.tutor(0).given_up
    b.reset()
    restart()
    c = quiz(n=4, bank=mini_bank)
    assert [q.id for q in c.questions] == [q.id for q in a.questions]
    assert c.answered == 0 and c.index == 0


def test_a_retry_round_and_a_finished_quiz_resume_too(mini_bank):
    qz = quiz(n=3, seed=1, bank=mini_bank, types=["single", "true_false"])
    qz.give_up()
    qz.finish(confirmed=True)
    assert qz.retry_missed()
    round_ids = [q.id for q in qz.questions]
    restart()
    back = quiz(n=3, seed=1, bank=mini_bank, types=["single", "true_false"])
    assert [q.id for q in back.questions] == round_ids and back.round == 1 and back.answered == 0
    assert back.title.endswith("questions to review")
    back.finish(confirmed=True)
    restart()
    assert quiz(n=3, seed=1, bank=mini_bank, types=["single", "true_false"]).finished


def test_an_edited_question_is_not_confused_with_the_old_one(mini_bank):
    import dataclasses

    q = next(x for x in mini_bank.questions if x.type == "single")
    ask(q.id, bank=mini_bank).check(wrong_option(q))
    restart()
    edited = dataclasses.replace(mini_bank, questions=tuple(
        dataclasses.replace(x, prompt=x.prompt + " Think of 1994.") if x.id == q.id else x for x in mini_bank.questions))
    assert ask(q.id, bank=edited).attempts == 0
    assert ask(q.id, bank=mini_bank).attempts == 1


def test_a_card_made_in_another_notebook_starts_fresh(mini_bank, monkeypatch):
    q = next(x for x in mini_bank.questions if x.type == "single")
    monkeypatch.setenv("JPY_SESSION_NAME", "course/01-beginnings.ipynb")
    ask(q.id, bank=mini_bank).check(q.answer)
    monkeypatch.setenv("JPY_SESSION_NAME", "course/02-other.ipynb")
    assert ask(q.id, bank=mini_bank).attempts == 0
    (row,) = recorder.active_store().records()
    assert row.notebook == "course/01-beginnings.ipynb" and row.learner


def test_a_student_cannot_plant_records_that_break_a_classmates_card(mini_bank):
    """Garbage a student writes into their own file (a response of the wrong shape) is skipped, not crashed on."""
    q = next(x for x in mini_bank.questions if x.type == "matching")
    card = ask(q.id, bank=mini_bank)
    store = recorder.active_store()
    from nukedu.learner.history import question_hash

    for bad in ({"x": "y"}, [1, 2], "DROP TABLE attempts", None, 10**400 if False else 1e308):
        store.record(AttemptRecord(learner=store.learner, question_id=q.id, question_hash=question_hash(q),
                                   place=card.context["place"], event="check", response=bad))
    restart()
    again = ask(q.id, bank=mini_bank)
    assert again.attempts == 0 and again.state["phase"] == "open"


# --- spaced repetition ------------------------------------------------------------------------------------
def test_ratings_follow_how_the_question_went():
    assert rating_name(status="correct", attempts=1, hints_used=0, given_up=False) == "Good"
    assert rating_name(status="correct", attempts=1, hints_used=1, given_up=False) == "Hard"
    assert rating_name(status="correct", attempts=2, hints_used=0, given_up=False) == "Hard"
    assert rating_name(status="incorrect", attempts=3, hints_used=0, given_up=False) == "Again"
    assert rating_name(status="partial", attempts=1, hints_used=0, given_up=True) == "Again"
    assert rating_name(status="needs_grading", attempts=1, hints_used=0, given_up=False) is None


def test_the_due_order_of_a_scripted_history_matches_fsrs_called_directly(tmp_path):
    from fsrs import Card, Rating, Scheduler

    start = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
    script = [("q1", "Good", 0), ("q2", "Again", 0), ("q3", "Hard", 1), ("q1", "Good", 2), ("q2", "Good", 1),
              ("q4", "Again", 3), ("q3", "Good", 4), ("q2", "Hard", 6), ("q5", "Good", 6)]
    store = ProgressStore(tmp_path / "p.sqlite", learner="ann")
    direct: dict[str, Card] = {}
    scheduler = Scheduler(enable_fuzzing=False)
    for qid, rating, day in script:
        at = start + timedelta(days=day, minutes=len(direct))
        review(store, qid, rating, at.timestamp())
        direct[qid], _ = scheduler.review_card(direct.get(qid, Card()), Rating[rating], review_datetime=at)
    later = (start + timedelta(days=30)).timestamp()
    ours = [qid for qid, _ in due_questions(store, later)]
    theirs = [qid for qid, card in sorted(direct.items(), key=lambda kv: (kv[1].due, kv[0])) if card.due.timestamp() <= later]
    assert ours == theirs and len(ours) == 5
    for qid, card in direct.items():
        assert abs(store.review_cards()[qid][1] - card.due.timestamp()) < 1e-3


def test_finishing_a_card_schedules_it_and_review_asks_due_ones_first(mini_bank):
    singles = [next(x for x in mini_bank.questions if x.type == t) for t in ("single", "true_false")]
    ask(singles[0].id, bank=mini_bank).give_up()            # Again
    ask(singles[1].id, bank=mini_bank).check(singles[1].answer)  # Good
    store = recorder.active_store()
    assert set(store.review_cards()) == {singles[0].id, singles[1].id}
    soon = datetime.now(timezone.utc).timestamp() + 300  # Again: the 1-minute learning step; Good: 10 minutes
    assert [qid for qid, _ in due_questions(store, soon)] == [singles[0].id]
    plan = review_plan(store, [q.id for q in mini_bank.questions if q.type != "essay"], 4, now=soon)
    assert plan[0] == singles[0].id and singles[1].id not in plan[:3] and len(plan) == 4


def test_review_is_kept_for_the_day_and_resumes(mini_bank):
    r = nukedu.review(3, bank=mini_bank)
    ids = [q.id for q in r.questions]
    r.give_up()
    restart()
    again = nukedu.review(3, bank=mini_bank)
    assert [q.id for q in again.questions] == ids and again.tutor(0).given_up


# --- dashboard and exports -------------------------------------------------------------------------------
def test_the_dashboard_counts_topics_lessons_days_and_due(mini_bank, monkeypatch):
    singles = [next(x for x in mini_bank.questions if x.type == t) for t in ("single", "true_false")]
    monkeypatch.setenv("JPY_SESSION_NAME", "course/01-beginnings.ipynb")
    ask(singles[0].id, bank=mini_bank).check(singles[0].answer)
    c = ask(singles[1].id, bank=mini_bank)
    c.check(not singles[1].answer)
    c.give_up()
    board = nukedu.progress(bank=mini_bank)
    s = board.summary
    assert (s.answered, s.right, s.attempts) == (2, 1, 2)
    assert [(t.label, t.answered, t.right) for t in s.lessons] == [("01-beginnings", 2, 1)]
    from nukedu.learner.report import summarise

    in_two_minutes = datetime.now(timezone.utc).timestamp() + 120  # "Again" is due after FSRS's 1-minute step
    assert summarise(recorder.active_store(), mini_bank, now=in_two_minutes).due_now == (singles[1].id,)
    s = summarise(recorder.active_store(), mini_bank, now=in_two_minutes)
    board = type(board)(s)
    topic = next(t for t in s.topics if t.label == mini_bank.topic_title(singles[0].topic))
    assert topic.questions == sum(1 for q in mini_bank.questions if q.topic == singles[0].topic)
    text = board.text()
    assert "2 questions answered, 1 right, 1 due for review" in text and "01-beginnings: 1 of 2" in text
    bundle = board._repr_mimebundle_()
    fig = bundle["application/vnd.plotly.v1+json"]
    assert fig["layout"]["title"]["text"].startswith("2 questions answered · 1 right · 1 due") and len(fig["data"]) == 4
    assert len(json.dumps(fig)) < 50_000
    rows = nukedu.progress_table(bank=mini_bank)
    assert {r["question_id"]: r["right"] for r in rows} == {singles[0].id: True, singles[1].id: False}


def test_an_empty_store_shows_an_encouraging_dashboard(mini_bank):
    text = nukedu.progress(bank=mini_bank).text()
    assert "0 questions answered" in text and "saved here as you go" in text


def test_export_import_and_class_summary_from_the_command_line(tmp_path, mini_bank, monkeypatch, capsys):
    q = next(x for x in mini_bank.questions if x.type == "single")
    exports = tmp_path / "class"
    for learner, right in (("ann", True), ("bob", False), ("cy", False)):
        monkeypatch.setenv("NUKEDU_PROGRESS", str(tmp_path / f"{learner}.sqlite"))
        monkeypatch.setenv("JUPYTERHUB_USER", learner)
        restart()
        ask(q.id, bank=mini_bank).check(q.answer if right else wrong_option(q))
        restart()
        assert cli(["progress", "export", "--out", str(exports / f"{learner}.json")]) == 0
    assert cli(["progress", "export", "--out", str(exports / "cy.json")]) == 1  # never overwritten
    assert "already exists" in capsys.readouterr().err
    data = json.loads((exports / "ann.json").read_text())
    assert data["learner"] == "ann" and q.explanation not in json.dumps(data)
    # merging twice adds nothing the second time
    assert cli(["progress", "--store", str(tmp_path / "teacher.sqlite"), "import", str(exports / "bob.json")]) == 0
    assert cli(["progress", "--store", str(tmp_path / "teacher.sqlite"), "import", str(exports / "bob.json")]) == 0
    out = capsys.readouterr().out
    assert "1 records added, 0 already there" in out and "0 records added, 1 already there" in out
    assert cli(["progress", "class", str(exports), "--csv", str(tmp_path / "c.csv"), "--html", str(tmp_path / "c.html")]) == 0
    lines = (tmp_path / "c.csv").read_text().splitlines()
    assert lines[1].startswith(f"{q.id},{q.topic},3,2,0.67,2")
    page = (tmp_path / "c.html").read_text()
    assert "plotly" in page and not re.search(r"<script[^>]+src=\"https?:", page) and len(page) > 1_000_000  # inlined: offline


def test_a_bad_export_is_refused_whole_with_every_problem_named(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "nukedu-progress", "records": [
        {"learner": "ann", "question_id": "q", "question_hash": "h", "place": "p", "event": "cheat", "hints_used": 0,
         "given_up": False, "at": 1.0, "uid": "u1"}, {"learner": 5}]}))
    notjson = tmp_path / "n.json"
    notjson.write_text("{oops")
    store = tmp_path / "s.sqlite"
    assert cli(["progress", "--store", str(store), "import", str(bad), str(notjson)]) == 1
    err = capsys.readouterr().err
    assert "record 1: field 'event': expected one of" in err and "record 2: field 'learner': expected str" in err
    assert "n.json: not a nukedu progress export" in err and "Traceback" not in err
    assert ProgressStore(store, learner="ann").count() == 0


def test_the_dashboard_reads_a_fresh_start_as_a_new_first_try(mini_bank):
    q = next(x for x in mini_bank.questions if x.type == "single")
    card = ask(q.id, bank=mini_bank)
    card.check(wrong_option(q))
    (row,) = nukedu.progress_table(bank=mini_bank)
    assert (row["checks"], row["right"], row["first_try_right"]) == (1, False, False)
    card.reset()
    card.check(q.answer)
    (row,) = nukedu.progress_table(bank=mini_bank)
    assert (row["checks"], row["right"], row["first_try_right"], row["last_status"]) == (2, True, True, "correct")
    other = ask(q.id, bank=mini_bank, seed=1, remember=True)  # the same place: it comes back finished
    assert other.state["phase"] == "finished"
