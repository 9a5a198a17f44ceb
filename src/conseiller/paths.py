"""Where the shipped content and the user's data live, and how private files are written."""

from __future__ import annotations

import itertools
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

_PACKAGE = Path(__file__).resolve().parent

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
_MAX_NAME_TRIES = 10_000


def shipped_dir(name: str) -> Path:
    """The shipped `flows` or `content` folder: inside the wheel, or at the repository root."""
    inside = _PACKAGE / "_data" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name


def data_dir(override: str | None = None) -> Path:
    """The user's data folder: --data, then $CONSEILLER_DATA, then the platform's default."""
    chosen = override or os.environ.get("CONSEILLER_DATA")
    if chosen:
        return Path(chosen).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "conseiller"


def cache_dir() -> Path:
    """Where what can be rebuilt at any time is kept (the learned readings' weights): the
    platform's cache folder. Nothing in it says anything about anyone."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "conseiller" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "conseiller"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "conseiller"


@contextmanager
def private_umask() -> Iterator[None]:
    """Files and folders created inside are for their owner only (umask 077)."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def make_private(path: Path, mode: int = PRIVATE_FILE_MODE) -> None:
    """chmod `path` if it exists; a file someone else owns is left as it is."""
    with suppress(OSError):  # gone, someone else's, or a read-only disk: nothing to do
        os.chmod(path, mode)


def private_dir(path: Path, *, existing_too: bool = True) -> Path:
    """Create `path` (and missing parents) as 0700; with `existing_too`, tighten it if it exists.

    Raises OSError when the folder cannot be created.
    """
    existed = path.is_dir()
    with private_umask():
        path.mkdir(parents=True, exist_ok=True)
    if existing_too or not existed:
        make_private(path, PRIVATE_DIR_MODE)
    return path


def write_private(path: Path, text: str, *, exclusive: bool = False) -> Path:
    """Write `text` to `path` readable by its owner only (0600), even if the file existed.

    With `exclusive`, fail with FileExistsError rather than replace an existing file.
    """
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC)
    with private_umask():
        fd = os.open(path, flags, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        if hasattr(os, "fchmod"):
            os.fchmod(out.fileno(), PRIVATE_FILE_MODE)
        out.write(text)
    return path


def write_cache_file(path: Path, write: Callable[[BinaryIO], object], *, keep: int) -> None:
    """Write a file of the cache folder atomically, for its owner only, then remove all but the
    `keep` newest files of its kind (the same name up to the first « - », the same suffix),
    this one always kept. A folder that cannot be written is no error: what is cached is
    rebuilt at the next start."""
    name = path.name.split("-", 1)[0]
    with suppress(OSError):
        path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=f".{name}-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                write(out)
            os.replace(tmp, path)
        finally:
            with suppress(FileNotFoundError):
                os.unlink(tmp)
        others = [f for f in path.parent.glob(f"{name}-*{path.suffix}") if f != path]
        for old in sorted(others, key=lambda f: -f.stat().st_mtime)[keep - 1 :]:
            old.unlink(missing_ok=True)


def reserve_unique(folder: Path, stem: str, suffixes: Sequence[str]) -> list[Path]:
    """Free names `stem.suffix` (then `stem-2.suffix`…) for every suffix, created empty (0600).

    Two writers in the same second get different names; nothing is ever overwritten.
    """
    for n in itertools.count(1):
        base = stem if n == 1 else f"{stem}-{n}"
        paths = [folder / f"{base}{suffix}" for suffix in suffixes]
        made: list[Path] = []
        try:
            for path in paths:
                write_private(path, "", exclusive=True)
                made.append(path)
        except FileExistsError:
            for path in made:
                path.unlink(missing_ok=True)
            if n >= _MAX_NAME_TRIES:
                raise
            continue
        return paths
    raise AssertionError("unreachable")  # pragma: no cover
