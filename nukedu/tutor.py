"""How a question card teaches: what a student may see after each try. Pure: no widgets, no I/O.

A card is a small state machine around `score`. A wrong try earns a nudge for
what was chosen (the bank's per-option feedback, never one that names the
answer), a mark on each option, item or pair (right or wrong, as a word and
an icon), "too high" or "too low" for numbers, and the offer of a hint. The
explanation, the right answer and the citations are *earned*: by a correct
answer, by asking to see the answer (recorded as given up), or by using every
allowed try. Until then they are not in what `state()` returns, which is all a
front end ever receives. Input that cannot be an answer ("in 2008" for a
number, a matching left half done) is explained and costs no try.
"""
from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import Essay, Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice, TrueFalse
from .present import correct_answer_text
from .scoring import Result, normalise_text, score
from .select import presented_choices, shuffled
from .sources import DOCS

MAX_ATTEMPTS = 3
MAX_TEXT = 20_000
VERDICTS = {
    "correct": ("Correct", "success"),
    "partial": ("Partly right", "warn"),
    "incorrect": ("Not right", "error"),
    "needs_grading": ("Saved for your teacher", "info"),
}


class InputProblem(ValueError):
    """What the student typed cannot be checked yet; the message says what to change (no try is spent)."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One check: what was answered, what it earned, and how."""

    response: Any
    result: Result
    hints_used: int
    at: float = field(default_factory=time.time)


def points_text(points: float, max_points: float) -> str:
    """Whole points when they are whole ("2 of 3 points"), else a percentage ("67%")."""
    if max_points and not float(points).is_integer():
        return f"{round(100 * points / max_points)}%"
    unit = "point" if max_points == 1 else "points"
    return f"{points:g} of {max_points:g} {unit}"


def short_citation(doc: str, line: int, quote: str) -> dict[str, Any]:
    return {"doc": doc, "line": line, "quote": quote}


class Tutor:
    """One question's practice state: attempts, hints, giving up; and what the student may see now."""

    def __init__(self, question: Question, *, seed: int | str | None = 0, max_attempts: int = MAX_ATTEMPTS):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.question = question
        self.seed = seed
        self.max_attempts = max_attempts
        self.attempts: list[Attempt] = []
        self.hints_shown = 0
        self.given_up = False
        self.retrying = False       # a wrong try was seen and the student chose to try again
        self.draft: Any = None      # the response to show in the controls (last checked, or restored)
        self._choices = presented_choices(question, seed)
        self._lefts = shuffled(question.lefts, seed, question.id + ":left") if isinstance(question, Matching) else None

    # --- what the student does --------------------------------------------------------------------
    def check(self, raw: Any) -> Result:
        """Score a response from the front end; `InputProblem` if it cannot be an answer yet."""
        if self.finished:
            raise InputProblem("This question is finished: its answer is shown below.")
        response = self.parse(raw)
        result = score(self.question, response)
        self.attempts.append(Attempt(response=response, result=result, hints_used=self.hints_shown))
        self.draft = response
        self.retrying = False
        return result

    def hint(self) -> str | None:
        """Reveal the next hint, if there is one."""
        if self.hints_shown < len(self.question.hints) and not self.finished:
            self.hints_shown += 1
            return self.question.hints[self.hints_shown - 1]
        return None

    def give_up(self) -> None:
        """Show the answer now; recorded, and the question counts as not answered right."""
        if not self.finished:
            self.given_up = True

    def try_again(self) -> None:
        """Back to the controls after a wrong try, keeping the last answer to change."""
        if self.attempts and not self.finished:
            self.retrying = True

    def reset(self) -> None:
        """Start the question over on purpose."""
        self.attempts.clear()
        self.hints_shown = 0
        self.given_up = False
        self.retrying = False
        self.draft = None

    def restore(self, events: Sequence[tuple[str, Any, int]]) -> int:
        """Replay saved (event, response, hints used) so the card is as the student left it; returns how many applied.

        Checks are scored again by the one scoring function; a saved response
        that no longer fits the question (an edited bank) is skipped.
        """
        applied = 0
        for event, response, hints_used in events:
            if self.finished:
                break
            self.hints_shown = max(self.hints_shown, min(int(hints_used or 0), len(self.question.hints)))
            if event == "check":
                try:
                    self.check(response)
                except InputProblem:
                    continue
            elif event == "give_up":
                self.give_up()
            elif event != "hint":
                continue
            applied += 1
        return applied

    # --- where it stands -----------------------------------------------------------------------------
    @property
    def last(self) -> Attempt | None:
        return self.attempts[-1] if self.attempts else None

    @property
    def first_result(self) -> Result | None:
        return self.attempts[0].result if self.attempts else None

    @property
    def answered_right(self) -> bool:
        return self.last is not None and self.last.result.status in ("correct", "needs_grading")

    @property
    def finished(self) -> bool:
        """Nothing more to try: right, submitted, shown, or out of tries. The answer is earned."""
        return self.answered_right or self.given_up or len(self.attempts) >= self.max_attempts

    @property
    def phase(self) -> str:
        """open (answering), feedback (a wrong try is shown), finished."""
        if self.finished:
            return "finished"
        if self.attempts and not self.retrying:
            return "feedback"
        return "open"

    # --- input -------------------------------------------------------------------------------------------
    def parse(self, raw: Any) -> Any:
        """The response `score` expects, from what a front end sent; explains what is missing or malformed."""
        q = self.question
        if isinstance(q, SingleChoice):
            if not isinstance(raw, str) or raw not in q.options:
                raise InputProblem("Choose one of the options first.")
            return raw
        if isinstance(q, TrueFalse):
            if isinstance(raw, str) and raw.strip().casefold() in ("true", "false"):
                return raw.strip().casefold() == "true"
            if not isinstance(raw, bool):
                raise InputProblem("Choose True or False first.")
            return raw
        if isinstance(q, MultipleChoice):
            if not isinstance(raw, (list, tuple)) or not raw:
                raise InputProblem("Tick at least one option first.")
            picked = [r for r in raw if isinstance(r, str) and r in q.options]
            if len(picked) != len(raw) or len(set(picked)) != len(picked):
                raise InputProblem("Tick options from the list only.")
            return [o for o in self._choices or q.options if o in picked]
        if isinstance(q, Numeric):
            return self._number(raw)
        if isinstance(q, Ordering):
            if not isinstance(raw, (list, tuple)) or sorted(map(str, raw)) != sorted(q.items):
                raise InputProblem("Put every item in the list in order, then check.")
            return [str(r) for r in raw]
        if isinstance(q, Matching):
            if not isinstance(raw, Mapping):
                raise InputProblem("Choose a match for each statement first.")
            given = {str(k): v for k, v in raw.items() if isinstance(v, str) and v}
            unknown = [k for k in given if k not in q.lefts] + [v for v in given.values() if v not in q.choices]
            if unknown:
                raise InputProblem("Choose matches from the lists only.")
            missing = [left for left in q.lefts if left not in given]
            if missing:
                raise InputProblem(f"Choose a match for every statement first ({len(missing)} still “— choose —”).")
            return given
        if isinstance(q, (ShortText, Essay)):
            text = raw if isinstance(raw, str) else ""
            if not text.strip():
                raise InputProblem("Write your answer first." if isinstance(q, Essay) else "Type your answer first.")
            if len(text) > MAX_TEXT:
                raise InputProblem(f"Your answer is longer than {MAX_TEXT} characters.")
            return text
        raise InputProblem("This question cannot be answered here.")  # pragma: no cover

    def _number(self, raw: Any) -> float:
        unit = f" ({self.question.unit})" if getattr(self.question, "unit", "") else ""
        if isinstance(raw, bool):
            raise InputProblem(f"Type a number{unit}.")
        if isinstance(raw, (int, float)):
            value = float(raw)
        elif isinstance(raw, str) and raw.strip():
            text = raw.strip().replace("\u2212", "-")
            plain = text.replace(",", "").replace(" ", "").replace("\u00a0", "")
            try:
                value = float(plain)
            except ValueError:
                found = re.findall(r"-?\d+(?:[.,]\d+)?", text)
                example = found[0].replace(",", "") if len(found) == 1 else "2008"
                raise InputProblem(f"Type just the number, like {example}{unit}; “{text[:40]}” is not a number. "
                                   "This did not use a try.") from None
        else:
            raise InputProblem(f"Type a number{unit} first.")
        if not math.isfinite(value):
            raise InputProblem("Type an ordinary number.")
        return value

    # --- what a front end may show --------------------------------------------------------------------
    def view(self, header: str = "") -> dict[str, Any]:
        """Everything needed to draw the question before it is answered; never the answer."""
        q = self.question
        out: dict[str, Any] = {
            "type": q.type, "prompt": q.prompt, "header": header, "difficulty": q.difficulty, "points": q.points,
            "hints_total": len(q.hints), "max_attempts": self.max_attempts,
        }
        if isinstance(q, TrueFalse):
            out["choices"] = ["True", "False"]
        elif self._choices is not None:
            out["choices"] = list(self._choices)
        if self._lefts is not None:
            out["lefts"] = list(self._lefts)
        if isinstance(q, Numeric):
            out["unit"] = q.unit
        if isinstance(q, Essay):
            out["min_words"] = q.min_words
        return out

    def state(self) -> dict[str, Any]:
        """Where the card stands, with the explanation and answer only once earned."""
        last = self.last
        out: dict[str, Any] = {
            "phase": self.phase, "attempts": len(self.attempts), "tries_left": max(0, self.max_attempts - len(self.attempts)),
            "response": plain_response(self.draft), "hints": list(self.question.hints[: self.hints_shown]),
            "verdict": None, "marks": [], "nudges": [], "earned": None, "given_up": self.given_up,
        }
        if last is not None and not self.retrying:
            out["verdict"] = self._verdict(last.result)
            out["marks"] = self.marks(last.response)
            out["nudges"] = self.nudges(last.response, last.result)
        elif self.given_up:
            out["verdict"] = {"word": "Answer shown", "tone": "info", "points": points_text(0, self.question.points)}
        if self.finished:
            out["earned"] = self.earned()
        return out

    def _verdict(self, r: Result) -> dict[str, str]:
        word, tone = VERDICTS.get(r.status, ("Not right", "error"))
        if r.status == "incorrect" and not self.finished:
            word = "Not yet"
        if r.status == "needs_grading":
            return {"word": word, "tone": tone, "points": ""}
        return {"word": word, "tone": tone, "points": points_text(r.points, r.max_points)}

    def marks(self, response: Any) -> list[dict[str, Any]]:
        """Each option, item or pair the student gave, marked right or wrong (what they chose only)."""
        q = self.question
        if isinstance(q, SingleChoice):
            return [{"key": response, "ok": response == q.answer}]
        if isinstance(q, TrueFalse):
            return [{"key": "True" if response else "False", "ok": response == q.answer}]
        if isinstance(q, MultipleChoice):
            return [{"key": o, "ok": o in q.answers} for o in response]
        if isinstance(q, Ordering):
            return [{"key": item, "ok": i < len(q.items) and q.items[i] == item} for i, item in enumerate(response)]
        if isinstance(q, Matching):
            right = {p.left: p.right for p in q.pairs}
            return [{"key": left, "ok": response.get(left) == right[left]} for left in (self._lefts or q.lefts)]
        if isinstance(q, (Numeric, ShortText)):
            return [{"key": plain_response(response), "ok": score(q, response).status == "correct"}]
        return []

    def nudges(self, response: Any, result: Result) -> list[str]:
        """Help for a wrong try that points at what was chosen and never names the answer."""
        q = self.question
        if result.status in ("correct", "needs_grading"):
            return []
        secrets = [normalise_text(s) for s in _answer_texts(q)]

        def safe(text: str) -> bool:
            flat = normalise_text(text)
            return not any(s and s in flat for s in secrets)

        out: list[str] = []
        if isinstance(q, (SingleChoice, MultipleChoice)):
            chosen = [response] if isinstance(q, SingleChoice) else list(response)
            out += [q.feedback[c] for c in chosen if c in q.feedback and c not in _answers(q) and safe(q.feedback[c])]
            if isinstance(q, MultipleChoice):
                missed = len([a for a in q.answers if a not in chosen])
                wrong = len([c for c in chosen if c not in q.answers])
                if missed:
                    out.append(f"{missed} right option{'s are' if missed > 1 else ' is'} not ticked yet.")
                if wrong:
                    out.append(f"{wrong} ticked option{'s are' if wrong > 1 else ' is'} wrong.")
        elif isinstance(q, TrueFalse):
            key = "true" if response else "false"
            if key in q.feedback and safe(q.feedback[key]):
                out.append(q.feedback[key])
        elif isinstance(q, Numeric):
            out.append("Too high." if response > q.answer else "Too low.")
        elif isinstance(q, Ordering):
            right = sum(1 for m in self.marks(response) if m["ok"])
            out.append(f"{right} of {len(q.items)} items are in the right place.")
        elif isinstance(q, Matching):
            right = sum(1 for m in self.marks(response) if m["ok"])
            out.append(f"{right} of {len(q.pairs)} statements are matched correctly.")
        elif isinstance(q, ShortText):
            out.append("That is not the answer we expected. Check the spelling, or ask for a hint.")
        if not self.finished and self.hints_shown < len(q.hints):
            out.append("A hint may help: press “Hint”.")
        return out

    def earned(self) -> dict[str, Any]:
        """The explanation, the right answer and the citations: shown once the question is finished."""
        q = self.question
        out: dict[str, Any] = {
            "explanation": q.explanation,
            "answer": correct_answer_text(q),
            "sources": [short_citation(c.doc, c.line, c.quote) for c in q.sources],
            "titles": {c.doc: DOCS[c.doc].title for c in q.sources if c.doc in DOCS},
        }
        if isinstance(q, Essay):
            out["rubric"] = [f"{c.criterion} ({c.points} point{'s' if c.points != 1 else ''})" for c in q.rubric]
            out["model_answer"] = list(q.model_answer)
        return out


def _answers(q: Question) -> tuple[str, ...]:
    if isinstance(q, SingleChoice):
        return (q.answer,)
    if isinstance(q, MultipleChoice):
        return tuple(q.answers)
    return ()


def _answer_texts(q: Question) -> list[str]:
    """Texts that would give the answer away if a nudge quoted them."""
    if isinstance(q, (SingleChoice, MultipleChoice)):
        return [a for a in _answers(q) if len(normalise_text(a)) >= 3]
    if isinstance(q, Numeric):
        return [f"{q.answer:g}"]
    if isinstance(q, ShortText):
        return list(q.accepted)
    return []


def plain_response(value: Any) -> Any:
    """JSON-able form of a response (for synced state and the progress store); 1994.0 becomes 1994."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (list, tuple)):
        return [plain_response(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): plain_response(v) for k, v in value.items()}
    return value


def unanswered(tutors: Sequence[Tutor | None]) -> int:
    """How many questions of a quiz have no checked answer yet."""
    return sum(1 for t in tutors if t is None or not t.attempts)
