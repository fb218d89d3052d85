"""Reading answers from cell text: honest forms, and what a student who wants marks without learning would type."""
from __future__ import annotations

import pytest

from nukedu.assign.answers import MAX_CELL_CHARS, Cell, read_answer

EX = 'answer_q1 = "B"'


def read(*sources: str, var: str = "answer_q1"):
    return read_answer([Cell(f"cell {i + 1}", s) for i, s in enumerate(sources)], var, EX)


@pytest.mark.parametrize("source, value", [
    ('answer_q1 = "B"', "B"),
    ("answer_q1 = 'b'  # my guess", "b"),
    ('answer_q1 = ["A", "C"]', ["A", "C"]),
    ('answer_q1 = ("A", "C")', ("A", "C")),
    ("answer_q1 = {1: 'B', 2: 'A'}", {1: "B", 2: "A"}),
    ('answer_q1 = {"1": "B"}', {"1": "B"}),
    ("answer_q1 = True", True),
    ("answer_q1 = 1997", 1997),
    ("answer_q1 = -3.5", -3.5),
    ("answer_q1 = ...", Ellipsis),
    ("answer_q1: str = 'Kyiv'", "Kyiv"),
    ("x = 1\nanswer_q1 = 'A'\nprint(answer_q1)", "A"),
    ("answer_q1 = 'A'\nanswer_q1 = 'C'", "C"),
    ("answer_q1 = answer_q2 = 'D'", "D"),
])
def test_honest_forms_are_read_as_the_exact_value(source, value):
    got = read(source)
    assert got.found and not got.problem
    assert got.value == value and type(got.value) is type(value)


def test_the_last_cell_that_assigns_wins_as_running_the_notebook_would():
    assert read("answer_q1 = 'A'", "answer_q1 = 'C'").value == "C"
    assert read("answer_q1 = 'A'", "print('no change')").value == "A"


def test_a_cell_that_never_mentions_the_variable_leaves_it_undefined():
    got = read("x = 1", "answer_q2 = 'A'")
    assert not got.found and got.value is None


@pytest.mark.parametrize("source, words", [
    ("import nukedu\nanswer_q1 = nukedu.load_bank().question('x').answer", "not a value"),
    ("answer_q1 = max(['A'])", "not a value"),
    ("answer_q1 = 'A' + 'B'", "not a value"),
    ("class Evil(str):\n    def __eq__(self, other): return True\nanswer_q1 = Evil('A')", "not a value"),
    ("answer_q1 = f'{1}'", "not a value"),
    ("answer_q1 = b'A'", "bytes"),
    ("answer_q1 = 3j", "complex"),
    ("answer_q1 = 'A'\nanswer_q1 += 'B'", "changed by code"),
    ("answer_q1 = 'A'\nfor answer_q1 in ['B']: pass", "changed by code"),
    ("answer_q1 = 'A'\nif True:\n    answer_q1 = 'B'", "changed by code"),
    ("answer_q1 = 'A'\ndef answer_q1(): pass", "changed by code"),
    ("answer_q1 = 'A'\nimport os as answer_q1", "changed by code"),
    ("answer_q1 = 'A'\n(answer_q1 := 'B')", "changed by code"),
    ("answer_q1 = 'A'\ndel answer_q1", "changed by code"),
    ("answer_q1, x = 'A', 'B'", "own line"),
    ("answer_q1 = [[[[[['A']]]]]]", "nested too deeply"),
    ("answer_q1 = [" + "1, " * 500 + "]", "more than"),
    ("answer_q1 = '" + "x" * 5000 + "'", "longer than"),
    ("answer_q1 = 1" + "0" * 40, "too long"),
    ("answer_q1 = {**{'1': 'A'}}", "**"),
    ("answer_q1 = {[1]: 'A'}", "dict key"),
])
def test_anything_but_a_plain_value_earns_a_message_that_teaches_the_format(source, words):
    got = read(source)
    assert got.found and got.value is None
    assert words in got.problem and EX in got.problem


@pytest.mark.parametrize("source", [
    "answer_q1 = " + "[" * 150 + "]" * 150,                 # too many nested brackets for the parser
    "answer_q1 = " + "-" * 100_000 + "1",                   # exhausts the parser's memory in one line
    "answer_q1 = " + "1+" * 5000 + "1",                     # deep tree at ast construction
    "answer_q1 = (" * 3000,
])
def test_hostile_sources_are_refused_without_crashing(source):
    got = read(source)
    assert got.value is None and got.problem


def test_a_cell_longer_than_the_limit_is_not_parsed():
    got = read("answer_q1 = 'A'\n" + "#" * MAX_CELL_CHARS)
    assert got.value is None and "longer than" in got.problem


def test_a_syntax_error_is_named_with_its_line_when_no_value_was_read():
    got = read("answer_q1 = (1997")
    assert not got.found and "syntax error on line 1" in got.problem and "cell 1" in got.problem
    # an earlier good answer stands, as it would in a kernel
    assert read("answer_q1 = 1997", "answer_q1 = (1998").value == 1997


def test_values_are_built_from_exact_builtin_types_only():
    got = read("answer_q1 = {1: ['A', ('B', True)], 'x': {3.5, None}}")
    seen = [got.value]
    while seen:
        v = seen.pop()
        assert type(v) in (str, int, float, bool, list, tuple, dict, set, type(None))
        if isinstance(v, dict):
            seen += list(v.keys()) + list(v.values())
        elif isinstance(v, (list, tuple, set)):
            seen += list(v)
