"""`conseiller serve`: the same app in a browser, through textual-serve, with a session cap."""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path
from typing import Any

from conseiller import strings

#: Our page replaces textual-serve's: French, and no font fetched from the Internet.
TEMPLATES = Path(__file__).parent / "web"


def _is_local(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def command_for(args: argparse.Namespace) -> str:
    """The command each browser session runs (one process per connection)."""
    parts = [sys.executable, "-m", "conseiller"]
    for option in ("content", "flows", "data"):
        value = getattr(args, option, None)
        if value:
            parts += [f"--{option}", str(value)]
    parts += ["kiosk"] if args.kiosk else []
    return shlex.join(parts)


def make_server(args: argparse.Namespace) -> Any:
    """A textual-serve server that refuses connections beyond --max-sessions."""
    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.server import Server

    class CappedServer(Server):
        """textual-serve starts a process per connection: cap how many run at once."""

        def __init__(self, command: str, limit: int, **kwargs: Any) -> None:
            super().__init__(command, **kwargs)
            self.limit = limit
            self.active = 0

        @aiohttp_jinja2.template("app_index.html")
        async def handle_index(self, request: web.Request) -> dict[str, Any]:
            context: dict[str, Any] = await Server.handle_index.__wrapped__(  # type: ignore[attr-defined]
                self, request)
            context["page"] = strings.SERVE_PAGE
            return context

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            if self.active >= self.limit:
                refused = web.WebSocketResponse()
                await refused.prepare(request)
                await refused.close(code=1013, message=strings.SERVE_FULL.encode())
                return refused
            self.active += 1
            try:
                return await super().handle_websocket(request)
            finally:
                self.active -= 1

    return CappedServer(command_for(args), max(1, args.max_sessions), host=args.host,
                        port=args.port, title="conseiller",
                        templates_path=TEMPLATES)


def serve(args: argparse.Namespace) -> int:
    """Run the web server until Ctrl+C."""
    server = make_server(args)
    print(strings.SERVE_LISTENING.format(host=args.host, port=args.port, n=server.limit),
          flush=True)
    if not _is_local(args.host):
        print(strings.SERVE_PUBLIC.format(host=args.host), file=sys.stderr, flush=True)
    server.serve()
    return 0
