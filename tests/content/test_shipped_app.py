"""The shipped content in the app and the engine: what only makes sense on content/ and flows/.

The app and engine tests run on the fixture content (tests/data/fixture); these few check
that the shipped content itself works end to end, reading names from the catalog so an
author can change the texts without touching them."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from conseiller.catalog import Catalog
from conseiller.engine import Engine
from conseiller.tui.app import make_app
from conseiller.tui.screens.chat import ChatScreen
from conseiller.tui.screens.results import ResultsScreen
from conseiller.tui.widgets.bubble import GLOSSARY_MARK


def regional_entry(catalog: Catalog, region: str) -> str:
    """The name of the shipped contact that is the ESS entry of this région."""
    names = [
        c.name
        for c in catalog.contacts.values()
        if c.regional_entry and region in c.coverage.regions
    ]
    assert len(names) == 1, names
    return names[0]


async def test_a_walk_through_the_shipped_app_reaches_results_with_the_regional_entry(
    catalog: Catalog, tmp_path: Path
) -> None:
    app = make_app(catalog, data=tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await app.action_start()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        for given in ("porteur", "idee", "Creuse", "collectif", "non"):
            await screen.chat.answer(given)
        await screen.chat.answer("on cherche un local et des bénévoles")
        await screen.chat.answer(["local-foncier", "equipe-benevoles"])
        await screen.chat.answer("louer")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        shown = shown.replace(GLOSSARY_MARK, "").replace("\xa0", " ")  # « CRESS (?) »
        assert regional_entry(catalog, "75") in shown  # Creuse is in Nouvelle-Aquitaine


def test_dont_know_the_stage_stays_unknown_in_the_shipped_flow(engine: Engine) -> None:
    """The shipped flow has no default stage: « Je ne sais pas » is never read as « idée »."""
    state = engine.answer(engine.start(), "porteur")
    state = engine.answer(state, "je ne sais pas")
    assert engine.profile(state).get("stade") is None
    assert state.answers["stade"].skipped
