"""The timeline in a notebook: plotly's own chart output, and one small anywidget beside it.

The chart goes out as plotly's JSON mime type, so JupyterLab's plotly extension
draws it with the plotly.js it loads once per page (a plotly `FigureWidget`
would send the whole 5 MB bundle with every chart). The widget holds what the
chart cannot: filters, a focusable event list synced with the chart both ways,
the details with their sources, and the theme. The kernel decides which events
show and where (`timeline_data`, `timeline_layout`); the page only draws.

Displayed as three outputs: the chart, a static list of the events (for a
notebook reopened without a kernel; the live widget hides it), then the widget.
"""
from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

from ..errors import NukeduError
from ..model import Bank
from ..timeline_chart import CONFIG, Chart, build_chart
from ..timeline_data import Filters, check_filters, year_bounds
from ..timeline_present import (count_text, event_row, filters_of, list_state, options_of, themes_state,
                                timeline_static_html, timeline_text)
from ._display import StaticTwin

STATIC = Path(__file__).parent / "static"
RUN_NOTE = "Run the cell for the interactive chart and list."
WIDTH_STEP = 20  # the chart is laid out again when its width changes by this many pixels


class TimelineWidget(StaticTwin, anywidget.AnyWidget):
    """The synced state: what the list and filters show, and the figure once the kernel redraws it."""

    _esm = STATIC / "timeline.js"
    _css = STATIC / "timeline.css"
    mode = t.Unicode("explore").tag(sync=True)   # explore (filters), reveal (chronology quiz), static (page)
    chart_id = t.Unicode("").tag(sync=True)
    options = t.Dict().tag(sync=True)           # eras, tags, bounds: what the filters offer
    filters = t.Dict().tag(sync=True)           # era, tags, years, search: what they are set to
    rows = t.List().tag(sync=True)              # the events shown, in date order
    groups = t.List().tag(sync=True)            # the ids behind each "+k more" marker
    figure = t.Dict().tag(sync=True)            # {} until the first redraw: the chart output has the first
    height = t.Int(0).tag(sync=True)            # the chart's height in pixels, which the page keeps
    config = t.Dict().tag(sync=True)
    themes = t.Dict().tag(sync=True)
    selected = t.Unicode("").tag(sync=True)
    count = t.Unicode("").tag(sync=True)
    note = t.Unicode("").tag(sync=True)
    empty = t.Unicode("").tag(sync=True)
    problem = t.Unicode("").tag(sync=True)
    ack = t.Unicode("").tag(sync=True)


class Timeline(TimelineWidget):
    """A live timeline: `set_filters(...)`, `select(id)`, and what is shown in `events`, `chart`, `figure_json`."""

    def __init__(self, bank: Bank, filters: Filters | None = None, *, mode: str = "explore", width: int = 860,
                 empty: str = "No event matches these filters.", heading: str = "Timeline"):
        self.bank = bank
        self.width = width
        self.heading = heading
        self._chart_title = None if mode == "explore" else heading  # explore: the count; reveal: what it shows
        self._filters = filters or check_filters(bank)
        self.chart: Chart = build_chart(bank, self._filters, width=width, empty_note=empty, title=self._chart_title)
        super().__init__(mode=mode, chart_id=f"nukedu-timeline-{uuid.uuid4().hex[:12]}", config=CONFIG, empty=empty,
                         themes=themes_state(), options=options_of(bank))
        self._push(redraw=False)
        self.on_msg(self._receive)

    # --- what is shown ------------------------------------------------------------------------------
    @property
    def events(self) -> list:
        return list(self.chart.events)

    @property
    def current_filters(self) -> Filters:
        return self._filters

    @property
    def figure_json(self) -> dict[str, Any]:
        """The figure as drawn now (with this widget's id, so the page can find the chart)."""
        fig = self.chart.figure
        return {**fig, "layout": {**fig["layout"], "meta": {"nukedu": self.chart_id}}}

    def _push(self, redraw: bool = True) -> None:
        with self.hold_sync():
            self.filters = filters_of(self._filters)
            for name, value in list_state(self.bank, self.chart).items():
                setattr(self, name, value)
            if self.mode == "reveal":
                n = len(self.chart.events)
                self.count = f"{self.heading}: {n} event{'s' if n != 1 else ''}"
            if self.selected and self.selected not in {e.id for e in self.chart.events}:
                self.selected = ""
            self.height = int(self.chart.figure["layout"]["height"])
            if redraw:
                self.figure = self.figure_json

    def _rebuild(self) -> None:
        self.chart = build_chart(self.bank, self._filters, width=self.width, empty_note=self.empty,
                                 title=self._chart_title)

    # --- actions, from the page or from code -----------------------------------------------------------
    def set_filters(self, *, era: str | Sequence[str] | None = None, tags: str | Sequence[str] | None = None,
                    years: int | tuple[int, int] | None = None, search: str | None = None,
                    ids: Collection[str] | None = None) -> list:
        """Show the events that match; bad values raise one NukeduError listing the valid ones."""
        keep = self._filters.ids if ids is None else ids
        self._filters = check_filters(self.bank, era=era, tags=tags, years=years, search=search, ids=keep)
        self._rebuild()
        self._push()
        return self.events

    def reset(self) -> list:
        return self.set_filters()

    def resize(self, width: int) -> None:
        """Lay the chart out again for the width the page reports (labels need to know their room)."""
        width = max(320, min(4000, int(width)))
        if abs(width - self.width) < WIDTH_STEP:
            return
        self.width = width
        self._rebuild()
        self._push()

    def zoom(self, x0: float, x1: float) -> None:
        """A zoom on the chart becomes the Years filter (whole years), so chart, list and count agree."""
        first, last = year_bounds(self.bank)
        a = max(first, min(last, int(x0 + 0.5) if x1 - x0 >= 1 else int(x0)))
        b = max(a, min(last, int(x1 - 0.5) if x1 - x0 >= 1 else int(x0)))
        f = self._filters
        era = list(f.eras) or None
        self._filters = check_filters(self.bank, era=era, tags=list(f.tags) or None, years=(a, b), search=f.search,
                                      ids=f.ids)
        self._rebuild()
        self._push()

    def select(self, event_id: str) -> dict[str, Any]:
        """Choose an event as the list would; its row (with summary and sources) comes back."""
        rows = {e.id: e for e in self.chart.events}
        if event_id not in rows:
            raise NukeduError(f"no event {event_id!r} is shown; shown are: {', '.join(rows) or 'none'}")
        self.selected = event_id
        return event_row(self.bank, rows[event_id])

    def _receive(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        action = content.get("action")
        self.problem = ""
        try:
            if action == "filter":
                years = content.get("years")
                self.set_filters(era=content.get("era") or None, tags=content.get("tags") or None,
                                 years=tuple(years) if isinstance(years, list) else None,
                                 search=content.get("search") if isinstance(content.get("search"), str) else None)
            elif action == "reset":
                self.reset()
            elif action == "resize" and isinstance(content.get("width"), (int, float)):
                self.resize(int(content["width"]))
            elif action == "zoom" and all(isinstance(content.get(k), (int, float)) for k in ("x0", "x1")):
                if content["x1"] > content["x0"]:
                    self.zoom(float(content["x0"]), float(content["x1"]))
        except NukeduError as exc:  # shown beside the filters; the chart keeps what it had
            self.problem = str(exc)
            self._push(redraw=False)
        seq = content.get("seq")
        self.ack = str(seq)[:64] if isinstance(seq, (str, int)) else ""

    # --- display ------------------------------------------------------------------------------------------
    def to_text(self) -> str:
        return timeline_text(self.bank, self.chart.events, self.heading)

    def static_html(self) -> str:
        return timeline_static_html(self.bank, self.chart.events, RUN_NOTE)

    def chart_bundle(self) -> dict[str, Any]:
        """The chart as plotly's mime type (drawn by JupyterLab's plotly extension) with a text fallback."""
        return {"application/vnd.plotly.v1+json": self.figure_json,
                "text/plain": f"{self.chart.figure['layout']['title']['text']} (a plotly chart)"}

    def _display_before(self) -> None:
        from IPython.display import display

        self.figure = {}  # a fresh chart output shows the current figure; the widget redraws only after changes
        display(self.chart_bundle(), raw=True)

    def __repr__(self) -> str:
        return f"<nukedu timeline: {count_text(self.bank, self.chart.events).lower()}>"
