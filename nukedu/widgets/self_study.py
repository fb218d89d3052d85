"""The self-study app (served by Voilà from course/self-study.ipynb): pick a topic, answer, see progress, review.

Plain ipywidgets around the same quiz cards and progress store as the
lessons, so what a student practises here shows up in `nukedu.progress()`
in JupyterLab too.
"""
from __future__ import annotations

from typing import Any

from ..loader import shipped_bank
from ..model import Bank


class SelfStudy:
    """Topic picker, practice and review buttons, and one area where the quiz or the dashboard is shown."""

    def __init__(self, bank: Bank | None = None, n: int = 8):
        import ipywidgets as w

        self.bank = bank or shipped_bank()
        options = [(t.title, t.id) for t in self.bank.topics]
        self.topic = w.Dropdown(options=options, description="Topic", layout=w.Layout(width="min(100%, 640px)"),
                                style={"description_width": "initial"})
        self.count = w.BoundedIntText(value=n, min=1, max=40, description="Questions", layout=w.Layout(width="180px"),
                                      style={"description_width": "initial"})
        self.practise = w.Button(description="Practise this topic", button_style="primary", icon="play")
        self.review_button = w.Button(description="Review what is due", icon="refresh")
        self.progress_button = w.Button(description="My progress", icon="bar-chart")
        self.status = w.HTML()
        self.area = w.Output()
        for button in (self.practise, self.review_button, self.progress_button):
            button.add_class("nukedu-app-button")
        self.practise.on_click(lambda _b: self.show_quiz())
        self.review_button.on_click(lambda _b: self.show_review())
        self.progress_button.on_click(lambda _b: self.show_progress())
        self.widget = w.VBox([w.HBox([self.topic, self.count]),
                              w.HBox([self.practise, self.review_button, self.progress_button]), self.status, self.area])
        self.widget.add_class("nukedu-app")
        self.current: Any = None

    def _show(self, thing: Any, status: str) -> None:
        from IPython.display import display

        self.current = thing
        self.status.value = status
        self.area.clear_output()
        with self.area:
            display(thing)

    def show_quiz(self) -> Any:
        from .session import quiz

        session = quiz(self.topic.value, n=int(self.count.value), bank=self.bank,
                       title=f"Practice: {self.bank.topic_title(self.topic.value)}")
        resumed = " (carrying on where you stopped)" if session.resumed else ""
        self._show(session, f"<b>{session.title}</b>{resumed}")
        return session

    def show_review(self) -> Any:
        from .review import review

        session = review(int(self.count.value), bank=self.bank)
        self._show(session, "<b>Review</b>: questions due for another look first, then a few new ones")
        return session

    def show_progress(self) -> Any:
        from ..progress_view import progress

        board = progress(self.bank)
        self._show(board, "<b>Your progress</b> (saved on this computer as you answer)")
        return board

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def self_study(bank: Bank | None = None, n: int = 8) -> SelfStudy:
    """The self-study app, ready to display (in a notebook or under Voilà)."""
    return SelfStudy(bank, n)
