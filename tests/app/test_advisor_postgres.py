"""Advisor mode on a shared PostgreSQL (as `conseiller accompagnement --db … --site …` runs it):
every answer lands in the shared database with the site; nothing in the local data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from conseiller.catalog import Catalog
from conseiller.engine import State
from conseiller.store import Store
from conseiller.tui.advisor_app import make_advisor_app
from conseiller.tui.screens.advisor import AdvisorScreen

SIZE = (160, 48)


async def test_answers_go_to_the_shared_database_with_the_site(
    fixture_catalog: Catalog, pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `--db` and `--site` do before the app starts (cli._export_store_options).
    monkeypatch.setenv("CONSEILLER_DB", pg_url)
    monkeypatch.setenv("CONSEILLER_SITE", "Antenne de Guéret")
    app = make_advisor_app(fixture_catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        await app.wait_loaded()  # the sessions list comes once the content is loaded
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#label", Input).value = "Marie"
        await pilot.click("#yes")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AdvisorScreen) and screen.session_id is not None
        await pilot.press("1")
        await pilot.pause()
        saved = Store(tmp_path / "ailleurs", db=pg_url).get(screen.session_id)
        assert saved is not None and saved.label == "Marie" and saved.site == "Antenne de Guéret"
        assert State.from_json(saved.state).answers["role"].value == "porteur"
    assert not (tmp_path / "sessions.sqlite3").exists()
