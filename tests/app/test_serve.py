"""`conseiller serve`: localhost by default, the page is served over HTTP, sessions capped."""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conseiller.tui.serve import _is_local, command_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_command_for_a_browser_session() -> None:
    args = argparse.Namespace(content=None, flows=Path("/x/flows"), data=None, kiosk=True)
    command = command_for(args)
    assert command.endswith("-m conseiller --flows /x/flows kiosk")


def test_local_addresses() -> None:
    assert _is_local("127.0.0.1") and _is_local("localhost") and _is_local("::1")
    assert not _is_local("0.0.0.0") and not _is_local("192.0.2.10")  # noqa: S104


@pytest.mark.slow
def test_the_page_is_served_on_localhost() -> None:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "conseiller", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        page = ""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                    page = resp.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.3)
        assert "<html" in page.lower() and "/ws" in page
        assert "conseiller" in page
        # Our page, not textual-serve's: French, and nothing fetched from the Internet.
        assert '<html lang="fr">' in page and "Recommencer" in page
        assert "googleapis" not in page and "Session ended" not in page
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}" in out
    assert "au plus 4 sessions" in out
