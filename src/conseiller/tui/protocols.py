"""What screens may read of the app, as a protocol: screens never import the app module."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from conseiller.catalog import Catalog


class ConseillerAppLike(Protocol):
    """The app as screens see it (a mode is a class; screens read its capabilities)."""

    @property
    def kiosk(self) -> bool:
        """True at a kiosk: nothing is written, the keys are locked, the take-away is a QR
        code, and the help lists only the keys that work there."""
        ...

    @property
    def data(self) -> Path:
        """The data folder."""
        ...

    @property
    def exports_dir(self) -> Path:
        """Where the take-aways are written."""
        ...

    @property
    def catalog(self) -> Catalog:
        """The loaded content."""
        ...


def is_kiosk(app: object) -> bool:
    """True when `app` is a kiosk; False for any other app (a dialog may be shown by any)."""
    return getattr(app, "kiosk", False) is True
