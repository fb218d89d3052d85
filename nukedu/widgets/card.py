"""One question as one anywidget: the kernel keeps the key, the front end draws and sends actions.

The synced state is the `Tutor`'s `view()` (the question as a student sees it)
and `state()` (what they have done and earned), nothing else: the answer, the
explanation and per-option feedback reach the browser only once earned. The
front end (`static/card.js`) sends each action as a message; the kernel
applies it and echoes the action's number in `ack`, so the page can tell a
kernel that answers from one that is gone.

In a notebook reopened without a kernel, JupyterLab cannot draw a widget
whose model is gone; so each card is displayed as two outputs: a static copy
of the question (no answer in it) that the live widget hides, then the widget.
"""
from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

from ..model import Question
from ..present import question_text
from ..scoring import Result
from ..tutor import MAX_ATTEMPTS, InputProblem, Tutor
from ._display import StaticTwin

STATIC = Path(__file__).parent / "static"
RUN_NOTE = "Run this cell to answer interactively (this is a static copy; no answers are shown)."

# Called after every check of every card (quiz cards, `ask` cards, timeline quizzes), as
# recorder(tutor, context): the progress store hooks in here. None: nothing is recorded.
Recorder = Callable[[Tutor, dict[str, Any]], None]
_recorders: list[Recorder] = []


def add_recorder(recorder: Recorder) -> None:
    """Have `recorder(tutor, context)` called after each check, give-up and reset."""
    if recorder not in _recorders:
        _recorders.append(recorder)


def remove_recorder(recorder: Recorder) -> None:
    if recorder in _recorders:
        _recorders.remove(recorder)


def notify(tutor: Tutor, event: str, context: dict[str, Any]) -> None:
    for recorder in list(_recorders):
        try:
            recorder(tutor, {**context, "event": event})
        except Exception as exc:  # a broken recorder must never break answering
            import warnings

            warnings.warn(f"nukedu: recording the answer failed: {exc}", RuntimeWarning, stacklevel=2)


class CardWidget(StaticTwin, anywidget.AnyWidget):
    """What the card and the quiz session share: the ESM, the CSS and the synced traits."""

    _esm = STATIC / "card.js"
    _css = STATIC / "card.css"
    mode = t.Unicode("card").tag(sync=True)
    view = t.Dict().tag(sync=True)
    state = t.Dict().tag(sync=True)
    ack = t.Unicode("").tag(sync=True)

    def _receive(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or not isinstance(content.get("action"), str):
            return
        seq = content.get("seq")
        self.act(content["action"], content)
        with self.hold_sync():
            self.push()
            self.ack = str(seq)[:64] if isinstance(seq, (str, int)) else ""

    def act(self, action: str, content: dict[str, Any]) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def push(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def static_question_html(text: str) -> str:
    """The question as readable text for a notebook without a kernel, or an export."""
    return (f'<div class="nukedu-static"><pre class="nukedu-text">{html.escape(text)}</pre>'
            f"<p><em>{html.escape(RUN_NOTE)}</em></p></div>")


def apply(tutor: Tutor, action: str, content: dict[str, Any]) -> str:
    """Apply a card action to a tutor; return a problem to show ("" when none). Shared by card and quiz."""
    try:
        if action == "check":
            tutor.check(content.get("response"))
        elif action == "hint":
            tutor.hint()
        elif action == "give_up":
            tutor.give_up()
        elif action == "retry":
            tutor.try_again()
        else:
            return ""
    except InputProblem as exc:
        return str(exc)
    return ""


def apply_and_notify(tutor: Tutor, action: str, content: dict[str, Any], context: dict[str, Any]) -> str:
    """`apply`, then tell the recorders what changed (a check, a hint, a give-up)."""
    before = len(tutor.attempts), tutor.given_up, tutor.hints_shown
    problem = apply(tutor, action, content)
    after = len(tutor.attempts), tutor.given_up, tutor.hints_shown
    if after[0] != before[0]:
        notify(tutor, "check", context)
    elif after[1] != before[1]:
        notify(tutor, "give_up", context)
    elif after[2] != before[2]:
        notify(tutor, "hint", context)
    return problem


def _record_progress(tutor: Tutor, context: dict[str, Any]) -> None:
    """Every card's actions go to the learner's progress store (see nukedu.progress)."""
    from ..learner.recorder import record

    record(tutor, context)


add_recorder(_record_progress)


class QuestionCard(CardWidget):
    """A question a student can answer, check, retry, ask a hint for, or give up on.

    `history` keeps every checked (response, result) in order; `first_result`
    is what a quiz counts.
    """

    def __init__(self, question: Question, *, seed: int | str | None = 0, header: str = "",
                 max_attempts: int = MAX_ATTEMPTS, context: dict[str, Any] | None = None):
        self.tutor = Tutor(question, seed=seed, max_attempts=max_attempts)
        self.header = header
        self.context = dict(context or {})
        self.problem = ""
        if self.context.get("place"):  # a card with a place comes back as the learner left it there
            from ..learner.recorder import restore

            restore(self.context["place"], [question], lambda _i: self.tutor)
        super().__init__(view=self.tutor.view(header), state=self.tutor.state())
        self.on_msg(self._receive)

    @property
    def question(self) -> Question:
        return self.tutor.question

    @property
    def first_result(self) -> Result | None:
        return self.tutor.first_result

    @property
    def result(self) -> Result | None:
        last = self.tutor.last
        return last.result if last else None

    @property
    def response(self) -> Any:
        return self.tutor.draft

    @property
    def history(self) -> list[tuple[Any, Result]]:
        return [(a.response, a.result) for a in self.tutor.attempts]

    @property
    def attempts(self) -> int:
        return len(self.tutor.attempts)

    # --- actions, from the page or from code --------------------------------------------------------
    def act(self, action: str, content: dict[str, Any]) -> None:
        self.problem = apply_and_notify(self.tutor, action, content, self.context)

    def push(self) -> None:
        self.state = {**self.tutor.state(), "problem": self.problem}

    def _do(self, action: str, **content: Any) -> None:
        self.act(action, content)
        self.push()

    def check(self, response: Any) -> Result | None:
        """Check a response as the page would send it; None (and a problem shown) when it cannot be checked."""
        n = len(self.tutor.attempts)
        self._do("check", response=response)
        return self.result if len(self.tutor.attempts) > n else None

    def hint(self) -> None:
        self._do("hint")

    def give_up(self) -> None:
        self._do("give_up")

    def try_again(self) -> None:
        self._do("retry")

    def reset(self) -> None:
        """Start over on purpose: attempts, hints and the answer shown are cleared."""
        self.tutor.reset()
        self.problem = ""
        notify(self.tutor, "reset", self.context)
        self.push()

    # --- display -----------------------------------------------------------------------------------------
    def to_text(self, number: int | None = None) -> str:
        choices = self.tutor.view().get("choices")
        return question_text(self.question, number, choices if self.question.type != "true_false" else None)

    def static_html(self) -> str:
        return static_question_html(self.to_text())

    def __repr__(self) -> str:
        return f"<nukedu question {self.question.id}>"
