"""Building: stable notebooks, nbgrader metadata, and a release without answers or hidden tests."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nukedu import load_bank
from nukedu.assign.notebook import letter_view
from nukedu.assign.spec import BankItem, load_spec, resolve

REPO = Path(__file__).resolve().parents[1]
MINI_BANK = REPO / "tests" / "data" / "mini_bank"
MINI_SPEC = REPO / "tests" / "data" / "assign" / "mini.yaml"


@pytest.fixture(scope="module")
def courses(tmp_path_factory):
    pytest.importorskip("nbgrader")
    from nukedu.assign.build import build_assignments

    base = tmp_path_factory.mktemp("build")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            mp.setenv(name, str(base / name.lower()))
        bank, spec = load_bank(MINI_BANK), load_spec(MINI_SPEC)
        for name in ("one", "two"):
            build_assignments([spec], bank, base / name, bank_path=MINI_BANK)
    return base / "one", base / "two", resolve(spec, bank), spec


def _nb(path: Path) -> dict:
    return json.loads(path.read_text())


@pytest.mark.slow
def test_building_twice_gives_the_same_notebooks(courses):
    one, two, _a, _s = courses
    for part in ("source/mini/mini.ipynb", "release/mini/mini.ipynb"):
        assert (one / part).read_bytes() == (two / part).read_bytes()


@pytest.mark.slow
def test_cell_metadata(courses):
    one, _two, _a, _s = courses
    cells = {c["id"]: c for c in _nb(one / "source/mini/mini.ipynb")["cells"]}
    meta = lambda cid: cells[cid]["metadata"]["nbgrader"]  # noqa: E731
    assert meta("q1-answer") == {"grade": False, "grade_id": "q1-answer", "locked": False, "schema_version": 3, "solution": True}
    assert meta("q5-test") == {"grade": True, "grade_id": "q5-test", "locked": True, "points": 2, "schema_version": 3, "solution": False}
    assert meta("caution-answer")["grade"] and meta("caution-answer")["solution"] and meta("caution-answer")["points"] == 3
    assert meta("intro")["locked"] and not meta("intro")["grade"] and cells["intro"]["cell_type"] == "markdown"
    assert meta("milestones-given")["locked"]
    assert "### BEGIN HIDDEN TESTS" in "".join(cells["q1-test"]["source"])
    config = (one / "nbgrader_config.py").read_text()
    assert "nukedu.assign.feedback.ScrubTestOutputs" in config and "ClearHiddenTests" in config
    assert "add_missing_cells = True" in config


@pytest.mark.slow
def test_release_has_no_solution_hidden_test_or_expected_answer(courses):
    one, _two, assignment, spec = courses
    release = _nb(one / "release/mini/mini.ipynb")
    text = json.dumps(release)
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "grade(globals()", "grade_results(", "secrets", "Model answer"):
        assert marker not in text, marker
    # Markdown cells show prompts and choices only; everything else must hold no expected value.
    code_text = json.dumps([c for c in release["cells"] if c["cell_type"] == "code"])
    for item in assignment.items:
        if not isinstance(item, BankItem):
            continue
        view = letter_view(item, spec.seed)
        assert f"{item.variable} = {view.correct!r}" not in text
        assert repr(dict(view.key)) not in text
        for secret in view.key.get("secrets", ()):
            assert str(secret) not in code_text, (item.name, secret)
    assert "Bydgoszcz" not in text and "1997" not in code_text
    # the code task's expected values (computed from the bank at build time) stay in the source
    source = (one / "source/mini/mini.ipynb").read_text()
    assert "'years_nacc_to_charter': 6" in source and "'years_nacc_to_charter': 6" not in text
    assert "'beginnings': '2'" in source and "'beginnings'" not in text


def test_import_nukedu_stays_light():
    code = ("import sys, nukedu, nukedu.cli, nukedu.assign.spec, nukedu.assign.runtime; nukedu.cli.build_parser(); "
            "print(sorted(m for m in ('nbformat', 'nbgrader', 'nbconvert') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_runtime_messages():
    from nukedu.assign.runtime import AnswerFormatError, check, grade

    with pytest.raises(AnswerFormatError, match="answer must be one of A, B, C, D"):
        check({"answer_q1": "E"}, "answer_q1", "single", ["A", "B", "C", "D"])
    with pytest.raises(AnswerFormatError, match="answer_q1 is not defined yet"):
        check({}, "answer_q1", "single", ["A", "B"])
    key = {"id": "x", "type": "numeric", "points": 2, "answer": 1997, "tolerance": 0, "unit": "year", "secrets": ["1997"]}
    assert grade({"v": 2000}, "v", key) == 0
    assert grade({"v": 1997}, "v", key) == 2


@pytest.mark.slow
def test_the_key_is_written_outside_what_nbgrader_releases(courses):
    one, _two, assignment, _spec = courses
    key = one / "nukedu" / "mini" / "key.json"
    assert key.is_file() and json.loads(key.read_text())["parts"][0]["question_id"] == "sample-single"
    assert (one / "nukedu" / "mini" / "task-data" / "timeline.yaml").is_file()
    assert not (one / "nukedu" / "mini" / "task-data" / "questions").exists()   # code tasks never see a question
    released = {p.name for p in (one / "release" / "mini").iterdir()}
    assert released == {"mini.ipynb"}
    for nb in ("source/mini/mini.ipynb", "release/mini/mini.ipynb"):
        meta = _nb(one / nb)["metadata"]
        assert meta["nukedu"] == {"assignment": "mini"}, nb   # no cell-to-bank-item map a student could look up
    text = (one / "release/mini/mini.ipynb").read_text()
    assert not any(q.question.id in text for q in assignment.items if isinstance(q, BankItem))


LEAKY = """
name: leaky
title: Leaky
instructions: Answer.
seed: 3
parts:
  - questions: {ids: [sample-single, sample-numeric]}
  - essay:
      prompt: Why did Ukraine join the Partnership for Peace?
      rubric:
        - {criterion: Says what happened in 1997, points: 1}
"""


def test_answer_leaks_between_parts_are_found():
    from nukedu.assign.leaks import answer_leaks
    from nukedu.assign.spec import parse_spec

    bank = load_bank(MINI_BANK)
    leaks = answer_leaks(resolve(parse_spec(LEAKY, "leaky.yaml"), bank))
    assert "Essay 3 (rubric) gives away the answer to Question 2 ('1997')" in leaks
    assert any("gives away the answer to Question 2" in line and "Question 1 (option" in line for line in leaks)
    for path in sorted((REPO / "assignments").glob("*.yaml")):   # the shipped assignments give nothing away
        assert answer_leaks(resolve(load_spec(path), load_bank())) == [], path.name


QUESTION_TASK = """
name: peeks
title: Peeks
instructions: Count.
parts:
  - code:
      prompt: How many questions?
      given: |
        import nukedu
        bank = nukedu.load_bank()
      solution: |
        n = len(bank.questions)
      results:
        - {name: n, kind: int}
      points: 1
"""


def test_a_code_task_whose_results_need_the_questions_is_refused(tmp_path):
    pytest.importorskip("nbgrader")
    from nukedu.assign.build import build_assignments
    from nukedu.assign.spec import parse_spec
    from nukedu.errors import BankError

    with pytest.raises(BankError) as err:
        build_assignments([parse_spec(QUESTION_TASK, "peeks.yaml")], load_bank(MINI_BANK), tmp_path / "c",
                          bank_path=MINI_BANK, release=False)
    assert "peeks.yaml:" in str(err.value) and "depend on the bank's questions" in str(err.value)
