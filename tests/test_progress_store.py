"""The progress store: round trip, migration, concurrent writers, bad files, and no key anywhere in it."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from nukedu.learner.history import current, question_hash
from nukedu.learner.store import MIGRATIONS, SCHEMA_VERSION, AttemptRecord, ProgressStore, ProgressWarning, default_path


def rec(qid: str = "q1", event: str = "check", **kw) -> AttemptRecord:
    base = dict(learner="ann", question_id=qid, question_hash="h", place="ask@l1.ipynb", event=event,
                response=kw.pop("response", "A"), status=kw.pop("status", "incorrect"), points=0.0, max_points=1.0)
    return AttemptRecord(**{**base, **kw})


def test_records_round_trip_with_every_field(tmp_path):
    store = ProgressStore(tmp_path / "p.sqlite", learner="ann")
    written = [rec(response={"Kyiv": "Mission", "Brussels": "HQ"}, notebook="course/01.ipynb", topic="beginnings"),
               rec("q2", response=[3, 1, 2], status="correct", points=1.0, hints_used=2),
               rec("q3", event="give_up", response=None, status=None, given_up=True)]
    for r in written:
        store.record(r)
    store.close()
    again = ProgressStore(tmp_path / "p.sqlite", learner="ann")
    assert again.records() == written
    assert again.records(place="elsewhere") == []
    assert ProgressStore(tmp_path / "p.sqlite", learner="bob").records() == []  # another learner sees nothing
    mode = again.conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_default_place_follows_jupyter_and_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.setenv("NUKEDU_PROGRESS", str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"
    monkeypatch.setenv("NUKEDU_PROGRESS", "off")
    assert default_path() is None
    monkeypatch.delenv("NUKEDU_PROGRESS")
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jd"))
    assert default_path() == tmp_path / "jd" / "nukedu" / "progress.sqlite"


def test_a_version_1_file_is_migrated_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute("INSERT INTO attempts (learner, question_id, question_hash, place, event, response, status, points,"
                 " max_points, hints_used, given_up, at) VALUES ('ann','q1','h','ask@','check','\"A\"','correct',1,1,0,0,5.0)")
    conn.commit()
    conn.close()
    store = ProgressStore(path, learner="ann")
    (old,) = store.records()
    assert (old.question_id, old.response, old.status, old.at) == ("q1", "A", "correct", 5.0)
    assert len(old.uid) == 32 and old.notebook is None
    store.record(rec("q2"))
    assert [r.question_id for r in store.records()] == ["q1", "q2"]
    assert store.conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == str(SCHEMA_VERSION)


def test_a_file_from_a_newer_nukedu_is_left_alone(tmp_path):
    path = tmp_path / "new.sqlite"
    ProgressStore(path, learner="ann").close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.warns(ProgressWarning, match="newer nukedu"):
        store = ProgressStore(path, learner="ann")
    assert store.in_memory
    store.record(rec())
    assert path.read_bytes() == before


WRITER = """
import sys
from nukedu.learner.store import AttemptRecord, ProgressStore
store = ProgressStore(sys.argv[1], learner="ann")
for i in range(500):
    store.record(AttemptRecord(learner="ann", question_id=f"{sys.argv[2]}-{i}", question_hash="h", place="p", event="check"))
store.close()
"""


def test_two_kernels_writing_at_once_lose_nothing(tmp_path):
    path = tmp_path / "p.sqlite"
    ProgressStore(path, learner="ann").close()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name]) for name in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    ids = [r.question_id for r in ProgressStore(path, learner="ann").records()]
    assert len(ids) == 1000 and set(ids) == {f"{n}-{i}" for n in "ab" for i in range(500)}


def test_a_corrupt_file_gives_one_warning_works_in_memory_and_is_not_touched(tmp_path):
    path = tmp_path / "p.sqlite"
    path.write_bytes(b"this is not a database, it is a student's essay" * 100)
    before = path.read_bytes()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        store = ProgressStore(path, learner="ann")
        store.record(rec())
        store.record(rec("q2"))
    assert [str(w.message) for w in caught if issubclass(w.category, ProgressWarning)].__len__() == 1
    assert "in memory" in str(caught[0].message) and str(path) in str(caught[0].message)
    assert [r.question_id for r in store.records()] == ["q1", "q2"]
    assert path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write to read-only files")
def test_a_read_only_file_keeps_its_answers_visible_and_unchanged(tmp_path):
    path = tmp_path / "p.sqlite"
    store = ProgressStore(path, learner="ann")
    store.record(rec())
    store.close()
    for f in tmp_path.iterdir():
        f.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with pytest.warns(ProgressWarning):
            ro = ProgressStore(path, learner="ann")
        assert [r.question_id for r in ro.records()] == ["q1"]
        ro.record(rec("q2"))
        assert [r.question_id for r in ro.records()] == ["q1", "q2"]
    finally:
        tmp_path.chmod(0o755)
    assert [r.question_id for r in ProgressStore(path, learner="ann").records()] == ["q1"]


def test_a_read_only_file_as_root_is_opened_read_only_through_the_uri(tmp_path, monkeypatch):
    """Root ignores file modes, so simulate the read-only error the way SQLite reports it."""
    path = tmp_path / "p.sqlite"
    store = ProgressStore(path, learner="ann")
    store.record(rec())
    store.close()
    import nukedu.learner.store as store_module

    real = store_module.migrate

    def readonly(conn, upto=SCHEMA_VERSION):
        if conn.execute("PRAGMA database_list").fetchone()[2]:  # the file; the in-memory fallback migrates as usual
            raise sqlite3.OperationalError("attempt to write a readonly database")
        return real(conn, upto)

    monkeypatch.setattr(store_module, "migrate", readonly)
    with pytest.warns(ProgressWarning, match="Earlier answers are shown"):
        ro = ProgressStore(path, learner="ann")
    monkeypatch.setattr(store_module, "migrate", real)
    assert ro.in_memory and [r.question_id for r in ro.records()] == ["q1"]


def test_a_locked_file_keeps_the_answer_and_writes_it_later(tmp_path, monkeypatch):
    import nukedu.learner.store as store_module

    path = tmp_path / "p.sqlite"
    store = ProgressStore(path, learner="ann")
    store.conn.execute("PRAGMA busy_timeout = 50")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    with pytest.warns(ProgressWarning, match="kept in memory"):
        store.record(rec("q1"))
    assert [r.question_id for r in store.records()] == ["q1"]  # still shown while waiting
    blocker.execute("COMMIT")
    store.record(rec("q2"))
    store.close()
    assert [r.question_id for r in ProgressStore(path, learner="ann").records()] == ["q1", "q2"]


def test_no_key_or_explanation_reaches_the_database(tmp_path, monkeypatch):
    """Answer every question of the shipped bank wrongly, then give up: scan every column of every table."""
    from nukedu.learner import recorder
    from nukedu.loader import shipped_bank
    from nukedu.model import Essay, Matching, MultipleChoice, Numeric, Ordering, ShortText, SingleChoice, TrueFalse
    from nukedu.widgets.card import QuestionCard

    path = tmp_path / "p.sqlite"
    monkeypatch.setenv("NUKEDU_PROGRESS", str(path))
    recorder.close_all()
    secrets: list[str] = []
    for q in shipped_bank().questions:
        card = QuestionCard(q, context={"place": "ask@t"})
        if isinstance(q, SingleChoice):
            card.check(next(o for o in q.options if o != q.answer))
            secrets.append(q.answer)
        elif isinstance(q, MultipleChoice):
            card.check([next(o for o in q.options if o not in q.answers)])
            secrets += list(q.answers)
        elif isinstance(q, Ordering):
            card.check(list(reversed(q.items)))
        elif isinstance(q, Matching):
            wrong = dict(zip(q.lefts, q.choices[1:] + q.choices[:1]))
            card.check(wrong)
        elif isinstance(q, Numeric):
            card.check(q.answer + 50 * max(1, q.tolerance))
        elif isinstance(q, ShortText):
            card.check("zzz")
            secrets += list(q.accepted)
        elif isinstance(q, TrueFalse):
            card.check(not q.answer)
        card.give_up()
        secrets.append(q.explanation)
        if isinstance(q, Essay):
            secrets += list(q.model_answer)
        for text in getattr(q, "feedback", {}).values():
            secrets.append(text)
    recorder.close_all()
    conn = sqlite3.connect(path)
    # every column of every table but the student's own responses (whose wrong picks may quote public options)
    cells = [str(v) for table in ("attempts", "sessions", "review_cards", "meta")
             for row in conn.execute(f"SELECT * FROM {table}").fetchall()
             for name, v in zip([d[0] for d in conn.execute(f"SELECT * FROM {table}").description], row)
             if v is not None and name != "response"]
    blob = "\n".join(cells).casefold()
    assert len(cells) > 1000
    leaked = [s for s in secrets if len(s) > 12 and s.casefold() in blob]
    assert not leaked, leaked[:5]
    # and the responses are exactly the wrong answers sent, nothing added
    responses = [json.loads(r) for (r,) in conn.execute("SELECT response FROM attempts WHERE event='check'")]
    assert len(responses) == sum(1 for q in shipped_bank().questions if q.type != "essay")


def test_the_question_hash_ignores_the_key_but_notices_an_edit(mini_bank):
    import dataclasses

    q = next(x for x in mini_bank.questions if x.type == "single")
    other = next(o for o in q.options if o != q.answer)
    assert question_hash(q) == question_hash(dataclasses.replace(q, answer=other))  # the hash cannot reveal the key
    assert question_hash(q) != question_hash(dataclasses.replace(q, prompt=q.prompt + " (edited)"))
    o = next(x for x in mini_bank.questions if x.type == "ordering")
    assert question_hash(o) == question_hash(dataclasses.replace(o, items=tuple(reversed(o.items))))


def test_a_reset_hides_earlier_records_from_resuming_but_keeps_them():
    rows = [rec("q1"), rec("q2"), rec("q1", event="reset"), rec("q2", status="correct"), rec("*", event="reset"),
            rec("q3")]
    assert {k: len(v) for k, v in current(rows).items()} == {"q3": 1}
    assert {k: len(v) for k, v in current(rows[:4]).items()} == {"q2": 2}


def test_export_and_merge_skip_what_is_already_there(tmp_path):
    a = ProgressStore(tmp_path / "a.sqlite", learner="ann")
    for i in range(3):
        a.record(rec(f"q{i}"))
    data = json.loads(json.dumps(a.export()))
    b = ProgressStore(tmp_path / "b.sqlite", learner="ann")
    b.record(rec("mine"))
    recs = [AttemptRecord.from_json(r) for r in data["records"]]
    assert b.merge(recs) == (3, 0)
    assert b.merge(recs) == (0, 3)
    assert sorted(r.question_id for r in b.records()) == ["mine", "q0", "q1", "q2"]
