"""Assignment specs: YAML text to frozen dataclasses, then resolved against a bank.

`parse_spec` reads text (never a path) and reports every problem at once as
`file:line:col: field.path: message`, like the bank loader. `resolve` picks
the bank questions a spec asks for; it is pure and seeded, so the same spec
and bank always give the same assignment. `load_spec` is the one function
that opens a file.
"""
from __future__ import annotations

import keyword
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union

import yaml

from .._reader import ID_PATTERN, Invalid, Reader, parse_document
from ..errors import BankError, Issue
from ..loader import rubric_criterion
from ..model import QUESTION_TYPES, Bank, Essay, Question, RubricCriterion, Span

ResultKind = Literal["int", "float", "str", "list", "dict", "figure"]
RESULT_KINDS: tuple[ResultKind, ...] = ("int", "float", "str", "list", "dict", "figure")
PART_KINDS = ("questions", "code", "essay")
RULE_FIELDS = ("topic", "types", "difficulty", "tags", "n", "seed")


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionRule:
    """Pick `n` questions at random (seeded) among those matching every criterion."""

    n: int
    seed: int
    topic: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    difficulty: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionsPart:
    """Bank questions, by id or by rule; `points` overrides each question's own worth."""

    ids: tuple[str, ...] = ()
    rule: QuestionRule | None = None
    points: int | None = None
    span: Span | None = field(default=None, compare=False, repr=False)
    id_spans: tuple[Span, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeResult:
    """A variable the student's code must define; its expected value is computed at build time."""

    name: str
    kind: ResultKind


@dataclass(frozen=True, slots=True, kw_only=True)
class CodePart:
    """A programming task on the library's data, with the instructor's solution."""

    name: str
    title: str
    prompt: str
    solution: str
    results: tuple[CodeResult, ...]
    points: int
    given: str = ""
    starter: str = ""
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class EssayPart:
    """A free-text answer graded by hand against a rubric."""

    name: str
    prompt: str
    rubric: tuple[RubricCriterion, ...]
    model_answer: tuple[str, ...] = ()
    min_words: int = 0
    span: Span | None = field(default=None, compare=False, repr=False)

    @property
    def points(self) -> int:
        return sum(c.points for c in self.rubric)


Part = Union[QuestionsPart, CodePart, EssayPart]


@dataclass(frozen=True, slots=True, kw_only=True)
class Spec:
    """One assignment as the instructor wrote it."""

    name: str
    title: str
    instructions: str
    seed: int
    parts: tuple[Part, ...]
    file: str = ""


# --- resolved assignment -----------------------------------------------------
@dataclass(frozen=True, slots=True, kw_only=True)
class BankItem:
    """One bank question at its place in the assignment."""

    number: int
    name: str
    question: Question
    points: int

    @property
    def variable(self) -> str:
        return f"answer_{self.name}"


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeItem:
    number: int
    name: str
    part: CodePart

    @property
    def points(self) -> int:
        return self.part.points


@dataclass(frozen=True, slots=True, kw_only=True)
class EssayItem:
    """An essay from the spec or from the bank; graded by hand."""

    number: int
    name: str
    prompt: str
    rubric: tuple[RubricCriterion, ...]
    model_answer: tuple[str, ...]
    min_words: int
    question_id: str = ""

    @property
    def points(self) -> int:
        return sum(c.points for c in self.rubric)


Item = Union[BankItem, CodeItem, EssayItem]


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """A spec with its questions chosen: what the notebook builder needs."""

    spec: Spec
    items: tuple[Item, ...]

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def points(self) -> int:
        return sum(i.points for i in self.items)


# --- parsing -------------------------------------------------------------------
def _one_or_many(r: Reader, node: yaml.Node, path: str, read) -> tuple:  # type: ignore[no-untyped-def]
    """A single value or a list of values, as a tuple."""
    if isinstance(node, yaml.SequenceNode):
        nodes = r.sequence(node, path, min_len=1)
        return tuple(r.each(nodes, path, read))
    return (read(node, path),)


def _questions(r: Reader, node: yaml.Node, path: str, default_seed: int) -> QuestionsPart:
    f = r.mapping(node, path, (), ("ids", "points") + RULE_FIELDS)
    if not isinstance(node, yaml.MappingNode):
        raise Invalid(path)
    points = r.optional(f, "points", path, r.integer, None, 1, 100)
    rule_keys = [k for k in RULE_FIELDS if k in f]
    if "ids" in f:
        if rule_keys:
            raise r.fail(f[rule_keys[0]], f"{path}.{rule_keys[0]}", "give either ids or a rule (topic, types, difficulty, tags, n, seed), not both")
        nodes = r.sequence(f["ids"], f"{path}.ids", min_len=1)
        ids = r.texts(f["ids"], f"{path}.ids", min_len=1)
        return QuestionsPart(ids=ids, points=points, span=r.span(node), id_spans=tuple(r.span(n) for n in nodes))
    if "n" not in f:
        raise r.fail(node, path, "give either ids or a rule with n (how many questions to pick)")
    readers = {
        "n": lambda: r.integer(f["n"], f"{path}.n", 1, 100),
        "seed": lambda: r.optional(f, "seed", path, r.integer, default_seed),
        "topic": lambda: r.optional(f, "topic", path, lambda n, p: _one_or_many(r, n, p, r.identifier), ()),
        "types": lambda: r.optional(f, "types", path, lambda n, p: _one_or_many(r, n, p, lambda m, q: _type(r, m, q)), ()),
        "difficulty": lambda: r.optional(f, "difficulty", path, lambda n, p: _one_or_many(r, n, p, lambda m, q: r.integer(m, q, 1, 3)), ()),
        "tags": lambda: r.optional(f, "tags", path, lambda n, p: _one_or_many(r, n, p, r.text), ()),
    }
    values, bad = r.read_all(readers, f, tuple(readers))
    if bad:
        raise Invalid(path)
    return QuestionsPart(rule=QuestionRule(**values), points=points, span=r.span(node))


def _type(r: Reader, node: yaml.Node, path: str) -> str:
    value = r.text(node, path)
    if value not in QUESTION_TYPES:
        raise r.fail(node, path, f"unknown question type {value!r}; expected one of: {', '.join(QUESTION_TYPES)}")
    return value


def _python_name(r: Reader, node: yaml.Node, path: str) -> str:
    value = r.text(node, path)
    if not value.isidentifier() or keyword.iskeyword(value) or value.startswith("_"):
        raise r.fail(node, path, f"expected a Python variable name (letters, digits, '_', not starting with '_'), found {value!r}")
    return value


def _result(r: Reader, node: yaml.Node, path: str) -> CodeResult:
    f = r.mapping(node, path, ("name", "kind"))
    if len(f) < 2:
        raise Invalid(path)
    name = kind = None
    try:
        name = _python_name(r, f["name"], f"{path}.name")
    except Invalid:
        pass
    kind = r.text(f["kind"], f"{path}.kind")
    if kind not in RESULT_KINDS:
        raise r.fail(f["kind"], f"{path}.kind", f"unknown result kind {kind!r}; expected one of: {', '.join(RESULT_KINDS)}")
    if name is None:
        raise Invalid(path)
    return CodeResult(name=name, kind=kind)  # type: ignore[arg-type]


def _code_text(r: Reader, node: yaml.Node, path: str) -> str:
    text = r.text(node, path)
    try:
        compile(text, path, "exec")
    except SyntaxError as exc:
        line = node.start_mark.line + 1 + (exc.lineno or 1) - (0 if node.style in ("|", ">") else 1)
        r.issues.append(Issue(Span(r.file, line, 1), path, f"Python syntax error: {exc.msg}"))
        raise Invalid(path)
    return text


def _code(r: Reader, node: yaml.Node, path: str, default_name: str) -> CodePart:
    f = r.mapping(node, path, ("prompt", "solution", "results", "points"), ("name", "title", "given", "starter"))
    values: dict = {"span": r.span(node)}
    readers = {
        "name": lambda: r.optional(f, "name", path, r.identifier, default_name),
        "title": lambda: r.optional(f, "title", path, r.text, ""),
        "prompt": lambda: r.text(f["prompt"], f"{path}.prompt"),
        "solution": lambda: _code_text(r, f["solution"], f"{path}.solution"),
        "given": lambda: r.optional(f, "given", path, lambda n, p: _code_text(r, n, p), ""),
        "starter": lambda: r.optional(f, "starter", path, lambda n, p: _code_text(r, n, p), ""),
        "points": lambda: r.integer(f["points"], f"{path}.points", 1, 100),
        "results": lambda: tuple(r.each(r.sequence(f["results"], f"{path}.results", min_len=1), f"{path}.results", lambda n, p: _result(r, n, p))),
    }
    read, bad = r.read_all(readers, f, ("name", "title", "given", "starter"))
    values.update(read)
    if bad:
        raise Invalid(path)
    names = [res.name for res in values["results"]]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise r.fail(f["results"].value[i], f"{path}.results[{i}].name", f"{name!r} is listed twice")
    return CodePart(**values)


def _essay(r: Reader, node: yaml.Node, path: str, default_name: str) -> EssayPart:
    f = r.mapping(node, path, ("prompt", "rubric"), ("name", "model_answer", "min_words"))
    values: dict = {"span": r.span(node)}
    readers = {
        "name": lambda: r.optional(f, "name", path, r.identifier, default_name),
        "prompt": lambda: r.text(f["prompt"], f"{path}.prompt"),
        "rubric": lambda: tuple(r.each(r.sequence(f["rubric"], f"{path}.rubric", min_len=1), f"{path}.rubric", lambda n, p: rubric_criterion(r, n, p))),
        "model_answer": lambda: r.optional(f, "model_answer", path, r.texts, ()),
        "min_words": lambda: r.optional(f, "min_words", path, r.integer, 0, 0, 10000),
    }
    read, bad = r.read_all(readers, f, ("name", "model_answer", "min_words"))
    values.update(read)
    if bad:
        raise Invalid(path)
    return EssayPart(**values)


def _part(r: Reader, node: yaml.Node, path: str, index: int, seed: int) -> Part:
    f = r.mapping(node, path, (), PART_KINDS)
    if not isinstance(node, yaml.MappingNode):
        raise Invalid(path)
    if len(f) != 1:
        if len(f) == len(node.value):  # no unknown keys: the count itself is the problem
            what = "nothing" if not f else " and ".join(f)
            r.note(node, path, f"expected exactly one of {', '.join(PART_KINDS)}, found {what}")
        raise Invalid(path)
    kind, value = next(iter(f.items()))
    where = f"{path}.{kind}"
    if kind == "questions":
        return _questions(r, value, where, seed)
    if kind == "code":
        return _code(r, value, where, f"task-{index + 1}")
    return _essay(r, value, where, f"essay-{index + 1}")


def parse_spec(text: str, file: str, default_name: str = "") -> Spec:
    """Read one spec; raise `BankError` listing every problem found."""
    issues: list[Issue] = []
    found: list[Spec] = []

    def body(r: Reader, root: yaml.Node) -> None:
        f = r.mapping(root, "", ("title", "instructions", "parts"), ("name", "seed"))
        values, bad = r.read_all({
            "name": lambda: r.optional(f, "name", "", r.identifier, default_name),
            "title": lambda: r.text(f["title"], "title"),
            "instructions": lambda: r.text(f["instructions"], "instructions"),
            "seed": lambda: r.optional(f, "seed", "", r.integer, 0),
        }, f, ("name", "seed"))
        values["file"] = file
        if "name" in values and not values["name"]:
            r.note(root, "name", "missing required field 'name' (no file name to default to)")
            bad = True
        elif "name" in values and not ID_PATTERN.match(values["name"]):
            r.note(root, "name", f"the file name {values['name']!r} is not a valid assignment name; add a name field")
            bad = True
        parts: list[Part] = []
        if "parts" in f:
            nodes = r.sequence(f["parts"], "parts", min_len=1)
            seed = values.get("seed", 0)
            parts = r.each(nodes, "parts", lambda n, p: _part(r, n, p, int(p[6:-1]), seed))
            _check_names(r, nodes, parts)
        if not bad and not issues:
            found.append(Spec(parts=tuple(parts), **values))

    parse_document(text, file, issues, "fields title, instructions, parts", body)
    spec = found[0] if found else None
    if issues or spec is None:
        raise BankError(issues or [Issue(Span(file, 1, 1), "", "invalid spec")])
    return spec


def _check_names(r: Reader, nodes: list[yaml.Node], parts: list[Part]) -> None:
    seen: dict[str, int] = {}
    for i, part in enumerate(parts):
        name = getattr(part, "name", None)
        if name is None:
            continue
        if name in seen:
            kind = "code" if isinstance(part, CodePart) else "essay"
            r.note(nodes[i], f"parts[{i}].{kind}.name", f"duplicate part name {name!r} (also parts[{seen[name]}])")
        else:
            seen[name] = i


def load_spec(path: str | Path) -> Spec:
    """Read a spec file; its name defaults to the file name without extension."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise BankError([Issue(Span(str(p), 1, 1), "", f"cannot read the spec: {reason}")]) from None
    return parse_spec(text, str(p), default_name=p.stem)


# --- resolving against a bank --------------------------------------------------
def resolve(spec: Spec, bank: Bank) -> Assignment:
    """Choose the questions of every part; raise `BankError` (at the spec's lines) when the bank can't supply them."""
    issues: list[Issue] = []
    taken: set[str] = set()
    items: list[Item] = []
    span0 = Span(spec.file, 1, 1)

    def number() -> int:
        return len(items) + 1

    for index, part in enumerate(spec.parts):
        path = f"parts[{index}]"
        if isinstance(part, QuestionsPart):
            chosen = _choose(part, bank, taken, issues, f"{path}.questions", part.span or span0)
            for q in chosen:
                taken.add(q.id)
                k = number()
                if isinstance(q, Essay):
                    items.append(EssayItem(number=k, name=f"q{k}", prompt=q.prompt, rubric=q.rubric,
                                           model_answer=q.model_answer, min_words=q.min_words, question_id=q.id))
                else:
                    items.append(BankItem(number=k, name=f"q{k}", question=q, points=part.points or q.points))
        elif isinstance(part, CodePart):
            items.append(CodeItem(number=number(), name=part.name, part=part))
        else:
            items.append(EssayItem(number=number(), name=part.name, prompt=part.prompt, rubric=part.rubric,
                                   model_answer=part.model_answer, min_words=part.min_words))
    names = [i.name for i in items]
    for i, item in enumerate(items):
        if item.name in names[:i]:
            issues.append(Issue(span0, "parts", f"part name {item.name!r} clashes with a question's automatic name; rename the part"))
    if issues:
        raise BankError(issues)
    return Assignment(spec=spec, items=tuple(items))


def _choose(part: QuestionsPart, bank: Bank, taken: set[str], issues: list[Issue], path: str, span: Span) -> list[Question]:
    if part.rule is None:
        out: list[Question] = []
        for i, qid in enumerate(part.ids):
            where = part.id_spans[i] if i < len(part.id_spans) else span
            try:
                q = bank.question(qid)
            except KeyError:
                issues.append(Issue(where, f"{path}.ids[{i}]", f"no question with id {qid!r} in the bank"))
                continue
            if qid in taken or q in out:
                issues.append(Issue(where, f"{path}.ids[{i}]", f"question {qid!r} is already used by an earlier part"))
                continue
            out.append(q)
        return out
    rule = part.rule
    pool = [q for q in bank.filter(topic=rule.topic or None, types=rule.types or None,
                                   difficulty=rule.difficulty or None, tags=rule.tags or None) if q.id not in taken]
    pool.sort(key=lambda q: q.id)
    if len(pool) < rule.n:
        criteria = ", ".join(f"{k}={'/'.join(map(str, v))}" for k, v in
                             (("topic", rule.topic), ("types", rule.types), ("difficulty", rule.difficulty), ("tags", rule.tags)) if v)
        issues.append(Issue(span, f"{path}.n", f"asks for {rule.n} questions but only {len(pool)} unused ones match ({criteria or 'no criteria'})"))
        return []
    picked = random.Random(f"nukedu:{rule.seed}").sample(pool, rule.n)
    return sorted(picked, key=lambda q: pool.index(q))
