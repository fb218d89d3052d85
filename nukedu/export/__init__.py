"""Exports of the bank to the tools teachers already use: Moodle XML, GIFT, QTI 1.2 for Canvas and Anki.

One module per format, each a pure function from questions (and the bank, for topic titles and the
glossary) to an `Exported` value holding the file's bytes and the warnings about what the format
cannot carry. `selection` picks the questions the way `quiz()` and assignment specs do; `cli` is the
thin `nukedu export` adapter. Nothing here is imported by `import nukedu`; genanki (the `export`
extra) is imported only when an Anki package is written.

The timeline exports its events rather than questions: `timelinejs` (TimelineJS3 JSON, `nukedu export
timelinejs`) and `timeline_page` (one offline HTML page, `nukedu timeline --html`).
"""
from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model import Bank, Question
    from .common import Exported

# format name -> (module, function, file suffixes a reader expects, what it is called)
FORMATS: dict[str, tuple[str, str, tuple[str, ...], str]] = {
    "moodle": ("nukedu.export.moodle", "export_moodle", (".xml",), "Moodle XML"),
    "gift": ("nukedu.export.gift", "export_gift", (".gift", ".txt"), "GIFT"),
    "qti": ("nukedu.export.qti", "export_qti", (".zip",), "QTI 1.2 for Canvas"),
    "anki": ("nukedu.export.anki", "export_anki", (".apkg",), "Anki package"),
}

__all__ = ["FORMATS", "export"]


def export(fmt: str, questions: Sequence[Question], bank: Bank, **options: Any) -> Exported:
    """Export `questions` in format `fmt` (a key of FORMATS); options go to that format's function."""
    if fmt not in FORMATS:
        from ..errors import NukeduError

        raise NukeduError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    module, function, _, _ = FORMATS[fmt]
    return getattr(import_module(module), function)(questions, bank, **options)
