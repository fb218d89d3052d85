"""`nukedu progress report`: facility at the first check and common wrong answers per bank question, from exports."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from nukedu.analysis.selfstudy import analyse_progress, study_csv
from nukedu.cli import main as cli
from nukedu.learner import recorder
from nukedu.learner.store import AttemptRecord, ProgressStore
from nukedu.scoring import score

from .conftest import MINI_BANK


def checks(learner: str, question, responses: list, start: float = 1000.0) -> list[AttemptRecord]:
    """The records a card leaves when `learner` checks each response in turn, scored by nukedu's own function."""
    out = []
    for k, response in enumerate(responses):
        result = score(question, response)
        out.append(AttemptRecord(learner=learner, question_id=question.id, question_hash="h", place="card:x@l.ipynb",
                                 event="check", response=response, status=result.status, points=result.points,
                                 max_points=result.max_points, at=start + k, topic=question.topic))
    return out


def export(folder: Path, learner: str, records: list[AttemptRecord]) -> Path:
    store = ProgressStore(folder / f"{learner}.sqlite", learner=learner)
    store.merge(records)
    path = folder / "exports" / f"{learner}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store.export()), encoding="utf-8")
    store.close()
    return path


def test_facility_is_the_share_right_at_the_first_check_and_wrong_answers_count_learners(mini_bank):
    single = mini_bank.question("sample-single")
    ordering = mini_bank.question("sample-ordering")
    first, second, third = ordering.items
    records = []
    # four learners: ann right at once; bob and cy wrong first (the same wrong option), then right; dee wrong twice alike
    records += checks("ann", single, ["December 1991"])
    records += checks("bob", single, ["1994", "December 1991"])
    records += checks("cy", single, ["1994", "December 1991"])
    records += checks("dee", single, ["July 1997", "July 1997"])
    records += checks("ann", ordering, [[second, first, third], [first, second, third]])
    records += checks("bob", ordering, [[second, first, third]])
    records += checks("dee", ordering, [[first, second, third]])
    a = analyse_progress(records, {q.id: q for q in mini_bank.questions})
    by_id = {s.item.id: s for s in a.items}
    s = by_id["sample-single"]
    assert (s.learners, s.first_right, s.facility) == (4, 1, 0.25)
    assert [(w.response, w.count) for w in s.wrong] == [("1994", 2), ("July 1997", 1)]   # dee counted once
    o = by_id["sample-ordering"]
    assert (o.learners, o.first_right) == (3, 1)
    assert [(w.response, w.count) for w in o.wrong] == [(f"{second} → {first} → {third}", 2)]
    assert [x.item.id for x in a.items] == ["sample-single", "sample-ordering"]   # hardest first
    assert a.learners == 4 and a.flags == () and "Only 4 learners" in a.notes[0]
    rows = list(csv.DictReader(io.StringIO(study_csv(a))))
    assert rows[0]["question_id"] == "sample-single" and rows[0]["facility"] == "0.2500"
    assert rows[0]["common_wrong_answers"] == "1994: 2 | July 1997: 1" and rows[0]["text"] == single.prompt


def test_matching_answers_read_as_pairs_and_essays_and_unknown_questions_are_handled(mini_bank):
    matching = mini_bank.question("sample-matching")
    essay = mini_bank.question("sample-essay")
    swapped = {"PfP": "NATO-Russia Council", "NRC": "Partnership for Peace", "MAP": "Membership Action Plan"}
    records = checks("ann", matching, [swapped]) + checks("bob", matching, [dict(reversed(list(swapped.items())))])
    records += checks("ann", essay, ["A long answer about assurances."])
    records.append(AttemptRecord(learner="cy", question_id="timeline-order-3", question_hash="h", place="timeline",
                                 event="check", response=["ev-1", "ev-2"], status="incorrect", at=5.0))
    a = analyse_progress(records, {q.id: q for q in mini_bank.questions})
    by_id = {s.item.id: s for s in a.items}
    assert "sample-essay" not in by_id                       # graded by a person, not here
    (wrong,) = by_id["sample-matching"].wrong
    assert wrong.count == 2   # the same pairs in another key order are the same answer
    assert wrong.response == "PfP → NATO-Russia Council; NRC → Partnership for Peace; MAP → Membership Action Plan"
    unknown = by_id["timeline-order-3"]
    assert not unknown.in_bank and unknown.wrong[0].response == "ev-1; ev-2"


def test_ten_learners_get_flags_with_the_question_text(mini_bank):
    single = mini_bank.question("sample-single")
    tf = mini_bank.question("sample-true-false")
    records = []
    for i in range(10):
        records += checks(f"l{i}", single, ["December 1991"])
        records += checks(f"l{i}", tf, [True if i else False])
    a = analyse_progress(records, {q.id: q for q in mini_bank.questions})
    rules = {(f.question_id, f.rule): f for f in a.flags}
    assert rules[("sample-single", "easy")].text == single.prompt
    assert rules[("sample-true-false", "hard")].message == "only 1 of 10 learners were right at their first check (0.10)"


def test_the_command_reads_files_and_folders_writes_the_report_and_the_csv(tmp_path, mini_bank, capsys):
    single = mini_bank.question("sample-single")
    export(tmp_path, "ann", checks("ann", single, ["1994", "December 1991"]))
    export(tmp_path, "bob", checks("bob", single, ["<b>1994</b>"]))
    lone = export(tmp_path / "other", "cy", checks("cy", single, ["December 1991"]))
    out, table = tmp_path / "r" / "self-study.html", tmp_path / "r" / "items.csv"
    code = cli(["progress", "report", str(tmp_path / "exports"), str(lone), "--bank", str(MINI_BANK),
                "--out", str(out), "--csv", str(table)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "Self-study: 3 learners, 4 checks, 1 question answered." in printed
    assert "sample-single: 1 of 3; most common wrong answer: 1994 (1)" in printed
    page = out.read_text(encoding="utf-8")
    assert page.count("Plotly.newPlot(") == 2 and page.count("<script type=\"text/javascript\">") == 1
    assert "<b>1994</b>" not in page and "&lt;b&gt;1994&lt;/b&gt;" in page     # a learner's text is shown, never rendered
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)             # nothing to fetch: opens offline
    assert list(csv.DictReader(io.StringIO(table.read_text())))[0]["learners"] == "3"


def test_missing_and_bad_exports_are_all_named_and_nothing_is_written(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "nukedu-progress", "records": [{"learner": 5}]}))
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "r.html"
    assert cli(["progress", "report", str(tmp_path / "nope.json"), str(empty), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "nope.json: no such file or folder" in err and "empty: no *.json progress exports in this folder" in err
    assert cli(["progress", "report", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "record 1: field 'learner': expected str" in err and "Traceback" not in err
    assert not out.exists()


def test_answers_from_real_cards_read_readably(mini_bank, tmp_path, monkeypatch):
    """The responses cards store (texts, lists, dicts) come out of the report as a person would write them."""
    from nukedu.learner.store import default_path
    from nukedu.widgets.session import ask

    matching = mini_bank.question("sample-matching")
    ordering = mini_bank.question("sample-ordering")
    card = ask(matching.id, bank=mini_bank)
    card.check({"PfP": "Membership Action Plan", "NRC": "NATO-Russia Council", "MAP": "Partnership for Peace"})
    ask(ordering.id, bank=mini_bank).check(list(reversed(ordering.items)))
    recorder.close_all()
    records = ProgressStore(default_path()).records()
    a = analyse_progress(records, {q.id: q for q in mini_bank.questions})
    wrong = {s.item.id: s.wrong[0].response for s in a.items}
    assert wrong[matching.id] == "PfP → Membership Action Plan; NRC → NATO-Russia Council; MAP → Partnership for Peace"
    assert wrong[ordering.id] == " → ".join(reversed(ordering.items))
