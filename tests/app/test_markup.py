"""User and content text that looks like markup is shown as it is, never read as markup.

On the fixture content (tests/data/fixture): the shipped texts can change freely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from textual.widgets import Checkbox, DataTable, Input, Select, Static, TextArea

from conseiller import strings
from conseiller.catalog import Catalog, load_catalog
from conseiller.engine import State
from conseiller.store import Store
from conseiller.tui.advisor_app import AdvisorApp, make_advisor_app
from conseiller.tui.screens.advisor import AdvisorScreen
from conseiller.tui.screens.results import ResultsScreen
from conseiller.tui.screens.sessions import SessionsScreen

SIZE = (200, 60)
CLOSE = "[/]"
CLICK = "[@click=app.quit]x"
MAIRIE = "Paul [mairie]"
BOLD = "[b]gras[/b]"
TITLE = "\x1b]0;titre\x07"
HOSTILE = (CLOSE, CLICK, MAIRIE, BOLD, TITLE)


@pytest.fixture
def catalog(fixture_catalog: Catalog) -> Catalog:
    """The fixture content, in place of the shipped one."""
    return fixture_catalog


def seen(text: str) -> str:
    """What must be on screen for `text`: the same, less its control characters."""
    return text.replace("\x1b", "").replace("\x07", "")


def screen_text(app: AdvisorApp) -> str:
    """What the terminal shows now, as text (toasts and dialogs included)."""
    update = app.screen._compositor.render_full_update()
    text = "\n".join("".join(seg.text for seg in line) for line in update.strips)
    return text.replace("\xa0", " ")  # French typography's no-break spaces, as spaces


def widget_text(app: AdvisorApp) -> str:
    """Everything the widgets of the screen render, scrolled into view or not."""
    text = "\n".join(str(w.render()) for w in app.screen.query("Static, Button, Checkbox"))
    return text.replace("\xa0", " ")


def assert_shown(shown: str, *texts: str) -> None:
    assert "\x1b" not in shown and "\x07" not in shown
    for text in texts:
        assert seen(text) in shown, f"{seen(text)!r} is not shown"


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.pause()


async def test_session_labels_in_the_list(catalog: Catalog, tmp_path: Path) -> None:
    store = Store(tmp_path)
    ids = {
        label: store.create("principal", State(flow="principal").to_json(), label=label)
        for label in HOSTILE
    }
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)  # "[/]" used to crash here, at every start
        assert isinstance(app.screen, SessionsScreen)
        assert_shown(screen_text(app), *HOSTILE)
        table = app.screen.query_one(DataTable)
        row = table.get_row_index(ids[CLICK])
        await pilot.click(DataTable, offset=(4, row + 1))  # on the "[@click=app.quit]x" cell
        await pilot.pause()
        assert app.is_running and app.return_code is None
        if isinstance(app.screen, AdvisorScreen):  # the click opened it: back to the list
            await pilot.press("f3")
            await settle(pilot)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(ids[MAIRIE]))
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#yes")
        await settle(pilot)
        assert_shown(screen_text(app), strings.ADV_LIST_DELETED.format(label=MAIRIE))


async def test_notes_and_typed_answers(catalog: Catalog, tmp_path: Path) -> None:
    hostile = " ".join(HOSTILE)
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await app.wait_loaded()  # the sessions list comes once the content is loaded
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#label", Input).value = MAIRIE
        await pilot.click("#yes")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AdvisorScreen)
        await pilot.press("1", "1")
        await pilot.pause()
        field = screen.query_one("#free", Input)
        field.value = hostile  # a département that is none: the error repeats the words
        await pilot.press("enter")
        await pilot.pause()
        assert_shown(str(screen.query_one("#error", Static).render()), CLOSE, CLICK, BOLD)
        field.value = "Creuse"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1", "2")
        await pilot.pause()
        screen.query_one("#free", Input).value = f"un local {hostile}"
        await pilot.press("enter")
        await pilot.pause()
        assert_shown(screen_text(app), *HOSTILE)  # the person's bubble, word for word
        screen.query_one("#adv-notes", TextArea).text = "\n".join(HOSTILE)
        await pilot.pause()
        assert_shown(screen_text(app), *HOSTILE)
        await pilot.press("f3")  # saves the notes, back to the list
        await settle(pilot)
        assert isinstance(app.screen, SessionsScreen)
    app = make_advisor_app(catalog, data=tmp_path)
    async with app.run_test(size=SIZE) as pilot:  # resumed: the notes and answers again
        await settle(pilot)
        assert_shown(screen_text(app), MAIRIE)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AdvisorScreen)
        notes = app.screen.query_one("#adv-notes", TextArea).text
        assert notes == "\n".join(seen(t) for t in HOSTILE)  # controls dropped, rest kept
        assert_shown(screen_text(app), *HOSTILE)


def _edit_yaml(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def hostile_catalog(content: Path, flows: Path) -> Catalog:
    """The fixture content with markup-looking words in labels, titles, names, texts."""

    def needs(data: dict[str, Any]) -> None:
        for need in data["needs"]:
            if need["id"] == "local-foncier":
                need["label"] = f"Local {CLOSE} {BOLD}"
            elif need["id"] == "financement":
                need["label"] = f"Argent {CLICK}"
            elif need["id"] == "isolement":
                need["label"] = f"Seul {MAIRIE} {TITLE}"

    def formats(data: dict[str, Any]) -> None:
        for fmt in data["formats"]:
            fmt["title"] = f"{BOLD} {fmt['title']} {CLOSE}"

    def contacts(data: dict[str, Any]) -> None:
        for contact in data["contacts"]:
            contact["name"] = f"{contact['name']} {MAIRIE}"
            contact["description"] = f"{CLICK} {TITLE} {contact['description']}"

    def flow(data: dict[str, Any]) -> None:
        for node in data["nodes"]:
            if node["id"] == "role":
                node["text"] = f"Qui êtes-vous ? {CLOSE} {TITLE}"
                node["options"][0]["label"] = f"{MAIRIE} porte un projet"

    _edit_yaml(content / "needs.yaml", needs)
    _edit_yaml(content / "formats.yaml", formats)
    _edit_yaml(content / "contacts.yaml", contacts)
    _edit_yaml(flows / "principal.yaml", flow)
    return load_catalog(content, flows)


async def test_content_text_everywhere(fixture_copy: tuple[Path, Path], tmp_path: Path) -> None:
    catalog = hostile_catalog(*fixture_copy)
    data = tmp_path / "data"
    store = Store(data)
    store.create("principal", State(flow="principal").to_json(), label="Marie")
    app = make_advisor_app(catalog, data=data)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_shown(screen_text(app), f"Qui êtes-vous ? {CLOSE}")  # "Où en est-on"
        await app.wait_loaded()  # the sessions list comes once the content is loaded
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AdvisorScreen)
        assert_shown(
            screen_text(app), f"Qui êtes-vous ? {CLOSE} {TITLE}", f"1. {MAIRIE} porte un projet"
        )
        await pilot.press("1", "1")
        await pilot.pause()
        screen.query_one("#free", Input).value = "Creuse"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1", "2")
        await pilot.pause()
        screen.query_one("#free", Input).value = "on cherche un local et des sous"
        await pilot.press("enter")
        await pilot.pause()
        boxes = [str(b.label) for b in screen.query("#answer Checkbox").results(Checkbox)]
        assert_shown("\n".join(boxes), f"Local {CLOSE} {BOLD}", f"Argent {CLICK}")
        assert_shown(screen_text(app), f"Local {CLOSE} {BOLD}", f"Argent {CLICK}")
        await pilot.click("#confirm")
        await pilot.pause()
        await pilot.press("1")  # lieu : louer
        await settle(pilot)
        assert isinstance(app.screen, ResultsScreen)
        shown = widget_text(app)
        assert_shown(shown, BOLD, CLOSE, MAIRIE, CLICK, TITLE)
        assert_shown(screen_text(app), BOLD)
        await pilot.click("#back")
        await settle(pilot)
        assert screen.is_current
        panel = "\n".join(str(b.label) for b in screen.query("#panel Checkbox").results(Checkbox))
        assert_shown(panel, f"Local {CLOSE} {BOLD}", f"Argent {CLICK}")
        assert_shown(str(screen.query_one("#adv-rules", Static).render()), BOLD, MAIRIE)
        select = screen.query_one("#adv-add", Select)
        await pilot.click("#adv-add")
        await pilot.pause()
        assert select.expanded
        assert_shown(screen_text(app), f"Seul {MAIRIE} {TITLE}")
        await pilot.press("escape")
        assert app.is_running and app.return_code is None
