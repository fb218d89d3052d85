"""The two source texts the bank is written from: ids, titles, and where to read them.

The texts are not shipped with nukedu; their ids, titles and line counts are,
so citations can be checked for range everywhere and for their evidence
fragment where the texts are present.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class SourceDoc:
    id: str
    title: str
    filename: str
    line_count: int
    content_lines: tuple[int, ...]  # the body lines a complete bank must cite


DOCS: dict[str, SourceDoc] = {
    d.id: d
    for d in (
        SourceDoc(
            "partnership-2024",
            "“How to win the war and join NATO?” (analytical article on Ukraine–NATO partnership, June 2024)",
            "000_484ff406695a4f9c.txt",
            52,
            (2, 3, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 25, 26, 27,
             29, 30, 31, 32, 34, 35, 36, 37, 38, 39, 40),
        ),
        SourceDoc(
            "anniversary-2022",
            "Ukraine and NATO partnership anniversary: joint achievements and challenges (2022 event page)",
            "004_4c810ee5b21ad882.txt",
            22,
            (3, 5, 7, 10, 11, 12, 13, 14, 15, 16, 18),
        ),
    )
}

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Text as compared for evidence: straight quotes, plain dashes, single spaces."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip()


def find_sources_dir(start: Path | None = None) -> Path | None:
    """Where the source texts are: $NUKEDU_SOURCES, else a `shared/sources` beside the repository."""
    env = os.environ.get("NUKEDU_SOURCES")
    if env:
        path = Path(env)
        return path if path.is_dir() else None
    bases = [Path.cwd(), Path(__file__).resolve().parent]
    if start is not None:
        bases.insert(0, Path(start).resolve())
    for base in bases:
        for parent in (base, *base.parents):
            candidate = parent / "shared" / "sources"
            if (candidate / "README.md").is_file() or any(candidate.glob("*.txt")):
                return candidate
    return None


def read_lines(directory: Path) -> dict[str, list[str]]:
    """Each doc's lines (1-based index = list index + 1) for the docs present in `directory`."""
    texts: dict[str, list[str]] = {}
    for doc in DOCS.values():
        path = directory / doc.filename
        if path.is_file():
            texts[doc.id] = path.read_text(encoding="utf-8").splitlines()
    return texts
