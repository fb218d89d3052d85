"""QTI 1.2 for Canvas: the zip opened and parsed with lxml, every element Canvas's importer needs checked,
identifiers unique and stable, and each item read back into the bank's question.

No package on PyPI ships the IMS QTI 1.2 schema for an offline check, so the structure test checks
names, references and scores element by element (the layout Canvas's own exports and text2qti use).
"""
from __future__ import annotations

import io
import zipfile

import pytest

from nukedu import load_bank
from nukedu.export.qti import QTI_NS, choice_ident, export_qti, item_ident
from nukedu.model import (
    Essay, Matching, MultipleChoice, Numeric, Ordering, ShortText, SingleChoice, TrueFalse,
)
from nukedu.present import citation_text

from .export_helpers import leaks, plain, tricky_questions

etree = pytest.importorskip("lxml.etree")
NS = {"q": QTI_NS}
CANVAS_TYPES = {"multiple_choice_question", "multiple_answers_question", "true_false_question",
                "numerical_question", "short_answer_question", "matching_question", "essay_question"}


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture(scope="module")
def exported(bank):
    return export_qti(bank.questions, bank)


def open_package(data: bytes) -> tuple[dict[str, bytes], object, object]:
    """The zip's files, the parsed assessment and the parsed quiz settings, checking the manifest on the way."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        files = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    manifest = etree.fromstring(files["imsmanifest.xml"])
    hrefs = [f.get("href") for f in manifest.iter("{*}file")]
    assert hrefs and all(h in files for h in hrefs)
    resources = {r.get("identifier"): r for r in manifest.iter("{*}resource")}
    qti = next(r for r in resources.values() if r.get("type") == "imsqti_xmlv1p2")
    assert qti.find("{*}dependency").get("identifierref") in resources
    assessment = etree.fromstring(files[qti.find("{*}file").get("href")])
    meta_href = next(h for h in hrefs if h.endswith("assessment_meta.xml"))
    meta = etree.fromstring(files[meta_href])
    return files, assessment, meta


def fields(item) -> dict[str, str]:
    return {f.findtext("q:fieldlabel", namespaces=NS): f.findtext("q:fieldentry", namespaces=NS) or ""
            for f in item.iterfind("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", NS)}


@pytest.fixture(scope="module")
def items(exported):
    _, assessment, _ = open_package(exported.data)
    return {i.get("ident"): i for i in assessment.iterfind(".//q:item", NS)}


def test_package_is_one_canvas_quiz_with_every_question(bank, exported):
    files, assessment, meta = open_package(exported.data)
    assert assessment.tag == f"{{{QTI_NS}}}questestinterop"
    quiz = assessment.find("q:assessment", NS)
    assert meta.get("identifier") == quiz.get("ident")
    assert meta.findtext("{*}title") == quiz.get("title") == "Ukraine–NATO partnership"
    assert float(meta.findtext("{*}points_possible")) == sum(q.points for q in bank.questions)
    idents = [i.get("ident") for i in quiz.iterfind(".//q:item", NS)]
    assert idents == [item_ident(q) for q in bank.questions]
    assert exported.questions == len(bank.questions)


def test_structure_of_every_item(bank, items):
    """What Canvas reads: type and points, one response per blank, references that resolve, scores that add up."""
    for q in bank.questions:
        item = items[item_ident(q)]
        meta = fields(item)
        assert meta["question_type"] in CANVAS_TYPES
        assert float(meta["points_possible"]) == q.points
        assert plain(item.findtext("q:presentation/q:material/q:mattext", namespaces=NS))
        responses = {r.get("ident"): r for r in item.iterfind("q:presentation/*", NS) if r.tag.endswith(("response_lid", "response_str"))}
        assert responses, q.id
        for response in responses.values():
            labels = [lab.get("ident") for lab in response.iter("{*}response_label")]
            assert labels and len(labels) == len(set(labels)), q.id
        feedback_ids = [f.get("ident") for f in item.iterfind("q:itemfeedback", NS)]
        assert len(feedback_ids) == len(set(feedback_ids))
        for cond in item.iterfind("q:resprocessing/q:respcondition", NS):
            for link in cond.iterfind("q:displayfeedback", NS):
                assert link.get("linkrefid") in feedback_ids
            for var in cond.iter("{*}varequal", "{*}vargte", "{*}varlte"):
                response = responses[var.get("respident")]
                if response.tag.endswith("response_lid"):
                    assert var.text in [lab.get("ident") for lab in response.iter("{*}response_label")]
        sets = [float(s.text) for s in item.iterfind(".//q:setvar[@action='Set']", NS)]
        adds = [float(s.text) for s in item.iterfind(".//q:setvar[@action='Add']", NS)]
        if meta["question_type"] == "matching_question":
            assert sum(adds) == pytest.approx(100, abs=0.05) and not sets
        elif meta["question_type"] != "essay_question":
            assert sets == [100.0] and not adds
        if meta["question_type"] in ("multiple_choice_question", "multiple_answers_question", "true_false_question"):
            labels = [lab.get("ident") for lab in item.iter("{*}response_label")]
            assert meta["original_answer_ids"].split(",") == labels


def read_item(item) -> dict:
    """A Canvas item back as plain data: choices, the right ones, numbers, texts, pairs, feedback."""
    def label_texts(node):
        return {lab.get("ident"): plain(lab.findtext(".//q:mattext", namespaces=NS)) for lab in node.iter("{*}response_label")}

    labels = label_texts(item)
    score = [c for c in item.iterfind("q:resprocessing/q:respcondition", NS) if c.find("q:setvar", NS) is not None]
    out = {"type": fields(item)["question_type"], "labels": labels,
           "feedback": {f.get("ident"): plain(f.findtext(".//q:mattext", namespaces=NS)) for f in item.iterfind("q:itemfeedback", NS)}}
    if out["type"] == "matching_question":
        pairs = []
        for lid in item.iterfind("q:presentation/q:response_lid", NS):
            cond = next(c for c in score if c.find(".//q:varequal", NS).get("respident") == lid.get("ident"))
            pairs.append((plain(lid.findtext("q:material/q:mattext", namespaces=NS)), labels[cond.findtext(".//q:varequal", namespaces=NS)]))
        out["pairs"], out["choices"] = pairs, list(label_texts(item.find("q:presentation/q:response_lid", NS)).values())
    elif score:
        cond = score[0].find("q:conditionvar", NS)
        out["right"] = [v.text for v in cond.iter("{*}varequal") if v.getparent().tag != f"{{{QTI_NS}}}not"]
        out["wrong"] = [v.text for v in cond.iterfind(".//q:not/q:varequal", NS)]
        out["range"] = (cond.findtext(".//q:vargte", namespaces=NS), cond.findtext(".//q:varlte", namespaces=NS))
    return out


def test_round_trip_matches_the_bank(bank, items):
    for q in bank.questions:
        item = items[item_ident(q)]
        r = read_item(item)
        assert plain(item.findtext("q:presentation/q:material/q:mattext", namespaces=NS)).startswith(" ".join(q.prompt.split()))
        general = r["feedback"]["general_fb"]
        assert " ".join(q.explanation.split()) in general and all(citation_text(c) in general for c in q.sources)
        option_feedback = {r["labels"][k[:-3]]: v for k, v in r["feedback"].items() if k != "general_fb"}
        if isinstance(q, SingleChoice):
            assert r["type"] == "multiple_choice_question"
            assert list(r["labels"].values()) == list(q.options)
            assert [r["labels"][i] for i in r["right"]] == [q.answer]
            assert option_feedback == {k: " ".join(v.split()) for k, v in q.feedback.items()}
        elif isinstance(q, MultipleChoice):
            assert r["type"] == "multiple_answers_question"
            assert {r["labels"][i] for i in r["right"]} == set(q.answers)
            assert {r["labels"][i] for i in r["wrong"]} == set(q.options) - set(q.answers)
            assert option_feedback == {k: " ".join(v.split()) for k, v in q.feedback.items()}
        elif isinstance(q, TrueFalse):
            assert r["type"] == "true_false_question" and sorted(r["labels"].values()) == ["False", "True"]
            assert [r["labels"][i] for i in r["right"]] == ["True" if q.answer else "False"]
            assert option_feedback == {k.capitalize(): " ".join(v.split()) for k, v in q.feedback.items()}
        elif isinstance(q, Numeric):
            assert r["type"] == "numerical_question"
            assert [float(v) for v in r["right"]] == [q.answer]
            assert tuple(map(float, r["range"])) == (q.answer - q.tolerance, q.answer + q.tolerance)
        elif isinstance(q, ShortText):
            assert r["type"] == "short_answer_question" and r["right"] == list(q.accepted)
        elif isinstance(q, Matching):
            assert r["pairs"] == [(p.left, p.right) for p in q.pairs]
            assert sorted(r["choices"]) == sorted(q.choices)  # distractors offered too
        elif isinstance(q, Ordering):
            assert r["pairs"] == [(f"Position {i}", item_) for i, item_ in enumerate(q.items, start=1)]
        elif isinstance(q, Essay):
            assert r["type"] == "essay_question" and all(c.criterion in general for c in q.rubric)


def test_identifiers_are_stable_across_exports(bank, exported):
    again = export_qti(bank.questions, bank)
    assert again.data == exported.data  # the same bank gives the same package, byte for byte
    part = list(reversed(bank.questions[::7]))
    _, assessment, _ = open_package(export_qti(part, bank).data)
    _, full, _ = open_package(exported.data)
    whole = {i.get("ident"): i for i in full.iterfind(".//q:item", NS)}
    for item in assessment.iterfind(".//q:item", NS):
        same = whole[item.get("ident")]
        assert [lab.get("ident") for lab in item.iter("{*}response_label")] == [lab.get("ident") for lab in same.iter("{*}response_label")]
    q = bank.questions[0]
    assert choice_ident(q, "option", q.options[0]) == choice_ident(q, "option", q.options[0])
    assert item_ident(q) == f"nukedu_{q.id}"


def test_identifiers_are_unique_in_the_package(exported):
    _, assessment, _ = open_package(exported.data)
    idents = [el.get("ident") for el in assessment.iter("{*}item", "{*}assessment", "{*}section")]
    assert len(idents) == len(set(idents))


def test_nothing_visible_before_answering_gives_the_key_away(bank, items):
    for q in bank.questions:
        presentation = items[item_ident(q)].find("q:presentation", NS)
        visible = " ".join(plain(t.text) for t in presentation.iter("{*}mattext"))
        assert leaks(q, visible) == [], q.id


def test_warnings_name_ordering_conversions(bank, exported):
    warning = next(w for w in exported.warnings if "ordering" in w)
    assert "matching" in warning and bank.by_type("ordering")[0].id in warning


def test_special_characters_survive(bank):
    tricky = tricky_questions(bank)
    _, assessment, meta = open_package(export_qti(tricky, bank, title="Quiz <1> & 'more'").data)
    assert meta.findtext("{*}title") == "Quiz <1> & 'more'"
    items = {i.get("ident"): i for i in assessment.iterfind(".//q:item", NS)}
    single = read_item(items["nukedu_tricky-single"])
    assert list(single["labels"].values()) == [" ".join(o.split()) for o in tricky[0].options]
    assert read_item(items["nukedu_tricky-matching"])["pairs"] == [(p.left, p.right) for p in tricky[1].pairs]
    assert read_item(items["nukedu_tricky-short"])["right"] == list(tricky[2].accepted)
