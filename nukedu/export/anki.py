"""Anki decks (.apkg, written by genanki): one sub-deck per topic under one course deck, and the glossary.

Each question is one note: the prompt (with its options, or its items shuffled, or both sides of
a matching) on the front, its hints behind Anki's "show hint" link; the answer, the explanation
and the source lines on the back. Ordering
and matching answers are lists. A note's GUID is derived from the question id, so importing a
later export updates the notes already in a collection instead of adding copies (Anki updates a
note when the incoming one is newer, which is why the package is stamped with the time it was
written). Glossary terms go to a deck of their own, one note per term.

genanki comes with the `export` extra; it is imported only here.
"""
from __future__ import annotations

import io
from collections.abc import Sequence

from ..errors import MissingExtraError
from ..model import (
    Bank, Essay, GlossaryTerm, Matching, MultipleChoice, Numeric, Ordering, Question, ShortText, SingleChoice,
    TrueFalse,
)
from ..present import citation_text, correct_answer_text
from .common import (
    COURSE_TITLE, Exported, grader_html, html_list, html_paragraphs, html_text, shown_choices, shown_items,
    sources_text, stable_id, topic_groups, topic_title, unit_note,
)

# Fixed note type ids: a later export's notes have the same note type, so Anki can update them.
QUESTION_MODEL_ID = 1_741_170_017
GLOSSARY_MODEL_ID = 1_741_170_018
QUESTION_FIELDS = ("Front", "Back", "Explanation", "Source", "Hints", "Id")
GLOSSARY_FIELDS = ("Term", "Description", "Source")
CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; max-width: 40em; margin: auto; }
.nukedu-note { color: #666; font-size: 15px; }
.nukedu-explanation { margin-top: 1em; }
.nukedu-source { margin-top: 1em; color: #666; font-size: 14px; }
"""
FRONT = '{{Front}}{{#Hints}}<div class="nukedu-note">{{hint:Hints}}</div>{{/Hints}}'  # hints behind a click
BACK = ('{{FrontSide}}<hr id="answer">{{Back}}<div class="nukedu-explanation">{{Explanation}}</div>'
        '<div class="nukedu-source">{{Source}}</div>')


def deck_id(name: str) -> int:
    """A deck id fixed by the deck's name, in the range Anki and genanki expect."""
    return (1 << 30) + int(stable_id("deck", name, length=8), 16) % (1 << 30)


def note_guid(question_id: str) -> str:
    import genanki

    return genanki.guid_for("nukedu", question_id)


def export_anki(questions: Sequence[Question], bank: Bank, *, title: str = COURSE_TITLE, glossary: bool = True,
                timestamp: float | None = None) -> Exported:
    """The questions (and the bank's glossary unless `glossary=False`) as an .apkg; `timestamp` defaults to now."""
    try:
        import genanki
    except ImportError as exc:
        raise MissingExtraError("Anki export needs genanki: pip install 'nukedu[export]'") from exc
    course = _deck_name(title)
    model = genanki.Model(QUESTION_MODEL_ID, "nukedu question", fields=[{"name": f} for f in QUESTION_FIELDS],
                          templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}], css=CSS)
    decks = []
    for topic, group in topic_groups(questions):
        name = f"{course}::{_deck_name(topic_title(bank, topic))}" if topic else course
        deck = genanki.Deck(deck_id(name), name)
        for q in group:
            deck.add_note(genanki.Note(model=model, fields=list(question_fields(q)), guid=note_guid(q.id),
                                       tags=_tags(q)))
        decks.append(deck)
    terms = bank.terms if glossary else ()
    if terms:
        term_model = genanki.Model(GLOSSARY_MODEL_ID, "nukedu glossary term",
                                   fields=[{"name": f} for f in GLOSSARY_FIELDS],
                                   templates=[{"name": "Term", "qfmt": "{{Term}}",
                                               "afmt": '{{FrontSide}}<hr id="answer">{{Description}}'
                                                       '<div class="nukedu-source">{{Source}}</div>'}], css=CSS)
        name = f"{course}::Glossary"
        deck = genanki.Deck(deck_id(name), name)
        for term in terms:
            deck.add_note(genanki.Note(model=term_model, fields=list(term_fields(term)),
                                       guid=genanki.guid_for("nukedu-term", term.term), tags=[f"nukedu::{term.kind}"]))
        decks.append(deck)
    buffer = io.BytesIO()
    genanki.Package(decks).write_to_file(buffer, timestamp=timestamp)
    warnings = ()
    if not questions and not terms:
        warnings = ("the package holds no notes",)
    return Exported(data=buffer.getvalue(), format="anki", questions=len(questions), warnings=warnings)


def _deck_name(name: str) -> str:
    return name.replace("::", ":").strip() or COURSE_TITLE  # `::` would nest decks


def _tags(q: Question) -> list[str]:
    own = [t.replace(" ", "_") for t in q.tags]
    return [*own, f"nukedu::{q.type}", f"nukedu::difficulty-{q.difficulty}", *([f"nukedu::{q.topic}"] if q.topic else [])]


def _note(text: str) -> str:
    return f'<p class="nukedu-note">{html_text(text)}</p>'


def question_fields(q: Question) -> tuple[str, str, str, str, str, str]:
    """Front, Back, Explanation, Source, Hints and Id of a question's note, as HTML."""
    return (_front(q), _back(q), html_paragraphs(q.explanation),
            "<br>".join(html_text(s) for s in sources_text(q)), html_paragraphs(*q.hints), html_text(q.id))


def _front(q: Question) -> str:
    out = html_paragraphs(q.prompt)
    if isinstance(q, (SingleChoice, MultipleChoice)):
        out += html_list(q.options)
        if isinstance(q, MultipleChoice):
            out += _note("Choose every option that applies.")
    elif isinstance(q, TrueFalse):
        out += _note("True or false?")
    elif isinstance(q, Numeric):
        out += _note(unit_note(q))
    elif isinstance(q, Ordering):
        out += _note("Put in order:") + html_list(shown_items(q))
    elif isinstance(q, Matching):
        out += _note("Match:") + html_list(q.lefts) + _note("with:") + html_list(shown_choices(q))
    elif isinstance(q, ShortText):
        out += _note("Answer in a word or short phrase.")
    elif isinstance(q, Essay):
        out += _note(f"Essay{f' (at least {q.min_words} words)' if q.min_words else ''}.")
    return out


def _back(q: Question) -> str:
    if isinstance(q, MultipleChoice):
        return html_list(q.answers)
    if isinstance(q, Ordering):
        return html_list(q.items, ordered=True)
    if isinstance(q, Matching):
        return html_list(f"{p.left} → {p.right}" for p in q.pairs)
    if isinstance(q, Essay):
        return grader_html(q)
    return html_paragraphs(correct_answer_text(q))


def term_fields(term: GlossaryTerm) -> tuple[str, str, str]:
    """Term (with its expansion), description and source of a glossary note."""
    head = html_text(term.term) + (f" ({html_text(term.expansion)})" if term.expansion else "")
    return (head, html_paragraphs(term.description) + _note(term.kind),
            "<br>".join(html_text(citation_text(c)) for c in term.sources))
