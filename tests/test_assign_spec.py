"""Assignment specs: every rule reports its exact file:line:col, all problems in one pass."""
from __future__ import annotations

from pathlib import Path

import pytest

from nukedu import BankError, load_bank
from nukedu.assign.spec import BankItem, CodeItem, EssayItem, load_spec, parse_spec, resolve

REPO = Path(__file__).resolve().parents[1]
HEAD = "title: T\ninstructions: I\nparts:\n"


def issues(text: str) -> list[str]:
    with pytest.raises(BankError) as info:
        parse_spec(text, "s.yaml", "s")
    return [str(i) for i in info.value.issues]


def test_unknown_field_in_a_part():
    assert issues(HEAD + "  - questions: {ids: [a]}\n    extra: 1\n") == [
        "s.yaml:5:5: parts[0].extra: unknown field 'extra'; expected one of: questions, code, essay"]


def test_ids_and_rule_are_exclusive():
    assert issues(HEAD + "  - questions: {ids: [a], n: 2}\n") == [
        "s.yaml:4:30: parts[0].questions.n: give either ids or a rule (topic, types, difficulty, tags, n, seed), not both"]


def test_every_problem_in_one_pass():
    text = HEAD + (
        "  - questions: {types: [essayy], n: 1}\n"
        "  - code: {prompt: p, solution: 'x = (', results: [{name: x, kind: int}], points: 1}\n"
        "  - essay: {prompt: p, rubric: []}\n")
    assert issues(text) == [
        "s.yaml:4:25: parts[0].questions.types[0]: unknown question type 'essayy'; expected one of: "
        "single, multiple, true_false, numeric, ordering, matching, short_text, essay",
        "s.yaml:5:1: parts[1].code.solution: Python syntax error: '(' was never closed",
        "s.yaml:6:32: parts[2].essay.rubric: expected at least 1 entries, found 0",
    ]


def test_missing_title_and_empty_parts():
    assert issues("instructions: I\nparts: []\n") == [
        "s.yaml:1:1: (top level): missing required field 'title'",
        "s.yaml:2:8: parts: expected at least 1 entries, found 0",
    ]


def test_a_part_has_exactly_one_kind():
    assert issues(HEAD + "  - {questions: {ids: [a]}, essay: {prompt: p, rubric: [{criterion: c, points: 1}]}}\n") == [
        "s.yaml:4:5: parts[0]: expected exactly one of questions, code, essay, found questions and essay"]


def test_bad_result_kind_and_name():
    text = HEAD + "  - code: {prompt: p, solution: 'x = 1', results: [{name: 1x, kind: set}], points: 1}\n"
    assert issues(text) == [
        "s.yaml:4:59: parts[0].code.results[0].name: expected a Python variable name (letters, digits, '_', not starting with '_'), found '1x'",
        "s.yaml:4:69: parts[0].code.results[0].kind: unknown result kind 'set'; expected one of: int, float, str, list, dict, figure",
    ]


def test_resolve_reports_at_the_spec_lines(mini_bank):
    spec = parse_spec(HEAD + "  - questions: {ids: [nope, sample-single]}\n  - questions: {types: single, n: 2}\n", "r.yaml", "r")
    with pytest.raises(BankError) as info:
        resolve(spec, mini_bank)
    assert [str(i) for i in info.value.issues] == [
        "r.yaml:4:23: parts[0].questions.ids[0]: no question with id 'nope' in the bank",
        "r.yaml:5:16: parts[1].questions.n: asks for 2 questions but only 0 unused ones match (types=single)",
    ]


def test_resolve_is_seeded_and_numbers_items(mini_bank):
    spec = load_spec(REPO / "tests" / "data" / "assign" / "mini.yaml")
    a, b = resolve(spec, mini_bank), resolve(spec, mini_bank)
    assert a == b and spec.name == "mini"
    assert [i.number for i in a.items] == list(range(1, 10))
    assert [type(i) for i in a.items][-2:] == [CodeItem, EssayItem]
    assert all(i.points == 2 for i in a.items[4:7] if isinstance(i, BankItem))
    assert a.points == 15


@pytest.mark.parametrize("path", sorted((REPO / "assignments").glob("*.yaml")), ids=lambda p: p.stem)
def test_shipped_specs_parse(path):
    assert load_spec(path).name == path.stem


def test_cli_validate_lists_problems(tmp_path, capsys):
    from nukedu.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text(HEAD + "  - questions: {ids: [a], n: 2}\n")
    assert main(["assignment", "validate", str(bad), "--bank", str(REPO / "tests/data/mini_bank")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:4:30: parts[0].questions.n: give either ids" in err and "1 problem found." in err
    with pytest.raises(SystemExit) as exit_info:
        main(["assignment", "build"])
    assert exit_info.value.code == 2
