"""A throw-away JupyterLab on 127.0.0.1 and Debian's Chromium driven by Playwright.

Recipes from shared/notes/jupyter-recipes.md: --allow-root, Jupyter state in temp
folders, the news toast switched off, the kernel awaited by the status bar.
Under CI=true a missing browser fails; elsewhere the tests skip saying why.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ..conftest import REPO, running_in_ci

CHROMIUM = Path("/usr/bin/chromium")
STUDENT_CONFIG = REPO / "nukedu" / "student_jupyter_config"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def _missing(reason: str):
    if running_in_ci():
        pytest.fail(f"browser test cannot run under CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, root: Path, url: str, token: str, log: Path):
        self.root, self.url, self.token, self.log = root, url, token, log
        self.progress = log.parent / "progress.sqlite"

    def notebook_url(self, relative: str) -> str:
        return f"{self.url}/lab/tree/{relative}?token={self.token}&reset"


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab serving a temp copy of course/ plus test notebooks."""
    if not CHROMIUM.exists():
        _missing("Debian's chromium is not installed at /usr/bin/chromium (make test installs it when run as root)")
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    root.mkdir()
    if (REPO / "course").is_dir():
        shutil.copytree(REPO / "course", root / "course", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR", "JUPYTERLAB_SETTINGS_DIR"):
        env[name] = str(base / name.lower())
    env["NUKEDU_PROGRESS"] = str(base / "progress.sqlite")  # the browser tests' learner, never the real one
    env["JUPYTER_CONFIG_PATH"] = str(STUDENT_CONFIG)          # what `make lab` gives students: no nbgrader UI
    notify = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "apputils-extension"
    notify.mkdir(parents=True)
    (notify / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port, token = _free_port(), secrets.token_hex(16)
    log = base / "jupyter.log"
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--allow-root",
           f"--IdentityProvider.token={token}", "--PasswordIdentityProvider.hashed_password=",
           f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
           # window.jupyterapp, so a test can switch the theme (Lab and Notebook 7)
           "--LabApp.expose_app_in_browser=True", "--JupyterNotebookApp.expose_app_in_browser=True"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail(f"JupyterLab did not start; log:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield Lab(root, url, token, log)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        _missing("Debian's chromium is not installed at /usr/bin/chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    context.close()


def write_notebook(path: Path, cells: list[str]) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def open_and_run_all(page, lab: Lab, relative: str) -> None:
    """Open a notebook, wait for its kernel, and run every cell from the Run menu."""
    page.goto(lab.notebook_url(relative))
    page.locator(".jp-NotebookPanel").first.wait_for()
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=90_000)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()


KERNEL_READY_JS = """() => { const app = window.jupyterapp; if (!app || !app.commands) return false;
    const w = app.shell.currentWidget; const ctx = w && w.sessionContext;
    const kernel = ctx && ctx.session && ctx.session.kernel;
    return !!(ctx && ctx.isReady && kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle'); }"""


def run_all_when_ready(page, until, attempts: int = 3) -> None:
    """Run every cell once the notebook's own kernel is connected and idle; run again if a run-all was dropped.

    The status bar (Lab) or execution indicator (Notebook 7) can say idle before the page's session has its
    kernel connection, and a run-all issued then is lost; `until` is a locator that appears once cells ran.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.wait_for_function(KERNEL_READY_JS, timeout=90_000)
    for attempt in range(attempts):
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        try:
            until.wait_for(timeout=30_000 if attempt < attempts - 1 else 90_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            page.wait_for_function(KERNEL_READY_JS, timeout=60_000)
