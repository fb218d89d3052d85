"""A class on a real JupyterHub, end to end: separate Unix accounts, nbgrader's exchange, Chromium through the hub.

The instructor builds from a private bank and releases; three students fetch,
answer (right, partly right, hostile) and submit, one of them entirely in the
browser; the hub restarts in the middle; a student submits twice; the
instructor collects, grades with `nukedu assignment grade`, hand-grades an
essay in formgrader through the hub and returns feedback; each student sees
their own score and no one else's, and cannot read anyone else's files.
Skipped where the machine cannot create Unix accounts (not root).
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import REPO
from .conftest import CHROMIUM, _free_port

sys.path.insert(0, str(REPO / "classroom"))
import setup as classroom  # noqa: E402  (classroom/setup.py: what `make classroom` runs)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SPEC = REPO / "assignments" / "a1-beginnings.yaml"
NAME = "a1-beginnings"
HAND_SCORE = 4.5


@dataclass
class Hub:
    room: classroom.Classroom
    course: Path
    log: Path
    proc: subprocess.Popen | None = None

    def start(self) -> None:
        out = open(self.log, "ab")
        self.proc = subprocess.Popen(classroom.hub_command(), env={**os.environ, **self.room.env()}, cwd=self.room.state,
                                     stdout=out, stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{self.room.url}/hub/login", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.time() > deadline:
                pytest.fail(f"JupyterHub did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.5)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def run(self, user: str, *args: str, cwd: Path | None = None, check: bool = True):  # type: ignore[no-untyped-def]
        done = classroom.as_user(self.room, user, list(args), cwd=cwd, check=False)
        if check and done.returncode != 0:
            pytest.fail(f"{' '.join(args)} as {user} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
        return done


@pytest.fixture(scope="module")
def hub():
    ok, why = classroom.can_create_users()
    if not ok:
        pytest.skip(f"the classroom test creates Unix accounts and cannot: {why}")
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    base = Path(tempfile.mkdtemp(prefix="nukedu-classroom-", dir="/tmp"))
    tag = secrets.token_hex(2)
    teacher, students = f"nkt-{tag}", tuple(f"nks{i}-{tag}" for i in (1, 2, 3))
    room = classroom.prepare(base, port=_free_port(), instructors=(teacher,), students=students,
                             exchange=base / "exchange", password=secrets.token_urlsafe(10))
    h = Hub(room, room.homes[teacher] / "course", base / "hub.log")
    try:
        classroom.build_course(room, [SPEC])
        h.run(teacher, "nbgrader", "release_assignment", NAME, cwd=h.course)
        h.start()
        yield h
    finally:
        h.stop()
        for user in (teacher, *students):
            subprocess.run(["pkill", "-u", user], check=False)
        time.sleep(1)
        for user in (teacher, *students):
            classroom.remove_user(user)
        classroom.close_python(room.opened)   # /root back to 700: other tests rely on it being closed
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def answers():
    """Right answers to every question of the assignment, from the spec and the bank (what only the test knows)."""
    from nukedu import load_bank
    from nukedu.assign.notebook import letter_view
    from nukedu.assign.spec import BankItem, load_spec, resolve

    spec = load_spec(SPEC)
    items = [i for i in resolve(spec, load_bank(REPO / "question_bank")).items if isinstance(i, BankItem)]
    right = {f"{i.name}-answer": f"{i.variable} = {letter_view(i, spec.seed).correct!r}" for i in items}
    right["early-milestones-answer"] = ("first_year = min(e.date.year for e in bank.events)\n"
                                        "early_events = len(bank.events_in('beginnings')) + "
                                        "len(bank.events_in('distinctive-partnership'))")
    right["q10-answer"] = ("The Budapest Memorandum of 1994 gave Ukraine assurances from Russia, the UK and the US "
                           "that its borders would be respected, but it was not legally binding. " * 4)
    return right


def answered(release: Path, answers: dict[str, str]) -> dict:
    nb = json.loads(release.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell.get("id") in answers:
            cell["source"] = answers[cell["id"]]
    return nb


def write_as(hub: Hub, user: str, path: Path, nb: dict) -> None:
    path.write_text(json.dumps(nb), encoding="utf-8")
    shutil.chown(path, user, user)


def log_in(page, hub: Hub, user: str) -> None:
    page.goto(f"{hub.room.url}/hub/login")
    page.fill("#username_input", user)
    page.fill("#password_input", hub.room.password)
    page.click("#login_submit")
    page.wait_for_url(f"**/user/{user}/**", timeout=150_000)


def open_assignment_list(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text="Nbgrader").click()
    page.locator(".lm-Menu-itemLabel", has_text="Assignment List").click()
    page.get_by_text("Released assignments").first.wait_for()


def test_a_class_on_jupyterhub_from_release_to_feedback(hub, answers, browser):
    from playwright.sync_api import expect

    room = hub.room
    teacher = room.instructors[0]
    s1, s2, s3 = room.students
    release = hub.course / "release" / NAME / f"{NAME}.ipynb"
    partly = {k: v for k, v in answers.items() if k in ("q1-answer", "q2-answer", "q3-answer", "q10-answer")}
    hostile = {k: "import os, glob\n" + f"answer_{k.split('-')[0]} = open(glob.glob('{room.exchange}/*/inbound/*/*.ipynb')[0]).read()"
               for k in answers if re.fullmatch(r"q\d-answer", k)}
    hostile["early-milestones-answer"] = ("import os, glob\nos.system('cat /etc/shadow > ~/stolen')\nfirst_year = 1991\n"
                                          "early_events = 0\n[open(p + '/grades', 'w') for p in glob.glob(os.path.expanduser('~/../*'))]")
    hostile["q10-answer"] = "<script>document.title='pwned'</script> I would rather not."

    contexts = []
    try:
        # --- student 1, only through the browser: log in at the hub, fetch, answer, submit
        contexts.append(browser.new_context(viewport={"width": 1400, "height": 1000}))
        page = contexts[-1].new_page()
        page.set_default_timeout(60_000)
        log_in(page, hub, s1)
        page.locator(".jp-Launcher").first.wait_for()
        config = json.loads(page.locator("#jupyter-config-data").text_content())
        assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= set(config["disabledExtensions"])
        assert page.request.get(f"{room.url}/user/{s1}/formgrader").status == 404
        open_assignment_list(page)
        page.locator("button", has_text="Fetch").first.click()
        page.get_by_text("Downloaded assignments").first.wait_for()
        expect(page.locator("button", has_text="Submit").first).to_be_visible(timeout=60_000)
        # the student's edits, saved the way JupyterLab saves: through the contents API, as this user
        nb = answered(release, answers)
        xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_xsrf")
        saved = page.request.put(f"{room.url}/user/{s1}/api/contents/{NAME}/{NAME}.ipynb",
                                 data=json.dumps({"type": "notebook", "format": "json", "content": nb}),
                                 headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"})
        assert saved.ok, saved.text()
        page.locator("button", has_text="Submit").first.click()
        page.get_by_text("Submitted assignments").first.wait_for()
        expect(page.locator("#submitted_assignments_list, .nbgrader-submitted, body").first).to_contain_text(NAME)
        deadline = time.time() + 60
        while not list(room.exchange.glob(f"nukedu/inbound/{s1}+{NAME}+*")) and time.time() < deadline:
            time.sleep(0.5)
        assert list(room.exchange.glob(f"nukedu/inbound/{s1}+{NAME}+*")), "the browser's Submit reached the exchange"

        # --- student 2 from a terminal: a partly right first version
        hub.run(s2, "nbgrader", "fetch_assignment", NAME)
        mine = room.homes[s2] / NAME / f"{NAME}.ipynb"
        write_as(hub, s2, mine, answered(release, {**partly, "q1-answer": "answer_q1 = 'Z'"}))
        hub.run(s2, "nbgrader", "submit", NAME)

        # --- the hub restarts in the middle: nothing submitted is lost
        hub.stop()
        hub.start()
        inbound = sorted(room.exchange.glob(f"nukedu/inbound/*+{NAME}+*"))
        assert {x.name.split("+")[0] for x in inbound} == {s1, s2}

        # --- student 2 submits again (the latest counts), student 3 submits a hostile notebook
        time.sleep(1.1)   # a later timestamp for the second submission
        write_as(hub, s2, mine, answered(release, partly))
        hub.run(s2, "nbgrader", "submit", NAME)
        hub.run(s3, "nbgrader", "fetch_assignment", NAME)
        write_as(hub, s3, room.homes[s3] / NAME / f"{NAME}.ipynb", answered(release, hostile))
        hub.run(s3, "nbgrader", "submit", NAME)
        assert len(list(room.exchange.glob(f"nukedu/inbound/{s2}+{NAME}+*"))) == 2  # the history is kept

        # --- students cannot read each other's work, the exchange's inbound files or the instructor's files
        for path in (room.homes[s1] / NAME / f"{NAME}.ipynb", room.homes[teacher] / "private-bank" / "glossary.yaml",
                     hub.course / "source" / NAME / f"{NAME}.ipynb", hub.course / "gradebook.db"):
            tried = hub.run(s3, "cat", str(path), check=False)
            assert tried.returncode != 0 and "Permission denied" in tried.stderr, (path, tried.stdout[:200])
        # nbgrader's model for the inbound folder: nobody but the instructor may list it (mode 733), and each
        # submission's name ends in 72 random bits, so a classmate can neither find nor guess one
        listing = hub.run(s3, "ls", str(room.exchange / "nukedu" / "inbound"), check=False)
        assert listing.returncode != 0 and "Permission denied" in listing.stderr
        found = hub.run(s3, "python", "-c", "import glob,sys; print(glob.glob(sys.argv[1]))",
                        str(room.exchange / "nukedu" / "inbound" / f"{s1}+*"))
        assert found.stdout.strip() == "[]"
        for sub in room.exchange.glob(f"nukedu/inbound/*+{NAME}+*"):
            assert len(sub.name.rsplit("+", 1)[1]) >= 12, sub.name

        # --- the instructor collects and grades outside every student's code
        hub.run(teacher, "nbgrader", "collect", NAME, cwd=hub.course)
        assert {p.name for p in (hub.course / "submitted").iterdir()} == {s1, s2, s3}
        latest = json.loads((hub.course / "submitted" / s2 / NAME / f"{NAME}.ipynb").read_text(encoding="utf-8"))
        q1 = next(c for c in latest["cells"] if c.get("id") == "q1-answer")
        assert "".join(q1["source"]) == partly["q1-answer"]   # the second submission is the one collected
        graded = hub.run(teacher, "nukedu", "assignment", "grade", NAME, "--course", str(hub.course), "--jobs", "1",
                         "--quiet", cwd=hub.course)
        assert not (room.homes[s3] / "stolen").exists() and not (room.homes[teacher] / "stolen").exists()
        assert s1 in graded.stdout and s3 in graded.stdout, graded.stdout

        # --- hand-grading student 1's essay in formgrader, through the hub
        contexts.append(browser.new_context(viewport={"width": 1400, "height": 1000}))
        teacher_page = contexts[-1].new_page()
        teacher_page.set_default_timeout(60_000)
        log_in(teacher_page, hub, teacher)
        teacher_page.goto(f"{room.url}/user/{teacher}/formgrader/gradebook/{NAME}/{NAME}")
        teacher_page.locator("#main-table a.name-shown").first.wait_for(state="attached")
        teacher_page.locator("#toggle_names").click()
        with teacher_page.expect_navigation():
            teacher_page.locator("#main-table a.name-shown", has_text=re.compile(rf"^{s1}$")).click()
        score = teacher_page.locator("input.score#q10-answer")
        # formgrader binds its score inputs once its API answered: saving before that sends nothing
        expect(score).to_have_class(re.compile(r"\bneeds_manual_grade\b"))
        teacher_page.wait_for_load_state("load")
        with teacher_page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT") as put:
            score.fill(str(HAND_SCORE))
            score.blur()
        assert put.value.ok

        # --- feedback out, and each student fetches their own
        hub.run(teacher, "nukedu", "assignment", "feedback", NAME, "--course", str(hub.course), cwd=hub.course)
        hub.run(teacher, "nbgrader", "release_feedback", NAME, cwd=hub.course)
        pages = {}
        for s in (s1, s2, s3):
            hub.run(s, "nbgrader", "fetch_feedback", NAME)
            found = list((room.homes[s] / NAME / "feedback").glob(f"*/{NAME}.html"))
            assert found, f"{s} got no feedback"
            pages[s] = max(found).read_text(encoding="utf-8")
        assert f"graded by your instructor, {HAND_SCORE:g} of 6 points" in pages[s1]
        for s, text in pages.items():
            assert not any(o in text for o in room.students if o != s), f"{s}'s feedback names a classmate"
        assert "<script>document.title='pwned'</script>" not in pages[s3]  # shown as text, never as markup
        scores = {s: re.search(r"(\d+(?:\.\d+)?) of (\d+) points", t) for s, t in pages.items()}
        assert all(scores.values()), {s: t[:300] for s, t in pages.items()}
    finally:
        for context in contexts:
            context.close()
