"""One error family for everything nukedu refuses, each issue with its place."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kept out of import time: `import nukedu` loads only this module
    from .model import Span


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found in a file: where, which field, what was expected."""

    span: Span
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.span}: {self.path}: {self.message}" if self.path else f"{self.span}: {self.message}"


class NukeduError(Exception):
    """Base of every error nukedu raises on purpose."""


class BankError(NukeduError):
    """The bank (or a spec) could not be loaded; `issues` lists every problem found."""

    def __init__(self, issues: list[Issue] | tuple[Issue, ...]):
        self.issues = tuple(issues)
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(str(i) for i in self.issues))


class MissingExtraError(NukeduError, ImportError):
    """An optional dependency is needed; the message names the extra to install."""
