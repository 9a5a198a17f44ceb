"""Run `conseiller` in a pseudo-terminal: send raw bytes (even invalid UTF-8), read the screen."""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Mapping
from pathlib import Path

# CSI, OSC and DCS sequences, two-byte escapes, and the C0/C1 control characters.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"
    r"|\x1bP[^\x1b]*\x1b\\|\x1b[@-Z\\-_]|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def plain(output: bytes) -> str:
    """The text of terminal output, without its escape sequences."""
    return _ANSI.sub("", output.decode("utf-8", errors="replace"))


class PtyApp:
    """`python -m conseiller ARGS` on a pseudo-terminal of a given size."""

    def __init__(
        self,
        args: list[str],
        env: Mapping[str, str],
        *,
        cwd: Path,
        size: tuple[int, int] = (100, 32),
    ) -> None:
        self.args = args
        self.size = size
        full = {**env, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}
        full.pop("NO_COLOR", None)
        full.pop("TEXTUAL", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: become conseiller
            try:
                os.chdir(cwd)
                os.execve(  # noqa: S606
                    sys.executable,
                    [sys.executable, "-m", "conseiller", *args],
                    full,
                )  # our own interpreter, no shell
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.resize(*size)
        self.output = bytearray()
        self.status: int | None = None

    def resize(self, columns: int, lines: int) -> None:
        """Set the terminal size (the app gets SIGWINCH and redraws)."""
        self.size = (columns, lines)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))

    def write(self, data: bytes) -> None:
        """Send bytes as if typed (one write: a burst reaches the app at once)."""
        view = memoryview(data)
        while view:
            _, ready, _ = select.select([], [self.fd], [], 5)
            if not ready:
                raise TimeoutError("the app does not read its input")
            written = os.write(self.fd, view)
            view = view[written:]

    def read(self, timeout: float) -> bytes:
        """What the app writes within `timeout` seconds (less if it ends)."""
        got = bytearray()
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                break
            chunk = self._read_chunk()
            if chunk is None:
                break
            got += chunk
        self.output += got
        return bytes(got)

    def settle(self, quiet: float = 0.25, limit: float = 5.0) -> bytes:
        """Read until the app has written nothing for `quiet` seconds (at most `limit`)."""
        got = bytearray()
        end = time.monotonic() + limit
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                break
            chunk = self._read_chunk()
            if chunk is None:
                break
            got += chunk
        self.output += got
        return bytes(got)

    def wait_for(self, text: str, timeout: float = 20.0) -> bool:
        """Read until `text` shows on the screen (compared without escape sequences)."""
        start = len(self.output)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.read(min(0.2, end - time.monotonic()))
            if text in plain(bytes(self.output[start:])):
                return True
            if not self.alive():
                return False
        return False

    def _read_chunk(self) -> bytes | None:
        try:
            chunk = os.read(self.fd, 65536)
        except OSError as exc:  # EIO: the other side is closed (the app ended)
            if exc.errno == errno.EIO:
                return None
            raise
        return chunk or None

    def alive(self) -> bool:
        """Whether the process still runs."""
        if self.status is not None:
            return False
        pid, status = os.waitpid(self.pid, os.WNOHANG)
        if pid == 0:
            return True
        self.status = status
        return False

    @property
    def exit_code(self) -> int | None:
        """The exit code once ended (negative: killed by that signal)."""
        if self.status is None:
            return None
        return os.waitstatus_to_exitcode(self.status)

    def close(self) -> None:
        """End the process if it still runs, and release the terminal."""
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            _, self.status = os.waitpid(self.pid, 0)
        os.close(self.fd)
