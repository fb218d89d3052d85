"""An instructor hand-grades essays in nbgrader's formgrader after the trusted grader ran, in a real browser.

One quiz-only course (no code task, so no sandbox) on the small bank. An
honest student, a hostile one whose essay is HTML, a script, a javascript:
link and MathJax, and whose notebook's outputs carry HTML and JavaScript,
and one whose Markdown headings are named like formgrader's score inputs.
The trusted grader grades them; JupyterLab serves the course (started in
it, so nbgrader's formgrader reads its nbgrader_config.py); Chromium lists
the submissions, opens the hostile one, checks that nothing of the
student's runs or renders as markup, and saves a hand score through
formgrader's own score input. `refresh` then puts that score on the
student's feedback page, which must run nothing either.

Every page gets a hook before its own scripts that reports each assignment
to document.title; requests leaving 127.0.0.1 are refused (formgrader asks
a CDN for MathJax), so the run is the same with or without a network.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..conftest import MINI_BANK
from .conftest import CHROMIUM, _free_port, _missing

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SPEC = """\
name: quiz
title: Quiz for formgrader
instructions: Answer every question.
seed: 3
parts:
  - questions: {ids: [sample-single, sample-numeric]}
  - essay:
      name: caution
      prompt: Why caution about assurances?
      rubric:
        - {criterion: Refers to the Budapest Memorandum, points: 2}
"""
HONEST, HOSTILE, SHADOW = "honest", "mallory", "eve"
HONEST_ESSAY = "The 1994 Budapest Memorandum gave assurances, not guarantees, and they did not stop aggression."
HOSTILE_ESSAY = ("<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script> "
                 "[click](javascript:document.title='pwned') $\\href{javascript:alert(1)}{x}$")
# What the hostile student's notebook displayed: none of it may reach formgrader.
HOSTILE_OUTPUTS = [
    {"output_type": "display_data", "metadata": {},
     "data": {"text/html": "<div id='student-html-output'>STUDENT HTML OUTPUT</div>"
                           "<script>document.title='pwned'; alert('pwned html')</script>",
              "text/plain": "<HTML>"}},
    {"output_type": "display_data", "metadata": {},
     "data": {"application/javascript": "document.title='pwned'; alert('pwned js');", "text/plain": "<JS>"}},
    {"output_type": "execute_result", "execution_count": 1, "metadata": {},
     "data": {"text/html": "<b id='student-html-result'>pwned result</b>", "text/plain": "1"}},
]
# Markdown headings get an id equal to their text in formgrader; formgrader finds each score input by `$("#" + grade_id)`.
SHADOW_CELL = {"cell_type": "markdown", "id": "my-notes", "metadata": {}, "source": "# q2-test\n\ncaution-answer\n===\n\nMy notes."}
HAND_SCORE = 1.5
# Runs before any script of each page: reports every assignment to document.title.
TITLE_WATCH = """
(() => {
  const own = Object.getOwnPropertyDescriptor(Document.prototype, 'title');
  Object.defineProperty(Document.prototype, 'title', {
    configurable: true, enumerable: own.enumerable,
    get() { return own.get.call(this); },
    set(value) { try { window.nukeduTitleSet(String(value)); } catch (e) {} own.set.call(this, value); },
  });
})();
"""


@dataclass
class Formgrader:
    course: Path
    url: str
    token: str
    log: Path
    startup_seconds: float

    def log_in(self, page, next_path: str) -> None:
        """Jupyter's login form with the token, as an instructor would; the cookie then covers formgrader's API calls."""
        page.goto(f"{self.url}/login?next={next_path}")
        page.locator("#password_input").fill(self.token)
        with page.expect_navigation():
            page.locator("#login_submit").click()
        assert page.url.startswith(f"{self.url}{next_path}"), page.url


@dataclass
class Watch:
    """What the pages did that they should not have: dialogs, document.title assignments, requests off this machine."""

    dialogs: list[str]
    titles: list[str]
    offsite: list[str]


def _watch(page, local: str) -> Watch:
    w = Watch([], [], [])

    def on_dialog(dialog):
        w.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def off_machine(route):
        w.offsite.append(route.request.url)
        route.abort()

    page.on("dialog", on_dialog)
    page.expose_function("nukeduTitleSet", lambda value: w.titles.append(value))
    page.add_init_script(TITLE_WATCH)
    page.route(lambda url: not url.startswith((local, "file://", "data:", "blob:")), off_machine)
    return w


def _assert_inert(page, w: Watch, where: str) -> None:
    """Nothing the student wrote ran or became markup in the page."""
    assert not any("pwned" in t for t in w.titles), (where, w.titles)
    assert w.dialogs == [], (where, w.dialogs)
    assert page.evaluate("document.title") != "pwned", where
    assert page.evaluate("[...document.scripts].filter(s => s.text.includes('pwned')).length") == 0, where
    assert page.locator("img[src='x']").count() == 0, where
    assert page.locator("a[href^='javascript:' i]").count() == 0, where
    assert page.locator("#student-html-output, #student-html-result").count() == 0, where
    body = page.locator("body").inner_text()
    assert "STUDENT HTML OUTPUT" not in body and "pwned result" not in body, where


def _wait_for_server(proc: subprocess.Popen, url: str, token: str, log: Path) -> None:
    deadline = time.time() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            pytest.fail(f"JupyterLab did not start; log:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


def _submit(course: Path, release: dict, student: str, answers: dict[str, str], *,
            outputs: list | None = None, after_q1: dict[str, Any] | None = None) -> None:
    """The release notebook with `answers` in; `outputs` shown by the first answer cell; a cell of the student's own after it."""
    nb = json.loads(json.dumps(release))
    for cell in nb["cells"]:
        if cell.get("id") in answers:
            cell["source"] = answers[cell["id"]]
        if outputs is not None and cell.get("id") == "q1-answer":
            cell["outputs"], cell["execution_count"] = outputs, 1
    if after_q1 is not None:
        at = next(i for i, c in enumerate(nb["cells"]) if c.get("id") == "q1-answer") + 1
        nb["cells"].insert(at, after_q1)
    folder = course / "submitted" / student / "quiz"
    folder.mkdir(parents=True)
    (folder / "quiz.ipynb").write_text(json.dumps(nb), encoding="utf-8")


@pytest.fixture(scope="module")
def formgrader(tmp_path_factory):
    """A graded quiz course served by JupyterLab (cwd = the course, so formgrader reads its nbgrader_config.py)."""
    pytest.importorskip("nbgrader")
    if not CHROMIUM.exists():
        _missing("Debian's chromium is not installed at /usr/bin/chromium (make test installs it when run as root)")
    from nukedu import load_bank
    from nukedu.assign.build import build_assignments
    from nukedu.assign.grade import grade_assignment
    from nukedu.assign.notebook import letter_view
    from nukedu.assign.spec import BankItem, parse_spec, resolve

    base = tmp_path_factory.mktemp("formgrader")
    env_names = ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR", "JUPYTERLAB_SETTINGS_DIR")
    dirs = {name: base / name.lower() for name in env_names}
    notify = dirs["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab" / "apputils-extension"
    notify.mkdir(parents=True)
    (notify / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    course = base / "course"
    with pytest.MonkeyPatch.context() as mp:
        for name, path in dirs.items():
            mp.setenv(name, str(path))
        spec = parse_spec(SPEC, "quiz.yaml")
        bank = load_bank(MINI_BANK)
        build_assignments([spec], bank, course, bank_path=MINI_BANK)
        items = [i for i in resolve(spec, bank).items if isinstance(i, BankItem)]
        right = {f"{i.name}-answer": f"{i.variable} = {letter_view(i, spec.seed).correct!r}" for i in items}
        release = json.loads((course / "release" / "quiz" / "quiz.ipynb").read_text(encoding="utf-8"))
        _submit(course, release, HONEST, {**right, "caution-answer": HONEST_ESSAY})
        _submit(course, release, HOSTILE, {**right, "caution-answer": HOSTILE_ESSAY}, outputs=HOSTILE_OUTPUTS, after_q1={
            "cell_type": "code", "id": "my-extra", "metadata": {}, "execution_count": 2, "outputs": HOSTILE_OUTPUTS,
            "source": "from IPython.display import HTML\nHTML('<script>...</script>')"})
        _submit(course, release, SHADOW, {**right, "caution-answer": "An essay."}, after_q1=SHADOW_CELL)
        summary = grade_assignment(course, "quiz", jobs=1)
        env = dict(os.environ)
    assert {r.student: r.status for r in summary.rows} == dict.fromkeys((HONEST, HOSTILE, SHADOW), "needs manual grading"), summary.render()

    port, token = _free_port(), secrets.token_hex(16)
    log = base / "jupyter.log"
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--allow-root",
           f"--IdentityProvider.token={token}", "--PasswordIdentityProvider.hashed_password=",
           f"--ServerApp.root_dir={course}", "--LabApp.news_url=None"]
    start = time.perf_counter()
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=course)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(proc, url, token, log)
        yield Formgrader(course, url, token, log, time.perf_counter() - start)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _grade(course: Path, student: str, grade_id: str = "caution-answer") -> tuple[float | None, bool]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        g = gb.find_grade(grade_id, "quiz", "quiz", student)
        return g.manual_score, g.needs_manual_grade


def _open_submission(page, fg: Formgrader, student: str) -> None:
    """From the notebook's submission list, with names shown, to one student's submission."""
    fg.log_in(page, "/formgrader/gradebook/quiz/quiz")
    rows = page.locator("#main-table tr")
    page.locator("#main-table a.name-shown").first.wait_for(state="attached")
    page.locator("#toggle_names").click()   # "Show All Names": student ids instead of "Submission #n"
    link = rows.locator("a.name-shown", has_text=re.compile(rf"^{student}$"))
    with page.expect_navigation():
        link.click()
    assert "/formgrader/submissions/" in page.url, page.url


NEEDS_MANUAL = re.compile(r"\bneeds_manual_grade\b")


def test_instructor_hand_grades_a_hostile_essay_in_formgrader(formgrader, page, tmp_path):
    from playwright.sync_api import expect

    from nukedu.assign.grade import refresh

    course = formgrader.course
    w = _watch(page, formgrader.url)

    # The submissions of notebook quiz in assignment quiz: all wait for manual grading.
    formgrader.log_in(page, "/formgrader/gradebook/quiz/quiz")
    rows = page.locator("#main-table tr")
    expect(rows).to_have_count(3)
    page.locator("#toggle_names").click()   # "Show All Names": student ids instead of "Submission #n"
    for student in (HONEST, HOSTILE, SHADOW):
        row = rows.filter(has=page.locator("a.name-shown", has_text=re.compile(rf"^{student}$")))
        expect(row).to_have_count(1)
        expect(row.locator("td.needs-manual-grade")).to_have_attribute("data-search", "needs manual grade")
        expect(row.locator("td.needs-manual-grade .glyphicon-ok")).to_have_count(1)
    list_png = tmp_path / "formgrader-list.png"
    page.screenshot(path=str(list_png), full_page=True)

    # The hostile student's submission.
    with page.expect_navigation():
        rows.locator("a.name-shown", has_text=re.compile(rf"^{HOSTILE}$")).click()
    assert "/formgrader/submissions/" in page.url, page.url
    score = page.locator("input.score#caution-answer")
    expect(score).to_have_class(NEEDS_MANUAL)   # formgrader's GradeUI is bound: grades came from its API
    page.wait_for_load_state("load")
    page.wait_for_timeout(500)                  # time for anything injected (onerror, MathJax) to have run
    _assert_inert(page, w, "formgrader submission")
    assert page.evaluate("document.title") == "quiz"
    essay = page.locator(".nbgrader_cell", has=score).locator(".text_cell_render")
    expect(essay).to_contain_text("<img src=x onerror=")   # the markup shows as the words typed
    expect(essay).to_contain_text("<script>document.title='pwned'</script>")
    expect(essay).to_contain_text("javascript:document.title='pwned'")
    expect(essay).to_contain_text("href{javascript:alert(1)}")

    # A hand score through formgrader's score input; it saves on change (here: blur).
    with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as saved:
        score.fill(str(HAND_SCORE))
        score.blur()
    assert saved.value.ok, saved.value.status
    expect(score).not_to_have_class(NEEDS_MANUAL)
    expect(score).to_have_value(str(HAND_SCORE))
    sub_png = tmp_path / "formgrader-submission.png"
    page.screenshot(path=str(sub_png), full_page=True)
    _assert_inert(page, w, "formgrader after saving")
    assert _grade(course, HOSTILE) == (HAND_SCORE, False)
    assert _grade(course, HONEST) == (None, True)

    # Feedback with the hand score, opened as a file: still inert.
    summary = refresh(course, "quiz")
    assert {r.student: r.status for r in summary.rows} == {HONEST: "needs manual grading", HOSTILE: "graded", SHADOW: "needs manual grading"}
    feedback = course / "feedback" / HOSTILE / "quiz" / "quiz.html"
    assert f"graded by your instructor, {HAND_SCORE:g} of 2 points" in feedback.read_text(encoding="utf-8")
    page.goto(feedback.as_uri())
    expect(page.locator("body")).to_contain_text("graded by your instructor")
    expect(page.locator("body")).to_contain_text("<img src=x onerror=")
    page.wait_for_timeout(300)
    _assert_inert(page, w, "feedback page")
    fb_png = tmp_path / "feedback.png"
    page.screenshot(path=str(fb_png), full_page=True)

    for png in (list_png, sub_png, fb_png):
        assert png.stat().st_size > 5_000, png
    assert all("mathjax" in u.lower() for u in w.offsite), w.offsite   # formgrader's only outside request


def test_student_headings_cannot_take_over_formgrader_score_inputs(formgrader, page):
    """A heading named after a grade id (`# q2-test`) would get that element id and capture formgrader's score box."""
    from playwright.sync_api import expect

    w = _watch(page, formgrader.url)
    _open_submission(page, formgrader, SHADOW)
    expect(page.locator("input.score#q1-test")).to_have_attribute("placeholder", "1")   # bound: placeholder is the auto score
    for grade_id in ("q2-test", "caution-answer"):
        assert page.evaluate(f"document.querySelectorAll('[id=\"{grade_id}\"]').length") == 1, grade_id
    expect(page.locator("input.score#q2-test")).to_have_attribute("placeholder", "1", timeout=3_000)
    expect(page.locator("input.score#caution-answer")).to_have_class(NEEDS_MANUAL, timeout=3_000)
    _assert_inert(page, w, "formgrader, headings")
