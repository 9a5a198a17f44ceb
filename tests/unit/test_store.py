"""Saved sessions: transactions, schema versions, deletion, purge, two writers at once."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conseiller import db as db_module
from conseiller import store as store_module
from conseiller.db import Conn
from conseiller.store import (
    DEFAULT_RETENTION,
    FILENAME,
    RETENTION_ENV,
    SCHEMA_VERSION,
    ConflictError,
    Store,
    StoreError,
    parse_age,
    retention,
)
from conseiller.unmatched import UnmatchedLog


def test_create_save_get_list_delete(tmp_path: Path, db: str) -> None:
    store = Store(tmp_path, db=db)
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


def test_purge_older_than(tmp_path: Path, db: str) -> None:
    store = Store(tmp_path, db=db)
    old = store.create("principal", "{}")
    recent = store.create("principal", "{}")
    _sql(store, "UPDATE sessions SET updated = '2020-01-01T00:00:00+00:00' WHERE id = ?", (old,))
    assert store.purge(dt.timedelta(days=90)) == [old]
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
    conn.execute(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, created TEXT NOT NULL, "
        "updated TEXT NOT NULL, flow TEXT NOT NULL, state TEXT NOT NULL, "
        "notes TEXT NOT NULL DEFAULT '', finished INTEGER NOT NULL DEFAULT 0)"
    )
    conn.execute(
        "INSERT INTO sessions VALUES ('abc', '2026-01-01', '2026-01-02', 'principal', "
        "'{}', 'vieille note', 1)"
    )
    conn.commit()
    conn.close()
    store = Store(tmp_path)
    assert store.version == SCHEMA_VERSION
    record = store.get("abc")
    assert record is not None and record.notes == "vieille note" and record.source == "advisor"


def test_a_newer_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    Store(tmp_path)
    conn = sqlite3.connect(tmp_path / FILENAME)
    conn.execute("UPDATE meta SET value = '99'")  # the version, and the oldest reader
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as err:
        Store(tmp_path)
    assert "version plus récente" in str(err.value)
    conn = sqlite3.connect(tmp_path / FILENAME)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("99",)
    conn.close()


def test_a_newer_database_this_version_may_still_read_is_used(tmp_path: Path) -> None:
    """An additive upgrade records the oldest reader: older installs keep working."""
    sid = Store(tmp_path).create("principal", "{}")
    conn = sqlite3.connect(tmp_path / FILENAME)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.execute(
        "UPDATE meta SET value = ? WHERE key = 'min_reader_version'", (str(SCHEMA_VERSION),)
    )
    conn.commit()
    conn.close()
    store = Store(tmp_path)
    store.save(sid, '{"n": 1}')
    assert store.version == 99 and [r.id for r in store.list()] == [sid]


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    (tmp_path / FILENAME).write_text("pas une base", encoding="utf-8")
    with pytest.raises(StoreError) as err:
        Store(tmp_path)
    assert "illisible" in str(err.value)


WRITER = """
import sys
from pathlib import Path
from conseiller.store import Store
store = Store(Path(sys.argv[1]), db=sys.argv[3])
for i in range(60):
    sid = store.create("principal", '{"n": %d}' % i, label=sys.argv[2])
    store.save(sid, '{"n": %d, "done": true}' % i, finished=True, notes="note %d" % i)
"""


@pytest.mark.slow
def test_two_advisors_write_at_once_without_corruption(tmp_path: Path, db: str) -> None:
    Store(tmp_path, db=db)
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name, db])
        for name in ("A", "B")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    store = Store(tmp_path, db=db)
    records = store.list()
    assert len(records) == 120
    assert all(r.finished and r.notes.startswith("note ") for r in records)
    if store.path.exists():  # SQLite: the file is sound
        conn = sqlite3.connect(store.path)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        conn.close()


# --- hardening: ids, revisions, unchanged saves ----------------------------------------


def _sql(where: Path | Store, sql: str, params: tuple[object, ...] = ()) -> None:
    """Change the database behind the store's back (another program, an old version…)."""
    if isinstance(where, Store):
        with where._db.transaction() as shared:
            shared.execute(sql, params)
        return
    conn = sqlite3.connect(where / FILENAME)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_ids_are_128_bit_and_any_unique_prefix_of_8_works(tmp_path: Path, db: str) -> None:
    store = Store(tmp_path, db=db)
    sid = store.create("principal", "{}")
    assert len(sid) == 32 and int(sid, 16) >= 0
    assert store.resolve(sid[:8]) == sid and store.resolve(sid[:20].upper()) == sid
    _sql(
        store,
        "INSERT INTO sessions (id, created, updated, flow, state) "
        "VALUES ('0ld8hex1', 'x', 'x', 'principal', '{}')",
    )  # an id from before
    assert store.resolve("0ld8hex1") == "0ld8hex1"
    _sql(
        store,
        "INSERT INTO sessions (id, created, updated, flow, state) VALUES "
        "('abcdef0123', 'x', 'x', 'principal', '{}'), ('abcdef0199', 'x', 'x', 'principal', '{}')",
    )
    with pytest.raises(StoreError, match="ambigu"):
        store.resolve("abcdef01")
    assert store.resolve("abcdef012") == "abcdef0123"
    with pytest.raises(StoreError, match="trop court"):
        store.resolve(sid[:7])
    with pytest.raises(StoreError, match="inconnue"):
        store.resolve("ffffffffffff")


def test_two_windows_on_one_session_do_not_overwrite_each_other(tmp_path: Path, db: str) -> None:
    store = Store(tmp_path, db=db)
    sid = store.create("principal", '{"n": 0}')
    first = store.get(sid)
    assert first is not None and first.revision == 1
    # Window A and window B both opened revision 1; A saves its notes first.
    assert store.save_notes(sid, "notes de A", revision=1) == 2
    with pytest.raises(ConflictError) as err:
        store.save_notes(sid, "notes de B", revision=1)
    assert "modifiée ailleurs" in str(err.value)
    with pytest.raises(ConflictError):
        store.save(sid, '{"n": 1}', notes="notes de B", revision=1)
    kept = store.get(sid)
    assert kept is not None
    assert (kept.notes, kept.state, kept.revision) == ("notes de A", '{"n": 0}', 2)
    assert store.save(sid, '{"n": 1}', revision=2) == 3  # the up-to-date window may save


def test_leaving_a_session_unchanged_keeps_its_date_and_revision(tmp_path: Path, db: str) -> None:
    store = Store(tmp_path, db=db)
    sid = store.create("principal", '{"n": 0}')
    store.save(sid, '{"n": 0}', notes="note")
    _sql(store, "UPDATE sessions SET updated = '2020-01-01T00:00:00+00:00'")
    before = store.get(sid)
    assert before is not None
    assert store.save(sid, '{"n": 0}', notes="note") == before.revision
    assert store.save(sid, '{"n": 0}') == before.revision
    assert store.save_notes(sid, "note") == before.revision
    after = store.get(sid)
    assert after is not None and after.updated == "2020-01-01T00:00:00+00:00"
    assert store.save_notes(sid, "autre note") == before.revision + 1


def test_a_session_saved_in_one_transaction_as_finished(tmp_path: Path, db: str) -> None:
    store = Store(tmp_path, db=db)
    sid = store.create("principal", "{}", source="replay", finished=True)
    record = store.get(sid)
    assert record is not None and record.finished and record.source == "replay"


def test_saving_a_session_deleted_elsewhere_says_so(tmp_path: Path, db: str) -> None:
    store = Store(tmp_path, db=db)
    sid = store.create("principal", "{}")
    Store(tmp_path, db=db).delete(sid)
    with pytest.raises(StoreError, match="n'existe plus"):
        store.save(sid, '{"n": 1}')
    assert store.list() == []


# --- hardening: one bad row ------------------------------------------------------------


def test_one_unreadable_row_is_listed_with_its_reason_and_the_others_work(tmp_path: Path) -> None:
    store = Store(tmp_path)
    good = store.create("principal", '{"flow": "principal"}', label="Bonne")
    bad_json = store.create("principal", '{"flow": "principal"}', label="JSON")
    bad_bytes = store.create("principal", '{"flow": "principal"}')
    _sql(tmp_path, "UPDATE sessions SET state = '{\"flow\": ' WHERE id = ?", (bad_json,))
    _sql(
        tmp_path, "UPDATE sessions SET notes = CAST(X'C3284142' AS TEXT) WHERE id = ?", (bad_bytes,)
    )
    records = {r.id: r for r in store.list()}
    assert set(records) == {good, bad_json, bad_bytes}
    assert records[good].problem is None and records[good].label == "Bonne"
    assert "JSON" in (records[bad_json].problem or "")
    assert "notes" in (records[bad_bytes].problem or "")
    got = store.get(bad_bytes)
    assert got is not None and got.problem
    assert store.delete(bad_bytes) and store.delete(bad_json)  # an unreadable row can go
    assert [r.id for r in store.list()] == [good]


# --- hardening: faults after opening ---------------------------------------------------

REAL_CONNECT = sqlite3.connect


def _inject(monkeypatch: pytest.MonkeyPatch, fault: str) -> None:
    """Every connection the store opens from now on has the fault."""

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = REAL_CONNECT(*args, **kwargs)  # type: ignore[call-overload]
        if fault == "read-only":
            conn.execute("PRAGMA query_only = ON")
        elif fault == "no-secure-delete":
            conn.execute("PRAGMA secure_delete = OFF")
        elif fault == "disk-full":
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn  # type: ignore[no-any-return]

    monkeypatch.setattr(sqlite3, "connect", connect)


@pytest.fixture
def saved(tmp_path: Path) -> Iterator[tuple[Store, str]]:
    store = Store(tmp_path)
    sid = store.create("principal", '{"n": 1}', label="Marie")
    store.save_notes(sid, "rappeler mardi")
    yield store, sid


@pytest.mark.parametrize(
    ("fault", "words"), [("read-only", "lecture seule"), ("disk-full", "disque est plein")]
)
def test_write_faults_give_a_french_message_and_keep_what_was_saved(
    saved: tuple[Store, str], monkeypatch: pytest.MonkeyPatch, fault: str, words: str
) -> None:
    store, sid = saved
    _inject(monkeypatch, fault)
    big = '{"n": 2, "x": "%s"}' % ("y" * 30000)
    attempts: list[Callable[[], object]] = [
        lambda: store.save(sid, big, notes="nouvelle " * 3000),
        lambda: store.save_notes(sid, "z" * 30000),
        lambda: store.create("principal", big),
        lambda: store.record_export(sid, "/tmp/" + "e" * 9000),
    ]
    if fault == "read-only":
        attempts += [lambda: store.delete(sid), lambda: store.purge(dt.timedelta(0))]
    for attempt in attempts:
        with pytest.raises(StoreError) as err:
            attempt()
        assert words in str(err.value) and str(store.path) in str(err.value)
        assert "intact" in str(err.value)
    if fault == "read-only":  # reading still works
        assert [r.id for r in store.list()] == [sid]
        assert store.purge(dt.timedelta(0), dry_run=True) == [sid]
    monkeypatch.undo()
    record = store.get(sid)
    assert record is not None
    assert (record.state, record.notes, record.label) == ('{"n": 1}', "rappeler mardi", "Marie")
    assert len(store.list()) == 1


def test_a_file_locked_too_long_gives_a_french_message(
    saved: tuple[Store, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, sid = saved
    monkeypatch.setattr(db_module, "BUSY_TIMEOUT_S", 0)
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="occupé par un autre programme"):
            store.save(sid, '{"n": 2}')
    finally:
        other.execute("ROLLBACK")
        other.close()
    record = store.get(sid)
    assert record is not None and record.state == '{"n": 1}'


def _damage_last_page(path: Path) -> None:
    """Garbage over the last page of the file (a page of session rows)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as raw:
        raw.seek(path.stat().st_size - size)
        raw.write(bytes(range(256)) * (size // 256))


def test_a_damaged_file_says_so_and_purge_does_not_report_zero(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for i in range(6):
        store.create("principal", json.dumps({"n": i, "x": "a" * 3000}))
    _damage_last_page(store.path)
    damaged = store.path.read_bytes()
    for attempt in (
        lambda: store.purge(dt.timedelta(days=90)),
        store.list,
        lambda: store.purge(dt.timedelta(0), dry_run=True),
    ):
        with pytest.raises(StoreError) as err:
            attempt()
        assert "abîmé" in str(err.value) and "sauvegarde" in str(err.value)
    assert store.path.read_bytes() == damaged  # nothing more was written into it


# --- hardening: privacy ----------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what most desktops use: files 0644, folders 0755
    yield
    os.umask(old)


def test_the_database_its_journal_and_folder_are_private(tmp_path: Path, open_umask: None) -> None:
    folder = tmp_path / "donnees"
    store = Store(folder)
    reader = sqlite3.connect(store.path)  # keeps -wal and -shm on disk while we look
    reader.execute("SELECT * FROM sessions").fetchall()
    store.create("principal", "{}")
    assert _mode(folder) == 0o700
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{store.path}{suffix}")
        assert path.exists() and _mode(path) == 0o600, path
    reader.close()


def test_an_old_world_readable_file_is_made_private(tmp_path: Path, open_umask: None) -> None:
    Store(tmp_path).create("principal", "{}")
    os.chmod(tmp_path / FILENAME, 0o644)
    os.chmod(tmp_path, 0o755)  # noqa: S103 - a folder chosen with --data: not ours to change
    Store(tmp_path)
    assert _mode(tmp_path / FILENAME) == 0o600 and _mode(tmp_path) == 0o755


def test_deleted_text_is_overwritten_among_other_sessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _inject(monkeypatch, "no-secure-delete")  # as in SQLite builds where it is off by default
    store = Store(tmp_path)
    ids = [store.create("principal", '{"t": "%s"}' % (f"SECRET{i:02d}" * 200)) for i in range(12)]
    store.delete(ids[5])
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert b"SECRET05" not in data and b"SECRET04" in data


def test_nothing_is_created_before_anyone_agreed(tmp_path: Path) -> None:
    folder = tmp_path / "donnees"
    store = Store(folder, create=False)
    assert store.list() == [] and store.get("12345678") is None
    assert store.purge(dt.timedelta(0)) == [] and not store.delete("12345678")
    with pytest.raises(StoreError):
        store.save("12345678", "{}")
    assert not folder.exists()
    sid = store.create("principal", "{}")  # the first accepted session
    assert (folder / FILENAME).exists() and [r.id for r in store.list()] == [sid]


def test_deleting_a_session_deletes_its_exports_and_names_the_others(tmp_path: Path) -> None:
    store = Store(tmp_path)
    sid = store.create("principal", "{}")
    other = store.create("principal", "{}")
    sheet = tmp_path / "fiche.md"
    sheet.write_text("fiche", encoding="utf-8")
    stuck = tmp_path / "dossier-au-lieu-d-un-fichier"
    (stuck / "dedans").mkdir(parents=True)  # cannot be unlinked
    kept = tmp_path / "autre.md"
    kept.write_text("autre", encoding="utf-8")
    for path in (sheet, stuck, tmp_path / "deja-efface.md"):
        store.record_export(sid, path)
    store.record_export(other, kept)
    record = store.get(sid)
    assert record is not None and str(sheet) in record.exports
    result = store.delete(sid)
    assert result and not sheet.exists() and kept.exists()
    assert result.undeleted_files == (str(stuck),)
    assert store.get(sid) is None


def test_purge_dry_run_deletes_nothing_and_purge_takes_the_exports(tmp_path: Path) -> None:
    store = Store(tmp_path)
    old = store.create("principal", "{}")
    recent = store.create("principal", "{}")
    sheet = tmp_path / "vieille-fiche.md"
    sheet.write_text("fiche", encoding="utf-8")
    store.record_export(old, sheet)
    _sql(tmp_path, "UPDATE sessions SET updated = '2020-01-01T00:00:00+00:00' WHERE id = ?", (old,))
    assert store.purge(dt.timedelta(days=90), dry_run=True) == [old]
    assert len(store.list()) == 2 and sheet.exists()
    assert store.purge(dt.timedelta(days=90)) == [old]
    assert not sheet.exists() and [r.id for r in store.list()] == [recent]
    assert store.purge_expired(DEFAULT_RETENTION) == []


def test_huge_ages_are_refused_in_french_and_never_overflow(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="trop longue"):
        parse_age("99999999999y")
    with pytest.raises(ValueError, match="incomprise"):
        parse_age("²d")
    store = Store(tmp_path)
    store.create("principal", "{}")
    assert store.purge(dt.timedelta(days=999_999_999)) == []


def test_retention_option_then_environment_then_twelve_months(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(RETENTION_ENV, raising=False)
    assert retention(None) == DEFAULT_RETENTION == dt.timedelta(days=365)
    monkeypatch.setenv(RETENTION_ENV, "6m")
    assert retention(None) == dt.timedelta(days=180)
    assert retention("90d") == dt.timedelta(days=90)
    for bad in ("0d", "bientôt"):
        with pytest.raises(ValueError, match="conservation"):
            retention(bad)


def test_a_version_2_file_is_upgraded_with_revisions_and_exports(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / FILENAME)
    store_module._v1(Conn(conn, "sqlite"))
    store_module._v2(Conn(conn, "sqlite"))
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    conn.execute(
        "INSERT INTO sessions (id, created, updated, flow, state, notes, finished, "
        "label, source) VALUES ('4cbd002b', '2026-01-01', '2026-01-02', 'principal', "
        "'{}', 'note v2', 1, 'Marie', 'advisor')"
    )
    conn.commit()
    conn.close()
    store = Store(tmp_path)
    assert store.version == SCHEMA_VERSION == 4
    record = store.get(store.resolve("4cbd002b"))
    assert record is not None
    assert (record.notes, record.label, record.revision, record.exports, record.site) == (
        "note v2",
        "Marie",
        1,
        (),
        "",
    )
    assert store.save_notes("4cbd002b", "note v3", revision=1) == 2


def test_the_unmatched_log_is_private(tmp_path: Path, open_umask: None) -> None:
    folder = tmp_path / "donnees"
    UnmatchedLog(folder).record("blabla incompréhensible")
    assert _mode(folder) == 0o700 and _mode(folder / "unmatched.sqlite3") == 0o600
