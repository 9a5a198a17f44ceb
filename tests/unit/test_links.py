"""`conseiller check --links`, against a small HTTP server on 127.0.0.1 (never the Internet)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conseiller import links, strings
from conseiller.cli import main
from conseiller.links import Target
from conseiller.typography import plural


class Handler(BaseHTTPRequestHandler):
    """/ok answers; /gone is 404; /no-head refuses HEAD but answers GET; /moved redirects."""

    def _answer(self, body: bool) -> None:
        if self.path == "/ok":
            self._send(200, body)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/no-head" and not body:
            self._send(405, body)
        elif self.path == "/no-head":
            self._send(200, body)
        else:
            self._send(404, body)

    def _send(self, status: int, body: bool) -> None:
        data = b"bonjour" if status == 200 else b"non"
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_HEAD(self) -> None:
        self.server.methods.append(("HEAD", self.path))  # type: ignore[attr-defined]
        self._answer(body=False)

    def do_GET(self) -> None:
        self.server.methods.append(("GET", self.path))  # type: ignore[attr-defined]
        self._answer(body=True)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.methods = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def url(httpd: ThreadingHTTPServer, path: str) -> str:
    host, port = httpd.server_address[:2]
    return f"http://{host!s}:{port}{path}"


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def target(address: str, cid: str = "exemple") -> Target:
    return Target(cid, "Structure de l'Exemple", address)


def test_a_live_page_a_redirect_and_a_server_refusing_head_all_answer(
    server: ThreadingHTTPServer,
) -> None:
    [alone] = links.check_all([target(url(server, "/ok"))], timeout=5)
    assert alone.ok and server.methods == [("HEAD", "/ok")]  # type: ignore[attr-defined]
    pages = [target(url(server, p), p) for p in ("/ok", "/moved", "/no-head")]
    results = links.check_all(pages, timeout=5)
    assert [r.ok for r in results] == [True, True, True]
    assert ("GET", "/no-head") in server.methods  # type: ignore[attr-defined]  # after a 405
    lines, code = links.report(results)
    assert code == 0 and lines == [strings.LINKS_OK.format(n=3)]


def test_dead_pages_are_listed_in_french_with_their_contact(server: ThreadingHTTPServer) -> None:
    pages = [target(url(server, "/ok"), "vivant"), target(url(server, "/gone"), "disparu")]
    pages.append(target(url(server, "/loop"), "boucle"))
    results = links.check_all(pages, timeout=5)
    lines, code = links.report(results)
    assert code == links.EXIT_DEAD
    assert lines[0] == plural(strings.LINKS_DEAD_TITLE, 2)
    assert any(re.search(r"disparu .*/gone — réponse 404$", line) for line in lines), lines
    assert any(line.startswith("- boucle") for line in lines), lines
    assert not any("vivant" in line for line in lines)


def test_a_page_that_never_answers_times_out() -> None:
    with socket.socket() as silent:  # listens, never accepts: the request waits
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        [result] = links.check_all([target(f"http://127.0.0.1:{port}/")], timeout=0.2)
    assert not result.ok and result.reason == strings.LINKS_TIMEOUT.format(timeout="0.2")


def test_no_server_answering_at_all_means_no_network() -> None:
    port = closed_port()
    results = links.check_all([target(f"http://127.0.0.1:{port}/{i}") for i in range(3)], 2)
    lines, code = links.report(results)
    assert code == links.EXIT_NO_NETWORK and lines == [strings.LINKS_NO_NETWORK]


def test_check_links_on_the_command_line_says_when_there_is_no_network(
    content_copy: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    content, flows = content_copy
    path = content / "contacts.yaml"
    port = closed_port()
    text = re.sub(
        r"(website|directory): https://\S+",
        rf"\1: https://127.0.0.1:{port}/site",
        path.read_text(encoding="utf-8"),
    )
    path.write_text(text, encoding="utf-8")
    code = main(["check", "--links", "--content", str(content), "--flows", str(flows)])
    out = capsys.readouterr().out
    assert code == links.EXIT_NO_NETWORK, out
    assert strings.LINKS_NO_NETWORK in out
    assert strings.LINKS_CHECKING.format(n=1, timeout="10") in out  # one address, checked once


def test_every_website_and_directory_is_a_target(catalog_with_directory: list[Target]) -> None:
    urls = [t.url for t in catalog_with_directory]
    assert len(urls) == len(set(urls))
    assert "https://annuaire.example.org/membres" in urls


@pytest.fixture
def catalog_with_directory(tmp_path: Path) -> list[Target]:
    from conseiller.catalog import load_catalog

    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "contacts.yaml").write_text(
        "contacts:\n"
        "- id: reseau-exemple\n"
        "  name: Réseau de l'Exemple\n"
        "  kind: tete-de-reseau\n"
        "  description: Un réseau fictif.\n"
        "  website: https://reseau.example.org\n"
        "  coverage: {departements: ['23']}\n"
        "  points_to: {formats: [cae], directory: https://annuaire.example.org/membres}\n"
        "  source: https://reseau.example.org\n"
        "  checked_on: '2026-11-27'\n"
        "  verified: true\n",
        encoding="utf-8",
    )
    return links.targets(load_catalog(local=[pack]))
