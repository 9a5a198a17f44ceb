"""A new SQLite file is switched to WAL even when another process holds it for a moment."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, cast

import pytest

from conseiller import db


class _Busy:
    """A connection whose first `locked` answers stand for a second process creating the file."""

    def __init__(self, real: sqlite3.Connection, busy: int) -> None:
        self.real, self.busy, self.tries = real, busy, 0

    def execute(self, sql: str) -> Any:
        if sql.endswith("= WAL"):
            self.tries += 1
            if self.tries <= self.busy:
                raise sqlite3.OperationalError("database is locked")
        return self.real.execute(sql)


def test_wal_is_retried_while_the_file_is_locked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "WAL_RETRY_S", 0)
    real = sqlite3.connect(tmp_path / "s.sqlite3")
    busy = _Busy(real, busy=3)
    db._use_wal(cast(sqlite3.Connection, busy))
    assert busy.tries == 4
    assert real.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    real.close()


def test_a_lock_that_outlasts_the_timeout_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "WAL_RETRY_S", 0)
    real = sqlite3.connect(tmp_path / "s.sqlite3")
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        db._use_wal(cast(sqlite3.Connection, _Busy(real, busy=10**9)), deadline_s=0)
    real.close()
