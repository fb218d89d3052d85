"""Progress files that travel: read a learner's export, check it, and add up a class's exports. Pure.

An export is JSON: {"format": "nukedu-progress", "learner": ..., "records": [...]}
with the fields of `AttemptRecord` (no keys or explanations: the store never
has them). Reading checks every record and reports every problem at once, by
file, record number and field.
"""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import NukeduError
from .history import current
from .store import AttemptRecord

FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "learner": (str,), "question_id": (str,), "question_hash": (str,), "place": (str,), "event": (str,),
    "hints_used": (int,), "given_up": (bool,), "at": (int, float), "uid": (str,),
}
OPTIONAL_TYPES: dict[str, tuple[type, ...]] = {
    "status": (str, type(None)), "points": (int, float, type(None)), "max_points": (int, float, type(None)),
    "notebook": (str, type(None)), "topic": (str,),
}
EVENTS = ("check", "give_up", "hint", "reset")


class ExportError(NukeduError):
    """An export file cannot be read; the message lists every problem with its place."""


def read_export(path: Path) -> list[AttemptRecord]:
    """The records of one export file, or an `ExportError` naming every bad record and field."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ExportError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ExportError(f"{path}: not a nukedu progress export (not JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != "nukedu-progress" or not isinstance(data.get("records"), list):
        raise ExportError(f"{path}: not a nukedu progress export (expected an object with "
                          '"format": "nukedu-progress" and a "records" list)')
    problems: list[str] = []
    records: list[AttemptRecord] = []
    for n, raw in enumerate(data["records"], start=1):
        where = f"{path}: record {n}"
        if not isinstance(raw, dict):
            problems.append(f"{where}: expected an object, found {type(raw).__name__}")
            continue
        bad = False
        for name, types in {**FIELD_TYPES, **OPTIONAL_TYPES}.items():
            if name not in raw:
                if name in FIELD_TYPES:
                    problems.append(f"{where}: field '{name}' is missing")
                    bad = True
                continue
            value = raw[name]
            if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
                expected = " or ".join("null" if t is type(None) else t.__name__ for t in types)
                problems.append(f"{where}: field '{name}': expected {expected}, found {json.dumps(value)[:40]}")
                bad = True
        if raw.get("event") not in EVENTS and isinstance(raw.get("event"), str):
            problems.append(f"{where}: field 'event': expected one of {', '.join(EVENTS)}, found {raw['event']!r}")
            bad = True
        if not bad:
            records.append(AttemptRecord.from_json(raw))
    if problems:
        raise ExportError(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {path}:\n" + "\n".join(problems))
    return records


@dataclass(frozen=True, slots=True)
class ClassRow:
    """How a class did on one question."""

    question_id: str
    topic: str
    learners: int            # who checked it at least once
    first_wrong: int         # whose first check was not right
    never_right: int         # who have not got it right since

    @property
    def wrong_share(self) -> float:
        return self.first_wrong / self.learners if self.learners else 0.0


def class_summary(records: list[AttemptRecord]) -> list[ClassRow]:
    """Per question, most often missed first: how many learners got it wrong at the first check."""
    first: dict[str, dict[str, str | None]] = defaultdict(dict)
    latest: dict[str, dict[str, bool]] = defaultdict(dict)
    topics: dict[str, str] = {}
    by_learner: dict[str, list[AttemptRecord]] = defaultdict(list)
    for r in sorted(records, key=lambda r: (r.at, r.uid)):
        by_learner[r.learner].append(r)
    for learner, rows in by_learner.items():
        for r in rows:
            if r.event == "check" and r.status != "needs_grading":
                topics.setdefault(r.question_id, r.topic)
                first[r.question_id].setdefault(learner, r.status)
        for place in {r.place for r in rows}:
            for qid, kept in current([r for r in rows if r.place == place]).items():
                checks = [r for r in kept if r.event in ("check", "give_up")]
                if checks and qid in first:
                    ok = checks[-1].event == "check" and checks[-1].status == "correct"
                    latest[qid][learner] = latest[qid].get(learner, False) or ok
    out = [ClassRow(question_id=qid, topic=topics.get(qid, ""), learners=len(who),
                    first_wrong=sum(1 for s in who.values() if s != "correct"),
                    never_right=sum(1 for ok in latest[qid].values() if not ok))
           for qid, who in first.items()]
    return sorted(out, key=lambda r: (-r.wrong_share, -r.learners, r.question_id))


def class_csv(rows: list[ClassRow]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["question_id", "topic", "learners", "wrong_at_first_check", "share_wrong_at_first_check",
                     "not_yet_right"])
    for r in rows:
        writer.writerow([r.question_id, r.topic, r.learners, r.first_wrong, f"{r.wrong_share:.2f}", r.never_right])
    return buffer.getvalue()


def export_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1)
