"""A learner's answers on disk: one SQLite file (standard library, WAL mode) per learner.

Every check, give-up and reset of every card becomes one row of `attempts`;
nothing is ever updated or deleted there, so a later bug cannot lose what a
student did. A reset is a row too: resuming reads only what came after it.
The store holds what the student answered and how it scored, never a key or
an explanation (`question_hash` is computed from what the student sees).

Bad states never stop a quiz: a file that is corrupt, read-only or not
creatable gives one warning and the store runs in memory (a read-only file's
records are copied in first so resuming still works); a write that finds the
file locked for longer than the busy timeout is kept in memory and written
with the next one. Nothing already in a file is ever overwritten.
"""
from __future__ import annotations

import json
import os
import sqlite3
import time
import uuid
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 2
ENV_PATH = "NUKEDU_PROGRESS"
OFF_VALUES = ("off", "none", "0", "false")
BUSY_TIMEOUT_MS = 5_000

# Each migration takes the schema from version i to i + 1; they only ever add.
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the first layout (nukedu 0.1 progress files)
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        learner TEXT NOT NULL,
        question_id TEXT NOT NULL,
        question_hash TEXT NOT NULL,
        place TEXT NOT NULL,
        event TEXT NOT NULL,
        response TEXT,
        status TEXT,
        points REAL,
        max_points REAL,
        hints_used INTEGER NOT NULL DEFAULT 0,
        given_up INTEGER NOT NULL DEFAULT 0,
        at REAL NOT NULL
    );
    CREATE INDEX attempts_place ON attempts (learner, place);
    CREATE TABLE sessions (learner TEXT NOT NULL, place TEXT NOT NULL, data TEXT NOT NULL, updated REAL NOT NULL,
                           PRIMARY KEY (learner, place));
    """,
    # 1 -> 2: a unique id per record (merging exports without duplicates), the notebook, the topic,
    # and the spaced-repetition state of each question
    """
    ALTER TABLE attempts ADD COLUMN uid TEXT;
    ALTER TABLE attempts ADD COLUMN notebook TEXT;
    ALTER TABLE attempts ADD COLUMN topic TEXT NOT NULL DEFAULT '';
    UPDATE attempts SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX attempts_uid ON attempts (uid);
    CREATE INDEX attempts_question ON attempts (learner, question_id, event, status, at, notebook, topic);
    CREATE TABLE review_cards (learner TEXT NOT NULL, question_id TEXT NOT NULL, card TEXT NOT NULL,
                               due REAL NOT NULL, reviews INTEGER NOT NULL DEFAULT 0,
                               PRIMARY KEY (learner, question_id));
    """,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


class ProgressWarning(UserWarning):
    """The progress file cannot be used; answers are kept in memory for this session."""


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    """One thing a learner did to one question: a check, a give-up, or a reset (`question_id` "*": all of a place)."""

    learner: str
    question_id: str
    question_hash: str
    place: str
    event: str                       # check | give_up | reset
    response: Any = None             # what the student answered (JSON), for a check
    status: str | None = None        # correct | partial | incorrect | needs_grading
    points: float | None = None
    max_points: float | None = None
    hints_used: int = 0
    given_up: bool = False
    at: float = field(default_factory=time.time)
    notebook: str | None = None
    topic: str = ""
    uid: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AttemptRecord:
        names = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in names})


_COLUMNS = ("uid", "learner", "question_id", "question_hash", "place", "event", "response", "status", "points",
            "max_points", "hints_used", "given_up", "at", "notebook", "topic")


def default_learner() -> str:
    """The JupyterHub user when there is one, else the account running the kernel."""
    hub = os.environ.get("JUPYTERHUB_USER", "").strip()
    if hub:
        return hub
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no user name in a container without passwd entries
        return "learner"


def default_path() -> Path | None:
    """`NUKEDU_PROGRESS` if set ("off" disables recording), else <jupyter data dir>/nukedu/progress.sqlite."""
    chosen = os.environ.get(ENV_PATH)
    if chosen is not None:
        if chosen.strip().lower() in OFF_VALUES or not chosen.strip():
            return None
        return Path(chosen).expanduser()
    try:
        from jupyter_core.paths import jupyter_data_dir

        base = Path(jupyter_data_dir())
    except Exception:  # jupyter_core is missing outside a Jupyter install
        base = Path.home() / ".local" / "share" / "jupyter"
    return base / "nukedu" / "progress.sqlite"


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, uri=uri, isolation_level=None,
                           check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    has_meta = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if not has_meta:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(conn: sqlite3.Connection, upto: int = SCHEMA_VERSION) -> int:
    """Bring the file to `upto`, one migration per transaction; returns the version found."""
    found = schema_version(conn)
    if found > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(f"it was written by a newer nukedu (schema {found}, this one knows {SCHEMA_VERSION})")
    for version in range(found, upto):
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) == version:  # another kernel may have migrated meanwhile
                for statement in MIGRATIONS[version].split(";"):  # not executescript: it would commit first
                    if statement.strip():
                        conn.execute(statement)
                conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(version + 1),))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found


class ProgressStore:
    """The attempts, quiz positions and review schedule of one learner."""

    def __init__(self, path: str | Path | None, learner: str | None = None, *, warn: bool = True):
        self.learner = learner or default_learner()
        self.path = Path(path) if path is not None else None
        self.problem = ""            # why the store runs in memory, when it does
        self._pending: list[AttemptRecord] = []
        self._warned_write = False
        self.conn = self._open(warn)

    # --- opening -------------------------------------------------------------------------------------------
    @property
    def in_memory(self) -> bool:
        return self.path is None or bool(self.problem)

    def _open(self, warn: bool) -> sqlite3.Connection:
        if self.path is None:
            return self._memory()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = _connect(str(self.path))
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")
                migrate(conn)
                conn.execute("SELECT count(*) FROM attempts").fetchone()
            except BaseException:
                conn.close()
                raise
            return conn
        except (sqlite3.Error, OSError) as exc:
            return self._fallback(exc, warn)

    def _fallback(self, exc: Exception, warn: bool) -> sqlite3.Connection:
        assert self.path is not None
        text = str(exc)
        memory = self._memory()
        kept = ""
        if "readonly" in text.replace("-", "").replace(" ", "") or "read-only" in text or isinstance(exc, PermissionError):
            try:  # keep what the read-only file holds so resuming still works
                source = _connect(f"file:{self.path}?mode=ro", uri=True)
                if schema_version(source) == SCHEMA_VERSION:
                    source.backup(memory)
                    kept = " Earlier answers are shown, but"
                source.close()
            except sqlite3.Error:
                pass
        self.problem = f"{self.path}: {text}"
        if warn:
            warnings.warn(
                f"nukedu: cannot use the progress file {self.path} ({text}).{kept or ' Nothing in it was changed, but'} "
                f"answers from now on are kept in memory only and will be gone when the kernel stops. "
                f"Set {ENV_PATH} to another file to keep them.", ProgressWarning, stacklevel=4)
        return memory

    @staticmethod
    def _memory() -> sqlite3.Connection:
        conn = _connect(":memory:")
        migrate(conn)
        return conn

    def close(self) -> None:
        self.flush()
        self.conn.close()

    # --- attempts -----------------------------------------------------------------------------------------
    def record(self, record: AttemptRecord) -> None:
        """Append one record; if the file is locked past the timeout, keep it and write it with the next one."""
        self._pending.append(record)
        self.flush()

    def flush(self) -> bool:
        if not self._pending:
            return True
        rows = [_row(r) for r in self._pending]
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany(
                f"INSERT OR IGNORE INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", rows)
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if not self._warned_write:
                self._warned_write = True
                warnings.warn(f"nukedu: could not save an answer to {self.path} ({exc}); it is kept in memory and "
                              "will be saved with the next one.", ProgressWarning, stacklevel=3)
            return False
        self._pending.clear()
        return True

    def records(self, *, place: str | None = None, question_ids: Iterable[str] | None = None,
                all_learners: bool = False) -> list[AttemptRecord]:
        """Records in the order they were made, optionally of one place and some questions."""
        sql = f"SELECT {', '.join(_COLUMNS)} FROM attempts WHERE 1=1"
        args: list[Any] = []
        if not all_learners:
            sql += " AND learner = ?"
            args.append(self.learner)
        if place is not None:
            sql += " AND place = ?"
            args.append(place)
        if question_ids is not None:
            ids = list(question_ids)
            sql += f" AND question_id IN ({', '.join('?' * len(ids))})" if ids else " AND 0"
            args += ids
        out = [_record(row) for row in self.conn.execute(sql + " ORDER BY at, id", args)]
        # records waiting for a locked file are part of the story too
        out += [r for r in self._pending if (all_learners or r.learner == self.learner)
                and (place is None or r.place == place)]
        return out

    def question_stats(self) -> list[tuple[str, str, int, float, str | None, str | None, str | None, str | None]]:
        """Per question met, in SQL (fast over 100,000 records): (id, topic, checks, last time, last event,
        last status, status of the first check since the last reset, last notebook). Later ids are later records."""
        self.flush()
        sql = """
        WITH per AS (SELECT question_id, max(topic) AS topic, sum(event = 'check') AS checks, max(at) AS last_at,
                            coalesce(max(CASE WHEN event = 'reset' THEN id END), 0) AS reset_id,
                            max(CASE WHEN event IN ('check', 'give_up') THEN id END) AS last_id,
                            max(CASE WHEN notebook IS NOT NULL THEN id END) AS nb_id
                     FROM attempts WHERE learner = :who AND question_id != '*' GROUP BY question_id)
        SELECT p.question_id, p.topic, p.checks, p.last_at, l.event, l.status,
               (SELECT f.status FROM attempts f WHERE f.id = (
                    SELECT min(g.id) FROM attempts g WHERE g.learner = :who AND g.question_id = p.question_id
                    AND g.event = 'check' AND g.id > p.reset_id)),
               n.notebook
        FROM per p JOIN attempts l ON l.id = p.last_id LEFT JOIN attempts n ON n.id = p.nb_id
        ORDER BY p.question_id"""
        return self.conn.execute(sql, {"who": self.learner}).fetchall()

    def question_ids(self) -> set[str]:
        """Every question this learner has a record of (without reading the records themselves)."""
        self.flush()
        rows = self.conn.execute("SELECT DISTINCT question_id FROM attempts WHERE learner = ? AND question_id != '*'",
                                 (self.learner,))
        return {qid for (qid,) in rows} | {r.question_id for r in self._pending if r.learner == self.learner}

    def daily_checks(self) -> list[tuple[str, int, int]]:
        """(local date, checks, right checks) per day (today's UTC offset: a day may shift by an hour across DST)."""
        import datetime as dt

        self.flush()
        offset = dt.datetime.now().astimezone().utcoffset() or dt.timedelta(0)
        rows = self.conn.execute(
            "SELECT CAST((at + ?) / 86400 AS INTEGER) AS day, count(*), sum(status = 'correct') FROM attempts "
            "WHERE learner = ? AND event = 'check' GROUP BY day ORDER BY day",
            (offset.total_seconds(), self.learner)).fetchall()
        epoch = dt.date(1970, 1, 1)
        return [((epoch + dt.timedelta(days=day)).isoformat(), n, int(ok or 0)) for day, n, ok in rows]

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM attempts").fetchone()[0] + len(self._pending)

    # --- quiz positions -------------------------------------------------------------------------------------
    def save_session(self, place: str, data: dict[str, Any]) -> None:
        self._write("INSERT OR REPLACE INTO sessions (learner, place, data, updated) VALUES (?, ?, ?, ?)",
                    (self.learner, place, json.dumps(data), time.time()))

    def load_session(self, place: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM sessions WHERE learner = ? AND place = ?", (self.learner, place)).fetchone()
        return json.loads(row[0]) if row else None

    def forget_session(self, place: str) -> None:
        self._write("DELETE FROM sessions WHERE learner = ? AND place = ?", (self.learner, place))

    # --- spaced repetition -----------------------------------------------------------------------------------
    def save_review_card(self, question_id: str, card: dict[str, Any], due: float, reviews: int) -> None:
        self._write("INSERT OR REPLACE INTO review_cards (learner, question_id, card, due, reviews) VALUES (?, ?, ?, ?, ?)",
                    (self.learner, question_id, json.dumps(card), due, reviews))

    def review_cards(self) -> dict[str, tuple[dict[str, Any], float, int]]:
        rows = self.conn.execute("SELECT question_id, card, due, reviews FROM review_cards WHERE learner = ?", (self.learner,))
        return {qid: (json.loads(card), due, reviews) for qid, card, due, reviews in rows}

    def _write(self, sql: str, args: Sequence[Any]) -> None:
        try:
            self.conn.execute(sql, args)
        except sqlite3.Error as exc:
            if not self._warned_write:
                self._warned_write = True
                warnings.warn(f"nukedu: could not save progress to {self.path} ({exc}).", ProgressWarning, stacklevel=3)

    # --- export and merge -----------------------------------------------------------------------------------
    def export(self) -> dict[str, Any]:
        """The learner's records as plain data (no keys or explanations are ever stored)."""
        return {"format": "nukedu-progress", "version": SCHEMA_VERSION, "learner": self.learner, "exported": time.time(),
                "records": [r.to_json() for r in self.records()]}

    def merge(self, records: Iterable[AttemptRecord]) -> tuple[int, int]:
        """Add records not already here (by uid); returns (added, already there)."""
        rows = [_row(r) for r in records]
        before = self.count()
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.executemany(
                f"INSERT OR IGNORE INTO attempts ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})", rows)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        added = self.count() - before
        return added, len(rows) - added

    def __iter__(self) -> Iterator[AttemptRecord]:
        return iter(self.records())


def _row(r: AttemptRecord) -> tuple[Any, ...]:
    return (r.uid, r.learner, r.question_id, r.question_hash, r.place, r.event,
            None if r.response is None else json.dumps(r.response, ensure_ascii=False), r.status, r.points,
            r.max_points, int(r.hints_used), int(bool(r.given_up)), float(r.at), r.notebook, r.topic)


def _record(row: Sequence[Any]) -> AttemptRecord:
    data = dict(zip(_COLUMNS, row))
    data["response"] = None if data["response"] is None else json.loads(data["response"])
    data["given_up"] = bool(data["given_up"])
    data["topic"] = data["topic"] or ""
    return AttemptRecord(**data)
