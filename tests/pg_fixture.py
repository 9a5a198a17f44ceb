"""A throwaway PostgreSQL cluster for the store tests (pytest plugin: see tests/conftest.py).

One cluster per test run, in a temporary folder, on a free port (TCP on 127.0.0.1 and a
unix socket in that folder), run as the `postgres` user with runuser when the tests run as
root (PostgreSQL refuses root), and stopped at the end. Each test gets a schema of its own.
Where PostgreSQL cannot be started the tests that need it are skipped, saying why; with
CONSEILLER_POSTGRES_TESTS=required (set by .ci/run once it installed PostgreSQL) they fail.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRED_ENV = "CONSEILLER_POSTGRES_TESTS"
USER = "conseiller_test"


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PgServer:
    """A running cluster: where it listens, and how to stop and start it again."""

    folder: Path
    port: int
    pg_ctl: str
    as_user: list[str]

    @property
    def url(self) -> str:
        """The URL of its `postgres` database (no password: the cluster trusts local users)."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            [*self.as_user, self.pg_ctl, "-D", str(self.folder / "data"), "-w", *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def start(self) -> None:
        """Start (again), and wait until it answers."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=200"
        )
        self._ctl("-l", str(self.folder / "log"), "-o", options, "start")

    def stop(self) -> None:
        """Stop at once, closing every connection (as a server going down would)."""
        self._ctl("-m", "immediate", "stop")

    def schema_url(self) -> str:
        """A fresh, empty schema of its own, as a URL (`options=-csearch_path=…`)."""
        import psycopg

        name = f"t_{secrets.token_hex(6)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {name}")
        return f"{self.url}?options=-csearch_path%3D{name}"


def _start_cluster() -> tuple[PgServer | None, str]:
    """A started cluster, or None and the reason it could not be."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if initdb is None or pg_ctl is None:
        return None, "PostgreSQL n'est pas installé (initdb et pg_ctl introuvables)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None, 'le pilote psycopg manque (pip install -e ".[test]")'
    folder = Path(tempfile.mkdtemp(prefix="conseiller-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        runuser = shutil.which("runuser")
        try:
            import pwd

            owner = pwd.getpwnam("postgres")
        except KeyError:
            return None, "on tourne en root et l'utilisateur « postgres » n'existe pas"
        if runuser is None:
            return None, "on tourne en root et runuser est introuvable"
        os.chown(folder, owner.pw_uid, owner.pw_gid)
        as_user = [runuser, "-u", "postgres", "--"]
    server = PgServer(folder, _free_port(), pg_ctl, as_user)
    try:
        subprocess.run(
            [
                *as_user,
                initdb,
                "-D",
                str(folder / "data"),
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        server.start()
    except (subprocess.SubprocessError, OSError) as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return None, f"le serveur PostgreSQL de test n'a pas démarré ({exc})"
    return server, ""


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PgServer]:
    """The test run's PostgreSQL cluster (skipped, or failed in CI, when there is none)."""
    server, reason = _start_cluster()
    if server is None:
        if os.environ.get(REQUIRED_ENV) == "required":
            pytest.fail(f"{REQUIRED_ENV}=required mais {reason}")
        pytest.skip(f"tests PostgreSQL sautés : {reason}")
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError):
            server.stop()  # (already stopped by a test that failed half-way: nothing to do)
        shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture
def pg_url(postgres_server: PgServer) -> str:
    """A URL to an empty schema of the test cluster, upgraded as `conseiller db upgrade` does."""
    from conseiller.cli import main

    url = postgres_server.schema_url()
    assert main(["db", "upgrade", "--db", url]) == 0
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each store test once on a SQLite file of its own, once on a PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'stores.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))
