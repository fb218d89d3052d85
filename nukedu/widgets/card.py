"""One question as an interactive card: answer control, hints, Check, Try again, feedback."""
from __future__ import annotations

import html
from typing import Any, Callable

import ipywidgets as w

from ..model import Essay, Question
from ..present import citation_html, correct_answer_text, question_text
from ..scoring import Result, score
from ..select import presented_choices
from ._controls import build_control

VERDICTS = {
    "correct": ("Correct", "nukedu-correct"),
    "partial": ("Partly correct", "nukedu-partial"),
    "incorrect": ("Not quite", "nukedu-incorrect"),
    "needs_grading": ("Saved for your teacher to grade", "nukedu-saved"),
}
STYLE = """<style>
.nukedu-card {border:1px solid #c8ccd2; border-radius:8px; padding:0.6em 1em; margin:0.4em 0;}
.nukedu-correct {color:#1b6e20;} .nukedu-partial {color:#8a5a00;} .nukedu-incorrect {color:#b3261e;}
.nukedu-saved {color:#1d4f91;} .nukedu-meta {color:#555; font-size:0.9em;}
.nukedu-feedback ul {margin:0.2em 0 0.4em 1.2em;} .nukedu-citation cite {font-style:italic;}
</style>"""


def _points(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}"


class QuestionCard:
    """A question a student can answer, check, retry and read feedback on.

    The scored result of the first check is kept as `first_result` (what the
    quiz summary counts); `result` is the latest; `response` what was last checked;
    `history` every (response, result) pair in order, so no attempt is lost.
    """

    def __init__(self, question: Question, *, seed: int | str | None = None, header: str = "",
                 on_result: Callable[["QuestionCard"], None] | None = None):
        self.question = question
        self.seed = seed
        self.first_result: Result | None = None
        self.result: Result | None = None
        self.response: Any = None
        self.history: list[tuple[Any, Result]] = []
        self._on_result = on_result
        self._hints_shown = 0
        self.control = build_control(question, seed, self.check)

        q = question
        meta = w.HTML(f'<div class="nukedu-meta">{html.escape(header)}{" · " if header else ""}'
                      f'difficulty {"●" * q.difficulty}{"○" * (3 - q.difficulty)} · '
                      f'{_points(q.points)} point{"s" if q.points != 1 else ""}</div>')
        prompt = w.HTML(f"{STYLE}<p><b>{html.escape(q.prompt)}</b></p>")
        prompt.add_class("nukedu-prompt")
        self.hint_box = w.HTML("")
        self.hint_box.add_class("nukedu-hints")
        self.hint_button = w.Button(description=self._hint_label(), tooltip="Reveal the next hint",
                                    icon="lightbulb-o", layout=w.Layout(display="" if q.hints else "none"))
        self.hint_button.add_class("nukedu-hint-button")
        self.hint_button.on_click(lambda _: self.show_hint())
        label = "Submit" if isinstance(q, Essay) else "Check"
        self.check_button = w.Button(description=label, button_style="primary", tooltip=f"{label} your answer")
        self.check_button.add_class("nukedu-check")
        self.check_button.on_click(lambda _: self.check())
        self.retry_button = w.Button(description="Try again", tooltip="Clear your answer and try again",
                                     layout=w.Layout(display="none"))
        self.retry_button.add_class("nukedu-retry")
        self.retry_button.on_click(lambda _: self.try_again())
        self.feedback = w.HTML("")
        self.feedback.add_class("nukedu-feedback")
        self.widget = w.VBox([meta, prompt, self.control.widget, self.hint_box,
                              w.HBox([self.check_button, self.retry_button, self.hint_button]), self.feedback])
        self.widget.add_class("nukedu-card")

    # --- actions a student takes ------------------------------------------
    def show_hint(self) -> None:
        hints = self.question.hints
        if self._hints_shown < len(hints):
            self._hints_shown += 1
            items = "".join(f"<li>{html.escape(h)}</li>" for h in hints[: self._hints_shown])
            self.hint_box.value = f'<div class="nukedu-hint"><b>Hints</b><ol>{items}</ol></div>'
        self.hint_button.description = self._hint_label()
        self.hint_button.disabled = self._hints_shown >= len(hints)

    def check(self) -> Result | None:
        """Score the current answer; an empty answer asks for one and is not counted."""
        if self.result is not None and self.retry_button.layout.display != "none":
            return self.result  # already checked; waiting for Try again
        response = self.control.response()
        result = score(self.question, response)
        if result.status == "unanswered":
            self.feedback.value = '<p class="nukedu-incorrect">Give an answer first, then check.</p>'
            return None
        self.history.append((response, result))
        self.response = response
        self.result = result
        if self.first_result is None:
            self.first_result = result
        self.control.lock(True)
        self.check_button.disabled = True
        self.hint_button.disabled = True
        done = result.status in ("correct", "needs_grading")
        self.retry_button.layout.display = "none" if done else ""
        self.feedback.value = self._feedback_html(result)
        if self._on_result:
            self._on_result(self)
        return result

    @property
    def attempts(self) -> int:
        return len(self.history)

    def try_again(self) -> None:
        self.control.reset()
        self.control.lock(False)
        self.check_button.disabled = False
        self.hint_button.disabled = self._hints_shown >= len(self.question.hints)
        self.retry_button.layout.display = "none"
        self.feedback.value = ""
        self.result = None

    # --- presentation -------------------------------------------------------
    def _hint_label(self) -> str:
        total = len(self.question.hints)
        return f"Hint ({self._hints_shown}/{total})" if self._hints_shown else f"Show a hint ({total})"

    def _feedback_html(self, r: Result) -> str:
        q = self.question
        verdict, css = VERDICTS[r.status]
        parts = [f'<p class="nukedu-verdict {css}"><b>{verdict}</b>'
                 + ("" if r.status == "needs_grading" else f" — {_points(r.points)}/{_points(r.max_points)} point{'s' if r.max_points != 1 else ''}")
                 + "</p>"]
        if isinstance(q, Essay):
            n = len(str(self.response).split())
            short = f" Your teacher asked for at least {q.min_words}." if q.min_words and n < q.min_words else ""
            parts.append(f"<p>Your answer ({n} words) is saved in this session.{short}</p>")
            parts.append("<p><b>Rubric</b></p><ul>" + "".join(f"<li>{html.escape(f)}</li>" for f in r.feedback) + "</ul>")
            parts.append("<p><b>What a full answer covers</b></p><ul>"
                         + "".join(f"<li>{html.escape(m)}</li>" for m in q.model_answer) + "</ul>")
        else:
            if r.feedback:
                parts.append("<ul>" + "".join(f"<li>{html.escape(f)}</li>" for f in r.feedback) + "</ul>")
            if r.status != "correct":
                parts.append(f"<details><summary>Show the correct answer</summary>{html.escape(correct_answer_text(q))}</details>")
        parts.append(f'<p class="nukedu-explanation">{html.escape(q.explanation)}</p>')
        parts.append('<p class="nukedu-sources">Source: ' + "; ".join(citation_html(c) for c in q.sources) + "</p>")
        return "".join(parts)

    def to_text(self, number: int | None = None) -> str:
        return question_text(self.question, number, presented_choices(self.question, self.seed))

    def _repr_mimebundle_(self, **kwargs):
        return with_text_fallback(self.widget, self.to_text())


def with_text_fallback(widget: w.Widget, text: str) -> dict:
    """The widget for a live kernel, readable text for exports and consoles."""
    bundle = dict(widget._repr_mimebundle_(**{}) or {})
    bundle["text/plain"] = text
    bundle["text/html"] = f'<pre class="nukedu-text">{html.escape(text)}</pre>'
    return bundle
