"""Grading with the real nbgrader: a fault matrix with exact points, feedback leaks, regrading, shipped assignments.

One course is built and graded per module (nbgrader work is shared between tests).
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("nbgrader")
import nbformat  # noqa: E402

from nukedu import load_bank  # noqa: E402
from nukedu.assign.build import build_assignments  # noqa: E402
from nukedu.assign.grade import grade_assignment  # noqa: E402
from nukedu.assign.notebook import letter_view  # noqa: E402
from nukedu.assign.spec import BankItem, CodeItem, load_spec, resolve  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MINI_BANK = REPO / "tests" / "data" / "mini_bank"
MINI_SPEC = REPO / "tests" / "data" / "assign" / "mini.yaml"
TIMEOUT = 5

pytestmark = pytest.mark.slow

# Auto-graded points of mini.yaml: q1-q4 1 each, q5-q7 2 each, the code task 2; the essay (3) is graded by hand.
FULL = {"q1-test": 1, "q2-test": 1, "q3-test": 1, "q4-test": 1, "q5-test": 2, "q6-test": 2, "q7-test": 2, "milestones-test": 2}


@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory):
    """Keep Jupyter's config, data and runtime files out of the home directory."""
    base = tmp_path_factory.mktemp("jupyter")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            mp.setenv(name, str(base / name.lower()))
        yield


def _set(nb, cell_id: str, source: str) -> None:
    cell = next(c for c in nb.cells if c.get("id") == cell_id)
    cell.source = source


def _answers(assignment, seed: int) -> dict[str, str]:
    """Each answer cell's id and a correct source for it."""
    out = {}
    for item in assignment.items:
        if isinstance(item, BankItem):
            out[f"{item.name}-answer"] = f"{item.variable} = {letter_view(item, seed).correct!r}"
        elif isinstance(item, CodeItem):
            out[f"{item.name}-answer"] = item.part.solution
    return out


def _submit(course: Path, name: str, student: str, nb) -> None:  # type: ignore[no-untyped-def]
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    if nb is not None:
        nbformat.write(nb, folder / f"{name}.ipynb")


@pytest.fixture(scope="module")
def graded(tmp_path_factory, jupyter_env):
    """The mini assignment built, released, submitted by eight students with different faults, graded twice."""
    course = tmp_path_factory.mktemp("course")
    bank = load_bank(MINI_BANK)
    spec = load_spec(MINI_SPEC)
    build_assignments([spec], bank, course, bank_path=MINI_BANK, timeout=TIMEOUT)
    assignment = resolve(spec, bank)
    views = {i.name: letter_view(i, spec.seed) for i in assignment.items if isinstance(i, BankItem)}
    release = nbformat.read(course / "release" / "mini" / "mini.ipynb", as_version=4)
    right = {**_answers(assignment, spec.seed), "caution-answer": "The 1994 assurances did not stop aggression."}

    def student(changes: dict[str, str | None]):  # type: ignore[no-untyped-def]
        nb = nbformat.from_dict(json.loads(nbformat.writes(release)))
        for cell_id, source in {**right, **changes}.items():
            if source is None:
                nb.cells = [c for c in nb.cells if c.get("id") != cell_id]
            else:
                _set(nb, cell_id, source)
        return nb

    v2, v5, v6 = views["q2"], views["q5"], views["q6"]
    wrong_q1 = next(c for c in views["q1"].choices if c != views["q1"].correct)
    unused = next(c for c in v5.choices if c not in v5.correct.values())
    partial = {
        "q1-answer": f"answer_q1 = {wrong_q1!r}",
        "q2-answer": f"answer_q2 = {v2.correct[:2]!r}",                       # 2 of 3 right picks: 1/3 lost
        "q4-answer": "answer_q4 = 1998",
        "q5-answer": f"answer_q5 = {({**v5.correct, 3: unused})!r}",         # 2 of 3 pairs
        "q6-answer": f"answer_q6 = {[v6.correct[0], v6.correct[2], v6.correct[1]]!r}",  # 2 of 3 pairs in order
        "q7-answer": 'answer_q7 = "Warsaw"',
        "milestones-answer": "years_nacc_to_charter = 6\nevents_per_era = {'x': 1}",
    }
    _submit(course, "mini", "correct", student({}))
    _submit(course, "mini", "partial", student(partial))
    _submit(course, "mini", "untouched", release)
    _submit(course, "mini", "loop", student({"q1-answer": "while True:\n    pass"}))
    _submit(course, "mini", "syntax", student({"q4-answer": "answer_q4 = (1997"}))
    _submit(course, "mini", "deleted-test", student({"q7-test": None}))
    _submit(course, "mini", "edited-test", student({"q3-answer": f"answer_q3 = {not views['q3'].correct}", "q3-test": "1.0"}))
    _submit(course, "mini", "missing", None)
    (course / "submitted" / "missing" / "mini" / "notes.txt").write_text("I forgot the notebook\n")

    start = time.perf_counter()
    first = grade_assignment(course, "mini", progress=None)
    elapsed = time.perf_counter() - start
    scores_first = _scores(course)
    rows_first = _row_counts(course)
    second = grade_assignment(course, "mini", progress=None)
    return {"course": course, "first": first, "second": second, "elapsed": elapsed, "views": views,
            "scores_first": scores_first, "rows_first": rows_first, "partial": partial}


def _scores(course: Path) -> dict[str, dict[str, float]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        out = {}
        for sub in gb.find_assignment("mini").submissions:
            out[sub.student.id] = {g.name: round(g.score, 4) for nb in sub.notebooks for g in nb.grades}
        return out


def _row_counts(course: Path) -> dict[str, int]:
    from nbgrader.api import Grade, SubmittedAssignment, SubmittedNotebook

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {t.__name__: gb.db.query(t).count() for t in (Grade, SubmittedAssignment, SubmittedNotebook)}


def _auto(scores: dict[str, float]) -> float:
    return round(sum(v for k, v in scores.items() if k in FULL), 4)


EXPECTED_TOTALS = {
    "correct": 12.0,
    "partial": round(0 + 0.6667 + 1 + 0 + 1.3333 + 1.3333 + 0 + 1, 4),
    "untouched": 0.0,
    "loop": 11.0,
    "syntax": 11.0,
    "deleted-test": 12.0,
    "edited-test": 11.0,
    "missing": 0.0,
}


def test_fault_matrix_exact_points(graded):
    scores = _scores(graded["course"])
    assert {s: _auto(v) for s, v in scores.items()} == EXPECTED_TOTALS
    partial = scores["partial"]
    assert partial["q2-test"] == 0.6667 and partial["q5-test"] == 1.3333 and partial["q6-test"] == 1.3333
    assert partial["milestones-test"] == 1.0 and partial["q1-test"] == 0 and partial["q7-test"] == 0
    assert scores["loop"]["q1-test"] == 0 and scores["loop"]["q2-test"] == 1
    assert scores["syntax"]["q4-test"] == 0 and scores["syntax"]["q5-test"] == 2
    assert scores["deleted-test"]["q7-test"] == 2  # restored from the gradebook and run
    assert scores["edited-test"]["q3-test"] == 0   # the "1.0" edit was overwritten
    assert all(v == 0 for v in scores["untouched"].values())  # the essay too: unchanged cell


def test_summary_reports_every_student(graded):
    summary = graded["first"]
    status = {s.student: s.status for s in summary.submissions}
    assert status == {s: ("missing" if s == "missing" else "graded") for s in EXPECTED_TOTALS}
    text = summary.render()
    assert "8 students" in text and "missing" in text and "sample-multiple" in text
    assert summary.mean == pytest.approx(sum(EXPECTED_TOTALS.values()) / 8, abs=1e-3)
    rates = {c.grade_id: c.success_rate for c in summary.cells}
    assert rates["q2-test"] == pytest.approx(5 / 7)  # all but "partial" and "untouched"
    csv_text = summary.csv_path.read_text()
    assert csv_text.splitlines()[0].startswith("student,status,score,max_score,q1-test")
    assert summary.nbgrader_csv_path.is_file()
    print(f"\nautograde: {summary.seconds_per_submission:.2f} s per submission (timeout {TIMEOUT} s for the loop)")


def test_feedback_for_each_submitter(graded):
    feedback = graded["course"] / "feedback"
    made = sorted(p.parent.parent.name for p in feedback.glob("*/mini/mini.html"))
    assert made == sorted(s for s in EXPECTED_TOTALS if s != "missing")


def test_feedback_hides_hidden_tests_and_missed_answers(graded):
    course, views = graded["course"], graded["views"]
    for student in ("partial", "untouched", "loop", "edited-test"):
        text = (course / "feedback" / student / "mini" / "mini.html").read_text()
        for leak in ("HIDDEN TESTS", "grade(globals()", "grade_results(", "secrets", "&#39;answer&#39;", "'answer'"):
            assert leak not in text, (student, leak)
    text = (course / "feedback" / "partial" / "mini" / "mini.html").read_text()
    assert "most recent call last" not in text  # no traceback of a test cell survives
    assert "Bydgoszcz" not in text          # q7 missed: the accepted answer never appears
    assert "too low by" not in text and "too high by" not in text
    for name in ("q1", "q2", "q5", "q6"):   # missed or partly missed: the key never appears
        assert f"answer_{name} = {views[name].correct!r}" not in text
    assert "partly right" in text and "not right" in text


def test_regrade_is_consistent(graded):
    assert _scores(graded["course"]) == graded["scores_first"]
    assert _row_counts(graded["course"]) == graded["rows_first"]
    assert [(s.student, s.score) for s in graded["second"].submissions] == [(s.student, s.score) for s in graded["first"].submissions]


def test_nbgrader_sees_the_same_course(graded):
    """nbgrader's own API (as its CLI and formgrader use it) lists the essay for manual grading."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded['course'] / 'gradebook.db'}") as gb:
        nb = gb.find_notebook("mini", "mini")
        manual = [c.name for c in nb.grade_cells if c.cell_type == "markdown"]
        assert manual == ["caution-answer"]
        assert gb.find_submission("mini", "correct").needs_manual_grade


# --- shipped assignments --------------------------------------------------------------
SHIPPED = sorted((REPO / "assignments").glob("*.yaml"))


@pytest.fixture(scope="module")
def shipped_course(tmp_path_factory, jupyter_env):
    try:
        bank = load_bank()
    except Exception as exc:  # the shipped bank is still being written
        pytest.skip(f"the shipped question bank does not load: {str(exc).splitlines()[0]}")
    course = tmp_path_factory.mktemp("shipped")
    specs = [load_spec(p) for p in SHIPPED]
    built = build_assignments(specs, bank, course, timeout=60)
    return course, built


def test_at_least_four_shipped_assignments():
    assert len(SHIPPED) >= 4


def test_shipped_assignments_shape(shipped_course):
    _course, built = shipped_course
    for b in built:
        items = b.assignment.items
        bank_items = [i for i in items if isinstance(i, BankItem)]
        assert len(bank_items) >= 8, b.assignment.name
        assert len({i.question.type for i in bank_items}) >= 4, b.assignment.name
        assert any(isinstance(i, CodeItem) for i in items)
        assert any(type(i).__name__ == "EssayItem" for i in items)
        assert b.release is not None and b.release.is_file()


def test_shipped_solutions_score_full_marks(shipped_course):
    course, built = shipped_course
    for b in built:
        name = b.assignment.name
        folder = course / "submitted" / "instructor" / name
        folder.mkdir(parents=True)
        shutil.copy(b.source, folder / f"{name}.ipynb")
        summary = grade_assignment(course, name, progress=None)
        (sub,) = summary.submissions
        auto_max = sum(i.points for i in b.assignment.items if type(i).__name__ != "EssayItem")
        assert sub.status == "graded" and sub.score == pytest.approx(auto_max), (name, summary.render())
        assert sub.needs_manual == 1  # the essay waits for the instructor
