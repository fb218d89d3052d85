"""Anki: the .apkg imported into a real collection by the `anki` package (the Anki app's own library).

Checks the note count, the decks, every field, and that importing a later export of an edited bank
updates the notes rather than adding copies.
"""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from nukedu import load_bank
from nukedu.errors import MissingExtraError
from nukedu.export.anki import export_anki, note_guid, question_fields, term_fields
from nukedu.model import Essay, Matching, Ordering

from .export_helpers import leaks, plain

pytest.importorskip("genanki")
collection = pytest.importorskip("anki.collection")
from anki.import_export_pb2 import ImportAnkiPackageUpdateCondition  # noqa: E402


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def import_package(col, path: Path):
    options = collection.ImportAnkiPackageOptions(
        update_notes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        update_notetypes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER)
    return col.import_anki_package(collection.ImportAnkiPackageRequest(package_path=str(path), options=options))


@pytest.fixture()
def col(tmp_path):
    c = collection.Collection(str(tmp_path / "collection.anki2"))
    yield c
    c.close()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def notes_by_guid(col) -> dict[str, object]:
    return {n.guid: n for n in (col.get_note(i) for i in col.find_notes(""))}


def test_package_imports_into_a_real_collection_with_every_note_and_field(bank, col, tmp_path):
    exported = export_anki(bank.questions, bank, timestamp=1_800_000_000)
    result = import_package(col, write(tmp_path, "bank.apkg", exported.data))
    assert len(result.log.new) == len(bank.questions) + len(bank.terms)
    assert col.note_count() == len(bank.questions) + len(bank.terms)
    notes = notes_by_guid(col)
    for q in bank.questions:
        note = notes[note_guid(q.id)]
        assert note.note_type()["name"] == "nukedu question"
        assert list(note.keys()) == ["Front", "Back", "Explanation", "Source", "Hints", "Id"]
        assert list(note.values()) == list(question_fields(q))
        assert plain(note["Id"]) == q.id
        card = note.cards()[0]
        assert col.decks.name(card.did) == f"Ukraine–NATO partnership::{bank.topic_title(q.topic)}"
        assert f"nukedu::{q.type}" in note.tags
    import genanki

    for term in bank.terms:
        note = notes[genanki.guid_for("nukedu-term", term.term)]
        assert list(note.values()) == list(term_fields(term))
        assert col.decks.name(note.cards()[0].did) == "Ukraine–NATO partnership::Glossary"
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {f"Ukraine–NATO partnership::{t.title}" for t in bank.topics} | {"Ukraine–NATO partnership::Glossary"} <= names


def test_back_holds_answer_explanation_and_source(bank):
    for q in bank.questions:
        front, back, explanation, source, hints, _ = question_fields(q)
        assert " ".join(q.explanation.split()) in plain(explanation)
        assert all(c.quote in plain(source) for c in q.sources)
        assert all(" ".join(h.split()) in plain(hints) for h in q.hints) and (hints == "") == (not q.hints)
        if isinstance(q, Ordering):
            assert back.startswith("<ol>") and [plain(x) for x in back[4:-5].split("</li>") if x] == list(q.items)
        elif isinstance(q, Matching):
            assert back.startswith("<ul>") and all(f"{p.left} → {p.right}" in plain(back) for p in q.pairs)
        elif isinstance(q, Essay):
            assert all(c.criterion in plain(back) for c in q.rubric)


def test_a_second_import_of_a_reexport_updates_instead_of_duplicating(bank, col, tmp_path):
    import_package(col, write(tmp_path, "first.apkg", export_anki(bank.questions, bank, timestamp=1_800_000_000).data))
    edited_q = bank.questions[3]
    edited = [dataclasses.replace(q, explanation="A corrected explanation.") if q.id == edited_q.id else q
              for q in bank.questions]
    second = export_anki(edited, bank, timestamp=1_800_000_600)
    result = import_package(col, write(tmp_path, "second.apkg", second.data))
    assert col.note_count() == len(bank.questions) + len(bank.terms)
    assert len(result.log.new) == 0
    # Anki replaces every note that comes newer, the edited one among them; none is added twice
    assert notes_by_guid(col)[note_guid(edited_q.id)].id in {n.id.nid for n in result.log.updated}
    assert len(result.log.updated) + len(result.log.duplicate) == col.note_count()
    assert notes_by_guid(col)[note_guid(edited_q.id)]["Explanation"] == "<p>A corrected explanation.</p>"


def test_guids_come_from_question_ids(bank):
    import genanki

    assert note_guid(bank.questions[0].id) == genanki.guid_for("nukedu", bank.questions[0].id)
    assert len({note_guid(q.id) for q in bank.questions}) == len(bank.questions)


def test_selection_without_glossary(bank, col, tmp_path):
    chosen = bank.by_topic("beginnings")
    result = import_package(col, write(tmp_path, "b.apkg", export_anki(chosen, bank, glossary=False).data))
    assert len(result.log.new) == col.note_count() == len(chosen)
    assert not any(d.name.endswith("Glossary") for d in col.decks.all_names_and_ids())


def test_front_never_gives_the_key_away(bank):
    for q in bank.questions:
        assert leaks(q, plain(question_fields(q)[0])) == [], q.id


def test_missing_genanki_names_the_extra(bank, monkeypatch):
    monkeypatch.setitem(sys.modules, "genanki", None)
    with pytest.raises(MissingExtraError, match=r"nukedu\[export\]"):
        export_anki(bank.questions[:1], bank)
