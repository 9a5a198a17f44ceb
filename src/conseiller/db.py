"""One way to use a SQLite file: private, WAL, secure delete, a busy timeout, French errors."""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path

from conseiller import strings
from conseiller.paths import PRIVATE_FILE_MODE, make_private, private_dir, private_umask

#: How long a call waits for another process's write before saying the file is busy.
BUSY_TIMEOUT_S = 30


class DatabaseError(RuntimeError):
    """A data file cannot be used; the message says why and what to do, in French."""


class Database:
    """A SQLite file of the data folder; every SQLite or system error becomes `error_type`
    with a French message naming the file, and what was saved before stays intact."""

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
                    conn.execute("PRAGMA journal_mode = WAL")
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
