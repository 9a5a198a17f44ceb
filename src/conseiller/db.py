"""The stores' databases: a SQLite file (private, WAL, secure delete, a busy timeout), the
interface both dialects share (`Conn`, `Backend`) and schema versions, with French errors."""

from __future__ import annotations

import errno
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from conseiller import strings
from conseiller.paths import PRIVATE_FILE_MODE, make_private, private_dir, private_umask

#: How long a call waits for another process's write before saying the file is busy.
BUSY_TIMEOUT_S = 30
#: Seconds between two tries at switching a new file to WAL while another process holds it.
WAL_RETRY_S = 0.05


class DatabaseError(RuntimeError):
    """A data file cannot be used; the message says why and what to do, in French."""


class Database:
    """A SQLite file of the data folder; every SQLite or system error becomes `error_type`
    with a French message naming the file, and what was saved before stays intact."""

    dialect = "sqlite"

    def __init__(
        self, path: Path, what: str, error_type: type[DatabaseError] = DatabaseError
    ) -> None:
        self.path = path
        self.what = what
        self.error_type = error_type

    def error(self, exc: BaseException) -> DatabaseError:
        """A French message for a SQLite or system error (never a raw traceback)."""
        reason, path, what = str(exc), self.path, self.what
        low = reason.lower()
        if "readonly" in low or "read-only" in low or "read only" in low:
            message = strings.STORE_READ_ONLY.format(path=path, what=what)
        elif (
            "disk is full" in low
            or "disk full" in low
            or (isinstance(exc, OSError) and exc.errno == errno.ENOSPC)
        ):
            message = strings.STORE_FULL.format(path=path)
        elif "malformed" in low or "not a database" in low or "encrypted" in low:
            message = strings.STORE_DAMAGED.format(path=path, reason=reason, what=what)
        elif "locked" in low or "busy" in low:
            message = strings.STORE_LOCKED.format(path=path, what=what)
        elif "unable to open" in low:
            message = strings.STORE_CANNOT_OPEN.format(path=path, reason=reason, what=what)
        elif "disk i/o" in low or isinstance(exc, OSError):
            message = strings.STORE_IO.format(path=path, reason=reason)
        else:
            message = strings.STORE_BROKEN.format(path=path, reason=reason, what=what)
        return self.error_type(message)

    def shown(self) -> str:
        """How messages name the file."""
        return str(self.path)

    @contextmanager
    def conn(self, *, create: bool = False) -> Iterator[Conn]:
        """A connection (autocommit) behind the interface both dialects share."""
        with self.connect(create=create) as raw:
            yield Conn(raw, "sqlite")

    @contextmanager
    def transaction(self, *, create: bool = False) -> Iterator[Conn]:
        """One transaction holding the write lock (see `write`)."""
        with self.write(create=create) as raw:
            yield Conn(raw, "sqlite")

    def exists(self) -> bool:
        """True when the file is there."""
        try:
            return self.path.exists()
        except OSError as exc:  # a folder we may not look into
            raise self.error(exc) from None

    def create_folder(self) -> None:
        """The folder, private (0700) if created here; an existing one is left as it is."""
        try:
            private_dir(self.path.parent, existing_too=False)
        except OSError as exc:
            raise self.error_type(
                strings.STORE_NO_FOLDER.format(path=self.path.parent, reason=exc)
            ) from None

    def make_private(self) -> None:
        """The file and its -wal/-shm are the owner's only (0600), older ones included."""
        for suffix in ("", "-wal", "-shm"):
            make_private(Path(f"{self.path}{suffix}"), PRIVATE_FILE_MODE)

    @contextmanager
    def connect(self, *, create: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection (autocommit; use `write` for a transaction)."""
        uri = f"{self.path.absolute().as_uri()}?mode={'rwc' if create else 'rw'}"
        try:
            with private_umask():
                conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise self.error(exc) from None
        try:
            with closing(conn):
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
                conn.execute("PRAGMA secure_delete = ON")
                conn.execute("PRAGMA foreign_keys = ON")
                if create:
                    _use_wal(conn)
                yield conn
        except (sqlite3.Error, OSError) as exc:
            raise self.error(exc) from None

    @contextmanager
    def write(self, *, create: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction that takes the write lock at once (no upgrade deadlocks)."""
        with self.connect(create=create) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise


# --- both dialects: one small interface over SQLite and PostgreSQL ------------------------


class Cursor(Protocol):
    """What the stores read from a statement, in either dialect."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...


class Conn:
    """A connection of either dialect: SQL written with `?` placeholders, run as is on
    SQLite and with `%s` on PostgreSQL (the stores' SQL holds no `%` of its own)."""

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.dialect = dialect

    @property
    def is_postgres(self) -> bool:
        """True on PostgreSQL."""
        return self.dialect == "postgresql"

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.is_postgres else sql

    def execute(self, sql: str, params: Sequence[object] = ()) -> Cursor:
        """Run one statement."""
        cursor: Cursor = self.raw.execute(self._sql(sql), tuple(params))
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        """Run one statement for each row."""
        if self.is_postgres:
            with self.raw.cursor() as cur:
                cur.executemany(self._sql(sql), [tuple(r) for r in rows])
        else:
            self.raw.executemany(sql, [tuple(r) for r in rows])

    def table_exists(self, name: str) -> bool:
        """True when the table is there (in the current schema on PostgreSQL)."""
        if self.is_postgres:
            sql = (
                "SELECT 1 FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_name = ?"
            )
        else:
            sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
        return self.execute(sql, (name,)).fetchone() is not None


class Backend(Protocol):
    """A store's database, whichever the dialect: connections, transactions, French errors."""

    dialect: str
    what: str
    error_type: type[DatabaseError]

    def shown(self) -> str:
        """How messages name the database."""
        ...

    def error(self, exc: BaseException) -> DatabaseError:
        """A French message for a driver or system error (never a raw traceback)."""
        ...

    def exists(self) -> bool:
        """True when there is something to read (a PostgreSQL server always is)."""
        ...

    def create_folder(self) -> None:
        """Make the place the database lives in (nothing to do on a server)."""
        ...

    def make_private(self) -> None:
        """Only the owner may read it (nothing to do on a server: its rights say)."""
        ...

    def conn(self, *, create: bool = False) -> AbstractContextManager[Conn]:
        """A connection in autocommit."""
        ...

    def transaction(self, *, create: bool = False) -> AbstractContextManager[Conn]:
        """One transaction: committed whole, or not at all."""
        ...


@dataclass(frozen=True)
class Schema:
    """One store's tables: its migration steps and where their version is recorded.

    Version n is reached by running `steps[:n]` (never edit a step that has shipped);
    `min_reader[n - 1]` is the oldest version of the code that can still use version n
    (additive steps keep it low, so that an older kiosk keeps running after an upgrade).
    """

    what: str
    version_key: str
    min_key: str
    steps: tuple[Callable[[Conn], None], ...]
    min_reader: tuple[int, ...]

    @property
    def version(self) -> int:
        """The version this code writes."""
        return len(self.steps)


def read_versions(conn: Conn, schema: Schema) -> tuple[int, int]:
    """(version, oldest reader) recorded in `meta`; (0, 0) when there is none; ValueError
    (the reason) when what is recorded is not a number."""
    if not conn.table_exists("meta"):
        return 0, 0
    rows = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", (schema.version_key, schema.min_key)
        ).fetchall()
    )
    try:
        version = int(rows.get(schema.version_key) or 0)
        oldest = int(rows.get(schema.min_key) or version)
    except (TypeError, ValueError):
        raise ValueError(f"{schema.version_key} = {rows.get(schema.version_key)!r}") from None
    return version, oldest


def readable(schema: Schema, version: int, oldest: int) -> bool:
    """True when this code may use a database of `version` (newer ones if additive)."""
    return version <= schema.version or oldest <= schema.version


def migrate(conn: Conn, schema: Schema) -> int:
    """Inside a write transaction: run the missing steps, record the version; the version
    found before (steps already run by another process are not run again)."""
    if conn.is_postgres:  # one upgrade at a time, whoever else tries
        conn.execute("SELECT pg_advisory_xact_lock(7317)")
    conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    found, _ = read_versions(conn, schema)
    if found >= schema.version:
        return found
    for step in schema.steps[found:]:
        step(conn)
    for key, value in (
        (schema.version_key, schema.version),
        (schema.min_key, schema.min_reader[schema.version - 1]),
    ):
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, str(value)),
        )
    return found


def upgrade(backend: Backend, schema: Schema) -> tuple[int, int]:
    """`conseiller db upgrade`: run the missing steps in one transaction; (before, after).

    Only additive steps ever run on a shared database, so readers down to the recorded
    oldest version keep working while others are upgraded.
    """
    with backend.transaction(create=True) as conn:
        before = migrate(conn, schema)
    backend.make_private()
    return before, max(before, schema.version)


def ensure_schema(backend: Backend, schema: Schema) -> int:
    """Open a store: a SQLite file is created or upgraded here (in one transaction holding
    the write lock); a PostgreSQL database is only checked (`conseiller db upgrade` changes
    it). The version found; `backend.error_type` (French) when it cannot be used."""
    backend.create_folder()
    with backend.conn(create=True) as conn:
        found = check_version(backend, conn, schema)
        if found < schema.version:
            if conn.is_postgres:
                raise backend.error_type(
                    strings.DB_NOT_READY.format(
                        what=schema.what, where=backend.shown(), found=found, known=schema.version
                    )
                )
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            try:
                check_version(backend, conn, schema)  # another process may have done it
                migrate(conn, schema)
                conn.execute("COMMIT")
            except BaseException:
                with suppress(Exception):
                    conn.execute("ROLLBACK")
                raise
    backend.make_private()
    return found


def check_version(backend: Backend, conn: Conn, schema: Schema) -> int:
    """The version found; `backend.error_type` (French) when this code may not use it."""
    try:
        version, oldest = read_versions(conn, schema)
    except ValueError as exc:
        raise backend.error_type(
            strings.STORE_DAMAGED.format(path=backend.shown(), reason=exc, what=schema.what)
        ) from None
    if not readable(schema, version, oldest):
        raise backend.error_type(
            strings.DB_TOO_NEW.format(
                what=schema.what,
                where=backend.shown(),
                found=version,
                oldest=oldest,
                known=schema.version,
            )
        )
    return version


def _use_wal(conn: sqlite3.Connection, deadline_s: float = BUSY_TIMEOUT_S) -> None:
    """Switch the file to WAL. SQLite answers « locked » at once, without waiting, when two
    processes create the same file together and one holds it: try again until the busy
    timeout, as any other statement would wait."""
    end = time.monotonic() + deadline_s
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode").fetchone()
            if mode and str(mode[0]).lower() == "wal":
                return
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            locked = "locked" in str(exc) or "busy" in str(exc)
            if not locked or time.monotonic() >= end:
                raise
            time.sleep(WAL_RETRY_S)
