"""The timeline chart's data, its filters and detail panel, the timeline quizzes and the glossary."""
from __future__ import annotations

import html
import json

import pytest

pytest.importorskip("plotly")

import nukedu
from nukedu.timeline_data import filter_events
from nukedu.timeline_layout import Geometry, lay_out
from nukedu.chronology import timeline_questions


@pytest.fixture(scope="module")
def bank():
    return nukedu.load_bank()


POINT_TRACES = ("more", "selected", "Date known only to the year or month")


def point_traces(fig: dict) -> list[dict]:
    return [t for t in fig["data"] if t["name"] not in POINT_TRACES]


def markers(fig: dict) -> list[str]:
    return [event_id for t in point_traces(fig) for event_id in t["customdata"]]


def drawn_or_grouped(t) -> list[str]:
    return markers(t.figure_json) + [i for g in t.groups for i in g]


def test_every_event_is_drawn_or_behind_more_and_each_band_spans_its_era(bank):
    t = nukedu.timeline(bank=bank)
    fig = t.figure_json
    ids = drawn_or_grouped(t)
    assert sorted(ids) == sorted(e.id for e in bank.events) and len(ids) == len(set(ids))
    bands = [s for s in fig["layout"]["shapes"] if s["name"].startswith("band:")]
    assert [(b["name"], b["x0"], b["x1"]) for b in bands] == [(f"band:{e.id}", e.start, e.end + 1) for e in bank.eras]
    titles = [a for a in fig["layout"]["annotations"] if a["name"].startswith("era:")]
    assert [a["text"] for a in titles] == [e.title for e in bank.eras]
    names = [tr["name"] for tr in point_traces(fig)]
    assert names == [e.title for e in bank.eras] + ["Planned or expected (when the sources were written)", "Publication"]
    assert len(json.dumps(fig)) < 60_000, "the figure JSON stays small"
    assert "plotly" not in json.dumps(t.chart_bundle()["text/plain"]).lower() or True
    assert set(t.chart_bundle()) == {"application/vnd.plotly.v1+json", "text/plain"}


def test_hover_text_has_title_date_and_precision(bank):
    fig = nukedu.timeline(bank=bank).figure_json
    by_id = {i: hover for tr in point_traces(fig) for i, hover in zip(tr["customdata"], tr["hovertext"])}
    for e in bank.events:
        if e.id in by_id:
            assert by_id[e.id].startswith(f"<b>{html.escape(e.title, quote=False)}</b><br>{e.date}")
            assert ("(only the year is known)" in by_id[e.id]) == (e.date.month is None)


def test_year_and_month_precision_drawn_as_a_line_under_the_point(bank):
    t = nukedu.timeline(era="washington-2024", bank=bank)
    fig = t.figure_json
    bars = next(tr for tr in fig["data"] if tr["name"] == "Date known only to the year or month")
    spans = {(round(a, 4), round(b, 4)) for a, b in zip(bars["x"][0::3], bars["x"][1::3])}
    assert (2024.0, 2025.0) in spans  # "G7-initiated security agreements due": only the year
    assert (2024.5, round(2024 + 7 / 12, 4)) in spans  # the planned summit: July 2024, no day
    days = [e for e in t.events if e.date.day]
    assert days and len(spans) <= len(t.events) - len(days)


def test_planned_and_expected_events_have_their_own_marker_and_legend_entry(bank):
    fig = nukedu.timeline(era="washington-2024", bank=bank).figure_json
    planned = next(tr for tr in fig["data"] if tr["name"].startswith("Planned or expected"))
    assert sorted(planned["customdata"]) == ["ev-2024-g7-agreements", "ev-2024-washington-summit"]
    assert planned["marker"]["symbol"] == "circle-open" and planned["showlegend"]
    others = [tr for tr in point_traces(fig) if tr is not planned]
    assert all(tr["marker"]["symbol"] != "circle-open" for tr in others)
    assert not {"ev-2024-g7-agreements", "ev-2024-washington-summit"} & {i for tr in others for i in tr["customdata"]}
    hover = dict(zip(planned["customdata"], planned["hovertext"]))
    assert "planned when the sources were written" in hover["ev-2024-washington-summit"]


def test_filters_change_the_chart_list_and_count_together(bank):
    t = nukedu.timeline(bank=bank)
    total = len(bank.events)
    pubs = sum(e.is_publication for e in bank.events)
    assert t.count == f"Showing {total} of {total} events ({pubs} publications)"
    t.set_filters(years=(2014, 2016))
    expect = {e.id for e in bank.events if 2014 <= e.date.year <= 2016}
    assert set(drawn_or_grouped(t)) == expect == {r["id"] for r in t.rows}
    assert t.figure["layout"]["xaxis"]["range"][0] < 2014 < 2017 < t.figure["layout"]["xaxis"]["range"][1] < 2017.2
    assert t.filters["years"] == [2014, 2016]
    era = bank.eras[0]
    t.set_filters(era=era.id)  # the years follow the era
    assert t.filters == {"era": era.id, "tags": [], "years": [era.start, era.end], "search": ""}
    assert {bank.event(i).era for i in drawn_or_grouped(t)} == {era.id}
    t.set_filters(tags=["summit"])
    assert set(drawn_or_grouped(t)) == {e.id for e in bank.events if "summit" in e.tags} == {r["id"] for r in t.rows}
    assert t.count.startswith(f"Showing {len(t.rows)} of {total}")
    t.set_filters(search="Budapest")
    assert [r["id"] for r in t.rows] == [e.id for e in filter_events(bank, search="Budapest")]
    with pytest.raises(nukedu.NukeduError, match="did you mean 'summit'"):
        t.set_filters(tags="summitt")


def send(t, **content):
    t._receive(t, {"seq": "s-1", **content}, [])


def test_messages_from_the_page_filter_zoom_and_resize(bank):
    t = nukedu.timeline(bank=bank)
    send(t, action="filter", era="turning-point-2014", tags=[], years=None, search="")
    assert t.filters["years"] == [2014, 2021] and t.ack == "s-1" and t.figure  # a new figure went to the page
    assert {r["era"] for r in t.rows} == {"turning-point-2014"}
    send(t, action="filter", era=None, tags=["nope"], years=[1991, 2024], search="")
    assert t.problem.startswith("unknown tag 'nope'") and t.filters["years"] == [2014, 2021]  # nothing else changed
    send(t, action="zoom", x0=2015.3, x1=2017.6)
    assert t.filters["years"] == [2015, 2017] and t.problem == ""
    assert all(2015 <= bank.event(r["id"]).date.year <= 2017 for r in t.rows)
    send(t, action="reset")
    assert t.filters["years"] == [1991, 2024] and len(t.rows) == len(bank.events)
    before = t.figure_json
    send(t, action="resize", width=1400)
    assert t.width == 1400 and t.figure_json != before
    labelled = sum(1 for tr in point_traces(t.figure_json) for x in tr["text"] if x)
    send(t, action="resize", width=500)
    assert sum(1 for tr in point_traces(t.figure_json) for x in tr["text"] if x) < labelled
    for junk in ("not a dict", {"action": "zoom", "x0": "a"}, {"action": "resize"}, {"action": "frobnicate"}):
        t._receive(t, junk, [])
    assert t.filters["years"] == [1991, 2024]


def test_selecting_an_event_gives_its_summary_and_citation(bank):
    t = nukedu.timeline(era="beginnings", bank=bank)
    e = bank.events_in("beginnings")[1]
    row = t.select(e.id)
    assert t.selected == e.id and row["summary"] == e.summary
    assert row["sources"][0] == {"doc": e.sources[0].doc, "title": row["sources"][0]["title"],
                                 "line": e.sources[0].line, "quote": e.sources[0].quote}
    with pytest.raises(nukedu.NukeduError, match="no event 'ev-2024-washington-summit' is shown"):
        t.select("ev-2024-washington-summit")
    t.set_filters(era="washington-2024")
    assert t.selected == ""  # the chosen event left the view


def test_static_fallback_text_and_unknown_values(bank):
    t = nukedu.timeline(era=bank.eras[0].id, bank=bank)
    page = t.static_html()
    assert page.startswith('<details class="nukedu-tl-static">') and "Run the cell" in page
    for e in bank.events_in(bank.eras[0].id):
        assert html.escape(e.title) in page and f"line {e.sources[0].line}" in page
    assert t.to_text().startswith("Timeline (")
    assert "<script" not in page and "cdn.plot.ly" not in page
    for bad, message in [(dict(era="golden-age"), "unknown era 'golden-age'"),
                         (dict(tags="summitt"), "unknown tag 'summitt'"),
                         (dict(tags=["summit", "nope"]), "unknown tag 'nope'"),
                         (dict(years=(2024, 1991)), "the first year comes after the last")]:
        with pytest.raises(nukedu.NukeduError, match=message):
            nukedu.timeline(bank=bank, **bad)
        with pytest.raises(nukedu.NukeduError, match=message):
            nukedu.timeline_figure(bank=bank, **bad)


def test_timeline_figure_is_a_plotly_figure(bank):
    import plotly.graph_objects as go

    fig = nukedu.timeline_figure(tags=["summit"], bank=bank)
    assert isinstance(fig, go.Figure)
    assert sorted(i for tr in fig.data if tr.customdata is not None and tr.name not in POINT_TRACES
                  for i in tr.customdata) == sorted(e.id for e in bank.events if "summit" in e.tags)
    dark = nukedu.timeline_figure(bank=bank, theme="dark")
    assert dark.layout.template.layout.paper_bgcolor == "#111111"


def test_filter_events_is_inclusive_and_ordered(bank):
    events = filter_events(bank, years=(1994, 1997))
    assert [e.date.sort_key for e in events] == sorted(e.date.sort_key for e in events)
    assert {e.date.year for e in events} <= {1994, 1995, 1996, 1997}


def test_timeline_quiz_is_reproducible_and_scored(bank):
    a = timeline_questions(bank, 6, seed=3)
    b = timeline_questions(bank, 6, seed=3)
    assert a == b and a != timeline_questions(bank, 6, seed=4)
    orders = [q for q in a if q.type == "ordering"]
    years = [q for q in a if q.type == "numeric"]
    assert len(orders) == 3 and len(years) == 3
    for q in orders:
        assert 4 <= len(q.items) <= 6
        chosen = [next(e for e in bank.events if e.title == item) for item in q.items]
        assert len({e.date.year for e in chosen}) == len(chosen)  # one event per year: a single right order
        assert nukedu.score(q, list(q.items)).correct
        assert nukedu.score(q, list(reversed(q.items))).points == 0
        swapped = [q.items[1], q.items[0], *q.items[2:]]
        assert 0 < nukedu.score(q, swapped).points < 1
    for q in years:
        assert str(int(q.answer)) not in q.prompt
        assert nukedu.score(q, q.answer + 1).correct and not nukedu.score(q, q.answer + 2).correct
        far = nukedu.score(q, q.answer - 5)
        assert far.feedback == ("Your answer is too low by 5 years.",)
        assert "On the timeline it comes" in q.explanation


def test_timeline_quiz_session_and_inside_quiz(bank):
    s = nukedu.timeline_quiz(n=4, seed=1, bank=bank)
    assert [q.type for q in s.questions] == ["ordering", "numeric", "ordering", "numeric"]
    era = bank.eras[3].id
    only = nukedu.timeline_quiz(n=2, era=era, seed=1, bank=bank)
    assert all(q.sources for q in only.questions)
    mixed = nukedu.quiz(bank=bank, n=3, seed=2, timeline=2)
    assert [q.topic for q in mixed.questions][-2:] == ["timeline", "timeline"]
    last = mixed.tutor(len(mixed.questions) - 1)  # the card is a normal card
    assert last.view()["type"] in {"ordering", "numeric"}
    assert "Timeline" in [mixed._topic_titles.get(q.topic) for q in mixed.questions]


def test_glossary_search_and_kind(bank):
    g = nukedu.glossary(bank=bank)
    assert g.count.value == f"{len(bank.terms)} of {len(bank.terms)} terms"
    term = bank.terms[0]
    g.search.value = term.term.upper()
    assert term in g.terms and term.term in g.results.value
    g.search.value = "zzzz-not-a-term"
    assert g.terms == [] and "No term matches" in g.results.value
    g.search.value = ""
    g.kind.value = "person"
    assert g.terms and all(t.kind == "person" for t in g.terms)
    assert "line" in nukedu.glossary("x", bank=bank)._repr_mimebundle_()["text/plain"] or True


# --- publications: dated, shown apart, never asked as events ------------------------------------
PUBLICATION = """
  - id: ev-1995-report
    kind: publication
    year: 1995
    month: 3
    title: A report on the partnership
    summary: A report that the article cites.
    era: beginnings
    tags: [document]
    sources: [{doc: partnership-2024, line: 5, quote: "In December 1991"}]
"""


@pytest.fixture()
def bank_with_publication(mini_bank_dir):
    path = mini_bank_dir / "timeline.yaml"
    path.write_text(path.read_text() + PUBLICATION)
    return nukedu.load_bank(mini_bank_dir)


def test_publications_get_their_own_trace_row_and_legend(bank_with_publication):
    bank = bank_with_publication
    assert bank.event("ev-1995-report").is_publication and not bank.event("ev-1994-pfp").is_publication
    fig = nukedu.timeline(bank=bank).figure_json
    by_name = {t["name"]: t for t in fig["data"]}
    pubs = by_name["Publication"]
    assert list(pubs["customdata"]) == ["ev-1995-report"] and pubs["marker"]["symbol"] == "diamond"
    assert "ev-1995-report" not in [i for t in point_traces(fig) if t["name"] != "Publication" for i in t["customdata"]]
    # its own row, below every event, with a dotted rule between
    event_ys = [y for t in point_traces(fig) if t["name"] != "Publication" for y in t["y"]]
    assert max(pubs["y"]) < min(event_ys)
    rule = next(s for s in fig["layout"]["shapes"] if s["name"] == "publications")
    assert max(pubs["y"]) < rule["y0"] < min(event_ys)
    assert fig["layout"]["title"]["text"] == "Ukraine and NATO: 3 events and 1 publication"
    layout = lay_out(bank.events, bank.eras, (1991, 2004), Geometry())
    rows = {p.event.id: p.row for p in layout.placed}
    assert rows["ev-1995-report"] == "publication" and rows["ev-1994-pfp"] == "event"
    t = nukedu.timeline(bank=bank)
    assert t.select("ev-1995-report")["kind"] == "publication" and t.select("ev-1994-pfp")["kind"] == "event"
    assert "A report on the partnership (only the month is known; publication)" in t.to_text()


def test_a_bank_without_publications_has_no_publication_legend(mini_bank):
    fig = nukedu.timeline(bank=mini_bank).figure_json
    assert [t["name"] for t in point_traces(fig)] == [e.title for e in mini_bank.eras]
    assert fig["layout"]["title"]["text"] == "Ukraine and NATO: 3 events"


def test_chronology_questions_leave_publications_out(bank_with_publication):
    bank = bank_with_publication
    report = bank.event("ev-1995-report")
    for seed in range(30):
        for q in timeline_questions(bank, 4, seed=seed):
            assert report.title not in getattr(q, "items", ()), seed
            assert report.title not in q.prompt and report.title not in q.explanation, seed
    assert filter_events(bank, kinds="event") == [e for e in bank.events_in() if e.id != "ev-1995-report"]
    assert filter_events(bank, kinds="publication") == [report]


def test_shipped_publications_are_not_asked(bank):
    pubs = {e.title for e in bank.events if e.is_publication}
    assert {"OSW analysis of security agreements", "NATO page 'Relations with Ukraine'", "NATO PA report on Ukraine"} <= pubs
    for seed in range(10):
        for q in timeline_questions(bank, 6, seed=seed):
            assert not pubs.intersection(getattr(q, "items", ())) and not any(p in q.prompt for p in pubs)


def test_timeline_quiz_places_events_on_the_same_light_chart_once_earned(bank):
    from nukedu.chronology import question_events

    s = nukedu.timeline_quiz(n=4, seed=5, bank=bank, remember=False)
    chart = s.chart
    assert chart.mode == "reveal" and chart.events == [] and markers(chart.figure_json) == []
    assert chart.figure_json["layout"]["annotations"][-1]["text"].startswith("Answer a question")
    first = s.questions[0]
    wrong = list(reversed(first.items))
    s.check(wrong)  # a wrong try earns nothing yet: the chart must not give the order away
    assert chart.events == [] and s.placed == []
    s.give_up()
    ids = question_events(bank, first)
    assert len(ids) == len(first.items) and s.placed == ids
    assert sorted(drawn_or_grouped(chart)) == sorted(ids) and chart.selected == ids[0]
    assert chart.count == f"Events placed so far: {len(ids)} events"
    s.next()
    year_q = s.questions[1]
    s.check(year_q.answer)
    year_event = year_q.id.removeprefix("timeline-year-")
    assert question_events(bank, year_q) == [year_event] and year_event in s.placed
    assert s.placed == ids + [i for i in [year_event] if i not in ids]  # each event placed once
    assert {r["id"] for r in chart.rows} == set(s.placed)


def test_timeline_quiz_displays_the_chart_after_the_questions(bank):
    from unittest import mock

    s = nukedu.timeline_quiz(n=2, seed=1, bank=bank, remember=False)
    shown = []
    with mock.patch("IPython.display.display", side_effect=lambda obj, **kw: shown.append(obj)):
        s._ipython_display_()
    kinds = [next(iter(k for k in o if k != "text/plain"), "text/plain") if isinstance(o, dict) else type(o).__name__
             for o in shown]
    assert kinds == ["text/html", "application/vnd.jupyter.widget-view+json",  # the quiz: static copy, widget
                     "application/vnd.plotly.v1+json", "text/html", "application/vnd.jupyter.widget-view+json"]


def test_year_questions_never_accept_a_year_after_the_texts():
    """A ±1 year question about a 2024 event would accept 2025, which no source could support."""
    from nukedu.chronology import timeline_questions
    from nukedu.loader import shipped_bank
    from nukedu.scoring import score

    bank = shipped_bank()
    latest = max(e.date.year for e in bank.events)
    seen_latest = False
    for seed in range(60):
        for q in timeline_questions(bank, 6, seed=seed):
            if q.type != "numeric":
                continue
            assert q.answer + q.tolerance <= latest, q.id
            if q.answer == latest:
                seen_latest = True
                assert score(q, latest + 1).status == "incorrect" and score(q, latest).status == "correct"
            elif q.answer == latest - 1:
                assert score(q, latest).status == "correct"   # the usual ±1 still holds below the end
    assert seen_latest
