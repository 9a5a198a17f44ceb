"""Advisor mode: consent, autosave, panel corrections, private notes, resume, SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from textual.widgets import Checkbox, DataTable, Input, Select, TextArea

from conseiller.catalog import Catalog
from conseiller.engine import State
from conseiller.store import FILENAME, Store
from conseiller.tui.app import ConseillerApp, make_app
from conseiller.tui.screens.advisor import AdvisorScreen

SIZE = (160, 48)


async def new_session(app: ConseillerApp, pilot, consent: bool) -> AdvisorScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    if consent:
        app.screen.query_one("#label", Input).value = "Marie"
    await pilot.click("#yes" if consent else "#no")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, AdvisorScreen)
    return screen


async def answer_text(app: ConseillerApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    app.screen.query_one("#free", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def walk_to_confirm(app: ConseillerApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("1", "1")
    await pilot.pause()
    await answer_text(app, pilot, "Creuse")
    await pilot.press("1", "2")
    await pilot.pause()
    await answer_text(app, pilot, "on cherche un local et des sous")


async def test_every_answer_is_saved_with_consent(catalog: Catalog, tmp_path: Path) -> None:
    app = make_app(catalog, data=tmp_path, mode="advisor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        store = Store(tmp_path)
        assert screen.session_id is not None
        await pilot.press("1")
        await pilot.pause()
        saved = store.get(screen.session_id)
        assert saved is not None and saved.label == "Marie"
        assert State.from_json(saved.state).answers["role"].value == "porteur"
        await pilot.press("1")
        await pilot.pause()
        await answer_text(app, pilot, "Creuse")
        saved = store.get(screen.session_id)
        assert saved is not None
        assert State.from_json(saved.state).answers["departement"].value == "23"


async def test_nothing_is_kept_without_consent(catalog: Catalog, tmp_path: Path) -> None:
    app = make_app(catalog, data=tmp_path, mode="advisor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=False)
        assert screen.session_id is None
        await walk_to_confirm(app, pilot)
        app.screen.query_one("#adv-notes", TextArea).text = "note sans accord"
        await pilot.pause(0.7)
    assert Store(tmp_path).list() == []
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"Creuse" not in data and b"local et des sous" not in data
            assert b"note sans accord" not in data


async def test_panel_shows_scores_and_corrects_needs(catalog: Catalog, tmp_path: Path) -> None:
    app = make_app(catalog, data=tmp_path, mode="advisor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await walk_to_confirm(app, pilot)
        panel_boxes = {b.id: b for b in app.screen.query("#panel Checkbox")}
        assert set(panel_boxes) == {"adv-need--local-foncier", "adv-need--financement"}
        assert all(b.disabled for b in panel_boxes.values())
        label = str(panel_boxes["adv-need--financement"].label)
        assert "Trouver de l'argent (" in label
        await pilot.click("#confirm")
        await pilot.pause()
        await pilot.press("1")  # lieu : louer
        await pilot.pause()
        # results are shown; go back to the advisor screen to correct
        app.pop_screen()
        await pilot.pause()
        box = app.screen.query_one("#adv-need--financement", Checkbox)
        assert not box.disabled and box.value
        box.value = False
        await pilot.pause()
        select = app.screen.query_one("#adv-add", Select)
        select.value = "isolement"
        await pilot.pause()
        profile = screen.engine.profile(screen.state)
        assert profile["besoins"] == ["local-foncier", "isolement"]
        rules = str(app.screen.query_one("#adv-rules").render())
        assert "isolement-debut" in rules
        saved = Store(tmp_path).get(screen.session_id or "")
        assert saved is not None
        assert State.from_json(saved.state).answers["besoins"].value == [
            "local-foncier", "isolement"]


async def test_notes_are_saved_and_resumed(catalog: Catalog, tmp_path: Path) -> None:
    app = make_app(catalog, data=tmp_path, mode="advisor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        session_id = screen.session_id
        await pilot.press("1", "2")
        await pilot.pause()
        app.screen.query_one("#adv-notes", TextArea).text = "rappeler jeudi"
        await pilot.pause(0.8)
    record = Store(tmp_path).get(session_id or "")
    assert record is not None and record.notes == "rappeler jeudi"
    app = make_app(catalog, data=tmp_path, mode="advisor")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        resumed = app.screen
        assert isinstance(resumed, AdvisorScreen)
        assert resumed.session_id == session_id
        assert resumed.engine.view(resumed.state).current.id == "departement"
        assert app.screen.query_one("#adv-notes", TextArea).text == "rappeler jeudi"


async def test_delete_at_once(catalog: Catalog, tmp_path: Path) -> None:
    app = make_app(catalog, data=tmp_path, mode="advisor")
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await pilot.press("1")
        await pilot.pause()
        await pilot.click("#delete")
        await pilot.pause()
        assert screen.session_id is None
        await pilot.press("1")  # the conversation goes on, nothing is written
        await pilot.pause()
    assert Store(tmp_path).list() == []


CRASHER = """
import asyncio, sys
from pathlib import Path
from textual.widgets import Input
from conseiller.catalog import load_catalog
from conseiller.tui.app import make_app

async def main():
    app = make_app(load_catalog(), data=Path(sys.argv[1]), mode="advisor")
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause(); await pilot.pause()
        await pilot.press("n"); await pilot.pause()
        await pilot.click("#yes"); await pilot.pause()
        await pilot.press("1"); await pilot.pause()
        await pilot.press("2"); await pilot.pause()
        app.screen.query_one("#free", Input).value = "Ardèche"
        await pilot.press("enter"); await pilot.pause()
        print("READY", flush=True)
        await asyncio.sleep(60)

asyncio.run(main())
"""


@pytest.mark.slow
def test_sigkill_loses_at_most_the_answer_being_typed(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", CRASHER, str(tmp_path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline and "READY" not in line:
        line = proc.stdout.readline()
    assert "READY" in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert (tmp_path / FILENAME).exists()
    result = subprocess.run(
        [sys.executable, "-m", "conseiller", "sessions", "show", "--json", "--data",
         str(tmp_path), Store(tmp_path).list()[0].id],
        capture_output=True, text=True, check=True, timeout=60)
    data = json.loads(result.stdout)
    assert data["profile"]["role"] == "porteur"
    assert data["profile"]["stade"] == "creation"
    assert data["profile"]["departement"] == "07"
    assert data["current"] == "collectif"
