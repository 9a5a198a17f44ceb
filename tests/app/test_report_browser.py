"""The territorial report (`stats --html`) in headless Chromium: drawn, and printable to PDF.

The screenshot is kept with the CI artifacts ($CONSEILLER_SCREENSHOTS). Skipped where
Chromium is missing, failed instead when CONSEILLER_BROWSER_TESTS=required.
"""

from __future__ import annotations

import datetime as dt
import os
import struct
import subprocess
from pathlib import Path

import pytest

from conseiller.cli import main
from conseiller.stats import Stats
from conseiller.unmatched import UnmatchedLog
from tests.app.cdp import find_chromium

pytestmark = pytest.mark.slow

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("CONSEILLER_BROWSER_TESTS") == "required":
    pytest.fail("CONSEILLER_BROWSER_TESTS=required but no chromium on PATH", pytrace=False)


def _report(tmp_path: Path) -> Path:
    db = f"sqlite:///{tmp_path / 'reseau.sqlite3'}"
    for k, site in enumerate(("Tiers-lieu de l'Exemple", "Borne de Guéret", "Antenne fictive")):
        stats = Stats(tmp_path, db=db, site=site)
        for month in range(6, 12):
            for i in range(10 + 3 * k + month):
                needs = ["isolement", "financement"] if i % 3 else ["local-foncier"]
                stats.record(
                    needs,
                    ["dla"] if i % 2 else ["premiers-pas"],
                    ("23", "87", "19")[k],
                    day=dt.date(2026, month, 2),
                )
    log = UnmatchedLog(tmp_path, db=db)
    for _ in range(8):
        log.record("je cherche un local pour une recyclerie")
    out = tmp_path / "rapport.html"
    assert main(["stats", "--db", db, "--html", str(out)]) == 0
    return out


def _chromium(tmp_path: Path, *args: str) -> None:
    assert CHROMIUM is not None
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profil'}",
            *args,
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_the_report_renders_in_chromium_and_prints(tmp_path: Path) -> None:
    page = _report(tmp_path)
    shot = tmp_path / "rapport-territorial.png"
    _chromium(tmp_path, "--window-size=900,2600", f"--screenshot={shot}", page.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (900, 2600)
    assert len(data) > 30_000  # bars, discs and text: not a blank page
    folder = os.environ.get("CONSEILLER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / shot.name).write_bytes(data)
    pdf = tmp_path / "rapport.pdf"
    _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
