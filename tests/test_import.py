"""`import nukedu` stays light: no widgets, plotly, nbformat or nbgrader until needed."""
from __future__ import annotations

import subprocess
import sys

HEAVY = ("ipywidgets", "plotly", "nbformat", "nbgrader", "IPython", "anywidget")


def test_import_does_not_load_heavy_modules():
    code = f"import sys, nukedu; print([m for m in {HEAVY!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_cli_validate_does_not_load_heavy_modules():
    code = (
        "import sys; from nukedu.cli import main; main(['validate', 'tests/data/mini_bank']);"
        "main(['validate', '--strict', '--review', 'tests/data/mini_bank']);"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_public_api_names():
    import nukedu

    assert {"load_bank", "score", "quiz", "ask", "timeline", "timeline_figure", "timeline_quiz", "glossary"} <= set(nukedu.__all__)
    assert nukedu.__version__
