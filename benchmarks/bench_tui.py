"""TUI speed: time to first paint of the whole `conseiller` process, and time per turn.

Run: .venv/bin/python benchmarks/bench_tui.py
First paint: the process is started in a pseudo-terminal (80x24) and timed until the
welcome text is on the screen. Goal <= 0.6 s (a bare Textual app paints in about 0.45 s).
Per turn: with Textual's headless pilot, time from an answer to the next question rendered.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

MARKER = b"Bienvenue"
BARE_APP = """
from textual.app import App
from textual.widgets import Static
class Bare(App[None]):
    def compose(self):
        yield Static("Bienvenue")
Bare().run()
"""


def first_paint(argv: list[str], timeout: float = 10.0) -> float:
    """Seconds from fork to MARKER appearing on the pseudo-terminal."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.execv(argv[0], argv)  # noqa: S606 - our own interpreter and script
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    elapsed = timeout
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                if MARKER in seen:
                    elapsed = time.perf_counter() - start
                    break
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
    return elapsed


async def per_turn(turns: int = 20) -> list[float]:
    """Seconds from pressing an answer key to the next question shown (headless)."""
    from conseiller.catalog import load_catalog
    from conseiller.tui.app import make_app
    from conseiller.tui.screens.chat import ChatScreen

    app = make_app(load_catalog(), data=Path(tempfile.mkdtemp()))
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#start")
        await pilot.pause()
        for _ in range(turns):
            screen = app.screen
            assert isinstance(screen, ChatScreen)
            start = time.perf_counter()
            await pilot.press("1")  # role: porteur
            await pilot.pause()
            times.append(time.perf_counter() - start)
            await pilot.press("escape")
            await pilot.pause()
    return times


def main() -> None:
    # the app builds the learned readings in the background and keeps their weights in the
    # cache folder: a temporary one, so that a benchmark never writes into the user's home
    home = Path(tempfile.mkdtemp())
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    exe = str(Path(sys.executable).with_name("conseiller"))
    runs = [first_paint([exe]) for _ in range(5)]
    bare = [first_paint([sys.executable, "-c", BARE_APP]) for _ in range(5)]
    print(
        f"first paint `conseiller`: median {statistics.median(runs):.3f} s "
        f"(runs {', '.join(f'{r:.2f}' for r in runs)}; goal <= 0.6 s)"
    )
    print(f"first paint bare Textual app: median {statistics.median(bare):.3f} s")
    turns = asyncio.run(per_turn())
    print(
        f"per turn (answer -> next question rendered, headless): median "
        f"{statistics.median(turns) * 1000:.0f} ms, max {max(turns) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
