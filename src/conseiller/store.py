"""Saved sessions in SQLite (WAL): one row per consenting holder, written in a transaction."""

from __future__ import annotations

import datetime as dt
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from conseiller import strings

FILENAME = "sessions.sqlite3"
SCHEMA_VERSION = 2


def _v1(conn: sqlite3.Connection) -> None:
    conn.execute(
        "CREATE TABLE sessions (id TEXT PRIMARY KEY, created TEXT NOT NULL, "
        "updated TEXT NOT NULL, flow TEXT NOT NULL, state TEXT NOT NULL, "
        "notes TEXT NOT NULL DEFAULT '', finished INTEGER NOT NULL DEFAULT 0)"
    )


def _v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE sessions ADD COLUMN label TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE sessions ADD COLUMN source TEXT NOT NULL DEFAULT 'advisor'")
    conn.execute("CREATE INDEX sessions_updated ON sessions (updated)")


# Version n is reached by running MIGRATIONS[n - 1]; never edit a step that has shipped.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2]


class StoreError(RuntimeError):
    """The data folder cannot be used; the message says why, in French."""


@dataclass(frozen=True)
class SessionRecord:
    """One saved session."""

    id: str
    created: str
    updated: str
    flow: str
    state: str
    notes: str
    finished: bool
    label: str
    source: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Store:
    """Sessions kept with the holder's consent, in `folder/sessions.sqlite3`."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILENAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(strings.STORE_NO_FOLDER.format(path=folder, reason=exc)) from None
        with self._connect() as conn:
            self._upgrade(conn)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(strings.STORE_BROKEN.format(path=self.path, reason=exc)) from None
        with closing(conn):
            conn.execute("PRAGMA busy_timeout = 30000")
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction that takes the write lock at once (no upgrade deadlocks)."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _upgrade(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                conn.execute("ROLLBACK")
                raise StoreError(strings.STORE_TOO_NEW.format(
                    path=self.path, found=version, known=SCHEMA_VERSION))
            for step in MIGRATIONS[version:]:
                step(conn)
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                         (str(SCHEMA_VERSION),))
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise StoreError(strings.STORE_BROKEN.format(path=self.path, reason=exc)) from None

    @property
    def version(self) -> int:
        """The schema version of the file."""
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0])

    # --- writing -----------------------------------------------------------------------

    def create(self, flow: str, state: str, *, label: str = "", source: str = "advisor") -> str:
        """A new session (only once the holder has agreed); returns its id."""
        session_id = secrets.token_hex(4)
        now = _now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO sessions (id, created, updated, flow, state, notes, finished, "
                "label, source) VALUES (?, ?, ?, ?, ?, '', 0, ?, ?)",
                (session_id, now, now, flow, state, label, source),
            )
        return session_id

    def save(self, session_id: str, state: str, *, finished: bool = False,
             notes: str | None = None) -> None:
        """Write the latest state (and notes) of a session in one transaction."""
        with self._write() as conn:
            if notes is None:
                conn.execute(
                    "UPDATE sessions SET state = ?, finished = ?, updated = ? WHERE id = ?",
                    (state, int(finished), _now(), session_id))
            else:
                conn.execute(
                    "UPDATE sessions SET state = ?, finished = ?, notes = ?, updated = ? "
                    "WHERE id = ?", (state, int(finished), notes, _now(), session_id))

    def save_notes(self, session_id: str, notes: str) -> None:
        """Write the advisor's private notes."""
        with self._write() as conn:
            conn.execute("UPDATE sessions SET notes = ?, updated = ? WHERE id = ?",
                         (notes, _now(), session_id))

    def delete(self, session_id: str) -> bool:
        """Delete one session at once; True if it existed."""
        with self._write() as conn:
            gone = conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
        self._checkpoint()
        return gone > 0

    def purge(self, older_than: dt.timedelta) -> int:
        """Delete sessions not touched for `older_than`; returns how many."""
        limit = (dt.datetime.now(dt.UTC) - older_than).isoformat(timespec="seconds")
        with self._write() as conn:
            gone = conn.execute("DELETE FROM sessions WHERE updated <= ?", (limit,)).rowcount
        self._checkpoint()
        return int(gone)

    def _checkpoint(self) -> None:
        """Fold the write-ahead log into the file so deleted text does not linger there."""
        with self._connect() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # --- reading -----------------------------------------------------------------------

    def get(self, session_id: str) -> SessionRecord | None:
        """One session, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, created, updated, flow, state, notes, finished, label, source "
                "FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return _record(row) if row else None

    def list(self) -> list[SessionRecord]:
        """Every session, most recently updated first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created, updated, flow, state, notes, finished, label, source "
                "FROM sessions ORDER BY updated DESC, id").fetchall()
        return [_record(r) for r in rows]


def _record(row: tuple[object, ...]) -> SessionRecord:
    return SessionRecord(
        id=str(row[0]), created=str(row[1]), updated=str(row[2]), flow=str(row[3]),
        state=str(row[4]), notes=str(row[5]), finished=bool(row[6]), label=str(row[7]),
        source=str(row[8]),
    )


def parse_age(text: str) -> dt.timedelta:
    """'90d', '12w', '6m' (30-day months), '1y' -> a duration; ValueError otherwise."""
    units = {"d": 1, "w": 7, "m": 30, "y": 365}
    text = text.strip().lower()
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit():
        raise ValueError(strings.STORE_BAD_AGE.format(text=text))
    return dt.timedelta(days=int(text[:-1]) * units[text[-1]])
