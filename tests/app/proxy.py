"""A small reverse proxy on aiohttp, like nginx in front of `conseiller serve` (tests only).

It forwards HTTP and the websocket to the upstream, sets Host to the upstream's address (as
nginx's `proxy_pass` does) and adds X-Forwarded-Host and X-Forwarded-Proto.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import aiohttp
from aiohttp import web

HOP = {
    "connection",
    "keep-alive",
    "upgrade",
    "transfer-encoding",
    "te",
    "trailer",
    "proxy-authorization",
    "proxy-authenticate",
    "host",
    "content-length",
    "sec-websocket-key",
    "sec-websocket-version",
    "sec-websocket-extensions",
    "sec-websocket-accept",
    "sec-websocket-protocol",
    "content-encoding",
}


class Proxy:
    """Forwards everything to http://upstream; counts the websockets it relayed."""

    def __init__(self, upstream: str, proto: str = "http") -> None:
        self.upstream = upstream
        self.proto = proto
        self.websockets = 0
        self.requests: list[str] = []
        self.http: aiohttp.ClientSession | None = None

    def headers(self, request: web.Request) -> dict[str, str]:
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP}
        headers["Host"] = self.upstream
        headers["X-Forwarded-Host"] = request.headers.get("Host", "")
        headers["X-Forwarded-Proto"] = self.proto
        return headers

    async def handle(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        http = self.http
        assert http is not None
        url = f"http://{self.upstream}{request.path_qs}"
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self.websocket(request, http, url)
        async with http.request(
            request.method,
            url,
            headers=self.headers(request),
            data=await request.read(),
            allow_redirects=False,
        ) as upstream:
            body = await upstream.read()
            headers = {k: v for k, v in upstream.headers.items() if k.lower() not in HOP}
            return web.Response(status=upstream.status, body=body, headers=headers)

    async def websocket(
        self, request: web.Request, http: aiohttp.ClientSession, url: str
    ) -> web.StreamResponse:
        headers = self.headers(request)
        try:
            upstream = await http.ws_connect(url, headers=headers, max_msg_size=0)
        except aiohttp.WSServerHandshakeError as exc:
            return web.Response(status=exc.status, text="refused upstream")
        self.websockets += 1
        client = web.WebSocketResponse(max_msg_size=0)
        await client.prepare(request)

        async def pump(
            source: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
            sink: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
        ) -> None:
            async for message in source:
                if message.type == aiohttp.WSMsgType.TEXT:
                    await sink.send_str(message.data)
                elif message.type == aiohttp.WSMsgType.BINARY:
                    await sink.send_bytes(message.data)
                else:
                    break

        tasks = [
            asyncio.create_task(pump(client, upstream)),
            asyncio.create_task(pump(upstream, client)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        with suppress(Exception):
            await upstream.close()
        with suppress(Exception):
            await client.close()
        return client


@asynccontextmanager
async def proxying(
    upstream: str,
    host: str,
    port: int,
    proto: str = "http",
) -> AsyncIterator[Proxy]:
    """Run a proxy on host:port in front of `upstream` ("127.0.0.1:PORT")."""
    proxy = Proxy(upstream, proto)
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxy.handle)
    async with aiohttp.ClientSession(auto_decompress=False) as http:
        proxy.http = http
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        await site.start()
        try:
            yield proxy
        finally:
            await runner.cleanup()
