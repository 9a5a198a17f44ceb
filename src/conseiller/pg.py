"""The PostgreSQL backend (psycopg 3, extra `postgres`), and the choice of backend for a store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from conseiller import strings
from conseiller.db import Backend, Conn, Database, DatabaseError
from conseiller.dburl import DbUrlError, Target, resolve, site_name

#: Seconds a connection attempt waits before saying the server does not answer.
CONNECT_TIMEOUT_S = 10
#: Milliseconds one statement may wait for a row another writer holds.
LOCK_TIMEOUT_MS = 30_000


class PgDatabase:
    """A PostgreSQL database: one connection per call, every driver error in French.

    The password is never in the URL: libpq reads ~/.pgpass, PGPASSFILE, PGPASSWORD or a
    service file. Nothing the driver says is shown as it is (it may quote the server).
    """

    dialect = "postgresql"

    def __init__(self, url: str, what: str, error_type: type[DatabaseError] = DatabaseError):
        self.url = url
        self.what = what
        self.error_type = error_type

    def shown(self) -> str:
        """The URL (it holds no password)."""
        return self.url

    def error(self, exc: BaseException) -> DatabaseError:
        """A French message for a psycopg error: what happened and what to do, never its text."""
        import psycopg

        where, what = self.url, self.what
        if isinstance(exc, DatabaseError):
            return exc
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            return self.error_type(strings.DB_PG_RIGHTS.format(where=where, what=what))
        if isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None:
            low = str(exc).lower()  # read to choose a message, never shown
            if "password" in low or "authentication" in low or "role" in low:
                return self.error_type(strings.DB_PG_AUTH.format(where=where))
            if "database" in low and "does not exist" in low:
                return self.error_type(strings.DB_PG_NO_DATABASE.format(where=where))
            return self.error_type(strings.DB_PG_UNREACHABLE.format(where=where, what=what))
        code = getattr(exc, "sqlstate", None)
        if code is not None and code.startswith(("08", "57P")):  # connection lost, shut down
            return self.error_type(strings.DB_PG_UNREACHABLE.format(where=where, what=what))
        if code in ("28000", "28P01"):
            return self.error_type(strings.DB_PG_AUTH.format(where=where))
        if code in ("55P03", "40001", "40P01"):  # lock timeout, serialization, deadlock
            return self.error_type(strings.DB_PG_BUSY.format(where=where, what=what))
        if code is None and isinstance(exc, psycopg.InterfaceError | psycopg.OperationalError):
            return self.error_type(strings.DB_PG_UNREACHABLE.format(where=where, what=what))
        return self.error_type(
            strings.DB_PG_FAILED.format(where=where, what=what, code=code or type(exc).__name__)
        )

    def exists(self) -> bool:
        """A server is always there to ask (whether it answers is another matter)."""
        return True

    def create_folder(self) -> None:
        """Nothing to create on this machine."""

    def make_private(self) -> None:
        """The server's rights decide who reads it (see the README)."""

    @contextmanager
    def _connect(self, *, autocommit: bool) -> Iterator[Any]:
        try:
            import psycopg
        except ImportError:
            raise self.error_type(strings.DB_PG_MISSING.format(where=self.url)) from None
        try:
            params = psycopg.conninfo.conninfo_to_dict(self.url)
        except psycopg.Error:
            raise self.error_type(strings.DB_URL_UNKNOWN.format(url=self.url)) from None
        try:
            # The URL's own options (a search_path…) are kept, a lock timeout added.
            options = f"{params.get('options') or ''} -c lock_timeout={LOCK_TIMEOUT_MS}"
            params.setdefault("connect_timeout", CONNECT_TIMEOUT_S)
            params.setdefault("application_name", "conseiller")
            params["options"] = options.strip()
            raw = psycopg.connect(
                psycopg.conninfo.make_conninfo("", **params), autocommit=autocommit
            )
        except (psycopg.Error, OSError) as exc:
            raise self.error(exc) from None
        try:
            with raw:
                yield raw
        except (psycopg.Error, OSError) as exc:
            raise self.error(exc) from None

    @contextmanager
    def conn(self, *, create: bool = False) -> Iterator[Conn]:
        """A connection in autocommit: each statement is committed on its own."""
        with self._connect(autocommit=True) as raw:
            yield Conn(raw, self.dialect)

    @contextmanager
    def transaction(self, *, create: bool = False) -> Iterator[Conn]:
        """One transaction: committed when the block ends, rolled back if it fails."""
        with self._connect(autocommit=False) as raw, raw.transaction():
            yield Conn(raw, self.dialect)


def backend(target: Target, what: str, error_type: type[DatabaseError] = DatabaseError) -> Backend:
    """The database of a store: the SQLite file, or the PostgreSQL server, of `target`."""
    if target.is_postgres:
        return PgDatabase(target.url, what, error_type)
    return Database(target.path or Path(), what, error_type)


class Opened(NamedTuple):
    """Where a store lives: its target, the site it records, its file (SQLite) and backend."""

    target: Target
    site: str
    path: Path
    db: Backend


def open_store(
    default_file: Path,
    what: str,
    db: str | Target | None,
    site: str | None,
    error_type: type[DatabaseError] = DatabaseError,
) -> Opened:
    """The database `db` names (--db, else $CONSEILLER_DB, else `default_file`) and the site
    (--site, else $CONSEILLER_SITE); a bad URL or site name raises `error_type` in French."""
    try:
        target = resolve(db, default_file)
        name = site_name(site)
    except DbUrlError as exc:
        raise error_type(str(exc)) from None
    return Opened(target, name, target.path or default_file, backend(target, what, error_type))
