"""Load the question bank from YAML and refuse bad data with every problem listed.

`load_bank` is the only function here that touches the file system; the
`parse_*` functions take text and a name for messages, so tests and the fuzz
test can feed them anything.
"""
from __future__ import annotations

import calendar
import gc
import os
import re
from functools import lru_cache, partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from . import _bank_cache
from . import sources as src
from ._reader import Invalid, Reader, parse_document
from .errors import BankError, Issue
from .model import (
    EVENT_KINDS, EVENT_STATUSES, QUESTION_TYPES, TERM_KINDS, Bank, Citation, Era, Essay, EventDate, GlossaryTerm, Matching,
    MultipleChoice, Numeric, Ordering, Pair, Question, RubricCriterion, ShortText, SingleChoice,
    Span, TimelineEvent, Topic, TrueFalse,
)

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_QUOTE_WORDS = 10
MAX_LABEL_CHARS = 32
COMMON_FIELDS = ("id", "type", "difficulty", "prompt", "explanation", "sources")
COMMON_OPTIONAL = ("hints", "tags", "points")
TYPE_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "single": (("options", "answer"), ("feedback",)),
    "multiple": (("options", "answers"), ("feedback",)),
    "true_false": (("answer",), ("feedback",)),
    "numeric": (("answer",), ("tolerance", "unit")),
    "ordering": (("items",), ()),
    "matching": (("pairs",), ("distractors",)),
    "short_text": (("accepted",), ("pattern",)),
    "essay": (("rubric", "model_answer"), ("min_words",)),
}


@dataclass
class SourceCheck:
    """Line counts always; the lines themselves when the texts are available."""

    lines: dict[str, list[str]] = field(default_factory=dict)
    _normalised: dict[tuple[str, int], str] = field(default_factory=dict)

    def line(self, doc: str, number: int) -> str | None:
        text = self.lines.get(doc)
        if text is None:
            return None
        key = (doc, number)
        if key not in self._normalised:
            self._normalised[key] = src.normalise(text[number - 1]) if number <= len(text) else ""
        return self._normalised[key]


@dataclass
class ParsedFile:
    """What one file contributed, before the bank-wide checks."""

    questions: list[Question] = field(default_factory=list)
    topic: Topic | None = None
    eras: list[Era] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    terms: list[GlossaryTerm] = field(default_factory=list)


# --- citations --------------------------------------------------------------
def _citation(r: Reader, node: yaml.Node, path: str, check: SourceCheck) -> Citation:
    f = r.mapping(node, path, ("doc", "line", "quote"))
    if len(f) < 3:
        raise Invalid(path)
    doc = r.text(f["doc"], f"{path}.doc")
    if doc not in src.DOCS:
        raise r.fail(f["doc"], f"{path}.doc", f"unknown doc {doc!r}; expected one of: {', '.join(src.DOCS)}")
    limit = src.DOCS[doc].line_count
    line = r.integer(f["line"], f"{path}.line", 1, limit)
    quote = r.text(f["quote"], f"{path}.quote")
    words = len(quote.split())
    if words > MAX_QUOTE_WORDS:
        raise r.fail(f["quote"], f"{path}.quote", f"evidence fragment has {words} words; keep it to at most {MAX_QUOTE_WORDS}")
    cited = check.line(doc, line)
    if cited is not None and src.normalise(quote) not in cited:
        what = "is empty" if not cited else f"does not contain {quote!r}"
        raise r.fail(f["quote"], f"{path}.quote", f"line {line} of {doc} {what}")
    return Citation(doc=doc, line=line, quote=quote)


def _citations(r: Reader, node: yaml.Node, path: str, check: SourceCheck) -> tuple[Citation, ...]:
    nodes = r.sequence(node, path, min_len=1)
    return tuple(r.each(nodes, path, lambda n, p: _citation(r, n, p, check)))


# --- questions --------------------------------------------------------------
def _feedback(r: Reader, node: yaml.Node, path: str, allowed: tuple[str, ...]) -> dict[str, str]:
    f = r.mapping(node, path, (), allowed)
    if not isinstance(node, yaml.MappingNode):
        raise Invalid(path)
    out: dict[str, str] = {}
    bad = len(f) != len(node.value)
    for key, value in f.items():
        try:
            out[key] = r.text(value, f"{path}.{key}")
        except Invalid:
            bad = True
    if bad:
        raise Invalid(path)
    return out


def _choice_fields(r: Reader, f: dict, path: str, kind: str) -> dict:
    options = r.texts(f["options"], f"{path}.options", min_len=2, max_len=10)
    feedback = r.optional(f, "feedback", path, partial(_feedback, r), {}, options)
    if kind == "single":
        answer = r.text(f["answer"], f"{path}.answer")
        if answer not in options:
            raise r.fail(f["answer"], f"{path}.answer", f"{answer!r} is not among the options ({', '.join(map(repr, options))})")
        return {"options": options, "answer": answer, "feedback": feedback}
    answers = r.texts(f["answers"], f"{path}.answers", min_len=1)
    for i, answer in enumerate(answers):
        if answer not in options:
            raise r.fail(f["answers"].value[i], f"{path}.answers[{i}]", f"{answer!r} is not among the options ({', '.join(map(repr, options))})")
    return {"options": options, "answers": answers, "feedback": feedback}


def _pair(r: Reader, node: yaml.Node, path: str) -> Pair:
    f = r.mapping(node, path, ("left", "right"))
    if len(f) < 2:
        raise Invalid(path)
    return Pair(left=r.text(f["left"], f"{path}.left"), right=r.text(f["right"], f"{path}.right"))


def rubric_criterion(r: Reader, node: yaml.Node, path: str) -> RubricCriterion:
    f = r.mapping(node, path, ("criterion", "points"))
    if len(f) < 2:
        raise Invalid(path)
    return RubricCriterion(criterion=r.text(f["criterion"], f"{path}.criterion"), points=r.integer(f["points"], f"{path}.points", 1, 100))


def _type_fields(r: Reader, kind: str, f: dict, path: str) -> dict:
    if kind in ("single", "multiple"):
        return _choice_fields(r, f, path, kind)
    if kind == "true_false":
        return {"answer": r.boolean(f["answer"], f"{path}.answer"),
                "feedback": r.optional(f, "feedback", path, partial(_feedback, r), {}, ("true", "false"))}
    if kind == "numeric":
        return {"answer": r.number(f["answer"], f"{path}.answer"),
                "tolerance": r.optional(f, "tolerance", path, r.number, 0, 0),
                "unit": r.optional(f, "unit", path, r.text, "")}
    if kind == "ordering":
        return {"items": r.texts(f["items"], f"{path}.items", min_len=3, max_len=8)}
    if kind == "matching":
        nodes = r.sequence(f["pairs"], f"{path}.pairs", min_len=2, max_len=8)
        pairs = r.each(nodes, f"{path}.pairs", lambda n, p: _pair(r, n, p))
        for side in ("left", "right"):
            seen: set[str] = set()
            for i, pair in enumerate(pairs):
                value = getattr(pair, side)
                if value in seen:
                    raise r.fail(nodes[i], f"{path}.pairs[{i}].{side}", f"{value!r} appears on the {side} of two pairs; each must be distinct")
                seen.add(value)
        distractors = r.optional(f, "distractors", path, r.texts, ())
        rights = {p.right for p in pairs}
        for i, d in enumerate(distractors):
            if d in rights:
                raise r.fail(f["distractors"].value[i], f"{path}.distractors[{i}]", f"{d!r} is already the right-hand side of a pair")
        return {"pairs": tuple(pairs), "distractors": distractors}
    if kind == "short_text":
        accepted = r.texts(f["accepted"], f"{path}.accepted", min_len=1)
        pattern = r.optional(f, "pattern", path, r.text, "")
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise r.fail(f["pattern"], f"{path}.pattern", f"not a valid regular expression: {exc}")
        return {"accepted": accepted, "pattern": pattern}
    # essay
    nodes = r.sequence(f["rubric"], f"{path}.rubric", min_len=1)
    rubric = tuple(r.each(nodes, f"{path}.rubric", lambda n, p: rubric_criterion(r, n, p)))
    return {"rubric": rubric,
            "model_answer": r.texts(f["model_answer"], f"{path}.model_answer", min_len=1),
            "min_words": r.optional(f, "min_words", path, r.integer, 0, 0, 10000)}


_CLASSES: dict[str, type] = {
    "single": SingleChoice, "multiple": MultipleChoice, "true_false": TrueFalse, "numeric": Numeric,
    "ordering": Ordering, "matching": Matching, "short_text": ShortText, "essay": Essay,
}


def _question(r: Reader, node: yaml.Node, path: str, topic: str, check: SourceCheck) -> Question:
    if not isinstance(node, yaml.MappingNode):
        raise r.fail(node, path, f"expected a question (a mapping with {', '.join(COMMON_FIELDS)}), found a {type(node).__name__[:-4].lower()}")
    kind_node = next((v for k, v in node.value if getattr(k, "value", None) == "type"), None)
    kind = kind_node.value if isinstance(kind_node, yaml.ScalarNode) else None
    if kind_node is not None and kind not in QUESTION_TYPES:
        r.note(kind_node, f"{path}.type", f"unknown question type {kind!r}; expected one of: {', '.join(QUESTION_TYPES)}")
        kind = None
    required, optional = TYPE_FIELDS.get(kind, ((), tuple(n for pair in TYPE_FIELDS.values() for part in pair for n in part)))
    f = r.mapping(node, path, COMMON_FIELDS + required, COMMON_OPTIONAL + optional)
    values: dict = {"topic": topic, "span": r.span(node)}
    readers: dict[str, Callable[[], object]] = {
        "id": lambda: r.identifier(f["id"], f"{path}.id"),
        "difficulty": lambda: r.integer(f["difficulty"], f"{path}.difficulty", 1, 3),
        "prompt": lambda: r.text(f["prompt"], f"{path}.prompt"),
        "explanation": lambda: r.text(f["explanation"], f"{path}.explanation"),
        "sources": lambda: _citations(r, f["sources"], f"{path}.sources", check),
        "hints": lambda: r.optional(f, "hints", path, r.texts, ()),
        "tags": lambda: r.optional(f, "tags", path, r.texts, ()),
        "points": lambda: r.optional(f, "points", path, r.integer, 1, 1, 100),
    }
    read, bad = r.read_all(readers, f, COMMON_OPTIONAL)
    values.update(read)
    if kind is None or any(k not in f for k in required):
        raise Invalid(path)
    try:
        values.update(_type_fields(r, kind, f, path))
    except Invalid:
        bad = True
    if bad:
        raise Invalid(path)
    if kind == "essay":
        total = sum(c.points for c in values["rubric"])
        if "points" in f and values["points"] != total:
            raise r.fail(f["points"], f"{path}.points", f"an essay is worth its rubric total ({total}); found {values['points']}")
        values["points"] = total
    return _CLASSES[kind](**values)


def parse_questions(text: str, file: str, check: SourceCheck | None = None, issues: list[Issue] | None = None) -> ParsedFile:
    """One topic file: `topic`, `title`, `questions`."""
    check = check or SourceCheck()
    out = ParsedFile()

    def body(r: Reader, root: yaml.Node) -> None:
        f = r.mapping(root, "", ("topic", "title", "questions"))
        topic = r.identifier(f["topic"], "topic") if "topic" in f else "unknown"
        title = r.text(f["title"], "title") if "title" in f else topic
        out.topic = Topic(id=topic, title=title)
        if "questions" in f:
            nodes = r.sequence(f["questions"], "questions", min_len=1)
            out.questions = r.each(nodes, "questions", lambda n, p: _question(r, n, p, topic, check))

    parse_document(text, file, [] if issues is None else issues, "fields topic, title, questions", body)
    return out


# --- timeline ---------------------------------------------------------------
def _choice(r: Reader, node: yaml.Node, path: str, allowed: tuple[str, ...], what: str) -> str:
    value = r.text(node, path)
    if value not in allowed:
        raise r.fail(node, path, f"unknown {what} {value!r}; expected one of: {', '.join(allowed)}")
    return value


def _short_text(r: Reader, node: yaml.Node, path: str, limit: int) -> str:
    value = r.text(node, path)
    if len(value) > limit:
        raise r.fail(node, path, f"at most {limit} characters (it is drawn beside the point on the chart), found {len(value)}")
    return value


def _era(r: Reader, node: yaml.Node, path: str) -> Era:
    f = r.mapping(node, path, ("id", "title", "start", "end"))
    if len(f) < 4:
        raise Invalid(path)
    era = Era(id=r.identifier(f["id"], f"{path}.id"), title=r.text(f["title"], f"{path}.title"),
              start=r.integer(f["start"], f"{path}.start", 1900, 2100),
              end=r.integer(f["end"], f"{path}.end", 1900, 2100), span=r.span(node))
    if era.end < era.start:
        raise r.fail(f["end"], f"{path}.end", f"the era ends ({era.end}) before it starts ({era.start})")
    return era


def _event(r: Reader, node: yaml.Node, path: str, eras: dict[str, Era], check: SourceCheck) -> TimelineEvent:
    f = r.mapping(node, path, ("id", "year", "title", "summary", "era", "sources"), ("month", "day", "tags", "kind", "status", "label"))
    values, bad = r.read_all({
        "id": lambda: r.identifier(f["id"], f"{path}.id"),
        "title": lambda: r.text(f["title"], f"{path}.title"),
        "summary": lambda: r.text(f["summary"], f"{path}.summary"),
        "era": lambda: r.identifier(f["era"], f"{path}.era"),
        "sources": lambda: _citations(r, f["sources"], f"{path}.sources", check),
        "tags": lambda: r.optional(f, "tags", path, r.texts, ()),
        "year": lambda: r.integer(f["year"], f"{path}.year", 1900, 2100),
        "month": lambda: r.optional(f, "month", path, r.integer, None, 1, 12),
        "kind": lambda: r.optional(f, "kind", path, partial(_choice, r), "event", EVENT_KINDS, "event kind"),
        "status": lambda: r.optional(f, "status", path, partial(_choice, r), "happened", EVENT_STATUSES, "event status"),
        "label": lambda: r.optional(f, "label", path, partial(_short_text, r), "", MAX_LABEL_CHARS),
    }, f, ("tags", "month", "kind", "status", "label"))
    if bad:
        raise Invalid(path)
    year, month = values.pop("year"), values.pop("month")
    day = None
    if "day" in f:
        if month is None:
            raise r.fail(f["day"], f"{path}.day", "a day needs a month")
        day = r.integer(f["day"], f"{path}.day", 1, calendar.monthrange(year, month)[1])
    era = eras.get(values["era"])
    if era is None and eras:
        raise r.fail(f["era"], f"{path}.era", f"unknown era {values['era']!r}; expected one of: {', '.join(eras)}")
    if era is not None and not era.start <= year <= era.end:
        raise r.fail(f["year"], f"{path}.year", f"{year} is outside the era {era.id!r} ({era.start}–{era.end})")
    return TimelineEvent(date=EventDate(year=year, month=month, day=day), span=r.span(node), **values)


def parse_timeline(text: str, file: str, check: SourceCheck | None = None, issues: list[Issue] | None = None) -> ParsedFile:
    """`timeline.yaml`: ordered, non-overlapping `eras` and dated `events`."""
    check = check or SourceCheck()
    out = ParsedFile()

    def body(r: Reader, root: yaml.Node) -> None:
        f = r.mapping(root, "", ("eras", "events"))
        if "eras" in f:
            nodes = r.sequence(f["eras"], "eras", min_len=1)
            out.eras = r.each(nodes, "eras", lambda n, p: _era(r, n, p))
            for i in range(1, len(out.eras)):
                prev, cur = out.eras[i - 1], out.eras[i]
                if cur.start <= prev.end:
                    r.note(nodes[i], f"eras[{i}].start", f"era {cur.id!r} starts in {cur.start}, before the previous era {prev.id!r} ends ({prev.end})")
        eras = {e.id: e for e in out.eras}
        if "events" in f:
            nodes = r.sequence(f["events"], "events", min_len=1)
            out.events = r.each(nodes, "events", lambda n, p: _event(r, n, p, eras, check))

    parse_document(text, file, [] if issues is None else issues, "fields eras, events", body)
    return out


# --- glossary ---------------------------------------------------------------
def _term(r: Reader, node: yaml.Node, path: str, check: SourceCheck) -> GlossaryTerm:
    f = r.mapping(node, path, ("term", "kind", "description", "sources"), ("expansion",))
    values, bad = r.read_all({
        "term": lambda: r.text(f["term"], f"{path}.term"),
        "kind": lambda: r.text(f["kind"], f"{path}.kind"),
        "description": lambda: r.text(f["description"], f"{path}.description"),
        "sources": lambda: _citations(r, f["sources"], f"{path}.sources", check),
        "expansion": lambda: r.optional(f, "expansion", path, r.text, ""),
    }, f, ("expansion",))
    if bad:
        raise Invalid(path)
    if values["kind"] not in TERM_KINDS:
        raise r.fail(f["kind"], f"{path}.kind", f"unknown kind {values['kind']!r}; expected one of: {', '.join(TERM_KINDS)}")
    return GlossaryTerm(span=r.span(node), **values)


def parse_glossary(text: str, file: str, check: SourceCheck | None = None, issues: list[Issue] | None = None) -> ParsedFile:
    """`glossary.yaml`: `terms`."""
    check = check or SourceCheck()
    out = ParsedFile()

    def body(r: Reader, root: yaml.Node) -> None:
        f = r.mapping(root, "", ("terms",))
        if "terms" in f:
            nodes = r.sequence(f["terms"], "terms", min_len=1)
            out.terms = r.each(nodes, "terms", lambda n, p: _term(r, n, p, check))

    parse_document(text, file, [] if issues is None else issues, "the field terms", body)
    return out


# --- the whole bank ---------------------------------------------------------
@lru_cache(maxsize=1)
def shipped_bank() -> Bank:
    """The shipped bank, loaded once per process for the views that default to it."""
    return load_bank()


def default_bank_path() -> Path:
    """$NUKEDU_BANK if set (so graders and kernels share one bank), else the shipped bank."""
    env = os.environ.get("NUKEDU_BANK")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    shipped = here / "question_bank"
    return shipped if shipped.is_dir() else here.parent / "question_bank"


def source_check(bank_dir: Path | None = None) -> SourceCheck:
    return _source_check(_source_texts(bank_dir))


def _source_texts(bank_dir: Path | None) -> list[tuple[str, str, bytes]] | None:
    """(doc id, file name, bytes) of each source text present; None when no sources folder is found."""
    directory = src.find_sources_dir(bank_dir)
    if directory is None:
        return None
    texts = []
    for doc in src.DOCS.values():
        path = directory / doc.filename
        if path.is_file():
            texts.append((doc.id, doc.filename, path.read_bytes()))
    return texts


def _source_check(texts: list[tuple[str, str, bytes]] | None) -> SourceCheck:
    return SourceCheck({doc: _decode_newlines(data.decode("utf-8")).splitlines() for doc, _, data in texts or ()})


def _decode_newlines(text: str) -> str:
    """What reading in text mode gives: CR LF and a lone CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _read(path: Path, shown: str) -> bytes | Issue:
    """The file's bytes, or the issue that stops it from being read."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return Issue(Span(shown, 1, 1), "", f"file is {size / 1e6:.1f} MB; files over {MAX_FILE_BYTES // (1024 * 1024)} MB are refused")
        return path.read_bytes()
    except OSError as exc:
        return Issue(Span(shown, 1, 1), "", f"cannot read the file: {exc.strerror or exc}")


def _text(data: bytes, shown: str, issues: list[Issue]) -> str | None:
    try:
        return _decode_newlines(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        issues.append(Issue(Span(shown, 1, 1), "", f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
    return None


def _cross_check(parts: list[ParsedFile], issues: list[Issue]) -> None:
    """Checks that need the whole bank: unique ids, topics and terms."""
    seen: dict[str, Span | None] = {}

    def claim(key: str, span: Span | None, path: str, what: str) -> None:
        if key in seen:
            where = f" (first at {seen[key]})" if seen[key] else ""
            issues.append(Issue(span or Span("?", 1, 1), path, f"duplicate {what} {key.split(':', 1)[1]!r}{where}"))
        else:
            seen[key] = span

    for part in parts:
        if part.topic and part.questions:
            claim(f"topic:{part.topic.id}", part.questions[0].span, "topic", "topic")
        for q in part.questions:
            claim(f"id:{q.id}", q.span, "id", "id")
        for e in part.events:
            claim(f"id:{e.id}", e.span, "id", "id")
        for t in part.terms:
            claim(f"term:{t.term.casefold()}", t.span, "term", "glossary term")


def load_bank(path: str | Path | None = None) -> Bank:
    """Load and validate a bank folder (default: the shipped bank); raise `BankError` listing every problem.

    A valid bank is cached, keyed by the content of everything that decides the result:
    the bank's files, the source texts its evidence is checked against, nukedu's version
    and the loader's own code. A later load of the same content (in this process, or in
    another through a private folder: `$NUKEDU_CACHE_DIR`, else `$XDG_CACHE_HOME/nukedu`,
    else `~/.cache/nukedu`) skips parsing; any change means a fresh load. Invalid banks are
    never cached. Set `NUKEDU_NO_CACHE=1` to turn the cache off.
    """
    # Composing YAML creates many small objects that all survive; the cyclic collector would
    # rescan them over and over (about 40% of the time at 10k questions), so it waits until we are done.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_bank(path)
    finally:
        if enabled:
            gc.enable()


Parse = Callable[[str, str, SourceCheck, list[Issue]], ParsedFile]


def _bank_files(root: Path) -> list[tuple[Path, Parse]]:
    questions = root / "questions"
    files: list[tuple[Path, Parse]] = [
        (f, parse_questions) for f in sorted(questions.glob("*.yaml")) + sorted(questions.glob("*.yml"))
    ]
    for name, parse in (("timeline.yaml", parse_timeline), ("glossary.yaml", parse_glossary)):
        if (root / name).exists():
            files.append((root / name, parse))
    return files


def _cache_key(root: Path, files: list[tuple[Path, bytes]], texts: list[tuple[str, str, bytes]] | None) -> str | None:
    """sha256 over everything that decides the result; None when the cache is off."""
    key = _bank_cache.new_key()
    if key is None:
        return None
    key.add("root", os.fsencode(str(root)))  # every Span names its file through the folder as given
    for file, data in files:
        key.add("file:" + file.relative_to(root).as_posix(), data)
    if texts is None:
        key.add("sources", b"none found")
    else:
        key.add("sources", b"%d texts" % len(texts))
        for _, filename, data in texts:
            key.add("source:" + filename, data)
    return key.hexdigest()


def _load_bank(path: str | Path | None) -> Bank:
    root = Path(path) if path is not None else default_bank_path()
    issues: list[Issue] = []
    if not root.is_dir():
        raise BankError([Issue(Span(str(root), 1, 1), "", "no such bank folder (expected questions/*.yaml, timeline.yaml, glossary.yaml)")])
    files = _bank_files(root)
    if not files:
        raise BankError([Issue(Span(str(root), 1, 1), "", "no bank files found (expected questions/<topic>.yaml, timeline.yaml or glossary.yaml)")])
    texts = _source_texts(root)
    # Each file is read once: its bytes go into the cache key, and on a miss into the parser.
    blobs = [(file, parse, _read(file, str(file))) for file, parse in files]
    read = [(file, data) for file, _, data in blobs if isinstance(data, bytes)]
    key = None
    if len(read) == len(blobs):  # an unreadable file never makes a valid bank
        key = _cache_key(root, read, texts)
        cached = _bank_cache.get(key, Bank) if key else None
        if cached is not None:
            return cached  # type: ignore[return-value]
    check = _source_check(texts)
    parts: list[ParsedFile] = []
    for file, parse, data in blobs:
        if isinstance(data, Issue):
            issues.append(data)
            continue
        text = _text(data, str(file), issues)
        if text is not None:
            parts.append(parse(text, str(file), check, issues))
    _cross_check(parts, issues)
    if issues:
        raise BankError(issues)
    bank = Bank(
        questions=tuple(q for p in parts for q in p.questions),
        topics=tuple(p.topic for p in parts if p.topic and p.questions),
        eras=tuple(e for p in parts for e in p.eras),
        events=tuple(e for p in parts for e in p.events),
        terms=tuple(t for p in parts for t in p.terms),
    )
    if key:
        _bank_cache.put(key, bank)
    return bank
