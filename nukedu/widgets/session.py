"""A quiz session: questions one at a time, progress, navigation, and an end summary."""
from __future__ import annotations

import html
import json
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as w

from ..errors import NukeduError
from ..loader import shipped_bank
from ..model import Bank, Question
from ..select import select_questions
from .card import QuestionCard, _points, with_text_fallback


class QuizSession:
    """Questions shown one at a time with Previous/Next, a progress bar and a summary at the end.

    The quiz score counts each question's first checked answer; students can
    still retry and read feedback. `responses` keeps every answer given.
    """

    def __init__(self, questions: Sequence[Question], *, seed: int | str | None = None,
                 title: str = "Quiz", topic_titles: dict[str, str] | None = None):
        if not questions:
            raise NukeduError("a quiz needs at least one question")
        self.questions = tuple(questions)
        self.seed = seed
        self.title = title
        self._topic_titles = topic_titles or {}
        total = len(self.questions)
        self.cards = [
            QuestionCard(q, seed=seed, header=f"Question {i + 1} of {total} · {self._topic_titles.get(q.topic, q.topic)}",
                         on_result=lambda _card: self._update())
            for i, q in enumerate(self.questions)
        ]
        self.index = 0
        self.retry_session: QuizSession | None = None
        self.heading = w.HTML(f"<h3>{html.escape(title)}</h3>")
        self.progress = w.IntProgress(value=0, min=0, max=total, description="Progress",
                                      style={"description_width": "initial"})
        self.progress_label = w.HTML("")
        self.progress_label.add_class("nukedu-progress")
        self.previous_button = w.Button(description="Previous", icon="arrow-left", tooltip="Previous question")
        self.next_button = w.Button(description="Next", icon="arrow-right", tooltip="Next question")
        self.finish_button = w.Button(description="Finish", icon="flag-checkered", tooltip="See your results",
                                      button_style="success")
        for button, css, action in ((self.previous_button, "nukedu-previous", self.previous),
                                    (self.next_button, "nukedu-next", self.next),
                                    (self.finish_button, "nukedu-finish", self.finish)):
            button.add_class(css)
            button.on_click(lambda _, action=action: action())
        self.body = w.Box([self.cards[0].widget])
        self.summary = w.HTML("")
        self.summary.add_class("nukedu-summary")
        self.retry_button = w.Button(description="Retry missed questions", icon="repeat",
                                     tooltip="Start a new quiz with the questions you missed",
                                     layout=w.Layout(display="none"))
        self.retry_button.add_class("nukedu-retry-missed")
        self.retry_button.on_click(lambda _: self.retry_missed())
        self.retry_area = w.Box([])
        self.nav = w.HBox([self.previous_button, self.next_button, self.finish_button])
        self.widget = w.VBox([self.heading, w.HBox([self.progress, self.progress_label]), self.body, self.nav,
                              self.summary, self.retry_button, self.retry_area])
        self.widget.add_class("nukedu-quiz")
        self._update()

    # --- navigation ------------------------------------------------------------
    @property
    def card(self) -> QuestionCard:
        return self.cards[self.index]

    def go(self, index: int) -> None:
        self.index = max(0, min(index, len(self.cards) - 1))
        self.body.children = [self.card.widget]
        self._update()

    def next(self) -> None:
        self.go(self.index + 1)

    def previous(self) -> None:
        self.go(self.index - 1)

    def _update(self) -> None:
        answered = sum(1 for c in self.cards if c.first_result is not None)
        self.progress.value = answered
        self.progress_label.value = f"Question {self.index + 1} of {len(self.cards)} · {answered} answered"
        self.previous_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(self.cards) - 1

    # --- results -----------------------------------------------------------------
    @property
    def responses(self) -> dict[str, object]:
        """Every question's last checked answer, by question id."""
        return {c.question.id: c.response for c in self.cards if c.first_result is not None}

    def missed(self) -> list[Question]:
        """Questions not fully right on the first check, or never answered (essays excluded)."""
        return [c.question for c in self.cards
                if c.question.type != "essay" and (c.first_result is None or not c.first_result.correct)]

    def score_by_topic(self) -> dict[str, tuple[float, float]]:
        """Points earned and available per topic, counting first attempts of auto-graded questions."""
        table: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for c in self.cards:
            if c.question.type == "essay":
                continue
            row = table[c.question.topic]
            row[0] += c.first_result.points if c.first_result else 0.0
            row[1] += c.question.points
        return {k: (round(v[0], 4), v[1]) for k, v in table.items()}

    def finish(self) -> str:
        """Show the summary: total, score by topic, questions to review."""
        by_topic = self.score_by_topic()
        got = sum(v[0] for v in by_topic.values())
        out_of = sum(v[1] for v in by_topic.values())
        rows = "".join(
            f"<tr><td>{html.escape(self._topic_titles.get(t, t))}</td><td>{_points(a)} / {_points(b)}</td></tr>"
            for t, (a, b) in by_topic.items())
        missed = self.missed()
        review = "".join(f"<li>{html.escape(q.prompt)}</li>" for q in missed)
        essays = [c for c in self.cards if c.question.type == "essay"]
        saved = sum(1 for c in essays if c.response)
        parts = [f"<h4>Your result: {_points(got)} / {_points(out_of)} points</h4>",
                 f"<table><tr><th>Topic</th><th>Points</th></tr>{rows}</table>" if rows else ""]
        if essays:
            parts.append(f"<p>{saved} of {len(essays)} essay answer{'s' if len(essays) != 1 else ''} saved for your teacher.</p>")
        parts.append(f"<p><b>To review ({len(missed)})</b></p><ol>{review}</ol>" if missed
                     else "<p>Everything right on the first try. Well done!</p>")
        self.summary.value = "".join(parts)
        self.retry_button.layout.display = "" if missed else "none"
        return self.summary.value

    def retry_missed(self) -> "QuizSession | None":
        """A new quiz of just the missed questions, shown below the summary."""
        missed = self.missed()
        if not missed:
            return None
        seed = None if self.seed is None else f"{self.seed}:retry"
        self.retry_session = QuizSession(missed, seed=seed, title=f"{self.title}: questions to review",
                                         topic_titles=self._topic_titles)
        self.retry_area.children = [self.retry_session.widget]
        return self.retry_session

    def record(self) -> dict:
        """Everything the student did, as plain data: each question's attempts, points and answers."""
        rows = []
        for c in self.cards:
            rows.append({
                "id": c.question.id, "topic": c.question.topic, "type": c.question.type,
                "max_points": c.question.points,
                "first_attempt_points": c.first_result.points if c.first_result else None,
                "attempts": [{"response": r, "points": res.points, "status": res.status} for r, res in c.history],
            })
        return {"title": self.title, "seed": self.seed, "questions": rows}

    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write `record()` as JSON so answers outlive the kernel; an existing file is kept unless `overwrite`."""
        target = Path(path)
        if target.exists() and not overwrite:
            raise NukeduError(f"{target} already exists; choose another name or pass overwrite=True")
        target.write_text(json.dumps(self.record(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        return target

    # --- display ---------------------------------------------------------------
    def to_text(self) -> str:
        body = "\n\n".join(c.to_text(i + 1) for i, c in enumerate(self.cards))
        return f"{self.title}\n{'=' * len(self.title)}\n\n{body}\n"

    def _repr_mimebundle_(self, **kwargs):
        return with_text_fallback(self.widget, self.to_text())

    def __repr__(self) -> str:
        return f"<nukedu quiz: {len(self.cards)} questions>"


def quiz(topic: str | Sequence[str] | None = None, types: str | Sequence[str] | None = None,
         difficulty: int | Sequence[int] | None = None, tags: str | Sequence[str] | None = None,
         n: int = 10, seed: int | str | None = None, bank: Bank | None = None,
         ids: Sequence[str] | None = None, title: str | None = None, timeline: int = 0) -> QuizSession:
    """A quiz of `n` questions drawn reproducibly by `seed` (or the questions `ids`), ready to display.

    `timeline=k` adds k chronology questions made from the timeline (of the era
    matching `topic`, when there is one).
    """
    bank = bank or shipped_bank()
    questions = list(select_questions(bank, topic=topic, types=types, difficulty=difficulty, tags=tags, n=n,
                                      seed=seed, ids=ids))
    titles = {t.id: t.title for t in bank.topics}
    if timeline:
        from ..chronology import TOPIC, timeline_questions

        era = topic if isinstance(topic, str) and any(e.id == topic for e in bank.eras) else None
        questions += timeline_questions(bank, timeline, era=era, seed=seed)
        titles[TOPIC.id] = TOPIC.title
    if title is None:
        title = f"Quiz: {bank.topic_title(topic)}" if isinstance(topic, str) else "Quiz"
    return QuizSession(questions, seed=seed, title=title, topic_titles=titles)


def ask(question_id: str, *, bank: Bank | None = None, seed: int | str | None = 0) -> QuestionCard:
    """One question from the bank as a card, for a check-your-understanding moment in a lesson."""
    bank = bank or shipped_bank()
    try:
        question = bank.question(question_id)
    except KeyError:
        raise NukeduError(f"no question with id {question_id!r} in the bank") from None
    return QuestionCard(question, seed=seed, header=bank.topic_title(question.topic))
