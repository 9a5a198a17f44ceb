"""Saved sessions: transactions, schema versions, deletion, purge, two writers at once."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from conseiller.store import FILENAME, SCHEMA_VERSION, Store, StoreError, parse_age


def test_create_save_get_list_delete(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first = store.create("principal", '{"flow": "principal"}', label="Marie")
    second = store.create("principal", '{"flow": "principal"}')
    store.save(first, '{"flow": "principal", "x": 1}', finished=True, notes="à rappeler")
    record = store.get(first)
    assert record is not None
    assert record.finished and record.notes == "à rappeler" and record.label == "Marie"
    assert record.state == '{"flow": "principal", "x": 1}'
    assert {r.id for r in store.list()} == {first, second}
    assert store.delete(first) and not store.delete(first)
    assert store.get(first) is None


def test_deleted_text_does_not_linger_in_the_files(tmp_path: Path) -> None:
    store = Store(tmp_path)
    sid = store.create("principal", '{"secret": "MOTSECRET123"}')
    store.save_notes(sid, "NOTESECRETE456")
    store.delete(sid)
    for path in tmp_path.iterdir():
        data = path.read_bytes()
        assert b"MOTSECRET123" not in data and b"NOTESECRETE456" not in data, path


def test_purge_older_than(tmp_path: Path) -> None:
    store = Store(tmp_path)
    old = store.create("principal", "{}")
    recent = store.create("principal", "{}")
    conn = sqlite3.connect(tmp_path / FILENAME)
    conn.execute("UPDATE sessions SET updated = '2020-01-01T00:00:00+00:00' WHERE id = ?",
                 (old,))
    conn.commit()
    conn.close()
    assert store.purge(dt.timedelta(days=90)) == 1
    assert [r.id for r in store.list()] == [recent]


def test_parse_age() -> None:
    assert parse_age("90d") == dt.timedelta(days=90)
    assert parse_age("2w") == dt.timedelta(days=14)
    assert parse_age("1y") == dt.timedelta(days=365)
    for bad in ("90", "d", "-3d", "trois jours"):
        with pytest.raises(ValueError):
            parse_age(bad)


def test_an_older_database_is_upgraded_with_its_data(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / FILENAME)
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY, created TEXT NOT NULL, "
                 "updated TEXT NOT NULL, flow TEXT NOT NULL, state TEXT NOT NULL, "
                 "notes TEXT NOT NULL DEFAULT '', finished INTEGER NOT NULL DEFAULT 0)")
    conn.execute("INSERT INTO sessions VALUES ('abc', '2026-01-01', '2026-01-02', 'principal', "
                 "'{}', 'vieille note', 1)")
    conn.commit()
    conn.close()
    store = Store(tmp_path)
    assert store.version == SCHEMA_VERSION
    record = store.get("abc")
    assert record is not None and record.notes == "vieille note" and record.source == "advisor"


def test_a_newer_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    Store(tmp_path)
    conn = sqlite3.connect(tmp_path / FILENAME)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as err:
        Store(tmp_path)
    assert "version plus récente" in str(err.value)
    conn = sqlite3.connect(tmp_path / FILENAME)
    assert conn.execute("SELECT value FROM meta").fetchone() == ("99",)
    conn.close()


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / FILENAME).write_text("pas une base", encoding="utf-8")
    with pytest.raises(StoreError) as err:
        Store(tmp_path)
    assert "illisible" in str(err.value)


WRITER = """
import sys
from pathlib import Path
from conseiller.store import Store
store = Store(Path(sys.argv[1]))
for i in range(60):
    sid = store.create("principal", '{"n": %d}' % i, label=sys.argv[2])
    store.save(sid, '{"n": %d, "done": true}' % i, finished=True, notes="note %d" % i)
"""


@pytest.mark.slow
def test_two_advisors_write_at_once_without_corruption(tmp_path: Path) -> None:
    Store(tmp_path)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name])
             for name in ("A", "B")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    store = Store(tmp_path)
    records = store.list()
    assert len(records) == 120
    assert all(r.finished and r.notes.startswith("note ") for r in records)
    conn = sqlite3.connect(tmp_path / FILENAME)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
