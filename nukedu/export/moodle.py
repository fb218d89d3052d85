"""Moodle XML: every question type, graded as nukedu grades it, in one category per topic.

Moodle reads `<quiz>` files of `<question type=...>` elements (question/format/xml). The mapping:

- single, multiple → multichoice. A multiple question's right options are worth +100/k % each and
  its wrong ones -100/k % (k right options): Moodle adds the fractions of the options picked and
  keeps the total between 0 and 100 %, which is nukedu's (right - wrong) / k, floor 0, exactly.
  100/k is on Moodle's list of allowed grades for every k up to 10 (the bank allows 8 options).
- true_false → truefalse; numeric → numerical with its tolerance (the unit goes in the question
  text, as nukedu shows it; Moodle's unit grading is not used); short_text → shortanswer, case
  ignored, one answer per accepted text (a `pattern` has no Moodle equivalent and is named in a
  warning); matching → matching, distractors as answers with a blank question (Moodle's way of
  adding wrong choices); essay → essay with the rubric and model answer in the grader information.
- ordering → Moodle's ordering type (standard since Moodle 4.4, a plugin before), graded
  "relative to all previous and next items": for n items it counts the right (item, other item)
  relations out of n(n-1), each right pair counted twice, which is nukedu's share of pairs in order.

Every question carries its id as `idnumber` (so a question in a Moodle bank can be traced back to
this one), its hints, per-option feedback, and a general feedback made of the explanation and the
source lines.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..model import (
    Bank, Essay, Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice, TrueFalse,
)
from .common import (
    COURSE_TITLE, Exported, feedback_html, grader_html, html_paragraphs, html_text, listed, number_text, plural,
    topic_groups, topic_title, unit_note,
)

# Moodle's grades for an answer (question_bank::fraction_options_full), in per cent, without sign.
ALLOWED_FRACTIONS = ("100", "90", "83.33333", "80", "75", "70", "66.66667", "60", "50", "40", "33.33333",
                     "30", "25", "20", "16.66667", "14.28571", "12.5", "11.11111", "10", "5", "0")
QTYPES = {"single": "multichoice", "multiple": "multichoice", "true_false": "truefalse", "numeric": "numerical",
          "ordering": "ordering", "matching": "matching", "short_text": "shortanswer", "essay": "essay"}


def fraction_text(share: float) -> str:
    """A share of the grade (-1..1) as the nearest allowed Moodle percentage; refuses one that is not close."""
    percent = abs(share) * 100
    best = min(ALLOWED_FRACTIONS, key=lambda f: abs(float(f) - percent))
    if abs(float(best) - percent) > 1e-4:
        raise ValueError(f"{share!r} is not a grade Moodle allows")
    return ("-" if share < 0 and best != "0" else "") + best


def category_path(title: str, topic: str) -> str:
    """`$course$/top/<course title>/<topic title>`; a slash inside a name is written twice, as Moodle does."""
    parts = [p.replace("/", "//") for p in (title, topic) if p]
    return "/".join(["$course$", "top", *parts])


def export_moodle(questions: Sequence[Question], bank: Bank, *, title: str = COURSE_TITLE) -> Exported:
    """The questions as a Moodle XML file, each topic's questions after a category record of its own."""
    root = ET.Element("quiz")
    for topic, group in topic_groups(questions):
        root.append(_category(category_path(title, topic_title(bank, topic))))
        for q in group:
            root.append(_question(q))
    ET.indent(root, space="  ")
    data = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return Exported(data=data.encode("utf-8"), format="moodle", questions=len(questions), warnings=_warnings(questions))


def _warnings(questions: Sequence[Question]) -> tuple[str, ...]:
    out = []
    ordering = [q.id for q in questions if isinstance(q, Ordering)]
    if ordering:
        out.append(f"{plural(len(ordering), 'ordering question')} use Moodle's ordering question type, standard "
                   f"since Moodle 4.4 (the qtype_ordering plugin before); an older site without the plugin "
                   f"refuses them on import: {listed(ordering)}")
    patterns = [q.id for q in questions if isinstance(q, ShortText) and q.pattern]
    if patterns:
        out.append(f"Moodle's short answer has no regular expressions: {plural(len(patterns), 'short_text question')} "
                   f"accept only their listed texts there, not their pattern: {listed(patterns)}")
    return tuple(out)


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = text
    return el


def _value(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _category(path: str) -> ET.Element:
    el = ET.Element("question", type="category")
    ET.SubElement(ET.SubElement(el, "category"), "text").text = path
    _text(el, "info", "")
    return el


def _question(q: Question) -> ET.Element:
    el = ET.Element("question", type=QTYPES[q.type])
    _text(el, "name", q.id, fmt=None)
    body = html_paragraphs(q.prompt)
    if isinstance(q, Numeric):
        body += html_paragraphs(unit_note(q))
    _text(el, "questiontext", body)
    _text(el, "generalfeedback", feedback_html(q))
    _value(el, "defaultgrade", number_text(q.points))
    _value(el, "penalty", "0" if isinstance(q, Essay) else "0.3333333")
    _value(el, "hidden", "0")
    _value(el, "idnumber", q.id)
    _BODY[q.type](el, q)
    for hint in q.hints:
        _text(el, "hint", html_paragraphs(hint))
    if q.tags:
        tags = ET.SubElement(el, "tags")
        for tag in q.tags:
            ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    return el


def _combined_feedback(el: ET.Element, shownumcorrect: bool = True) -> None:
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(el, tag, "")
    if shownumcorrect:
        ET.SubElement(el, "shownumcorrect")


def _answer(el: ET.Element, text: str, fraction: str, feedback: str = "", fmt: str = "html") -> ET.Element:
    ans = ET.SubElement(el, "answer", fraction=fraction, format=fmt)
    ET.SubElement(ans, "text").text = text
    _text(ans, "feedback", html_paragraphs(feedback))
    return ans


def _choices(el: ET.Element, q: SingleChoice | MultipleChoice) -> None:
    single = isinstance(q, SingleChoice)
    _value(el, "single", "true" if single else "false")
    _value(el, "shuffleanswers", "true")
    _value(el, "answernumbering", "abc")
    _value(el, "showstandardinstruction", "0")
    _combined_feedback(el)
    right = {q.answer} if isinstance(q, SingleChoice) else set(q.answers)
    k = len(right)
    for option in q.options:
        if single:
            fraction = "100" if option in right else "0"
        else:
            fraction = fraction_text(1 / k if option in right else -1 / k)
        _answer(el, html_text(option), fraction, q.feedback.get(option, ""))


def _true_false(el: ET.Element, q: TrueFalse) -> None:
    for value in (True, False):
        key = "true" if value else "false"
        _answer(el, key, "100" if q.answer is value else "0", q.feedback.get(key, ""), fmt="moodle_auto_format")


def _numeric(el: ET.Element, q: Numeric) -> None:
    ans = _answer(el, number_text(q.answer), "100", fmt="moodle_auto_format")
    _value(ans, "tolerance", number_text(q.tolerance))
    _value(el, "unitgradingtype", "0")
    _value(el, "unitpenalty", "0.1000000")
    _value(el, "showunits", "3")  # units not used: the number alone is graded
    _value(el, "unitsleft", "0")


def _ordering(el: ET.Element, q: Ordering) -> None:
    _value(el, "layouttype", "VERTICAL")
    _value(el, "selecttype", "ALL")
    _value(el, "selectcount", str(len(q.items)))
    _value(el, "gradingtype", "RELATIVE_ALL_PREVIOUS_AND_NEXT")
    _value(el, "showgrading", "SHOW")
    _value(el, "numberingstyle", "none")
    _combined_feedback(el)
    for position, item in enumerate(q.items, start=1):  # Moodle reads the right order from the answers' order
        ans = ET.SubElement(el, "answer", fraction=f"{position}.0000000", format="html")
        ET.SubElement(ans, "text").text = html_text(item)


def _matching(el: ET.Element, q: Matching) -> None:
    _value(el, "shuffleanswers", "true")
    _combined_feedback(el)
    for left, right in [(p.left, p.right) for p in q.pairs] + [("", d) for d in q.distractors]:
        sub = _text(el, "subquestion", html_paragraphs(left))
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = right


def _short_text(el: ET.Element, q: ShortText) -> None:
    _value(el, "usecase", "0")
    for text in q.accepted:  # `*` is Moodle's wildcard; a literal one is written \*
        _answer(el, text.replace("*", "\\*"), "100", fmt="moodle_auto_format")


def _essay(el: ET.Element, q: Essay) -> None:
    _value(el, "responseformat", "editor")
    _value(el, "responserequired", "1")
    _value(el, "responsefieldlines", "15")
    _value(el, "minwordlimit", str(q.min_words) if q.min_words else "")
    _value(el, "maxwordlimit", "")
    _value(el, "attachments", "0")
    _value(el, "attachmentsrequired", "0")
    _value(el, "maxbytes", "0")
    _value(el, "filetypeslist", "")
    _text(el, "graderinfo", grader_html(q))
    _text(el, "responsetemplate", "")


_BODY = {"single": _choices, "multiple": _choices, "true_false": _true_false, "numeric": _numeric,
         "ordering": _ordering, "matching": _matching, "short_text": _short_text, "essay": _essay}
