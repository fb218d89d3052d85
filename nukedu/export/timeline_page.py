"""The timeline as one standalone, offline HTML page: the chart, the event list and every citation.

plotly.js is inlined once (no CDN: a classroom may be offline), and the page
runs the notebook widget's own script with a stand-in for the kernel, so the
list, the details and the theme behave as in JupyterLab (filters need a
kernel and are left out; the full list of events with their sources follows).
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from ..model import Bank
from ..timeline_chart import CONFIG, build_chart
from ..timeline_data import Filters, year_bounds
from ..timeline_present import event_html, filters_of, list_state, options_of, themes_state

STATIC = Path(__file__).resolve().parent.parent / "widgets" / "static"
CHART_ID = "nukedu-timeline-page"
WIDTH = 1100  # the chart is laid out for this width; narrower windows scroll it sideways, so labels never overlap

PAGE_CSS = """
:root { color-scheme: light dark;
  --jp-layout-color0: #ffffff; --jp-layout-color1: #ffffff; --jp-layout-color2: #e8eef7;
  --jp-ui-font-color1: #1f1f1f; --jp-content-font-color1: #1f1f1f; --jp-border-color1: #767676;
  --jp-border-color2: #cfcfcf; --jp-brand-color1: #1565c0; --jp-warn-color1: #b45309; }
@media (prefers-color-scheme: dark) { :root {
  --jp-layout-color0: #111111; --jp-layout-color1: #111111; --jp-layout-color2: #333a45;
  --jp-ui-font-color1: #e6e6e6; --jp-content-font-color1: #e6e6e6; --jp-border-color1: #a0a0a0;
  --jp-border-color2: #4a4a4a; --jp-brand-color1: #64a0ff; --jp-warn-color1: #f0a040; } }
body { margin: 0 auto; max-width: 1180px; padding: 0.5em 1em 2em; background: var(--jp-layout-color0);
  color: var(--jp-ui-font-color1); font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; line-height: 1.45; }
a { color: inherit; }
.nukedu-page-chart { overflow-x: auto; }
.nukedu-page-chart > div { min-width: %(width)dpx; }
.nukedu-page-all li { margin: 0.4em 0; }
.nukedu-page-all small { font-size: 0.92em; }
@media print { .nukedu-tl { display: none; } }
"""


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _widget_script() -> str:
    """The widget's ESM as a classic script that puts `render` on window (a file:// page cannot import modules)."""
    source = (STATIC / "timeline.js").read_text(encoding="utf-8")
    tail = "export default { render };"
    if tail not in source:  # pragma: no cover - guards an edit of timeline.js
        raise RuntimeError("timeline.js no longer ends with 'export default { render };'")
    return source.replace(tail, "window.nukeduTimeline = { render };")


def timeline_page(bank: Bank, filters: Filters, *, title: str = "Ukraine and NATO: a timeline", width: int = WIDTH) -> str:
    """The whole page as text (about 4.7 MB, nearly all of it plotly.js)."""
    from plotly.offline import get_plotlyjs

    chart = build_chart(bank, filters, width=width, chart_id=CHART_ID)
    state = {"mode": "static", "chart_id": CHART_ID, "options": options_of(bank), "filters": filters_of(filters),
             "figure": {}, "config": CONFIG, "themes": themes_state(), "selected": "", "empty": "No event matches.",
             "problem": "", "ack": "", "height": chart.figure["layout"]["height"], **list_state(bank, chart)}
    fig = chart.figure
    css = (STATIC / "timeline.css").read_text(encoding="utf-8")
    items = "".join(event_html(bank, e) for e in chart.events)
    chosen = []
    if filters.eras:
        chosen.append("eras: " + ", ".join(bank.era(e).title for e in filters.eras))
    if filters.tags:
        chosen.append("categories: " + ", ".join(filters.tags))
    if filters.years and filters.years != year_bounds(bank):
        chosen.append(f"years {filters.years[0]}–{filters.years[1]}")
    if filters.search:
        chosen.append(f"search “{filters.search}”")
    scope = f" ({'; '.join(chosen)})" if chosen else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{PAGE_CSS % {"width": width}}</style>
<style>{css}</style>
<script>{get_plotlyjs()}</script>
</head>
<body>
<main class="nukedu-page">
<h1>{html.escape(title)}</h1>
<p>{html.escape(state["count"])}{html.escape(scope)}. Hover over a point for its date; click it, or use the list
below the chart (↑ and ↓, then Enter), to read its summary and the line of the source it rests on.
Hollow circles are planned or expected when the sources were written; diamonds are publications.</p>
<div class="nukedu-page-chart"><div id="nukedu-chart"></div></div>
<div id="nukedu-list"></div>
<noscript><p>This page needs JavaScript for the chart; every event and its source is listed below.</p></noscript>
<section class="nukedu-page-all">
<h2>All events and their sources</h2>
<ol>{items}</ol>
</section>
</main>
<script>{_widget_script()}</script>
<script>
(function () {{
  const fig = {_script_json(fig)};
  const state = {_script_json(state)};
  const model = {{ get: (k) => state[k], set: (k, v) => {{ state[k] = v; }}, save_changes() {{}}, on() {{}}, off() {{}}, send() {{}} }};
  Plotly.newPlot("nukedu-chart", fig.data, fig.layout, fig.config).then(() => {{
    window.nukeduTimeline.render({{ model, el: document.getElementById("nukedu-list") }});
  }});
}})();
</script>
</body>
</html>
"""
