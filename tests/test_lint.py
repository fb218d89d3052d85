"""The bank lint: each rule on a small hostile bank and on one it must leave alone, --strict and --review."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nukedu import load_bank
from nukedu.cli import main
from nukedu.lint import Locator, lint, only_claims, split_sentences
from nukedu.model import Bank, Citation, Numeric
from nukedu.sources import DOCS

from .conftest import MINI_BANK, REPO

CITE = '[{doc: partnership-2024, line: 5, quote: "In December 1991"}]'


def question(qid: str, kind: str, body: str, **extra: str) -> str:
    """One question in YAML, indented for a `questions:` list; `body` holds the fields of its type."""
    more = "".join(f"    {k}: {v}\n" for k, v in extra.items())
    return (f"  - id: {qid}\n    type: {kind}\n    difficulty: 1\n"
            + textwrap.indent(textwrap.dedent(body).strip("\n"), "    ") + "\n"
            + "    explanation: Because the article says so.\n"
            + f"    sources: {CITE}\n" + more)


def ordering(qid: str, *items: str) -> str:
    return question(qid, "ordering", "prompt: Put these in order.\nitems:\n" + "".join(f"  - {i}\n" for i in items))


def numeric(qid: str, prompt: str, answer: float, tolerance: float, unit: str = "") -> str:
    body = f"prompt: {prompt}\nanswer: {answer}\ntolerance: {tolerance}\n" + (f"unit: {unit!r}\n" if unit else "")
    return question(qid, "numeric", body)


def make_bank(root: Path, *questions: str, timeline: str | None = None) -> Path:
    (root / "questions").mkdir(parents=True)
    (root / "questions" / "lint.yaml").write_text("topic: lint\ntitle: Lint\nquestions:\n" + "".join(questions))
    if timeline is not None:
        (root / "timeline.yaml").write_text(timeline)
    return root


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def warnings_of(root: Path) -> list[str]:
    return [str(w) for w in lint(load_bank(root), {str(p): p.read_text() for p in root.rglob("*.yaml")})]


# --- ordering items: all with a year or none -----------------------------------------
def test_ordering_item_without_a_year_among_items_with_one(tmp_path: Path):
    root = make_bank(tmp_path, ordering("lint-order", "Ukraine joins the NACC in 1991", "Ukraine joins PfP",
                                        "The Charter is signed (1997)", "POLUKRBAT is formed"))
    file = root / "questions" / "lint.yaml"
    expected = ("this item names no year, but items[0] (1991), items[2] (1997) do; expected every item to name "
                "its year or none, so years do not give part of the order away [ordering-years]")
    assert warnings_of(root) == [
        f"{file}:{line_of(file, 'Ukraine joins PfP')}:9: questions[0].items[1]: warning: {expected}",
        f"{file}:{line_of(file, 'POLUKRBAT')}:9: questions[0].items[3]: warning: {expected}",
    ]


@pytest.mark.parametrize("items", [
    ("Ukraine joins the NACC", "Ukraine joins PfP", "The Charter is signed"),                # no years at all
    ("The NACC, December 1991", "PfP, 1994", "The Charter, 1997–2003"),                        # every item dated
    ("The SBU numbers 30,000 people", "150,000 soldiers", "One brigade of 1,200 is ready"),   # numbers, not years
    ("Forces of 1899 men", "A plan for 2100", "The third step"),                                # outside 1900–2099
])
def test_ordering_items_left_alone(tmp_path: Path, items):
    assert warnings_of(make_bank(tmp_path, ordering("lint-order", *items))) == []


# --- timeline titles: the timeline quiz orders them ------------------------------------
TIMELINE = """\
eras:
  - {{id: beginnings, title: Beginnings, start: 1991, end: 1996}}
events:
  - id: ev-1991-nacc
    year: 1991
    title: {first}
    summary: Ukraine joins the NACC.
    era: beginnings
    sources: {cite}
  - id: ev-1994-pfp
    year: 1994
    title: {second}
    summary: Ukraine joins the PfP.
    era: beginnings
    sources: {cite}
  - id: ev-1995-report
    kind: publication
    year: 1995
    title: A report published in 1995
    summary: A report.
    era: beginnings
    sources: {cite}
"""


def test_timeline_title_naming_a_year_among_titles_without(tmp_path: Path):
    text = TIMELINE.format(first="Ukraine joins the NACC", second="Ukraine joins PfP (1994)", cite=CITE)
    root = make_bank(tmp_path, ordering("lint-order", "a", "b", "c"), timeline=text)
    file = root / "timeline.yaml"
    assert warnings_of(root) == [
        f"{file}:{line_of(file, 'PfP (1994)')}:12: events[1].title: warning: the title names 1994, but 1 other event "
        "title name none and the timeline quiz asks to order titles; expected a title without a year "
        "(the date belongs in year, month and day) [timeline-title-years]"
    ]


@pytest.mark.parametrize("first,second", [("Ukraine joins the NACC", "Ukraine joins PfP"),        # none dated
                                          ("NACC membership (1991)", "PfP membership (1994)")])  # every event dated
def test_timeline_titles_left_alone_and_publications_ignored(tmp_path: Path, first, second):
    text = TIMELINE.format(first=first, second=second, cite=CITE)
    assert warnings_of(make_bank(tmp_path, ordering("lint-order", "a", "b", "c"), timeline=text)) == []


# --- numeric ranges: no impossible percentages or years ----------------------------------------
@pytest.mark.parametrize("prompt,answer,tolerance,unit,field,message", [
    ("What share of the aid comes from NATO allies?", 98, 5, "%", "tolerance",
     "98 ± 5 accepts 103, which cannot be a percentage (0–100); expected a tolerance of at most 2"),
    ("What percentage of the budget went to defence?", 3, 5, "", "tolerance",
     "3 ± 5 accepts -2, which cannot be a percentage (0–100); expected a tolerance of at most 3"),
    ("How many per cent of voters backed membership?", 120, 0, "", "answer",
     "120 cannot be a percentage; expected an answer from 0 to 100"),
    ("How large is the share?", 50, 60, "percent", "tolerance",
     "50 ± 60 accepts 110, which cannot be a percentage (0–100); expected a tolerance of at most 50"),
    ("In which year was the Washington summit held?", 2024, 1, "year", "tolerance",
     "2024 ± 1 accepts 2025, which cannot be a year in this history (1900–2024); expected a tolerance of at most 0"),
    ("In which year did it happen?", 1901, 3, "", "tolerance",
     "1901 ± 3 accepts 1898, which cannot be a year in this history (1900–2024); expected a tolerance of at most 1"),
    ("What year is the plan due to end?", 2030, 0, "", "answer",
     "2030 cannot be a year in this history; expected an answer from 1900 to 2024"),
])
def test_numeric_tolerance_accepting_impossible_values(tmp_path: Path, prompt, answer, tolerance, unit, field, message):
    root = make_bank(tmp_path, numeric("lint-number", prompt, answer, tolerance, unit))
    file = root / "questions" / "lint.yaml"
    column = 13 if field == "answer" else 16
    assert warnings_of(root) == [
        f"{file}:{line_of(file, f'{field}: ')}:{column}: questions[0].{field}: warning: {message} [numeric-range]"
    ]


@pytest.mark.parametrize("prompt,answer,tolerance,unit", [
    ("What share of the aid comes from NATO allies?", 95, 5, "%"),          # reaches 100 exactly
    ("What percentage of the budget went to defence?", 5, 5, ""),           # reaches 0 exactly
    ("In which year was the Washington summit held?", 2023, 1, "year"),
    ("In which year did it happen?", 1994, 2, ""),
    ("How many years passed between the two revolutions?", 2030, 0, "years"),  # a span, not a year
    ("What percentage rise was announced, in billion US$?", 150, 0, "billion US$"),  # the unit is trusted
    ("How many speakers are listed?", 7, 0, "speakers"),
])
def test_numeric_ranges_left_alone(tmp_path: Path, prompt, answer, tolerance, unit):
    assert warnings_of(make_bank(tmp_path, numeric("lint-number", prompt, answer, tolerance, unit))) == []


def test_every_warning_in_one_pass_and_strict_fails(tmp_path: Path, capsys):
    root = make_bank(tmp_path, numeric("lint-a", "In which year?", 2024, 2, "year"),
                     ordering("lint-b", "First, in 1991", "Second", "Third, in 1997"),
                     numeric("lint-c", "What share?", 99, 3, "%"))
    assert main(["validate", str(root)]) == 0
    out, err = capsys.readouterr()
    assert out == "OK: 3 questions, 0 events, 0 terms.\n"
    lines = err.splitlines()
    assert [line.split(": ")[1] for line in lines[:-1]] == ["questions[0].tolerance", "questions[1].items[1]",
                                                           "questions[2].tolerance"]
    assert all(": warning: " in line for line in lines[:-1])
    assert lines[-1] == "3 warnings (--strict makes them errors)."

    assert main(["validate", "--strict", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 4 and all(": error: " in line for line in lines[:-1])
    assert lines[-1] == "3 problems found (lint warnings are errors under --strict)."


def test_strict_passes_a_clean_bank(capsys):
    assert main(["validate", "--strict", str(MINI_BANK)]) == 0
    out, err = capsys.readouterr()
    assert out == "OK: 8 questions, 3 events, 2 terms.\n" and err == ""


def test_strict_from_the_command_line_no_traceback(tmp_path: Path):
    root = make_bank(tmp_path, numeric("lint-a", "In which year?", 2024, 2, "year"))
    result = subprocess.run([sys.executable, "-m", "nukedu", "validate", "--strict", str(root)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "questions[0].tolerance: error: 2024 ± 2 accepts 2026" in result.stderr


def test_lint_without_the_yaml_points_at_the_item():
    q = Numeric(id="lint-a", topic="t", difficulty=1, prompt="In which year?", explanation="x",
                sources=(Citation(doc="partnership-2024", line=5, quote="In December 1991"),),
                answer=2024, tolerance=1, unit="year")
    (w,) = lint(Bank(questions=(q,)))
    assert (str(w.span), w.path, w.item, w.rule) == ("?:1:1", "tolerance", "lint-a", "numeric-range")
    assert Locator({}).find(None, "items", 2) == (w.span, "items[2]")


# --- "only" claims, for review ------------------------------------------------------------------------
ONLY_BANK = question(
    "lint-only", "single",
    """
    prompt: Which programme did Ukraine join first?
    options: [PfP, NACC]
    answer: NACC
    feedback:
      PfP: "Ukraine joined PfP in 1994. It was ONLY the second step."
    """,
    hints="[It was the only forum open in 1991., This hint is commonly right.]",
)


def fake_sources(root: Path) -> Path:
    """Source texts of our own, so the review test does not depend on ../shared/sources."""
    root.mkdir()
    for doc in DOCS.values():
        lines = [f"{doc.id} line {n}." for n in range(1, doc.line_count + 1)]
        lines[4] = "In December 1991 Ukraine joined the North Atlantic Cooperation Council, the only forum of its kind."
        (root / doc.filename).write_text("\n".join(lines) + "\n")
    return root


def test_review_lists_each_only_sentence_with_id_field_and_cited_line(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("NUKEDU_SOURCES", str(fake_sources(tmp_path / "sources")))
    root = make_bank(tmp_path / "bank", ONLY_BANK, ordering("lint-b", "First, in 1991", "Second", "Third"))
    file = root / "questions" / "lint.yaml"
    assert main(["validate", "--review", str(root)]) == 0  # informational, even with a warning
    out, err = capsys.readouterr()
    assert "questions[1].items[1]: warning:" in err
    cited = ("    source: partnership-2024 line 5: In December 1991 Ukraine joined the North Atlantic Cooperation "
             "Council, the only forum of its kind.")
    assert out.split("\n\n")[1:] == [
        f"{file}:{line_of(file, 'It was ONLY')}:12: questions[0].feedback.PfP\n    item:   lint-only\n"
        f"    field:  feedback.PfP\n    claim:  It was ONLY the second step.\n{cited}",
        f"{file}:{line_of(file, 'hints:')}:13: questions[0].hints[0]\n    item:   lint-only\n"
        f"    field:  hints[0]\n    claim:  It was the only forum open in 1991.\n{cited}\n",
    ]
    assert out.startswith("OK: 2 questions, 0 events, 0 terms.\n"
                          '2 sentences with "only" in hints, feedback and explanations; check each')


def test_without_review_the_claims_are_only_counted(tmp_path: Path, capsys):
    root = make_bank(tmp_path, ONLY_BANK)
    assert main(["validate", "--strict", str(root)]) == 0  # claims are for review, never errors
    out, _ = capsys.readouterr()
    assert out.splitlines()[-1] == '2 sentences with "only" to check against the cited lines: nukedu validate --review'


def test_review_without_source_texts_shows_the_quotes(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.setenv("NUKEDU_SOURCES", str(tmp_path / "nowhere"))
    root = make_bank(tmp_path / "bank", ONLY_BANK)
    assert main(["validate", "--review", str(root)]) == 0
    out = capsys.readouterr().out
    assert "note: the source texts were not found" in out
    assert "    source: partnership-2024 line 5: (source text not available; quote: 'In December 1991')" in out


def test_review_prints_the_real_cited_line(require_sources, tmp_path: Path, capsys):
    root = make_bank(tmp_path, question(
        "lint-real", "true_false", "prompt: Was the arsenal large?\nanswer: true",
        hints="[Only two states had larger ones.]",
    ).replace(CITE, '[{doc: partnership-2024, line: 8, quote: "second only to the US and Russia"}]'))
    assert main(["validate", "--review", str(root)]) == 0
    out = capsys.readouterr().out
    assert "    claim:  Only two states had larger ones.\n" in out
    from nukedu.sources import find_sources_dir, read_lines

    line = read_lines(find_sources_dir(REPO))["partnership-2024"][7]   # the whole line 8, read from the text itself
    assert len(line) > 200 and f"    source: partnership-2024 line 8: {line}\n" in out


def test_only_is_a_whole_word_in_hints_feedback_and_explanations(mini_bank):
    assert only_claims(mini_bank) == ()
    claims = only_claims(Bank(questions=(Numeric(
        id="q", topic="t", difficulty=1, prompt="Only in the prompt: never listed.", answer=1,
        explanation="Commonly right. The only answer. Onlyness is not a word here.", hints=("Not the only hint",),
        sources=(Citation(doc="partnership-2024", line=5, quote="In December 1991"),)),)))
    assert [(c.field, c.sentence) for c in claims] == [("hints[0]", "Not the only hint"),
                                                      ("explanation", "The only answer.")]
    assert [c.cited[0].text for c in claims] == [None, None]


def test_sentences_do_not_end_at_initials_or_titles():
    text = ("J. Cordy's report for the NATO PA says only one brigade was ready. A.F. Rasmussen spoke; "
            "Gen. Christopher G. Cavoli led it, e.g. in 2022. Why? Because \"it was so.\" Last one")
    assert split_sentences(text) == [
        "J. Cordy's report for the NATO PA says only one brigade was ready.",
        "A.F. Rasmussen spoke; Gen. Christopher G. Cavoli led it, e.g. in 2022.",
        "Why?", "Because \"it was so.\"", "Last one",
    ]


# --- the shipped bank -------------------------------------------------------------------------------------
def test_shipped_bank_passes_strict_lint(capsys):
    code = main(["validate", "--strict", str(REPO / "question_bank")])
    err = capsys.readouterr().err
    assert code == 0, err
