"""`conseiller web`: load the content once, then serve with one process or N sharing the port."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import ipaddress
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable

from aiohttp import web

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.http_guard import networks
from conseiller.paths import data_dir
from conseiller.web.app import AccessLogger, Settings, WebFront
from conseiller.web.token import load_secret


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _free_port(host: str) -> int:
    """A port free on `host`, for `--port 0` with several workers (they must share one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


async def _serve(
    front: WebFront, host: str, port: int, reuse_port: bool, ready: Callable[[], None] | None = None
) -> None:
    """Serve until SIGINT or SIGTERM (`ready` is called once listening)."""
    runner = web.AppRunner(
        front.application(),
        handle_signals=False,
        access_log_class=AccessLogger,
        access_log=logging.getLogger("conseiller.web.access"),
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_port=reuse_port or None, backlog=1024)
    try:
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    if ready is not None:
        ready()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


def serve(args: argparse.Namespace, catalog: Catalog) -> int:
    """Run `conseiller web` until Ctrl+C (or SIGTERM); workers are forked after loading."""
    workers = max(1, int(args.workers))
    if workers > 1 and not hasattr(os, "fork"):
        print(strings.WEB_WORKERS_POSIX, file=sys.stderr)
        return 2
    host = args.host
    port = args.port if args.port or workers == 1 else _free_port(host)
    settings = Settings(
        host=host,
        port=port,
        public_url=getattr(args, "public_url", None),
        trusted_proxies=tuple(networks(getattr(args, "trusted_proxy", None) or [])),
    )
    front = WebFront(catalog, load_secret(data_dir(args.data)), settings)
    if not args.quiet:
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    if workers == 1:
        if port == 0:
            port = _free_port(host)
            front.port = port

        def ready() -> None:
            print(strings.WEB_LISTENING.format(host=host, port=port, n=1), flush=True)
            _warn(host)

        try:
            asyncio.run(_serve(front, host, port, reuse_port=False, ready=ready))
        except OSError as exc:
            print(
                strings.WEB_CANNOT_LISTEN.format(host=host, port=port, reason=_reason(exc)),
                file=sys.stderr,
            )
            return 2
        return 0
    children: list[int] = []
    gc.freeze()  # what is loaded now stays shared between the workers (copy-on-write)
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:  # a worker: its own event loop on the shared port
            code = 0
            try:
                asyncio.run(_serve(front, host, port, reuse_port=True))
            except OSError as exc:
                print(
                    strings.WEB_CANNOT_LISTEN.format(host=host, port=port, reason=_reason(exc)),
                    file=sys.stderr,
                    flush=True,
                )
                code = 2
            except BaseException:
                code = 1
            os._exit(code)
        children.append(pid)
    print(strings.WEB_LISTENING.format(host=host, port=port, n=workers), flush=True)
    _warn(host)

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    code = 0
    for child in children:
        _, status = os.waitpid(child, 0)
        code = code or os.waitstatus_to_exitcode(status)
    return max(code, 0)


def _reason(exc: OSError) -> str:
    """The system's short reason ("Address already in use"), not asyncio's long sentence."""
    return os.strerror(exc.errno) if exc.errno else str(exc)


def _warn(host: str) -> None:
    if not _is_local(host):
        print(strings.WEB_PUBLIC.format(host=host), file=sys.stderr, flush=True)
