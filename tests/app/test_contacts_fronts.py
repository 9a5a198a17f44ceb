"""What a contact does (« vous accompagne », « trouvez la structure près de chez vous »,
« pour s'informer ») shows on the web results and on the terminal's results screen."""

from __future__ import annotations

from html import unescape
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from textual.widgets import Static

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conditions import SlotValue
from conseiller.recommend import recommend
from conseiller.report import contact_roles
from conseiller.tui.app import make_app
from conseiller.tui.screens.results import ResultsScreen
from conseiller.web.app import WebFront
from tests.app.test_web import SECRET, Browser, porteur, walk

PROFILE: dict[str, SlotValue] = {
    "role": "porteur",
    "stade": "creation",
    "departement": "23",
    "region": "75",
    "besoins": ["tester-activite", "identite-ess"],
}


async def test_web_results_say_what_each_contact_does(catalog: Catalog) -> None:
    front = WebFront(catalog, SECRET)
    server = TestServer(front.application(), host="127.0.0.1")
    async with TestClient(server) as client:
        front.port = server.port or 0
        url, page = await walk(Browser(client, front), porteur)
    state = front.state(url.split("t=", 1)[1])
    rec = front.conversation.outcome(state).recommendation
    lines = [line for p in rec.contacts for line in contact_roles(catalog, p, rec.profile)]
    assert lines, [p.contact.id for p in rec.contacts]
    shown = unescape(page)
    for line in lines:
        assert f"{line.label} :</strong> {line.items}" in shown
        if line.link:
            assert f'<a href="{line.link}">' in shown


async def test_terminal_results_say_what_each_contact_does(
    catalog: Catalog, tmp_path: Path
) -> None:
    rec = recommend(catalog, PROFILE)
    wanted = [line.text() for p in rec.contacts for line in contact_roles(catalog, p, PROFILE)]
    assert any(w.startswith(strings.CONTACT_POINTS_TO) for w in wanted), wanted
    app = make_app(catalog, data=tmp_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await pilot.pause()
        app.push_screen(ResultsScreen(catalog, rec, [("Département", "Creuse (23)")]))
        await pilot.pause()
        roles = [str(w.render()) for w in app.screen.query(Static).filter(".role")]
    normal = [r.replace("\xa0", " ").replace("\u202f", " ") for r in roles]
    assert sorted(normal) == sorted(w.replace("\xa0", " ") for w in wanted)  # in group order
