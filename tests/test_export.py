"""Without a live kernel: an exported notebook shows the timeline's events with their sources and readable quiz text.

The chart itself is plotly's mime output, which nbconvert does not draw (a notebook saved from JupyterLab also
carries plotly's PNG snapshot of it); `nukedu timeline --html` makes a standalone page with the chart. Nothing in
the export loads plotly.js from a CDN: a classroom may be offline.
"""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_html_export_shows_static_chart_and_quiz_text(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nbconvert = pytest.importorskip("nbconvert")
    import nukedu

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import nukedu\nnukedu.timeline()"),
                nbformat.v4.new_code_cell("nukedu.quiz(types='single', n=2, seed=1)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    # JupyterLab does not save widget state by default, so an export has only the fallbacks to show.
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3", store_widget_state=False,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    html, _ = nbconvert.HTMLExporter().from_notebook_node(nb)
    assert "cdn.plot.ly" not in html and "Plotly.newPlot" not in html
    assert html.count('class="nukedu-tl-static"') == 1
    import html as markup

    text = markup.unescape(html)
    for e in nukedu.load_bank().events:
        assert e.title in text and f"line {e.sources[0].line}" in text
    assert html.count('class="nukedu-text"') == 1
    assert "Run this cell to answer interactively" in html      # the static copy says how to get the live quiz
    session = nukedu.quiz(types="single", n=2, seed=1)
    # the quiz's own outputs (the timeline's events, with their summaries, are reference material shown above it)
    quiz_part = "".join(str(o.get("data", {})) for o in nb.cells[1].outputs)
    for q in session.questions:
        assert q.prompt.replace("'", "&#x27;").replace('"', "&quot;")[:40] in html
        assert q.explanation[:40] not in quiz_part  # nothing of the answer key in the export
