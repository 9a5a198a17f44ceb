"""Jargon in the terminal: the title bar spells « économie sociale et solidaire » out, the
first use of a glossary term is marked « (?) » and F1 explains it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.glossary import explain, glossary_terms
from conseiller.schema import Term
from conseiller.tui.app import make_app
from conseiller.tui.screens.chat import ChatScreen
from conseiller.tui.screens.dialogs import HelpScreen
from conseiller.tui.screens.results import ResultsScreen
from conseiller.tui.widgets.bubble import GLOSSARY_MARK, with_glossary
from conseiller.tui.widgets.titlebar import TitleBar
from conseiller.typography import french

TERMS = [
    Term(term="CAE", full="coopérative d'activité et d'emploi", definition="Une coopérative."),
    Term(term="ESS", full="économie sociale et solidaire", definition="Des structures utiles."),
]


def test_only_the_first_use_is_marked() -> None:
    explained: set[str] = set()
    first = with_glossary("Une CAE ? Une CAE de l'ESS.", TERMS, explained)
    assert first.plain == f"Une CAE{GLOSSARY_MARK}\u00a0? Une CAE de l'ESS{GLOSSARY_MARK}."
    assert explained == {"CAE", "ESS"}
    again = with_glossary("La CAE, encore.", TERMS, explained)
    assert GLOSSARY_MARK not in again.plain


def test_the_title_bar_spells_it_out() -> None:
    bar = str(TitleBar().render())
    assert "économie sociale et solidaire" in bar
    assert "ESS" not in bar.split()


async def test_results_mark_terms_and_f1_explains_them(catalog: Catalog, tmp_path: Path) -> None:
    app = make_app(catalog, data=tmp_path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await app.wait_loaded()
        await app.action_start()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        for given in ("porteur", "idee", "Creuse", "seul", "non"):
            await screen.chat.answer(given)
        await screen.chat.answer("je veux tester mon activité dans une CAE")
        confirm = screen.chat.view_now
        assert confirm is not None
        await screen.chat.answer([c.need for c in confirm.candidates] or ["isolement"])
        while not isinstance(app.screen, ResultsScreen):
            await screen.chat.answer(None)
            await pilot.pause()
        results = app.screen
        texts = [str(w.render()) for w in results.query("#results Static")]
        used = [t for t in catalog.glossary if any(glossary_terms(catalog, x) for x in texts)]
        assert results.glossary_shown, "the results use no glossary term"
        assert used
        marked = "\n".join(texts)
        # What the person said, the names and the sources are never annotated.
        for static in results.query("#results Static"):
            if {"profile", "card-title", "site", "source"} & set(static.classes):
                assert GLOSSARY_MARK not in str(static.render()), str(static.render())
        assert any("CAE" in str(s.render()) for s in results.query("#results .profile"))
        assert marked.count(GLOSSARY_MARK) == len(results.glossary_shown)
        hint = results.query_one("#glossary-hint", Static)
        assert hint.display and str(hint.render()) == french(strings.TUI_ACRONYM_HINT)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        said = "\n".join(str(w.render()) for w in app.screen.query(".term")).replace("\xa0", " ")
        for term in results.glossary_shown:
            assert explain(term).replace("\xa0", " ") in said.replace("\n", " ")
