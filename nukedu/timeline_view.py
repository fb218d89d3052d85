"""The interactive timeline: a plotly chart of the bank's events with era bands, filters and a detail panel."""
from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from .loader import shipped_bank
from .model import Bank, TimelineEvent
from .present import citation_html, citation_text
from .timeline_data import PlacedEvent, filter_events, place

ERA_COLOURS = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#E45756", "#72B7B2", "#EECA3B", "#9D755D")
LANE_HEIGHT = 1.0
# Publications (reports, analyses, web pages the sources cite) sit in a row of their own below the
# events, as grey diamonds, so a reader never takes the date of a report for something that happened.
PUBLICATION_LABEL = "Publication"
PUBLICATION_COLOUR = "#5F5F5F"
PUBLICATION_SYMBOL = "diamond"


def _hover(p: PlacedEvent) -> str:
    e = p.event
    honest = {"year": " (year only)", "month": "", "day": ""}[p.precision]
    return f"<b>{html.escape(e.title)}</b><br>{e.date}{honest}"


def _trace_data(placed: list[PlacedEvent], base: int = 0) -> dict[str, list[Any]]:
    """Plot data of one trace; `base` lanes are left free below it (the publication row)."""
    return {
        "x": [p.x for p in placed],
        "y": [(base + p.lane) * LANE_HEIGHT + 1 for p in placed],
        "customdata": [p.event.id for p in placed],
        "hovertext": [_hover(p) for p in placed],
        "error_x": [p.half_width for p in placed],
    }


def timeline_figure(era: str | Sequence[str] | None = None, tags: str | Sequence[str] | None = None,
                    years: tuple[int, int] | None = None, bank: Bank | None = None):
    """A plain `plotly.graph_objects.Figure` of the events: one trace per era, shaded era bands.

    Year-only dates sit mid-year with a bar spanning the whole year, so the chart
    never claims more precision than the sources give.
    """
    import plotly.graph_objects as go

    bank = bank or shipped_bank()
    fig = go.Figure()
    _draw(fig, bank, filter_events(bank, era=era, tags=tags, years=years), years)
    return fig


def _draw(fig, bank: Bank, events: list[TimelineEvent], years: tuple[int, int] | None) -> None:
    placed = place(events)
    happenings = [p for p in placed if p.row == "event"]
    publications = [p for p in placed if p.row == "publication"]
    pub_rows = max((p.lane for p in publications), default=-1) + 1
    max_lane = max((p.lane for p in happenings), default=0)
    top = (max_lane + 2 + pub_rows) * LANE_HEIGHT
    shapes, annotations = [], []
    if pub_rows:  # a dotted rule between the publication row and the events
        shapes.append(dict(type="line", xref="paper", yref="y", x0=0, x1=1, y0=pub_rows * LANE_HEIGHT + 0.5,
                           y1=pub_rows * LANE_HEIGHT + 0.5, line=dict(color=PUBLICATION_COLOUR, width=1, dash="dot"),
                           layer="below", name="publications"))
    last_year = max((e.end for e in bank.eras), default=2024)
    for i, era in enumerate(bank.eras):
        colour = ERA_COLOURS[i % len(ERA_COLOURS)]
        shapes.append(dict(type="rect", xref="x", yref="y", x0=era.start, x1=era.end + 1, y0=0, y1=top,
                           fillcolor=colour, opacity=0.12, line_width=0, layer="below", name=era.id))
        # alternate heights so the titles of short neighbouring eras do not overprint each other,
        # and right-align titles near the end of the axis so they are not cut off
        near_end = era.end >= last_year - 3
        annotations.append(dict(x=era.end + 1 if near_end else (era.start + era.end + 1) / 2,
                                xanchor="right" if near_end else "center", y=top + (0.45 if i % 2 else 0),
                                xref="x", yref="y", text=era.title, showarrow=False, yanchor="bottom",
                                font=dict(size=11, color=colour)))
    fig.data = []
    for i, era in enumerate(bank.eras):
        mine = [p for p in happenings if p.event.era == era.id]
        data = _trace_data(mine, pub_rows)
        fig.add_scatter(
            name=era.title, legendgroup=era.id, mode="markers", x=data["x"], y=data["y"],
            customdata=data["customdata"], hovertext=data["hovertext"], hoverinfo="text",
            marker=dict(size=11, color=ERA_COLOURS[i % len(ERA_COLOURS)], line=dict(width=1, color="white")),
            error_x=dict(type="data", array=data["error_x"], visible=True, thickness=1.5, width=0),
        )
    if any(e.is_publication for e in bank.events):  # one legend entry whatever the filters show
        data = _trace_data(publications)
        fig.add_scatter(
            name=PUBLICATION_LABEL, legendgroup="publication", mode="markers", x=data["x"], y=data["y"],
            customdata=data["customdata"], hovertext=data["hovertext"], hoverinfo="text",
            marker=dict(size=11, symbol=PUBLICATION_SYMBOL, color=PUBLICATION_COLOUR, line=dict(width=1, color="white")),
            error_x=dict(type="data", array=data["error_x"], visible=True, thickness=1.5, width=0,
                         color=PUBLICATION_COLOUR),
        )
    x0 = years[0] if years else min((e.start for e in bank.eras), default=1991)
    x1 = (years[1] if years else max((e.end for e in bank.eras), default=2024)) + 1
    fig.update_layout(
        shapes=shapes, annotations=annotations, height=260 + 28 * (max_lane + pub_rows),
        margin=dict(l=20, r=20, t=40, b=40), hovermode="closest", clickmode="event+select",
        legend=dict(orientation="h", y=-0.25), dragmode="zoom",
        xaxis=dict(range=[x0 - 0.5, x1 + 0.5], title="Year", dtick=1 if x1 - x0 <= 12 else 2, tickangle=0),
        yaxis=dict(visible=False, range=[0, top + 1.4], fixedrange=True),
        title=dict(text=_title(len(happenings), len(publications)), x=0.01, font=dict(size=14)),
    )


def _title(events: int, publications: int) -> str:
    pubs = f" and {publications} publication{'s' if publications != 1 else ''}" if publications else ""
    return f"Ukraine and NATO: {events} event{'s' if events != 1 else ''}{pubs}"


class Timeline:
    """A live timeline: filters (era, tag, years), the chart, and a panel that shows a clicked event.

    Displays as a widget in a kernel and as a static chart and event list elsewhere.
    """

    def __init__(self, bank: Bank, era: str | None = None, tags: str | Sequence[str] | None = None):
        import ipywidgets as w
        import plotly.graph_objects as go

        self.bank = bank
        first = min((e.start for e in bank.eras), default=1991)
        last = max((e.end for e in bank.eras), default=2024)
        # "" rather than None for "all": a Dropdown shows a None value as an empty box
        self.era_filter = w.Dropdown(options=[("All eras", "")] + [(e.title, e.id) for e in bank.eras], value=era or "",
                                     description="Era", style={"description_width": "initial"})
        all_tags = sorted({t for e in bank.events for t in e.tags})
        start_tag = tags if isinstance(tags, str) else None
        self.tag_filter = w.Dropdown(options=[("All categories", "")] + [(t, t) for t in all_tags], value=start_tag or "",
                                     description="Category", style={"description_width": "initial"})
        self.year_filter = w.IntRangeSlider(value=(first, last), min=first, max=last, step=1, description="Years",
                                            continuous_update=False, style={"description_width": "initial"},
                                            layout=w.Layout(width="420px"))
        self.count = w.HTML("")
        self.count.add_class("nukedu-timeline-count")
        self.panel = w.HTML("<i>Click an event on the chart to read about it here.</i>")
        self.panel.add_class("nukedu-timeline-panel")
        self.figure = go.FigureWidget()
        self.selected: TimelineEvent | None = None
        self.events: list[TimelineEvent] = []
        for control in (self.era_filter, self.tag_filter, self.year_filter):
            control.observe(lambda _change: self.refresh(), "value")
        self.widget = w.VBox([w.HBox([self.era_filter, self.tag_filter, self.year_filter]), self.count,
                              self.figure, self.panel])
        self.widget.add_class("nukedu-timeline")
        self.refresh()

    def refresh(self) -> None:
        """Redraw the traces in place for the current filters."""
        years = tuple(self.year_filter.value)
        era = self.era_filter.value or None
        self.events = filter_events(self.bank, era=era, tags=self.tag_filter.value or None, years=years)
        if era:  # zoom to the chosen era within the year range
            chosen = self.bank.era(era)
            years = (max(years[0], chosen.start), max(min(years[1], chosen.end), max(years[0], chosen.start)))
        with self.figure.batch_update():
            _draw(self.figure, self.bank, self.events, years)
        for trace in self.figure.data:
            trace.on_click(self._clicked)
        total = len(self.bank.events)
        self.count.value = f"Showing {len(self.events)} of {total} events"

    def _clicked(self, trace, points, _state) -> None:
        if points.point_inds:
            self.show(trace.customdata[points.point_inds[0]])

    def show(self, event_id: str) -> str:
        """Put one event's date, summary and citation in the panel."""
        e = self.bank.event(event_id)
        self.selected = e
        era = self.bank.era(e.era).title if any(x.id == e.era for x in self.bank.eras) else e.era
        tags = ", ".join(e.tags)
        kind = f" · {PUBLICATION_LABEL}" if e.is_publication else ""
        self.panel.value = (f"<h4>{html.escape(e.title)}</h4><p><b>{e.date}</b> · {html.escape(era)}{kind}"
                            f"{' · ' + html.escape(tags) if tags else ''}</p><p>{html.escape(e.summary)}</p>"
                            "<p>Source: " + "; ".join(citation_html(c) for c in e.sources) + "</p>")
        return self.panel.value

    def to_text(self) -> str:
        lines = [f"Timeline ({len(self.events)} events)"]
        for e in self.events:
            kind = f"({PUBLICATION_LABEL.lower()}) " if e.is_publication else ""
            lines.append(f"{str(e.date):>18}  {kind}{e.title}: {e.summary} [{'; '.join(citation_text(c) for c in e.sources)}]")
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs):
        bundle = dict(self.widget._repr_mimebundle_() or {})
        static = timeline_figure(era=self.era_filter.value or None, tags=self.tag_filter.value or None,
                                 years=tuple(self.year_filter.value), bank=self.bank)
        bundle["text/html"] = static.to_html(include_plotlyjs="cdn", full_html=False)
        bundle["text/plain"] = self.to_text()
        return bundle


def timeline(era: str | None = None, tags: str | Sequence[str] | None = None, bank: Bank | None = None) -> Timeline:
    """The interactive timeline of the bank's events, optionally starting on one era or tag."""
    from .errors import NukeduError

    bank = bank or shipped_bank()
    if era is not None and not any(e.id == era for e in bank.eras):
        raise NukeduError(f"unknown era {era!r}; expected one of: {', '.join(e.id for e in bank.eras)}")
    return Timeline(bank, era=era, tags=tags)
