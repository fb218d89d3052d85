"""The item-analysis reports as one self-contained HTML page: plotly.js inlined once, one chart per section.

The page needs no network (plotly.js sits in its head; figures are plain
JSON), so an instructor can open it offline or mail it. It is written for
instructors and shows answer keys. Everything on it is escaped: question
texts come from the bank, but responses come from students (a short-text
answer can hold any characters), and plotly reads a few tags inside chart
labels, so those are escaped too. plotly is imported inside the functions.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .items import CHOICE_KINDS, ItemAnalysis, ItemStats, describe
from .selfstudy import StudyAnalysis

CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}
KEY, OTHER, BLANK, INVALID, UPPER, LOWER = "#2e7d32", "#5b7db1", "#9e9e9e", "#e08e0b", "#1f4e79", "#9ecae1"
LABEL_CHARS, HOVER_CHARS = 70, 300
KIND_WORDS = {"single": "single choice", "multiple": "multiple answers", "true_false": "true or false", "numeric": "number",
              "short_text": "short text", "ordering": "ordering", "matching": "matching", "code": "code task",
              "essay": "essay, graded by hand", "other": "question"}
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1em 1.5em; color: #1d1d1d; }
h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { font-size: 1.25em; margin: 0 0 .4em; }
.nukedu-audience { color: #8a1c1c; font-weight: 600; }
table { border-collapse: collapse; margin: .5em 0 1em; } th, td { border-bottom: 1px solid #ddd; padding: .25em .6em; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.nukedu-section { border-top: 2px solid #ccc; padding: 1em 0 .5em; }
.nukedu-prompt { font-size: 1.05em; background: #f5f5f5; padding: .5em .8em; border-radius: 4px; }
.nukedu-flags li, .nukedu-item-flags li { color: #8a1c1c; } .nukedu-notes li, .nukedu-item-notes li { color: #555; }
.nukedu-figures dt { font-weight: 600; } dl.nukedu-figures { display: grid; grid-template-columns: max-content auto; gap: .1em 1em; }
.nukedu-chart { min-height: 200px; }
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(text: str, limit: int = LABEL_CHARS) -> str:
    """Text for a chart label or hover: shortened, and escaped so plotly shows it as typed."""
    return html.escape(_short(text, limit), quote=False)


def _anchor(item_id: str) -> str:
    return "item-" + (re.sub(r"[^a-z0-9-]+", "-", item_id.lower()).strip("-") or "x")


def _f(x: float | None, digits: int = 2) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _chart(fig: dict[str, Any], div_id: str) -> str:
    import plotly.io as pio

    layout = fig.setdefault("layout", {})
    layout.setdefault("font", {"family": "system-ui, sans-serif", "size": 13})
    layout.setdefault("plot_bgcolor", "white")
    layout.setdefault("paper_bgcolor", "white")
    for axis in ("xaxis", "yaxis"):
        layout.setdefault(axis, {}).setdefault("gridcolor", "#e5e5e5")
    return ('<div class="nukedu-chart">' + pio.to_html(fig, config=CONFIG, include_plotlyjs=False, full_html=False,
                                                      validate=False, div_id=div_id) + "</div>")


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    heading: str
    before: str
    figure: dict[str, Any]
    after: str = ""


def _page(title: str, header: str, sections: Sequence[Section]) -> str:
    from plotly.offline import get_plotlyjs

    body = "\n".join(
        f'<section class="nukedu-section" id="{_e(s.id)}" aria-labelledby="{_e(s.id)}-h">'
        f'<h2 id="{_e(s.id)}-h">{s.heading}</h2>{s.before}{_chart(s.figure, "chart-" + s.id)}{s.after}</section>'
        for s in sections)
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{_e(title)}</title>\n'
            f"<style>{STYLE}</style>\n<script>window.PlotlyConfig = {{MathJaxConfig: 'local'}};</script>\n"
            f'<script type="text/javascript">{get_plotlyjs()}</script>\n</head>\n<body>\n<header>{header}</header>\n'
            f"<main>\n{body}\n</main>\n</body>\n</html>\n")


def _list(cls: str, entries: Sequence[str]) -> str:
    return f'<ul class="{cls}">' + "".join(f"<li>{x}</li>" for x in entries) + "</ul>" if entries else ""


def _unique(labels: Sequence[str]) -> list[str]:
    """Bar labels plotly keeps apart: two shortened labels that read alike would share one bar."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} [{seen[label]}]")
    return out


def _bars(labels: Sequence[str], traces: Sequence[dict[str, Any]], title: str, xtitle: str, *,
          percent: bool = False) -> dict[str, Any]:
    """Horizontal bars, first label on top; `traces` give x values (and names, colours) for the labels."""
    labels = _unique(labels)
    rows = max(len(labels), 1) * max(len(traces), 1)
    data = []
    for t in traces:
        trace = {"type": "bar", "orientation": "h", "y": list(labels), "cliponaxis": False,
                 "hovertemplate": "%{y}: %{x" + (":.0f}%" if percent else "}") + "<extra>" + _label(t.get("name", "")) + "</extra>",
                 **t}
        trace.setdefault("texttemplate", "%{x:.0f}%" if percent else "%{x}")
        trace.setdefault("textposition", "outside")
        data.append(trace)
    layout = {"title": {"text": _label(title, 120)}, "barmode": "group", "height": 140 + 24 * rows,
              "margin": {"l": 20, "r": 40, "t": 50, "b": 40},
              "xaxis": {"title": {"text": xtitle}, "rangemode": "tozero", **({"range": [0, 105]} if percent else {})},
              "yaxis": {"autorange": "reversed", "automargin": True},
              "legend": {"orientation": "h", "y": -0.15 if len(traces) > 1 else 1, "x": 0},
              "showlegend": len(traces) > 1}
    return {"data": data, "layout": layout}


# --- the assignment report ---------------------------------------------------------------------------------
def _header(a: ItemAnalysis) -> str:
    t = a.test
    rows = [("Students analysed", str(t.students)),
            ("Score", f"mean {_f(t.mean)}, median {_f(t.median)}, standard deviation {_f(t.sd)} (of {_num(t.max_points)} points)"),
            (t.reliability_name, _f(t.reliability) if t.reliability is not None else "not shown (see the notes)"),
            ("Items in the totals", f"{t.items} of {len(a.items)}"),
            ("Upper and lower groups", f"{a.group_size} students each (27 %)" if a.group_size else "not formed (fewer than 10 students)")]
    if a.graded_at:
        rows.append(("Graded", a.graded_at))
    figures = "<table class=\"nukedu-summary\">" + "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows) + "</table>"
    flags = [f'<a href="#{_anchor(f.item_id)}">{_e(f.label)}</a>'
             + (f" (<code>{_e(f.question_id)}</code>)" if f.question_id else "") + f": {_e(f.message)}"
             + (f" — <q>{_e(_short(f.text, 160))}</q>" if f.text else "") for f in a.flags]
    if a.meaningful:
        flag_html = f"<h2>Flags ({len(a.flags)})</h2>" + (_list("nukedu-flags", flags) if flags else "<p>No question was flagged.</p>")
    else:
        flag_html = "<h2>Flags</h2><p>Not given: too few students for them to mean anything.</p>"
    return (f"<h1>Item analysis: {_e(a.title)}</h1>"
            '<p class="nukedu-audience">For instructors: this report shows the answer keys. Do not share it with students.</p>'
            + figures + _list("nukedu-notes", [_e(n) for n in (*a.notes, *t.notes)]) + flag_html)


def _scores_section(a: ItemAnalysis) -> Section:
    t = a.test
    fig = {"data": [{"type": "histogram", "x": list(t.totals), "marker": {"color": OTHER},
                     "xbins": {"start": -0.5, "end": t.max_points + 0.5, "size": max(1.0, round(t.max_points / 30))},
                     "hovertemplate": "%{x} points: %{y} students<extra></extra>"}],
           "layout": {"title": {"text": "Total scores"}, "height": 340, "bargap": 0.05,
                      "xaxis": {"title": {"text": f"points (of {_num(t.max_points)})"}, "range": [-0.5, t.max_points + 0.5]},
                      "yaxis": {"title": {"text": "students"}}, "margin": {"l": 60, "r": 20, "t": 50, "b": 50}}}
    text = (f"<p>{t.students} students; mean {_f(t.mean)}, median {_f(t.median)}, standard deviation {_f(t.sd)}; "
            f"{_e(t.reliability_name)} {_f(t.reliability)}.</p>" if t.students else "<p>No graded submissions.</p>")
    return Section("scores", "Score distribution", text, fig)


def _overview_section(a: ItemAnalysis) -> Section:
    labels = [_label(s.item.label) for s in a.items]
    data: list[dict[str, Any]] = [{"type": "bar", "name": "facility", "x": labels, "y": [s.facility for s in a.items],
                                   "marker": {"color": OTHER}, "hovertemplate": "%{x}: facility %{y:.2f}<extra></extra>"}]
    if a.meaningful:
        data.append({"type": "scatter", "mode": "markers", "name": "point-biserial", "x": labels,
                     "y": [s.point_biserial for s in a.items], "marker": {"color": "#c0392b", "size": 11, "symbol": "diamond"},
                     "hovertemplate": "%{x}: point-biserial %{y:.2f}<extra></extra>"})
        data.append({"type": "scatter", "mode": "markers", "name": "upper-lower index", "x": labels,
                     "y": [s.upper_lower for s in a.items], "marker": {"color": "#1b1b1b", "size": 9, "symbol": "x"},
                     "hovertemplate": "%{x}: upper-lower index %{y:.2f}<extra></extra>"})
    lines = [{"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": y, "y1": y, "line": {"dash": "dot", "color": "#999"}}
             for y in (0.2, 0.95)]
    title = "Facility (bars)" + (", point-biserial (◆) and upper-lower index (×)" if a.meaningful
                                 else "; discrimination not shown with fewer than 10 students")
    fig = {"data": data, "layout": {"title": {"text": title}, "height": 380, "shapes": lines, "yaxis": {"range": [-1, 1.05]},
                                    "legend": {"orientation": "h", "y": -0.2}, "margin": {"l": 50, "r": 20, "t": 50, "b": 60}}}
    flagged: dict[str, int] = {}
    for f in a.flags:
        flagged[f.item_id] = flagged.get(f.item_id, 0) + 1
    head = ("<tr><th>Item</th><th>Type</th><th class=num>Facility</th><th class=num>Point-biserial</th>"
            "<th class=num>Upper-lower</th><th class=num>Blank</th><th class=num>Flags</th><th>Question</th></tr>")
    rows = "".join(
        f'<tr><td><a href="#{_anchor(s.item.id)}">{_e(s.item.label)}</a></td><td>{_e(KIND_WORDS.get(s.item.kind, s.item.kind))}</td>'
        f"<td class=num>{_f(s.facility)}</td><td class=num>{_f(s.point_biserial)}</td><td class=num>{_f(s.upper_lower)}</td>"
        f"<td class=num>{s.blank}</td><td class=num>{flagged.get(s.item.id, 0)}</td><td>{_e(_short(s.item.text, 90))}</td></tr>"
        for s in a.items)
    return Section("questions", "Questions at a glance", "", fig, f'<table class="nukedu-items">{head}{rows}</table>')


def _item_figure(s: ItemStats, a: ItemAnalysis) -> dict[str, Any]:
    item, n = s.item, max(s.students, 1)
    title = f"{item.label}: " + ("who chose each option (✓ the key)" if item.kind in CHOICE_KINDS else
                                 "scores given" if item.kind in ("code", "essay") else "most common answers")
    if item.kind in CHOICE_KINDS:
        labels = [_label(("✓ " if o.is_key else "") + o.label) for o in s.options]
        extra = [("(blank)", s.blank), ("(not a valid answer)", s.invalid)]
        extra = [(lab, c) for lab, c in extra if c]
        colours = [KEY if o.is_key else OTHER for o in s.options] + [BLANK if lab == "(blank)" else INVALID for lab, _ in extra]
        labels += [lab for lab, _ in extra]
        everyone = [100 * o.count / n for o in s.options] + [100 * c / n for _, c in extra]
        traces = [{"name": "all students", "x": everyone, "marker": {"color": colours}}]
        if a.group_size and s.options:
            g = a.group_size
            traces = [{"name": "all students", "x": everyone, "marker": {"color": colours}},
                      {"name": "top 27 %", "x": [100 * (o.upper or 0) / g for o in s.options], "marker": {"color": UPPER}},
                      {"name": "bottom 27 %", "x": [100 * (o.lower or 0) / g for o in s.options], "marker": {"color": LOWER}}]
        return _bars(labels, traces, title, "% of students", percent=True)
    if item.kind in ("code", "essay"):
        pairs = [(f"{_num(points)} point{'s' if points != 1 else ''}", c) for points, c in s.score_counts]
        waiting = s.students - s.graded
        pairs += [(lab, c) for lab, c in (("(blank)", s.blank), ("(waiting for hand-grading)", waiting)) if c]
    else:
        pairs = [("full marks", s.full_marks), *((w.short or w.response, w.count) for w in s.wrong)]
        pairs += [(lab, c) for lab, c in (("(blank)", s.blank), ("(not a valid answer)", s.invalid)) if c]
    hover = [lab for lab, _ in pairs]
    if item.kind not in ("code", "essay"):
        hover[1:1 + len(s.wrong)] = [w.response for w in s.wrong]
    colours = [KEY if lab in ("full marks", f"{_num(item.max_points)} points", f"{_num(item.max_points)} point") else
               BLANK if lab.startswith("(") else OTHER for lab, _ in pairs]
    return _bars([_label(lab) for lab, _ in pairs],
                 [{"name": "students", "x": [c for _, c in pairs], "marker": {"color": colours},
                   "customdata": [_label(h, HOVER_CHARS) for h in hover],
                   "hovertemplate": "%{customdata}: %{x} students<extra></extra>"}],
                 title, "students")


def _item_section(s: ItemStats, a: ItemAnalysis) -> Section:
    item = s.item
    parts = []
    if item.text:
        parts.append(f'<p class="nukedu-prompt">{_e(item.text)}</p>')
    if item.kind == "matching" and item.lefts:
        parts.append("<p>Items: " + "; ".join(f"{i}. {_e(t)}" for i, t in enumerate(item.lefts, 1)) + "</p>")
    if item.kind in ("ordering", "matching") and item.texts:
        parts.append("<p>Choices: " + "; ".join(f"{_e(c)}. {_e(t)}" for c, t in zip(item.choices, item.texts)) + "</p>")
    facts = []
    if item.question_id:
        facts.append(("Bank id", f"<code>{_e(item.question_id)}</code>"))
    if item.key is not None:
        facts.append(("Key", _e(describe(item, item.key))))
    facts += [("Facility", _f(s.facility)), ("Point-biserial", _f(s.point_biserial)), ("Upper-lower index", _f(s.upper_lower)),
              ("Mean points", f"{_f(s.mean_points)} of {_num(item.max_points)}"), ("Full marks", str(s.full_marks)),
              ("Left blank", str(s.blank))]
    if s.invalid:
        facts.append(("Not a valid answer", str(s.invalid)))
    parts.append('<dl class="nukedu-figures">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>")
    parts.append(_list("nukedu-item-flags", [_e(f.message) for f in a.flags if f.item_id == item.id]))
    parts.append(_list("nukedu-item-notes", [_e(n) for n in s.notes]))
    after = ""
    if s.wrong:
        after = ("<table class=\"nukedu-wrong\"><tr><th>Common wrong answer</th><th class=num>Students</th></tr>"
                 + "".join(f"<tr><td>{_e(w.response)}</td><td class=num>{w.count}</td></tr>" for w in s.wrong) + "</table>")
    heading = f"{_e(item.label)}: {_e(KIND_WORDS.get(item.kind, item.kind))}, {_num(item.max_points)} point{'s' if item.max_points != 1 else ''}"
    return Section(_anchor(item.id), heading, "".join(parts), _item_figure(s, a), after)


def assignment_report_html(a: ItemAnalysis) -> str:
    """The whole report: the class's figures and flags, the score distribution, an overview, then one section per item."""
    sections = [_scores_section(a), _overview_section(a), *(_item_section(s, a) for s in a.items)]
    return _page(f"Item analysis: {a.title}", _header(a), sections)


# --- the self-study report -----------------------------------------------------------------------------------
CHART_ROWS = 40


def progress_report_html(a: StudyAnalysis, title: str = "Self-study") -> str:
    """Facility per question (hardest first) and the most common wrong answers, from learners' exports."""
    shown = a.items[:CHART_ROWS]
    more = f" (the {len(shown)} hardest of {len(a.items)}; all are in the table)" if len(a.items) > len(shown) else ""
    facility = _bars([_label(s.item.id) for s in shown],
                     [{"name": "right at first check", "x": [100 * (s.facility or 0) for s in shown], "marker": {"color": OTHER},
                       "customdata": [_label(f"{s.first_right} of {s.learners}: {s.item.text}", HOVER_CHARS) for s in shown],
                       "hovertemplate": "%{y}: %{x:.0f}% (%{customdata})<extra></extra>"}],
                     "Share of learners right at their first check" + more, "% of learners", percent=True)
    common = sorted(((s.item.id, w) for s in a.items for w in s.wrong), key=lambda p: (-p[1].count, p[0], p[1].response))[:CHART_ROWS]
    wrong = _bars([_label(f"{qid}: {w.response}") for qid, w in common],
                  [{"name": "learners", "x": [w.count for _, w in common], "marker": {"color": "#c0392b"},
                    "customdata": [_label(f"{qid}: {w.response}", HOVER_CHARS) for qid, w in common],
                    "hovertemplate": "%{customdata}: %{x} learners<extra></extra>"}],
                  "Most common wrong answers (learners who gave each)", "learners")
    rows = "".join(
        f"<tr><td><code>{_e(s.item.id)}</code></td><td>{_e(s.topic)}</td><td class=num>{s.learners}</td>"
        f"<td class=num>{s.first_right}</td><td class=num>{_f(s.facility)}</td>"
        f"<td>{'<br>'.join(f'{_e(_short(w.response, 200))} ({w.count})' for w in s.wrong[:3]) or '–'}</td>"
        f"<td>{_e(_short(s.item.text, 120))}</td></tr>"
        for s in a.items)
    table = ("<table class=\"nukedu-items\"><tr><th>Question</th><th>Topic</th><th class=num>Learners</th>"
             "<th class=num>Right first</th><th class=num>Facility</th><th>Common wrong answers</th><th>Prompt</th></tr>"
             + rows + "</table>")
    flags = [f"<code>{_e(f.question_id)}</code>: {_e(f.message)}" + (f" — <q>{_e(_short(f.text, 160))}</q>" if f.text else "")
             for f in a.flags]
    header = (f"<h1>{_e(title)}: how each question works</h1>"
              f"<p>{a.learners} learners, {a.checks} checks, {len(a.items)} questions answered. Facility is the share of "
              "learners right at their first check.</p>"
              + _list("nukedu-notes", [_e(n) for n in a.notes])
              + ((f"<h2>Flags ({len(a.flags)})</h2>" + (_list("nukedu-flags", flags) or "<p>No question was flagged.</p>"))
                 if a.meaningful else ""))
    return _page(f"{title}: item analysis", header,
                 [Section("facility", "Facility", "", facility), Section("wrong-answers", "Common wrong answers", "", wrong, table)])
