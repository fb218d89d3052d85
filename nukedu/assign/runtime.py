"""How assignment answers are checked and marked: pure functions, and the helpers test cells call.

`format_problem`, `mark` and `mark_results` are pure: the trusted grader
(`nukedu.assign.trusted`) calls them in its own process on answers it has read
from the notebook's text. The same functions sit behind the helpers that an
nbgrader test cell calls inside the student's kernel, so plain `nbgrader
autograde` and `nukedu assignment grade` give honest submissions the same
points; only the trusted grader keeps the key away from the student's code.

Visible checks (`check`, `check_results`) only look at the *form* of an
answer and raise `AnswerFormatError` with a message a student can act on, so
nbgrader gives the cell 0. Hidden tests (`grade`, `grade_results`) receive
their answer key as a plain dict written into the test cell, rebuild a
question from it and score with `nukedu.scoring.score`: grading never reads
the bank installed in the student's environment. They print a verdict that
never contains the expected answer and return the points, which the test cell
shows as its last expression so nbgrader records partial credit.

Answers are written in "letter space": choices, ordering items and matching
partners are shown lettered A, B, C... and the key stores letters, so the
question rebuilt here never holds the option texts at all.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Matching, MultipleChoice, Numeric, Ordering, Pair, Question, ShortText, SingleChoice, TrueFalse
from ..scoring import score

__all__ = [
    "AnswerFormatError", "Marked", "check", "check_results", "example", "format_problem", "grade", "grade_results",
    "mark", "mark_results", "summarise",
]

_BASE = {"topic": "assignment", "difficulty": 1, "prompt": "", "explanation": "", "sources": ()}
_EXAMPLES = {
    "single": '"A"', "multiple": '["A", "C"]', "true_false": "True", "numeric": "1991",
    "short_text": '"Kyiv"', "ordering": '["C", "A", "B"]', "matching": '{1: "B", 2: "A"}',
}


class AnswerFormatError(Exception):
    """The answer is missing or not in the form the question asks for."""


# --- visible checks ---------------------------------------------------------------
def _letter(value: Any) -> str | None:
    return value.strip().upper() if isinstance(value, str) else None


def format_problem(value: Any, var: str, kind: str, choices: Sequence[str] = (), keys: int = 0) -> str:
    """What is wrong with the *form* of an answer, or "" when a `kind` question can score it.

    Pure, so the visible check in the student's kernel and the trusted grader
    outside it say exactly the same thing.
    """
    example = _EXAMPLES.get(kind, "...")
    if value is Ellipsis or value is None:
        return f"{var} has no answer yet: replace the ... with your answer, e.g. {var} = {example}."
    letters = ", ".join(choices)
    if kind == "single":
        if _letter(value) not in choices:
            return f"answer must be one of {letters} (a letter in quotes, e.g. {var} = \"{choices[0]}\"); found {value!r}"
    elif kind == "multiple":
        picked = [_letter(v) for v in value] if isinstance(value, (list, tuple, set)) else None
        if not picked or any(p not in choices for p in picked) or len(set(picked)) != len(picked):
            return f"answer must be a list of different letters from {letters}, e.g. {var} = {example}; found {value!r}"
    elif kind == "true_false":
        if not isinstance(value, bool):
            return f"answer must be True or False (without quotes); found {value!r}"
    elif kind == "numeric":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return f"answer must be a number (without quotes), e.g. {var} = {example}; found {value!r}"
    elif kind == "short_text":
        if not isinstance(value, str) or not value.strip():
            return f"answer must be a short text in quotes, e.g. {var} = {example}; found {value!r}"
    elif kind == "ordering":
        order = [_letter(v) for v in value] if isinstance(value, (list, tuple)) else None
        if order is None or sorted(o or "" for o in order) != sorted(choices):
            return f"answer must be a list with each of {letters} exactly once, e.g. {var} = {example}; found {value!r}"
    elif kind == "matching":
        wanted = [str(k) for k in range(1, keys + 1)]
        given = {str(k).strip(): _letter(v) for k, v in value.items()} if isinstance(value, dict) else None
        if given is None or sorted(given) != sorted(wanted) or any(v not in choices for v in given.values()):
            return (f"answer must be a dict with keys {', '.join(wanted)}, each given one letter from {letters}, "
                    f"e.g. {var} = {example}; found {value!r}")
    else:  # pragma: no cover - the builder writes only the kinds above
        raise ValueError(f"unknown answer kind {kind!r}")
    return ""


def example(var: str, kind: str) -> str:
    """A correct form of an answer to quote in messages."""
    return f"{var} = {_EXAMPLES.get(kind, '...')}"


def check(ns: Mapping[str, Any], var: str, kind: str, choices: tuple[str, ...] | list[str] = (), keys: int = 0) -> None:
    """Raise `AnswerFormatError` unless `ns[var]` has the form a `kind` question needs."""
    if var not in ns:
        raise AnswerFormatError(f"{var} is not defined yet: write your answer in the answer cell above "
                                f"(e.g. {example(var, kind)}) and run that cell.")
    problem = format_problem(ns[var], var, kind, tuple(choices), keys)
    if problem:
        raise AnswerFormatError(problem)
    print(f"{var}: the format is right.")


# --- hidden tests -----------------------------------------------------------------
def question_from_key(key: Mapping[str, Any]) -> Question:
    """Rebuild a question (in letter space) from the plain dict a hidden test carries."""
    kind, common = key["type"], dict(_BASE, id=str(key["id"]), points=key["points"])
    if kind == "single":
        return SingleChoice(options=tuple(key["options"]), answer=key["answer"], feedback=dict(key.get("feedback", {})), **common)
    if kind == "multiple":
        return MultipleChoice(options=tuple(key["options"]), answers=tuple(key["answers"]), feedback=dict(key.get("feedback", {})), **common)
    if kind == "true_false":
        return TrueFalse(answer=bool(key["answer"]), feedback=dict(key.get("feedback", {})), **common)
    if kind == "numeric":
        return Numeric(answer=key["answer"], tolerance=key.get("tolerance", 0), unit=key.get("unit", ""), **common)
    if kind == "ordering":
        return Ordering(items=tuple(key["items"]), **common)
    if kind == "matching":
        return Matching(pairs=tuple(Pair(left=l, right=r) for l, r in key["pairs"]), distractors=tuple(key.get("distractors", ())), **common)
    if kind == "short_text":
        return ShortText(accepted=tuple(key["accepted"]), pattern=key.get("pattern", ""), **common)
    raise ValueError(f"cannot grade a {kind!r} question automatically")


def _response(kind: str, value: Any) -> Any:
    """The student's answer in the form `score` expects (letters upper-cased, keys as text)."""
    if kind in ("single",):
        return _letter(value) or value
    if kind in ("multiple", "ordering"):
        return [_letter(v) or str(v) for v in value]
    if kind == "matching":
        return {str(k).strip(): _letter(v) or str(v) for k, v in value.items()}
    return value


_BY_AMOUNT = re.compile(r" by [-+0-9.,e]+( \w+)?\.")


def _safe(lines: tuple[str, ...], secrets: tuple[str, ...]) -> list[str]:
    """Feedback lines that give away no expected answer ("too high by 3" would)."""
    hidden = [s.casefold() for s in secrets if s]
    out = []
    for line in lines:
        line = _BY_AMOUNT.sub(".", line)
        if not any(s in line.casefold() for s in hidden):
            out.append(line)
    return out


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _verdict(label: str, points: float, max_points: float, status: str) -> str:
    word = {"correct": "correct", "partial": "partly right", "incorrect": "not right", "unanswered": "no answer"}.get(status, status)
    return f"{label}: {word}, {_fmt(points)} of {_fmt(max_points)} point{'s' if max_points != 1 else ''}."


@dataclass(frozen=True, slots=True)
class Marked:
    """What one answer earned and the lines a student may read (never the expected answer)."""

    points: float
    max_points: float
    status: str
    lines: tuple[str, ...]


def mark(key: Mapping[str, Any], value: Any) -> Marked:
    """Score an answer whose form is right against a key; pure, for test cells and the trusted grader alike."""
    question = question_from_key(key)
    result = score(question, _response(key["type"], value))
    label = key.get("label", "")
    lines = [_verdict(label, result.points, result.max_points, result.status)]
    lines += ["  " + line for line in _safe(result.feedback, tuple(key.get("secrets", ())))]
    return Marked(result.points, result.max_points, result.status, tuple(lines))


def grade(ns: Mapping[str, Any], var: str, key: Mapping[str, Any]) -> float:
    """Score `ns[var]` against the key, print a verdict without the answer, return the points."""
    marked = mark({"label": var, **key}, ns.get(var))
    print("\n".join(marked.lines))
    return marked.points


# --- code tasks --------------------------------------------------------------------
def _text(value: Any) -> str:
    """One canonical text for a scalar, so 3, 3.0 and numpy's 3 compare equal."""
    if isinstance(value, bool):
        return str(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value).strip()
    if not math.isfinite(number):
        return str(value)
    return str(int(number)) if number.is_integer() else f"{number:.6g}"


def _figure_points(fig: Any) -> dict[str, str]:
    """A plotly figure as {category: value} over all traces (x to y, or y to x when horizontal)."""
    out: dict[str, str] = {}
    for trace in getattr(fig, "data", ()):
        xs, ys = getattr(trace, "x", None), getattr(trace, "y", None)
        if xs is None or ys is None:
            continue
        if getattr(trace, "orientation", None) == "h":
            xs, ys = ys, xs
        for x, y in zip(list(xs), list(ys)):
            out[_text(x)] = _text(y)
    return out


def summarise(value: Any, kind: str) -> Any:
    """The comparable form of a result; raises `AnswerFormatError` when it has the wrong type."""
    if kind == "int":
        if isinstance(value, bool) or not hasattr(value, "__index__") and not (isinstance(value, float) and value.is_integer()):
            raise AnswerFormatError(f"expected a whole number, found {type(value).__name__} {value!r}")
        return int(value)
    if kind == "float":
        if isinstance(value, bool):
            raise AnswerFormatError(f"expected a number, found {value!r}")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise AnswerFormatError(f"expected a number, found {type(value).__name__} {value!r}") from None
    if kind == "str":
        if not isinstance(value, str):
            raise AnswerFormatError(f"expected a text (str), found {type(value).__name__}")
        return value
    if kind == "list":
        if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
            raise AnswerFormatError(f"expected a list, found {type(value).__name__}")
        return [_text(v) for v in value]
    if kind == "dict":
        if not isinstance(value, Mapping):
            raise AnswerFormatError(f"expected a dict, found {type(value).__name__}")
        return {_text(k): _text(v) for k, v in value.items()}
    if kind == "figure":
        if not hasattr(value, "data") or not hasattr(value, "to_dict"):
            raise AnswerFormatError(f"expected a plotly figure, found {type(value).__name__}")
        points = _figure_points(value)
        if not points:
            raise AnswerFormatError("the figure has no trace with x and y values")
        return points
    raise ValueError(f"unknown result kind {kind!r}")


def check_results(ns: Mapping[str, Any], kinds: Mapping[str, str]) -> None:
    """Visible check of a code task: every result variable exists and has the right type."""
    for name, kind in kinds.items():
        if name not in ns or ns[name] is Ellipsis:
            raise AnswerFormatError(f"{name} is not defined yet: compute it in the cell above and run that cell.")
        try:
            summarise(ns[name], kind)
        except AnswerFormatError as exc:
            raise AnswerFormatError(f"{name}: {exc}") from None
    print(f"{', '.join(kinds)}: the format is right.")


def _result_question(name: str, expected: Any, kind: str, points: float) -> Question:
    common = dict(_BASE, id=name, points=points)
    if kind in ("int", "float"):
        return Numeric(answer=float(expected), tolerance=0 if kind == "int" else 1e-6 * max(1.0, abs(float(expected))), **common)
    if kind == "str":
        return ShortText(accepted=(str(expected),), **common)
    if kind == "list":
        if len(expected) >= 2 and len(set(expected)) == len(expected):
            return Ordering(items=tuple(expected), **common)
        return ShortText(accepted=("\x1f".join(expected) or "\x1e",), **common)
    if not expected:  # an empty dict matches only an empty dict
        return ShortText(accepted=("{}",), **common)
    return Matching(pairs=tuple(Pair(left=k, right=v) for k, v in expected.items()), **common)


def mark_results(values: Mapping[str, Any], expected: Mapping[str, Any], kinds: Mapping[str, str], points: float,
                 label: str = "", problems: Mapping[str, str] | None = None) -> Marked:
    """Score summarised results (see `summarise`), each worth an equal share; a missing or wrongly typed one scores 0."""
    share = points / len(expected)
    total = 0.0
    lines: list[str] = []
    problems = problems or {}
    for name, want in expected.items():
        kind = kinds[name]
        question = _result_question(name, want, kind, share)
        if name in values and name not in problems:
            got = values[name]
            if kind == "list" and not isinstance(question, Ordering):
                got = "\x1f".join(got) or "\x1e"
            elif kind in ("dict", "figure") and isinstance(question, ShortText):
                got = "{}" if not got else repr(got)
            result = score(question, got)
        else:
            result = score(question, None)
        total += result.points
        lines.append(_verdict(name, result.points, share, result.status))
        if name in problems:
            lines.append("  " + problems[name])
        lines += ["  " + line for line in _safe(result.feedback, ())]
    total = min(round(total, 4), float(points))  # shares round to 4 decimals; never exceed the cell's points
    status = "correct" if total >= points else ("incorrect" if total == 0 else "partial")
    if label:
        lines.append(_verdict(label, total, points, status))
    return Marked(total, float(points), status, tuple(lines))


def grade_results(ns: Mapping[str, Any], expected: Mapping[str, Any], kinds: Mapping[str, str], points: float, label: str = "") -> float:
    """Score each result in the kernel's namespace against its expected value and return the total."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for name in expected:
        try:
            values[name] = summarise(ns.get(name), kinds[name])
        except AnswerFormatError as exc:
            problems[name] = f"{name}: {exc}"
    marked = mark_results(values, expected, kinds, points, label, problems)
    print("\n".join(marked.lines))
    return marked.points
