"""The JupyterLab students get from `make lab`: no nbgrader buttons or panels, and code they need not read folded."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_lesson_opens_without_nbgrader_and_with_its_code_folded(lab, page):
    page.goto(lab.notebook_url("course/01-beginnings.ipynb"))
    page.locator(".jp-NotebookPanel").first.wait_for()
    page.locator(".jp-Notebook .jp-Cell").nth(5).wait_for()
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    assert "@jupyter/nbgrader" in config.get("disabledExtensions", [])
    page.wait_for_timeout(1500)  # let every enabled extension add its toolbar items
    toolbar = page.locator(".jp-NotebookPanel-toolbar").first.inner_text()
    assert "Validate" not in toolbar, toolbar
    menus = page.locator(".lm-MenuBar").first.inner_text()
    assert "Nbgrader" not in menus and "Formgrader" not in menus, menus
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{lab.url}/formgrader?token={lab.token}", timeout=10)
    assert err.value.code == 404
    # every code cell but `import nukedu` shows a fold, not its source
    hidden = page.locator(".jp-CodeCell .jp-InputPlaceholder")
    shown = page.locator(".jp-CodeCell .jp-InputArea-editor:visible")
    assert hidden.count() >= 5
    assert shown.count() == 1 and "import nukedu" in shown.first.inner_text()
