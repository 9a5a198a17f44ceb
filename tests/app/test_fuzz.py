"""Random key bursts, valid and invalid bytes, at a real process: the app never falls over."""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button

from conseiller.catalog import Catalog
from conseiller.tui.app import make_app
from conseiller.tui.screens.chat import ChatScreen
from tests.app.pty_driver import PtyApp, plain

PIN = "73194682"  # long: random digits after F12 will not find it
SIZE = (100, 32)

FRENCH = "éèêëàâäîïôöùûüçœÉÈÀÇ«»’"
NAMED = [
    b"\r",
    b"\t",
    b"\x1b[Z",
    b"\x1b[A",
    b"\x1b[B",
    b"\x1b[C",
    b"\x1b[D",
    b" ",
    b"\x7f",
    b"\x1b[H",
    b"\x1b[F",
    b"\x1b[3~",
    b"\x1b[5~",
    b"\x1b[6~",
    b"\x1bOP",
    b"\x1bOQ",
    b"\x1b[15~",
    b"\x1b[24~",
    b"\x1b",
    b"\x1b\x1b",
]
PARTIAL = [
    b"\x1b[",
    b"\x1b[1;",
    b"\x1bO",
    b"\x1b[2",
    b"\x1b[<",
    b"\x1b[M",
    b"\x1b]",
    b"\x1bP",
    b"\x1b[?",
    b"\x1b[1;5",
]
# Ctrl+Q and Ctrl+C open the quit dialog, Ctrl+Z suspends: outside the kiosk they may
# legitimately quit, so only the kiosk gets them.
QUITTING = {0x03, 0x11, 0x1A}
CTRL = [bytes([c]) for c in range(0x01, 0x20) if c not in (0x09, 0x0D, 0x1B)] + [b"\x1c"]


def token(rng: random.Random, kiosk: bool) -> bytes:
    """One key, key sequence or stray byte."""
    kind = rng.random()
    if kind < 0.35:
        return bytes([rng.randint(0x20, 0x7E)])
    if kind < 0.45:
        return rng.choice(FRENCH).encode()
    if kind < 0.50:
        return str(rng.randint(0, 9)).encode()
    if kind < 0.72:
        return rng.choice(NAMED)
    if kind < 0.80:
        return bytes([rng.randint(0x80, 0xFF)])
    if kind < 0.88:
        return rng.choice(PARTIAL)
    ctrl = rng.choice(CTRL)
    if not kiosk and ctrl[0] in QUITTING:
        return b"\r"
    return ctrl


def burst(rng: random.Random, kiosk: bool) -> bytes:
    """A few keys sent in one write, like fast typing, a paste or a key-injecting device."""
    return b"".join(token(rng, kiosk) for _ in range(rng.randint(1, 24)))


class Target:
    """One app under fuzzing, restarted when it quits legitimately (holder, advisor)."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, marker: str) -> None:
        self.args, self.env, self.cwd, self.marker = args, env, cwd, marker
        self.app = self._start()
        self.sent: list[bytes] = []

    def _start(self) -> PtyApp:
        app = PtyApp(self.args, self.env, cwd=self.cwd, size=SIZE)
        assert app.wait_for(self.marker), plain(bytes(app.output))[-2000:]
        app.settle()
        return app

    def check(self, kiosk: bool) -> None:
        """The app still runs and still draws: a new terminal size repaints its screen."""
        for _ in range(3):
            app = self.app
            if not app.alive():
                self._ended(kiosk)
                return
            columns, lines = app.size
            app.resize(columns + (1 if columns == SIZE[0] else -1), lines)
            if self._redraws():
                return
        pytest.fail(f"the app no longer draws after {self.sent[-3:]!r}")

    def _redraws(self) -> bool:
        """Some words are drawn within a few seconds."""
        end = time.monotonic() + 5
        drawn = ""
        while time.monotonic() < end:
            drawn += plain(self.app.read(0.2))
            if sum(ch.isalpha() for ch in drawn) >= 10:
                self.app.settle()
                return True
            if not self.app.alive():
                return False
        return False

    def _ended(self, kiosk: bool) -> None:
        app = self.app
        app.read(0.5)
        tail = plain(bytes(app.output))[-3000:]
        crashed = app.exit_code != 0 or "Traceback" in tail or "Error" in tail
        if kiosk or crashed:
            pytest.fail(f"the app ended (code {app.exit_code}) after {self.sent[-3:]!r}:\n{tail}")
        app.close()  # a legitimate quit ("Quitter" then "Oui, quitter"): start again
        self.app = self._start()

    def send(self, data: bytes, quiet: float = 0.25) -> None:
        """Send a burst, then read what the app draws until it is quiet for a moment."""
        self.sent.append(data)
        try:
            self.app.write(data)
        except OSError:  # the app ended: check() says how
            return
        self.app.settle(quiet)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """The test's own home and data folder (the conftest fixture already set them)."""
    data = tmp_path / "data"
    data.mkdir()
    return {**os.environ, "CONSEILLER_DATA": str(data)}


def set_pin(env: dict[str, str], cwd: Path) -> None:
    """`conseiller kiosk --set-pin` as staff would type it (getpass reads the terminal)."""
    app = PtyApp(["--data", env["CONSEILLER_DATA"], "kiosk", "--set-pin"], env, cwd=cwd)
    try:
        assert app.wait_for("code du personnel")
        app.write(PIN.encode() + b"\r")
        assert app.wait_for("encore une fois")
        app.write(PIN.encode() + b"\r")
        assert app.wait_for("Code enregistré")
    finally:
        app.close()


MODES = {  # command line, a text of the first screen, whether nothing may quit
    "holder": ([], "Commencer", False),
    "kiosk": (["kiosk"], "Commencer", True),
    "advisor": (["accompagnement"], "Sessions", False),
}


def targets(env: dict[str, str], cwd: Path) -> Iterator[tuple[Target, bool]]:
    for args, marker, kiosk in MODES.values():
        if kiosk:
            set_pin(env, cwd)
        target = Target(args, env, cwd, marker)
        try:
            yield target, kiosk
        finally:
            target.app.close()


def fuzz(env: dict[str, str], cwd: Path, bursts: int, seed: int, every: int = 3) -> None:
    """`bursts` bursts at each use; every few, check the app still runs and draws.

    The kiosk survives errors (it logs them and wipes): any line in its error log is a
    failure here too.
    """
    rng = random.Random(seed)
    for target, kiosk in targets(env, cwd):
        for n in range(bursts):
            target.send(burst(rng, kiosk), quiet=0.06)
            if n % every == every - 1 or n == bursts - 1:
                target.check(kiosk)
    log = Path(env["CONSEILLER_DATA"]) / "kiosk-errors.log"
    assert not log.exists(), log.read_text(encoding="utf-8")


def test_invalid_byte_does_not_end_the_app(env: dict[str, str], tmp_path: Path) -> None:
    """0xE9 (é from a Latin-1 terminal), at the chat's text field and at the kiosk."""
    set_pin(env, tmp_path)
    for args in ([], ["kiosk"]):
        target = Target(args, env, tmp_path, "Commencer")
        try:
            for data in (b"\r", b"1", b"1", b"Cr\xe9teil \xff\x80", b"\xc3", b"x\r"):
                target.send(data)
            target.check(kiosk=True)
        finally:
            target.app.close()


def test_enter_tab_enter_in_one_write(env: dict[str, str], tmp_path: Path) -> None:
    """A stale button press from the previous question is ignored, not a crash."""
    target = Target([], env, tmp_path, "Commencer")
    try:
        for data in (b"\r", b"1", b"1", b"Gers\r\t\r", b"\r\t\r\r\t\r"):
            target.send(data)
        target.check(kiosk=True)
    finally:
        target.app.close()


def test_random_bursts(env: dict[str, str], tmp_path: Path) -> None:
    """About 50 seeded bursts over the three uses (holder, kiosk, advisor)."""
    fuzz(env, tmp_path, bursts=17, seed=20261127)


@pytest.mark.slow
def test_random_bursts_long(env: dict[str, str], tmp_path: Path) -> None:
    """More than a thousand bursts."""
    fuzz(env, tmp_path, bursts=350, seed=1789, every=6)


# --- the same, in-process (Pilot): one answer per press, one change at a time ----------


async def test_a_queued_second_press_does_not_answer_the_next_question(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Enter twice on a choice: the second press belongs to the question already answered."""
    app = make_app(catalog, data=tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.action_start()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        button = screen.query_one("#opt--1", Button)
        button.press()
        button.press()
        await pilot.pause()
        await pilot.pause()
        state = screen.chat.state
        assert list(state.answers) == ["role"]
        assert screen.engine.view(state).current.id == "stade"


async def test_back_while_an_answer_is_shown(catalog: Catalog, tmp_path: Path) -> None:
    """Two changes at once (Escape is run by the app, a press by the chat): they take turns."""
    app = make_app(catalog, data=tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        await app.action_start()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        chat = screen.chat
        for given in ("porteur", "idee", "Gers", "seul"):
            await chat.answer(given)
        await pilot.pause()
        assert screen.engine.view(chat.state).current.id == "agricole"
        await asyncio.gather(chat.action_back(), chat.action_back())
        await pilot.pause()
        assert screen.engine.view(chat.state).current.id == "departement"
        # Only the département's field: not the buttons of the question in between.
        assert [w.id for w in chat.query_one("#answer").children] == ["free", None]
