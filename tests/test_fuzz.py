"""Thousands of mutated and random bank files: each loads or fails with BankError, never anything else."""
from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nukedu import BankError
from nukedu.loader import SourceCheck, load_bank, parse_glossary, parse_questions, parse_timeline

from .conftest import MINI_BANK

TEXTS = {
    parse_questions: (MINI_BANK / "questions" / "sample.yaml").read_text(encoding="utf-8"),
    parse_timeline: (MINI_BANK / "timeline.yaml").read_text(encoding="utf-8"),
    parse_glossary: (MINI_BANK / "glossary.yaml").read_text(encoding="utf-8"),
}
PARSERS = list(TEXTS)
CHECK = SourceCheck({"partnership-2024": ["In December 1991 x"] * 52})
FUZZ = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse_all_ways(parse, text: str) -> None:
    """The parser must record issues, never raise; the issues must print as file:line:col."""
    issues: list = []
    parse(text, "fuzz.yaml", CHECK, issues)
    for issue in issues:
        assert str(issue).startswith("fuzz.yaml:")
        assert issue.span.line >= 1 and issue.span.column >= 1


edit = st.tuples(
    st.sampled_from(["delete", "insert", "replace", "swap-lines", "dup-line", "indent"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=1, max_value=40),
    st.text(alphabet=st.sampled_from(list(" :-[]{}\"'#!&*|>\n\t,?%@`0123456789abcxyzé\u2019")), max_size=12),
)


def apply(text: str, edits) -> str:
    for kind, at, length, insert in edits:
        i = at % (len(text) + 1)
        lines = text.split("\n")
        j = at % len(lines)
        if kind == "delete":
            text = text[:i] + text[i + length:]
        elif kind == "insert":
            text = text[:i] + insert + text[i:]
        elif kind == "replace":
            text = text[:i] + insert + text[i + len(insert):]
        elif kind == "swap-lines":
            k = (j + length) % len(lines)
            lines[j], lines[k] = lines[k], lines[j]
            text = "\n".join(lines)
        elif kind == "dup-line":
            lines.insert(j, lines[j])
            text = "\n".join(lines)
        else:
            lines[j] = " " * (length % 5) + lines[j]
            text = "\n".join(lines)
    return text


@FUZZ
@given(parser=st.sampled_from(PARSERS), edits=st.lists(edit, min_size=1, max_size=6))
def test_mutated_files_never_crash(parser, edits):
    parse_all_ways(parser, apply(TEXTS[parser], edits))


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
keys = st.sampled_from(["topic", "title", "questions", "id", "type", "difficulty", "prompt", "options", "answer",
                        "answers", "items", "pairs", "left", "right", "sources", "doc", "line", "quote", "eras",
                        "events", "year", "month", "day", "era", "terms", "term", "kind", "rubric", "points",
                        "feedback", "accepted", "pattern", "tolerance", "model_answer", "x"])
trees = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)), max_leaves=30)


@FUZZ
@given(parser=st.sampled_from(PARSERS), tree=trees)
def test_random_documents_never_crash(parser, tree):
    parse_all_ways(parser, yaml.safe_dump(tree, allow_unicode=True))


@settings(max_examples=200, deadline=None)
@given(edits=st.lists(edit, min_size=1, max_size=4), which=st.sampled_from(["questions/sample.yaml", "timeline.yaml", "glossary.yaml"]))
def test_load_bank_raises_only_bank_error(tmp_path_factory, edits, which):
    import shutil

    root = tmp_path_factory.mktemp("fuzzbank")
    shutil.copytree(MINI_BANK, root, dirs_exist_ok=True)
    path = root / which
    path.write_text(apply(path.read_text(encoding="utf-8"), edits), encoding="utf-8")
    try:
        load_bank(root)
    except BankError as exc:
        assert exc.issues
