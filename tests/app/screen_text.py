"""Reading what a Textual app really shows: the screen's lines, and QR codes drawn on it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.geometry import Region

ZBARIMG = shutil.which("zbarimg")
if ZBARIMG is None and os.environ.get("CONSEILLER_BROWSER_TESTS") == "required":
    pytest.fail("CONSEILLER_BROWSER_TESTS=required but no zbarimg on PATH", pytrace=False)
needs_zbarimg = pytest.mark.skipif(ZBARIMG is None, reason="zbarimg (zbar-tools) is not installed")

INK = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}


def screen_lines(app: App[Any]) -> list[str]:
    """Every line of the screen as drawn (the compositor's strips: what the terminal gets)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def crop(lines: list[str], region: Region) -> list[str]:
    """The part of the screen lines inside a region."""
    return [line[region.x : region.right] for line in lines[region.y : region.bottom]]


def decode_qr(drawing: list[str], folder: Path) -> str:
    """Decode a QR code drawn with half blocks (dark on light) with zbarimg: each character
    cell is two modules, one above the other; a quiet zone is added around."""
    modules: list[list[bool]] = []
    for line in drawing:
        cells = [INK[c] for c in line]
        modules.append([top for top, _ in cells])
        modules.append([bottom for _, bottom in cells])
    quiet, scale = 4, 6
    width = len(modules[0]) + 2 * quiet
    blank = [False] * width
    rows = [blank] * quiet + [[False] * quiet + r + [False] * quiet for r in modules]
    rows += [blank] * quiet
    image = folder / "qr.pgm"
    with image.open("wb") as out:
        out.write(f"P5 {width * scale} {len(rows) * scale} 255\n".encode("ascii"))
        for row in rows:
            out.write(bytes(0 if dark else 255 for dark in row for _ in range(scale)) * scale)
    assert ZBARIMG is not None
    done = subprocess.run(
        [ZBARIMG, "--quiet", "--raw", "-Sbinary", str(image)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    raw = done.stdout  # --raw: the data as it is, no newline added
    try:  # segno writes ISO-8859-1 (the QR default) when the text allows, else UTF-8
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")
