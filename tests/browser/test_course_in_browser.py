"""A student opens the first lesson of the course in JupyterLab and answers its first embedded question."""
from __future__ import annotations

import ast
import json
import re

import pytest

from ..conftest import REPO
from .conftest import open_and_run_all

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = "course/01-beginnings.ipynb"


def first_asked_question():
    """The question of the lesson's first `nukedu.ask(...)` cell and the text of its right answer."""
    import nukedu

    nb = json.loads((REPO / LESSON).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "ask":
                question = nukedu.load_bank().question(ast.literal_eval(node.args[0]))
                if question.type == "true_false":
                    return question, "True" if question.answer else "False"
                assert question.type == "single", "the first question of lesson 1 must be answerable by one click"
                return question, question.answer
    pytest.fail(f"{LESSON} has no nukedu.ask cell")


def test_student_answers_the_first_lesson_question(lab, page, tmp_path):
    from playwright.sync_api import expect

    question, right = first_asked_question()
    open_and_run_all(page, lab, LESSON)
    card = page.locator(".nukedu-card").filter(has_text=question.prompt).first
    card.wait_for(timeout=90_000)
    card.scroll_into_view_if_needed()
    expect(card.locator(".nukedu-feedback")).to_have_text("")
    card.locator(".nukedu-option label").filter(has_text=re.compile(rf"^\s*{re.escape(right)}\s*$")).click()
    card.locator("button.nukedu-check").click()
    feedback = card.locator(".nukedu-feedback")
    expect(feedback).to_contain_text("Correct")
    expect(feedback).to_contain_text(f"line {question.sources[0].line}")
    # the rest of the lesson rendered too: the timeline chart and the end-of-lesson quiz
    expect(page.locator(".js-plotly-plot").first).to_be_attached(timeout=90_000)
    expect(page.locator(".nukedu-quiz").first).to_be_attached()
    page.screenshot(path=str(tmp_path / "lesson-01.png"), full_page=True)
    assert (tmp_path / "lesson-01.png").stat().st_size > 10_000
