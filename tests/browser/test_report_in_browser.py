"""The item-analysis report of a real graded course opens in Chromium offline, one chart per section, nothing of a student's runs.

A class sits the shipped assignment 1 (built from `assignments/a1-beginnings.yaml`
and graded by the trusted grader); one student's short-text answer is markup
and script. `nukedu assignment report` writes the page; Chromium opens it from
disk with every request leaving file:// refused, and must show each section's
chart drawn, log no console error, and show the hostile answer as text.
"""
from __future__ import annotations

import pytest

from ..graded_class import sit
from .conftest import CHROMIUM, _missing

pytestmark = [pytest.mark.browser, pytest.mark.slow]
HOSTILE = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    pytest.importorskip("nbgrader")
    if not CHROMIUM.exists():
        _missing("Debian's chromium is not installed at /usr/bin/chromium")
    base = tmp_path_factory.mktemp("report-browser")
    with pytest.MonkeyPatch.context() as mp:
        for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR"):
            mp.setenv(name, str(base / name.lower()))
        from nukedu.assign.keys import load_key
        from nukedu.cli import main as cli

        course = base / "course"
        probe = sit(course, 12, extra={})
        short = next(i for i in probe.items if getattr(getattr(i, "question", None), "type", "") == "short_text")
        from nukedu.assign.grade import grade_assignment

        from ..graded_class import submit

        submit(course, probe.name, "mallory", probe.release, {f"{short.name}-answer": f"{short.variable} = {HOSTILE!r}"})
        grade_assignment(course, probe.name, jobs=1, timeout=10)
        out = base / "report.html"
        assert cli(["assignment", "report", probe.name, "--course", str(course), "--out", str(out)]) == 0
        yield out, len(load_key(course, probe.name).parts), short.name


def _watched(browser):  # type: ignore[no-untyped-def]
    """A page that records console errors and warnings, page errors, dialogs, requests off file:// and title changes."""
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    problems: list[str] = []
    offsite: list[str] = []
    titles: list[str] = []
    page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.route(lambda url: not url.startswith(("file://", "data:", "blob:")), lambda r: (offsite.append(r.request.url), r.abort()))
    page.expose_function("nukeduTitle", lambda v: titles.append(v))
    page.add_init_script("""(() => { const own = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
        Object.defineProperty(Document.prototype, 'title', {configurable: true, get() { return own.get.call(this); },
        set(v) { try { window.nukeduTitle(String(v)); } catch (e) {} own.set.call(this, v); }}); })();""")
    return page, problems, offsite, titles


def test_the_report_opens_offline_without_errors_and_shows_one_chart_per_section(report, browser):
    path, parts, short = report
    page, problems, offsite, titles = _watched(browser)
    page.goto(path.as_uri())
    sections = page.locator("section.nukedu-section")
    assert sections.count() == 2 + parts          # scores, overview, then one per question, task and essay
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {2 + parts}", timeout=30_000)
    for k in range(sections.count()):
        section = sections.nth(k)
        assert section.locator(".js-plotly-plot").count() == 1, section.get_attribute("id")
        assert section.locator(".js-plotly-plot .main-svg").count() >= 1, section.get_attribute("id")
    assert problems == [] and offsite == []
    assert not any("pwned" in t for t in titles) and page.title().startswith("Item analysis: Assignment 1")
    assert page.locator("img[src='x']").count() == 0
    wrong = page.locator(f"section#item-{short} table.nukedu-wrong")
    assert HOSTILE in wrong.inner_text()          # shown as the student typed it, not rendered
    chart_text = page.locator(f"section#item-{short} .js-plotly-plot").inner_text()
    assert "<img src=x" in chart_text             # the bar label, as text
    assert "For instructors" in page.locator("header").inner_text()
    page.close()


def test_the_self_study_report_opens_offline_with_its_two_charts(tmp_path, browser, mini_bank):
    """`nukedu progress report` on exports of ten learners: two sections, a chart each, no errors, a learner's markup inert."""
    import json

    from nukedu.cli import main as cli
    from nukedu.learner.store import AttemptRecord
    from nukedu.scoring import score

    single = mini_bank.question("sample-single")
    matching = mini_bank.question("sample-matching")
    folder = tmp_path / "exports"
    folder.mkdir()
    for i in range(10):
        records = []
        for k, (q, response) in enumerate(((single, single.options[i % 4]), (single, HOSTILE if i == 0 else single.answer),
                                           (matching, {p.left: matching.choices[(i + j) % 4] for j, p in enumerate(matching.pairs)}))):
            r = score(q, response)
            records.append(AttemptRecord(learner=f"l{i}", question_id=q.id, question_hash="h", place="p", event="check",
                                         response=response, status=r.status, points=r.points, max_points=r.max_points,
                                         at=100.0 + k, topic=q.topic).to_json())
        (folder / f"l{i}.json").write_text(json.dumps({"format": "nukedu-progress", "learner": f"l{i}", "records": records}))
    out = tmp_path / "self-study.html"
    from ..conftest import MINI_BANK

    assert cli(["progress", "report", str(folder), "--bank", str(MINI_BANK), "--out", str(out)]) == 0
    page, problems, offsite, titles = _watched(browser)
    page.goto(out.as_uri())
    sections = page.locator("section.nukedu-section")
    assert sections.count() == 2
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2", timeout=30_000)
    for k in range(2):
        assert sections.nth(k).locator(".js-plotly-plot").count() == 1
    assert problems == [] and offsite == [] and not any("pwned" in t for t in titles)
    assert page.locator("img[src='x']").count() == 0
    page.close()
