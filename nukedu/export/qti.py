"""QTI 1.2 as Canvas imports it: one zip, one quiz, every item with an identifier derived from its id.

The zip holds `imsmanifest.xml`, the assessment `<id>/<id>.xml` (IMS QTI 1.2 `questestinterop`)
and Canvas's `<id>/assessment_meta.xml` (quiz settings), the layout Canvas's own exports and
text2qti use. Canvas reads each item's `question_type`:

- single → multiple_choice_question; multiple → multiple_answers_question (the file marks the right
  options and Canvas grades them itself; its documented "partial credit with penalty", points / right
  options for each right pick, minus as much for each wrong pick, never below 0, is nukedu's rule);
  true_false → true_false_question;
- numeric → numerical_question, the answer with its margin; short_text → short_answer_question,
  one accepted text each (no `pattern`, named in a warning);
- matching → matching_question, distractors as extra choices, credit per pair as in nukedu;
- essay → essay_question, graded by hand (Canvas has no marker-only text: the rubric and the outline
  of a full answer go into the general feedback shown after submission);
- ordering: Canvas classic quizzes have no ordering question, so each becomes a matching question
  "position 1, 2, ... → item", credited per item in its right place rather than per pair in order;
  a warning names them.

Identifiers: the item of question `q` is `nukedu_<q.id>`; choices and feedback take hashes of the
question id and the choice's text, so re-exporting the same bank gives the same identifiers. Hints
have no place in QTI for Canvas and are left out (the warning says how many).
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Sequence

from ..model import (
    Bank, Essay, Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice, TrueFalse,
)
from .common import (
    COURSE_TITLE, Exported, feedback_html, grader_html, html_paragraphs, html_text, listed, number_text, plural,
    shown_choices, shown_items, stable_id, unit_note,
)

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
QUESTION_TYPES = {
    "single": "multiple_choice_question", "multiple": "multiple_answers_question",
    "true_false": "true_false_question", "numeric": "numerical_question", "short_text": "short_answer_question",
    "matching": "matching_question", "ordering": "matching_question", "essay": "essay_question",
}
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same questions give the same bytes


def item_ident(q: Question) -> str:
    return f"nukedu_{q.id}"


def choice_ident(q: Question, role: str, text: str) -> str:
    return f"c{stable_id(q.id, role, text, length=12)}"


def export_qti(questions: Sequence[Question], bank: Bank, *, title: str = COURSE_TITLE) -> Exported:
    """The questions as a Canvas quiz package (zip bytes)."""
    quiz_id = f"nukedu_{stable_id(title, *(q.id for q in questions))}"
    points = sum(q.points for q in questions)
    files = {
        "imsmanifest.xml": _manifest(quiz_id),
        f"{quiz_id}/{quiz_id}.xml": _assessment(questions, quiz_id, title),
        f"{quiz_id}/assessment_meta.xml": _meta(quiz_id, title, points),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr(zipfile.ZipInfo("non_cc_assessments/", ZIP_DATE), b"")
    return Exported(data=buffer.getvalue(), format="qti", questions=len(questions), warnings=_warnings(questions))


def _warnings(questions: Sequence[Question]) -> tuple[str, ...]:
    out = []
    ordering = [q.id for q in questions if isinstance(q, Ordering)]
    if ordering:
        out.append(f"Canvas has no ordering question: {plural(len(ordering), 'ordering question')} become matching "
                   f"questions (each position matched with its item), credited per item in the right place rather "
                   f"than per pair in order: {listed(ordering)}")
    patterns = [q.id for q in questions if isinstance(q, ShortText) and q.pattern]
    if patterns:
        out.append(f"Canvas short answers have no regular expressions: {plural(len(patterns), 'short_text question')} "
                   f"accept only their listed texts, not their pattern: {listed(patterns)}")
    hinted = sum(1 for q in questions if q.hints)
    if hinted:
        out.append(f"Canvas quizzes have no hints: the hints of {plural(hinted, 'question')} are left out")
    return tuple(out)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode("utf-8")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _manifest(quiz_id: str) -> bytes:
    root = ET.Element("manifest", {"identifier": f"{quiz_id}_manifest", "xmlns": CP_NS})
    meta = _sub(root, "metadata")
    _sub(meta, "schema", "IMS Content")
    _sub(meta, "schemaversion", "1.1.3")
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    res = _sub(resources, "resource", identifier=quiz_id, type="imsqti_xmlv1p2")
    _sub(res, "file", href=f"{quiz_id}/{quiz_id}.xml")
    _sub(res, "dependency", identifierref=f"{quiz_id}_meta")
    meta_res = _sub(resources, "resource", identifier=f"{quiz_id}_meta",
                    type="associatedcontent/imscc_xmlv1p1/learning-application-resource",
                    href=f"{quiz_id}/assessment_meta.xml")
    _sub(meta_res, "file", href=f"{quiz_id}/assessment_meta.xml")
    return _xml(root)


def _meta(quiz_id: str, title: str, points: int) -> bytes:
    """Canvas's quiz settings: an unpublished graded quiz, answers shuffled, one attempt."""
    root = ET.Element("quiz", {"identifier": quiz_id, "xmlns": CANVAS_NS})
    for tag, value in (("title", title), ("description", ""), ("shuffle_answers", "true"),
                       ("scoring_policy", "keep_highest"), ("quiz_type", "assignment"),
                       ("points_possible", f"{points:.1f}"), ("show_correct_answers", "true"),
                       ("allowed_attempts", "1"), ("one_question_at_a_time", "false"), ("cant_go_back", "false"),
                       ("available", "false")):
        _sub(root, tag, value)
    assignment = _sub(root, "assignment", identifier=f"{quiz_id}_assignment")
    _sub(assignment, "title", title)
    _sub(assignment, "workflow_state", "unpublished")
    _sub(assignment, "quiz_identifierref", quiz_id)
    _sub(assignment, "points_possible", f"{points:.1f}")
    _sub(assignment, "grading_type", "points")
    _sub(assignment, "submission_types", "online_quiz")
    return _xml(root)


def _assessment(questions: Sequence[Question], quiz_id: str, title: str) -> bytes:
    root = ET.Element("questestinterop", {"xmlns": QTI_NS, "xmlns:xsi": XSI_NS,
                                          "xsi:schemaLocation": f"{QTI_NS} {QTI_XSD}"})
    assessment = _sub(root, "assessment", ident=quiz_id, title=title)
    meta = _sub(assessment, "qtimetadata")
    field = _sub(meta, "qtimetadatafield")
    _sub(field, "fieldlabel", "cc_maxattempts")
    _sub(field, "fieldentry", "1")
    section = _sub(assessment, "section", ident="root_section")
    for q in questions:
        section.append(_item(q))
    return _xml(root)


def _mattext(parent: ET.Element, html: str) -> None:
    _sub(_sub(parent, "material"), "mattext", html, texttype="text/html")


def _item(q: Question) -> ET.Element:
    item = ET.Element("item", ident=item_ident(q), title=q.id)
    answer_ids = _answer_ids(q)
    meta = _sub(_sub(item, "itemmetadata"), "qtimetadata")
    for label, entry in (("question_type", QUESTION_TYPES[q.type]), ("points_possible", number_text(q.points)),
                         ("original_answer_ids", ",".join(answer_ids)),
                         ("assessment_question_identifierref", f"nukedu_q_{stable_id(q.id)}")):
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)
    presentation = _sub(item, "presentation")
    body = html_paragraphs(q.prompt)
    if isinstance(q, Numeric):
        body += html_paragraphs(unit_note(q))
    elif isinstance(q, Ordering):
        body += html_paragraphs("Give each position its item (position 1 comes first).")
    _mattext(presentation, body)
    processing = _sub(item, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE", vartype="Decimal")
    general = _sub(processing, "respcondition", **{"continue": "Yes"})
    _sub(_sub(general, "conditionvar"), "other")
    _sub(general, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
    feedback: list[tuple[str, str]] = [("general_fb", feedback_html(q) + (grader_html(q) if isinstance(q, Essay) else ""))]
    feedback += _BODY[q.type](q, presentation, processing)
    for ident, html in feedback:
        _mattext(_sub(_sub(item, "itemfeedback", ident=ident), "flow_mat"), html)
    return item


def _answer_ids(q: Question) -> list[str]:
    if isinstance(q, (SingleChoice, MultipleChoice)):
        return [choice_ident(q, "option", o) for o in q.options]
    if isinstance(q, TrueFalse):
        return [choice_ident(q, "option", v) for v in ("True", "False")]
    if isinstance(q, Matching):
        return [choice_ident(q, "left", p.left) for p in q.pairs]
    if isinstance(q, Ordering):
        return [choice_ident(q, "position", str(i)) for i in range(1, len(q.items) + 1)]
    return []


def _choice_list(presentation: ET.Element, labels: list[tuple[str, str]], cardinality: str) -> None:
    render = _sub(_sub(presentation, "response_lid", ident="response1", rcardinality=cardinality), "render_choice")
    for ident, text in labels:
        _mattext(_sub(render, "response_label", ident=ident), html_text(text))


def _score(processing: ET.Element, condition: ET.Element, score: str = "100", action: str = "Set") -> None:
    cond = _sub(processing, "respcondition", **{"continue": "No" if action == "Set" else "Yes"})
    cond.append(condition)
    _sub(cond, "setvar", score, action=action, varname="SCORE")


def _varequal(parent: ET.Element, value: str, respident: str = "response1") -> ET.Element:
    return _sub(parent, "varequal", value, respident=respident)


def _option_feedback(processing: ET.Element, choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Feedback shown when a choice is picked: one condition and one itemfeedback per choice that has some."""
    out = []
    for ident, text in choices:
        if text:
            cond = _sub(processing, "respcondition", **{"continue": "Yes"})
            _varequal(_sub(cond, "conditionvar"), ident)
            _sub(cond, "displayfeedback", feedbacktype="Response", linkrefid=f"{ident}_fb")
            out.append((f"{ident}_fb", html_paragraphs(text)))
    return out


def _choices(q: SingleChoice | MultipleChoice, presentation: ET.Element, processing: ET.Element) -> list[tuple[str, str]]:
    labels = [(choice_ident(q, "option", o), o) for o in q.options]
    _choice_list(presentation, labels, "Single" if isinstance(q, SingleChoice) else "Multiple")
    out = _option_feedback(processing, [(i, q.feedback.get(o, "")) for i, o in labels])
    condition = ET.Element("conditionvar")
    if isinstance(q, SingleChoice):
        _varequal(condition, choice_ident(q, "option", q.answer))
    else:  # Canvas reads the right options from this condition and gives partial credit itself
        both = _sub(condition, "and")
        for ident, option in labels:
            _varequal(both if option in q.answers else _sub(both, "not"), ident)
    _score(processing, condition)
    return out


def _true_false(q: TrueFalse, presentation: ET.Element, processing: ET.Element) -> list[tuple[str, str]]:
    labels = [(choice_ident(q, "option", v), v) for v in ("True", "False")]
    _choice_list(presentation, labels, "Single")
    out = _option_feedback(processing, [(i, q.feedback.get(v.lower(), "")) for i, v in labels])
    condition = ET.Element("conditionvar")
    _varequal(condition, labels[0 if q.answer else 1][0])
    _score(processing, condition)
    return out


def _fib(presentation: ET.Element, fibtype: str) -> None:
    render = _sub(_sub(presentation, "response_str", ident="response1", rcardinality="Single"), "render_fib",
                  fibtype=fibtype)
    _sub(render, "response_label", ident="answer1", rshuffle="No")


def _numeric(q: Numeric, presentation: ET.Element, processing: ET.Element) -> list[tuple[str, str]]:
    _fib(presentation, "Decimal")
    condition = ET.Element("conditionvar")
    either = _sub(condition, "or")  # Canvas's "exact answer with margin"
    _varequal(either, number_text(q.answer))
    margin = _sub(either, "and")
    _sub(margin, "vargte", number_text(q.answer - q.tolerance), respident="response1")
    _sub(margin, "varlte", number_text(q.answer + q.tolerance), respident="response1")
    _score(processing, condition)
    return []


def _short_text(q: ShortText, presentation: ET.Element, processing: ET.Element) -> list[tuple[str, str]]:
    _fib(presentation, "String")
    condition = ET.Element("conditionvar")
    for text in q.accepted:
        _varequal(condition, text)
    _score(processing, condition)
    return []


def _pairs(q: Question, presentation: ET.Element, processing: ET.Element,
           pairs: list[tuple[str, str, str]], choices: list[str]) -> list[tuple[str, str]]:
    """Matching: one response per left text, every choice in each; each right pair adds its share."""
    share = f"{100 / len(pairs):.2f}"
    labels = [(choice_ident(q, "choice", c), c) for c in choices]
    for ident, left, right in pairs:
        lid = _sub(presentation, "response_lid", ident=f"response_{ident}")
        _sub(_sub(lid, "material"), "mattext", left, texttype="text/plain")
        render = _sub(lid, "render_choice")
        for label, text in labels:
            _sub(_sub(_sub(render, "response_label", ident=label), "material"), "mattext", text)
        condition = ET.Element("conditionvar")
        _varequal(condition, choice_ident(q, "choice", right), respident=f"response_{ident}")
        _score(processing, condition, share, action="Add")
    return []


def _matching(q: Matching, presentation: ET.Element, processing: ET.Element) -> list[tuple[str, str]]:
    pairs = [(choice_ident(q, "left", p.left), p.left, p.right) for p in q.pairs]
    return _pairs(q, presentation, processing, pairs, shown_choices(q))


def _ordering(q: Ordering, presentation: ET.Element, processing: ET.Element) -> list[tuple[str, str]]:
    pairs = [(choice_ident(q, "position", str(i)), f"Position {i}", item) for i, item in enumerate(q.items, start=1)]
    return _pairs(q, presentation, processing, pairs, shown_items(q))


def _essay(q: Essay, presentation: ET.Element, processing: ET.Element) -> list[tuple[str, str]]:
    _fib(presentation, "String")
    cond = _sub(processing, "respcondition", **{"continue": "No"})
    _sub(_sub(cond, "conditionvar"), "other")
    return []


_BODY = {"single": _choices, "multiple": _choices, "true_false": _true_false, "numeric": _numeric,
         "ordering": _ordering, "matching": _matching, "short_text": _short_text, "essay": _essay}
