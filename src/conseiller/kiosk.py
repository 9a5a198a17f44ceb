"""Kiosk staff PIN: stored only as a salted scrypt hash; growing delay after wrong tries."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

FILENAME = "kiosk-pin.json"
MIN_LENGTH = 4
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class PinError(ValueError):
    """A PIN that cannot be used; the message says why, in French."""


def _hash(pin: str, salt: bytes) -> bytes:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)


def set_pin(folder: Path, pin: str) -> Path:
    """Store a new PIN (as salt + hash, never the PIN itself); returns the file written."""
    from conseiller import strings

    if len(pin) < MIN_LENGTH or not pin.isdigit():
        raise PinError(strings.KIOSK_PIN_RULES.format(n=MIN_LENGTH))
    salt = secrets.token_bytes(16)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILENAME
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"salt": salt.hex(), "hash": _hash(pin, salt).hex(),
                               "scrypt": _SCRYPT}), encoding="utf-8")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path


def has_pin(folder: Path) -> bool:
    """True once a PIN was set."""
    return (folder / FILENAME).is_file()


def check_pin(folder: Path, pin: str) -> bool:
    """True when `pin` is the stored PIN (constant-time comparison)."""
    try:
        data = json.loads((folder / FILENAME).read_text(encoding="utf-8"))
        salt = bytes.fromhex(data["salt"])
        expected = bytes.fromhex(data["hash"])
    except (OSError, ValueError, KeyError):
        return False
    return hmac.compare_digest(_hash(pin, salt), expected)


@dataclass
class Lockout:
    """After each wrong PIN the next try waits longer: 1, 2, 4, … seconds, at most a minute."""

    failures: int = 0
    MAX_DELAY = 60.0

    def fail(self) -> float:
        """Record a wrong PIN; returns how long to wait before the next try."""
        self.failures += 1
        return min(2.0 ** (self.failures - 1), self.MAX_DELAY)

    def reset(self) -> None:
        """A right PIN clears the count."""
        self.failures = 0
