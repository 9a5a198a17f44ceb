"""Kiosk staff PIN: stored only as a salted scrypt hash; growing delay after wrong tries."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conseiller.paths import PRIVATE_FILE_MODE, private_dir, private_umask

FILENAME = "kiosk-pin.json"
LOCKOUT_FILENAME = "kiosk-lockout.json"
MIN_LENGTH = 4
MAX_LENGTH = 12  # what --set-pin accepts
FIELD_LENGTH = 32  # what the PIN field takes: older kiosks may have a longer PIN
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
_HASH_BYTES = 32
_NEW_PIN = re.compile(rf"[0-9]{{{MIN_LENGTH},{MAX_LENGTH}}}")  # ASCII digits only


class PinError(ValueError):
    """A PIN that cannot be used, or a PIN file that cannot be read; the message is French."""


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, dklen=_HASH_BYTES, **_SCRYPT)


def _write_atomic(path: Path, text: str) -> None:
    """Write `text` next to `path` (0600), flush it to disk, then put it in place at once."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with private_umask():
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            if hasattr(os, "fchmod"):
                os.fchmod(out.fileno(), PRIVATE_FILE_MODE)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def validate_new_pin(pin: str) -> None:
    """PinError unless `pin` is 4 to 12 ASCII digits: what the PIN field lets anyone type."""
    from conseiller import strings

    if not _NEW_PIN.fullmatch(pin):
        raise PinError(strings.KIOSK_PIN_RULES.format(min=MIN_LENGTH, max=MAX_LENGTH))


def set_pin(folder: Path, pin: str) -> Path:
    """Store a new PIN (as salt + hash, never the PIN itself); returns the file written."""
    validate_new_pin(pin)
    salt = secrets.token_bytes(16)
    private_dir(folder, existing_too=False)
    path = folder / FILENAME
    _write_atomic(
        path, json.dumps({"salt": salt.hex(), "hash": _hash(pin, salt).hex(), "scrypt": _SCRYPT})
    )
    return path


def has_pin(folder: Path) -> bool:
    """True once a PIN file exists (see `require_pin` for one that can be used)."""
    return (folder / FILENAME).is_file()


def _read_pin(folder: Path) -> tuple[bytes, bytes]:
    """(salt, hash) from the PIN file; PinError (in French) when missing or unusable."""
    from conseiller import strings

    path = folder / FILENAME
    if not path.exists():
        raise PinError(strings.KIOSK_NO_PIN)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        salt = bytes.fromhex(data["salt"])
        expected = bytes.fromhex(data["hash"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PinError(strings.KIOSK_PIN_BROKEN.format(path=path)) from exc
    if not salt or len(expected) != _HASH_BYTES:
        raise PinError(strings.KIOSK_PIN_BROKEN.format(path=path))
    return salt, expected


def require_pin(folder: Path) -> None:
    """Raise PinError (French message) unless `folder` holds a usable PIN: the kiosk's gate.

    `conseiller kiosk` and `conseiller serve --kiosk` both refuse to start without one:
    a kiosk nobody can leave, or one whose PIN file is empty or corrupt, must not open.
    """
    _read_pin(folder)


def check_pin(folder: Path, pin: str) -> bool:
    """True when `pin` is the stored PIN (constant-time comparison)."""
    try:
        salt, expected = _read_pin(folder)
    except PinError:
        return False
    return hmac.compare_digest(_hash(pin, salt), expected)


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path` (created 0600): one kiosk process at a time."""
    with private_umask():
        fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@dataclass(frozen=True)
class LockState:
    """Wrong PINs in a row, and the wall-clock time before which no PIN is checked."""

    failures: int = 0
    until: float = 0.0


class Lockout:
    """After each wrong PIN the next try waits longer: 1, 2, 4, … seconds, at most a minute.

    The count and the time of the next allowed try belong to the kiosk, not to one PIN
    screen: cancelling and reopening it does not skip the wait. With a folder they are kept
    in `kiosk-lockout.json`, so that a restart does not skip it either, and every process
    sharing the folder (`serve --kiosk` runs one per visitor) counts every wrong try: each
    update happens under an exclusive lock, written to a temporary file then renamed.
    `clock` gives wall-clock seconds (`time.time`), so that the wait survives a restart.
    """

    MAX_DELAY = 60.0

    def __init__(self, folder: Path | None = None, clock: Callable[[], float] = time.time) -> None:
        self.folder = folder
        self.clock = clock
        self._state = LockState()  # without a folder: kept here only

    @staticmethod
    def delay(failures: int) -> float:
        """The wait after `failures` wrong PINs in a row."""
        return 0.0 if failures <= 0 else min(2.0 ** (failures - 1), Lockout.MAX_DELAY)

    @property
    def path(self) -> Path | None:
        """The file the lockout is kept in, if any."""
        return None if self.folder is None else self.folder / LOCKOUT_FILENAME

    def _load(self) -> LockState:
        path = self.path
        if path is None:
            return self._state
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return LockState(int(data["failures"]), float(data["until"]))
        except FileNotFoundError:
            return LockState()
        except (OSError, ValueError, KeyError, TypeError):
            # Unreadable: a minute from when it was last written, and a minute per wrong
            # PIN from then on, rather than no wait at all.
            try:
                written = path.stat().st_mtime
            except OSError:
                written = self.clock()
            return LockState(failures=6, until=written + self.MAX_DELAY)

    @contextmanager
    def _update(self) -> Iterator[list[LockState]]:
        """The state, under the lock; what the caller puts in the list is saved."""
        path = self.path
        if path is None:
            box = [self._state]
            yield box
            self._state = box[0]
            return
        private_dir(path.parent, existing_too=False)
        with _exclusive(path.with_name(f".{path.name}.lock")):
            box = [self._load()]
            before = box[0]
            yield box
            if box[0] != before:
                _write_atomic(
                    path, json.dumps({"failures": box[0].failures, "until": box[0].until})
                )

    @property
    def failures(self) -> int:
        """Wrong PINs in a row so far."""
        return self._load().failures

    def remaining(self) -> float:
        """Seconds before a PIN may be tried again (0 when it may be now)."""
        left = self._load().until - self.clock()
        if left > self.MAX_DELAY:
            return 0.0  # the clock was set back: no wait is ever that long
        return max(left, 0.0)

    def fail(self) -> float:
        """Record a wrong PIN; returns how long to wait before the next try."""
        with self._update() as box:
            failures = box[0].failures + 1
            wait = self.delay(failures)
            box[0] = LockState(failures, self.clock() + wait)
        return wait

    def reset(self) -> None:
        """A right PIN clears the count."""
        if self.path is not None and not self.path.exists():
            return  # nothing to clear: write nothing
        with self._update() as box:
            box[0] = LockState()
