"""`conseiller web` through plain HTTP (no JavaScript): every option and edge of the shipped
flow, results, Markdown, Modifier, Retour, bad tokens, headers, privacy and size limits; and,
marked slow, axe-core in headless Chromium on every page of a walk."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import stat
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conversation import Conversation
from conseiller.engine import State
from conseiller.report import group_contacts
from conseiller.schema import ChoiceNode, ConfirmNode, EndNode, Flow, TextNode
from conseiller.web.app import HEADERS, MAX_BODY, MAX_TEXT, Settings, WebFront
from conseiller.web.token import MAX_AGE, SECRET_FILE, Sealer, load_secret, state_to_data

SECRET = b"test-secret-of-at-least-thirty-two-bytes"
NEEDS_TEXT = "on cherche un local et de l'argent pour la ferme"
DEPT_TEXT = "Creuse"
#: Words a person typed: none of them may ever be in a URL, a Location or a token.
TYPED = (NEEDS_TEXT, "cherche un local", "ferme")

Action = tuple[str, dict[str, Any]]


def choices_for(node: ChoiceNode | TextNode | ConfirmNode) -> list[Action]:
    """Every way to answer a question on its page, "Je ne sais pas" included."""
    if isinstance(node, ChoiceNode):
        answers: list[Action] = [("repondre", {"reponse": o.id}) for o in node.options]
    elif isinstance(node, ConfirmNode):
        answers = [
            ("repondre", {"besoin": ["local-foncier", "financement"]}),
            ("repondre", {"besoin": []}),
        ]
    elif node.match == "departement":
        answers = [("repondre", {"reponse": DEPT_TEXT}), ("repondre", {"reponse": "2A"})]
    else:
        answers = [("repondre", {"reponse": NEEDS_TEXT})]
    return [*answers, ("passer", {})]


def key(node_id: str, action: Action) -> str:
    return f"{node_id}:{action[0]}:{sorted(action[1].items())}"


def all_edges(flow: Flow) -> set[tuple[str, str]]:
    return {(n.id, target) for n in flow.nodes for target, _ in Flow.successors(n)}


def edges_walked(flow: Flow, conv: Conversation, state: State) -> set[tuple[str, str]]:
    """The edges of the flow a finished conversation went along (skipped nodes included)."""
    nodes = {n.id: n for n in flow.nodes}
    answers = {t.node: t.answer for t in conv.outcome(state).transcript}
    walked: set[tuple[str, str]] = set()
    node = nodes[flow.start]
    while not isinstance(node, EndNode):
        value = answers.get(node.id) if node.id in answers else None
        target = Flow.next_for(node, value) if node.id in answers else node.next
        assert target is not None
        walked.add((node.id, target))
        node = nodes[target]
    return walked


def check_headers(response: ClientResponse) -> None:
    for name, value in HEADERS.items():
        assert response.headers.get(name) == value, (response.url, name)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp


def no_typed_words(url: str) -> None:
    assert set(parse_qs(urlsplit(url).query)) <= {"t"}, url
    for words in TYPED:
        assert words not in url
        assert words.replace(" ", "+") not in url and words.replace(" ", "%20") not in url


@dataclass
class Browser:
    """A visitor without JavaScript: follows redirects by hand, checks every response."""

    client: TestClient[Any, Any]
    front: WebFront
    urls: list[str] = field(default_factory=list)

    async def get(self, url: str, status: int = 200) -> str:
        no_typed_words(url)
        self.urls.append(url)
        response = await self.client.get(url, allow_redirects=False)
        check_headers(response)
        text = await response.text()
        if response.status == 303:
            return await self.get(response.headers["Location"], status)
        assert response.status == status, (url, response.status, text[:2000])
        return text.replace("\xa0", " ")  # French typography's no-break spaces, as spaces

    async def post(self, token: str, action: str, fields: dict[str, Any]) -> tuple[int, str]:
        """Submit the question's form; returns (status, Location or page)."""
        data: list[tuple[str, str]] = [("t", token), ("action", action)]
        for name, value in fields.items():
            data += [(name, v) for v in (value if isinstance(value, list) else [value])]
        response = await self.client.post("/q", data=data, allow_redirects=False)
        check_headers(response)
        if response.status == 303:
            location = response.headers["Location"]
            no_typed_words(location)
            return 303, location
        return response.status, (await response.text()).replace("\xa0", " ")

    def state_of(self, page: str) -> State:
        return self.front.state(form_token(page))


def form_token(page: str) -> str:
    found = re.search(r'name="t" value="([^"]+)"', page)
    assert found, page[:2000]
    return unescape(found.group(1))


def h1(page: str) -> str:
    found = re.search(r"<h1>(?:<label[^>]*>)?(.*?)(?:</label>)?</h1>", page, re.S)
    assert found, page[:2000]
    return unescape(found.group(1))


def results_token(url: str) -> str:
    return parse_qs(urlsplit(url).query)["t"][0]


@pytest.fixture
async def browser(catalog: Catalog) -> AsyncIterator[Browser]:
    front = WebFront(catalog, SECRET)
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0
        yield Browser(client, front)


async def walk(b: Browser, pick: Any) -> tuple[str, str]:
    """One conversation from the first page to the results; `pick(node)` chooses each answer."""
    page = await b.get("/q")
    for _ in range(40):
        state = b.state_of(page)
        view = b.front.conversation.view(state)
        node = view.current
        assert not isinstance(node, EndNode)
        assert view.question == h1(page)
        action, fields = pick(node)
        status, where = await b.post(form_token(page), action, fields)
        assert status == 303, where[:3000]
        if where.startswith("/resultats"):
            return where, await b.get(where)
        page = await b.get(where)
    raise AssertionError("the walk did not end")


async def test_walks_take_every_option_and_every_edge(browser: Browser, catalog: Catalog) -> None:
    flow = catalog.default_flow
    questions = [n for n in flow.nodes if isinstance(n, ChoiceNode | TextNode | ConfirmNode)]
    wanted = {key(n.id, a) for n in questions for a in choices_for(n)}
    done: set[str] = set()
    edges: set[tuple[str, str]] = set()
    taken: dict[str, int] = {}

    def pick(node: ChoiceNode | TextNode | ConfirmNode) -> Action:
        """Each page's least-taken answer: every branch comes round in a few walks."""
        options = choices_for(node)
        chosen = min(options, key=lambda a: taken.get(key(node.id, a), 0))
        taken[key(node.id, chosen)] = taken.get(key(node.id, chosen), 0) + 1
        done.add(key(node.id, chosen))
        return chosen

    for _ in range(20):
        if wanted <= done and all_edges(flow) <= edges:
            break
        url, page = await walk(browser, pick)
        assert h1(page) == strings.UI_RESULTS_TITLE
        state = browser.front.state(results_token(url))
        edges |= edges_walked(flow, browser.front.conversation, state)
    assert wanted <= done, sorted(wanted - done)
    assert all_edges(flow) <= edges, sorted(all_edges(flow) - edges)
    # No token ever carries the words typed, even opened with the key.
    for url in browser.urls:
        token = parse_qs(urlsplit(url).query).get("t")
        if token:
            opened = str(browser.front.sealer.open(token[0]))
            assert not any(words in opened for words in TYPED)
            assert DEPT_TEXT not in opened


async def test_random_clicks_never_break_a_page(browser: Browser, catalog: Catalog) -> None:
    """Answers, "Je ne sais pas", "Retour", "Garder", "Modifier" and odd values in any order:
    every response is a page or a redirect, never a server error."""
    import random

    rng = random.Random(16)
    odd: list[Action] = [
        ("repondre", {"reponse": "n'importe quoi"}),
        ("repondre", {}),
        ("garder", {}),
        ("inconnue", {}),
        ("repondre", {"besoin": ["x"]}),
    ]
    for _ in range(12):
        page = await browser.get("/q")
        for _ in range(25):
            node = browser.front.conversation.view(browser.state_of(page)).current
            assert not isinstance(node, EndNode)
            action, fields = rng.choice([*choices_for(node), *odd, ("retour", {})])
            status, where = await browser.post(form_token(page), action, fields)
            assert status in (200, 303), (status, where[:500])
            if status == 200:
                page = where
                assert "<h1>" in page
                continue
            if where == "/":
                page = await browser.get("/q")
                continue
            page = await browser.get(where)
            if where.startswith("/resultats"):
                edits = re.findall(r'<a class="edit" href="([^"]+)"', page)
                if not edits or rng.random() < 0.5:
                    break
                page = await browser.get(unescape(rng.choice(edits)))


def porteur(node: ChoiceNode | TextNode | ConfirmNode) -> Action:
    """A project holder in the Creuse who needs premises and money."""
    if isinstance(node, ChoiceNode):
        wanted = {"role": "porteur", "stade": "creation", "lieu": "louer"}.get(node.slot)
        return ("repondre", {"reponse": wanted or node.options[0].id})
    return choices_for(node)[0]


async def test_results_page_shows_why_sources_and_edit_links(
    browser: Browser, catalog: Catalog
) -> None:
    url, page = await walk(browser, porteur)
    state = browser.front.state(results_token(url))
    outcome = browser.front.conversation.outcome(state)
    assert outcome.finished and outcome.recommendation.formats
    assert page.count(strings.REP_WHY) >= len(outcome.recommendation.formats)
    for pick in outcome.recommendation.formats:
        assert unescape(f">{pick.format.title}<") in unescape(page)
    for cpick in outcome.recommendation.contacts:
        assert cpick.contact.source in unescape(page)
    # The contacts in the one order every front shows (report.group_contacts).
    groups = group_contacts(catalog, outcome.recommendation)
    assert groups
    where = [unescape(page).index(f"<h3>{g.title}</h3>") for g in groups]
    assert where == sorted(where)
    assert "Creuse (23)" in page
    assert strings.WEB_NOT_KEPT in unescape(page)  # the needs text is not shown: not kept
    assert NEEDS_TEXT not in unescape(page)
    edits = re.findall(r'<a class="edit" href="([^"]+)"', page)
    assert len(edits) == len([t for t in outcome.transcript if t.slot is not None])
    assert '<link rel="stylesheet" href="/static/conseiller.css">' in page
    assert "<script" not in page and "style=" not in page
    # The same URL reloads to the same page (bookmark, reload, share).
    again = await browser.get(url)
    assert re.sub(r"t=[\w-]+", "", again) == re.sub(r"t=[\w-]+", "", page)


async def test_the_download_is_plain_text_and_says_the_words_were_not_kept(
    browser: Browser,
) -> None:
    """A text file (.txt) every phone opens — a Markdown file is often refused there."""
    _, page = await walk(browser, porteur)
    link = unescape(re.search(r'href="(/telecharger\.txt\?[^"]+)"', page).group(1))  # type: ignore[union-attr]
    response = await browser.client.get(link)
    check_headers(response)
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="conseiller-') and disposition.endswith(
        '.txt"'
    )
    text = (await response.text()).replace("\xa0", " ")
    assert text.startswith(strings.REP_TITLE) and "#" not in text.splitlines()[0]
    assert strings.WEB_MD_WORDS.replace("\xa0", " ") in text
    assert f"{strings.REP_FORMATS} :" in text
    assert NEEDS_TEXT not in text and strings.REP_OWN_WORDS not in text


async def test_modifier_reopens_one_question_and_keeps_later_answers(browser: Browser) -> None:
    _, page = await walk(browser, porteur)
    edits = dict(re.findall(r'<dt>(.*?)</dt>\s*<dd>.*?<a class="edit" href="([^"]+)"', page, re.S))
    stade = next(v for k, v in edits.items() if unescape(k).startswith("Où en est"))
    question = await browser.get(unescape(stade))
    assert h1(question).startswith("Où en est")
    assert re.search(r'value="creation" checked', question)  # the answer given is ticked
    status, where = await browser.post(
        form_token(question), "repondre", {"reponse": "developpement"}
    )
    assert status == 303 and where.startswith("/resultats")  # later answers were kept
    outcome = browser.front.conversation.outcome(browser.front.state(results_token(where)))
    assert outcome.profile.stade == "developpement"
    assert outcome.profile.departement == "23"
    assert outcome.profile.besoins == ("local-foncier", "financement")
    # Back to "C'est encore une idée": the employer question leaves the path, nothing else.
    question = await browser.get(unescape(stade))
    status, where = await browser.post(form_token(question), "repondre", {"reponse": "idee"})
    outcome = browser.front.conversation.outcome(browser.front.state(results_token(where)))
    assert "employeur" not in dict(outcome.profile.extra)
    assert outcome.profile.departement == "23"


async def test_retour_goes_back_one_question_keeping_the_answer(browser: Browser) -> None:
    first = await browser.get("/q")
    assert h1(first) == "Pour commencer, qui êtes-vous ?"
    assert "Bonjour !" in first  # the advisor's greeting comes with the first question
    status, where = await browser.post(form_token(first), "retour", {})
    assert (status, where) == (303, "/")
    _, where = await browser.post(form_token(first), "repondre", {"reponse": "collectivite"})
    second = await browser.get(where)
    assert "Merci. Les communes" in second  # the message for elected members
    assert h1(second).startswith("Dans quel département")
    for label in (strings.UI_SEND, strings.UI_DONT_KNOW, strings.UI_BACK):
        assert f">{label}</button>" in unescape(second)
    status, where = await browser.post(form_token(second), "retour", {})
    again = await browser.get(where)
    assert h1(again) == "Pour commencer, qui êtes-vous ?"
    assert re.search(r'value="collectivite" checked', again)


@pytest.mark.parametrize("mangle", ["flip", "cut", "garbage", "empty-ish", "expired"])
async def test_a_changed_or_old_token_gets_a_french_400_page(
    browser: Browser, mangle: str, catalog: Catalog
) -> None:
    page = await browser.get("/q")
    token = form_token(page)
    if mangle == "flip":
        token = token[:20] + ("A" if token[20] != "A" else "B") + token[21:]
    elif mangle == "cut":
        token = token[:-3]
    elif mangle == "garbage":
        token = "%%%!!" * 10
    elif mangle == "empty-ish":
        token = "AQ"  # noqa: S105
    else:
        state = browser.front.conversation.start()
        token = Sealer(SECRET).seal(
            state_to_data(catalog.default_flow, state), now=time.time() - MAX_AGE - 60
        )
    for path in ("/q", "/resultats", "/telecharger.txt", "/telecharger.md"):
        response = await browser.client.get(path, params={"t": token})
        check_headers(response)
        text = await response.text()
        assert response.status == 400
        assert strings.WEB_BAD_LINK_TITLE in unescape(text) and 'lang="fr"' in text
        assert f'href="/">{strings.UI_RESTART}' in unescape(text)
    response = await browser.client.post("/q", data={"t": token, "action": "passer"})
    assert response.status == 400


@pytest.mark.parametrize(
    "change",
    [
        {"a": {"besoins": {"v": ["besoin-retire"]}}},  # a need taken out of the content
        {"a": {"role": {"v": "astronaute"}}},  # an option taken out of the flow
        {"a": {"case-inconnue": {"v": "x"}}},
        {"a": {"departement": {"v": "99"}}},
        {"f": "autre-parcours"},
        {"c": "noeud-inconnu"},
    ],
)
def test_a_token_that_no_longer_fits_the_content_is_refused(
    catalog: Catalog, change: dict[str, Any]
) -> None:
    front = WebFront(catalog, SECRET)
    data = {"f": catalog.default_flow.id, "a": {}, **change}
    with pytest.raises(Exception, match="Bad Request"):
        front.state(front.sealer.seal(data))
    assert front.state(front.sealer.seal({"f": catalog.default_flow.id, "a": {}})) == (
        front.conversation.start()
    )


async def test_another_key_cannot_open_a_token(catalog: Catalog) -> None:
    state = Conversation(catalog).start()
    token = Sealer(SECRET).seal(state_to_data(catalog.default_flow, state))
    other = WebFront(catalog, b"another-secret-also-thirty-two-bytes!")
    with pytest.raises(Exception, match="Bad Request"):
        other.state(token)


async def test_errors_are_tied_to_their_field_and_announced(browser: Browser) -> None:
    page = await browser.get("/q")
    status, text = await browser.post(form_token(page), "repondre", {})
    assert status == 200
    assert 'role="alert"' in text and strings.WEB_CHOOSE_ONE in unescape(text)
    assert re.search(r'<fieldset aria-describedby="[^"]*erreur', text)
    assert '<p class="error" id="erreur">' in text
    assert f"<title>{strings.WEB_ERROR_PREFIX}" in unescape(text)
    # A free-text field: empty, then an unknown département.
    _, where = await browser.post(form_token(page), "repondre", {"reponse": "collectivite"})
    dept = await browser.get(where)
    _, text = await browser.post(form_token(dept), "repondre", {"reponse": "   "})
    assert re.search(r'<input type="text" id="reponse"[^>]*aria-describedby="[^"]*erreur', text)
    assert 'aria-invalid="true"' in text
    _, text = await browser.post(form_token(dept), "repondre", {"reponse": "Atlantide"})
    assert 'value="Atlantide"' in text  # what was typed stays in the field, not in a URL


async def test_the_safety_net_comes_first(browser: Browser, catalog: Catalog) -> None:
    page = await browser.get("/q")
    _, where = await browser.post(form_token(page), "repondre", {"reponse": "porteur"})
    page = await browser.get(where)
    _, where = await browser.post(form_token(page), "passer", {})
    dept = await browser.get(where)
    # Distress typed in the département field: not kept, help lines first, asked again.
    status, where = await browser.post(
        form_token(dept), "repondre", {"reponse": "je veux me suicider"}
    )
    assert status == 303 and "suicid" not in where
    again = await browser.get(where)
    assert h1(again).startswith("Dans quel département")
    first = catalog.about.urgence.lines_for(["suicide"])[0]
    assert again.index(catalog.about.urgence.title) < again.index("<h1>")
    assert again.index(first.number) < again.index("<h1>")
    opened = str(browser.front.sealer.open(form_token(again)))
    assert "me suicider" not in opened and "suicid" not in form_token(again)
    assert "'suicide'" in opened  # the kind of distress, sealed: the help lines stay
    # ... and on every page after it, the results included.
    _, results = await walk_on(browser, again)
    assert results.index(first.number) < results.index("<h1>")


async def walk_on(b: Browser, page: str) -> tuple[str, str]:
    for _ in range(20):
        status, where = await b.post(form_token(page), "passer", {})
        assert status == 303
        if where.startswith("/resultats"):
            return where, await b.get(where)
        page = await b.get(where)
        assert "urgence-titre" in page
    raise AssertionError("no end")


async def test_needs_text_back_offers_to_keep_what_was_understood(browser: Browser) -> None:
    page = await browser.get("/q")
    for _ in range(20):
        node = browser.front.conversation.view(browser.state_of(page)).current
        if isinstance(node, ConfirmNode):
            break
        _, where = await browser.post(form_token(page), *porteur(node))  # type: ignore[arg-type]
        page = await browser.get(where)
    _, where = await browser.post(form_token(page), "retour", {})
    text_page = await browser.get(where)
    assert strings.WEB_WORDS_NOT_KEPT_FIELD in unescape(text_page)
    assert NEEDS_TEXT not in unescape(text_page)
    _, where = await browser.post(form_token(text_page), "garder", {})
    confirm = await browser.get(where)
    assert 'value="local-foncier" checked' in confirm


async def test_size_limits(browser: Browser) -> None:
    page = await browser.get("/q")
    _, where = await browser.post(form_token(page), "repondre", {"reponse": "porteur"})
    page = await browser.get(where)
    _, where = await browser.post(form_token(page), "passer", {})
    dept = await browser.get(where)
    status, text = await browser.post(
        form_token(dept), "repondre", {"reponse": "x" * (MAX_TEXT + 1)}
    )
    assert status == 200 and strings.WEB_TOO_LONG.format(n=MAX_TEXT) in unescape(text)
    response = await browser.client.post(
        "/q", data={"t": form_token(dept), "reponse": "x" * (MAX_BODY + 10)}
    )
    check_headers(response)
    assert response.status == 413
    assert strings.WEB_TOO_LARGE_TITLE in unescape(await response.text())
    response = await browser.client.get("/q", params={"t": "A" * 5000})
    assert response.status == 400


async def test_other_pages_and_guards(browser: Browser) -> None:
    welcome = await browser.get("/")
    assert 'lang="fr"' in welcome and 'class="skip" href="#contenu"' in welcome
    assert 'href="/q"' in welcome and strings.WEB_PRIVACY in unescape(welcome)
    finish = await browser.get("/terminer")
    assert "Ctrl+Maj+Suppr" in finish
    css = await browser.client.get("/static/conseiller.css")
    check_headers(css)
    body = await css.text()
    for needed in ("@media print", "prefers-reduced-motion", "forced-colors", ":focus-visible"):
        assert needed in body
    for path in ("/static/../app.py", "/static/nothing.css", "/nowhere"):
        response = await browser.client.get(path)
        check_headers(response)
        assert response.status == 404 and strings.WEB_NOT_FOUND in unescape(await response.text())
    response = await browser.client.get("/", headers={"Host": "evil.example"})
    check_headers(response)
    assert response.status == 403
    response = await browser.client.post(
        "/q", data={"action": "passer"}, headers={"Origin": "http://evil.example"}
    )
    assert response.status == 403
    response = await browser.client.get("/", headers={"X-Forwarded-Host": "evil.example"})
    assert response.status == 200  # not a trusted proxy: the header is not read


async def test_behind_a_reverse_proxy(catalog: Catalog) -> None:
    from tests.app.proxy import proxying

    port = free_port()
    front = WebFront(
        catalog,
        SECRET,
        Settings(
            public_url=f"http://127.0.0.1:{port}",
            trusted_proxies=(__import__("ipaddress").ip_network("127.0.0.1/32"),),
        ),
    )
    server = TestServer(front.application(), host="127.0.0.1")
    await server.start_server()
    front.port = server.port or 0
    try:
        async with proxying(f"127.0.0.1:{server.port}", "127.0.0.1", port) as proxy:
            async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http:
                async with http.get("/q") as response:
                    page = await response.text()
                    assert response.status == 200
                async with http.post(
                    "/q",
                    data={"t": form_token(page), "action": "repondre", "reponse": "porteur"},
                    allow_redirects=False,
                ) as response:
                    assert response.status == 303
                    location = response.headers["Location"]
                    assert location.startswith("/q?t=")  # relative: stays on the proxy
                async with http.get(location) as response:
                    assert response.status == 200
                    assert h1(await response.text()).startswith("Où en est")
                async with http.get("/", headers={"Host": "evil.example"}) as response:
                    assert response.status == 403  # the proxy forwards it as X-Forwarded-Host
            assert len(proxy.requests) == 4
    finally:
        await server.close()


def test_secret_file_is_private_and_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONSEILLER_SECRET", raising=False)
    first = load_secret(tmp_path / "data")
    path = tmp_path / "data" / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(tmp_path / "data") == first and len(first) >= 32
    path.chmod(0o644)
    path.write_text("abîmé")  # damaged: a new key, private again
    renewed = load_secret(tmp_path / "data")
    assert renewed != first and len(renewed) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    monkeypatch.setenv("CONSEILLER_SECRET", "from-the-environment")
    assert load_secret(tmp_path / "data") == b"from-the-environment"


def test_a_public_address_warns_and_a_bad_public_url_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from conseiller.cli import main
    from conseiller.web.run import _warn

    _warn("127.0.0.1")
    _warn("localhost")
    assert capsys.readouterr().err == ""
    _warn("0.0.0.0")  # noqa: S104
    assert strings.WEB_PUBLIC.format(host="0.0.0.0") in capsys.readouterr().err  # noqa: S104
    with pytest.raises(SystemExit) as exit_info:
        main(["web", "--public-url", "ftp://x.example/chemin"])
    assert exit_info.value.code == 2
    assert "ftp://x.example/chemin" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_cli_serves_with_two_workers_and_logs_no_query(tmp_path: Path) -> None:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "conseiller",
            "--data",
            str(tmp_path / "data"),
            "web",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/q", timeout=2) as r:
                    page = r.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None
                time.sleep(0.2)
        token = form_token(page)
        for _ in range(6):  # any worker reads any token (they share the key file)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/q?t={token}", timeout=5) as r:
                assert r.status == 200
        secret = tmp_path / "data" / SECRET_FILE
        assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "(2 processus)" in out
    assert "GET /q 200" in err
    assert token not in err and "?" not in err and "t=" not in err


# --- in a real browser: axe-core on every page, screenshots at 360×740 -----------------

AXE = Path(__file__).resolve().parents[2] / ".ci-node" / "node_modules" / "axe-core" / "axe.min.js"


AXE_RUN = (
    "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', "
    "'wcag21aa', 'wcag22aa', 'best-practice']}}).then(r => JSON.stringify("
    "r.violations.map(v => [v.id, v.help, v.nodes.map(n => n.target.join(' '))])))"
)

#: Answers a person gives in the browser: the first choice, these words, the ticked needs.
ANSWER_IN_PAGE = f"""(() => {{
  const radio = document.querySelector('input[type=radio]');
  if (radio) radio.checked = true;
  const area = document.querySelector('textarea#reponse');
  if (area) area.value = {NEEDS_TEXT!r};
  const line = document.querySelector('input[type=text]#reponse');
  if (line) line.value = {DEPT_TEXT!r};
  document.querySelector('button.primary').click();
}})()"""


@pytest.mark.slow
async def test_a_walk_in_chromium_with_axe_on_every_page(catalog: Catalog, tmp_path: Path) -> None:
    """Forms filled and sent by the browser itself; axe-core finds nothing on any page; no
    horizontal scroll at 320 px; the results print on one A4 page."""
    import base64

    from tests.app.cdp import Page, chromium_page, find_chromium

    chromium = find_chromium()
    required = os.environ.get("CONSEILLER_BROWSER_TESTS") == "required"
    if chromium is None or not AXE.is_file():
        if required:
            pytest.fail(f"chromium or axe-core missing ({AXE}): run .ci/run", pytrace=False)
        pytest.skip("chromium or axe-core (npm install --prefix .ci-node axe-core@4) missing")
    assert chromium is not None
    front = WebFront(catalog, SECRET)
    server = TestServer(front.application(), host="127.0.0.1")
    await server.start_server()
    front.port = server.port or 0
    base = f"http://127.0.0.1:{server.port}"
    shots = Path(os.environ.get("CONSEILLER_SCREENSHOTS") or tmp_path / "shots")
    axe = AXE.read_text(encoding="utf-8")

    async def size(page: Page, width: int) -> None:
        await page.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=740,
            deviceScaleFactor=1,
            mobile=True,
        )

    async def loaded(page: Page, before: str) -> str:
        for _ in range(200):
            href = str(await page.evaluate("location.href"))
            if href != before and await page.evaluate("document.readyState") == "complete":
                return href
            await asyncio.sleep(0.05)
        raise AssertionError(f"no new page after {before}")

    async def audit(page: Page, name: str) -> None:
        assert await page.evaluate("document.documentElement.lang") == "fr", name
        await size(page, 320)
        wide = await page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not wide, f"{name}: horizontal scroll at 320 px"
        await size(page, 360)
        await page.evaluate(axe)
        raw = await page.send(
            "Runtime.evaluate", expression=AXE_RUN, awaitPromise=True, returnByValue=True
        )
        assert raw["result"]["value"] == "[]", f"{name}: {raw['result']['value']}"

    try:
        async with chromium_page(chromium, tmp_path / "profile") as page:
            await page.send("Page.enable")
            await size(page, 360)
            href = "about:blank"
            await page.send("Page.navigate", url=base + "/")
            href = await loaded(page, href)
            await audit(page, "accueil")
            await page.evaluate("document.querySelector('a.button.primary').click()")
            href = await loaded(page, href)
            # An empty answer first: the error page, then every question of a walk.
            await page.evaluate("document.querySelector('button.primary').click()")
            for _ in range(100):
                if await page.evaluate("document.querySelector('[role=alert]') !== null"):
                    break
                await asyncio.sleep(0.05)
            await audit(page, "erreur")
            await page.screenshot(shots / "web-erreur.png")
            href = str(await page.evaluate("location.href"))
            for number in range(1, 20):
                if urlsplit(href).path == "/resultats":
                    break
                await audit(page, f"question {number}")
                if number in (1, 7, 8):
                    await page.screenshot(shots / f"web-question-{number}.png")
                await page.evaluate(ANSWER_IN_PAGE)
                href = await loaded(page, href)
                no_typed_words(href)
            assert urlsplit(href).path == "/resultats"
            assert await page.evaluate("document.querySelector('h1').textContent") == (
                strings.UI_RESULTS_TITLE
            )
            await audit(page, "résultats")
            await page.screenshot(shots / "web-resultats.png")
            pdf = base64.b64decode(
                (await page.send("Page.printToPDF", preferCSSPageSize=True))["data"]
            )
            assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, "more than one A4 page"
            for path in ("/terminer", "/q?t=AAAA", "/nulle-part"):
                await page.send("Page.navigate", url=base + path)
                href = await loaded(page, href)
                await audit(page, path)
    finally:
        await server.close()
