"""`nukedu.timeline()` and `nukedu.timeline_figure()`: thin entry points over the timeline's core.

The filters are checked before anything is drawn, so a typo gives one clear
`NukeduError` listing the valid values, never a widget traceback.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .loader import shipped_bank
from .model import Bank
from .timeline_chart import CONFIG, build_chart
from .timeline_data import check_filters

if TYPE_CHECKING:
    from .widgets.timeline import Timeline


def timeline_figure(era: str | Sequence[str] | None = None, tags: str | Sequence[str] | None = None,
                    years: int | tuple[int, int] | None = None, bank: Bank | None = None, *,
                    search: str | None = None, width: int = 860, theme: str = "light"):
    """A plain `plotly.graph_objects.Figure` of the chosen events (`fig.show(config=nukedu.timeline_view.CONFIG)`).

    Year-only dates sit mid-year over a line spanning the year, so the chart
    never claims more precision than the sources give.
    """
    import plotly.graph_objects as go

    bank = bank or shipped_bank()
    chart = build_chart(bank, check_filters(bank, era=era, tags=tags, years=years, search=search), width=width,
                        theme=theme)
    fig = dict(chart.figure)
    fig.pop("config", None)
    return go.Figure(fig, skip_invalid=False)


def timeline(era: str | Sequence[str] | None = None, tags: str | Sequence[str] | None = None,
             years: int | tuple[int, int] | None = None, search: str | None = None, *,
             bank: Bank | None = None) -> Timeline:
    """The timeline of the bank's events: chart, filters, a keyboard-usable event list and the details.

    `era`, `tags`, `years` and `search` choose the events to start with; the
    Years range follows the era unless given.
    """
    bank = bank or shipped_bank()
    filters = check_filters(bank, era=era, tags=tags, years=years, search=search)
    from .widgets.timeline import Timeline

    return Timeline(bank, filters)


__all__ = ["CONFIG", "timeline", "timeline_figure"]
