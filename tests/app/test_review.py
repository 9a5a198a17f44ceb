"""What a review by use found: the keyboard path of the advisor's consent, and the fronts'
words a rural project holder reads (no jargon like « Markdown »)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.store import Store
from conseiller.tui.advisor_app import make_advisor_app
from conseiller.tui.screens.advisor import AdvisorScreen

SIZE = (160, 48)


@pytest.fixture
def catalog(fixture_catalog: Catalog) -> Catalog:
    """The fixture content, in place of the shipped one."""
    return fixture_catalog


async def test_consent_label_is_typed_at_once_and_enter_alone_never_consents(
    catalog: Catalog, tmp_path: Path
) -> None:
    """The advisor types the label as soon as the question shows; Enter in it goes to
    « Oui, garder » without consenting; a second Enter consents and keeps the label."""
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.wait_loaded()  # the sessions list comes once the content is loaded
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Camille")
        assert app.screen.query_one("#label", Input).value == "Camille"
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, AdvisorScreen)  # still asking
        assert app.focused is not None and app.focused.id == "yes"
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AdvisorScreen)
        assert screen.session_id is not None
        saved = Store(tmp_path).get(screen.session_id)
        assert saved is not None and saved.label == "Camille"


def test_no_file_format_jargon_in_what_a_holder_reads() -> None:
    """« Markdown » means nothing to most people: the web button and the plain question
    say « fichier texte »."""
    for text in (strings.WEB_DOWNLOAD, strings.PLAIN_SAVE_ASK):
        assert "Markdown" not in text
        assert "texte" in text


async def test_the_welcome_page_says_the_privacy_note_once(fixture_catalog: Catalog) -> None:
    """The note sits above « Commencer »; a screen reader should not hear it twice."""
    from aiohttp.test_utils import TestClient, TestServer

    from conseiller.web.app import WebFront

    front = WebFront(fixture_catalog, b"review-secret-of-thirty-two-bytes!!")
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0  # the pages answer only at their own address
        first, then = await client.get("/"), await client.get("/q")
        assert (first.status, then.status) == (200, 200)
        welcome, question = await first.text(), await then.text()
    privacy = "est enregistré sur le serveur"
    assert welcome.count(privacy) == 1
    assert question.count(privacy) == 1  # the other pages keep it in their footer


def test_plain_text_contact_groups_are_headings_not_lines_of_the_contact_above() -> None:
    """In the text take-away (conseiller plain, a screen reader), « Pour « Trouver de
    l'argent » » used to sit indented under the last contact of the group before, as if
    it were one of its lines: it is now a heading of its own."""
    import datetime as dt

    from conseiller.catalog import load_catalog
    from conseiller.paths import shipped_dir
    from conseiller.recommend import recommend
    from conseiller.report import build, render_text
    from conseiller.typography import french

    shipped = load_catalog(shipped_dir("content"), shipped_dir("flows"))
    profile: dict[str, str | list[str] | None] = {
        "role": "porteur",
        "stade": "idee",
        "departement": "23",
        "region": "75",
        "besoins": ["isolement", "financement"],
    }
    doc = build(shipped, recommend(shipped, profile), [], dt.datetime(2026, 11, 27, 10, 0))
    assert len(doc.groups) >= 2
    lines = render_text(doc).splitlines()
    for group in doc.groups:
        at = lines.index(french(f"{group.title} :"))
        assert lines[at - 1] == ""  # set apart from the contact before


async def test_help_scrolls_with_the_keyboard_while_fermer_has_the_focus(
    catalog: Catalog, tmp_path: Path
) -> None:
    """At 60×20 the help is taller than its box and the focus is on « Fermer »: Page
    suivante (or the down arrow) must still bring the rest of the text into view."""
    from textual.containers import VerticalScroll

    from conseiller.tui.app import make_app
    from conseiller.tui.screens.dialogs import HelpScreen

    app = make_app(catalog, data=tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = app.screen.query_one(".body", VerticalScroll)
        assert body.max_scroll_y > 0  # there is more than the box shows
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("up")
        await pilot.press("pageup")
        await pilot.pause()
        assert body.scroll_y == 0
        assert isinstance(app.screen, HelpScreen)  # still open, nothing else happened


async def test_web_results_open_with_one_introduction(fixture_catalog: Catalog) -> None:
    """The results page used to say the flow's last words (« Merci ! Voici des pistes…
    et les raisons de chaque proposition ») and then the same again in other words."""
    import re
    from html import unescape

    from aiohttp.test_utils import TestClient, TestServer

    from conseiller.schema import EndNode
    from conseiller.web.app import WebFront

    front = WebFront(fixture_catalog, b"review-secret-of-thirty-two-bytes!!")
    end = next(n for n in fixture_catalog.default_flow.nodes if isinstance(n, EndNode))
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0
        page = await (await client.get("/q")).text()
        for _ in range(30):  # « Je ne sais pas » to every question
            token = unescape(re.search(r'name="t" value="([^"]+)"', page)[1])  # type: ignore[index]
            sent = await client.post("/q", data={"t": token, "action": "passer"})
            page = await sent.text()
            if sent.url.path == "/resultats":
                break
        assert sent.url.path == "/resultats"
    shown = unescape(page).replace("\xa0", " ")
    assert end.text.replace("\xa0", " ") in shown
    assert strings.UI_RESULTS_INTRO not in shown


async def test_sessions_list_says_when_empty_and_shows_local_french_time(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty list says so; a session's time is the advisor's clock (Paris, not UTC),
    day first, as everywhere else in French."""
    import time

    from textual.app import App
    from textual.widgets import DataTable, Static

    from conseiller.tui.screens.sessions import SessionRow, SessionsScreen

    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        for rows in ([], [SessionRow("a" * 32, "Camille", "2026-11-27T10:55:52+00:00", "lieu")]):
            app: App[None] = App()
            async with app.run_test(size=(100, 30)) as pilot:
                app.push_screen(SessionsScreen(rows, on_choice=lambda _: None))
                await pilot.pause()
                empty = app.screen.query("#no-session").results(Static)
                if not rows:
                    shown = [str(w.render()).replace("\xa0", " ") for w in empty]
                    assert shown == [strings.REVIEW_NO_SESSION]  # no-break spaces read as spaces
                    continue
                assert not list(empty)
                table = app.screen.query_one(DataTable)
                assert str(table.get_row_at(0)[1]) == "27/11/2026 11:55"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_hand_off_sheet_headings_speak_in_one_voice(fixture_catalog: Catalog) -> None:
    """The fiche de liaison is the person's, in the first person (« Mes réponses », « Ce
    qui peut m'aider »): its own-words heading said « Ses besoins, dans ses mots »."""
    import datetime as dt

    from conseiller.recommend import recommend
    from conseiller.report import Extras, build, render_markdown

    rec = recommend(fixture_catalog, {"role": "porteur", "stade": "idee", "besoins": []})
    extras = Extras(title=strings.REP_HANDOFF_TITLE, own_words="on cherche un local")
    doc = build(fixture_catalog, rec, [], dt.datetime(2026, 11, 27, 10, 0), extras)
    headings = [line for line in render_markdown(doc).splitlines() if line.startswith("## ")]
    assert any("dans mes mots" in h for h in headings)
    assert not [h for h in headings if h[3:].split()[0] in ("Ses", "Son", "Sa")], headings


async def test_web_needs_page_gives_one_instruction_when_the_flow_has_its_own() -> None:
    """The shipped confirm question has its help (« Enlevez ce qui ne va pas… »): the page
    said « Cochez ce qui vous concerne, décochez le reste » right after it."""
    import re
    from html import unescape

    from aiohttp.test_utils import TestClient, TestServer

    from conseiller.catalog import load_catalog
    from conseiller.paths import shipped_dir
    from conseiller.schema import ConfirmNode
    from conseiller.web.app import WebFront

    shipped = load_catalog(shipped_dir("content"), shipped_dir("flows"))
    confirm = next(n for n in shipped.default_flow.nodes if isinstance(n, ConfirmNode))
    assert confirm.help  # what this test is about
    front = WebFront(shipped, b"review-secret-of-thirty-two-bytes!!")
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0
        page = await (await client.get("/q")).text()
        for _ in range(30):  # « Je ne sais pas » until the needs page
            if 'name="besoin"' in page:
                break
            token = unescape(re.search(r'name="t" value="([^"]+)"', page)[1])  # type: ignore[index]
            page = await (await client.post("/q", data={"t": token, "action": "passer"})).text()
    shown = unescape(page).replace("\xa0", " ")
    # Nothing was written: the question's help for that case (« Cochez-en un ou plusieurs »).
    assert confirm.help_if_none.replace("\xa0", " ") in shown
    assert confirm.help.replace("\xa0", " ") not in shown
    assert strings.WEB_CHECK_HINT not in shown
