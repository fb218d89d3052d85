"""Grading a real course with the trusted grader: the fault matrix, a hostile class, regrading, feedback, files.

One course (the mini spec on the small bank) is built and graded per module;
every student below hands in the release notebook with some answers filled
in. Hostile students try what the issue lists and what else we thought of;
none may earn more than an honest student with the same answers, change a
classmate's grade, or stop the run.
"""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("nbgrader")

from nukedu import load_bank  # noqa: E402
from nukedu.assign.build import build_assignments  # noqa: E402
from nukedu.assign.grade import grade_assignment, refresh  # noqa: E402
from nukedu.assign.notebook import letter_view  # noqa: E402
from nukedu.assign.spec import BankItem, CodeItem, load_spec, resolve  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
MINI_BANK = REPO / "tests" / "data" / "mini_bank"
MINI_SPEC = REPO / "tests" / "data" / "assign" / "mini.yaml"
TIMEOUT = 3

pytestmark = pytest.mark.slow

AUTO = ("q1-test", "q2-test", "q3-test", "q4-test", "q5-test", "q6-test", "q7-test", "milestones-test")
FULL = {"q1-test": 1, "q2-test": 1, "q3-test": 1, "q4-test": 1, "q5-test": 2, "q6-test": 2, "q7-test": 2, "milestones-test": 2}


@pytest.fixture(scope="module")
def jupyter_env(tmp_path_factory):
    """Keep Jupyter's config, data and runtime files out of the home directory."""
    base = tmp_path_factory.mktemp("jupyter")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            mp.setenv(name, str(base / name.lower()))
        yield


def answers_for(assignment, seed: int) -> dict[str, str]:
    """Each answer cell's id and a correct source for it."""
    out = {}
    for item in assignment.items:
        if isinstance(item, BankItem):
            out[f"{item.name}-answer"] = f"{item.variable} = {letter_view(item, seed).correct!r}"
        elif isinstance(item, CodeItem):
            out[f"{item.name}-answer"] = item.part.solution
    return out


def submit(course: Path, name: str, student: str, nb: dict | None, filename: str | None = None) -> None:
    folder = course / "submitted" / student / name
    folder.mkdir(parents=True, exist_ok=True)
    if nb is not None:
        (folder / (filename or f"{name}.ipynb")).write_text(json.dumps(nb), encoding="utf-8")


def edited(release: dict, changes: dict[str, str | None]) -> dict:
    nb = json.loads(json.dumps(release))
    for cell_id, source in changes.items():
        if source is None:
            nb["cells"] = [c for c in nb["cells"] if c.get("id") != cell_id]
        else:
            next(c for c in nb["cells"] if c.get("id") == cell_id)["source"] = source
    return nb


# What a hostile student writes in the code task, with every bank answer wrong (so an honest
# student with those answers scores 0 there), and what they are after.
CODE_ATTACKS = {
    "kill-grader": "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos.kill(1, signal.SIGKILL)\nos.kill(-1, signal.SIGKILL)",
    "kill-group": "import os, signal\nos.killpg(0, signal.SIGKILL)",
    "exit": "import os\nos._exit(0)",
    "read-keys": ("import glob, os\nfound = glob.glob('/**/key.json', recursive=True) + glob.glob('../../../source/**', recursive=True)\n"
                  "years_nacc_to_charter = len(found)\nprint(found)"),
    "wreck-classmate": ("import os, shutil, glob\nfor p in glob.glob('/**/submitted/*', recursive=True): shutil.rmtree(p, ignore_errors=True)\n"
                        "os.system('rm -rf ../../../submitted ../../../gradebook.db')\n"
                        "import sqlite3\nfor p in glob.glob('/**/gradebook.db', recursive=True):\n"
                        "    c = sqlite3.connect(p); c.execute('UPDATE grade SET manual_score = max_score'); c.commit()"),
    "fork-bomb": "import os\ntry:\n    while True:\n        os.fork()\nexcept OSError:\n    pass\nyears_nacc_to_charter = 6",
    "loop": "while True:\n    pass",
    "flood": "print('x' * 10_000_000)\nyears_nacc_to_charter = 6",
    "daemon": "import os, time\nif os.fork() == 0:\n    os.setsid()\n    time.sleep(60)\nyears_nacc_to_charter = 6",
    "fake-type": ("class Six(int):\n    def __eq__(self, other): return True\n"
                  "years_nacc_to_charter = Six(5)\nevents_per_era = {'x': Six(0)}"),
}
# In answer cells: code that would fool nbgrader in the student's own kernel. Each keeps the wrong answers.
CELL_ATTACKS = {
    "patch-grade": "import nukedu.assign.runtime as r\nr.grade = lambda *a, **k: 1.0\nr.check = lambda *a, **k: None\n",
    "patch-modules": "import sys, types\nsys.modules['nukedu.assign.runtime'] = types.SimpleNamespace(grade=lambda *a: 1, check=lambda *a, **k: None)\n",
    "patch-score": "import nukedu.scoring as s\ns.score = lambda q, r: None\n",
    "quiet-kernel": "get_ipython().ast_node_interactivity = 'none'\n",
    "formatter": "get_ipython().display_formatter.formatters['text/plain'].for_type(float, lambda *a: 'x')\n",
    "patch-max": "import builtins\nbuiltins.max = lambda *a, **k: 10**9\n",
    "read-source": "import json\nanswer_q1 = json.load(open('../../../source/mini/mini.ipynb'))['cells'][3]['source'][-2]\n",
    "evil-str": "class S(str):\n    def __eq__(self, other): return True\n    __hash__ = str.__hash__\nanswer_q1 = S('Z')\n",
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory, jupyter_env):
    course = tmp_path_factory.mktemp("course")
    bank = load_bank(MINI_BANK)
    spec = load_spec(MINI_SPEC)
    build_assignments([spec], bank, course, bank_path=MINI_BANK, timeout=TIMEOUT)
    assignment = resolve(spec, bank)
    views = {i.name: letter_view(i, spec.seed) for i in assignment.items if isinstance(i, BankItem)}
    release = json.loads((course / "release" / "mini" / "mini.ipynb").read_text())
    right = {**answers_for(assignment, spec.seed), "caution-answer": "The 1994 assurances did not stop aggression."}
    wrong = {}
    for n, v in views.items():
        if v.kind == "single":
            bad = next(c for c in v.choices if c != v.correct)
        elif v.kind == "multiple":
            bad = [c for c in v.choices if c not in v.correct]
        elif v.kind == "true_false":
            bad = not v.correct
        elif v.kind == "numeric":
            bad = v.correct + 5
        elif v.kind == "ordering":
            bad = list(reversed(v.correct))
        elif v.kind == "matching":
            bad = {k: next(c for c in v.choices if c != x) for k, x in v.correct.items()}
        else:
            bad = "Nowhere"
        wrong[f"{n}-answer"] = f"answer_{n} = {bad!r}"
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
    submit(course, "mini", "correct", edited(release, right))
    # what `nbgrader collect` leaves beside a notebook from the exchange
    (course / "submitted" / "correct" / "mini" / "timestamp.txt").write_text("2026-12-05 10:00:00.000000 UTC")
    (course / "submitted" / "correct" / "mini" / "submission_secret.txt").write_text("s3cr3t")
    submit(course, "mini", "partial", edited(release, {**right, **partial}))
    submit(course, "mini", "untouched", release)
    submit(course, "mini", "loop", edited(release, {**right, "q1-answer": "while True:\n    pass"}))
    submit(course, "mini", "syntax", edited(release, {**right, "q4-answer": "answer_q4 = (1997"}))
    submit(course, "mini", "deleted-test", edited(release, {**right, "q7-test": None}))
    submit(course, "mini", "edited-test", edited(release, {**right, "q3-answer": f"answer_q3 = {not views['q3'].correct}", "q3-test": "1.0"}))
    submit(course, "mini", "missing", None)
    (course / "submitted" / "missing" / "mini" / "notes.txt").write_text("I forgot the notebook\n")
    submit(course, "mini", "renamed", edited(release, right), filename="mini-Copy1.ipynb")
    submit(course, "mini", "wrong", edited(release, wrong))
    (course / "submitted" / "broken" / "mini").mkdir(parents=True)
    (course / "submitted" / "broken" / "mini" / "mini.ipynb").write_text('{"cells": [')
    (course / "submitted" / "linked" / "mini").mkdir(parents=True)
    os.symlink(course / "source" / "mini" / "mini.ipynb", course / "submitted" / "linked" / "mini" / "mini.ipynb")
    for name, code in CODE_ATTACKS.items():
        submit(course, "mini", f"code-{name}", edited(release, {**wrong, "milestones-answer": code}))
    for name, code in CELL_ATTACKS.items():
        changes = dict(wrong)
        changes["q1-answer"] = code + ("" if "answer_q1" in code else wrong["q1-answer"])
        submit(course, "mini", f"cell-{name}", edited(release, changes))
    meta = edited(release, wrong)   # tampered metadata: a claimed test cell, a renamed id, flipped flags
    for cell in meta["cells"]:
        nbg = cell.get("metadata", {}).get("nbgrader")
        if nbg and cell["id"] == "q1-answer":
            nbg.update(grade=True, points=100, grade_id="bonus")
        if nbg and cell["id"] == "q2-test":
            nbg.update(points=100, grade=False)
    meta["cells"].append({"cell_type": "code", "id": "extra", "execution_count": None, "outputs": [], "source": "100",
                          "metadata": {"nbgrader": {"grade": True, "solution": False, "points": 50, "grade_id": "extra-test", "locked": True}}})
    submit(course, "mini", "meta-tamper", meta)
    submit(course, "mini", "xss", edited(release, {**wrong, "caution-answer":
        "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script> [click](javascript:alert(1)) "
        "$\\href{javascript:alert(1)}{x}$ and a real argument about assurances."}))
    submit(course, "mini", "huge-literal", edited(release, {**wrong, "q1-answer": "answer_q1 = " + "[" * 150 + "]" * 150}))

    before = {p: p.read_bytes() for p in (course / "submitted").rglob("*.ipynb") if p.is_file() and not p.is_symlink()}
    first = grade_assignment(course, "mini", jobs=2, timeout=TIMEOUT)
    scores_first = _scores(course)
    rows_first = _row_counts(course)
    second = grade_assignment(course, "mini", jobs=1, timeout=TIMEOUT)
    after = {p: p.read_bytes() for p in before if p.is_file()}
    return {"course": course, "first": first, "second": second, "views": views, "scores_first": scores_first,
            "rows_first": rows_first, "release": release, "right": right, "wrong": wrong, "before": before, "after": after}


def _scores(course: Path) -> dict[str, dict[str, float | None]]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        out = {}
        for sub in gb.find_assignment("mini").submissions:
            out[sub.student.id] = {g.name: (round(g.score, 4) if g.auto_score is not None or g.manual_score is not None else None)
                                   for nb in sub.notebooks for g in nb.grades}
        return out


def _row_counts(course: Path) -> dict[str, int]:
    from nbgrader.api import Grade, Gradebook, SubmittedAssignment, SubmittedNotebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {t.__name__: gb.db.query(t).count() for t in (Grade, SubmittedAssignment, SubmittedNotebook)}


def _auto(scores: dict[str, float | None]) -> float:
    return round(sum(v or 0 for k, v in scores.items() if k in FULL), 4)


EXPECTED_TOTALS = {
    "correct": 12.0,
    "partial": round(0 + 0.6667 + 1 + 0 + 1.3333 + 1.3333 + 0 + 1, 4),
    "untouched": 0.0,
    "loop": 11.0,
    "syntax": 11.0,
    "deleted-test": 12.0,
    "edited-test": 11.0,
    "missing": 0.0,
    "renamed": 12.0,
    "wrong": 0.0,
    "broken": 0.0,
    "linked": 0.0,
}


def test_fault_matrix_exact_points(graded):
    scores = _scores(graded["course"])
    assert {s: _auto(v) for s, v in scores.items() if s in EXPECTED_TOTALS} == EXPECTED_TOTALS
    partial = scores["partial"]
    assert partial["q2-test"] == 0.6667 and partial["q5-test"] == 1.3333 and partial["q6-test"] == 1.3333
    assert partial["milestones-test"] == 1.0 and partial["q1-test"] == 0 and partial["q7-test"] == 0
    assert scores["loop"]["q1-test"] == 0 and scores["loop"]["q2-test"] == 1
    assert scores["syntax"]["q4-test"] == 0 and scores["syntax"]["q5-test"] == 2
    assert scores["edited-test"]["q3-test"] == 0
    assert scores["correct"]["caution-answer"] is None       # waits for the instructor
    assert scores["untouched"]["caution-answer"] == 0        # a blank essay is 0, not a chore


def test_hostile_students_earn_no_more_than_honest_wrong_answers(graded):
    scores = _scores(graded["course"])
    honest = scores["wrong"]
    assert _auto(honest) == 0
    for student in [f"code-{n}" for n in CODE_ATTACKS] + [f"cell-{n}" for n in CELL_ATTACKS] + ["meta-tamper", "xss", "huge-literal"]:
        got = scores[student]
        extra = set(got) - set(honest)
        assert not extra, (student, extra)
        for gid in AUTO:
            limit = honest[gid]
            if student in ("code-fork-bomb", "code-flood", "code-daemon") and gid == "milestones-test":
                limit = 1.0    # they also computed years_nacc_to_charter = 6 honestly: half the task
            assert (got[gid] or 0) <= limit, (student, gid, got[gid])


def test_no_classmate_is_harmed_and_every_student_has_a_row(graded):
    course = graded["course"]
    assert graded["after"] == graded["before"]                       # every submission still there, unchanged
    assert (course / "gradebook.db").is_file()
    rows = {r.student: r for r in graded["first"].rows}
    assert set(rows) == {p.name for p in (course / "submitted").iterdir()}
    assert rows["correct"].points == 12 and rows["correct"].status == "needs manual grading"
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:   # nobody's UPDATE reached the gradebook
        for sub in gb.find_assignment("mini").submissions:
            for nb in sub.notebooks:
                assert all(g.manual_score is None for g in nb.grades), sub.student.id


def test_statuses_and_reasons_in_words(graded):
    rows = {r.student: r for r in graded["first"].rows}
    assert rows["missing"].status == "no notebook" and "no mini.ipynb in the submission" in rows["missing"].reason
    assert "notes.txt" in rows["missing"].reason
    assert rows["renamed"].status == "needs manual grading" and "graded mini-Copy1.ipynb instead of mini.ipynb" in rows["renamed"].reason
    assert rows["broken"].status == "unreadable" and "not valid JSON" in rows["broken"].reason
    assert rows["linked"].status == "unreadable" and "is a link" in rows["linked"].reason
    assert rows["untouched"].status == "graded"
    text = graded["first"].render()
    assert "broken: unreadable, 0 / 15" in text and "mini-Copy1.ipynb" in text


def test_code_attacks_are_reported_to_the_student(graded):
    results = {r.student: r for r in graded["first"].results}

    def task(student):
        return next(p for p in results[student].parts if p.kind == "code")
    assert "time limit" in task("code-loop").lines[0] or "stopped after" in task("code-loop").lines[0]
    assert "os._exit" in " ".join(task("code-exit").lines) or "ended" in " ".join(task("code-exit").lines)
    assert "output cut" in task("code-flood").output or len(task("code-flood").output) < 100_000
    assert task("code-read-keys").points == 0


def test_regrade_is_consistent(graded):
    assert _scores(graded["course"]) == graded["scores_first"]
    assert _row_counts(graded["course"]) == graded["rows_first"]
    assert [(r.student, r.points, r.status) for r in graded["second"].rows] == [(r.student, r.points, r.status) for r in graded["first"].rows]


def test_release_notebook_carries_no_key_and_no_bank_ids(graded):
    text = json.dumps(graded["release"])
    for q in load_bank(MINI_BANK).questions:
        assert q.id not in text
    assert "HIDDEN" not in text and "grade(" not in text and "questions" not in json.dumps(graded["release"]["metadata"])
    course = graded["course"]
    assert not any("key" in p.name for p in (course / "release").rglob("*"))


def test_feedback_shows_verdicts_and_the_students_own_answers_but_no_key(graded):
    course, views = graded["course"], graded["views"]
    made = sorted(p.parent.parent.name for p in (course / "feedback").glob("*/mini/mini.html"))
    assert made == sorted(p.name for p in (course / "submitted").iterdir())
    for student in ("partial", "wrong", "untouched", "cell-read-source"):
        text = (course / "feedback" / student / "mini" / "mini.html").read_text()
        for leak in ("HIDDEN TESTS", "grade(globals()", "secrets", "Bydgoszcz", "too low by", "too high by", "beginnings"):
            assert leak not in text, (student, leak)
        for name in ("q1", "q2", "q5", "q6"):
            assert f"answer_{name} = {views[name].correct!r}" not in text or student == "correct"
    partial = (course / "feedback" / "partial" / "mini" / "mini.html").read_text()
    assert "partly right" in partial and "not right" in partial and "Score: 5.333 of 15 points" in partial
    assert "Content-Security-Policy" in partial
    broken = (course / "feedback" / "broken" / "mini" / "mini.html").read_text()
    assert "could not be graded" in broken and "not valid JSON" in broken


def test_student_markup_is_inert_in_feedback_and_in_what_formgrader_shows(graded):
    course = graded["course"]
    feedback = (course / "feedback" / "xss" / "mini" / "mini.html").read_text()
    assert "<img" not in feedback and "<script>document" not in feedback and "&lt;img" in feedback
    nb = json.loads((course / "autograded" / "xss" / "mini" / "mini.ipynb").read_text())
    essay = "".join(next(c for c in nb["cells"] if c["id"] == "caution-answer")["source"])
    assert "<img" not in essay and "<script" not in essay and "](javascript" not in essay and "$" not in essay and "\\href" not in essay
    for cell in nb["cells"]:    # nothing the student's notebook displayed is kept
        for out in cell.get("outputs", []):
            assert out["output_type"] == "stream"


def test_autograded_notebooks_restore_locked_cells(graded):
    course = graded["course"]
    nb = json.loads((course / "autograded" / "edited-test" / "mini" / "mini.ipynb").read_text())
    test = "".join(next(c for c in nb["cells"] if c["id"] == "q3-test")["source"])
    assert "check(globals()" in test and test.strip() != "1.0"
    assert not (course / "autograded" / "broken" / "mini").exists()


def test_grade_files_have_a_row_per_student(graded):
    course = graded["course"]
    rows = list(csv.DictReader(io.StringIO((course / "mini-grades.csv").read_text())))
    assert {r["student"] for r in rows} == {p.name for p in (course / "submitted").iterdir()}
    broken = next(r for r in rows if r["student"] == "broken")
    assert broken["status"] == "unreadable" and broken["points"] == "0" and "not valid JSON" in broken["reason"]
    parts = list(csv.DictReader(io.StringIO((course / "mini-parts.csv").read_text())))
    correct = next(r for r in parts if r["student"] == "correct")
    assert correct["q5-test"] == "2" and correct["caution-answer"] == "" and correct["needs_manual"] == "1"


def test_nbgrader_export_and_formgrader_queries_see_our_grades(graded):
    course = graded["course"]
    refresh(course, "mini", formats=["nbgrader"])
    exported = {r["student_id"]: r for r in csv.DictReader(io.StringIO((course / "mini-nbgrader-export.csv").read_text()))}
    ours = {r.student: r for r in graded["second"].rows}
    for student, row in ours.items():
        assert float(exported[student]["raw_score"]) == pytest.approx(row.points), student
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission("mini", "correct").needs_manual_grade
        assert not gb.find_submission("mini", "untouched").needs_manual_grade


def test_hand_grades_survive_regrading_and_reach_feedback_and_exports(graded, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(graded["course"], course, symlinks=True)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:   # what formgrader does when the instructor saves a score
        grade = gb.find_grade("caution-answer", "mini", "mini", "correct")
        grade.manual_score, grade.needs_manual_grade = 2.5, False
        gb.find_comment("caution-answer", "mini", "mini", "correct").manual_comment = "Good <b>point</b>."
        gb.db.commit()
    summary = refresh(course, "mini", formats=["nukedu", "canvas"])
    row = next(r for r in summary.rows if r.student == "correct")
    assert row.points == 14.5 and row.status == "graded"
    page = (course / "feedback" / "correct" / "mini" / "mini.html").read_text()
    assert "graded by your instructor, 2.5 of 3 points" in page and "Good &lt;b&gt;point&lt;/b&gt;." in page
    canvas = list(csv.reader(io.StringIO((course / "mini-canvas.csv").read_text())))
    assert ["correct", "", "", "correct", "", "14.5"] in canvas
    regraded = grade_assignment(course, "mini", jobs=1, timeout=TIMEOUT)
    assert next(r for r in regraded.rows if r.student == "correct").points == 14.5
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("caution-answer", "mini", "mini", "correct")
        assert grade.manual_score == 2.5 and not grade.needs_manual_grade
    # the student changes the essay and submits again: listed again, old score kept for reference
    path = course / "submitted" / "correct" / "mini" / "mini.ipynb"
    nb = json.loads(path.read_text())
    next(c for c in nb["cells"] if c["id"] == "caution-answer")["source"] = "A new, longer essay about assurances."
    path.write_text(json.dumps(nb))
    again = grade_assignment(course, "mini", jobs=1, timeout=TIMEOUT)
    assert next(r for r in again.rows if r.student == "correct").status == "needs manual grading"
    assert ("correct", "caution-answer") in again.changed_essays
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        grade = gb.find_grade("caution-answer", "mini", "mini", "correct")
        assert grade.manual_score == 2.5 and grade.needs_manual_grade
    # then the notebook breaks: every score goes to 0, the stale hand score and feedback go with it
    path.write_text("{")
    broken = grade_assignment(course, "mini", jobs=1, timeout=TIMEOUT)
    row = next(r for r in broken.rows if r.student == "correct")
    assert row.points == 0 and row.status == "unreadable"
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_grade("caution-answer", "mini", "mini", "correct").manual_score is None
    assert "could not be graded" in (course / "feedback" / "correct" / "mini" / "mini.html").read_text()
    assert not (course / "autograded" / "correct" / "mini").exists()


# --- parity with real nbgrader autograde on honest submissions ------------------------------------
def test_scores_equal_real_nbgrader_autograde_cell_by_cell(graded, tmp_path):
    """The same honest submissions through `nbgrader autograde` (in the student's kernel) and through our grader."""
    from nukedu.assign import _nbgrader

    source = graded["course"]
    course = tmp_path / "parity"
    course.mkdir()
    for part in ("nbgrader_config.py", "source", "release", "nukedu", "gradebook.db"):
        src = source / part
        (shutil.copytree if src.is_dir() else shutil.copy)(src, course / part)
    release, right, views = graded["release"], graded["right"], graded["views"]
    variants = {   # every accepted form of an answer, and honest wrong or blank ones
        "correct": right,
        "forms": {**right,
                  "q1-answer": f"answer_q1 = {views['q1'].correct.lower()!r}",
                  "q2-answer": f"answer_q2 = {tuple(x.lower() for x in views['q2'].correct)!r}",
                  "q4-answer": f"answer_q4 = {float(views['q4'].correct)!r}",
                  "q5-answer": "answer_q5 = " + repr({str(k): v.lower() for k, v in views['q5'].correct.items()}),
                  "q7-answer": 'answer_q7 = "bydgoszcz, poland"'},
        "wrong": {**graded["wrong"], "milestones-answer": "years_nacc_to_charter = 7\nevents_per_era = {}"},
        "blank": {},
    }
    for student, changes in variants.items():
        submit(course, "mini", student, edited(release, changes))
    with _nbgrader.session(course, **{"Execute.timeout": 30}) as api:
        for student in variants:
            assert api.autograde("mini", student, force=True, create=True)["success"], student
    nbgrader_scores = _scores(course)
    grade_assignment(course, "mini", jobs=1, timeout=10)
    ours = _scores(course)
    for student in variants:
        for gid in AUTO:
            assert ours[student][gid] == nbgrader_scores[student][gid], (student, gid)
    assert nbgrader_scores["forms"] == {**nbgrader_scores["correct"], "caution-answer": nbgrader_scores["forms"]["caution-answer"]}


# --- shipped assignments -------------------------------------------------------------------------
SHIPPED = sorted((REPO / "assignments").glob("*.yaml"))


@pytest.fixture(scope="module")
def shipped_course(tmp_path_factory, jupyter_env):
    course = tmp_path_factory.mktemp("shipped")
    built = build_assignments([load_spec(p) for p in SHIPPED], load_bank(), course, timeout=60)
    return course, built


def test_at_least_four_shipped_assignments_with_no_answer_given_away(shipped_course):
    _course, built = shipped_course
    assert len(built) >= 4
    for b in built:
        items = b.assignment.items
        assert len([i for i in items if isinstance(i, BankItem)]) >= 8, b.assignment.name
        assert any(isinstance(i, CodeItem) for i in items) and any(type(i).__name__ == "EssayItem" for i in items)
        assert b.release is not None and b.release.is_file() and b.key is not None and b.key.is_file()
        assert b.warnings == (), b.warnings


def test_shipped_solutions_score_full_marks(shipped_course):
    course, built = shipped_course
    for b in built:
        name = b.assignment.name
        solved = json.loads(b.source.read_text())
        submit(course, name, "instructor", solved)
        summary = grade_assignment(course, name, jobs=1)
        (row,) = summary.rows
        auto_max = sum(i.points for i in b.assignment.items if type(i).__name__ != "EssayItem")
        assert row.status == "needs manual grading" and row.points == pytest.approx(auto_max), (name, summary.render())
        assert row.needs_manual == 1


def test_the_command_line_grades_and_writes_lms_files(graded, tmp_path):
    import subprocess
    import sys

    course = tmp_path / "course"
    shutil.copytree(graded["course"], course, symlinks=True)
    mapping = tmp_path / "students.csv"
    mapping.write_text("student,name,canvas_id,username\ncorrect,Olena Koval,5001,okoval\n")
    result = subprocess.run([sys.executable, "-m", "nukedu", "assignment", "grade", "mini", "--course", str(course), "--jobs", "2",
                             "--timeout", "3", "--format", "canvas", "--format", "moodle", "--students", str(mapping), "--quiet"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "Assignment mini:" in result.stdout and "broken: unreadable, 0 / 15" in result.stdout
    assert "are not in the mapping file" in result.stdout and "Traceback" not in result.stderr
    canvas = list(csv.reader(io.StringIO((course / "mini-canvas.csv").read_text())))
    assert ["Olena Koval", "5001", "", "", "", "12"] in canvas and len(canvas) == 2 + len(graded["first"].rows)
    moodle = list(csv.reader(io.StringIO((course / "mini-moodle.csv").read_text())))
    assert moodle[0] == ["Username", "mini"] and ["okoval", "12"] in moodle


def test_weaker_isolation_is_announced_loudly(graded, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(graded["course"], course, symlinks=True)
    for student in list((course / "submitted").iterdir()):
        if student.name not in ("correct", "partial"):
            shutil.rmtree(student)
    summary = grade_assignment(course, "mini", jobs=1, timeout=TIMEOUT, isolation="limits-only")
    text = summary.render()
    assert summary.warnings and text.startswith("WARNING: code tasks run without namespaces") and "WARNING: WARNING" not in text
    assert next(r for r in summary.rows if r.student == "correct").points == 12


def test_build_warns_when_one_part_gives_another_away(tmp_path):
    import subprocess
    import sys

    spec = tmp_path / "leaky.yaml"
    spec.write_text("title: Leaky\ninstructions: Answer.\nseed: 3\nparts:\n  - questions: {ids: [sample-single, sample-numeric]}\n"
                    "  - essay:\n      prompt: Why?\n      rubric:\n        - {criterion: Says what happened in 1997, points: 1}\n")
    result = subprocess.run([sys.executable, "-m", "nukedu", "assignment", "build", str(spec), "--course", str(tmp_path / "c"),
                             "--bank", str(MINI_BANK)], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "jc")})
    assert result.returncode == 0, result.stderr
    assert f"warning: {spec}: Essay 3 (rubric) gives away the answer to Question 2 ('1997')" in result.stderr
    assert "(key: " in result.stdout


def test_feedback_keeps_what_nbgrader_release_feedback_needs(graded):
    """`nbgrader release_feedback` reads timestamp.txt and submission_secret.txt beside each feedback page."""
    course = graded["course"]
    folder = course / "feedback" / "correct" / "mini"
    assert (folder / "timestamp.txt").read_text() == "2026-12-05 10:00:00.000000 UTC"
    assert (folder / "submission_secret.txt").read_text() == "s3cr3t"
    assert not (course / "feedback" / "partial" / "mini" / "timestamp.txt").exists()  # none made up where none came
