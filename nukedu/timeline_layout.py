"""Where everything goes on the timeline chart, in pixels: lanes, labels, "+k more", ticks and era titles.

Pure geometry, no plotly: given events, eras, the visible span and the chart's
width, decide each event's lane and whether its short label fits beside it,
so that no two labels, markers or date bars ever overlap. Lanes are capped, so
the chart's height stays bounded however many events there are; what does not
fit is gathered into a "+k more" marker the event list can open.

Text widths are estimated from the wider of DejaVu Sans and Liberation Sans
(the fonts a Linux classroom falls back to; Arial and Helvetica are narrower),
so an estimate is never smaller than what the browser draws.
"""
from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .model import Era, TimelineEvent

# Advance widths in thousandths of an em, measured in Chromium (max of DejaVu Sans and Liberation Sans).
_CHARS = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
          "–—…’‘“”éèáàóöüäçńłśżźćęąÖÜ·×°€")
_WIDTHS = (318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636,
           636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 556, 1015, 684, 686, 722, 770, 667, 611, 778, 752, 295,
           500, 667, 557, 863, 748, 787, 667, 787, 722, 667, 611, 732, 684, 989, 685, 667, 685, 390, 337, 390, 838,
           556, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521,
           392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838, 556, 1000, 1000, 318, 318, 518, 518, 615, 615, 613,
           613, 612, 612, 634, 613, 550, 634, 284, 521, 525, 525, 550, 615, 613, 787, 732, 318, 838, 500, 636)
_EM = dict(zip(_CHARS, _WIDTHS))
SAFETY = 1.04  # rounding, kerning and hinting differ a little between browsers


@lru_cache(maxsize=4096)
def _ems(text: str) -> int:
    return sum(_EM.get(ch, 1000) for ch in text)


def text_width(text: str, font_px: float) -> float:
    """An upper estimate of `text`'s width in pixels at `font_px` (unknown characters count as 1 em)."""
    return _ems(text) * font_px / 1000 * SAFETY


def short_label(title: str, max_chars: int = 32) -> str:
    """The title, or its first words and an ellipsis when longer than `max_chars` characters."""
    if len(title) <= max_chars:
        return title
    cut = title[: max_chars - 1]
    if title[max_chars - 1] not in " ,;:" and " " in cut:  # end on a whole word
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + "…"


def label_of(event: TimelineEvent, max_chars: int = 32) -> str:
    """The chart's label: the event's own `label`, else its title shortened."""
    return event.label or short_label(event.title, max_chars)


@dataclass(frozen=True, slots=True)
class Geometry:
    """The chart's measures in pixels. `width` is the whole figure; the plot area is inside the margins."""

    width: int = 860
    margin_left: int = 18
    margin_right: int = 18
    font_px: float = 12
    title_font_px: float = 12
    marker_px: float = 12
    lane_px: int = 26
    gap_px: float = 6
    max_event_lanes: int = 8
    max_publication_lanes: int = 2
    label_chars: int = 32

    @property
    def plot_width(self) -> float:
        return max(120.0, self.width - self.margin_left - self.margin_right)


@dataclass(frozen=True, slots=True)
class Placed:
    """An event on the chart: x in decimal years, its row and lane, and its label (or "" when none fits)."""

    event: TimelineEvent
    x: float
    half_width: float  # 0.5 year for a year-only date, half a month for a month, 0 for a day
    row: str           # "event" or "publication"
    lane: int
    label: str = ""
    side: str = ""     # "right" or "left" of the marker, "" without a label

    @property
    def precision(self) -> str:
        d = self.event.date
        return "day" if d.day else ("month" if d.month else "year")


@dataclass(frozen=True, slots=True)
class Overflow:
    """Events that found no lane, drawn as one "+k more" marker at the first one's date."""

    row: str
    x: float
    events: tuple[TimelineEvent, ...]
    side: str = "right"

    @property
    def text(self) -> str:
        return f"+{len(self.events)} more"


@dataclass(frozen=True, slots=True)
class Tick:
    value: float
    text: str


@dataclass(frozen=True, slots=True)
class EraTitle:
    """An era's title above the plot: `x0`–`x1` is the visible part of the era, `x` the title's centre."""

    era: Era
    x0: float
    x1: float
    x: float
    level: int  # 0 is nearest the plot


@dataclass(frozen=True, slots=True)
class ChartLayout:
    view: tuple[float, float]
    geometry: Geometry
    placed: tuple[Placed, ...]
    overflow: tuple[Overflow, ...]
    lanes: dict[str, int] = field(default_factory=dict)  # lanes used per row, "+k more" lane included
    ticks: tuple[Tick, ...] = ()
    era_titles: tuple[EraTitle, ...] = ()

    @property
    def title_levels(self) -> int:
        return max((t.level for t in self.era_titles), default=-1) + 1

    def base(self, row: str) -> float:
        """The y of a row's lane 0: publications at the bottom, then a gap, then the events."""
        pubs = self.lanes.get("publication", 0)
        return 0.0 if row == "publication" else (pubs + 0.6 if pubs else 0.0)

    def y(self, row: str, lane: int) -> float:
        return self.base(row) + lane

    @property
    def y_range(self) -> tuple[float, float]:
        top = self.base("event") + max(1, self.lanes.get("event", 0)) - 1
        return (-0.8, top + 0.8)

    @property
    def plot_height(self) -> float:
        lo, hi = self.y_range
        return (hi - lo) * self.geometry.lane_px


def x_to_px(x: float, view: tuple[float, float], plot_width: float) -> float:
    return (x - view[0]) / (view[1] - view[0]) * plot_width


@dataclass
class _Lane:
    end: float = float("-inf")      # right edge of everything placed so far
    body_end: float = float("-inf")  # right edge of the last occupant without its label
    last: int = -1                   # index (in `out`) of the last occupant


def _place_row(events: Sequence[TimelineEvent], row: str, max_lanes: int, view: tuple[float, float],
               g: Geometry) -> tuple[list[Placed], list[Overflow]]:
    """Greedy, in date order: a labelled spot in the lowest lane that has room, else a bare marker, else
    a bare marker after taking the label from the lane's last event, else "+k more"."""
    pw = g.plot_width
    r = g.marker_px / 2
    scale = pw / (view[1] - view[0])
    lanes = [_Lane() for _ in range(max_lanes)]
    out: list[Placed] = []
    spill: list[tuple[float, TimelineEvent]] = []
    keyed = sorted(((e.date.decimal_year, e.date.sort_key, e.id, e) for e in events), key=lambda k: k[:3])
    for x, _, _, e in keyed:
        d = e.date
        half = 0.0 if d.day else (1 / 24 if d.month else 0.5)
        px = x_to_px(x, view, pw)
        reach = max(r, half * scale)
        body = (px - reach, px + reach)
        if not any(lane.end + g.gap_px <= body[0] for lane in lanes) and not any(lane.last >= 0 and out[lane.last].side == "right"
                                     and lane.body_end + g.gap_px <= body[0] for lane in lanes):
            spill.append((px, e))  # no lane has room even for the marker: skip measuring the label
            continue
        label = label_of(e, g.label_chars)
        w = text_width(label, g.font_px)
        right = px + r + 3 + w
        left = px - r - 3 - w
        spot = None
        for i, lane in enumerate(lanes):  # a label to the right, inside the plot
            if right <= pw and lane.end + g.gap_px <= body[0]:
                spot = (i, label, "right", max(body[1], right))
                break
        if spot is None:
            for i, lane in enumerate(lanes):  # a label to the left
                if left >= 0 and lane.end + g.gap_px <= min(left, body[0]):
                    spot = (i, label, "left", body[1])
                    break
        if spot is None:
            for i, lane in enumerate(lanes):  # the marker alone
                if lane.end + g.gap_px <= body[0]:
                    spot = (i, "", "", body[1])
                    break
        if spot is None:
            for i, lane in enumerate(lanes):  # the marker alone, once the lane's last event gives up its label
                if lane.last >= 0 and out[lane.last].side == "right" and lane.body_end + g.gap_px <= body[0]:
                    prev = out[lane.last]
                    out[lane.last] = Placed(prev.event, prev.x, prev.half_width, prev.row, prev.lane)
                    spot = (i, "", "", body[1])
                    break
        if spot is None:
            spill.append((px, e))
            continue
        i, text, side, end = spot
        lanes[i].end, lanes[i].body_end, lanes[i].last = end, body[1], len(out)
        out.append(Placed(e, x, half, row, i, text, side))
    return out, _gather(spill, row, view, g)


def _gather(spill: list[tuple[float, TimelineEvent]], row: str, view: tuple[float, float], g: Geometry) -> list[Overflow]:
    """Events without a lane, grouped so that no two "+k more" markers or their texts overlap."""
    groups: list[tuple[float, float, list[TimelineEvent]]] = []  # (px of the marker, right edge, events)
    pw = g.plot_width
    r = g.marker_px / 2
    for px, e in spill:
        if groups and px - r <= groups[-1][1] + g.gap_px:
            start, _, members = groups[-1]
            members.append(e)
            groups[-1] = (start, start + r + 3 + text_width(f"+{len(members)} more", g.font_px), members)
        else:
            groups.append((px, px + r + 3 + text_width("+1 more", g.font_px), [e]))
    out = []
    for px, end, members in groups:
        side = "right" if end <= pw else "left"
        x = members[0].date.decimal_year
        out.append(Overflow(row, x, tuple(members), side))
    return out


def ticks(view: tuple[float, float], plot_width: float, font_px: float = 12) -> tuple[Tick, ...]:
    """Year ticks (every 1, 2, 5 or 10 years, as room allows); month ticks when the view spans under three years."""
    x0, x1 = view
    span = x1 - x0
    per_year = plot_width / span
    out: list[Tick] = []
    if span < 3:
        room = (text_width("Jan 2024", font_px) + text_width("Sep", font_px)) / 2 + 12
        step = next((s for s in (1, 2, 3, 6) if per_year / 12 * s >= room), 12)
        first = int(x0 * 12) - 1
        for k in range(first, int(x1 * 12) + 2):
            year, month = divmod(k, 12)
            value = year + month / 12
            if not x0 - 1e-9 <= value <= x1 + 1e-9 or month % step:
                continue
            name = calendar.month_abbr[month + 1]
            text = f"{name} {year}" if month == 0 or not out else name
            out.append(Tick(value, text))
        return tuple(out)
    room = text_width("2024", font_px) + 16
    step = next((s for s in (1, 2, 5, 10, 20, 50) if per_year * s >= room), 100)
    for year in range(int(x0) - 1, int(x1) + 2):
        if x0 - 1e-9 <= year <= x1 + 1e-9 and year % step == 0:
            out.append(Tick(float(year), str(year)))
    return tuple(out)


def visible_eras(eras: Sequence[Era], view: tuple[float, float], min_share: float = 0.02) -> list[Era]:
    """Eras with a real part of the view (not the sliver of a neighbour at the view's padded edge)."""
    span = view[1] - view[0]
    return [e for e in eras if min(e.end + 1, view[1]) - max(e.start, view[0]) >= min_share * span]


def era_titles(eras: Sequence[Era], view: tuple[float, float], g: Geometry, max_levels: int = 4) -> tuple[EraTitle, ...]:
    """Each visible era's title centred over its years (kept inside the chart), on the lowest level where it
    touches no other title. An era with no free level within `max_levels` gets none (its band still shows)."""
    pw = g.plot_width
    levels: list[list[tuple[float, float]]] = []
    out = []
    for era in visible_eras(eras, view):
        x0, x1 = max(era.start, view[0]), min(era.end + 1, view[1])
        w = text_width(era.title, g.title_font_px)
        centre = (x_to_px(x0, view, pw) + x_to_px(x1, view, pw)) / 2
        centre = min(max(centre, w / 2), pw - w / 2) if w < pw else pw / 2
        box = (centre - w / 2, centre + w / 2)
        for level in range(max_levels):
            if level == len(levels):
                levels.append([])
            if all(box[1] + 2 * g.gap_px <= a or b + 2 * g.gap_px <= box[0] for a, b in levels[level]):
                levels[level].append(box)
                x = view[0] + centre / pw * (view[1] - view[0])
                out.append(EraTitle(era, x0, x1, x, level))
                break
    return tuple(out)


def lay_out(events: Sequence[TimelineEvent], eras: Sequence[Era], view: tuple[float, float],
            geometry: Geometry = Geometry()) -> ChartLayout:
    """The whole chart's geometry: events and publications in capped lanes, ticks and era titles."""
    if view[1] <= view[0]:
        raise ValueError(f"empty view {view!r}")
    placed: list[Placed] = []
    overflow: list[Overflow] = []
    lanes: dict[str, int] = {}
    for row, cap in (("event", geometry.max_event_lanes), ("publication", geometry.max_publication_lanes)):
        mine = [e for e in events if e.kind == row]
        p, o = _place_row(mine, row, cap, view, geometry)
        placed += p
        overflow += o
        if mine:  # lanes used, plus one above them for "+k more"
            lanes[row] = max((x.lane for x in p), default=-1) + 1 + bool(o)
    return ChartLayout(view=view, geometry=geometry, placed=tuple(placed), overflow=tuple(overflow), lanes=lanes,
                       ticks=ticks(view, geometry.plot_width, geometry.font_px),
                       era_titles=era_titles(eras, view, geometry))


def overflow_lane(layout: ChartLayout, row: str) -> int:
    """The lane of a row's "+k more" markers: just above its events."""
    return layout.lanes.get(row, 1) - 1
