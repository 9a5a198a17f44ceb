"""The kiosk's QR take-away, paged: one code per contact website at 80×24, each one scanned
off the screen as drawn; the whole summary first on a screen large enough; no message cut."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.conversation import Conversation
from conseiller.kiosk import set_pin
from conseiller.replay import replay
from conseiller.report import group_contacts, to_text
from conseiller.tui.kiosk_app import KioskApp, make_kiosk_app
from conseiller.tui.screens.kiosk import QrScreen
from conseiller.tui.screens.results import ResultsScreen
from tests.app.screen_text import crop, decode_qr, needs_zbarimg, screen_lines

# A holder in the Creuse, alone, who needs money, a place, volunteers and not to be alone:
# many contacts (eight on the shipped content when this was written).
ANSWERS: dict[str, object] = {
    "role": "porteur",
    "stade": "idee",
    "departement": "creuze",
    "collectif": "seul",
    "agricole": "non",
    "besoins": ["isolement", "financement", "local-foncier", "equipe-benevoles"],
}


async def results_of(app: KioskApp, pilot, catalog: Catalog) -> ResultsScreen:  # type: ignore[no-untyped-def]
    """The kiosk's results for ANSWERS (the conversation itself is tested elsewhere)."""
    await pilot.pause()
    await app.wait_loaded()
    done = replay(Conversation(catalog), ANSWERS)
    app.show_results(app.new_engine(), done.state)
    await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)
    return app.screen


def websites(catalog: Catalog, results: ResultsScreen) -> list[str]:
    """The contacts' websites, in the order of the results, each once."""
    sites = [
        p.contact.website
        for g in group_contacts(catalog, results.rec)
        for p in g.picks
        if p.contact.website
    ]
    return list(dict.fromkeys(sites))


def assert_not_cut(screen: QrScreen, widget: Static) -> None:
    """A message wholly on screen: all its lines shown, none beyond the screen's edge."""
    assert screen.region.contains_region(widget.region)
    assert widget.virtual_size.height <= widget.region.height


@needs_zbarimg
async def test_each_page_scans_at_80x24(catalog: Catalog, tmp_path: Path) -> None:
    set_pin(tmp_path, "2468")
    app = make_kiosk_app(catalog, data=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await results_of(app, pilot, catalog)
        sites = websites(catalog, results)
        assert len(sites) >= 4  # enough contacts for paging to matter
        await pilot.click("#qr-open")
        await pilot.pause()
        qr = app.screen
        assert isinstance(qr, QrScreen)
        scanned = []
        for i, site in enumerate(sites, start=1):
            hint = qr.query_one("#qr-hint", Static)
            said = str(hint.render())
            assert said.startswith(f"{i}/{len(sites)} →")
            assert site in said  # the full address, https:// included
            assert_not_cut(qr, hint)
            code = qr.query_one("#qr-big", Static)
            assert code.display and qr.region.contains_region(code.region)
            scanned.append(decode_qr(crop(screen_lines(app), code.region), tmp_path))
            await pilot.press("right")
            await pilot.pause()
        assert scanned == sites
        assert qr.index == 0  # after the last page, the first again
        await pilot.press("left")
        await pilot.pause()
        assert qr.shown == sites[-1]
        await pilot.click("#qr-close")
        await pilot.pause()
        assert app.screen is results


@needs_zbarimg
async def test_a_large_screen_shows_the_whole_summary_first(
    catalog: Catalog, tmp_path: Path
) -> None:
    set_pin(tmp_path, "2468")
    app = make_kiosk_app(catalog, data=tmp_path)
    async with app.run_test(size=(160, 60)) as pilot:
        results = await results_of(app, pilot, catalog)
        summary = to_text(catalog, results.rec)
        await pilot.click("#qr-open")
        await pilot.pause()
        qr = app.screen
        assert isinstance(qr, QrScreen)
        assert qr.shown == summary
        assert len(qr.pages) == len(websites(catalog, results)) + 1
        code = qr.query_one("#qr-big", Static)
        assert decode_qr(crop(screen_lines(app), code.region), tmp_path) == summary


@pytest.mark.parametrize("size", [(60, 12), (24, 40)])
async def test_too_small_says_so_whole(
    catalog: Catalog, tmp_path: Path, size: tuple[int, int]
) -> None:
    set_pin(tmp_path, "2468")
    app = make_kiosk_app(catalog, data=tmp_path)
    async with app.run_test(size=size) as pilot:
        await results_of(app, pilot, catalog)
        app.screen.open_qr()  # type: ignore[attr-defined]
        await pilot.pause()
        qr = app.screen
        assert isinstance(qr, QrScreen)
        assert qr.shown is None
        hint = qr.query_one("#qr-hint", Static)
        assert strings.KIOSK_QR_NO_ROOM.split()[0] in str(hint.render())
        assert not qr.query_one("#qr-big", Static).display
        assert_not_cut(qr, hint)
