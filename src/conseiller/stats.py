"""Anonymous kiosk statistics: monthly counters, one count per visit, published rounded to 5.

The rule, written once here (any other store of these statistics must follow it):

- a visit is counted once, when it ends (erased, left idle, staff exit), and only if it
  reached the results: one visitor going back and forth to the results counts once;
- only counters are kept, per (site, month, dimension, value), with dimensions `need`,
  `format`, `departement` and `need@departement` (a need and the département it was chosen
  for, for the territorial report), plus the `visits` total: never a row per visitor, so
  that nobody can read back what one person chose;
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
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from conseiller import strings
from conseiller.db import Conn, Schema, ensure_schema
from conseiller.db import upgrade as upgrade_schema
from conseiller.dburl import Target
from conseiller.pg import backend, open_store

if TYPE_CHECKING:
    from conseiller.catalog import Catalog

FILENAME = "stats.sqlite3"
ROUND_TO = 5
HIDE_BELOW = 5
HIDDEN = f"<{HIDE_BELOW}"
VISITS = "visits"
JOINT = "need@departement"  # value: "need@code"
DIMENSIONS = ("need", "format", "departement", JOINT)
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
    chosen = sorted(set(needs))
    return [
        (VISITS, ""),
        *(("need", need) for need in chosen),
        *(("format", fmt) for fmt in sorted(set(formats))),
        ("departement", departement or UNKNOWN),
        *((JOINT, f"{need}@{departement or UNKNOWN}") for need in chosen),
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


def _s1(conn: Conn) -> None:
    """Counters by site: a file from before the site (or before versions) is carried over,
    and the rows per visit of the oldest versions become counters, then are deleted."""
    legacy = conn.table_exists("counters")
    if legacy:
        conn.execute("ALTER TABLE counters RENAME TO counters_old")
    conn.execute(
        "CREATE TABLE counters (site TEXT NOT NULL DEFAULT '', month TEXT NOT NULL, "
        "dimension TEXT NOT NULL, value TEXT NOT NULL, count INTEGER NOT NULL, "
        "PRIMARY KEY (site, month, dimension, value))"
        + ("" if conn.is_postgres else " WITHOUT ROWID")
    )
    if legacy:
        conn.execute(
            "INSERT INTO counters (site, month, dimension, value, count) "
            "SELECT '', month, dimension, value, count FROM counters_old"
        )
        conn.execute("DROP TABLE counters_old")
    if conn.table_exists("finished"):
        totals: Counter[tuple[str, Cell]] = Counter()
        for day, dept, needs, formats in conn.execute(
            "SELECT day, departement, needs, formats FROM finished"
        ).fetchall():
            month = str(day)[:7] if is_month(str(day)[:7]) else UNKNOWN
            for cell in visit_cells(
                _ids(needs), _ids(formats), dept if isinstance(dept, str) else None
            ):
                totals[month, cell] += 1
        for (month, cell), n in totals.items():
            _add(conn, "", month, [cell], n)
        conn.execute("DELETE FROM finished")
        conn.execute("DROP TABLE finished")


#: The counters' tables; see `db.Schema`.
SCHEMA = Schema(
    what=strings.DB_STATS,
    version_key="stats_version",
    min_key="stats_min_reader",
    steps=(_s1,),
    min_reader=(1,),
)


def _add(conn: Conn, site: str, month: str, cells: Iterable[Cell], n: int = 1) -> None:
    conn.executemany(
        "INSERT INTO counters (site, month, dimension, value, count) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (site, month, dimension, value) "
        "DO UPDATE SET count = counters.count + excluded.count",
        [(site, month, dim, value, n) for dim, value in cells],
    )


#: What `conseiller stats --by` groups by: a column of the counters, or one dimension.
BY = ("site", "month", "departement", "need")


class Stats:
    """The kiosk's counters: identifiers and numbers, nothing typed. In `stats.sqlite3`
    (0600) of the data folder by default, or in the database `db` names (--db, else
    $CONSEILLER_DB), shared by every site; `site` (--site, else $CONSEILLER_SITE) is the
    site this kiosk counts for."""

    def __init__(
        self, folder: Path, *, db: str | Target | None = None, site: str | None = None
    ) -> None:
        self.target, self.site, self.path, self._db = open_store(
            folder / FILENAME, strings.DB_STATS, db, site
        )
        before = ensure_schema(self._db, SCHEMA)
        if before == 0 and not self.target.is_postgres:
            with self._db.conn() as conn:  # rows of old versions: rewrite the file without them
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
        with self._db.transaction() as conn:
            _add(conn, self.site, month, visit_cells(needs, formats, departement))

    def months(self) -> list[str]:
        """The months with counted visits, oldest first."""
        with self._db.conn() as conn:
            rows = conn.execute("SELECT DISTINCT month FROM counters ORDER BY month").fetchall()
            return [str(month) for (month,) in rows]

    def sites(self) -> list[str]:
        """The sites with counted visits, by name ("" for an install without a name)."""
        with self._db.conn() as conn:
            rows = conn.execute("SELECT DISTINCT site FROM counters ORDER BY site").fetchall()
            return [str(site) for (site,) in rows]

    def counters(self, month: str | None = None, site: str | None = None) -> dict[Cell, int]:
        """True counts, for one month or summed over all, over every site or one (never to
        be shown as they are)."""
        sql = "SELECT dimension, value, SUM(count) FROM counters WHERE 1 = 1"
        params: list[str] = []
        if month is not None:
            sql += " AND month = ?"
            params.append(month)
        if site is not None:
            sql += " AND site = ?"
            params.append(site)
        with self._db.conn() as conn:
            rows = conn.execute(sql + " GROUP BY dimension, value", params).fetchall()
        return {(str(dim), str(value)): int(n) for dim, value, n in rows}

    def by(self, column: str, month: str | None = None) -> dict[str, dict[Cell, int]]:
        """True counts grouped by site or by month (`column`), summed over the rest."""
        if column not in ("site", "month"):
            raise ValueError(column)
        sql = f"SELECT {column}, dimension, value, SUM(count) FROM counters"  # noqa: S608
        params: tuple[str, ...] = ()
        if month is not None:
            sql, params = sql + " WHERE month = ?", (month,)
        grouped: dict[str, dict[Cell, int]] = {}
        with self._db.conn() as conn:
            rows = conn.execute(sql + f" GROUP BY {column}, dimension, value", params).fetchall()
        for key, dim, value, n in rows:
            grouped.setdefault(str(key), {})[str(dim), str(value)] = int(n)
        return grouped

    def published(
        self,
        month: str | None = None,
        known: Mapping[str, Iterable[str]] | None = None,
        site: str | None = None,
    ) -> Published:
        """The statistics as they may be shown (see the rule at the top of this module)."""
        months = [m for m in self.months() if month in (None, m)]
        return publish(self.counters(month, site), months, known)


def published_by(
    stats: Stats,
    by: str,
    month: str | None = None,
    known: Mapping[str, Iterable[str]] | None = None,
    site: str | None = None,
) -> list[tuple[str, int | None]]:
    """`conseiller stats --by`: visits by site or by month, or the counts of one dimension
    (need, departement) over every site; each count published by the rule above."""
    if by in ("site", "month"):
        groups = stats.by(by, month)
        if by == "month" and site is not None:
            groups = {m: stats.counters(m, site) for m in groups}
        if by == "site" and site is not None:
            groups = {k: v for k, v in groups.items() if k == site}
        return [
            (key, published_count(counters.get((VISITS, ""), 0)))
            for key, counters in sorted(groups.items())
        ]
    published = stats.published(month, known, site)
    return published.needs if by == "need" else published.departements


def by_csv(by: str, rows: Iterable[tuple[str, int | None]]) -> str:
    """by,value,count: one line per site, month, need or département, by name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["by", "value", "count"])
    for key, value in rows:
        writer.writerow([by, key, shown(value)])
    return out.getvalue()


def upgrade(target: Target) -> tuple[int, int]:
    """`conseiller db upgrade`: create or update the counters' tables; (before, after)."""
    return upgrade_schema(backend(target, strings.DB_STATS), SCHEMA)


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
