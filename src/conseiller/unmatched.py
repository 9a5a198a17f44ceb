"""Opt-in log of phrases the matcher did not understand: phrase, day and site, nothing else."""

from __future__ import annotations

import datetime as dt
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from conseiller import strings
from conseiller.db import Conn, Schema, ensure_schema
from conseiller.db import upgrade as upgrade_schema
from conseiller.dburl import Target
from conseiller.normalize import strip_controls
from conseiller.pg import backend, open_store

FILENAME = "unmatched.sqlite3"
MAX_PHRASE = 500


@dataclass(frozen=True)
class UnmatchedCount:
    """A phrase, how often it came, and when first and last."""

    phrase: str
    count: int
    first_day: str
    last_day: str


def _u1(conn: Conn) -> None:
    conn.execute("CREATE TABLE IF NOT EXISTS unmatched (phrase TEXT NOT NULL, day TEXT NOT NULL)")


def _u2(conn: Conn) -> None:
    """Additive: the site the phrase was typed at."""
    conn.execute("ALTER TABLE unmatched ADD COLUMN site TEXT NOT NULL DEFAULT ''")


#: The log's table; see `db.Schema` (version 2 only adds a column: version 1 still reads).
SCHEMA = Schema(
    what=strings.DB_UNMATCHED,
    version_key="unmatched_version",
    min_key="unmatched_min_reader",
    steps=(_u1, _u2),
    min_reader=(1, 1),
)


class UnmatchedLog:
    """Phrases the matcher abstained on or hesitated about, for content authors: in
    `unmatched.sqlite3` of the data folder, or in the database `db` names (--db, else
    $CONSEILLER_DB), with the site (--site, else $CONSEILLER_SITE)."""

    def __init__(
        self, folder: Path, *, db: str | Target | None = None, site: str | None = None
    ) -> None:
        self.target, self.site, self.path, self._db = open_store(
            folder / FILENAME, strings.DB_UNMATCHED, db, site
        )
        self._ready = False

    def _connect(self) -> AbstractContextManager[Conn]:
        if not self._ready:
            ensure_schema(self._db, SCHEMA)  # the file and its -wal/-shm: the owner's only
            self._ready = True
        return self._db.conn()

    def record(self, phrase: str, day: dt.date | None = None) -> None:
        """Keep one phrase (trimmed, control characters removed) with today's date."""
        clean = strip_controls(phrase).strip()[:MAX_PHRASE]
        if not clean:
            return
        when = (day or dt.date.today()).isoformat()
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO unmatched (phrase, day, site) VALUES (?, ?, ?)",
                (clean, when, self.site),
            )

    def counts(self) -> list[UnmatchedCount]:
        """Each phrase with its count, most frequent first."""
        if not self.target.is_postgres and not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT phrase, COUNT(*), MIN(day), MAX(day) FROM unmatched "
                "GROUP BY phrase ORDER BY COUNT(*) DESC, phrase"
            ).fetchall()
        return [UnmatchedCount(str(p), int(c), str(a), str(b)) for p, c, a, b in rows]


def upgrade(target: Target) -> tuple[int, int]:
    """`conseiller db upgrade`: create or update the log's table; (before, after)."""
    return upgrade_schema(backend(target, strings.DB_UNMATCHED), SCHEMA)
