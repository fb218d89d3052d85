// nukedu question cards and quiz sessions: one ESM for both widgets (model "mode": "card" or "quiz").
//
// The kernel keeps the key. This file draws what the synced state holds (the question as a
// student sees it, and what they have earned so far), and sends each action to the kernel as
// a message; the kernel answers by updating the state, with `ack` set to the action's number.
// No answer is ever decided here. All text goes in with textContent, never as HTML.

const ACK_TIMEOUT_MS = 4000;
let uid = 0;

// Lumino matches a shortcut's selector (e.g. "... :focus") against the key's target first and only
// then walks up looking for data-lm-suppress-shortcuts, so the focused element itself must carry it.
const FOCUSABLE = new Set(["input", "select", "textarea", "button", "a"]);

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  if (FOCUSABLE.has(tag) || "tabindex" in attrs) el.setAttribute("data-lm-suppress-shortcuts", "true");
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const PLURALS = { try: "tries" };

function plural(n, word) {
  return `${n} ${n === 1 ? word : PLURALS[word] || `${word}s`}`;
}

function markBadge(ok) {
  return h("span", { class: `nukedu-mark ${ok ? "nukedu-mark-ok" : "nukedu-mark-bad"}` },
    h("span", { "aria-hidden": "true", text: ok ? "✓ " : "✗ " }), ok ? "right" : "wrong");
}

// Hide the static copy a reopened notebook shows when there is no kernel (the output before ours).
// The view may be drawn before the output area is attached, so look again on later frames.
// (card.css does the same with :has() where the browser supports it.)
function hideStaticTwin(el, framesLeft = 60) {
  const output = el.closest(".jp-OutputArea-child, .output_area");
  if (!output) {
    if (framesLeft > 0) requestAnimationFrame(() => hideStaticTwin(el, framesLeft - 1));
    return;
  }
  const before = output.previousElementSibling;
  if (before && before.querySelector(".nukedu-static")) before.style.display = "none";
}

// --- one card ------------------------------------------------------------------------------------
class Card {
  constructor(view, send) {
    this.view = view;
    this.send = send;
    // anywidget loads this module once per widget, so a module counter alone would repeat ids across cards
    // (and radios of different cards sharing a name would form one group): add a random part.
    this.id = `nukedu-${Math.random().toString(36).slice(2, 10)}-${++uid}`;
    this.inputs = [];
    this.el = h("section", { class: "nukedu-card", role: "group", "aria-labelledby": `${this.id}-prompt` });
    this.build();
  }

  build() {
    const v = this.view;
    const meta = [];
    if (v.header) meta.push(v.header);
    meta.push(`difficulty ${"●".repeat(v.difficulty)}${"○".repeat(Math.max(0, 3 - v.difficulty))}`);
    meta.push(plural(v.points, "point"));
    this.el.append(h("p", { class: "nukedu-meta", text: meta.join(" · ") }));
    this.el.append(h("p", { class: "nukedu-prompt", id: `${this.id}-prompt`, tabindex: "-1", text: v.prompt }));
    this.answer = h("div", { class: "nukedu-answer" });
    this.el.append(this.answer);
    this.buildControls();
    this.problem = h("p", { class: "nukedu-problem", role: "alert" });
    this.hints = h("ol", { class: "nukedu-hints", "aria-label": "Hints" });
    this.checkButton = h("button", { class: "nukedu-button nukedu-primary nukedu-check", type: "button",
      text: v.type === "essay" ? "Submit" : "Check", onclick: () => this.check() });
    this.retryButton = h("button", { class: "nukedu-button nukedu-retry", type: "button", text: "Try again",
      onclick: () => this.send({ action: "retry" }) });
    this.hintButton = h("button", { class: "nukedu-button nukedu-hint", type: "button",
      onclick: () => this.send({ action: "hint" }) });
    this.showButton = h("button", { class: "nukedu-button nukedu-show", type: "button", text: "Show answer",
      onclick: () => this.send({ action: "give_up" }) });
    this.actions = h("div", { class: "nukedu-actions" }, this.checkButton, this.retryButton, this.hintButton, this.showButton);
    this.verdict = h("p", { class: "nukedu-verdict", tabindex: "-1" });
    this.nudges = h("ul", { class: "nukedu-nudges" });
    this.earned = h("div", { class: "nukedu-earned" });
    this.feedback = h("div", { class: "nukedu-feedback", "aria-live": "polite" }, this.verdict, this.nudges, this.earned);
    this.el.append(this.problem, this.hints, this.actions, this.feedback);
  }

  // Enter checks from any single-line control; textarea keeps its Enter.
  enterChecks(input) {
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        this.check();
      }
    });
  }

  buildControls() {
    const v = this.view;
    const t = v.type;
    if (t === "single" || t === "true_false" || t === "multiple") {
      const kind = t === "multiple" ? "checkbox" : "radio";
      const legend = t === "multiple" ? "Choose every option that applies" : "Choose one answer";
      const set = h("fieldset", { class: "nukedu-options" }, h("legend", { class: "nukedu-legend", text: legend }));
      this.optionRows = new Map();
      v.choices.forEach((choice, i) => {
        const input = h("input", { type: kind, name: `${this.id}-choice`, id: `${this.id}-o${i}`, value: choice });
        this.enterChecks(input);
        const row = h("div", { class: "nukedu-option" }, input, h("label", { for: `${this.id}-o${i}`, text: choice }));
        this.optionRows.set(choice, row);
        this.inputs.push(input);
        set.append(row);
      });
      this.answer.append(set);
      this.read = () => {
        const picked = this.inputs.filter((x) => x.checked).map((x) => x.value);
        if (kind === "checkbox") return picked;
        if (!picked.length) return null;
        return t === "true_false" ? picked[0] === "True" : picked[0];
      };
      this.write = (r) => {
        const want = Array.isArray(r) ? r : [t === "true_false" ? (r === true ? "True" : r === false ? "False" : r) : r];
        this.inputs.forEach((x) => { x.checked = want.includes(x.value); });
      };
    } else if (t === "numeric" || t === "short_text") {
      const input = h("input", { type: "text", class: "nukedu-field", id: `${this.id}-field`, autocomplete: "off",
        inputmode: t === "numeric" ? "decimal" : undefined, spellcheck: t === "numeric" ? "false" : undefined });
      this.enterChecks(input);
      this.inputs.push(input);
      const label = t === "numeric" ? "Your answer (a number)" : "Your answer";
      this.answer.append(h("div", { class: "nukedu-field-row" },
        h("label", { for: input.id, class: "nukedu-legend", text: label }), input,
        v.unit ? h("span", { class: "nukedu-unit", text: v.unit }) : null));
      this.fieldMark = h("span", { class: "nukedu-field-mark" });
      this.answer.append(this.fieldMark);
      this.read = () => input.value;
      this.write = (r) => { input.value = r === null || r === undefined ? "" : String(r); };
    } else if (t === "essay") {
      const area = h("textarea", { class: "nukedu-essay", id: `${this.id}-essay`, rows: "8" });
      const count = h("p", { class: "nukedu-count", "aria-live": "off" });
      const update = () => {
        const n = area.value.trim() ? area.value.trim().split(/\s+/).length : 0;
        count.textContent = plural(n, "word") + (v.min_words ? ` (aim for at least ${v.min_words})` : "");
      };
      area.addEventListener("input", update);
      update();
      this.inputs.push(area);
      this.answer.append(h("label", { for: area.id, class: "nukedu-legend", text: "Your answer" }), area, count);
      this.read = () => area.value;
      this.write = (r) => { area.value = r || ""; update(); };
    } else if (t === "ordering") {
      this.buildOrdering();
    } else if (t === "matching") {
      this.buildMatching();
    }
  }

  buildOrdering() {
    const help = h("p", { class: "nukedu-legend", id: `${this.id}-help`,
      text: "Put the items in order, first at the top: drag them, or focus one and press Alt+↑ or Alt+↓ (or use its arrow buttons)." });
    this.list = h("ol", { class: "nukedu-order", "aria-describedby": help.id });
    this.live = h("p", { class: "nukedu-sr", "aria-live": "assertive" });
    let dragged = null;
    const items = () => [...this.list.children];
    const relabel = () => {
      const all = items();
      all.forEach((li, i) => {
        li.querySelector(".nukedu-pos").textContent = `${i + 1}.`;
        li.setAttribute("aria-label", `${li.dataset.item}, position ${i + 1} of ${all.length}`);
        li.querySelector(".nukedu-up").disabled = this.locked || i === 0;
        li.querySelector(".nukedu-down").disabled = this.locked || i === all.length - 1;
      });
    };
    const move = (li, step, focusTarget) => {
      if (this.locked) return;
      const all = items();
      const i = all.indexOf(li);
      const j = i + step;
      if (j < 0 || j >= all.length) return;
      if (step < 0) this.list.insertBefore(li, all[j]);
      else this.list.insertBefore(li, all[j].nextSibling);
      relabel();
      (focusTarget || li).focus();
      this.live.textContent = `${li.dataset.item} moved to position ${j + 1} of ${all.length}.`;
    };
    this.view.choices.forEach((item) => {
      const up = h("button", { class: "nukedu-button nukedu-small nukedu-up", type: "button", "aria-label": `Move “${item}” up`, text: "↑" });
      const down = h("button", { class: "nukedu-button nukedu-small nukedu-down", type: "button", "aria-label": `Move “${item}” down`, text: "↓" });
      const li = h("li", { class: "nukedu-order-item", tabindex: "0", draggable: "true", "data-item": item },
        h("span", { class: "nukedu-grip", "aria-hidden": "true", text: "⠿" }),
        h("span", { class: "nukedu-pos" }), h("span", { class: "nukedu-item-text", text: item }), up, down,
        h("span", { class: "nukedu-item-mark" }));
      li.dataset.item = item;
      up.addEventListener("click", () => move(li, -1, up));
      down.addEventListener("click", () => move(li, +1, down));
      li.addEventListener("keydown", (e) => {
        if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
          e.preventDefault();
          e.stopPropagation();
          move(li, e.key === "ArrowUp" ? -1 : +1);
        } else if (e.key === "Enter" && e.target === li) {
          e.preventDefault();
          this.check();
        }
      });
      li.addEventListener("dragstart", (e) => {
        if (this.locked) { e.preventDefault(); return; }
        dragged = li;
        e.dataTransfer.effectAllowed = "move";
        e.dataTransfer.setData("text/plain", item);
        li.classList.add("nukedu-dragging");
      });
      li.addEventListener("dragend", () => { li.classList.remove("nukedu-dragging"); dragged = null; relabel(); });
      li.addEventListener("dragover", (e) => {
        if (!dragged || dragged === li) return;
        e.preventDefault();
        const box = li.getBoundingClientRect();
        const after = e.clientY > box.top + box.height / 2;
        this.list.insertBefore(dragged, after ? li.nextSibling : li);
      });
      li.addEventListener("drop", (e) => {
        e.preventDefault();
        if (dragged) {
          relabel();
          const pos = items().indexOf(dragged) + 1;
          this.live.textContent = `${dragged.dataset.item} moved to position ${pos} of ${items().length}.`;
        }
      });
      this.list.append(li);
    });
    relabel();
    this.relabel = relabel;
    this.answer.append(help, this.list, this.live);
    this.read = () => items().map((li) => li.dataset.item);
    this.write = (r) => {
      if (!Array.isArray(r)) return;
      const byText = new Map(items().map((li) => [li.dataset.item, li]));
      r.forEach((text) => { const li = byText.get(text); if (li) this.list.append(li); });
      relabel();
    };
  }

  buildMatching() {
    const v = this.view;
    const rows = h("div", { class: "nukedu-matching" },
      h("p", { class: "nukedu-legend", text: "Match each statement with one choice (some choices may not be used)." }));
    this.selects = new Map();
    this.matchMarks = new Map();
    v.lefts.forEach((left, i) => {
      const select = h("select", { id: `${this.id}-m${i}`, class: "nukedu-select" },
        h("option", { value: "", text: "— choose —" }), ...v.choices.map((c) => h("option", { value: c, text: c })));
      this.enterChecks(select);
      const mark = h("span", { class: "nukedu-item-mark" });
      this.selects.set(left, select);
      this.matchMarks.set(left, mark);
      this.inputs.push(select);
      rows.append(h("div", { class: "nukedu-match-row" },
        h("label", { for: select.id, class: "nukedu-match-left", text: left }), select, mark));
    });
    this.answer.append(rows);
    this.read = () => {
      const out = {};
      for (const [left, select] of this.selects) if (select.value) out[left] = select.value;
      return out;
    };
    this.write = (r) => {
      for (const [left, select] of this.selects) select.value = (r && r[left]) || "";
    };
  }

  check() {
    if (this.locked) return;
    this.problem.textContent = "";
    this.send({ action: "check", response: this.read() }, true);
  }

  lock(on) {
    this.locked = on;
    this.inputs.forEach((x) => { x.disabled = on; });
    if (this.list) {
      [...this.list.children].forEach((li) => li.setAttribute("draggable", on ? "false" : "true"));
      this.relabel();
    }
  }

  clearMarks() {
    this.el.querySelectorAll(".nukedu-mark").forEach((m) => m.remove());
  }

  showMarks(marks) {
    this.clearMarks();
    const t = this.view.type;
    for (const m of marks) {
      let spot = null;
      if (this.optionRows) spot = this.optionRows.get(m.key);
      else if (this.list) spot = [...this.list.children].find((li) => li.dataset.item === m.key)?.querySelector(".nukedu-item-mark");
      else if (this.matchMarks) spot = this.matchMarks.get(m.key);
      else if (this.fieldMark) spot = this.fieldMark;
      if (spot) spot.append(markBadge(m.ok));
    }
    if (t === "essay") this.clearMarks();
  }

  update(state, fresh) {
    const phase = state.phase;
    if (fresh || phase === "open" && state.response !== null && this.read && this.isEmpty()) {
      if (state.response !== null && state.response !== undefined) this.write(state.response);
    }
    this.lock(phase !== "open");
    if (phase === "open") this.clearMarks(); else this.showMarks(state.marks || []);
    // hints
    this.hints.replaceChildren(...(state.hints || []).map((x) => h("li", { text: x })));
    this.hints.hidden = !(state.hints || []).length;
    const left = this.view.hints_total - (state.hints || []).length;
    this.hintButton.textContent = left > 0 ? `Hint (${left} left)` : "No more hints";
    this.hintButton.hidden = this.view.hints_total === 0 || phase === "finished";
    this.hintButton.disabled = left <= 0;
    this.checkButton.hidden = phase !== "open";
    this.retryButton.hidden = phase !== "feedback";
    this.showButton.hidden = phase === "finished" || !state.attempts || this.view.type === "essay";
    // verdict, nudges, what was earned
    const v = state.verdict;
    if (v) {
      const tries = phase === "feedback" ? ` ${plural(state.tries_left, "try")} left.` : "";
      const points = v.points ? ` — ${v.points}.` : ".";
      this.verdict.replaceChildren(h("span", { class: `nukedu-tone nukedu-tone-${v.tone}`, "aria-hidden": "true" }),
        h("strong", { text: v.word }), `${points}${tries}`);
      this.verdict.className = `nukedu-verdict nukedu-verdict-${v.tone}`;
    } else {
      this.verdict.replaceChildren();
      this.verdict.className = "nukedu-verdict";
    }
    this.nudges.replaceChildren(...(state.nudges || []).map((x) => h("li", { text: x })));
    this.earned.replaceChildren();
    const e = state.earned;
    if (e) {
      if (this.view.type !== "essay" && e.answer) this.earned.append(h("p", {}, h("strong", { text: "Answer: " }), e.answer));
      if (e.explanation) this.earned.append(h("p", { class: "nukedu-explanation", text: e.explanation }));
      if (e.rubric && e.rubric.length) {
        this.earned.append(h("p", {}, h("strong", { text: "Rubric" })), h("ul", {}, ...e.rubric.map((r) => h("li", { text: r }))));
      }
      if (e.model_answer && e.model_answer.length) {
        this.earned.append(h("p", {}, h("strong", { text: "What a full answer covers" })),
          h("ul", {}, ...e.model_answer.map((r) => h("li", { text: r }))));
      }
      if (e.sources && e.sources.length) {
        const docs = [...new Set(e.sources.map((s) => s.doc))];
        const cites = h("p", { class: "nukedu-sources" }, h("strong", { text: "Source: " }));
        e.sources.forEach((s, i) => {
          if (i) cites.append("; ");
          cites.append(`${s.doc}, line ${s.line}: “${s.quote}”`);
        });
        this.earned.append(cites);
        this.earned.append(h("p", { class: "nukedu-titles" },
          ...docs.map((d, i) => [i ? "; " : "", `${d}: `, h("cite", { text: (e.titles || {})[d] || d })])));
      }
    }
    this.problem.textContent = state.problem || "";
  }

  isEmpty() {
    const r = this.read();
    if (r === null || r === undefined || r === "") return true;
    if (Array.isArray(r)) return this.view.type === "ordering" ? false : r.length === 0;
    if (typeof r === "object") return Object.keys(r).length === 0;
    return false;
  }

  focusVerdict() {
    if (this.verdict.textContent) this.verdict.focus();
    else if (this.problem.textContent && this.inputs[0]) this.inputs[0].focus();
  }

  focusFirst() {
    const first = this.inputs.find((x) => !x.disabled) || (this.list && this.list.firstElementChild);
    if (first) first.focus();
  }
}

// --- the widget ------------------------------------------------------------------------------------
function render({ model, el }) {
  const quiz = model.get("mode") === "quiz";
  const root = h("div", { class: quiz ? "nukedu-root nukedu-quiz" : "nukedu-root", "data-lm-suppress-shortcuts": "true" });
  // Lumino reads the attribute on the event target's ancestors: keys typed here never reach JupyterLab's shortcuts.
  el.append(root);
  hideStaticTwin(el);
  const offline = h("p", { class: "nukedu-offline", role: "alert", hidden: true,
    text: "The kernel is not connected, so this answer was not checked. Run this cell again (or restart the kernel and run it): your saved answers come back." });
  // Each view numbers its own actions under a random prefix, so two views of one card never confuse their replies.
  const viewId = Math.random().toString(36).slice(2, 10);
  let seq = 0;
  let pending = null;
  let timer = null;
  let card = null;
  let cardKey = null;

  const send = (message, focusAfter = false) => {
    seq += 1;
    const id = `${viewId}-${seq}`;
    pending = { id, action: message.action, focusAfter };
    model.send({ ...message, seq: id });
    clearTimeout(timer);
    timer = setTimeout(() => { if (pending && pending.id === id) offline.hidden = false; }, ACK_TIMEOUT_MS);
  };

  let heading, progressText, progressBar, body, nav, prevButton, nextButton, finishButton, confirmBox, summaryBox;
  if (quiz) {
    heading = h("h3", { class: "nukedu-title" });
    progressText = h("p", { class: "nukedu-progress-text", "aria-live": "polite" });
    progressBar = h("progress", { class: "nukedu-progress", max: "1", value: "0", "aria-label": "Questions answered" });
    body = h("div", { class: "nukedu-body" });
    prevButton = h("button", { class: "nukedu-button nukedu-previous", type: "button", text: "← Previous", "aria-label": "Previous question",
      onclick: () => send({ action: "go", index: model.get("nav").index - 1 }) });
    nextButton = h("button", { class: "nukedu-button nukedu-next", type: "button", text: "Next →", "aria-label": "Next question",
      onclick: () => send({ action: "go", index: model.get("nav").index + 1 }) });
    finishButton = h("button", { class: "nukedu-button nukedu-primary nukedu-finish", type: "button", text: "Finish",
      onclick: () => send({ action: "finish" }, true) });
    nav = h("div", { class: "nukedu-nav" }, prevButton, nextButton, finishButton);
    confirmBox = h("div", { class: "nukedu-confirm", role: "alertdialog", hidden: true, tabindex: "-1" });
    summaryBox = h("section", { class: "nukedu-summary", hidden: true, tabindex: "-1", "aria-label": "Quiz results" });
    root.append(heading, h("div", { class: "nukedu-progress-row" }, progressText, progressBar), body, nav, confirmBox, summaryBox);
  } else {
    body = root;
  }
  root.append(offline);

  const drawCard = (fresh) => {
    const view = model.get("view");
    const state = model.get("state");
    const key = JSON.stringify(view);
    if (!card || key !== cardKey) {
      card = new Card(view, send);
      cardKey = key;
      if (quiz) body.replaceChildren(card.el); else body.prepend(card.el);
      fresh = true;
    }
    card.update(state, fresh);
  };

  const drawQuiz = () => {
    const nav_ = model.get("nav");
    heading.textContent = nav_.title;
    const done = nav_.finished;
    progressText.textContent = `Question ${nav_.index + 1} of ${nav_.total} · ${nav_.answered} answered`;
    progressBar.max = nav_.total;
    progressBar.value = nav_.answered;
    prevButton.disabled = nav_.index <= 0;
    nextButton.disabled = nav_.index >= nav_.total - 1;
    body.hidden = done;
    nav.hidden = done;
    progressText.hidden = done;
    confirmBox.hidden = !nav_.confirm;
    if (nav_.confirm) {
      confirmBox.replaceChildren(
        h("p", { text: `${plural(nav_.confirm, "question")} ${nav_.confirm === 1 ? "is" : "are"} still unanswered. Finish anyway?` }),
        h("button", { class: "nukedu-button nukedu-primary nukedu-finish-anyway", type: "button", text: "Finish anyway",
          onclick: () => send({ action: "finish", confirmed: true }, true) }),
        h("button", { class: "nukedu-button nukedu-keep-going", type: "button", text: "Keep answering",
          onclick: () => send({ action: "cancel_finish" }) }));
    }
    const s = model.get("summary");
    summaryBox.hidden = !done;
    if (done && s) {
      const list = h("ol", { class: "nukedu-summary-list" }, ...s.questions.map((q) =>
        h("li", {}, q.status === "right" ? markBadge(true) : q.status === "wrong" ? markBadge(false)
          : h("span", { class: "nukedu-mark nukedu-mark-none", text: q.status }), " ", q.prompt)));
      const table = h("table", { class: "nukedu-topics" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col", text: "Topic" }), h("th", { scope: "col", text: "Points" }))),
        h("tbody", {}, ...s.topics.map((t) => h("tr", {}, h("td", { text: t.title }), h("td", { text: t.points })))));
      summaryBox.replaceChildren(...[
        h("h4", { text: `Your result: ${s.score}` }), list, s.topics.length ? table : null,
        s.note ? h("p", { text: s.note }) : null,
        h("div", { class: "nukedu-actions" },
          s.missed ? h("button", { class: "nukedu-button nukedu-primary nukedu-retry-missed", type: "button",
            text: `Retry missed questions (${s.missed})`, onclick: () => send({ action: "retry_missed" }, true) }) : null,
          h("button", { class: "nukedu-button nukedu-review", type: "button", text: "Back to the questions",
            onclick: () => send({ action: "review" }) }))].filter(Boolean));
    }
  };

  const draw = (fresh = false) => {
    if (quiz) drawQuiz();
    drawCard(fresh);
  };

  // One redraw per kernel reply, whichever traits it changed (the kernel may also change a card from Python code).
  let queued = false;
  const onState = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; settle(); });
  };
  const settle = () => {
    const ack = model.get("ack");
    draw();
    if (pending && ack === pending.id) {
      clearTimeout(timer);
      offline.hidden = true;
      const p = pending;
      pending = null;
      if (p.action === "check" || p.action === "give_up") card.focusVerdict();
      else if (p.action === "retry") card.focusFirst();
      else if (p.action === "hint") card.hintButton.disabled ? card.focusFirst() : card.hintButton.focus();
      else if (p.action === "go") card.el.querySelector(".nukedu-prompt").focus();
      else if (quiz && p.action === "finish") (model.get("nav").confirm ? confirmBox : summaryBox).focus();
      else if (quiz && p.action === "retry_missed") card.focusFirst();
    }
  };
  const events = ["change:view", "change:state", "change:ack", ...(quiz ? ["change:nav", "change:summary"] : [])];
  for (const name of events) model.on(name, onState);
  draw(true);
  return () => {
    clearTimeout(timer);
    for (const name of events) model.off(name, onState);
  };
}

export default { render };
