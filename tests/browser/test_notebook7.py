"""The quiz and the timeline also work in Notebook 7's interface, not only in JupyterLab."""
from __future__ import annotations

import pytest

import nukedu

from ..conftest import MINI_BANK
from .conftest import run_all_when_ready, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_quiz_and_timeline_in_notebook_7(lab, page, tmp_path):
    from playwright.sync_api import expect

    total = len(nukedu.load_bank().events)
    write_notebook(lab.root / "nb7-test.ipynb", [
        f"import nukedu\nbank = nukedu.load_bank({str(MINI_BANK)!r})\nnukedu.quiz(bank=bank, types='true_false', n=1, seed=1)",
        "nukedu.timeline()",
    ])
    page.goto(f"{lab.url}/notebooks/nb7-test.ipynb?token={lab.token}")
    page.locator(".jp-NotebookPanel").first.wait_for()
    card = page.locator(".nukedu-card").first
    run_all_when_ready(page, card)
    card.locator(".nukedu-option label", has_text="False").click()
    card.locator("button.nukedu-check").click()
    expect(card.locator(".nukedu-feedback")).to_contain_text("Correct")
    pubs = sum(e.is_publication for e in nukedu.load_bank().events)
    expect(page.locator(".nukedu-tl-count")).to_have_text(f"Showing {total} of {total} events ({pubs} publications)")
    expect(page.locator(".js-plotly-plot svg.main-svg").first).to_be_visible()
    expect(page.locator(".nukedu-tl[data-chart=found]")).to_have_count(1)  # the list found its chart in Notebook 7 too
    page.screenshot(path=str(tmp_path / "notebook7.png"), full_page=True)
