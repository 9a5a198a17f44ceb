"""A network's shared store: --db URLs, PostgreSQL schema versions, sites, faults, concurrency."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from conseiller.cli import main
from conseiller.db import Cursor, DatabaseError
from conseiller.dburl import DbUrlError, parse, site_name
from conseiller.stats import Stats
from conseiller.store import SCHEMA_VERSION, ConflictError, Store, StoreError
from conseiller.unmatched import UnmatchedLog
from tests.pg_fixture import PgServer

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "tests" / "scenarios" / "01-isolee-idee-creuse.yaml"
NOV = dt.date(2026, 11, 3)
DEC = dt.date(2026, 12, 1)
RAW_DRIVER_WORDS = ("psycopg", "connection refused", "Traceback", "server closed", "FATAL")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


# --- where the database is -------------------------------------------------------------


def test_db_values_a_path_sqlite_urls_and_postgresql() -> None:
    assert parse("donnees/base.sqlite3").path == Path("donnees/base.sqlite3")
    assert parse("sqlite:///donnees/base.sqlite3").path == Path("donnees/base.sqlite3")
    assert parse("sqlite:////srv/conseiller/base.sqlite3").path == Path(
        "/srv/conseiller/base.sqlite3"
    )
    target = parse("postgresql://conseiller@db.example.org:5433/reseau")
    assert (
        target.is_postgres
        and target.shown() == "postgresql://conseiller@db.example.org:5433/reseau"
    )
    with pytest.raises(DbUrlError, match="incomprise"):
        parse("mysql://x@h/db")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://conseiller:motdepasse-fictif@db.example.org/reseau",
        "postgresql://conseiller@db.example.org/reseau?password=motdepasse-fictif",
    ],
)
def test_a_password_on_the_command_line_is_refused(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "sessions", "list", "--db", url)
    assert code == 2 and out == ""
    assert "PGPASSFILE" in err and "ps" in err and "motdepasse-fictif" not in err


def test_a_password_in_the_environment_variable_is_refused_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSEILLER_DB", "postgresql://a:fictif@db.example.org/x")
    with pytest.raises(StoreError, match="mot de passe"):
        Store(tmp_path)


def test_site_names() -> None:
    assert site_name("  Tiers-lieu de l'Exemple ") == "Tiers-lieu de l'Exemple"
    for bad in ("\x1b[31mrouge", "x" * 61, "a;b"):
        with pytest.raises(DbUrlError, match="site"):
            site_name(bad)


def test_one_sqlite_file_given_by_url_holds_every_store(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'reseau.sqlite3'}"
    Store(tmp_path / "a", db=db, site="A").create("principal", "{}")
    Stats(tmp_path / "b", db=db, site="A").record(["isolement"], [], "23")
    UnmatchedLog(tmp_path / "c", db=db).record("une phrase")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reseau.sqlite3"]  # and nothing else
    assert oct((tmp_path / "reseau.sqlite3").stat().st_mode & 0o777) == "0o600"
    assert len(Store(tmp_path, db=db).list()) == 1


# --- schema versions on PostgreSQL -------------------------------------------------------


def test_a_postgresql_database_is_only_changed_by_db_upgrade(
    postgres_server: PgServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = postgres_server.schema_url()
    with pytest.raises(StoreError) as err:
        Store(tmp_path, db=url)
    assert "conseiller db upgrade --db" in str(err.value)
    with pytest.raises(DatabaseError, match="db upgrade"):
        Stats(tmp_path, db=url)
    code, out, _ = _run(capsys, "db", "status", "--db", url)
    assert code == 0 and "de sessions, format 0" in out  # looking changes nothing
    code, out, _ = _run(capsys, "db", "upgrade", "--db", url)
    assert code == 0 and f"format 0 → {SCHEMA_VERSION}" in out
    code, out, _ = _run(capsys, "db", "upgrade", "--db", url)  # twice: nothing to do
    assert code == 0 and "déjà au format" in out
    code, out, _ = _run(capsys, "db", "status", "--db", url)
    assert code == 0 and f"de sessions, format {SCHEMA_VERSION}, lisible à partir" in out
    assert Store(tmp_path, db=url).version == SCHEMA_VERSION


def _set_meta(url: str, key: str, value: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE meta SET value = %s WHERE key = %s", (value, key))


def test_an_older_reader_refuses_only_when_the_minimum_is_above_it(
    pg_url: str, tmp_path: Path
) -> None:
    sid = Store(tmp_path, db=pg_url).create("principal", "{}")
    # A newer install upgraded the database with additive steps: this one keeps working.
    _set_meta(pg_url, "schema_version", str(SCHEMA_VERSION + 3))
    _set_meta(pg_url, "min_reader_version", str(SCHEMA_VERSION))
    store = Store(tmp_path, db=pg_url)
    assert store.save(sid, '{"n": 1}') == 2
    # A step this version cannot follow: it says so, in French, and writes nothing.
    _set_meta(pg_url, "min_reader_version", str(SCHEMA_VERSION + 1))
    with pytest.raises(StoreError) as err:
        Store(tmp_path, db=pg_url)
    assert "version plus récente" in str(err.value) and "Mettez conseiller à jour" in str(err.value)


# --- sites and versions ------------------------------------------------------------------


def test_sessions_record_their_site_and_content_version(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(
        capsys, "replay", str(SCENARIO), "--save", "--db", db, "--site", "Antenne Creuse"
    )
    assert code == 0, err
    [record] = Store(tmp_path, db=db).list()
    assert record.site == "Antenne Creuse"
    assert record.content_version.startswith("conseiller ") and "contenu " in record.content_version


def test_stats_by_site_month_need_and_departement_follow_the_rule(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = Stats(tmp_path, db=db, site="Tiers-lieu A")
    b = Stats(tmp_path, db=db, site="Borne B")
    for _ in range(12):
        a.record(["isolement"], ["dla"], "23", day=NOV)
    for _ in range(3):
        b.record(["financement"], [], "87", day=DEC)
    code, out, _ = _run(capsys, "stats", "--db", db, "--by", "site", "--csv")
    assert code == 0
    assert out.splitlines() == ["by,value,count", "site,Borne B,<5", "site,Tiers-lieu A,10"]
    code, out, _ = _run(capsys, "stats", "--db", db, "--by", "month", "--csv")
    assert out.splitlines()[1:] == ["month,2026-11,10", "month,2026-12,<5"]
    code, out, _ = _run(capsys, "stats", "--db", db, "--by", "departement", "--csv")
    rows = out.splitlines()
    assert "departement,23,10" in rows and "departement,87,<5" in rows
    assert "departement,2A,<5" in rows  # every known value, counted or not
    code, out, _ = _run(capsys, "stats", "--db", db, "--by", "need")
    assert "isolement" in out and " 10\n" in out and " 12\n" not in out and " 3\n" not in out
    code, out, _ = _run(capsys, "stats", "--db", db, "--site", "Borne B", "--csv")
    assert out.splitlines()[1] == "visits,,<5"  # one site alone, by the same rule


def test_the_unmatched_log_and_its_site(db: str, tmp_path: Path) -> None:
    log = UnmatchedLog(tmp_path, db=db, site="Borne B")
    log.record("  je cherche un hangar\n", day=NOV)
    log.record("je cherche un hangar", day=DEC)
    [count] = log.counts()
    assert (count.phrase, count.count, count.first_day, count.last_day) == (
        "je cherche un hangar",
        2,
        "2026-11-03",
        "2026-12-01",
    )


# --- two advisors, one session -----------------------------------------------------------


def test_two_advisors_on_one_session_one_wins_the_other_is_told(db: str, tmp_path: Path) -> None:
    one = Store(tmp_path / "poste-1", db=db, site="Guéret")
    other = Store(tmp_path / "poste-2", db=db, site="Limoges")
    sid = one.create("principal", '{"n": 0}')
    assert one.save(sid, '{"n": 1}', revision=1) == 2
    with pytest.raises(ConflictError, match="modifiée ailleurs"):
        other.save(sid, '{"n": 99}', revision=1)
    record = other.get(sid)
    assert record is not None and record.state == '{"n": 1}' and record.site == "Guéret"


def test_a_retry_after_a_write_that_landed_is_not_a_conflict(db: str, tmp_path: Path) -> None:
    """The server may commit a write whose answer was lost: the same retry is recognised."""
    store = Store(tmp_path, db=db)
    sid = store.create("principal", '{"n": 0}')
    assert store.save(sid, '{"n": 1}', revision=1) == 2
    assert store.save(sid, '{"n": 1}', revision=1) == 2  # the retry of that same write
    with pytest.raises(ConflictError):
        store.save(sid, '{"n": 2}', revision=1)


# --- faults --------------------------------------------------------------------------------


def test_server_stopped_mid_session_french_message_then_retry(
    postgres_server: PgServer, pg_url: str, tmp_path: Path
) -> None:
    store = Store(tmp_path, db=pg_url, site="Guéret")
    sid = store.create("principal", '{"n": 0}')
    revision = store.save(sid, '{"n": 1}', revision=1)
    stats = Stats(tmp_path, db=pg_url)
    postgres_server.stop()
    try:
        with pytest.raises(StoreError) as err:
            store.save(sid, '{"n": 2}', revision=revision)
        message = str(err.value)
        assert "ne répond pas" in message and "rien n'a été enregistré" in message
        assert not any(word.lower() in message.lower() for word in RAW_DRIVER_WORDS), message
        with pytest.raises(DatabaseError, match="ne répond pas"):
            stats.record(["isolement"], [], "23")
    finally:
        postgres_server.start()
    assert store.save(sid, '{"n": 2}', revision=revision) == revision + 1  # the retry
    record = store.get(sid)
    assert record is not None and record.state == '{"n": 2}'


def test_commands_say_the_server_is_down_in_french(
    postgres_server: PgServer, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    postgres_server.stop()
    try:
        for argv in (("sessions", "list"), ("stats",), ("unmatched",), ("db", "upgrade")):
            code, _, err = _run(capsys, *argv, "--db", pg_url)
            assert code == 2 and "ne répond pas" in err, (argv, err)
            assert not any(word.lower() in err.lower() for word in RAW_DRIVER_WORDS), err
    finally:
        postgres_server.start()


def test_the_driver_missing_is_said_in_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    with pytest.raises(StoreError, match=r"conseiller\[postgres\]"):
        Store(tmp_path, db="postgresql://conseiller@db.example.org/reseau")


# --- several writers at once ---------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CONSEILLER_DATA": str(tmp_path / "data"), "HOME": str(tmp_path)}


def test_replay_save_from_two_writers_then_sessions_list_finds_every_one(
    pg_url: str, tmp_path: Path
) -> None:
    """Two `replay --save --db postgresql://…` at once, three sessions each; `sessions list
    --json --db` sees all six."""
    db = pg_url
    script = (
        "import sys\nfrom conseiller.cli import main\n"
        "for _ in range(3):\n"
        "    assert main(['replay', sys.argv[1], '--save', '--db', sys.argv[2],"
        " '--site', sys.argv[3]]) == 0\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(SCENARIO), db, site],
            env=_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for site in ("Guéret", "Limoges")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode()
    listed = subprocess.run(
        [sys.executable, "-m", "conseiller", "sessions", "list", "--json", "--db", db],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = json.loads(listed.stdout)
    assert len(rows) == 6 and all(r["problem"] is None and r["finished"] for r in rows)
    assert sorted(r["site"] for r in rows) == ["Guéret"] * 3 + ["Limoges"] * 3


ADVISOR = """
import sys
from pathlib import Path
from conseiller.store import Store
store = Store(Path(sys.argv[1]), db=sys.argv[2], site=sys.argv[3])
for i in range(int(sys.argv[4])):
    sid = store.create("principal", '{"n": 0}', label=sys.argv[3])
    revision = 1
    for answer in range(1, 6):  # each answer committed on its own
        revision = store.save(sid, '{"n": %d}' % answer, revision=revision)
    store.save(sid, '{"n": 5}', finished=True, notes="fin %d" % i, revision=revision)
"""

KIOSK = """
import sys
from pathlib import Path
from conseiller.stats import Stats
stats = Stats(Path(sys.argv[1]), db=sys.argv[2], site=sys.argv[3])
for i in range(int(sys.argv[4])):
    stats.record(["isolement", "financement"] if i % 2 else ["isolement"], ["dla"], "23")
"""


def _all_at_once(script: str, tmp_path: Path, db: str, names: list[str], n: int) -> None:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), db, name, str(n)],
            env=_env(tmp_path),
            stderr=subprocess.PIPE,
        )
        for name in names
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()


def _advisors(db: str, tmp_path: Path, n: int) -> None:
    _all_at_once(ADVISOR, tmp_path, db, ["Guéret", "Limoges"], n)
    records = Store(tmp_path, db=db).list()
    assert len(records) == 2 * n
    assert all(r.finished and r.revision == 7 and r.state == '{"n": 5}' for r in records)


def _kiosks(db: str, tmp_path: Path, kiosks: int, n: int) -> None:
    _all_at_once(KIOSK, tmp_path, db, [f"Borne {k}" for k in range(kiosks)], n)
    stats = Stats(tmp_path, db=db)
    counters = stats.counters()
    assert counters[("visits", "")] == kiosks * n
    assert counters[("need", "financement")] == kiosks * (n // 2)
    assert {site: c[("visits", "")] for site, c in stats.by("site").items()} == {
        f"Borne {k}": n for k in range(kiosks)
    }


def test_two_advisors_and_three_kiosks_at_once_lose_nothing(db: str, tmp_path: Path) -> None:
    _advisors(db, tmp_path, 5)
    _kiosks(db, tmp_path, 3, 20)


@pytest.mark.slow
def test_two_advisors_fifty_sessions_each_lose_nothing(db: str, tmp_path: Path) -> None:
    _advisors(db, tmp_path, 50)


@pytest.mark.slow
def test_ten_kiosks_a_hundred_visits_each_lose_nothing(db: str, tmp_path: Path) -> None:
    _kiosks(db, tmp_path, 10, 100)


def test_serve_passes_the_database_and_the_site_to_each_session() -> None:
    from conseiller.cli import parse_args
    from conseiller.tui.serve import command_for

    url = "postgresql://conseiller@db.example.org/reseau"
    args = parse_args(["serve", "--kiosk", "--stats", "--db", url, "--site", "Borne B"])
    argv = command_for(args)
    assert argv[argv.index("--db") + 1] == url and argv[argv.index("--site") + 1] == "Borne B"
    child = parse_args(argv[3:])
    assert (child.db, child.site, child.func.__name__) == (url, "Borne B", "cmd_kiosk")


def test_server_stopped_before_the_commit_the_answer_is_reported_not_saved(
    postgres_server: PgServer, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server goes down inside the transaction: nothing is half-written, the advisor is
    told, and the same save works once it is back."""
    from conseiller.db import Conn

    store = Store(tmp_path, db=pg_url)
    sid = store.create("principal", '{"n": 0}')
    real_execute = Conn.execute

    def execute_then_crash(self: Conn, sql: str, params: Sequence[object] = ()) -> Cursor:
        cursor = real_execute(self, sql, params)
        if sql.startswith("UPDATE sessions"):
            postgres_server.stop()  # after the UPDATE, before the COMMIT
        return cursor

    monkeypatch.setattr(Conn, "execute", execute_then_crash)
    try:
        with pytest.raises(StoreError) as err:
            store.save(sid, '{"n": 1}', revision=1)
    finally:
        monkeypatch.setattr(Conn, "execute", real_execute)
        postgres_server.start()
    assert "ne répond pas" in str(err.value) and "rien n'a été enregistré" in str(err.value)
    record = store.get(sid)
    assert record is not None and (record.state, record.revision) == ('{"n": 0}', 1)
    assert store.save(sid, '{"n": 1}', revision=1) == 2


def test_a_kiosk_whose_counters_cannot_be_reached_says_so_and_starts(
    postgres_server: PgServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conseiller.kiosk import set_pin
    from conseiller.tui import kiosk_app

    set_pin(tmp_path, "482915")
    started: list[str] = []

    def run_kiosk(make: object, folder: Path) -> int:
        started.append("ok")
        return 0

    monkeypatch.setattr(kiosk_app, "run_kiosk", run_kiosk)
    url = postgres_server.schema_url()  # never upgraded
    code, _, err = _run(capsys, "kiosk", "--stats", "--data", str(tmp_path), "--db", url)
    assert code == 0 and started == ["ok"]
    assert "statistiques ne peuvent pas être comptées" in err and "db upgrade" in err
    assert os.environ["CONSEILLER_DB"] == url  # what the kiosk app opens its counters with


def test_db_upgrade_without_db_upgrades_the_files_of_the_data_folder_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    from conseiller import store as store_module
    from conseiller.db import Conn

    raw = sqlite3.connect(tmp_path / "sessions.sqlite3")
    for step in (store_module._v1, store_module._v2, store_module._v3):
        step(Conn(raw, "sqlite"))
    raw.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    raw.execute("INSERT INTO meta VALUES ('schema_version', '3')")
    raw.commit()
    raw.close()
    code, out, _ = _run(capsys, "db", "upgrade", "--data", str(tmp_path))
    assert code == 0 and out.count("\n") == 1 and "de sessions, format 3 → 4" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sessions.sqlite3"]  # nothing created


def test_an_unknown_user_or_database_is_said_in_french(
    postgres_server: PgServer, tmp_path: Path
) -> None:
    base = f"postgresql://{{user}}@127.0.0.1:{postgres_server.port}/{{db}}"
    cases = {
        base.format(user="personne_fictive", db="postgres"): "utilisateur inconnu",
        base.format(user="conseiller_test", db="base_fictive"): "n'existe pas",
    }
    for url, words in cases.items():
        with pytest.raises(StoreError) as err:
            Store(tmp_path, db=url)
        message = str(err.value)
        assert words in message and url in message, message
        assert not any(word.lower() in message.lower() for word in RAW_DRIVER_WORDS), message


def test_the_apps_stores_follow_the_environment(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kiosk and advisor apps open Stats(data) and Store(data): --db and --site reach
    them through CONSEILLER_DB and CONSEILLER_SITE."""
    monkeypatch.setenv("CONSEILLER_DB", db)
    monkeypatch.setenv("CONSEILLER_SITE", "Borne B")
    Stats(tmp_path / "data").record(["isolement"], [], "23", day=NOV)
    UnmatchedLog(tmp_path / "data").record("une phrase")
    Store(tmp_path / "data").create("principal", "{}")
    assert not (tmp_path / "data").exists()  # nothing in the local data folder
    monkeypatch.setenv("CONSEILLER_DB", "")
    monkeypatch.setenv("CONSEILLER_SITE", "")
    assert Stats(tmp_path, db=db).by("site")["Borne B"][("visits", "")] == 1
    assert [r.site for r in Store(tmp_path, db=db).list()] == ["Borne B"]


def test_a_session_held_too_long_by_another_post_is_said_busy(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    from conseiller import pg

    monkeypatch.setattr(pg, "LOCK_TIMEOUT_MS", 200)
    store = Store(tmp_path, db=pg_url)
    sid = store.create("principal", '{"n": 0}')
    with psycopg.connect(pg_url) as other:  # another post, in the middle of its own write
        other.execute("SELECT 1 FROM sessions WHERE id = %s FOR UPDATE", (sid,))
        with pytest.raises(StoreError) as err:
            store.save(sid, '{"n": 1}', revision=1)
    assert "occupée par un autre poste" in str(err.value) and "55P03" not in str(err.value)
    assert store.save(sid, '{"n": 1}', revision=1) == 2  # once it is free


def test_a_kiosk_role_counts_visits_but_cannot_read_sessions(
    postgres_server: PgServer, pg_url: str, tmp_path: Path
) -> None:
    """The README's grants: kiosks share the base for their counters, never the sessions."""
    import secrets

    import psycopg

    role = f"borne_{secrets.token_hex(4)}"
    schema = pg_url.rsplit("%3D", 1)[1]
    with psycopg.connect(pg_url, autocommit=True) as admin:
        Store(tmp_path, db=pg_url).create("principal", '{"secret": "NOTE"}')
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        admin.execute(f"GRANT SELECT ON meta TO {role}")
        admin.execute(f"GRANT SELECT, INSERT, UPDATE ON counters TO {role}")
    kiosk_url = pg_url.replace("conseiller_test@", f"{role}@")
    Stats(tmp_path, db=kiosk_url, site="Borne B").record(["isolement"], [], "23")
    with pytest.raises(StoreError) as err:
        Store(tmp_path, db=kiosk_url).list()
    assert "n'a pas le droit" in str(err.value)
    assert Stats(tmp_path, db=pg_url).counters()[("visits", "")] == 1
