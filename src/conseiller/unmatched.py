"""Opt-in log of phrases the matcher did not understand: the phrase and the day, nothing else."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from conseiller import strings
from conseiller.db import Database
from conseiller.normalize import strip_controls

FILENAME = "unmatched.sqlite3"
MAX_PHRASE = 500


@dataclass(frozen=True)
class UnmatchedCount:
    """A phrase, how often it came, and when first and last."""

    phrase: str
    count: int
    first_day: str
    last_day: str


class UnmatchedLog:
    """Phrases the matcher abstained on or hesitated about, for content authors."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILENAME
        self._db = Database(self.path, strings.DB_UNMATCHED)
        self._ready = False

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        if not self._ready:
            self._db.create_folder()
            with self._db.connect(create=True) as conn:
                conn.execute(
                    "CREATE TABLE IF NOT EXISTS unmatched (phrase TEXT NOT NULL, day TEXT NOT NULL)"
                )
            self._db.make_private()  # the file and its -wal/-shm are the owner's only
            self._ready = True
        return self._db.connect()

    def record(self, phrase: str, day: dt.date | None = None) -> None:
        """Keep one phrase (trimmed, control characters removed) with today's date."""
        clean = strip_controls(phrase).strip()[:MAX_PHRASE]
        if not clean:
            return
        when = (day or dt.date.today()).isoformat()
        with self._connect() as conn:
            conn.execute("INSERT INTO unmatched (phrase, day) VALUES (?, ?)", (clean, when))

    def counts(self) -> list[UnmatchedCount]:
        """Each phrase with its count, most frequent first."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT phrase, COUNT(*), MIN(day), MAX(day) FROM unmatched "
                "GROUP BY phrase ORDER BY COUNT(*) DESC, phrase"
            ).fetchall()
        return [UnmatchedCount(str(p), int(c), str(a), str(b)) for p, c, a, b in rows]
