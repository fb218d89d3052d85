"""Coming back in the browser: answers survive a kernel restart and a reopened notebook; the Voilà app records too."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from ..conftest import MINI_BANK, REPO
from .conftest import KERNEL_READY_JS, _free_port, run_all_when_ready, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CELLS = [
    "import nukedu\nbank = nukedu.load_bank(%r)" % str(MINI_BANK),
    "nukedu.ask('sample-single', bank=bank)",
    "nukedu.ask('sample-true-false', bank=bank)",
]


def run_all(page, cards: int) -> None:
    run_all_when_ready(page, page.locator(".nukedu-card").nth(cards - 1))


def verdicts(page) -> list[str]:
    return page.locator(".nukedu-root .nukedu-card .nukedu-verdict").all_inner_texts()


def test_answers_come_back_after_a_kernel_restart_and_a_reopened_notebook(lab, page):
    from playwright.sync_api import expect

    bank = __import__("nukedu").load_bank(MINI_BANK)
    single, tf = bank.question("sample-single"), bank.question("sample-true-false")
    write_notebook(lab.root / "resume.ipynb", CELLS)
    page.goto(lab.notebook_url("resume.ipynb"))
    run_all(page, 2)
    cards = page.locator(".nukedu-root .nukedu-card")
    wrong = next(o for o in single.options if o != single.answer)
    cards.nth(0).locator("label", has_text=wrong).click()
    cards.nth(0).locator("button.nukedu-check").click()
    expect(cards.nth(0).locator(".nukedu-verdict")).to_contain_text("Not yet")
    cards.nth(1).locator("label", has_text="True" if tf.answer else "False").click()
    cards.nth(1).locator("button.nukedu-check").click()
    expect(cards.nth(1).locator(".nukedu-verdict")).to_contain_text("Correct")
    page.locator(".jp-Notebook").click()  # let JupyterLab save nothing special: the answers live in the store

    # restart the kernel: the cards on screen are dead until the cells run again, and say so when used
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.restart()")
    page.wait_for_function(KERNEL_READY_JS, timeout=90_000)
    cards.nth(0).locator("button", has_text="Try again").click()
    expect(page.locator(".nukedu-offline").first).to_contain_text("your saved answers come back", timeout=30_000)
    run_all(page, 2)
    expect(cards.nth(0).locator(".nukedu-verdict")).to_contain_text("Not yet", timeout=30_000)
    expect(cards.nth(1).locator(".nukedu-verdict")).to_contain_text("Correct")
    assert cards.nth(0).locator("input:checked").evaluate("i => i.labels[0].textContent") == wrong
    expect(cards.nth(1)).to_contain_text(tf.explanation[:40])  # the earned explanation is back too

    # close and reopen the notebook (a new page, the next day), run it
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.goto("about:blank")
    page.goto(lab.notebook_url("resume.ipynb"))
    page.evaluate("() => 0")
    run_all(page, 2)
    expect(cards.nth(0).locator(".nukedu-verdict")).to_contain_text("Not yet", timeout=30_000)
    expect(cards.nth(1).locator(".nukedu-verdict")).to_contain_text("Correct")
    # and the first card can still be answered: the try left is its own
    cards.nth(0).locator("button", has_text="Try again").click()
    cards.nth(0).locator("label", has_text=single.answer).click()
    cards.nth(0).locator("button.nukedu-check").click()
    expect(cards.nth(0).locator(".nukedu-verdict")).to_contain_text("Correct")


@pytest.fixture()
def voila(tmp_path):
    if not shutil.which("voila", path=os.path.dirname(sys.executable)):
        pytest.fail("voila is not installed (it comes with the lab extra: pip install -e '.[lab]')")
    root = tmp_path / "app"
    root.mkdir()
    shutil.copy(REPO / "course" / "self-study.ipynb", root)
    port = _free_port()
    env = dict(os.environ, NUKEDU_PROGRESS=str(tmp_path / "progress.sqlite"), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    log = tmp_path / "voila.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "voila"), str(root / "self-study.ipynb"),
                                 "--no-browser", "--Voila.ip=127.0.0.1", f"--port={port}"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 60
    while b"Voil" not in log.read_bytes() or b"running at" not in log.read_bytes():
        if proc.poll() is not None or time.time() > deadline:
            pytest.fail(f"Voilà did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.5)
    yield url, tmp_path / "progress.sqlite"
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_the_voila_app_answers_a_question_and_shows_it_in_progress(voila, page):
    from playwright.sync_api import expect

    url, store = voila
    page.goto(url)
    page.locator(".nukedu-app").wait_for(timeout=90_000)
    assert "self_study()" not in page.locator("body").inner_text()  # Voilà shows no code
    page.locator(".nukedu-app select").first.select_option(label="Difficult beginnings, 1991–1996")
    page.locator(".nukedu-app button", has_text="Practise this topic").click()
    card = page.locator(".nukedu-card").first
    card.wait_for(timeout=60_000)
    expect(page.locator(".nukedu-title")).to_contain_text("Practice: Difficult beginnings")
    answer_anything(card)
    card.locator("button.nukedu-check").click()
    expect(card.locator(".nukedu-verdict")).not_to_have_text("", timeout=30_000)
    page.locator(".nukedu-app button", has_text="My progress").click()
    page.wait_for_function("() => document.body.textContent.includes('1 question answered')", timeout=60_000)
    import sqlite3

    rows = sqlite3.connect(store).execute("SELECT event, topic FROM attempts").fetchall()
    assert rows == [("check", "beginnings")]


def answer_anything(card) -> None:
    """Some checkable answer to whatever question the random draw put first."""
    if card.locator("input[type=radio], input[type=checkbox]").count():
        card.locator(".nukedu-option label").first.click()
    elif card.locator("select").count():
        for i in range(card.locator("select").count()):
            card.locator("select").nth(i).select_option(index=1)
    elif card.locator("textarea").count():
        card.locator("textarea").fill("Ukraine joined the Partnership for Peace in 1994. " * 10)
    elif card.locator("input.nukedu-field").count():
        card.locator("input.nukedu-field").fill("1994")
    # an ordering question is checkable as it stands
