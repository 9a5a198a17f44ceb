"""Territory packs on screen: results, kiosk and advisor panel show local contacts' source."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from conseiller import strings
from conseiller.catalog import Catalog, load_catalog
from conseiller.recommend import recommend
from conseiller.tui.advisor_app import make_advisor_app
from conseiller.tui.app import make_app
from conseiller.tui.kiosk_app import make_kiosk_app
from conseiller.tui.screens.advisor import AdvisorScreen
from conseiller.tui.screens.results import ResultsScreen

PACK = Path(__file__).parent.parent / "data" / "packs" / "exemple"
CHECKED = "vérifié le 02/11/2026 — source : https://tiers-lieu.example.org/qui-sommes-nous"


def pack_catalog() -> Catalog:
    return load_catalog(local=[PACK])


async def shown_results(mode: str, tmp_path: Path) -> str:
    catalog = pack_catalog()
    rec = recommend(
        catalog,
        {
            "role": "porteur",
            "stade": "idee",
            "departement": "23",
            "region": "75",
            "besoins": ["isolement", "tester-activite"],
        },
    )
    kiosk = mode == "kiosk"
    app = make_kiosk_app(catalog, data=tmp_path) if kiosk else make_app(catalog, data=tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.push_screen(ResultsScreen(catalog, rec, [("Département", "Creuse (23)")]))
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        text = "\n".join(str(w.render()) for w in app.screen.query(Static))
        return text.replace("\xa0", " ")  # French typography's no-break spaces, as spaces


async def test_results_show_the_local_contact_first_with_source_and_date(tmp_path: Path) -> None:
    text = await shown_results("holder", tmp_path)
    near = text.index(strings.UI_RESULTS_LOCAL)
    assert near < text.index("Tiers-lieu de l'Exemple") < text.index(strings.UI_RESULTS_REGIONAL)
    assert CHECKED in text
    assert "Courriel : contact@cae.example.org" in text and "Téléphone" not in text


async def test_the_kiosk_results_show_it_too(tmp_path: Path) -> None:
    text = await shown_results("kiosk", tmp_path)
    assert text.index(strings.UI_RESULTS_LOCAL) < text.index("Tiers-lieu de l'Exemple")
    assert CHECKED in text
    assert "tiers-lieu.example.org" in text.split(strings.KIOSK_TEXT_TITLE)[-1]  # take-away


async def test_the_advisor_panel_shows_where_a_local_contact_comes_from(tmp_path: Path) -> None:
    app = make_advisor_app(pack_catalog(), data=tmp_path)
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        await pilot.pause()
        await app.wait_loaded()  # the sessions list comes once the content is loaded
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.click("#no")
        await pilot.pause()
        assert isinstance(app.screen, AdvisorScreen)
        await pilot.press("1", "1")
        await pilot.pause()
        app.screen.query_one("#free", Input).value = "Creuse"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1", "2")
        await pilot.pause()
        app.screen.query_one("#free", Input).value = "je me sens seule avec mon projet"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#confirm")
        await pilot.pause()
        while isinstance(app.screen, ResultsScreen):
            app.pop_screen()
            await pilot.pause()
        rules = str(app.screen.query_one("#adv-rules").render()).replace("\xa0", " ")
        assert "Tiers-lieu de l'Exemple ← exemple-isolement" in rules
        assert CHECKED in rules
