"""Feedback without hidden tests: scrub what test cells printed before nbgrader renders it.

`ClearHiddenTests` removes the hidden lines from a test cell's source, but
the outputs stay: a failing hidden line shows up in its traceback (IPython
quotes the failing line and its neighbours), and warnings on stderr quote
source lines too. This preprocessor, listed in the generated
`nbgrader_config.py`, keeps only what the student may see: our verdict lines
on stdout, the numeric score, and for errors just the error's name and (for
errors about the student's own answer) its message.
"""
from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

from ._cells import is_test_cell

# Errors whose message speaks about the student's answer, never about the key.
SAFE_ERRORS = frozenset({"AnswerFormatError", "NameError", "CellTimeoutError", "SyntaxError", "KeyboardInterrupt"})


def scrub_outputs(outputs: list) -> list:  # type: ignore[type-arg]
    kept = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            if out.get("name") == "stdout":
                kept.append(out)
        elif kind == "error":
            ename = out.get("ename", "Error")
            evalue = out.get("evalue", "") if ename in SAFE_ERRORS else "a hidden test failed on this answer"
            out["evalue"] = evalue
            out["traceback"] = [f"{ename}: {evalue}"]
            kept.append(out)
        elif kind == "execute_result":
            kept.append(out)
    return kept


class ScrubTestOutputs(NbGraderPreprocessor):
    """Reduce every test cell's outputs to verdicts, score and short error lines."""

    def preprocess_cell(self, cell, resources, index):  # type: ignore[no-untyped-def]
        if is_test_cell(cell):
            cell.outputs = scrub_outputs(list(cell.get("outputs", [])))
        return cell, resources
