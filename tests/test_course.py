"""The course in course/: every notebook runs, cites real lines, covers its era and uses only the public API."""
from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import nukedu
from nukedu.sources import DOCS, find_sources_dir, read_lines

from .conftest import REPO

COURSE = REPO / "course"
NOTEBOOKS = sorted(COURSE.glob("*.ipynb"))
COPIED_TEXT = REPO.parent / "shared" / "tools" / "copied_text.py"

# The source lines each lesson must cite at least once in its markdown.
ERA_LINES: dict[str, dict[str, set[int]]] = {
    "01-beginnings.ipynb": {"partnership-2024": {5, 6, 7, 8, 9}},
    "02-distinctive-partnership.ipynb": {"partnership-2024": {11, 12, 13, 14, 15, 16}},
    "03-membership-aspirations.ipynb": {"partnership-2024": {18, 19, 20, 21, 22, 23}},
    "04-turning-point-2014.ipynb": {"partnership-2024": {25, 26, 27}},
    "05-nato-role-in-war.ipynb": {"partnership-2024": {29, 30, 31, 32}},
    "06-washington-2024.ipynb": {"partnership-2024": {2, 3, 34, 35, 36, 37, 38, 39, 40}},
    "07-anniversary-2022.ipynb": {"anniversary-2022": {3, 5, 7, 10, 11, 12, 13, 14, 15, 16, 18}},
}
REQUIRED = ["00-start-here.ipynb", *ERA_LINES, "99-review.ipynb"]

CITATION = re.compile(r"\[([a-z0-9-]+):(\d+)\]")
# Anything that looks like a citation of a known doc, to catch ranges and other malformed forms.
CITATION_LIKE = re.compile(r"\[\s*(?:" + "|".join(map(re.escape, DOCS)) + r")\s*:[^\]]*\]")


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _cells(path: Path, kind: str) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in _read(path)["cells"] if c["cell_type"] == kind]


def _citations(path: Path) -> list[tuple[str, int]]:
    return [(doc, int(line)) for text in _cells(path, "markdown") for doc, line in CITATION.findall(text)]


def _calls(path: Path, name: str) -> list[ast.Call]:
    """Calls of `nukedu.<name>(...)` in the notebook's code cells."""
    found = []
    for src in _cells(path, "code"):
        for node in ast.walk(ast.parse(src)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == name
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "nukedu"):
                found.append(node)
    return found


def _keyword(call: ast.Call, name: str, position: int | None = None):
    for kw in call.keywords:
        if kw.arg == name:
            return ast.literal_eval(kw.value)
    if position is not None and len(call.args) > position:
        return ast.literal_eval(call.args[position])
    return None


@pytest.fixture(scope="module")
def bank():
    return nukedu.load_bank()


@pytest.fixture(scope="module")
def source_lines() -> dict[str, list[str]]:
    where = find_sources_dir(REPO)
    if where is None:
        pytest.skip("source texts not found: put them in ../shared/sources or set NUKEDU_SOURCES")
    texts = read_lines(where)
    if set(texts) != set(DOCS):
        pytest.skip(f"source texts incomplete in {where}: found {sorted(texts)}")
    return texts


def nb_id(path: Path) -> str:
    return path.name


# --- structure -------------------------------------------------------------------------------------------------
def test_the_course_has_every_notebook():
    names = {p.name for p in NOTEBOOKS}
    missing = [n for n in REQUIRED if n not in names]
    assert not missing, f"course/ lacks {missing}"
    assert any(n.startswith("instructor-guide") for n in names) or (COURSE / "instructor-guide.md").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_stored_without_outputs(path: Path):
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    ids = [c.get("id") for c in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids), "every cell needs a unique, stable id"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"cell {cell.id} has stored outputs"
            assert cell.execution_count is None, f"cell {cell.id} has an execution count"


@pytest.mark.parametrize("name", list(ERA_LINES), ids=str)
def test_each_lesson_has_every_part(name: str):
    path = COURSE / name
    text = "\n".join(_cells(path, "markdown"))
    assert "Learning objectives" in text
    assert "## Discussion" in text
    assert "## Key terms" in text
    assert 2 <= len(_calls(path, "ask")) <= 3, "two or three check-your-understanding questions"
    assert len(_calls(path, "quiz")) == 1
    assert len(_calls(path, "timeline")) == 1
    assert len(_calls(path, "glossary")) == 1


def test_review_has_cumulative_quiz_timeline_and_challenge():
    path = COURSE / "99-review.ipynb"
    (quiz,) = _calls(path, "quiz")
    assert _keyword(quiz, "topic") is None
    ids = _keyword(quiz, "ids")
    if ids is not None:  # a chosen set of questions must still cover every topic
        bank = nukedu.load_bank()
        covered = {bank.question(i).topic for i in ids if i in {q.id for q in bank.questions}}
        assert covered == {t.id for t in bank.topics}, f"the review quiz misses {sorted({t.id for t in bank.topics} - covered)}"
    (timeline,) = _calls(path, "timeline")
    assert _keyword(timeline, "era") is None, "the review shows the full timeline"
    assert len(_calls(path, "timeline_quiz")) == 1


# --- citations -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_citations_are_well_formed_and_in_range(path: Path):
    for text in _cells(path, "markdown"):
        for m in CITATION_LIKE.finditer(text):
            assert CITATION.fullmatch(m.group(0)), f"{m.group(0)!r}: cite one line as [doc:NN]"
    for doc, line in _citations(path):
        assert doc in DOCS, f"[{doc}:{line}]: unknown doc id"
        assert 1 <= line <= DOCS[doc].line_count, f"[{doc}:{line}]: {doc} has {DOCS[doc].line_count} lines"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_citations_point_to_real_lines(path: Path, source_lines):
    for doc, line in _citations(path):
        lines = source_lines[doc]
        assert line <= len(lines), f"[{doc}:{line}]: the text has {len(lines)} lines"
        assert lines[line - 1].strip(), f"[{doc}:{line}] is an empty line"


@pytest.mark.parametrize("name", list(ERA_LINES), ids=str)
def test_each_lesson_cites_its_era_lines(name: str):
    cited = set(_citations(COURSE / name))
    for doc, lines in ERA_LINES[name].items():
        missing = sorted(n for n in lines if (doc, n) not in cited)
        assert not missing, f"{name} does not cite {doc} lines {missing}"


def test_every_body_line_is_taught_somewhere():
    cited = {c for name in ERA_LINES for c in _citations(COURSE / name)}
    for doc in DOCS.values():
        missing = [n for n in doc.content_lines if (doc.id, n) not in cited]
        assert not missing, f"no lesson cites {doc.id} lines {missing}"


# --- wording ---------------------------------------------------------------------------------------------------
def test_summit_is_described_as_expected_not_decided():
    text = "\n".join(_cells(COURSE / "06-washington-2024.ipynb", "markdown")).lower()
    for phrase in ("the summit approved", "the summit decided", "the summit agreed", "was approved at the",
                   "were approved at the", "was approved in washington", "the summit adopted", "summit invited"):
        assert phrase not in text, f"06 states a summit outcome the June 2024 article could not know: {phrase!r}"
    assert "expected" in text and "planned" in text


def test_anniversary_lesson_does_not_guess_the_anniversary_or_date():
    text = "\n".join(_cells(COURSE / "07-anniversary-2022.ipynb", "markdown"))
    assert not re.search(r"\b(\d+(st|nd|rd|th)|tenth|twentieth|twenty-fifth|thirtieth)\s+anniversary", text, re.I)
    dates = re.findall(r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|"
                       r"November|December) 2022\b", text)
    assert set(dates) <= {"24 February 2022"}, f"07 gives an event date the page does not: {dates}"


@pytest.mark.skipif(not COPIED_TEXT.is_file(), reason=f"{COPIED_TEXT} not found (the shared tools are not here)")
def test_nothing_is_copied_from_the_sources():
    result = subprocess.run([sys.executable, str(COPIED_TEXT), str(COURSE)], capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == "", f"copied from the source texts:\n{result.stdout}"
    assert result.returncode == 0, result.stderr


# --- code uses the public API only -------------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_code_uses_only_the_public_api(path: Path):
    public = set(nukedu.__all__)
    for src in _cells(path, "code"):
        tree = ast.parse(src)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name == "nukedu", f"{path.name}: import {alias.name}: only `import nukedu`"
            elif isinstance(node, ast.ImportFrom):
                assert node.module == "nukedu", f"{path.name}: from {node.module} import ...: internals"
                bad = [a.name for a in node.names if a.name not in public]
                assert not bad, f"{path.name}: from nukedu import {bad}: not public"
            elif (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                  and node.value.id == "nukedu"):
                assert node.attr in public, f"{path.name}: nukedu.{node.attr} is not in nukedu.__all__"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_asked_questions_topics_and_eras_exist(path: Path, bank):
    ids = {q.id for q in bank.questions}
    for call in _calls(path, "ask"):
        qid = _keyword(call, "question_id", 0)
        assert qid in ids, f"{path.name}: nukedu.ask({qid!r}): no such question in the shipped bank"
    topics = {t.id for t in bank.topics}
    for call in _calls(path, "quiz"):
        missing = [i for i in _keyword(call, "ids") or () if i not in ids]
        assert not missing, f"{path.name}: quiz ids {missing} are not in the shipped bank"
        topic = _keyword(call, "topic", 0)
        assert topic is None or topic in topics, f"{path.name}: quiz topic {topic!r} is not in the bank"
    eras = {e.id for e in bank.eras}
    for name in ("timeline", "timeline_quiz"):
        for call in _calls(path, name):
            era = _keyword(call, "era", 0 if name == "timeline" else 1)
            assert era is None or era in eras, f"{path.name}: era {era!r} is not in timeline.yaml"


def test_first_lesson_opens_with_a_clickable_question(bank):
    """The browser test answers the first question of lesson 1 by clicking a radio button."""
    first = _calls(COURSE / "01-beginnings.ipynb", "ask")[0]
    assert bank.question(_keyword(first, "question_id", 0)).type in ("single", "true_false")


# --- execution -------------------------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=nb_id)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    work = tmp_path / "course"
    shutil.copytree(COURSE, work, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name in ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "IPYTHONDIR", "MPLCONFIGDIR"):
        d = tmp_path / name.lower()
        d.mkdir()
        monkeypatch.setenv(name, str(d))
    nb = nbformat.read(work / path.name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(work)}})
    start = time.perf_counter()
    client.execute()  # raises CellExecutionError on the first failing cell
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", f"cell {cell.id}: {out.get('ename')}: {out.get('evalue')}"
            if out.output_type == "stream" and out.name == "stderr":
                pytest.fail(f"cell {cell.id} wrote to stderr:\n{out.text}")
    assert sorted(p.name for p in COURSE.iterdir() if p.suffix == ".ipynb") == sorted(
        p.name for p in NOTEBOOKS), "running the notebooks must not write into course/"
    print(f"{path.name}: {elapsed:.1f} s")


# --- flow: what a first-year student meets, lesson after lesson ------------------------------------------------
def _end_quiz(path: Path, bank) -> tuple[list, set[str]]:
    """The questions of the notebook's quiz call as a student gets them, and the ids asked in the notebook."""
    from nukedu.select import select_questions

    (call,) = _calls(path, "quiz")
    kwargs = {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords}
    drawn = select_questions(bank, topic=kwargs.get("topic"), types=kwargs.get("types"), n=kwargs.get("n", 10),
                             seed=kwargs.get("seed"), exclude=kwargs.get("exclude", ()),
                             mix_types=kwargs.get("mix_types", False), easy_first=kwargs.get("easy_first", False))
    asked = {ast.literal_eval(c.args[0]) for c in _calls(path, "ask")}
    return list(drawn), asked


@pytest.mark.parametrize("name", [n for n in ERA_LINES])
def test_each_end_quiz_runs_easy_to_hard_with_mixed_types_and_no_repeats(name: str, bank):
    questions, asked = _end_quiz(COURSE / name, bank)
    assert len(questions) >= 5
    levels = [q.difficulty for q in questions]
    assert levels == sorted(levels), f"{name}: difficulties {levels} do not rise"
    kinds = [q.type for q in questions]
    assert len(set(kinds)) >= 4, f"{name}: only {set(kinds)}"
    assert all(a != b for a, b in zip(kinds, kinds[1:])), f"{name}: two of a kind in a row: {kinds}"
    assert "essay" not in kinds
    assert not asked & {q.id for q in questions}, f"{name}: the end quiz repeats {asked & {q.id for q in questions}}"


def test_the_start_page_quiz_asks_only_lesson_one_material(bank):
    questions, asked = _end_quiz(COURSE / "00-start-here.ipynb", bank)
    assert {q.topic for q in questions} == {"beginnings"} and not asked & {q.id for q in questions}
    assert len({q.type for q in questions}) == len(questions)


@pytest.mark.parametrize("name", [n for n in ERA_LINES])
def test_checks_in_a_lesson_are_not_all_of_one_kind(name: str, bank):
    kinds = [bank.question(ast.literal_eval(c.args[0])).type for c in _calls(COURSE / name, "ask")]
    assert len(kinds) >= 2 and len(set(kinds)) >= 2, f"{name}: every check is {kinds[0]}"


def test_the_start_page_glossary_waits_for_a_search():
    (call,) = _calls(COURSE / "00-start-here.ipynb", "glossary")
    assert _keyword(call, "collapsed") is True
    g = nukedu.glossary(collapsed=True)
    assert g.terms == [] and "type a word" in g.count.value
    g.search.value = "PfP"
    assert g.terms and all("pfp" in (t.term + t.expansion + t.description).casefold() for t in g.terms)
    g.search.value = ""
    g.show_all.value = True
    assert len(g.terms) == len(g.bank.terms)


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if not p.name.startswith("instructor")], ids=nb_id)
def test_code_students_need_not_read_is_hidden(path: Path):
    shown = [("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
             for c in _read(path)["cells"] if c["cell_type"] == "code"
             and not c.get("metadata", {}).get("jupyter", {}).get("source_hidden")]
    assert all(src.strip() == "import nukedu" for src in shown), f"{path.name}: visible code {shown}"


def test_one_date_range_per_era_everywhere(bank):
    """A year range written next to an era's name (lesson headings, topic titles, the start page) is the era's span."""
    spans = {f"{e.start}–{e.end}" for e in bank.eras}
    lesson_of_era = {"01": "beginnings", "02": "distinctive-partnership", "03": "membership-aspirations",
                     "04": "turning-point-2014", "05": "full-scale-war"}
    for path in NOTEBOOKS:
        heading = _cells(path, "markdown")[0].splitlines()[0]
        era = lesson_of_era.get(path.name[:2])
        if era:
            e = bank.era(era)
            found = re.findall(r"(\d{4})–(\d{4})", heading)
            assert all((int(a), int(b)) == (e.start, e.end) for a, b in found), f"{path.name}: {heading}"
    for topic in bank.topics:
        for a, b in re.findall(r"(\d{4})–(\d{4})", topic.title):
            assert f"{a}–{b}" in spans, f"topic {topic.id}: {topic.title} (era spans: {sorted(spans)})"
    start = "\n".join(_cells(COURSE / "00-start-here.ipynb", "markdown"))
    for a, b in re.findall(r"(\d{4})–(\d{4})", start):
        assert f"{a}–{b}" in spans | {"1991–2024"}, f"start page says {a}–{b}"
