"""Per-student feedback as one small HTML page, from a plain template.

nbconvert's feedback renders the student's notebook, which means their HTML
and JavaScript outputs and whatever the hidden tests printed. This page is
built from the grader's results alone: each part's verdict and points, the
student's own answer escaped, the hint when they missed, and the hand-graded
score and comment once an instructor has given them. It never holds a key
or anything from another assignment, and its Content-Security-Policy lets
no script run even if some text slipped through unescaped.
"""
from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .trusted import PartResult

_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f;background:#fff}
h1{font-size:1.4rem}h2{font-size:1.05rem;margin:0}
.part{border:1px solid #c8c8cc;border-radius:6px;padding:.75rem 1rem;margin:.75rem 0}
.points{float:right;font-weight:600}
.correct{border-left:6px solid #1a7f37}.partial{border-left:6px solid #9a6700}
.missed{border-left:6px solid #cf222e}.waiting{border-left:6px solid #57606a}
pre{background:#f3f3f5;padding:.5rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.4rem 0}
.hint{font-style:italic}.total{font-size:1.1rem;font-weight:600}
"""


@dataclass(frozen=True, slots=True)
class HandGrade:
    """What an instructor gave a hand-graded part in formgrader."""

    score: float | None
    comment: str = ""


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _part(p: PartResult, points: float | None, hand: HandGrade | None) -> str:
    """The HTML of one part; `points` is what it counts for now (a hand score wins)."""
    lines = list(p.lines)
    if p.kind == "essay" and p.status == "needs_grading":
        if points is not None:
            lines = [f"{p.label}: graded by your instructor, {_fmt(points)} of {_fmt(p.max_points)} points."]
        else:
            lines = [f"{p.label}: waiting to be graded by your instructor."] + lines[1:]
    elif points is not None and p.points is not None and points != p.points:
        lines.append(f"Your instructor set this part to {_fmt(points)} points.")
    if points is None:
        css = "waiting"
    elif points >= p.max_points:
        css = "correct"
    elif points > 0:
        css = "partial"
    else:
        css = "missed"
    shown = "…" if points is None else _fmt(points)
    out = [f'<section class="part {css}"><span class="points">{shown} / {_fmt(p.max_points)}</span>',
           f"<h2>{_esc(p.label)}</h2>"]
    if p.answer:
        out.append(f"<p>Your answer:</p><pre>{_esc(p.answer)}</pre>")
    if p.output:
        out.append(f"<p>What your code printed:</p><pre>{_esc(p.output)}</pre>")
    out += [f"<p>{_esc(line.strip())}</p>" for line in lines]
    if hand is not None and hand.comment:
        out.append(f"<p>Comment from your instructor:</p><pre>{_esc(hand.comment)}</pre>")
    if p.hint and points is not None and points < p.max_points:
        out.append(f'<p class="hint">Hint: {_esc(p.hint)}</p>')
    out.append("</section>")
    return "\n".join(out)


def feedback_page(*, title: str, student: str, parts: Sequence[PartResult], counted: Mapping[str, float | None],
                  hand: Mapping[str, HandGrade] | None = None, note: str = "") -> str:
    """The whole page for one student: the total first, then each part in order.

    `counted` gives each part's points as they count now (grade id to points,
    None while waiting for hand-grading); `hand` the instructors' comments.
    """
    hand = hand or {}
    sections = [_part(p, counted.get(p.grade_id), hand.get(p.grade_id)) for p in parts]
    total = sum(counted.get(p.grade_id) or 0.0 for p in parts)
    max_total = sum(p.max_points for p in parts)
    waiting = sum(1 for p in parts if counted.get(p.grade_id) is None)
    status = f" ({waiting} part{'s' if waiting != 1 else ''} still to be graded by hand)" if waiting else ""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Feedback: {_esc(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_esc(title)}</h1>",
        f"<p>Feedback for <strong>{_esc(student)}</strong>.</p>",
        f'<p class="total">Score: {_fmt(total)} of {_fmt(max_total)} points{_esc(status)}.</p>',
        f"<p>{_esc(note)}</p>" if note else "",
        *sections,
        "</body></html>",
        "",
    ])
