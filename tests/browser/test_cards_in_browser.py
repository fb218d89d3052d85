"""Quiz cards as a student meets them, in JupyterLab 4 and Notebook 7, in Chromium.

Keyboard only: every question type answered with keys alone (the test focuses
the first control of a card, as Tab would, and from then on only presses keys).
Keys that are JupyterLab shortcuts elsewhere (a, b, d d, x, z, arrows) change no
cell while focus is in a card. Text contrast is measured from computed styles in
Light and Dark; nothing overflows at 1366 and 800 px. Screenshots of a card before
and after Check in both themes go to build/test-artifacts/.
"""
from __future__ import annotations

import pytest

import nukedu

from ..conftest import MINI_BANK, REPO
from .conftest import run_all_when_ready, write_notebook

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = REPO / "build" / "test-artifacts"
TYPES = ["sample-single", "sample-multiple", "sample-true-false", "sample-numeric", "sample-ordering",
         "sample-matching", "sample-short-text", "sample-essay"]


def cards_notebook(lab, name: str) -> str:
    cells = ["import nukedu\n"
             f"bank = nukedu.load_bank({str(MINI_BANK)!r})"]
    cells += [f"nukedu.ask({qid!r}, bank=bank, seed=1)" for qid in TYPES]
    cells.append("nukedu.quiz(bank=bank, n=3, seed=2, types=['single', 'numeric', 'matching'])")
    write_notebook(lab.root / name, cells)
    return name


def open_lab(page, lab, name: str, ui: str) -> None:
    if ui == "lab":
        page.goto(lab.notebook_url(name))
        page.locator(".jp-NotebookPanel").first.wait_for()
        page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=90_000)
    else:
        page.goto(f"{lab.url}/notebooks/{name}?token={lab.token}")
        page.locator(".jp-NotebookPanel").first.wait_for()
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(state="attached", timeout=90_000)
    run_all_when_ready(page, page.locator(".nukedu-card").nth(len(TYPES)))


def cell_snapshot(page) -> list[str]:
    """Every cell's type and source, in order: what a stray shortcut would change."""
    return page.evaluate("""() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map((c) =>
        (c.classList.contains('jp-CodeCell') ? 'code:' : 'other:') +
        (c.querySelector('.jp-InputArea-editor .cm-content') || {}).textContent)""")


def focused(page) -> dict:
    return page.evaluate("""() => { const a = document.activeElement;
        return { cls: a.className || '', tag: a.tagName, inCard: !!a.closest('.nukedu-root'),
                 text: a.textContent || '', value: a.value === undefined ? null : a.value }; }""")


def card_of(page, qid: str):
    question = nukedu.load_bank(MINI_BANK).question(qid)
    return question, page.locator(".nukedu-card").filter(has_text=question.prompt).first


def press_until(page, key: str, done, limit: int = 12) -> None:
    for _ in range(limit):
        if done():
            return
        page.keyboard.press(key)
    assert done(), f"pressing {key} {limit} times did not get there"


def tab_to(page, predicate: str, limit: int = 30) -> None:
    """Press Tab until the focused element satisfies a JS predicate of `a` (document.activeElement)."""
    press_until(page, "Tab", lambda: page.evaluate(f"() => {{ const a = document.activeElement; return !!({predicate}); }}"), limit)


def answer_by_keyboard(page, qid: str) -> None:
    """Answer one question right with the keyboard, press Enter, and expect the verdict to take the focus."""
    from playwright.sync_api import expect

    question, card = card_of(page, qid)
    card.scroll_into_view_if_needed()
    kind = question.type
    if kind in ("single", "true_false"):
        want = question.answer if kind == "single" else ("True" if question.answer else "False")
        card.locator("input").first.focus()
        press_until(page, "ArrowDown", lambda: focused(page)["value"] == want)
        page.keyboard.press("Space")  # selects the radio if it was the first one (arrows select as they move)
    elif kind == "multiple":
        boxes = card.locator("input[type=checkbox]")
        boxes.first.focus()
        for i in range(boxes.count()):
            if focused(page)["value"] in question.answers:
                page.keyboard.press("Space")
            if i < boxes.count() - 1:
                page.keyboard.press("Tab")
    elif kind == "numeric":
        card.locator("input.nukedu-field").focus()
        page.keyboard.type("in the late nineties")
        page.keyboard.press("Enter")
        expect(card.locator(".nukedu-problem")).not_to_have_text("")
        expect(card.locator(".nukedu-verdict")).to_have_text("")  # no try spent on unreadable input
        expect(card.locator(".nukedu-problem")).to_contain_text("This did not use a try")
        page.keyboard.press("Control+A")
        page.keyboard.type(str(int(question.answer)))
    elif kind == "short_text":
        card.locator("input.nukedu-field").focus()
        page.keyboard.type(question.accepted[0])
    elif kind == "essay":
        card.locator("textarea").focus()
        page.keyboard.type("The author warns that bilateral agreements are promises of help, not guarantees. " * 8)
        expect(card.locator(".nukedu-count")).to_contain_text("words")
        page.keyboard.press("Tab")  # Enter in a textarea is a new line; Tab reaches Submit
        assert "nukedu-check" in focused(page)["cls"]
    elif kind == "ordering":
        items = list(question.items)
        card.locator("li.nukedu-order-item").first.focus()
        for target, item in enumerate(items):
            tab_to(page, f"a.dataset && a.dataset.item === {item!r}")
            here = lambda: page.evaluate("() => [...document.activeElement.parentElement.children].indexOf(document.activeElement)")
            press_until(page, "Alt+ArrowUp", lambda: here() == target)
            assert focused(page)["cls"].startswith("nukedu-order-item"), "focus stays on the moved item"
        expect(card.locator(".nukedu-sr")).to_contain_text("moved to position")
        assert card.evaluate("c => [...c.querySelectorAll('li.nukedu-order-item')].map(li => li.dataset.item)") == items
    elif kind == "matching":
        selects = card.locator("select")
        selects.first.focus()
        lefts = card.evaluate("c => [...c.querySelectorAll('.nukedu-match-left')].map(l => l.textContent)")
        right_of = {p.left: p.right for p in question.pairs}
        for i, left in enumerate(lefts):
            press_until(page, "ArrowDown", lambda: focused(page)["value"] == right_of[left], limit=len(question.pairs) + 3)
            if i < len(lefts) - 1:
                page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    verdict = card.locator(".nukedu-verdict")
    expect(verdict).to_contain_text("Saved for your teacher" if kind == "essay" else "Correct")
    now = focused(page)
    assert "nukedu-verdict" in now["cls"], f"{qid}: after Check the focus is on {now}"


@pytest.mark.parametrize("ui", ["lab", "notebook7"])
def test_every_type_by_keyboard_and_no_shortcut_leaks(lab, page, ui):
    from playwright.sync_api import expect

    open_lab(page, lab, cards_notebook(lab, f"cards-{ui}.ipynb"), ui)
    before = cell_snapshot(page)
    assert len(before) == len(TYPES) + 2
    # JupyterLab's command-mode shortcuts, pressed with the focus on each kind of control in a card
    for qid, control in [("sample-single", "input[type=radio]"), ("sample-multiple", "input[type=checkbox]"),
                         ("sample-ordering", "li.nukedu-order-item"), ("sample-matching", "select"),
                         ("sample-single", "button.nukedu-check")]:
        _, card = card_of(page, qid)
        card.locator(control).first.focus()
        for key in ["a", "b", "d", "d", "x", "z", "ArrowUp", "ArrowDown", "Shift+ArrowDown", "m", "y"]:
            page.keyboard.press(key)
            now = focused(page)
            assert now["inCard"], f"{key} moved the focus out of the {qid} card ({control}) to {now}"
        assert cell_snapshot(page) == before, f"keys typed in {control} of {qid} changed the notebook"
        page.keyboard.press("Escape")
    # reload the page so the cards start fresh after the key presses above
    open_lab(page, lab, f"cards-{ui}.ipynb", ui)
    for qid in TYPES:
        answer_by_keyboard(page, qid)
    assert cell_snapshot(page) == before
    # control: the same keys do reach JupyterLab outside a card (so the checks above could fail)
    page.locator(".jp-Cell .jp-InputPrompt").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(before) + 1)


def set_theme(page, theme: str) -> None:
    page.evaluate("(t) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)
    light = "true" if "Light" in theme else "false"
    page.wait_for_function(f"() => document.body.dataset.jpThemeLight === '{light}'", timeout=30_000)
    page.wait_for_timeout(500)  # the theme's stylesheet applies


CONTRAST_JS = """(root) => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => { const a = top[3]; return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const background = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c[3] > 0) layers.push(c); if (c[3] >= 1) break; }
    let base = [255, 255, 255, 1]; for (const c of layers.reverse()) base = over(c, base); return base; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const out = [];
  const all = [root, ...root.querySelectorAll('*')];
  for (const el of all) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
      || ((el.tagName === 'INPUT' && el.type === 'text' && el.value) || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA' && el.value);
    if (!own) continue;
    const box = el.getBoundingClientRect(); const st = getComputedStyle(el);
    if (!box.width || !box.height || st.visibility === 'hidden' || el.closest('[hidden]') || el.closest('.nukedu-sr')) continue;
    const bg = background(el); const fg = over(parse(st.color), bg);
    const a = lum(fg), b = lum(bg); const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    out.push({ text: (el.value || el.textContent).trim().slice(0, 40), cls: el.className, tag: el.tagName, ratio: Math.round(ratio * 100) / 100,
               fg: st.color, bg: 'rgb(' + bg.slice(0, 3).map(Math.round).join(',') + ')' });
  }
  return out;
}"""

OVERFLOW_JS = """(root) => {
  const bad = []; const edge = root.getBoundingClientRect();
  const canvas = document.createElement('canvas').getContext('2d');
  for (const el of root.querySelectorAll('*')) {
    const box = el.getBoundingClientRect(); if (!box.width || el.closest('[hidden]') || el.closest('.nukedu-sr')) continue;
    const st = getComputedStyle(el);
    if (box.right > edge.right + 1 || box.left < edge.left - 1) bad.push({ why: 'outside the card', cls: el.className, tag: el.tagName, right: box.right, edge: edge.right });
    if ((el.tagName === 'BUTTON' || el.tagName === 'LABEL' || el.tagName === 'INPUT' || el.tagName === 'P' || el.tagName === 'LI') && el.scrollWidth > el.clientWidth + 1 && st.overflowX !== 'auto')
      bad.push({ why: 'content wider than its box', cls: el.className, tag: el.tagName, text: el.textContent.slice(0, 40) });
    if (el.tagName === 'SELECT') { canvas.font = st.font;
      for (const o of el.options) { const w = canvas.measureText(o.text).width;
        if (w > el.clientWidth - 28) bad.push({ why: 'option cut off', text: o.text, need: w, have: el.clientWidth }); } }
    if (el.tagName === 'INPUT' && el.placeholder) { canvas.font = st.font;
      if (canvas.measureText(el.placeholder).width > el.clientWidth - 8) bad.push({ why: 'placeholder cut off', text: el.placeholder }); }
  }
  return bad;
}"""


def test_contrast_layout_and_screenshots_in_light_and_dark(lab, page):
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    open_lab(page, lab, cards_notebook(lab, "cards-look.ipynb"), "lab")
    problems: list[str] = []
    try:
        for theme in ["JupyterLab Light", "JupyterLab Dark"]:
            set_theme(page, theme)
            tag = "dark" if "Dark" in theme else "light"
            _, single = card_of(page, "sample-single")
            single.scroll_into_view_if_needed()
            if tag == "light":
                single.screenshot(path=str(ARTIFACTS / f"card-{tag}-before.png"))
                # a wrong try (marks, nudges), then the right one (answer, explanation, sources)
                single.locator(".nukedu-option label", has_text="1994").click()
                single.locator("button.nukedu-check").click()
                expect(single.locator(".nukedu-verdict")).to_contain_text("Not yet")
                single.locator("button.nukedu-hint").click()
                expect(single.locator(".nukedu-hints")).to_contain_text("year of independence")
                single.screenshot(path=str(ARTIFACTS / f"card-{tag}-after-wrong.png"))
                single.locator("button.nukedu-retry").click()
                single.locator(".nukedu-option label", has_text="December 1991").click()
                single.locator("button.nukedu-check").click()
                expect(single.locator(".nukedu-verdict")).to_contain_text("Correct")
                _, multiple = card_of(page, "sample-multiple")
                multiple.locator(".nukedu-option label", has_text="China").click()
                multiple.locator("button.nukedu-check").click()
                expect(multiple.locator(".nukedu-verdict")).to_contain_text("Not yet")
                _, matching = card_of(page, "sample-matching")
                matching.locator("select").first.select_option(index=1)
                matching.locator("button.nukedu-check").click()
                expect(matching.locator(".nukedu-problem")).to_contain_text("choose")
                _, numeric = card_of(page, "sample-numeric")
                numeric.locator("input").fill("1990")
                numeric.locator("button.nukedu-check").click()
                expect(numeric.locator(".nukedu-nudges")).to_contain_text("Too low")
            else:
                page.wait_for_timeout(300)
            single.screenshot(path=str(ARTIFACTS / f"card-{tag}-after.png"))
            if tag == "dark":
                # the "before" picture in Dark: a card not yet answered
                card_of(page, "sample-short-text")[1].screenshot(path=str(ARTIFACTS / f"card-{tag}-before.png"))
            ratios = []
            for root in page.locator(".nukedu-root").all():
                for item in root.evaluate(CONTRAST_JS):
                    ratios.append(item["ratio"])
                    if item["ratio"] < 4.5:
                        problems.append(f"{tag}: {item}")
            assert len(ratios) > 100, "the measurement saw the cards' text"
            print(f"{theme}: {len(ratios)} text elements, lowest contrast {min(ratios)}:1")
            # the measurement can fail: grey text on the card's background is caught
            probe = single.evaluate("""(c) => { const s = document.createElement('span'); s.textContent = 'probe';
                s.style.color = document.body.dataset.jpThemeLight === 'true' ? 'rgb(150,150,150)' : 'rgb(100,100,100)';
                c.append(s); return true; }""")
            caught = [x for x in single.evaluate(CONTRAST_JS) if x["text"] == "probe"]
            single.evaluate("(c) => c.lastElementChild.remove()")
            assert probe and caught and caught[0]["ratio"] < 4.5, caught
            for width in (1366, 800):
                page.set_viewport_size({"width": width, "height": 900})
                page.wait_for_timeout(300)
                for root in page.locator(".nukedu-root").all():
                    for item in root.evaluate(OVERFLOW_JS):
                        problems.append(f"{tag} {width}px: {item}")
            page.set_viewport_size({"width": 1400, "height": 1000})
        unnamed = page.evaluate("""() => [...document.querySelectorAll('.nukedu-root button, .nukedu-root input, .nukedu-root select, .nukedu-root textarea')]
            .filter((b) => !(b.getAttribute('aria-label') || (b.labels && b.labels.length && b.labels[0].textContent.trim())
                             || (b.tagName === 'BUTTON' && b.textContent.trim())))
            .map((b) => b.outerHTML.slice(0, 80))""")
        assert not unnamed, f"controls without an accessible name: {unnamed}"
        ids = page.evaluate("() => [...document.querySelectorAll('.nukedu-root [id]')].map((e) => e.id)")
        assert len(ids) == len(set(ids)), "ids repeat across cards (labels and radio groups would mix)"
    finally:
        set_theme(page, "JupyterLab Light")  # the theme is a saved setting shared with the other browser tests
    assert not problems, "\n".join(problems[:40])
    for name in ["light-before", "light-after", "dark-before", "dark-after"]:
        assert (ARTIFACTS / f"card-{name}.png").stat().st_size > 3_000


def test_quiz_flow_by_keyboard(lab, page):
    """Question k of n, Next, Finish asks about unanswered questions, the summary replaces the question."""
    from playwright.sync_api import expect

    open_lab(page, lab, cards_notebook(lab, "cards-quiz.ipynb"), "lab")
    quiz = page.locator(".nukedu-quiz").first
    quiz.scroll_into_view_if_needed()
    expect(quiz.locator(".nukedu-progress-text")).to_contain_text("Question 1 of 3")
    expect(quiz.locator("button.nukedu-previous")).to_be_disabled()
    quiz.locator("button.nukedu-next").focus()
    page.keyboard.press("Enter")
    expect(quiz.locator(".nukedu-progress-text")).to_contain_text("Question 2 of 3")
    quiz.locator("button.nukedu-finish").focus()
    page.keyboard.press("Enter")
    confirm = quiz.locator(".nukedu-confirm")
    expect(confirm).to_contain_text("3 questions are still unanswered. Finish anyway?")
    expect(confirm).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Finish anyway
    summary = quiz.locator(".nukedu-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("h4")).to_have_text("Your result: 0 of 3 points (0%)")
    expect(summary).not_to_contain_text("null")
    expect(quiz.locator(".nukedu-body")).to_be_hidden()
    expect(summary.locator("button.nukedu-retry-missed")).to_contain_text("Retry missed questions (3)")


def test_reopened_notebook_shows_readable_questions_without_answers(lab, page):
    """Saved with outputs, reopened the next day: the questions are readable text, no answers, until run again."""
    import nbformat
    from nbclient import NotebookClient
    from playwright.sync_api import expect

    name = cards_notebook(lab, "cards-saved.ipynb")
    nb = nbformat.read(lab.root / name, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(lab.root)}}).execute()
    nbformat.write(nb, lab.root / name)
    page.goto(lab.notebook_url(name))
    page.locator(".jp-NotebookPanel").first.wait_for()
    static = page.locator(".nukedu-static")
    expect(static).to_have_count(len(TYPES) + 1)
    bank = nukedu.load_bank(MINI_BANK)
    for i, qid in enumerate(TYPES):
        q = bank.question(qid)
        copy = static.nth(i)
        expect(copy).to_be_visible()
        expect(copy).to_contain_text(q.prompt)
        expect(copy).to_contain_text("Run this cell")
        text = copy.inner_text()
        for secret in [q.explanation, *(s.quote for s in q.sources)]:
            assert secret not in text, f"{qid}: the static copy shows {secret!r}"
    assert "Bydgoszcz" not in static.nth(TYPES.index("sample-short-text")).inner_text()
    assert "1997" not in static.nth(TYPES.index("sample-numeric")).inner_text()
    # run again: the live card takes the static copy's place
    page.locator(".jp-StatusBar-TextItem", has_text="Idle").first.wait_for(timeout=90_000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.commands", timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.locator(".nukedu-root .nukedu-card").nth(len(TYPES)).wait_for(timeout=90_000)
    page.wait_for_timeout(1000)
    left = page.evaluate("() => [...document.querySelectorAll('.nukedu-static')].filter(e => e.offsetParent).map(e => e.textContent.slice(0, 60))")
    assert not left, left
