"""The timeline as plotly figure JSON: a plain dict built from the layout, with light and dark templates.

No plotly import: the dict is what the notebook's plotly renderer (and
`write_html`) draws, so building it stays cheap even for 10,000 events, and a
`plotly.graph_objects.Figure` is made from it only when someone asks for one.

Everything that depends on the theme (backgrounds, text, grid, marker outlines,
hover boxes) sits in `layout.template`; the front end swaps the template when
JupyterLab's theme changes. Colours were chosen so all text reaches 4.5:1
against its background and every marker 3:1, in both themes.
"""
from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .model import Bank, Era, TimelineEvent
from .timeline_data import Filters, apply, year_bounds
from .timeline_layout import ChartLayout, Geometry, Placed, lay_out, overflow_lane, text_width, visible_eras

# Era colours: each at least 3:1 against white and against #111111 (JupyterLab Dark's background).
ERA_COLOURS = ("#3A7BD5", "#D35400", "#2E8B57", "#9B59B6", "#C0392B", "#00897B", "#9D755D", "#C2185B")
GREY = "#858585"  # publications, date bars, "+k more": 3.7:1 on white, 5.1:1 on #111111
BAND_OPACITY = 0.10
FONT = "Arial, 'Liberation Sans', Helvetica, 'DejaVu Sans', sans-serif"

PUBLICATION_LABEL = "Publication"
PLANNED_LABEL = "Planned or expected (when the sources were written)"
PRECISION_LABEL = "Date known only to the year or month"
PUBLICATION_SYMBOL = "diamond"
PLANNED_SYMBOL = "circle-open"

# What a student needs from plotly's toolbar: zoom in and out, back to the whole view, save a picture.
MODEBAR = ("zoomIn2d", "zoomOut2d", "resetScale2d", "toImage")
CONFIG: dict[str, Any] = {
    "displaylogo": False, "responsive": True, "scrollZoom": False, "showTips": False,
    "modeBarButtons": [list(MODEBAR)], "doubleClick": "reset",
    "toImageButtonOptions": {"format": "png", "filename": "nukedu-timeline", "scale": 2},
}

TITLE_LEVEL_PX = 18
HEADER_PX = 36       # the chart's title
AXIS_PX = 30         # tick labels under the plot
LEGEND_ROW_PX = 24


def _theme(bg: str, fg: str, grid: str, axis: str, hover_bg: str, ring: str) -> dict[str, Any]:
    return {
        "ring": ring,  # the selected event's ring, drawn by the front end
        "template": {
            "layout": {
                "paper_bgcolor": bg, "plot_bgcolor": bg,
                "font": {"family": FONT, "size": 12, "color": fg},
                "xaxis": {"gridcolor": grid, "linecolor": axis, "tickcolor": axis, "zerolinecolor": grid},
                "hoverlabel": {"bgcolor": hover_bg, "bordercolor": axis, "font": {"color": fg, "family": FONT}},
                "legend": {"bgcolor": "rgba(0,0,0,0)", "font": {"color": fg}},
                "modebar": {"bgcolor": "rgba(0,0,0,0)", "color": axis, "activecolor": fg},
            },
            "data": {"scatter": [{"marker": {"line": {"color": bg}}}]},
        },
    }


THEMES: dict[str, dict[str, Any]] = {
    # text #1f1f1f on white is 16.5:1; #e6e6e6 on #111111 is 15.1:1
    "light": _theme("#ffffff", "#1f1f1f", "#e6e6e6", "#6f6f6f", "#ffffff", "#1f1f1f"),
    "dark": _theme("#111111", "#e6e6e6", "#333333", "#a0a0a0", "#262626", "#e6e6e6"),
}


def era_colour(eras: Sequence[Era], era_id: str) -> str:
    index = next((i for i, e in enumerate(eras) if e.id == era_id), len(eras))
    return ERA_COLOURS[index % len(ERA_COLOURS)]


def _esc(text: str) -> str:
    """Plotly reads a little HTML in texts: escape what the bank says."""
    return html.escape(text, quote=False)


PRECISION_NOTE = {"year": " (only the year is known)", "month": " (only the month is known)", "day": ""}


def hover_text(p: Placed, era_title: str) -> str:
    e = p.event
    extra = []
    if e.is_planned:
        extra.append(f"{e.status} when the sources were written")
    if e.is_publication:
        extra.append("publication")
    tail = f" · {', '.join(extra)}" if extra else ""
    return f"<b>{_esc(e.title)}</b><br>{e.date}{PRECISION_NOTE[p.precision]}<br>{_esc(era_title)}{tail}"


def _points(name: str, placed: Sequence[Placed], layout: ChartLayout, eras: Sequence[Era], *, marker: dict[str, Any],
            legendgroup: str, showlegend: bool = True) -> dict[str, Any]:
    titles = {e.id: e.title for e in eras}
    return {
        "type": "scatter", "mode": "markers+text", "name": name, "legendgroup": legendgroup, "showlegend": showlegend,
        "x": [p.x for p in placed], "y": [layout.y(p.row, p.lane) for p in placed],
        "customdata": [p.event.id for p in placed],
        "text": [_esc(p.label) for p in placed],
        "textposition": [f"middle {p.side or 'right'}" for p in placed],
        "hovertext": [hover_text(p, titles.get(p.event.era, p.event.era)) for p in placed],
        "hoverinfo": "text", "cliponaxis": False, "marker": marker,
    }


def _precision_bars(layout: ChartLayout) -> dict[str, Any]:
    """A short line under each point whose date is known only to the year or month, spanning that year or month."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for p in layout.placed:
        if p.half_width:
            y = layout.y(p.row, p.lane) - 0.32
            xs += [p.x - p.half_width, p.x + p.half_width, None]
            ys += [y, y, None]
    return {"type": "scatter", "mode": "lines", "name": PRECISION_LABEL, "legendgroup": "precision",
            "showlegend": bool(xs), "x": xs, "y": ys, "hoverinfo": "skip", "cliponaxis": True,
            "line": {"color": GREY, "width": 2}}


def _overflow(layout: ChartLayout) -> dict[str, Any]:
    groups = layout.overflow
    hover = []
    for o in groups:
        first, last = o.events[0].date, o.events[-1].date
        when = str(first) if first == last else f"{first} – {last}"
        hover.append(f"<b>{o.text} event{'s' if len(o.events) > 1 else ''} here</b><br>{when}<br>"
                     "Click to list them")
    return {
        "type": "scatter", "mode": "markers+text", "name": "more", "showlegend": False,
        "x": [o.x for o in groups], "y": [layout.y(o.row, overflow_lane(layout, o.row)) for o in groups],
        "customdata": [f"more:{i}" for i in range(len(groups))],
        "text": [o.text for o in groups], "textposition": [f"middle {o.side}" for o in groups],
        "hovertext": hover, "hoverinfo": "text", "cliponaxis": False,
        "marker": {"size": 9, "symbol": "circle", "color": GREY, "line": {"width": 1}},
    }


def _selection() -> dict[str, Any]:
    """Empty: the front end puts a ring here around the event chosen in the list or on the chart."""
    return {"type": "scatter", "mode": "markers", "name": "selected", "showlegend": False, "x": [], "y": [],
            "hoverinfo": "skip", "cliponaxis": False,
            "marker": {"size": 24, "symbol": "circle-open", "line": {"width": 3}, "color": THEMES["light"]["ring"]}}


def legend_rows(names: Sequence[str], width: float) -> int:
    """How many rows plotly needs for a horizontal legend of these entries across `width` pixels."""
    rows, used = 1, 0.0
    for name in names:
        w = 40 + text_width(name, 12) + 24  # symbol, text and the gap plotly leaves between entries
        if used and used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows if names else 0


def figure_dict(layout: ChartLayout, eras: Sequence[Era], *, title: str, theme: str = "light", chart_id: str = "",
                empty_note: str = "No event matches these filters.") -> dict[str, Any]:
    """The plotly figure (data, layout, config) for a laid-out timeline."""
    g = layout.geometry
    data: list[dict[str, Any]] = [_precision_bars(layout)]
    events = [p for p in layout.placed if p.row == "event"]
    happened = [p for p in events if not p.event.is_planned]
    for i, era in enumerate(eras):
        mine = [p for p in happened if p.event.era == era.id]
        if mine:
            data.append(_points(era.title, mine, layout, eras, legendgroup=era.id,
                                marker={"size": g.marker_px, "symbol": "circle", "color": era_colour(eras, era.id),
                                        "line": {"width": 1.5}}))
    planned = [p for p in layout.placed if p.event.is_planned and p.row == "event"]
    if planned:
        colours = [era_colour(eras, p.event.era) for p in planned]
        data.append(_points(PLANNED_LABEL, planned, layout, eras, legendgroup="planned",
                            marker={"size": g.marker_px + 1, "symbol": PLANNED_SYMBOL, "color": colours,
                                    "line": {"width": 3, "color": colours}}))
    pubs = [p for p in layout.placed if p.row == "publication"]
    if pubs:
        data.append(_points(PUBLICATION_LABEL, pubs, layout, eras, legendgroup="publication",
                            marker={"size": g.marker_px, "symbol": PUBLICATION_SYMBOL, "color": GREY,
                                    "line": {"width": 1.5}}))
    if layout.overflow:
        data.append(_overflow(layout))
    data.append(_selection())

    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    x0, x1 = layout.view
    for era in visible_eras(eras, layout.view):
        a, b = max(era.start, x0), min(era.end + 1, x1)
        if b > a:
            shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": a, "x1": b, "y0": 0, "y1": 1,
                           "fillcolor": era_colour(eras, era.id), "opacity": BAND_OPACITY, "line": {"width": 0},
                           "layer": "below", "name": f"band:{era.id}"})
    inset = (x1 - x0) * 2 / g.plot_width  # brackets of neighbouring eras never touch
    for t in layout.era_titles:
        level_px = 4 + t.level * TITLE_LEVEL_PX
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "ysizemode": "pixel", "yanchor": 1,
                       "x0": t.x0 + inset, "x1": t.x1 - inset, "y0": level_px, "y1": level_px,
                       "line": {"color": era_colour(eras, t.era.id), "width": 3}, "name": f"bracket:{t.era.id}"})
        annotations.append({"x": t.x, "y": 1, "xref": "x", "yref": "paper", "yanchor": "bottom", "xanchor": "center",
                            "yshift": level_px + 2, "text": _esc(t.era.title), "showarrow": False,
                            "font": {"size": g.title_font_px}, "name": f"era:{t.era.id}"})
    if "publication" in layout.lanes and "event" in layout.lanes:
        y = layout.base("event") - 0.8
        shapes.append({"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": y, "y1": y,
                       "line": {"color": GREY, "width": 1, "dash": "dot"}, "layer": "below", "name": "publications"})
    if not layout.placed and not layout.overflow:
        annotations.append({"x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper", "text": _esc(empty_note),
                            "showarrow": False, "font": {"size": 13}, "name": "empty"})

    names = [t["name"] for t in data if t.get("showlegend", True) and t.get("name") and t["name"] not in ("more", "selected")]
    rows = legend_rows(names, g.plot_width)
    top = HEADER_PX + layout.title_levels * TITLE_LEVEL_PX + 8
    bottom = AXIS_PX + rows * LEGEND_ROW_PX + 8
    plot_h = layout.plot_height
    return {
        "data": data,
        "layout": {
            "template": THEMES[theme]["template"],
            "title": {"text": _esc(title), "x": 0.01, "xanchor": "left", "y": 1, "yref": "container", "yanchor": "top",
                      "pad": {"t": 10}, "font": {"size": 14}},
            "height": round(plot_h + top + bottom),
            "margin": {"l": g.margin_left, "r": g.margin_right, "t": top, "b": bottom, "autoexpand": False},
            "showlegend": bool(names),
            "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": -AXIS_PX / plot_h, "yanchor": "top",
                       "itemclick": "toggle", "itemdoubleclick": "toggleothers"},
            "xaxis": {"range": list(layout.view), "tickmode": "array", "tickvals": [t.value for t in layout.ticks],
                      "ticktext": [t.text for t in layout.ticks], "showgrid": True, "zeroline": False,
                      "ticks": "outside", "showline": True, "fixedrange": False},
            "yaxis": {"range": list(layout.y_range), "visible": False, "fixedrange": True},
            "shapes": shapes, "annotations": annotations,
            "hovermode": "closest", "clickmode": "event", "dragmode": "zoom",
            "meta": {"nukedu": chart_id},
        },
        "config": CONFIG,
    }


def default_view(years: tuple[int, int], g: Geometry) -> tuple[float, float]:
    """The years first to last inclusive, with room for half a marker at either edge."""
    start, end = years[0], years[1] + 1
    pad = (end - start) * (g.marker_px / 2 + 2) / g.plot_width
    return (start - pad, end + pad)


def chart_title(events: Sequence[TimelineEvent], total: int) -> str:
    happened = sum(1 for e in events if not e.is_publication)
    pubs = len(events) - happened
    text = f"Ukraine and NATO: {happened} event{'s' if happened != 1 else ''}"
    if pubs:
        text += f" and {pubs} publication{'s' if pubs != 1 else ''}"
    return text + (f" (of {total})" if len(events) != total else "")


def groups_of(layout: ChartLayout) -> list[list[str]]:
    """The ids behind each "+k more" marker, in the order of the marker's customdata ("more:<i>")."""
    return [[e.id for e in o.events] for o in layout.overflow]



@dataclass(frozen=True, slots=True)
class Chart:
    """What one drawing of the timeline needs: the chosen events, where they go, and the figure JSON."""

    events: tuple[TimelineEvent, ...]
    layout: ChartLayout
    figure: dict[str, Any]

    @property
    def groups(self) -> list[list[str]]:
        return groups_of(self.layout)


def build_chart(bank: Bank, filters: Filters, *, width: int = 860, view: tuple[float, float] | None = None,
                theme: str = "light", chart_id: str = "", empty_note: str = "No event matches these filters.",
                title: str | None = None) -> Chart:
    """Filter, lay out and draw: the one path from the bank to a figure, for the notebook, the page and tests."""
    g = Geometry(width=max(320, int(width)))
    events = apply(bank, filters)
    years = filters.years or year_bounds(bank)
    shown = view if view is not None and view[1] > view[0] else default_view(years, g)
    layout = lay_out(events, bank.eras, shown, g)
    fig = figure_dict(layout, bank.eras, title=title or chart_title(events, len(bank.events)), theme=theme,
                      chart_id=chart_id, empty_note=empty_note)
    return Chart(tuple(events), layout, fig)
