"""Grade one submitted notebook against its key, in the grader's own process.

Nothing a student wrote runs here. Bank answers are read from the cells'
text (`answers`), checked for form and marked with the same pure functions
the nbgrader test cells use (`runtime.format_problem`, `runtime.mark`), so
honest submissions earn exactly what `nbgrader autograde` would give them.
Code tasks run in a sandboxed child (`sandbox`) that is handed only the
given code, the student's code and the result names; the expected values
stay here. Every part's worth comes from the key, never from the
submission's nbgrader metadata, which the student can edit.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .answers import Cell, ReadAnswer, read_answer
from .keys import AssignmentKey, BankPartKey, CodePartKey, EssayPartKey
from .runtime import example, format_problem, mark, mark_results

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_SHOWN_ANSWER = 2_000


class Unreadable(Exception):
    """The file is not a notebook the grader can read; the message says why, for the student."""


@dataclass(frozen=True, slots=True)
class SubmittedCell:
    """One cell as submitted. `grade_id` is what the student's metadata claims: a hint, never trusted."""

    id: str
    cell_type: str
    source: str
    grade_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PartResult:
    """What one graded part earned and what its student may read about it."""

    name: str
    label: str
    grade_id: str
    kind: str                   # bank, code or essay
    points: float | None        # None: waits for hand-grading
    max_points: float
    status: str                 # correct, partial, incorrect, unanswered, format, error, needs_grading
    lines: tuple[str, ...] = ()
    answer: str = ""            # the student's answer as written, to show back to them
    hint: str = ""
    answer_hash: str = ""       # essays: tells a regrade whether a hand-graded answer changed
    output: str = ""            # code tasks: what the student's code printed (capped)


def read_submission(raw: bytes) -> tuple[SubmittedCell, ...]:
    """The cells of a notebook file, or `Unreadable` with a reason a student can act on."""
    if len(raw) > MAX_NOTEBOOK_BYTES:
        raise Unreadable(f"the notebook is {len(raw) / 1e6:.1f} MB; the grader reads notebooks up to "
                         f"{MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB (clear large outputs and submit again)")
    try:
        data = json.loads(raw)
    except UnicodeDecodeError as exc:
        raise Unreadable(f"the notebook is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise Unreadable(f"the notebook is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                         "was it edited outside Jupyter or cut short?") from None
    except (ValueError, RecursionError) as exc:
        raise Unreadable(f"the notebook could not be read as JSON ({type(exc).__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise Unreadable("the file is not a Jupyter notebook (it has no list of cells)")
    cells: list[SubmittedCell] = []
    for i, raw_cell in enumerate(data["cells"]):
        if not isinstance(raw_cell, dict):
            continue
        source = raw_cell.get("source", "")
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        elif not isinstance(source, str):
            source = ""
        meta = raw_cell.get("metadata")
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        grade_id = nbg.get("grade_id") if isinstance(nbg, dict) and isinstance(nbg.get("grade_id"), str) else ""
        cell_id = raw_cell.get("id") if isinstance(raw_cell.get("id"), str) else f"cell-{i + 1}"
        cell_type = raw_cell.get("cell_type") if isinstance(raw_cell.get("cell_type"), str) else ""
        cells.append(SubmittedCell(id=cell_id, cell_type=cell_type, source=source, grade_id=grade_id))
    return tuple(cells)


def shown_answer(text: str) -> str:
    """A student's answer as feedback shows it (and as a result keeps it): trimmed and capped."""
    text = text.strip()
    return text if len(text) <= MAX_SHOWN_ANSWER else text[:MAX_SHOWN_ANSWER] + " …"


def _label(cell: SubmittedCell, index: int) -> str:
    return f"cell {index + 1}"


def read_bank_answer(part: BankPartKey, cells: Sequence[SubmittedCell], locked: frozenset[str]) -> ReadAnswer:
    """The value of a bank part's variable after the student's code cells, read from their text (never run)."""
    code = [Cell(_label(c, i), c.source) for i, c in enumerate(cells) if c.cell_type == "code" and c.id not in locked]
    return read_answer(code, part.variable, example(part.variable, part.kind))


def _grade_bank(part: BankPartKey, cells: Sequence[SubmittedCell], locked: frozenset[str]) -> PartResult:
    form = example(part.variable, part.kind)
    read = read_bank_answer(part, cells, locked)
    common = dict(name=part.name, label=part.label, grade_id=part.grade_id, kind="bank", max_points=float(part.points), hint=part.hint)
    if not read.found:
        return PartResult(points=0.0, status="unanswered",
                          lines=(f"{part.label}: no answer.", f"  {part.variable} is not defined: write your answer in its answer cell, e.g. {form}"),
                          **common)
    if read.problem:
        return PartResult(points=0.0, status="format", lines=(f"{part.label}: not graded, 0 points.", "  " + read.problem),
                          answer=shown_answer(read.source_line), **common)
    problem = format_problem(read.value, part.variable, part.kind, part.choices, part.keys)
    if problem:
        status = "unanswered" if read.value is Ellipsis or read.value is None else "format"
        return PartResult(points=0.0, status=status, lines=(f"{part.label}: {'no answer' if status == 'unanswered' else 'not graded'}, 0 points.", "  " + problem),
                          answer=shown_answer(read.source_line), **common)
    marked = mark({**part.key, "label": part.label}, read.value)
    return PartResult(points=marked.points, status=marked.status, lines=marked.lines, answer=shown_answer(read.source_line), **common)


def _task_code(part: CodePartKey, cells: Sequence[SubmittedCell], locked: frozenset[str]) -> str | None:
    """The student's code for a task: the cells between its prompt (or given code) and its check cell."""
    ids = [c.id for c in cells]
    starts = [ids.index(a) for a in part.after_cells if a in ids]
    end = ids.index(part.grade_id) if part.grade_id in ids else -1
    if starts and end > max(starts):
        chosen = [c for c in cells[max(starts) + 1:end] if c.cell_type == "code" and c.id not in locked]
        if chosen:
            return "\n\n".join(c.source for c in chosen)
    mine = [c for c in cells if c.id == part.answer_cell and c.cell_type == "code"]
    return mine[0].source if mine else None


RunCode = Callable[[CodePartKey, str], Any]   # returns a sandbox.TaskOutcome


def _grade_code(part: CodePartKey, cells: Sequence[SubmittedCell], locked: frozenset[str], run_code: RunCode | None) -> PartResult:
    common = dict(name=part.name, label=part.label, grade_id=part.grade_id, kind="code", max_points=float(part.points))
    code = _task_code(part, cells, locked)
    if code is None or not code.strip():
        return PartResult(points=0.0, status="unanswered", lines=(f"{part.label}: no code found for this task, 0 points.",), **common)
    if run_code is None:  # pragma: no cover - the grader always passes a sandbox when the key has code tasks
        raise RuntimeError("code tasks need a sandbox")
    outcome = run_code(part, code)
    marked = mark_results(outcome.values, part.expected, part.results, part.points, part.label, outcome.problems)
    lines = list(marked.lines)
    if outcome.error:
        lines.insert(0, f"Your code stopped: {outcome.error}")
    return PartResult(points=marked.points, status=marked.status, lines=tuple(lines), answer=shown_answer(code), output=outcome.output, **common)


def _grade_essay(part: EssayPartKey, cells: Sequence[SubmittedCell]) -> PartResult:
    common = dict(name=part.name, label=part.label, grade_id=part.grade_id, kind="essay", max_points=float(part.points))
    mine = [c for c in cells if c.id == part.answer_cell]
    text = mine[0].source.strip() if mine else ""
    if not text or text == part.stub:
        return PartResult(points=0.0, status="unanswered", lines=(f"{part.label}: no answer, 0 points.",), **common)
    words = len(text.split())
    lines = [f"{part.label}: graded by your instructor ({words} words)."]
    if part.min_words and words < part.min_words:
        lines.append(f"  The essay asks for at least {part.min_words} words.")
    return PartResult(points=None, status="needs_grading", lines=tuple(lines), answer=text,
                      answer_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(), **common)


def grade_cells(key: AssignmentKey, cells: Sequence[SubmittedCell], run_code: RunCode | None = None) -> tuple[PartResult, ...]:
    """Every part of the key, marked from the submitted cells, in key order."""
    locked = frozenset(key.locked_cells)
    out: list[PartResult] = []
    for part in key.parts:
        if isinstance(part, BankPartKey):
            out.append(_grade_bank(part, cells, locked))
        elif isinstance(part, CodePartKey):
            out.append(_grade_code(part, cells, locked, run_code))
        else:
            out.append(_grade_essay(part, cells))
    return tuple(out)
