"""GIFT, Moodle's plain-text question format: every type GIFT can express, with its specials escaped.

GIFT writes a question as `::title::text{answers####general feedback}`; the characters
`~ = # { } :` and the backslash carry meaning, so in text they are written with a backslash, and a
line break is written `\\n` (a blank line would end the question). The mapping:

- single: `=right ~wrong#feedback`; multiple: `~%33.33333%right ~%-33.33333%wrong`, the same
  fractions as the Moodle XML export and so the same partial credit as nukedu;
- true_false: `{TRUE#feedback if wrong#feedback if right}`; numeric: `{#1997:0}`;
- short_text: `{=text =other text}` (a `pattern` cannot be expressed; it is named in a warning);
- matching: `{=left -> right}`, distractors as `= -> distractor`;
- essay: `{}`; GIFT has no grader information, so the rubric and the outline of a full answer go
  into the general feedback, which Moodle shows after the attempt;
- ordering: GIFT has no ordering question. These questions are left out and every one is named in
  a warning (the Moodle XML export keeps them). So is a question with `->` where GIFT would read it
  as a matching pair (a matching left text, an accepted short answer): none in the shipped bank.

Hints cannot be written in GIFT and are left out (the warning says how many questions had some).
"""
from __future__ import annotations

from collections.abc import Sequence

from ..model import (
    Bank, Essay, Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice, TrueFalse,
)
from .common import (
    COURSE_TITLE, Exported, listed, number_text, plural, rubric_lines, sources_text, topic_groups, topic_title,
    unit_note,
)
from .moodle import category_path, fraction_text

SPECIALS = "~=#{}:"


def escape(text: str) -> str:
    """Text as GIFT reads it back: a backslash before each special character, line breaks as \\n."""
    text = text.replace("\\", "\\\\")
    for ch in SPECIALS:
        text = text.replace(ch, "\\" + ch)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def export_gift(questions: Sequence[Question], bank: Bank, *, title: str = COURSE_TITLE) -> Exported:
    """The questions as one GIFT file, a `$CATEGORY` line before each topic; ordering left out with a warning."""
    left_out = [q.id for q in questions if isinstance(q, Ordering)]
    arrows = [q.id for q in questions if _has_arrow(q)]
    kept = [q for q in questions if not isinstance(q, Ordering) and q.id not in arrows]
    blocks = [f"// {title}: {plural(len(kept), 'question')} exported by nukedu"]
    for topic, group in topic_groups(kept):
        blocks.append(f"$CATEGORY: {category_path(title, topic_title(bank, topic))}")
        blocks.extend(_question(q) for q in group)
    warnings = []
    if left_out:
        warnings.append(f"GIFT has no ordering question: {plural(len(left_out), 'ordering question')} left out "
                        f"(the moodle format keeps them): {listed(left_out, limit=len(left_out))}")
    if arrows:
        warnings.append(f"GIFT reads '->' as a matching pair: {plural(len(arrows), 'question')} with '->' in a "
                        f"matching left text or an accepted short answer left out: {listed(arrows, limit=len(arrows))}")
    patterns = [q.id for q in kept if isinstance(q, ShortText) and q.pattern]
    if patterns:
        warnings.append(f"GIFT short answers have no regular expressions: {plural(len(patterns), 'short_text question')} "
                        f"accept only their listed texts, not their pattern: {listed(patterns)}")
    hinted = sum(1 for q in kept if q.hints)
    if hinted:
        warnings.append(f"GIFT cannot carry hints: the hints of {plural(hinted, 'question')} are left out")
    data = "\n\n".join(blocks) + "\n"
    return Exported(data=data.encode("utf-8"), format="gift", questions=len(kept), warnings=tuple(warnings))


def _has_arrow(q: Question) -> bool:
    """A `->` GIFT would misread: in a matching question's left text, or in a short answer (it makes it matching)."""
    if isinstance(q, Matching):
        return any("->" in p.left for p in q.pairs)
    return isinstance(q, ShortText) and any("->" in a for a in q.accepted)


def _general_feedback(q: Question) -> str:
    lines = [q.explanation] if q.explanation else []
    if isinstance(q, Essay):
        lines.append(f"Rubric ({plural(q.points, 'point')}): " + "; ".join(rubric_lines(q)))
        if q.model_answer:
            lines.append("A full answer covers: " + " ".join(q.model_answer))
    lines += [f"Source: {s}" for s in sources_text(q)]
    return escape("\n".join(lines))


def _text(q: Question) -> str:
    text = q.prompt
    if isinstance(q, Numeric):
        text += " " + unit_note(q)
    elif isinstance(q, Essay) and q.min_words:
        text += f" (At least {q.min_words} words.)"
    text = escape(text)
    return "[moodle]" + text if text.startswith("[") else text  # a leading [ would be read as a text format


def _option(sign: str, text: str, feedback: str = "") -> str:
    return f"{sign}{escape(text)}" + (f"#{escape(feedback)}" if feedback else "")


def _answers(q: Question) -> list[str]:
    if isinstance(q, SingleChoice):
        return [_option("=" if o == q.answer else "~", o, q.feedback.get(o, "")) for o in q.options]
    if isinstance(q, MultipleChoice):
        k = len(q.answers)
        return [_option(f"~%{fraction_text(1 / k if o in q.answers else -1 / k)}%", o, q.feedback.get(o, ""))
                for o in q.options]
    if isinstance(q, TrueFalse):
        right, wrong = ("true", "false") if q.answer else ("false", "true")
        # GIFT: the first feedback is shown for a wrong answer, the second for the right one
        feedback = [escape(q.feedback.get(wrong, "")), escape(q.feedback.get(right, ""))]
        while feedback and not feedback[-1]:
            feedback.pop()
        return ["#".join(["TRUE" if q.answer else "FALSE", *feedback])]
    if isinstance(q, Numeric):
        return [f"#{number_text(q.answer)}:{number_text(q.tolerance)}"]
    if isinstance(q, ShortText):
        return [_option("=", a) for a in q.accepted]
    if isinstance(q, Matching):
        return [f"={escape(p.left)} -> {escape(p.right)}" for p in q.pairs] + [f"= -> {escape(d)}" for d in q.distractors]
    if isinstance(q, Essay):
        return []
    raise TypeError(f"GIFT cannot write a {q.type} question")


def _question(q: Question) -> str:
    body = "\n".join(_answers(q))
    feedback = _general_feedback(q)
    inner = (body + "\n" if body else "") + (f"####{feedback}\n" if feedback else "")
    return f"// question: {q.id}\n::{q.id}::{_text(q)}{{\n{inner}}}"
