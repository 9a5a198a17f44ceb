"""Anonymous kiosk statistics: monthly counters, rounding to 5, "<5", migration of old files."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from conseiller.catalog import Catalog
from conseiller.cli import main
from conseiller.stats import (
    FILENAME,
    Published,
    Stats,
    publish,
    published_count,
    to_csv,
)

NOV = dt.date(2026, 11, 3)
DEC = dt.date(2026, 12, 1)


def tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }


def mode(path: Path) -> str:
    return oct(path.stat().st_mode & 0o777)


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, None), (1, None), (4, None), (5, 5), (7, 5), (8, 10), (12, 10), (13, 15), (101, 100)],
)
def test_counts_are_rounded_to_5_and_hidden_under_5(count: int, shown: int | None) -> None:
    assert published_count(count) == shown


def test_cells_are_sorted_by_name_and_totals_follow_the_rule() -> None:
    counters = {
        ("visits", ""): 3,
        ("need", "isolement"): 2,
        ("need", "financement"): 1,
        ("need", "argent"): 3,
        ("departement", "32"): 3,
        ("format", "dla"): 3,
    }
    published = publish(counters, ["2026-11"])
    # Hidden cells listed by name: their order says nothing about their true counts.
    assert published.needs == [("argent", None), ("financement", None), ("isolement", None)]
    assert published.visits is None  # a total under 5 is hidden too
    counters[("visits", "")] = 12
    counters[("need", "financement")] = 9
    published = publish(counters)
    assert published.visits == 10
    assert published.needs == [("argent", None), ("financement", 10), ("isolement", None)]


def test_csv_has_the_rounded_total_and_hidden_cells() -> None:
    published = Published(
        10, [("financement", 5), ("isolement", None)], [("dla", 10)], [("32", None)], ["2026-11"]
    )
    assert to_csv(published).splitlines() == [
        "kind,id,count",
        "visits,,10",
        "need,financement,5",
        "need,isolement,<5",
        "format,dla,10",
        "departement,32,<5",
    ]


def test_a_visit_adds_to_monthly_counters_never_a_row(tmp_path: Path) -> None:
    stats = Stats(tmp_path)
    for _ in range(7):
        stats.record(["isolement", "financement", "isolement"], ["dla"], "23", day=NOV)
    stats.record(["isolement"], [], None, day=DEC)
    assert stats.counters("2026-11") == {
        ("visits", ""): 7,
        ("need", "isolement"): 7,
        ("need", "financement"): 7,
        ("format", "dla"): 7,
        ("departement", "23"): 7,
        ("need@departement", "isolement@23"): 7,
        ("need@departement", "financement@23"): 7,
    }
    assert stats.counters()[("visits", "")] == 8
    assert stats.counters("2026-12")[("departement", "?")] == 1
    assert stats.months() == ["2026-11", "2026-12"]
    with closing(sqlite3.connect(tmp_path / FILENAME)) as conn:
        # One row per (site, month, dimension, value): 7 for November, 4 for December.
        assert conn.execute("SELECT COUNT(*) FROM counters").fetchone() == (11,)
    assert tables(tmp_path / FILENAME) == {"counters", "meta"}
    for path in tmp_path.iterdir():
        assert mode(path) == "0o600", path


def test_one_more_visit_usually_changes_nothing_published(tmp_path: Path, db: str) -> None:
    """Differencing: the output before and after one visit is the same here."""
    stats = Stats(tmp_path, db=db)
    for _ in range(11):
        stats.record(["isolement"], ["dla"], "23", day=NOV)
    known = {
        "need": ["financement", "isolement"],
        "format": ["dla", "premiers-pas"],
        "departement": ["23", "87", "?"],
    }
    before = to_csv(stats.published(known=known))
    assert "departement,87,<5" in before  # listed though never counted
    stats.record(["isolement"], ["premiers-pas"], "87", day=NOV)
    assert to_csv(stats.published(known=known)) == before


def make_old_file(folder: Path, rows: list[tuple[str, str | None, list[str], list[str]]]) -> Path:
    """A statistics file as older versions wrote it: one world-readable row per visit."""
    path = folder / FILENAME
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS finished (day TEXT NOT NULL, "
            "departement TEXT, needs TEXT NOT NULL, formats TEXT NOT NULL)"
        )
        conn.executemany(
            "INSERT INTO finished VALUES (?, ?, ?, ?)",
            [
                (day, dept, json.dumps(sorted(needs)), json.dumps(formats))
                for day, dept, needs, formats in rows
            ],
        )
    path.chmod(0o644)
    return path


def test_old_rows_become_counters_and_are_deleted(tmp_path: Path) -> None:
    path = make_old_file(
        tmp_path,
        [
            ("2026-10-02", "23", ["isolement", "zz-rare-need"], ["dla"]),
            ("2026-10-30", "23", ["isolement"], []),
            ("2026-11-01", None, ["financement"], ["dla", "cae"]),
        ],
    )
    stats = Stats(tmp_path)
    assert tables(path) == {"counters", "meta"}
    assert stats.counters("2026-10") == {
        ("visits", ""): 2,
        ("need", "isolement"): 2,
        ("need", "zz-rare-need"): 1,
        ("format", "dla"): 1,
        ("departement", "23"): 2,
        ("need@departement", "isolement@23"): 2,
        ("need@departement", "zz-rare-need@23"): 1,
    }
    assert stats.counters("2026-11")[("departement", "?")] == 1
    assert stats.counters()[("format", "dla")] == 2
    # The per-visit rows are gone from the disk too (VACUUM), not only from the table.
    for leftover in tmp_path.iterdir():
        data = leftover.read_bytes()
        assert b'["isolement"' not in data and b"2026-10-02" not in data, leftover
        assert mode(leftover) == "0o600", leftover
    Stats(tmp_path)  # opening again changes nothing
    assert stats.counters()[("visits", "")] == 3


def test_stats_command_follows_the_rule(
    tmp_path: Path, db: str, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    stats = Stats(tmp_path, db=db)
    for n in range(13):
        stats.record(["isolement"] + (["financement"] if n < 3 else []), ["dla"], "23", day=NOV)
    assert main(["stats", "--data", str(tmp_path), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "Visites terminées : 15." in out and " 13\n" not in out and " 3\n" not in out
    assert "  isolement                15\n" in out
    assert "  <5                       " in out and "financement" in out
    assert main(["stats", "--data", str(tmp_path), "--db", db, "--csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[:2] == ["kind,id,count", "visits,,15"]
    needs = [row for row in rows if row.startswith("need,")]
    assert needs == sorted(needs)  # by name, whatever the counts
    assert "need,financement,<5" in needs and "need,isolement,15" in needs
    assert len(needs) == len(catalog.needs)  # every need, counted or not
    assert "departement,87,<5" in rows and "departement,23,15" in rows
    assert main(["stats", "--data", str(tmp_path), "--db", db, "--csv", "--month", "2026-12"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "visits,,<5"


def test_stats_command_refuses_a_bad_month(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["stats", "--data", str(tmp_path), "--month", "novembre"])
    assert stop.value.code == 2
    assert "AAAA-MM" in capsys.readouterr().err
