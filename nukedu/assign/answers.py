"""Read a student's answer from the notebook's text without running any of it.

An answer cell holds `answer_q3 = "B"`. Running that cell (as nbgrader does)
lets whatever else the student wrote run too: patch the grader, redefine
`max`, hand back a `str` whose `__eq__` is always true. So the trusted grader
never executes answer cells. It parses their source with `ast`, bounded
first (length) and while walking (depth, item counts, text sizes), and
builds the value itself from literals only. What comes out is made of the
exact built-in types `str`, `int`, `float`, `bool`, `None`, `...`, `list`,
`tuple`, `dict` and `set`, so nothing the student defined can take part in
scoring.

The answer is the value of the last top-level assignment to the variable
across the code cells, which is what running the notebook from top to
bottom would leave. A variable bound in any other way (a loop, a call, `+=`,
inside an `if`) cannot be read without running code; the student is told
how to write it instead.
"""
from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

MAX_CELL_CHARS = 10_000     # an answer is a line; a long cell is not read at all
MAX_DEPTH = 4               # [[...]] nesting needed by any answer is 2
MAX_ITEMS = 100             # elements of one list, tuple, set or dict
MAX_TEXT = 2_000            # characters of one string
MAX_DIGITS = 30             # an integer answer is a year or a count
MAX_SOURCE_LINE = 200       # the student's line kept to show back to them


class _NotLiteral(Exception):
    """The expression is something other than a plain value."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One code cell of a submission: where it is (for messages) and its text."""

    label: str
    source: str


@dataclass(frozen=True, slots=True)
class ReadAnswer:
    """What a cell gave for one variable. `found` is False when it was never assigned."""

    value: Any = None
    found: bool = False
    problem: str = ""       # why no value could be read, in words that teach the format
    source_line: str = ""   # the student's own line, to show back to them


def _value(node: ast.AST, depth: int = 0) -> Any:
    if depth > MAX_DEPTH:
        raise _NotLiteral("it is nested too deeply")
    if isinstance(node, ast.Constant):
        v = node.value
        if v is None or v is Ellipsis or type(v) in (bool, float):
            return v
        if type(v) is int:
            if len(str(abs(v))) > MAX_DIGITS:
                raise _NotLiteral("the number is too long")
            return v
        if type(v) is str:
            if len(v) > MAX_TEXT:
                raise _NotLiteral(f"the text is longer than {MAX_TEXT} characters")
            return v
        raise _NotLiteral(f"a {type(v).__name__} value is not an answer")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        inner = node.operand
        if isinstance(inner, ast.Constant) and type(inner.value) in (int, float):
            number = _value(inner, depth + 1)
            return -number if isinstance(node.op, ast.USub) else number
        raise _NotLiteral("only a number can have a sign")
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        if len(node.elts) > MAX_ITEMS:
            raise _NotLiteral(f"it has more than {MAX_ITEMS} items")
        items = [_value(e, depth + 1) for e in node.elts]
        if isinstance(node, ast.List):
            return items
        if isinstance(node, ast.Tuple):
            return tuple(items)
        try:
            return set(items)
        except TypeError:
            raise _NotLiteral("a set can hold only letters, numbers or texts") from None
    if isinstance(node, ast.Dict):
        if len(node.keys) > MAX_ITEMS:
            raise _NotLiteral(f"it has more than {MAX_ITEMS} entries")
        out: dict[Any, Any] = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                raise _NotLiteral("** cannot be used in an answer")
            key = _value(k, depth + 1)
            if isinstance(key, (list, dict, set)):
                raise _NotLiteral("a dict key must be a number or a text")
            out[key] = _value(v, depth + 1)
        return out
    raise _NotLiteral("it is a calculation, a name or a call, not a value")


def _binds(target: ast.AST, var: str) -> bool:
    """Whether an assignment target (possibly a tuple of targets) names `var`."""
    if isinstance(target, ast.Name):
        return target.id == var
    if isinstance(target, (ast.Tuple, ast.List)):
        return any(_binds(t, var) for t in target.elts)
    if isinstance(target, ast.Starred):
        return _binds(target.value, var)
    return False


def _other_binding(node: ast.stmt, var: str) -> bool:
    """A statement that changes `var` in a way we cannot read without running code."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id == var and isinstance(sub.ctx, (ast.Store, ast.Del)):
            return True
        if isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and sub.name == var:
            return True
        if isinstance(sub, (ast.Import, ast.ImportFrom)) and any((a.asname or a.name.split(".")[0]) == var for a in sub.names):
            return True
        if isinstance(sub, ast.Global) and var in sub.names:
            return True
    return False


def _line(source: str, node: ast.AST) -> str:
    lines = source.splitlines()
    number = getattr(node, "lineno", 1)
    return lines[number - 1].strip()[:MAX_SOURCE_LINE] if 0 < number <= len(lines) else ""


def read_answer(cells: Sequence[Cell], var: str, example: str) -> ReadAnswer:
    """The value of `var` after the cells, read from their text; never runs them.

    `example` is a correct form (`answer_q3 = "B"`) quoted in messages.
    """
    result = ReadAnswer()
    syntax_errors: list[str] = []
    how = f"write your answer as a value, e.g. {example}"
    for cell in cells:
        source = cell.source
        if var not in source:
            continue
        if len(source) > MAX_CELL_CHARS:
            result = ReadAnswer(found=True, problem=f"{cell.label} is longer than {MAX_CELL_CHARS} characters, so it was not read; {how}")
            continue
        try:
            tree = ast.parse(source)
        except SyntaxError as exc:
            syntax_errors.append(f"{cell.label} has a syntax error on line {exc.lineno}: {exc.msg}")
            continue
        except (ValueError, RecursionError, MemoryError, OverflowError):
            syntax_errors.append(f"{cell.label} could not be read (it is nested too deeply)")
            continue
        for stmt in tree.body:
            target_value: ast.AST | None = None
            if isinstance(stmt, ast.Assign) and any(_binds(t, var) for t in stmt.targets):
                simple = all(isinstance(t, ast.Name) for t in stmt.targets)
                target_value = stmt.value if simple else None
            elif isinstance(stmt, ast.AnnAssign) and _binds(stmt.target, var):
                target_value = stmt.value
            elif _other_binding(stmt, var):
                result = ReadAnswer(found=True, problem=f"{var} is changed by code that would have to run to know its value ({_line(source, stmt)!r}); {how}",
                                    source_line=_line(source, stmt))
                continue
            else:
                continue
            if target_value is None:
                result = ReadAnswer(found=True, problem=f"{var} must be assigned on its own line; {how}", source_line=_line(source, stmt))
                continue
            try:
                result = ReadAnswer(value=_value(target_value), found=True, source_line=_line(source, stmt))
            except _NotLiteral as exc:
                result = ReadAnswer(found=True, problem=f"{var} could not be read: {exc}; {how}", source_line=_line(source, stmt))
            except (RecursionError, MemoryError):
                result = ReadAnswer(found=True, problem=f"{var} could not be read: it is nested too deeply; {how}", source_line=_line(source, stmt))
    if not result.found and syntax_errors:
        return ReadAnswer(problem="; ".join(syntax_errors) + f". Fix it so that it reads {example}")
    return result
