"""A timeline quiz with the timeline under it: each question's events are placed on the chart once earned.

The chart is the same light chart as `nukedu.timeline()` (plotly's mime output
and the event-list widget) in its "reveal" mode: no filters, only the events of
the questions whose answer the student has earned (right, shown, or out of
tries), so the chart never gives an answer away.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..chronology import question_events
from ..model import Bank, Question
from ..timeline_data import check_filters
from .session import QuizSession
from .timeline import Timeline

EMPTY = "Answer a question to place its events on the timeline."


class TimelineQuizSession(QuizSession):
    """A `QuizSession` whose `chart` shows the events of every question answered so far."""

    def __init__(self, questions: Sequence[Question], *, bank: Bank, era: str | None = None, **kwargs: Any):
        self.bank = bank
        self.era = era
        self.placed: list[str] = []
        self.chart = Timeline(bank, check_filters(bank, era=era, ids=()), mode="reveal", empty=EMPTY,
                              heading="Events placed so far")
        super().__init__(questions, **kwargs)

    def earned_events(self) -> list[str]:
        """Event ids of the questions whose answer is earned, in the order they were asked."""
        out: list[str] = []
        for q, tutor in zip(self.questions, self.tutors):
            if tutor is not None and tutor.finished:
                out += [i for i in question_events(self.bank, q) if i not in out]
        return out

    def push(self) -> None:
        super().push()
        earned = self.earned_events()
        if earned != self.placed:
            new = [i for i in earned if i not in self.placed]
            self.placed = earned
            self.chart.set_filters(era=self.era, ids=earned)
            if new:  # ring the latest: the student sees where it went
                self.chart.select(new[0])

    def _ipython_display_(self) -> None:
        super()._ipython_display_()
        self.chart._ipython_display_()
