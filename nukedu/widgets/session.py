"""A quiz session: one anywidget that shows one question at a time, with navigation and a summary.

Only the question on screen is sent to the browser, and its `Tutor` is made
when it is first shown, so a quiz of 200 questions costs no more to start
than one of 5. Finish asks first when questions are unanswered; the summary
replaces the question view and offers to retry the missed questions.
"""
from __future__ import annotations

import hashlib
import json
import secrets
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import traitlets as t

from ..errors import NukeduError
from ..loader import shipped_bank
from ..model import Bank, Question
from ..select import select_questions
from ..tutor import MAX_ATTEMPTS, Tutor, points_text
from .card import CardWidget, QuestionCard, apply_and_notify, static_question_html


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class QuizSession(CardWidget):
    """Questions one at a time with Previous/Next, progress, Finish and a summary.

    The score counts each question's first checked answer; students can
    still retry and read feedback. `record()` keeps every attempt.
    """

    nav = t.Dict().tag(sync=True)
    summary = t.Dict().tag(sync=True)

    def __init__(self, questions: Sequence[Question], *, seed: int | str | None = None, title: str = "Quiz",
                 topic_titles: dict[str, str] | None = None, max_attempts: int = MAX_ATTEMPTS,
                 context: dict[str, Any] | None = None, place: str | None = None):
        if not questions:
            raise NukeduError("a quiz needs at least one question")
        self.questions = tuple(questions)
        self.all_questions = self.questions
        self.seed = seed
        self.first_seed = seed
        self.place = place            # where answers are saved and resumed from (None: not remembered)
        self.round = 0                # a new round on retrying the missed questions or starting over
        self.title = title
        self.max_attempts = max_attempts
        self.context = dict(context or {})
        self._topic_titles = topic_titles or {}
        self.tutors: list[Tutor | None] = [None] * len(self.questions)
        self.index = 0
        self.finished = False
        self.problem = ""
        self._confirm = 0
        self.rounds: list[dict[str, Any]] = []   # earlier rounds, kept when the student retries the missed ones
        self.resumed = self._resume() if place else False
        super().__init__(mode="quiz")
        self.push()
        self.on_msg(self._receive)

    # --- remembering --------------------------------------------------------------------------------------
    @property
    def round_place(self) -> str | None:
        return None if self.place is None else f"{self.place}#{self.round}"

    def _resume(self) -> bool:
        """Come back to the round, question and answers where the learner stopped; False when there is nothing."""
        from ..learner.recorder import load_session, restore

        assert self.place is not None
        saved = load_session(self.place)
        if saved:
            by_id = {q.id: q for q in self.all_questions}
            ids = [i for i in saved.get("ids", []) if i in by_id]
            if ids:
                self.round = int(saved.get("round", 0))
                self.questions = tuple(by_id[i] for i in ids)
                self.tutors = [None] * len(self.questions)
                self.seed = saved.get("seed", self.seed)
                self.title = str(saved.get("title", self.title))
                self.index = max(0, min(int(saved.get("index", 0)), len(self.questions) - 1))
                self.finished = bool(saved.get("finished", False))
        restored = restore(self.round_place or "", self.questions, self.tutor)
        return bool(saved) or restored > 0

    def _save_position(self) -> None:
        if self.place is None:
            return
        from ..learner.recorder import save_session

        save_session(self.place, {"round": self.round, "ids": [q.id for q in self.questions], "index": self.index,
                                  "finished": self.finished, "seed": self.seed, "first_seed": self.first_seed,
                                  "first_ids": [q.id for q in self.all_questions],
                                  "title": self.title})

    def reset(self) -> None:
        """Start the whole quiz over on purpose: a fresh round of all its questions (earlier answers stay on file)."""
        if self.round_place is not None:
            from ..learner.recorder import record_reset

            record_reset(self.round_place)
        self.questions = self.all_questions
        self.tutors = [None] * len(self.questions)
        self.round += 1
        self.index = 0
        self.finished = False
        self._confirm = 0
        self.problem = ""
        self.rounds = []
        self.seed = self.first_seed
        self.title = self.title.removesuffix(": questions to review")
        self._save_position()
        self.push()

    # --- the questions ------------------------------------------------------------------------------------
    def tutor(self, index: int | None = None) -> Tutor:
        """The practice state of question `index` (default: the one on screen), made when first needed."""
        i = self.index if index is None else index
        if self.tutors[i] is None:
            self.tutors[i] = Tutor(self.questions[i], seed=self.seed, max_attempts=self.max_attempts)
        tutor = self.tutors[i]
        assert tutor is not None
        return tutor

    def _header(self, i: int) -> str:
        q = self.questions[i]
        return f"Question {i + 1} of {len(self.questions)} · {self._topic_titles.get(q.topic, q.topic)}"

    @property
    def answered(self) -> int:
        return sum(1 for x in self.tutors if x is not None and x.attempts)

    # --- actions --------------------------------------------------------------------------------------------
    def act(self, action: str, content: dict[str, Any]) -> None:
        self.problem = ""
        if action in ("check", "hint", "give_up", "retry"):
            if self.finished:
                return
            context = {**self.context, "quiz": self.title}
            if self.round_place is not None:
                context["place"] = self.round_place
            self.problem = apply_and_notify(self.tutor(), action, content, context)
        elif action == "go":
            index = content.get("index")
            if isinstance(index, int) and not isinstance(index, bool):
                self.index = max(0, min(index, len(self.questions) - 1))
            self._confirm = 0
        elif action == "finish":
            left = len(self.questions) - self.answered
            if left and not content.get("confirmed"):
                self._confirm = left
            else:
                self._confirm = 0
                self.finished = True
        elif action == "cancel_finish":
            self._confirm = 0
        elif action == "review":
            self.finished = False
        elif action == "retry_missed":
            self.retry_missed()
        elif action == "start_over" and content.get("confirmed"):
            self.reset()
        self._save_position()

    def push(self) -> None:
        with self.hold_sync():
            self.view = self.tutor().view(self._header(self.index))
            self.state = {**self.tutor().state(), "problem": self.problem}
            self.nav = {"index": self.index, "total": len(self.questions), "answered": self.answered, "title": self.title,
                        "finished": self.finished, "confirm": self._confirm}
            self.summary = self._summary() if self.finished else {}

    def _do(self, action: str, **content: Any) -> None:
        self.act(action, content)
        self.push()

    # --- the same actions from code (tests, notebooks) -------------------------------------------------
    def check(self, response: Any):  # type: ignore[no-untyped-def]
        """Check an answer to the question on screen; its Result, or None when it could not be checked."""
        n = len(self.tutor().attempts)
        self._do("check", response=response)
        return self.tutor().last.result if len(self.tutor().attempts) > n else None  # type: ignore[union-attr]

    def hint(self) -> None:
        self._do("hint")

    def give_up(self) -> None:
        self._do("give_up")

    def try_again(self) -> None:
        self._do("retry")

    def go(self, index: int) -> None:
        self._do("go", index=index)

    def next(self) -> None:
        self.go(self.index + 1)

    def previous(self) -> None:
        self.go(self.index - 1)

    def finish(self, confirmed: bool = False) -> dict[str, Any]:
        """Show the summary; with questions unanswered, only once `confirmed` (the page asks first)."""
        self._do("finish", confirmed=confirmed)
        return self.summary

    # --- results -----------------------------------------------------------------------------------------
    @property
    def responses(self) -> dict[str, object]:
        """Every answered question's last checked answer, by question id."""
        return {x.question.id: x.draft for x in self.tutors if x is not None and x.attempts}

    def missed(self) -> list[Question]:
        """Questions not fully right on the first check, or never answered (essays excluded)."""
        out = []
        for q, x in zip(self.questions, self.tutors):
            if q.type == "essay":
                continue
            first = x.first_result if x is not None else None
            if first is None or not first.correct:
                out.append(q)
        return out

    def score_by_topic(self) -> dict[str, tuple[float, float]]:
        """Points earned and available per topic, counting first attempts of auto-graded questions."""
        table: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for q, x in zip(self.questions, self.tutors):
            if q.type == "essay":
                continue
            row = table[q.topic]
            first = x.first_result if x is not None else None
            row[0] += first.points if first else 0.0
            row[1] += q.points
        return {k: (round(v[0], 4), v[1]) for k, v in table.items()}

    def _summary(self) -> dict[str, Any]:
        by_topic = self.score_by_topic()
        got = sum(v[0] for v in by_topic.values())
        out_of = sum(v[1] for v in by_topic.values())
        rows = []
        for q, x in zip(self.questions, self.tutors):
            first = x.first_result if x is not None else None
            if q.type == "essay":
                status = "saved" if first is not None else "not answered"
            elif first is None:
                status = "not answered"
            else:
                status = "right" if first.correct else "wrong"
            rows.append({"prompt": q.prompt, "status": status})
        essays = [x for q, x in zip(self.questions, self.tutors) if q.type == "essay"]
        saved = sum(1 for x in essays if x is not None and x.attempts)
        note = f"{saved} of {_plural(len(essays), 'essay')} saved for your teacher." if essays else ""
        percent = f" ({round(100 * got / out_of)}%)" if out_of else ""
        return {"score": f"{points_text(got, out_of)}{percent}" if out_of else "no automatically scored questions",
                "questions": rows, "missed": len(self.missed()), "note": note,
                "topics": [{"title": self._topic_titles.get(k, k), "points": points_text(a, b)} for k, (a, b) in by_topic.items()]}

    def retry_missed(self) -> bool:
        """Start a new round of just the missed questions (the finished round is kept in `rounds`)."""
        missed = self.missed()
        if not missed:
            return False
        self.rounds.append(self.record())
        self.questions = tuple(missed)
        self.tutors = [None] * len(missed)
        self.round += 1
        self.index = 0
        self.finished = False
        self._confirm = 0
        self.seed = None if self.seed is None else f"{self.seed}:retry{len(self.rounds)}"
        if not self.title.endswith(": questions to review"):
            self.title = f"{self.title}: questions to review"
        self._save_position()
        self.push()
        return True

    def record(self) -> dict[str, Any]:
        """Everything the student did, as plain data: each question's attempts, points and answers."""
        rows = []
        for q, x in zip(self.questions, self.tutors):
            attempts = x.attempts if x is not None else []
            rows.append({
                "id": q.id, "topic": q.topic, "type": q.type, "max_points": q.points,
                "first_attempt_points": attempts[0].result.points if attempts else None,
                "given_up": bool(x and x.given_up), "hints_used": x.hints_shown if x else 0,
                "attempts": [{"response": a.response, "points": a.result.points, "status": a.result.status} for a in attempts],
            })
        return {"title": self.title, "seed": self.seed, "questions": rows, "earlier_rounds": list(self.rounds)}

    def save(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write `record()` as JSON so answers outlive the kernel; an existing file is kept unless `overwrite`."""
        target = Path(path)
        if target.exists() and not overwrite:
            raise NukeduError(f"{target} already exists; choose another name or pass overwrite=True")
        target.write_text(json.dumps(self.record(), ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        return target

    # --- display -----------------------------------------------------------------------------------------
    def to_text(self) -> str:
        body = "\n\n".join(_question_text(q, i + 1, self.seed) for i, q in enumerate(self.questions))
        return f"{self.title}\n{'=' * len(self.title)}\n\n{body}\n"

    def static_html(self) -> str:
        return static_question_html(self.to_text())

    def __repr__(self) -> str:
        return f"<nukedu quiz: {_plural(len(self.questions), 'question')}>"


def _question_text(q: Question, number: int, seed: int | str | None) -> str:
    from ..present import question_text
    from ..select import presented_choices

    return question_text(q, number, presented_choices(q, seed) if q.type != "true_false" else None)


def quiz(topic: str | Sequence[str] | None = None, types: str | Sequence[str] | None = None,
         difficulty: int | Sequence[int] | None = None, tags: str | Sequence[str] | None = None,
         n: int = 10, seed: int | str | None = None, bank: Bank | None = None,
         ids: Sequence[str] | None = None, title: str | None = None, timeline: int = 0,
         max_attempts: int = MAX_ATTEMPTS, remember: bool = True, exclude: Sequence[str] = (),
         mix_types: bool = False, easy_first: bool = False) -> QuizSession:
    """A quiz of `n` questions drawn reproducibly by `seed` (or the questions `ids`), ready to display.

    `timeline=k` adds k chronology questions made from the timeline (of the era
    matching `topic`, when there is one). `max_attempts` tries per question
    before its answer is shown. With `remember` (the default) answers are saved
    to the learner's progress store and running the cell again, after a
    restart or the next day, brings the quiz back where it was left; without a
    `seed`, the questions first drawn are kept until the quiz is `reset()`.
    `exclude` leaves out questions asked elsewhere (a lesson's own), `mix_types`
    takes the question types in turn, `easy_first` runs from easy to hard.
    """
    bank = bank or shipped_bank()
    place = None
    if remember:
        from ..learner.recorder import load_session, place_of

        call = json.dumps([topic, types, difficulty, tags, n, seed, list(ids or []), title, timeline, max_attempts,
                           sorted(exclude), mix_types, easy_first],
                          default=str, sort_keys=True)
        place = place_of("quiz", hashlib.sha256(call.encode()).hexdigest()[:12])
        if seed is None:
            saved = load_session(place)
            seed = saved.get("first_seed") if saved and saved.get("first_seed") is not None else secrets.randbelow(10**9)
    questions = list(select_questions(bank, topic=topic, types=types, difficulty=difficulty, tags=tags, n=n,
                                      seed=seed, ids=ids, exclude=exclude, mix_types=mix_types, easy_first=easy_first))
    titles = {x.id: x.title for x in bank.topics}
    if timeline:
        from ..chronology import TOPIC, timeline_questions

        era = topic if isinstance(topic, str) and any(e.id == topic for e in bank.eras) else None
        questions += timeline_questions(bank, timeline, era=era, seed=seed)
        titles[TOPIC.id] = TOPIC.title
    if title is None:
        title = f"Quiz: {bank.topic_title(topic)}" if isinstance(topic, str) else "Quiz"
    return QuizSession(questions, seed=seed, title=title, topic_titles=titles, max_attempts=max_attempts, place=place)


def ask(question_id: str, *, bank: Bank | None = None, seed: int | str | None = 0, max_attempts: int = MAX_ATTEMPTS,
        remember: bool = True) -> QuestionCard:
    """One question from the bank as a card, for a check-your-understanding moment in a lesson.

    With `remember` (the default) the answer is saved and the card comes back
    as it was left when the cell runs again; `card.reset()` starts over.
    """
    bank = bank or shipped_bank()
    try:
        question = bank.question(question_id)
    except KeyError:
        raise NukeduError(f"no question with id {question_id!r} in the bank") from None
    context: dict[str, Any] = {}
    if remember:
        from ..learner.recorder import place_of

        context["place"] = place_of("ask")
    return QuestionCard(question, seed=seed, header=bank.topic_title(question.topic), max_attempts=max_attempts,
                        context=context)
