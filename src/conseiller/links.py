"""`conseiller check --links`: does every contact's web page still answer (HEAD, then GET)?"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPException

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.typography import plural

DEFAULT_TIMEOUT = 10.0
WORKERS = 8
USER_AGENT = "conseiller-check-links (verification des contacts)"
#: Exit codes of `check --links`: 0 every site answers, 1 some do not, 3 no network.
EXIT_DEAD = 1
EXIT_NO_NETWORK = 3


@dataclass(frozen=True)
class Target:
    """A page to check, and the contact it belongs to."""

    contact: str
    name: str
    url: str


@dataclass(frozen=True)
class Result:
    """What a page answered: `ok`, or why not; `reached` is False when no server answered."""

    target: Target
    ok: bool
    reason: str = ""
    reached: bool = True


def targets(catalog: Catalog) -> list[Target]:
    """Every contact's website and members' directory page, each address once."""
    seen: set[str] = set()
    out: list[Target] = []
    for contact in catalog.contacts.values():
        pages = [contact.website, contact.points_to.directory if contact.points_to else None]
        for url in pages:
            if url and url not in seen:
                seen.add(url)
                out.append(Target(contact.id, contact.name, url))
    return out


def _request(url: str, method: str, timeout: float) -> int:
    """The final status of a request (redirects followed by urllib)."""
    if not url.startswith(("https://", "http://")):  # never file:// or another scheme
        raise ValueError(url)
    headers = {"User-Agent": USER_AGENT}
    req = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310
    with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310
        if method == "GET":
            response.read(1)
        return int(response.status)


def check_one(target: Target, timeout: float = DEFAULT_TIMEOUT) -> Result:
    """HEAD first (cheap); if the server refuses it or fails, GET, as a browser would."""
    reason = ""
    for method in ("HEAD", "GET"):
        try:
            status = _request(target.url, method, timeout)
        except urllib.error.HTTPError as exc:
            if exc.code in (301, 302, 303, 307, 308):
                reason = strings.LINKS_REDIRECT
            else:
                reason = strings.LINKS_STATUS.format(status=exc.code)
            continue
        except TimeoutError:
            return Result(target, False, strings.LINKS_TIMEOUT.format(timeout=f"{timeout:g}"), True)
        except urllib.error.URLError as exc:
            inner = exc.reason
            if isinstance(inner, TimeoutError):
                shown = strings.LINKS_TIMEOUT.format(timeout=f"{timeout:g}")
                return Result(target, False, shown, True)
            reached = isinstance(inner, ssl.SSLError)
            why = strings.LINKS_UNREACHABLE.format(reason=_short(inner))
            return Result(target, False, why, reached)
        except (HTTPException, OSError, ValueError) as exc:
            return Result(target, False, strings.LINKS_UNREACHABLE.format(reason=_short(exc)))
        if status < 400:
            return Result(target, True)
        reason = strings.LINKS_STATUS.format(status=status)
    return Result(target, False, reason)


def _short(error: object) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 80 else text[:79] + "…"


def check_all(
    pages: Sequence[Target], timeout: float = DEFAULT_TIMEOUT, workers: int = WORKERS
) -> list[Result]:
    """Check every page, a few at a time; results in the order of `pages`."""
    if not pages:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(pages)))) as pool:
        return list(pool.map(lambda t: check_one(t, timeout), pages))


def no_network(results: Iterable[Result]) -> bool:
    """No server answered at all (not one page, not one error page): the network is down."""
    found = list(results)
    return bool(found) and not any(r.reached for r in found)


def report(results: Sequence[Result]) -> tuple[list[str], int]:
    """The French report of a run, and its exit code."""
    if no_network(results):
        return [strings.LINKS_NO_NETWORK], EXIT_NO_NETWORK
    dead = [r for r in results if not r.ok]
    if not dead:
        return [strings.LINKS_OK.format(n=len(results))], 0
    lines = [plural(strings.LINKS_DEAD_TITLE, len(dead))]
    lines += [
        strings.LINKS_DEAD.format(
            id=r.target.contact, name=r.target.name, url=r.target.url, reason=r.reason
        )
        for r in dead
    ]
    return lines, EXIT_DEAD


def run(catalog: Catalog, timeout: float = DEFAULT_TIMEOUT) -> tuple[list[str], int]:
    """`conseiller check --links`: the lines to print and the exit code."""
    pages = targets(catalog)
    lines = [strings.LINKS_CHECKING.format(n=len(pages), timeout=f"{timeout:g}")]
    found, code = report(check_all(pages, timeout))
    return lines + found, code
