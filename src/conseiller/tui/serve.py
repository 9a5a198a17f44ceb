"""`conseiller serve`: the same app in a browser, through our small web server (web_server.py)."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path

from conseiller import strings
from conseiller.http_guard import networks, parse_public_url
from conseiller.tui.web_server import Settings, WebServer

#: Options of `serve --kiosk` handed to each kiosk session, as `kiosk` spells them.
KIOSK_OPTIONS = ("idle", "countdown")


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def command_for(args: argparse.Namespace) -> list[str]:
    """The command each browser session runs (one process per connection, no shell)."""
    parts = [sys.executable, "-m", "conseiller"]
    for option in ("content", "flows", "data", "db", "site"):  # --db holds no password
        value = getattr(args, option, None)
        if value:
            parts += [f"--{option}", str(value)]
    for folder in getattr(args, "local", None) or []:  # every session sees the same packs
        parts += ["--local", str(Path(folder).resolve())]
    theme = getattr(args, "theme", None)
    if not args.kiosk:
        return parts + (["--theme", theme] if theme else [])
    parts += ["kiosk"] + (["--theme", theme] if theme else [])
    for option in KIOSK_OPTIONS:
        value = getattr(args, option, None)
        if value is not None:
            parts += [f"--{option}", str(value)]
    return parts + (["--stats"] if getattr(args, "stats", False) else [])


def check(args: argparse.Namespace) -> str | None:
    """What is wrong with these options (in French), or None."""
    if not args.kiosk and (
        getattr(args, "stats", False)
        or any(getattr(args, option, None) is not None for option in KIOSK_OPTIONS)
    ):
        return strings.SERVE_KIOSK_ONLY
    public = getattr(args, "public_url", None)
    if public is not None and parse_public_url(public) is None:
        return strings.SERVE_BAD_PUBLIC_URL.format(url=public)
    return None


def make_server(args: argparse.Namespace) -> WebServer:
    """Our server for these options (call `check` first)."""
    return WebServer(
        Settings(
            argv=command_for(args),
            host=args.host,
            port=args.port,
            max_sessions=max(1, args.max_sessions),
            public_url=getattr(args, "public_url", None),
            trusted_proxies=networks(getattr(args, "trusted_proxy", None) or []),
        )
    )


def serve(args: argparse.Namespace) -> int:
    """Run the web server until Ctrl+C (or SIGTERM)."""
    import asyncio

    problem = check(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    server = make_server(args)

    def ready(port: int) -> None:
        print(
            strings.SERVE_LISTENING.format(
                host=args.host, port=port, n=server.settings.max_sessions
            ),
            flush=True,
        )
        if not _is_local(args.host):
            print(strings.SERVE_PUBLIC.format(host=args.host), file=sys.stderr, flush=True)

    asyncio.run(server.run(ready))
    return 0
