"""The timeline as a student meets it in JupyterLab, in Chromium.

The chart is plotly's own output (plotly.js loaded once per page) and the event
list beside it is a small widget: both stay in step, the list works from the
keyboard alone, and nothing overlaps. Measured from the page itself: era
titles' boxes, each band against its era's years, labels against labels and
markers, text contrast in Light and Dark (with a probe that proves the
measurement can fail), and the fit of the chart and the list at 1366 and 800 px.
Screenshots go to build/test-artifacts/.
"""
from __future__ import annotations

import pytest

import nukedu

from ..conftest import REPO
from .conftest import KERNEL_READY_JS, run_all_when_ready, write_notebook
from .test_cards_in_browser import CONTRAST_JS, OVERFLOW_JS, cell_snapshot, set_theme

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = REPO / "build" / "test-artifacts"

# Records, for every plotly chart added to the page, when its output appeared and when plotly had drawn it.
RENDER_TIMES_JS = """() => {
  window.__nukeduRenders = [];
  const seen = new WeakSet(document.querySelectorAll('.jp-RenderedPlotly'));  // charts already there do not count
  const watch = (node) => {
    if (seen.has(node)) return; seen.add(node);
    const entry = { start: performance.now(), drawn: null }; window.__nukeduRenders.push(entry);
    const poll = () => { if (node.querySelector('.main-svg .scatterlayer')) entry.drawn = performance.now() - entry.start;
                         else requestAnimationFrame(poll); };
    poll();
  };
  new MutationObserver(() => document.querySelectorAll('.jp-RenderedPlotly').forEach(watch))
    .observe(document.body, { childList: true, subtree: true });
  window.__nukeduLongTasks = [];
  try { new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__nukeduLongTasks.push(e.duration)))
          .observe({ type: 'longtask', buffered: false }); } catch (e) {}
}"""

# The chart's own geometry, in page pixels: era titles, bands with where their years fall, labels and markers.
GEOMETRY_JS = """(gd) => {
  const box = (el) => { const r = el.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; };
  const L = gd._fullLayout, svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const xpx = (x) => svg.left + L._size.l + L.xaxis.l2p(x);
  const shapes = (L.shapes || []).map((s, i) => ({ name: s.name, x0: s.x0, x1: s.x1, i }));
  const bands = shapes.filter((s) => (s.name || '').startsWith('band:')).map((s) => {
    const path = gd.querySelector(`.shapelayer path[data-index="${s.i}"]`);
    return { era: s.name.slice(5), want: [xpx(s.x0), xpx(s.x1)], got: path ? box(path) : null };
  });
  const titles = (L.annotations || []).map((a, i) => ({ a, i })).filter(({ a }) => (a.name || '').startsWith('era:'))
    .map(({ a, i }) => { const t = gd.querySelector(`.annotation[data-index="${i}"] .annotation-text`);
                         return { era: a.name.slice(4), text: a.text, ...(t ? box(t) : {}) }; });
  const traces = [...gd.querySelectorAll('.scatterlayer .trace')];
  const labels = [], points = [];
  traces.forEach((tr, c) => {
    const name = gd.data[c] && gd.data[c].name;
    if (name === 'selected') return;
    tr.querySelectorAll('.textpoint text').forEach((t, k) => { if (t.textContent) labels.push({ text: t.textContent, c, ...box(t) }); });
    tr.querySelectorAll('.points .point').forEach((p, k) => points.push({ c, k, ...box(p) }));
  });
  const plot = { l: svg.left + L._size.l, r: svg.left + L._size.l + L._size.w, t: svg.top + L._size.t, b: svg.top + L._size.t + L._size.h };
  return { bands, titles, labels, points, plot, width: svg.width, bg: L.paper_bgcolor, font: L.font.color };
}"""

# Contrast of the chart's SVG text against what is under it: the paper, and an era band where the text sits on one.
SVG_CONTRAST_JS = """(gd) => {
  const hex = (c) => { if (c.startsWith('#')) { const n = c.length === 4 ? c.slice(1).split('').map((x) => x + x).join('') : c.slice(1);
                         return [0, 2, 4].map((i) => parseInt(n.slice(i, i + 2), 16)); }
                       const m = c.match(/[\\d.]+/g).map(Number); return m.slice(0, 3); };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
                       return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const L = gd._fullLayout, svg = gd.querySelector('.main-svg').getBoundingClientRect();
  const bg = hex(L.paper_bgcolor);
  const bands = (L.shapes || []).filter((s) => (s.name || '').startsWith('band:'));
  const out = [];
  for (const t of gd.querySelectorAll('text')) {
    if (!t.textContent.trim()) continue;
    const r = t.getBoundingClientRect(); if (!r.width) continue;
    const fill = getComputedStyle(t).fill; if (!fill || fill === 'none') continue;
    let under = bg;
    const cx = (r.left + r.right) / 2 - svg.left - L._size.l, cy = (r.top + r.bottom) / 2 - svg.top;
    if (cy > L._size.t && cy < L._size.t + L._size.h) {
      const x = L.xaxis.p2l(cx);
      const band = bands.find((s) => s.x0 <= x && x <= s.x1);
      if (band) { const c = hex(band.fillcolor), a = band.opacity; under = bg.map((v, i) => c[i] * a + v * (1 - a)); }
    }
    const inside = t.closest('.hoverlayer') === null;
    if (inside) out.push({ text: t.textContent.slice(0, 40), ratio: Math.round(ratio(hex(fill), under) * 100) / 100, fill });
  }
  return out;
}"""


def overlaps(a: dict, b: dict, slack: float = 0.5) -> bool:
    return a["l"] + slack < b["r"] and b["l"] + slack < a["r"] and a["t"] + slack < b["b"] and b["t"] + slack < a["b"]


def open_notebook(page, lab, name: str, cells: list[str], widgets: int) -> None:
    write_notebook(lab.root / name, cells)
    page.goto(lab.notebook_url(name))
    page.locator(".jp-NotebookPanel").first.wait_for()
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=90_000)
    page.wait_for_function(KERNEL_READY_JS, timeout=90_000)
    page.evaluate(RENDER_TIMES_JS)
    run_all_when_ready(page, page.locator(".nukedu-tl[data-chart=found]").nth(widgets - 1))
    # the widgets report the chart's width and the kernel lays the chart out again for it: wait until settled
    page.wait_for_function("(n) => [...document.querySelectorAll('.nukedu-tl')].filter((r) => Number(r.dataset.draws || 0) >= 1).length >= n",
                           arg=widgets, timeout=60_000)
    page.wait_for_timeout(800)


def chart_of(page, index: int):
    return page.locator(".js-plotly-plot").nth(index)


def test_full_timeline_reads_without_overlaps_and_is_keyboard_usable(lab, page):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    bank = nukedu.load_bank()
    total = len(bank.events)
    pubs = sum(e.is_publication for e in bank.events)
    page.set_viewport_size({"width": 1366, "height": 900})
    open_notebook(page, lab, "timeline-full.ipynb", ["import nukedu\nnukedu.timeline()",
                                                     "nukedu.timeline(era='washington-2024')"], widgets=2)
    times = page.evaluate("() => window.__nukeduRenders.map((r) => r.drawn)")
    assert len(times) == 2 and all(t is not None for t in times)
    assert page.evaluate("() => typeof window.Plotly") == "object"
    # plotly.js was loaded once, by JupyterLab's plotly extension; nothing of it came through a widget
    scripts = page.evaluate("() => performance.getEntriesByType('resource').filter((r) => /plotly/i.test(r.name)).map((r) => r.name)")
    assert not [s for s in scripts if "cdn" in s], scripts

    widget = page.locator(".nukedu-tl").first
    count = widget.locator(".nukedu-tl-count")
    expect(count).to_have_text(f"Showing {total} of {total} events ({pubs} publications)")
    gd = chart_of(page, 0)
    gd.scroll_into_view_if_needed()
    geo = gd.evaluate(GEOMETRY_JS)
    # era titles never overlap, and every era has its title
    assert sorted(t["era"] for t in geo["titles"]) == sorted(e.id for e in bank.eras)
    for a in geo["titles"]:
        for b in geo["titles"]:
            if a is not b:
                assert not overlaps(a, b), f"era titles {a['text']!r} and {b['text']!r} overlap"
    # each band spans exactly its era's years
    assert [b["era"] for b in geo["bands"]] == [e.id for e in bank.eras]
    for b in geo["bands"]:
        assert b["got"] and abs(b["got"]["l"] - b["want"][0]) <= 1.5 and abs(b["got"]["r"] - b["want"][1]) <= 1.5, b
    # labels never overlap each other or another event's marker, and stay inside the plot
    labels, points = geo["labels"], geo["points"]
    assert len(labels) >= 8, "the full view labels what fits"
    for i, a in enumerate(labels):
        assert geo["plot"]["l"] - 1 <= a["l"] and a["r"] <= geo["plot"]["r"] + 1, a
        for b in labels[i + 1:]:
            assert not overlaps(a, b), f"labels {a['text']!r} and {b['text']!r} overlap"
        for p in points:
            assert not overlaps(a, p, slack=1.5), f"label {a['text']!r} covers a marker"
    assert gd.locator(".modebar-btn").count() == 4
    gd.screenshot(path=str(ARTIFACTS / "timeline-full-light.png"))

    # Tab stops in the timeline's outputs: the filters, the folded categories, "Show all", the list, plotly's toolbar
    stops = page.evaluate("""() => { const out = document.querySelectorAll('.jp-Cell')[0].querySelector('.jp-OutputArea');
        return [...out.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
          .filter((e) => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length && !e.closest('details:not([open]) > :not(summary)'))
          .map((e) => e.className.baseVal !== undefined ? e.className.baseVal : (e.className || e.tagName)); }""")
    print(f"tab stops in one timeline: {len(stops)}: {stops}")
    assert len(stops) <= 12 and any("nukedu-tl-list" in s for s in stops), stops
    # every text on the full chart has AA contrast (Light)
    low = [i for i in gd.evaluate(SVG_CONTRAST_JS) if i["ratio"] < 4.5]
    assert not low, low[:5]

    # keyboard: the list takes focus, arrows move, Enter opens the details with the citation
    before = cell_snapshot(page)
    listbox = widget.locator(".nukedu-tl-list")
    listbox.focus()
    for key in ["ArrowDown", "ArrowDown", "ArrowDown", "a", "b", "d", "d", "x"]:
        page.keyboard.press(key)
    assert cell_snapshot(page) == before, "keys typed in the event list reached JupyterLab's shortcuts"
    chosen = bank.events_in()[3]
    expect(listbox.locator("[aria-selected=true]")).to_contain_text(chosen.title)
    assert listbox.get_attribute("aria-activedescendant").endswith(chosen.id)
    page.keyboard.press("Enter")
    details = widget.locator(".nukedu-tl-details")
    expect(details.locator(".nukedu-tl-heading")).to_be_focused()
    expect(details.locator(".nukedu-tl-heading")).to_have_text(chosen.title)
    expect(details).to_contain_text(f"line {chosen.sources[0].line}: “{chosen.sources[0].quote}”")
    # the chart rings the chosen event
    ring = gd.evaluate("(gd) => { const t = gd.data.find((t) => t.name === 'selected'); return [t.x[0], t.y[0]]; }")
    spots = gd.evaluate("(gd, id) => gd.data.filter((t) => t.customdata && t.name !== 'selected').flatMap((t) => "
                        "[...t.customdata].map((c, k) => [c, t.x[k], t.y[k]])).filter((p) => p[0] === id || "
                        "(p[0].startsWith('more:')))", chosen.id)
    assert [ring[0], ring[1]] in [[x, y] for _, x, y in spots], (ring, spots)
    page.keyboard.press("Escape")
    expect(listbox).to_be_focused()

    # the other way: a click on a point selects the event in the list
    target = page.evaluate("""() => { const gd = document.querySelectorAll('.js-plotly-plot')[0];
        const c = gd.data.findIndex((t) => t.name === 'Difficult beginnings'); return [c, gd.data[c].customdata[0]]; }""")
    point = gd.locator(".scatterlayer .trace").nth(target[0]).locator(".point").first
    gd.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)  # plotly picks the point under the pointer on its next hover pass
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(listbox.locator("[aria-selected=true]")).to_have_attribute("data-id", target[1])
    expect(details.locator(".nukedu-tl-heading")).to_have_text(bank.event(target[1]).title)

    # "+k more" opens the events behind it
    more = gd.locator(".scatterlayer .trace").nth(page.evaluate(
        "() => document.querySelectorAll('.js-plotly-plot')[0].data.findIndex((t) => t.name === 'more')")).locator(".point").first
    gd.scroll_into_view_if_needed()
    box = more.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)  # plotly picks the point under the pointer on its next hover pass
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(details.locator(".nukedu-tl-heading")).to_contain_text("more event")
    assert details.locator(".nukedu-tl-more button").count() >= 2

    # filters that filter, and the Years follow the era
    era = bank.era("turning-point-2014")
    widget.locator(".nukedu-tl-era").select_option(era.id)
    in_era = [e for e in bank.events if e.era == era.id]
    expect(count).to_have_text(f"Showing {len(in_era)} of {total} events ({sum(e.is_publication for e in in_era)} publication"
                               f"{'s' if sum(e.is_publication for e in in_era) != 1 else ''})")
    expect(widget.locator(".nukedu-tl-year").nth(0)).to_have_value(str(era.start))
    expect(widget.locator(".nukedu-tl-year").nth(1)).to_have_value(str(era.end))
    page.wait_for_function("() => { const gd = document.querySelectorAll('.js-plotly-plot')[0];"
                           " return gd.layout.xaxis.range[0] > 2013.5 && gd.layout.xaxis.range[1] < 2022.5; }")
    drawn = gd.evaluate("(gd) => gd.data.filter((t) => t.customdata && !['selected', 'more'].includes(t.name)).flatMap((t) => [...t.customdata])")
    assert drawn and {bank.event(i).era for i in drawn} == {era.id}
    widget.locator(".nukedu-tl-tags-summary").click()  # the categories unfold
    widget.locator(".nukedu-tl-tags label", has_text="summit").click()
    expect(widget.locator(".nukedu-tl-tags-summary")).to_have_text("Categories: summit")
    expect(count).to_contain_text("Showing 0 of")  # no summit in 2014–2021
    expect(widget.locator(".nukedu-tl-empty")).to_be_visible()
    widget.locator(".nukedu-tl-reset").click()
    expect(count).to_have_text(f"Showing {total} of {total} events ({pubs} publications)")

    # the era view of 2024 has month ticks and the planned summit's own marker
    second = chart_of(page, 1)
    second.scroll_into_view_if_needed()
    ticks = second.evaluate("(gd) => [...gd.querySelectorAll('.xtick text')].map((t) => t.textContent)")
    assert ticks[:3] == ["Jan 2024", "Feb", "Mar"], ticks
    legend = second.evaluate("(gd) => [...gd.querySelectorAll('.legendtext')].map((t) => t.textContent)")
    assert "Planned or expected (when the sources were written)" in legend
    second.screenshot(path=str(ARTIFACTS / "timeline-2024-light.png"))

    # one more chart on a page that has drawn one: how long until it shows, and the longest freeze meanwhile
    page.evaluate(RENDER_TIMES_JS)
    page.evaluate("""async () => { const app = window.jupyterapp; const nb = app.shell.currentWidget;
        nb.content.activeCellIndex = nb.content.widgets.length - 1;
        await app.commands.execute('notebook:insert-cell-below');
        nb.content.activeCell.model.sharedModel.setSource("nukedu.timeline(era='turning-point-2014')");
        await app.commands.execute('notebook:run-cell'); }""")
    page.wait_for_function("() => window.__nukeduRenders.length >= 1 && window.__nukeduRenders.every((r) => r.drawn !== null)",
                           timeout=60_000)
    page.wait_for_timeout(1500)
    drawn = page.evaluate("() => Math.max(...window.__nukeduRenders.map((r) => r.drawn))")
    longest = max(page.evaluate("() => window.__nukeduLongTasks") or [0])
    print(f"a timeline after the first chart of the page: drawn {round(drawn)} ms after its output appeared; "
          f"longest main-thread task meanwhile {round(longest)} ms (issue 16: first render <= 500 ms)")


def test_contrast_and_fit_in_light_and_dark(lab, page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    open_notebook(page, lab, "timeline-look.ipynb", ["import nukedu\nt = nukedu.timeline(era='washington-2024')\nt",
                                                     "t.select('ev-2024-washington-summit')"], widgets=1)
    widget = page.locator(".nukedu-tl").first
    problems: list[str] = []
    try:
        for theme in ["JupyterLab Light", "JupyterLab Dark"]:
            set_theme(page, theme)
            tag = "dark" if "Dark" in theme else "light"
            page.wait_for_function("(t) => { const gd = document.querySelector('.js-plotly-plot');"
                                   " return gd._fullLayout.paper_bgcolor === (t === 'dark' ? '#111111' : '#ffffff'); }", arg=tag)
            gd = chart_of(page, 0)
            gd.scroll_into_view_if_needed()
            svg = gd.evaluate(SVG_CONTRAST_JS)
            html = widget.evaluate(CONTRAST_JS)
            assert len(svg) > 20 and len(html) > 20, "the measurement saw the chart's and the list's text"
            for item in svg + html:
                if item["ratio"] < 4.5:
                    problems.append(f"{tag}: {item}")
            print(f"{theme}: chart text {len(svg)} items, lowest {min(i['ratio'] for i in svg)}:1; "
                  f"list and details {len(html)} items, lowest {min(i['ratio'] for i in html)}:1")
            # the measurement can fail: grey text on the chart is caught
            caught = gd.evaluate("""(gd) => { const t = gd.querySelector('.xtick text'); const old = t.style.fill;
                t.style.fill = document.body.dataset.jpThemeLight === 'true' ? 'rgb(170,170,170)' : 'rgb(80,80,80)';
                return old; }""")
            low = [i for i in gd.evaluate(SVG_CONTRAST_JS) if i["ratio"] < 4.5]
            gd.evaluate("(gd, old) => { gd.querySelector('.xtick text').style.fill = old; }", caught)
            assert low, "a deliberately faint tick label was not caught"
            gd.screenshot(path=str(ARTIFACTS / f"timeline-2024-{tag}.png"))
            widget.screenshot(path=str(ARTIFACTS / f"timeline-list-{tag}.png"))
            for width in (1366, 800):
                page.set_viewport_size({"width": width, "height": 900})
                page.wait_for_timeout(900)  # the chart is laid out again for its new width
                fit = gd.evaluate("""(gd) => { const out = gd.closest('.jp-OutputArea-output, .jp-OutputArea-child').getBoundingClientRect();
                    const svg = gd.querySelector('.main-svg').getBoundingClientRect();
                    return { out: [out.left, out.right], svg: [svg.left, svg.right], h: svg.height }; }""")
                if fit["svg"][0] < fit["out"][0] - 1 or fit["svg"][1] > fit["out"][1] + 1:
                    problems.append(f"{tag} {width}px: the chart is wider than its output area {fit}")
                if fit["h"] < 200:  # a theme switch or a resize must not collapse the chart
                    problems.append(f"{tag} {width}px: the chart collapsed to {fit['h']} px")
                for item in widget.evaluate(OVERFLOW_JS):
                    problems.append(f"{tag} {width}px: {item}")
                labels = gd.evaluate(GEOMETRY_JS)["labels"]
                for i, a in enumerate(labels):
                    for b in labels[i + 1:]:
                        if overlaps(a, b):
                            problems.append(f"{tag} {width}px: labels {a['text']!r} and {b['text']!r} overlap")
            page.set_viewport_size({"width": 1366, "height": 900})
    finally:
        set_theme(page, "JupyterLab Light")
    assert not problems, "\n".join(problems[:40])


def test_standalone_page_works_offline_in_light_and_dark(browser, tmp_path):
    """`nukedu timeline --html`: no network at all, the chart, the list by keyboard, the citations, both themes."""
    from playwright.sync_api import expect

    from nukedu.cli import main

    bank = nukedu.load_bank()
    out = tmp_path / "timeline.html"
    assert main(["timeline", "--html", str(out)]) == 0
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, offline=True)
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(out.as_uri())
        widget = page.locator(".nukedu-tl[data-chart=found]")
        widget.wait_for(timeout=30_000)
        assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == [], "the page asked the network"
        assert not errors, errors
        gd = page.locator(".js-plotly-plot")
        page.wait_for_function("(bg) => document.querySelector('.js-plotly-plot')._fullLayout.paper_bgcolor === bg",
                               arg="#111111" if scheme == "dark" else "#ffffff")
        low = [i for i in gd.evaluate(SVG_CONTRAST_JS) + widget.evaluate(CONTRAST_JS) if i["ratio"] < 4.5]
        assert not low, low[:10]
        widget.locator(".nukedu-tl-list").focus()
        for _ in range(3):  # focusing the list chooses the first event; three steps down is the fourth
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        chosen = bank.events_in()[3]
        expect(widget.locator(".nukedu-tl-heading")).to_be_focused()
        expect(widget.locator(".nukedu-tl-details")).to_contain_text(f"line {chosen.sources[0].line}")
        assert widget.locator(".nukedu-tl-filters").count() == 0  # filters need a kernel
        expect(page.locator(".nukedu-page-all li")).to_have_count(len(bank.events))
        page.screenshot(path=str(ARTIFACTS / f"timeline-page-{scheme}.png"))
        context.close()


def test_timeline_quiz_places_answered_events_on_the_chart(lab, page):
    from playwright.sync_api import expect

    open_notebook(page, lab, "timeline-quiz.ipynb", ["import nukedu\nq = nukedu.timeline_quiz(n=2, seed=1, remember=False)\nq"],
                  widgets=1)
    quiz = page.locator(".nukedu-quiz").first
    widget = page.locator(".nukedu-tl-mode-reveal").first
    expect(widget.locator(".nukedu-tl-count")).to_have_text("Events placed so far: 0 events")
    gd = chart_of(page, 0)
    assert gd.evaluate("(gd) => gd.data.filter((t) => t.customdata && t.name !== 'selected').flatMap((t) => [...t.customdata]).length") == 0
    quiz.locator("button.nukedu-check").click()  # an ordering, checked as first shown
    quiz.locator("button.nukedu-show").click()
    items = quiz.locator("li.nukedu-order-item").count()
    expect(widget.locator(".nukedu-tl-count")).to_have_text(f"Events placed so far: {items} events")
    page.wait_for_function("(n) => { const gd = document.querySelector('.js-plotly-plot'); return gd.data.filter((t) => "
                           "t.customdata && t.name !== 'selected').flatMap((t) => [...t.customdata]).length === n; }", arg=items)
    expect(widget.locator(".nukedu-tl-details .nukedu-tl-heading")).not_to_have_text("")
    gd.screenshot(path=str(ARTIFACTS / "timeline-quiz-chart.png"))
