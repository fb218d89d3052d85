"""nukedu: quizzes, timelines and graded assignments on Ukraine's partnership with NATO.

`import nukedu` stays light: widgets, plotly and nbgrader load only inside the
functions that need them.
"""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from .errors import BankError, NukeduError
from .loader import load_bank
from .scoring import Result, score

try:
    __version__ = version("nukedu")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

# Names whose modules pull in ipywidgets or plotly: resolved on first use.
_LAZY = {
    "quiz": "nukedu.widgets.session",
    "ask": "nukedu.widgets.session",
    "timeline": "nukedu.timeline",
    "timeline_figure": "nukedu.timeline",
    "timeline_quiz": "nukedu.timeline_quiz",
    "glossary": "nukedu.glossary",
}

__all__ = [
    "BankError", "NukeduError", "Result", "__version__", "load_bank", "score", *_LAZY,
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nukedu' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
