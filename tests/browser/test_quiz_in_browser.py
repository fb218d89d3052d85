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
    feedback = card.locator(".nukedu-feedback")
    expect(feedback).to_have_text("")
    card.locator(".nukedu-option label", has_text="1994").click()
    card.locator("button.nukedu-check").click()
    expect(feedback).to_contain_text("Not yet")
    expect(feedback).to_contain_text("That is when Ukraine joined the Partnership for Peace.")
    expect(feedback).not_to_contain_text("line 5")  # the citation (and the answer) only once earned
    expect(card.locator(".nukedu-option", has_text="1994")).to_contain_text("wrong")
    card.locator("button.nukedu-retry").click()
    card.locator(".nukedu-option label", has_text="December 1991").click()
    card.locator("button.nukedu-check").click()
    expect(feedback).to_contain_text("Correct")
    expect(feedback).to_contain_text("line 5")
    page.screenshot(path=str(tmp_path / "quiz.png"), full_page=True)
    assert (tmp_path / "quiz.png").stat().st_size > 10_000
