"""A small aiohttp server speaking textual-serve's protocol, with the guards `serve` needs."""

from __future__ import annotations

import asyncio
import contextlib
import html
import ipaddress
import json
import os
import re
import signal
import sys
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from string import Template
from typing import Any
from urllib.parse import quote, urlsplit

from aiohttp import WSMsgType, web

from conseiller import strings
from conseiller.http_guard import (
    HostGuard,
    HostPort,
    parse_public_url,
)

#: textual-serve's browser code (its static/js/textual.js) defines the protocol spoken
#: here; we serve that file from its package. The pin in pyproject.toml must match.
TEXTUAL_SERVE_VERSION = "1.1.3"

#: The largest websocket message a browser may send (a paste of about 16 000 characters).
MAX_MESSAGE = 16 * 1024
#: The largest terminal an app is asked to draw (larger requests are clamped).
MAX_COLUMNS, MAX_ROWS = 500, 200
#: Input rate: a burst, then so many bytes a second (typing and pasting stay far below).
INPUT_BURST, INPUT_RATE = 64 * 1024, 16 * 1024
#: An app that reads nothing of its input for this long is stuck: its session ends.
STALL = 10.0
#: The largest packet accepted from an app (a screen update or a file chunk).
MAX_PACKET = 32 * 1024 * 1024
DOWNLOAD_CHUNK = 64 * 1024
DOWNLOAD_TIMEOUT = 4.0
FONT_SIZE = (6, 64, 16)  # smallest, largest, default

#: The only files served under /static/ (no listing): those our page uses, from textual-serve.
STATIC_FILES = frozenset(
    {
        "css/xterm.css",
        "js/textual.js",
        "fonts/RobotoMono-VariableFont_wght.ttf",
        "fonts/RobotoMono-Italic-VariableFont_wght.ttf",
        "images/background.png",
    }
)
WEB = Path(__file__).parent / "web"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MIME = re.compile(r"^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$")


def static_folder() -> Path:
    """textual-serve's static files (the terminal's JavaScript, CSS and font)."""
    import textual_serve

    return Path(textual_serve.__file__).parent / "static"


def installed_textual_serve() -> str:
    """The installed textual-serve version (must equal TEXTUAL_SERVE_VERSION)."""
    return version("textual-serve")


def clamp(value: object, low: int, high: int, default: int) -> int:
    """An integer within [low, high]; anything else gives the default."""
    if isinstance(value, str):
        try:
            value = int(value)
        except ValueError:
            return default
    if not isinstance(value, int) or isinstance(value, bool):
        return default
    return max(low, min(high, value))


def packet(kind: bytes, payload: bytes) -> bytes:
    """One packet of textual-serve's pipe protocol: a type byte, a 4-byte size, the payload."""
    return kind + len(payload).to_bytes(4, "big") + payload


def printable(raw: bytes) -> str:
    """An app's error output, safe to print on the operator's terminal."""
    return CONTROL.sub("?", raw.decode("utf-8", "replace"))


@dataclass(frozen=True)
class Settings:
    """What `conseiller serve` was asked for."""

    argv: Sequence[str]
    host: str = "127.0.0.1"
    port: int = 8000
    max_sessions: int = 4
    public_url: str | None = None
    trusted_proxies: Sequence[ipaddress.IPv4Network | ipaddress.IPv6Network] = ()
    page: dict[str, str] = field(default_factory=lambda: dict(strings.SERVE_PAGE))
    forbidden: str = strings.SERVE_FORBIDDEN
    full: str = strings.SERVE_FULL
    #: After asking the app to quit, how long before SIGTERM to its process group.
    quit_wait: float = 1.0
    #: After SIGTERM, how long before SIGKILL.
    term_grace: float = 3.0
    env: dict[str, str] | None = None


@dataclass
class Download:
    """A file an app offers; the browser fetches it once at /download/<key>."""

    session: Session
    file_name: str
    inline: bool
    mime_type: str
    encoding: str | None
    name: str | None
    chunks: asyncio.Queue[bytes | None] = field(default_factory=asyncio.Queue)
    started: bool = False


class Session:
    """One browser connection and its app process (in its own process group)."""

    def __init__(self, server: WebServer) -> None:
        self.server = server
        self.id = uuid.uuid4().hex
        self.process: asyncio.subprocess.Process | None = None
        self.keys: set[str] = set()
        self._lock = asyncio.Lock()
        self._stderr = bytearray()
        self._stderr_task: asyncio.Task[None] | None = None
        self._end_task: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        """The app's process id (also its process group id)."""
        return self.process.pid if self.process else None

    async def start(self, width: int, height: int) -> None:
        """Start the app, without a shell, as the leader of a new process group."""
        env = dict(os.environ if self.server.settings.env is None else self.server.settings.env)
        env.update(
            {
                "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
                "TEXTUAL_FPS": "60",
                "TEXTUAL_COLOR_SYSTEM": "truecolor",
                "TERM_PROGRAM": "textual",
                "TERM_PROGRAM_VERSION": TEXTUAL_SERVE_VERSION,
                "COLUMNS": str(width),
                "ROWS": str(height),
            }
        )
        self.process = await asyncio.create_subprocess_exec(
            *self.server.settings.argv,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        self._stderr_task = asyncio.create_task(self._read_stderr())

    async def _read_stderr(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        with contextlib.suppress(Exception):
            while data := await self.process.stderr.read(4096):
                self._stderr += data
                del self._stderr[:-16384]

    async def send_packet(self, kind: bytes, payload: bytes) -> bool:
        """Write one packet to the app's input; False if it is gone or stuck."""
        process = self.process
        if process is None or process.stdin is None or process.returncode is not None:
            return False
        try:
            async with self._lock:
                process.stdin.write(packet(kind, payload))
                await asyncio.wait_for(process.stdin.drain(), STALL)
        except (OSError, RuntimeError, TimeoutError):
            return False
        return True

    async def send_meta(self, data: dict[str, object]) -> bool:
        """A meta packet (resize, focus, quit, file chunk request…)."""
        return await self.send_packet(b"M", json.dumps(data).encode("utf-8"))

    async def pump_input(self, ws: web.WebSocketResponse) -> None:
        """Browser → app, until the socket closes or breaks the protocol."""
        loop = asyncio.get_running_loop()
        budget, last = float(INPUT_BURST), loop.time()
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                if message.type == WSMsgType.BINARY:
                    continue
                return  # an error: too large a message, or a broken connection
            data = str(message.data)
            cost = len(data) + 64
            now = loop.time()
            budget, last = min(INPUT_BURST, budget + (now - last) * INPUT_RATE), now
            if budget < cost:
                await asyncio.sleep((cost - budget) / INPUT_RATE)
                budget, last = float(cost), loop.time()
            budget -= cost
            if not await self._on_message(ws, data):
                await ws.close(code=1008)
                return

    async def _on_message(self, ws: web.WebSocketResponse, data: str) -> bool:
        """Handle one message of textual.js; False on a protocol error or a dead app."""
        try:
            envelope = json.loads(data)
        except (ValueError, RecursionError):
            return False
        if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
            return False
        kind, arg = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin":
            if not isinstance(arg, str):
                return False
            return await self.send_packet(b"D", arg.encode("utf-8", "replace"))
        if kind == "resize":
            if not isinstance(arg, dict):
                return False
            return await self.send_meta(
                {
                    "type": "resize",
                    "width": clamp(arg.get("width"), 1, MAX_COLUMNS, 80),
                    "height": clamp(arg.get("height"), 1, MAX_ROWS, 24),
                }
            )
        if kind == "ping":
            if isinstance(arg, str) and len(arg) <= 32:
                await ws.send_json(["pong", arg])
            return True
        if kind in ("focus", "blur"):
            return await self.send_meta({"type": kind})
        return True  # unknown messages are ignored, as textual-serve does

    async def pump_output(self, ws: web.WebSocketResponse) -> None:
        """App → browser, until the app exits or says it is done."""
        assert self.process is not None and self.process.stdout is not None
        stdout = self.process.stdout
        try:
            for _ in range(10):  # the prelude that says it is a Textual app
                line = await stdout.readline()
                if not line:
                    return
                if line == b"__GANGLION__\n":
                    break
            else:
                return
            while True:
                head = await stdout.readexactly(5)
                size = int.from_bytes(head[1:], "big")
                if size > MAX_PACKET:
                    return
                payload = await stdout.readexactly(size)
                if head[:1] == b"D":
                    await ws.send_bytes(payload)
                elif head[:1] == b"M":
                    if not await self._on_meta(ws, json.loads(payload)):
                        return
                elif head[:1] == b"P":
                    await self._on_packed(payload)
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            return

    async def _on_meta(self, ws: web.WebSocketResponse, meta: Any) -> bool:
        """A meta packet from the app; False when the app says it has exited."""
        if not isinstance(meta, dict):
            return True
        kind = meta.get("type")
        if kind == "exit":
            return False
        if kind == "open_url":
            url = str(meta.get("url", ""))
            if urlsplit(url).scheme in ("http", "https"):
                await ws.send_json(["open_url", {"url": url, "new_tab": bool(meta.get("new_tab"))}])
        elif kind == "deliver_file_start":
            key = str(meta.get("key", ""))
            if not re.fullmatch(r"[A-Za-z0-9_-]{8,128}", key):
                return True
            mime = str(meta.get("mime_type") or "application/octet-stream").lower()
            encoding = meta.get("encoding") or None
            self.server.downloads[key] = Download(
                self,
                Path(str(meta.get("path", "fichier"))).name or "fichier",
                meta.get("open_method") == "browser",
                mime if MIME.match(mime) else "application/octet-stream",
                str(encoding) if encoding else None,
                str(meta["name"]) if meta.get("name") is not None else None,
            )
            self.keys.add(key)
            await ws.send_json(["deliver_file_start", key])
        return True

    async def _on_packed(self, payload: bytes) -> None:
        from textual._binary_encode import load

        try:
            unpacked = load(payload)
        except Exception:  # a broken packet: ignore it
            return
        if not (isinstance(unpacked, list | tuple) and len(unpacked) == 3):
            return
        kind, key, chunk = unpacked
        download = self.server.downloads.get(str(key))
        if kind != "deliver_chunk" or download is None or download.session is not self:
            return
        if isinstance(chunk, str):
            chunk = chunk.encode(download.encoding or "utf-8", "replace")
        if isinstance(chunk, bytes):
            await download.chunks.put(chunk)

    async def end(self) -> None:
        """End the app and its whole process group (once; survives cancellation)."""
        if self._end_task is None:
            self._end_task = asyncio.create_task(self._end())
            self.server.ending.add(self._end_task)
            self._end_task.add_done_callback(self.server.ending.discard)
        await asyncio.shield(self._end_task)

    async def _end(self) -> None:
        try:
            for key in list(self.keys):
                download = self.server.downloads.pop(key, None)
                if download is not None:
                    download.chunks.put_nowait(None)
            process = self.process
            if process is None:
                return
            settings = self.server.settings
            if process.returncode is None and process.stdin is not None:
                with contextlib.suppress(Exception):
                    process.stdin.write(packet(b"M", b'{"type": "quit"}'))
                    process.stdin.close()
                await self._wait(lambda: process.returncode is not None, settings.quit_wait)
            self._signal(signal.SIGTERM)
            if not await self._wait(self._group_gone, settings.term_grace):
                self._signal(signal.SIGKILL)
                await self._wait(self._group_gone, 2.0)
        finally:
            if self._stderr_task is not None:
                with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(self._stderr_task, 0.5)
            if self._stderr.strip():
                print(printable(bytes(self._stderr)), file=sys.stderr, flush=True)
            self.server.sessions.discard(self)

    def _signal(self, sig: signal.Signals) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, sig)

    def _group_gone(self) -> bool:
        """True once the app has exited and nothing is left in its process group."""
        if self.process is None:
            return True
        if self.process.returncode is None:
            return False
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    @staticmethod
    async def _wait(done: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not done():
            if loop.time() >= deadline:
                return False
            await asyncio.sleep(0.05)
        return True


class WebServer:
    """The page, textual-serve's static files, the app's websocket and downloads."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sessions: set[Session] = set()
        self.ending: set[asyncio.Task[None]] = set()
        self.downloads: dict[str, Download] = {}
        self.sockets: set[web.WebSocketResponse] = set()
        self.port = settings.port
        self.public = parse_public_url(settings.public_url) if settings.public_url else None
        self.template = Template((WEB / "app_index.html").read_text(encoding="utf-8"))
        self._runner: web.AppRunner | None = None

    # --- which requests are ours -----------------------------------------------------

    @property
    def hosts(self) -> HostGuard:
        """Which requests are ours (on the port actually bound)."""
        return HostGuard(
            self.settings.host,
            self.port,
            self.settings.public_url,
            tuple(self.settings.trusted_proxies),
        )

    def allowed(self) -> set[HostPort]:
        """The hosts a page or socket may be reached as: local names, --host, --public-url."""
        return self.hosts.allowed()

    def trusted(self, peer: str | None) -> bool:
        """Is this peer one of the --trusted-proxy addresses?"""
        return self.hosts.trusted(peer)

    def where(self, request: web.Request) -> tuple[str, HostPort]:
        """The scheme and host the browser used; 403 unless Host and Origin are ours."""
        found = self.hosts.resolve(request.headers, request.remote)
        if found is None:
            raise web.HTTPForbidden(text=self.settings.forbidden, headers=SECURITY_HEADERS)
        return found

    def base_urls(self, request: web.Request) -> tuple[str, str]:
        """The page's http(s) and ws(s) base, from --public-url or else from the request."""
        if self.public is not None:
            scheme, netloc = self.public.scheme, self.public.netloc
        else:
            scheme, found = self.where(request)
            default = 443 if scheme == "https" else 80
            netloc = str(found) if found.port != default else str(found).rsplit(":", 1)[0]
        ws = "wss" if scheme == "https" else "ws"
        return f"{scheme}://{netloc}", f"{ws}://{netloc}"

    @web.middleware
    async def guard(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        """Every route: the Host (or trusted X-Forwarded-Host) and Origin must be ours."""
        self.where(request)
        return await handler(request)

    # --- routes ---------------------------------------------------------------------

    def application(self) -> web.Application:
        """The aiohttp application (no directory listing anywhere)."""
        app = web.Application(middlewares=[self.guard])
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.get("/ws", self.handle_websocket),
                web.get("/static/{name:.+}", self.handle_static),
                web.get("/download/{key}", self.handle_download),
            ]
        )
        app.on_shutdown.append(self._on_shutdown)
        return app

    async def handle_index(self, request: web.Request) -> web.Response:
        """Our French page, with URLs that work where the browser is."""
        http, ws = self.base_urls(request)
        low, high, default = FONT_SIZE
        values = {key: html.escape(value) for key, value in self.settings.page.items()}
        values.update(
            static_url=html.escape(f"{http}/static/"),
            ws_url=html.escape(f"{ws}/ws"),
            font_size=str(clamp(request.query.get("fontsize"), low, high, default)),
        )
        return web.Response(
            text=self.template.substitute(values),
            content_type="text/html",
            headers=SECURITY_HEADERS,
        )

    async def handle_static(self, request: web.Request) -> web.StreamResponse:
        """One of textual-serve's files our page uses; nothing else, no listing."""
        name = request.match_info["name"]
        if name not in STATIC_FILES:
            raise web.HTTPNotFound()
        return web.FileResponse(
            static_folder() / name, headers={"X-Content-Type-Options": "nosniff"}
        )

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One app process per connection, at most --max-sessions live processes."""
        ws = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE, compress=False)
        if len(self.sessions) >= self.settings.max_sessions:
            await ws.prepare(request)
            await ws.close(code=1013, message=self.settings.full.encode("utf-8")[:120])
            return ws
        session = Session(self)
        self.sessions.add(session)  # counted from now until its processes are gone
        self.sockets.add(ws)
        try:
            await ws.prepare(request)
            await session.start(
                clamp(request.query.get("width"), 1, MAX_COLUMNS, 80),
                clamp(request.query.get("height"), 1, MAX_ROWS, 24),
            )
            tasks = [
                asyncio.create_task(session.pump_input(ws)),
                asyncio.create_task(session.pump_output(ws)),
            ]
            try:
                await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
        finally:
            self.sockets.discard(ws)
            with contextlib.suppress(Exception):
                await asyncio.shield(ws.close())
            await session.end()
        return ws

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file the app delivers (once), streamed chunk by chunk."""
        key = request.match_info["key"]
        download = self.downloads.get(key)
        if download is None or download.started:
            raise web.HTTPNotFound()
        download.started = True
        content_type = download.mime_type
        if download.encoding:
            content_type += f"; charset={download.encoding}"
        ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", download.file_name)
        disposition = "inline" if download.inline else "attachment"
        response = web.StreamResponse(
            headers={
                **SECURITY_HEADERS,
                "Content-Type": content_type,
                "Content-Security-Policy": "sandbox",
                "Content-Disposition": f'{disposition}; filename="{ascii_name}"; '
                f"filename*=UTF-8''{quote(download.file_name)}",
            }
        )
        try:
            await response.prepare(request)
            while await download.session.send_meta(
                {
                    "type": "deliver_chunk_request",
                    "key": key,
                    "size": DOWNLOAD_CHUNK,
                    "name": download.name,
                }
            ):
                try:
                    chunk = await asyncio.wait_for(download.chunks.get(), DOWNLOAD_TIMEOUT)
                except TimeoutError:
                    break
                if not chunk:
                    break
                await response.write(chunk)
        finally:
            self.downloads.pop(key, None)
            download.session.keys.discard(key)
        await response.write_eof()
        return response

    # --- running ------------------------------------------------------------------------

    async def _on_shutdown(self, _app: web.Application) -> None:
        for ws in list(self.sockets):
            with contextlib.suppress(Exception):
                await ws.close(code=1001)
        await self.end_all()

    async def end_all(self) -> None:
        """End every session's processes (on shutdown)."""
        await asyncio.gather(
            *(session.end() for session in list(self.sessions)), return_exceptions=True
        )

    async def start(self) -> int:
        """Listen (port 0 picks a free port); return the port."""
        self._runner = web.AppRunner(self.application(), handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.host, self.settings.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self.port

    async def stop(self) -> None:
        """Close every socket, end every app, stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.end_all()

    async def run(self, ready: Callable[[int], None]) -> None:
        """Serve until SIGINT or SIGTERM."""
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await self.start()
        ready(self.port)
        try:
            await stop.wait()
        finally:
            await self.stop()
