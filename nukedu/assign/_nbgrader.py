"""nbgrader in-process: the course config and an `NbGraderAPI` bound to it.

One process runs every step (about 2-5 s saved per step compared with the
`nbgrader` command), yet it reads the same `nbgrader_config.py` the command
does, so both see the same course.
"""
from __future__ import annotations

import contextlib
import logging
import os
import warnings
import shutil
import sys
from pathlib import Path
from typing import Any, Iterator

from ..errors import MissingExtraError, NukeduError

CONFIG_NAME = "nbgrader_config.py"
CONFIG_MARK = "# Written by `nukedu assignment build`"


def config_text(*, course_id: str, timeout: int, bank: Path | None) -> str:
    """The course's nbgrader_config.py: feedback without hidden tests, restored test cells, a cell timeout."""
    bank_lines = []
    if bank is not None:
        bank_lines = [
            "",
            "# Kernels load the same bank the assignments were built from.",
            "import os",
            f"os.environ.setdefault('NUKEDU_BANK', {str(bank)!r})",
        ]
    return "\n".join([
        f"{CONFIG_MARK}; edits are kept only if you remove this line.",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {course_id!r}",
        "",
        "# Answer cells show `answer_qN = ...` above this stub.",
        "c.ClearSolutions.code_stub = {'python': '# YOUR ANSWER HERE'}",
        "c.ClearSolutions.text_stub = 'YOUR ANSWER HERE'",
        "",
        "# A hung cell is interrupted and scores 0; the rest of the notebook is still graded.",
        f"c.Execute.timeout = {timeout}",
        "c.Execute.interrupt_on_timeout = True",
        "",
        "# Deleted test cells are put back from the gradebook's copy of the source.",
        "c.OverwriteCells.add_missing_cells = True",
        "",
        "# Feedback: grades first, then scrub test-cell outputs (tracebacks quote hidden lines),",
        "# then drop the hidden tests themselves, then style the HTML.",
        "c.GenerateFeedback.preprocessors = [",
        "    'nbgrader.preprocessors.GetGrades',",
        "    'nukedu.assign.feedback.ScrubTestOutputs',",
        "    'nbgrader.preprocessors.ClearHiddenTests',",
        "    'nbconvert.preprocessors.CSSHTMLHeaderPreprocessor',",
        "]",
        *bank_lines,
        "",
    ])


def load_config(course: Path, *, keep_env: bool = False, **overrides: Any):  # type: ignore[no-untyped-def]
    """The course's config with the root set, plus `Section.option` overrides.

    The config may set NUKEDU_BANK for the kernels nbgrader starts; that is undone
    afterwards unless `keep_env` (a `session` undoes it when it ends).
    """
    try:
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader
    except ImportError as exc:  # pragma: no cover
        raise MissingExtraError("assignments need nbgrader: pip install 'nukedu[instructor]'") from exc
    path = course / CONFIG_NAME
    if not path.is_file():
        raise NukeduError(f"{course} is not a course directory (no {CONFIG_NAME}); run `nukedu assignment build` first")
    saved = dict(os.environ)
    try:  # the config may set NUKEDU_BANK for nbgrader's kernels; that must not leak into this process
        cfg = PyFileConfigLoader(CONFIG_NAME, path=str(course)).load_config()
    finally:
        if not keep_env:
            os.environ.clear()
            os.environ.update(saved)
    extra = Config()
    extra.CourseDirectory.root = str(course.resolve())
    for dotted, value in overrides.items():
        section, option = dotted.split(".")
        setattr(getattr(extra, section), option, value)
    cfg.merge(extra)
    return cfg


def open_api(course: Path, **overrides: Any):  # type: ignore[no-untyped-def]
    """An `NbGraderAPI` for the course, logging warnings and errors only."""
    try:
        from nbgrader.apps import NbGraderAPI
    except ImportError as exc:  # pragma: no cover
        raise MissingExtraError("assignments need nbgrader: pip install 'nukedu[instructor]'") from exc
    _tools_on_path()
    cfg = load_config(course, keep_env=True, **overrides)
    api = NbGraderAPI(config=cfg)
    api.log.setLevel(logging.ERROR)
    return api


@contextlib.contextmanager
def session(course: Path, **overrides: Any) -> Iterator[Any]:
    """`open_api` for the length of a block; the environment the course config sets is undone after it."""
    saved = {k: os.environ.get(k) for k in ("NUKEDU_BANK", "PATH")}
    try:
        with warnings.catch_warnings():
            try:
                from sqlalchemy.exc import SAWarning
            except ImportError:  # pragma: no cover
                SAWarning = Warning  # noqa: N806
            # nbgrader's own gradebook code triggers these on every autograde; they are not ours to fix.
            warnings.simplefilter("ignore", SAWarning)
            yield open_api(course, **overrides)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _tools_on_path() -> None:
    """nbgrader runs the `alembic` command when it creates a gradebook: find it beside this Python."""
    if shutil.which("alembic") is None:
        bin_dir = str(Path(sys.executable).parent)
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def check(result: dict[str, Any], what: str) -> str:
    """Raise with nbgrader's own log when a step failed; return the log otherwise."""
    if not result.get("success"):
        log = result.get("log", "")
        error = result.get("error", "").strip().splitlines()
        raise NukeduError(f"{what} failed: {error[-1] if error else 'unknown error'}\n{log}".rstrip())
    return result.get("log", "")
