"""Every validation rule, each with a bad file and the exact place and message it must report."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nukedu import BankError, load_bank
from nukedu.loader import SourceCheck, parse_glossary, parse_questions, parse_timeline, source_check
from nukedu.model import Essay, Matching, Numeric, SingleChoice, TrueFalse

from .conftest import MINI_BANK

SAMPLE = (MINI_BANK / "questions" / "sample.yaml").read_text(encoding="utf-8")
TIMELINE = (MINI_BANK / "timeline.yaml").read_text(encoding="utf-8")


def issues_of(text: str, parse=parse_questions, check: SourceCheck | None = None) -> list[str]:
    found: list = []
    parse(text, "bad.yaml", check or SourceCheck(), found)
    return [str(i) for i in found]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing `needle`."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[nth - 1]


def mutate(old: str, new: str, text: str = SAMPLE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_sample_bank_loads_every_type(mini_bank):
    kinds = {q.type for q in mini_bank.questions}
    assert kinds == {"single", "multiple", "true_false", "numeric", "ordering", "matching", "short_text", "essay"}
    q = mini_bank.question("sample-single")
    assert isinstance(q, SingleChoice) and q.answer == "December 1991" and q.options[1] == "1994"
    assert q.topic == "sample" and q.span.line == 4
    assert isinstance(mini_bank.question("sample-true-false"), TrueFalse)
    assert mini_bank.question("sample-true-false").answer is False
    assert mini_bank.question("sample-numeric").answer == 1997
    assert mini_bank.question("sample-essay").points == 4
    m = mini_bank.question("sample-matching")
    assert isinstance(m, Matching) and m.choices[-1] == "North Atlantic Cooperation Council"
    assert [e.id for e in mini_bank.events_in()] == ["ev-1991-nacc", "ev-1994-pfp", "ev-1997-charter"]
    assert str(mini_bank.event("ev-1997-charter").date) == "7 July 1997"
    assert mini_bank.term("pfp").expansion == "Partnership for Peace"


def test_bank_lookups(mini_bank):
    assert [q.id for q in mini_bank.by_tag("nuclear")] == ["sample-multiple"]
    assert len(mini_bank.by_difficulty(1)) == 5
    assert [q.id for q in mini_bank.by_type("essay")] == ["sample-essay"]
    assert len(mini_bank.filter(topic="sample", types=["single", "multiple"], difficulty=1)) == 1
    assert mini_bank.topic_title("sample") == "A sample of every question type"
    with pytest.raises(KeyError):
        mini_bank.question("nope")


@pytest.mark.parametrize(
    "old,new,needle,expected",
    [
        ("    answer: December 1991\n", "    answer: December 1992\n", "answer: December 1992",
         "questions[0].answer: 'December 1992' is not among the options ('December 1991', '1994', 'July 1997', '2008')"),
        ("    difficulty: 1\n", "    difficulty: 4\n", "difficulty: 4",
         "questions[0].difficulty: expected a whole number from 1 to 3, found 4"),
        ("    difficulty: 1\n", "    difficulty: easy\n", "difficulty: easy",
         "questions[0].difficulty: expected a whole number, found 'easy'"),
        ("    prompt: When did Ukraine join the North Atlantic Cooperation Council?\n", "    prompt: ''\n", "prompt: ''",
         "questions[0].prompt: must not be empty"),
        ("    tags: [institutions]\n", "    tags: [institutions]\n    colour: red\n", "colour: red",
         "questions[0].colour: unknown field 'colour'; expected one of: id, type, difficulty, prompt, explanation, sources, options, answer, hints, tags, points, feedback"),
        ("    tags: [institutions]\n", "    tags: [institutions]\n    difficulty: 2\n", "difficulty: 2",
         "questions[0].difficulty: duplicate key 'difficulty' (first given on line 6)"),
        ("    type: single\n", "    type: singel\n", "type: singel",
         "questions[0].type: unknown question type 'singel'; expected one of: single, multiple, true_false, numeric, ordering, matching, short_text, essay"),
        ("      China: China joined", "      Chile: China joined", "Chile:",
         "questions[1].feedback.Chile: unknown field 'Chile'; expected one of: Russia, the United Kingdom, the US, China, Poland"),
        ("    answers: [Russia, the United Kingdom, the US]", "    answers: [Russia, the UK]", "answers: [Russia, the UK]",
         "questions[1].answers[1]: 'the UK' is not among the options ('Russia', 'the United Kingdom', 'the US', 'China', 'Poland')"),
        ("    answer: false\n", "    answer: nope\n", "answer: nope",
         "questions[2].answer: expected true or false, found 'nope'"),
        ("    tolerance: 0\n", "    tolerance: -1\n", "tolerance: -1",
         "questions[3].tolerance: expected a number of at least 0, found -1"),
        ("      - Ukraine joins the Partnership for Peace\n", "      - Ukraine joins the North Atlantic Cooperation Council\n",
         "Ukraine joins the North Atlantic Cooperation Council", None),
        ("      - {left: NRC, right: NATO-Russia Council}", "      - {left: NRC, right: Partnership for Peace}", "left: NRC",
         "questions[5].pairs[1].right: 'Partnership for Peace' appears on the right of two pairs; each must be distinct"),
        ("    distractors: [North Atlantic Cooperation Council]", "    distractors: [Membership Action Plan]", "distractors:",
         "questions[5].distractors[0]: 'Membership Action Plan' is already the right-hand side of a pair"),
        ('    pattern: "bydgoszcz(, poland)?"', '    pattern: "bydgoszcz(, poland?"', "pattern:",
         "questions[6].pattern: not a valid regular expression: missing ), unterminated subpattern at position 9"),
        ("      - {criterion: Links the warning to the Budapest Memorandum, points: 2}",
         "      - {criterion: Links the warning to the Budapest Memorandum, points: 0}", "points: 0",
         "questions[7].rubric[0].points: expected a whole number from 1 to 100, found 0"),
        ("    sources: [{doc: partnership-2024, line: 9, quote: \"assurances from three nuclear states\"}]",
         "    sources: [{doc: partnership-2025, line: 9, quote: \"assurances from three nuclear states\"}]", "partnership-2025",
         "questions[1].sources[0].doc: unknown doc 'partnership-2025'; expected one of: partnership-2024, anniversary-2022"),
        ("    sources: [{doc: partnership-2024, line: 11, quote: \"In 1997 they succeeded\"}]",
         "    sources: [{doc: partnership-2024, line: 99, quote: \"In 1997 they succeeded\"}]", "line: 99",
         "questions[3].sources[0].line: expected a whole number from 1 to 52, found 99"),
        ("quote: \"illusions of security\"", "quote: \"one two three four five six seven eight nine ten eleven\"", "eleven",
         "questions[7].sources[0].quote: evidence fragment has 11 words; keep it to at most 10"),
        ("  - id: sample-numeric\n", "  - id: Sample Numeric\n", "Sample Numeric",
         "questions[3].id: expected an id of lower-case letters, digits and '-', found 'Sample Numeric'"),
    ],
)
def test_each_rule_reports_place_field_and_expectation(old, new, needle, expected):
    text = mutate(old, new)
    got = issues_of(text)
    if expected is None:  # the ordering case: a repeated item
        line = line_of(text, needle, 2)
        assert got == [f"bad.yaml:{line}:9: questions[4].items[1]: 'Ukraine joins the North Atlantic Cooperation Council' is listed twice (also at [0])"]
        return
    line = line_of(text, needle)
    assert len(got) == 1, got
    location, message = got[0].split(": ", 1)
    assert location.startswith(f"bad.yaml:{line}:"), got
    assert message == expected


def test_missing_fields_are_all_named():
    text = mutate("    explanation: The article dates it to December 1991, after the Soviet Union dissolved.\n", "")
    text = mutate("    options: [December 1991, \"1994\", July 1997, \"2008\"]\n", "", text)
    assert issues_of(text)[0] == "bad.yaml:4:5: questions[0]: missing required fields 'explanation', 'options'"


def test_all_errors_in_one_pass():
    text = mutate("    difficulty: 1\n", "    difficulty: 9\n")
    text = mutate("    answer: 1997\n", "    answer: nineteen\n", text)
    text = mutate("    min_words: 60\n", "    min_words: 60\n    extra: 1\n", text)
    got = issues_of(text)
    assert [g.split(": ")[1] for g in got] == ["questions[0].difficulty", "questions[3].answer", "questions[7].extra"]


def test_wrong_top_level_type_and_empty_file():
    assert issues_of("- just\n- a list\n") == ["bad.yaml:1:1: expected a mapping with fields topic, title, questions, found a list"]
    assert issues_of("") == ["bad.yaml:1:1: the file is empty; expected fields topic, title, questions"]
    assert issues_of("topic: x\ntitle: y\nquestions: []\n") == ["bad.yaml:3:12: questions: expected at least 1 entries, found 0"]


def test_malformed_yaml_gives_parser_position():
    got = issues_of("topic: x\ntitle: [unclosed\nquestions: 3\n")
    assert len(got) == 1 and got[0].startswith("bad.yaml:3:") and "YAML syntax error" in got[0]


def test_no_object_construction():
    got = issues_of("topic: !!python/object:os.system x\ntitle: t\nquestions: []\n")
    assert got and all("bad.yaml" in g for g in got)


def test_quote_must_occur_in_cited_line():
    check = SourceCheck({"partnership-2024": ["line one", "In December 1991, it joined"] + ["x"] * 50})
    text = "\n".join(SAMPLE.splitlines()[:17]).replace("line: 5", "line: 2")
    assert issues_of(text, check=check) == []
    bad = text.replace('quote: "In December 1991"', 'quote: "In January 1991"')
    assert issues_of(bad, check=check) == [
        f"bad.yaml:{line_of(bad, 'January 1991')}:55: questions[0].sources[0].quote: line 2 of partnership-2024 does not contain 'In January 1991'"
    ]


def test_quote_comparison_normalises_quotes_and_whitespace():
    check = SourceCheck({"partnership-2024": ["Ukraine’s   defensive “war”"] * 52})
    text = "\n".join(SAMPLE.splitlines()[:17]).replace('quote: "In December 1991"', "quote: 'Ukraine''s defensive \"war\"'")
    assert issues_of(text, check=check) == []


def test_real_sources_are_checked(require_sources, repo):
    check = source_check(repo / "question_bank")
    assert "partnership-2024" in check.lines and len(check.lines["partnership-2024"]) == 52
    assert len(check.lines["anniversary-2022"]) == 22
    assert issues_of(SAMPLE, check=check) == []


def test_duplicate_ids_across_files(mini_bank_dir: Path):
    (mini_bank_dir / "questions" / "other.yaml").write_text(
        SAMPLE.replace("topic: sample", "topic: other"), encoding="utf-8"
    )
    with pytest.raises(BankError) as err:
        load_bank(mini_bank_dir)
    lines = [str(i) for i in err.value.issues]
    assert len(lines) == 8
    first, second = (mini_bank_dir / "questions" / n for n in ("other.yaml", "sample.yaml"))
    assert lines[0] == f"{second}:4:5: id: duplicate id 'sample-single' (first at {first}:4:5)"


def test_event_and_question_ids_share_one_namespace(mini_bank_dir: Path):
    path = mini_bank_dir / "timeline.yaml"
    path.write_text(path.read_text().replace("id: ev-1994-pfp", "id: sample-essay"))
    with pytest.raises(BankError) as err:
        load_bank(mini_bank_dir)
    assert [i.message for i in err.value.issues] == [
        f"duplicate id 'sample-essay' (first at {mini_bank_dir / 'questions' / 'sample.yaml'}:81:5)"
    ]


@pytest.mark.parametrize(
    "old,new,expected",
    [
        ("    year: 1994\n", "    year: 1999\n", "events[1].year: 1999 is outside the era 'beginnings' (1991–1996)"),
        ("    era: distinctive-partnership\n", "    era: golden-age\n",
         "events[2].era: unknown era 'golden-age'; expected one of: beginnings, distinctive-partnership"),
        ("    day: 7\n", "    day: 32\n", "events[2].day: expected a whole number from 1 to 31, found 32"),
        ("    month: 12\n", "    month: 13\n", "events[0].month: expected a whole number from 1 to 12, found 13"),
        ("start: 1997, end: 2003", "start: 1995, end: 2003",
         "eras[1].start: era 'distinctive-partnership' starts in 1995, before the previous era 'beginnings' ends (1996)"),
    ],
)
def test_timeline_rules(old, new, expected):
    text = TIMELINE.replace(old, new, 1)
    assert text != TIMELINE
    got = issues_of(text, parse=parse_timeline)
    assert [g.split(": ", 1)[1] for g in got] == [expected]


def test_event_kind_defaults_to_event_and_accepts_publication():
    assert {e.kind for e in parse_timeline(TIMELINE, "t.yaml").events} == {"event"}
    text = TIMELINE.replace("  - id: ev-1997-charter\n", "  - id: ev-1997-charter\n    kind: publication\n", 1)
    found: list = []
    events = parse_timeline(text, "t.yaml", SourceCheck(), found).events
    assert found == [] and [e.kind for e in events] == ["event", "event", "publication"]
    assert events[2].is_publication and not events[0].is_publication


@pytest.mark.parametrize("value,shown", [("report", "'report'"), ("Publication", "'Publication'"), ("[publication]", None)])
def test_unknown_event_kind_names_file_line_field_and_allowed_values(value, shown):
    text = TIMELINE.replace("  - id: ev-1994-pfp\n", f"  - id: ev-1994-pfp\n    kind: {value}\n", 1)
    line = line_of(text, f"kind: {value}")
    got = issues_of(text, parse=parse_timeline)
    if shown is None:
        assert got == [f"bad.yaml:{line}:11: events[1].kind: expected text, found a list"]
    else:
        assert got == [f"bad.yaml:{line}:11: events[1].kind: unknown event kind {shown}; expected one of: event, publication"]


def test_event_status_defaults_to_happened_and_accepts_planned_and_expected():
    assert {e.status for e in parse_timeline(TIMELINE, "t.yaml").events} == {"happened"}
    text = TIMELINE.replace("  - id: ev-1997-charter\n", "  - id: ev-1997-charter\n    status: planned\n", 1)
    text = text.replace("  - id: ev-1994-pfp\n", "  - id: ev-1994-pfp\n    status: expected\n", 1)
    found: list = []
    events = parse_timeline(text, "t.yaml", SourceCheck(), found).events
    assert found == [] and [e.status for e in events] == ["happened", "expected", "planned"]
    assert [e.is_planned for e in events] == [False, True, True]


def test_unknown_event_status_names_file_line_field_and_allowed_values():
    text = TIMELINE.replace("  - id: ev-1994-pfp\n", "  - id: ev-1994-pfp\n    status: scheduled\n", 1)
    line = line_of(text, "status: scheduled")
    assert issues_of(text, parse=parse_timeline) == [
        f"bad.yaml:{line}:13: events[1].status: unknown event status 'scheduled'; expected one of: happened, planned, expected"]


def test_shipped_planned_events():
    from nukedu import load_bank

    bank = load_bank()
    assert bank.event("ev-2024-washington-summit").status == "planned"
    assert bank.event("ev-2024-g7-agreements").status == "expected"
    assert sum(e.is_planned for e in bank.events) == 2


def test_day_needs_month():
    text = TIMELINE.replace("    year: 1994\n", "    year: 1994\n    day: 3\n")
    assert issues_of(text, parse=parse_timeline) == [f"bad.yaml:{line_of(text, 'day: 3')}:10: events[1].day: a day needs a month"]


def test_glossary_rules():
    text = (MINI_BANK / "glossary.yaml").read_text().replace("kind: place", "kind: city")
    assert issues_of(text, parse=parse_glossary) == [
        f"bad.yaml:{line_of(text, 'kind: city')}:11: terms[1].kind: unknown kind 'city'; expected one of: organisation, programme, person, document, place, event, concept"
    ]


def test_duplicate_glossary_terms(mini_bank_dir: Path):
    path = mini_bank_dir / "glossary.yaml"
    path.write_text(path.read_text().replace("term: Bydgoszcz", "term: pfp"))
    with pytest.raises(BankError) as err:
        load_bank(mini_bank_dir)
    assert [i.message for i in err.value.issues] == [f"duplicate glossary term 'pfp' (first at {path}:2:5)"]


def test_oversized_and_binary_files_are_refused(mini_bank_dir: Path):
    big = mini_bank_dir / "questions" / "big.yaml"
    big.write_bytes(b"#" * (5 * 1024 * 1024 + 1))
    (mini_bank_dir / "questions" / "bin.yaml").write_bytes(b"topic: \xff\xfe\n")
    with pytest.raises(BankError) as err:
        load_bank(mini_bank_dir)
    got = [str(i) for i in err.value.issues]
    assert f"{big}:1:1: file is 5.2 MB; files over 5 MB are refused" in got
    assert any("bin.yaml:1:1: not UTF-8 text" in g for g in got)


def test_missing_bank_folder(tmp_path: Path):
    with pytest.raises(BankError) as err:
        load_bank(tmp_path / "nowhere")
    assert "no such bank folder" in str(err.value)


def test_models_are_frozen(mini_bank):
    q = mini_bank.question("sample-numeric")
    assert isinstance(q, Numeric)
    with pytest.raises(AttributeError):
        q.answer = 1  # type: ignore[misc]
    assert isinstance(mini_bank.question("sample-essay"), Essay)


def test_an_empty_file_is_reported_even_after_another_files_errors(mini_bank_dir: Path):
    (mini_bank_dir / "questions" / "a-bad.yaml").write_text("topic: [\n")
    (mini_bank_dir / "questions" / "b-empty.yaml").write_text("")
    with pytest.raises(BankError) as err:
        load_bank(mini_bank_dir)
    got = [str(i) for i in err.value.issues]
    assert any("a-bad.yaml:2:1: YAML syntax error" in g for g in got), got
    assert f"{mini_bank_dir / 'questions' / 'b-empty.yaml'}:1:1: the file is empty; expected fields topic, title, questions" in got


def test_a_timeline_only_folder_loads(tmp_path: Path):
    """Graders load a folder holding only the timeline (and maybe the glossary), no questions."""
    shutil.copy(MINI_BANK / "timeline.yaml", tmp_path / "timeline.yaml")
    bank = load_bank(tmp_path)
    assert bank.questions == () and bank.topics == () and bank.terms == ()
    assert [e.id for e in bank.events_in()] == ["ev-1991-nacc", "ev-1994-pfp", "ev-1997-charter"]
    shutil.copy(MINI_BANK / "glossary.yaml", tmp_path / "glossary.yaml")
    (tmp_path / "questions").mkdir()  # an empty questions/ is no problem either
    bank = load_bank(tmp_path)
    assert bank.questions == () and len(bank.events) == 3 and bank.term("pfp").expansion == "Partnership for Peace"


def test_a_glossary_only_folder_loads(tmp_path: Path):
    shutil.copy(MINI_BANK / "glossary.yaml", tmp_path / "glossary.yaml")
    bank = load_bank(tmp_path)
    assert bank.questions == () and bank.events == () and len(bank.terms) == 2


@pytest.mark.parametrize("make_questions_dir", [False, True])
def test_a_folder_without_bank_files_is_refused(tmp_path: Path, make_questions_dir: bool):
    if make_questions_dir:
        (tmp_path / "questions").mkdir()
        (tmp_path / "questions" / "notes.txt").write_text("not a bank file")
    (tmp_path / "README.md").write_text("# not a bank file either")
    with pytest.raises(BankError) as err:
        load_bank(tmp_path)
    assert [str(i) for i in err.value.issues] == [
        f"{tmp_path}:1:1: no bank files found (expected questions/<topic>.yaml, timeline.yaml or glossary.yaml)"
    ]
