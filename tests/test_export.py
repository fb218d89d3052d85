"""Without a live kernel: an exported notebook shows the timeline chart and readable quiz text."""
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
    assert html.count("Plotly.newPlot") == 1
    assert html.count('class="nukedu-text"') == 1
    assert "Run this cell to answer interactively" in html      # the static copy says how to get the live quiz
    session = nukedu.quiz(types="single", n=2, seed=1)
    for q in session.questions:
        assert q.prompt.replace("'", "&#x27;").replace('"', "&quot;")[:40] in html
        assert q.explanation[:40] not in html  # nothing of the answer key in the export
