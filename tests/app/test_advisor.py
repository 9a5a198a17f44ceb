"""Advisor mode: consent, autosave, panel corrections, private notes, resume, SIGKILL.

On the fixture content (tests/data/fixture): the shipped texts can change freely."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from textual.widgets import Button, Checkbox, DataTable, Input, Select, Static, TextArea

from conseiller import strings
from conseiller.catalog import Catalog
from conseiller.engine import State
from conseiller.sessions import content_version
from conseiller.store import FILENAME, Store, StoreError
from conseiller.tui.advisor_app import AdvisorApp, make_advisor_app
from conseiller.tui.screens.advisor import AdvisorScreen
from conseiller.tui.screens.dialogs import UrgenceScreen
from conseiller.tui.screens.results import ResultsScreen
from conseiller.tui.screens.sessions import ConfirmScreen, SessionsScreen
from conseiller.unmatched import UnmatchedLog

SIZE = (160, 48)
FIXTURE = Path(__file__).parent.parent / "data" / "fixture"


@pytest.fixture
def catalog(fixture_catalog: Catalog) -> Catalog:
    """The fixture content, in place of the shipped one."""
    return fixture_catalog


def plain(text: str) -> str:
    """The text with French typography's no-break spaces read as spaces."""
    return text.replace("\xa0", " ")


async def new_session(app: AdvisorApp, pilot, consent: bool) -> AdvisorScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.pause()
    await app.wait_loaded()  # the sessions list comes once the content is loaded
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


async def answer_text(app: AdvisorApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    app.screen.query_one("#free", Input).value = text
    await pilot.press("enter")
    await pilot.pause()


async def walk_to_confirm(app: AdvisorApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("1", "1")
    await pilot.pause()
    await answer_text(app, pilot, "Creuse")
    await pilot.press("1", "2")
    await pilot.pause()
    await answer_text(app, pilot, "on cherche un local et des sous")


async def test_every_answer_is_saved_with_consent(catalog: Catalog, tmp_path: Path) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        store = Store(tmp_path)
        assert screen.session_id is not None
        await pilot.press("1")
        await pilot.pause()
        saved = store.get(screen.session_id)
        assert saved is not None and saved.label == "Marie"
        # Kept with the session: the program, content and packs it was made with.
        assert saved.content_version == content_version(catalog)
        assert "contenu " in saved.content_version
        assert State.from_json(saved.state).answers["role"].value == "porteur"
        await pilot.press("1")
        await pilot.pause()
        await answer_text(app, pilot, "Creuse")
        saved = store.get(screen.session_id)
        assert saved is not None
        assert State.from_json(saved.state).answers["departement"].value == "23"


async def test_nothing_is_kept_without_consent(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AdvisorScreen, "NOTES_DELAY", 0.001)  # no long wait for the autosave
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=False)
        assert screen.session_id is None
        await walk_to_confirm(app, pilot)
        app.screen.query_one("#adv-notes", TextArea).text = "note sans accord"
        await pilot.pause(0.02)  # the notes' autosave has run (and kept nothing)
    assert not (tmp_path / FILENAME).exists()  # not even an empty sessions file
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"Creuse" not in data and b"local et des sous" not in data
            assert b"note sans accord" not in data


async def test_panel_shows_scores_and_corrects_needs(catalog: Catalog, tmp_path: Path) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await walk_to_confirm(app, pilot)
        panel_boxes = {b.id: b for b in app.screen.query("#panel Checkbox").results(Checkbox)}
        assert set(panel_boxes) == {"adv-need--local-foncier", "adv-need--financement"}
        assert all(b.disabled for b in panel_boxes.values())
        label = str(panel_boxes["adv-need--financement"].label)
        assert f"{catalog.needs['financement'].label} (" in label
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
            "local-foncier",
            "isolement",
        ]


async def test_distress_in_the_notes_shows_a_discreet_alert(
    catalog: Catalog, tmp_path: Path
) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_session(app, pilot, consent=False)
        notes = app.screen.query_one("#adv-notes", TextArea)
        alert = app.screen.query_one("#adv-alert", Static)
        notes.text = "rappeler jeudi pour le local"
        await pilot.pause()
        assert alert.has_class("hidden")
        notes.text = "elle dit que son mari la frappe, à suivre"
        await pilot.pause()
        assert not alert.has_class("hidden") and "3919" in str(alert.render())
        assert not isinstance(app.screen, UrgenceScreen)  # discreet: no dialog over the chat


async def test_notes_are_saved_and_resumed(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(AdvisorScreen, "NOTES_DELAY", 0.001)  # no long wait for the autosave
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        session_id = screen.session_id
        await pilot.press("1", "2")
        await pilot.pause()
        app.screen.query_one("#adv-notes", TextArea).text = "rappeler jeudi"
        await pilot.pause(0.02)
        record = Store(tmp_path).get(session_id or "")  # saved without leaving the screen
        assert record is not None and record.notes == "rappeler jeudi"
    app = make_advisor_app(catalog, data=tmp_path)
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


async def test_delete_asks_then_deletes_at_once(catalog: Catalog, tmp_path: Path) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await pilot.press("1")
        await pilot.pause()
        await pilot.click("#delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # nothing deleted yet
        await pilot.click("#no")
        await pilot.pause()
        assert screen.session_id is not None and len(Store(tmp_path).list()) == 1
        await pilot.click("#delete")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert screen.session_id is None
        header = str(app.screen.query_one("#saved-state", Static).render())
        assert plain(header) == plain(strings.ADV_DELETED_HEADER)  # no longer "enregistrée"
        assert all(b.disabled for b in app.screen.query("#panel-actions Button"))
        await pilot.press("1")  # the conversation goes on, nothing is written
        await pilot.pause()
    assert Store(tmp_path).list() == []


CRASHER = """
import asyncio, sys
from pathlib import Path
from textual.widgets import Input
from conseiller.catalog import load_catalog
from conseiller.tui.advisor_app import make_advisor_app

async def main():
    fixture = Path(sys.argv[2])
    catalog = load_catalog(fixture / "content", fixture / "flows")
    app = make_advisor_app(catalog, data=Path(sys.argv[1]))
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause(); await pilot.pause()
        await app.wait_loaded(); await pilot.pause(); await pilot.press("n"); await pilot.pause()
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
    proc = subprocess.Popen(
        [sys.executable, "-c", CRASHER, str(tmp_path), str(FIXTURE)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline and "READY" not in line:
        line = proc.stdout.readline()
    assert "READY" in line
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    proc.stdout.close()
    assert (tmp_path / FILENAME).exists()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "conseiller",
            "sessions",
            "show",
            "--json",
            "--data",
            str(tmp_path),
            Store(tmp_path).list()[0].id,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    data = json.loads(result.stdout)
    assert data["profile"]["role"] == "porteur"
    assert data["profile"]["stade"] == "creation"
    assert data["profile"]["departement"] == "07"
    assert data["current"] == "collectif"


def screen_text(app: AdvisorApp) -> str:
    """What the terminal shows now, as text (toasts and dialogs included)."""
    update = app.screen._compositor.render_full_update()
    text = "\n".join("".join(seg.text for seg in line) for line in update.strips)
    return text.replace("\xa0", " ")  # French typography's no-break spaces, as spaces


async def walk_to_end(app: AdvisorApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await walk_to_confirm(app, pilot)
    await pilot.click("#confirm")
    await pilot.pause()
    await pilot.press("1")  # lieu : louer
    await pilot.pause()
    assert isinstance(app.screen, ResultsScreen)


def fiche(record_exports: tuple[str, ...]) -> str:
    (md,) = [p for p in record_exports if p.endswith(".md")]
    return Path(md).read_text(encoding="utf-8")


async def test_fiche_and_record_keep_every_answer_after_looking_back(
    catalog: Catalog, tmp_path: Path
) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await walk_to_end(app, pilot)
        await pilot.click("#back")  # "Retour" from the results: the last question again
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("escape", "escape")  # look further back, change nothing
        await pilot.pause()
        assert screen.state.cursor == "besoins-texte"
        await pilot.click("#handoff")
        await pilot.pause()
        record = Store(tmp_path).get(screen.session_id or "")
        assert record is not None
        assert record.finished  # looking back does not un-finish the session
        saved = State.from_json(record.state)
        assert saved.cursor is None
        assert saved.answers["besoins"].value == ["local-foncier", "financement"]
        assert saved.answers["lieu"].value is not None
        text = fiche(record.exports)
        assert catalog.needs["local-foncier"].label in text
        assert catalog.needs["financement"].label in text
        assert strings.REP_NO_NEED not in text


async def test_changing_an_answer_does_unfinish(catalog: Catalog, tmp_path: Path) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await walk_to_end(app, pilot)
        await pilot.click("#back")
        await pilot.pause()
        await pilot.press("escape")  # the needs confirmation
        await pilot.pause()
        await pilot.press("escape")  # the typed needs: a new text asks to confirm again
        await pilot.pause()
        await answer_text(app, pilot, "je me sens seule")
        record = Store(tmp_path).get(screen.session_id or "")
        assert record is not None and not record.finished
        assert "besoins" not in State.from_json(record.state).answers


async def test_panel_correction_shows_in_the_chat(catalog: Catalog, tmp_path: Path) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await walk_to_end(app, pilot)
        await pilot.click("#back")
        await pilot.pause()
        # Inside the answer, a need after the first reads as in a sentence (« …, trouver de
        # l'argent »): compare without the first letter's case.
        money = catalog.needs["financement"].label.lower()
        bubbles = [str(w.render()).lower() for w in screen.query(".person")]
        assert any(money in b for b in bubbles)
        screen.query_one("#adv-need--financement", Checkbox).value = False
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen  # a correction does not jump to the results
        bubbles = [str(w.render()).lower() for w in screen.query(".person")]
        assert not any(money in b for b in bubbles)
        assert any(catalog.needs["local-foncier"].label.lower() in b for b in bubbles)


async def test_a_correction_still_works_after_looking_back(
    catalog: Catalog, tmp_path: Path
) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await walk_to_end(app, pilot)
        await pilot.click("#back")
        await pilot.pause()
        for _ in range(3):  # look further back, past the needs' confirmation
            await pilot.press("escape")
            await pilot.pause()
        box = screen.query_one("#adv-need--financement", Checkbox)
        assert box.value and not box.disabled  # the panel still shows every answer
        box.value = False
        await pilot.pause()
        await pilot.pause()
        profile = screen.engine.profile(screen.state.model_copy(update={"cursor": None}))
        assert "financement" not in (profile.get("besoins") or [])
    record = Store(tmp_path).get(screen.session_id or "")
    assert (
        record is not None
        and "financement" not in json.loads(record.state)["answers"]["besoins"]["value"]
    )


async def test_quitting_says_what_is_kept(catalog: Catalog, tmp_path: Path) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_session(app, pilot, consent=True)
        await pilot.press("ctrl+q")
        await pilot.pause()
        note = str(app.screen.query_one("#quit-note", Static).render())
        assert plain(note) == plain(strings.ADV_QUIT_KEPT)
        assert "oubliées" not in screen_text(app)  # they are not: they are kept
    app = make_advisor_app(catalog, data=tmp_path / "other")
    async with app.run_test(size=SIZE) as pilot:
        await new_session(app, pilot, consent=False)
        await pilot.press("ctrl+q")
        await pilot.pause()
        note = str(app.screen.query_one("#quit-note", Static).render())
        assert plain(note) == plain(strings.ADV_QUIT_NOT_KEPT)


def assert_buttons_uncovered(app: AdvisorApp) -> None:
    for button in app.screen.query("#panel-actions Button").results(Button):
        middle = button.region.x + button.region.width // 2
        widget, _ = app.screen.get_widget_at(middle, button.region.y)
        assert widget is button, f"{button.id} is covered by {widget!r}"


async def test_export_notice_leaves_the_buttons_usable(catalog: Catalog, tmp_path: Path) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await pilot.press("1")
        await pilot.pause()
        await pilot.click("#handoff")
        await pilot.pause()
        status = str(screen.query_one("#adv-status", Static).render())
        assert "fiche-" in status
        assert_buttons_uncovered(app)
        await pilot.click("#export-mine")  # still reachable: the click goes through
        await pilot.pause()
        record = Store(tmp_path).get(screen.session_id or "")
        assert record is not None and len(record.exports) == 4


def _full(*_args: object, **_kwargs: object) -> int:
    raise StoreError(strings.STORE_FULL.format(path="sessions.sqlite3"))


async def test_a_failed_save_is_said_and_nothing_is_lost(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await pilot.press("1")  # porteur: saved
        await pilot.pause()
        with monkeypatch.context() as patch:
            patch.setattr(Store, "save", _full)
            await pilot.press("2")  # stade: the disk is full
            await pilot.pause()
            assert screen.state.answers["stade"].value == "creation"  # still on screen
            header = str(screen.query_one("#saved-state", Static).render())
            assert plain(header) == plain(strings.ADV_SAVE_FAILED_HEADER)
            shown = screen_text(app)
            assert "NON enregistrée" in shown and "disque est plein" in shown
            assert_buttons_uncovered(app)
            record = Store(tmp_path).get(screen.session_id or "")
            assert record is not None  # what was saved before is intact
            assert State.from_json(record.state).answers["role"].value == "porteur"
        await answer_text(app, pilot, "Creuse")  # the disk has room again
        record = Store(tmp_path).get(screen.session_id or "")
        assert record is not None
        answers = State.from_json(record.state).answers
        assert answers["stade"].value == "creation" and answers["departement"].value == "23"
        header = str(screen.query_one("#saved-state", Static).render())
        assert plain(header) == plain(strings.ADV_SAVED)


async def test_second_window_loses_politely_and_keeps_its_notes(
    catalog: Catalog, tmp_path: Path
) -> None:
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await pilot.press("1")
        await pilot.pause()
        other = Store(tmp_path)  # another window on the same session saves first
        record = other.get(screen.session_id or "")
        assert record is not None
        other.save_notes(record.id, "notes de l'autre fenêtre", revision=record.revision)
        notes = screen.query_one("#adv-notes", TextArea)
        notes.text = "mes notes à moi"
        await pilot.pause()
        await pilot.press("f3")  # leaving saves the notes: the other window was first
        await pilot.pause()
        assert app.screen is screen  # not left: what is not saved is still on screen
        assert "autre fenêtre" in screen_text(app)
        assert notes.text == "mes notes à moi"  # the loser keeps its text
        await pilot.press("2")
        await pilot.pause()
        kept = other.get(record.id)
        assert kept is not None and kept.notes == "notes de l'autre fenêtre"
        assert "stade" not in State.from_json(kept.state).answers  # nothing overwritten
        await pilot.press("f3")  # asked twice: now it goes
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)


async def test_no_phrase_is_logged_without_consent(catalog: Catalog, tmp_path: Path) -> None:
    phrase = "zorglub blablabla trucmuche"
    app = make_advisor_app(catalog, data=tmp_path, log_unmatched=True)
    async with app.run_test(size=SIZE) as pilot:
        await new_session(app, pilot, consent=False)
        await walk_to_confirm(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        await answer_text(app, pilot, phrase)
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert phrase.encode() not in path.read_bytes()
    app = make_advisor_app(catalog, data=tmp_path, log_unmatched=True)
    async with app.run_test(size=SIZE) as pilot:  # with consent, the log works
        await new_session(app, pilot, consent=True)
        await walk_to_confirm(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        await answer_text(app, pilot, phrase)
    assert [c.phrase for c in UnmatchedLog(tmp_path).counts()] == [phrase]


async def test_consent_says_what_for_and_how_long(catalog: Catalog, tmp_path: Path) -> None:
    for retention, said in ((None, "12 mois"), (dt.timedelta(days=180), "6 mois")):
        app = make_advisor_app(catalog, data=tmp_path, retention=retention)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            await app.wait_loaded()  # the sessions list comes once the content is loaded
            await pilot.pause()
            await pilot.press("n")
            await pilot.pause()
            text = str(app.screen.query_one("#consent-text", Static).render())
            assert f"gardées {said}" in text
            assert "suivre votre projet" in text and "effacer" in text


async def test_old_sessions_are_erased_when_the_list_opens(
    catalog: Catalog, tmp_path: Path
) -> None:
    store = Store(tmp_path)
    old = store.create("principal", State(flow="principal").to_json(), label="ancienne")
    store.create("principal", State(flow="principal").to_json(), label="récente")
    with closing(sqlite3.connect(tmp_path / FILENAME)) as conn, conn:
        conn.execute(
            "UPDATE sessions SET updated = '2020-01-01T00:00:00+00:00' WHERE id = ?", (old,)
        )
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 1
    assert [r.label for r in Store(tmp_path).list()] == ["récente"]


async def test_unreadable_sessions_are_listed_not_opened_and_deletable(
    catalog: Catalog, tmp_path: Path
) -> None:
    store = Store(tmp_path)
    good = store.create("principal", State(flow="principal").to_json(), label="Marie")
    bad_json = store.create("principal", "{}", label="abîmée")
    bad_state = store.create("principal", "{}", label="étrange")
    with closing(sqlite3.connect(tmp_path / FILENAME)) as conn, conn:
        conn.execute("UPDATE sessions SET state = '{pas du json' WHERE id = ?", (bad_json,))
        conn.execute("UPDATE sessions SET state = '{\"flow\": 3}' WHERE id = ?", (bad_state,))
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        for sid in (bad_json, bad_state):  # listed with the reason
            assert str(table.get_row(sid)[2]).startswith("illisible : ")
        assert str(table.get_row(good)[2]) == catalog.default_flow.nodes[1].text[:50]
        assert "JSON" in screen_text(app)
        table.move_cursor(row=table.get_row_index(bad_json))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)  # not opened, and no crash
        assert "seulement supprimée" in screen_text(app)  # the notice says why
        delete = app.screen.query_one("#delete-row", Button)
        middle = delete.region.x + delete.region.width // 2
        assert app.screen.get_widget_at(middle, delete.region.y)[0] is delete  # not covered
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        table.move_cursor(row=table.get_row_index(good))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, AdvisorScreen) and app.screen.session_id == good
    assert {r.id for r in Store(tmp_path).list()} == {good, bad_state}


def _read_only(*_args: object, **_kwargs: object) -> None:
    raise sqlite3.OperationalError("attempt to write a readonly database")


async def test_a_phrase_log_that_cannot_be_written_stops_nothing(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(UnmatchedLog, "record", _read_only)
    app = make_advisor_app(catalog, data=tmp_path, log_unmatched=True)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await new_session(app, pilot, consent=True)
        await walk_to_confirm(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        await answer_text(app, pilot, "zorglub blablabla trucmuche")
        assert app.is_running and app.screen is screen
        assert "pas pu être gardée" in screen_text(app)
        record = Store(tmp_path).get(screen.session_id or "")
        assert record is not None  # the answer itself is saved
        assert State.from_json(record.state).answers["besoins_texte"].text == (
            "zorglub blablabla trucmuche"
        )


async def test_presses_queued_on_the_results_are_handled_once(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Three « back » and two « Recommencer » in one burst (found by the fuzz): the first of
    each counts, the others find the results gone; nothing pops the last screen."""
    from conseiller.tui.messages import BackFromResults, Restart

    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_session(app, pilot, consent=False)
        await walk_to_end(app, pilot)
        results = app.screen
        for _ in range(3):
            results.post_message(BackFromResults())
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, AdvisorScreen)
        assert len(app.screen_stack) == 2

        await pilot.press("1")  # the last question again: the results come back
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ResultsScreen)
        again.post_message(Restart())
        again.post_message(Restart())
        await pilot.pause()
        await pilot.pause()
        asking = [s for s in app.screen_stack if isinstance(s, ConfirmScreen)]
        assert len(asking) == 1  # asked once
        await pilot.click("#yes")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SessionsScreen)
        assert app.return_code is None  # still running
