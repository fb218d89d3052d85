"""Grade files for LMS import: exact columns, no dropped rows, and a mapping file checked in one pass."""
from __future__ import annotations

import csv
import io

import pytest

from nukedu.assign.lms import GradeRow, canvas_csv, moodle_csv, nukedu_csv, parse_mapping, parts_csv, unmapped
from nukedu.errors import BankError

ROWS = [
    GradeRow(student="ana", status="graded", points=11.5, max_points=15, per_part={"q1-test": 1.0, "essay-answer": 3.0}),
    GradeRow(student="bo", status="needs manual grading", points=8, max_points=15, needs_manual=1, per_part={"q1-test": 1.0, "essay-answer": None}),
    GradeRow(student="cy", status="unreadable", points=0, max_points=15, reason="a1.ipynb: the notebook is not valid JSON",
             per_part={"q1-test": 0.0, "essay-answer": 0.0}),
]
MAPPING = "student,name,canvas_id,sis_user_id,sis_login_id,section,username,idnumber,email\n" \
          "ana,Ana Lysenko,101,S-1,ana.l,History A,ana.l,ID1,ana@school.example\n" \
          "bo,Bo Chan,102,S-2,bo.c,History B,bo.c,ID2,bo@school.example\n"


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_canvas_has_its_five_columns_then_the_assignment_and_keeps_every_student():
    rows = table(canvas_csv(ROWS, "a1-beginnings", parse_mapping(MAPPING, "m.csv")))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "a1-beginnings"]
    assert rows[1] == ["Points Possible", "", "", "", "", "15"]
    assert rows[2] == ["Ana Lysenko", "101", "S-1", "ana.l", "History A", "11.5"]
    assert rows[4][0] == "cy" and rows[4][-1] == "0"          # an unreadable submission is a row with 0, not a gap
    assert len(rows) == 2 + len(ROWS)


def test_canvas_without_a_mapping_matches_on_the_login_id():
    rows = table(canvas_csv(ROWS, "a1", None))
    assert rows[2][:4] == ["ana", "", "", "ana"]


@pytest.mark.parametrize("identifier, header, value", [("username", "Username", "ana.l"), ("idnumber", "ID number", "ID1"),
                                                        ("email", "Email address", "ana@school.example")])
def test_moodle_has_one_identifier_column_and_one_grade_column(identifier, header, value):
    rows = table(moodle_csv(ROWS, "a1", parse_mapping(MAPPING, "m.csv"), identifier))
    assert rows[0] == [header, "a1"] and rows[1] == [value, "11.5"]
    assert rows[3] == ["cy", "0"]   # not in the mapping: the course id, never a dropped row


def test_nukedu_and_parts_tables_carry_status_needs_manual_and_reason():
    rows = table(nukedu_csv(ROWS))
    assert rows[0] == ["student", "status", "points", "max_points", "needs_manual", "reason"]
    assert rows[3] == ["cy", "unreadable", "0", "15", "0", "a1.ipynb: the notebook is not valid JSON"]
    parts = table(parts_csv(ROWS, ["q1-test", "essay-answer"]))
    assert parts[0] == ["student", "status", "needs_manual", "points", "q1-test", "essay-answer"]
    assert parts[2] == ["bo", "needs manual grading", "1", "8", "1", ""]   # an essay still to grade is blank, not 0


def test_students_missing_from_the_mapping_are_listed():
    assert unmapped(ROWS, parse_mapping(MAPPING, "m.csv")) == ["cy"]


def test_every_mapping_problem_is_reported_at_once_with_file_line_and_column():
    text = "student,name,colour,name\nana,Ana\n,Nobody,x,y\nbo,Bo,x,y\nbo,Bo again,x,y\n"
    with pytest.raises(BankError) as err:
        parse_mapping(text, "students.csv")
    lines = str(err.value).splitlines()
    assert "students.csv:1:3: colour: unknown column; expected some of student, name, canvas_id" in "\n".join(lines)
    assert any(line.startswith("students.csv:1:1: a column name appears twice") for line in lines)
    assert any(line.startswith("students.csv:2:1: expected 4 values, found 2") for line in lines)
    assert any(line.startswith("students.csv:3:1: student: empty student id") for line in lines)
    assert any(line.startswith("students.csv:5:1: student: 'bo' is also on line 4") for line in lines)


def test_a_mapping_without_a_student_column_or_empty_is_refused():
    with pytest.raises(BankError, match="no student column"):
        parse_mapping("name\nAna\n", "m.csv")
    with pytest.raises(BankError, match="the file is empty"):
        parse_mapping("", "m.csv")
