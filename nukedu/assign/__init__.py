"""Gradeable nbgrader assignments built from short YAML specs, and a grader students cannot game.

Building (`spec` → `notebook` → `build`) writes an nbgrader course and, outside
what nbgrader releases, each assignment's answer key (`keys`). Grading
(`grade`) never runs a student's answer cells: `answers` reads values from
their text, `trusted` marks them with the same pure functions the nbgrader
test cells use (`runtime`), and only code tasks run, in a `sandbox`. Results
go into nbgrader's gradebook (`gradebook`), the notebook formgrader shows
(`autograded`), per-student HTML feedback (`feedback_html`) and CSV files for
an LMS (`lms`). `leaks` finds answers one part of an assignment gives away.

`spec`, `runtime`, `answers`, `keys` and `lms` are light; the rest import
nbformat or nbgrader inside their functions, so `import nukedu` never pays.
"""
from __future__ import annotations

__all__: list[str] = []
