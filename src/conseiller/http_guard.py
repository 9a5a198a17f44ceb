"""Which HTTP requests are ours (both browser fronts): listed hosts, Origin, trusted proxies."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import SplitResult, urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class HostPort(NamedTuple):
    """A host name (lower case, no brackets) and a port."""

    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_host(value: str | None, scheme: str) -> HostPort | None:
    """`Host`-style `name[:port]` (default port from the scheme), or None if malformed."""
    if not value or any(c in value for c in "@/?#\\ \t%") or len(value) > 255:
        return None
    try:
        parts = urlsplit(f"//{value}")
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return HostPort(parts.hostname.rstrip(".").lower(), port or (443 if scheme == "https" else 80))


def parse_origin(value: str) -> HostPort | None:
    """The host and port of an `Origin` header (`null` and other schemes give None)."""
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.path or parts.query:
        return None
    return parse_host(parts.netloc, parts.scheme)


def parse_public_url(value: str) -> SplitResult | None:
    """`--public-url`: http(s)://host[:port] at the root, or None if it is not that."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parse_host(parts.netloc, parts.scheme) is None:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None
    return parts


def networks(values: Iterable[str]) -> list[Network]:
    """--trusted-proxy values as networks (an address is a network of one)."""
    return [ipaddress.ip_network(value, strict=False) for value in values]


@dataclass(frozen=True)
class HostGuard:
    """The hosts a page may be reached as, and the proxies whose X-Forwarded-* we believe.

    Matching Origin to Host alone would not stop DNS rebinding: both must be on the list
    (local names on our port, `--host`, the host of `--public-url`).
    """

    host: str
    port: int
    public_url: str | None = None
    trusted_proxies: Sequence[Network] = ()

    def allowed(self) -> set[HostPort]:
        """The hosts a page may be reached as: local names, --host, --public-url."""
        names = {"127.0.0.1", "localhost", "::1"}
        if self.host not in ("", "0.0.0.0", "::"):  # noqa: S104
            names.add(self.host.strip("[]").lower())
        hosts = {HostPort(name, self.port) for name in names}
        public = parse_public_url(self.public_url) if self.public_url else None
        if public is not None:
            found = parse_host(public.netloc, public.scheme)
            if found is not None:
                hosts.add(found)
        return hosts

    def trusted(self, peer: str | None) -> bool:
        """Is this peer one of the --trusted-proxy addresses?"""
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        return any(address in network for network in self.trusted_proxies)

    def resolve(
        self, headers: Mapping[str, str], peer: str | None, *, null_origin: bool = False
    ) -> tuple[str, HostPort] | None:
        """The scheme and host the browser used, or None unless Host and Origin are ours.

        `null_origin`: accept `Origin: null` (a form posted under `Referrer-Policy:
        no-referrer` has no origin to tell).
        """
        host, scheme = headers.get("Host"), "http"
        if self.trusted(peer):
            host = headers.get("X-Forwarded-Host", host)
            scheme = headers.get("X-Forwarded-Proto", scheme)
        host = (host or "").split(",")[0].strip()
        scheme = scheme.split(",")[0].strip().lower()
        found = parse_host(host, scheme) if scheme in ("http", "https") else None
        allowed = self.allowed()
        if found is not None and ":" not in host.rsplit("]", 1)[-1]:
            # No port given (a proxy's `Host $host`): the name's http or https entry.
            found = next(
                (
                    HostPort(found.host, port)
                    for port in (80, 443)
                    if HostPort(found.host, port) in allowed
                ),
                found,
            )
        if found is None or found not in allowed:
            return None
        origin = headers.get("Origin")
        foreign = origin is not None and not (null_origin and origin == "null")
        if foreign and parse_origin(origin or "") not in allowed:
            return None
        return scheme, found
