"""Anonymous kiosk statistics: monthly counters, one count per visit, published rounded to 5.

The rule, written once here (any other store of these statistics must follow it):

- a visit is counted once, when it ends (erased, left idle, staff exit), and only if it
  reached the results: one visitor going back and forth to the results counts once;
- only counters are kept, per (month, dimension, value), with dimensions `need`, `format`
  and `departement`, plus the `visits` total: never a row per visitor, so that nobody can
  read back what one person chose;
- published numbers are rounded to the nearest multiple of 5, and a true count under 5 is
  published as "<5"; totals too; cells are listed by name, never by count, and every
  value the content knows is listed, counted or not. Comparing two outputs taken before
  and after one visit (differencing) then rarely shows a change, and never one of 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from conseiller import strings
from conseiller.db import Database

if TYPE_CHECKING:
    from conseiller.catalog import Catalog

FILENAME = "stats.sqlite3"
ROUND_TO = 5
HIDE_BELOW = 5
HIDDEN = f"<{HIDE_BELOW}"
VISITS = "visits"
DIMENSIONS = ("need", "format", "departement")
UNKNOWN = "?"  # a visit that reached the results without a département
_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")

Cell = tuple[str, str]  # (dimension, value); the visits total is (VISITS, "")


def month_of(day: dt.date) -> str:
    """The month a visit on `day` is counted in: "AAAA-MM"."""
    return f"{day.year:04d}-{day.month:02d}"


def is_month(text: str) -> bool:
    """True for "AAAA-MM" with a real month."""
    return bool(_MONTH.fullmatch(text)) and 1 <= int(text[5:]) <= 12


def visit_cells(
    needs: Iterable[str], formats: Iterable[str], departement: str | None
) -> list[Cell]:
    """The counters one finished visit adds one to: the total, and each value it chose once."""
    return [
        (VISITS, ""),
        *(("need", need) for need in sorted(set(needs))),
        *(("format", fmt) for fmt in sorted(set(formats))),
        ("departement", departement or UNKNOWN),
    ]


def published_count(count: int) -> int | None:
    """What may be shown of a true count: None ("<5") under 5, else rounded to 5."""
    if count < HIDE_BELOW:
        return None
    return (count + ROUND_TO // 2) // ROUND_TO * ROUND_TO


def shown(value: int | None) -> str:
    """A published count as written: "<5" or the rounded number."""
    return HIDDEN if value is None else str(value)


@dataclass(frozen=True)
class Published:
    """The statistics as they may be shown: rounded, small counts hidden, sorted by name."""

    visits: int | None
    needs: list[tuple[str, int | None]]
    formats: list[tuple[str, int | None]]
    departements: list[tuple[str, int | None]]
    months: list[str]


def known_values(catalog: Catalog) -> dict[str, list[str]]:
    """Every value each dimension can take with this content, counted or not."""
    return {
        "need": sorted(catalog.needs),
        "format": sorted(catalog.formats),
        "departement": [*sorted(catalog.territories.departements), UNKNOWN],
    }


def publish(
    counters: Mapping[Cell, int],
    months: Iterable[str] = (),
    known: Mapping[str, Iterable[str]] | None = None,
) -> Published:
    """Apply the rule to true counts (summed over the months wanted).

    With `known` (see `known_values`), every known value is listed, "<5" when never
    counted: a cell appearing between two outputs would tell what one visitor chose.
    """

    def cells(dimension: str) -> list[tuple[str, int | None]]:
        values = {value for dim, value in counters if dim == dimension}
        values.update((known or {}).get(dimension, ()))
        return [
            (value, published_count(counters.get((dimension, value), 0)))
            for value in sorted(values)
        ]

    return Published(
        published_count(counters.get((VISITS, ""), 0)),
        cells("need"),
        cells("format"),
        cells("departement"),
        sorted(set(months)),
    )


class Stats:
    """The kiosk's counters (`stats.sqlite3`, 0600): identifiers and numbers, nothing typed."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILENAME
        self._db = Database(self.path, strings.DB_STATS)
        self._db.create_folder()
        with self._db.connect(create=True) as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS counters (month TEXT NOT NULL, "
                "dimension TEXT NOT NULL, value TEXT NOT NULL, "
                "count INTEGER NOT NULL, PRIMARY KEY (month, dimension, value)) "
                "WITHOUT ROWID"
            )
            self._migrate(conn)
        self._db.make_private()  # files from older versions were world-readable

    @staticmethod
    def _add(conn: sqlite3.Connection, month: str, cells: Iterable[Cell], n: int = 1) -> None:
        conn.executemany(
            "INSERT INTO counters VALUES (?, ?, ?, ?) ON CONFLICT (month, dimension, value) "
            "DO UPDATE SET count = count + excluded.count",
            [(month, dim, value, n) for dim, value in cells],
        )

    def _migrate(self, conn: sqlite3.Connection) -> None:
        """Older versions kept one row per visit (table `finished`): turn them into counters,
        then delete them for good (VACUUM rewrites the file without them)."""
        query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'finished'"
        if conn.execute(query).fetchone() is None:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute(query).fetchone() is not None:  # not done by another process
                totals: Counter[tuple[str, Cell]] = Counter()
                for day, dept, needs, formats in conn.execute(
                    "SELECT day, departement, needs, formats FROM finished"
                ):
                    month = str(day)[:7] if is_month(str(day)[:7]) else UNKNOWN
                    for cell in visit_cells(
                        _ids(needs), _ids(formats), dept if isinstance(dept, str) else None
                    ):
                        totals[month, cell] += 1
                for (month, cell), n in totals.items():
                    self._add(conn, month, [cell], n)
                conn.execute("DELETE FROM finished")
                conn.execute("DROP TABLE finished")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def record(
        self,
        needs: Iterable[str],
        formats: Iterable[str],
        departement: str | None,
        day: dt.date | None = None,
    ) -> None:
        """Count one finished visit that reached the results (call it once per visit)."""
        month = month_of(day or dt.date.today())
        with self._db.write() as conn:
            self._add(conn, month, visit_cells(needs, formats, departement))

    def months(self) -> list[str]:
        """The months with counted visits, oldest first."""
        with self._db.connect() as conn:
            rows = conn.execute("SELECT DISTINCT month FROM counters ORDER BY month")
            return [str(month) for (month,) in rows]

    def counters(self, month: str | None = None) -> dict[Cell, int]:
        """True counts, for one month or summed over all (never to be shown as they are)."""
        sql = "SELECT dimension, value, SUM(count) FROM counters"
        params: tuple[str, ...] = ()
        if month is not None:
            sql, params = sql + " WHERE month = ?", (month,)
        with self._db.connect() as conn:
            rows = conn.execute(sql + " GROUP BY dimension, value", params).fetchall()
        return {(str(dim), str(value)): int(n) for dim, value, n in rows}

    def published(
        self, month: str | None = None, known: Mapping[str, Iterable[str]] | None = None
    ) -> Published:
        """The statistics as they may be shown (see the rule at the top of this module)."""
        months = [m for m in self.months() if month in (None, m)]
        return publish(self.counters(month), months, known)


def _ids(text: object) -> list[str]:
    """A JSON list of identifiers from an old row (anything else counts as none)."""
    try:
        value = json.loads(str(text))
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def to_csv(published: Published) -> str:
    """kind,id,count: the visits total first, then needs, formats, départements by name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kind", "id", "count"])
    writer.writerow([VISITS, "", shown(published.visits)])
    for kind, rows in (
        ("need", published.needs),
        ("format", published.formats),
        ("departement", published.departements),
    ):
        for key, value in rows:
            writer.writerow([kind, key, shown(value)])
    return out.getvalue()
