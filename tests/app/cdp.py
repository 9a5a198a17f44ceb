"""A small Chrome DevTools Protocol client: start headless Chromium, drive one page."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import re
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import aiohttp

#: Flags for a closed network and a root user (see the machine notes in .library/env).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-default-browser-check",
    "--window-size=1280,800",
    "--remote-debugging-port=0",
]

#: Installed before the page's own scripts: keeps a copy of what the server sends to the
#: terminal, so a test can read the screen's text (xterm.js draws on a canvas).
RECORD_TERMINAL = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__terminal = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (event.data instanceof ArrayBuffer) {
          window.__terminal.push(decoder.decode(event.data, {stream: true}));
        }
      });
    }
  };
})();
"""

ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def find_chromium() -> str | None:
    """Debian's chromium (or another Chromium-like browser on PATH)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def visible_text(raw: str) -> str:
    """Terminal output without escape sequences: the words that were drawn."""
    return ANSI.sub(" ", raw)


class Page:
    """One browser tab, driven over its DevTools web socket."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method and return its result (events are skipped)."""
        call_id = next(self.ids)
        await self.ws.send_json({"id": call_id, "method": method, "params": params})
        while True:
            message = await self.ws.receive_json(timeout=30)
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))

    async def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page."""
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def terminal_output(self) -> str:
        """Everything the server has sent to the page's terminal so far, escapes included."""
        return str(await self.evaluate("(window.__terminal || []).join('')") or "")

    async def mark(self) -> int:
        """Where the terminal output stands now (see `wait_for_text`)."""
        return len(await self.terminal_output())

    async def wait_for_text(self, needle: str, since: int = 0, timeout: float = 30) -> str:
        """Wait until `needle` is drawn after output position `since`; return the text seen."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        text = ""
        while loop.time() < deadline:
            # The typography puts no-break spaces before « ? » and « : »: a test writes spaces.
            text = visible_text((await self.terminal_output())[since:]).replace("\xa0", " ")
            if needle.replace("\xa0", " ") in text:
                return text
            await asyncio.sleep(0.1)
        raise AssertionError(f"{needle!r} never appeared; the terminal showed: {text[-8000:]!r}")

    async def press(self, key: str, code: int, text: str = "", modifiers: int = 0) -> None:
        """Press and release one key in the focused element (modifiers: 2 is Ctrl)."""
        base = {"key": key, "windowsVirtualKeyCode": code, "modifiers": modifiers}
        await self.send("Input.dispatchKeyEvent", type="keyDown", text=text, **base)
        await self.send("Input.dispatchKeyEvent", type="keyUp", **base)

    async def type(self, text: str) -> None:
        """Type text as a keyboard would, then Enter."""
        await self.send("Input.insertText", text=text)
        await self.press("Enter", 13, "\r")

    async def screenshot(self, path: Path) -> bytes:
        """Save a PNG of the page; return its bytes."""
        data = base64.b64decode((await self.send("Page.captureScreenshot", format="png"))["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data


@asynccontextmanager
async def chromium_page(binary: str, profile: Path) -> AsyncIterator[Page]:
    """Start headless Chromium with an empty profile; yield its first tab."""
    profile.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            if proc.poll() is not None:
                raise RuntimeError(f"chromium stopped at once (code {proc.returncode})")
            await asyncio.sleep(0.1)
        port = int(port_file.read_text().split()[0])
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
                targets = json.loads(await resp.text())
            page_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
            async with http.ws_connect(page_url, max_msg_size=0) as ws:
                yield Page(ws)
    finally:
        proc.terminate()
        with suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
