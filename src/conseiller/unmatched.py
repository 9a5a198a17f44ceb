"""Opt-in log of phrases the matcher did not understand: the phrase and the day, nothing else."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from conseiller.normalize import strip_controls
from conseiller.paths import make_private, private_dir, private_umask

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
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if self._ready:
            return sqlite3.connect(self.path, timeout=10)
        private_dir(self.path.parent, existing_too=False)
        with private_umask():  # the file and its -wal/-shm are the owner's only (0600)
            conn = sqlite3.connect(self.path, timeout=10)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("CREATE TABLE IF NOT EXISTS unmatched (phrase TEXT NOT NULL, "
                         "day TEXT NOT NULL)")
        for suffix in ("", "-wal", "-shm"):
            make_private(Path(f"{self.path}{suffix}"))
        self._ready = True
        return conn

    def record(self, phrase: str, day: dt.date | None = None) -> None:
        """Keep one phrase (trimmed, control characters removed) with today's date."""
        clean = strip_controls(phrase).strip()[:MAX_PHRASE]
        if not clean:
            return
        when = (day or dt.date.today()).isoformat()
        with closing(self._connect()) as conn, conn:
            conn.execute("INSERT INTO unmatched (phrase, day) VALUES (?, ?)", (clean, when))

    def counts(self) -> list[UnmatchedCount]:
        """Each phrase with its count, most frequent first."""
        if not self.path.exists():
            return []
        with closing(self._connect()) as conn:
            rows = conn.execute(
                "SELECT phrase, COUNT(*), MIN(day), MAX(day) FROM unmatched "
                "GROUP BY phrase ORDER BY COUNT(*) DESC, phrase").fetchall()
        return [UnmatchedCount(str(p), int(c), str(a), str(b)) for p, c, a, b in rows]
