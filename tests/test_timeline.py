"""The timeline chart's data, its filters and detail panel, the timeline quizzes and the glossary."""
from __future__ import annotations

import html

import pytest

pytest.importorskip("plotly")

import nukedu
from nukedu.timeline_data import filter_events, place
from nukedu.chronology import timeline_questions


@pytest.fixture(scope="module")
def bank():
    return nukedu.load_bank()


def markers(fig) -> list[str]:
    return [event_id for trace in fig.data for event_id in trace.customdata]


def test_one_marker_per_event_and_bands_per_era(bank):
    fig = nukedu.timeline_figure(bank=bank)
    ids = markers(fig)
    assert sorted(ids) == sorted(e.id for e in bank.events) and len(ids) == len(set(ids))
    bands = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(b.name, b.x0, b.x1) for b in bands] == [(e.id, e.start, e.end + 1) for e in bank.eras]
    assert [a.text for a in fig.layout.annotations] == [e.title for e in bank.eras]
    assert [t.name for t in fig.data] == [e.title for e in bank.eras] + ["Publication"]


def test_hover_text_has_title_and_date(bank):
    fig = nukedu.timeline_figure(bank=bank)
    by_id = {event_id: hover for t in fig.data for event_id, hover in zip(t.customdata, t.hovertext)}
    for e in bank.events:
        assert by_id[e.id].startswith(f"<b>{html.escape(e.title)}</b><br>{e.date}")
        assert by_id[e.id].endswith("(year only)") == (e.date.month is None)


def test_year_precision_is_shown_honestly(bank):
    fig = nukedu.timeline_figure(bank=bank)
    widths = {event_id: w for t in fig.data for event_id, w in zip(t.customdata, t.error_x.array)}
    for e in bank.events:
        expected = 0.5 if e.date.month is None else (0 if e.date.day else 1 / 24)
        assert widths[e.id] == pytest.approx(expected)


def test_same_year_events_get_their_own_lanes(bank):
    placed = place(bank.events)
    spots = [(p.row, p.event.date.year, p.lane) for p in placed]
    assert len(spots) == len(set(spots))
    alone = [p for p in placed if sum((q.row, q.event.date.year) == (p.row, p.event.date.year) for q in placed) == 1]
    assert alone and all(p.lane == 0 for p in alone)


def test_filters_change_the_traces_and_year_range_excludes(bank):
    t = nukedu.timeline(bank=bank)
    total = len(bank.events)
    assert t.count.value == f"Showing {total} of {total} events"
    t.year_filter.value = (2014, 2016)
    shown = markers(t.figure)
    assert shown and all(2014 <= bank.event(i).date.year <= 2016 for i in shown)
    assert set(shown) == {e.id for e in bank.events if 2014 <= e.date.year <= 2016}
    t.year_filter.value = (1991, 2024)
    first_era = bank.eras[0].id
    t.era_filter.value = first_era
    assert {bank.event(i).era for i in markers(t.figure)} == {first_era}
    assert [len(tr.x) for tr in t.figure.data][1:] == [0] * len(bank.eras)  # the other eras, and publications
    t.era_filter.value = ""
    tag = sorted({x for e in bank.events for x in e.tags})[0]
    t.tag_filter.value = tag
    assert set(markers(t.figure)) == {e.id for e in bank.events if tag in e.tags}
    assert t.count.value.startswith(f"Showing {len(markers(t.figure))} of {total}")


def test_clicking_an_event_shows_summary_and_citation(bank):
    t = nukedu.timeline(bank=bank)
    trace = next(tr for tr in t.figure.data if len(tr.x))

    class Points:
        point_inds = [0]

    t._clicked(trace, Points(), None)
    e = bank.event(trace.customdata[0])
    assert t.selected == e
    assert e.summary.replace("'", "&#x27;").replace('"', "&quot;").split("&")[0] in t.panel.value
    assert f"line {e.sources[0].line}" in t.panel.value and "nukedu-citation" in t.panel.value


def test_static_fallback_and_unknown_era(bank):
    t = nukedu.timeline(era=bank.eras[0].id, bank=bank)
    bundle = t._repr_mimebundle_()
    assert "plotly" in bundle["text/html"] and bundle["text/plain"].startswith("Timeline (")
    with pytest.raises(nukedu.NukeduError, match="unknown era 'golden-age'"):
        nukedu.timeline(era="golden-age", bank=bank)


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
    fig = nukedu.timeline_figure(bank=bank)
    by_name = {t.name: t for t in fig.data}
    pubs = by_name["Publication"]
    assert list(pubs.customdata) == ["ev-1995-report"] and pubs.marker.symbol == "diamond"
    assert "ev-1995-report" not in [i for t in fig.data if t.name != "Publication" for i in t.customdata]
    # its own row: below every event, which move up by one lane
    event_ys = [y for t in fig.data if t.name != "Publication" for y in t.y]
    assert max(pubs.y) < min(event_ys)
    assert fig.layout.title.text == "Ukraine and NATO: 3 events and 1 publication"
    placed = {p.event.id: p for p in place(bank.events)}
    assert placed["ev-1995-report"].row == "publication" and placed["ev-1994-pfp"].row == "event"
    t = nukedu.timeline(bank=bank)
    assert "· Publication" in t.show("ev-1995-report") and "Publication" not in t.show("ev-1994-pfp")
    assert "(publication) A report on the partnership" in t.to_text()


def test_a_bank_without_publications_has_no_publication_legend(mini_bank):
    fig = nukedu.timeline_figure(bank=mini_bank)
    assert [t.name for t in fig.data] == [e.title for e in mini_bank.eras]
    assert fig.layout.title.text == "Ukraine and NATO: 3 events"


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
