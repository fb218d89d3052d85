"""`nukedu assignment report` on a real graded course built from a shipped spec.

The class answers known letters, orders and texts; the report must count
exactly those, take every score from the gradebook as the grade files do
(hand scores included), leave out what could not be graded with a note, and
never be written where students get files.
"""
from __future__ import annotations

import csv
import io
import json
import re

import pytest

pytest.importorskip("nbgrader")

from nukedu.analysis.items import normalise_response  # noqa: E402
from nukedu.assign.keys import BankPartKey, load_key  # noqa: E402
from nukedu.assign.report import assignment_analysis, response_of  # noqa: E402
from nukedu.cli import main as cli  # noqa: E402

from .graded_class import sit, submit  # noqa: E402

pytestmark = pytest.mark.slow
STUDENTS = 14


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            mp.setenv(name, str(base / name.lower()))
        course = base / "course"
        cls = sit(course, STUDENTS, extra={"broken": {}})
        first = next(i for i in cls.items if i.number == 1)
        matching = next(i for i in cls.items if i.name in cls.views and cls.views[i.name].kind == "matching")
        # a student who writes the letter in lower case, one who spreads a dict over lines (the grader keeps only
        # its first line), and one whose notebook cannot be read
        submit(course, cls.name, "lower", cls.release, {"q1-answer": f"answer_q1 = {cls.views[first.name].correct.lower()!r}"})
        spread = {k: v for k, v in reversed(list(cls.views[matching.name].correct.items()))}
        lines = ",\n".join(f"    {k}: {v!r}" for k, v in spread.items())
        submit(course, cls.name, "multiline", cls.release, {f"{matching.name}-answer": f"{matching.variable} = {{\n{lines}\n}}"})
        (course / "submitted" / "broken" / cls.name / f"{cls.name}.ipynb").write_text("{", encoding="utf-8")
        from nukedu.assign.grade import grade_assignment
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            gb.add_student("ghost", first_name="Never", last_name="Submitted")
        grade_assignment(course, cls.name, jobs=2, timeout=10)
        cls.given["lower"] = {first.name: cls.views[first.name].correct}
        cls.given["multiline"] = {matching.name: spread}
        yield cls


def test_the_options_counted_are_the_ones_students_wrote(graded):
    a = assignment_analysis(graded.course, graded.name)
    key = load_key(graded.course, graded.name)
    analysed = sorted(graded.given)
    assert a.test.students == len(analysed) == STUDENTS + 2
    for s, part in zip(a.items, key.parts):
        if not isinstance(part, BankPartKey):
            continue
        written = [graded.given[st].get(part.name) for st in analysed]
        assert s.blank == sum(v is None for v in written), part.name
        if part.kind == "single":
            counts = {o.choice: o.count for o in s.options}
            assert counts == {c: sum(v == c for v in written) for c in part.choices}, part.name
            assert [o.is_key for o in s.options] == [c == part.key["answer"] for c in part.choices]
            assert all(o.label == f"{c}. {t}" for o, c, t in zip(s.options, part.choices, part.texts))
        if part.kind in ("ordering", "matching"):
            key_value = response_of(part.kind, graded.views[part.name].correct)
            wrong = [response_of(part.kind, v) for v in written if v is not None and response_of(part.kind, v) != key_value]
            assert sum(w.count for w in s.wrong) == len(wrong), part.name
            assert s.full_marks == sum(1 for v in written if v is not None and response_of(part.kind, v) == key_value)


def test_scores_are_those_of_the_grade_files(graded):
    a = assignment_analysis(graded.course, graded.name)
    rows = list(csv.DictReader(io.StringIO((graded.course / f"{graded.name}-parts.csv").read_text())))
    analysed = [r for r in rows if r["status"] in ("graded", "needs manual grading")]
    key = load_key(graded.course, graded.name)
    for s, part in zip(a.items, key.parts):
        given = [float(r[part.grade_id]) for r in analysed if r[part.grade_id] != ""]
        assert s.graded == len(given), part.name
        if given:
            assert s.mean_points == pytest.approx(sum(given) / len(given)), part.name


def test_what_could_not_be_graded_is_named_not_analysed(graded):
    a = assignment_analysis(graded.course, graded.name)
    assert "Not analysed (1 not submitted, 1 unreadable)" in a.notes[0]
    assert a.graded_at and a.test.students == STUDENTS + 2


def test_a_hand_score_counts_and_answers_are_counted_as_they_were_graded(graded, tmp_path):
    import shutil

    from nbgrader.api import Gradebook

    course = tmp_path / "course"
    shutil.copytree(graded.course, course, symlinks=True)
    key = load_key(course, graded.name)
    essay = next(p for p in key.parts if not isinstance(p, BankPartKey) and p.label.startswith("Essay"))
    before = assignment_analysis(course, graded.name)
    s = next(x for x in before.items if x.item.id == essay.name)
    assert s.graded == STUDENTS + 2 and s.facility == 0 and s.blank == STUDENTS + 2   # nobody wrote it: 0, nothing to grade
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:     # an instructor overrides a question's score in formgrader
        grade = gb.find_grade("q1-test", graded.name, graded.name, "s03")
        grade.manual_score, grade.needs_manual_grade = 0.5, False
        gb.db.commit()
    first = graded.views["q1"]
    # after grading, s06 hands in another letter and "multiline" another arrangement; neither is graded again
    matching = next(n for n, v in graded.views.items() if v.kind == "matching" and n in graded.given["multiline"])
    for student, part, source in (("s06", "q1", f"answer_q1 = {next(c for c in first.choices if c != graded.given['s06']['q1'])!r}"),
                                  ("multiline", matching, f"answer_{matching} = {{}}")):
        path = course / "submitted" / student / graded.name / f"{graded.name}.ipynb"
        nb = json.loads(path.read_text())
        next(c for c in nb["cells"] if c["id"] == f"{part}-answer")["source"] = source
        path.write_text(json.dumps(nb))
    after = assignment_analysis(course, graded.name)
    q1_before, q1_after = before.items[0], after.items[0]
    assert q1_after.options == q1_before.options and q1_after.unknown == 0     # the line the grader kept is what counts
    m_before, m_after = (next(x for x in a.items if x.item.id == matching) for a in (before, after))
    assert m_before.unknown == 0 and m_after.unknown == 1                      # only the notebook had it, and it changed
    assert "could not be read again" in " ".join(m_after.notes) and m_after.full_marks == m_before.full_marks
    expected = q1_before.mean_points * (STUDENTS + 2) - (1.0 if graded.given["s03"].get("q1") == first.correct else 0.0) + 0.5
    assert q1_after.mean_points == pytest.approx(expected / (STUDENTS + 2))


def test_the_command_writes_the_report_and_the_csv_and_prints_the_flags(graded, capsys):
    table = graded.course.parent / "items.csv"
    assert cli(["assignment", "report", graded.name, "--course", str(graded.course), "--csv", str(table)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Item analysis of Assignment 1: Difficult beginnings") and f"{STUDENTS + 2} students" in out
    assert "Essay 10: nobody answered it" in out
    page = (graded.course / f"{graded.name}-report.html").read_text(encoding="utf-8")
    key = load_key(graded.course, graded.name)
    assert page.count("Plotly.newPlot(") == 2 + len(key.parts)
    assert page.count('<script type="text/javascript">') == 1                        # plotly.js once, inline
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)                  # nothing to fetch: opens offline
    assert page.count('<section class="nukedu-section"') == 2 + len(key.parts)
    single = next(p for p in key.parts if isinstance(p, BankPartKey) and p.kind == "single")
    assert single.prompt and single.prompt.replace("'", "&#x27;") in page
    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert [r["item"] for r in rows] == [p.name for p in key.parts]
    assert all(r["facility"] for r in rows)


def test_the_report_is_never_written_where_students_get_files(graded, capsys):
    for folder in ("release", "feedback", "source"):
        target = graded.course / folder / "items.html"
        assert cli(["assignment", "report", graded.name, "--course", str(graded.course), "--out", str(target)]) == 1
        assert "shows the answer keys" in capsys.readouterr().err and not target.exists()
    assert cli(["assignment", "report", graded.name, "--course", str(graded.course),
                "--csv", str(graded.course / "release" / graded.name / "x.csv")]) == 1
    assert "handed to students" in capsys.readouterr().err


def test_clear_errors_for_an_unknown_or_ungraded_assignment(graded, tmp_path, capsys):
    assert cli(["assignment", "report", "nope", "--course", str(graded.course)]) == 1
    err = capsys.readouterr().err
    assert "no answer key for 'nope'" in err and "Traceback" not in err
    import shutil

    course = tmp_path / "c"
    shutil.copytree(graded.course, course, symlinks=True)
    shutil.rmtree(course / "nukedu" / graded.name / "results")
    assert cli(["assignment", "report", graded.name, "--course", str(course)]) == 1
    assert f"'{graded.name}' has not been graded yet" in capsys.readouterr().err


def test_a_key_without_texts_still_reports_with_letters_and_says_why(graded, tmp_path):
    import shutil

    course = tmp_path / "old"
    shutil.copytree(graded.course, course, symlinks=True)
    path = course / "nukedu" / graded.name / "key.json"
    data = json.loads(path.read_text())
    for part in data["parts"]:
        for name in ("prompt", "texts", "lefts"):
            part.pop(name, None)
    path.write_text(json.dumps(data))
    a = assignment_analysis(course, graded.name)
    assert any("older nukedu" in n for n in a.notes)
    single = next(s for s in a.items if s.item.kind == "single")
    assert [o.label for o in single.options] == list(single.item.choices)


def test_letters_are_compared_as_the_grader_compares_them():
    assert response_of("single", " b ") == "B"
    assert response_of("matching", {1: "b", "2": " a"}) == normalise_response("matching", {"1": "B", "2": "A"})
    assert response_of("ordering", ["c", "A"]) == ("C", "A")
