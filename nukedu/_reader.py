"""Read YAML nodes into checked values, collecting every problem with its place.

A small typed layer over PyYAML's composed nodes: nodes keep line and column
marks, duplicate keys are caught here (PyYAML would keep the last one
silently), and nothing is ever constructed from tags.
"""
from __future__ import annotations

import re
from typing import Callable, TypeVar

import yaml

from .errors import Issue
from .model import Span

T = TypeVar("T")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# Builds ints, floats and bools from already-resolved scalar nodes, without re-parsing text.
_SCALARS = yaml.constructor.SafeConstructor()


class Invalid(Exception):
    """Raised inside a reader to abandon one value after its issue is recorded."""


def compose(text: str, file: str, issues: list[Issue]) -> yaml.Node | None:
    """Parse one YAML document into nodes, or record its parser position."""
    try:
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(p for p in (exc.context, exc.problem) if p) or "malformed YAML"
        issues.append(Issue(Span(file, line, col), "", f"YAML syntax error: {what}"))
    except yaml.YAMLError as exc:  # e.g. a reader error on bad characters
        issues.append(Issue(Span(file, 1, 1), "", f"YAML error: {exc}"))
    return None


def parse_document(text: str, file: str, issues: list[Issue], expected: str, body: Callable[[Reader, yaml.Node], None]) -> None:
    """Compose one file and hand its root to `body`; an empty file and a syntax error are issues too."""
    before = len(issues)
    root = compose(text, file, issues)
    if root is None:
        if len(issues) == before:
            issues.append(Issue(Span(file, 1, 1), "", f"the file is empty; expected {expected}"))
        return
    try:
        body(Reader(file, issues), root)
    except Invalid:
        pass


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "nothing (null)"
    return f"{node.value!r}"


class Reader:
    """Checks nodes of one file against what is expected, recording every issue."""

    def __init__(self, file: str, issues: list[Issue]):
        self.file = file
        self.issues = issues

    def span(self, node: yaml.Node) -> Span:
        return Span(self.file, node.start_mark.line + 1, node.start_mark.column + 1)

    def fail(self, node: yaml.Node, path: str, message: str) -> Invalid:
        self.issues.append(Issue(self.span(node), path, message))
        return Invalid(message)

    def note(self, node: yaml.Node, path: str, message: str) -> None:
        self.issues.append(Issue(self.span(node), path, message))

    # --- containers -------------------------------------------------------
    def mapping(
        self, node: yaml.Node, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, yaml.Node]:
        """The mapping's fields; unknown, repeated or missing keys are issues."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, path, f"expected a mapping with fields {', '.join(required)}, found {_describe(node)}")
        fields: dict[str, yaml.Node] = {}
        allowed = required + optional
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            where = f"{path}.{key}" if path and key is not None else (key or path)
            if key is None:
                self.note(key_node, path, "keys must be plain field names")
            elif key in fields:
                first = fields[key].start_mark.line + 1
                self.note(key_node, where, f"duplicate key {key!r} (first given on line {first})")
            elif key not in allowed:
                self.note(key_node, where, f"unknown field {key!r}; expected one of: {', '.join(allowed)}")
            else:
                fields[key] = value_node
        missing = [k for k in required if k not in fields]
        if missing:
            names = ", ".join(repr(m) for m in missing)
            self.note(node, path or "(top level)", f"missing required field{'s' if len(missing) > 1 else ''} {names}")
        return fields

    def sequence(self, node: yaml.Node, path: str, *, min_len: int = 0, max_len: int | None = None) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, path, f"expected a list, found {_describe(node)}")
        n = len(node.value)
        if n < min_len or (max_len is not None and n > max_len):
            bound = f"{min_len} to {max_len}" if max_len is not None else f"at least {min_len}"
            raise self.fail(node, path, f"expected {bound} entries, found {n}")
        return list(node.value)

    def each(self, nodes: list[yaml.Node], path: str, read: Callable[[yaml.Node, str], T]) -> list[T]:
        """Read every element, keeping the valid ones and recording the rest."""
        out: list[T] = []
        bad = False
        for i, child in enumerate(nodes):
            try:
                out.append(read(child, f"{path}[{i}]"))
            except Invalid:
                bad = True
        if bad:
            raise Invalid(path)
        return out

    # --- scalars ----------------------------------------------------------
    def text(self, node: yaml.Node, path: str, *, allow_empty: bool = False) -> str:
        """Any scalar read as text: `1994` is the text "1994", `no` the text "no"."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == NULL:
            raise self.fail(node, path, f"expected text, found {_describe(node)}")
        value = str(node.value).strip()
        if not value and not allow_empty:
            raise self.fail(node, path, "must not be empty")
        return value

    def integer(self, node: yaml.Node, path: str, lo: int | None = None, hi: int | None = None) -> int:
        if not isinstance(node, yaml.ScalarNode) or node.tag != INT:
            raise self.fail(node, path, f"expected a whole number, found {_describe(node)}")
        value = int(_SCALARS.construct_yaml_int(node))
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            rng = f"from {lo} to {hi}" if lo is not None and hi is not None else (f"at least {lo}" if lo is not None else f"at most {hi}")
            raise self.fail(node, path, f"expected a whole number {rng}, found {value}")
        return value

    def number(self, node: yaml.Node, path: str, lo: float | None = None) -> float:
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (INT, FLOAT):
            raise self.fail(node, path, f"expected a number, found {_describe(node)}")
        value = float(_SCALARS.construct_object(node))
        if value != value or value in (float("inf"), float("-inf")):
            raise self.fail(node, path, f"expected a finite number, found {node.value}")
        if lo is not None and value < lo:
            raise self.fail(node, path, f"expected a number of at least {lo:g}, found {value:g}")
        return int(value) if value.is_integer() and node.tag == INT else value

    def boolean(self, node: yaml.Node, path: str) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag != BOOL:
            raise self.fail(node, path, f"expected true or false, found {_describe(node)}")
        return bool(_SCALARS.construct_yaml_bool(node))

    def identifier(self, node: yaml.Node, path: str) -> str:
        value = self.text(node, path)
        if not ID_PATTERN.match(value):
            raise self.fail(node, path, f"expected an id of lower-case letters, digits and '-', found {value!r}")
        return value

    def texts(
        self, node: yaml.Node, path: str, *, min_len: int = 0, max_len: int | None = None, unique: bool = True
    ) -> tuple[str, ...]:
        """A list of texts; with `unique`, a repeated entry is an issue."""
        nodes = self.sequence(node, path, min_len=min_len, max_len=max_len)
        values = self.each(nodes, path, self.text)
        if unique:
            seen: dict[str, int] = {}
            for i, value in enumerate(values):
                if value in seen:
                    raise self.fail(nodes[i], f"{path}[{i}]", f"{value!r} is listed twice (also at [{seen[value]}])")
                seen[value] = i
        return tuple(values)

    def read_all(
        self, readers: dict[str, Callable[[], object]], present: dict[str, yaml.Node], optional: tuple[str, ...] = ()
    ) -> tuple[dict[str, object], bool]:
        """Run every field's reader, so one bad field does not hide the next; report whether any failed.

        A required field that is absent counts as failed (`mapping` has already reported it).
        """
        values: dict[str, object] = {}
        failed = False
        for name, read in readers.items():
            if name not in present and name not in optional:
                failed = True
                continue
            try:
                values[name] = read()
            except Invalid:
                failed = True
        return values, failed

    def optional(self, fields: dict[str, yaml.Node], key: str, path: str, read: Callable[..., T], default: T, *args, **kw) -> T:
        node = fields.get(key)
        if node is None:
            return default
        return read(node, f"{path}.{key}" if path else key, *args, **kw)
