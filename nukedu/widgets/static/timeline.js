// nukedu timeline: the event list, filters and details beside a plotly chart drawn once per page.
//
// The chart itself is the output just before this widget: plotly's own mime renderer draws it
// with the plotly.js that JupyterLab's plotly extension loads once per page (nothing of plotly
// travels through this widget). This file finds that chart, keeps it in step with the list
// (click a point and the list follows; move through the list and the chart rings the event),
// swaps its light/dark template with JupyterLab's theme, and sends filter changes, zooms and the
// chart's width to the kernel, which answers with a new figure (Python decides every position).
// With `mode: "static"` (the standalone page) there is no kernel: no filters, the rest works.
// All text goes in with textContent, never as HTML.

const ACK_TIMEOUT_MS = 4000;
const FOCUSABLE = new Set(["input", "select", "textarea", "button", "a", "summary"]);

// Lumino matches shortcut selectors against the key's target first, so every focusable element
// carries data-lm-suppress-shortcuts itself (see card.js).
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

function plural(n, word) {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

// The theme: JupyterLab marks it on <body>; a page without JupyterLab follows the system setting.
function currentTheme() {
  const flag = document.body.dataset.jpThemeLight;
  if (flag === "true") return "light";
  if (flag === "false") return "dark";
  return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

// The chart this widget belongs to: a plotly graph div whose layout.meta.nukedu is our chart id,
// looked for in our own output area first (the output before this one), then in the page.
function findChart(el, chartId) {
  const mine = (gd) => gd && gd.layout && gd.layout.meta && gd.layout.meta.nukedu === chartId;
  const area = el.closest(".jp-OutputArea, .output, .nukedu-page");
  const scopes = area ? [area, document] : [document];
  for (const scope of scopes) {
    const found = [...scope.querySelectorAll(".js-plotly-plot")].filter(mine);
    if (found.length) {
      // the nearest one before this widget, when a notebook shows the same timeline twice
      const before = found.filter((gd) => gd.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
      return before.length ? before[before.length - 1] : found[0];
    }
  }
  return null;
}

// Hide the static copy a reopened notebook shows when there is no kernel (the output just before ours).
function hideStaticTwin(el, framesLeft = 60) {
  const output = el.closest(".jp-OutputArea-child, .output_area");
  if (!output) {
    if (framesLeft > 0) requestAnimationFrame(() => hideStaticTwin(el, framesLeft - 1));
    return;
  }
  const before = output.previousElementSibling;
  if (before && before.querySelector(".nukedu-tl-static")) before.style.display = "none";
}

function render({ model, el }) {
  const mode = model.get("mode");
  const live = mode !== "static";
  const root = h("div", { class: `nukedu-tl nukedu-tl-mode-${mode}`, "data-lm-suppress-shortcuts": "true" });
  el.append(root);
  hideStaticTwin(el);
  const uid = `nukedu-tl-${Math.random().toString(36).slice(2, 10)}`;
  const viewId = Math.random().toString(36).slice(2, 8);
  let seq = 0;
  let pending = null;
  let timer = null;
  const offline = h("p", { class: "nukedu-tl-offline", role: "alert", hidden: true,
    text: "The kernel is not connected, so the chart was not updated. Run this cell again (or restart the kernel and run it)." });
  const send = (message) => {
    if (!live) return;
    seq += 1;
    const id = `${viewId}-${seq}`;
    pending = id;
    model.send({ ...message, seq: id });
    clearTimeout(timer);
    timer = setTimeout(() => { if (pending === id) offline.hidden = false; }, ACK_TIMEOUT_MS);
  };

  // --- filters ------------------------------------------------------------------------------------
  const options = model.get("options") || {};
  const eraSelect = h("select", { id: `${uid}-era`, class: "nukedu-tl-era" },
    h("option", { value: "", text: "All eras" }),
    ...(options.eras || []).map((e) => h("option", { value: e.id, text: `${e.title} (${e.start === e.end ? e.start : `${e.start}–${e.end}`})` })));
  const [first, last] = options.bounds || [1991, 2024];
  const fromInput = h("input", { type: "number", id: `${uid}-from`, class: "nukedu-tl-year", min: first, max: last, step: 1 });
  const toInput = h("input", { type: "number", id: `${uid}-to`, class: "nukedu-tl-year", min: first, max: last, step: 1 });
  const search = h("input", { type: "search", id: `${uid}-search`, class: "nukedu-tl-search", autocomplete: "off",
    placeholder: "words to look for" });
  // The categories fold away behind one control, so the filters cost few Tab stops.
  const tagBoxes = new Map();
  const tagSummary = h("summary", { class: "nukedu-tl-tags-summary" });
  const tagSet = h("details", { class: "nukedu-tl-tags" }, tagSummary,
    h("fieldset", { class: "nukedu-tl-tag-boxes" }, h("legend", { class: "nukedu-tl-sr", text: "Categories (any of)" }),
      ...(options.tags || []).map((t) => {
        const box = h("input", { type: "checkbox", id: `${uid}-tag-${t}`, value: t });
        tagBoxes.set(t, box);
        return h("span", { class: "nukedu-tl-tag" }, box, h("label", { for: box.id, text: t }));
      })));
  const showTags = () => {
    const on = [...tagBoxes].filter(([, b]) => b.checked).map(([t]) => t);
    tagSummary.textContent = `Categories: ${on.length ? on.join(", ") : "all"}`;
  };
  const reset = h("button", { type: "button", class: "nukedu-tl-button nukedu-tl-reset", text: "Show all" });
  const problem = h("p", { class: "nukedu-tl-problem", role: "alert" });
  const filters = h("div", { class: "nukedu-tl-filters", role: "group", "aria-label": "Filter the timeline" },
    h("div", { class: "nukedu-tl-field" }, h("label", { for: eraSelect.id, text: "Era" }), eraSelect),
    h("div", { class: "nukedu-tl-field" }, h("label", { for: fromInput.id, text: "Years from" }), fromInput,
      h("label", { for: toInput.id, text: "to" }), toInput),
    h("div", { class: "nukedu-tl-field nukedu-tl-field-wide" }, h("label", { for: search.id, text: "Search" }), search),
    tagSet, reset);
  const readFilters = () => ({
    era: eraSelect.value || null,
    tags: [...tagBoxes].filter(([, b]) => b.checked).map(([t]) => t),
    years: [Number(fromInput.value), Number(toInput.value)],
    search: search.value,
  });
  const sendFilters = (changed) => {
    const f = readFilters();
    if (changed === "era") f.years = null; // the Years control follows the era
    problem.textContent = "";
    send({ action: "filter", ...f });
  };
  eraSelect.addEventListener("change", () => sendFilters("era"));
  fromInput.addEventListener("change", () => sendFilters("years"));
  toInput.addEventListener("change", () => sendFilters("years"));
  for (const box of tagBoxes.values()) box.addEventListener("change", () => sendFilters("tags"));
  let searchTimer = null;
  search.addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(() => sendFilters("search"), 300); });
  search.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); clearTimeout(searchTimer); sendFilters("search"); } });
  reset.addEventListener("click", () => { problem.textContent = ""; send({ action: "reset" }); });

  const showFilters = () => {
    const f = model.get("filters") || {};
    eraSelect.value = f.era || "";
    const years = f.years || [first, last];
    fromInput.value = years[0];
    toInput.value = years[1];
    if (document.activeElement !== search) search.value = f.search || "";
    for (const [t, box] of tagBoxes) box.checked = (f.tags || []).includes(t);
    showTags();
  };

  // --- the list and the details ---------------------------------------------------------------------
  const count = h("p", { class: "nukedu-tl-count", "aria-live": "polite" });
  const help = h("p", { class: "nukedu-tl-help", id: `${uid}-help`,
    text: "Use ↑ and ↓ to move through the events; Enter opens the details with the source; click a point on the chart to find it here." });
  const list = h("ul", { class: "nukedu-tl-list", role: "listbox", tabindex: "0", id: `${uid}-list`,
    "aria-label": "Events in date order", "aria-describedby": help.id });
  const detailsHeading = h("h4", { class: "nukedu-tl-heading", tabindex: "-1" });
  const details = h("section", { class: "nukedu-tl-details", "aria-label": "Event details" }, detailsHeading,
    h("div", { class: "nukedu-tl-body" }));
  const note = h("p", { class: "nukedu-tl-note" });
  const body = h("div", { class: "nukedu-tl-main" },
    h("div", { class: "nukedu-tl-listbox" }, help, list), details);
  if (live && mode === "explore") root.append(filters, problem);
  root.append(count, note, body, offline);

  let rows = [];
  let byId = new Map();
  let selected = model.get("selected") || "";
  let group = null; // the "+k more" group whose events the details list

  const optionId = (id) => `${uid}-o-${id}`;
  const drawList = () => {
    rows = model.get("rows") || [];
    byId = new Map(rows.map((r, i) => [r.id, { ...r, index: i }]));
    list.replaceChildren(...rows.map((r) => {
      const badges = [];
      if (r.status !== "happened") badges.push(h("span", { class: "nukedu-tl-badge nukedu-tl-planned", text: r.status }));
      if (r.kind === "publication") badges.push(h("span", { class: "nukedu-tl-badge", text: "publication" }));
      const li = h("li", { role: "option", id: optionId(r.id), class: "nukedu-tl-option", "data-id": r.id, "aria-selected": "false" },
        h("span", { class: "nukedu-tl-dot", style: `background:${r.colour}`, "aria-hidden": "true" }),
        h("span", { class: "nukedu-tl-date", text: r.short_date || r.date }), " ",
        h("span", { class: "nukedu-tl-title", text: r.title }), ...badges);
      li.addEventListener("click", () => { choose(r.id); list.focus({ preventScroll: true }); });
      return li;
    }));
    if (!rows.length) list.append(h("li", { class: "nukedu-tl-empty", role: "presentation", text: model.get("empty") || "No event matches these filters." }));
    count.textContent = model.get("count") || "";
    note.textContent = model.get("note") || "";
    note.hidden = !note.textContent;
    if (selected && !byId.has(selected)) selected = "";
    markSelected(false);
  };

  const drawDetails = () => {
    const target = details.querySelector(".nukedu-tl-body");
    if (group) {
      detailsHeading.textContent = `${plural(group.length, "more event")} at this point on the chart`;
      target.replaceChildren(h("ul", { class: "nukedu-tl-more" }, ...group.map((id) => {
        const r = byId.get(id);
        if (!r) return null;
        return h("li", {}, h("button", { type: "button", class: "nukedu-tl-link", text: `${r.date}: ${r.title}`,
          onclick: () => { choose(id); list.focus(); } }));
      })));
      return;
    }
    const r = byId.get(selected);
    if (!r) {
      detailsHeading.textContent = rows.length ? "Choose an event" : "";
      target.replaceChildren(h("p", { class: "nukedu-tl-hint",
        text: rows.length ? "Pick an event in the list (or click a point on the chart) to read its summary and source." : "" }));
      return;
    }
    detailsHeading.textContent = r.title;
    const meta = [r.date + (r.precision === "year" ? " (only the year is known)" : r.precision === "month" ? " (only the month is known)" : ""), r.era_title];
    if (r.status !== "happened") meta.push(`${r.status} when the sources were written`);
    if (r.kind === "publication") meta.push("publication");
    const sources = h("ul", { class: "nukedu-tl-sources" }, ...r.sources.map((s) =>
      h("li", { class: "nukedu-citation" }, h("cite", { text: s.title }), ` (${s.doc}), line ${s.line}: “${s.quote}”`)));
    target.replaceChildren(
      h("p", { class: "nukedu-tl-meta", text: meta.join(" · ") }),
      h("p", { class: "nukedu-tl-summary", text: r.summary }),
      r.tags.length ? h("p", { class: "nukedu-tl-meta", text: `Categories: ${r.tags.join(", ")}` }) : null,
      h("p", { class: "nukedu-tl-source-head", text: "Source:" }), sources);
  };

  const markSelected = (scroll = true) => {
    for (const li of list.querySelectorAll("[aria-selected=true]")) li.setAttribute("aria-selected", "false");
    const li = selected && list.querySelector(`#${CSS.escape(optionId(selected))}`);
    if (li) {
      li.setAttribute("aria-selected", "true");
      list.setAttribute("aria-activedescendant", li.id);
      if (scroll) { // scroll the list only, never the notebook around it
        const top = li.offsetTop; // the list is the offsetParent (position: relative)
        if (top < list.scrollTop) list.scrollTop = top;
        else if (top + li.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = top + li.offsetHeight - list.clientHeight;
      }
    } else {
      list.removeAttribute("aria-activedescendant");
    }
    drawDetails();
    ringOnChart();
  };

  const choose = (id, { groupIds = null } = {}) => {
    group = groupIds;
    selected = id || "";
    markSelected(true);
    if (live && model.get("selected") !== selected) {
      model.set("selected", selected);
      model.save_changes();
    }
  };

  list.addEventListener("keydown", (e) => {
    if (!rows.length) return;
    const i = selected && byId.has(selected) ? byId.get(selected).index : -1;
    let j = null;
    if (e.key === "ArrowDown") j = Math.min(rows.length - 1, i + 1);
    else if (e.key === "ArrowUp") j = Math.max(0, i < 0 ? 0 : i - 1);
    else if (e.key === "Home") j = 0;
    else if (e.key === "End") j = rows.length - 1;
    else if (e.key === "PageDown") j = Math.min(rows.length - 1, i + 10);
    else if (e.key === "PageUp") j = Math.max(0, i - 10);
    else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      if (i < 0) choose(rows[0].id);
      detailsHeading.focus();
      return;
    }
    if (j === null) return;
    e.preventDefault();
    choose(rows[j].id);
  });
  list.addEventListener("focus", () => { if (!selected && rows.length) choose(rows[0].id); });
  details.addEventListener("keydown", (e) => { if (e.key === "Escape") { e.preventDefault(); list.focus(); } });

  // --- the chart --------------------------------------------------------------------------------------
  let gd = null;
  const cleanups = [];
  const Plotly = () => window.Plotly;
  const themes = model.get("themes") || {};
  let theme = currentTheme();
  root.dataset.theme = theme;

  const themedLayout = (layout) => ({ ...layout, template: (themes[theme] || {}).template || layout.template });
  // Plotly.react resets the toolbar to its defaults without a config: always pass ours.
  const config = model.get("config") || {};

  const ringOnChart = () => {
    if (!gd || !Plotly() || !gd.data) return;
    const ring = gd.data.findIndex((t) => t.name === "selected");
    if (ring < 0) return;
    let x = [], y = [];
    let hovered = null;
    if (selected) {
      gd.data.forEach((t, c) => {
        if (!t.customdata || c === ring) return;
        const k = Array.prototype.indexOf.call(t.customdata, selected);
        if (k >= 0) { x = [t.x[k]]; y = [t.y[k]]; hovered = { curveNumber: c, pointNumber: k }; }
      });
      if (!x.length) { // behind a "+k more": ring that marker
        const groups = model.get("groups") || [];
        const g = groups.findIndex((ids) => ids.includes(selected));
        const more = gd.data.findIndex((t) => t.name === "more");
        if (g >= 0 && more >= 0) { x = [gd.data[more].x[g]]; y = [gd.data[more].y[g]]; hovered = { curveNumber: more, pointNumber: g }; }
      }
    }
    const colour = (themes[theme] || {}).ring || "#1f1f1f";
    Plotly().restyle(gd, { x: [x], y: [y], "marker.line.color": colour, "marker.color": colour }, [ring]);
    try {
      if (hovered && root.contains(document.activeElement)) Plotly().Fx.hover(gd, [hovered]);
      else if (!hovered) Plotly().Fx.unhover(gd);
    } catch (err) { /* hover labels are a nicety */ }
  };

  // Sizes: the kernel decides the chart's height (lanes are capped) and lays labels out for the width the page
  // reports; the chart always takes its output's width. JupyterLab's plotly renderer resizes with an autosize
  // relayout that drops an explicit height and keeps the first width plotly measured, so this widget passes
  // both explicitly on every draw and puts the height back after such a resize.
  const height = () => model.get("height") || (drawn && drawn.layout.height) || undefined;
  const width = () => Math.round(gd.getBoundingClientRect().width) || undefined;
  let drawn = null; // the figure drawn last: a theme change redraws it, never plotly's mutated gd.layout
  const draw = (figure) => {
    if (!gd || !Plotly()) return Promise.resolve();
    if (figure && figure.data) drawn = figure;
    if (!drawn) return Promise.resolve();
    const layout = { ...themedLayout(drawn.layout), height: drawn.layout.height || height(), width: width() };
    return Plotly().react(gd, drawn.data, layout, config).then(() => {
      ringOnChart();
      root.dataset.draws = String(Number(root.dataset.draws || 0) + 1); // tests wait on this
    });
  };
  const fit = () => {
    if (!gd || !Plotly() || !gd._fullLayout) return;
    const w = width(), want = height();
    const change = {};
    if (w && Math.abs(gd._fullLayout.width - w) > 1) change.width = w;
    if (want && gd._fullLayout.height !== want) change.height = want;
    if (Object.keys(change).length) Plotly().relayout(gd, change);
  };

  let resizeWatch = null;
  const attach = (found) => {
    if (found === gd) return;
    gd = found;
    root.dataset.chart = "found";
    root.dataset.attached = String(Number(root.dataset.attached || 0) + 1);
    gd.on("plotly_click", (ev) => {
      const p = ev && ev.points && ev.points[0];
      if (!p || typeof p.customdata !== "string") return;
      if (p.customdata.startsWith("more:")) {
        const ids = (model.get("groups") || [])[Number(p.customdata.slice(5))] || [];
        choose(ids[0], { groupIds: ids });
      } else {
        choose(p.customdata);
      }
      list.focus({ preventScroll: true });
    });
    gd.on("plotly_relayout", (ev) => {
      if (!ev) return;
      if ("autosize" in ev) { fit(); return; }  // the renderer's resize: keep our height and the output's width
      if (!live) return;
      const a = ev["xaxis.range[0]"], b = ev["xaxis.range[1]"];
      const range = ev["xaxis.range"];
      if (a !== undefined && b !== undefined) send({ action: "zoom", x0: a, x1: b });
      else if (range) send({ action: "zoom", x0: range[0], x1: range[1] });
    });
    const figure = model.get("figure");
    // the chart output's own figure, until the kernel sends a newer one (copied: plotly edits gd.layout)
    draw(figure && figure.data ? figure : { data: gd.data, layout: JSON.parse(JSON.stringify(gd.layout)) });
    if (typeof ResizeObserver !== "undefined") {
      if (resizeWatch) resizeWatch.disconnect();
      let reported = 0;
      let wait = null;
      const report = () => {
        fit();
        const w = width();
        if (live && w > 0 && Math.abs(w - reported) >= 10) { reported = w; send({ action: "resize", width: w }); }
      };
      resizeWatch = new ResizeObserver(() => { clearTimeout(wait); wait = setTimeout(report, 150); });
      resizeWatch.observe(gd);
      report();
    }
  };

  // JupyterLab may draw the chart's output again (plotly's renderer stores a PNG snapshot in the notebook,
  // and the output is re-rendered from it): the graph this widget held is then gone, and the new output shows
  // the snapshot of the first figure until the pointer enters it. Ask for the live chart and take it over.
  const nudged = new WeakSet();
  const snapshot = () => {
    let o = el.closest(".jp-OutputArea-child, .output_area");
    for (let i = 0; i < 3 && o; i++) {
      o = o.previousElementSibling;
      const img = o && o.querySelector(".jp-RenderedPlotly img.plot-img");
      if (img && img.style.display !== "none" && !nudged.has(img)) return img;
    }
    return null;
  };
  const check = () => {
    if (gd && gd.isConnected) return;
    const found = findChart(el, model.get("chart_id"));
    if (found && found.on && found.data) { attach(found); return; }
    const img = snapshot();
    if (img) { nudged.add(img); img.dispatchEvent(new MouseEvent("mouseenter")); }
  };
  let tries = 0;
  const look = () => {
    check();
    if (gd && gd.isConnected) return;
    if (++tries < 600) setTimeout(look, tries < 60 ? 16 : 100); // the chart may still be loading plotly.js
  };
  look();
  const area = el.closest(".jp-OutputArea, .jp-Cell, .nukedu-page") || document.body;
  let pendingCheck = false;
  const outputsWatch = new MutationObserver(() => {
    if (pendingCheck) return;
    pendingCheck = true;
    requestAnimationFrame(() => { pendingCheck = false; if (!(gd && gd.isConnected)) { tries = 0; look(); } });
  });
  outputsWatch.observe(area, { childList: true, subtree: true });
  cleanups.push(() => outputsWatch.disconnect(), () => resizeWatch && resizeWatch.disconnect());

  const onTheme = () => {
    const now = currentTheme();
    if (now === theme) return;
    theme = now;
    root.dataset.theme = theme;
    if (gd) draw(null);
  };
  const themeWatch = new MutationObserver(onTheme);
  themeWatch.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light", "data-jp-theme-name"] });
  const media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  if (media && media.addEventListener) media.addEventListener("change", onTheme);

  // --- the kernel's answers ------------------------------------------------------------------------------
  let queued = false;
  const settle = () => {
    queued = false;
    if (model.get("ack") === pending) {
      clearTimeout(timer);
      pending = null;
      offline.hidden = true;
    }
    problem.textContent = model.get("problem") || "";
    showFilters();
    drawList();
  };
  const onState = () => { if (!queued) { queued = true; queueMicrotask(settle); } };
  const onFigure = () => draw(model.get("figure"));
  const onSelected = () => {
    const id = model.get("selected") || "";
    if (id !== selected) { group = null; selected = id; markSelected(true); }
  };
  const events = ["change:rows", "change:filters", "change:count", "change:problem", "change:ack", "change:note"];
  for (const name of events) model.on(name, onState);
  model.on("change:figure", onFigure);
  model.on("change:selected", onSelected);
  showFilters();
  drawList();
  return () => {
    clearTimeout(timer);
    themeWatch.disconnect();
    if (media && media.removeEventListener) media.removeEventListener("change", onTheme);
    for (const f of cleanups) f();
    for (const name of events) model.off(name, onState);
    model.off("change:figure", onFigure);
    model.off("change:selected", onSelected);
  };
}

export default { render };
