"""What screens may read of the app, as a protocol: screens never import the app module."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from conseiller.catalog import Catalog


class ConseillerAppLike(Protocol):
    """The app as screens see it."""

    mode: str
    data: Path

    @property
    def exports_dir(self) -> Path:
        """Where the take-aways are written."""
        ...

    @property
    def catalog(self) -> Catalog:
        """The loaded content."""
        ...
