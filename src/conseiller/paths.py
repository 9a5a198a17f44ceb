"""Where the shipped content and the user's data live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


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
