"""The timeline's pure core: filters and their errors, lanes, labels, "+k more", ticks and era titles."""
from __future__ import annotations

import itertools
import random

import pytest

import nukedu
from nukedu.errors import NukeduError
from nukedu.model import Bank, Citation, Era, EventDate, TimelineEvent
from nukedu.timeline_data import all_tags, apply, check_filters, filter_events, year_bounds
from nukedu.timeline_layout import Geometry, lay_out, short_label, text_width, ticks, x_to_px


@pytest.fixture(scope="module")
def bank():
    return nukedu.load_bank()


# --- filters -------------------------------------------------------------------------------------------
def test_unknown_values_give_one_error_listing_the_valid_ones(bank):
    with pytest.raises(NukeduError) as err:
        check_filters(bank, tags="summitt")
    assert str(err.value) == ("unknown tag 'summitt' (did you mean 'summit'?); expected one of: "
                              + ", ".join(all_tags(bank)))
    with pytest.raises(NukeduError, match=r"^unknown era 'golden-age'; expected one of: beginnings, distinctive-partnership"):
        check_filters(bank, era="golden-age")
    with pytest.raises(NukeduError) as err:
        check_filters(bank, era="beginings", tags=["aid", "nope"], years=(2030, 2031))
    text = str(err.value)
    assert text.startswith("3 problems with the timeline's filters:")
    assert "unknown era 'beginings' (did you mean 'beginnings'?)" in text
    assert "unknown tag 'nope'" in text and "the timeline covers 1991–2024" in text


@pytest.mark.parametrize("years,why", [
    ((2000, 1999), "the first year comes after the last"),
    ((1990, 1995), "the timeline covers 1991–2024"),
    ("1994", "expected a year or two years"),
    ((1994, 1995, 1996), "expected a year or two years"),
    ((1994.5, 1996), "expected a year or two years"),
])
def test_bad_years(bank, years, why):
    with pytest.raises(NukeduError, match=why):
        check_filters(bank, years=years)


def test_bad_types_are_named(bank):
    with pytest.raises(NukeduError, match="tags must be text or a list of texts, found int"):
        check_filters(bank, tags=3)
    with pytest.raises(NukeduError, match="search must be text, found int"):
        check_filters(bank, search=3)
    with pytest.raises(NukeduError, match="unknown event id 'ev-nope'"):
        check_filters(bank, ids=["ev-nope"])


def test_years_follow_the_era_unless_given(bank):
    era = bank.era("turning-point-2014")
    assert check_filters(bank, era=era.id).years == (era.start, era.end)
    assert check_filters(bank).years == year_bounds(bank) == (1991, 2024)
    assert check_filters(bank, era=era.id, years=(2015, 2016)).years == (2015, 2016)
    assert check_filters(bank, years=2014).years == (2014, 2014)
    two = check_filters(bank, era=["beginnings", "full-scale-war"])
    assert two.years == (1991, 2023) and two.eras == ("beginnings", "full-scale-war")


def test_tags_filter_really_filters(bank):
    summits = apply(bank, check_filters(bank, tags=["summit"]))
    assert summits and len(summits) < len(bank.events)
    assert all("summit" in e.tags for e in summits)
    assert {e.id for e in summits} == {e.id for e in bank.events if "summit" in e.tags}


def test_search_matches_every_word_in_title_summary_tags_or_date(bank):
    found = filter_events(bank, search="budapest MEMORANDUM")
    assert [e.id for e in found] == [e.id for e in bank.events_in() if "budapest memorandum" in
                                     (e.title + " " + e.summary).casefold()]
    assert filter_events(bank, search="October 1995") == [bank.event("ev-1995-claes-speech")]
    assert filter_events(bank, search="zzz-nothing") == []
    assert {e.id for e in filter_events(bank, search="summit")} >= {e.id for e in bank.events if "summit" in e.tags}


def test_every_combination_of_filters_agrees_with_filter_events(bank):
    """check_filters + apply choose exactly what filter_events chooses for the same values."""
    eras = [None] + [e.id for e in bank.eras]
    tag_sets = [None, ["summit"], ["aid", "war"], ["document"]]
    year_sets = [None, (1991, 2024), (2014, 2016), (2024, 2024)]
    for era, tags, years in itertools.product(eras, tag_sets, year_sets):
        f = check_filters(bank, era=era, tags=tags, years=years)
        got = apply(bank, f)
        span = years or ((bank.era(era).start, bank.era(era).end) if era else None)
        assert got == filter_events(bank, era=era, tags=tags, years=span), (era, tags, years)
        for e in got:
            assert (era is None or e.era == era) and (tags is None or set(tags) & set(e.tags))
            assert f.years[0] <= e.date.year <= f.years[1]


# --- labels and text widths -----------------------------------------------------------------------------
def test_short_labels_end_on_a_whole_word():
    assert short_label("Budapest Memorandum signed") == "Budapest Memorandum signed"
    assert short_label("Help with cyber, infrastructure, intelligence") == "Help with cyber, infrastructure…"
    assert short_label("Ukraine joins the North Atlantic Cooperation Council", 26) == "Ukraine joins the North…"
    assert all(len(short_label(e.title)) <= 32 for e in nukedu.load_bank().events)


def test_text_width_is_an_upper_estimate():
    assert text_width("iiii", 12) < text_width("MMMM", 12)
    assert text_width("Budapest Memorandum signed", 12) == pytest.approx(
        sum({"B": 686, "u": 634, "d": 635, "a": 613, "p": 635, "e": 615, "s": 521, "t": 392, " ": 318, "M": 863,
             "m": 974, "o": 612, "r": 411, "n": 634, "i": 278, "g": 635}[c] for c in "Budapest Memorandum signed")
        * 12 / 1000 * 1.04)
    assert text_width("漢", 10) == pytest.approx(10 * 1.04)  # unknown characters count a whole em


# --- lanes, labels, "+k more" ----------------------------------------------------------------------------
def boxes(layout):
    """Every drawn thing's pixel box per lane: markers with their date bars, labels, "+k more" texts."""
    g = layout.geometry
    pw, r = g.plot_width, g.marker_px / 2
    out = []
    for p in layout.placed:
        px = x_to_px(p.x, layout.view, pw)
        reach = max(r, p.half_width * pw / (layout.view[1] - layout.view[0]))
        y = layout.y(p.row, p.lane)
        out.append((y, px - reach, px + reach, f"marker {p.event.id}"))
        if p.label:
            w = text_width(p.label, g.font_px)
            a, b = (px + r + 3, px + r + 3 + w) if p.side == "right" else (px - r - 3 - w, px - r - 3)
            out.append((y, a, b, f"label {p.event.id}"))
            assert 0 <= a and b <= pw, f"label of {p.event.id} leaves the plot"
    return out


def assert_no_overlap(layout):
    items = sorted(boxes(layout))
    for (y1, a1, b1, n1), (y2, a2, b2, n2) in itertools.combinations(items, 2):
        if y1 == y2 and not (n1.split()[1] == n2.split()[1]):  # a label may sit over its own date bar
            assert b1 <= a2 or b2 <= a1, f"{n1} and {n2} overlap in lane y={y1}"


@pytest.mark.parametrize("width", [420, 640, 900, 1200])
def test_nothing_overlaps_in_any_era_or_the_full_view(bank, width):
    g = Geometry(width=width)
    for era in [None, *[e.id for e in bank.eras]]:
        f = check_filters(bank, era=era)
        events = apply(bank, f)
        layout = lay_out(events, bank.eras, (f.years[0] - 0.05, f.years[1] + 1.05), g)
        assert_no_overlap(layout)
        shown = [p.event.id for p in layout.placed] + [e.id for o in layout.overflow for e in o.events]
        assert sorted(shown) == sorted(e.id for e in events), "every event is either drawn or behind '+k more'"
        assert layout.lanes.get("event", 0) <= g.max_event_lanes + 1
        assert layout.lanes.get("publication", 0) <= g.max_publication_lanes + 1


def test_labels_where_there_is_room(bank):
    f = check_filters(bank, era="beginnings")
    layout = lay_out(apply(bank, f), bank.eras, (1991, 1997), Geometry(width=900))
    assert all(p.label for p in layout.placed), "five events over six years at 900 px: every one labelled"
    assert layout.placed[0].label == (bank.events_in("beginnings")[0].label or bank.events_in("beginnings")[0].title)


def test_same_day_events_get_different_lanes_and_publications_their_own_row(bank):
    f = check_filters(bank, era="washington-2024")
    layout = lay_out(apply(bank, f), bank.eras, (2024, 2025), Geometry(width=900))
    by_id = {p.event.id: p for p in layout.placed}
    a, b = by_id["ev-2024-us-ukraine-agreement"], by_id["ev-2024-defence-ministers"]
    assert a.x == b.x and a.lane != b.lane
    assert by_id["ev-2024-osw-analysis"].row == "publication"
    assert layout.y("publication", 1) < layout.y("event", 0)


def event(i: int, year: int, month: int | None = None, day: int | None = None, kind: str = "event") -> TimelineEvent:
    return TimelineEvent(id=f"ev-{i}", date=EventDate(year=year, month=month, day=day), title=f"Synthetic event {i}",
                         summary="s", era="all", sources=(Citation(doc="d", line=1, quote="q"),), kind=kind)


def synthetic(n: int, seed: int = 0) -> list[TimelineEvent]:
    gen = random.Random(seed)
    out = []
    for i in range(n):
        month = gen.choice([None, *range(1, 13)])
        day = gen.choice([None, 1, 15, 28]) if month else None
        out.append(event(i, gen.randint(1991, 2024), month, day, "publication" if i % 7 == 0 else "event"))
    return out


def test_ten_thousand_events_keep_the_height_bounded():
    events = synthetic(10_000)
    g = Geometry(width=900)
    layout = lay_out(events, [Era(id="all", title="All", start=1991, end=2024)], (1991, 2025), g)
    assert layout.lanes["event"] <= g.max_event_lanes + 1 and layout.lanes["publication"] <= g.max_publication_lanes + 1
    hidden = sum(len(o.events) for o in layout.overflow)
    assert hidden + len(layout.placed) == 10_000 and hidden > 9_000
    assert layout.plot_height <= (g.max_event_lanes + g.max_publication_lanes + 4) * g.lane_px
    assert_no_overlap(layout)
    texts = sorted((layout.y(o.row, layout.lanes[o.row] - 1), x_to_px(o.x, layout.view, g.plot_width)) for o in layout.overflow)
    for (y1, x1), (y2, x2) in zip(texts, texts[1:]):
        if y1 == y2:
            assert x2 - x1 > g.marker_px, "'+k more' markers stay apart"


# --- ticks and era titles --------------------------------------------------------------------------------
def test_month_ticks_under_three_years_year_ticks_above():
    months = ticks((2024.0, 2025.0), 900)
    assert [t.text for t in months][:3] == ["Jan 2024", "Feb", "Mar"] and len(months) >= 12
    assert months[1].value == pytest.approx(2024 + 1 / 12)
    two = ticks((2022.0, 2024.0), 900)
    assert "Jan 2023" in [t.text for t in two] and all(t.text.split()[0] in {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"} for t in two)
    years = ticks((1991.0, 2025.0), 900)
    assert all(t.text.isdigit() for t in years) and len(years) >= 6
    narrow = ticks((1991.0, 2025.0), 300)
    assert len(narrow) < len(years)
    for ts, width, view in ((months, 900, (2024, 2025)), (years, 900, (1991, 2025)), (narrow, 300, (1991, 2025))):
        edges = [(x_to_px(t.value, view, width), text_width(t.text, 12)) for t in ts]
        for (x1, w1), (x2, w2) in zip(edges, edges[1:]):
            assert x1 + w1 / 2 < x2 - w2 / 2, "tick labels do not touch"


@pytest.mark.parametrize("width", [500, 700, 900, 1300])
def test_era_titles_never_overlap_and_sit_over_their_era(bank, width):
    g = Geometry(width=width)
    layout = lay_out(bank.events, bank.eras, (1990.9, 2025.1), g)
    assert {t.era.id for t in layout.era_titles} == {e.id for e in bank.eras}
    placed = []
    for t in layout.era_titles:
        w = text_width(t.era.title, g.title_font_px)
        c = x_to_px(t.x, layout.view, g.plot_width)
        assert -1e-6 <= c - w / 2 and c + w / 2 <= g.plot_width + 1e-6
        assert (t.x0, t.x1) == (max(t.era.start, 1990.9), min(t.era.end + 1, 2025.1))
        for level, a, b in placed:
            assert level != t.level or b <= c - w / 2 or c + w / 2 <= a
        placed.append((t.level, c - w / 2, c + w / 2))


def test_ten_thousand_events_make_a_figure_of_bounded_height():
    from nukedu.model import Bank
    from nukedu.timeline_chart import build_chart

    bank = Bank(eras=(Era(id="all", title="All", start=1991, end=2024),), events=tuple(synthetic(10_000)))
    small = Bank(eras=bank.eras, events=bank.events[:50])
    big = build_chart(bank, check_filters(bank), width=900)
    few = build_chart(small, check_filters(small), width=900)
    assert big.figure["layout"]["height"] <= 600 and big.figure["layout"]["height"] - few.figure["layout"]["height"] <= 120
    drawn = sum(len(t["x"]) for t in big.figure["data"] if t["name"] not in ("selected", "Date known only to the year or month"))
    assert drawn < 600, "markers beyond the lanes go behind '+k more', not onto the chart"
    assert sum(len(g) for g in big.groups) + len(big.layout.placed) == 10_000
