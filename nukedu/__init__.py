"""nukedu: quizzes, timelines and graded assignments on Ukraine's partnership with NATO.

`import nukedu` stays light: widgets, plotly and nbgrader load only inside the
functions that need them.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

from .errors import BankError, NukeduError

# Names resolved on first use: the loader needs PyYAML, the views ipywidgets or plotly,
# and even the model and scoring wait until asked for, so `import nukedu` costs almost nothing.
_LAZY = {
    "load_bank": "nukedu.loader",
    "score": "nukedu.scoring",
    "Result": "nukedu.scoring",
    "quiz": "nukedu.widgets.session",
    "ask": "nukedu.widgets.session",
    "timeline": "nukedu.timeline_view",
    "timeline_figure": "nukedu.timeline_view",
    "timeline_quiz": "nukedu.chronology",
    "glossary": "nukedu.glossary_view",
    "progress": "nukedu.progress_view",
    "progress_table": "nukedu.progress_view",
    "review": "nukedu.widgets.review",
    "self_study": "nukedu.widgets.self_study",
}

__all__ = [
    "BankError", "NukeduError", "__version__", *_LAZY,
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("nukedu")
    except PackageNotFoundError:  # a source tree that is not installed
        return "0.0.0"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        globals()[name] = value = _version()
        return value
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nukedu' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
