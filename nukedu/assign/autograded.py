"""The autograded notebook nbgrader's formgrader shows: the source's cells with the student's answers in them.

Cells a student may not change (prompts, given code, tests) come from the
instructor's source notebook, so edits to them are undone as nbgrader
does. Answer cells carry the student's text; nothing the student's notebook
produced is kept (no outputs, no HTML, no scripts). Markdown the student
wrote (essays, added cells) is made inert before formgrader renders it, since
formgrader shows the instructor rendered Markdown with MathJax: raw HTML is
escaped, links and images are broken up, maths delimiters replaced, and
headings (which formgrader would give ids that capture its score boxes) kept as
plain text. Test
cells get the grader's verdict as a plain-text output.
"""
from __future__ import annotations

import copy
import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .trusted import PartResult, SubmittedCell

MAX_MARKDOWN = 20_000
MAX_OUTPUT = 4_000
_LINK = re.compile(r"\]\s*[(:\[]")
_HEADING = re.compile(r"(?m)^( {0,3})#")
_SETEXT = re.compile(r"(?m)^( {0,3})([=-])(?=[=\- \t]*$)")


def inert_markdown(text: str) -> str:
    """Student Markdown that renders as the words they typed and can run nothing in the instructor's page."""
    text = text[:MAX_MARKDOWN]
    text = html.escape(text, quote=False)
    text = _LINK.sub(lambda m: "] " + m.group(0)[-1], text)      # [x](javascript:...) is no longer a link
    text = text.replace("\\", "\uff3c").replace("$", "\uff04")  # no MathJax (\href, \(...\), $...$)
    # No headings: formgrader finds each score box by element id, and a heading named after
    # a grade id (`# q2-test`) would get that id and capture the box.
    text = _HEADING.sub(lambda m: m.group(1) + "&#35;", text)
    text = _SETEXT.sub(lambda m: m.group(1) + ("&#61;" if m.group(2) == "=" else "&#45;"), text)
    return text


def _stream(text: str) -> dict[str, Any]:
    if len(text) > MAX_OUTPUT:
        text = text[:MAX_OUTPUT] + "\n… (output cut)\n"
    return {"output_type": "stream", "name": "stdout", "text": text if text.endswith("\n") else text + "\n"}


def autograded_notebook(source: Mapping[str, Any], cells: Sequence[SubmittedCell], parts: Sequence[PartResult],
                        answer_cells: Mapping[str, str], locked: frozenset[str]) -> dict[str, Any]:
    """The notebook to write to `autograded/<student>/<assignment>/`.

    `answer_cells` maps each answer cell id to the part name it answers;
    student cells that match no source cell are kept (inert) after the source
    cell they followed.
    """
    by_part = {p.name: p for p in parts}
    by_grade = {p.grade_id: p for p in parts}
    submitted = {c.id: c for c in cells}
    source_ids = {c.get("id") for c in source.get("cells", [])}
    extras: dict[str | None, list[SubmittedCell]] = {}
    anchor: str | None = None
    for c in cells:
        if c.id in source_ids:
            anchor = c.id
        elif c.cell_type in ("code", "markdown"):
            extras.setdefault(anchor, []).append(c)
    out_cells: list[dict[str, Any]] = []

    def add_extras(after: str | None) -> None:
        for c in extras.get(after, ()):
            if c.cell_type == "markdown":
                out_cells.append({"cell_type": "markdown", "id": c.id[:64] or "extra", "metadata": {}, "source": inert_markdown(c.source)})
            else:
                out_cells.append({"cell_type": "code", "id": c.id[:64] or "extra", "metadata": {}, "execution_count": None,
                                  "outputs": [], "source": c.source[:MAX_MARKDOWN]})

    add_extras(None)
    for src in source.get("cells", []):
        cell = copy.deepcopy(src)
        cid = cell.get("id")
        if cid in answer_cells and cid not in locked:
            mine = submitted.get(cid)
            text = mine.source if mine is not None else ""
            if cell.get("cell_type") == "markdown":
                cell["source"] = inert_markdown(text) if text.strip() else "YOUR ANSWER HERE"
            else:
                cell["source"] = text[:MAX_MARKDOWN]
                part = by_part.get(answer_cells[cid])
                cell["outputs"] = [_stream(part.output)] if part is not None and part.output else []
                cell["execution_count"] = None
        elif cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        part = by_grade.get(cid)
        if part is not None and cell.get("cell_type") == "code":
            cell["outputs"] = [_stream("\n".join(part.lines))]
        out_cells.append(cell)
        add_extras(cid)
    nb = {key: copy.deepcopy(value) for key, value in source.items() if key != "cells"}
    nb["cells"] = out_cells
    return nb
