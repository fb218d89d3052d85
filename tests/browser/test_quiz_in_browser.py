"""A student answers a quiz question in JupyterLab in a real browser."""
from __future__ import annotations

import pytest

from ..conftest import MINI_BANK
from .conftest import open_and_run_all, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_answer_and_check_shows_feedback(lab, page, tmp_path):
    from playwright.sync_api import expect

    write_notebook(lab.root / "quiz-test.ipynb", [
        "import nukedu\n"
        f"bank = nukedu.load_bank({str(MINI_BANK)!r})\n"
        "nukedu.ask('sample-single', bank=bank)",
    ])
    open_and_run_all(page, lab, "quiz-test.ipynb")
    card = page.locator(".nukedu-card").first
    card.wait_for(timeout=90_000)
    expect(card.locator(".nukedu-feedback")).to_have_text("")
    card.locator(".widget-radio-box label", has_text="1994").click()
    card.locator(".jupyter-button.nukedu-check").click()
    feedback = card.locator(".nukedu-feedback")
    expect(feedback).to_contain_text("Not quite")
    expect(feedback).to_contain_text("That is when Ukraine joined the Partnership for Peace.")
    expect(feedback).to_contain_text("line 5")
    card.locator(".jupyter-button.nukedu-retry").click()
    card.locator(".widget-radio-box label", has_text="December 1991").click()
    card.locator(".jupyter-button.nukedu-check").click()
    expect(feedback).to_contain_text("Correct")
    page.screenshot(path=str(tmp_path / "quiz.png"), full_page=True)
    assert (tmp_path / "quiz.png").stat().st_size > 10_000
