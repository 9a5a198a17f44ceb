"""`conseiller serve`: our server speaks textual-serve's protocol and cannot be abused.

Most tests run our server in-process on a free loopback port with a small fake app (it
speaks the app side of the protocol and reports what it receives), so they stay fast.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from conseiller import strings
from conseiller.cli import parse_args
from conseiller.http_guard import networks
from conseiller.kiosk import set_pin
from conseiller.tui.serve import _is_local, check, command_for, make_server
from conseiller.tui.web_server import (
    MAX_COLUMNS,
    MAX_ROWS,
    TEXTUAL_SERVE_VERSION,
    Settings,
    WebServer,
    installed_textual_serve,
)

ROOT = Path(__file__).resolve().parents[2]

#: The app side of the protocol: greets, reports every packet it gets as a data packet,
#: and on "quit" exits (unless told to ignore it). Modes (argv[2]): ignore-term,
#: ignore-quit, child (starts a grandchild that ignores SIGTERM), deliver (offers a file).
FAKE_APP = r"""
import json, os, signal, subprocess, sys, time
from textual._binary_encode import dump

folder, modes = sys.argv[1], sys.argv[2].split(",")
if "ignore-term" in modes:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
pids = [os.getpid()]
if "child" in modes:
    child = subprocess.Popen([sys.executable, "-c",
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"])
    pids.append(child.pid)
with open(os.path.join(folder, f"pids-{os.getpid()}.tmp"), "w") as f:
    json.dump(pids, f)
os.replace(os.path.join(folder, f"pids-{os.getpid()}.tmp"),
           os.path.join(folder, f"pids-{os.getpid()}.json"))
out, stdin = sys.stdout.buffer, sys.stdin.buffer

def send(kind, payload):
    out.write(kind + len(payload).to_bytes(4, "big") + payload)
    out.flush()

out.write(b"__GANGLION__\n")
send(b"D", json.dumps({"ready": os.getpid(), "columns": os.environ.get("COLUMNS"),
                       "rows": os.environ.get("ROWS")}).encode())
if "deliver" in modes:
    send(b"M", json.dumps({"type": "deliver_file_start", "key": "k" * 16,
        "path": "/tmp/conseiller-pistes.html", "open_method": "download",
        "mime_type": "text/html", "encoding": "utf-8", "name": None}).encode())
body = iter(["<html>pistes", "</html>", ""])
while True:
    head = stdin.read(5)
    if len(head) < 5:
        if "ignore-quit" in modes:
            time.sleep(120)
        break
    payload = stdin.read(int.from_bytes(head[1:], "big"))
    if head[:1] == b"M":
        meta = json.loads(payload)
        if meta["type"] == "quit" and "ignore-quit" not in modes:
            send(b"M", b'{"type": "exit"}')
            break
        if meta["type"] == "deliver_chunk_request":
            send(b"P", dump(("deliver_chunk", meta["key"], next(body))))
            continue
    send(b"D", json.dumps({"got": head[:1].decode(), "size": len(payload),
                           "meta": json.loads(payload) if head[:1] == b"M" else None}).encode())
"""

QUICK = {"quit_wait": 0.3, "term_grace": 0.8}


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def alive(pid: int) -> bool:
    """Is this process still running (a zombie waiting to be reaped is not)?"""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")


async def until(condition: Callable[[], bool], timeout: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


@asynccontextmanager
async def running(
    tmp_path: Path,
    modes: str = "plain",
    **options: Any,
) -> AsyncIterator[tuple[WebServer, str]]:
    """Our server with the fake app, on a free loopback port; yields it and its address."""
    script = tmp_path / "fake_app.py"
    script.write_text(FAKE_APP, encoding="utf-8")
    options = {"max_sessions": 4, **QUICK, **options}
    server = WebServer(
        Settings(argv=[sys.executable, str(script), str(tmp_path), modes], port=0, **options)
    )
    port = await server.start()
    try:
        yield server, f"127.0.0.1:{port}"
    finally:
        await server.stop()


async def greeting(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    """The fake app's first data packet."""
    message = await ws.receive(timeout=15)
    assert message.type == aiohttp.WSMsgType.BINARY, message
    return dict(json.loads(message.data))


async def next_report(ws: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
    """The fake app's next report of a packet it received."""
    while True:
        message = await ws.receive(timeout=15)
        assert message.type == aiohttp.WSMsgType.BINARY, message
        report = dict(json.loads(message.data))
        if "got" in report:
            return report


def pids_of(tmp_path: Path, leader: int) -> list[int]:
    return list(json.loads((tmp_path / f"pids-{leader}.json").read_text()))


# --- sizes: messages and terminals --------------------------------------------------------


async def test_an_oversize_message_closes_the_socket_and_ends_the_app(tmp_path: Path) -> None:
    """One 3 MB `stdin` message: the socket closes and the app (deaf to TERM) is killed."""
    async with (
        running(tmp_path, "ignore-term,ignore-quit") as (server, host),
        aiohttp.ClientSession() as http,
        http.ws_connect(f"http://{host}/ws") as ws,
    ):
        pid = (await greeting(ws))["ready"]
        assert alive(pid)
        with suppress(ConnectionError):
            await ws.send_str(json.dumps(["stdin", "A" * 3_000_000]))
        message = await ws.receive(timeout=5)
        assert message.type in (
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSED,
            aiohttp.WSMsgType.CLOSING,
        )
        grace = QUICK["quit_wait"] + QUICK["term_grace"] + 2.5
        assert await until(lambda: not alive(pid), grace), "the app outlived its session"
        assert await until(lambda: not server.sessions, 2)


async def test_huge_terminal_sizes_are_clamped(tmp_path: Path) -> None:
    async with (
        running(tmp_path) as (_, host),
        aiohttp.ClientSession() as http,
        http.ws_connect(f"http://{host}/ws?width=3000&height=3000") as ws,
    ):
        hello = await greeting(ws)
        assert (hello["columns"], hello["rows"]) == (str(MAX_COLUMNS), str(MAX_ROWS))
        await ws.send_str(json.dumps(["resize", {"width": 20000, "height": 20000}]))
        meta = (await next_report(ws))["meta"]
        assert (meta["width"], meta["height"]) == (MAX_COLUMNS, MAX_ROWS)
        await ws.send_str(json.dumps(["resize", {"width": 120, "height": 40}]))
        meta = (await next_report(ws))["meta"]
        assert (meta["width"], meta["height"]) == (120, 40)


async def test_typed_text_reaches_the_app_and_bad_messages_end_the_session(tmp_path: Path) -> None:
    async with (
        running(tmp_path) as (server, host),
        aiohttp.ClientSession() as http,
        http.ws_connect(f"http://{host}/ws") as ws,
    ):
        pid = (await greeting(ws))["ready"]
        await ws.send_str(json.dumps(["stdin", "é" * 100]))
        assert await next_report(ws) == {"got": "D", "size": 200, "meta": None}
        await ws.send_str(json.dumps(["ping", "123"]))
        assert json.loads((await ws.receive(timeout=5)).data) == ["pong", "123"]
        await ws.send_str("not json")
        assert (await ws.receive(timeout=5)).type in (
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSED,
        )
        assert await until(lambda: not alive(pid) and not server.sessions, 5)


# --- processes: the whole group ends, and live processes are what is counted -------------


async def test_closing_the_socket_ends_the_whole_process_group(tmp_path: Path) -> None:
    """The app and the child it started (deaf to TERM) are gone once the socket closes."""
    async with running(tmp_path, "child") as (server, host), aiohttp.ClientSession() as http:
        async with http.ws_connect(f"http://{host}/ws") as ws:
            leader = (await greeting(ws))["ready"]
            pids = pids_of(tmp_path, leader)
            assert len(pids) == 2 and all(alive(pid) for pid in pids)
        grace = QUICK["quit_wait"] + QUICK["term_grace"] + 2.5
        assert await until(lambda: not any(alive(pid) for pid in pids), grace), pids
        assert await until(lambda: not server.sessions, 2)


async def test_the_session_cap_counts_live_processes_not_sockets(tmp_path: Path) -> None:
    """A closed socket whose app ignores TERM still holds its place until it is killed."""
    async with (
        running(tmp_path, "ignore-term,ignore-quit", max_sessions=1, term_grace=3.0) as (
            server,
            host,
        ),
        aiohttp.ClientSession() as http,
    ):
        async with http.ws_connect(f"http://{host}/ws") as first:
            pid = (await greeting(first))["ready"]
        async with http.ws_connect(f"http://{host}/ws") as refused:
            message = await refused.receive(timeout=5)
            assert message.type == aiohttp.WSMsgType.CLOSE and message.data == 1013
            assert strings.SERVE_FULL in str(message.extra)
        assert alive(pid), "the refusal must come while the first app still runs"
        assert await until(lambda: not alive(pid), QUICK["quit_wait"] + 3.0 + 2.5)
        assert await until(lambda: not server.sessions, 2)  # its place is free again
        async with http.ws_connect(f"http://{host}/ws") as again:
            assert "ready" in await greeting(again)


async def test_stopping_the_server_ends_every_app(tmp_path: Path) -> None:
    async with (
        running(tmp_path, "child,ignore-term") as (server, host),
        aiohttp.ClientSession() as http,
        http.ws_connect(f"http://{host}/ws") as ws,
    ):
        pids = pids_of(tmp_path, (await greeting(ws))["ready"])
        await server.stop()
        assert (await ws.receive(timeout=5)).type in (
            aiohttp.WSMsgType.CLOSE,
            aiohttp.WSMsgType.CLOSED,
        )
        assert not any(alive(pid) for pid in pids) and not server.sessions


async def test_the_app_runs_without_a_shell_in_its_own_process_group(tmp_path: Path) -> None:
    async with (
        running(tmp_path) as (server, host),
        aiohttp.ClientSession() as http,
        http.ws_connect(f"http://{host}/ws") as ws,
    ):
        pid = (await greeting(ws))["ready"]
        assert [session.pid for session in server.sessions] == [pid]  # no shell between
        assert os.getpgid(pid) == pid != os.getpgid(0)


async def test_a_file_is_downloaded_once(tmp_path: Path) -> None:
    async with (
        running(tmp_path, "deliver") as (_, host),
        aiohttp.ClientSession() as http,
        http.ws_connect(f"http://{host}/ws") as ws,
    ):
        await greeting(ws)
        message = await ws.receive(timeout=5)
        assert json.loads(message.data) == ["deliver_file_start", "k" * 16]
        async with http.get(f"http://{host}/download/{'k' * 16}") as resp:
            assert resp.status == 200
            assert await resp.text() == "<html>pistes</html>"
            assert resp.headers["Content-Disposition"].startswith(
                'attachment; filename="conseiller-pistes.html"'
            )
        async with http.get(f"http://{host}/download/{'k' * 16}") as resp:
            assert resp.status == 404


# --- who may connect: Host, Origin, trusted proxies ------------------------------------


async def test_a_foreign_host_or_origin_is_refused(tmp_path: Path) -> None:
    async with running(tmp_path) as (server, host), aiohttp.ClientSession() as http:
        port = host.rsplit(":", 1)[1]
        refused = [
            {"Host": f"evil.example:{port}"},
            {"Origin": "http://evil.example"},
            {"Origin": "null"},
            {"Origin": f"http://127.0.0.1:{int(port) + 1}"},
            # DNS rebinding: Origin and Host agree, but neither is ours.
            {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"},
        ]
        for headers in refused:
            async with http.get(f"http://{host}/", headers=headers) as resp:
                assert resp.status == 403, headers
                assert "non autorisée" in await resp.text()
            with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
                await http.ws_connect(f"http://{host}/ws", headers=headers)
            assert caught.value.status == 403, headers
        assert not server.sessions  # no app was started for them
        for headers in (
            {"Host": f"localhost:{port}", "Origin": f"http://localhost:{port}"},
            {"Origin": f"http://127.0.0.1:{port}"},
            {},
        ):
            async with http.get(f"http://{host}/", headers=headers) as resp:
                assert resp.status == 200, headers
        async with http.ws_connect(
            f"http://{host}/ws", headers={"Origin": f"http://localhost:{port}"}
        ) as ws:
            assert "ready" in await greeting(ws)


async def page(http: aiohttp.ClientSession, url: str, **headers: str) -> str:
    async with http.get(url, headers=headers) as resp:
        assert resp.status == 200, await resp.text()
        return await resp.text()


def page_urls(text: str) -> tuple[str, str]:
    """The websocket URL and the static URL written in the page."""
    ws = re.search(r'data-session-websocket-url="([^"]+)"', text)
    static = re.search(r'<script src="([^"]+)js/textual.js"', text)
    assert ws and static, text
    return ws.group(1), static.group(1)


async def test_forwarded_headers_count_only_from_a_trusted_proxy(tmp_path: Path) -> None:
    """127.0.0.1 is the trusted proxy; the same request from 127.0.0.2 is not believed."""
    async with running(tmp_path, trusted_proxies=networks(["127.0.0.1"])) as (_, host):
        port = host.rsplit(":", 1)[1]
        forwarded = {"X-Forwarded-Host": f"localhost:{port}", "X-Forwarded-Proto": "https"}
        async with aiohttp.ClientSession() as trusted:
            text = await page(trusted, f"http://{host}/", **forwarded)
            assert page_urls(text) == (
                f"wss://localhost:{port}/ws",
                f"https://localhost:{port}/static/",
            )
            async with trusted.get(
                f"http://{host}/", headers={"X-Forwarded-Host": "evil.example"}
            ) as resp:
                assert resp.status == 403
        other = aiohttp.TCPConnector(local_addr=("127.0.0.2", 0))
        async with aiohttp.ClientSession(connector=other) as untrusted:
            text = await page(untrusted, f"http://{host}/", **forwarded)
            assert page_urls(text) == (f"ws://{host}/ws", f"http://{host}/static/")
            text = await page(untrusted, f"http://{host}/", **{"X-Forwarded-Host": "evil.example"})
            assert page_urls(text)[0] == f"ws://{host}/ws"


async def test_page_urls_come_from_the_request_or_the_public_url(tmp_path: Path) -> None:
    async with running(tmp_path) as (_, host), aiohttp.ClientSession() as http:
        port = host.rsplit(":", 1)[1]
        text = await page(http, f"http://{host}/", Host=f"localhost:{port}")
        assert page_urls(text) == (f"ws://localhost:{port}/ws", f"http://localhost:{port}/static/")
        assert "127.0.0.1" not in text
    public = "https://conseiller.example.org"
    async with running(tmp_path, public_url=public) as (_, host), aiohttp.ClientSession() as http:
        for headers in ({"Host": "conseiller.example.org"}, {}):
            text = await page(http, f"http://{host}/", **headers)
            assert page_urls(text) == (
                "wss://conseiller.example.org/ws",
                "https://conseiller.example.org/static/",
            )
        async with http.get(f"http://{host}/", headers={"Host": "other.example.org"}) as resp:
            assert resp.status == 403


async def test_static_files_are_served_without_a_listing(tmp_path: Path) -> None:
    async with running(tmp_path) as (_, host), aiohttp.ClientSession() as http:
        for path in (
            "/static/",
            "/static/js/",
            "/static/js",
            "/static/../server.py",
            "/static/%2e%2e/server.py",
            "/download/",
        ):
            async with http.get(f"http://{host}{path}") as resp:
                assert resp.status in (403, 404), path
                assert "Index of" not in await resp.text()
        async with http.get(f"http://{host}/static/js/textual.js") as resp:
            assert resp.status == 200 and len(await resp.read()) > 100_000


# --- the command line -------------------------------------------------------------------


def test_serve_kiosk_without_a_pin_refuses_to_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conseiller",
            "--data",
            str(data),
            "serve",
            "--kiosk",
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2
    assert strings.KIOSK_NO_PIN in done.stderr


def test_serve_kiosk_with_a_broken_pin_file_refuses_to_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    set_pin(data, "2468")
    (data / "kiosk-pin.json").write_text("", encoding="utf-8")  # emptied by a crash or a hand
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "conseiller",
            "--data",
            str(data),
            "serve",
            "--kiosk",
            "--port",
            str(free_port()),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip()


def test_kiosk_options_reach_each_session(tmp_path: Path) -> None:
    data = tmp_path / "data"
    set_pin(data, "2468")
    args = parse_args(
        ["--data", str(data), "serve", "--kiosk", "--stats", "--idle", "60", "--countdown", "12"]
    )
    assert check(args) is None
    argv = command_for(args)
    assert argv[:3] == [sys.executable, "-m", "conseiller"]
    child = parse_args(argv[3:])  # what the session's process will understand
    assert child.func.__name__ == "cmd_kiosk"
    assert (child.idle, child.countdown, child.stats, child.data) == (60.0, 12, True, str(data))
    plain = parse_args(["serve"])
    assert parse_args(command_for(plain)[3:]).func.__name__ == "cmd_tui"
    assert check(parse_args(["serve", "--stats"])) == strings.SERVE_KIOSK_ONLY


def test_a_bad_public_url_or_proxy_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for url in ("ftp://x.example", "https://x.example/sous/dossier", "pas une adresse"):
        assert check(parse_args(["serve", "--public-url", url])) is not None, url
    assert check(parse_args(["serve", "--public-url", "https://x.example:8443/"])) is None
    with pytest.raises(SystemExit) as caught:
        parse_args(["serve", "--trusted-proxy", "nginx"])
    assert caught.value.code == 2
    assert "proxy « nginx » incomprise" in capsys.readouterr().err


def test_the_server_is_built_from_the_options() -> None:
    args = parse_args(
        [
            "serve",
            "--port",
            "9001",
            "--max-sessions",
            "0",
            "--trusted-proxy",
            "10.0.0.0/8",
            "--public-url",
            "https://x.example",
        ]
    )
    server = make_server(args)
    assert server.settings.max_sessions == 1 and server.port == 9001
    assert server.trusted("10.1.2.3") and not server.trusted("127.0.0.1")
    assert {str(h) for h in server.allowed()} >= {
        "127.0.0.1:9001",
        "localhost:9001",
        "x.example:443",
    }


def test_textual_serve_is_pinned_to_the_protocol_we_speak() -> None:
    """Our server speaks the protocol of textual-serve's browser code: one exact version."""
    assert installed_textual_serve() == TEXTUAL_SERVE_VERSION
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"textual-serve=={TEXTUAL_SERVE_VERSION}" in project["project"]["dependencies"]


def test_local_addresses() -> None:
    assert _is_local("127.0.0.1") and _is_local("localhost") and _is_local("::1")
    assert not _is_local("0.0.0.0") and not _is_local("192.0.2.10")  # noqa: S104


def test_command_for_a_browser_session() -> None:
    args = argparse.Namespace(content=None, flows=Path("/x/flows"), data=None, kiosk=True)
    assert command_for(args)[3:] == ["--flows", "/x/flows", "kiosk"]


# --- slow: the real app, the real command -------------------------------------------------


@pytest.mark.slow
async def test_the_real_app_ends_after_an_oversize_message(tmp_path: Path) -> None:
    """The issue's case, with conseiller itself: 3 MB of input, then the socket closes."""
    args = parse_args(["--data", str(tmp_path / "data"), "serve"])
    server = WebServer(Settings(argv=command_for(args), port=0, term_grace=3.0))
    port = await server.start()
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(f"http://127.0.0.1:{port}/ws?width=100&height=30") as ws,
        ):
            first = await ws.receive(timeout=30)
            assert first.type == aiohttp.WSMsgType.BINARY
            (session,) = server.sessions
            pid = session.pid
            assert pid is not None and alive(pid)
            with suppress(ConnectionError):
                await ws.send_str(json.dumps(["stdin", "A" * 3_000_000]))
            while (await ws.receive(timeout=10)).type == aiohttp.WSMsgType.BINARY:
                pass
        assert await until(lambda: not alive(pid), 1.0 + 3.0 + 3.0)
        assert await until(lambda: not server.sessions, 3)
    finally:
        await server.stop()


@pytest.mark.slow
def test_the_page_is_served_on_localhost() -> None:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "conseiller", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
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
        assert "<html" in page.lower() and f"ws://127.0.0.1:{port}/ws" in page
        assert "conseiller" in page
        # Our page, not textual-serve's: French, and nothing fetched from the Internet.
        assert '<html lang="fr">' in page and "Recommencer" in page
        assert "googleapis" not in page and "Session ended" not in page
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert f"http://127.0.0.1:{port}" in out
    assert "au plus 4 sessions" in out
