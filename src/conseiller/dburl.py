"""Where the stores live (--db, $CONSEILLER_DB: SQLite file or PostgreSQL URL), and the site."""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conseiller import strings

DB_ENV = "CONSEILLER_DB"
SITE_ENV = "CONSEILLER_SITE"
MAX_SITE = 60
_SITE = re.compile(r"[\w .'’()/-]+")


class DbUrlError(ValueError):
    """A --db value that cannot be used; the message says why, in French."""


@dataclass(frozen=True)
class Target:
    """One database: a SQLite file (`path`) or a PostgreSQL server (`url`, no password)."""

    kind: str  # "sqlite" or "postgresql"
    path: Path | None = None
    url: str = ""

    @property
    def is_postgres(self) -> bool:
        """True for a PostgreSQL server."""
        return self.kind == "postgresql"

    def shown(self) -> str:
        """How messages name it (a PostgreSQL URL never holds a password)."""
        return self.url if self.is_postgres else str(self.path)


def parse(text: str) -> Target:
    """A --db value: a path, sqlite:///relative, sqlite:////absolute or postgresql://…

    DbUrlError (French) for a URL holding a password (it would show in `ps`) or one we
    do not know.
    """
    value = text.strip()
    if not value:
        raise DbUrlError(strings.DB_URL_UNKNOWN.format(url=text))
    scheme, sep, rest = value.partition("://")
    if not sep or (len(scheme) == 1 and scheme.isalpha()):  # a path (C:\… included)
        return Target("sqlite", path=Path(value).expanduser())
    scheme = scheme.lower()
    if scheme == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise DbUrlError(strings.DB_URL_UNKNOWN.format(url=text))
        # sqlite:///relative -> "relative"; sqlite:////absolute -> "/absolute"
        return Target("sqlite", path=Path(rest[1:]).expanduser())
    if scheme in ("postgresql", "postgres"):
        parts = urlsplit(value)
        query = parse_qs(parts.query)
        if parts.password is not None or "password" in query:
            raise DbUrlError(strings.DB_URL_CREDENTIAL)
        return Target("postgresql", url=value)
    raise DbUrlError(strings.DB_URL_UNKNOWN.format(url=text))


def resolve(given: str | Target | None, default_file: Path) -> Target:
    """--db, then $CONSEILLER_DB, then `default_file` (a SQLite file of the data folder)."""
    if isinstance(given, Target):
        return given
    chosen = given or os.environ.get(DB_ENV) or None
    if chosen is None:
        return Target("sqlite", path=default_file)
    return parse(chosen)


def site_name(given: str | None = None) -> str:
    """--site, then $CONSEILLER_SITE, else "" (no name); DbUrlError (French) if unfit."""
    value = given if given is not None else os.environ.get(SITE_ENV, "")
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        return ""
    if len(value) > MAX_SITE or not _SITE.fullmatch(value):
        raise DbUrlError(strings.SITE_BAD.format(value=value[:MAX_SITE], max=MAX_SITE))
    return value
