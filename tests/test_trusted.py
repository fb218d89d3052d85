"""The trusted grader's core without nbgrader: keys, submissions as cells, marks, and tampering.

The in-kernel path (`runtime.check` then `runtime.grade`, what nbgrader's test
cells run) is the reference: for any answer a student writes as a value, the
trusted grader gives the same points.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from nukedu import load_bank
from nukedu.assign import runtime
from nukedu.assign.keys import BankPartKey, CodePartKey, EssayPartKey, parse_key
from nukedu.assign.notebook import build_key, letter_view
from nukedu.assign.spec import BankItem, CodeItem, load_spec, resolve
from nukedu.assign.trusted import SubmittedCell, Unreadable, grade_cells, read_submission
from nukedu.errors import BankError

REPO = Path(__file__).resolve().parents[1]
MINI_BANK = REPO / "tests" / "data" / "mini_bank"
MINI_SPEC = REPO / "tests" / "data" / "assign" / "mini.yaml"


@pytest.fixture(scope="module")
def mini():
    spec = load_spec(MINI_SPEC)
    assignment = resolve(spec, load_bank(MINI_BANK))
    expected = {"milestones": {"years_nacc_to_charter": 6, "events_per_era": {"beginnings": "2", "distinctive-partnership": "1"}}}
    key = build_key(assignment, expected)
    views = {i.name: letter_view(i, spec.seed) for i in assignment.items if isinstance(i, BankItem)}
    return key, views, assignment


def cells(key, answers: dict[str, str], essay: str = "") -> list[SubmittedCell]:
    """A submission in notebook order: prompt, answer and test cell per part, as the release has them."""
    out = []
    for part in key.parts:
        out.append(SubmittedCell(f"{part.name}-prompt", "markdown", "prompt"))
        if isinstance(part, EssayPartKey):
            out.append(SubmittedCell(part.answer_cell, "markdown", essay or "YOUR ANSWER HERE", part.grade_id))
            continue
        if isinstance(part, CodePartKey):
            out.append(SubmittedCell(f"{part.name}-given", "code", part.given))
        out.append(SubmittedCell(part.answer_cell, "code", answers.get(part.answer_cell, f"{getattr(part, 'variable', 'x')} = ..."), part.answer_cell))
        out.append(SubmittedCell(part.grade_id, "code", "check(...)", part.grade_id))
    return out


@dataclass
class FakeOutcome:
    values: dict[str, Any] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)
    error: str = ""
    output: str = ""


def no_run(part, code):
    """Code tasks are not the point of these tests: their code 'defines nothing'."""
    return FakeOutcome()


def test_the_key_round_trips_through_json_and_holds_what_grading_needs(mini):
    key, views, _ = mini
    again = parse_key(key.to_json(), "key.json")
    assert again == key
    bank = [p for p in key.parts if isinstance(p, BankPartKey)]
    assert [p.grade_id for p in bank] == [f"q{i}-test" for i in range(1, 8)]
    assert all(p.key["type"] == views[p.name].kind for p in bank)
    assert key.max_points == 1 + 1 + 1 + 1 + 2 + 2 + 2 + 2 + 3


def test_a_damaged_key_file_is_reported_with_file_and_field(mini):
    key, _, _ = mini
    data = json.loads(key.to_json())
    data["format"] = 99
    data["parts"][0]["part"] = "quiz"
    data["parts"][1]["unknown_field"] = 1
    with pytest.raises(BankError) as err:
        parse_key(json.dumps(data), "course/nukedu/mini/key.json")
    text = str(err.value)
    assert "course/nukedu/mini/key.json:1:1: format: expected key format 1" in text
    assert "parts[0].part: expected one of bank, code, essay" in text and "parts[1]: does not match a bank part" in text
    with pytest.raises(BankError, match="not valid JSON"):
        parse_key("{", "key.json")


def _reference(part: BankPartKey, value: Any) -> float:
    """What nbgrader's test cell would give: the visible check raises (0), else the hidden grade."""
    ns = {part.variable: value}
    try:
        runtime.check(ns, part.variable, part.kind, part.choices, part.keys)
    except runtime.AnswerFormatError:
        return 0.0
    return runtime.grade(ns, part.variable, part.key)


def _variants(view) -> list[Any]:
    c = view.correct
    out: list[Any] = [c, None, Ellipsis, "", "Z", 0, [], {}, True]
    if view.kind == "single":
        out += [c.lower(), f" {c} ", *view.choices]
    if view.kind in ("multiple", "ordering"):
        out += [list(reversed(c)), c[:1], [x.lower() for x in c], tuple(c), c + c]
    if view.kind == "matching":
        out += [{str(k): v for k, v in c.items()}, {k: v.lower() for k, v in c.items()}, {1: view.choices[0]}]
    if view.kind == "numeric":
        out += [c + 1, float(c), -c, 1e308 * 10]
    if view.kind == "short_text":
        out += [c.upper(), c + ".", "  " + c]
    if view.kind == "true_false":
        out += [not c, "True", 1]
    return out


def test_trusted_marks_equal_the_in_kernel_marks_for_every_form_of_answer(mini, capsys):
    key, views, _ = mini
    for part in (p for p in key.parts if isinstance(p, BankPartKey)):
        for value in _variants(views[part.name]):
            source = f"{part.variable} = {value!r}" if value is not Ellipsis else f"{part.variable} = ..."
            if value == 1e308 * 10:
                source = f"{part.variable} = 1e999"
            result = next(r for r in grade_cells(key, cells(key, {part.answer_cell: source}), no_run) if r.grade_id == part.grade_id)
            assert result.points == pytest.approx(_reference(part, value)), (part.name, value, result.lines)
    capsys.readouterr()


def test_partial_credit_and_feedback_never_quote_the_expected_answer(mini):
    key, views, _ = mini
    q2 = next(p for p in key.parts if p.name == "q2")
    q4 = next(p for p in key.parts if p.name == "q4")
    results = {r.name: r for r in grade_cells(key, cells(key, {
        "q2-answer": f"answer_q2 = {views['q2'].correct[:2]!r}",
        "q4-answer": "answer_q4 = 1998",
        "q1-answer": f"answer_q1 = {next(c for c in views['q1'].choices if c != views['q1'].correct)!r}",
    }), no_run)}
    assert 0 < results["q2"].points < q2.points and results["q2"].status == "partial"
    assert results["q4"].points == 0
    assert not any(str(q4.key["answer"]) in line or "by 1" in line for line in results["q4"].lines)
    q1 = next(p for p in key.parts if p.name == "q1")
    assert q1.hint and results["q1"].hint == q1.hint and results["q1"].points == 0   # the hint is offered on a miss


def test_metadata_tampering_changes_nothing(mini):
    key, views, _ = mini
    right = {f"{n}-answer": f"answer_{n} = {v.correct!r}" for n, v in views.items()}
    honest = grade_cells(key, cells(key, right), no_run)
    tampered = []
    for c in cells(key, right):
        if c.id == "q1-answer":          # renamed grade id and an id the key does not know
            c = SubmittedCell("my-own-cell", "code", c.source, "q1-renamed")
        if c.id == "q2-test":            # the student's edit of a test cell: claims full marks, and answers q3 wrongly
            c = SubmittedCell(c.id, "code", "answer_q3 = 'not a bool'\n1.0", c.grade_id)
        tampered.append(c)
    tampered.append(SubmittedCell("bonus", "code", "100", "bonus-test"))   # an extra cell claiming points
    assert [r.points for r in grade_cells(key, tampered, no_run)] == [r.points for r in honest]
    without_q5 = [c for c in cells(key, right) if c.id != "q5-answer"]
    assert next(r for r in grade_cells(key, without_q5, no_run) if r.name == "q5").points == 0


def test_code_tasks_are_marked_per_result_from_what_the_sandbox_returned(mini):
    key, _, _ = mini
    calls = []

    def run(part, code):
        calls.append((part.name, code))
        return FakeOutcome(values={"years_nacc_to_charter": 6}, problems={"events_per_era": "events_per_era: expected a dict, found str"},
                           error="", output="hello\n")

    code = "years_nacc_to_charter = 6\nevents_per_era = 'x'"
    result = next(r for r in grade_cells(key, cells(key, {"milestones-answer": code}), run) if r.kind == "code")
    assert calls == [("milestones", code)]
    assert result.points == 1.0 and result.status == "partial" and result.output == "hello\n"
    assert any("expected a dict" in line for line in result.lines)
    assert not any("beginnings" in line for line in result.lines)   # the expected value is never shown


def test_code_cells_the_student_added_inside_the_task_run_with_it(mini):
    key, _, _ = mini
    seen = []
    sub = cells(key, {"milestones-answer": "years_nacc_to_charter = helper()"})
    at = next(i for i, c in enumerate(sub) if c.id == "milestones-answer")
    sub.insert(at, SubmittedCell("added", "code", "def helper():\n    return 6"))
    grade_cells(key, sub, lambda part, code: seen.append(code) or FakeOutcome())
    assert seen == ["def helper():\n    return 6\n\nyears_nacc_to_charter = helper()"]


def test_essays_wait_for_hand_grading_unless_blank(mini):
    key, _, _ = mini
    essay = next(p for p in key.parts if isinstance(p, EssayPartKey))
    blank = next(r for r in grade_cells(key, cells(key, {}), no_run) if r.grade_id == essay.grade_id)
    written = next(r for r in grade_cells(key, cells(key, {}, essay="Assurances are not guarantees."), no_run) if r.grade_id == essay.grade_id)
    assert blank.points == 0 and blank.status == "unanswered"
    assert written.points is None and written.status == "needs_grading" and written.answer_hash


@pytest.mark.parametrize("raw, words", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "not a Jupyter notebook"),
    (b'{"cells": 3}', "not a Jupyter notebook"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"[" * 100_000, "could not be read"),
])
def test_unreadable_files_say_why(raw, words):
    with pytest.raises(Unreadable, match=words):
        read_submission(raw)


def test_odd_cells_are_read_defensively():
    raw = json.dumps({"cells": [
        {"cell_type": "code", "source": ["answer_q1 = ", "'A'"], "id": "q1-answer"},
        {"cell_type": "code", "source": 42},
        "not a cell",
        {"cell_type": 7, "source": "x", "metadata": {"nbgrader": "tampered"}},
    ]}).encode()
    cells_read = read_submission(raw)
    assert cells_read[0].source == "answer_q1 = 'A'" and cells_read[1].source == ""
    assert len(cells_read) == 3 and cells_read[2].cell_type == "" and cells_read[2].grade_id == ""
