"""The interactive timeline draws in JupyterLab and its filters update the chart in place."""
from __future__ import annotations

import pytest

import nukedu

from .conftest import open_and_run_all, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_timeline_chart_is_drawn_and_filters(lab, page, tmp_path):
    from playwright.sync_api import expect

    bank = nukedu.load_bank()
    total = len(bank.events)
    era = bank.eras[0]
    in_era = sum(1 for e in bank.events if e.era == era.id)
    write_notebook(lab.root / "timeline-test.ipynb", ["import nukedu\nnukedu.timeline()"])
    open_and_run_all(page, lab, "timeline-test.ipynb")
    count = page.locator(".nukedu-timeline-count")
    expect(count).to_have_text(f"Showing {total} of {total} events", timeout=90_000)
    plot = page.locator(".nukedu-timeline .js-plotly-plot").first
    plot.wait_for(state="attached")
    expect(plot.locator("svg.main-svg").first).to_be_visible()
    assert plot.locator(".scatterlayer .point").count() == total  # one marker per event
    page.locator(".nukedu-timeline .widget-dropdown select").first.select_option(label=era.title)
    expect(count).to_have_text(f"Showing {in_era} of {total} events")
    expect(plot.locator(".scatterlayer .point")).to_have_count(in_era)
    box = plot.locator(".scatterlayer .point").first.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # plotly picks the point under the pointer on its drag layer
    page.mouse.click(x, y)
    expect(page.locator(".nukedu-timeline-panel")).to_contain_text("Source:")
    page.screenshot(path=str(tmp_path / "timeline.png"), full_page=True)
    assert (tmp_path / "timeline.png").stat().st_size > 10_000
