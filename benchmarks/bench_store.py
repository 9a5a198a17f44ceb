"""Store speed on SQLite and on a throwaway local PostgreSQL: one save, one visit, a listing.

Run: PYTHONPATH=. .venv/bin/python benchmarks/bench_store.py
Goals (local server): one answer saved <= 10 ms, one kiosk visit counted <= 10 ms, on both.
Measured on the 2-core test machine (2026-11-27): SQLite save 1.9 ms, visit 1.6 ms;
PostgreSQL save 3.8-7.4 ms, visit 5.5-7.4 ms (a connection per call, TCP on 127.0.0.1;
the machine shared with other jobs).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from tests.pg_fixture import _start_cluster

from conseiller.cli import main
from conseiller.stats import Stats
from conseiller.store import Store

ROUNDS = 200


def measure(name: str, db: str, folder: Path) -> None:
    """Print the time of one save, one counted visit and one listing."""
    store = Store(folder, db=db)
    sid = store.create("principal", "{}")
    revision = 1
    start = time.perf_counter()
    for i in range(ROUNDS):
        revision = store.save(sid, f'{{"n": {i}}}', revision=revision)
    save = (time.perf_counter() - start) / ROUNDS * 1000
    stats = Stats(folder, db=db)
    start = time.perf_counter()
    for _ in range(ROUNDS):
        stats.record(["isolement", "financement"], ["dla"], "23")
    visit = (time.perf_counter() - start) / ROUNDS * 1000
    start = time.perf_counter()
    store.list()
    listing = (time.perf_counter() - start) * 1000
    print(f"{name:11s} save {save:5.2f} ms   visit {visit:5.2f} ms   list {listing:5.1f} ms")


def run() -> None:
    """SQLite always; PostgreSQL when a cluster can be started here."""
    folder = Path(tempfile.mkdtemp(prefix="bench-store-"))
    os.environ.setdefault("CONSEILLER_DATA", str(folder / "data"))
    try:
        measure("sqlite", f"sqlite:///{folder / 'base.sqlite3'}", folder)
        server, reason = _start_cluster()
        if server is None:
            print(f"postgresql  skipped: {reason}")
            return
        try:
            url = server.schema_url()
            main(["db", "upgrade", "--db", url])
            measure("postgresql", url, folder)
        finally:
            server.stop()
            shutil.rmtree(server.folder, ignore_errors=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    run()
