"""The answer key of a built assignment: what the trusted grader needs, kept outside `release/`.

`nukedu assignment build` writes one key file per assignment to
`<course>/nukedu/<assignment>/key.json`, beside the timeline data that code
tasks run on. nbgrader's `generate_assignment` copies every file of
`source/<assignment>/` into the release, so nothing secret may live there;
the course's `nukedu/` folder is never released, collected or returned.

The grader reads keys from here and never from a submission: a student can
edit every byte of what they hand in, including cell ids and nbgrader
metadata, and none of it changes what a cell is worth or what is right.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping, Union

from ..errors import BankError, Issue
from ..model import Span

KEY_FORMAT = 1
KEY_DIR = "nukedu"


@dataclass(frozen=True, slots=True, kw_only=True)
class BankPartKey:
    """A bank question: the answer variable, the form check and the key in letters."""

    name: str
    label: str
    grade_id: str
    answer_cell: str
    variable: str
    points: float
    question_id: str
    kind: str                        # the answer form: single, multiple, true_false, ...
    choices: tuple[str, ...] = ()    # letters the student may use
    keys: int = 0                    # matching: how many numbered items
    key: Mapping[str, Any] = field(default_factory=dict)
    hint: str = ""                   # the question's first hint, for feedback on a wrong answer
    # What the student was shown, for the instructor's item analysis (never for grading): the
    # prompt, what each letter stands for, and a matching question's numbered items.
    prompt: str = ""
    texts: tuple[str, ...] = ()
    lefts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CodePartKey:
    """A code task: the given code, the result kinds and the values expected (computed at build time)."""

    name: str
    label: str
    grade_id: str
    answer_cell: str
    after_cells: tuple[str, ...]     # the task's prompt/given cells: student code starts after them
    given: str
    results: Mapping[str, str]
    expected: Mapping[str, Any]
    points: float
    prompt: str = ""                 # the task as shown, for the item analysis


@dataclass(frozen=True, slots=True, kw_only=True)
class EssayPartKey:
    """An essay graded by hand; the grader only records whether there is an answer."""

    name: str
    label: str
    grade_id: str
    answer_cell: str
    points: float
    min_words: int = 0
    stub: str = "YOUR ANSWER HERE"
    prompt: str = ""                 # the essay question, for the item analysis


PartKey = Union[BankPartKey, CodePartKey, EssayPartKey]
_KINDS: dict[str, type] = {"bank": BankPartKey, "code": CodePartKey, "essay": EssayPartKey}
_KIND_OF = {v: k for k, v in _KINDS.items()}


@dataclass(frozen=True, slots=True, kw_only=True)
class AssignmentKey:
    """Every graded part of one assignment notebook, in notebook order."""

    assignment: str
    notebook: str
    title: str
    parts: tuple[PartKey, ...]
    locked_cells: tuple[str, ...] = ()   # ids of cells a student may not change (restored from the source)

    @property
    def max_points(self) -> float:
        return float(sum(p.points for p in self.parts))

    @property
    def has_code(self) -> bool:
        return any(isinstance(p, CodePartKey) for p in self.parts)

    def to_json(self) -> str:
        data = {
            "format": KEY_FORMAT,
            "assignment": self.assignment,
            "notebook": self.notebook,
            "title": self.title,
            "locked_cells": list(self.locked_cells),
            "parts": [{"part": _KIND_OF[type(p)], **_plain(asdict(p))} for p in self.parts],
        }
        return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def key_dir(course: Path, assignment: str) -> Path:
    """Where an assignment's key and task data live: instructor-only, never released."""
    return course / KEY_DIR / assignment


def key_path(course: Path, assignment: str) -> Path:
    return key_dir(course, assignment) / "key.json"


def task_data_dir(course: Path, assignment: str) -> Path:
    """The timeline and glossary code tasks run on (a copy taken at build time, without questions)."""
    return key_dir(course, assignment) / "task-data"


def parse_key(text: str, file: str) -> AssignmentKey:
    """A key file's text to an `AssignmentKey`; every problem is reported with the file and field."""
    issues: list[Issue] = []

    def fail(path: str, message: str) -> None:
        issues.append(Issue(Span(file, 1, 1), path, message))

    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BankError([Issue(Span(file, getattr(exc, "lineno", 1), getattr(exc, "colno", 1)), "", f"not valid JSON: {exc}")]) from None
    if not isinstance(data, dict):
        raise BankError([Issue(Span(file, 1, 1), "", "expected a JSON object")])
    if data.get("format") != KEY_FORMAT:
        fail("format", f"expected key format {KEY_FORMAT}, found {data.get('format')!r}; rebuild the assignment")
    parts: list[PartKey] = []
    for i, raw in enumerate(data.get("parts") or ()):
        path = f"parts[{i}]"
        if not isinstance(raw, dict) or raw.get("part") not in _KINDS:
            fail(f"{path}.part", f"expected one of {', '.join(_KINDS)}")
            continue
        cls = _KINDS[raw["part"]]
        fields = {k: v for k, v in raw.items() if k != "part"}
        for name in ("choices", "after_cells", "texts", "lefts"):
            if isinstance(fields.get(name), list):
                fields[name] = tuple(fields[name])
        try:
            parts.append(cls(**fields))
        except TypeError as exc:
            fail(path, f"does not match a {raw['part']} part: {exc}")
    for name in ("assignment", "notebook", "title"):
        if not isinstance(data.get(name), str):
            fail(name, "expected a text")
    if not parts and not issues:
        fail("parts", "expected at least one part")
    if issues:
        raise BankError(issues)
    return AssignmentKey(assignment=data["assignment"], notebook=data["notebook"], title=data["title"],
                         parts=tuple(parts), locked_cells=tuple(data.get("locked_cells") or ()))


def load_key(course: Path, assignment: str) -> AssignmentKey:
    """The key the build wrote for `assignment`, or a `NukeduError` that says how to get one."""
    from ..errors import NukeduError

    path = key_path(course, assignment)
    if not path.is_file():
        raise NukeduError(f"no answer key for {assignment!r} at {path}; build it with "
                          f"`nukedu assignment build SPEC --course {course}` (keys are written outside release/)")
    return parse_key(path.read_text(encoding="utf-8"), str(path))
