"""`conseiller serve` in headless Chromium: the page loads, keys work, files download, QR scans.

These run wherever Chromium is installed (`.ci/run` installs Debian's chromium and
zbar-tools when it can and then sets CONSEILLER_BROWSER_TESTS=required, so a missing
browser fails instead of skipping). Screenshots go to $CONSEILLER_SCREENSHOTS when set.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conversation import Conversation
from conseiller.engine import Engine
from conseiller.kiosk import set_pin
from conseiller.matching import Matcher
from conseiller.replay import replay
from conseiller.report import to_text, to_text_short
from conseiller.schema import ChoiceNode
from tests.app.cdp import RECORD_TERMINAL, Page, chromium_page, find_chromium
from tests.app.proxy import proxying

pytestmark = pytest.mark.slow

CHROMIUM = find_chromium()
if CHROMIUM is None and os.environ.get("CONSEILLER_BROWSER_TESTS") == "required":
    pytest.fail("CONSEILLER_BROWSER_TESTS=required but no chromium on PATH", pytrace=False)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
ZBARIMG = shutil.which("zbarimg")
if ZBARIMG is None and os.environ.get("CONSEILLER_BROWSER_TESTS") == "required":
    pytest.fail("CONSEILLER_BROWSER_TESTS=required but no zbarimg on PATH", pytrace=False)
needs_zbarimg = pytest.mark.skipif(ZBARIMG is None, reason="zbarimg (zbar-tools) is not installed")


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(data: Path, *options: str) -> Iterator[str]:
    """`conseiller serve` on a free local port with this data directory; yields the URL."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "conseiller",
            "--data",
            str(data),
            "serve",
            "--port",
            str(port),
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The holder's app, served with its own empty data directory."""
    with serving(tmp_path / "data") as url:
        yield url


def keep(path: Path, data: bytes) -> None:
    """Also copy a screenshot where CI keeps them."""
    folder = os.environ.get("CONSEILLER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / path.name).write_bytes(data)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def question(catalog: Catalog, node_id: str) -> str:
    """The start of a question's text, as the flow words it (short enough not to wrap)."""
    node = next(n for n in catalog.default_flow.nodes if n.id == node_id)
    return str(getattr(node, "text", ""))[:24]


async def open_app(page: Page, url: str, downloads: Path | None = None) -> None:
    """Open the served page at 1280×800 and wait for the welcome screen."""
    await page.send("Page.enable")
    await page.send(
        "Emulation.setDeviceMetricsOverride",
        width=1280,
        height=800,
        deviceScaleFactor=1,
        mobile=False,
    )
    if downloads is not None:
        await page.send(
            "Browser.setDownloadBehavior", behavior="allow", downloadPath=str(downloads)
        )
    await page.send("Page.addScriptToEvaluateOnNewDocument", source=RECORD_TERMINAL)
    await page.send("Page.navigate", url=url)
    await page.wait_for_text(strings.UI_START)
    await page.evaluate("document.querySelector('.xterm-helper-textarea').focus()")


async def step(page: Page, then: str, key: str | None = None, text: str | None = None) -> str:
    """Press a digit or Enter (or type a line), then wait for `then` to be drawn."""
    since = await page.mark()
    if text is not None:
        await page.type(text)
    elif key == "Enter":
        await page.press("Enter", 13, "\r")
    else:
        assert key is not None
        await page.press(key, ord(key), key)
    try:
        return await page.wait_for_text(then, since)
    except AssertionError:
        folder = os.environ.get("CONSEILLER_SCREENSHOTS")
        if folder:  # what the page showed when it went wrong
            await page.screenshot(Path(folder) / "echec.png")
        raise


#: What `walk_to_results` answers, for the replay that predicts the results.
WALK = {
    "role": "porteur",
    "stade": "idee",
    "departement": "Creuse",
    "collectif": "seul",
    "agricole": "non",
    "besoins_texte": "je cherche un local",
    "lieu": "louer",
}


async def walk_to_results(page: Page, catalog: Catalog, then: str) -> None:
    """From the welcome screen to the results, with keys only (the answers in WALK)."""
    await step(page, question(catalog, "role"), "Enter")
    await step(page, question(catalog, "stade"), "1")
    await step(page, question(catalog, "departement"), "1")
    await step(page, question(catalog, "collectif"), text="Creuse")
    await step(page, question(catalog, "agricole"), "1")
    await step(page, question(catalog, "besoins-texte"), "2")
    await step(page, question(catalog, "besoins"), text="je cherche un local")
    await step(page, question(catalog, "lieu"), "Enter")  # the understood need is right
    await step(page, then, "1")


@needs_chromium
async def test_first_question_in_the_browser(
    served: str, tmp_path: Path, catalog: Catalog, matcher: Matcher
) -> None:
    engine = Engine(catalog.default_flow, catalog, matcher)
    first = engine.view(engine.start()).current
    assert isinstance(first, ChoiceNode)
    assert CHROMIUM is not None
    async with chromium_page(CHROMIUM, tmp_path / "profile") as page:
        await open_app(page, served)
        assert await page.evaluate("document.documentElement.lang") == "fr"
        assert await page.evaluate("document.title") == "conseiller"
        keep(tmp_path / "accueil.png", await page.screenshot(tmp_path / "accueil.png"))

        # The welcome screen has "Commencer" focused: Enter starts the conversation.
        text = await step(page, first.text, "Enter")
        assert first.options[0].label in text
        assert await page.evaluate("document.body.classList.contains('-closed')") is False

        shot = await page.screenshot(tmp_path / "premiere-question.png")
        keep(tmp_path / "premiere-question.png", shot)
        assert png_size(shot) == (1280, 800)


@needs_chromium
async def test_the_take_away_downloads_in_the_browser(
    served: str, tmp_path: Path, catalog: Catalog
) -> None:
    downloads = tmp_path / "downloads"
    assert CHROMIUM is not None
    async with chromium_page(CHROMIUM, tmp_path / "profile") as page:
        await open_app(page, served, downloads)
        await walk_to_results(page, catalog, strings.UI_SAVE)
        await page.press("Tab", 9)
        text = await step(page, "téléchargements", "Enter")
        assert "conseiller-" in text
        keep(tmp_path / "resultats.png", await page.screenshot(tmp_path / "resultats.png"))

        for _ in range(100):
            files = list(downloads.glob("conseiller-*.html")) if downloads.exists() else []
            if files:
                break
            await asyncio.sleep(0.1)
        assert len(files) == 1, "the browser received no file"
        page_html = files[0].read_text(encoding="utf-8")
        assert "Creuse" in page_html and "<html" in page_html
    # Nothing was written on the server's side.
    assert not list((tmp_path / "data").rglob("conseiller-*"))


@needs_chromium
async def test_quitting_leaves_a_french_page_to_start_again(served: str, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    async with chromium_page(CHROMIUM, tmp_path / "profile") as page:
        await open_app(page, served)
        since = await page.mark()
        await page.press("q", 81, modifiers=2)  # Ctrl+Q
        await page.wait_for_text(strings.UI_QUIT_QUESTION[:24], since)
        await page.press("Tab", 9)  # from "Non, rester" to "Oui, quitter"
        await page.press("Enter", 13, "\r")
        for _ in range(100):
            if await page.evaluate("document.body.classList.contains('-closed')"):
                break
            await asyncio.sleep(0.1)
        shown = await page.evaluate("document.querySelector('.closed-dialog').innerText")
        assert strings.SERVE_PAGE["restart"] in shown
        assert strings.SERVE_PAGE["ended"][:20] in shown
        keep(tmp_path / "fin.png", await page.screenshot(tmp_path / "fin.png"))


@needs_chromium
@needs_zbarimg
async def test_kiosk_qr_code_scans_from_a_screenshot(
    tmp_path: Path, catalog: Catalog, matcher: Matcher
) -> None:
    """At a kiosk served in a browser, a phone can read the take-away off the screen."""
    outcome = replay(Conversation(catalog, catalog.default_flow, matcher), WALK).outcome
    full, short = to_text(catalog, outcome.recommendation), to_text_short(outcome.recommendation)
    data = tmp_path / "data"
    set_pin(data, "2468")
    assert CHROMIUM is not None and ZBARIMG is not None
    with serving(data, "--kiosk") as url:
        async with chromium_page(CHROMIUM, tmp_path / "profile") as page:
            await open_app(page, url)
            await walk_to_results(page, catalog, strings.KIOSK_QR_OPEN)
            await page.press("Tab", 9)  # from the results to "Retour"
            await page.press("Tab", 9)  # to "QR code en grand"
            text = await step(page, "Fermer", "Enter")
            assert strings.KIOSK_QR_NO_ROOM[:20] not in text
            await asyncio.sleep(0.5)  # let the page paint the last frame
            shot = tmp_path / "qr-borne.png"
            keep(shot, await page.screenshot(shot))
    scanned = subprocess.run(
        [ZBARIMG, "--raw", "-q", str(shot)], capture_output=True, text=True, check=False, timeout=60
    )
    assert scanned.returncode == 0, "no QR code could be read from the screenshot"
    decoded = scanned.stdout.rstrip("\n") + "\n"
    assert decoded == (short if strings.KIOSK_QR_SHORT[:20] in text else full)
    sites = [
        c.contact.website.removeprefix("https://").removeprefix("www.").rstrip("/")
        for c in outcome.recommendation.contacts
        if c.contact.website
    ]
    assert sites and any(site in decoded for site in sites)  # a contact's site reaches the phone


@needs_chromium
async def test_the_app_works_behind_a_reverse_proxy(tmp_path: Path, catalog: Catalog) -> None:
    """nginx-like proxy on another address: the page, its files and the websocket go through it."""
    proxy_port = free_port("127.0.0.2")
    public = f"http://127.0.0.2:{proxy_port}"
    assert CHROMIUM is not None
    with serving(tmp_path / "data", "--public-url", public, "--trusted-proxy", "127.0.0.1") as url:
        upstream = url.removeprefix("http://").rstrip("/")
        async with (
            proxying(upstream, "127.0.0.2", proxy_port) as proxy,
            chromium_page(CHROMIUM, tmp_path / "profile") as page,
        ):
            await open_app(page, f"{public}/")
            socket_url = await page.evaluate(
                "document.querySelector('#terminal').dataset.sessionWebsocketUrl"
            )
            assert socket_url == f"ws://127.0.0.2:{proxy_port}/ws"
            await step(page, question(catalog, "role"), "Enter")
            keep(tmp_path / "proxy.png", await page.screenshot(tmp_path / "proxy.png"))
            assert proxy.websockets == 1
            assert "/static/js/textual.js" in proxy.requests
