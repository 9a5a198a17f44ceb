"""`conseiller web` under load, beside `conseiller serve`: requests/s, p95 page time, memory.

Run: .venv/bin/python benchmarks/bench_web.py [--visitors 100] [--walks 3] [--serve 4,16]
Starts `conseiller web` on 127.0.0.1 with 1 then 2 workers; VISITORS simulated visitors (no
JavaScript) each walk WALKS full conversations (every page GET, every answer POST, the
results), twice: with no pause between pages (saturation: the most requests/s; the time of a
request is then mostly its wait in the queue, concurrency / throughput), then reading each
page about THINK seconds (closer to people). Reports requests/s, p50 and p95 of the time of
one request, and the server's memory (PSS: pages shared by forked workers counted once;
sampled during the load, the peak; also one worker's RSS).
Then `conseiller serve` (one Textual process per visitor) with 4 and 16 visitors: each opens
the page's websocket, waits for the welcome screen, presses Enter and "1" a few times;
reports the time from a key to the screen's answer and the memory per visitor.
Targets for web: p95 <= 50 ms at 100 visitors, <= 75 MB per worker. The load generator
runs on the same machine (and cores) as the server: the figures are a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

TOKEN = re.compile(r'name="t" value="([^"]+)"')
RADIO = re.compile(r'type="radio" name="reponse" id="[^"]+" value="([^"]+)"')
CHECKED = re.compile(r'type="checkbox" name="besoin" id="[^"]+" value="([^"]+)" checked')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _memory(pid: int, field: str) -> int:
    """One memory figure (bytes) of one process: "Pss" shares pages between forked workers."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            todo += children_of(current)
    return found


def tree_pss(pid: int) -> int:
    """Memory of a process tree, each shared page counted once (sum of PSS)."""
    return sum(_memory(p, "Pss") for p in tree(pid))


def process_rss(pid: int) -> int:
    """Resident memory (bytes) of one process, shared pages included."""
    return _memory(pid, "Rss")


def children_of(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        out += [int(c) for c in (task / "children").read_text().split()]
    return out


def start(argv: list[str], url: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            import urllib.request

            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - our local server
            return proc
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(f"did not start: {argv}") from None
            time.sleep(0.2)


def form_for(page: str) -> list[tuple[str, str]] | None:
    """The answer a patient visitor gives to this page (None on the results page)."""
    token = TOKEN.search(page)
    if token is None:
        return None
    data = [("t", html.unescape(token.group(1))), ("action", "repondre")]
    radios = RADIO.findall(page)
    if radios:
        return [*data, ("reponse", radios[0])]
    if "<textarea" in page:
        return [*data, ("reponse", "je cherche un local et de l'argent")]
    if 'type="text"' in page:
        return [*data, ("reponse", "Creuse")]
    return data + [("besoin", n) for n in CHECKED.findall(page)]


async def visitor(
    http: aiohttp.ClientSession, base: str, walks: int, times: list[float], think: float
) -> int:
    """WALKS conversations; every request timed; returns the number of requests."""
    count = 0
    for _ in range(walks):
        await asyncio.sleep(random.uniform(0, think))  # visitors do not all arrive at once
        t0 = time.perf_counter()
        async with http.get(base + "/q") as response:
            page = await response.text()
        times.append(time.perf_counter() - t0)
        count += 1
        for _ in range(30):
            form = form_for(page)
            if form is None:
                break
            await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))  # reading
            t0 = time.perf_counter()
            async with http.post(base + "/q", data=form, allow_redirects=False) as response:
                location = response.headers["Location"]
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            async with http.get(base + location) as response:
                page = await response.text()
                assert response.status == 200, response.status
            times.append(time.perf_counter() - t0)
            count += 2
        assert "Vos pistes" in page
    return count


async def load(base: str, pid: int, visitors: int, walks: int, think: float) -> dict[str, float]:
    times: list[float] = []
    peak = 0
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_pss(pid))
            await asyncio.sleep(0.1)

    sampler = asyncio.create_task(sample())
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as http:
        t0 = time.perf_counter()
        counts = await asyncio.gather(
            *(visitor(http, base, walks, times, think) for _ in range(visitors))
        )
        elapsed = time.perf_counter() - t0
    done.set()
    await sampler
    times.sort()
    return {
        "requests": sum(counts),
        "seconds": elapsed,
        "rps": sum(counts) / elapsed,
        "p50_ms": statistics.median(times) * 1000,
        "p95_ms": times[int(len(times) * 0.95)] * 1000,
        "peak_rss_mb": peak / 2**20,
    }


def bench_web(
    workers: int, visitors: int, walks: int, data: Path, think: float
) -> list[dict[str, float]]:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "conseiller",
        "--data",
        str(data),
        "web",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--quiet",
    ]
    proc = start(argv, f"http://127.0.0.1:{port}/")
    try:
        idle = tree_pss(proc.pid)
        workers_pids = children_of(proc.pid) or [proc.pid]
        results = [
            asyncio.run(load(f"http://127.0.0.1:{port}", proc.pid, visitors, walks, pause))
            for pause in (0.0, think)
        ]
        for result in results:
            result["idle_pss_mb"] = idle / 2**20
            result["worker_rss_mb"] = max(process_rss(p) for p in workers_pids) / 2**20
            result["worker_pss_mb"] = max(_memory(p, "Pss") for p in workers_pids) / 2**20
        return results
    finally:
        proc.terminate()
        proc.wait(timeout=15)


#: What `conseiller serve` draws after each key: Enter on the welcome screen, then "1" twice.
SERVE_STEPS = [("\r", b"Pour commencer"), ("1", "Où en est".encode()), ("1", b"partement")]


async def serve_visitor(
    http: aiohttp.ClientSession, url: str, times: list[float], starts: list[float]
) -> None:
    """Open the terminal's websocket, wait for the welcome screen, answer two questions."""
    t0 = time.perf_counter()
    async with http.ws_connect(url + "ws?width=80&height=24", max_msg_size=0) as ws:
        await ws.send_str(json.dumps(["resize", {"width": 80, "height": 24}]))
        await _until(ws, b"Bienvenue")
        starts.append(time.perf_counter() - t0)
        for key, marker in SERVE_STEPS:
            await asyncio.sleep(0.5)  # a person reads before pressing a key
            t0 = time.perf_counter()
            await ws.send_str(json.dumps(["stdin", key]))
            await _until(ws, marker)
            times.append(time.perf_counter() - t0)


async def _until(ws: aiohttp.ClientWebSocketResponse, marker: bytes) -> None:
    seen = b""
    while marker not in seen:
        message = await ws.receive(timeout=60)
        if message.type == aiohttp.WSMsgType.BINARY:
            seen = seen[-4096:] + message.data
        elif message.type != aiohttp.WSMsgType.TEXT:
            raise RuntimeError(f"the session ended: {message.type}")


async def serve_load(url: str, pid: int, visitors: int) -> dict[str, float]:
    times: list[float] = []
    starts: list[float] = []
    async with aiohttp.ClientSession() as http:
        tasks = [
            asyncio.create_task(serve_visitor(http, url, times, starts)) for _ in range(visitors)
        ]
        peak = 0
        while not all(t.done() for t in tasks):
            peak = max(peak, tree_pss(pid))
            await asyncio.sleep(0.2)
        for task in tasks:
            task.result()
    times.sort()
    starts.sort()
    return {
        "visitors": visitors,
        "peak_mb": peak / 2**20,
        "per_visitor_mb": peak / 2**20 / visitors,
        "start_p95_s": starts[int(len(starts) * 0.95)],
        "key_p50_ms": statistics.median(times) * 1000,
        "key_p95_ms": times[int(len(times) * 0.95)] * 1000,
    }


def bench_serve(visitors: int, data: Path) -> dict[str, float]:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "conseiller",
        "--data",
        str(data),
        "serve",
        "--port",
        str(port),
        "--max-sessions",
        str(visitors),
    ]
    url = f"http://127.0.0.1:{port}/"
    proc = start(argv, url)
    try:
        result = asyncio.run(serve_load(url, proc.pid, visitors))
        result["server_alone_mb"] = process_rss(proc.pid) / 2**20
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=100)
    parser.add_argument("--walks", type=int, default=3)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="mean seconds a visitor reads each page (second run)",
    )
    parser.add_argument("--serve", default="4,16", help="serve visitors ('' to skip)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        for workers in (int(w) for w in args.workers.split(",") if w):
            for r, how in zip(
                bench_web(workers, args.visitors, args.walks, data, args.think),
                ("no pause (saturation)", f"~{args.think:g} s reading per page"),
                strict=True,
            ):
                print(
                    f"web, {workers} worker(s), {args.visitors} visitors x {args.walks} walks,"
                    f" {how}: {r['requests']:.0f} requests in {r['seconds']:.1f} s = "
                    f"{r['rps']:.0f} req/s; p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms;"
                    f" memory (PSS, all processes) idle {r['idle_pss_mb']:.0f} MB, peak "
                    f"{r['peak_rss_mb']:.0f} MB = {r['peak_rss_mb'] / args.visitors:.2f} MB "
                    f"per visitor; one worker: RSS {r['worker_rss_mb']:.0f} MB, PSS "
                    f"{r['worker_pss_mb']:.0f} MB"
                )
        for visitors in (int(v) for v in args.serve.split(",") if v):
            r = bench_serve(visitors, data)
            print(
                f"serve, {visitors} visitors: peak {r['peak_mb']:.0f} MB (PSS) = "
                f"{r['per_visitor_mb']:.0f} MB per visitor (server alone "
                f"{r['server_alone_mb']:.0f} MB RSS); welcome screen p95 "
                f"{r['start_p95_s']:.1f} s; key to next question p50 {r['key_p50_ms']:.0f} ms,"
                f" p95 {r['key_p95_ms']:.0f} ms"
            )


if __name__ == "__main__":
    main()
