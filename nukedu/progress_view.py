"""`nukedu.progress()`: the learner's dashboard as a plotly figure, with a text version beside it.

It is displayed as plotly's JSON mime type (a few KB), not as a FigureWidget
(which would ship the whole plotly.js bundle through the comm).
"""
from __future__ import annotations

import html
from dataclasses import asdict
from typing import Any

from .model import Bank
from .learner.report import ProgressSummary, headline, summarise, summary_text


class ProgressDashboard:
    """The dashboard: `figure()` for plotly, `text()` for plain text, `summary` for the numbers."""

    def __init__(self, summary: ProgressSummary):
        self.summary = summary

    def text(self) -> str:
        return summary_text(self.summary)

    def figure(self):  # type: ignore[no-untyped-def]
        return progress_figure(self.summary)

    def _repr_mimebundle_(self, **_kwargs: Any) -> dict[str, Any]:
        fig = self.figure()
        return {"application/vnd.plotly.v1+json": fig.to_plotly_json(), "text/plain": self.text(),
                "text/html": f'<pre class="nukedu-progress">{html.escape(self.text())}</pre>'}

    def __repr__(self) -> str:
        return self.text()


def progress_figure(s: ProgressSummary):  # type: ignore[no-untyped-def]
    """Mastery by topic, right answers by lesson, and accuracy over time, with the headline counts as the title."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=3, cols=1, vertical_spacing=0.12, subplot_titles=(
        "Mastery by topic (% of the topic's questions answered right)", "By lesson: answered and right",
        "Accuracy over time (% of checks that were right)"), row_heights=[0.4, 0.3, 0.3])
    topics = list(reversed(s.topics))
    fig.add_trace(go.Bar(x=[t.percent for t in topics], y=[t.label for t in topics], orientation="h",
                         text=[f"{t.right}/{t.questions}" for t in topics], textposition="auto", name="mastery",
                         marker_color="#2a6f97", showlegend=False,
                         hovertemplate="%{y}: %{x}% (%{text} right)<extra></extra>"), row=1, col=1)
    lessons = list(s.lessons)
    fig.add_trace(go.Bar(x=[t.label for t in lessons], y=[t.answered for t in lessons], name="answered",
                         marker_color="#a9cce3"), row=2, col=1)
    fig.add_trace(go.Bar(x=[t.label for t in lessons], y=[t.right for t in lessons], name="right",
                         marker_color="#1e8449"), row=2, col=1)
    fig.add_trace(go.Scatter(x=[t.label for t in s.days], y=[t.percent for t in s.days], mode="lines+markers",
                             name="accuracy", line_color="#7d3c98", showlegend=False,
                             customdata=[t.answered for t in s.days],
                             hovertemplate="%{x}: %{y}% of %{customdata} checks<extra></extra>"), row=3, col=1)
    fig.update_xaxes(range=[0, 100], row=1, col=1)
    fig.update_yaxes(range=[0, 100], row=3, col=1)
    fig.update_layout(
        title=headline(s).replace(", ", " · "),
        barmode="overlay", height=260 + 28 * max(len(topics), 4) + 420, margin={"l": 220, "r": 30, "t": 90, "b": 40},
        legend={"orientation": "h", "y": 0.52, "x": 1, "xanchor": "right"}, template="plotly_white")
    return fig


def progress(bank: Bank | None = None) -> ProgressDashboard:
    """The learner's progress: mastery by topic and lesson, what is due for review, accuracy over time."""
    from .loader import shipped_bank
    from .learner.recorder import active_store
    from .learner.store import ProgressStore

    store = active_store() or ProgressStore(None)
    return ProgressDashboard(summarise(store, bank or shipped_bank()))


def progress_table(bank: Bank | None = None) -> list[dict[str, Any]]:
    """One plain row per question met: checks, right or not, first try, last time, when it is due."""
    return [asdict(q) for q in progress(bank).summary.questions]
