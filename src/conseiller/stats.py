"""Opt-in anonymous statistics: per finished session, need ids, formats, département, day."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from collections import Counter
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

FILENAME = "stats.sqlite3"
HIDE_BELOW = 5


@dataclass(frozen=True)
class Counts:
    """Counts per need and per département (small counts hidden)."""

    needs: list[tuple[str, int | None]]
    departements: list[tuple[str, int | None]]
    sessions: int


class Stats:
    """Finished sessions, as ids only: never free text, never an answer typed."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILENAME
        folder.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn, conn:
            conn.execute("CREATE TABLE IF NOT EXISTS finished (day TEXT NOT NULL, "
                         "departement TEXT, needs TEXT NOT NULL, formats TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA journal_mode = WAL")
        return conn

    def record(self, needs: list[str], formats: list[str], departement: str | None,
               day: dt.date | None = None) -> None:
        """Count one finished session."""
        when = (day or dt.date.today()).isoformat()
        with closing(self._connect()) as conn, conn:
            conn.execute("INSERT INTO finished VALUES (?, ?, ?, ?)",
                         (when, departement, json.dumps(sorted(needs)),
                          json.dumps(formats)))

    def counts(self, hide_below: int = HIDE_BELOW) -> Counts:
        """Counts per need and per département; a count under `hide_below` becomes None."""
        with closing(self._connect()) as conn:
            rows = conn.execute("SELECT departement, needs FROM finished").fetchall()
        needs: Counter[str] = Counter()
        depts: Counter[str] = Counter()
        for dept, need_json in rows:
            needs.update(json.loads(need_json))
            depts[dept or "?"] += 1

        def shown(counter: Counter[str]) -> list[tuple[str, int | None]]:
            return [(k, v if v >= hide_below else None)
                    for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]

        return Counts(shown(needs), shown(depts), len(rows))


def to_csv(counts: Counts) -> str:
    """kind,id,count — hidden counts are written '<5'."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["kind", "id", "count"])
    for kind, rows in (("need", counts.needs), ("departement", counts.departements)):
        for key, value in rows:
            writer.writerow([kind, key, value if value is not None else f"<{HIDE_BELOW}"])
    return out.getvalue()
