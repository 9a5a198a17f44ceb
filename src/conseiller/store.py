"""Saved sessions (SQLite file or PostgreSQL): one row per consenting holder, one transaction
per write, a revision compared before each write so that two advisors never overwrite each
other."""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from conseiller import strings
from conseiller.db import Conn, DatabaseError, Schema, migrate, read_versions, readable
from conseiller.db import upgrade as upgrade_schema
from conseiller.dburl import Target
from conseiller.pg import backend, open_store

FILENAME = "sessions.sqlite3"
ID_BYTES = 16  # 128-bit ids, 32 hex characters
MIN_PREFIX = 8  # shortest id prefix accepted (the 8-hex ids of old files still work)
DEFAULT_RETENTION = dt.timedelta(days=365)  # sessions untouched this long are purged
RETENTION_ENV = "CONSEILLER_RETENTION"
MAX_AGE_DAYS = 100 * 365  # longest age `parse_age` accepts


def _v1(conn: Conn) -> None:
    conn.execute(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, created TEXT NOT NULL, "
        "updated TEXT NOT NULL, flow TEXT NOT NULL, state TEXT NOT NULL, "
        "notes TEXT NOT NULL DEFAULT '', finished INTEGER NOT NULL DEFAULT 0)"
    )


def _v2(conn: Conn) -> None:
    conn.execute("ALTER TABLE sessions ADD COLUMN label TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE sessions ADD COLUMN source TEXT NOT NULL DEFAULT 'advisor'")
    conn.execute("CREATE INDEX sessions_updated ON sessions (updated)")


def _v3(conn: Conn) -> None:
    conn.execute("ALTER TABLE sessions ADD COLUMN revision INTEGER NOT NULL DEFAULT 1")
    conn.execute(
        "CREATE TABLE exports (session_id TEXT NOT NULL, path TEXT NOT NULL, "
        "created TEXT NOT NULL, PRIMARY KEY (session_id, path))"
    )


def _v4(conn: Conn) -> None:
    """Additive: the site, and the content and packs a session was made with."""
    conn.execute("ALTER TABLE sessions ADD COLUMN site TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE sessions ADD COLUMN content_version TEXT NOT NULL DEFAULT ''")


#: Version n is reached by running steps[:n]; never edit a step that has shipped. Version 4
#: only adds columns with defaults: version 3 readers could still use it.
SCHEMA = Schema(
    what=strings.DB_SESSIONS,
    version_key="schema_version",
    min_key="min_reader_version",
    steps=(_v1, _v2, _v3, _v4),
    min_reader=(1, 2, 3, 3),
)
SCHEMA_VERSION = SCHEMA.version


class StoreError(DatabaseError):
    """The data folder cannot be used; the message says why, in French."""


class ConflictError(StoreError):
    """Someone else saved the session since it was read: nothing was written."""


@dataclass(frozen=True)
class SessionRecord:
    """One saved session; `problem` says in French why it cannot be read (None if it can)."""

    id: str
    created: str
    updated: str
    flow: str
    state: str
    notes: str
    finished: bool
    label: str
    source: str
    revision: int = 0
    problem: str | None = None
    exports: tuple[str, ...] = ()
    site: str = ""
    content_version: str = ""


@dataclass(frozen=True)
class DeleteResult:
    """What `Store.delete` did: whether the session existed, and export files left behind."""

    existed: bool
    deleted_files: tuple[str, ...] = ()
    undeleted_files: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.existed


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _clean(text: str) -> str:
    """Text SQLite can store: a lone surrogate (from a badly encoded argument) becomes '?'."""
    return text.encode("utf-8", errors="replace").decode("utf-8")


_COLUMNS = (
    "id, created, updated, flow, state, notes, finished, label, source, revision, "
    "site, content_version"
)
_SELECT_ALL = f"SELECT {_COLUMNS} FROM sessions ORDER BY updated DESC, id"  # noqa: S608
_SELECT_ONE = f"SELECT {_COLUMNS} FROM sessions WHERE id = ?"  # noqa: S608
_EXPORTS_ALL = "SELECT session_id, path FROM exports ORDER BY created, path"
_EXPORTS_ONE = "SELECT session_id, path FROM exports WHERE session_id = ? ORDER BY created, path"
_FIELDS = (
    "id",
    "created",
    "updated",
    "flow",
    "state",
    "notes",
    "finished",
    "label",
    "source",
    "revision",
    "site",
    "content_version",
)


class Store:
    """Sessions kept with the holder's consent: in `folder/sessions.sqlite3` by default, or in
    the database `db` names (--db, else $CONSEILLER_DB): a SQLite file or PostgreSQL.

    With `create=False` a missing file is not created (reading finds no session); it is
    created by the first `create()`, i.e. once a holder has agreed. A PostgreSQL database
    is never changed here: its tables come from `conseiller db upgrade` (see `upgrade`).
    `site` (--site, else $CONSEILLER_SITE) is recorded with each new session.
    """

    def __init__(
        self,
        folder: Path,
        *,
        create: bool = True,
        db: str | Target | None = None,
        site: str | None = None,
    ) -> None:
        self.folder = folder
        self.target, self.site, self.path, self._db = open_store(
            folder / FILENAME, strings.DB_SESSIONS, db, site, StoreError
        )
        self.undeleted_exports: tuple[str, ...] = ()  # set by `purge`
        self.where = self._db.shown()
        self._pg = self.target.is_postgres
        self._ready = False
        if create or self._exists():
            self._open_file()

    # --- opening -----------------------------------------------------------------------

    def _error(self, exc: BaseException) -> DatabaseError:
        """A French message for a driver or system error (never a raw traceback)."""
        return self._db.error(exc)

    def _open_file(self) -> None:
        """Create (privately) or upgrade a SQLite file, or check a PostgreSQL database;
        afterwards every call may use it."""
        self._db.create_folder()  # never chmod a folder we did not make
        with self._db.conn(create=True) as conn:
            version = self._check_version(conn)
            if version < SCHEMA_VERSION:
                if self._pg:  # only `conseiller db upgrade` changes a shared database
                    raise StoreError(
                        strings.DB_NOT_READY.format(
                            what=strings.DB_SESSIONS,
                            where=self.where,
                            found=version,
                            known=SCHEMA_VERSION,
                        )
                    )
                self._upgrade(conn)
        self._db.make_private()
        self._ready = True

    def _connect(self) -> AbstractContextManager[Conn]:
        """A connection; every driver or system error becomes a French StoreError."""
        return self._db.conn()

    def _exists(self) -> bool:
        return self._db.exists()

    def _ensure(self, *, create: bool = False) -> bool:
        """True once the database is usable; a file is created only when `create` is True."""
        if not self._ready and (create or self._exists()):
            self._open_file()
        return self._ready

    @contextmanager
    def _write(self, *, create: bool = False, session_id: str = "") -> Iterator[Conn]:
        """One transaction (on SQLite, it takes the write lock at once: no upgrade deadlocks)."""
        if not self._ensure(create=create):
            raise StoreError(strings.STORE_GONE.format(id=session_id, path=self.where))
        with self._db.transaction() as conn:
            yield conn

    def _read_version(self, conn: Conn) -> tuple[int, int]:
        try:
            return read_versions(conn, SCHEMA)
        except ValueError as exc:
            raise StoreError(
                strings.STORE_DAMAGED.format(path=self.where, reason=exc, what=strings.DB_SESSIONS)
            ) from None

    def _check_version(self, conn: Conn) -> int:
        """The version found; StoreError when this code may not use it."""
        version, oldest = self._read_version(conn)
        if readable(SCHEMA, version, oldest):
            return version
        if self._pg:
            raise StoreError(
                strings.DB_TOO_NEW.format(
                    what=strings.DB_SESSIONS,
                    where=self.where,
                    found=version,
                    oldest=oldest,
                    known=SCHEMA_VERSION,
                )
            )
        raise StoreError(
            strings.STORE_TOO_NEW.format(path=self.where, found=version, known=SCHEMA_VERSION)
        )

    def _upgrade(self, conn: Conn) -> None:
        """A SQLite file: run the missing steps in one transaction holding the write lock."""
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._check_version(conn)  # another process may have upgraded it
            upgrade_schema_in(conn)
            conn.execute("COMMIT")
        except BaseException:
            with suppress(Exception):
                conn.execute("ROLLBACK")
            raise

    @property
    def version(self) -> int:
        """The schema version of the database (0 when there is no file yet)."""
        if not self._ensure():
            return 0
        with self._connect() as conn:
            return self._read_version(conn)[0]

    # --- writing -----------------------------------------------------------------------

    def create(
        self,
        flow: str,
        state: str,
        *,
        label: str = "",
        source: str = "advisor",
        finished: bool = False,
        content_version: str = "",
    ) -> str:
        """A new session (only once the holder has agreed), in one transaction; its id.

        `content_version` (see `sessions.content_version`) says which content and packs
        the session was made with; the site is this store's.
        """
        session_id = secrets.token_hex(ID_BYTES)
        now = _now()
        with self._write(create=True) as conn:
            conn.execute(
                "INSERT INTO sessions (id, created, updated, flow, state, notes, finished, "
                "label, source, revision, site, content_version) "
                "VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, 1, ?, ?)",
                (
                    session_id,
                    now,
                    now,
                    _clean(flow),
                    _clean(state),
                    int(finished),
                    _clean(label),
                    _clean(source),
                    self.site,
                    _clean(content_version),
                ),
            )
        return session_id

    def _current(self, conn: Conn, session_id: str) -> tuple[str, str, bool, int]:
        """State, notes, finished and revision inside a write (the row locked on PostgreSQL)."""
        sql = "SELECT state, notes, finished, revision FROM sessions WHERE id = ?"
        row = conn.execute(sql + " FOR UPDATE" if self._pg else sql, (session_id,)).fetchone()
        if row is None:
            raise StoreError(strings.STORE_GONE.format(id=session_id, path=self.where))
        return str(row[0]), str(row[1]), bool(row[2]), int(row[3])

    def save(
        self,
        session_id: str,
        state: str,
        *,
        finished: bool = False,
        notes: str | None = None,
        revision: int | None = None,
    ) -> int:
        """Write the latest state (and notes) in one transaction; the new revision.

        With `revision`, nothing is written (ConflictError) if the stored one differs.
        Saving what is already stored changes nothing, not even the `updated` date; so a
        write retried after an error whose commit did land is recognised, not a conflict.
        """
        session_id, state = _clean(session_id), _clean(state)
        with self._write(session_id=session_id) as conn:
            old_state, old_notes, old_finished, stored = self._current(conn, session_id)
            new_notes = old_notes if notes is None else _clean(notes)
            if (state, new_notes, finished) == (old_state, old_notes, old_finished) and (
                revision is None or stored in (revision, revision + 1)
            ):
                return stored
            if revision is not None and revision != stored:
                raise ConflictError(strings.STORE_CONFLICT.format(id=session_id))
            conn.execute(
                "UPDATE sessions SET state = ?, finished = ?, notes = ?, updated = ?, "
                "revision = ? WHERE id = ?",
                (state, int(finished), new_notes, _now(), stored + 1, session_id),
            )
        return stored + 1

    def save_notes(self, session_id: str, notes: str, *, revision: int | None = None) -> int:
        """Write the advisor's private notes; the new revision (see `save`)."""
        session_id, notes = _clean(session_id), _clean(notes)
        with self._write(session_id=session_id) as conn:
            _, old_notes, _, stored = self._current(conn, session_id)
            if notes == old_notes and (revision is None or stored in (revision, revision + 1)):
                return stored
            if revision is not None and revision != stored:
                raise ConflictError(strings.STORE_CONFLICT.format(id=session_id))
            conn.execute(
                "UPDATE sessions SET notes = ?, updated = ?, revision = ? WHERE id = ?",
                (notes, _now(), stored + 1, session_id),
            )
        return stored + 1

    def record_export(self, session_id: str, path: Path | str) -> None:
        """Remember a file written for this session, so deleting the session deletes it."""
        session_id, where = _clean(session_id), _clean(str(Path(path).absolute()))
        with self._write(session_id=session_id) as conn:
            if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                conn.execute(
                    "INSERT INTO exports (session_id, path, created) VALUES (?, ?, ?) "
                    "ON CONFLICT DO NOTHING",
                    (session_id, where, _now()),
                )
            else:
                raise StoreError(strings.STORE_GONE.format(id=session_id, path=self.where))

    def delete(self, session_id: str) -> DeleteResult:
        """Delete one session at once, then the export files recorded for it."""
        if not self._ensure():
            return DeleteResult(False)
        session_id = _clean(session_id)
        with self._write() as conn:
            self._check_intact(conn)
            files = self._exports(conn, _EXPORTS_ONE, (session_id,)).get(session_id, ())
            gone = conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
            conn.execute("DELETE FROM exports WHERE session_id = ?", (session_id,))
        self._checkpoint()
        deleted, left = _remove_files(files)
        return DeleteResult(gone > 0, deleted, left)

    def purge(self, older_than: dt.timedelta, *, dry_run: bool = False) -> list[str]:
        """Delete sessions not touched for `older_than` (and their exports); their ids.

        With `dry_run`, only say which would go. Export files that could not be deleted are
        in `undeleted_exports` afterwards. A damaged file raises StoreError.
        """
        self.undeleted_exports = ()
        if not self._ensure():
            return []
        try:
            limit = (dt.datetime.now(dt.UTC) - older_than).isoformat(timespec="seconds")
        except OverflowError:
            return []  # older than the calendar: nothing is that old
        if dry_run:  # only reads: works on a read-only file too
            with self._connect() as conn:
                self._check_intact(conn)
                return self._older(conn, limit)
        with self._write() as conn:
            self._check_intact(conn)
            ids = self._older(conn, limit)
            if not ids:
                return ids
            old = self._exports(
                conn,
                "SELECT e.session_id, e.path FROM exports e JOIN sessions s "
                "ON s.id = e.session_id WHERE s.updated <= ?",
                (limit,),
            )
            files = [f for fs in old.values() for f in fs]
            conn.execute("DELETE FROM sessions WHERE updated <= ?", (limit,))
            conn.execute("DELETE FROM exports WHERE session_id NOT IN (SELECT id FROM sessions)")
        self._checkpoint()
        self.undeleted_exports = _remove_files(tuple(files))[1]
        return ids

    @staticmethod
    def _older(conn: Conn, limit: str) -> list[str]:
        return [
            str(r[0])
            for r in conn.execute(
                "SELECT id FROM sessions WHERE updated <= ? ORDER BY updated, id", (limit,)
            )
        ]

    def purge_expired(self, retention: dt.timedelta = DEFAULT_RETENTION) -> list[str]:
        """At advisor start: delete the sessions older than the retention period."""
        return self.purge(retention)

    def _check_intact(self, conn: Conn) -> None:
        """A damaged file must say so rather than report that nothing matched."""
        if self._pg:
            return  # the server checks its own pages
        rows = conn.execute("PRAGMA quick_check").fetchall()
        if [tuple(r) for r in rows] != [("ok",)]:
            reason = "; ".join(str(r[0]) for r in rows[:3])
            raise StoreError(
                strings.STORE_DAMAGED.format(
                    path=self.where, reason=reason, what=strings.DB_SESSIONS
                )
            )

    def _checkpoint(self) -> None:
        """Fold the write-ahead log into the file so deleted text does not linger there."""
        if self._pg:
            return
        with self._connect() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- reading -----------------------------------------------------------------------

    def _exports(
        self, conn: Conn, sql: str, params: tuple[object, ...] = ()
    ) -> dict[str, tuple[str, ...]]:
        """Recorded export files by session, from a query giving (session_id, path) rows."""
        found: dict[str, list[str]] = {}
        for sid, path in conn.execute(sql, params):
            found.setdefault(_text(sid), []).append(_text(path))
        return {k: tuple(v) for k, v in found.items()}

    def _rows(self, session_id: str | None = None) -> list[SessionRecord]:
        if not self._ensure():
            return []
        with self._connect() as conn:
            if not self._pg:
                conn.raw.text_factory = bytes  # a row with bad bytes is reported, not fatal
            if session_id is None:
                rows = conn.execute(_SELECT_ALL).fetchall()
                exports = self._exports(conn, _EXPORTS_ALL)
            else:
                rows = conn.execute(_SELECT_ONE, (session_id,)).fetchall()
                exports = self._exports(conn, _EXPORTS_ONE, (session_id,))
        return [_record(row, exports) for row in rows]

    def get(self, session_id: str) -> SessionRecord | None:
        """One session, or None."""
        rows = self._rows(_clean(session_id))
        return rows[0] if rows else None

    def list(self) -> list[SessionRecord]:
        """Every session, most recently updated first; a bad row has `problem` set."""
        return self._rows()

    def resolve(self, prefix: str) -> str:
        """The full id of the only session whose id starts with `prefix` (8 characters or more)."""
        wanted = _clean(prefix.strip().lower())
        if len(wanted) < MIN_PREFIX:
            raise StoreError(strings.STORE_ID_SHORT.format(id=prefix, n=MIN_PREFIX))
        if not self._ensure():
            raise StoreError(strings.SESSIONS_UNKNOWN.format(id=prefix))
        with self._connect() as conn:
            ids = [
                str(r[0])
                for r in conn.execute(
                    "SELECT id FROM sessions WHERE substr(id, 1, CAST(? AS INTEGER)) = ? "
                    "ORDER BY id LIMIT 4",
                    (len(wanted), wanted),
                )
            ]
        if wanted in ids:
            return wanted
        if not ids:
            raise StoreError(strings.SESSIONS_UNKNOWN.format(id=prefix))
        if len(ids) > 1:
            raise StoreError(
                strings.STORE_ID_AMBIGUOUS.format(
                    id=prefix, n=len(ids) if len(ids) < 4 else "plusieurs", ids=", ".join(ids[:3])
                )
            )
        return ids[0]


def upgrade_schema_in(conn: Conn) -> int:
    """Inside a write transaction: bring the sessions tables to this version; the old one."""
    return migrate(conn, SCHEMA)


def upgrade(target: Target) -> tuple[int, int]:
    """`conseiller db upgrade`: create or update the sessions tables; (before, after)."""
    return upgrade_schema(backend(target, strings.DB_SESSIONS, StoreError), SCHEMA)


def _text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def _record(row: tuple[object, ...], exports: dict[str, tuple[str, ...]]) -> SessionRecord:
    """A record from a row read as bytes; whatever is wrong with it goes into `problem`."""
    problems: list[str] = []
    values: dict[str, str] = {}
    for name, value in zip(_FIELDS[:9], row[:9], strict=True):  # revision is a number
        if value is None:
            problems.append(strings.STORE_ROW_MISSING.format(field=name))
            values[name] = ""
        elif isinstance(value, bytes):
            try:
                values[name] = value.decode("utf-8")
            except UnicodeDecodeError:
                problems.append(strings.STORE_ROW_BAD_TEXT.format(field=name))
                values[name] = value.decode("utf-8", errors="replace")
        else:
            values[name] = str(value)
    try:
        revision = int(_text(row[9]))
    except ValueError:
        revision = 0
    if not problems:
        try:
            data = json.loads(values["state"])
        except ValueError:
            problems.append(strings.STORE_ROW_BAD_JSON)
        else:
            if not isinstance(data, dict):
                problems.append(strings.STORE_ROW_NOT_STATE)
    finished = values["finished"] not in ("", "0")
    return SessionRecord(
        id=values["id"],
        created=values["created"],
        updated=values["updated"],
        flow=values["flow"],
        state=values["state"],
        notes=values["notes"],
        finished=finished,
        label=values["label"],
        source=values["source"],
        revision=revision,
        problem="; ".join(problems) or None,
        exports=exports.get(values["id"], ()),
        site=_text(row[10]),
        content_version=_text(row[11]),
    )


def _remove_files(paths: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Delete export files; (deleted or already gone, could not be deleted)."""
    deleted: list[str] = []
    left: list[str] = []
    for path in paths:
        try:
            os.unlink(path)
        except FileNotFoundError:
            deleted.append(path)
        except OSError:
            left.append(path)
        else:
            deleted.append(path)
    return tuple(deleted), tuple(left)


def parse_age(text: str) -> dt.timedelta:
    """'90d', '12w', '6m' (30-day months), '1y' -> a duration; ValueError otherwise."""
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    text = text.strip().lower()
    number = text[:-1]
    if len(text) < 2 or text[-1] not in units or not (number.isascii() and number.isdigit()):
        raise ValueError(strings.STORE_BAD_AGE.format(text=text))
    days = int(number) * units[text[-1]]
    if days > MAX_AGE_DAYS:
        raise ValueError(
            strings.STORE_AGE_TOO_BIG.format(text=text, max=MAX_AGE_DAYS, years=MAX_AGE_DAYS // 365)
        )
    return dt.timedelta(days=days)


def retention(value: str | None = None) -> dt.timedelta:
    """The retention period: `--retention`, then $CONSEILLER_RETENTION, then 12 months.

    ValueError (French) when it is not a duration of at least one day.
    """
    source = "--retention"
    if value is None:
        value = os.environ.get(RETENTION_ENV) or None
        source = RETENTION_ENV
    if value is None:
        return DEFAULT_RETENTION
    try:
        age = parse_age(value)
    except ValueError:
        age = dt.timedelta(0)
    if age < dt.timedelta(days=1):
        raise ValueError(strings.STORE_BAD_RETENTION.format(text=value, source=source))
    return age
