"""Timeline exports: TimelineJS3 JSON checked against TimelineJS's documented format, and the standalone page."""
from __future__ import annotations

import html
import json
import re

import pytest

import nukedu
from nukedu.cli import main
from nukedu.export.timelinejs import timelinejs
from nukedu.sources import DOCS

# TimelineJS3's JSON format as its documentation states it (NUKnightLab/TimelineJS3, website/docs/json-format.njk
# at 74f2ee8; https://timeline.knightlab.com/docs/json-format.html), plus what its loader (src/js/core/TimelineConfig.js)
# insists on: every era has start_date, end_date and text.headline (addEra reads data.text.headline).
DATE = {
    "type": "object",
    "required": ["year"],
    "additionalProperties": False,
    "properties": {
        "year": {"type": "integer"},
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "day": {"type": "integer", "minimum": 1, "maximum": 31},
        "hour": {"type": "integer", "minimum": 0, "maximum": 23},
        "minute": {"type": "integer", "minimum": 0, "maximum": 59},
        "second": {"type": "integer", "minimum": 0, "maximum": 59},
        "millisecond": {"type": "integer"},
        "display_date": {"type": "string"},
        "format": {"type": "string"},
    },
}
TEXT = {"type": "object", "additionalProperties": False,
        "properties": {"headline": {"type": "string"}, "text": {"type": "string"}}}
SLIDE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "start_date": DATE, "end_date": DATE, "text": TEXT,
        "media": {"type": "object", "required": ["url"]},
        "group": {"type": "string"}, "display_date": {"type": "string"},
        "background": {"type": "object", "properties": {"url": {"type": "string"}, "alt": {"type": "string"},
                                                        "color": {"type": "string"}}, "additionalProperties": False},
        "autolink": {"type": "boolean"}, "unique_id": {"type": "string"},
    },
}
SCHEMA = {
    "type": "object",
    "required": ["events"],
    "additionalProperties": False,
    "properties": {
        "events": {"type": "array", "minItems": 1, "items": {**SLIDE, "required": ["start_date"]}},
        "title": SLIDE,
        "eras": {"type": "array", "items": {
            "type": "object", "required": ["start_date", "end_date", "text"], "additionalProperties": False,
            "properties": {"start_date": DATE, "end_date": DATE,
                           # "text ... Not used for era objects": only the headline
                           "text": {"type": "object", "required": ["headline"], "additionalProperties": False,
                                    "properties": {"headline": {"type": "string"}}}}}},
        "scale": {"enum": ["human", "cosmological"]},
    },
}


@pytest.fixture(scope="module")
def bank():
    return nukedu.load_bank()


def test_timelinejs_follows_the_documented_format(bank):
    jsonschema = pytest.importorskip("jsonschema")
    data = timelinejs(bank)
    jsonschema.Draft7Validator(SCHEMA).validate(data)
    ids = [e["unique_id"] for e in data["events"]]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)  # TimelineJS slugifies ids
    # the schema really checks: a slide without start_date, a month 13, an era without a headline are refused
    for broken in ({**data, "events": [{"text": {"headline": "x"}}]},
                   {**data, "events": [{"start_date": {"year": 2000, "month": 13}}]},
                   {**data, "eras": [{"start_date": {"year": 1991}, "end_date": {"year": 1996}, "text": {}}]},
                   {**data, "colour": "red"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.Draft7Validator(SCHEMA).validate(broken)


def test_timelinejs_dates_keep_their_true_precision(bank):
    data = timelinejs(bank)
    slides = {s["unique_id"]: s for s in data["events"]}
    assert list(slides) == [e.id for e in bank.events_in()]
    for e in bank.events:
        date = slides[e.id]["start_date"]
        parts = {k for k in date if k in ("year", "month", "day")}
        assert parts == {"year"} | ({"month"} if e.date.month else set()) | ({"day"} if e.date.day else set()), e.id
        assert date["year"] == e.date.year and date.get("month") == e.date.month and date.get("day") == e.date.day
        assert date["display_date"] == str(e.date) and "end_date" not in slides[e.id]
    assert [(x["start_date"]["year"], x["end_date"]["year"], x["end_date"]["month"], x["end_date"]["day"])
            for x in data["eras"]] == [(e.start, e.end, 12, 31) for e in bank.eras]  # an era runs to the end of its last year
    assert [x["text"]["headline"] for x in data["eras"]] == [html.escape(e.title) for e in bank.eras]


def test_timelinejs_text_is_escaped_cited_and_says_what_is_planned(bank):
    data = timelinejs(bank)
    slides = {s["unique_id"]: s for s in data["events"]}
    summit = slides["ev-2024-washington-summit"]
    assert summit["text"]["text"].startswith("<p><em>Planned when the sources were written.</em></p>")
    assert slides["ev-2024-g7-agreements"]["text"]["text"].startswith("<p><em>Expected when the sources were written.")
    assert slides["ev-2024-osw-analysis"]["group"] == "Publications" and summit["group"] == "Events"
    e = bank.event("ev-1995-claes-speech")
    text = slides[e.id]["text"]["text"]
    for c in e.sources:
        assert f"line {c.line}: “{html.escape(c.quote)}”" in text and html.escape(DOCS[c.doc].title) in text
    quoted = [e for e in bank.events if "'" in e.title]
    assert quoted and all(slides[e.id]["text"]["headline"] == html.escape(e.title) for e in bank.events)
    tricky = bank.event(quoted[0].id)
    from dataclasses import replace
    from nukedu.model import Bank

    hostile = Bank(eras=bank.eras, events=(replace(tricky, title="<script>x</script> & co", summary="a < b"),))
    slide = timelinejs(hostile)["events"][0]
    assert slide["text"]["headline"] == "&lt;script&gt;x&lt;/script&gt; &amp; co" and "a &lt; b" in slide["text"]["text"]


def test_cli_writes_timelinejs_and_never_overwrites(tmp_path, capsys, bank):
    out = tmp_path / "timeline.json"
    assert main(["export", "timelinejs", "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["events"]) == len(bank.events) and "wrote" in capsys.readouterr().out
    assert main(["export", "timelinejs", "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert main(["export", "timelinejs", "--out", str(out), "--force", "--era", "beginnings"]) == 0
    assert {s["unique_id"] for s in json.loads(out.read_text())["events"]} == {e.id for e in bank.events_in("beginnings")}
    assert main(["export", "timelinejs", "--out", str(tmp_path / "x.json"), "--tags", "summitt"]) == 1
    assert "unknown tag 'summitt' (did you mean 'summit'?)" in capsys.readouterr().err
    assert main(["export", "timelinejs", "--out", str(tmp_path / "y.json"), "--topic", "beginnings"]) == 1
    assert "--topic choose questions; timelinejs exports the timeline's events" in capsys.readouterr().err
    assert main(["export", "moodle", "--out", str(tmp_path / "z.xml"), "--era", "beginnings"]) == 1
    assert "--era choose timeline events, for the timelinejs format only" in capsys.readouterr().err
    assert main(["export", "timelinejs", "--out", str(out), "--force", "--tags", "summit,aid", "--years", "2014", "2024"]) == 0
    assert {s["unique_id"] for s in json.loads(out.read_text())["events"]} == {
        e.id for e in bank.events if {"summit", "aid"} & set(e.tags) and 2014 <= e.date.year}


def test_standalone_page_is_offline_with_chart_list_and_citations(tmp_path, capsys, bank):
    from plotly.offline import get_plotlyjs

    out = tmp_path / "timeline.html"
    assert main(["timeline", "--html", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    plotly_js = get_plotlyjs()
    assert page.count(plotly_js[:200]) == 1, "plotly.js is inlined exactly once"
    assert not re.search(r"<script[^>]+src=", page) and "cdn.plot.ly" not in page.replace(plotly_js, "")
    assert "window.nukeduTimeline = { render };" in page and "export default" not in page.replace(plotly_js, "")
    for e in bank.events:
        assert f'<li id="{e.id}">' in page and html.escape(e.title) in page
        for c in e.sources:
            assert f"line {c.line}" in page and html.escape(c.quote) in page
    assert '"mode": "static"' in page and "nukedu-timeline-page" in page
    assert main(["timeline", "--html", str(out)]) == 1 and "already exists" in capsys.readouterr().err
    assert main(["timeline", "--html", str(out), "--force", "--era", "washington-2024"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Washington summit (planned)" in page and html.escape(bank.event("ev-1991-nacc").title) not in page
    assert "Towards the Washington summit" in page


def test_timeline_command_prints_text(capsys, bank):
    assert main(["timeline", "--era", "beginnings"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Timeline ({len(bank.events_in('beginnings'))} events)")
    assert main(["timeline", "--years", "2030", "2031"]) == 1
    assert "the timeline covers 1991–2024" in capsys.readouterr().err
